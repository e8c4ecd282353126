import type { PickedRoot, RootTimeline, TimelineFlame, TimelineFrame, TimelineItem } from '@overlap/runtime-analysis';
import { displayPath, type AuditReport, type AuditSuggestion } from '../../audit/report.js';

/**
 * The data the audit HTML's explorer draws (embedded in the page as JSON, rendered by its inline script): per
 * picked root its lanes of work as recorded, and per suggestion the rewritten schedule of the roots it changes.
 * Built here, in TypeScript, so the page's script only draws: lanes, chains and merged flames are computed and
 * tested once.
 */
export interface ViewData {
  readonly routes: readonly ViewRoute[];
  readonly roots: readonly ViewRoot[];
  readonly suggestions: readonly ViewSuggestion[];
  /** Whether the trace carries a CPU profile (`--cpu-profile`): without one the flame view says how to get it. */
  readonly cpuProfile: boolean;
}

export interface ViewRoute {
  readonly route: string;
  readonly count: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly cpuP50Ms: number;
  /** Indexes into `roots`, slowest first. */
  readonly roots: readonly number[];
}

export interface ViewBar {
  readonly lane: number;
  readonly kind: 'wait' | 'cpu';
  /** `file:line` relative to the report's folder. */
  readonly site: string;
  readonly name: string;
  readonly start: number;
  readonly ms: number;
  /** The calls that led here, outermost first: `main app.js:3`, `loadUser app.js:10 (awaited at app.js:5)`. */
  readonly chain: readonly string[];
  /** Index into the root's `flames` (recorded CPU with samples). */
  readonly flame?: number;
  /** On the root's critical path (recorded bars only). */
  readonly critical?: boolean;
}

export interface ViewFlame {
  readonly name: string;
  /** `file:line`, relative where it is under the report's folder. */
  readonly site: string;
  readonly samples: number;
  /** Milliseconds this node stands for: its share of the step's samples times the step's duration. */
  readonly ms: number;
  readonly children: readonly ViewFlame[];
}

export interface ViewRoot {
  readonly route: string;
  readonly picks: readonly string[];
  readonly label: string;
  readonly totalMs: number;
  readonly lanes: number;
  /** The name of the first frame drawn in each lane. */
  readonly laneNames: readonly string[];
  readonly bars: readonly ViewBar[];
  readonly flames: readonly ViewFlame[];
  /** Bars left out of a very large root (the shortest ones). */
  readonly omitted: number;
}

/** A root's schedule after a suggestion, as the replay placed it. */
export interface ViewAfter {
  readonly totalMs: number;
  readonly lanes: number;
  /** The first frame in each lane of the rewritten schedule (names lanes the recorded schedule does not use). */
  readonly laneNames: readonly string[];
  readonly bars: readonly ViewBar[];
}

export interface ViewSuggestion {
  readonly rank: number;
  readonly kind: string;
  readonly title: string;
  /** Per root (index into `roots`): the rewritten schedule, in lanes laid over the root's own. */
  readonly after: Readonly<Record<number, ViewAfter>>;
  /** offload-cpu: per root, the flame of the CPU the suggestion would move (its sites' calls merged). */
  readonly flames: Readonly<Record<number, ViewFlame>>;
}

/** Bars a root draws at most; a process root of a long server run has far more (the shortest are left out). */
export const MAX_BARS = 4000;

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export function viewData(report: AuditReport): ViewData {
  const picked = report.runtime.picked ?? [];
  const key = (p: { part: string; root: number }) => `${p.part}#${p.root}`;
  const rootIndex = new Map(picked.map((p, i) => [key(p.timeline), i]));
  const roots = picked.map((p) => viewRoot(report.cwd, p));
  const routes: ViewRoute[] = [];
  for (const [i, p] of picked.entries()) {
    let route = routes.find((r) => r.route === p.route);
    if (!route) {
      const stats = report.runtime.routes.find((r) => r.route === p.route);
      route = { route: p.route, count: stats?.count ?? 1, p50Ms: stats?.p50Ms ?? p.path.totalMs, p95Ms: stats?.p95Ms ?? p.path.totalMs, cpuP50Ms: stats?.cpuP50Ms ?? 0, roots: [] };
      routes.push(route);
    }
    (route.roots as number[]).push(i);
  }
  for (const route of routes) (route.roots as number[]).sort((a, b) => roots[b]!.totalMs - roots[a]!.totalMs);
  const suggestions = report.suggestions.map((s) => viewSuggestion(report, s, picked, roots, rootIndex));
  const cpuProfile = report.cpuProfile ?? roots.some((r) => r.flames.length > 0);
  return { routes, roots, suggestions, cpuProfile };
}

function viewRoot(cwd: string, picked: PickedRoot): ViewRoot {
  const { timeline, path } = picked;
  const frames = new Map(timeline.frames.map((f) => [f.id, f]));
  let items = timeline.items;
  let omitted = 0;
  if (items.length > MAX_BARS) {
    const kept = new Set([...items].sort((a, b) => b.ms - a.ms).slice(0, MAX_BARS));
    omitted = items.length - kept.size;
    items = items.filter((i) => kept.has(i));
  }
  const lanes = assignLanes(items, new Map());
  const critical = path.steps.map((s) => ({ key: `${s.file}:${s.line}:${s.kind}`, from: s.start, to: s.start + s.ms }));
  const flames: ViewFlame[] = [];
  const bars = items.map((item) => {
    const bar: ViewBar = {
      ...barOf(cwd, item, lanes.byFrame.get(item.frame) ?? 0, frames),
      ...(item.flame ? { flame: flames.push(viewFlame(cwd, item.flame, item.ms / Math.max(1, item.flame.samples))) - 1 } : {}),
    };
    const onPath = critical.some((c) => c.key === `${item.file}:${item.line}:${item.kind}` && c.from < item.start + item.ms + 0.05 && c.to > item.start - 0.05);
    return onPath ? { ...bar, critical: true } : bar;
  });
  const label = path.kind === 'http' ? path.detail : `process ${displayPath(cwd, path.detail)}`;
  return {
    route: picked.route,
    picks: picked.picks,
    label,
    totalMs: round(timeline.totalMs),
    lanes: lanes.count,
    laneNames: lanes.names.map((id) => frames.get(id)?.name ?? ''),
    bars,
    flames,
    omitted,
  };
}

function barOf(cwd: string, item: TimelineItem, lane: number, frames: ReadonlyMap<number, TimelineFrame>): ViewBar {
  return {
    lane,
    kind: item.kind,
    site: `${displayPath(cwd, item.file)}:${item.line}`,
    name: item.name,
    start: round(item.start),
    ms: round(item.ms),
    chain: chainOf(cwd, item, frames),
  };
}

/** The frames that led to an item, outermost first, each with the await in its caller that waited for it. */
export function chainOf(cwd: string, item: TimelineItem, frames: ReadonlyMap<number, TimelineFrame>): string[] {
  const out: string[] = [];
  const seen = new Set<number>();
  for (let f = frames.get(item.frame); f && !seen.has(f.id) && out.length < 32; f = f.parent === null ? undefined : frames.get(f.parent)) {
    seen.add(f.id);
    const at = f.calledAt ? ` (awaited at ${relativeKey(cwd, f.calledAt)})` : '';
    out.push(`${f.name} ${displayPath(cwd, f.file)}:${f.line}${at}`);
  }
  out.reverse();
  if (item.kind === 'wait') out.push(`await ${item.name} ${displayPath(cwd, item.file)}:${item.line}`);
  return out;
}

function relativeKey(cwd: string, key: string): string {
  const at = key.lastIndexOf(':');
  return at > 0 ? `${displayPath(cwd, key.slice(0, at))}${key.slice(at)}` : key;
}

interface Lanes {
  readonly byFrame: Map<number, number>;
  readonly count: number;
  /** The first frame placed in each lane. */
  readonly names: readonly number[];
}

/**
 * Lanes for concurrent work: each frame's bars share a lane (a frame never overlaps itself), and a frame goes to
 * the lowest lane free over its whole span, so frames that overlap in time (a caller waiting on its callee, two
 * calls in flight at once) are drawn one above the other. `preferred` places a frame in a given lane when it is
 * free (the rewritten schedule reuses the recorded lanes where it can).
 */
export function assignLanes(items: readonly TimelineItem[], preferred: ReadonlyMap<number, number>): Lanes {
  const spans = new Map<number, { from: number; to: number }>();
  for (const item of items) {
    const span = spans.get(item.frame);
    if (span) {
      span.from = Math.min(span.from, item.start);
      span.to = Math.max(span.to, item.start + item.ms);
    } else spans.set(item.frame, { from: item.start, to: item.start + item.ms });
  }
  const order = [...spans].sort((a, b) => a[1].from - b[1].from || b[1].to - a[1].to);
  const busy: Array<Array<{ from: number; to: number }>> = [];
  const names: number[] = [];
  const byFrame = new Map<number, number>();
  const free = (lane: number, span: { from: number; to: number }) => (busy[lane] ?? []).every((b) => b.to <= span.from + 1e-6 || b.from >= span.to - 1e-6);
  for (const [frame, span] of order) {
    const want = preferred.get(frame);
    let lane = want !== undefined && free(want, span) ? want : -1;
    for (let k = 0; lane < 0; k++) if (free(k, span)) lane = k;
    (busy[lane] ??= []).push(span);
    names[lane] ??= frame;
    byFrame.set(frame, lane);
  }
  return { byFrame, count: busy.length, names };
}

function viewFlame(cwd: string, node: TimelineFlame, msPerSample: number): ViewFlame {
  return {
    name: node.name,
    site: `${displayPath(cwd, node.file)}:${node.line}`,
    samples: node.samples,
    ms: round(node.samples * msPerSample),
    children: [...node.children].sort((a, b) => b.samples - a.samples).map((c) => viewFlame(cwd, c, msPerSample)),
  };
}

function viewSuggestion(report: AuditReport, s: AuditSuggestion, picked: readonly PickedRoot[], roots: readonly ViewRoot[], rootIndex: ReadonlyMap<string, number>): ViewSuggestion {
  const after: Record<number, ViewAfter> = {};
  for (const timeline of s.timelines ?? []) {
    const index = rootIndex.get(`${timeline.part}#${timeline.root}`);
    if (index === undefined) continue;
    after[index] = rewritten(report.cwd, timeline, picked[index]!.timeline, roots[index]!);
  }
  const flames: Record<number, ViewFlame> = {};
  if (s.kind === 'offload-cpu') {
    const sites = new Set(s.sites.map((site) => `${site.file}:${site.line}`));
    picked.forEach((p, i) => {
      const flame = movedCpuFlame(report.cwd, p.timeline, sites);
      if (flame) flames[i] = flame;
    });
  }
  const saving = s.predictedSavingMs >= 0 ? `saves ${fmt(s.predictedSavingMs)} ms` : `costs ${fmt(-s.predictedSavingMs)} ms`;
  return { rank: s.rank, kind: s.kind, title: `#${s.rank} ${s.kind}: ${saving} (${s.sites.map((x) => `${displayPath(report.cwd, x.file)}:${x.line}`).join(', ')})`, after, flames };
}

const fmt = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1));

/** The rewritten schedule of a root, each frame in its recorded lane where that lane is free. */
function rewritten(cwd: string, after: RootTimeline, before: RootTimeline, root: ViewRoot): ViewAfter {
  const recorded = assignLanes(before.items.length > MAX_BARS ? [] : before.items, new Map());
  const frames = new Map(after.frames.map((f) => [f.id, f]));
  // A frame the rewrite created (one await started on its own) prefers the lane below its function's.
  const preferred = new Map<number, number>();
  for (const f of after.frames) {
    const lane = recorded.byFrame.get(f.id) ?? (f.parent !== null ? (recorded.byFrame.get(f.parent) ?? 0) + 1 : undefined);
    if (lane !== undefined) preferred.set(f.id, lane);
  }
  const items = after.items.length > MAX_BARS ? [...after.items].sort((a, b) => b.ms - a.ms).slice(0, MAX_BARS) : after.items;
  const lanes = assignLanes(items, preferred);
  return { totalMs: round(after.totalMs), lanes: Math.max(lanes.count, root.lanes), laneNames: lanes.names.map((id) => frames.get(id)?.name ?? ''), bars: items.map((item) => barOf(cwd, item, lanes.byFrame.get(item.frame) ?? 0, frames)) };
}

/**
 * The CPU an offload-cpu suggestion would move, as one flame: the sampled stacks of every CPU bar of the frames its
 * sites awaited (and of what they called), merged. Null when nothing there was sampled.
 */
export function movedCpuFlame(cwd: string, timeline: RootTimeline, sites: ReadonlySet<string>): ViewFlame | null {
  const frames = new Map(timeline.frames.map((f) => [f.id, f]));
  const moved = (id: number): boolean => {
    for (let f = frames.get(id), depth = 0; f && depth < 64; f = f.parent === null ? undefined : frames.get(f.parent), depth++) {
      if (f.calledAt !== null && sites.has(f.calledAt)) return true;
    }
    return false;
  };
  const parts = timeline.items.filter((i) => i.kind === 'cpu' && i.flame && moved(i.frame));
  if (parts.length === 0) return null;
  const merged = new Map<string, { node: ViewFlame; children: ViewFlame[] }>();
  const roots: ViewFlame[] = [];
  const add = (list: ViewFlame[], node: TimelineFlame, msPerSample: number, path: string): void => {
    const key = `${path}/${node.name}@${node.file}:${node.line}`;
    let entry = merged.get(key);
    if (!entry) {
      const children: ViewFlame[] = [];
      entry = { node: { name: node.name, site: `${displayPath(cwd, node.file)}:${node.line}`, samples: 0, ms: 0, children }, children };
      merged.set(key, entry);
      list.push(entry.node);
    }
    const target = entry.node as { samples: number; ms: number };
    target.samples += node.samples;
    target.ms = round(target.ms + node.samples * msPerSample);
    for (const child of node.children) add(entry.children, child, msPerSample, key);
  };
  for (const item of parts) add(roots, item.flame!, item.ms / Math.max(1, item.flame!.samples), '');
  const sortTree = (list: ViewFlame[]) => {
    list.sort((a, b) => b.samples - a.samples);
    for (const n of list) sortTree(n.children as ViewFlame[]);
  };
  sortTree(roots);
  if (roots.length === 1) return roots[0]!;
  const samples = roots.reduce((sum, r) => sum + r.samples, 0);
  return { name: '(the steps it would move)', site: '', samples, ms: round(roots.reduce((sum, r) => sum + r.ms, 0)), children: roots };
}
