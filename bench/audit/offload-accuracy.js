/**
 * Section `offload`: is the audit's `offload-cpu` prediction what moving the work to worker threads saves? No tool
 * writes a worker rewrite, so the rewrite of fixtures/programs/audit-cpu/main.mjs (two CPU-bound renders awaited
 * in series) is written by hand beside it (offloaded.mjs: the same renders in two warmed worker threads). Each
 * repetition audits main.mjs (`overlap audit --format json --save-trace`) for the predicted saving per root, then
 * traces offloaded.mjs (`overlap trace`); the measured saving is the drop in the `main` frame's duration between
 * the two traces, the part the rewrite changes (offloaded.mjs starts its workers before main, as a pool would be).
 * Runs alternate so machine load hits both sides. The renders need two free cores to overlap: on a loaded machine
 * the measured saving shrinks while the prediction (which assumes a free core per worker, and says so) does not.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fmt, table } from '../lib/format.js';
import { median } from '../lib/stats.js';
import { overlapBin, repoDir } from '../lib/paths.js';

const folder = join(repoDir, 'fixtures', 'programs', 'audit-cpu');

function overlap(args) {
  const run = spawnSync(process.execPath, [overlapBin, ...args], { cwd: folder, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`overlap ${args[0]} exited with ${run.status}: ${run.stderr.trim().split('\n').pop()}`);
  return run.stdout;
}

/** Duration (ms) of the one `main` frame in a saved trace. */
function mainFrameMs(trace) {
  const part = trace.parts.find((p) => p.main) ?? trace.parts[0];
  const frames = [...part.frames.values()].filter((f) => f.site.name === 'main' && f.end !== null);
  if (frames.length !== 1) throw new Error(`expected one finished main frame, found ${frames.length}`);
  return frames[0].end - frames[0].start;
}

export async function offloadAccuracy({ quick, reps, log }) {
  const { readTrace } = await import(pathToFileURL(join(repoDir, 'packages', 'tracer', 'dist', 'index.js')).href);
  const scratch = mkdtempSync(join(tmpdir(), 'overlap-offload-'));
  const pairs = quick ? 2 : Math.max(5, reps);
  const predicted = [];
  const before = [];
  const after = [];
  try {
    for (let pair = 0; pair < pairs; pair++) {
      const inlineTrace = join(scratch, `inline-${pair}.ndjson`);
      const report = JSON.parse(overlap(['audit', '--format', 'json', '--save-trace', inlineTrace, '--', process.execPath, 'main.mjs']));
      const offload = report.runtime.suggestions.find((s) => s.kind === 'offload-cpu');
      if (!offload) throw new Error(`the audit of audit-cpu made no offload-cpu suggestion (it made: ${report.runtime.suggestions.map((s) => s.kind).join(', ') || 'none'})`);
      predicted.push(offload.perRootMs);
      before.push(mainFrameMs(await readTrace(inlineTrace)));
      const offloadedTrace = join(scratch, `offloaded-${pair}.ndjson`);
      overlap(['trace', '--out', offloadedTrace, '--', process.execPath, 'offloaded.mjs']);
      after.push(mainFrameMs(await readTrace(offloadedTrace)));
      log(`  pair ${pair + 1}: predicted ${fmt(predicted.at(-1))} ms; main ${fmt(before.at(-1))} -> ${fmt(after.at(-1))} ms`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const measured = median(before) - median(after);
  const fastest = before.indexOf(Math.min(...before));
  const leastDisturbed = Math.min(...before) - Math.min(...after);
  const ratio = (p, m) => (m > 0 ? `${fmt(p / m, 2)}x` : 'n/a');
  return {
    title: 'Audit: offload-cpu prediction against a hand-written worker rewrite',
    table: table(
      ['estimate', 'predicted saving', 'measured saving', 'predicted / measured'],
      [
        ['medians', `${fmt(median(predicted))} ms`, `${fmt(measured)} ms`, ratio(median(predicted), measured)],
        ['least disturbed runs', `${fmt(predicted[fastest])} ms`, `${fmt(leastDisturbed)} ms`, ratio(predicted[fastest], leastDisturbed)],
      ],
    ),
    notes: [
      `fixtures/programs/audit-cpu: main.mjs (two renders in series) against offloaded.mjs (the same renders in two warmed worker threads), ${pairs} alternating pairs`,
      `main frame, before: ${before.map((ms) => fmt(ms)).join(', ')} ms; after: ${after.map((ms) => fmt(ms)).join(', ')} ms`,
      'measured on traced runs of both sides (the saving is the drop in the main frame, not the workers\' start-up, which the rewrite pays once)',
    ],
    targets: [
      {
        target: 'offload-cpu predicted saving within 15% (or 10 ms) of the measured one',
        figure: `${fmt(predicted[fastest])} ms predicted, ${fmt(leastDisturbed)} ms measured (least disturbed runs)`,
        ok: Math.abs(predicted[fastest] - leastDisturbed) <= Math.max(10, 0.15 * Math.abs(leastDisturbed)),
      },
    ],
    figures: { predicted, before, after, measured, leastDisturbed },
  };
}
