/**
 * @overlap/runtime-analysis: pure analysis of an Overlap trace. Causal graph -> critical path per root ->
 * await sites aggregated across roots (slack, drag) -> simulated savings of the static findings' rewrites.
 * No Node runtime hooks: it reads the tracer's model and returns plain data for the CLI's reports.
 */
export { analyzeRuntime } from './analyze.js';
export type { AnalyzeOptions } from './analyze.js';
export type {
  HangFrame,
  HangReport,
  InFlight,
  PathStep,
  PickedRoot,
  RootPick,
  RootTimeline,
  TimelineFlame,
  TimelineFrame,
  TimelineItem,
  RootPath,
  RouteSaving,
  RouteStats,
  Throughput,
  RuntimeAnalysis,
  SiteStats,
  SourcePoint,
  StaticGroup,
  Suggestion,
  SuggestionKind,
} from './model.js';
export { criticalPath } from './graph/critical-path.js';
export { recordedTimeline } from './graph/root-timeline.js';
export { replayedTimeline } from './simulate/timeline.js';
export { pickRoots } from './roots/pick.js';
export { matchesPattern, routeOf } from './roots/routes.js';
export { busyRuns } from './graph/sim-graph.js';
export { buildSimGraph, patchGraph, resourceKey, rootSpan } from './graph/sim-graph.js';
export type { CpuStep, FrameTable, GraphPatch, Leaf, RootAnchor, SimCall, SimFrame, SimGraph, SimStep, WaitStep } from './graph/sim-graph.js';
export type { StepTable } from './graph/step-table.js';
export { simulate, peakInFlight } from './simulate/simulate.js';
export type { InFlightLog, Schedule, SimulateOptions } from './simulate/simulate.js';
export { concurrentIterations, dagCriticalPath, draftOf, finish, hoistAwait, offloadFrames, scheduleDag, zeroSites } from './simulate/rewrites.js';
export type { GraphDraft } from './simulate/rewrites.js';
export { deriveLimit, makespan } from './suggest/fan-out.js';
export { seriesAwaitFiles, traceCandidates, unprovenRuns } from './suggest/trace-candidates.js';
export type { AwaitGraphInput } from './suggest/trace-candidates.js';
export { calibrateDelay, closedLoopSaving, mvaThroughput } from './queueing/closed-loop.js';
export type { ClosedLoad, ClosedLoopInput, ClosedLoopOutcome } from './queueing/closed-loop.js';
