import type { Frame, Part, Resource, Site } from '@overlap/tracer';

/**
 * The causal graph of one part (one event loop), in the form the schedule simulator replays: every frame is a
 * program of alternating CPU and wait steps, `cpu, wait, cpu, ..., cpu`. Rewrites change these programs; the
 * simulator replays them. Nothing here refers to wall-clock times except parentless frames' start times.
 */
export interface SimGraph {
  readonly frames: ReadonlyMap<number, SimFrame>;
  /** Where each root ended, relative to a CPU step of one of its frames. */
  readonly anchors: ReadonlyMap<number, RootAnchor>;
  /** Recorded root start and end, for the baseline check. */
  readonly roots: ReadonlyMap<number, { readonly start: number; readonly end: number }>;
  /** Traced CPU over wall time of the part: how busy the event loop was (queueing grows with it). */
  readonly utilisation: number;
}

export interface SimFrame {
  readonly id: number;
  /** Parentless frames start at their recorded time (a request arrived, a callback ran). */
  readonly parent: number | null;
  readonly start: number;
  readonly root: number;
  readonly steps: readonly SimStep[];
}

export interface SimCall {
  readonly frame: number;
  /** Offset into the calling CPU step where the child starts; its first CPU step runs inside the caller's. */
  readonly at: number;
  /** True when the child no longer runs inside the caller's step (moved to a worker thread). */
  readonly detached?: boolean;
}

export interface CpuStep {
  readonly kind: 'cpu';
  readonly ms: number;
  readonly calls: readonly SimCall[];
  /** Runs off the event loop (a worker thread): takes time but does not hold the single CPU queue. */
  readonly offloaded?: boolean;
  /** Recorded frame and segment index this step stands for (anchors find their step through it). */
  readonly origin: { readonly frame: number; readonly segment: number } | null;
}

/** An operation the await waits on that is not an instrumented frame: timer, socket, file, uninstrumented code. */
export interface Leaf {
  /** Index of the CPU step (in the same frame) at whose end the operation starts. */
  readonly from: number;
  readonly ms: number;
  readonly resources: readonly string[];
  /**
   * For an await on promise timers (`timers/promises` records the delay) that resumed after a busy stretch of the
   * loop: when they were due. The recorded wait then also holds queueing for the loop, which `ms` (settled in the
   * middle of the busy stretch) only guesses; an uncontended replay takes this instead. When the loop was idle
   * before the resumption the wait was the timer's own (late timers on a busy machine included) and this is unset.
   */
  readonly dueMs?: number;
}

export interface WaitStep {
  readonly kind: 'wait';
  /** Index among the recorded frame's awaits, or -1 for waits a rewrite created. */
  readonly await: number;
  readonly site: Site | null;
  /** Frames whose completion the await needs. */
  readonly waitsOn: readonly number[];
  readonly leaves: readonly Leaf[];
  /** Time between the last of those completions and the resumption (microtask hops, uninstrumented glue). */
  readonly gapMs: number;
}

export type SimStep = CpuStep | WaitStep;

export interface RootAnchor {
  readonly frame: number;
  readonly segment: number;
  /** Root end = start of that step + offset (may exceed the step: a constant tail). */
  readonly offset: number;
}

/** Returned for awaits that waited on no frame: shared, never written (callers only read the list). */
const NO_FRAMES = Object.freeze([]) as unknown as Frame[];

/**
 * Frames a frame's await i waits on: the children called during segment i that finished before the frame
 * resumed, and, below them, frames that outlived their own caller but finished before the resume: a promise a
 * child returned or passed on (`return getJson(url)` without await) settles when they do.
 */
export function waitedChildren(part: Part, frame: Frame, index: number): Frame[] {
  const a = frame.awaits[index];
  if (!a || a.end === null || a.calls.length === 0) return NO_FRAMES;
  const resumed = a.end + 0.05;
  if (a.calls.length === 1) {
    // The common case (one call, nothing outliving it): no closure, no walk. Called for every await, several times.
    const only = part.frames.get(a.calls[0]!);
    if (!only || only.end === null || only.end > resumed) return NO_FRAMES;
    if (only.children.length === 0) return [only];
  }
  const out: Frame[] = [];
  const visit = (id: number, depth: number) => {
    const f = part.frames.get(id);
    if (!f || f.end === null || f.end > resumed || depth > 64) return;
    out.push(f);
    for (const childId of f.children) {
      const child = part.frames.get(childId);
      if (child && child.end !== null && child.end > f.end) visit(childId, depth + 1);
    }
  };
  for (const id of a.calls) visit(id, 0);
  return out;
}

/** Resource key for in-flight counts: kind plus host for network operations. */
export function resourceKey(kind: string, detail: string): string | null {
  if (kind === 'timer') return null;
  if (kind === 'http' || kind === 'fetch' || kind === 'net') {
    const host = /(?:^|\s)(?:[a-z]+:\/\/)?([^\s/]+)/iu.exec(detail.replace(/^[A-Z]+\s+/u, ''))?.[1];
    return host ? `${kind} ${host}` : kind;
  }
  return kind;
}

/** Shared by every step with nothing in it: a trace of a million awaits would otherwise hold a million empty arrays. */
const NONE: readonly never[] = Object.freeze([]);

const NO_CHILDREN: ReadonlyMap<number, Frame[]> = new Map();

/** A resumption this much later than everything the await was known to wait on is a wait of its own. */
const UNEXPLAINED_MS = 1;

export function buildSimGraph(part: Part): SimGraph {
  const busy = busyRuns(part);
  const resources = new Map(part.resources.map((r) => [r.id, r]));
  const frames = new Map<number, SimFrame>();
  for (const frame of part.frames.values()) {
    const steps: SimStep[] = [];
    const n = frame.segments.length;
    // Children by the segment that called them, once per frame: a loop of a million awaits has a million of each.
    const bySegment = frame.children.length === 0 ? (NO_CHILDREN as Map<number, Frame[]>) : new Map<number, Frame[]>();
    for (const id of frame.children) {
      const child = part.frames.get(id);
      if (!child) continue;
      const list = bySegment.get(child.parentSegment);
      if (list) list.push(child);
      else bySegment.set(child.parentSegment, [child]);
    }
    for (let i = 0; i < Math.max(n, frame.awaits.length); i++) {
      const seg = frame.segments[i];
      if (seg) {
        const called = bySegment.get(i);
        const calls = called ? called.map((child) => ({ frame: child.id, at: Math.max(0, child.start - seg.start) })) : NONE;
        steps.push({ kind: 'cpu', ms: Math.max(0, seg.end - seg.start), calls, origin: { frame: frame.id, segment: i } });
      } else if (i < frame.awaits.length) {
        // A segment we never saw the end of: keep the program well formed.
        steps.push({ kind: 'cpu', ms: 0, calls: NONE, origin: null });
      }
      const a = frame.awaits[i];
      if (!a) continue;
      const waited = waitedChildren(part, frame, i);
      const keys =
        a.resources.length === 0
          ? NONE
          : a.resources.flatMap((id) => {
              const r = resources.get(id);
              const key = r ? resourceKey(r.kind, r.detail) : null;
              return key ? [key] : [];
            });
      if (a.end === null) {
        steps.push({ kind: 'wait', await: i, site: a.site, waitsOn: NONE, leaves: [{ from: steps.length - 1, ms: Infinity, resources: keys }], gapMs: 0 });
        break;
      }
      // Under load an operation's completion waits for the event loop: when the loop was busy with other work
      // right before the resumption, the operation settled somewhere in that busy stretch (the middle is
      // assumed), and the replay's CPU queue re-creates the queueing. Overlapping awaits does not remove it.
      const settled = busy.settle(a.start, a.end);
      let leafMs: number;
      if (waited.length === 0) leafMs = settled - a.start;
      else {
        // Resources the frame itself started (not its children) are what it waits on besides them.
        const ends = a.resources.map((id) => resources.get(id)?.end ?? null).filter((e): e is number => e !== null && e <= a.end! + 0.05);
        leafMs = ends.length > 0 ? Math.max(0, ends.reduce((m, e) => Math.max(m, e), -Infinity) - a.start) : 0;
      }
      const lastChild = waited.reduce((m, c) => Math.max(m, c.end!), -Infinity);
      let ready = Math.max(a.start + leafMs, lastChild);
      if (waited.length > 0 && a.end - ready > UNEXPLAINED_MS) {
        // The frames it called were done long before it resumed: it awaited a plain promise they returned (or
        // handed on), settled by code the tracer does not see. That wait is the site's own, as a leaf.
        leafMs = Math.max(leafMs, settled - a.start);
        ready = Math.max(a.start + leafMs, lastChild);
      }
      steps.push({
        kind: 'wait',
        await: i,
        site: a.site,
        waitsOn: waited.length === 0 ? NONE : waited.map((c) => c.id),
        leaves: [leafOf(steps.length - 1, leafMs, keys, waited.length === 0 && settled < a.end ? timerDue(a.start, a.resources, resources) : null, a.start)],
        gapMs: waited.length > 0 ? Math.max(0, a.end - ready) : 0,
      });
    }
    if (steps.length === 0 || steps[steps.length - 1]!.kind === 'wait') {
      if (frame.end !== null && steps.length > 0) steps.push({ kind: 'cpu', ms: 0, calls: NONE, origin: null });
    }
    if (steps.length === 0) steps.push({ kind: 'cpu', ms: 0, calls: NONE, origin: null });
    // A copy at its exact size: a list grown by push keeps spare room, a million times over on a long trace.
    frames.set(frame.id, { id: frame.id, parent: frame.parent, start: frame.start, root: frame.root, steps: steps.slice() });
  }

  const anchors = new Map<number, RootAnchor>();
  const roots = new Map<number, { start: number; end: number }>();
  for (const root of part.roots.values()) {
    const span = rootSpan(part, root.id);
    if (!span) continue;
    roots.set(root.id, span);
    const anchor = anchorOf(part, root.id, span.end);
    if (anchor) anchors.set(root.id, anchor);
  }
  return { frames, anchors, roots, utilisation: busy.utilisation };
}

function leafOf(from: number, ms: number, resources: readonly string[], due: number | null, start: number): Leaf {
  return due === null ? { from, ms, resources } : { from, ms, resources, dueMs: Math.min(ms, Math.max(0, due - start)) };
}

/** When the timers an await waited on were due (`timers/promises` records its delay as `12ms`), or null. */
function timerDue(start: number, ids: readonly number[], resources: ReadonlyMap<number, Resource>): number | null {
  let due: number | null = null;
  for (const id of ids) {
    const r = resources.get(id);
    if (!r) continue;
    const ms = r.kind === 'timer' ? /(?:^|\s)(\d+(?:\.\d+)?)ms$/u.exec(r.detail)?.[1] : undefined;
    if (ms === undefined) return null;
    due = Math.max(due ?? start, Math.max(start, r.start) + Number(ms));
  }
  return due;
}

/** Gaps shorter than this between traced CPU count as one busy stretch (untraced glue between callbacks). */
const BUSY_GAP_MS = 0.3;

export interface BusyRuns {
  /** Traced CPU over the wall time from the first segment to the last (0..1). */
  readonly utilisation: number;
  /** When an operation awaited from `start` and resumed at `end` most likely settled. */
  settle(start: number, end: number): number;
}

/**
 * The stretches during which the event loop was busy with traced CPU, from every frame's segments. Starts and
 * ends are sorted apart (typed arrays, native numeric sort) and swept: a million segments cost two sorts.
 */
export function busyRuns(part: Part): BusyRuns {
  const n = part.cpu.length;
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = part.cpu[i]!.start;
    ends[i] = part.cpu[i]!.end;
  }
  starts.sort();
  ends.sort();
  const runStart: number[] = [];
  const runEnd: number[] = [];
  let open = 0;
  let i = 0;
  let j = 0;
  while (i < n || j < n) {
    if (i < n && starts[i]! <= ends[j]!) {
      if (open++ === 0) {
        const last = runEnd.length - 1;
        if (last >= 0 && starts[i]! - runEnd[last]! <= BUSY_GAP_MS) runEnd.pop();
        else runStart.push(starts[i]!);
      }
      i++;
    } else {
      if (--open === 0) runEnd.push(ends[j]!);
      j++;
    }
  }
  let busyMs = 0;
  for (let k = 0; k < runStart.length; k++) busyMs += runEnd[k]! - runStart[k]!;
  const wall = n > 0 ? ends[n - 1]! - starts[0]! : 0;
  return {
    utilisation: wall > 0 ? Math.min(1, busyMs / wall) : 0,
    settle(start, end) {
      // The last busy stretch that began before the resumption.
      let lo = 0;
      let hi = runStart.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (runStart[mid]! < end) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (found < 0 || runEnd[found]! < end - BUSY_GAP_MS) return end;
      const from = Math.max(start, runStart[found]!);
      return from + (end - from) / 2;
    },
  };
}

/** A root's span: HTTP roots from request to response; the process root from its first frame to its last. */
export function rootSpan(part: Part, rootId: number): { start: number; end: number } | null {
  const root = part.roots.get(rootId);
  if (!root) return null;
  const frames = root.frames.map((id) => part.frames.get(id)!).filter(Boolean);
  if (frames.length === 0) return null;
  let first = Infinity;
  let last = -Infinity;
  for (const f of frames) {
    first = Math.min(first, f.start);
    last = Math.max(last, f.end ?? part.end.time);
  }
  if (root.kind === 'http') return { start: root.start, end: root.end ?? last };
  // The process: from its first frame to its last (module loading before and exit work after are not the
  // program's schedule, and vary from run to run).
  return { start: first, end: last };
}

/** The CPU segment during which (or latest before which) the root ended. */
function anchorOf(part: Part, rootId: number, end: number): RootAnchor | null {
  const root = part.roots.get(rootId)!;
  let best: { frame: number; segment: number; start: number; end: number } | null = null;
  for (const id of root.frames) {
    const frame = part.frames.get(id);
    if (!frame) continue;
    for (const seg of frame.segments) {
      if (seg.start > end + 0.05) continue;
      if (!best || seg.end > best.end || (seg.end === best.end && seg.start > best.start)) best = { frame: id, segment: seg.index, start: seg.start, end: seg.end };
    }
  }
  return best ? { frame: best.frame, segment: best.segment, offset: end - best.start } : null;
}
