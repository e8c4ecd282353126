/**
 * Bounding a fan-out: given the durations of the operations one join waited on (in the order they started),
 * the makespan a pool of `limit` workers would give, and the smallest limit that stays close to unbounded.
 */

/** List scheduling in call order: each operation starts when one of `limit` slots frees up. */
export function makespan(durations: readonly number[], limit: number): number {
  if (durations.length === 0) return 0;
  const slots = new Array<number>(Math.max(1, Math.min(limit, durations.length))).fill(0);
  for (const d of durations) {
    let min = 0;
    for (let i = 1; i < slots.length; i++) if (slots[i]! < slots[min]!) min = i;
    slots[min]! += d;
  }
  return slots.reduce((m, s) => Math.max(m, s), 0);
}

/**
 * The smallest limit whose makespan is within `tolerance` (a fraction) of running everything at once. Latency
 * under full load is what the trace saw; a bounded pool usually sees lower latencies, so this is conservative.
 */
export function deriveLimit(durations: readonly number[], tolerance = 0.25): { limit: number; costMs: number } {
  const unbounded = makespan(durations, durations.length);
  for (let limit = 1; limit < durations.length; limit++) {
    const m = makespan(durations, limit);
    if (m <= unbounded * (1 + tolerance)) return { limit: Math.max(2, limit), costMs: makespan(durations, Math.max(2, limit)) - unbounded };
  }
  return { limit: durations.length, costMs: 0 };
}
