/**
 * @overlap/tracer: a low-overhead async tracer for Node.js. Run a program traced (`runTraced`, or
 * `node --import @overlap/tracer/register`), then read the trace (`readTrace`) into a typed model.
 */
export { ENV_CPU_PROFILE, ENV_NODE_MODULES, ENV_OUT, ENV_SESSION, ENV_TEXT, TRACE_FORMAT, TRACE_VERSION } from './format.js';
export type { SiteKind, TraceHeader } from './format.js';
export { runTraced, registerUrl, withTracerImport } from './run/run-traced.js';
export type { RunTracedOptions, RunTracedResult } from './run/run-traced.js';
export { parseTrace, readTrace, TraceReadError } from './read/read-trace.js';
export { partColumns } from './read/columns.js';
export type { AwaitColumns, FrameColumns, PartColumns, SegmentColumns } from './read/columns.js';
export type { Await, CpuCharge, CpuProfileSummary, CpuSegment, FlameNode, Frame, Hang, HangGroup, Part, PartEnd, Resource, Root, Site, Trace } from './read/model.js';
export { toChromeTrace } from './read/chrome.js';
export type { ChromeEvent } from './read/chrome.js';
export { instrument } from './instrument/transform.js';
export type { TransformOptions, TransformResult } from './instrument/transform.js';
