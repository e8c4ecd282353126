import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTrace } from '@overlap/tracer';
import { analyzeRuntime, dagCriticalPath, type StaticGroup } from '@overlap/runtime-analysis';
import { dagTrace, FILE } from './build-trace.js';

const awaits = [11, 12, 13].map((line) => ({ line, column: 3 }));
const base = { ruleId: 'prefer-concurrent-awaits', file: FILE, confidence: 'high' as const, span: null };

describe('the best schedule of a dependency DAG', () => {
  it('never states a lower bound below the saving it predicts (CPU that issues each call counts too)', () => {
    // 10 ms of CPU before B and before C: the replay moves that CPU with the call it issues.
    const trace = dagTrace(10);
    const schedule: StaticGroup = { ...base, kind: 'group', awaits, dag: { preds: [[], [], [0]] } };
    const [best] = analyzeRuntime(trace, [schedule]).suggestions;
    expect(best!.perRootMs).toBeGreaterThan(90);
    expect(best!.lowerBound!.maxSavingPerRootMs).toBeGreaterThanOrEqual(best!.perRootMs);
  });

  it('prices starting every await once its inputs are ready, not the pairwise Promise.all', () => {
    const schedule: StaticGroup = { ...base, kind: 'group', awaits, dag: { preds: [[], [], [0]] } };
    const [best] = analyzeRuntime(dagTrace(), [schedule]).suggestions;
    // max(B, A + C) = 100 instead of 190.
    expect(best!.perRootMs).toBeCloseTo(90, 0);
    expect(best!.lowerBound!.maxSavingPerRootMs).toBeCloseTo(90, 0);
    expect(best!.detail).toContain('as soon as the awaits it depends on have settled');
    // Promise.all([A(), B()]) then C: 140 instead of 190.
    const pair: StaticGroup = { ...base, kind: 'group', awaits: awaits.slice(0, 2) };
    const [pairwise] = analyzeRuntime(dagTrace(), [pair]).suggestions;
    expect(pairwise!.perRootMs).toBeCloseTo(50, 0);
    expect(pairwise!.lowerBound).toBeNull();
  });

  it('keeps a chain a chain', () => {
    const chain: StaticGroup = { ...base, kind: 'group', awaits, dag: { preds: [[], [0], [1]] } };
    expect(analyzeRuntime(dagTrace(), [chain]).suggestions).toEqual([]);
    expect(dagCriticalPath([50, 100, 40], [[], [0], [1]])).toBe(190);
    expect(dagCriticalPath([50, 100, 40], [[], [], [0]])).toBe(100);
  });
});

describe('offloading the CPU of a schedule', () => {
  it('moves the steps off the event loop also when the schedule runs them inside its own chains', () => {
    // A real trace of fixtures/programs/audit-cpu: two async renders (about 17 ms of CPU each) awaited in series.
    const trace = parseTrace(readFileSync(new URL('./traces/audit-cpu.trace', import.meta.url), 'utf8'));
    const main = [...trace.parts[0]!.frames.values()].find((frame) => frame.site.name === 'main')!;
    const group = { ruleId: 'prefer-concurrent-awaits', kind: 'group' as const, file: main.site.file, confidence: 'high' as const, span: null, awaits: [18, 19].map((line) => ({ line, column: 1 })) };
    const pairwise = analyzeRuntime(trace, [group]).suggestions[0]!;
    const scheduled = analyzeRuntime(trace, [{ ...group, dag: { preds: [[], []] } }]).suggestions[0]!;
    expect(pairwise.kind).toBe('offload-cpu');
    expect(scheduled.kind).toBe('offload-cpu');
    // Two 17 ms renders side by side save about one of them; the schedule's rewrite used to price 0 ms.
    expect(pairwise.predictedSavingMs).toBeGreaterThan(12);
    expect(scheduled.predictedSavingMs).toBeCloseTo(pairwise.predictedSavingMs, 0);
  });
});
