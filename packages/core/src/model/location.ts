/** A point in a source file as ESTree gives it: 1-based line, 0-based column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A stretch of source text, both as line/column (for people) and as character offsets (for edits). */
export interface SourceSpan {
  readonly start: Position;
  readonly end: Position;
  readonly range: readonly [number, number];
}

/** Anything with ESTree `loc` and `range`: every node the parsers give us has both. */
export interface Locatable {
  readonly loc: { readonly start: Position; readonly end: Position };
  readonly range: readonly [number, number];
}

export function spanOf(node: Locatable): SourceSpan {
  return {
    start: { line: node.loc.start.line, column: node.loc.start.column },
    end: { line: node.loc.end.line, column: node.loc.end.column },
    range: [node.range[0], node.range[1]],
  };
}
