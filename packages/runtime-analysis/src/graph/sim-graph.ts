import { partColumns, type Frame, type Part, type Resource, type Site } from '@overlap/tracer';
import { Interner, STEP_CPU, STEP_OFFLOADED, STEP_WAIT, StepTableBuilder, type StepTable } from './step-table.js';

/**
 * The causal graph of one part (one event loop), in the form the schedule simulator replays: every frame is a
 * program of alternating CPU and wait steps, `cpu, wait, cpu, ..., cpu`. Rewrites change these programs; the
 * simulator replays them. Nothing here refers to wall-clock times except parentless frames' start times.
 *
 * The recorded graph is struct-of-arrays (`frameTable` and `steps`, typed arrays indexed by a dense frame number and
 * a global step number). A rewrite is a delta over it (`patch`): the few frames it changes or adds, as objects and
 * as a small step table of their own, so a suggestion never copies the graph. `frames` reads any frame as an
 * object (`SimFrame`), made on demand: for rewrites and timelines, which touch a handful of frames.
 */
export interface SimGraph {
  readonly frameTable: FrameTable;
  readonly steps: StepTable;
  /** Sites and resource keys the steps refer to by index (a patch may extend them). */
  readonly sites: readonly Site[];
  readonly resourceKeys: readonly string[];
  /** Frames a rewrite changed or added; null for the recorded graph. */
  readonly patch: GraphPatch | null;
  /** Every frame as an object, by id (made on demand from the tables, or the patch's own). */
  readonly frames: ReadonlyMap<number, SimFrame>;
  /** Where each root ended, relative to a CPU step of one of its frames. */
  readonly anchors: ReadonlyMap<number, RootAnchor>;
  /** Recorded root start and end, for the baseline check. */
  readonly roots: ReadonlyMap<number, { readonly start: number; readonly end: number }>;
  /** Traced CPU over wall time of the part: how busy the event loop was (queueing grows with it). */
  readonly utilisation: number;
}

/** The recorded frames, by dense index 0..count-1 (the order frames appear in the part). */
export interface FrameTable {
  readonly count: number;
  readonly id: Float64Array;
  /** Parent frame id (NaN: none), and its dense index (-1: none or not in the graph). */
  readonly parent: Float64Array;
  readonly parentIndex: Int32Array;
  readonly start: Float64Array;
  readonly root: Float64Array;
  /** Steps of frame f are `firstStep[f]..firstStep[f + 1]` in `steps`. */
  readonly firstStep: Int32Array;
  /** Dense index of a frame id (-1: not in the graph). */
  readonly indexOf: (id: number) => number;
  readonly minId: number;
}

/**
 * Frames a rewrite changed or added, over the recorded graph. Added frames take dense indexes after the recorded
 * ones; the patch's steps continue the global step numbering after the recorded steps.
 */
export interface GraphPatch {
  /** Changed frames (recorded ids) in dense order, then added frames (new ids) in the order they were made. */
  readonly frames: ReadonlyMap<number, SimFrame>;
  /** Recorded frames that keep their recorded steps under a new parent (id -> parent id). */
  readonly parents: ReadonlyMap<number, number>;
  readonly added: readonly SimFrame[];
  /** Per dense index (recorded and added): the frame's slot in the patch, or -1 when the recorded frame stands. */
  readonly slotOf: Int32Array;
  /** Per slot: global index of its first step, its step count, and its parent's dense index (-1: none). */
  readonly slotFirst: Int32Array;
  readonly slotCount: Int32Array;
  readonly slotParent: Int32Array;
  readonly steps: StepTable;
  /** Dense index of an added frame's id (-1: none). */
  readonly addedIndexOf: (id: number) => number;
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
export function waitedChildren(part: Part, frame: Frame, index: number, lookup: (id: number) => Frame | undefined = (id) => part.frames.get(id)): Frame[] {
  const a = frame.awaits[index];
  if (!a || a.end === null || a.calls.length === 0) return NO_FRAMES;
  const resumed = a.end + 0.05;
  if (a.calls.length === 1) {
    // The common case (one call, nothing outliving it): no walk. Called for every await, several times.
    const only = lookup(a.calls[0]!);
    if (!only || only.end === null || only.end > resumed) return NO_FRAMES;
    if (only.children.length === 0) return [only];
  }
  // Depth first, each frame before the frames below it, with an explicit stack (ids and depths).
  const out: Frame[] = [];
  const stack: number[] = [];
  for (const id of a.calls) {
    stack.push(id, 0);
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const f = lookup(stack.pop()!);
      if (!f || f.end === null || f.end > resumed || depth > 64) continue;
      out.push(f);
      for (let c = f.children.length - 1; c >= 0; c--) {
        const child = lookup(f.children[c]!);
        if (child && child.end !== null && child.end > f.end) stack.push(child.id, depth + 1);
      }
    }
  }
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

/** A resumption this much later than everything the await was known to wait on is a wait of its own. */
const UNEXPLAINED_MS = 1;

/** Dense index by id: a table when ids are small non-negative integers (the tracer's counters), else a map. */
export function indexById(ids: Float64Array): (id: number) => number {
  let max = -1;
  let integers = true;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!(Number.isInteger(id) && id >= 0)) integers = false;
    else if (id > max) max = id;
  }
  if (integers && max < 4 * ids.length + 1024) {
    const table = new Int32Array(max + 1).fill(-1);
    for (let i = ids.length - 1; i >= 0; i--) table[ids[i]!] = i;
    return (id) => (id >= 0 && id <= max && Number.isInteger(id) ? table[id]! : -1);
  }
  const map = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) if (!map.has(ids[i]!)) map.set(ids[i]!, i);
  return (id) => map.get(id) ?? -1;
}

export function buildSimGraph(part: Part): SimGraph {
  const busy = busyRuns(part);
  const resourceIds = new Float64Array(part.resources.length);
  part.resources.forEach((r, i) => (resourceIds[i] = r.id));
  const resourceIndex = indexById(resourceIds);
  const resources = { get: (rid: number): Resource | undefined => part.resources[resourceIndex(rid)] };
  const count = part.frames.size;
  const frameAt: Frame[] = new Array<Frame>(count);
  const id = new Float64Array(count);
  const parent = new Float64Array(count);
  const start = new Float64Array(count);
  const root = new Float64Array(count);
  let f = 0;
  let minId = 0;
  const columns = partColumns(part);
  if (columns?.dense === true && columns.frames.count === count) {
    // A part read from a file: its frame columns are the frames in order (parent NaN: none).
    const fc = columns.frames;
    id.set(fc.id);
    parent.set(fc.parent);
    start.set(fc.start);
    root.set(fc.root);
    for (const frame of part.frames.values()) frameAt[f++] = frame;
    for (let i = 0; i < count; i++) if (id[i]! < minId) minId = id[i]!;
  } else {
    for (const frame of part.frames.values()) {
      frameAt[f] = frame;
      id[f] = frame.id;
      parent[f] = frame.parent === null ? NaN : frame.parent;
      start[f] = frame.start;
      root[f] = frame.root;
      if (frame.id < minId) minId = frame.id;
      f++;
    }
  }
  const indexOf = indexById(id);
  const frameOf = (frameId: number): Frame | undefined => frameAt[indexOf(frameId)];
  const parentIndex = new Int32Array(count);
  for (let i = 0; i < count; i++) parentIndex[i] = Number.isNaN(parent[i]!) ? -1 : indexOf(parent[i]!);
  const firstStep = new Int32Array(count + 1);
  const out = new StepTableBuilder();
  const sites = new Interner<Site>();
  const keys = new Interner<string>();
  const keyIndexes: number[] = [];

  f = 0;
  for (const frame of part.frames.values()) {
    firstStep[f] = out.count;
    const self = f++;
    /** Steps of this frame so far, and whether the last one is a wait. */
    let local = 0;
    let lastWait = false;
    const n = frame.segments.length;
    // Children by the segment that called them. They are almost always listed in segment order: then a cursor
    // walks them (no map per frame: a loop of a million awaits has a million frames with a child); otherwise a map.
    const children = frame.children;
    let sorted = true;
    let previous = -Infinity;
    for (const childId of children) {
      const child = frameOf(childId);
      if (!child) continue;
      if (child.parentSegment < previous) {
        sorted = false;
        break;
      }
      previous = child.parentSegment;
    }
    let bySegment: Map<number, Frame[]> | null = null;
    if (!sorted) {
      bySegment = new Map<number, Frame[]>();
      for (const childId of children) {
        const child = frameOf(childId);
        if (!child) continue;
        const list = bySegment.get(child.parentSegment);
        if (list) list.push(child);
        else bySegment.set(child.parentSegment, [child]);
      }
    }
    let cursor = 0;
    for (let i = 0; i < Math.max(n, frame.awaits.length); i++) {
      const seg = frame.segments[i];
      if (seg) {
        out.cpu(Math.max(0, seg.end - seg.start), self, i);
        if (bySegment) {
          const called = bySegment.get(i);
          if (called) for (const child of called) out.call(indexOf(child.id), Math.max(0, child.start - seg.start));
        } else {
          for (; cursor < children.length; cursor++) {
            const child = frameOf(children[cursor]!);
            if (!child) continue;
            if (child.parentSegment > i) break;
            if (child.parentSegment === i) out.call(indexOf(child.id), Math.max(0, child.start - seg.start));
          }
        }
        local++;
        lastWait = false;
      } else if (i < frame.awaits.length) {
        // A segment we never saw the end of: keep the program well formed.
        out.cpu(0, -1, -1);
        local++;
        lastWait = false;
      }
      const a = frame.awaits[i];
      if (!a) continue;
      const waited = waitedChildren(part, frame, i, frameOf);
      keyIndexes.length = 0;
      for (const rid of a.resources) {
        const r = resources.get(rid);
        const key = r ? resourceKey(r.kind, r.detail) : null;
        if (key) keyIndexes.push(keys.of(key));
      }
      const site = sites.of(a.site);
      if (a.end === null) {
        out.wait(i, site, 0);
        out.leaf(local - 1, Infinity, undefined);
        for (const k of keyIndexes) out.leafResourceKey(k);
        local++;
        lastWait = true;
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
        let last = -Infinity;
        let any = false;
        for (const rid of a.resources) {
          const e = resources.get(rid)?.end ?? null;
          if (e !== null && e <= a.end + 0.05) {
            any = true;
            last = Math.max(last, e);
          }
        }
        leafMs = any ? Math.max(0, last - a.start) : 0;
      }
      let lastChild = -Infinity;
      for (const c of waited) lastChild = Math.max(lastChild, c.end!);
      let ready = Math.max(a.start + leafMs, lastChild);
      if (waited.length > 0 && a.end - ready > UNEXPLAINED_MS) {
        // The frames it called were done long before it resumed: it awaited a plain promise they returned (or
        // handed on), settled by code the tracer does not see. That wait is the site's own, as a leaf.
        leafMs = Math.max(leafMs, settled - a.start);
        ready = Math.max(a.start + leafMs, lastChild);
      }
      out.wait(i, site, waited.length > 0 ? Math.max(0, a.end - ready) : 0);
      for (const c of waited) out.waitOn(indexOf(c.id));
      const due = waited.length === 0 && settled < a.end ? timerDue(a.start, a.resources, resources) : null;
      out.leaf(local - 1, leafMs, due === null ? undefined : Math.min(leafMs, Math.max(0, due - a.start)));
      for (const k of keyIndexes) out.leafResourceKey(k);
      local++;
      lastWait = true;
    }
    if ((local === 0 || lastWait) && frame.end !== null && local > 0) {
      out.cpu(0, -1, -1);
      local++;
    }
    if (local === 0) out.cpu(0, -1, -1);
  }
  firstStep[count] = out.count;

  const anchors = new Map<number, RootAnchor>();
  const roots = new Map<number, { start: number; end: number }>();
  for (const r of part.roots.values()) {
    const span = rootSpan(part, r.id);
    if (!span) continue;
    roots.set(r.id, span);
    const anchor = anchorOf(part, r.id, span.end);
    if (anchor) anchors.set(r.id, anchor);
  }
  const frameTable: FrameTable = { count, id, parent, parentIndex, start, root, firstStep, indexOf, minId };
  const graph: GraphTables = { frameTable, steps: out.done(), sites: sites.list, resourceKeys: keys.list, patch: null, anchors, roots, utilisation: busy.utilisation };
  return { ...graph, frames: new FrameView(graph) };
}

type GraphTables = Omit<SimGraph, 'frames'>;

/** The graph's frames as a read-only map of objects, each made from the tables when asked for. */
export class FrameView implements ReadonlyMap<number, SimFrame> {
  constructor(private readonly graph: GraphTables) {}

  get size(): number {
    return this.graph.frameTable.count + (this.graph.patch?.added.length ?? 0);
  }

  get(id: number): SimFrame | undefined {
    const patched = this.graph.patch?.frames.get(id);
    if (patched) return patched;
    const f = this.graph.frameTable.indexOf(id);
    return f < 0 ? undefined : recordedFrame(this.graph, f);
  }


  has(id: number): boolean {
    return this.graph.patch?.frames.has(id) === true || this.graph.frameTable.indexOf(id) >= 0;
  }

  *keys(): MapIterator<number> {
    const table = this.graph.frameTable;
    for (let f = 0; f < table.count; f++) yield table.id[f]!;
    for (const frame of this.graph.patch?.added ?? []) yield frame.id;
  }

  *values(): MapIterator<SimFrame> {
    const table = this.graph.frameTable;
    const patch = this.graph.patch;
    for (let f = 0; f < table.count; f++) yield patch?.frames.get(table.id[f]!) ?? recordedFrame(this.graph, f);
    for (const frame of patch?.added ?? []) yield frame;
  }

  *entries(): MapIterator<[number, SimFrame]> {
    for (const frame of this.values()) yield [frame.id, frame];
  }

  [Symbol.iterator](): MapIterator<[number, SimFrame]> {
    return this.entries();
  }

  forEach(callback: (value: SimFrame, key: number, map: ReadonlyMap<number, SimFrame>) => void): void {
    for (const frame of this.values()) callback(frame, frame.id, this);
  }
}

/**
 * The frames of the given roots, in the graph's order: for the timelines of a few roots without making an object
 * of every frame of the part.
 */
export function framesOfRoots(graph: SimGraph, roots: ReadonlySet<number>): Map<number, SimFrame[]> {
  const out = new Map<number, SimFrame[]>([...roots].map((root) => [root, []]));
  const table = graph.frameTable;
  const patch = graph.patch;
  for (let f = 0; f < table.count; f++) {
    const patched = patch?.frames.get(table.id[f]!);
    const root = patched ? patched.root : table.root[f]!;
    const list = out.get(root);
    if (list) list.push(patched ?? recordedFrame(graph, f));
  }
  for (const frame of patch?.added ?? []) out.get(frame.root)?.push(frame);
  return out;
}

/** Recorded frame f of the tables as an object (its steps too): for the few frames a rewrite or timeline reads. */
export function recordedFrame(graph: GraphTables, f: number): SimFrame {
  const table = graph.frameTable;
  const t = graph.steps;
  const steps: SimStep[] = [];
  const idOf = (d: number) => (d < 0 ? NaN : table.id[d]!);
  for (let g = table.firstStep[f]!; g < table.firstStep[f + 1]!; g++) {
    if (t.kind[g]! & STEP_CPU) {
      const calls: SimCall[] = [];
      for (let c = t.callStart[g]!; c < t.callStart[g + 1]!; c++) {
        calls.push(t.callDetached[c] ? { frame: idOf(t.callFrame[c]!), at: t.callAt[c]!, detached: true } : { frame: idOf(t.callFrame[c]!), at: t.callAt[c]! });
      }
      const origin = t.originSegment[g]! < 0 ? null : { frame: idOf(t.originFrame[g]!), segment: t.originSegment[g]! };
      steps.push(t.kind[g]! & STEP_OFFLOADED ? { kind: 'cpu', ms: t.ms[g]!, calls, offloaded: true, origin } : { kind: 'cpu', ms: t.ms[g]!, calls, origin });
      continue;
    }
    const waitsOn: number[] = [];
    for (let w = t.waitStart[g]!; w < t.waitStart[g + 1]!; w++) waitsOn.push(idOf(t.waitsOn[w]!));
    const leaves: Leaf[] = [];
    for (let l = t.leafStart[g]!; l < t.leafStart[g + 1]!; l++) {
      const resources: string[] = [];
      for (let r = t.leafResourceStart[l]!; r < t.leafResourceStart[l + 1]!; r++) resources.push(graph.resourceKeys[t.leafResource[r]!]!);
      const due = t.leafDue[l]!;
      leaves.push(Number.isNaN(due) ? { from: t.leafFrom[l]!, ms: t.leafMs[l]!, resources } : { from: t.leafFrom[l]!, ms: t.leafMs[l]!, resources, dueMs: due });
    }
    const site = t.site[g]! < 0 ? null : graph.sites[t.site[g]!]!;
    steps.push({ kind: 'wait', await: t.awaitIndex[g]!, site, waitsOn, leaves, gapMs: t.ms[g]! });
  }
  // A rewrite may have moved the frame under another parent without changing its steps.
  const moved = graph.patch?.parents.get(table.id[f]!);
  const parentId = moved ?? table.parent[f]!;
  return { id: table.id[f]!, parent: Number.isNaN(parentId) ? null : parentId, start: table.start[f]!, root: table.root[f]!, steps };
}

/** Length of a recorded frame's first step when it is CPU, else 0 (0 for a frame not in the tables). */
export function firstCpuMs(graph: SimGraph, id: number): number {
  const patched = graph.patch?.frames.get(id);
  if (patched) {
    const first = patched.steps[0];
    return first && first.kind === 'cpu' ? first.ms : 0;
  }
  const f = graph.frameTable.indexOf(id);
  if (f < 0) return 0;
  const g = graph.frameTable.firstStep[f]!;
  if (g === graph.frameTable.firstStep[f + 1]) return 0;
  return graph.steps.kind[g]! & STEP_CPU ? graph.steps.ms[g]! : 0;
}

/**
 * The recorded graph with `frames` (changed recorded frames and added ones, as objects) laid over its tables: the
 * delta a rewrite is. The recorded tables are shared, not copied.
 */
export function patchGraph(graph: SimGraph, frames: ReadonlyMap<number, SimFrame>, parents: ReadonlyMap<number, number> = new Map()): SimGraph {
  const table = graph.frameTable;
  /** Recorded frames with new steps (a frame) or only a new parent (a parent id). */
  const recorded: Array<[number, SimFrame | number]> = [];
  const added: SimFrame[] = [];
  for (const frame of frames.values()) {
    const f = table.indexOf(frame.id);
    if (f >= 0) recorded.push([f, frame]);
    else added.push(frame);
  }
  for (const [id, parent] of parents) {
    const f = table.indexOf(id);
    if (f >= 0 && !frames.has(id)) recorded.push([f, parent]);
  }
  recorded.sort((a, b) => a[0] - b[0]);
  const total = table.count + added.length;
  const addedIds = new Map<number, number>();
  added.forEach((frame, k) => {
    if (!addedIds.has(frame.id)) addedIds.set(frame.id, table.count + k);
  });
  const addedIndexOf = (id: number) => addedIds.get(id) ?? -1;
  const denseOf = (id: number) => {
    const f = table.indexOf(id);
    return f >= 0 ? f : addedIndexOf(id);
  };
  const slots: Array<[number, SimFrame | number]> = [...recorded, ...added.map((frame, k): [number, SimFrame] => [table.count + k, frame])];
  const slotOf = new Int32Array(total).fill(-1);
  const slotFirst = new Int32Array(slots.length);
  const slotCount = new Int32Array(slots.length);
  const slotParent = new Int32Array(slots.length);
  const sites = new Interner<Site>(graph.sites);
  const keys = new Interner<string>(graph.resourceKeys);
  const out = new StepTableBuilder();
  const base = graph.steps.count;
  slots.forEach(([f, frame], slot) => {
    slotOf[f] = slot;
    if (typeof frame === 'number') {
      // Only moved: its recorded steps stand (a slot can point into the recorded table).
      slotFirst[slot] = table.firstStep[f]!;
      slotCount[slot] = table.firstStep[f + 1]! - table.firstStep[f]!;
      slotParent[slot] = denseOf(frame);
      return;
    }
    slotFirst[slot] = base + out.count;
    slotCount[slot] = frame.steps.length;
    slotParent[slot] = frame.parent === null ? -1 : denseOf(frame.parent);
    for (const step of frame.steps) {
      if (step.kind === 'cpu') {
        out.cpu(step.ms, step.origin ? denseOf(step.origin.frame) : -1, step.origin ? step.origin.segment : -1, step.offloaded === true);
        for (const call of step.calls) out.call(denseOf(call.frame), call.at, call.detached === true);
        continue;
      }
      out.wait(step.await, step.site === null ? -1 : sites.of(step.site), step.gapMs);
      for (const w of step.waitsOn) out.waitOn(denseOf(w));
      for (const leaf of step.leaves) {
        out.leaf(leaf.from, leaf.ms, leaf.dueMs);
        for (const r of leaf.resources) out.leafResourceKey(keys.of(r));
      }
    }
  });
  const ordered = new Map<number, SimFrame>();
  const moved = new Map<number, number>();
  for (const [f, frame] of slots) {
    if (typeof frame === 'number') moved.set(table.id[f]!, frame);
    else ordered.set(frame.id, frame);
  }
  const patch: GraphPatch = { frames: ordered, parents: moved, added, slotOf, slotFirst, slotCount, slotParent, steps: out.done(), addedIndexOf };
  const next: GraphTables = { ...graph, sites: sites.list, resourceKeys: keys.list, patch };
  return { ...next, frames: new FrameView(next) };
}

/** When the timers an await waited on were due (`timers/promises` records its delay as `12ms`), or null. */
function timerDue(start: number, ids: readonly number[], resources: { get(id: number): Resource | undefined }): number | null {
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
  const segments = partColumns(part)?.segments;
  let starts: Float64Array;
  let ends: Float64Array;
  if (segments && segments.count === n) {
    // A part read from a file: its segment columns, in `part.cpu` order.
    starts = segments.start.slice();
    ends = segments.end.slice();
  } else {
    starts = new Float64Array(n);
    ends = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      starts[i] = part.cpu[i]!.start;
      ends[i] = part.cpu[i]!.end;
    }
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
