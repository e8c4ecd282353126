import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { committedInputs, deeplyNested, generatedInputs, writeInputs, type HostileInput } from '../../../fixtures/hostile/hostile-inputs.js';
import { runCli, type CliRun } from './helpers.js';

/**
 * The real CLI binary over a folder of hostile and unusual files: exit code 0 (the run went on), one stderr line
 * per file it could not analyse (naming the file, no stack trace, no internal error), and the expected findings
 * on the rest, positions included (BOM, CRLF and other line ends).
 */
interface JsonReport {
  findings: Array<{ file: string; ruleId: string; messageId: string; line: number; column: number; confidence: string }>;
  errors: Array<{ file: string; line: number; message: string }>;
  summary: { files: number; unparsed: number };
}

const allRulesConfig = {
  rules: Object.fromEntries(['prefer-concurrent-awaits', 'prefer-concurrent-iteration', 'no-stale-write-across-await',
    'no-check-then-act-across-await', 'no-unbounded-concurrency', 'no-blocking-in-async'].map((id) => [id, 'warn'])),
};

function setUp(inputs: readonly HostileInput[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'overlap-hostile-'));
  writeInputs(dir, inputs);
  writeFileSync(join(dir, 'overlap.config.json'), JSON.stringify(allRulesConfig));
  return dir;
}

function expectCleanStderr(run: CliRun, names: readonly string[]) {
  const lines = run.stderr.split('\n').filter((line) => line.length > 0);
  for (const line of lines) {
    expect(line).toMatch(/^[\w.-]+:\d+: \S/u);
    expect(names).toContain(line.slice(0, line.indexOf(':')));
    expect(line).not.toMatch(/internal error/u);
  }
  expect(run.stderr).not.toMatch(/^\s+at /mu);
}

describe('overlap check on hostile input', () => {
  const inputs = [...committedInputs(), ...generatedInputs()];
  const names = inputs.map((input) => input.name);
  let run: CliRun;
  let report: JsonReport;

  beforeAll(() => {
    const dir = setUp(inputs);
    run = runCli(['check', '.', '--format', 'json', '--output', 'report.json', '--fail-on', 'none', '--no-progress'], { cwd: dir });
    report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as JsonReport;
  }, 180_000);

  it('goes on past every bad file and exits 0', () => {
    expect(run.code, run.stderr).toBe(0);
    expectCleanStderr(run, names);
    expect(report.summary.files + report.summary.unparsed).toBe(inputs.length);
  });

  it('reports each file it cannot analyse in one line, and only those', () => {
    const expectedErrors = inputs.filter((input) => input.expect && 'parseError' in input.expect).map((input) => input.name);
    const reported = report.errors.map((error) => error.file);
    for (const name of expectedErrors) expect(reported).toContain(name);
    for (const error of report.errors) expect(run.stderr).toContain(`${error.file}:${error.line}: ${error.message}\n`);
    // Only the inputs without a fixed expectation (the deep ones) may be either analysed or reported.
    const open = inputs.filter((input) => !input.expect).map((input) => input.name);
    for (const name of reported) expect([...expectedErrors, ...open]).toContain(name);
  });

  it('gives the expected findings, positions included', () => {
    for (const input of inputs) {
      if (!input.expect || !('findings' in input.expect)) continue;
      const actual = report.findings
        .filter((finding) => finding.file === input.name)
        .map(({ ruleId, messageId, line, column, confidence }) => ({ ruleId, messageId, line, column, confidence }));
      expect(actual, input.name).toEqual(input.expect.findings);
    }
  });

  it('finds the functions of the 5 MB file', () => {
    expect(report.findings.filter((finding) => finding.file === 'large.js')).toHaveLength(20);
  });
});

describe('overlap check on deeply nested code in worker threads', () => {
  it('analyses or reports each file in one line; a rule that runs out of stack is skipped, not an internal error', () => {
    const deep = Object.entries(deeplyNested(10_000)).map(([name, content]) => ({ name, content }));
    const shallow = Object.entries(deeplyNested(2_000)).map(([name, content]) => ({ name: `shallow-${name}`, content }));
    const dir = setUp([...deep, ...shallow]);
    const run = runCli(['check', '.', '--format', 'json', '--output', 'report.json', '--fail-on', 'none', '--threads', '1', '--no-progress'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expectCleanStderr(run, [...deep, ...shallow].map((input) => input.name));
    for (const line of run.stderr.split('\n').filter(Boolean)) {
      expect(line).toMatch(/code nested too deeply to analyse/u);
    }
  }, 120_000);
});
