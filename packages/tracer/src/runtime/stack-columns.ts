import { sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TRACER_DIR } from '../instrument/filter.js';
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

const TRACER_PATH = TRACER_DIR + sep;
const TRACER_URL = pathToFileURL(TRACER_DIR).href + '/';

/** The tracer's own functions (the `for await` and fs wrappers) never show in the program's stack traces. */
function isTracerFrame(site: CallSiteLike): boolean {
  const file = site.getFileName();
  return typeof file === 'string' && (file.startsWith(TRACER_URL) || file.startsWith(TRACER_PATH));
}

type PrepareStackTrace = (error: Error, trace: CallSiteLike[]) => unknown;

const CALLSITE_METHODS = [
  'getColumnNumber', 'getEnclosingColumnNumber', 'getEnclosingLineNumber', 'getEvalOrigin', 'getFileName',
  'getFunction', 'getFunctionName', 'getLineNumber', 'getMethodName', 'getPosition', 'getPromiseIndex',
  'getScriptNameOrSourceURL', 'getScriptHash', 'getThis', 'getTypeName', 'isAsync', 'isConstructor', 'isEval',
  'isNative', 'isPromiseAll', 'isToplevel',
] as const;

/** A stand-in for a V8 CallSite in an instrumented file: same answers, original column. */
function remapCallSite(site: CallSiteLike): CallSiteLike {
  const file = site.getFileName();
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (!file || line === null || column === null || !shiftsByFile.has(file)) return site;
  const fixed = originalColumn(file, line, column);
  if (fixed === column) return site;
  const copy: Record<string, unknown> = {};
  const real = site as unknown as Record<string, (() => unknown) | undefined>;
  for (const name of CALLSITE_METHODS) {
    const method = real[name];
    if (typeof method === 'function') copy[name] = () => method.call(site);
  }
  copy['getColumnNumber'] = () => fixed;
  copy['toString'] = () => {
    const text = String(site);
    const suffix = `:${line}:${column}`;
    const at = text.lastIndexOf(suffix);
    return at < 0 ? text : text.slice(0, at) + `:${line}:${fixed}` + text.slice(at + suffix.length);
  };
  return copy as unknown as CallSiteLike;
}

/**
 * Wraps the stack formatter in place at startup (Node 20 installs its own `Error.prepareStackTrace`): the
 * formatter sees call sites whose columns are the original ones, so `error.stack` and crash output print
 * exactly what the untraced program prints. Files that had a source map get a composed map instead under
 * `--enable-source-maps` (and no shifts), so Node maps their columns itself.
 */
export function installStackFormatter(): void {
  const original = Error.prepareStackTrace as PrepareStackTrace | undefined;
  if (typeof original !== 'function') return;
  const wrapped = function prepareStackTrace(this: unknown, error: Error, trace: CallSiteLike[]): unknown {
    let mapped = trace;
    try {
      mapped = trace.filter((site) => !isTracerFrame(site)).map(remapCallSite);
    } catch {
      mapped = trace;
    }
    return original.call(this, error, mapped);
  };
  Object.defineProperty(wrapped, 'name', { value: original.name });
  Error.prepareStackTrace = wrapped as typeof Error.prepareStackTrace;
}
