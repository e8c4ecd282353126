import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allChecks } from '@overlap/core';
import { join, projectsRoot, readJson, runCli, runInProcess, type ExpectedFinding } from '../helpers.js';

const registered = new Set(allChecks.map((check) => check.meta.id));

interface JsonReport {
  version: number;
  findings: Array<ExpectedFinding & { severity: string; endLine: number; endColumn: number; message: string; fingerprint: string; suggestion?: { description: string; edits: unknown[] } }>;
  errors: Array<{ file: string; line: number; column: number; message: string }>;
  summary: { files: number; findings: number; byRule: Record<string, number>; durationMs: number; unparsed: number };
}

const projects = readdirSync(projectsRoot).filter((name) => !name.startsWith('.'));

describe('overlap check on fixtures/projects (conformance with expected.json)', () => {
  for (const project of projects) {
    it(`${project}: findings match expected.json`, async () => {
      const run = await runInProcess(['check', `fixtures/projects/${project}`, '--format', 'json', '--fail-on', 'none']);
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as JsonReport;
      const actual = report.findings.map((finding) => ({
        file: finding.file.replace(`fixtures/projects/${project}/`, ''),
        ruleId: finding.ruleId,
        messageId: finding.messageId,
        line: finding.line,
        column: finding.column,
        confidence: finding.confidence,
      }));
      const expected = readJson<ExpectedFinding[]>(join(projectsRoot, project, 'expected.json')).filter((entry) => registered.has(entry.ruleId as never));
      expect(actual).toEqual(expected);
    });
  }
});

describe('report formats', () => {
  it('text: grouped by file, a code frame per finding, the rewrite and a summary line; exit 1 on errors', () => {
    const run = runCli(['check', 'fixtures/projects/ts-service']);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('fixtures/projects/ts-service/src/handlers/accounts.ts');
    expect(run.stdout).toContain('fixtures/projects/ts-service/src/handlers/reports.ts\n');
    expect(run.stdout).toMatch(/^ {2}7:20 {3}error {2}`readFileSync` does file-system I\/O synchronously/mu);
    expect(run.stdout).toContain("    > 7 |   const template = readFileSync('templates/report.html', 'utf8');");
    expect(run.stdout).toContain("+  const template = await readFile('templates/report.html', 'utf8');");
    expect(lines.at(-2)).toMatch(/^✖ \d+ findings \(\d+ errors, \d+ warnings?\) in 4 files · .*no-blocking-in-async 1.* · \d+\.\d\ds$/u);
    // Not a terminal: no colour codes.
    expect(run.stdout).not.toMatch(/\u001b\[/u);
    expect(run.stderr).toBe('');
  });

  it('text: FORCE_COLOR colours the output, NO_COLOR wins over a terminal default', () => {
    expect(runCli(['check', 'fixtures/projects/plain-js'], { env: { FORCE_COLOR: '1' } }).stdout).toMatch(/\u001b\[/u);
    expect(runCli(['check', 'fixtures/projects/plain-js', '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(/\u001b\[/u);
  });

  it('json: the documented schema, paths relative to the working directory', () => {
    const run = runCli(['check', 'src', '--format', 'json'], { cwd: join(projectsRoot, 'ts-service') });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.version).toBe(1);
    expect(Object.keys(report).sort()).toEqual(['errors', 'findings', 'summary', 'tool', 'version']);
    const blocking = report.findings.find((finding) => finding.ruleId === 'no-blocking-in-async')!;
    expect(blocking).toMatchObject({ file: 'src/handlers/reports.ts', line: 7, column: 20, endLine: 7, endColumn: 65, severity: 'error', confidence: 'high' });
    expect(blocking.fingerprint).toMatch(/^[0-9a-f]{32}$/u);
    expect(blocking.suggestion?.edits.length).toBeGreaterThan(0);
    expect(report.summary.files).toBe(4);
    expect(report.summary.findings).toBe(report.findings.length);
    expect(Object.values(report.summary.byRule).reduce((a, b) => a + b, 0)).toBe(report.findings.length);
  });

  it('github: one workflow command per finding, properties escaped', () => {
    const run = runCli(['check', 'fixtures/projects/plain-js', '--format', 'github']);
    expect(run.code).toBe(1);
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations).toHaveLength(2);
    expect(annotations).toContainEqual(expect.stringMatching(/^::error file=fixtures\/projects\/plain-js\/lib\/config\.js,line=6,endLine=6,col=15,endColumn=\d+,title=overlap\/no-blocking-in-async \(high confidence\)::`fs\.readFileSync` /u));
    for (const annotation of annotations) expect(annotation.split('::')[1]).not.toMatch(/[\r\n]/u);
  });

  it('--output writes the report to a file and nothing to stdout', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const out = join(mkdtempSync(join(tmpdir(), 'overlap-out-')), 'nested', 'report.json');
    const run = runCli(['check', 'fixtures/projects/plain-js', '--format', 'json', '--output', out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect((JSON.parse(readFileSync(out, 'utf8')) as JsonReport).findings).toHaveLength(2);
  });
});

describe('files and exit codes', () => {
  it('exit 0 when nothing is found', () => {
    const run = runCli(['check', 'fixtures/projects/clean']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^✔ No findings in 1 file · \d+\.\d\ds\n$/u);
  });

  it('--fail-on decides which severities fail; --max-findings caps the count', async () => {
    // cross-file has one warning.
    expect(runCli(['check', 'fixtures/projects/cross-file']).code).toBe(0);
    expect((await runInProcess(['check', 'fixtures/projects/cross-file', '--fail-on', 'warn'])).code).toBe(1);
    expect((await runInProcess(['check', 'fixtures/projects/cross-file', '--max-findings', '0'])).code).toBe(1);
    expect((await runInProcess(['check', 'fixtures/projects/cross-file', '--max-findings', '1'])).code).toBe(0);
    expect((await runInProcess(['check', 'fixtures/projects/ts-service', '--fail-on', 'none'])).code).toBe(0);
  });

  it('skips node_modules, build output and .gitignore\'d files; --ignore leaves out more', async () => {
    const all = JSON.parse((await runInProcess(['check', 'fixtures/projects/plain-js', '--format', 'json'])).stdout) as JsonReport;
    expect(all.summary.files).toBe(2);
    const ts = JSON.parse((await runInProcess(['check', 'fixtures/projects/ts-service', '--format', 'json'])).stdout) as JsonReport;
    expect(ts.findings.map((finding) => finding.file)).not.toContainEqual(expect.stringMatching(/generated|dist/u));
    const ignored = JSON.parse((await runInProcess(['check', 'fixtures/projects/plain-js', '--format', 'json', '--ignore', '**/config.js'])).stdout) as JsonReport;
    expect(ignored.summary.files).toBe(1);
    expect(ignored.findings.map((finding) => finding.file)).toEqual(['fixtures/projects/plain-js/lib/cache.mjs']);
  });

  it('a file that does not parse gets one line and the audit goes on', () => {
    const run = runCli(['check', 'fixtures/projects/broken', '--format', 'json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("fixtures/projects/broken/src/half-written.ts:2: ')' expected.\n");
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.errors).toEqual([{ file: 'fixtures/projects/broken/src/half-written.ts', line: 2, column: expect.any(Number), message: "')' expected." }]);
    expect(report.summary).toMatchObject({ files: 2, unparsed: 1 });
  });

  it('exit 2 when nothing could be analysed, with one line and no stack', () => {
    const run = runCli(['check', 'fixtures/projects/broken/src/half-written.ts']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      "fixtures/projects/broken/src/half-written.ts:2: ')' expected.",
      'overlap: none of the 1 files could be analysed',
    ]);
  });

  it('exit 2 on usage errors: unknown option, missing path, bad --shard, conflicting flags', async () => {
    const real = runCli(['check', '--no-such-option']);
    expect(real).toMatchObject({ code: 2, stdout: '' });
    expect(real.stderr).toBe("overlap: unknown option '--no-such-option'\n(run with --help for usage)\n");
    for (const args of [
      ['check', '--no-such-option'],
      ['check', 'fixtures/projects/does-not-exist'],
      ['check', 'fixtures/projects/clean', '--shard', '3/2'],
      ['check', 'fixtures/projects/clean', '--fix', '--fix-dry-run'],
      ['check', 'fixtures/projects/clean', '--format', 'xml'],
      ['check', 'fixtures/projects/clean', '--max-findings', 'many'],
    ]) {
      const run = await runInProcess(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr, args.join(' ')).toMatch(/^overlap: /u);
      expect(run.stderr).not.toMatch(/\n\s+at /u);
    }
  });

  it('exit 2 when a folder holds no JavaScript or TypeScript', () => {
    const run = runCli(['check', 'packages/cli/test/sarif']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('overlap: no JavaScript or TypeScript files found in packages/cli/test/sarif\n');
  });

  it('--help lists the commands and --version prints the version', () => {
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['check', 'init', 'merge']) expect(help.stdout).toContain(`  ${command} `);
    expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/u);
    expect(runCli(['help', 'check']).stdout).toContain('--fail-on <severity>');
  });
});
