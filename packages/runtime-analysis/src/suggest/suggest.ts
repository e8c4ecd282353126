import type { Frame, Part } from '@overlap/tracer';
import type { SimGraph } from '../graph/sim-graph.js';
import { waitedChildren } from '../graph/sim-graph.js';
import type { InFlight, RootTimeline, RouteSaving, SourcePoint, StaticGroup, Suggestion, Throughput } from '../model.js';
import { routeIn } from '../roots/routes.js';
import { concurrentIterations, dagCriticalPath, draftOf, finish, hoistAwait, offloadFrames, scheduleDag } from '../simulate/rewrites.js';
import { peakInFlight, simulate, type Schedule } from '../simulate/simulate.js';
import { rewrittenTimelines } from '../simulate/timeline.js';
import { deriveLimit, makespan } from './fan-out.js';
import type { ClosedLoad } from '../queueing/closed-loop.js';
import { closedLoopEffect } from '../queueing/effect.js';
import { groupInstances, loopInstances, type GroupInstance } from './instances.js';

/** One part of the trace, prepared once: its graph and the replayed baseline. */
export interface PreparedPart {
  readonly part: Part;
  readonly graph: SimGraph;
  readonly baseline: Schedule;
  /** Peak operations in flight per resource in the baseline replay (every suggestion compares with it). */
  readonly baselinePeaks: ReadonlyMap<string, number>;
  /** |replayed - recorded| end per root. */
  readonly errors: ReadonlyMap<number, number>;
  /** Roots whose rewritten timelines the report draws (`timelines` option); absent: none. */
  readonly shown?: ReadonlySet<number>;
}

/** A group is CPU-bound when at least this share of its members' time is CPU on the event loop. */
const CPU_BOUND_SHARE = 0.5;
/** Wide joins in the trace get a bound-concurrency suggestion from this many operations at once. */
const WIDE_JOIN = 16;
/** Suggestions saving less than this (summed) are noise. */
const MIN_SAVING_MS = 0.5;

const round = (ms: number) => Math.round(ms * 10) / 10;

interface Outcome {
  saving: number;
  perRoot: number;
  roots: number;
  inFlight: InFlight[];
  modelError: number;
  perRoute: RouteSaving[];
  throughput: Throughput | null;
  timelines: RootTimeline[];
  /** Under a closed-loop load: the mean request's own saving before queueing (the open replay's promise). */
  ownPerRequest: number | null;
}

/** `timelines` for a suggestion, only when the report asked for them (keeps the plain analysis unchanged). */
const withTimelines = (outcome: Outcome) => (outcome.timelines.length > 0 ? { timelines: outcome.timelines } : {});

/** Replays the rewritten graphs and compares each root's end with the baseline replay. */
function compare(prepared: readonly PreparedPart[], rewritten: ReadonlyMap<PreparedPart, SimGraph>, affected: ReadonlyMap<PreparedPart, Set<number>>, load?: ClosedLoad): Outcome {
  let saving = 0;
  let roots = 0;
  let affectedSaving = 0;
  let error = 0;
  const before = new Map<string, number>();
  const after = new Map<string, number>();
  const routes = new Map<string, { roots: number; saving: number }>();
  let throughput: Throughput | null = null;
  const timelines: RootTimeline[] = [];
  let ownPerRequest: number | null = null;
  for (const p of prepared) {
    const graph = rewritten.get(p);
    if (!graph) continue;
    const schedule = simulate(graph);
    timelines.push(...rewrittenTimelines(p, graph, schedule, affected.get(p)));
    // Under a closed-loop load (overlap audit --load) requests are priced by the queueing model, not the replay.
    const closed = load ? closedLoopEffect(p.part, p.graph, graph, affected.get(p) ?? new Set(), load) : null;
    let httpSaving = 0;
    for (const [root, end] of p.baseline.rootEnds) {
      const next = schedule.rootEnds.get(root);
      if (next === undefined) continue;
      const saved = closed?.savings.get(root) ?? end - next;
      saving += saved;
      if (p.part.roots.get(root)?.kind === 'http') httpSaving += saved;
      if (affected.get(p)?.has(root)) {
        roots++;
        affectedSaving += saved;
        error = Math.max(error, p.errors.get(root) ?? 0);
        const route = routeIn(p.part, root) ?? 'process';
        const entry = routes.get(route) ?? { roots: 0, saving: 0 };
        entry.roots++;
        entry.saving += saved;
        routes.set(route, entry);
      }
    }
    if (closed) {
      throughput ??= closed.throughput;
      ownPerRequest ??= closed.ownPerRequestMs;
    }
    throughput ??= throughputOf(p, httpSaving);
    for (const [r, n] of p.baselinePeaks) before.set(r, Math.max(before.get(r) ?? 0, n));
    for (const [r, n] of peakInFlight(schedule.inFlight)) after.set(r, Math.max(after.get(r) ?? 0, n));
  }
  const inFlight = [...after].map(([resource, n]) => ({ resource, before: before.get(resource) ?? 0, after: n })).filter((x) => x.after > x.before);
  const perRoute = [...routes].map(([route, e]) => ({ route, roots: e.roots, perRootMs: round(e.saving / e.roots) })).sort((a, b) => b.roots * b.perRootMs - a.roots * a.perRootMs);
  return { saving, perRoot: roots > 0 ? affectedSaving / roots : 0, roots, inFlight, modelError: error, perRoute, throughput, timelines, ownPerRequest };
}

/**
 * Requests per second before and after, by Little's law on the trace: the requests in flight on average stay the
 * same (a load generator's connections, a client pool), so throughput grows as mean latency shrinks, up to what
 * the event loop can serve (throughput over utilisation). A saturated loop gains no throughput from shorter waits.
 */
function throughputOf(p: PreparedPart, httpSaving: number): Throughput | null {
  let n = 0;
  let sum = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const [id, span] of p.graph.roots) {
    if (p.part.roots.get(id)?.kind !== 'http') continue;
    n++;
    sum += span.end - span.start;
    first = Math.min(first, span.start);
    last = Math.max(last, span.end);
  }
  const window = last - first;
  if (n < 2 || window <= 0 || sum <= 0) return null;
  const beforePerSec = (n / window) * 1000;
  const latency = sum / n;
  const shorter = Math.max(1e-6, latency - httpSaving / n);
  const utilisation = p.graph.utilisation;
  const cap = utilisation > 0 ? beforePerSec / utilisation : Infinity;
  const afterPerSec = Math.max(beforePerSec, Math.min(beforePerSec * (latency / shorter), cap));
  return { beforePerSec: round(beforePerSec), afterPerSec: round(afterPerSec), utilisation: Math.round(utilisation * 100) / 100 };
}

/** `saves 12.3 ms per request on GET /users (40 requests), ...` or per root for the process. */
function describeSaving(outcome: Outcome): string {
  const http = outcome.perRoute.filter((r) => r.route !== 'process');
  if (http.length === 0) return `saves ${round(outcome.perRoot)} ms per root where it ran`;
  const routes = http.slice(0, 3).map((r) => `${r.perRootMs} ms per request on ${r.route} (${r.roots} request${r.roots === 1 ? '' : 's'})`);
  const more = http.length > 3 ? ` and ${http.length - 3} more route${http.length - 3 === 1 ? '' : 's'}` : '';
  const t = outcome.throughput;
  const tput = !t
    ? ''
    : t.afterPerSec > t.beforePerSec * 1.005
      ? `; throughput at the same concurrency about ${t.beforePerSec} -> ${t.afterPerSec} requests/s (event loop ${Math.round(t.utilisation * 100)}% busy)`
      : `; throughput unchanged: the event loop was ${Math.round(t.utilisation * 100)}% busy, and shorter waits do not add CPU`;
  const queued =
    outcome.ownPerRequest !== null && outcome.ownPerRequest - outcome.perRoot > 0.5
      ? ` (its own waits shrink by ${round(outcome.ownPerRequest)} ms, but under this closed-loop load requests then queue longer for the event loop)`
      : '';
  return `saves ${routes.join(', ')}${more}${queued}${tput}`;
}

/** What one await took in the recorded run: its wait plus the inline CPU of the calls it waited on. */
function memberTime(part: Part, frame: Frame, index: number): number {
  const a = frame.awaits[index]!;
  let time = (a.end ?? a.start) - a.start;
  for (const child of waitedChildren(part, frame, index)) {
    const first = child.segments[0];
    if (child.parent === frame.id && first) time += first.end - first.start;
  }
  return time;
}

/** CPU (self time) of a frame and everything it called. */
function subtreeCpu(part: Part, frame: Frame): number {
  let sum = 0;
  const stack = [frame];
  while (stack.length > 0) {
    const f = stack.pop()!;
    for (const s of f.segments) sum += s.self;
    for (const id of f.children) {
      const c = part.frames.get(id);
      if (c) stack.push(c);
    }
  }
  return sum;
}

interface GroupTime {
  /** CPU of the members' frames. */
  readonly cpu: number;
  /** The members' time: inline CPU of the calls plus the awaits. */
  readonly total: number;
  /** What overlapping could save at best: per instance, all members' time but the longest. */
  readonly overlappable: number;
}

function groupTime(part: Part, instances: readonly GroupInstance[]): GroupTime {
  let cpu = 0;
  let total = 0;
  let overlappable = 0;
  for (const inst of instances) {
    const times: number[] = [];
    for (const index of inst.members) {
      if (index === undefined) continue;
      const a = inst.frame.awaits[index]!;
      let time = (a.end ?? a.start) - a.start;
      for (const child of waitedChildren(part, inst.frame, index)) {
        cpu += subtreeCpu(part, child);
        const first = child.segments[0];
        if (child.parent === inst.frame.id) time += first ? first.end - first.start : 0;
      }
      times.push(time);
    }
    total += times.reduce((s, t) => s + t, 0);
    if (times.length >= 2) overlappable += times.reduce((s, t) => s + t, 0) - times.reduce((m, t) => Math.max(m, t), 0);
  }
  return { cpu, total, overlappable };
}

function sitesOf(group: StaticGroup): SourcePoint[] {
  return group.awaits.map((a) => ({ file: group.file, line: a.line, column: a.column }));
}

function describeInFlight(inFlight: readonly InFlight[]): string {
  if (inFlight.length === 0) return '';
  return ` Peak in flight after the change: ${inFlight.map((x) => `${x.after} on ${x.resource} (was ${x.before})`).join(', ')}.`;
}

/** Suggestions for one prefer-concurrent-awaits group or early start. */
export function groupSuggestion(prepared: readonly PreparedPart[], group: StaticGroup, finding: number, load?: ClosedLoad): Suggestion | null {
  const rewritten = new Map<PreparedPart, SimGraph>();
  const cpuFramesOf = new Map<PreparedPart, Set<number>>();
  const affected = new Map<PreparedPart, Set<number>>();
  let extraCalls = 0;
  let complete = 0;
  let cpu = 0;
  let total = 0;
  let overlappable = 0;
  const bestSaving: number[] = [];
  for (const p of prepared) {
    const instances = groupInstances(p.part, group);
    if (instances.length === 0) continue;
    const draft = draftOf(p.graph);
    const cpuFrames = new Set<number>();
    const roots = new Set<number>();
    for (const inst of instances) {
      const ran = inst.members.filter((m): m is number => m !== undefined);
      // Members the group would start that did not run here: starting them early is speculative. Not when the
      // frame never got there: cut off by shutdown (still pending at exit) or ended by a throw.
      const cutOff = inst.frame.end === null || inst.frame.threw || ran.some((i) => inst.frame.awaits[i]!.end === null);
      if (!cutOff) extraCalls += inst.members.length - ran.length;
      if (ran.length < 2 || ran.some((i) => inst.frame.awaits[i]!.end === null)) continue;
      complete++;
      roots.add(inst.frame.root);
      const anchor = ran[0]!;
      if (group.dag) {
        scheduleDag(draft, inst.frame.id, inst.members, group.dag.preds);
        // How far any rewrite keeping the edges could go: the DAG's critical path on the recorded durations.
        const durations = inst.members.map((m) => (m === undefined ? undefined : memberTime(p.part, inst.frame, m)));
        const serial = durations.reduce<number>((sum, d) => sum + (d ?? 0), 0);
        bestSaving.push(serial - dagCriticalPath(durations, group.dag.preds));
      } else if (group.kind === 'start-early') {
        hoistAwait(draft, inst.frame.id, anchor, ran[ran.length - 1]!, false);
      } else {
        for (const moved of ran.slice(1)) hoistAwait(draft, inst.frame.id, anchor, moved, true);
      }
      for (const i of ran) for (const c of waitedChildren(p.part, inst.frame, i)) cpuFrames.add(c.id);
    }
    if (roots.size === 0) continue;
    const time = groupTime(p.part, instances);
    cpu += time.cpu;
    total += time.total;
    overlappable += time.overlappable;
    rewritten.set(p, finish(draft));
    cpuFramesOf.set(p, cpuFrames);
    affected.set(p, roots);
  }
  if (complete === 0) return null;
  const share = total > 0 ? Math.min(1, cpu / total) : 0;
  const parallel = compare(prepared, rewritten, affected, load);
  const where = `${complete} time${complete === 1 ? '' : 's'} in ${parallel.roots} root${parallel.roots === 1 ? '' : 's'}`;
  const speculative =
    extraCalls > 0 ? ` Speculative: some of these awaits ran only conditionally; starting them early would have cost ${extraCalls} extra call${extraCalls === 1 ? '' : 's'} in this trace.` : '';

  // CPU-bound: mostly CPU, and overlapping the awaits wins back less than half of what could overlap.
  if (share >= CPU_BOUND_SHARE && parallel.saving < 0.5 * overlappable) {
    const offloaded = new Map<PreparedPart, SimGraph>();
    for (const [p, graph] of rewritten) {
      const draft = draftOf(graph);
      offloadFrames(draft, cpuFramesOf.get(p) ?? new Set());
      offloaded.set(p, finish(draft));
    }
    const off = compare(prepared, offloaded, affected, load);
    return {
      kind: 'offload-cpu',
      sites: sitesOf(group),
      predictedSavingMs: round(Math.max(0, off.saving)),
      perRootMs: round(Math.max(0, off.perRoot)),
      rootsAffected: off.roots,
      confidence: 'medium',
      detail:
        `CPU-bound: ${Math.round(share * 100)}% of these steps' time is CPU on the event loop, which one thread cannot overlap; ` +
        `Promise.all alone would save about ${round(Math.max(0, parallel.saving))} ms. Run them in worker threads (worker_threads or a pool) ` +
        `so they run beside each other and beside other requests; ran ${where}. The estimate assumes a free core per worker and ignores ` +
        `message-passing costs.${speculative}`,
      finding,
      inFlight: off.inFlight,
      extraCalls,
      limit: null,
      perRoute: off.perRoute,
      throughput: off.throughput,
      lowerBound: null,
      ...withTimelines(off),
    };
  }
  // Under load a change may save little because of queueing: still reported (with why), not dropped as noise.
  if (parallel.saving < MIN_SAVING_MS && (parallel.ownPerRequest ?? 0) < MIN_SAVING_MS) return null;
  const wellModelled = parallel.modelError <= Math.max(5, 0.1 * Math.abs(parallel.perRoot) + 5);
  // The DAG's bound counts each await's recorded wait, not the CPU that issues it; the replay of this very rewrite
  // can save a little more than that, and a bound below a saving we predict would contradict itself.
  const maxSaving = bestSaving.length > 0 ? round(Math.max(bestSaving.reduce((a, b) => a + b, 0) / bestSaving.length, parallel.saving / complete)) : null;
  return {
    kind: 'parallelize',
    sites: sitesOf(group),
    predictedSavingMs: round(parallel.saving),
    perRootMs: round(parallel.perRoot),
    rootsAffected: parallel.roots,
    confidence: group.confidence === 'high' && extraCalls === 0 && wellModelled ? 'high' : 'medium',
    lowerBound: maxSaving !== null ? { maxSavingPerRootMs: maxSaving } : null,
    detail:
      `${group.dag ? 'Start each await as soon as the awaits it depends on have settled' : group.kind === 'start-early' ? 'Start the independent call before the others' : 'Await these together with Promise.all'}: ` +
      `${describeSaving(parallel)} (${where}).` +
      describeInFlight(parallel.inFlight) +
      (maxSaving !== null
        ? ` Lower bound: no rewrite that keeps these dependencies saves more than ${maxSaving} ms per run of them (the dependency graph's critical path on the recorded durations).`
        : '') +
      speculative,
    finding,
    inFlight: parallel.inFlight,
    extraCalls,
    limit: null,
    perRoute: parallel.perRoute,
    throughput: parallel.throughput,
    ...withTimelines(parallel),
  };
}

/** Suggestion for one prefer-concurrent-iteration loop. */
export function loopSuggestion(prepared: readonly PreparedPart[], group: StaticGroup, finding: number, load?: ClosedLoad): Suggestion | null {
  const rewritten = new Map<PreparedPart, SimGraph>();
  const affected = new Map<PreparedPart, Set<number>>();
  let loops = 0;
  let iterations = 0;
  let widest = 0;
  for (const p of prepared) {
    const instances = loopInstances(p.part, group);
    if (instances.length === 0) continue;
    const draft = draftOf(p.graph);
    const roots = new Set<number>();
    for (const inst of instances) {
      concurrentIterations(draft, inst.frame.id, inst.iterations);
      roots.add(inst.frame.root);
      loops++;
      iterations += inst.iterations.length;
      widest = Math.max(widest, inst.iterations.length);
    }
    rewritten.set(p, finish(draft));
    affected.set(p, roots);
  }
  if (loops === 0) return null;
  const outcome = compare(prepared, rewritten, affected, load);
  if (outcome.saving < MIN_SAVING_MS) return null;
  const bound = widest > WIDE_JOIN ? ` Up to ${widest} iterations ran in one loop: bound the concurrency (a pool) rather than starting all at once.` : '';
  return {
    kind: 'parallelize',
    sites: sitesOf(group),
    predictedSavingMs: round(outcome.saving),
    perRootMs: round(outcome.perRoot),
    rootsAffected: outcome.roots,
    confidence: group.confidence === 'high' && widest <= WIDE_JOIN ? 'high' : 'medium',
    detail:
      `Run the loop's ${iterations} iteration${iterations === 1 ? '' : 's'} (${loops} loop run${loops === 1 ? '' : 's'}) concurrently: ` +
      `${describeSaving(outcome)}.${describeInFlight(outcome.inFlight)}${bound}`,
    finding,
    inFlight: outcome.inFlight,
    extraCalls: 0,
    limit: null,
    perRoute: outcome.perRoute,
    throughput: outcome.throughput,
    lowerBound: null,
    ...withTimelines(outcome),
  };
}

interface Join {
  readonly part: Part;
  readonly frame: Frame;
  readonly index: number;
  readonly durations: number[];
  readonly resources: Map<string, number>;
}

/** Awaits that waited on many operations at once: their operation durations in start order. */
export function wideJoins(part: Part, min: number): Join[] {
  const byId = new Map(part.resources.map((r) => [r.id, r]));
  const byFrame = new Map<number, string[]>();
  for (const r of part.resources) {
    if (r.kind === 'timer') continue;
    const list = byFrame.get(r.frame);
    if (list) list.push(r.kind);
    else byFrame.set(r.frame, [r.kind]);
  }
  const out: Join[] = [];
  for (const frame of part.frames.values()) {
    frame.awaits.forEach((a, index) => {
      if (a.end === null || a.calls.length + a.resources.length < min) return;
      const children = waitedChildren(part, frame, index);
      const ops = [
        ...children.map((c) => ({ start: c.start, end: c.end!, key: null as string | null })),
        ...a.resources.flatMap((id) => {
          const r = byId.get(id);
          return r && r.end !== null && r.kind !== 'timer' ? [{ start: r.start, end: r.end, key: `${r.kind}` }] : [];
        }),
      ];
      if (ops.length < min) return;
      ops.sort((x, y) => x.start - y.start);
      const resources = new Map<string, number>();
      for (const c of children) for (const kind of byFrame.get(c.id) ?? []) resources.set(kind, (resources.get(kind) ?? 0) + 1);
      for (const o of ops) if (o.key) resources.set(o.key, (resources.get(o.key) ?? 0) + 1);
      out.push({ part, frame, index, durations: ops.map((o) => o.end - o.start), resources });
    });
  }
  return out;
}

/** bound-concurrency for a fan-out finding (joins in its function after its line) or a wide join in the trace. */
export function fanOutSuggestion(joins: readonly Join[], sites: readonly SourcePoint[], finding: number | null, confidence: 'high' | 'medium'): Suggestion | null {
  if (joins.length === 0) return null;
  const widest = joins.reduce((m, j) => (j.durations.length > m.durations.length ? j : m));
  const { limit } = deriveLimit(widest.durations);
  let cost = 0;
  for (const j of joins) cost += deriveCost(j.durations, limit);
  const inFlight = [...widest.resources].map(([resource, n]) => ({ resource, before: n, after: Math.min(n, limit) }));
  const roots = new Set(joins.map((j) => `${j.part.key}#${j.frame.root}`)).size;
  return {
    kind: 'bound-concurrency',
    sites,
    predictedSavingMs: round(-cost),
    perRootMs: round(-cost / Math.max(1, roots)),
    rootsAffected: roots,
    confidence,
    detail:
      `Up to ${widest.durations.length} operations were in flight at once from one join (${joins.length} join${joins.length === 1 ? '' : 's'} traced). ` +
      `A limit of ${limit} keeps the traced makespan within 25% (about ${round(cost)} ms slower in total, at the latencies seen under full load) ` +
      `and caps the load on ${inFlight.length > 0 ? inFlight.map((x) => x.resource).join(', ') : 'what it calls'}.`,
    finding,
    inFlight,
    extraCalls: 0,
    limit,
    perRoute: [],
    throughput: null,
    lowerBound: null,
  };
}

function deriveCost(durations: readonly number[], limit: number): number {
  return Math.max(0, makespan(durations, limit) - makespan(durations, durations.length));
}
