import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { applyEdits } from '@overlap/core';
import { analyzeRuntime, type RouteSaving, type Throughput } from '@overlap/runtime-analysis';
import type { CliIO } from '../command.js';
import { OverlapError } from '../errors.js';
import { describeLoad, runPlain, runUnderLoad, type LoadResult, type LoadSpec } from './load.js';
import { joinSuggestions } from './report.js';
import { closedLoad, traceUnderLoad } from './run-audit.js';
import { copyProject, movePath, type VerifyOptions } from './run-verify.js';
import type { StaticResult } from './static-findings.js';

/** `overlap verify --load`: the prediction from a traced run under load against untraced runs under the same load. */
export interface LoadVerifyResult {
  readonly suggestion: { readonly rank: number; readonly kind: string; readonly sites: ReadonlyArray<{ readonly file: string; readonly line: number }> };
  readonly load: { readonly target: string; readonly connections: number; readonly durationS: number };
  /** Mean per request over the requests in which the sites ran, and route by route. */
  readonly predictedPerRequestMs: number;
  readonly predictedPerRoute: readonly RouteSaving[];
  readonly predictedThroughput: Throughput | null;
  /** The traced run the prediction came from. */
  readonly traced: LoadResult;
  readonly before: readonly LoadResult[];
  readonly after: readonly LoadResult[];
  /** Mean latency per request before minus after (ms), untraced, as the load generator measured it. */
  readonly measuredPerRequestMs: number;
  readonly measuredThroughput: { readonly beforePerSec: number; readonly afterPerSec: number };
  readonly exitCodes: { readonly before: string; readonly after: string };
}

const round = (value: number) => Math.round(value * 10) / 10;
const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);

export async function verifyUnderLoad(command: readonly string[], options: VerifyOptions, io: CliIO, spec: LoadSpec, statics: StaticResult): Promise<number> {
  const traced = await traceUnderLoad(command, io, spec, { quiet: true });
  const runtime = analyzeRuntime(traced.trace, statics.groups, { load: closedLoad(traced.load) });
  const suggestions = joinSuggestions(runtime, statics.findings, statics.groupFinding);
  const chosen = suggestions[options.suggestion - 1];
  if (!chosen) throw new OverlapError('OVERLAP_USAGE', `there is no suggestion ${options.suggestion} (the audit under load found ${suggestions.length})`);
  const finding = chosen.staticFinding;
  if (!finding?.suggestion) throw new OverlapError('OVERLAP_USAGE', `suggestion ${options.suggestion} (${chosen.kind}) has no automatic rewrite to verify`);

  const copy = copyProject(io.cwd);
  try {
    const target = join(copy, finding.file);
    writeFileSync(target, applyEdits(readFileSync(target, 'utf8').replace(/^\uFEFF/u, ''), finding.suggestion.edits));
    const moved = command.map((arg) => movePath(arg, io.cwd, copy));
    const before: LoadResult[] = [];
    const after: LoadResult[] = [];
    const exits = { before: '', after: '' };
    const describe = (exit: { code: number | null; signal: NodeJS.Signals | null }) => (exit.signal ? exit.signal : `code ${exit.code}`);
    // Alternating, so drift in the machine's load hits both sides alike.
    for (let i = 0; i < options.runs; i++) {
      const b = await runUnderLoad(spec, io.env, (env, stop) => runPlain(command, io.cwd, env, stop));
      before.push(b.load);
      exits.before = describe(b.exit);
      const a = await runUnderLoad(spec, io.env, (env, stop) => runPlain(moved, copy, env, stop));
      after.push(a.load);
      exits.after = describe(a.exit);
    }
    const result: LoadVerifyResult = {
      suggestion: { rank: chosen.rank, kind: chosen.kind, sites: chosen.sites.map((s) => ({ file: relative(io.cwd, s.file).split(sep).join('/'), line: s.line })) },
      load: { target: spec.target, connections: spec.connections, durationS: spec.durationS },
      predictedPerRequestMs: chosen.perRootMs,
      predictedPerRoute: chosen.perRoute,
      predictedThroughput: chosen.throughput,
      traced: traced.load,
      before,
      after,
      measuredPerRequestMs: round(mean(before.map((r) => r.latency.mean)) - mean(after.map((r) => r.latency.mean))),
      measuredThroughput: { beforePerSec: round(mean(before.map((r) => r.perSec))), afterPerSec: round(mean(after.map((r) => r.perSec))) },
      exitCodes: exits,
    };
    io.stdout.write(options.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderLoadVerify(result));
    return exits.before === exits.after ? 0 : 1;
  } finally {
    rmSync(dirname(copy), { recursive: true, force: true });
  }
}

function renderLoadVerify(r: LoadVerifyResult): string {
  const error = r.measuredPerRequestMs - r.predictedPerRequestMs;
  const runs = (list: readonly LoadResult[]) => list.map((x) => `${round(x.latency.mean)} ms at ${round(x.perSec)}/s`).join(', ');
  const t = r.predictedThroughput;
  const lines = [
    `Suggestion ${r.suggestion.rank} (${r.suggestion.kind}) at ${r.suggestion.sites.map((s) => `${s.file}:${s.line}`).join(', ')}`,
    `  load:            ${r.load.target}, ${r.load.connections} connections, ${r.load.durationS} s per run`,
    `  traced run:      ${describeLoad(r.traced)}`,
    `  before:          ${runs(r.before)} (untraced; mean latency per request at requests/s)`,
    `  after:           ${runs(r.after)}`,
    `  predicted:       ${r.predictedPerRequestMs} ms per request${r.predictedPerRoute.length > 0 ? ` (${r.predictedPerRoute.map((x) => `${x.route} ${x.perRootMs} ms`).join(', ')})` : ''}${t ? `; throughput ${t.beforePerSec} -> ${t.afterPerSec}/s traced` : ''}`,
    `  measured:        ${r.measuredPerRequestMs} ms per request (${error >= 0 ? '+' : ''}${round(error)} ms against the prediction); throughput ${r.measuredThroughput.beforePerSec} -> ${r.measuredThroughput.afterPerSec}/s`,
  ];
  if (r.exitCodes.before !== r.exitCodes.after) lines.push(`  the rewritten program ended with ${r.exitCodes.after}, the original with ${r.exitCodes.before}`);
  return `${lines.join('\n')}\n`;
}
