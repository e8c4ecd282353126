import { spawn, type StdioOptions } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ENV_CPU_PROFILE, ENV_OUT, ENV_SESSION } from '../format.js';
import { toChromeTrace } from '../read/chrome.js';
import { readTrace } from '../read/read-trace.js';
import { headerLine } from '../runtime/sink.js';

export interface RunTracedOptions {
  /** Program to run: `node`, or any command that ends up running Node (`npm`, `tsx`). */
  command: string;
  args?: readonly string[];
  /** Trace file (NDJSON), created or truncated. */
  out: string;
  /** Also write Chrome Trace Event JSON here once the program ends. */
  chrome?: string;
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Defaults to 'inherit': the program's output goes where it would without the tracer. */
  stdio?: StdioOptions;
  /** Instrument code under node_modules too. */
  nodeModules?: boolean;
  /** Also record a V8 sampling CPU profile (1 ms), charged by the reader to the CPU segments it falls in. */
  cpuProfile?: boolean;
  /**
   * While the program runs, SIGINT is ignored by the runner (the terminal sends it to the program too)
   * and SIGTERM/SIGHUP are passed on to it, so the runner outlives the program and completes the trace.
   * Default true.
   */
  forwardSignals?: boolean;
  /** When aborted, the program is sent SIGTERM (a server stopped once its load has run: `overlap audit --load`). */
  stop?: AbortSignal;
}

export interface RunTracedResult {
  /** Exit code of the program, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  chrome?: string;
}

/**
 * Absolute file URL of the register entry: the built one-file bundle (also when this module runs from src in
 * tests), else the unbundled entry.
 */
export function registerUrl(): string {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  for (const file of ['dist/bundle/register.js', 'dist/register.js']) {
    const path = resolve(root, file);
    if (existsSync(path)) return pathToFileURL(path).href;
  }
  return pathToFileURL(resolve(root, 'dist/register.js')).href;
}

/** NODE_OPTIONS with the tracer's `--import` appended (a file URL: spaces and quotes are percent-encoded). */
export function withTracerImport(nodeOptions: string | undefined): string {
  const flag = `--import=${registerUrl()}`;
  return nodeOptions && nodeOptions.trim().length > 0 ? `${nodeOptions} ${flag}` : flag;
}

/**
 * Runs a command with the tracer injected through NODE_OPTIONS, so every Node process it starts (and
 * every worker thread) writes its own part of one trace file. Resolves when the program has ended; never
 * rejects for the program's own failure (its exit code or signal is in the result).
 */
export async function runTraced(options: RunTracedOptions): Promise<RunTracedResult> {
  const cwd = options.cwd ?? process.cwd();
  const out = resolve(cwd, options.out);
  writeFileSync(out, headerLine('@overlap/tracer 0.1.0'));
  const base = options.env ?? process.env;
  const env: Record<string, string | undefined> = {
    ...base,
    [ENV_OUT]: out,
    [ENV_SESSION]: 'runner',
    NODE_OPTIONS: withTracerImport(base['NODE_OPTIONS']),
  };
  if (options.nodeModules) env['OVERLAP_TRACE_NODE_MODULES'] = '1';
  if (options.cpuProfile) env[ENV_CPU_PROFILE] = '1';

  const child = spawn(options.command, [...(options.args ?? [])], { cwd, env, stdio: options.stdio ?? 'inherit' });
  const stop = () => {
    child.kill('SIGTERM');
  };
  if (options.stop?.aborted) stop();
  else options.stop?.addEventListener('abort', stop, { once: true });
  const forward = options.forwardSignals !== false;
  const ignore = () => {};
  const pass = (signal: NodeJS.Signals) => () => {
    child.kill(signal);
  };
  const onTerm = pass('SIGTERM');
  const onHup = pass('SIGHUP');
  if (forward) {
    process.on('SIGINT', ignore);
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
  }
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done, fail) => {
    child.once('error', fail);
    child.once('exit', (c, s) => done({ code: c, signal: s }));
  }).finally(() => {
    options.stop?.removeEventListener('abort', stop);
    if (forward) {
      process.removeListener('SIGINT', ignore);
      process.removeListener('SIGTERM', onTerm);
      process.removeListener('SIGHUP', onHup);
    }
  });

  if (signal !== null && child.pid !== undefined) {
    // The program died with its signal's default action (the tracer installs no handler): say so.
    appendFileSync(out, JSON.stringify({ type: 'end', by: 'runner', pid: child.pid, tid: 0, signal, code }) + '\n');
  }
  const result: RunTracedResult = { code, signal, out };
  if (options.chrome) {
    const chrome = resolve(cwd, options.chrome);
    await writeFile(chrome, JSON.stringify(toChromeTrace(await readTrace(out))));
    result.chrome = chrome;
  }
  return result;
}
