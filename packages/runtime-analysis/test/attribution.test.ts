import { describe, expect, it } from 'vitest';
import { analyzeRuntime, busyRuns, buildSimGraph, routeOf, type StaticGroup } from '@overlap/runtime-analysis';
import { buildTrace, FILE, leaf, type FrameSpec } from './build-trace.js';

const group = (lines: number[]): StaticGroup => ({
  ruleId: 'prefer-concurrent-awaits',
  kind: 'group',
  file: FILE,
  confidence: 'high',
  awaits: lines.map((line) => ({ line, column: 3 })),
  span: null,
});

describe('attribution', () => {
  it('gives a site that awaits a plain promise returned by a call the drag of its own wait', () => {
    // main awaits get() (line 11): get is instrumented but returns at once with a plain promise (a timer, a
    // client library) that settles 170 ms later; then main awaits log (line 12, 10 ms).
    const trace = buildTrace({
      frames: [
        { id: 1, name: 'main', line: 10, start: 0, end: 181, awaits: [{ line: 11, name: 'get', start: 0.2, end: 170.2 }, { line: 12, name: 'log', start: 170.4, end: 180.4 }] },
        { id: 2, name: 'get', line: 1, parent: 1, pseg: 0, start: 0.05, end: 0.15 },
        leaf(3, 'log', 4, 1, 1, 170.3, 10),
      ],
    });
    const analysis = analyzeRuntime(trace);
    const site = analysis.sites.find((s) => s.site.line === 11)!;
    expect(site.criticalMs).toBeGreaterThan(165);
    // If that wait took no time, the root would end about 170 ms sooner.
    expect(site.dragMs).toBeGreaterThan(165);
  });

  it('charges the CPU of synchronously called functions to them, not to their caller', () => {
    // main calls renderA (150 ms of CPU, no await inside), awaits its result (line 11), then the same for renderB.
    const trace = buildTrace({
      frames: [
        { id: 1, name: 'main', line: 10, start: 0, end: 301, awaits: [{ line: 11, name: 'renderA', start: 150.2, end: 150.3 }, { line: 12, name: 'renderB', start: 300.6, end: 300.7 }] },
        { id: 2, name: 'renderA', line: 1, parent: 1, pseg: 0, start: 0.1, end: 150.1 },
        { id: 3, name: 'renderB', line: 4, parent: 1, pseg: 1, start: 150.4, end: 300.4 },
      ],
    });
    const cpu = analyzeRuntime(trace).slowest!.steps.filter((s) => s.kind === 'cpu' && s.ms > 1);
    expect(cpu.map((s) => [s.name, Math.round(s.ms), s.within])).toEqual([
      ['renderA', 150, [`${FILE}:11`]],
      ['renderB', 150, [`${FILE}:12`]],
    ]);
  });

  it('reports identical hangs once with a count', () => {
    const pending = (id: number, start: number): FrameSpec => ({ id, name: 'handler', line: 20, start, end: null, awaits: [{ line: 21, name: 'db.query', start: start + 0.1, end: null }] });
    const trace = buildTrace({ frames: [pending(1, 0), pending(2, 1), pending(3, 2)], end: 100 });
    const analysis = analyzeRuntime(trace);
    const atSite = analysis.hangs.filter((h) => h.site?.line === 21);
    expect(atSite).toHaveLength(1);
    expect(atSite[0]!.count).toBe(3);
    expect(atSite[0]!.waitedMs).toBeCloseTo(99.9, 0);
  });

  it('does not call a rewrite speculative because requests were cut off by shutdown', () => {
    // Two complete runs of a, b; a third cut off at exit while waiting on a (b never ran: not a condition).
    const run = (base: number, id: number, cut: boolean): FrameSpec[] => [
      {
        id,
        root: cut ? 0 : id,
        name: 'main',
        line: 10,
        start: base,
        end: cut ? null : base + 100.3,
        awaits: cut
          ? [{ line: 11, name: 'a', start: base + 0.1, end: null }]
          : [
              { line: 11, name: 'a', start: base + 0.1, end: base + 60.1 },
              { line: 12, name: 'b', start: base + 60.2, end: base + 100.2 },
            ],
      },
      ...(cut ? [] : [{ ...leaf(id + 1, 'a', 1, id, 0, base + 0.05, 60), root: id }, { ...leaf(id + 2, 'b', 4, id, 1, base + 60.15, 40), root: id }]),
    ];
    const roots = [1, 10].map((id) => ({ id, detail: 'GET /page', start: (id === 1 ? 0 : 200) - 0.01, end: (id === 1 ? 0 : 200) + 100.4 }));
    const trace = buildTrace({ frames: [...run(0, 1, false), ...run(200, 10, false), ...run(400, 20, true)], roots, end: 450 });
    const [s] = analyzeRuntime(trace, [group([11, 12])]).suggestions;
    expect(s!.extraCalls).toBe(0);
    expect(s!.confidence).toBe('high');
    expect(s!.detail).not.toContain('Speculative');
  });
});

describe('servers', () => {
  /** n requests to GET /users/:id, each awaiting a (30 ms) then b (20 ms), spaced `every` ms apart. */
  function server(n: number, every: number) {
    const frames: FrameSpec[] = [];
    const roots = [];
    for (let k = 0; k < n; k++) {
      const t = k * every;
      const id = 1 + k * 3;
      roots.push({ id: k + 1, detail: `GET /users/${k}?full=1`, start: t, end: t + 50.5 });
      frames.push(
        {
          id,
          name: 'handler',
          line: 10,
          root: k + 1,
          start: t + 0.1,
          end: t + 50.4,
          awaits: [
            { line: 11, name: 'a', start: t + 0.2, end: t + 30.2 },
            { line: 12, name: 'b', start: t + 30.3, end: t + 50.3 },
          ],
        },
        { ...leaf(id + 1, 'a', 1, id, 0, t + 0.15, 30), root: k + 1 },
        { ...leaf(id + 2, 'b', 4, id, 1, t + 30.25, 20), root: k + 1 },
      );
    }
    frames.push({ id: 10_000, name: 'listen', line: 40, start: 0, end: n * every + 500, awaits: [{ line: 41, name: 'closed', start: 0.01, end: n * every + 499 }] });
    return buildTrace({ frames, roots, end: n * every + 600 });
  }

  it('reports the process apart, requests by route, and savings per request', () => {
    const analysis = analyzeRuntime(server(10, 100), [group([11, 12])]);
    expect(analysis.slowest!.kind).toBe('http');
    expect(analysis.processes).toHaveLength(1);
    const route = analysis.routes.find((r) => r.route.startsWith('GET /users/0'));
    expect(route?.count).toBe(1);
    expect(routeOf({ kind: 'http', detail: 'GET /users/7?full=1' })).toBe('GET /users/7');
    expect(routeOf({ kind: 'http', detail: 'GET /users/7', route: '/users/:id' })).toBe('GET /users/:id');
    const [s] = analysis.suggestions;
    expect(s!.perRootMs).toBeCloseTo(20, 0);
    expect(s!.detail).toMatch(/20(\.\d)? ms per request on GET \/users\/\d/u);
    expect(s!.detail).not.toContain('in total');
    expect(s!.perRoute.reduce((n, r) => n + r.roots, 0)).toBe(10);
    // Idle loop, requests spaced out: shorter requests at the same concurrency give more of them per second.
    expect(s!.throughput!.afterPerSec).toBeGreaterThan(s!.throughput!.beforePerSec);
  });

  it('selects the slowest root among the routes matching --root', () => {
    const analysis = analyzeRuntime(server(3, 100), [], { root: 'process' });
    expect(analysis.slowest!.kind).toBe('process');
  });
});

describe('saturation', () => {
  it('measures the event loop busy from traced CPU', () => {
    const cpu = (id: number, start: number): FrameSpec => ({ id, name: `job${id}`, line: id * 10, start, end: start + 10 });
    const trace = buildTrace({ frames: [cpu(1, 0), cpu(2, 10), cpu(3, 30)] });
    const busy = busyRuns(trace.parts[0]!);
    // 30 ms of CPU over 40 ms.
    expect(busy.utilisation).toBeCloseTo(0.75, 2);
    // An operation that resumed at 20 right after 10 ms of other work settled in that stretch (assumed midway).
    expect(busy.settle(5, 20)).toBeCloseTo(12.5, 5);
    // One that resumed after an idle gap settled when it resumed.
    expect(busy.settle(5, 28)).toBe(28);
  });

  it('does not sell queueing behind other work as a saving of overlapping', () => {
    // main awaits a then b (5 ms of latency each) while other requests keep the event loop busy back to back:
    // each resumption waited behind them, so both were recorded at about 30 ms. Overlapping a and b removes
    // their own latency, not the queueing.
    const others: FrameSpec[] = Array.from({ length: 8 }, (_, k) => ({ id: 10 + k, name: 'other', line: 30, start: k * 10.01, end: k * 10.01 + 10 }));
    const trace = buildTrace({
      frames: [
        { id: 1, name: 'main', line: 10, start: 0, end: 60.3, awaits: [{ line: 11, name: 'a', start: 0.1, end: 30.1 }, { line: 12, name: 'b', start: 30.2, end: 60.2 }] },
        { id: 2, name: 'a', line: 1, parent: 1, pseg: 0, start: 0.05, end: 30.08, awaits: [{ line: 2, name: 'sleep', start: 0.06, end: 30.07 }] },
        { id: 3, name: 'b', line: 4, parent: 1, pseg: 1, start: 30.15, end: 60.18, awaits: [{ line: 5, name: 'sleep', start: 30.16, end: 60.17 }] },
        ...others,
      ],
    });
    expect(buildSimGraph(trace.parts[0]!).utilisation).toBeGreaterThan(0.9);
    const analysis = analyzeRuntime(trace, [group([11, 12])]);
    expect(analysis.utilisation).toBeGreaterThan(0.9);
    // Naively min(30, 30) = 30 ms; the queueing stays.
    expect(analysis.suggestions[0]?.perRootMs ?? 0).toBeLessThan(25);
  });
});
