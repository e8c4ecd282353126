import { describe, expect, it } from 'vitest';
import { analyzeRuntime, buildSimGraph, criticalPath, deriveLimit, makespan, simulate, type StaticGroup } from '@overlap/runtime-analysis';
import { buildTrace, FILE, leaf, type FrameSpec } from './build-trace.js';

const group = (lines: number[], kind: StaticGroup['kind'] = 'group', span: StaticGroup['span'] = null): StaticGroup => ({
  ruleId: kind === 'loop' ? 'prefer-concurrent-iteration' : kind === 'fan-out' ? 'no-unbounded-concurrency' : 'prefer-concurrent-awaits',
  kind,
  file: FILE,
  confidence: 'high',
  awaits: lines.map((line) => ({ line, column: 3 })),
  span,
});

/** main awaits a() (60 ms) then b() (40 ms): independent I/O in series. */
function seriesTrace() {
  return buildTrace({
    frames: [
      {
        id: 1,
        name: 'main',
        line: 10,
        start: 0,
        end: 100.3,
        awaits: [
          { line: 11, name: 'a', start: 0.1, end: 60.1 },
          { line: 12, name: 'b', start: 60.2, end: 100.2 },
        ],
      },
      leaf(2, 'a', 1, 1, 0, 0.05, 60),
      leaf(3, 'b', 4, 1, 1, 60.15, 40),
    ],
  });
}

describe('baseline replay', () => {
  it('reproduces the recorded end of every root', () => {
    const trace = seriesTrace();
    const graph = buildSimGraph(trace.parts[0]!);
    const schedule = simulate(graph);
    expect(schedule.rootEnds.get(0)).toBeCloseTo(100.3, 1);
  });

  it('queues CPU work of independent roots on the one event loop', () => {
    const cpu = (id: number, start: number): FrameSpec => ({ id, name: `job${id}`, line: id * 10, start, end: start + 10 });
    const trace = buildTrace({ frames: [cpu(1, 0), cpu(2, 0)] });
    const schedule = simulate(buildSimGraph(trace.parts[0]!));
    // Recorded as if both ran at once (impossible on one thread): the replay serialises them.
    expect(schedule.frameEnds.get(1)).toBeCloseTo(10, 5);
    expect(schedule.frameEnds.get(2)).toBeCloseTo(20, 5);
  });
});

describe('critical path', () => {
  it('walks waits and CPU segments back from the end of the root', () => {
    const path = criticalPath(seriesTrace().parts[0]!, 0)!;
    const waits = path.steps.filter((s) => s.kind === 'wait');
    expect(waits.map((s) => [s.line, Math.round(s.ms)])).toEqual([
      [2, 60],
      [5, 40],
    ]);
    expect(waits.map((s) => s.within)).toEqual([[`${FILE}:11`], [`${FILE}:12`]]);
    expect(path.totalMs).toBeCloseTo(100.3, 1);
  });

  it('goes through the latest child of a join and gives the others slack', () => {
    const trace = buildTrace({
      frames: [
        { id: 1, name: 'main', line: 10, start: 0, end: 70.2, awaits: [{ line: 11, name: 'Promise.all', start: 0.2, end: 70.1 }] },
        leaf(2, 'a', 1, 1, 0, 0.05, 70),
        leaf(3, 'b', 4, 1, 0, 0.1, 30),
      ],
    });
    const analysis = analyzeRuntime(trace);
    const waits = analysis.slowest!.steps.filter((s) => s.kind === 'wait');
    expect(waits.map((s) => s.line)).toEqual([2]);
    const b = analysis.sites.find((s) => s.site.line === 5);
    expect(b).toBeUndefined();
    const a = analysis.sites.find((s) => s.site.line === 2)!;
    expect(a.rootsOnPath).toBe(1);
    // Making a's wait instant lets the join end when b ends: 40 ms sooner.
    expect(a.dragMs).toBeCloseTo(40, 0);
    expect(analysis.suggestions).toEqual([]);
  });
});

describe('predicted savings', () => {
  it('overlaps independent waits in series: the saving is the shorter wait', () => {
    const analysis = analyzeRuntime(seriesTrace(), [group([11, 12])]);
    expect(analysis.suggestions).toHaveLength(1);
    const [s] = analysis.suggestions;
    expect(s!.kind).toBe('parallelize');
    expect(s!.predictedSavingMs).toBeCloseTo(40, 0);
    expect(s!.confidence).toBe('high');
    expect(s!.finding).toBe(0);
  });

  it('keeps a dependent chain a chain and starts only the independent call early', () => {
    // user (50) -> team (60) depend on each other; weather (70) does not.
    const trace = buildTrace({
      frames: [
        {
          id: 1,
          name: 'main',
          line: 20,
          start: 0,
          end: 180.4,
          awaits: [
            { line: 21, name: 'getUser', start: 0.1, end: 50.1 },
            { line: 22, name: 'getTeam', start: 50.2, end: 110.2 },
            { line: 23, name: 'getWeather', start: 110.3, end: 180.3 },
          ],
        },
        leaf(2, 'getUser', 1, 1, 0, 0.05, 50),
        leaf(3, 'getTeam', 4, 1, 1, 50.15, 60),
        leaf(4, 'getWeather', 7, 1, 2, 110.25, 70),
      ],
    });
    const early = analyzeRuntime(trace, [group([21, 22, 23], 'start-early')]);
    // Weather runs beside the 110 ms chain: the root ends at about 110 instead of 180.
    expect(early.suggestions[0]!.predictedSavingMs).toBeCloseTo(70, 0);
    // Awaiting team and weather together (after user) saves only the shorter of the two.
    const pair = analyzeRuntime(trace, [group([22, 23])]);
    expect(pair.suggestions[0]!.predictedSavingMs).toBeCloseTo(60, 0);
  });

  it('propagates a nested frame\'s new end time to its callers', () => {
    // main awaits load(); load awaits x (30) then y (50) in series.
    const trace = buildTrace({
      frames: [
        { id: 1, name: 'main', line: 30, start: 0, end: 85, awaits: [{ line: 31, name: 'load', start: 0.2, end: 80.3 }, { line: 32, name: 'log', start: 80.4, end: 84.9 }] },
        {
          id: 2,
          name: 'load',
          line: 10,
          parent: 1,
          pseg: 0,
          start: 0.05,
          end: 80.25,
          awaits: [
            { line: 11, name: 'x', start: 0.1, end: 30.15 },
            { line: 12, name: 'y', start: 30.2, end: 80.2 },
          ],
        },
        leaf(3, 'x', 1, 2, 0, 0.08, 30),
        leaf(4, 'y', 4, 2, 1, 30.17, 50),
        leaf(5, 'log', 7, 1, 1, 80.35, 4.5),
      ],
    });
    const analysis = analyzeRuntime(trace, [group([11, 12])]);
    expect(analysis.suggestions[0]!.predictedSavingMs).toBeCloseTo(30, 0);
    expect(analysis.suggestions[0]!.perRootMs).toBeCloseTo(30, 0);
  });

  it('sells CPU-bound steps as offload-cpu, not as a Promise.all win', () => {
    // render a and b: 50 ms of synchronous work each, inside async functions that never suspend.
    const trace = buildTrace({
      frames: [
        {
          id: 1,
          name: 'main',
          line: 20,
          start: 0,
          end: 100.4,
          awaits: [
            { line: 21, name: 'renderA', start: 50.1, end: 50.15 },
            { line: 22, name: 'renderB', start: 100.25, end: 100.3 },
          ],
        },
        { id: 2, name: 'renderA', line: 1, parent: 1, pseg: 0, start: 0.05, end: 50.05 },
        { id: 3, name: 'renderB', line: 5, parent: 1, pseg: 1, start: 50.2, end: 100.2 },
      ],
    });
    const analysis = analyzeRuntime(trace, [group([21, 22])]);
    expect(analysis.suggestions).toHaveLength(1);
    const [s] = analysis.suggestions;
    expect(s!.kind).toBe('offload-cpu');
    // On two worker threads the renders overlap: about 50 ms sooner.
    expect(s!.predictedSavingMs).toBeCloseTo(50, 0);
    expect(s!.detail).toContain('Promise.all alone would save about 0');
  });

  it('runs loop iterations concurrently', () => {
    const iterations = [0, 1, 2, 3].map((k) => leaf(2 + k, 'fetchItem', 1, 1, k, k * 40.2 + 0.05, 40));
    const trace = buildTrace({
      frames: [
        {
          id: 1,
          name: 'main',
          line: 10,
          start: 0,
          end: 161,
          awaits: [0, 1, 2, 3].map((k) => ({ line: 12, name: 'fetchItem', start: k * 40.2 + 0.1, end: k * 40.2 + 40.1 })),
        },
        ...iterations,
      ],
    });
    const analysis = analyzeRuntime(trace, [group([12], 'loop', { line: 11, endLine: 13 })]);
    expect(analysis.suggestions[0]!.kind).toBe('parallelize');
    expect(analysis.suggestions[0]!.predictedSavingMs).toBeCloseTo(120, 0);
  });

  it('counts the extra calls of starting conditional steps early', () => {
    // Two requests; in the second a cache hit skips fetchB, so starting it early would be a wasted call.
    const handle = (root: number, start: number, withB: boolean): FrameSpec[] => {
      const id = root * 10;
      return [
        {
          id,
          name: 'handle',
          line: 10,
          root,
          start,
          end: start + (withB ? 80.3 : 50.2),
          awaits: [
            { line: 11, name: 'fetchA', start: start + 0.1, end: start + 50.1 },
            ...(withB ? [{ line: 13, name: 'fetchB', start: start + 50.2, end: start + 80.2 }] : []),
          ],
        },
        { ...leaf(id + 1, 'fetchA', 1, id, 0, start + 0.05, 50), root },
        ...(withB ? [{ ...leaf(id + 2, 'fetchB', 4, id, 1, start + 50.15, 30), root }] : []),
      ];
    };
    const trace = buildTrace({
      frames: [...handle(1, 0, true), ...handle(2, 100, false)],
      roots: [
        { id: 1, detail: 'GET /item', start: 0, end: 80.4 },
        { id: 2, detail: 'GET /item', start: 100, end: 150.3 },
      ],
    });
    const [s] = analyzeRuntime(trace, [group([11, 13])]).suggestions;
    expect(s!.extraCalls).toBe(1);
    expect(s!.predictedSavingMs).toBeCloseTo(30, 0);
    expect(s!.confidence).toBe('medium');
    expect(s!.detail).toContain('1 extra call');
  });

  it('computes per-request savings on HTTP roots', () => {
    const request = (root: number, base: number): FrameSpec[] => [
      {
        id: root * 10,
        name: 'handler',
        line: 40,
        root,
        start: base + 0.1,
        end: base + 70.5,
        awaits: [
          { line: 41, name: 'a', start: base + 0.2, end: base + 30.2 },
          { line: 42, name: 'b', start: base + 30.3, end: base + 70.3 },
        ],
      },
      { ...leaf(root * 10 + 1, 'a', 1, root * 10, 0, base + 0.15, 30), root },
      { ...leaf(root * 10 + 2, 'b', 4, root * 10, 1, base + 30.25, 40), root },
    ];
    const trace = buildTrace({
      frames: [...request(1, 0), ...request(2, 200)],
      roots: [
        { id: 1, detail: 'GET /page', start: 0, end: 70.6 },
        { id: 2, detail: 'GET /page', start: 200, end: 270.6 },
      ],
      end: 300,
    });
    const [s] = analyzeRuntime(trace, [group([41, 42])]).suggestions;
    expect(s!.rootsAffected).toBe(2);
    expect(s!.perRootMs).toBeCloseTo(30, 0);
    expect(s!.predictedSavingMs).toBeCloseTo(60, 0);
  });

  it('aggregates every root\'s critical path per route and site, and keeps the chains of the roots it reports', () => {
    // Requests of two routes with different waits, so routes, sites, the slowest and the picks all differ.
    const request = (root: number, base: number, a: number, b: number): FrameSpec[] => [
      {
        id: root * 10,
        name: 'handler',
        line: 40,
        root,
        start: base + 0.1,
        end: base + a + b + 0.5,
        awaits: [
          { line: 41, name: 'a', start: base + 0.2, end: base + a + 0.2 },
          { line: 42, name: 'b', start: base + a + 0.3, end: base + a + b + 0.3 },
        ],
      },
      { ...leaf(root * 10 + 1, 'a', 1, root * 10, 0, base + 0.15, a), root },
      { ...leaf(root * 10 + 2, 'b', 4, root * 10, 1, base + a + 0.25, b), root },
    ];
    const shapes: Array<[string, number, number]> = [['GET /page', 30, 40], ['GET /page', 10, 80], ['POST /save', 50, 5], ['GET /page', 20, 20], ['POST /save', 5, 60]];
    const trace = buildTrace({
      frames: shapes.flatMap(([, a, b], i) => request(i + 1, i * 200, a, b)),
      roots: shapes.map(([detail, a, b], i) => ({ id: i + 1, detail, start: i * 200, end: i * 200 + a + b + 0.6 })),
      end: 1200,
    });
    const part = trace.parts[0]!;
    const paths = [...part.roots.keys()].flatMap((root) => criticalPath(part, root) ?? []);
    const analysis = analyzeRuntime(trace, [], { timelines: true });
    expect(analysis.roots).toBe(paths.length);
    // Per route: count and percentiles of the whole paths, as if every chain were kept.
    const page = paths.filter((p) => p.route === 'GET /page').map((p) => p.totalMs).sort((x, y) => x - y);
    expect(analysis.routes.find((r) => r.route === 'GET /page')).toMatchObject({ count: 3, p50Ms: page[1], p95Ms: page[2] });
    // Per site: critical time summed over every root's path, and the roots it is on.
    for (const site of analysis.sites) {
      const steps = paths.flatMap((p) => p.steps.filter((s) => s.kind === 'wait' && s.line === site.site.line).map((s) => ({ root: p.root, ms: s.ms })));
      expect(site.criticalMs).toBeCloseTo(steps.reduce((sum, s) => sum + s.ms, 0), 9);
      expect(site.rootsOnPath).toBe(new Set(steps.map((s) => s.root)).size);
    }
    // The slowest root's chain is the walk's own; the picked roots' chains are walked again, with the same steps.
    const slowest = paths.reduce((m, p) => (p.totalMs > m.totalMs ? p : m));
    expect(analysis.slowest).toEqual(slowest);
    for (const picked of analysis.picked ?? []) expect(picked.path).toEqual(paths.find((p) => p.root === picked.path.root));
    expect(analysis.picked!.map((p) => p.path.root).sort()).toEqual([1, 2, 5]);
    // --root: the slowest among the matching routes.
    const save = analyzeRuntime(trace, [], { root: 'POST *' }).slowest;
    expect(save).toEqual(paths.filter((p) => p.route === 'POST /save').reduce((m, p) => (p.totalMs > m.totalMs ? p : m)));
  });

  it('reports the peak operations in flight per resource after the change', () => {
    const trace = seriesTrace();
    const withResources = buildTrace({
      frames: [...(trace.parts[0]!.frames.values())].map((f) => ({
        id: f.id,
        name: f.site.name,
        line: f.site.line,
        ...(f.parent !== null ? { parent: f.parent, pseg: f.parentSegment } : {}),
        start: f.start,
        end: f.end,
        awaits: f.awaits.map((a) => ({ line: a.site.line, name: a.site.name, start: a.start, end: a.end })),
      })),
      resources: [
        { id: 1, kind: 'http', detail: 'GET 10.0.0.1:80/a', frame: 2, start: 0.05, end: 60 },
        { id: 2, kind: 'http', detail: 'GET 10.0.0.1:80/b', frame: 3, start: 60.15, end: 100.1 },
      ],
    });
    const [s] = analyzeRuntime(withResources, [group([11, 12])]).suggestions;
    expect(s!.inFlight).toEqual([{ resource: 'http 10.0.0.1:80', before: 1, after: 2 }]);
  });
});

describe('fan-out', () => {
  it('derives a concurrency limit from the durations of a wide join', () => {
    expect(makespan([10, 10, 10, 10], 2)).toBe(20);
    expect(makespan([10, 10, 10, 10], 4)).toBe(10);
    const { limit } = deriveLimit(new Array(40).fill(10));
    expect(limit).toBe(40);
    const uneven = deriveLimit([100, ...new Array(30).fill(5)]);
    // One slow call dominates: a handful of slots finish the short ones in its shadow.
    expect(uneven.limit).toBeLessThanOrEqual(3);
    expect(uneven.costMs).toBeLessThanOrEqual(25);
  });

  it('suggests bound-concurrency for a wide Promise.all in the trace', () => {
    const children = Array.from({ length: 20 }, (_, k) => leaf(2 + k, 'fetchItem', 1, 1, 0, 0.05 + k * 0.01, k === 0 ? 100 : 5));
    const trace = buildTrace({
      frames: [{ id: 1, name: 'main', line: 10, start: 0, end: 100.6, awaits: [{ line: 11, name: 'Promise.all', start: 0.5, end: 100.5 }] }, ...children],
    });
    const fromFinding = analyzeRuntime(trace, [group([], 'fan-out', { line: 11, endLine: 11 })]);
    expect(fromFinding.suggestions.map((s) => s.kind)).toEqual(['bound-concurrency']);
    expect(fromFinding.suggestions[0]!.limit).toBeGreaterThanOrEqual(2);
    expect(fromFinding.suggestions[0]!.limit).toBeLessThan(20);
    const fromTrace = analyzeRuntime(trace, []);
    expect(fromTrace.suggestions.map((s) => [s.kind, s.finding])).toEqual([['bound-concurrency', null]]);
  });
});

describe('hangs', () => {
  it('lists awaits pending at exit with the chain of frames waiting on them', () => {
    const trace = buildTrace({
      frames: [
        { id: 1, name: 'main', line: 10, start: 0, end: null, awaits: [{ line: 11, name: 'worker', start: 0.2, end: null }] },
        { id: 2, name: 'worker', line: 1, parent: 1, pseg: 0, start: 0.1, end: null, awaits: [{ line: 2, name: 'lock.acquire', start: 0.15, end: null }] },
      ],
      end: 500,
    });
    const analysis = analyzeRuntime(trace);
    const inner = analysis.hangs.find((h) => h.site?.line === 2)!;
    expect(inner.reason).toBe('pending-at-exit');
    expect(inner.chain.map((f) => f.name)).toEqual(['worker', 'main']);
    expect(inner.waitedMs).toBeCloseTo(499.85, 1);
  });
});
