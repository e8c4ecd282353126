/**
 * Sections 3b and 4: the promise-heavy micro workload (a million awaits; 100k with --quick) untraced, traced,
 * and under the async_hooks comparison tracer: time per await, heap and RSS growth, trace bytes per await.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMeasuredWithRetry } from '../lib/child.js';
import { fmt, mb, table, withSpread } from '../lib/format.js';
import { median } from '../lib/stats.js';
import { benchDir, repoDir } from '../lib/paths.js';

const workload = join(benchDir, 'tracer', 'awaits-workload.js');
const registerFile = join(repoDir, 'packages', 'tracer', 'dist', 'register.js');
const asyncHooksFile = join(benchDir, 'tracer', 'async-hooks-tracer.js');

export async function millionAwaits(ctx) {
  const awaits = ctx.quick ? 100_000 : 1_000_000;
  const scratch = mkdtempSync(join(tmpdir(), 'overlap-bench-awaits-'));
  const modes = [
    { id: 'untraced', label: 'untraced', args: [], env: () => ({}) },
    { id: 'traced', label: '@overlap/tracer (default mode)', args: ['--import', registerFile], env: (file) => ({ OVERLAP_TRACE_OUT: file, OVERLAP_TRACE_SESSION: undefined }) },
    { id: 'async-hooks', label: 'async_hooks createHook tracer', args: ['--import', asyncHooksFile], env: (file) => ({ BENCH_ASYNC_HOOKS_OUT: file }) },
  ];
  // BENCH_TRACER_BEFORE=<an earlier build's packages/tracer/dist>: that build as one more mode (before/after in one run).
  const before = process.env.BENCH_TRACER_BEFORE;
  if (before) modes.splice(2, 0, { id: 'before', label: 'earlier build (BENCH_TRACER_BEFORE)', args: ['--import', join(before, 'register.js')], env: modes[1].env });
  const timing = new Map(modes.map((mode) => [mode.id, []]));
  const memory = new Map();
  const runOnce = async (mode, sample) => {
    const file = join(scratch, `${mode.id}.trace`);
    const run = await runMeasuredWithRetry([...(sample ? ['--expose-gc'] : []), ...mode.args, workload, String(awaits), sample ? '1' : '0'], { env: mode.env(file) }, ctx.log);
    const figures = JSON.parse(run.stdout.trim().split('\n').at(-1));
    figures.traceBytes = mode.id === 'untraced' ? 0 : statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    rmSync(file, { force: true });
    return figures;
  };
  try {
    const reps = Math.max(ctx.reps, ctx.quick ? 1 : 5);
    for (let rep = 0; rep < reps; rep++) {
      ctx.log(`  timing repetition ${rep + 1}/${reps}: ${awaits.toLocaleString('en-US')} awaits per mode`);
      for (const mode of modes) timing.get(mode.id).push(await runOnce(mode, false));
    }
    ctx.log('  memory runs (GC at every tenth of the run)');
    for (const mode of modes) memory.set(mode.id, await runOnce(mode, true));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const wall = (id) => timing.get(id).map((run) => run.wallMs);
  const cpu = (id) => timing.get(id).map((run) => run.cpuMs);
  const base = median(wall('untraced'));
  const baseCpu = median(cpu('untraced'));
  const timeTable = table(
    ['mode', `wall ms for ${awaits.toLocaleString('en-US')} awaits`, 'ns per await', 'slowdown (wall)', 'CPU ms of the loop', 'slowdown (CPU)'],
    modes.map((mode) => [
      mode.label,
      withSpread(wall(mode.id), '', 0),
      fmt((median(wall(mode.id)) * 1e6) / awaits, 0),
      `${fmt(median(wall(mode.id)) / base, 2)}x`,
      withSpread(cpu(mode.id), '', 0),
      `${fmt(median(cpu(mode.id)) / baseCpu, 2)}x`,
    ]),
  );
  const slowdown = median(wall('traced')) / base;
  const slowdownCpu = median(cpu('traced')) / baseCpu;
  const memoryTable = table(
    ['mode', 'retained heap growth (after GC)', 'largest retained heap above start', 'RSS growth (peak - start)', 'trace bytes', 'bytes per await'],
    modes.map((mode) => {
      const m = memory.get(mode.id);
      return [
        mode.label,
        `${fmt(mb(m.heapAfter - m.heapBefore), 2)} MB`,
        `${fmt(mb(Math.max(0, m.peakRetainedHeap - m.heapBefore)), 2)} MB`,
        `${fmt(mb(m.maxRss - m.rssBefore), 1)} MB`,
        mode.id === 'untraced' ? '' : `${fmt(mb(m.traceBytes), 1)} MB`,
        mode.id === 'untraced' ? '' : fmt(m.traceBytes / awaits, 1),
      ];
    }),
  );
  const traced = memory.get('traced');
  const growth = Math.max(traced.heapAfter - traced.heapBefore, traced.peakRetainedHeap - traced.heapBefore);
  return {
    title: `3b/4. A million awaits: time, memory, trace size${ctx.quick ? ' (quick: 100k awaits)' : ''}`,
    table: `${timeTable}\n\n${memoryTable}`,
    notes: [
      'bench/tracer/awaits-workload.js: a loop awaiting an async function that awaits another (two awaits per iteration), all user code, so every await is instrumented.',
      `Timing: ${timing.get('untraced').length} repetitions per mode, interleaved, no GC calls; CPU is the process's user + system time during the loop (steadier than wall time on a shared machine). Memory: one run per mode with --expose-gc, a full GC before, at every tenth of the run and after; "retained" is heapUsed after GC, so it is memory held, not garbage.`,
      'The async_hooks tracer records every promise of the process (init/before/after/resolve), so it writes more than one event per await.',
    ],
    targets: [
      {
        target: `${awaits.toLocaleString('en-US')} awaits traced at most 4x untraced`,
        figure: `${fmt(slowdown, 2)}x wall (${fmt(slowdownCpu, 2)}x CPU)`,
        ok: slowdown <= 4,
      },
      {
        target: `tracer heap growth under 64 MB at ${awaits.toLocaleString('en-US')} awaits`,
        figure: `${fmt(mb(growth), 2)} MB`,
        ok: growth < 64 * 1024 * 1024,
      },
    ],
    raw: { timing: Object.fromEntries(timing), memory: Object.fromEntries(memory) },
  };
}
