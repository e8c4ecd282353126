/**
 * How sure a finding is. `high`: every fact the decision rests on was seen (both operations classified, no unknown
 * callee in between). `medium`: the decision rests on a name-based guess or an effect we could not classify.
 * The CLI's `--fix` applies only `high` rewrites; the recommended configs report both.
 */
export type Confidence = 'high' | 'medium';

export const confidenceRank: Readonly<Record<Confidence, number>> = { medium: 1, high: 2 };

export function lowerConfidence(a: Confidence, b: Confidence): Confidence {
  return confidenceRank[a] <= confidenceRank[b] ? a : b;
}
