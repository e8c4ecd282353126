import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runTestCommand } from '../../src/audit/run-tests.js';
import { projectsRoot, runCli } from '../helpers.js';

/**
 * `overlap verify --test` on a fixture project with a real node:test suite. Both of its suggestions are unproven
 * trace candidates: grouping the account lookups keeps the tests green; grouping the journal's open and close
 * lets `close` land first, which the suite checks, so the rewrite turns them red.
 */
vi.setConfig({ testTimeout: 300_000 });
const project = join(projectsRoot, 'verify-tests');

interface TestRunJson {
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  output: string;
}
interface VerifyJson {
  suggestion: { rank: number; kind: string; sites: Array<{ file: string; line: number }> };
  measuredPerRootMs: number;
  tests: { command: string; verdict: string; before: TestRunJson; after: TestRunJson } | null;
}

function verify(rank: number, test: string, format = 'json') {
  return runCli(['verify', '--suggestion', String(rank), '--runs', '1', '--test', test, '--format', format, '--', process.execPath, 'main.mjs'], { cwd: project });
}

describe('overlap verify --test', () => {
  it('a rewrite that keeps the tests green: verdict kept, exit 0, no test output', () => {
    const run = verify(1, 'node --test test/');
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as VerifyJson;
    expect(r.suggestion.sites).toEqual([
      { file: 'app.mjs', line: 6 },
      { file: 'app.mjs', line: 7 },
    ]);
    expect(r.tests).toMatchObject({ command: 'node --test test/', verdict: 'kept', before: { passed: true, exitCode: 0, output: '' }, after: { passed: true, exitCode: 0, output: '' } });
  });

  it('a rewrite that breaks the order the tests check: verdict broken, exit 1, the failing output shown', () => {
    const run = verify(2, 'npm test', 'text');
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('Suggestion 2 (parallelize) at app.mjs:13, app.mjs:14');
    expect(run.stdout).toMatch(/tests before: {4}passed \([\d.]+ s\) {2}\(npm test\)/u);
    expect(run.stdout).toMatch(/tests after: {5}failed: exit 1/u);
    // The assertion that failed, from the suite's own output.
    expect(run.stdout).toContain("'close',");
    expect(run.stdout).toContain('ERR_ASSERTION');
    expect(run.stdout).toContain('verdict:         the rewrite BREAKS the tests');
  });

  it('tests that already fail on the original: said so, the rewrite not blamed, exit 0', () => {
    const run = verify(1, 'node -e "console.log(\'db not reachable\'); process.exit(3)"', 'text');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/tests before: {4}failed: exit 3/u);
    expect(run.stdout).toContain('| db not reachable');
    expect(run.stdout).toContain('the tests already fail on the original, so they say nothing about the rewrite (after the rewrite they fail)');
  });

  it('an empty --test and a bad --test-timeout are usage errors', () => {
    expect(runCli(['verify', '--test', ' ', '--', process.execPath, 'main.mjs'], { cwd: project })).toMatchObject({ code: 2 });
    expect(runCli(['verify', '--test', 'true', '--test-timeout', '0', '--', process.execPath, 'main.mjs'], { cwd: project })).toMatchObject({ code: 2 });
  });
});

describe('runTestCommand', () => {
  it('stops a hanging command at the timeout, with its children, and counts it as failed', async () => {
    const started = Date.now();
    const run = await runTestCommand('echo started; node -e "setInterval(() => {}, 1000)"', project, process.env, 800);
    expect(run).toMatchObject({ passed: false, timedOut: true });
    expect(run.output).toContain('started');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('passes on exit 0 in the given folder, through the shell', async () => {
    const run = await runTestCommand('test -f expected.json && echo ok', project, process.env, 10_000);
    expect(run).toMatchObject({ passed: true, exitCode: 0, timedOut: false });
    expect(run.output.trim()).toBe('ok');
  });
});
