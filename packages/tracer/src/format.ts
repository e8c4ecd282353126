/**
 * The overlap-trace format, version 2 (documented in docs/trace-format.md).
 *
 * Line 1 is the header object. Then text lines, each either an object (rare events: parts, ends) or a compact
 * array whose first element is a one-letter event code, and (version 2) fixed-size binary records for the hot
 * events (frames, exits, awaits), told from text lines by their first byte.
 * Several processes and threads append to the same file; each write is a chunk that starts with a
 * `["@", pid, tid]` line naming the part the following lines belong to.
 */
export const TRACE_FORMAT = 'overlap-trace';
export const TRACE_VERSION = 2;

/** Environment variables the register entry reads. Only these; the trace records no other env. */
export const ENV_OUT = 'OVERLAP_TRACE_OUT';
/** Set by the process that created the file: later processes (children, workers) append to it. */
export const ENV_SESSION = 'OVERLAP_TRACE_SESSION';
/** `1` instruments code under node_modules too (off by default). */
export const ENV_NODE_MODULES = 'OVERLAP_TRACE_NODE_MODULES';
/** `1` records a V8 sampling CPU profile with the trace (off by default), charged to CPU segments by the reader. */
export const ENV_CPU_PROFILE = 'OVERLAP_TRACE_CPU_PROFILE';

/** `1` writes every hot event as a text line (no binary records): for tools that process a trace's lines as text. */
export const ENV_TEXT = 'OVERLAP_TRACE_TEXT';

/** Key of the per-thread runtime on globalThis: two copies of this package share one runtime. */
export const RUNTIME_KEY = 'overlap.tracer.runtime';

export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  version: number;
  /** Epoch milliseconds when the file was created. */
  created: number;
  /** Unit of every `t` field in array events: microseconds since the part's `origin`. */
  clock: 'us';
  tool: string;
}

/** Hot-path event codes (first element of array lines). */
export const EV = {
  chunk: '@',
  site: 'S',
  frame: 'F',
  suspend: 'A',
  resume: 'R',
  exit: 'X',
  resourceStart: 'Q',
  resourceEnd: 'q',
  rootStart: 'O',
  rootEnd: 'o',
  hang: 'H',
} as const;

export type SiteKind = 'fn' | 'await' | 'for-await' | 'module';
