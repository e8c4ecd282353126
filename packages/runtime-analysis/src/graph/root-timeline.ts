import type { Frame, Part } from '@overlap/tracer';
import type { RootTimeline, TimelineFrame, TimelineItem } from '../model.js';
import { rootSpan } from './sim-graph.js';

/** Bars shorter than this are dropped from a timeline (microtask hops): a report draws thousands at most. */
const MIN_ITEM_MS = 0.05;

/** `file:line` of the await in the caller that followed the segment in which `frame` was called. */
export function calledAt(part: Part, frame: Frame): string | null {
  if (frame.parent === null) return null;
  const site = part.frames.get(frame.parent)?.awaits[frame.parentSegment]?.site;
  return site ? `${site.file}:${site.line}` : null;
}

/** A frame's name for people: its function's, `(module)` for a module's top-level code. */
export function frameName(frame: Frame): string {
  return frame.site.kind === 'module' ? '(module)' : frame.site.name || '(anonymous)';
}

export function timelineFrame(part: Part, frame: Frame): TimelineFrame {
  return { id: frame.id, parent: frame.parent, name: frameName(frame), file: frame.site.file, line: frame.site.line, calledAt: calledAt(part, frame) };
}

/**
 * What ran for a root as recorded: every CPU segment and every await of its frames, times from the root's start.
 * With a CPU profile, CPU bars carry their segment's sampled stacks.
 */
export function recordedTimeline(part: Part, rootId: number): RootTimeline | null {
  const root = part.roots.get(rootId);
  const span = rootSpan(part, rootId);
  if (!root || !span) return null;
  const frames: TimelineFrame[] = [];
  const items: TimelineItem[] = [];
  for (const id of root.frames) {
    const frame = part.frames.get(id);
    if (!frame) continue;
    frames.push(timelineFrame(part, frame));
    for (const seg of frame.segments) {
      if (seg.end - seg.start < MIN_ITEM_MS) continue;
      items.push({
        frame: id,
        kind: 'cpu',
        file: frame.site.file,
        line: frame.site.line,
        name: frameName(frame),
        start: seg.start - span.start,
        ms: seg.end - seg.start,
        ...(seg.flame ? { flame: seg.flame } : {}),
      });
    }
    for (const a of frame.awaits) {
      const end = a.end ?? span.end;
      if (end - a.start < MIN_ITEM_MS) continue;
      items.push({ frame: id, kind: 'wait', file: a.site.file, line: a.site.line, name: a.site.name, start: a.start - span.start, ms: end - a.start });
    }
  }
  items.sort((a, b) => a.start - b.start);
  return { part: part.key, root: rootId, totalMs: span.end - span.start, frames, items };
}
