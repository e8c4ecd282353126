/**
 * Section 3d: tracer overhead on a CPU-bound HTTP server at saturation (issue 15): bench/service/cpu-app.js, a
 * fastify route whose handler awaits two lookups and renders for about a millisecond, under autocannon with 100
 * connections on 127.0.0.1. Untraced and traced (`--import` of the bundled register entry, as `overlap trace`
 * runs it), interleaved per repetition; each run has its own warm-up.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { fmt, table, withSpread } from '../lib/format.js';
import { median } from '../lib/stats.js';
import { benchDir, repoDir } from '../lib/paths.js';
import { startServer } from '../lib/server.js';

const appFile = join(benchDir, 'service', 'cpu-app.js');
const registerFile = join(repoDir, 'packages', 'tracer', 'dist', 'bundle', 'register.js');
const CONNECTIONS = 100;

function load(port, seconds) {
  let counter = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ setupRequest: (request) => ({ ...request, path: `/report/${counter++ % 500}` }) }],
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export async function httpCpuOverhead(ctx) {
  const seconds = ctx.quick ? 3 : 10;
  const warmup = ctx.quick ? 1 : 3;
  const scratch = mkdtempSync(join(tmpdir(), 'overlap-bench-http-cpu-'));
  const modes = [
    { id: 'untraced', label: 'untraced', args: [], env: () => ({}) },
    { id: 'traced', label: '@overlap/tracer (default mode)', args: ['--import', registerFile], env: (file) => ({ OVERLAP_TRACE_OUT: file, OVERLAP_TRACE_SESSION: undefined }) },
  ];
  // BENCH_TRACER_BEFORE=<an earlier build's packages/tracer/dist>: that build as one more mode (before/after in one run).
  const before = process.env.BENCH_TRACER_BEFORE;
  if (before) modes.push({ id: 'before', label: 'earlier build (BENCH_TRACER_BEFORE)', args: ['--import', join(before, 'bundle', 'register.js')], env: modes[1].env });
  const runs = new Map(modes.map((mode) => [mode.id, []]));
  try {
    for (let rep = 0; rep < ctx.reps; rep++) {
      ctx.log(`  repetition ${rep + 1}/${ctx.reps}: ${CONNECTIONS} connections, ${warmup} s warm-up + ${seconds} s per mode`);
      for (const mode of modes) {
        const traceFile = join(scratch, `${mode.id}-${rep}.trace`);
        const app = await startServer([...mode.args, appFile], mode.env(traceFile));
        const warm = await load(app.port, warmup);
        const cpuBefore = cpuSeconds(app.child.pid);
        const result = await load(app.port, seconds);
        const cpuUsed = cpuSeconds(app.child.pid) - cpuBefore;
        const code = await app.stop();
        const bytes = mode.id === 'untraced' ? 0 : statSync(traceFile, { throwIfNoEntry: false })?.size ?? 0;
        ctx.log(`    ${mode.label}: ${fmt(result.requests.average, 0)} req/s, p99 ${result.latency.p99} ms`);
        runs.get(mode.id).push({
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          requests: result.requests.total,
          cpuUsPerRequest: (cpuUsed * 1e6) / Math.max(1, result.requests.total),
          errors: result.errors + result.non2xx + warm.errors + warm.non2xx,
          bytesPerRequest: bytes / Math.max(1, result.requests.total + warm.requests.total),
          exitCode: code,
        });
        rmSync(traceFile, { force: true });
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const of = (id, key) => runs.get(id).map((run) => run[key]);
  const base = { rps: median(of('untraced', 'rps')), p99: median(of('untraced', 'p99')), cpu: median(of('untraced', 'cpuUsPerRequest')) };
  const rows = modes.map((mode) => [
    mode.label,
    withSpread(of(mode.id, 'rps'), '', 0),
    `${fmt(median(of(mode.id, 'rps')) / base.rps, 2)}x`,
    withSpread(of(mode.id, 'p50'), 'ms', 1),
    withSpread(of(mode.id, 'p99'), 'ms', 1),
    `${fmt(median(of(mode.id, 'p99')) / base.p99, 2)}x`,
    `${fmt(median(of(mode.id, 'cpuUsPerRequest')), 0)} µs`,
    `${fmt(median(of(mode.id, 'cpuUsPerRequest')) / base.cpu, 2)}x`,
    mode.id === 'untraced' ? '' : `${fmt(median(of(mode.id, 'bytesPerRequest')), 0)} B`,
    String(of(mode.id, 'errors').reduce((sum, value) => sum + value, 0)),
  ]);
  const share = median(of('traced', 'rps')) / base.rps;
  const p99Ratio = median(of('traced', 'p99')) / base.p99;
  const cpuRatio = median(of('traced', 'cpuUsPerRequest')) / base.cpu;
  return {
    title: `3d. Tracer overhead on a CPU-bound server at ${CONNECTIONS} connections`,
    table: table(['mode', 'requests/s', 'of untraced', 'p50', 'p99', 'p99 ÷ untraced', 'server CPU per request', 'of untraced', 'trace bytes/request', 'errors'], rows),
    notes: [
      `bench/service/cpu-app.js (fastify): GET /report/:id awaits two in-memory lookups, then renders for about 0.7 ms; autocannon ${CONNECTIONS} connections in this process, ${warmup} s warm-up then ${seconds} s measured, ${ctx.reps} repetition(s), modes interleaved.`,
      'The event loop is saturated: every microsecond the tracer spends per request is a microsecond of throughput. Server CPU per request (user + system of the server process over the measured window, from /proc) is the steadier figure on a shared machine: at saturation throughput is about its inverse.',
    ],
    targets: [
      { target: 'CPU-bound server: traced throughput at least 0.9x untraced', figure: `${fmt(share, 2)}x (server CPU per request ${fmt(cpuRatio, 2)}x)`, ok: share >= 0.9 },
      { target: 'CPU-bound server: traced p99 at most 1.1x untraced', figure: `${fmt(p99Ratio, 2)}x`, ok: p99Ratio <= 1.1 },
    ],
    raw: Object.fromEntries(runs),
  };
}
