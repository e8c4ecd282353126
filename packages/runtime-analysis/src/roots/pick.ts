import type { Part } from '@overlap/tracer';
import { recordedTimeline } from '../graph/root-timeline.js';
import type { PickedRoot, RootPath, RootPick } from '../model.js';

/** What picking needs of a root: its route and its length (a `RootPath`, or the analysis's summary of one). */
export interface Pickable {
  readonly route: string;
  readonly totalMs: number;
}

export interface Pick<T extends Pickable = RootPath> {
  readonly route: string;
  readonly picks: RootPick[];
  readonly path: T;
}

/** Routes a report offers at most (busiest first): a picker of thousands of routes helps nobody. */
const MAX_ROUTES = 40;

/**
 * Per route, the roots a person would open first: the slowest, the median and the 95th percentile (one root
 * can be several of them). Routes in order of total time, the busiest first; the process route always.
 */
export function pickRoots<T extends Pickable>(paths: readonly T[]): Pick<T>[] {
  const byRoute = new Map<string, T[]>();
  for (const path of paths) {
    const list = byRoute.get(path.route);
    if (list) list.push(path);
    else byRoute.set(path.route, [path]);
  }
  const ranked = [...byRoute.values()]
    .map((list) => list.sort((a, b) => a.totalMs - b.totalMs))
    .sort((a, b) => b.reduce((s, p) => s + p.totalMs, 0) - a.reduce((s, p) => s + p.totalMs, 0));
  // The process (a server's start-up to shutdown) is always offered, whatever its rank.
  const routes = ranked.filter((list, i) => i < MAX_ROUTES || list[0]!.route === 'process');
  const out: Pick<T>[] = [];
  for (const sorted of routes) {
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const chosen: Array<[RootPick, T]> = [
      ['slowest', sorted[sorted.length - 1]!],
      ['p95', at(0.95)],
      ['p50', at(0.5)],
    ];
    const byPath = new Map<T, Pick<T>>();
    for (const [pick, path] of chosen) {
      const entry = byPath.get(path);
      if (entry) entry.picks.push(pick);
      else byPath.set(path, { route: path.route, picks: [pick], path });
    }
    out.push(...byPath.values());
  }
  return out;
}

export function pickedTimelines(parts: readonly Part[], picks: readonly Pick[]): PickedRoot[] {
  const byKey = new Map(parts.map((p) => [p.key, p]));
  return picks.flatMap((pick) => {
    const part = byKey.get(pick.path.part);
    const timeline = part ? recordedTimeline(part, pick.path.root) : null;
    return timeline ? [{ route: pick.route, picks: pick.picks, path: pick.path, timeline }] : [];
  });
}
