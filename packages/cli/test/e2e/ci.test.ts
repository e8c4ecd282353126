import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { copyProject, join, runCli, runInProcess, scratchFolder } from '../helpers.js';

interface JsonReport {
  findings: Array<{ file: string; ruleId: string; line: number; fingerprint: string; message: string }>;
  summary: { files: number; findings: number; baselined: number };
}

const json = (stdout: string) => JSON.parse(stdout) as JsonReport;

describe('baseline', () => {
  it('round trip: adopt, shift lines, add a finding, remove one', () => {
    const project = copyProject('ts-service');
    const baseline = join(project, 'overlap-baseline.json');
    const check = (...extra: string[]) => runCli(['check', '.', '--format', 'json', '--baseline', baseline, ...extra], { cwd: project });

    const adopt = check('--update-baseline');
    expect(adopt.code).toBe(0);
    expect(adopt.stderr).toMatch(/^overlap: wrote \d+ findings to /u);
    const recorded = JSON.parse(readFileSync(baseline, 'utf8')) as { version: number; findings: Array<{ fingerprint: string }> };
    expect(recorded.version).toBe(1);
    expect(recorded.findings.length).toBeGreaterThanOrEqual(3);

    const clean = check();
    expect(clean.code).toBe(0);
    expect(json(clean.stdout).summary).toMatchObject({ findings: 0, baselined: recorded.findings.length });

    // Unrelated edits: lines inserted above, the function re-indented. Every finding is still known.
    const reports = join(project, 'src', 'handlers', 'reports.ts');
    const original = readFileSync(reports, 'utf8');
    writeFileSync(reports, `// Report handlers.\n// Owned by the reporting team.\n\n${original.replace("  const template = readFileSync('templates/report.html', 'utf8');", "    const template = readFileSync(\n      'templates/report.html', 'utf8');")}`);
    expect(check().code).toBe(0);

    // A new blocking call in a new function: only it is reported.
    writeFileSync(reports, `${readFileSync(reports, 'utf8')}\nexport async function footer(): Promise<string> {\n  return readFileSync('templates/footer.html', 'utf8');\n}\n`);
    const added = check();
    expect(added.code).toBe(1);
    const addedReport = json(added.stdout);
    expect(addedReport.findings.map((finding) => [finding.file, finding.ruleId, finding.line])).toEqual([['src/handlers/reports.ts', 'no-blocking-in-async', 23]]);

    // Fixing a baselined finding changes nothing for the gate.
    writeFileSync(reports, readFileSync(reports, 'utf8').replace("\n  return readFileSync('templates/footer.html', 'utf8');", "\n  return 'footer';"));
    writeFileSync(join(project, 'src', 'handlers', 'accounts.ts'), 'export const accounts = new Map<string, number>();\n');
    const removed = check();
    expect(removed.code).toBe(0);
    expect(json(removed.stdout).summary.findings).toBe(0);
  });

  it('a corrupt baseline is a one-line error', () => {
    const folder = scratchFolder('baseline');
    writeFileSync(join(folder, 'baseline.json'), '{ "findings": 3 }');
    const run = runCli(['check', 'fixtures/projects/clean', '--baseline', join(folder, 'baseline.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^overlap: .*baseline\.json: not an overlap baseline/u);
  });
});

describe('sharding and merge', () => {
  it('shards partition the files; merging their reports gives the full report', async () => {
    const folder = scratchFolder('shards');
    const paths = ['fixtures/projects/ts-service', 'fixtures/projects/plain-js', 'fixtures/projects/broken', 'fixtures/projects/cross-file'];
    const full = json(runCli(['check', ...paths, '--format', 'json']).stdout);
    const shardFiles: string[] = [];
    let files = 0;
    for (const shard of ['1/2', '2/2']) {
      const out = join(folder, `shard-${shard.replace('/', '-')}.json`);
      const run = runCli(['check', ...paths, '--format', 'json', '--shard', shard, '--output', out, '--fail-on', 'none']);
      expect(run.code, run.stderr).toBe(0);
      files += json(readFileSync(out, 'utf8')).summary.files;
      shardFiles.push(out);
    }
    expect(files).toBe(full.summary.files);
    const merged = runCli(['merge', ...shardFiles, '-o', join(folder, 'all.json')]);
    expect(merged.code, merged.stderr).toBe(0);
    const all = json(readFileSync(join(folder, 'all.json'), 'utf8'));
    expect(all.findings.map((finding) => finding.fingerprint)).toEqual(full.findings.map((finding) => finding.fingerprint));
    expect(all.summary.files).toBe(full.summary.files);
    expect((await runInProcess(['merge', ...shardFiles, '--fail-on', 'error'])).code).toBe(1);
    const missing = await runInProcess(['merge', join(folder, 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^overlap: .*missing\.json: not a JSON report: /u);
  });
});

describe('parallelism and cache', () => {
  it('worker threads give the same report as one thread', () => {
    const paths = ['fixtures/projects/ts-service', 'fixtures/projects/plain-js', 'fixtures/projects/cross-file'];
    const single = json(runCli(['check', ...paths, '--format', 'json', '--threads', '0']).stdout);
    const pooled = json(runCli(['check', ...paths, '--format', 'json', '--threads', '2']).stdout);
    expect(pooled.findings).toEqual(single.findings);
  });

  it('--cache reuses unchanged files and notices changed ones, including imported files', () => {
    const project = copyProject('cross-file');
    const cache = join(project, '.cache-test');
    const check = () => json(runCli(['check', '.', '--format', 'json', '--cache', '--cache-location', cache, '--fail-on', 'none'], { cwd: project }).stdout);
    const first = check();
    expect(first.findings).toHaveLength(1);
    expect(existsSync(join(cache, 'results.json'))).toBe(true);
    expect(check().findings).toEqual(first.findings);
    // The page did not change, but the helper it imports now writes: the cached "both read" no longer holds.
    const store = join(project, 'src', 'profile-store.ts');
    writeFileSync(store, readFileSync(store, 'utf8').replace("import { readFile } from 'node:fs/promises';", "import { readFile, writeFile } from 'node:fs/promises';").replace('  return JSON.parse(await readFile(`data/preferences/', "  await writeFile('data/last-seen', userId);\n  return JSON.parse(await readFile(`data/preferences/"));
    expect(check().findings).toEqual([]);
  });
});
