import { describe, expect, it } from 'vitest';
import { analyzeRuntime, seriesAwaitFiles, unprovenRuns, type AwaitGraphInput, type StaticGroup } from '@overlap/runtime-analysis';
import { buildTrace, FILE, leaf } from './build-trace.js';

/** main awaits a() (60 ms) then b() (40 ms), one after the other; `cpu` ms of each is CPU in the callee. */
function seriesTrace(cpu = 0) {
  return buildTrace({
    frames: [
      {
        id: 1,
        name: 'main',
        line: 10,
        start: 0,
        end: 100.3,
        awaits: [
          { line: 11, name: 'a', start: 0.1 + cpu, end: 60.1 },
          { line: 12, name: 'b', start: 60.2 + cpu, end: 100.2 },
        ],
      },
      leaf(2, 'a', 1, 1, 0, 0.05, 60 - cpu, cpu),
      leaf(3, 'b', 4, 1, 1, 60.15, 40 - cpu, cpu),
    ],
  });
}

const graph = (reason: AwaitGraphInput['edges'][number]['reason'] | null, lines = [11, 12]): AwaitGraphInput => ({
  file: FILE,
  awaits: lines.map((line, i) => ({ line, column: 3, label: `\`${String.fromCharCode(97 + i)}()\`` })),
  edges: reason ? [{ from: 0, to: 1, reason, detail: '`a` is not an API we know' }] : [],
});

describe('unprovenRuns', () => {
  it('groups consecutive awaits ordered only by unknown edges, and stops at a proven dependency', () => {
    const g: AwaitGraphInput = {
      file: FILE,
      awaits: [1, 2, 3, 4].map((line) => ({ line, column: 3, label: `n${line}` })),
      edges: [
        { from: 0, to: 1, reason: 'unknown', detail: 'x' },
        { from: 1, to: 2, reason: 'data', detail: 'uses `b`' },
        { from: 2, to: 3, reason: 'unknown', detail: 'y' },
      ],
    };
    expect(unprovenRuns(g)).toEqual([
      { members: [0, 1], reasons: ['x'] },
      { members: [2, 3], reasons: ['y'] },
    ]);
  });

  it('treats a proven path through another await as a dependency', () => {
    const g: AwaitGraphInput = {
      file: FILE,
      awaits: [1, 2, 3].map((line) => ({ line, column: 3, label: `n${line}` })),
      edges: [
        { from: 0, to: 1, reason: 'effect', detail: 'writes' },
        { from: 1, to: 2, reason: 'control', detail: 'branch' },
        { from: 0, to: 2, reason: 'unknown', detail: 'x' },
      ],
    };
    expect(unprovenRuns(g)).toEqual([]);
  });

  it('leaves fully independent runs to the static check', () => {
    expect(unprovenRuns(graph(null))).toEqual([]);
  });
});

describe('trace candidates', () => {
  it('lists seriesAwaitFiles from frames that awaited two sites in a row', () => {
    expect(seriesAwaitFiles(seriesTrace())).toEqual([FILE]);
  });

  it('prices sibling I/O awaits with an unknown verdict as an unproven parallelize suggestion, with the reason', () => {
    const { suggestions } = analyzeRuntime(seriesTrace(), [], { awaitGraphs: [graph('unknown')] });
    expect(suggestions).toHaveLength(1);
    const [s] = suggestions;
    expect(s!.kind).toBe('parallelize');
    expect(s!.confidence).toBe('unproven');
    expect(s!.finding).toBeNull();
    expect(s!.unprovenReason).toBe('`a` is not an API we know');
    expect(s!.detail).toContain('could not prove them independent (`a` is not an API we know)');
    // The shorter of the two (40 ms) overlaps with the longer one.
    expect(s!.perRootMs).toBeCloseTo(40, 0);
  });

  it('offers nothing when the engine proves the order (data or effect)', () => {
    for (const reason of ['data', 'effect', 'control'] as const) {
      expect(analyzeRuntime(seriesTrace(), [], { awaitGraphs: [graph(reason)] }).suggestions).toEqual([]);
    }
  });

  it('offers nothing for awaits that were mostly CPU', () => {
    expect(analyzeRuntime(seriesTrace(35), [], { awaitGraphs: [graph('unknown')] }).suggestions).toEqual([]);
  });

  it('leaves awaits a static finding already covers to that finding', () => {
    const group: StaticGroup = { ruleId: 'prefer-concurrent-awaits', kind: 'group', file: FILE, confidence: 'high', awaits: [11, 12].map((line) => ({ line, column: 3 })), span: null };
    const { suggestions } = analyzeRuntime(seriesTrace(), [group], { awaitGraphs: [graph('unknown')] });
    expect(suggestions.map((s) => s.confidence)).toEqual(['high']);
  });

  it('ranks candidates with the static suggestions by saving', () => {
    const trace = seriesTrace();
    const { suggestions } = analyzeRuntime(trace, [], { awaitGraphs: [graph('unknown'), graph('unknown', [2, 5])] });
    // Lines 2 and 5 are the leaves' awaits, each in its own frame: never siblings, so no candidate.
    expect(suggestions).toHaveLength(1);
  });
});
