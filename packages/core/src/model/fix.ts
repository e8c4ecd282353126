/** Replace the text in `range` (character offsets into the file as parsed) with `text`. */
export interface TextEdit {
  readonly range: readonly [number, number];
  readonly text: string;
}

/**
 * A rewrite offered for a finding. It is an ESLint suggestion (never an autofix) because every rewrite we offer
 * changes timing or error semantics; the CLI applies it only on `--fix` and only for high-confidence findings.
 */
export interface Rewrite {
  readonly messageId: string;
  readonly data: Readonly<Record<string, string | number>>;
  /** The message template filled with `data`. */
  readonly description: string;
  /** Non-overlapping edits, in any order. */
  readonly edits: readonly TextEdit[];
}
