import type { Part, Trace } from '@overlap/tracer';
import { criticalPath } from './graph/critical-path.js';
import { pickRoots, pickedTimelines, type Pick } from './roots/pick.js';
import { matchesPattern, RouteTotals } from './roots/routes.js';
import { buildSimGraph, waitedChildren } from './graph/sim-graph.js';
import type { HangReport, RootPath, RuntimeAnalysis, SiteStats, SourcePoint, StaticGroup, Suggestion } from './model.js';
import { peakInFlight, simulate } from './simulate/simulate.js';
import type { ClosedLoad } from './queueing/closed-loop.js';
import { fanOutSuggestion, groupSuggestion, loopSuggestion, wideJoins, type PreparedPart } from './suggest/suggest.js';
import { traceCandidates, type AwaitGraphInput } from './suggest/trace-candidates.js';

export interface AnalyzeOptions {
  /** Sites (by critical time) whose drag is simulated (default 8, fewer on large traces); each costs one replay per part. */
  readonly dragSites?: number;
  /** Joins at least this wide get a bound-concurrency suggestion without a static finding. */
  readonly wideJoin?: number;
  /** Only roots whose route matches (`GET /users*`, `*orders*`, `process`) are candidates for the slowest root. */
  readonly root?: string;
  /**
   * Keep timelines for reports that draw them (the HTML): per route the slowest, median and p95 roots as
   * recorded (`picked`), and each suggestion's rewritten schedule of those roots (`Suggestion.timelines`).
   */
  readonly timelines?: boolean;
  /** The engine's await graphs of the files the trace ran sibling awaits in: their `unknown` pairs become `unproven` candidates. */
  readonly awaitGraphs?: readonly AwaitGraphInput[];
  /**
   * The trace was recorded under a closed-loop load (`overlap audit --load`): requests are priced by the queueing
   * model (queueing/closed-loop.ts) instead of a replay of the recorded arrivals.
   */
  readonly load?: ClosedLoad;
}

/**
 * The runtime analysis of a trace, joined with static findings: critical paths per root, await sites
 * aggregated across roots, and ranked suggestions with simulated savings. Pure: the trace is not changed.
 */
export function analyzeRuntime(trace: Trace, groups: readonly StaticGroup[] = [], options: AnalyzeOptions = {}): RuntimeAnalysis {
  const summary = summarizePaths(trace.parts, options.root !== undefined ? routeMatcher(options.root) : null);
  const { entries } = summary;
  const rootPicks = options.timelines ? pickRoots(entries) : [];
  const prepared = trace.parts.map((part) => prepare(part, rootPicks));
  // A server's process root lasts from start-up to shutdown: with requests in the trace it is reported apart.
  const requests = entries.filter((p) => p.kind === 'http');
  const processEntries = requests.length > 0 ? entries.filter((p) => p.kind !== 'http') : [];
  const candidates = options.root !== undefined ? entries.filter(summary.matches!) : requests.length > 0 ? requests : entries;
  const slowestEntry = candidates.reduce<RootEntry | null>((m, p) => (!m || p.totalMs > m.totalMs ? p : m), null);
  // Chains only for the roots a report shows: kept from the first walk when they could be the slowest or a process
  // root, else walked again (the walk is deterministic): the picked roots of the HTML.
  const parts = new Map(trace.parts.map((part) => [part.key, part]));
  const pathOf = (entry: RootEntry): RootPath => summary.kept.get(entry) ?? criticalPath(parts.get(entry.part)!, entry.root)!;
  const slowest = slowestEntry ? pathOf(slowestEntry) : null;
  const processes = processEntries.map(pathOf);
  const picks = rootPicks.map((pick): Pick => ({ route: pick.route, picks: pick.picks, path: pathOf(pick.path) }));
  const errors = prepared.flatMap((p) => [...p.errors.values()]);

  const suggestions: Suggestion[] = [];
  groups.forEach((group, index) => {
    const s =
      group.kind === 'loop'
        ? loopSuggestion(prepared, group, index, options.load)
        : group.kind === 'fan-out'
          ? fanOutForGroup(trace.parts, group, index)
          : groupSuggestion(prepared, group, index, options.load);
    if (s) suggestions.push(s);
  });
  suggestions.push(...wideJoinSuggestions(trace.parts, suggestions, options.wideJoin ?? 16));
  if (options.awaitGraphs) suggestions.push(...traceCandidates(prepared, options.awaitGraphs, suggestions));
  suggestions.sort((a, b) => b.predictedSavingMs - a.predictedSavingMs || (a.kind === 'bound-concurrency' ? 1 : 0) - (b.kind === 'bound-concurrency' ? 1 : 0));

  return {
    roots: entries.length,
    totalMs: slowest?.totalMs ?? 0,
    slowest,
    processes,
    routes: summary.routes.stats(),
    utilisation: prepared.find((p) => p.part.main)?.graph.utilisation ?? prepared[0]?.graph.utilisation ?? 0,
    sites: siteStats(prepared, summary, options.dragSites ?? defaultDragSites(trace)),
    suggestions,
    hangs: trace.parts.flatMap(hangsOf).sort((a, b) => order(a) - order(b) || b.waitedMs - a.waitedMs),
    modelErrorMs: errors.length > 0 ? errors.reduce((s, e) => s + e, 0) / errors.length : 0,
    ...(options.timelines ? { picked: pickedTimelines(trace.parts, picks) } : {}),
  };
}

/** Each drag costs one replay of every part: fewer on large traces, where drag is then the critical time. */
function defaultDragSites(trace: Trace): number {
  const frames = trace.parts.reduce((sum, part) => sum + part.frames.size, 0);
  return frames > 200_000 ? 2 : frames > 50_000 ? 4 : 8;
}

/** What the analysis keeps of a root once its critical path is aggregated: enough to rank and pick it. */
interface RootEntry {
  readonly part: string;
  readonly root: number;
  readonly kind: RootPath['kind'];
  readonly route: string;
  readonly totalMs: number;
}

/** Critical-path milliseconds waited at one await site, over all roots, and in how many roots. */
interface OnPathSite {
  readonly site: SourcePoint;
  readonly name: string;
  ms: number;
  roots: number;
  /** Index of the last root counted (a site on a path twice counts one root). */
  lastRoot: number;
}

interface PathSummary {
  readonly entries: RootEntry[];
  readonly routes: RouteTotals;
  /** By `file:line`, in the order the paths first reach them. */
  readonly sites: Map<string, OnPathSite>;
  /** Summed duration of all roots. */
  readonly totalMs: number;
  /** Chains kept from the walk: every non-HTTP root's (the process roots), and the longest root's of each kind of candidate. */
  readonly kept: ReadonlyMap<RootEntry, RootPath>;
  /** `--root`'s test, when given. */
  readonly matches: ((entry: RootEntry) => boolean) | null;
}

/**
 * Walks the critical path of every root once and keeps only aggregates: per route (count, percentiles of
 * end-to-end, wait and CPU time) and per await site (critical time, roots). A trace of 100k requests does not
 * hold 100k chains; the few a report shows are walked again.
 */
function summarizePaths(parts: readonly Part[], matches: ((entry: RootEntry) => boolean) | null): PathSummary {
  const entries: RootEntry[] = [];
  const routes = new RouteTotals();
  const sites = new Map<string, OnPathSite>();
  const kept = new Map<RootEntry, RootPath>();
  // The longest root so far among all roots, among requests, among roots matching --root (the first of equals, as
  // the slowest is chosen): the slowest is one of them, and a million-step chain is not walked twice.
  const longest: Array<RootEntry | null> = [null, null, null];
  const keepIfLonger = (slot: number, entry: RootEntry, path: RootPath) => {
    const old = longest[slot];
    if (old && entry.totalMs <= old.totalMs) return;
    if (old && old.kind === 'http' && !longest.some((e, i) => i !== slot && e === old)) kept.delete(old);
    longest[slot] = entry;
    kept.set(entry, path);
  };
  let totalMs = 0;
  for (const part of parts) {
    for (const rootId of part.roots.keys()) {
      const path = criticalPath(part, rootId);
      if (!path) continue;
      const index = entries.length;
      const entry: RootEntry = { part: path.part, root: path.root, kind: path.kind, route: path.route, totalMs: path.totalMs };
      entries.push(entry);
      if (entry.kind !== 'http') kept.set(entry, path);
      keepIfLonger(0, entry, path);
      if (entry.kind === 'http') keepIfLonger(1, entry, path);
      if (matches?.(entry)) keepIfLonger(2, entry, path);
      routes.add(path);
      totalMs += path.totalMs;
      for (const step of path.steps) {
        if (step.kind !== 'wait') continue;
        const key = `${step.file}:${step.line}`;
        let entry = sites.get(key);
        if (!entry) {
          entry = { site: { file: step.file, line: step.line, column: step.column }, name: step.name, ms: 0, roots: 0, lastRoot: -1 };
          sites.set(key, entry);
        }
        entry.ms += step.ms;
        if (entry.lastRoot !== index) {
          entry.roots++;
          entry.lastRoot = index;
        }
      }
    }
  }
  return { entries, routes, sites, totalMs, kept, matches };
}

/** `--root`'s pattern compiled once, tested once per route. */
function routeMatcher(pattern: string): (entry: RootEntry) => boolean {
  const byRoute = new Map<string, boolean>();
  return (entry) => {
    let hit = byRoute.get(entry.route);
    if (hit === undefined) {
      hit = matchesPattern(entry.route, pattern);
      byRoute.set(entry.route, hit);
    }
    return hit;
  };
}

function prepare(part: Part, picks: readonly Pick<RootEntry>[]): PreparedPart {
  const graph = buildSimGraph(part);
  const baseline = simulate(graph);
  const errors = new Map<number, number>();
  for (const [root, span] of graph.roots) {
    const end = baseline.rootEnds.get(root);
    if (end !== undefined) errors.set(root, Math.abs(end - span.end));
  }
  const shown = new Set(picks.filter((p) => p.path.part === part.key).map((p) => p.path.root));
  return { part, graph, baseline, baselinePeaks: peakInFlight(baseline.inFlight), errors, ...(shown.size > 0 ? { shown } : {}) };
}

const order = (h: HangReport) => (h.reason === 'pending-at-exit' ? 0 : h.reason === 'killed' ? 1 : 2);

/**
 * Hangs of a part as the tracer grouped them: identical ones (same reason, site and chain of waiting sites: 16
 * requests cut off at shutdown in the same handler) are one entry with a count and the longest wait. Waits cut
 * short by a deliberate `process.exit` are not hangs; the tracer has left them out already.
 */
function hangsOf(part: Part): HangReport[] {
  return part.hangGroups.map((group) => ({
    reason: group.reason,
    site: group.site ? { file: group.site.file, line: group.site.line, column: group.site.column } : null,
    name: group.site?.name ?? '',
    waitedMs: Math.max(0, group.longestMs),
    chain: group.chain.map((site) => ({ name: site.name || '(anonymous)', file: site.file, line: site.line })),
    count: group.count,
    cutOff: group.cutOff,
  }));
}

function fanOutForGroup(parts: readonly Part[], group: StaticGroup, index: number): Suggestion | null {
  const span = group.span;
  if (!span) return null;
  // The join that waits on the fan-out: the first await at or after the fan-out in the same file and function.
  const joins = parts.flatMap((part) =>
    wideJoins(part, 2).filter((j) => {
      const site = j.frame.awaits[j.index]!.site;
      return site.file === group.file && site.line >= span.line && site.line <= span.endLine + 20 && j.frame.site.line <= span.line;
    }),
  );
  const byFrame = new Map<string, (typeof joins)[number]>();
  for (const j of joins) {
    const key = `${j.part.key}:${j.frame.id}`;
    const old = byFrame.get(key);
    if (!old || j.index < old.index) byFrame.set(key, j);
  }
  return fanOutSuggestion([...byFrame.values()], [{ file: group.file, line: span.line, column: 1 }], index, group.confidence);
}

function wideJoinSuggestions(parts: readonly Part[], existing: readonly Suggestion[], min: number): Suggestion[] {
  const covered = new Set(existing.flatMap((s) => s.sites.map((x) => `${x.file}:${x.line}`)));
  const bySite = new Map<string, ReturnType<typeof wideJoins>>();
  for (const part of parts) {
    for (const j of wideJoins(part, min)) {
      const site = j.frame.awaits[j.index]!.site;
      const key = `${site.file}:${site.line}`;
      if (covered.has(key)) continue;
      const list = bySite.get(key);
      if (list) list.push(j);
      else bySite.set(key, [j]);
    }
  }
  return [...bySite.values()].flatMap((joins) => {
    const site = joins[0]!.frame.awaits[joins[0]!.index]!.site;
    const s = fanOutSuggestion(joins, [{ file: site.file, line: site.line, column: site.column }], null, 'medium');
    return s ? [s] : [];
  });
}

const percentile = (sorted: readonly number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);

function siteStats(prepared: readonly PreparedPart[], summary: PathSummary, dragSites: number): SiteStats[] {
  const totals = summary.totalMs;
  const onPath = summary.sites;
  const durations = new Map<string, number[]>();
  const slack = new Map<string, number[]>();
  for (const { part } of prepared) {
    for (const a of part.awaits) {
      if (a.end === null) continue;
      const key = `${a.site.file}:${a.site.line}`;
      const list = durations.get(key);
      if (list) list.push(a.end - a.start);
      else durations.set(key, [a.end - a.start]);
    }
    for (const frame of part.frames.values()) {
      frame.awaits.forEach((_, index) => {
        const children = waitedChildren(part, frame, index);
        if (children.length < 2) return;
        const last = children.reduce((m, c) => Math.max(m, c.end!), -Infinity);
        for (const c of children) {
          if (c.end === last) continue;
          for (const a of c.awaits) {
            const key = `${a.site.file}:${a.site.line}`;
            const list = slack.get(key);
            if (list) list.push(last - c.end!);
            else slack.set(key, [last - c.end!]);
          }
        }
      });
    }
  }
  const ranked = [...onPath.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const drag = new Map<string, number>();
  for (const [key] of ranked.slice(0, dragSites)) {
    let sum = 0;
    for (const p of prepared) {
      const ids = new Set<number>();
      for (const site of p.part.sites.values()) if (`${site.file}:${site.line}` === key) ids.add(site.id);
      if (ids.size === 0) continue;
      const schedule = simulate(p.graph, { instantSites: ids, inFlight: false });
      for (const [root, end] of p.baseline.rootEnds) sum += end - (schedule.rootEnds.get(root) ?? end);
    }
    drag.set(key, sum);
  }
  return ranked.map(([key, entry]) => {
    const sorted = [...(durations.get(key) ?? [])].sort((a, b) => a - b);
    const slacks = [...(slack.get(key) ?? [])].sort((a, b) => a - b);
    return {
      site: entry.site,
      name: entry.name,
      count: sorted.length,
      rootsOnPath: entry.roots,
      criticalMs: entry.ms,
      share: totals > 0 ? entry.ms / totals : 0,
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      // Not simulated (beyond the top sites): the time on critical paths, an upper bound of the drag.
      dragMs: drag.get(key) ?? entry.ms,
      slackMs: slacks.length > 0 ? percentile(slacks, 0.5) : null,
    };
  });
}
