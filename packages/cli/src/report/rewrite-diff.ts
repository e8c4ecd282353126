import { createRequire } from 'node:module';
import { applyEdits, type TextEdit } from '@overlap/core';
import type * as Diff from 'diff';

/** jsdiff (about 30 ms to load), required the first time a rewrite is shown: a report without one never loads it. */
let jsdiff: typeof Diff | undefined;

/** One hunk of a rewrite: the line of the original where it applies, and its `-`/`+` lines. */
export interface RewriteHunk {
  /** The first original line the hunk replaces; for a pure insertion, the line the new text goes before. */
  readonly line: number;
  readonly lines: readonly string[];
}

/**
 * A rewrite as unified-diff hunks without context. Every report (text, audit text, HTML) labels hunks from here,
 * so `@@ line n @@` means the same line everywhere. (jsdiff gives a pure insertion the line it goes before.)
 */
export function rewriteHunks(source: string, edits: readonly TextEdit[]): RewriteHunk[] {
  jsdiff ??= createRequire(import.meta.url)('diff') as typeof Diff;
  const patch = jsdiff.structuredPatch('a', 'b', source, applyEdits(source, edits), '', '', { context: 0 });
  return patch.hunks.map((hunk) => ({ line: hunk.oldStart, lines: hunk.lines }));
}
