import type { Frame, Part } from '@overlap/tracer';
import type { PathStep, RootPath } from '../model.js';
import { rootSpan, waitedChildren } from './sim-graph.js';

/** Steps shorter than this are folded into their neighbours' accounting (microtask hops). */
const MIN_STEP_MS = 0.1;

interface RawStep {
  kind: 'wait' | 'cpu';
  frame: Frame;
  /** For waits: the await index. For CPU: the segment index. */
  index: number;
  from: number;
  to: number;
  within: Within[];
}

/** An await in a calling frame whose wait the walk is inside of. */
interface Within {
  readonly key: string;
  /** The frame that awaits. */
  readonly frame: number;
}

/**
 * The critical path of one root, walked backwards on the recorded times from the moment the root ended: a
 * CPU segment was preceded by the await that resumed it, an await by the child frame that finished last (when
 * that is what released it) or by its own leaf operation, a frame's first segment by its caller's segment.
 */
export function criticalPath(part: Part, rootId: number): RootPath | null {
  const root = part.roots.get(rootId);
  const span = rootSpan(part, rootId);
  if (!root || !span) return null;
  let anchor: { frame: Frame; segment: number } | null = null;
  for (const id of root.frames) {
    const frame = part.frames.get(id);
    if (!frame) continue;
    for (const seg of frame.segments) {
      if (seg.start > span.end + 0.05) continue;
      if (!anchor || seg.end > anchor.frame.segments[anchor.segment]!.end) anchor = { frame, segment: seg.index };
    }
  }
  const raw: RawStep[] = [];
  if (anchor) {
    const seg = anchor.frame.segments[anchor.segment]!;
    walkSegment(part, anchor.frame, anchor.segment, Math.min(seg.end, span.end), [], raw, 0);
  }
  const steps = merge(raw.reverse(), span.start);
  return { part: part.key, root: rootId, kind: root.kind, detail: root.detail, start: span.start, totalMs: span.end - span.start, steps };
}

const key = (file: string, line: number) => `${file}:${line}`;

/** Pushes (in reverse order) the steps that led to segment `index` of `frame` running until `until`. */
function walkSegment(part: Part, frame: Frame, index: number, until: number, within: Within[], out: RawStep[], depth: number): void {
  if (depth > 10_000) return;
  const seg = frame.segments[index];
  if (!seg) return;
  out.push({ kind: 'cpu', frame, index, from: seg.start, to: Math.max(seg.start, until), within });
  if (index > 0) walkAwait(part, frame, index - 1, within, out, depth + 1);
  else if (frame.parent !== null) {
    const parent = part.frames.get(frame.parent);
    const top = within[within.length - 1];
    if (parent) walkSegment(part, parent, frame.parentSegment, frame.start, top?.frame === parent.id ? within.slice(0, -1) : within, out, depth + 1);
  }
}

function walkAwait(part: Part, frame: Frame, index: number, within: Within[], out: RawStep[], depth: number): void {
  const a = frame.awaits[index]!;
  const children = waitedChildren(part, frame, index);
  const last = children.reduce<Frame | null>((m, c) => (!m || c.end! > m.end! ? c : m), null);
  if (last && last.end! > a.start) {
    // The child that finished last released the await: the path runs through it.
    if (a.end! - last.end! > MIN_STEP_MS) out.push({ kind: 'wait', frame, index, from: last.end!, to: a.end!, within });
    const inner = [...within, { key: key(a.site.file, a.site.line), frame: frame.id }];
    const lastSeg = last.segments.length - 1;
    if (lastSeg >= 0) walkSegment(part, last, lastSeg, last.end!, inner, out, depth + 1);
    return;
  }
  out.push({ kind: 'wait', frame, index, from: a.start, to: a.end ?? a.start, within });
  walkSegment(part, frame, index, a.start, within, out, depth + 1);
}

/** Turns raw steps into report steps, merging neighbours at the same place and dropping the tiny ones. */
function merge(raw: readonly RawStep[], rootStart: number): PathStep[] {
  const steps: PathStep[] = [];
  for (const r of raw) {
    const ms = r.to - r.from;
    if (ms < MIN_STEP_MS) continue;
    const site = r.kind === 'wait' ? r.frame.awaits[r.index]!.site : r.frame.site;
    const step: PathStep = {
      kind: r.kind,
      file: site.file,
      line: site.line,
      column: site.column,
      name: site.name || (r.kind === 'cpu' ? '(anonymous)' : ''),
      start: r.from - rootStart,
      ms,
      within: r.within.map((w) => w.key),
    };
    const prev = steps[steps.length - 1];
    if (prev && prev.kind === step.kind && prev.file === step.file && prev.line === step.line && prev.within.join() === step.within.join()) {
      steps[steps.length - 1] = { ...prev, ms: step.start + step.ms - prev.start };
    } else steps.push(step);
  }
  return steps;
}
