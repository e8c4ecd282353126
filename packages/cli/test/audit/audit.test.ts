import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, runInProcess, scratchFolder } from '../helpers.js';

/** `overlap audit` and `overlap verify` as a user runs them: the real binary on the fixture programs. */
const programs = join(repoRoot, 'fixtures', 'programs');
const series = join(programs, 'audit-series');
const parallel = join(programs, 'audit-parallel');
const scratch = scratchFolder('audit');
const seriesTrace = join(scratch, 'series.ndjson');
const parallelTrace = join(scratch, 'parallel.ndjson');

interface AuditJson {
  static: { findings: Array<{ ruleId: string; file: string; line: number }> };
  runtime: {
    roots: number;
    totalMs: number;
    slowest: { route: string; kind: string } | null;
    processes: Array<{ route: string }>;
    routes: Array<{ route: string; count: number }>;
    sites: Array<Record<string, unknown>>;
    hangs: Array<{ reason: string; file: string | null; line: number | null; count: number; chain: Array<{ name: string; line: number }> }>;
    criticalPath: Array<{ file: string; line: number; kind: string; ms: number }>;
    suggestions: Array<{
      kind: string;
      sites: Array<{ file: string; line: number }>;
      predictedSavingMs: number;
      perRootMs: number;
      perRoute: Array<{ route: string; roots: number; perRootMs: number }>;
      confidence: string;
      detail: string;
    }>;
  };
}

let seriesJson: AuditJson;

beforeAll(() => {
  const run = runCli(['audit', '--save-trace', seriesTrace, '--format', 'json', '--', process.execPath, 'main.mjs'], { cwd: series });
  expect(run.code, run.stderr).toBe(0);
  seriesJson = JSON.parse(run.stdout) as AuditJson;
  // The program's own output goes to stderr, so stdout stays one JSON document.
  expect(run.stderr).toContain('60 /user?ms=80 true');
  const other = runCli(['audit', '--save-trace', parallelTrace, '--format', 'json', '--', process.execPath, 'main.mjs'], { cwd: parallel });
  expect(other.code, other.stderr).toBe(0);
}, 120_000);

describe('overlap audit --format json', () => {
  it('follows the documented contract, with paths relative to the working directory', () => {
    expect(Object.keys(seriesJson)).toEqual(['static', 'runtime']);
    expect(Object.keys(seriesJson.runtime)).toEqual(['roots', 'totalMs', 'utilisation', 'modelErrorMs', 'slowest', 'criticalPath', 'processes', 'routes', 'sites', 'hangs', 'suggestions']);
    // A program without requests: its process is the root, not reported apart.
    expect(seriesJson.runtime.processes).toEqual([]);
    expect(seriesJson.runtime.slowest!.route).toBe('process');
    expect(seriesJson.runtime.routes.map((r) => [r.route, r.count])).toEqual([['process', 1]]);
    // The sites table with drag and slack, the backend lookups on the path.
    expect(seriesJson.runtime.sites.length).toBeGreaterThan(0);
    for (const site of seriesJson.runtime.sites) expect(Object.keys(site)).toEqual(['file', 'line', 'name', 'count', 'rootsOnPath', 'criticalMs', 'share', 'p50', 'p95', 'dragMs', 'slackMs']);
    expect(seriesJson.runtime.hangs).toEqual([]);
    expect(seriesJson.runtime.roots).toBe(1);
    expect(seriesJson.static.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ['prefer-concurrent-awaits', 'main.mjs', 47],
      ['prefer-concurrent-awaits', 'main.mjs', 53],
    ]);
    for (const step of seriesJson.runtime.criticalPath) {
      expect(Object.keys(step)).toEqual(['file', 'line', 'kind', 'ms', 'name', 'within']);
      expect(['wait', 'cpu']).toContain(step.kind);
      expect(step.file).toBe('main.mjs');
    }
    // The three lookups (60, 80 and 40 ms on the backend) are waits on the critical path.
    const waited = seriesJson.runtime.criticalPath.filter((s) => s.kind === 'wait').reduce((sum, s) => sum + s.ms, 0);
    expect(waited).toBeGreaterThanOrEqual(175);
    const [top, second] = seriesJson.runtime.suggestions;
    expect(Object.keys(top!)).toEqual(['kind', 'sites', 'predictedSavingMs', 'perRootMs', 'rootsAffected', 'perRoute', 'throughput', 'lowerBound', 'confidence', 'unprovenReason', 'detail']);
    expect(top!.perRoute).toEqual([{ route: 'process', roots: 1, perRootMs: top!.perRootMs }]);
    expect(top!.kind).toBe('parallelize');
    expect(top!.sites).toEqual([
      { file: 'main.mjs', line: 52 },
      { file: 'main.mjs', line: 53 },
      { file: 'main.mjs', line: 54 },
    ]);
    // At least the two shorter lookups (60 + 40 ms) overlap with the longest.
    expect(top!.predictedSavingMs).toBeGreaterThanOrEqual(95);
    expect(top!.confidence).toBe('high');
    expect(second!.predictedSavingMs).toBeLessThan(top!.predictedSavingMs);
  });

  it('reads a saved trace and gives the same static findings and suggestions', async () => {
    const run = await runInProcess(['audit', '--trace', seriesTrace, '--format', 'json'], { cwd: series });
    expect(run.code, run.stderr).toBe(0);
    const again = JSON.parse(run.stdout) as AuditJson;
    expect(again.static).toEqual(seriesJson.static);
    expect(again.runtime.suggestions.map((s) => s.sites)).toEqual(seriesJson.runtime.suggestions.map((s) => s.sites));
  });

  it('gives already-parallel code no suggestion', async () => {
    const run = await runInProcess(['audit', '--trace', parallelTrace, '--format', 'json'], { cwd: parallel });
    const report = JSON.parse(run.stdout) as AuditJson;
    expect(report.static.findings).toEqual([]);
    expect(report.runtime.suggestions).toEqual([]);
  });
});

describe('overlap audit text report', () => {
  it('ranks suggestions with their saving, code frame and rewrite, then the critical path and the static findings', async () => {
    const run = await runInProcess(['audit', '--trace', seriesTrace], { cwd: series });
    expect(run.code).toBe(0);
    const text = run.stdout;
    expect(text).toMatch(/Suggestions, ranked by predicted saving \([12]\)/u);
    expect(text).toMatch(/1\. parallelize {2}saves [\d.]+ ms/u);
    expect(text).toContain('+  const [config, user, size] = await Promise.all([');
    expect(text.indexOf('Suggestions')).toBeLessThan(text.indexOf('Critical path of the slowest root'));
    expect(text.indexOf('Critical path of the slowest root')).toBeLessThan(text.indexOf('Static findings (2)'));
  });

  it('lists hangs first, with the chain of frames waiting on them', () => {
    const trace = join(scratch, 'hang.ndjson');
    const run = runCli(['audit', join(programs, 'hang'), '--save-trace', trace, '--', process.execPath, join(programs, 'hang', 'main.cjs')], { cwd: scratch });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.indexOf('Hangs (')).toBeGreaterThan(0);
    expect(run.stdout.indexOf('Hangs (')).toBeLessThan(run.stdout.indexOf('Suggestions'));
    expect(run.stdout).toMatch(/still pending at exit/u);
    expect(run.stdout).toMatch(/in first \(.*main\.cjs:15\)/u);
    expect(run.stdout).toMatch(/in main \(.*main\.cjs:25\)/u);
    // The same hangs in the JSON report.
    const json = runCli(['audit', join(programs, 'hang'), '--trace', trace, '--format', 'json'], { cwd: scratch });
    const report = JSON.parse(json.stdout) as AuditJson;
    const pending = report.runtime.hangs.filter((h) => h.reason === 'pending-at-exit');
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((h) => h.count >= 1)).toBe(true);
    expect(pending.some((h) => h.chain.some((f) => f.name === 'main' && f.line === 25))).toBe(true);
  }, 60_000);

  it('selects roots with --root, and names the routes when none matches', async () => {
    const process = await runInProcess(['audit', '--trace', seriesTrace, '--format', 'json', '--root', 'proc*'], { cwd: series });
    expect(process.code, process.stderr).toBe(0);
    expect((JSON.parse(process.stdout) as AuditJson).runtime.slowest!.route).toBe('process');
    const none = await runInProcess(['audit', '--trace', seriesTrace, '--root', 'GET /nothing'], { cwd: series });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no root matches --root "GET \/nothing" \(routes: process\)/u);
  });
});

describe('runtime CI gate and errors', () => {
  it('fails on --max-critical-ms and --max-predicted-saving-ms, passes within them', async () => {
    const slow = await runInProcess(['audit', '--trace', seriesTrace, '--format', 'json', '--max-critical-ms', '1'], { cwd: series });
    expect(slow.code).toBe(1);
    expect(slow.stderr).toBe('');
    const left = await runInProcess(['audit', '--trace', seriesTrace, '--max-predicted-saving-ms', '5'], { cwd: series });
    expect(left.code).toBe(1);
    expect(left.stdout).toMatch(/✖ [\d.]+ ms of predicted saving left on the table, above --max-predicted-saving-ms 5/u);
    const fine = await runInProcess(['audit', '--trace', seriesTrace, '--max-critical-ms', '600000', '--max-predicted-saving-ms', '600000'], { cwd: series });
    expect(fine.code).toBe(0);
  });

  it('fails on a critical-path regression against a baseline trace', async () => {
    // A baseline whose only root took 20 ms: the traced run (three lookups in series) regressed far beyond 10%.
    const baseline = join(scratch, 'baseline.ndjson');
    writeFileSync(
      baseline,
      [
        { format: 'overlap-trace', version: 1, created: 1, clock: 'us', tool: 'test' },
        { type: 'part', pid: 1, tid: 0, main: true, origin: 1 },
        ['@', 1, 0],
        ['S', 0, 'fn', join(series, 'main.mjs'), 45, 1, 'main'],
        ['f', 1, 0, 0, -1, 0, 0, 20_000, 0],
        { type: 'end', pid: 1, tid: 0, t: 20_000, code: 0 },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n') + '\n',
    );
    const regressed = await runInProcess(['audit', '--trace', seriesTrace, '--baseline-trace', baseline], { cwd: series });
    expect(regressed.code).toBe(1);
    expect(regressed.stdout).toMatch(/critical path regressed: [\d.]+ ms against 20 ms in the baseline trace \(tolerance 10%\)/u);
    const same = await runInProcess(['audit', '--trace', seriesTrace, '--baseline-trace', seriesTrace], { cwd: series });
    expect(same.code).toBe(0);
  });

  it('fails with exit 1 on static findings at or above --fail-on, like overlap check', async () => {
    const run = await runInProcess(['audit', '--trace', seriesTrace, '--fail-on', 'warn', '--format', 'json'], { cwd: series });
    expect(run.code).toBe(1);
  });

  it('reports usage errors and unreadable traces in one line with exit 2', async () => {
    const none = await runInProcess(['audit'], { cwd: series });
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('overlap: audit needs a trace: --trace <file>, or a command to run after -- (overlap audit -- node app.js)\n');
    const both = await runInProcess(['audit', '--trace', seriesTrace, '--', 'node', 'main.mjs'], { cwd: series });
    expect(both.code).toBe(2);
    const missing = await runInProcess(['audit', '--trace', 'nope.ndjson'], { cwd: series });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^overlap: .*nope\.ndjson: cannot open the trace \(ENOENT\)\n$/u);
    const notATrace = await runInProcess(['audit', '--trace', 'main.mjs'], { cwd: series });
    expect(notATrace.code).toBe(2);
    expect(notATrace.stderr).toMatch(/main\.mjs: not an overlap trace/u);
    const html = await runInProcess(['audit', '--trace', seriesTrace, '--format', 'html'], { cwd: series });
    expect(html.code).toBe(2);
    expect(html.stderr).toBe('overlap: --format html needs --output <file>\n');
  });
});

describe('overlap verify', () => {
  it('applies the top suggestion to a copy, measures before and after, and leaves the project alone', () => {
    // One run per side is at the mercy of a loaded machine; three (the default) keep the measured saving stable.
    const run = runCli(['verify', '--runs', '3', '--format', 'json', '--', process.execPath, 'main.mjs'], { cwd: series });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { suggestion: { rank: number; kind: string }; roots: string[]; predictedPerRootMs: number; measuredPerRootMs: number; beforeMs: number[]; afterMs: number[] };
    expect(result.suggestion).toMatchObject({ rank: 1, kind: 'parallelize' });
    expect(result.roots).toEqual(['process']);
    expect(result.beforeMs).toHaveLength(3);
    expect(result.afterMs).toHaveLength(3);
    // Overlapping three lookups of 60, 80 and 40 ms saves time for real.
    expect(result.measuredPerRootMs).toBeGreaterThan(40);
    expect(result.predictedPerRootMs).toBeGreaterThan(40);
  }, 120_000);

  it('refuses a suggestion without an automatic rewrite', () => {
    const run = runCli(['verify', '--suggestion', '9', '--', process.execPath, 'main.mjs'], { cwd: series });
    expect(run.code).toBe(2);
    // How many suggestions the audit finds depends on the run's timings (a saving below the noise is dropped);
    // what matters here is the one-line refusal.
    expect(run.stderr).toMatch(/^overlap: there is no suggestion 9 \(the audit found [1-8]\)\n$/u);
  }, 60_000);

  it('offers no Promise.all rewrite for CPU-bound steps, and will not verify one', () => {
    // The static finding behind offload-cpu is a Promise.all; applied, it would overlap no CPU at all.
    const cpu = join(programs, 'audit-cpu');
    const audit = runCli(['audit', '--no-color', '--', process.execPath, 'main.mjs'], { cwd: cpu });
    expect(audit.code, audit.stderr).toBe(0);
    const suggestions = audit.stdout.slice(0, audit.stdout.indexOf('Critical path'));
    expect(suggestions).toContain('offload-cpu');
    expect(suggestions).toContain('> 18 |   const header = await renderHeader();');
    expect(suggestions).not.toContain('rewrite:');
    const verify = runCli(['verify', '--runs', '1', '--', process.execPath, 'main.mjs'], { cwd: cpu });
    expect(verify.code).toBe(2);
    expect(verify.stderr).toBe('overlap: suggestion 1 (offload-cpu) has no automatic rewrite to verify\n');
  }, 120_000);
});
