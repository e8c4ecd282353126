import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage } from 'node:http';
import { OverlapError } from '../errors.js';

/** `--load <path-or-url> [--connections N] [--duration S]`, as `audit` and `verify` take it. */
export interface LoadSpec {
  /** A path (`/users/1`: sent to the first port the program listened on, over loopback) or an http(s) URL. */
  readonly target: string;
  readonly connections: number;
  readonly durationS: number;
  /** How long the program may take to listen. */
  readonly listenTimeoutS: number;
}

/** What one load run measured, from the load generator's side and the program's event loop. */
export interface LoadResult {
  readonly url: string;
  readonly connections: number;
  readonly durationS: number;
  readonly requests: number;
  readonly perSec: number;
  /** Per request, as the load generator saw it (ms). */
  readonly latency: { readonly mean: number; readonly p50: number; readonly p99: number };
  readonly errors: number;
  readonly non2xx: number;
  /** Event-loop utilisation of the listening process while the load ran (0..1), from `performance.eventLoopUtilization`. */
  readonly utilisation: number | null;
  /**
   * Wall time the event loop was busy per millisecond of CPU the process got (1 on an idle machine). On a machine
   * shared with other work the loop's CPU steps take this many times longer; `latency.mean / slowdown` is then
   * what a saturated server's latency would be with a core to itself.
   */
  readonly slowdown: number | null;
}

/** How the program is started: traced (`runTraced`) or not; it must send SIGTERM when `stop` aborts. */
export type StartProgram = (env: Record<string, string | undefined>, stop: AbortSignal) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

export interface LoadedRun<T> {
  readonly load: LoadResult;
  readonly exit: T;
}

const POLL_MS = 50;
/** A program that handles SIGTERM and stays up gets this long before the run is called stuck. */
const EXIT_TIMEOUT_MS = 20_000;

export function parseLoadSpec(options: { load?: string; connections?: number; duration?: number; listenTimeout?: number }, command: string): LoadSpec | undefined {
  if (options.load === undefined) {
    if (options.connections !== undefined || options.duration !== undefined || options.listenTimeout !== undefined) {
      throw new OverlapError('OVERLAP_USAGE', '--connections, --duration and --listen-timeout need --load <path-or-url>');
    }
    return undefined;
  }
  const target = options.load;
  if (!target.startsWith('/') && !/^https?:\/\//u.test(target)) throw new OverlapError('OVERLAP_USAGE', `--load takes a path (/users/1) or an http(s) URL, not "${target}"`);
  const connections = options.connections ?? 10;
  const durationS = options.duration ?? 10;
  if (connections < 1) throw new OverlapError('OVERLAP_USAGE', '--connections must be at least 1');
  if (durationS < 1) throw new OverlapError('OVERLAP_USAGE', '--duration must be at least 1 (seconds)');
  // A traced start-up instruments every module it loads: 30 s by default.
  const listenTimeoutS = options.listenTimeout ?? 30;
  if (listenTimeoutS < 1) throw new OverlapError('OVERLAP_USAGE', '--listen-timeout must be at least 1 (seconds)');
  if (command.length === 0) throw new OverlapError('OVERLAP_USAGE', '--load needs the server to run after --');
  return { target, connections, durationS, listenTimeoutS };
}

/** The probe preloaded into the program: reports listening ports and event-loop utilisation. */
function probePath(): string {
  // src/audit/load.ts and dist/audit/load.js are both two folders below the package root.
  return fileURLToPath(new URL('../../preload/listen-probe.cjs', import.meta.url));
}

/** NODE_OPTIONS with the probe's `--require` appended (quoted: the path may hold spaces). */
function withProbe(nodeOptions: string | undefined): string {
  const flag = `--require ${JSON.stringify(probePath())}`;
  return nodeOptions && nodeOptions.trim().length > 0 ? `${nodeOptions} ${flag}` : flag;
}

interface ProbeRecord {
  readonly pid: number;
  readonly port?: number;
  readonly address?: string;
  readonly family?: string;
  readonly t?: number;
  readonly active?: number;
  readonly idle?: number;
  readonly cpu?: number;
  readonly inflight?: number;
}

function readProbe(file: string): ProbeRecord[] {
  if (!existsSync(file)) return [];
  const out: ProbeRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as ProbeRecord);
    } catch {
      // A line being written as we read: the next poll sees it whole.
    }
  }
  return out;
}

/** Loopback URL of a listening address: `::` and `0.0.0.0` (every interface) are reached on 127.0.0.1. */
function loopbackBase(record: ProbeRecord): string {
  const everywhere = !record.address || record.address === '0.0.0.0' || record.address === '::';
  const host = everywhere ? '127.0.0.1' : record.family === 'IPv6' ? `[${record.address}]` : record.address;
  return `http://${host}:${record.port}`;
}

/** Event-loop utilisation of `pid` between two wall-clock times, and the loop's slowdown, from the probe's cumulative samples. */
export function utilisationBetween(records: readonly ProbeRecord[], pid: number, from: number, to: number): { utilisation: number | null; slowdown: number | null } {
  const samples = records.filter((r) => r.pid === pid && r.t !== undefined && r.active !== undefined && r.idle !== undefined);
  const before = samples.filter((r) => r.t! <= from).at(-1) ?? samples[0];
  const after = samples.filter((r) => r.t! <= to).at(-1);
  if (!before || !after || after.t! <= before.t!) return { utilisation: null, slowdown: null };
  const active = after.active! - before.active!;
  const idle = after.idle! - before.idle!;
  const cpu = after.cpu !== undefined && before.cpu !== undefined ? after.cpu - before.cpu : 0;
  return {
    utilisation: active + idle > 0 ? Math.min(1, Math.max(0, active / (active + idle))) : null,
    slowdown: cpu > 0 && active > 0 ? active / cpu : null,
  };
}

/**
 * Starts the program with the probe preloaded, waits until it listens, drives the load with autocannon, then stops
 * the program with SIGTERM and waits for it to end. Each way this can fail is one line: the program exits before it
 * listens or while under load, never listens, the URL cannot be reached.
 */
export async function runUnderLoad<T extends { code: number | null; signal: NodeJS.Signals | null; stderr?: string }>(
  spec: LoadSpec,
  env: Readonly<Record<string, string | undefined>>,
  start: (env: Record<string, string | undefined>, stop: AbortSignal) => Promise<T>,
): Promise<LoadedRun<T>> {
  const dir = mkdtempSync(join(tmpdir(), 'overlap-load-'));
  const probe = join(dir, 'probe.ndjson');
  const stop = new AbortController();
  let exited: T | undefined;
  let failed: unknown;
  const running = start({ ...env, OVERLAP_LOAD_PROBE: probe, NODE_OPTIONS: withProbe(env['NODE_OPTIONS']) }, stop.signal).then(
    (result) => {
      exited = result;
      return result;
    },
    (error: unknown) => {
      failed = error;
      throw error;
    },
  );
  running.catch(() => {});
  const ended = (): string | undefined => {
    if (failed !== undefined) throw failed;
    if (!exited) return undefined;
    const how = exited.signal ? `was ended by ${exited.signal}` : `exited with code ${exited.code}`;
    const said = exited.stderr?.split('\n').find((line) => /\w*Error\b|^error\b/iu.test(line)) ?? exited.stderr?.trim().split('\n')[0];
    return said ? `${how} (${said.trim().slice(0, 200)})` : how;
  };
  try {
    // Loaded before the program's first request, so the load starts right after it.
    const { default: autocannon } = await import('autocannon');
    const listening = await waitForListen(probe, ended, spec.listenTimeoutS * 1000);
    const url = /^https?:\/\//u.test(spec.target) ? spec.target : `${loopbackBase(listening)}${spec.target}`;
    await reachable(url, ended);
    const from = Date.now();
    const result = await drive(autocannon, url, spec);
    const to = Date.now();
    const early = ended();
    if (early) throw new OverlapError('OVERLAP_USAGE', `the program ${early} while under load (${url})`);
    // The load generator stops at its deadline with requests still in flight: let the server answer them (they
    // would be cut off by SIGTERM, and reported as hangs), then stop it.
    await drained(probe, listening.pid, to, ended);
    stop.abort();
    const exit = await withTimeout(running, EXIT_TIMEOUT_MS, `the program did not exit within ${EXIT_TIMEOUT_MS / 1000} s of SIGTERM`);
    return { load: { ...result, ...utilisationBetween(readProbe(probe), listening.pid, from, to) }, exit };
  } catch (error) {
    // Stopped before the error is told, so no server is left running behind it.
    stop.abort();
    await withTimeout(running, EXIT_TIMEOUT_MS, '').catch(() => {});
    throw error;
  } finally {
    stop.abort();
    rmSync(dir, { recursive: true, force: true });
  }
}

const DRAIN_TIMEOUT_MS = 10_000;
const QUIET_MS = 250;

async function drained(probe: string, pid: number, since: number, ended: () => string | undefined): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (Date.now() < deadline && !ended()) {
    const last = readProbe(probe).filter((r) => r.pid === pid && r.t !== undefined).at(-1);
    // Quiet for a moment too: requests still in the sockets' buffers are not started yet.
    if (last && last.t! >= since && last.inflight === 0 && Date.now() - last.t! >= QUIET_MS) return;
    await sleep(POLL_MS);
  }
}

async function waitForListen(probe: string, ended: () => string | undefined, timeoutMs: number): Promise<ProbeRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = readProbe(probe).find((r) => r.port !== undefined);
    if (record) return record;
    const early = ended();
    if (early) throw new OverlapError('OVERLAP_USAGE', `the program ${early} before it listened on a TCP port`);
    if (Date.now() > deadline) throw new OverlapError('OVERLAP_USAGE', `the program did not listen on a TCP port within ${timeoutMs / 1000} s (--listen-timeout)`);
    await sleep(POLL_MS);
  }
}

/** One request first: a URL nothing answers is one line, not a load run full of errors. */
async function reachable(url: string, ended: () => string | undefined): Promise<void> {
  // node:http, not fetch: fetch refuses ports browsers block (6000, 6667, ...), which servers may well use.
  const { get } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  try {
    await new Promise<void>((done, fail) => {
      const request = get(url, { timeout: 10_000 }, (response: IncomingMessage) => {
        response.resume();
        response.once('end', done).once('error', fail);
      });
      request.once('timeout', () => request.destroy(Object.assign(new Error('no answer within 10 s'), { code: 'ETIMEDOUT' })));
      request.once('error', fail);
    });
  } catch (error) {
    const early = ended();
    if (early) throw new OverlapError('OVERLAP_USAGE', `the program ${early} before it answered ${url}`);
    const e = error as NodeJS.ErrnoException;
    throw new OverlapError('OVERLAP_USAGE', `cannot reach ${url}: ${e.code ?? e.message}`);
  }
}

async function drive(autocannon: typeof import('autocannon').default, url: string, spec: LoadSpec): Promise<Omit<LoadResult, 'utilisation' | 'slowdown'>> {  const result = await autocannon({ url, connections: spec.connections, duration: spec.durationS });
  return {
    url,
    connections: spec.connections,
    durationS: spec.durationS,
    requests: result.requests.total,
    perSec: result.duration > 0 ? result.requests.total / result.duration : result.requests.average,
    latency: { mean: result.latency.mean, p50: result.latency.p50, p99: result.latency.p99 },
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Runs a command untraced (for verify's timed runs), stopped with SIGTERM when `stop` aborts. */
export function runPlain(command: readonly string[], cwd: string, env: Record<string, string | undefined>, stop: AbortSignal): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const [program, ...args] = command;
  return new Promise((done, fail) => {
    const child = spawn(program!, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    // The start of its stderr, to say why a server that never listened gave up.
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    const kill = () => child.kill('SIGTERM');
    stop.addEventListener('abort', kill, { once: true });
    child.once('error', (error: NodeJS.ErrnoException) => fail(new OverlapError('OVERLAP_USAGE', `cannot run ${program}: ${error.code ?? error.message}`)));
    child.once('close', (code, signal) => {
      stop.removeEventListener('abort', kill);
      done({ code, signal, stderr });
    });
  });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new OverlapError('OVERLAP_USAGE', message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** `url: 812 requests in 3 s (270.3/s), latency mean 36.9 ms (p99 61 ms), event loop 93% busy`. */
export function describeLoad(load: LoadResult): string {
  const round = (n: number) => Math.round(n * 10) / 10;
  const busy = load.utilisation === null ? '' : `, event loop ${Math.round(load.utilisation * 100)}% busy`;
  const errors = load.errors + load.non2xx > 0 ? `, ${load.errors} errors and ${load.non2xx} non-2xx responses` : '';
  return `${load.url}: ${load.requests} requests in ${load.durationS} s with ${load.connections} connections (${round(load.perSec)}/s), latency mean ${round(load.latency.mean)} ms (p99 ${round(load.latency.p99)} ms)${busy}${errors}`;
}
