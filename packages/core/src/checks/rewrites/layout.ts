import type { TSESTree } from '@typescript-eslint/types';

/** The whitespace that starts the line `offset` is on. */
export function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const match = /^[ \t]*/u.exec(text.slice(lineStart, offset));
  return match?.[0] ?? '';
}

/** One indentation step, guessed from the file: a tab if the line uses tabs, else two spaces. */
export function indentUnit(indent: string): string {
  return indent.includes('\t') ? '\t' : '  ';
}

/** Does the statement end with a semicolon? Rewrites follow the file's style. */
export function endsWithSemicolon(text: string, statement: TSESTree.Node): boolean {
  return text.slice(statement.range[0], statement.range[1]).trimEnd().endsWith(';');
}

/** The comments (and only comments) between two adjacent statements, as trimmed text; empty when none. */
export function commentsBetween(text: string, end: number, start: number): string {
  return text.slice(end, start).trim();
}

const reserved = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'await',
  'implements', 'interface', 'package', 'private', 'protected', 'public', 'arguments', 'eval', 'undefined',
]);

/** Every identifier-like word in a stretch of source: what `freshName` must not collide with. */
export function namesIn(text: string): Set<string> {
  return new Set(text.match(/[\p{L}\p{N}_$]+/gu) ?? []);
}

/** A name nobody uses in the scope (`taken` holds every identifier name used there): `base`, else `base2`, … */
export function freshName(taken: ReadonlySet<string>, base: string): string {
  const start = reserved.has(base) ? `${base}Value` : base;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? start : `${start}${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Line (1-based) and column (0-based) of an offset, as ESTree counts them. Only called per finding. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart };
}
