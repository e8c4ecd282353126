/**
 * Section 3c: start-up cost of the tracer, side by side with untraced in the same run: `node -e 0` and an empty
 * module file, each untraced, under `--import` of the register entry and under `--require` of its CommonJS entry, interleaved, wall time and CPU time
 * (user + sys, from the child's resource usage) per run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, table } from '../lib/format.js';
import { median } from '../lib/stats.js';
import { repoDir } from '../lib/paths.js';

const registerFile = join(repoDir, 'packages', 'tracer', 'dist', 'bundle', 'register.js');
const requireFile = join(repoDir, 'packages', 'tracer', 'dist', 'bundle', 'register.cjs');
/** Reports each run's CPU time at exit: steadier than wall time on a shared machine. */
const exitCpu = join(repoDir, 'bench', 'tracer', 'exit-cpu.cjs');

/** Runs node with `args`; resolves with its wall time (ms, spawn to exit) and CPU time (ms, from exit-cpu.cjs). */
function timed(args, env, cpuFile) {
  return new Promise((resolve, reject) => {
    writeFileSync(cpuFile, '');
    const started = performance.now();
    const child = spawn(process.execPath, ['--require', exitCpu, ...args], { env: { ...process.env, ...env, BENCH_CPU_OUT: cpuFile }, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => {
      const wall = performance.now() - started;
      const cpu = Number(readFileSync(cpuFile, 'utf8').trim().split('\n')[0]) / 1000;
      resolve({ wall, cpu });
    });
  });
}

export async function startup(ctx) {
  const reps = ctx.quick ? 5 : 21;
  const scratch = mkdtempSync(join(tmpdir(), 'overlap-bench-startup-'));
  const empty = join(scratch, 'empty.mjs');
  writeFileSync(empty, '');
  const emptyCjs = join(scratch, 'empty.cjs');
  writeFileSync(emptyCjs, '');
  const env = { OVERLAP_TRACE_OUT: join(scratch, 'trace.ndjson'), OVERLAP_TRACE_SESSION: '', NODE_OPTIONS: '' };
  const cases = [
    { id: 'eval', label: 'node -e 0', args: ['-e', '0'] },
    { id: 'file', label: 'node empty.mjs', args: [empty] },
    { id: 'cjs', label: 'node empty.cjs', args: [emptyCjs] },
  ];
  // BENCH_TRACER_BEFORE=<an earlier build's packages/tracer/dist>: that build's register bundle as a third column.
  const before = process.env.BENCH_TRACER_BEFORE;
  const variants = [['false', []], ['true', ['--import', registerFile]], ['require', ['--require', requireFile]]];
  if (before) variants.push(['before', ['--import', join(before, 'bundle', 'register.js')]]);
  const wall = new Map();
  const cpu = new Map();
  const cpuFile = join(scratch, 'cpu.txt');
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const c of cases) {
        for (const [variant, args] of variants) {
          const key = `${c.id}:${variant}`;
          if (!wall.has(key)) {
            wall.set(key, []);
            cpu.set(key, []);
          }
          const run = await timed([...args, ...c.args], env, cpuFile);
          wall.get(key).push(run.wall);
          cpu.get(key).push(run.cpu);
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const rows = cases.map((c) => {
    const plain = median(wall.get(`${c.id}:false`));
    const traced = median(wall.get(`${c.id}:true`));
    const required = median(wall.get(`${c.id}:require`));
    const row = [c.label, `${fmt(plain, 0)} ms`, `${fmt(traced, 0)} ms`, `+${fmt(traced - plain, 0)} ms`, `${fmt(required, 0)} ms`, `+${fmt(required - plain, 0)} ms`];
    if (before) row.push(`+${fmt(median(wall.get(`${c.id}:before`)) - plain, 0)} ms`);
    return row;
  });
  const cpuRows = cases.map((c) => {
    const plain = median(cpu.get(`${c.id}:false`));
    const added = (variant) => `+${fmt(median(cpu.get(`${c.id}:${variant}`)) - plain, 1)} ms`;
    return [c.label, `${fmt(plain, 1)} ms`, added('true'), added('require'), ...(before ? [added('before')] : [])];
  });
  const evalCost = median(cpu.get('eval:true')) - median(cpu.get('eval:false'));
  const evalRequireCost = median(cpu.get('eval:require')) - median(cpu.get('eval:false'));
  const cjsCost = median(cpu.get('cjs:true')) - median(cpu.get('cjs:false'));
  return {
    title: '3c. Tracer start-up',
    table: `${table(['command', 'untraced (median wall)', 'traced (--import)', 'added', 'traced (--require register.cjs)', 'added', ...(before ? ['added by the earlier build (--import)'] : [])], rows)}\n\n${table(['command', 'untraced (median CPU)', 'added CPU (--import)', 'added CPU (--require register.cjs)', ...(before ? ['added CPU, earlier build (--import)'] : [])], cpuRows)}`,
    notes: [
      `${reps} runs per cell, interleaved (untraced, traced, next command), wall time measured by the parent from spawn to exit; CPU time (user + system of the whole process) reported by each run at exit through a \`--require\` of bench/tracer/exit-cpu.cjs, preloaded in every variant alike. The targets judge CPU time, which load moves less than wall time.`,
      'node -e 0 loads no file and empty.cjs is CommonJS: the tracer starts no ESM loader hooks thread there (Node 20 runs loader hooks on a thread of their own); a CommonJS program gets them only when it first compiles a file that may reach the ES module loader (a dynamic import(), require of an ES module). An ES module entry (empty.mjs) pays for the thread.',
    ],
    targets: [
      { target: 'node -e 0 under the tracer (--import) at most 20 ms more (CPU)', figure: `+${fmt(evalCost, 1)} ms`, ok: evalCost <= 20 },
      { target: 'node -e 0 under the tracer (--require) at most 20 ms more (CPU)', figure: `+${fmt(evalRequireCost, 1)} ms`, ok: evalRequireCost <= 20 },
      { target: 'a CommonJS program file under the tracer (--import) pays no ESM loader hooks thread: at most 20 ms more (CPU)', figure: `+${fmt(cjsCost, 1)} ms`, ok: cjsCost <= 20 },
    ],
    raw: { wall: Object.fromEntries(wall), cpu: Object.fromEntries(cpu) },
  };
}
