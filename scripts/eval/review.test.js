import { describe, expect, it } from 'vitest';
import { carryReview, summariseReview } from './review.js';

const finding = (over) => ({
  ruleId: 'prefer-concurrent-awaits', confidence: 'medium', package: 'pkg@1.0.0', file: 'lib/a.js', line: 10,
  fingerprint: 'f1', message: 'a and b do not depend on each other', ...over,
});

describe('summariseReview', () => {
  it('counts right over judged per rule, per confidence and overall', () => {
    const s = summariseReview([
      finding({ verdict: 'right' }),
      finding({ verdict: 'wrong', confidence: 'high' }),
      finding({ ruleId: 'no-blocking-in-async', verdict: 'right', confidence: 'high' }),
    ]);
    expect(s.byRule).toEqual({ 'prefer-concurrent-awaits': { judged: 2, right: 1 }, 'no-blocking-in-async': { judged: 1, right: 1 } });
    expect(s.byConfidence).toEqual({ medium: { judged: 1, right: 1 }, high: { judged: 2, right: 1 } });
    expect(s.all).toEqual({ judged: 3, right: 2 });
  });
  it('refuses a file with findings still to judge', () => {
    expect(() => summariseReview([finding({ n: 4, verdict: '' }), finding({ verdict: 'right' })])).toThrow(/1 finding.*4 \(""\)/u);
  });
});

describe('carryReview', () => {
  const review = {
    findings: [
      { n: 1, ...finding({}), verdict: 'right', reason: 'independent reads' },
      { n: 2, ...finding({ fingerprint: 'f2', message: 'old wording' }), verdict: 'wrong', reason: 'ordered by mkdir' },
      { n: 3, ...finding({ fingerprint: 'f3' }), verdict: 'wrong', reason: 'gone now' },
    ],
  };

  it('carries a verdict when package, fingerprint and message are unchanged, even if the line moved', () => {
    const { carried, toJudge } = carryReview(review, [finding({ line: 40 })]);
    expect(toJudge).toEqual([]);
    expect(carried).toEqual([expect.objectContaining({ line: 40, verdict: 'right', reason: 'independent reads', carriedFrom: 1 })]);
  });
  it('asks again for a changed message, showing the old verdict, and for a new fingerprint', () => {
    const { carried, toJudge, gone } = carryReview(review, [finding({ fingerprint: 'f2', message: 'new wording' }), finding({ fingerprint: 'f9' })]);
    expect(carried).toEqual([]);
    expect(gone.map((item) => item.n)).toEqual([1, 3]);
    expect(toJudge[0]).toMatchObject({ fingerprint: 'f2', verdict: '', was: { n: 2, message: 'old wording', verdict: 'wrong' } });
    expect(toJudge[1]).toMatchObject({ fingerprint: 'f9', verdict: '' });
    expect(toJudge[1].was).toBeUndefined();
  });
  it('does not carry across packages with the same fingerprint', () => {
    const { toJudge } = carryReview(review, [finding({ package: 'other@2.0.0' })]);
    expect(toJudge).toHaveLength(1);
  });
  it('lists review entries no longer found, and uses each entry once', () => {
    const { carried, toJudge, gone } = carryReview(review, [finding({}), finding({})]);
    expect(carried).toHaveLength(1);
    expect(toJudge).toHaveLength(1);
    expect(gone.map((item) => item.n)).toEqual([2, 3]);
  });
  it('keeps the entries of a package the CLI could not run apart from the ones gone', () => {
    const { gone, notRun } = carryReview(review, [], new Set(['pkg@1.0.0']));
    expect(gone).toEqual([]);
    expect(notRun.map((item) => item.n)).toEqual([1, 2, 3]);
  });
  it('matches on the fingerprint alone when the review has no messages, and says so', () => {
    const old = { findings: [{ n: 7, ruleId: 'prefer-concurrent-awaits', package: 'pkg@1.0.0', fingerprint: 'f1', verdict: 'wrong', reason: 'r' }] };
    const { carried } = carryReview(old, [finding({})]);
    expect(carried[0]).toMatchObject({ verdict: 'wrong', carriedOn: 'fingerprint' });
  });
});
