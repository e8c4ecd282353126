import type { Part, Root } from '@overlap/tracer';
import type { RootPath, RouteStats } from '../model.js';

/**
 * A root's route: `process` for the process (or thread), `METHOD /route` for an HTTP request. The tracer's
 * route pattern (`/users/:id`, where the framework exposes one) when the trace has it, otherwise the path
 * without its query string.
 */
export function routeOf(root: Pick<Root, 'kind' | 'detail'> & { readonly method?: string | null; readonly route?: string | null; readonly path?: string | null }): string {
  if (root.kind !== 'http') return 'process';
  const [method = 'GET', ...rest] = root.detail.split(' ');
  const path = (root.route ?? root.path ?? rest.join(' ')).split('?')[0] || '/';
  return `${root.method ?? method} ${path}`;
}

/** Route of a root of a part, by id (undefined when the part has no such root). */
export function routeIn(part: Part, rootId: number): string | undefined {
  const root = part.roots.get(rootId);
  return root ? routeOf(root) : undefined;
}

/** `*` matches any run of characters; the rest is literal, case-insensitive: `GET /users*`, `*orders*`. */
export function matchesPattern(route: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')).join('.*')}$`, 'iu');
  return re.test(route);
}

const percentile = (sorted: readonly number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);

/**
 * Per-route aggregates over the roots' critical paths (count, p50/p95 of end-to-end time and of its waits and CPU),
 * gathered one path at a time: a path's steps are summed when it is added and need not be kept.
 */
export class RouteTotals {
  private readonly byRoute = new Map<string, { total: number[]; wait: number[]; cpu: number[] }>();

  add(path: RootPath): void {
    let entry = this.byRoute.get(path.route);
    if (!entry) {
      entry = { total: [], wait: [], cpu: [] };
      this.byRoute.set(path.route, entry);
    }
    let wait = 0;
    let cpu = 0;
    for (const s of path.steps) {
      if (s.kind === 'wait') wait += s.ms;
      else cpu += s.ms;
    }
    entry.total.push(path.totalMs);
    entry.wait.push(wait);
    entry.cpu.push(cpu);
  }

  /** Busiest first. */
  stats(): RouteStats[] {
    return [...this.byRoute]
      .map(([route, e]) => {
        const sort = (xs: number[]) => xs.sort((a, b) => a - b);
        const total = sort(e.total);
        const wait = sort(e.wait);
        const cpu = sort(e.cpu);
        return {
          route,
          count: total.length,
          p50Ms: percentile(total, 0.5),
          p95Ms: percentile(total, 0.95),
          waitP50Ms: percentile(wait, 0.5),
          waitP95Ms: percentile(wait, 0.95),
          cpuP50Ms: percentile(cpu, 0.5),
          cpuP95Ms: percentile(cpu, 0.95),
        };
      })
      .sort((a, b) => b.count * b.p50Ms - a.count * a.p50Ms);
  }
}
