import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrace, readTrace, toChromeTrace, TraceReadError } from '@overlap/tracer';
import { Sink } from '../src/runtime/sink.js';
import { tempDir } from './helpers.js';

const header = '{"format":"overlap-trace","version":1,"created":1000,"clock":"us","tool":"test"}';

/** A hand-written trace: main (frame 1) awaits child (frame 2) which waits 10 ms on a fetch; child 3 completes at once. */
const trace = [
  header,
  '["@",10,0]',
  '{"type":"part","pid":10,"tid":0,"ppid":1,"main":true,"origin":1000,"entry":"/app/main.js","node":"v20.19.0"}',
  '["S",0,"fn","/app/main.js",1,1,"main"]',
  '["S",1,"fn","/app/main.js",5,1,"child"]',
  '["S",2,"await","/app/main.js",2,3,"child"]',
  '["S",3,"await","/app/main.js",6,3,"fetch"]',
  '["Q",1,"fetch",2,0,1100,"GET http://127.0.0.1:1/x"]',
  '["F",2,1,1,0,1050,0]',
  '["f",3,1,1,0,1150,0,1160,0]',
  '["F",1,0,0,-1,1000,0]',
  '["@",11,0]',
  '{"type":"part","pid":11,"tid":0,"ppid":10,"main":true,"origin":1002,"entry":"/app/child.js","node":"v20.19.0"}',
  '["@",10,0]',
  '["q",1,11000,0]',
  '["W",2,3,1200,11200,0]',
  '["X",2,11300,0]',
  '["W",1,2,1250,11350,0]',
  '["X",1,11400,0]',
  '{"type":"end","pid":10,"tid":0,"t":12000,"code":0,"live":0,"dropped":0}',
  '{"type":"end","by":"runner","pid":11,"tid":0,"signal":"SIGTERM","code":null}',
].join('\n');

describe('parseTrace', () => {
  it('builds frames, awaits, CPU segments, resources and roots on one clock', () => {
    const model = parseTrace(trace + '\n');
    expect(model.warnings).toEqual([]);
    expect(model.parts.map((p) => p.key)).toEqual(['10.0', '11.0']);
    const [main, child] = model.parts;
    expect(child!.end).toMatchObject({ clean: false, signal: 'SIGTERM' });
    expect(main!.end).toMatchObject({ clean: true, exitCode: 0, time: 12 });

    const f1 = main!.frames.get(1)!;
    const f2 = main!.frames.get(2)!;
    expect(f1).toMatchObject({ parent: null, start: 1, end: 11.4, children: [2, 3] });
    expect(f2).toMatchObject({ parent: 1, parentSegment: 0, start: 1.05, end: 11.3 });
    expect(f1.awaits[0]).toMatchObject({ start: 1.25, end: 11.35, calls: [2, 3], rejected: false });
    expect(f2.awaits[0]).toMatchObject({ start: 1.2, end: 11.2, resources: [1] });
    // main's first segment (1.0 -> 1.25) minus child's and child 3's synchronous parts (0.15 + 0.01).
    expect(f1.segments[0]!.self).toBeCloseTo(0.25 - 0.15 - 0.01, 6);
    expect(f1.segments.map((s) => [s.start, s.end])).toEqual([
      [1, 1.25],
      [11.35, 11.4],
    ]);
    expect(main!.resources[0]).toMatchObject({ kind: 'fetch', frame: 2, start: 1.1, end: 11 });
    expect(main!.roots.get(0)).toMatchObject({ kind: 'process', frames: [2, 3, 1], status: 0 });
    // The child process started 2 ms after the parent: its times are on the same clock.
    expect(child!.roots.get(0)!.start).toBe(2);
  });

  it('reads a trace cut short by a kill: warns about the last line, reports open frames', () => {
    const cut = trace.split('\n').slice(0, 17).join('\n') + '\n["W",1,2,12';
    const model = parseTrace(cut);
    expect(model.warnings).toEqual(['line 18: cut short (the process was stopped while writing)']);
    const main = model.parts[0]!;
    expect(main.end.clean).toBe(false);
    expect(main.hangs).toEqual([expect.objectContaining({ frame: 1, reason: 'killed', chain: [1] })]);
  });

  it('rejects what is not an overlap trace, or a newer version, with one clear message', async () => {
    expect(() => parseTrace('hello\n', 'x.ndjson')).toThrow('x.ndjson: not an overlap trace (the first line is not JSON)');
    expect(() => parseTrace('{"format":"other"}\n', 'x.ndjson')).toThrow(TraceReadError);
    expect(() => parseTrace(header.replace('"version":1', '"version":3'), 'x')).toThrow('trace format version 3 is newer than this reader (2)');
    await expect(readTrace(join(tempDir(), 'missing.ndjson'))).rejects.toThrow(/cannot open the trace \(ENOENT\)/);
  });

  it('reads a frame with 200,000 awaits (no recursion or quadratic step on long frames)', () => {
    const lines = [header, '["@",1,0]', '["S",0,"fn","/a.js",1,1,"loop"]', '["S",1,"await","/a.js",2,3,"tick"]', '["F",1,0,0,-1,0,0]'];
    for (let i = 0; i < 200_000; i++) lines.push(`["W",1,1,${i * 10 + 1},${i * 10 + 9},0]`);
    lines.push('["Q",1,"fs",1,0,155555,"readFile /x"]', '["X",1,2000000,0]');
    const part = parseTrace(lines.join('\n')).parts[0]!;
    const frame = part.frames.get(1)!;
    expect(frame.awaits).toHaveLength(200_000);
    expect(part.cpu).toHaveLength(200_001);
    // started at 155.555 ms, in the segment before await 15,556 (155.561 ms): what that await waited on
    expect(frame.awaits[15_556]!.resources).toEqual([1]);
    expect(part.resources[0]).toMatchObject({ end: 155.569, endInferred: true });
  });

  it('reads from a file in chunks', async () => {
    const file = join(tempDir(), 'trace.ndjson');
    writeFileSync(file, trace + '\n');
    const model = await readTrace(file);
    expect(model.parts[0]!.awaits).toHaveLength(2);
  });
});

describe('binary records (version 2)', () => {
  /** Writes the hand-written trace's events for part 10 through a real Sink, binary or as text lines. */
  function written(binary: boolean, clockUs: number, capacityFlushes = false): Buffer {
    const file = join(tempDir(), `${binary ? 'bin' : 'text'}.trace`);
    writeFileSync(file, `${header.replace('"version":1', '"version":2')}\n`);
    const fd = openSync(file, 'a');
    // each chunk reads the clock once, for its base: a later chunk gets a later base
    let reads = 0;
    const sink = new Sink(fd, () => {}, () => clockUs + 777 * reads++, binary);
    sink.line('{"type":"part","pid":' + process.pid + ',"tid":0,"ppid":1,"main":true,"origin":1000,"entry":"/app/main.js","node":"v20.19.0"}\n');
    sink.line('["S",0,"fn","/app/main.js",1,1,"main"]\n["S",1,"fn","/app/main.js",5,1,"child"]\n["S",2,"await","/app/main.js",2,3,"child"]\n["S",3,"await","/app/main.js",6,3,"fetch"]\n');
    sink.frame(2, 1, 1, 0, 1050, 0);
    sink.frameOnce(3, 1, 1, 0, 1150, 0, 1160, 0);
    sink.frame(1, 0, 0, -1, 1000, 0);
    if (capacityFlushes) sink.flush();
    sink.wait(2, 3, 1200, 11200, 0);
    sink.exit(2, 11300, 0);
    sink.wait(1, 2, 1250, 11350, 1);
    sink.exit(1, 11400, 1);
    sink.frame(4, 0, 0, -1, 11500, 0);
    sink.pending(4, 2, 11600);
    sink.line(`{"type":"end","pid":${process.pid},"tid":0,"t":12000,"code":0,"live":1,"dropped":0}\n`);
    sink.close();
    return readFileSync(file);
  }

  it('read the same model as the same events written as text lines', () => {
    const text = parseTrace(written(false, 0));
    expect(text.warnings).toEqual([]);
    expect(text.parts[0]!.frames.get(1)).toMatchObject({ start: 1, end: 11.4, threw: true, children: [2, 3] });
    for (const [clock, flushes] of [[0, false], [900, true], [5_000, false]] as const) {
      const bin = written(true, clock, flushes);
      // binary records hold the hot events: no "W" text line in the file
      expect(bin.includes('["W"')).toBe(false);
      const model = parseTrace(bin);
      expect(model.warnings).toEqual([]);
      expect(model.parts).toEqual(text.parts);
      expect(model.parts[0]!.awaits.map((a) => [a.start, a.end, a.rejected])).toEqual([
        [1.2, 11.2, false],
        [1.25, 11.35, true],
        [11.6, null, false],
      ]);
    }
  });

  it('falls back to a text line for a time too far from the chunk base, and reads both', () => {
    // the chunk's base is 3 hours after the events: relative times would not fit 32 bits
    const bin = written(true, 3 * 3600 * 1e6);
    expect(bin.includes('["W",2,3,1200,11200,0]')).toBe(true);
    expect(parseTrace(bin).parts).toEqual(parseTrace(written(false, 0)).parts);
  });

  it('reads a binary record cut short by a kill as a warning, and the records before it', async () => {
    const bin = written(true, 0);
    const endLine = bin.lastIndexOf('{"type":"end"');
    const cut = bin.subarray(0, endLine - 10);
    const model = parseTrace(cut);
    expect(model.warnings).toEqual([expect.stringMatching(/^record \d+: cut short \(the process was stopped while writing\)$/)]);
    expect(model.parts[0]!.frames.get(1)).toMatchObject({ end: 11.4 });
    expect(model.parts[0]!.end.clean).toBe(false);
    const file = join(tempDir(), 'cut.trace');
    writeFileSync(file, cut);
    expect((await readTrace(file)).parts).toEqual(model.parts);
  });
});

describe('toChromeTrace', () => {
  it('writes CPU slices, async frame tracks and flow arrows for causality', () => {
    const chrome = toChromeTrace(parseTrace(trace));
    const events = chrome.traceEvents;
    const cpu = events.filter((e) => e.ph === 'X').sort((a, b) => a.ts! - b.ts!);
    expect(cpu.map((e) => e.name)).toEqual(['main', 'child', 'child', 'child', 'main']);
    expect(cpu[0]).toMatchObject({ ts: 1000, dur: 250, pid: 10, tid: 0 });
    const flows = events.filter((e) => e.cat === 'flow');
    // call arrows into both children, and the return arrow from child 2 to main's resumption
    expect(flows.filter((e) => e.ph === 's').map((e) => e.id)).toEqual(['10.0.c2', '10.0.d2', '10.0.c3']);
    expect(events.filter((e) => e.cat === 'frame' && e.ph === 'b')).toHaveLength(5);
    expect(events.find((e) => e.cat === 'resource')).toMatchObject({ name: 'fetch GET http://127.0.0.1:1/x', ts: 1100 });
    expect(JSON.parse(JSON.stringify(chrome))).toEqual(chrome);
  });
});
