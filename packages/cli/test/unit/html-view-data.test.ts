import { describe, expect, it } from 'vitest';
import type { RootTimeline, TimelineFlame, TimelineFrame, TimelineItem } from '@overlap/runtime-analysis';
import { assignLanes, chainOf, movedCpuFlame } from '../../src/reporters/html/view-data.js';

const frame = (id: number, parent: number | null, name: string, line: number, calledAt: string | null): TimelineFrame => ({ id, parent, name, file: '/app/main.js', line, calledAt });
const item = (frameId: number, kind: 'wait' | 'cpu', start: number, ms: number, extra: Partial<TimelineItem> = {}): TimelineItem => ({ frame: frameId, kind, file: '/app/main.js', line: 1, name: 'x', start, ms, ...extra });
const flame = (name: string, samples: number, children: TimelineFlame[] = []): TimelineFlame => ({ name, file: '/app/main.js', line: 1, samples, children });

describe('lanes of the HTML waterfall', () => {
  it('puts a frame in one lane, and frames that overlap in time in different lanes', () => {
    // main waits 0..100 on a (10..60) and b (20..90); c runs after a, in a's lane.
    const items = [item(1, 'cpu', 0, 1), item(1, 'wait', 1, 99), item(2, 'wait', 10, 50), item(3, 'wait', 20, 70), item(4, 'cpu', 61, 5)];
    const lanes = assignLanes(items, new Map());
    expect([1, 2, 3, 4].map((f) => lanes.byFrame.get(f))).toEqual([0, 1, 2, 1]);
    expect(lanes.count).toBe(3);
    expect(lanes.names).toEqual([1, 2, 3]);
  });

  it('keeps a preferred lane when it is free, and moves on when it is not', () => {
    const items = [item(1, 'wait', 0, 100), item(-1, 'wait', 0, 50), item(-2, 'wait', 0, 30)];
    const lanes = assignLanes(items, new Map([[-1, 1], [-2, 1]]));
    expect(lanes.byFrame.get(-1)).toBe(1);
    expect(lanes.byFrame.get(-2)).toBe(2);
  });
});

describe('the chain shown on hover', () => {
  it('names each call outermost first with the await that waited for it, then the wait itself', () => {
    const frames = new Map([frame(1, null, 'handler', 3, null), frame(2, 1, 'getOrders', 10, '/app/main.js:5'), frame(3, 2, 'fetchJson', 20, '/app/main.js:12')].map((f) => [f.id, f]));
    const chain = chainOf('/app', item(3, 'wait', 0, 5, { line: 22, name: 'fetch' }), frames);
    expect(chain).toEqual(['handler main.js:3', 'getOrders main.js:10 (awaited at main.js:5)', 'fetchJson main.js:20 (awaited at main.js:12)', 'await fetch main.js:22']);
  });
});

describe('the flame of what an offload-cpu suggestion would move', () => {
  const timeline: RootTimeline = {
    part: '1.0',
    root: 0,
    totalMs: 100,
    frames: [frame(1, null, 'main', 1, null), frame(2, 1, 'renderHeader', 9, '/app/main.js:18'), frame(3, 1, 'renderBody', 13, '/app/main.js:19'), frame(4, 1, 'other', 30, '/app/main.js:25')],
    items: [
      item(2, 'cpu', 0, 40, { flame: flame('renderHeader', 4, [flame('checksum', 4)]) }),
      item(3, 'cpu', 40, 60, { flame: flame('renderBody', 6, [flame('checksum', 5)]) }),
      item(4, 'cpu', 90, 10, { flame: flame('other', 1) }),
    ],
  };

  it("merges the sampled steps of the frames its sites awaited, and nothing else", () => {
    const merged = movedCpuFlame('/app', timeline, new Set(['/app/main.js:18', '/app/main.js:19']))!;
    expect(merged.samples).toBe(10);
    expect(merged.ms).toBe(100);
    expect(merged.children.map((c) => [c.name, c.samples, c.ms])).toEqual([
      ['renderBody', 6, 60],
      ['renderHeader', 4, 40],
    ]);
    expect(merged.children[0]!.children[0]).toMatchObject({ name: 'checksum', samples: 5, ms: 50 });
  });

  it('is null when none of its steps was sampled', () => {
    expect(movedCpuFlame('/app', timeline, new Set(['/app/main.js:99']))).toBeNull();
  });
});
