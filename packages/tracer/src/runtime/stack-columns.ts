/**
 * Instrumentation inserts text on existing lines (never new lines), so only columns move. Without
 * `--enable-source-maps`, stack traces would show the shifted columns; this module maps them back so
 * `error.stack` and the crash output print exactly what the untraced program prints.
 */

/** file (as V8 names it: a file URL for ESM, a path for CommonJS) -> line (1-based) -> [col, len, col, len...]. */
const shiftsByFile = new Map<string, Map<number, number[]>>();

export function registerShifts(file: string, shifts: number[][]): void {
  if (shifts.length === 0) return;
  const lines = new Map<number, number[]>();
  for (const row of shifts) lines.set(row[0]!, row.slice(1));
  shiftsByFile.set(file, lines);
}

/** Maps a 1-based generated column back to the 1-based original column. */
export function originalColumn(file: string, line: number, column: number): number {
  const inserts = shiftsByFile.get(file)?.get(line);
  if (inserts === undefined) return column;
  const g = column - 1;
  let shift = 0;
  for (let i = 0; i < inserts.length; i += 2) {
    const at = inserts[i]! + shift;
    if (g < at) break;
    const len = inserts[i + 1]!;
    if (g < at + len) return inserts[i]! + 1;
    shift += len;
  }
  return g - shift + 1;
}

interface CallSiteLike {
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  toString(): string;
}

function formatCallSite(site: CallSiteLike): string {
  const text = String(site);
  const file = site.getFileName();
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (!file || line === null || column === null || !shiftsByFile.has(file)) return text;
  const fixed = originalColumn(file, line, column);
  if (fixed === column) return text;
  const suffix = `:${line}:${column}`;
  const at = text.lastIndexOf(suffix);
  return at < 0 ? text : text.slice(0, at) + `:${line}:${fixed}` + text.slice(at + suffix.length);
}

function isNodeError(error: object): boolean {
  for (let o: object | null = error; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    for (const symbol of Object.getOwnPropertySymbols(o)) if (symbol.description === 'kIsNodeError') return true;
  }
  return false;
}

/** Node's own formatting (lib/internal/errors.js), with instrumented columns mapped back. */
function prepareStackTrace(error: unknown, trace: CallSiteLike[]): string {
  let head: string;
  if (error !== null && typeof error === 'object' && isNodeError(error)) {
    const e = error as { name: unknown; code: unknown; message: unknown };
    head = `${e.name} [${e.code}]: ${e.message}`;
  } else {
    head = Error.prototype.toString.call(error);
  }
  if (trace.length === 0) return head;
  return `${head}\n    at ${trace.map(formatCallSite).join('\n    at ')}`;
}

/**
 * Installed only when nobody else formats stacks: with `--enable-source-maps` Node maps columns itself
 * through the composed source map the instrumentation appends, and a user-set formatter wins anyway.
 */
export function installStackFormatter(): void {
  if (process.sourceMapsEnabled || Error.prepareStackTrace !== undefined) return;
  Error.prepareStackTrace = prepareStackTrace as typeof Error.prepareStackTrace;
}
