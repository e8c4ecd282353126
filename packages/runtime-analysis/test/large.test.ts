import { describe, expect, it } from 'vitest';
import { analyzeRuntime, type StaticGroup } from '@overlap/runtime-analysis';
import { buildTrace, FILE, leaf, type FrameSpec } from './build-trace.js';

/**
 * It must not break: every graph walk is a loop, not recursion, so a program's size (a loop of 50,000 awaited
 * calls, a chain of 5,000 nested calls) never runs the analysis out of stack.
 */
describe('large programs', () => {
  it('audits a sequential loop of 50,000 awaited calls', () => {
    const n = 50_000;
    const step = 1.2;
    const children: FrameSpec[] = [];
    for (let k = 0; k < n; k++) children.push(leaf(2 + k, 'fetchItem', 1, 1, k, k * step + 0.05, 1));
    const trace = buildTrace({
      frames: [
        {
          id: 1,
          name: 'main',
          line: 10,
          start: 0,
          end: n * step + 0.1,
          awaits: Array.from({ length: n }, (_, k) => ({ line: 12, name: 'fetchItem', start: k * step + 0.1, end: k * step + 1.1 })),
        },
        ...children,
      ],
    });
    const loop: StaticGroup = { ruleId: 'prefer-concurrent-iteration', kind: 'loop', file: FILE, confidence: 'high', awaits: [{ line: 12, column: 3 }], span: { line: 11, endLine: 13 } };
    const analysis = analyzeRuntime(trace, [loop]);
    const waits = analysis.slowest!.steps.filter((s) => s.kind === 'wait');
    expect(waits.length).toBe(n);
    expect(analysis.slowest!.totalMs).toBeCloseTo(n * step + 0.1, 0);
    // The leaf await (line 2, 1 ms each) is on the path n times.
    const site = analysis.sites.find((s) => s.site.line === 2)!;
    expect(site.criticalMs).toBeCloseTo(n, -1);
    // All iterations at once.
    const [s] = analysis.suggestions;
    expect(s!.kind).toBe('parallelize');
    // The 0.2 ms of CPU between awaits stays on the one event loop: about n * 0.2 ms remain.
    expect(s!.predictedSavingMs).toBeCloseTo(n * (step - 0.2) - 1, -2);
  }, 120_000);

  it('follows a chain of 5,000 nested async calls', () => {
    const depth = 5_000;
    const frames: FrameSpec[] = [];
    for (let d = 0; d < depth; d++) {
      const id = d + 1;
      const start = d * 0.001;
      const last = d === depth - 1;
      frames.push({
        id,
        name: `level${d}`,
        line: 100 + d,
        ...(d > 0 ? { parent: d, pseg: 0 } : {}),
        start,
        end: 20 + (depth - d) * 0.001,
        awaits: [{ line: 100 + d, name: last ? 'sleep' : `level${d + 1}`, start: start + 0.0005, end: 20 + (depth - d) * 0.001 - 0.0005 }],
      });
    }
    const analysis = analyzeRuntime(buildTrace({ frames }));
    const waits = analysis.slowest!.steps.filter((s) => s.kind === 'wait');
    // The innermost sleep is what the whole chain waited on, inside every caller's await.
    expect(waits.map((s) => s.name)).toEqual(['sleep']);
    expect(waits[0]!.within).toHaveLength(depth - 1);
    expect(analysis.slowest!.totalMs).toBeCloseTo(20 + depth * 0.001, 0);
  }, 120_000);
});
