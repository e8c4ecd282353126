import type { CpuStep, SimFrame, SimGraph, WaitStep } from '../graph/sim-graph.js';

/** What a replay of a SimGraph gives: when each root ended, and when each leaf operation was in flight. */
export interface Schedule {
  readonly rootEnds: ReadonlyMap<number, number>;
  /** When a frame ended in the replay (undefined: it never did). */
  readonly frameEnds: { get(frame: number): number | undefined };
  /** Start of a CPU step that ran, by frame and step index (undefined: it never ran). */
  readonly stepStart: (frame: number, step: number) => number | undefined;
  /** Leaf operations with resources: [start, end) per resource key. */
  readonly inFlight: ReadonlyArray<{ readonly resource: string; readonly start: number; readonly end: number }>;
}

/**
 * Replays a graph as a discrete-event schedule on one event loop: CPU steps queue for the single CPU in the
 * order they became ready (offloaded steps do not queue), waits overlap freely, a child's first CPU step runs
 * inside its caller's step, and an await resumes once the frames and leaf operations it needs are done.
 * The same model replays the recorded baseline and a rewrite, so its systematic errors cancel in the difference.
 *
 * State lives in typed arrays indexed by a dense frame number and a global step number: a replay of a trace
 * with a million awaits allocates a handful of arrays, not millions of small objects.
 */
export interface SimulateOptions {
  /** Await sites (site ids of the part) whose leaf operations take no time: drag, without copying the graph. */
  readonly instantSites?: ReadonlySet<number>;
  /**
   * No CPU queue: every CPU step runs as soon as it is ready, as if each request had the event loop to itself.
   * What a rewrite saves a request on its own, before queueing behind other requests (the closed-loop model's input).
   */
  readonly uncontended?: boolean;
}

export function simulate(graph: SimGraph, options: SimulateOptions = {}): Schedule {
  const instant = options.instantSites;
  const uncontended = options.uncontended === true;
  const frames: SimFrame[] = [];
  const dense = new Map<number, number>();
  for (const frame of graph.frames.values()) {
    dense.set(frame.id, frames.length);
    frames.push(frame);
  }
  const n = frames.length;
  const base = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) base[i + 1] = base[i]! + frames[i]!.steps.length;
  const stepStarts = new Float64Array(base[n]!).fill(NaN);
  const stepEnds = new Float64Array(base[n]!).fill(NaN);
  const frameEnds = new Float64Array(n).fill(NaN);
  /** Suspended awaits: the wait step index (-1: not suspended), since when, and how many frames it still needs. */
  const suspStep = new Int32Array(n).fill(-1);
  const suspAt = new Float64Array(n);
  const pending = new Int32Array(n);
  const waitersOf = new Map<number, number[]>();
  const inFlight: { resource: string; start: number; end: number }[] = [];
  const queue = new TaskHeap();
  let cpuFree = -Infinity;

  /** Resumes a suspended frame once nothing it waits on is pending; a counter, so a join of n frames costs n. */
  const resume = (f: number): void => {
    const frame = frames[f]!;
    const step = suspStep[f]!;
    const wait = frame.steps[step] as WaitStep;
    let last = -Infinity;
    for (const id of wait.waitsOn) {
      const d = dense.get(id);
      if (d !== undefined) last = Math.max(last, frameEnds[d]!);
    }
    suspStep[f] = -1;
    const at = suspAt[f]!;
    let leafReady = -Infinity;
    const zero = instant !== undefined && wait.site !== null && instant.has(wait.site.id);
    for (const leaf of wait.leaves) {
      const ended = stepEnds[base[f]! + leaf.from];
      const from = ended === undefined || Number.isNaN(ended) ? at : ended;
      const ms = zero && Number.isFinite(leaf.ms) ? 0 : uncontended && leaf.dueMs !== undefined ? Math.min(leaf.ms, leaf.dueMs) : leaf.ms;
      leafReady = Math.max(leafReady, from + ms);
      for (const resource of leaf.resources) inFlight.push({ resource, start: from, end: from + ms });
    }
    if (leafReady === Infinity) return;
    const ready = Math.max(at, leafReady, last === -Infinity ? -Infinity : last + wait.gapMs);
    queue.push(ready, f, step + 1);
  };

  const finish = (f: number, at: number): void => {
    if (!Number.isNaN(frameEnds[f]!)) return;
    frameEnds[f] = at;
    const waiters = waitersOf.get(f);
    if (!waiters) return;
    waitersOf.delete(f);
    for (const w of waiters) if (suspStep[w]! >= 0 && --pending[w]! === 0) resume(w);
  };

  /** CPU steps being run, innermost last (frame, step, start, next call): a child's first step runs nested inside its caller's. */
  let runFrame = new Int32Array(64);
  let runStepIndex = new Int32Array(64);
  let runAt = new Float64Array(64);
  let runNext = new Int32Array(64);
  let depth = 0;

  /** After step `index` of frame `f` ended at `at`: run the next CPU step, suspend at the next wait, or finish. */
  const afterStep = (f: number, index: number, at: number): void => {
    const frame = frames[f]!;
    const next = frame.steps[index + 1];
    if (!next) return finish(f, at);
    if (next.kind !== 'wait') return enter(f, index + 1, at);
    let count = 0;
    for (const id of next.waitsOn) {
      const d = dense.get(id);
      if (d === undefined || !Number.isNaN(frameEnds[d]!)) continue;
      count++;
      const list = waitersOf.get(d);
      if (list) list.push(f);
      else waitersOf.set(d, [f]);
    }
    suspStep[f] = index + 1;
    suspAt[f] = at;
    pending[f] = count;
    if (count === 0) resume(f);
  };

  /** Starts CPU step `index` of frame `f` at `at`; the loop in `runStep` runs the children it calls. */
  function enter(f: number, index: number, at: number): void {
    const step = frames[f]!.steps[index];
    if (!step || step.kind !== 'cpu') return afterStep(f, index, at);
    stepStarts[base[f]! + index] = at;
    stepEnds[base[f]! + index] = at + step.ms;
    if (depth === runFrame.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
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
      const step = frames[tf]!.steps[runStepIndex[top]!] as CpuStep;
      const next = runNext[top]!;
      if (next < step.calls.length) {
        runNext[top] = next + 1;
        const call = step.calls[next]!;
        const child = dense.get(call.frame);
        if (child === undefined) continue;
        if (call.detached) queue.push(runAt[top]! + call.at, child, 0);
        else enter(child, 0, runAt[top]! + call.at);
        continue;
      }
      depth--;
      afterStep(tf, runStepIndex[top]!, runAt[top]! + step.ms);
    }
  }

  for (let f = 0; f < n; f++) {
    const frame = frames[f]!;
    if (frame.parent === null || !dense.has(frame.parent)) queue.push(frame.start, f, 0);
  }
  while (queue.size > 0) {
    const ready = queue.topReady();
    const f = queue.topFrame();
    const index = queue.topStep();
    queue.pop();
    const step = frames[f]!.steps[index];
    if (!step) {
      finish(f, ready);
      continue;
    }
    if (step.kind === 'cpu' && (step.offloaded || uncontended)) {
      runStep(f, index, ready);
      continue;
    }
    const start = Math.max(ready, cpuFree);
    cpuFree = start + (step.kind === 'cpu' ? step.ms : 0);
    runStep(f, index, start);
  }

  const stepStart = (frame: number, step: number): number | undefined => {
    const f = dense.get(frame);
    if (f === undefined || step < 0 || step >= base[f + 1]! - base[f]!) return undefined;
    const at = stepStarts[base[f]! + step]!;
    return Number.isNaN(at) ? undefined : at;
  };
  const rootEnds = new Map<number, number>();
  let moved: Map<string, { frame: number; index: number }> | null = null;
  for (const [root, anchor] of graph.anchors) {
    const frame = graph.frames.get(anchor.frame);
    if (!frame) continue;
    const index = frame.steps.findIndex((s) => s.kind === 'cpu' && s.origin?.frame === anchor.frame && s.origin.segment === anchor.segment);
    let located: { frame: number; index: number } | undefined = index >= 0 ? { frame: anchor.frame, index } : undefined;
    if (!located) {
      // A step a rewrite moved to another (virtual) frame: one index of every step's origin, built when first needed.
      moved ??= originIndex(graph);
      located = moved.get(`${anchor.frame}:${anchor.segment}`);
    }
    const start = located ? stepStart(located.frame, located.index) : undefined;
    if (start !== undefined) rootEnds.set(root, start + anchor.offset);
  }
  return {
    rootEnds,
    frameEnds: {
      get: (frame) => {
        const f = dense.get(frame);
        return f === undefined || Number.isNaN(frameEnds[f]!) ? undefined : frameEnds[f];
      },
    },
    stepStart,
    inFlight,
  };
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

/** Where each recorded CPU step is in a (rewritten) graph: `frame:segment` of its origin -> frame and step index. */
function originIndex(graph: SimGraph): Map<string, { frame: number; index: number }> {
  const out = new Map<string, { frame: number; index: number }>();
  for (const f of graph.frames.values()) {
    f.steps.forEach((s, index) => {
      if (s.kind === 'cpu' && s.origin) {
        const key = `${s.origin.frame}:${s.origin.segment}`;
        if (!out.has(key)) out.set(key, { frame: f.id, index });
      }
    });
  }
  return out;
}

/** Peak number of intervals open at once, per resource. */
export function peakInFlight(intervals: Schedule['inFlight']): Map<string, number> {
  const byResource = new Map<string, { t: number; d: number }[]>();
  for (const { resource, start, end } of intervals) {
    const list = byResource.get(resource) ?? [];
    list.push({ t: start, d: 1 }, { t: end, d: -1 });
    byResource.set(resource, list);
  }
  const peaks = new Map<string, number>();
  for (const [resource, events] of byResource) {
    events.sort((a, b) => a.t - b.t || a.d - b.d);
    let open = 0;
    let peak = 0;
    for (const e of events) {
      open += e.d;
      peak = Math.max(peak, open);
    }
    peaks.set(resource, peak);
  }
  return peaks;
}
