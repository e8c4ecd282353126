/**
 * Section 3a: tracer overhead on a realistic HTTP service (bench/service) under autocannon load on 127.0.0.1.
 * Modes, interleaved per repetition: untraced; traced with @overlap/tracer (default mode, `--import` register);
 * plain async_hooks instrumentation (bench/tracer/async-hooks-tracer.js). The backend runs untraced in its own
 * process; autocannon runs in this process. Loads are bounded in connections and seconds.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { fmt, table, withSpread } from '../lib/format.js';
import { median } from '../lib/stats.js';
import { benchDir, repoDir } from '../lib/paths.js';
import { startServer } from '../lib/server.js';
import { clinicStatus } from './clinic.js';

const appFile = join(benchDir, 'service', 'app.js');
const backendFile = join(benchDir, 'service', 'backend.js');
const registerFile = join(repoDir, 'packages', 'tracer', 'dist', 'register.js');
const asyncHooksFile = join(benchDir, 'tracer', 'async-hooks-tracer.js');

function load(port, seconds, connections) {
  let counter = 0;
  const next = (prefix) => (request) => ({ ...request, path: `/${prefix}/${counter++ % 997}` });
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [{ setupRequest: next('users') }, { setupRequest: next('feed') }, { setupRequest: next('visit') }],
  });
}

export async function httpOverhead(ctx) {
  const seconds = ctx.quick ? 3 : 10;
  const warmup = ctx.quick ? 1 : 3;
  const connections = ctx.quick ? 8 : 16;
  const scratch = mkdtempSync(join(tmpdir(), 'overlap-bench-http-'));
  const modes = [
    { id: 'untraced', label: 'untraced', args: [], env: {} },
    { id: 'traced', label: '@overlap/tracer (default mode)', args: ['--import', registerFile], env: (file) => ({ OVERLAP_TRACE_OUT: file, OVERLAP_TRACE_SESSION: undefined }) },
    { id: 'async-hooks', label: 'async_hooks createHook tracer', args: ['--import', asyncHooksFile], env: (file) => ({ BENCH_ASYNC_HOOKS_OUT: file }) },
  ];
  const runs = new Map(modes.map((mode) => [mode.id, []]));
  const backend = await startServer([backendFile]);
  try {
    for (let rep = 0; rep < ctx.reps; rep++) {
      ctx.log(`  repetition ${rep + 1}/${ctx.reps}: ${connections} connections, ${warmup} s warm-up + ${seconds} s per mode`);
      for (const mode of modes) {
        const traceFile = join(scratch, `${mode.id}-${rep}.trace`);
        const env = typeof mode.env === 'function' ? mode.env(traceFile) : mode.env;
        const app = await startServer([...mode.args, appFile, String(backend.port), join(scratch, `data-${mode.id}`)], env);
        const warm = await load(app.port, warmup, connections);
        // The warm-up must end before the measured run starts: both drive the same server (the engine orders one
        // callee run twice against the same target).
        const result = await load(app.port, seconds, connections);
        const code = await app.stop();
        const bytes = mode.id === 'untraced' ? 0 : statSync(traceFile, { throwIfNoEntry: false })?.size ?? 0;
        ctx.log(`    ${mode.label}: ${fmt(result.requests.average, 0)} req/s, p99 ${result.latency.p99} ms`);
        runs.get(mode.id).push({
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          requests: result.requests.total,
          errors: result.errors + result.non2xx + warm.errors + warm.non2xx,
          bytes,
          bytesPerRequest: bytes / (result.requests.total + warm.requests.total),
          exitCode: code,
        });
        rmSync(traceFile, { force: true });
      }
    }
  } finally {
    await backend.stop();
    rmSync(scratch, { recursive: true, force: true });
  }

  const of = (id, key) => runs.get(id).map((run) => run[key]);
  const base = { rps: median(of('untraced', 'rps')), p50: median(of('untraced', 'p50')), p99: median(of('untraced', 'p99')) };
  const rows = modes.map((mode) => [
    mode.label,
    withSpread(of(mode.id, 'rps'), '', 0),
    `${fmt((median(of(mode.id, 'rps')) / base.rps) * 100, 0)}%`,
    withSpread(of(mode.id, 'p50'), 'ms', 1),
    withSpread(of(mode.id, 'p99'), 'ms', 1),
    `${fmt(median(of(mode.id, 'p99')) / base.p99, 2)}x`,
    mode.id === 'untraced' ? '' : `${fmt(median(of(mode.id, 'bytesPerRequest')), 0)} B`,
    String(of(mode.id, 'errors').reduce((sum, value) => sum + value, 0)),
  ]);
  const clinic = await clinicStatus();
  const tracedShare = median(of('traced', 'rps')) / base.rps;
  const p99Ratio = median(of('traced', 'p99')) / base.p99;
  return {
    title: '3. Tracer overhead on an HTTP service',
    table: table(['mode', 'requests/s', 'of untraced', 'p50', 'p99', 'p99 ÷ untraced', 'trace bytes/request', 'errors'], rows),
    notes: [
      `bench/service/app.js: /users/:id (store read, backend call, file read in series), /feed/:id (3 backend calls in parallel, store scan), /visit/:id (locked read-modify-write, file write); backend on 127.0.0.1 with 1-3 ms delays; autocannon ${connections} connections, ${warmup} s warm-up then ${seconds} s measured, ${ctx.reps} repetition(s) per mode, modes interleaved.`,
      'On 2 cores the service, its backend and autocannon share the CPU: absolute requests/s are low; the ratios are the figure.',
      `Clinic Bubbleprof: ${clinic}`,
    ],
    targets: [
      { target: 'traced throughput at least 90% of untraced', figure: `${fmt(tracedShare * 100, 0)}%`, ok: tracedShare >= 0.9 },
      { target: 'traced p99 at most 1.2x untraced', figure: `${fmt(p99Ratio, 2)}x`, ok: p99Ratio <= 1.2 },
    ],
    raw: Object.fromEntries(runs),
  };
}
