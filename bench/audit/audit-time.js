/**
 * Section 5: `overlap audit` analysis time on a large trace. The trace is made the honest way: the bench's
 * HTTP service runs under @overlap/tracer while autocannon sends a fixed number of requests (100k; 3k with
 * --quick), so every root, frame, await and resource in it was recorded by the real tracer from real traffic.
 * Then `overlap audit bench/service --trace <file> --format json` runs as a child process, several times.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { runMeasuredWithRetry } from '../lib/child.js';
import { fmt, mb, table, withSpread } from '../lib/format.js';
import { median } from '../lib/stats.js';
import { benchDir, overlapBin, repoDir } from '../lib/paths.js';
import { startServer } from '../lib/server.js';

const appFile = join(benchDir, 'service', 'app.js');
const backendFile = join(benchDir, 'service', 'backend.js');
const registerFile = join(repoDir, 'packages', 'tracer', 'dist', 'register.js');

export async function recordTrace(traceFile, requests, scratch, log) {
  const backend = await startServer([backendFile]);
  try {
    const app = await startServer(['--import', registerFile, appFile, String(backend.port), join(scratch, 'data')], {
      OVERLAP_TRACE_OUT: traceFile,
      OVERLAP_TRACE_SESSION: undefined,
    });
    let counter = 0;
    const next = (prefix) => (request) => ({ ...request, path: `/${prefix}/${counter++ % 997}` });
    const started = performance.now();
    // /visit (locked store update, file write) twice for every /users (store, backend over HTTP, file read):
    // /feed's three fetches would make recording 100k requests take several times longer without adding a new
    // kind of event.
    const result = await autocannon({
      url: `http://127.0.0.1:${app.port}`,
      connections: 16,
      amount: requests,
      timeout: 30,
      requests: [{ setupRequest: next('visit') }, { setupRequest: next('users') }, { setupRequest: next('visit') }],
    });
    await app.stop();
    const seconds = (performance.now() - started) / 1000;
    log(`  recorded ${result.requests.total} requests in ${fmt(seconds, 1)} s`);
    return { requests: result.requests.total, errors: result.errors + result.non2xx, seconds };
  } finally {
    await backend.stop();
  }
}

export async function auditTime(ctx) {
  const requests = ctx.quick ? 3_000 : 100_000;
  const scratch = mkdtempSync(join(tmpdir(), 'overlap-bench-audit-'));
  const traceFile = join(scratch, 'service.trace.ndjson');
  try {
    const recorded = await recordTrace(traceFile, requests, scratch, ctx.log);
    const traceBytes = statSync(traceFile).size;
    const runs = [];
    let report;
    for (let rep = 0; rep < ctx.reps; rep++) {
      ctx.log(`  overlap audit, repetition ${rep + 1}/${ctx.reps}`);
      const out = join(scratch, 'audit.json');
      const run = await runMeasuredWithRetry(
        [overlapBin, 'audit', join(benchDir, 'service'), '--trace', traceFile, '--format', 'json', '-o', out, '--fail-on', 'none'],
        { cwd: repoDir, okCodes: [0, 1] },
        ctx.log,
      );
      runs.push(run);
      report = JSON.parse(readFileSync(out, 'utf8'));
    }
    const wall = runs.map((run) => run.wallMs / 1000);
    const roots = report?.runtime?.roots;
    const rootCount = typeof roots === 'number' ? roots : Array.isArray(roots) ? roots.length : undefined;
    const seconds = median(wall);
    return {
      title: `5. \`overlap audit\` on a large trace${ctx.quick ? ' (quick: 3k requests)' : ''}`,
      table: table(
        ['trace', 'requests', 'roots in report', 'trace size', 'audit wall s', 'CPU s', 'peak RSS MB', 'suggestions'],
        [[
          'bench/service under autocannon, traced',
          fmt(recorded.requests, 0),
          rootCount === undefined ? 'n/a' : fmt(rootCount, 0),
          `${fmt(mb(traceBytes), 1)} MB`,
          withSpread(wall, '', 2),
          fmt(median(runs.map((run) => run.cpuMs)) / 1000, 2),
          fmt(median(runs.map((run) => run.maxRssMb)), 0),
          String(report?.runtime?.suggestions?.length ?? 'n/a'),
        ]],
      ),
      notes: [
        `Trace recorded by the real tracer from real traffic (not synthesised): ${fmt(recorded.requests, 0)} requests (two /visit for each /users) in ${fmt(recorded.seconds, 1)} s (${recorded.errors} errors).`,
        'Audit time includes reading and parsing the trace, the static check of bench/service, the causal graph, critical paths per root and the simulated rewrites.',
      ],
      targets: [
        {
          target: `audit of a ${requests === 100_000 ? '100k' : fmt(requests, 0)}-request trace in under 10 s`,
          figure: `${fmt(seconds, 2)} s`,
          ok: seconds < 10,
        },
      ],
      raw: { recorded, traceBytes, runs: runs.map(({ wallMs, cpuMs, maxRssMb }) => ({ wallMs, cpuMs, maxRssMb })), summary: report?.runtime ? { roots: rootCount, totalMs: report.runtime.totalMs } : undefined },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
