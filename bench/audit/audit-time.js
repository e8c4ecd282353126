/**
 * Section 5: `overlap audit` analysis time on large traces. The request trace is made the honest way: the bench's
 * HTTP service runs under @overlap/tracer while autocannon sends a fixed number of requests, so every root, frame,
 * await and resource in it was recorded by the real tracer from real traffic. Recording 100k requests takes many
 * minutes on 2 cores, so 10k are recorded and the trace is tiled to 100k (bench/audit/tile-trace.js: the same
 * recorded events ten times over, ids renumbered, one copy after the other); 3k recorded with --quick. A second
 * trace is the million-await workload (bench/tracer/awaits-workload.js) traced. Then `overlap audit <dir> --trace
 * <file> --format json` runs as a child process on each, CPU time and peak RSS from the child's resource usage.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { runMeasuredWithRetry } from '../lib/child.js';
import { fmt, mb, table, withSpread } from '../lib/format.js';
import { median } from '../lib/stats.js';
import { benchDir, overlapBin, repoDir } from '../lib/paths.js';
import { startServer } from '../lib/server.js';
import { tileTrace } from './tile-trace.js';

const appFile = join(benchDir, 'service', 'app.js');
const backendFile = join(benchDir, 'service', 'backend.js');
const registerFile = join(repoDir, 'packages', 'tracer', 'dist', 'register.js');
const awaitsWorkload = join(benchDir, 'tracer', 'awaits-workload.js');
/** Requests recorded for real before tiling. */
const RECORDED = 10_000;

export async function recordTrace(traceFile, requests, scratch, log) {
  const backend = await startServer([backendFile]);
  try {
    const app = await startServer(['--import', registerFile, appFile, String(backend.port), join(scratch, 'data')], {
      OVERLAP_TRACE_OUT: traceFile,
      OVERLAP_TRACE_SESSION: undefined,
      // tile-trace.js copies the recorded events as text lines: no binary records (trace format version 2)
      OVERLAP_TRACE_TEXT: '1',
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

/**
 * Repetitions of `overlap audit` on one trace, for this build and (with --baseline) an earlier one, interleaved
 * rep by rep so both see the same load on a shared machine.
 */
async function auditRuns(ctx, dir, traceFile, scratch) {
  const bins = [['current', overlapBin], ...(ctx.baselineBin ? [['baseline', ctx.baselineBin]] : [])];
  const out = Object.fromEntries(bins.map(([name]) => [name, { runs: [], report: undefined }]));
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const [name, bin] of bins) {
      ctx.log(`  ${name} overlap audit ${dir === join(benchDir, 'service') ? 'bench/service' : 'awaits-workload'}, repetition ${rep + 1}/${ctx.reps}`);
      const file = join(scratch, `audit-${name}.json`);
      const run = await runMeasuredWithRetry(
        [bin, 'audit', dir, '--trace', traceFile, '--format', 'json', '-o', file, '--fail-on', 'none'],
        { cwd: repoDir, okCodes: [0, 1] },
        ctx.log,
      );
      out[name].runs.push(run);
      out[name].report = JSON.parse(readFileSync(file, 'utf8'));
    }
  }
  return out;
}

/** The reports without the run's own duration: the same analysis must give the same JSON. */
const sameReport = (a, b) => JSON.stringify(a, (key, value) => (key === 'durationMs' ? undefined : value)) === JSON.stringify(b, (key, value) => (key === 'durationMs' ? undefined : value));

function row(label, count, traceBytes, { runs, report }) {
  const roots = report?.runtime?.roots;
  const rootCount = typeof roots === 'number' ? roots : Array.isArray(roots) ? roots.length : undefined;
  return [
    label,
    count,
    rootCount === undefined ? 'n/a' : fmt(rootCount, 0),
    `${fmt(mb(traceBytes), 1)} MB`,
    withSpread(runs.map((run) => run.wallMs / 1000), '', 2),
    fmt(median(runs.map((run) => run.cpuMs)) / 1000, 2),
    fmt(median(runs.map((run) => run.maxRssMb)), 0),
    String(report?.runtime?.suggestions?.length ?? 'n/a'),
  ];
}

export async function auditTime(ctx) {
  const requests = ctx.quick ? 3_000 : 100_000;
  const awaits = ctx.quick ? 100_000 : 1_000_000;
  const scratch = mkdtempSync(join(tmpdir(), 'overlap-bench-audit-'));
  const recordedFile = join(scratch, 'service.recorded.ndjson');
  const traceFile = join(scratch, 'service.trace.ndjson');
  const awaitsFile = join(scratch, 'awaits.trace.ndjson');
  try {
    const recorded = await recordTrace(recordedFile, Math.min(requests, RECORDED), scratch, ctx.log);
    const copies = Math.max(1, Math.round(requests / recorded.requests));
    await tileTrace(recordedFile, traceFile, copies);
    const traceBytes = statSync(traceFile).size;
    const serviceRuns = await auditRuns(ctx, join(benchDir, 'service'), traceFile, scratch);
    const service = serviceRuns.current;

    // The million-await workload, traced; audited with its own folder as the project.
    const workloadDir = join(scratch, 'awaits-workload');
    mkdirSync(workloadDir);
    copyFileSync(awaitsWorkload, join(workloadDir, 'awaits-workload.js'));
    await runMeasuredWithRetry(['--import', registerFile, join(workloadDir, 'awaits-workload.js'), String(awaits), '0'], { env: { OVERLAP_TRACE_OUT: awaitsFile, OVERLAP_TRACE_SESSION: undefined } }, ctx.log);
    const awaitsBytes = statSync(awaitsFile).size;
    const workloadRuns = await auditRuns(ctx, workloadDir, awaitsFile, scratch);
    const workload = workloadRuns.current;

    const cpuOf = (result) => median(result.runs.map((run) => run.cpuMs)) / 1000;
    const rssOf = (result) => median(result.runs.map((run) => run.maxRssMb));
    const wallOf = (result) => median(result.runs.map((run) => run.wallMs)) / 1000;
    const requestLabel = requests === 100_000 ? '100k' : fmt(requests, 0);
    const serviceLabel = `bench/service under autocannon, traced${copies > 1 ? `, ${fmt(recorded.requests, 0)} recorded x ${copies}` : ''}`;
    const baselineRows = [];
    const baselineNotes = [];
    const ratio = (a, b) => (b > 0 ? `${fmt(a / b, 2)}x` : 'n/a');
    for (const [label, count, bytes, runs] of [
      [serviceLabel, `${fmt(recorded.requests * copies, 0)} requests`, traceBytes, serviceRuns],
      ['awaits-workload, traced', `${fmt(awaits, 0)} awaits`, awaitsBytes, workloadRuns],
    ]) {
      if (!runs.baseline) continue;
      baselineRows.push(row(`baseline: ${label}`, count, bytes, runs.baseline));
      baselineNotes.push(
        `${label}: current / baseline CPU ${ratio(cpuOf(runs.current), cpuOf(runs.baseline))} (${fmt(cpuOf(runs.current), 2)} s against ${fmt(cpuOf(runs.baseline), 2)} s; per run ${runs.current.runs.map((r) => fmt(r.cpuMs / 1000, 1)).join(', ')} against ${runs.baseline.runs.map((r) => fmt(r.cpuMs / 1000, 1)).join(', ')}), ` +
          `peak RSS ${ratio(rssOf(runs.current), rssOf(runs.baseline))} (${fmt(rssOf(runs.current), 0)} MB against ${fmt(rssOf(runs.baseline), 0)} MB; per run ${runs.current.runs.map((r) => fmt(r.maxRssMb, 0)).join(', ')} against ${runs.baseline.runs.map((r) => fmt(r.maxRssMb, 0)).join(', ')}); ` +
          `audit JSON ${sameReport(runs.current.report, runs.baseline.report) ? 'identical to the baseline\'s' : 'DIFFERS from the baseline\'s'}.`,
      );
    }
    return {
      title: `5. \`overlap audit\` on large traces${ctx.quick ? ' (quick: 3k requests, 100k awaits)' : ''}`,
      table: table(
        ['trace', 'requests / awaits', 'roots in report', 'trace size', 'audit wall s', 'CPU s', 'peak RSS MB', 'suggestions'],
        [
          row(serviceLabel, `${fmt(recorded.requests * copies, 0)} requests`, traceBytes, service),
          row('awaits-workload, traced', `${fmt(awaits, 0)} awaits`, awaitsBytes, workload),
          ...baselineRows,
        ],
      ),
      notes: [
        `Request trace recorded by the real tracer from real traffic: ${fmt(recorded.requests, 0)} requests (two /visit for each /users) in ${fmt(recorded.seconds, 1)} s (${recorded.errors} errors)${copies > 1 ? `, tiled ${copies} times (bench/audit/tile-trace.js)` : ''}.`,
        ...(ctx.baselineBin ? [`Baseline: ${ctx.baselineBin}, run interleaved with the current build, repetition by repetition.`, ...baselineNotes] : []),
        'Audit time includes reading and parsing the trace, the static check of the project folder, the causal graph, critical paths per root, drag replays and the simulated rewrites. CPU is user + system of the audit process; peak RSS its maxRSS.',
      ],
      targets: [
        { target: `audit of a ${requestLabel}-request trace within 10 s CPU`, figure: `${fmt(cpuOf(service), 2)} s CPU (${fmt(wallOf(service), 2)} s wall)`, ok: cpuOf(service) <= 10 },
        { target: `audit of a ${requestLabel}-request trace within 1 GB`, figure: `${fmt(rssOf(service), 0)} MB`, ok: rssOf(service) <= 1024 },
        { target: `audit of a ${fmt(awaits, 0)}-await trace within 60 s`, figure: `${fmt(wallOf(workload), 2)} s wall (${fmt(cpuOf(workload), 2)} s CPU)`, ok: wallOf(workload) <= 60 },
        { target: `audit of a ${fmt(awaits, 0)}-await trace within 1 GB`, figure: `${fmt(rssOf(workload), 0)} MB`, ok: rssOf(workload) <= 1024 },
      ],
      raw: {
        recorded,
        copies,
        traceBytes,
        awaitsBytes,
        service: service.runs.map(({ wallMs, cpuMs, maxRssMb }) => ({ wallMs, cpuMs, maxRssMb })),
        awaits: workload.runs.map(({ wallMs, cpuMs, maxRssMb }) => ({ wallMs, cpuMs, maxRssMb })),
        ...(ctx.baselineBin
          ? {
              baseline: ctx.baselineBin,
              baselineService: serviceRuns.baseline.runs.map(({ wallMs, cpuMs, maxRssMb }) => ({ wallMs, cpuMs, maxRssMb })),
              baselineAwaits: workloadRuns.baseline.runs.map(({ wallMs, cpuMs, maxRssMb }) => ({ wallMs, cpuMs, maxRssMb })),
              identicalService: sameReport(serviceRuns.current.report, serviceRuns.baseline.report),
              identicalAwaits: sameReport(workloadRuns.current.report, workloadRuns.baseline.report),
            }
          : {}),
      },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
