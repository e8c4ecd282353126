/** Small statistics over repeated measurements: median and spread, nothing clever. */

export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Half the min-max range as a share of the median: "±4%" reads as "repetitions stayed within 4%". */
export function spread(values) {
  if (values.length < 2) return 0;
  const m = median(values);
  if (!Number.isFinite(m) || m === 0) return 0;
  return (Math.max(...values) - Math.min(...values)) / 2 / Math.abs(m);
}

/** `{ median, spread, min, max, n }` of a list of numbers. */
export function summarize(values) {
  return {
    median: median(values),
    spread: spread(values),
    min: values.length ? Math.min(...values) : Number.NaN,
    max: values.length ? Math.max(...values) : Number.NaN,
    n: values.length,
  };
}

export function percentile(sortedValues, p) {
  if (sortedValues.length === 0) return Number.NaN;
  const index = Math.min(sortedValues.length - 1, Math.max(0, Math.ceil((p / 100) * sortedValues.length) - 1));
  return sortedValues[index];
}
