import type { TextEdit } from '../model/fix.js';

/**
 * Applies non-overlapping edits to the text they were computed on, back to front so earlier offsets stay valid.
 * The one place rewrites become text: the CLI's `--fix`, `overlap verify` and the tests that check rewrites.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.range[0] - a.range[0] || b.range[1] - a.range[1])) {
    result = result.slice(0, edit.range[0]) + edit.text + result.slice(edit.range[1]);
  }
  return result;
}
