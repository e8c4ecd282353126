import type { SimGraph } from '../graph/sim-graph.js';
import { STEP_CPU, STEP_OFFLOADED, STEP_WAIT, type StepTable } from '../graph/step-table.js';

/** Leaf operations with resources as the replay placed them: [start, end) per resource key, in typed arrays. */
export interface InFlightLog {
  readonly count: number;
  /** Resource keys; `resource[i]` indexes them. */
  readonly keys: readonly string[];
  readonly resource: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
}

/** What a replay of a SimGraph gives: when each root ended, and when each leaf operation was in flight. */
export interface Schedule {
  readonly rootEnds: ReadonlyMap<number, number>;
  /** When a frame ended in the replay (undefined: it never did). */
  readonly frameEnds: { get(frame: number): number | undefined };
  /** Start of a CPU step that ran, by frame and step index (undefined: it never ran). */
  readonly stepStart: (frame: number, step: number) => number | undefined;
  /** Leaf operations with resources (empty when the replay was asked not to keep them). */
  readonly inFlight: InFlightLog;
}

/**
 * Replays a graph as a discrete-event schedule on one event loop: CPU steps queue for the single CPU in the
 * order they became ready (offloaded steps do not queue), waits overlap freely, a child's first CPU step runs
 * inside its caller's step, and an await resumes once the frames and leaf operations it needs are done.
 * The same model replays the recorded baseline and a rewrite, so its systematic errors cancel in the difference.
 *
 * State lives in typed arrays indexed by a dense frame number and a global step number, and so does the graph:
 * a replay of a trace with a million awaits allocates a handful of arrays, not millions of small objects. A
 * rewritten graph is the recorded tables plus a patch (the frames the rewrite changed): steps below the recorded
 * count are read from the recorded table, the others from the patch's.
 */
export interface SimulateOptions {
  /** Await sites (site ids of the part) whose leaf operations take no time: drag, without copying the graph. */
  readonly instantSites?: ReadonlySet<number>;
  /**
   * No CPU queue: every CPU step runs as soon as it is ready, as if each request had the event loop to itself.
   * What a rewrite saves a request on its own, before queueing behind other requests (the closed-loop model's input).
   */
  readonly uncontended?: boolean;
  /** Keep the leaf operations' intervals (`Schedule.inFlight`); default true. Drag replays need only root ends. */
  readonly inFlight?: boolean;
}

const EMPTY_LOG: InFlightLog = { count: 0, keys: [], resource: new Int32Array(0), start: new Float64Array(0), end: new Float64Array(0) };

export function simulate(graph: SimGraph, options: SimulateOptions = {}): Schedule {
  const instant = options.instantSites;
  const uncontended = options.uncontended === true;
  const keepInFlight = options.inFlight !== false;
  const table = graph.frameTable;
  const patch = graph.patch;
  const t0 = graph.steps;
  const t1: StepTable = patch ? patch.steps : t0;
  const S = t0.count;
  const n = table.count + (patch ? patch.added.length : 0);
  const totalSteps = S + (patch ? patch.steps.count : 0);
  const slotOf = patch?.slotOf;
  /** First global step of each frame and its step count. */
  const first = new Int32Array(n);
  const count = new Int32Array(n);
  const parentOf = new Int32Array(n);
  for (let f = 0; f < n; f++) {
    const slot = slotOf ? slotOf[f]! : -1;
    if (slot >= 0) {
      first[f] = patch!.slotFirst[slot]!;
      count[f] = patch!.slotCount[slot]!;
      parentOf[f] = patch!.slotParent[slot]!;
    } else {
      first[f] = table.firstStep[f]!;
      count[f] = table.firstStep[f + 1]! - table.firstStep[f]!;
      parentOf[f] = table.parentIndex[f]!;
    }
  }
  const denseOf = (id: number): number => {
    const f = table.indexOf(id);
    return f >= 0 || !patch ? f : patch.addedIndexOf(id);
  };
  /** Steps below S are the recorded table's, the others the patch's (the same layout, indexes shifted by S). */
  const kindOf = (g: number) => (g < S ? t0.kind[g]! : t1.kind[g - S]!);
  const msOf = (g: number) => (g < S ? t0.ms[g]! : t1.ms[g - S]!);
  const instantSite = new Uint8Array(graph.sites.length);
  if (instant) graph.sites.forEach((site, i) => (instantSite[i] = instant.has(site.id) ? 1 : 0));

  const stepStarts = new Float64Array(totalSteps).fill(NaN);
  const stepEnds = new Float64Array(totalSteps).fill(NaN);
  const frameEnds = new Float64Array(n).fill(NaN);
  /** Suspended awaits: the wait step (global index, -1: not suspended), since when, and how many frames it still needs. */
  const suspStep = new Int32Array(n).fill(-1);
  const suspAt = new Float64Array(n);
  const pending = new Int32Array(n);
  /** Frames waiting on each frame, as linked lists in insertion order (head, tail; node frame, next). */
  const waiterHead = new Int32Array(n).fill(-1);
  const waiterTail = new Int32Array(n).fill(-1);
  let nodeFrame = new Int32Array(1024);
  let nodeNext = new Int32Array(1024);
  let nodes = 0;
  const log = keepInFlight ? new IntervalLog() : null;
  const queue = new TaskHeap();
  let cpuFree = -Infinity;

  /** Resumes a suspended frame once nothing it waits on is pending; a counter, so a join of n frames costs n. */
  const resume = (f: number): void => {
    const g = suspStep[f]!;
    const t = g < S ? t0 : t1;
    const l = g < S ? g : g - S;
    let last = -Infinity;
    for (let w = t.waitStart[l]!; w < t.waitStart[l + 1]!; w++) {
      const d = t.waitsOn[w]!;
      if (d >= 0) last = Math.max(last, frameEnds[d]!);
    }
    suspStep[f] = -1;
    const at = suspAt[f]!;
    let leafReady = -Infinity;
    const site = t.site[l]!;
    const zero = instant !== undefined && site >= 0 && instantSite[site] === 1;
    for (let k = t.leafStart[l]!; k < t.leafStart[l + 1]!; k++) {
      const ended = stepEnds[first[f]! + t.leafFrom[k]!];
      const from = ended === undefined || Number.isNaN(ended) ? at : ended;
      const leafMs = t.leafMs[k]!;
      const due = t.leafDue[k]!;
      const ms = zero && Number.isFinite(leafMs) ? 0 : uncontended && !Number.isNaN(due) ? Math.min(leafMs, due) : leafMs;
      leafReady = Math.max(leafReady, from + ms);
      if (log) for (let r = t.leafResourceStart[k]!; r < t.leafResourceStart[k + 1]!; r++) log.push(t.leafResource[r]!, from, from + ms);
    }
    if (leafReady === Infinity) return;
    const ready = Math.max(at, leafReady, last === -Infinity ? -Infinity : last + msOf(g));
    queue.push(ready, f, g - first[f]! + 1);
  };

  const finish = (f: number, at: number): void => {
    if (!Number.isNaN(frameEnds[f]!)) return;
    frameEnds[f] = at;
    let node = waiterHead[f]!;
    if (node < 0) return;
    waiterHead[f] = -1;
    waiterTail[f] = -1;
    for (; node >= 0; node = nodeNext[node]!) {
      const w = nodeFrame[node]!;
      if (suspStep[w]! >= 0 && --pending[w]! === 0) resume(w);
    }
  };

  const addWaiter = (d: number, f: number): void => {
    if (nodes === nodeFrame.length) {
      nodeFrame = grow(nodeFrame);
      nodeNext = grow(nodeNext);
    }
    const node = nodes++;
    nodeFrame[node] = f;
    nodeNext[node] = -1;
    if (waiterTail[d]! >= 0) nodeNext[waiterTail[d]!] = node;
    else waiterHead[d] = node;
    waiterTail[d] = node;
  };

  /** CPU steps being run, innermost last (frame, step, start, next call): a child's first step runs nested inside its caller's. */
  let runFrame = new Int32Array(64);
  let runStepIndex = new Int32Array(64);
  let runAt = new Float64Array(64);
  let runNext = new Int32Array(64);
  let depth = 0;

  /** After step `index` of frame `f` ended at `at`: run the next CPU step, suspend at the next wait, or finish. */
  const afterStep = (f: number, index: number, at: number): void => {
    if (index + 1 >= count[f]!) return finish(f, at);
    const g = first[f]! + index + 1;
    if (!(kindOf(g) & STEP_WAIT)) return enter(f, index + 1, at);
    const t = g < S ? t0 : t1;
    const l = g < S ? g : g - S;
    let waiting = 0;
    for (let w = t.waitStart[l]!; w < t.waitStart[l + 1]!; w++) {
      const d = t.waitsOn[w]!;
      if (d < 0 || !Number.isNaN(frameEnds[d]!)) continue;
      waiting++;
      addWaiter(d, f);
    }
    suspStep[f] = g;
    suspAt[f] = at;
    pending[f] = waiting;
    if (waiting === 0) resume(f);
  };

  /** Starts CPU step `index` of frame `f` at `at`; the loop in `runStep` runs the children it calls. */
  function enter(f: number, index: number, at: number): void {
    if (index >= count[f]!) return afterStep(f, index, at);
    const g = first[f]! + index;
    if (!(kindOf(g) & STEP_CPU)) return afterStep(f, index, at);
    stepStarts[g] = at;
    stepEnds[g] = at + msOf(g);
    if (depth === runFrame.length) {
      runFrame = grow(runFrame);
      runStepIndex = grow(runStepIndex);
      runAt = grow(runAt);
      runNext = grow(runNext);
    }
    runFrame[depth] = f;
    runStepIndex[depth] = index;
    runAt[depth] = at;
    runNext[depth] = 0;
    depth++;
  }

  /**
   * Runs CPU step `index` starting at `at`, with the first steps of the children it calls nested inside. A loop
   * over an explicit stack, not recursion: a chain of thousands of nested calls is as deep as the program's.
   */
  function runStep(f: number, index: number, at: number): void {
    enter(f, index, at);
    while (depth > 0) {
      const top = depth - 1;
      const tf = runFrame[top]!;
      const g = first[tf]! + runStepIndex[top]!;
      const t = g < S ? t0 : t1;
      const l = g < S ? g : g - S;
      const next = runNext[top]!;
      const calls = t.callStart[l + 1]! - t.callStart[l]!;
      if (next < calls) {
        runNext[top] = next + 1;
        const c = t.callStart[l]! + next;
        const child = t.callFrame[c]!;
        if (child < 0) continue;
        if (t.callDetached[c]) queue.push(runAt[top]! + t.callAt[c]!, child, 0);
        else enter(child, 0, runAt[top]! + t.callAt[c]!);
        continue;
      }
      depth--;
      afterStep(tf, runStepIndex[top]!, runAt[top]! + t.ms[l]!);
    }
  }

  for (let f = 0; f < n; f++) {
    if (parentOf[f]! < 0) queue.push(f < table.count && (!slotOf || slotOf[f]! < 0) ? table.start[f]! : frameStart(graph, f), f, 0);
  }
  while (queue.size > 0) {
    const ready = queue.topReady();
    const f = queue.topFrame();
    const index = queue.topStep();
    queue.pop();
    if (index >= count[f]!) {
      finish(f, ready);
      continue;
    }
    const kind = kindOf(first[f]! + index);
    if (kind & STEP_CPU && (kind & STEP_OFFLOADED || uncontended)) {
      runStep(f, index, ready);
      continue;
    }
    const start = Math.max(ready, cpuFree);
    cpuFree = start + (kind & STEP_CPU ? msOf(first[f]! + index) : 0);
    runStep(f, index, start);
  }

  const stepStart = (frame: number, step: number): number | undefined => {
    const f = denseOf(frame);
    if (f < 0 || step < 0 || step >= count[f]!) return undefined;
    const at = stepStarts[first[f]! + step]!;
    return Number.isNaN(at) ? undefined : at;
  };
  const rootEnds = new Map<number, number>();
  let moved: Map<string, { frame: number; index: number }> | null = null;
  for (const [root, anchor] of graph.anchors) {
    const f = denseOf(anchor.frame);
    if (f < 0) continue;
    let located = -1;
    let locatedFrame = f;
    for (let i = 0; i < count[f]!; i++) {
      const g = first[f]! + i;
      const t = g < S ? t0 : t1;
      const l = g < S ? g : g - S;
      if (t.kind[l]! & STEP_CPU && t.originFrame[l] === f && t.originSegment[l] === anchor.segment) {
        located = i;
        break;
      }
    }
    if (located < 0 && patch) {
      // A step a rewrite moved to another (virtual) frame: one index of the patch's step origins, built when first needed.
      moved ??= originIndex(patch, S, table.count + patch.added.length);
      const hit = moved.get(`${f}:${anchor.segment}`);
      if (hit) {
        locatedFrame = hit.frame;
        located = hit.index;
      }
    }
    if (located < 0) continue;
    const at = stepStarts[first[locatedFrame]! + located]!;
    if (!Number.isNaN(at)) rootEnds.set(root, at + anchor.offset);
  }
  return {
    rootEnds,
    frameEnds: {
      get: (frame) => {
        const f = denseOf(frame);
        return f < 0 || Number.isNaN(frameEnds[f]!) ? undefined : frameEnds[f];
      },
    },
    stepStart,
    inFlight: log ? log.done(graph.resourceKeys) : EMPTY_LOG,
  };
}

/** Start of a frame a patch changed or added (its object holds it). */
function frameStart(graph: SimGraph, f: number): number {
  const table = graph.frameTable;
  if (f < table.count) return graph.patch!.frames.get(table.id[f]!)?.start ?? table.start[f]!;
  return graph.patch!.added[f - table.count]!.start;
}

function grow<T extends Int32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** Intervals appended during a replay, in typed arrays. */
class IntervalLog {
  private resource = new Int32Array(1024);
  private start = new Float64Array(1024);
  private end = new Float64Array(1024);
  private count = 0;

  push(resource: number, start: number, end: number): void {
    if (this.count === this.resource.length) {
      this.resource = grow(this.resource);
      this.start = grow(this.start);
      this.end = grow(this.end);
    }
    this.resource[this.count] = resource;
    this.start[this.count] = start;
    this.end[this.count] = end;
    this.count++;
  }

  done(keys: readonly string[]): InFlightLog {
    return { count: this.count, keys, resource: this.resource.subarray(0, this.count), start: this.start.subarray(0, this.count), end: this.end.subarray(0, this.count) };
  }
}

/** A binary heap of tasks (ready time, then insertion order) in parallel typed arrays. */
class TaskHeap {
  private ready = new Float64Array(1024);
  private seq = new Float64Array(1024);
  private frame = new Int32Array(1024);
  private step = new Int32Array(1024);
  private counter = 0;
  size = 0;

  push(ready: number, frame: number, step: number): void {
    if (this.size === this.ready.length) this.grow();
    let i = this.size++;
    const seq = this.counter++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!(ready < this.ready[p]! || (ready === this.ready[p]! && seq < this.seq[p]!))) break;
      this.move(p, i);
      i = p;
    }
    this.ready[i] = ready;
    this.seq[i] = seq;
    this.frame[i] = frame;
    this.step[i] = step;
  }

  topReady(): number {
    return this.ready[0]!;
  }
  topFrame(): number {
    return this.frame[0]!;
  }
  topStep(): number {
    return this.step[0]!;
  }

  pop(): void {
    const last = --this.size;
    if (last === 0) return;
    const ready = this.ready[last]!;
    const seq = this.seq[last]!;
    const frame = this.frame[last]!;
    const step = this.step[last]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      let m = l;
      if (r < last && (this.ready[r]! < this.ready[l]! || (this.ready[r] === this.ready[l] && this.seq[r]! < this.seq[l]!))) m = r;
      if (!(this.ready[m]! < ready || (this.ready[m] === ready && this.seq[m]! < seq))) break;
      this.move(m, i);
      i = m;
    }
    this.ready[i] = ready;
    this.seq[i] = seq;
    this.frame[i] = frame;
    this.step[i] = step;
  }

  private move(from: number, to: number): void {
    this.ready[to] = this.ready[from]!;
    this.seq[to] = this.seq[from]!;
    this.frame[to] = this.frame[from]!;
    this.step[to] = this.step[from]!;
  }

  private grow(): void {
    const size = this.ready.length * 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.ready = f64(this.ready);
    this.seq = f64(this.seq);
    this.frame = i32(this.frame);
    this.step = i32(this.step);
  }
}


/** Where each CPU step of the patch's frames came from: `frame:segment` of its origin (dense) -> frame (dense) and step index. */
function originIndex(patch: NonNullable<SimGraph['patch']>, recordedSteps: number, frames: number): Map<string, { frame: number; index: number }> {
  const out = new Map<string, { frame: number; index: number }>();
  const slotFrame = new Int32Array(patch.slotFirst.length);
  for (let f = 0; f < frames; f++) if (patch.slotOf[f]! >= 0) slotFrame[patch.slotOf[f]!] = f;
  const t = patch.steps;
  for (let slot = 0; slot < patch.slotFirst.length; slot++) {
    const from = patch.slotFirst[slot]! - recordedSteps;
    // A frame that was only moved keeps its recorded steps, whose origins are its own: never a moved step.
    if (from < 0) continue;
    for (let i = 0; i < patch.slotCount[slot]!; i++) {
      const l = from + i;
      if (!(t.kind[l]! & STEP_CPU) || t.originSegment[l]! < 0) continue;
      const key = `${t.originFrame[l]}:${t.originSegment[l]}`;
      if (!out.has(key)) out.set(key, { frame: slotFrame[slot]!, index: i });
    }
  }
  return out;
}

/**
 * Peak number of intervals open at once, per resource (in the order resources first appear). Starts and ends are
 * sorted apart and swept; at equal times an interval that ends is closed before one that starts is opened.
 */
export function peakInFlight(log: InFlightLog): Map<string, number> {
  const order: number[] = [];
  const sizes = new Map<number, number>();
  for (let i = 0; i < log.count; i++) {
    const r = log.resource[i]!;
    const size = sizes.get(r);
    if (size === undefined) order.push(r);
    sizes.set(r, (size ?? 0) + 1);
  }
  const peaks = new Map<string, number>();
  for (const r of order) {
    const size = sizes.get(r)!;
    const starts = new Float64Array(size);
    const ends = new Float64Array(size);
    let k = 0;
    for (let i = 0; i < log.count; i++) {
      if (log.resource[i] !== r) continue;
      starts[k] = log.start[i]!;
      ends[k] = log.end[i]!;
      k++;
    }
    starts.sort();
    ends.sort();
    let open = 0;
    let peak = 0;
    let j = 0;
    for (let i = 0; i < size; i++) {
      while (j < size && ends[j]! <= starts[i]!) {
        open--;
        j++;
      }
      open++;
      if (open > peak) peak = open;
    }
    peaks.set(log.keys[r]!, peak);
  }
  return peaks;
}
