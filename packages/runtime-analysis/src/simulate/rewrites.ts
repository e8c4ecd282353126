import { firstCpuMs, patchGraph, type CpuStep, type SimCall, type SimFrame, type SimGraph, type SimStep, type WaitStep } from '../graph/sim-graph.js';

/**
 * Rewrites of a recorded graph, each the schedule a source rewrite would give. They only move work: CPU time
 * is conserved, dependent awaits keep their order, and nothing outside the rewritten frame changes.
 */

type Steps = SimStep[];

const cpuAt = (steps: readonly SimStep[], i: number) => steps[i] as CpuStep;
const waitAt = (steps: readonly SimStep[], i: number) => steps[i] as WaitStep;
/** Step index of a frame's await i: programs are cpu, wait, cpu, wait, ... */
const waitIndex = (awaitIndex: number) => 2 * awaitIndex + 1;

/**
 * A graph being rewritten: the frames the rewrites below change or add, over the shared recorded graph (a delta,
 * never a copy of the frame table), so a thousand rewrites of one trace cost what they touch. Make one with
 * `draftOf`, read the result with `finish`.
 */
export interface GraphDraft {
  readonly graph: SimGraph;
  readonly frames: DraftFrames;
  /** Next id for frames a rewrite creates (negative: never a recorded id). */
  nextVirtual: number;
}

/**
 * A draft's frames: reads fall through to the graph, writes go to the draft's own delta. A recorded frame that a
 * rewrite only moves under another parent keeps its recorded steps (a parent override, not a copy of its steps).
 */
export class DraftFrames {
  /** Changed and added frames, by id. */
  readonly changed: Map<number, SimFrame>;
  /** New parents of recorded frames that are otherwise unchanged. */
  readonly parents: Map<number, number>;
  constructor(private readonly graph: SimGraph) {
    this.changed = new Map(graph.patch?.frames ?? []);
    this.parents = new Map(graph.patch?.parents ?? []);
  }
  get(id: number): SimFrame | undefined {
    const changed = this.changed.get(id);
    if (changed) return changed;
    const recorded = this.graph.frames.get(id);
    const parent = this.parents.get(id);
    return parent === undefined || !recorded ? recorded : { ...recorded, parent };
  }
  set(id: number, frame: SimFrame): void {
    this.changed.set(id, frame);
    this.parents.delete(id);
  }
  /** Moves a frame under another parent. */
  reparent(id: number, parent: number): void {
    const changed = this.changed.get(id);
    if (changed) this.changed.set(id, { ...changed, parent });
    else if (this.graph.frameTable.indexOf(id) >= 0) this.parents.set(id, parent);
  }
  /** Length of a frame's first step when it is CPU, else 0 (0 for a frame not in the graph), read from the tables. */
  firstCpuMs(id: number): number {
    const changed = this.changed.get(id);
    if (changed) {
      const first = changed.steps[0];
      return first && first.kind === 'cpu' ? first.ms : 0;
    }
    return firstCpuMs(this.graph, id);
  }
  /** Every frame, recorded order first, then added ones (reads each recorded frame from the tables: slow on big graphs). */
  *values(): IterableIterator<SimFrame> {
    const table = this.graph.frameTable;
    for (let f = 0; f < table.count; f++) yield this.get(table.id[f]!)!;
    for (const frame of this.changed.values()) if (table.indexOf(frame.id) < 0) yield frame;
  }
}

export function draftOf(graph: SimGraph): GraphDraft {
  let min = Math.min(0, graph.frameTable.minId);
  for (const id of graph.patch?.frames.keys() ?? []) if (id < min) min = id;
  return { graph, frames: new DraftFrames(graph), nextVirtual: min - 1 };
}

export function finish(draft: GraphDraft): SimGraph {
  return patchGraph(draft.graph, draft.frames.changed, draft.frames.parents);
}

function setFrame(draft: GraphDraft, frame: SimFrame, steps: Steps, extra: SimFrame[] = [], reparent = new Map<number, number>()): void {
  draft.frames.set(frame.id, { ...frame, steps });
  for (const f of extra) draft.frames.set(f.id, f);
  for (const [child, parent] of reparent) draft.frames.reparent(child, parent);
}

/** The inline length of a child: its first CPU step runs inside the caller's step. */
function inlineMs(draft: GraphDraft, call: SimCall): number {
  if (call.detached) return 0;
  return draft.frames.firstCpuMs(call.frame);
}

/**
 * Takes the calls matching `take` out of a step's inline time: the step gets shorter by their inline length,
 * and calls after them move earlier by as much. With `detach`, the taken calls stay but no longer run inline.
 */
function removeInline(graph: GraphDraft, step: CpuStep, take: (call: SimCall) => boolean, detach: boolean): { step: CpuStep; taken: SimCall[] } {
  const taken: SimCall[] = [];
  const calls: SimCall[] = [];
  let shift = 0;
  for (const call of [...step.calls].sort((a, b) => a.at - b.at)) {
    if (take(call)) {
      taken.push(call);
      const length = inlineMs(graph, call);
      if (detach) calls.push({ ...call, at: Math.max(0, call.at - shift), detached: true });
      shift += length;
    } else calls.push({ ...call, at: Math.max(0, call.at - shift) });
  }
  return { step: { ...step, ms: Math.max(0, step.ms - shift), calls }, taken };
}

/**
 * Moves the start of await `moved`'s operations (the children it waits on and its leaf operations) to the end
 * of the CPU step that issues await `anchor`. With `join`, await `anchor` also waits for them
 * (`Promise.all`); otherwise await `moved` still waits for them where it was (a promise started early).
 */
export function hoistAwait(graph: GraphDraft, frameId: number, anchor: number, moved: number, join: boolean): void {
  const frame = graph.frames.get(frameId);
  if (!frame || moved <= anchor) return;
  const steps: Steps = [...frame.steps];
  const issueAnchor = 2 * anchor;
  const issueMoved = 2 * moved;
  const w = waitAt(steps, waitIndex(moved));
  const src = cpuAt(steps, issueMoved);
  const dst = cpuAt(steps, issueAnchor);
  if (!w || !src || !dst || w.kind !== 'wait' || src.kind !== 'cpu' || dst.kind !== 'cpu') return;
  const removed = removeInline(graph, src, (c) => w.waitsOn.includes(c.frame), false);
  let offset = dst.ms;
  const appended = removed.taken.map((c) => {
    const call = { ...c, at: offset };
    offset += inlineMs(graph, c);
    return call;
  });
  steps[issueAnchor] = { ...dst, ms: offset, calls: [...dst.calls, ...appended] };
  steps[issueMoved] = removed.step;
  const leaves = w.leaves.map((leaf) => ({ ...leaf, from: issueAnchor }));
  if (join) {
    const a = waitAt(steps, waitIndex(anchor));
    steps[waitIndex(anchor)] = { ...a, waitsOn: [...a.waitsOn, ...w.waitsOn], leaves: [...a.leaves, ...leaves], gapMs: Math.max(a.gapMs, w.gapMs) };
    steps[waitIndex(moved)] = { ...w, waitsOn: [], leaves: [], gapMs: 0 };
  } else {
    steps[waitIndex(moved)] = { ...w, leaves };
  }
  setFrame(graph, frame, steps);
}

/**
 * Runs the iterations of a loop concurrently (`Promise.all(items.map(async (item) => ...))`). `iterations`
 * lists each iteration's await indexes in the frame, in order. Each iteration becomes a virtual frame holding
 * the CPU that issued its first await and its own chain of awaits; the frame calls them all, then waits for
 * all of them. The CPU after the last await stays after the join.
 */
export function concurrentIterations(graph: GraphDraft, frameId: number, iterations: readonly (readonly number[])[]): void {
  const frame = graph.frames.get(frameId);
  if (!frame || iterations.length < 2) return;
  const first = iterations[0]![0]!;
  const lastIteration = iterations[iterations.length - 1]!;
  const last = lastIteration[lastIteration.length - 1]!;
  const steps = frame.steps;
  if (!steps[waitIndex(last)] || !steps[2 * first]) return;
  const reparent = new Map<number, number>();
  const virtuals: SimFrame[] = [];

  // Iteration 0's issue CPU is mixed with the code before the loop: only the calls its first await needs move.
  const firstWait = waitAt(steps, waitIndex(first));
  const split = removeInline(graph, cpuAt(steps, 2 * first), (c) => firstWait.waitsOn.includes(c.frame), false);
  const head = split.step;
  const headCalls = split.taken;
  const headMoved = headCalls.reduce((s, c) => s + inlineMs(graph, c), 0);

  for (let k = 0; k < iterations.length; k++) {
    const awaits = iterations[k]!;
    const id = graph.nextVirtual--;
    const program: Steps = [];
    for (let j = 0; j < awaits.length; j++) {
      const a = awaits[j]!;
      let issue = cpuAt(steps, 2 * a);
      if (j === 0 && k === 0) {
        let at = 0;
        issue = { kind: 'cpu', ms: headMoved, calls: headCalls.map((c) => ({ ...c, at: (at += inlineMs(graph, c)) - inlineMs(graph, c) })), origin: null };
      }
      program.push(issue);
      for (const c of issue.calls) reparent.set(c.frame, id);
      const w = waitAt(steps, waitIndex(a));
      program.push({ ...w, leaves: w.leaves.map((l) => ({ ...l, from: program.length - 1 })) });
    }
    program.push({ kind: 'cpu', ms: 0, calls: [], origin: null });
    virtuals.push({ id, parent: frameId, start: frame.start, root: frame.root, steps: program });
  }

  let at = head.ms;
  const calls: SimCall[] = [...head.calls];
  for (const v of virtuals) {
    calls.push({ frame: v.id, at });
    at += (v.steps[0] as CpuStep).ms;
  }
  const joined: Steps = [
    ...steps.slice(0, 2 * first),
    { ...head, ms: at, calls },
    { kind: 'wait', await: -1, site: firstWait.site, waitsOn: virtuals.map((v) => v.id), leaves: [], gapMs: 0 },
    ...steps.slice(waitIndex(last) + 1),
  ];
  setFrame(graph, frame, joined, virtuals, reparent);
}

/**
 * Moves frames to worker threads: their CPU no longer holds the event loop, and their callers no longer run
 * their first step inline (the call returns at once). Worker start-up and message costs are not modelled.
 */
export function offloadFrames(draft: GraphDraft, ids: ReadonlySet<number>): void {
  const frames = draft.frames;
  const all = new Set<number>();
  // Each frame and everything it calls, depth first with an explicit stack (a call chain can be thousands deep).
  for (const start of ids) {
    const stack = [start];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (all.has(id)) continue;
      all.add(id);
      const called: number[] = [];
      for (const step of frames.get(id)?.steps ?? []) if (step.kind === 'cpu') for (const c of step.calls) called.push(c.frame);
      for (let i = called.length - 1; i >= 0; i--) stack.push(called[i]!);
    }
  }
  for (const id of ids) {
    const f = frames.get(id);
    if (!f || f.parent === null) continue;
    const parent = frames.get(f.parent);
    if (!parent || all.has(parent.id)) continue;
    let shrunk = 0;
    const steps = parent.steps.map((s, index) => {
      if (s.kind !== 'cpu' || !s.calls.some((c) => c.frame === id && !c.detached)) return s;
      const step = removeInline(draft, s, (c) => c.frame === id && !c.detached, true).step;
      if (index === 0) shrunk += s.ms - step.ms;
      return step;
    });
    frames.set(parent.id, { ...parent, steps });
    // A rewrite may run the parent itself inline in its caller (the schedule's chains): its caller's step held the
    // offloaded time too, and must lose it as well, or the work still runs on the event loop there.
    if (shrunk > 0) shrinkInlineCallers(draft, parent.id, shrunk);
  }
  for (const id of all) {
    const f = frames.get(id)!;
    frames.set(id, { ...f, steps: f.steps.map((s) => (s.kind === 'cpu' ? { ...s, offloaded: true } : s)) });
  }
}

/** A frame's first CPU step got `delta` shorter: so does the step of each caller that runs it inline. */
function shrinkInlineCallers(draft: GraphDraft, frameId: number, delta: number): void {
  let id = frameId;
  for (let depth = 0; depth < 64; depth++) {
    const frame = draft.frames.get(id);
    const parent = frame?.parent === null || frame?.parent === undefined ? undefined : draft.frames.get(frame.parent);
    if (!parent) return;
    const index = parent.steps.findIndex((s) => s.kind === 'cpu' && s.calls.some((c) => c.frame === id && !c.detached));
    if (index < 0) return;
    const step = parent.steps[index] as CpuStep;
    const at = step.calls.find((c) => c.frame === id && !c.detached)!.at;
    const shorter: CpuStep = { ...step, ms: Math.max(0, step.ms - delta), calls: step.calls.map((c) => (c.at > at ? { ...c, at: Math.max(0, c.at - delta) } : c)) };
    draft.frames.set(parent.id, { ...parent, steps: parent.steps.map((s, i) => (i === index ? shorter : s)) });
    if (index !== 0) return;
    id = parent.id;
  }
}

/** Every leaf of the given await sites (site ids of the part) takes no time (for drag). */
export function zeroSites(draft: GraphDraft, siteIds: ReadonlySet<number>): void {
  const hit = (s: SimStep) => s.kind === 'wait' && s.site !== null && siteIds.has(s.site.id);
  for (const f of draft.frames.values()) {
    if (!f.steps.some(hit)) continue;
    draft.frames.set(f.id, {
      ...f,
      steps: f.steps.map((s) => (s.kind === 'wait' && hit(s) ? { ...s, leaves: s.leaves.map((l) => ({ ...l, ms: Number.isFinite(l.ms) ? 0 : l.ms })) } : s)),
    });
  }
}

/**
 * The best schedule of a function's awaits under their dependency DAG: every await starts as soon as the awaits
 * it depends on have settled, and the function resumes when all of them have. `members` are the frame's await
 * indexes in DAG node order (undefined: the node did not run), `preds[j]` the nodes node j waits for. Each node
 * becomes a virtual frame: wait for its predecessors, run the CPU that issued it, wait for it. CPU after the last
 * node stays after the join; the CPU between nodes goes with the node it issued.
 */
export function scheduleDag(graph: GraphDraft, frameId: number, members: readonly (number | undefined)[], preds: readonly (readonly number[])[]): void {
  const frame = graph.frames.get(frameId);
  const ran = members.filter((m): m is number => m !== undefined);
  if (!frame || ran.length < 2) return;
  const first = Math.min(...ran);
  const last = Math.max(...ran);
  const steps = frame.steps;
  if (!steps[waitIndex(last)] || !steps[2 * first]) return;
  // Only a run of consecutive awaits can be rescheduled as a unit.
  if (last - first + 1 !== ran.length) return;
  const reparent = new Map<number, number>();
  const firstWait = waitAt(steps, waitIndex(first));
  const split = removeInline(graph, cpuAt(steps, 2 * first), (c) => firstWait.waitsOn.includes(c.frame), false);
  const head = split.step;
  const headMs = split.taken.reduce((sum, c) => sum + inlineMs(graph, c), 0);
  const ids = new Map<number, number>();
  members.forEach((m, j) => {
    if (m !== undefined) ids.set(j, graph.nextVirtual--);
  });
  const virtuals: SimFrame[] = [];
  members.forEach((a, j) => {
    if (a === undefined) return;
    const id = ids.get(j)!;
    let issue = cpuAt(steps, 2 * a);
    if (a === first) {
      let at = 0;
      issue = { kind: 'cpu', ms: headMs, calls: split.taken.map((c) => ({ ...c, at: (at += inlineMs(graph, c)) - inlineMs(graph, c) })), origin: null };
    }
    for (const c of issue.calls) reparent.set(c.frame, id);
    const before = (preds[j] ?? []).flatMap((p) => (ids.has(p) ? [ids.get(p)!] : []));
    const program: Steps = [];
    if (before.length > 0) {
      program.push({ kind: 'cpu', ms: 0, calls: [], origin: null });
      program.push({ kind: 'wait', await: -1, site: null, waitsOn: before, leaves: [], gapMs: 0 });
    }
    program.push(issue);
    const w = waitAt(steps, waitIndex(a));
    program.push({ ...w, leaves: w.leaves.map((l) => ({ ...l, from: program.length - 1 })) });
    program.push({ kind: 'cpu', ms: 0, calls: [], origin: null });
    virtuals.push({ id, parent: frameId, start: frame.start, root: frame.root, steps: program });
  });
  let at = head.ms;
  const calls: SimCall[] = [...head.calls];
  for (const v of virtuals) {
    calls.push({ frame: v.id, at });
    const firstStep = v.steps[0] as CpuStep;
    at += firstStep.ms;
  }
  const joined: Steps = [
    ...steps.slice(0, 2 * first),
    { ...head, ms: at, calls },
    { kind: 'wait', await: -1, site: firstWait.site, waitsOn: virtuals.map((v) => v.id), leaves: [], gapMs: 0 },
    ...steps.slice(waitIndex(last) + 1),
  ];
  setFrame(graph, frame, joined, virtuals, reparent);
}

/**
 * The DAG's critical path on recorded durations: the longest chain of dependent awaits, each taking what it took
 * (its wait plus the CPU that issued it). No rewrite that keeps the edges can make these awaits take less.
 */
export function dagCriticalPath(durations: readonly (number | undefined)[], preds: readonly (readonly number[])[]): number {
  const finish: number[] = [];
  let longest = 0;
  durations.forEach((d, j) => {
    const start = (preds[j] ?? []).reduce((m, p) => Math.max(m, finish[p] ?? 0), 0);
    finish[j] = start + (d ?? 0);
    longest = Math.max(longest, finish[j]!);
  });
  return longest;
}
