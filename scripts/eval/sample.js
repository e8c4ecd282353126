/** A small seeded generator (mulberry32): the same seed draws the same sample on every machine. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Draws `n` items without replacement: first one item of every stratum (so each rule with findings is reviewed),
 * then uniformly from what is left. Returns all items when there are at most `n`.
 */
export function sampleStratified(items, n, seed, stratumOf) {
  if (items.length <= n) return [...items];
  const random = seededRandom(seed);
  const left = [...items];
  const take = (index) => left.splice(index, 1)[0];
  const chosen = [];
  const strata = [...new Set(items.map(stratumOf))].sort();
  for (const stratum of strata) {
    if (chosen.length >= n) break;
    const indexes = left.flatMap((item, index) => (stratumOf(item) === stratum ? [index] : []));
    chosen.push(take(indexes[Math.floor(random() * indexes.length)]));
  }
  while (chosen.length < n) chosen.push(take(Math.floor(random() * left.length)));
  return chosen;
}
