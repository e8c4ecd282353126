/**
 * Section 3c: start-up cost of the tracer, side by side with untraced in the same run: `node -e 0` and an empty
 * module file, each untraced, under `--import` of the register entry and under `--require` of its CommonJS entry, interleaved, wall time and CPU time
 * (user + sys, from the child's resource usage) per run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, table } from '../lib/format.js';
import { median } from '../lib/stats.js';
import { repoDir } from '../lib/paths.js';

const registerFile = join(repoDir, 'packages', 'tracer', 'dist', 'bundle', 'register.js');
const requireFile = join(repoDir, 'packages', 'tracer', 'dist', 'bundle', 'register.cjs');

function timed(args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - started));
  });
}

export async function startup(ctx) {
  const reps = ctx.quick ? 5 : 21;
  const scratch = mkdtempSync(join(tmpdir(), 'overlap-bench-startup-'));
  const empty = join(scratch, 'empty.mjs');
  writeFileSync(empty, '');
  const env = { OVERLAP_TRACE_OUT: join(scratch, 'trace.ndjson'), OVERLAP_TRACE_SESSION: '', NODE_OPTIONS: '' };
  const cases = [
    { id: 'eval', label: 'node -e 0', args: ['-e', '0'] },
    { id: 'file', label: 'node empty.mjs', args: [empty] },
  ];
  // BENCH_TRACER_BEFORE=<an earlier build's packages/tracer/dist>: that build's register bundle as a third column.
  const before = process.env.BENCH_TRACER_BEFORE;
  const variants = [['false', []], ['true', ['--import', registerFile]], ['require', ['--require', requireFile]]];
  if (before) variants.push(['before', ['--import', join(before, 'bundle', 'register.js')]]);
  const wall = new Map();
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const c of cases) {
        for (const [variant, args] of variants) {
          const key = `${c.id}:${variant}`;
          if (!wall.has(key)) wall.set(key, []);
          wall.get(key).push(await timed([...args, ...c.args], env));
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
  const evalCost = median(wall.get('eval:true')) - median(wall.get('eval:false'));
  const evalRequireCost = median(wall.get('eval:require')) - median(wall.get('eval:false'));
  return {
    title: '3c. Tracer start-up',
    table: table(['command', 'untraced (median wall)', 'traced (--import)', 'added', 'traced (--require register.cjs)', 'added', ...(before ? ['added by the earlier build (--import)'] : [])], rows),
    notes: [
      `${reps} runs per cell, interleaved (untraced, traced, next command), wall time measured by the parent from spawn to exit.`,
      'node -e 0 loads no file: the tracer skips the ESM loader hooks thread there; a file entry pays for it (Node 20 runs loader hooks on a thread of their own).',
    ],
    targets: [
      { target: 'node -e 0 under the tracer (--import) at most 20 ms more', figure: `+${fmt(evalCost, 0)} ms`, ok: evalCost <= 20 },
      { target: 'node -e 0 under the tracer (--require) at most 20 ms more', figure: `+${fmt(evalRequireCost, 0)} ms`, ok: evalRequireCost <= 20 },
    ],
    raw: Object.fromEntries(wall),
  };
}
