import type { SiteKind, TraceHeader } from '../format.js';

/**
 * The in-memory model of a trace, built by `readTrace`. All times are milliseconds (µs precision) on one
 * clock shared by every part of the trace: 0 is the earliest part's time origin.
 */
export interface Trace {
  header: TraceHeader;
  parts: Part[];
  /** Lines that could not be read (truncated last line, unknown event): `line N: problem`. */
  warnings: string[];
}

/** One traced process or worker thread. */
export interface Part {
  /** `${pid}.${tid}`: tid 0 is the process's main thread. */
  key: string;
  pid: number;
  tid: number;
  ppid: number | null;
  main: boolean;
  entry: string | null;
  node: string | null;
  /** Epoch milliseconds of the part's time origin. */
  origin: number;
  sites: Map<number, Site>;
  /** Every frame, by id. */
  frames: Map<number, Frame>;
  /** Every await that completed or is still pending, in the order they suspended. */
  awaits: Await[];
  /** CPU segments of every frame, frame by frame (in the order frames first appear in the trace). */
  cpu: CpuSegment[];
  /** Root 0 is the process (or thread) itself; HTTP server requests are roots 1... */
  roots: Map<number, Root>;
  resources: Resource[];
  hangs: Hang[];
  /** Hangs grouped by site and by the sites of their chain: 16 requests cut off alike are one group of 16. */
  hangGroups: HangGroup[];
  /** The CPU profile recorded with the trace (opt-in), or null. Its samples are charged to `CpuSegment.profile`. */
  profile: CpuProfileSummary | null;
  /** How the part ended: recorded at exit, or unknown (killed by a signal, or cut short). */
  end: PartEnd;
}

export interface PartEnd {
  /** False when no end record was written: the process died by a signal (or SIGKILL, or a crash of Node itself). */
  clean: boolean;
  /** Time of the end record, or of the last event seen. */
  time: number;
  exitCode: number | null;
  /** Signal name when the runner saw the process die from one. */
  signal: string | null;
  /** Events the tracer had to drop (after a write failure). */
  dropped: number;
  /**
   * When user code called `process.exit`: the frame that called it, then its callers. Their pending awaits were cut
   * short on purpose and are not hangs. Empty when the process ended by itself (or exited from a callback).
   */
  exitChain: number[];
}

export interface Site {
  id: number;
  kind: SiteKind;
  /** Original source file (through source maps when the loaded file had one): an absolute path. */
  file: string;
  line: number;
  column: number;
  /** Function name for `fn` sites; the awaited callee's text for `await` sites (`fetch`, `db.query`). */
  name: string;
}

export interface Frame {
  id: number;
  /** The function (kind `fn`) or module (kind `module`) this frame runs. */
  site: Site;
  /** The frame that was running synchronously when this one was called: its causal parent. */
  parent: number | null;
  /** Index of the parent's CPU segment during which this frame was called. */
  parentSegment: number;
  root: number;
  start: number;
  /** null while the frame never finished (still pending at exit or when the process died). */
  end: number | null;
  threw: boolean;
  children: number[];
  /** The awaits of this frame in order: await i ends CPU segment i and is followed by segment i + 1. */
  awaits: Await[];
  segments: CpuSegment[];
}

export interface Await {
  frame: number;
  site: Site;
  /** Index among the frame's awaits: the await that ends segment `index`. */
  index: number;
  /** When the frame suspended (the awaited operation had just been started or was already running). */
  start: number;
  /** When the frame resumed; null if still pending. */
  end: number | null;
  rejected: boolean;
  /** Child frames called during the CPU segment that led to this await: the calls it most likely waits on. */
  calls: number[];
  /** Resources started during that segment by this frame (or by code it called synchronously). */
  resources: number[];
}

export interface CpuSegment {
  frame: number;
  index: number;
  start: number;
  end: number;
  /** Time not spent in the synchronous part of instrumented child frames called from this segment. */
  self: number;
  /**
   * With a CPU profile (`cpuProfile`): where the segment's CPU went, by the function it called (uninstrumented,
   * synchronous: `render`), largest first; `(self)` is the segment's own code. Absent without a profile or samples.
   */
  profile?: CpuCharge[];
  /**
   * With a CPU profile: the sampled stacks of the segment as a tree rooted at the segment's own function (what a
   * flame graph of the step draws). Absent without a profile or samples.
   */
  flame?: FlameNode;
}

/** One function in a segment's sampled stacks; `samples` counts the samples in it and below it. */
export interface FlameNode {
  name: string;
  file: string;
  line: number;
  samples: number;
  children: FlameNode[];
}

/** CPU time of one callee within a segment, from the profile's samples. */
export interface CpuCharge {
  /** The function the segment's code called (V8's name; `(self)` for the segment's own code, `(anonymous)`). */
  name: string;
  /** Its file (a path; `node:...` for Node's own code) and 1-based line, as V8 reports them. */
  file: string;
  line: number;
  /** The segment's duration times this callee's share of the segment's samples. */
  ms: number;
  samples: number;
}

export interface CpuProfileSummary {
  intervalMs: number;
  samples: number;
  /** Samples inside some CPU segment of an instrumented frame (the rest ran outside user async frames). */
  inSegments: number;
}

export interface Root {
  id: number;
  kind: 'process' | 'http';
  /** HTTP roots: method and path without query string (`GET /users/42`); the process root: its entry file. */
  detail: string;
  /** HTTP method (`GET`); null for the process root. */
  method: string | null;
  /**
   * HTTP roots: the route, `/users/:id`, where the framework exposes its pattern (fastify, express), else the path
   * without query string; null for the process root. Group requests by `method` and `route`.
   */
  route: string | null;
  /** Where `route` came from: the framework's route pattern, or the request path. */
  routeFrom: 'pattern' | 'path' | null;
  /** An HTTP request whose response never finished before the process ended (cut off by shutdown). */
  cutOff: boolean;
  start: number;
  end: number | null;
  /** HTTP status for HTTP roots; the exit code for the process root when known. */
  status: number | null;
  frames: number[];
}

export interface Resource {
  id: number;
  /** http, fetch, net, child_process, worker, fs, dns, timer. */
  kind: string;
  detail: string;
  /** The frame running when the operation started (0: none, e.g. started from a library callback). */
  frame: number;
  root: number;
  start: number;
  end: number | null;
  /**
   * True when Node gives no end for this kind (fs, dns and timers/promises calls): `end` is then when the frame
   * that started it resumed from the await that waited on it, an upper bound.
   */
  endInferred: boolean;
  failed: boolean;
}

export interface Hang {
  frame: number;
  site: Site | null;
  /** When the frame suspended at the site. */
  since: number;
  /** When it was reported: during the run (pending far longer than the site's usual time) or at exit. */
  reportedAt: number;
  reason: 'slow' | 'pending-at-exit' | 'killed';
  /** The waiting frame, then its caller, and so on up to the root: the chain of frames waiting on the site. */
  chain: number[];
  /** The root of the hung frame (an HTTP request, or 0 for the process). */
  root: number;
  /** Identical hangs share this key: reason, the site, and the function sites of the chain. */
  key: string;
}

/** Hangs with the same key: the same wait, at the same site, through the same chain of functions. */
export interface HangGroup {
  key: string;
  reason: Hang['reason'];
  site: Site | null;
  /** The function site of each frame of the chain, innermost first. */
  chain: Site[];
  count: number;
  /** Of them, how many belonged to an HTTP request cut off by the process's end. */
  cutOff: number;
  /** Earliest `since` of the group and the longest wait until it was reported (ms). */
  since: number;
  longestMs: number;
  hangs: Hang[];
}
