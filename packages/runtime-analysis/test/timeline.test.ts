import { describe, expect, it } from 'vitest';
import { analyzeRuntime, type StaticGroup } from '@overlap/runtime-analysis';
import { dagTrace, FILE } from './build-trace.js';

const schedule: StaticGroup = {
  ruleId: 'prefer-concurrent-awaits',
  kind: 'group',
  file: FILE,
  confidence: 'high',
  span: null,
  awaits: [11, 12, 13].map((line) => ({ line, column: 3 })),
  dag: { preds: [[], [], [0]] },
};

const waitsAt = (items: readonly { kind: string; line: number; start: number; ms: number }[], line: number) => items.filter((i) => i.kind === 'wait' && i.line === line);

describe('timelines for the HTML report', () => {
  it('are absent unless asked for', () => {
    const analysis = analyzeRuntime(dagTrace(), [schedule]);
    expect(analysis.picked).toBeUndefined();
    expect(analysis.suggestions[0]!.timelines).toBeUndefined();
  });

  it('keep the recorded root: every await and CPU segment, awaits in series', () => {
    const { picked } = analyzeRuntime(dagTrace(), [schedule], { timelines: true });
    expect(picked).toHaveLength(1);
    const [root] = picked!;
    expect(root!.picks).toEqual(['slowest', 'p95', 'p50']);
    const items = root!.timeline.items;
    const [a] = waitsAt(items, 11);
    const [b] = waitsAt(items, 12);
    expect(a!.ms).toBeCloseTo(50, 0);
    expect(b!.start).toBeGreaterThanOrEqual(a!.start + a!.ms);
    expect(root!.timeline.frames.find((f) => f.name === 'B')!.calledAt).toBe(`${FILE}:12`);
  });

  it("give the suggestion's rewritten schedule: B starts with A, and the root ends after max(B, A + C)", () => {
    const [best] = analyzeRuntime(dagTrace(), [schedule], { timelines: true }).suggestions;
    expect(best!.timelines).toHaveLength(1);
    const [after] = best!.timelines!;
    expect(after!.totalMs).toBeCloseTo(100.5, 0);
    // The waits inside A and B now start together, C's once A is done.
    const frameOf = (name: string) => after!.frames.find((f) => f.name === name && f.id > 0)!.id;
    const started = (name: string) => after!.items.find((i) => i.kind === 'wait' && i.frame === frameOf(name))!.start;
    expect(started('A')).toBeLessThan(1);
    expect(started('B')).toBeLessThan(1);
    expect(started('C')).toBeCloseTo(50, 0);
    // Each lane of work is named after the function it belongs to; the rewrite's own frames belong to main.
    expect(after!.frames.filter((f) => f.id < 0).every((f) => f.name === 'main')).toBe(true);
  });
});
