import type { SimFrame, SimGraph, WaitStep } from '../graph/sim-graph.js';

/** What a replay of a SimGraph gives: when each root ended, and when each leaf operation was in flight. */
export interface Schedule {
  readonly rootEnds: ReadonlyMap<number, number>;
  readonly frameEnds: ReadonlyMap<number, number>;
  /** Start of every CPU step that ran, by frame and step index. */
  readonly stepStarts: ReadonlyMap<number, readonly number[]>;
  /** Leaf operations with resources: [start, end) per resource key. */
  readonly inFlight: ReadonlyArray<{ readonly resource: string; readonly start: number; readonly end: number }>;
}

interface Task {
  readonly ready: number;
  readonly seq: number;
  readonly frame: number;
  readonly step: number;
}

/**
 * Replays a graph as a discrete-event schedule on one event loop: CPU steps queue for the single CPU in the
 * order they became ready (offloaded steps do not queue), waits overlap freely, a child's first CPU step runs
 * inside its caller's step, and an await resumes once the frames and leaf operations it needs are done.
 * The same model replays the recorded baseline and a rewrite, so its systematic errors cancel in the difference.
 */
export function simulate(graph: SimGraph): Schedule {
  const frameEnds = new Map<number, number>();
  const stepStarts = new Map<number, number[]>();
  const stepEnds = new Map<number, number[]>();
  const record = (table: Map<number, number[]>, frame: number, index: number, at: number) => {
    const list = table.get(frame);
    if (list) list[index] = at;
    else {
      const fresh: number[] = [];
      fresh[index] = at;
      table.set(frame, fresh);
    }
  };
  const inFlight: { resource: string; start: number; end: number }[] = [];
  /** Suspended awaits waiting for frames: waiter frame -> its wait step index. */
  const suspended = new Map<number, { step: number; at: number }>();
  const waitersOf = new Map<number, number[]>();
  const queue: Task[] = [];
  let seq = 0;
  let cpuFree = -Infinity;

  const push = (ready: number, frame: number, step: number) => heapPush(queue, { ready, seq: seq++, frame, step });

  const tryResume = (frameId: number): void => {
    const s = suspended.get(frameId);
    if (!s) return;
    const frame = graph.frames.get(frameId)!;
    const wait = frame.steps[s.step] as WaitStep;
    let last = -Infinity;
    for (const id of wait.waitsOn) {
      const end = frameEnds.get(id);
      if (end === undefined) return;
      last = Math.max(last, end);
    }
    suspended.delete(frameId);
    let leafReady = -Infinity;
    for (const leaf of wait.leaves) {
      const from = stepEnds.get(frameId)?.[leaf.from] ?? s.at;
      leafReady = Math.max(leafReady, from + leaf.ms);
      for (const resource of leaf.resources) inFlight.push({ resource, start: from, end: from + leaf.ms });
    }
    if (leafReady === Infinity) return;
    const ready = Math.max(s.at, leafReady, last === -Infinity ? -Infinity : last + wait.gapMs);
    push(ready, frameId, s.step + 1);
  };

  const finish = (frame: SimFrame, at: number): void => {
    frameEnds.set(frame.id, at);
    for (const waiter of waitersOf.get(frame.id) ?? []) tryResume(waiter);
  };

  /** After CPU step `index` of `frame` ended at `at`: suspend at the next wait, or finish. */
  const afterStep = (frame: SimFrame, index: number, at: number): void => {
    const next = frame.steps[index + 1];
    if (!next) return finish(frame, at);
    if (next.kind !== 'wait') return runStep(frame, index + 1, at);
    suspended.set(frame.id, { step: index + 1, at });
    for (const id of next.waitsOn) {
      const list = waitersOf.get(id);
      if (list) list.push(frame.id);
      else waitersOf.set(id, [frame.id]);
    }
    tryResume(frame.id);
  };

  /** Runs CPU step `index` starting at `at`, with the first steps of the children it calls nested inside. */
  function runStep(frame: SimFrame, index: number, at: number): void {
    const step = frame.steps[index];
    if (!step || step.kind !== 'cpu') return afterStep(frame, index, at);
    record(stepStarts, frame.id, index, at);
    const end = at + step.ms;
    record(stepEnds, frame.id, index, end);
    for (const call of step.calls) {
      const child = graph.frames.get(call.frame);
      if (!child) continue;
      if (call.detached) push(at + call.at, child.id, 0);
      else runStep(child, 0, at + call.at);
    }
    afterStep(frame, index, end);
  }

  for (const frame of graph.frames.values()) {
    if (frame.parent === null || !graph.frames.has(frame.parent)) push(frame.start, frame.id, 0);
  }
  while (queue.length > 0) {
    const task = heapPop(queue)!;
    const frame = graph.frames.get(task.frame)!;
    const step = frame.steps[task.step];
    if (!step) {
      finish(frame, task.ready);
      continue;
    }
    if (step.kind === 'cpu' && step.offloaded) {
      runStep(frame, task.step, task.ready);
      continue;
    }
    const start = Math.max(task.ready, cpuFree);
    cpuFree = start + (step.kind === 'cpu' ? step.ms : 0);
    runStep(frame, task.step, start);
  }

  const rootEnds = new Map<number, number>();
  for (const [root, anchor] of graph.anchors) {
    const frame = graph.frames.get(anchor.frame);
    if (!frame) continue;
    const index = frame.steps.findIndex((s) => s.kind === 'cpu' && s.origin?.frame === anchor.frame && s.origin.segment === anchor.segment);
    const located = index >= 0 ? { frame: anchor.frame, index } : findOrigin(graph, anchor.frame, anchor.segment);
    const start = located ? stepStarts.get(located.frame)?.[located.index] : undefined;
    if (start !== undefined) rootEnds.set(root, start + anchor.offset);
  }
  return { rootEnds, frameEnds, stepStarts, inFlight };
}

/** A step a rewrite moved to another (virtual) frame. */
function findOrigin(graph: SimGraph, frame: number, segment: number): { frame: number; index: number } | null {
  for (const f of graph.frames.values()) {
    const index = f.steps.findIndex((s) => s.kind === 'cpu' && s.origin?.frame === frame && s.origin.segment === segment);
    if (index >= 0) return { frame: f.id, index };
  }
  return null;
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

const before = (a: Task, b: Task) => a.ready < b.ready || (a.ready === b.ready && a.seq < b.seq);

function heapPush(heap: Task[], task: Task): void {
  heap.push(task);
  let i = heap.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!before(heap[i]!, heap[p]!)) break;
    [heap[i], heap[p]] = [heap[p]!, heap[i]!];
    i = p;
  }
}

function heapPop(heap: Task[]): Task | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0 && last) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
  return top;
}
