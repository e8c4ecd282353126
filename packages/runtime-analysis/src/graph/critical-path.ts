import type { Frame, Part } from '@overlap/tracer';
import type { PathStep, RootPath } from '../model.js';
import { routeOf } from '../roots/routes.js';
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
  within: Within | null;
}

/**
 * An await in a calling frame whose wait the walk is inside of, linked to the one outside it: steps share their
 * enclosing chain instead of copying it (a chain of thousands of nested calls would otherwise cost its square).
 */
interface Within {
  readonly key: string;
  /** The frame that awaits. */
  readonly frame: number;
  readonly outer: Within | null;
}

function sameChain(a: Within | null, b: Within | null): boolean {
  for (; a && b; a = a.outer, b = b.outer) {
    if (a === b) return true;
    if (a.key !== b.key) return false;
  }
  return a === b;
}

/** Keys of a chain, outermost first. */
function keysOf(within: Within | null): string[] {
  const out: string[] = [];
  for (let w = within; w; w = w.outer) out.push(w.key);
  return out.reverse();
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
    walkSegment(part, anchor.frame, anchor.segment, Math.min(seg.end, span.end), null, raw, new Map());
  }
  const steps = merge(raw.reverse(), span.start);
  return { part: part.key, root: rootId, kind: root.kind, route: routeOf(root), detail: root.detail, start: span.start, totalMs: span.end - span.start, steps };
}

const key = (file: string, line: number) => `${file}:${line}`;

/**
 * Pushes (in reverse order) the steps that led to segment `index` of `frame` running until `until`. A loop, not
 * recursion: a path through a loop of a million awaits is a million steps long, and each step leads to exactly
 * one earlier step (the await that resumed a segment, the child that released an await, the caller's segment).
 */
function walkSegment(part: Part, start: Frame, startIndex: number, startUntil: number, startWithin: Within | null, out: RawStep[], syncCalls: SyncCalls): void {
  let frame = start;
  let index = startIndex;
  let until = startUntil;
  let within = startWithin;
  for (;;) {
    const seg = frame.segments[index];
    if (!seg) return;
    pushCpu(part, frame, index, seg.start, Math.max(seg.start, until), within, out, syncCalls);
    if (index > 0) {
      const awaitIndex = index - 1;
      const a = frame.awaits[awaitIndex]!;
      const children = waitedChildren(part, frame, awaitIndex);
      const last = children.reduce<Frame | null>((m, c) => (!m || c.end! > m.end! ? c : m), null);
      if (last && last.end! > a.start && last.segments.length > 0) {
        // The child that finished last released the await: the path runs through it.
        if (a.end! - last.end! > MIN_STEP_MS) out.push({ kind: 'wait', frame, index: awaitIndex, from: last.end!, to: a.end!, within });
        within = { key: key(a.site.file, a.site.line), frame: frame.id, outer: within };
        frame = last;
        index = last.segments.length - 1;
        until = last.end!;
        continue;
      }
      out.push({ kind: 'wait', frame, index: awaitIndex, from: a.start, to: a.end ?? a.start, within });
      index = awaitIndex;
      until = a.start;
      continue;
    }
    if (frame.parent === null) return;
    const parent = part.frames.get(frame.parent);
    if (!parent) return;
    if (within?.frame === parent.id) within = within.outer;
    until = frame.start;
    index = frame.parentSegment;
    frame = parent;
  }
}

/** Per frame, the children it called in each CPU segment, in call order (built on first use). */
type SyncCalls = Map<number, Map<number, Frame[]>>;

function callsBySegment(part: Part, frame: Frame, cache: SyncCalls): Map<number, Frame[]> {
  let bySegment = cache.get(frame.id);
  if (!bySegment) {
    bySegment = new Map();
    for (const id of frame.children) {
      const child = part.frames.get(id);
      if (!child || child.segments.length === 0) continue;
      const list = bySegment.get(child.parentSegment);
      if (list) list.push(child);
      else bySegment.set(child.parentSegment, [child]);
    }
    for (const list of bySegment.values()) list.sort((a, b) => a.start - b.start);
    cache.set(frame.id, bySegment);
  }
  return bySegment;
}

/**
 * Pushes (in reverse order) the CPU of segment `index` of `frame` between `from` and `to`, with the synchronous
 * part of every instrumented function it called in that time charged to that function: two 150 ms renders
 * called one after the other are two steps, not one 300 ms block of their caller. A loop over an explicit stack:
 * synchronous calls nest as deep as the program's own stack.
 */
function pushCpu(part: Part, frame: Frame, index: number, from: number, to: number, within: Within | null, out: RawStep[], syncCalls: SyncCalls): void {
  // A leaf is a piece of CPU to push as it is; any other task is split around the calls made within it first.
  type Task = { leaf: boolean; frame: Frame; index: number; from: number; to: number; within: Within | null };
  const stack: Task[] = [{ leaf: false, frame, index, from, to, within }];
  while (stack.length > 0) {
    const task = stack.pop()!;
    if (task.leaf) {
      out.push({ kind: 'cpu', frame: task.frame, index: task.index, from: task.from, to: task.to, within: task.within });
      continue;
    }
    const calls = (callsBySegment(part, task.frame, syncCalls).get(task.index) ?? []).filter((c) => c.start >= task.from && c.start < task.to);
    if (calls.length === 0) {
      stack.push({ ...task, leaf: true });
      continue;
    }
    // Chronological pieces pushed in order, so the stack pops the latest first (the walk builds the path backwards).
    let at = task.from;
    for (const call of calls) {
      if (call.start < at) continue;
      const syncEnd = Math.min(call.segments[0]!.end, task.to);
      stack.push({ leaf: true, frame: task.frame, index: task.index, from: at, to: call.start, within: task.within });
      stack.push({ leaf: false, frame: call, index: 0, from: call.start, to: syncEnd, within: awaitedAt(task.frame, task.index, call, task.within) });
      at = syncEnd;
    }
    stack.push({ leaf: true, frame: task.frame, index: task.index, from: at, to: task.to, within: task.within });
  }
}

/** The caller's await that waits on `call`, as the chain the call's steps sit in (none for a call nobody awaited). */
function awaitedAt(frame: Frame, index: number, call: Frame, within: Within | null): Within | null {
  const a = frame.awaits[index];
  if (!a || !a.calls.includes(call.id)) return within;
  return { key: key(a.site.file, a.site.line), frame: frame.id, outer: within };
}

/** Turns raw steps into report steps, merging neighbours at the same place and dropping the tiny ones. */
function merge(raw: readonly RawStep[], rootStart: number): PathStep[] {
  const steps: PathStep[] = [];
  let prevWithin: Within | null | undefined;
  for (const r of raw) {
    const ms = r.to - r.from;
    if (ms < MIN_STEP_MS) continue;
    const site = r.kind === 'wait' ? r.frame.awaits[r.index]!.site : r.frame.site;
    const prev = steps[steps.length - 1];
    if (prev && prev.kind === r.kind && prev.file === site.file && prev.line === site.line && sameChain(prevWithin ?? null, r.within)) {
      steps[steps.length - 1] = { ...prev, ms: r.from - rootStart + ms - prev.start };
      continue;
    }
    steps.push({
      kind: r.kind,
      file: site.file,
      line: site.line,
      column: site.column,
      name: site.name || (r.kind === 'cpu' ? '(anonymous)' : ''),
      start: r.from - rootStart,
      ms,
      within: keysOf(r.within),
    });
    prevWithin = r.within;
  }
  return steps;
}
