import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { analyzeRuntime } from '@overlap/runtime-analysis';
import type { CliIO } from '../command.js';
import { OverlapError } from '../errors.js';
import { applyEdits } from '@overlap/core';
import { mean, rootDurations, rootsRunning } from './measure.js';
import { joinSuggestions } from './report.js';
import { staticFindings } from './static-findings.js';
import { traceCommand } from './trace-source.js';
import { parseLoadSpec } from './load.js';
import { verifyUnderLoad } from './verify-load.js';

export interface VerifyOptions {
  readonly suggestion: number;
  readonly runs: number;
  readonly format: string;
  readonly config?: string;
  readonly load?: string;
  readonly connections?: number;
  readonly duration?: number;
  readonly listenTimeout?: number;
  readonly '--'?: readonly string[];
}

export interface VerifyResult {
  readonly suggestion: { readonly rank: number; readonly kind: string; readonly sites: ReadonlyArray<{ readonly file: string; readonly line: number }> };
  readonly roots: readonly string[];
  readonly predictedSavingMs: number;
  readonly predictedPerRootMs: number;
  readonly measuredPerRootMs: number;
  readonly beforeMs: readonly number[];
  readonly afterMs: readonly number[];
  readonly exitCodes: { readonly before: number | null; readonly after: number | null };
  /** Runs whose trace had no root of the measured kind (left out of the means). */
  readonly missingRuns: number;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** `overlap verify`: predict, rewrite a copy, measure before and after, compare. */
export async function runVerify(args: readonly string[], options: VerifyOptions, io: CliIO): Promise<number> {
  const command = options['--'] ?? [];
  if (command.length === 0) throw new OverlapError('OVERLAP_USAGE', 'verify needs a command after -- (overlap verify -- node app.js)');
  if (options.runs < 1) throw new OverlapError('OVERLAP_USAGE', '--runs must be at least 1');

  const loadSpec = parseLoadSpec(options, command.join(' '));
  const statics = await staticFindings(args, options.config, io);
  if (loadSpec) return verifyUnderLoad(command, options, io, loadSpec, statics);
  const before: number[] = [];
  let first = await traceCommand(command, io, { quiet: true });
  const runtime = analyzeRuntime(first.trace, statics.groups);
  const suggestions = joinSuggestions(runtime, statics.findings, statics.groupFinding);
  const chosen = suggestions[options.suggestion - 1];
  if (!chosen) throw new OverlapError('OVERLAP_USAGE', `there is no suggestion ${options.suggestion} (the audit found ${suggestions.length})`);
  const finding = chosen.staticFinding;
  if (!finding?.suggestion) {
    throw new OverlapError('OVERLAP_USAGE', `suggestion ${options.suggestion} (${chosen.kind}) has no automatic rewrite to verify`);
  }
  const labels = rootsRunning(first.trace, chosen.sites);
  before.push(mean(rootDurations(first.trace, labels)));
  for (let i = 1; i < options.runs; i++) {
    first = await traceCommand(command, io, { quiet: true });
    before.push(mean(rootDurations(first.trace, labels)));
  }

  const copy = copyProject(io.cwd);
  try {
    const target = join(copy, finding.file);
    writeFileSync(target, applyEdits(readFileSync(target, 'utf8').replace(/^\uFEFF/u, ''), finding.suggestion.edits));
    const moved = command.map((arg) => movePath(arg, io.cwd, copy));
    const after: number[] = [];
    let afterCode: number | null | undefined = null;
    for (let i = 0; i < options.runs; i++) {
      const run = await traceCommand(moved, io, { quiet: true, cwd: copy });
      afterCode = run.exitCode;
      // Sites are matched by relative position: the copy has the same layout.
      const sites = chosen.sites.map((s) => ({ ...s, file: movePath(s.file, io.cwd, copy) }));
      after.push(mean(rootDurations(run.trace, rootsRunning(run.trace, sites).size > 0 ? rootsRunning(run.trace, sites) : labels)));
    }
    const result: VerifyResult = {
      suggestion: { rank: chosen.rank, kind: chosen.kind, sites: chosen.sites.map((s) => ({ file: relative(io.cwd, s.file).split(sep).join('/'), line: s.line })) },
      roots: [...labels],
      predictedSavingMs: chosen.predictedSavingMs,
      predictedPerRootMs: chosen.perRootMs,
      measuredPerRootMs: round(mean(before) - mean(after)),
      missingRuns: [...before, ...after].filter((ms) => !Number.isFinite(ms)).length,
      beforeMs: before.filter(Number.isFinite).map(round),
      afterMs: after.filter(Number.isFinite).map(round),
      exitCodes: { before: first.exitCode ?? null, after: afterCode ?? null },
    };
    io.stdout.write(options.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderVerify(result));
    return result.exitCodes.before === result.exitCodes.after ? 0 : 1;
  } finally {
    rmSync(dirname(copy), { recursive: true, force: true });
  }
}

function renderVerify(r: VerifyResult): string {
  const error = r.measuredPerRootMs - r.predictedPerRootMs;
  const lines = [
    `Suggestion ${r.suggestion.rank} (${r.suggestion.kind}) at ${r.suggestion.sites.map((s) => `${s.file}:${s.line}`).join(', ')}`,
    `  roots measured:  ${r.roots.join(', ') || '(none ran the sites)'}`,
    `  before (ms):     ${r.beforeMs.join(', ')}`,
    `  after (ms):      ${r.afterMs.join(', ')}`,
    `  predicted:       ${r.predictedPerRootMs} ms per root (${r.predictedSavingMs} ms in total)`,
    `  measured:        ${r.measuredPerRootMs} ms per root (${error >= 0 ? '+' : ''}${round(error)} ms against the prediction)`,
  ];
  if (r.exitCodes.before !== r.exitCodes.after) lines.push(`  the rewritten program exited with ${r.exitCodes.after}, the original with ${r.exitCodes.before}`);
  return `${lines.join('\n')}\n`;
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
