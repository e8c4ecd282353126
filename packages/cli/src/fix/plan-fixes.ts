import type { FileFinding } from '../analysis/outcome.js';
import { applyEdits } from '@overlap/core';
import { compatibleEditSets } from './apply-edits.js';

export interface FixPlan {
  /** The new file content (byte-order mark kept when the file had one). */
  readonly text: string;
  readonly applied: number;
}

/**
 * The rewrites --fix applies to one file: those of high-confidence findings only (a medium-confidence decision
 * rests on a guess, so it stays a suggestion), and of those only the ones that do not overlap an earlier one.
 * Undefined when nothing applies.
 */
export function planFixes(raw: string, findings: readonly FileFinding[]): FixPlan | undefined {
  const candidates = findings.flatMap((finding) =>
    finding.confidence === 'high' && finding.suggestion && finding.suggestion.edits.length > 0 ? [finding.suggestion] : [],
  );
  const chosen = compatibleEditSets(candidates);
  if (chosen.length === 0) return undefined;
  const bom = raw.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const text = bom + applyEdits(bom ? raw.slice(1) : raw, chosen.flatMap((suggestion) => suggestion.edits));
  return text === raw ? undefined : { text, applied: chosen.length };
}
