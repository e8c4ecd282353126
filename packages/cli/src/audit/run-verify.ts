import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { analyzeRuntime, type SourcePoint } from '@overlap/runtime-analysis';
import type { CliIO } from '../command.js';
import { OverlapError } from '../errors.js';
import { applyEdits } from '@overlap/core';
import { mean, rootDurations, rootsRunning } from './measure.js';
import { joinSuggestions } from './report.js';
import { describeTestRun, runTestCommand, type TestRun } from './run-tests.js';
import { staticFindings } from './static-findings.js';
import { candidateInputs } from './trace-candidates.js';
import { traceCommand } from './trace-source.js';
import { parseLoadSpec } from './load.js';
import { verifyUnderLoad } from './verify-load.js';

export interface VerifyOptions {
  readonly suggestion: number;
  readonly runs: number;
  readonly format: string;
  readonly config?: string;
  /** A shell command run in the original project and in the rewritten copy; its exit code decides pass or fail. */
  readonly test?: string;
  /** Seconds before a test command run is stopped (and counted as failed). */
  readonly testTimeout: number;
  readonly load?: string;
  readonly connections?: number;
  readonly duration?: number;
  readonly listenTimeout?: number;
  readonly '--'?: readonly string[];
}

/** The test command on both sides, and what that says about the rewrite. */
export interface VerifyTests {
  readonly command: string;
  readonly before: TestRun;
  readonly after: TestRun;
  /** `kept`: passed before and after; `broken`: passed before, failed after; `failing`: failed on the original already. */
  readonly verdict: 'kept' | 'broken' | 'failing';
}

export interface VerifyResult {
  readonly suggestion: { readonly rank: number; readonly kind: string; readonly sites: ReadonlyArray<{ readonly file: string; readonly line: number }> };
  readonly roots: readonly string[];
  readonly predictedSavingMs: number;
  /** Median of the predictions from each traced run of the original (`predictionsMs`). */
  readonly predictedPerRootMs: number;
  readonly predictionsMs: readonly number[];
  readonly measuredPerRootMs: number;
  readonly beforeMs: readonly number[];
  readonly afterMs: readonly number[];
  readonly exitCodes: { readonly before: number | null; readonly after: number | null };
  /** Runs whose trace had no root of the measured kind (left out of the means). */
  readonly missingRuns: number;
  /** With --test: the test command before and after the rewrite (outputs only of failed runs). */
  readonly tests: VerifyTests | null;
}

const round = (value: number) => Math.round(value * 10) / 10;

function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `overlap verify`: predict, rewrite a copy, measure before and after, compare. */
export async function runVerify(args: readonly string[], options: VerifyOptions, io: CliIO): Promise<number> {
  const command = options['--'] ?? [];
  if (command.length === 0) throw new OverlapError('OVERLAP_USAGE', 'verify needs a command after -- (overlap verify -- node app.js)');
  if (options.runs < 1) throw new OverlapError('OVERLAP_USAGE', '--runs must be at least 1');
  if (options.test !== undefined && options.test.trim() === '') throw new OverlapError('OVERLAP_USAGE', '--test needs a command ("npm test")');
  if (!(options.testTimeout > 0)) throw new OverlapError('OVERLAP_USAGE', '--test-timeout must be a positive number of seconds');

  const loadSpec = parseLoadSpec(options, command.join(' '));
  const statics = await staticFindings(args, options.config, io);
  // Under load the copy runs as a server; its tests are not run there (yet), so say so instead of skipping them.
  if (loadSpec && options.test !== undefined) throw new OverlapError('OVERLAP_USAGE', '--test cannot be combined with --load: run verify --test without --load for the tests');
  if (loadSpec) return verifyUnderLoad(command, options, io, loadSpec, statics);
  const before: number[] = [];
  let first = await traceCommand(command, io, { quiet: true });
  const candidates = candidateInputs(first.trace, statics, io.cwd);
  const runtime = analyzeRuntime(first.trace, statics.groups, { awaitGraphs: candidates.graphs });
  const suggestions = joinSuggestions(runtime, statics.findings, statics.groupFinding, { cwd: io.cwd, rewrites: candidates.rewrites });
  const chosen = suggestions[options.suggestion - 1];
  if (!chosen) throw new OverlapError('OVERLAP_USAGE', `there is no suggestion ${options.suggestion} (the audit found ${suggestions.length})`);
  const finding = chosen.staticFinding;
  if (!finding?.suggestion) {
    throw new OverlapError('OVERLAP_USAGE', `suggestion ${options.suggestion} (${chosen.kind}) has no automatic rewrite to verify`);
  }
  const timeoutMs = options.testTimeout * 1000;
  const testsBefore = options.test !== undefined ? await runTestCommand(options.test, io.cwd, io.env, timeoutMs) : null;
  const labels = rootsRunning(first.trace, chosen.sites);
  before.push(mean(rootDurations(first.trace, labels)));
  // Every traced run of the original is a prediction too: their median is what a single disturbed run is not.
  const predictions = [chosen.perRootMs];
  const predict = (trace: typeof first.trace): void => {
    const again = analyzeRuntime(trace, statics.groups, { awaitGraphs: candidateInputs(trace, statics, io.cwd).graphs });
    const same = again.suggestions.find((s) => s.kind === chosen.kind && sameSites(s.sites, chosen.sites));
    if (same) predictions.push(same.perRootMs);
  };

  const copy = copyProject(io.cwd);
  try {
    const target = join(copy, finding.file);
    writeFileSync(target, applyEdits(readFileSync(target, 'utf8').replace(/^\uFEFF/u, ''), finding.suggestion.edits));
    const moved = command.map((arg) => movePath(arg, io.cwd, copy));
    const testsAfter = options.test !== undefined ? await runTestCommand(options.test, copy, io.env, timeoutMs) : null;
    // Sites are matched by relative position: the copy has the same layout.
    const sites = chosen.sites.map((s) => ({ ...s, file: movePath(s.file, io.cwd, copy) }));
    const after: number[] = [];
    let afterCode: number | null | undefined = null;
    // Before and after alternate, so a change in the machine's load hits both sides alike.
    for (let i = 0; i < options.runs; i++) {
      if (i > 0) {
        first = await traceCommand(command, io, { quiet: true });
        before.push(mean(rootDurations(first.trace, labels)));
        predict(first.trace);
      }
      const run = await traceCommand(moved, io, { quiet: true, cwd: copy });
      afterCode = run.exitCode;
      after.push(mean(rootDurations(run.trace, rootsRunning(run.trace, sites).size > 0 ? rootsRunning(run.trace, sites) : labels)));
    }
    const result: VerifyResult = {
      suggestion: { rank: chosen.rank, kind: chosen.kind, sites: chosen.sites.map((s) => ({ file: relative(io.cwd, s.file).split(sep).join('/'), line: s.line })) },
      roots: [...labels],
      predictedSavingMs: chosen.predictedSavingMs,
      predictedPerRootMs: round(median(predictions)),
      predictionsMs: predictions.map(round),
      // Medians: one run disturbed by the machine (a 400 ms outlier on a loaded host) must not decide the saving.
      measuredPerRootMs: round(median(before) - median(after)),
      missingRuns: [...before, ...after].filter((ms) => !Number.isFinite(ms)).length,
      beforeMs: before.filter(Number.isFinite).map(round),
      afterMs: after.filter(Number.isFinite).map(round),
      exitCodes: { before: first.exitCode ?? null, after: afterCode ?? null },
      tests: testsBefore && testsAfter ? testVerdict(options.test!, testsBefore, testsAfter) : null,
    };
    io.stdout.write(options.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderVerify(result));
    return result.exitCodes.before === result.exitCodes.after && result.tests?.verdict !== 'broken' ? 0 : 1;
  } finally {
    rmSync(dirname(copy), { recursive: true, force: true });
  }
}

function sameSites(a: readonly SourcePoint[], b: readonly SourcePoint[]): boolean {
  const key = (sites: readonly SourcePoint[]) => sites.map((s) => `${s.file}:${s.line}:${s.column}`).join(' ');
  return key(a) === key(b);
}

function testVerdict(command: string, before: TestRun, after: TestRun): VerifyTests {
  // A passing run's output is noise in the report: keep it only where it explains a failure.
  const trim = (run: TestRun): TestRun => (run.passed ? { ...run, output: '' } : run);
  return { command, before: trim(before), after: trim(after), verdict: !before.passed ? 'failing' : after.passed ? 'kept' : 'broken' };
}

function indented(output: string): string[] {
  const lines = output.trimEnd().split(/\r?\n/u);
  const shown = lines.length > 60 ? ['...', ...lines.slice(-60)] : lines;
  return shown.map((line) => `      | ${line}`);
}

function renderVerify(r: VerifyResult): string {
  const error = r.measuredPerRootMs - r.predictedPerRootMs;
  const lines = [
    `Suggestion ${r.suggestion.rank} (${r.suggestion.kind}) at ${r.suggestion.sites.map((s) => `${s.file}:${s.line}`).join(', ')}`,
    `  roots measured:  ${r.roots.join(', ') || '(none ran the sites)'}`,
    `  before (ms):     ${r.beforeMs.join(', ')}`,
    `  after (ms):      ${r.afterMs.join(', ')}`,
    `  predicted:       ${r.predictedPerRootMs} ms per root (median of ${r.predictionsMs.join(', ')}: one per run before; ${r.predictedSavingMs} ms in total in the first)`,
    `  measured:        ${r.measuredPerRootMs} ms per root, median before minus median after (${error >= 0 ? '+' : ''}${round(error)} ms against the prediction)`,
  ];
  if (r.exitCodes.before !== r.exitCodes.after) lines.push(`  the rewritten program exited with ${r.exitCodes.after}, the original with ${r.exitCodes.before}`);
  const t = r.tests;
  if (t) {
    lines.push(`  tests before:    ${describeTestRun(t.before)}  (${t.command})`);
    if (!t.before.passed) lines.push(...indented(t.before.output));
    lines.push(`  tests after:     ${describeTestRun(t.after)}`);
    if (!t.after.passed) lines.push(...indented(t.after.output));
  }
  lines.push(`  verdict:         ${verdictLine(r)}`);
  return `${lines.join('\n')}\n`;
}

function verdictLine(r: VerifyResult): string {
  const saving = `measured saving ${r.measuredPerRootMs} ms per root (predicted ${r.predictedPerRootMs})`;
  switch (r.tests?.verdict) {
    case undefined:
      return saving;
    case 'kept':
      return `the tests still pass after the rewrite; ${saving}`;
    case 'broken':
      return `the rewrite BREAKS the tests (they pass on the original and fail on the rewrite); do not apply it as is. ${saving}`;
    case 'failing':
      return `the tests already fail on the original, so they say nothing about the rewrite (after the rewrite they ${r.tests.after.passed ? 'pass' : 'fail'}); ${saving}`;
  }
}

/** A scratch copy of the project: node_modules linked, not copied; .git left out. */
export function copyProject(cwd: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'overlap-verify-')), basename(cwd));
  cpSync(cwd, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|\.git)$/u.test(src) });
  // The nearest node_modules (a workspace hoists it to a parent folder), so the copy resolves the same packages.
  for (let from = resolve(cwd); ; from = dirname(from)) {
    if (existsSync(join(from, 'node_modules'))) {
      symlinkSync(join(from, 'node_modules'), join(dir, 'node_modules'), 'junction');
      break;
    }
    if (dirname(from) === from) break;
  }
  return dir;
}

export function movePath(arg: string, from: string, to: string): string {
  const abs = resolve(from);
  return arg === abs || arg.startsWith(abs + sep) ? to + arg.slice(abs.length) : arg;
}
