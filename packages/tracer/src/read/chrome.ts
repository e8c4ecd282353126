import type { Frame, Part, Site, Trace } from './model.js';

/** One Chrome Trace Event (the JSON format Perfetto and chrome://tracing load). */
export interface ChromeEvent {
  name: string;
  cat?: string;
  ph: string;
  ts?: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  bp?: string;
  args?: Record<string, unknown>;
}

const us = (ms: number) => Math.round(ms * 1000 * 1000) / 1000;
const where = (site: Site) => `${site.file}:${site.line}:${site.column}`;
const label = (site: Site) => (site.kind === 'module' ? `(module) ${site.file}` : site.name || `(anonymous) ${site.file}:${site.line}`);

/**
 * Chrome Trace Event JSON: CPU segments as slices on each thread, each frame and its awaits as an async
 * track, resources and roots as async tracks of their own, and flow arrows for causality (a call from the
 * parent's segment into the child; the child's end back to the parent's resumption).
 */
export function toChromeTrace(trace: Trace): { traceEvents: ChromeEvent[]; displayTimeUnit: 'ms' } {
  const events: ChromeEvent[] = [];
  for (const part of trace.parts) addPart(events, part);
  return { traceEvents: events, displayTimeUnit: 'ms' };
}

function addPart(events: ChromeEvent[], part: Part): void {
  const pid = part.pid;
  const tid = part.tid;
  const key = part.key;
  events.push({ name: 'process_name', ph: 'M', pid, tid, args: { name: `node ${part.entry ?? ''} (pid ${pid})` } });
  events.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: tid === 0 ? 'main thread' : `worker ${tid}` } });

  for (const segment of part.cpu) {
    const frame = part.frames.get(segment.frame);
    if (!frame) continue;
    events.push({
      name: label(frame.site),
      cat: 'cpu',
      ph: 'X',
      ts: us(segment.start),
      dur: us(segment.end - segment.start),
      pid,
      tid,
      args: { frame: frame.id, segment: segment.index, selfMs: segment.self, site: where(frame.site) },
    });
  }

  for (const frame of part.frames.values()) {
    const id = `${key}.f${frame.id}`;
    const end = frame.end ?? part.end.time;
    events.push({ name: label(frame.site), cat: 'frame', ph: 'b', ts: us(frame.start), pid, tid, id, args: { site: where(frame.site), root: frame.root, parent: frame.parent } });
    for (const a of frame.awaits) {
      const name = `await ${a.site.name || ''} ${a.site.file.split(/[\\/]/).pop()}:${a.site.line}`.replace(/\s+/g, ' ');
      events.push({ name, cat: 'frame', ph: 'b', ts: us(a.start), pid, tid, id, args: { site: where(a.site) } });
      events.push({ name, cat: 'frame', ph: 'e', ts: us(a.end ?? end), pid, tid, id });
    }
    events.push({ name: label(frame.site), cat: 'frame', ph: 'e', ts: us(end), pid, tid, id });
    addFlows(events, part, frame);
  }

  for (const resource of part.resources) {
    const id = `${key}.r${resource.id}`;
    const name = `${resource.kind} ${resource.detail}`.trim();
    events.push({ name, cat: 'resource', ph: 'b', ts: us(resource.start), pid, tid, id, args: { frame: resource.frame, failed: resource.failed } });
    events.push({ name, cat: 'resource', ph: 'e', ts: us(resource.end ?? part.end.time), pid, tid, id });
  }
  for (const root of part.roots.values()) {
    if (root.kind === 'process') continue;
    const id = `${key}.o${root.id}`;
    events.push({ name: root.detail, cat: 'root', ph: 'b', ts: us(root.start), pid, tid, id, args: { status: root.status } });
    events.push({ name: root.detail, cat: 'root', ph: 'e', ts: us(root.end ?? part.end.time), pid, tid, id });
  }
}

/** Flow arrows: parent segment -> child's first segment (the call), child's last segment -> parent's resumption. */
function addFlows(events: ChromeEvent[], part: Part, frame: Frame): void {
  if (frame.parent === null) return;
  const parent = part.frames.get(frame.parent);
  if (!parent) return;
  const pid = part.pid;
  const tid = part.tid;
  const first = frame.segments[0];
  const callerSeg = parent.segments[frame.parentSegment];
  if (first && callerSeg && callerSeg.start < first.start) {
    const id = `${part.key}.c${frame.id}`;
    events.push({ name: 'call', cat: 'flow', ph: 's', ts: us(Math.max(callerSeg.start, first.start - 0.0005)), pid, tid, id });
    events.push({ name: 'call', cat: 'flow', ph: 'f', bp: 'e', ts: us(first.start), pid, tid, id });
  }
  const last = frame.segments[frame.segments.length - 1];
  if (frame.end === null || !last) return;
  const resumed = parent.awaits.find((a) => a.end !== null && a.end >= frame.end! && a.start <= frame.end!);
  const resumedSeg = resumed ? parent.segments[resumed.index + 1] : undefined;
  if (!resumed || !resumedSeg) return;
  const id = `${part.key}.d${frame.id}`;
  events.push({ name: 'resolves', cat: 'flow', ph: 's', ts: us(Math.max(last.start, frame.end - 0.0005)), pid, tid, id });
  events.push({ name: 'resolves', cat: 'flow', ph: 'f', bp: 'e', ts: us(resumedSeg.start), pid, tid, id });
}
