import type { Part, Trace } from '@overlap/tracer';
import { waitedChildren } from '../graph/sim-graph.js';
import type { StaticGroup, Suggestion } from '../model.js';
import { groupInstances } from './instances.js';
import { groupSuggestion, type PreparedPart } from './suggest.js';

/**
 * The engine's dependency DAG of one function's awaits (`awaitGraphs` of @overlap/core), as plain data: which
 * await must wait for which, and why. `unknown` edges are orderings the engine assumed for want of knowledge (an
 * unclassified callee), not proven ones.
 */
export interface AwaitGraphInput {
  /** Absolute path, as the trace names files. */
  readonly file: string;
  /** The function's awaits in evaluation order; 1-based line and column of the `await`. */
  readonly awaits: readonly { readonly line: number; readonly column: number; readonly label: string }[];
  readonly edges: readonly { readonly from: number; readonly to: number; readonly reason: 'data' | 'effect' | 'control' | 'unknown'; readonly detail: string }[];
}

/** A member counts as waiting on I/O when less than this share of its time is CPU (its calls' and theirs). */
const CPU_SHARE = 0.5;
/** Await graphs larger than this are skipped: reachability is quadratic in the awaits of a function. */
const MAX_AWAITS = 200;

/**
 * Files in which a frame awaited two completed awaits one after the other: the only files whose await graphs the
 * trace candidates can use. Lets the caller analyse a handful of files instead of the whole project.
 */
export function seriesAwaitFiles(trace: Trace): string[] {
  const files = new Set<string>();
  for (const part of trace.parts) {
    for (const frame of part.frames.values()) {
      for (let i = 1; i < frame.awaits.length; i++) {
        const a = frame.awaits[i - 1]!;
        const b = frame.awaits[i]!;
        if (a.end !== null && b.end !== null && a.site.file === b.site.file && a.site !== b.site) files.add(a.site.file);
      }
    }
  }
  return [...files];
}

/** Reachability over the edges `keep` accepts: reach[i] holds every later await that must wait for await i. */
function reachability(graph: AwaitGraphInput, keep: (reason: string) => boolean): Set<number>[] {
  const n = graph.awaits.length;
  const next: number[][] = Array.from({ length: n }, () => []);
  for (const e of graph.edges) if (keep(e.reason) && e.from >= 0 && e.to < n && e.from < e.to) next[e.from]!.push(e.to);
  const reach: Set<number>[] = [];
  for (let i = 0; i < n; i++) {
    const seen = new Set<number>();
    const stack = [...next[i]!];
    while (stack.length > 0) {
      const j = stack.pop()!;
      if (seen.has(j)) continue;
      seen.add(j);
      stack.push(...next[j]!);
    }
    reach.push(seen);
  }
  return reach;
}

/**
 * Runs of consecutive awaits of one function in which no await provably depends on another (no path of data,
 * effect or control edges) but at least one pair is ordered only by an `unknown` edge: what the static check
 * stays silent on, for want of knowledge rather than for a reason.
 */
export function unprovenRuns(graph: AwaitGraphInput): { members: number[]; reasons: string[] }[] {
  const n = graph.awaits.length;
  if (n < 2 || n > MAX_AWAITS) return [];
  const proven = reachability(graph, (reason) => reason !== 'unknown');
  const any = reachability(graph, () => true);
  const out: { members: number[]; reasons: string[] }[] = [];
  let i = 0;
  while (i < n) {
    const members = [i];
    let j = i + 1;
    while (j < n && members.every((m) => !proven[m]!.has(j))) members.push(j++);
    const ordered = members.some((m) => members.some((k) => any[m]!.has(k)));
    if (members.length >= 2 && ordered) {
      const inRun = new Set(members);
      const reasons = [...new Set(graph.edges.filter((e) => e.reason === 'unknown' && inRun.has(e.from) && inRun.has(e.to)).map((e) => e.detail))];
      out.push({ members, reasons });
    }
    i = j;
  }
  return out;
}

/** Per member position: the time its awaits took in all instances, and the CPU of the calls they waited on. */
function memberLoads(parts: readonly PreparedPart[], group: StaticGroup): { time: number; cpu: number; ran: number }[] {
  const loads = group.awaits.map(() => ({ time: 0, cpu: 0, ran: 0 }));
  for (const { part } of parts) {
    for (const inst of groupInstances(part, group)) {
      inst.members.forEach((index, position) => {
        if (index === undefined) return;
        const a = inst.frame.awaits[index]!;
        if (a.end === null) return;
        const load = loads[position]!;
        load.ran++;
        load.time += a.end - a.start;
        for (const child of waitedChildren(part, inst.frame, index)) {
          const first = child.segments[0];
          if (child.parent === inst.frame.id && first) load.time += first.end - first.start;
          load.cpu += subtreeCpu(part, child.id);
        }
      });
    }
  }
  return loads;
}

function subtreeCpu(part: Part, id: number): number {
  let sum = 0;
  const stack = [id];
  while (stack.length > 0) {
    const frame = part.frames.get(stack.pop()!);
    if (!frame) continue;
    for (const s of frame.segments) sum += s.self;
    stack.push(...frame.children);
  }
  return sum;
}

/**
 * Suggestions the trace makes where the static check is unsure: sibling awaits of one function that ran one after
 * another, each waiting on I/O (not CPU), whose static verdict is `unknown` rather than `dependent`. Each is priced
 * with the same replay as the static findings' rewrites (a `Promise.all` of the run), has confidence `unproven`,
 * and says why the engine could not prove the awaits independent. Runs that share a site with `existing`
 * suggestions are left to them.
 */
export function traceCandidates(prepared: readonly PreparedPart[], graphs: readonly AwaitGraphInput[], existing: readonly Suggestion[]): Suggestion[] {
  const covered = new Set(existing.flatMap((s) => s.sites.map((x) => `${x.file}:${x.line}:${x.column}`)));
  const out: Suggestion[] = [];
  for (const graph of graphs) {
    for (const run of unprovenRuns(graph)) {
      const group: StaticGroup = {
        ruleId: 'trace-candidate',
        kind: 'group',
        file: graph.file,
        confidence: 'medium',
        awaits: run.members.map((m) => ({ line: graph.awaits[m]!.line, column: graph.awaits[m]!.column })),
        span: null,
      };
      // Only what waited on I/O: a CPU-bound member splits the run (Promise.all cannot overlap CPU on one thread).
      const loads = memberLoads(prepared, group);
      const io = loads.map((l) => l.ran > 0 && l.time > 0 && l.cpu < CPU_SHARE * l.time);
      let position = 0;
      while (position < run.members.length) {
        const piece: number[] = [];
        while (position < run.members.length && io[position]) piece.push(position++);
        position++;
        if (piece.length < 2) continue;
        const members = piece.map((p) => run.members[p]!);
        const inPiece = new Set(members);
        const reasons = [...new Set(graph.edges.filter((e) => e.reason === 'unknown' && inPiece.has(e.from) && inPiece.has(e.to)).map((e) => e.detail))];
        if (reasons.length === 0) continue;
        const sub: StaticGroup = { ...group, awaits: piece.map((p) => group.awaits[p]!) };
        if (sub.awaits.some((a) => covered.has(`${graph.file}:${a.line}:${a.column}`))) continue;
        const priced = groupSuggestion(prepared, sub, -1);
        if (!priced || priced.kind !== 'parallelize') continue;
        const labels = members.map((m) => graph.awaits[m]!.label);
        const why = reasons.join('; ');
        out.push({
          ...priced,
          confidence: 'unproven',
          finding: null,
          unprovenReason: why,
          detail:
            `Unproven: the trace shows ${labels.join(' and ')} waiting on I/O one after the other, and the engine could not prove them ` +
            `independent (${why}), nor dependent. ${priced.detail} Apply it only if neither relies on what the other does; ` +
            '`overlap verify --test "<your test command>"` runs your tests on the rewrite.',
        });
      }
    }
  }
  return out;
}
