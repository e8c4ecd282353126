import type { Part } from '@overlap/tracer';
import type { SimGraph } from '../graph/sim-graph.js';
import type { Throughput } from '../model.js';
import { simulate } from '../simulate/simulate.js';
import { closedLoopSaving, type ClosedLoad } from './closed-loop.js';

/** A rewrite's effect on the requests of one part under a closed-loop load. */
export interface ClosedLoopEffect {
  /** Saving (ms) per HTTP root of the part: its own saving plus the change in queueing every request sees. */
  readonly savings: ReadonlyMap<number, number>;
  readonly throughput: Throughput;
  /** Mean of the affected requests' own savings (ms), before queueing: what the open replay would promise. */
  readonly ownPerRequestMs: number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Each request's own saving comes from replaying both graphs with no CPU queue (each request with the loop to
 * itself); the closed-loop model (closed-loop.ts) turns their mean into the change in cycle time at the traced
 * throughput, utilisation and number of clients. The difference between the two is queueing: a request saves its
 * own share, plus (usually minus) the change in how long every request queues for the loop.
 */
export function closedLoopEffect(part: Part, baseline: SimGraph, rewritten: SimGraph, affected: ReadonlySet<number>, load: ClosedLoad): ClosedLoopEffect | null {
  let n = 0;
  let first = Infinity;
  let last = -Infinity;
  const http: number[] = [];
  for (const [id, span] of baseline.roots) {
    if (part.roots.get(id)?.kind !== 'http') continue;
    n++;
    http.push(id);
    first = Math.min(first, span.start);
    last = Math.max(last, span.end);
  }
  const window = last - first;
  if (n < 2 || window <= 0) return null;
  const before = simulate(baseline, { uncontended: true });
  const after = simulate(rewritten, { uncontended: true });
  const own = new Map<number, number>();
  let ownSum = 0;
  for (const id of http) {
    if (!affected.has(id)) continue;
    const b = before.rootEnds.get(id);
    const a = after.rootEnds.get(id);
    if (b === undefined || a === undefined) continue;
    own.set(id, b - a);
    ownSum += b - a;
  }
  if (own.size === 0) return null;
  const utilisation = Math.min(1, load.utilisation ?? baseline.utilisation);
  const outcome = closedLoopSaving({ clients: load.connections, throughput: n / window, utilisation, ownSavingMs: ownSum / n });
  const queueing = outcome.savingMs - ownSum / n;
  const savings = new Map<number, number>();
  for (const id of http) savings.set(id, (own.get(id) ?? 0) + queueing);
  return {
    savings,
    throughput: { beforePerSec: round(outcome.beforePerSec), afterPerSec: round(outcome.afterPerSec), utilisation: Math.round(utilisation * 100) / 100 },
    ownPerRequestMs: ownSum / own.size,
  };
}
