/**
 * The output of the runtime analysis: plain data, all times in milliseconds, files as absolute paths (the CLI
 * makes them relative for its reports).
 */

export interface SourcePoint {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One step of a critical path: a wait at an await site, or CPU work of one function between two awaits. */
export interface PathStep {
  readonly kind: 'wait' | 'cpu';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The awaited callee's text for waits, the function name for CPU work. */
  readonly name: string;
  /** Start, relative to the root's start. */
  readonly start: number;
  readonly ms: number;
  /** `file:line` of the await sites in calling frames whose wait this step is part of (outermost first). */
  readonly within: readonly string[];
}

export interface RootPath {
  readonly part: string;
  readonly root: number;
  readonly kind: 'process' | 'http';
  /** `process`, or `METHOD /route` of an HTTP request (the route pattern when the trace has it). */
  readonly route: string;
  readonly detail: string;
  readonly start: number;
  readonly totalMs: number;
  readonly steps: readonly PathStep[];
}

/** An await site aggregated over every root of the trace. */
export interface SiteStats {
  readonly site: SourcePoint;
  readonly name: string;
  /** Awaits recorded at the site. */
  readonly count: number;
  /** Roots whose critical path waits here. */
  readonly rootsOnPath: number;
  /** Critical-path milliseconds spent waiting here, summed over roots. */
  readonly criticalMs: number;
  /** criticalMs over the summed duration of all roots. */
  readonly share: number;
  readonly p50: number;
  readonly p95: number;
  /** On-path: how much sooner the roots would end, summed, if this site's waits took no time (simulated). */
  readonly dragMs: number;
  /** Off-path at joins: median time the wait could have taken longer without delaying its join. */
  readonly slackMs: number | null;
}

export type SuggestionKind = 'parallelize' | 'offload-cpu' | 'bound-concurrency';

/** Operations in flight at the same time on one resource (`http 127.0.0.1:8080`, `fs`, ...). */
export interface InFlight {
  readonly resource: string;
  readonly before: number;
  readonly after: number;
}

/** What a suggestion saves on one route: per request, over the requests in which its sites ran. */
export interface RouteSaving {
  readonly route: string;
  readonly roots: number;
  readonly perRootMs: number;
}

/** Requests per second before and after a change, derived from the trace (see docs/audit.md). */
export interface Throughput {
  readonly beforePerSec: number;
  readonly afterPerSec: number;
  /** Event-loop utilisation from traced CPU: near 1 the loop is saturated and shorter waits do not add throughput. */
  readonly utilisation: number;
}

/** Aggregates of one route over its requests (or the process roots under `process`). */
export interface RouteStats {
  readonly route: string;
  readonly count: number;
  /** End to end (request to response). */
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** Of it, waiting on the critical path, and CPU on the critical path. */
  readonly waitP50Ms: number;
  readonly waitP95Ms: number;
  readonly cpuP50Ms: number;
  readonly cpuP95Ms: number;
}

export interface Suggestion {
  readonly kind: SuggestionKind;
  /** The await (or fan-out) sites the suggestion is about, in source order. */
  readonly sites: readonly SourcePoint[];
  /** Summed over all roots; negative when the change costs time (bounding a fan-out). */
  readonly predictedSavingMs: number;
  /** Mean over the roots in which the sites ran. */
  readonly perRootMs: number;
  readonly rootsAffected: number;
  /** `unproven`: a trace candidate, sibling awaits the engine could neither prove independent nor dependent. */
  readonly confidence: 'high' | 'medium' | 'unproven';
  /** For `unproven`: why the engine could not prove the sites independent (an unclassified callee, ...). */
  readonly unprovenReason?: string;
  /** One paragraph for people: what, why, what it costs. */
  readonly detail: string;
  /** Index of the static finding this came from, in the array given to `analyzeRuntime`, or null. */
  readonly finding: number | null;
  readonly inFlight: readonly InFlight[];
  /** Calls that starting conditional steps early would add (counted from the trace); 0 when not speculative. */
  readonly extraCalls: number;
  /** For bound-concurrency: the limit derived from the trace. */
  readonly limit: number | null;
  /** The saving per request, route by route (the process counts as route `process`). */
  readonly perRoute: readonly RouteSaving[];
  /** Throughput effect on requests, when the trace has requests and the change shortens them. */
  readonly throughput: Throughput | null;
  /** For a schedule (a finding with a dependency graph): the most any rewrite keeping its edges could save. */
  readonly lowerBound: { readonly maxSavingPerRootMs: number } | null;
  /**
   * With `timelines`: the rewritten schedule of each picked root the suggestion changes, as the replay placed it
   * (to draw over the recorded timeline). Absent otherwise.
   */
  readonly timelines?: readonly RootTimeline[];
}

export interface HangFrame {
  readonly name: string;
  readonly file: string;
  readonly line: number;
}

export interface HangReport {
  readonly reason: 'slow' | 'pending-at-exit' | 'killed';
  readonly site: SourcePoint | null;
  readonly name: string;
  readonly waitedMs: number;
  /** The waiting frame, then its caller, up to the root. */
  readonly chain: readonly HangFrame[];
  /** Identical hangs (same reason, site and chain) reported as this one entry; waitedMs is the longest. */
  readonly count: number;
  /** Of them, how many belonged to an HTTP request cut off by the process's end (a server stopped mid-request). */
  readonly cutOff: number;
}

export interface RuntimeAnalysis {
  readonly roots: number;
  /** Duration of the slowest root. */
  readonly totalMs: number;
  /**
   * Critical path of the slowest root: among HTTP requests when the trace has any (the process that serves
   * them is reported apart, in `processes`), among the roots matching `root` when that option was given.
   */
  readonly slowest: RootPath | null;
  /** Process (and thread) roots, when requests exist: the server's own run, from start-up to shutdown. */
  readonly processes: readonly RootPath[];
  /** Per-route aggregates, busiest first. */
  readonly routes: readonly RouteStats[];
  /** Event-loop utilisation of the main part from traced CPU (0..1): queueing behind other work grows with it. */
  readonly utilisation: number;
  readonly sites: readonly SiteStats[];
  /** Ranked: largest predicted saving first. */
  readonly suggestions: readonly Suggestion[];
  readonly hangs: readonly HangReport[];
  /** How far the replayed baseline ended from the recorded root ends (mean absolute error, ms). */
  readonly modelErrorMs: number;
  /** With `timelines`: per route its slowest, median and p95 roots, with everything that ran for them. */
  readonly picked?: readonly PickedRoot[];
}

/**
 * A static finding as the runtime analysis needs it: which awaits (or loop, or fan-out) it is about. The CLI
 * builds these from `@overlap/core` findings and their `related` spans.
 */
export interface StaticGroup {
  readonly ruleId: string;
  /** `group`: await together; `start-early`: start the last await before the others; `loop`: iterations at once. */
  readonly kind: 'group' | 'start-early' | 'loop' | 'fan-out';
  readonly file: string;
  readonly confidence: 'high' | 'medium';
  /** Await sites (1-based line, 1-based column), in source order. */
  readonly awaits: readonly { readonly line: number; readonly column: number }[];
  /** Lines of the loop or fan-out expression. */
  readonly span: { readonly line: number; readonly endLine: number } | null;
  /**
   * For a schedule finding (`Finding.graph`): the dependency DAG over `awaits` (same order), as the nodes each
   * node must wait for. The rewrite priced is the best schedule: each await starts once those have settled.
   */
  readonly dag?: { readonly preds: readonly (readonly number[])[] };
}

/** A function that ran in a root's timeline, for lanes and hover chains. */
export interface TimelineFrame {
  /** The frame's id in the part; negative for a frame a rewrite created (an await started on its own). */
  readonly id: number;
  readonly parent: number | null;
  readonly name: string;
  readonly file: string;
  readonly line: number;
  /** `file:line` of the caller's await that waited for this frame (the await after the segment that called it). */
  readonly calledAt: string | null;
}

/** One bar of a timeline: CPU of a frame between two awaits, or a wait at an await site. */
export interface TimelineItem {
  readonly frame: number;
  readonly kind: 'wait' | 'cpu';
  /** The await site for waits, the frame's function for CPU. */
  readonly file: string;
  readonly line: number;
  readonly name: string;
  /** Milliseconds from the root's start. */
  readonly start: number;
  readonly ms: number;
  /** Recorded CPU with a CPU profile: the segment's sampled stacks (a flame tree, counts in samples). */
  readonly flame?: TimelineFlame;
}

export interface TimelineFlame {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly samples: number;
  readonly children: readonly TimelineFlame[];
}

/** Everything that ran for one root, recorded or as a replay of a (rewritten) schedule placed it. */
export interface RootTimeline {
  readonly part: string;
  readonly root: number;
  readonly totalMs: number;
  readonly frames: readonly TimelineFrame[];
  readonly items: readonly TimelineItem[];
}

/** Which representative a root is of its route: the slowest request, the median one, the 95th percentile. */
export type RootPick = 'slowest' | 'p50' | 'p95';

/** A root the HTML report can show: its critical path and everything that ran for it. */
export interface PickedRoot {
  readonly route: string;
  readonly picks: readonly RootPick[];
  readonly path: RootPath;
  readonly timeline: RootTimeline;
}
