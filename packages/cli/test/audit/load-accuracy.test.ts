import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { applyEdits } from '@overlap/core';
import { analyzeRuntime } from '@overlap/runtime-analysis';
import { runPlain, runUnderLoad, type LoadResult, type LoadSpec } from '../../src/audit/load.js';
import { closedLoad, traceUnderLoad } from '../../src/audit/run-audit.js';
import { staticFindings } from '../../src/audit/static-findings.js';
import { repoRoot, scratchFolder } from '../helpers.js';

/**
 * The queueing model against a real server: the fastify fixture is audited under autocannon load (traced), the
 * finding's own rewrite is applied, and both programs run untraced under the same load, alternately. The audit's
 * per-request saving must be within 15% of the measured one on the I/O-bound route. A few seconds of load per run;
 * one retry at most, as the 2-core machine is shared.
 */
const dir = join(repoRoot, 'fixtures', 'programs', 'load-server');
const original = join(dir, 'main.mjs');
// Inside the repository, so the rewritten copy resolves fastify as the original does.
const scratch = scratchFolder('load-accuracy');
vi.setConfig({ testTimeout: 300_000 });

const silentIO = {
  cwd: dir,
  env: process.env,
  stdout: { write: () => true } as unknown as NodeJS.WritableStream & { isTTY?: boolean },
  stderr: { write: () => true } as unknown as NodeJS.WritableStream & { isTTY?: boolean },
};

interface Comparison {
  readonly predicted: number;
  /** What replaying the recorded arrivals (the model without --load) predicted. */
  readonly replayed: number;
  readonly measured: number;
  readonly traced: LoadResult;
  readonly before: readonly LoadResult[];
  readonly after: readonly LoadResult[];
}

async function compare(spec: LoadSpec, line: number, pairs: number): Promise<Comparison> {
  const statics = await staticFindings([original], undefined, silentIO as never);
  const index = statics.findings.findIndex((f) => f.line === line);
  expect(index, `a finding on line ${line}`).toBeGreaterThanOrEqual(0);
  const rewritten = join(scratch, `line-${line}.mjs`);
  writeFileSync(rewritten, applyEdits(readFileSync(original, 'utf8'), statics.findings[index]!.suggestion!.edits));

  const traced = await traceUnderLoad([process.execPath, original], { ...silentIO, cwd: scratch } as never, spec, { quiet: true });
  const pick = (load?: ReturnType<typeof closedLoad>) => {
    const s = analyzeRuntime(traced.trace, statics.groups, load ? { load } : {}).suggestions.find((x) => x.finding !== null && statics.groupFinding[x.finding] === index);
    expect(s, `a suggestion for the finding on line ${line}`).toBeDefined();
    return s!.perRootMs;
  };
  const predicted = pick(closedLoad(traced.load));
  const replayed = pick();
  const before: LoadResult[] = [];
  const after: LoadResult[] = [];
  const run = async (file: string) => (await runUnderLoad(spec, process.env, (env, stop) => runPlain([process.execPath, file], scratch, env, stop))).load;
  for (let i = 0; i < pairs; i++) {
    before.push(await run(original));
    after.push(await run(rewritten));
  }
  // The least disturbed run of each side: other work on the machine only ever adds latency.
  const least = (list: readonly LoadResult[]) => Math.min(...list.map((r) => r.latency.mean));
  return { predicted, replayed, measured: least(before) - least(after), traced: traced.load, before, after };
}

function describeComparison(c: Comparison): string {
  const runs = (list: readonly LoadResult[]) => list.map((r) => `${r.latency.mean.toFixed(1)} ms at ${r.perSec.toFixed(0)}/s (loop ${Math.round((r.utilisation ?? 0) * 100)}%)`).join(', ');
  return (
    `predicted ${c.predicted.toFixed(1)} ms (replaying the arrivals: ${c.replayed.toFixed(1)}), measured ${c.measured.toFixed(1)} ms; ` +
    `traced ${c.traced.latency.mean.toFixed(1)} ms at ${c.traced.perSec.toFixed(0)}/s (loop ${Math.round((c.traced.utilisation ?? 0) * 100)}%); before: ${runs(c.before)}; after: ${runs(c.after)}`
  );
}

async function expectWithin(spec: LoadSpec, line: number, tolerance: number): Promise<Comparison> {
  const within = (c: Comparison) => Math.abs(c.predicted - c.measured) <= tolerance * Math.abs(c.measured);
  let result = await compare(spec, line, 2);
  if (!within(result)) result = await compare(spec, line, 2);
  expect(within(result), describeComparison(result)).toBe(true);
  return result;
}

describe('per-request savings under load match what the rewrite measures untraced', () => {
  it('I/O-bound route (two 30 ms lookups) at 10 connections: within 15%', async () => {
    const result = await expectWithin({ target: '/report', connections: 10, durationS: 3, listenTimeoutS: 30 }, 21, 0.15);
    expect(result.measured).toBeGreaterThan(15);
  });

  it('CPU-bound route at 100 connections, loop saturated: the saving is priced with queueing, below the requests\' own saving', async () => {
    // Accuracy here is not asserted: on the shared 2-core machine the untraced runs' latency varies 2-3x from run
    // to run (see docs/audit.md, "Servers under load"). What is asserted is the model's shape on a real trace.
    const spec = { target: '/render', connections: 100, durationS: 3, listenTimeoutS: 30 };
    const statics = await staticFindings([original], undefined, silentIO as never);
    const traced = await traceUnderLoad([process.execPath, original], { ...silentIO, cwd: scratch } as never, spec, { quiet: true });
    expect(traced.load.utilisation).toBeGreaterThan(0.8);
    const [closed] = analyzeRuntime(traced.trace, statics.groups, { load: closedLoad(traced.load) }).suggestions;
    const [replayed] = analyzeRuntime(traced.trace, statics.groups).suggestions;
    const own = Number(/its own waits shrink by ([\d.]+) ms/u.exec(closed!.detail)?.[1]);
    // The requests' own saving is one 12 ms lookup (the timers' due time, not their queued wait).
    expect(own).toBeGreaterThan(10);
    expect(own).toBeLessThan(20);
    expect(closed!.perRootMs).toBeGreaterThanOrEqual(0);
    expect(closed!.perRootMs).toBeLessThan(own);
    expect(closed!.perRootMs).toBeLessThan(replayed!.perRootMs);
    expect(closed!.throughput!.afterPerSec / closed!.throughput!.beforePerSec).toBeLessThan(1.1);
  });
});
