import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { analyzeRuntime, type ClosedLoad, type RuntimeAnalysis } from '@overlap/runtime-analysis';
import { toChromeTrace, type Trace } from '@overlap/tracer';
import { stripBom } from '../analysis/resolver.js';
import { useColor } from '../check/terminal.js';
import type { CliIO } from '../command.js';
import type { FailOn } from '../config/types.js';
import { OverlapError } from '../errors.js';
import { gateExitCode } from '../report/gate.js';
import { reportVersion, summarize } from '../report/model.js';
import type { ReporterContext } from '../reporters/index.js';
import { toolVersion } from '../version.js';
import { joinSuggestions, toAuditJson, type AuditReport } from './report.js';
import { staticFindings } from './static-findings.js';
import { renderAuditText } from './text.js';
import { candidateInputs } from './trace-candidates.js';
import { loadTrace, traceCommand, type TracedRun } from './trace-source.js';
import { describeLoad, parseLoadSpec, runUnderLoad, type LoadResult, type LoadSpec } from './load.js';

export interface AuditOptions {
  readonly trace?: string;
  readonly saveTrace?: string;
  readonly format: string;
  readonly output?: string;
  readonly config?: string;
  readonly failOn?: FailOn;
  readonly maxCriticalMs?: number;
  readonly maxPredictedSavingMs?: number;
  readonly baselineTrace?: string;
  readonly tolerance: number;
  readonly root?: string;
  readonly cpuProfile?: boolean;
  readonly color?: boolean;
  readonly chrome?: string;
  readonly load?: string;
  readonly connections?: number;
  readonly duration?: number;
  readonly listenTimeout?: number;
  readonly '--'?: readonly string[];
}

export const auditFormats = ['text', 'json', 'html'] as const;

/** `overlap audit`: trace (or read a trace) -> static findings -> join and simulate -> report -> gate. */
export async function runAudit(args: readonly string[], options: AuditOptions, io: CliIO): Promise<number> {
  const command = options['--'] ?? [];
  if (!(auditFormats as readonly string[]).includes(options.format)) throw new OverlapError('OVERLAP_USAGE', `unknown format "${options.format}" (audit: ${auditFormats.join(', ')})`);
  if (options.trace && command.length > 0) throw new OverlapError('OVERLAP_USAGE', 'give either --trace <file> or a command after --, not both');
  if (!options.trace && command.length === 0) throw new OverlapError('OVERLAP_USAGE', 'audit needs a trace: --trace <file>, or a command to run after -- (overlap audit -- node app.js)');
  if (options.format === 'html' && !options.output) throw new OverlapError('OVERLAP_USAGE', '--format html needs --output <file>');

  const loadSpec = parseLoadSpec(options, command.length > 0 ? command.join(' ') : '');
  if (loadSpec && options.trace) throw new OverlapError('OVERLAP_USAGE', '--load runs the program: give a command after --, not --trace');

  const cpuProfile = options.cpuProfile === true;
  let trace: Trace;
  let load: LoadResult | undefined;
  if (options.trace) trace = await loadTrace(options.trace, io);
  else if (loadSpec) {
    const run = await traceUnderLoad(command, io, loadSpec, { save: options.saveTrace, cpuProfile });
    trace = run.trace;
    load = run.load;
    io.stderr.write(`overlap: load ${describeLoad(load)}\n`);
  } else trace = (await traceCommand(command, io, { save: options.saveTrace, cpuProfile })).trace;
  if (options.chrome) writeChrome(resolve(io.cwd, options.chrome), trace);
  const started = performance.now();
  const statics = await staticFindings(args, options.config, io);
  const candidates = candidateInputs(trace, statics, io.cwd);
  const runtime = analyzeRuntime(trace, statics.groups, {
    awaitGraphs: candidates.graphs,
    ...(options.root !== undefined ? { root: options.root } : {}),
    ...(load ? { load: closedLoad(load) } : {}),
    timelines: options.format === 'html',
  });
  if (options.root !== undefined && !runtime.slowest) throw new OverlapError('OVERLAP_USAGE', `no root matches --root "${options.root}" (routes: ${runtime.routes.map((r) => r.route).slice(0, 8).join(', ') || 'none'})`);
  const baseline = options.baselineTrace ? analyzeRuntime(await loadTrace(options.baselineTrace, io)) : undefined;
  const gate = runtimeGate(runtime, options, baseline);
  const report: AuditReport = {
    cwd: io.cwd,
    findings: statics.findings,
    files: statics.files,
    durationMs: Math.round(performance.now() - started),
    runtime,
    suggestions: joinSuggestions(runtime, statics.findings, statics.groupFinding, { cwd: io.cwd, rewrites: candidates.rewrites }),
    gate,
    cpuProfile: trace.parts.some((part) => part.profile !== null),
    ...(load ? { load } : {}),
  };

  const output = options.output ? resolve(io.cwd, options.output) : undefined;
  const context: ReporterContext = {
    cwd: io.cwd,
    color: useColor(io, options.color, output !== undefined),
    readSource: (file) => readSource(resolve(io.cwd, file)),
  };
  let rendered: string;
  if (options.format === 'json') rendered = `${JSON.stringify(toAuditJson(report), null, 2)}\n`;
  else if (options.format === 'html') rendered = (await import('../reporters/html/index.js')).renderAuditHtml(report, context);
  else rendered = renderAuditText(report, context);
  if (output) {
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, rendered);
  } else io.stdout.write(rendered);
  if (output && gate.length > 0) for (const line of gate) io.stderr.write(`overlap: ${line}\n`);

  const staticExit = gateExitCode(
    {
      version: reportVersion,
      tool: { name: 'overlap', version: toolVersion },
      findings: statics.findings,
      errors: [],
      summary: summarize(statics.findings, statics.files, { baselined: 0, unparsed: 0, durationMs: 0 }),
    },
    { failOn: options.failOn ?? statics.failOn ?? 'error', maxFindings: undefined },
  );
  return gate.length > 0 ? 1 : staticExit;
}

/** The runtime CI gate: each failed condition as one line. */
export function runtimeGate(runtime: RuntimeAnalysis, options: Pick<AuditOptions, 'maxCriticalMs' | 'maxPredictedSavingMs' | 'tolerance'>, baseline?: RuntimeAnalysis): string[] {
  const failures: string[] = [];
  const total = Math.round(runtime.totalMs * 10) / 10;
  if (options.maxCriticalMs !== undefined && runtime.totalMs > options.maxCriticalMs) {
    failures.push(`critical path of the slowest root is ${total} ms, above --max-critical-ms ${options.maxCriticalMs}`);
  }
  const leftOnTable = runtime.suggestions.filter((s) => s.predictedSavingMs > 0).reduce((sum, s) => sum + s.predictedSavingMs, 0);
  if (options.maxPredictedSavingMs !== undefined && leftOnTable > options.maxPredictedSavingMs) {
    failures.push(`${Math.round(leftOnTable * 10) / 10} ms of predicted saving left on the table, above --max-predicted-saving-ms ${options.maxPredictedSavingMs}`);
  }
  if (baseline) {
    const limit = baseline.totalMs * (1 + options.tolerance / 100);
    if (runtime.totalMs > limit) {
      failures.push(
        `critical path regressed: ${total} ms against ${Math.round(baseline.totalMs * 10) / 10} ms in the baseline trace (tolerance ${options.tolerance}%)`,
      );
    }
  }
  return failures;
}

/** Runs the command traced under load (see load.ts): the trace of the whole run, and what the load measured. */
export async function traceUnderLoad(command: readonly string[], io: CliIO, spec: LoadSpec, options: { save?: string | undefined; cwd?: string; quiet?: boolean; cpuProfile?: boolean } = {}): Promise<TracedRun & { load: LoadResult }> {
  const { load, exit } = await runUnderLoad(spec, io.env, (env, stop) =>
    traceCommand(command, io, { ...options, env, stop }).then((run) => ({ code: run.exitCode ?? null, signal: run.signal ?? null, run })),
  );
  return { ...exit.run, load };
}

/** What the queueing model needs from a load run: a closed loop of this many connections, and how busy the loop was. */
export function closedLoad(load: LoadResult): ClosedLoad {
  return { connections: load.connections, ...(load.utilisation !== null ? { utilisation: load.utilisation } : {}) };
}

function writeChrome(file: string, trace: Trace): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(toChromeTrace(trace)));
  } catch (error) {
    throw new OverlapError('OVERLAP_IO', `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function readSource(path: string): string | undefined {
  try {
    return stripBom(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
