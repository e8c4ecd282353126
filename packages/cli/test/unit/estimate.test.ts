import { describe, expect, it } from 'vitest';
import { RemainingEstimate, formatRemaining } from '../../src/check/estimate.js';

describe('the progress bar estimate', () => {
  it('starts only once it has data', () => {
    const estimate = new RemainingEstimate(100, 0);
    expect(estimate.update(0, 100)).toBeUndefined();
    expect(estimate.update(2, 2000)).toBeUndefined();
    expect(estimate.update(10, 200)).toBeUndefined();
    expect(estimate.update(10, 1000)).toBeCloseTo(9, 5);
    expect(formatRemaining(undefined)).toBe('estimating…');
  });

  it('never jumps back up when a stretch is slower, and ends at 0', () => {
    const estimate = new RemainingEstimate(100, 0);
    const seen = [
      estimate.update(10, 1000),
      estimate.update(20, 2000),
      estimate.update(21, 6000), // a slow file: the naive figure would jump from 8 s to about 22 s
      estimate.update(50, 7000),
      estimate.update(100, 9000),
    ];
    for (let index = 1; index < seen.length; index++) expect(seen[index]!).toBeLessThanOrEqual(seen[index - 1]!);
    expect(seen.at(-1)).toBe(0);
    expect(formatRemaining(75.2)).toBe('1m16s left');
    expect(formatRemaining(119.5)).toBe('2m00s left');
  });
});
