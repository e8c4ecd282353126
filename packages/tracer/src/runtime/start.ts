import { writeSync } from 'node:fs';
import { register } from 'node:module';
import { resolve } from 'node:path';
import { ENV_CPU_PROFILE, ENV_NODE_MODULES, ENV_OUT, ENV_SESSION, ENV_TEXT, RUNTIME_KEY } from '../format.js';
import { hookCommonJs } from '../hooks/cjs.js';
import { entryFormat } from '../hooks/esm-entry.js';
import { subscribeChannels } from './channels.js';
import { startCpuProfile } from './cpu-profile.js';
import { watchHangs } from './hangs.js';
import { wrapPromiseApisLazily } from './promise-apis.js';
import { importPreloads, laterPreloads, otherEsmPreloads } from './preloads.js';
import { nowUs, Recorder, type Frame } from './recorder.js';
import { Resources } from './resources.js';
import { Sink } from './sink.js';
import { installStackFormatter } from './stack-columns.js';
import { currentThread } from './thread.js';

const TOOL = '@overlap/tracer 0.1.0';
/** Default trace file when OVERLAP_TRACE_OUT is not set. */
export const DEFAULT_OUT = 'overlap-trace.ndjson';
const FLUSH_MS = 100;

let warned = false;
function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  try {
    writeSync(2, `overlap tracer: ${message}; the program runs on untraced\n`);
  } catch {
    // stderr closed: nothing more to do
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Starts tracing this thread: opens its part of the trace, publishes the runtime on globalThis (keyed by
 * Symbol.for, so a second copy of the package reuses it), installs the module hooks and Node's channels.
 * Never throws: a failure is reported once on stderr and the program runs untraced.
 */
export async function startTracer(selfUrl: string, preloadedBy: 'import' | 'require' = 'import'): Promise<void> {
  // The real process object and pid: a program (a test fixture) may replace `globalThis.process` later.
  const proc = process;
  const pid = proc.pid;
  const key = Symbol.for(RUNTIME_KEY);
  const g = globalThis as Record<symbol, unknown>;
  if (g[key] !== undefined) return;

  const { isMainThread, threadId } = currentThread();
  const out = resolve(process.env[ENV_OUT] || DEFAULT_OUT);
  const owner = isMainThread && !process.env[ENV_SESSION];
  let rec: Recorder | undefined;
  let sink: Sink;
  try {
    sink = Sink.open(
      out,
      owner,
      TOOL,
      (error) => {
        if (rec) rec.on = false;
        warnOnce(`cannot write the trace to ${out}: ${reason(error)}`);
      },
      nowUs,
      threadId,
      process.env[ENV_TEXT] !== '1',
    );
  } catch (error) {
    warnOnce(`cannot open the trace file ${out}: ${reason(error)}`);
    return;
  }
  if (owner) {
    // Children and workers append to this very file, even when they run in another working directory.
    process.env[ENV_SESSION] = String(process.pid);
    process.env[ENV_OUT] = out;
  }
  rec = new Recorder(sink);
  const recorder = rec;

  sink.line(
    JSON.stringify({
      type: 'part',
      pid,
      tid: threadId,
      ppid: process.ppid,
      main: isMainThread,
      origin: globalThis.performance.timeOrigin,
      entry: process.argv[1] ?? null,
      node: process.version,
    }) + '\n',
  );
  // The part exists on disk from the start, even if a signal ends the process before the first flush.
  sink.flush();
  g[key] = recorder;

  try {
    const nodeModules = process.env[ENV_NODE_MODULES] === '1';
    installStackFormatter();
    // Nothing is awaited unless other loaders follow: a `--require` preload must have its CommonJS hook in place
    // before it returns, since Node then loads a CommonJS entry synchronously.
    const later = laterPreloads(selfUrl, preloadedBy);
    if (later.length > 0) await importPreloads(later);
    // Read after the later preloads ran: tsx turns source maps on (process.setSourceMapsEnabled) when it loads.
    const sourceMaps = process.sourceMapsEnabled === true;
    const cjs = hookCommonJs({ nodeModules, sourceMaps });
    // ESM loader hooks run on a thread of their own on Node 20 (about 100 ms of CPU to start): only where an ES
    // module will be loaded. `node -e`, `-p` and the REPL evaluate a string, which no load hook sees anyway; a
    // CommonJS program gets them just before it compiles a file that may reach the ES module loader.
    const registerEsmHooks = (): void => {
      try {
        register(new URL('../hooks/esm-hooks.js', import.meta.url), { data: { nodeModules, sourceMaps } });
      } catch (error) {
        warnOnce(`cannot install its ES module hooks: ${reason(error)}`);
      }
    };
    if (!isMainThread) registerEsmHooks();
    else if (hasEntryFile(process.argv, process.execArgv)) {
      if (otherEsmPreloads(selfUrl) || entryFormat(process.argv[1]!) !== 'commonjs') registerEsmHooks();
      else cjs.beforeEsm = registerEsmHooks;
    }
    const resources = new Resources(recorder);
    subscribeChannels(recorder, resources);
    recorder.onFirstModule = wrapPromiseApisLazily(resources);
  } catch (error) {
    warnOnce(`cannot install its hooks: ${reason(error)}`);
  }

  let stopProfile: (() => string | undefined) | undefined;
  if (proc.env[ENV_CPU_PROFILE] === '1') {
    try {
      stopProfile = await startCpuProfile();
    } catch (error) {
      try {
        writeSync(2, `overlap tracer: cannot record a CPU profile: ${reason(error)}; tracing goes on without it\n`);
      } catch {
        // stderr closed
      }
    }
  }

  // Streaming: the buffer goes to disk at least every FLUSH_MS, so a signal that kills the process with its
  // default action (the tracer installs no signal handler) loses at most that much of the trace.
  const hangs = watchHangs(recorder);
  let tick = 0;
  everyFlushInterval(() => {
    try {
      if (++tick % 10 === 0) hangs();
      sink.flush();
    } catch {
      // never throw into the host
    }
  });

  onProcessExit(proc, (code) => {
    try {
      hangs();
      // process.exit called from user code: the frames on that call's chain were not hung, they were cut short.
      const exit = exitChain(recorder.cur);
      for (const f of recorder.live) if (f.pend >= 0) sink.pending(f.id, f.pend, f.ts);
      const profile = stopProfile?.();
      if (profile !== undefined) sink.line(`{"type":"profile","pid":${pid},"tid":${threadId},${profile.slice(1)}\n`);
      sink.line(
        JSON.stringify({ type: 'end', pid, tid: threadId, t: nowUs(), code, live: recorder.live.size, dropped: sink.dropped, exit }) + '\n',
      );
      sink.direct = true;
      sink.flush();
    } catch {
      // never throw into the host
    }
  });
}

/** False for `node -e`, `node -p`, `node -` and the REPL: no entry file for loader hooks to see. */
export function hasEntryFile(argv: readonly string[], execArgv: readonly string[]): boolean {
  if (execArgv.some((arg) => /^(?:-[ep]+|--eval|--print)(?:=|$)/.test(arg))) return false;
  return argv[1] !== undefined && argv[1] !== '-';
}

/** The frame running when the process exits (it called `process.exit`), then its callers. Empty at a natural end. */
function exitChain(cur: Frame | null): number[] {
  const ids: number[] = [];
  for (let f = cur; f !== null && ids.length < 256; f = f.parent) ids.push(f.id);
  return ids;
}

/**
 * Runs `fn` once, after the program's own 'exit' listeners (normal end, `process.exit`, uncaught exception), without
 * adding a listener: one more 'exit' listener is visible (`listenerCount`) and can tip a program at the limit
 * into a MaxListenersExceededWarning. Node emits 'exit' through `process.emit`, so that is wrapped instead. An 'exit'
 * listener that calls `process.exit` itself (tape does) ends the process inside the emit, in `process.reallyExit`,
 * before the emit returns: that is wrapped too. `proc` is the real process object, kept at startup: a program may
 * replace `globalThis.process` with a fake one.
 */
function onProcessExit(proc: NodeJS.Process, fn: (code: unknown) => void): void {
  let done = false;
  const once = (code: unknown): void => {
    if (done) return;
    done = true;
    fn(code);
  };
  const original = proc.emit;
  const emit = function (this: unknown, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'exit' || done) return (original as (...a: unknown[]) => boolean).call(this, event, ...args);
    try {
      return (original as (...a: unknown[]) => boolean).call(this, event, ...args);
    } finally {
      once(args[0] ?? proc.exitCode ?? 0);
    }
  };
  proc.emit = emit as typeof proc.emit;
  const host = proc as unknown as { reallyExit?: (code?: number) => never };
  const reallyExit = host.reallyExit;
  if (typeof reallyExit === 'function') {
    const wrapped = function (this: unknown, code?: number): never {
      try {
        once(code ?? proc.exitCode ?? 0);
      } catch {
        // never stand between the program and its exit
      }
      return reallyExit.call(this, code);
    };
    Object.defineProperty(wrapped, 'name', { value: reallyExit.name });
    host.reallyExit = wrapped;
  }
}

/**
 * Calls `fn` every FLUSH_MS without a JavaScript timer: a timer list of ours would make Node drain microtasks
 * between its timer lists (`runNextTicks` in `processTimers`), which moves the program's promise continuations
 * and changes their stacks. An `Atomics.waitAsync` timeout is a V8 task outside Node's timer lists, and it does
 * not keep the process alive. Falls back to an unref'd interval where `waitAsync` is missing.
 */
function everyFlushInterval(fn: () => void): void {
  const waitAsync = (Atomics as unknown as { waitAsync?: (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: unknown } }).waitAsync;
  if (typeof waitAsync !== 'function') {
    setInterval(fn, FLUSH_MS).unref();
    return;
  }
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const arm = (): void => {
    const result = waitAsync(cell, 0, 0, FLUSH_MS);
    if (!result.async) {
      setTimeout(arm, FLUSH_MS).unref();
      return;
    }
    void (result.value as Promise<unknown>).then(() => {
      fn();
      arm();
    });
  };
  arm();
}
