import type { TextEdit } from '@overlap/core';

/**
 * Picks, from several findings' edit sets, the ones that can be applied together: in order, each set is taken
 * only when none of its edits overlaps an edit already taken (ESLint's rule for fixes in one pass).
 */
export function compatibleEditSets<T extends { readonly edits: readonly TextEdit[] }>(sets: readonly T[]): T[] {
  const taken: Array<readonly [number, number]> = [];
  const chosen: T[] = [];
  for (const set of sets) {
    const overlaps = set.edits.some((edit) => taken.some(([start, end]) => edit.range[0] < end && start < edit.range[1]));
    const selfOverlap = set.edits.some((edit, index) => set.edits.some((other, j) => j !== index && edit.range[0] < other.range[1] && other.range[0] < edit.range[1]));
    if (overlaps || selfOverlap) continue;
    taken.push(...set.edits.map((edit) => edit.range));
    chosen.push(set);
  }
  return chosen;
}
