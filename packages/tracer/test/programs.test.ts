import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseTrace, type Await, type Frame } from '@overlap/tracer';
import { duration, expectAbout, frameNamed, framesNamed, mainPart, program, programs, runBoth, runNode, tempDir } from './helpers.js';

const same = (run: { plain: object; traced: object }) => expect(run.traced).toEqual(run.plain);

describe('sleeps (ESM)', () => {
  it('records each wait at its site, with causal parents and timers', async () => {
    const run = await runBoth([program('sleeps/main.mjs')]);
    same(run);
    expect(run.plain.stdout).toBe('a b a b\n');
    const part = mainPart(run.trace);
    expect(part.end).toMatchObject({ clean: true, exitCode: 0 });

    const main = frameNamed(part, 'main');
    expect(main.parent).toBeNull();
    expect(main.awaits.map((a) => [a.site.line, a.site.name])).toEqual([
      [15, 'fetchA'],
      [16, 'fetchB'],
      [17, 'Promise.all'],
      [18, 'new Promise'],
    ]);
    const [a, b, all, timer] = main.awaits;
    expectAbout(duration(timer!), 30);

    const fetchAs = framesNamed(part, 'fetchA');
    const fetchBs = framesNamed(part, 'fetchB');
    expect(fetchAs).toHaveLength(2);
    expect(fetchBs).toHaveLength(2);
    for (const f of [...fetchAs, ...fetchBs]) expect(f.parent).toBe(main.id);
    // The calls each await waited on: the first await calls fetchA, the Promise.all calls both.
    expect(a!.calls).toEqual([fetchAs[0]!.id]);
    expect(b!.calls).toEqual([fetchBs[0]!.id]);
    expect(all!.calls.sort()).toEqual([fetchAs[1]!.id, fetchBs[1]!.id].sort());
    expect(fetchAs[0]!.awaits[0]!.site).toMatchObject({ line: 5, column: 3, name: 'sleep' });

    const timers = part.resources.filter((r) => r.kind === 'timer');
    expect(timers.map((r) => r.detail).sort()).toEqual(['setTimeout 40ms', 'setTimeout 40ms', 'setTimeout 60ms', 'setTimeout 60ms']);
    expect(timers.every((r) => part.frames.get(r.frame)?.site.name.startsWith('fetch'))).toBe(true);
    // A wait runs from the frame's suspension, which follows the setting of its timer: on a loaded machine the
    // process can be descheduled in between (once a 60 ms sleep's await measured 36 ms). So each wait is checked
    // against the timers its frames set (their start is written just before Node sets them): it starts after
    // them, and ends the timer's length after the first of them.
    const waitedOn = (wait: Await, frames: Frame[], ms: number): void => {
      const set = timers.filter((r) => frames.some((f) => f.id === r.frame)).map((r) => r.start);
      expect(set).toHaveLength(frames.length);
      expect(wait.start).toBeGreaterThanOrEqual(Math.max(...set));
      expectAbout(wait.end! - Math.min(...set), ms);
    };
    waitedOn(a!, [fetchAs[0]!], 60);
    waitedOn(b!, [fetchBs[0]!], 40);
    waitedOn(all!, [fetchAs[1]!, fetchBs[1]!], 60);
    for (const f of fetchAs) waitedOn(f.awaits[0]!, [f], 60);
  });
});

describe('cpu-bound (CommonJS)', () => {
  it('tells CPU segments from waits', async () => {
    const run = await runBoth([program('cpu-bound/main.cjs')]);
    same(run);
    const part = mainPart(run.trace);
    const [c50, c30] = framesNamed(part, 'crunch');
    for (const [frame, ms] of [
      [c50!, 50],
      [c30!, 30],
    ] as const) {
      expect(frame.awaits.map((a) => a.site.name)).toEqual(['new Promise', 'sleep']);
      expect(frame.segments).toHaveLength(3);
      expectAbout(frame.segments[0]!.self, ms);
      expectAbout(duration(frame.awaits[1]!), 20);
      // The slice between two awaits does nearly nothing: a ratio to the spin, so a loaded machine cannot fail it.
      expect(frame.segments[1]!.self).toBeLessThan(frame.segments[0]!.self / 2);
      expectAbout(frame.segments[2]!.self, ms / 2);
    }
    // main only called crunch in its first two segments: the spin inside crunch is crunch's own time, not main's.
    // (Its last segment is the program's first console.log, which sets up stdout: tens of ms on a loaded machine.)
    const main = frameNamed(part, 'main');
    expect(main.segments).toHaveLength(3);
    for (const segment of main.segments.slice(0, 2)) expect(segment.self).toBeLessThan(c30!.segments[0]!.self / 2);
    expect(c50!.parent).toBe(main.id);
  });
});

describe('file-io (CommonJS)', () => {
  it('records fs promise calls as resources of the frame that made them', async () => {
    const run = await runBoth([program('file-io/main.cjs')]);
    same(run);
    expect(run.plain.stdout).toBe('sizes 5000 5000\n');
    const part = mainPart(run.trace);
    const fs = part.resources.filter((r) => r.kind === 'fs');
    expect(fs.map((r) => r.detail.split(' ')[0])).toEqual(['mkdtemp', 'writeFile', 'readFile', 'writeFile', 'readFile', 'rm']);
    const trips = framesNamed(part, 'roundTrip');
    expect(trips).toHaveLength(2);
    const main = frameNamed(part, 'main');
    for (const trip of trips) {
      expect(trip.parent).toBe(main.id);
      expect(trip.awaits.map((a) => a.site.name)).toEqual(['writeFile', 'readFile']);
      expect(trip.awaits[0]!.resources).toHaveLength(1);
    }
    // Node gives no end for fs calls: it is when the awaiting frame resumed.
    expect(fs.every((r) => r.end !== null && r.endInferred && !r.failed)).toBe(true);
  });
});

describe('http-fetch', () => {
  it('makes each request a root and records fetch and server requests', async () => {
    const run = await runBoth([program('http-fetch/main.mjs')]);
    same(run);
    expect(run.plain.stdout).toBe('1:user1:true 2:user2:true 3:user3:true 4:user4:true\n');
    const part = mainPart(run.trace);
    const roots = [...part.roots.values()].filter((r) => r.kind === 'http');
    expect(roots).toHaveLength(4);
    for (const root of roots) {
      expect(root).toMatchObject({ detail: 'GET /user', status: 200 });
      const handle = root.frames.map((id) => part.frames.get(id)!).find((f) => f.site.name === 'handle');
      expect(handle?.parent).toBeNull();
      const names = root.frames.map((id) => part.frames.get(id)!.site.name).sort();
      expect(names).toEqual(['handle', 'loadSize', 'loadUser']);
      expectAbout(duration(part.frames.get(root.frames.find((id) => part.frames.get(id)!.site.name === 'loadUser')!)!.awaits[0]!), 30, 150, 25);
    }
    const fetches = part.resources.filter((r) => r.kind === 'fetch');
    expect(fetches).toHaveLength(4);
    const getUsers = framesNamed(part, 'getUser');
    expect(new Set(fetches.map((r) => r.frame))).toEqual(new Set(getUsers.map((f) => f.id)));
    expect(part.resources.filter((r) => r.kind === 'fs' && r.detail.startsWith('readFile'))).toHaveLength(4);
    // getUser frames belong to the process root, handler frames to their request.
    for (const f of getUsers) expect(f.root).toBe(0);
  });
});

describe('http-body', () => {
  it('keeps a handler called from the request body listener in the request root', async () => {
    const run = await runBoth([program('http-body/main.cjs')]);
    same(run);
    expect(run.plain.stdout).toBe('a b\n');
    const part = mainPart(run.trace);
    const roots = [...part.roots.values()].filter((r) => r.kind === 'http');
    expect(roots.map((r) => r.detail)).toEqual(['POST /items', 'POST /items']);
    for (const root of roots) {
      const names = root.frames.map((id) => part.frames.get(id)!.site.name).sort();
      expect(names).toEqual(['save', 'withJsonBody callback']);
    }
    expect(framesNamed(part, 'server.listen callback')).toHaveLength(1);
  });
});

describe('child-worker', () => {
  it('traces the child process and the worker thread into their own parts', async () => {
    const run = await runBoth([program('child-worker/main.mjs')]);
    same(run);
    expect(run.plain.stdout).toBe('child: child done (exit 0)\nworker: worker slept 25ms\n');
    const parent = mainPart(run.trace);
    const worker = run.trace.parts.find((p) => p.pid === parent.pid && p.tid !== 0);
    const child = run.trace.parts.find((p) => p.ppid === parent.pid && p.tid === 0);
    expect(worker?.entry).toMatch(/worker\.mjs$/);
    expect(child?.entry).toMatch(/child\.mjs$/);
    expectAbout(duration(frameNamed(worker!, 'work').awaits[0]!), 25);
    expectAbout(duration(frameNamed(child!, 'work').awaits[0]!), 40);
    expect(parent.resources.map((r) => r.kind).sort()).toEqual(['child_process', 'worker']);
    expect(child!.end).toMatchObject({ clean: true, exitCode: 0 });
  });
});

describe('crashes', () => {
  it('keeps an unhandled rejection identical (stack columns too) and the trace complete', async () => {
    const run = await runBoth([program('crash-rejection/main.mjs')]);
    same(run);
    expect(run.plain.code).toBe(1);
    expect(run.plain.stderr).toContain('main.mjs:4:59');
    const part = mainPart(run.trace);
    expect(part.end).toMatchObject({ clean: true, exitCode: 1 });
    const parses = framesNamed(part, 'parse');
    expect(parses.map((f) => f.threw)).toEqual([false, true]);
    expect(frameNamed(part, 'loadConfig').threw).toBe(true);
  });

  it('keeps an uncaught exception identical in CommonJS, also under --enable-source-maps', async () => {
    for (const nodeArgs of [[], ['--enable-source-maps']]) {
      const run = await runBoth([program('crash-throw/main.cjs')], { nodeArgs });
      same(run);
      expect(run.plain.code).toBe(1);
      expect(mainPart(run.trace).end.exitCode).toBe(1);
    }
  });

  it('keeps process.exit inside an await, and does not call the await it cut short a hang', async () => {
    const run = await runBoth([program('exit-in-await/main.mjs')]);
    same(run);
    expect(run.plain.code).toBe(3);
    const part = mainPart(run.trace);
    const main = frameNamed(part, 'main');
    const exiting = frameNamed(part, 'flushAndExit');
    expect(part.end).toMatchObject({ clean: true, exitCode: 3, exitChain: [exiting.id, main.id] });
    expect(main.end).toBeNull();
    expect(main.awaits.map((a) => [a.site.line, a.site.name, a.end])).toEqual([[12, 'flushAndExit', null]]);
    expect(part.hangs).toEqual([]);
  });

  it("keeps the trace complete when an 'exit' listener calls process.exit (as tape does)", async () => {
    const run = await runBoth([program('exit-listener/main.cjs')]);
    same(run);
    expect(run.plain.stdout).toBe('result 2\nexit listener 0\n');
    const part = mainPart(run.trace);
    expect(part.end).toMatchObject({ clean: true, exitCode: 0, exitChain: [] });
    expect(framesNamed(part, 'step')).toHaveLength(2);
    expect(frameNamed(part, 'main').end).not.toBeNull();
  });

  it('ends its own part cleanly when the program replaces globalThis.process', async () => {
    const run = await runBoth([program('fake-process/main.mjs')]);
    same(run);
    expect(run.plain.stdout).toBe('waited 5\npid seen by the program 4242\n');
    expect(run.trace.parts.map((p) => p.pid)).not.toContain(4242);
    const part = mainPart(run.trace);
    expect(part.end).toMatchObject({ clean: true, exitCode: 0 });
    expect(framesNamed(part, 'work')).toHaveLength(2);
  });
});

describe('hang', () => {
  it('reports a wait far beyond its site usual time, and a deadlock pending at exit', async () => {
    const run = await runBoth([program('hang/main.cjs')]);
    same(run);
    expect(run.plain.stdout).toBe('started\n');
    const part = mainPart(run.trace);
    const slow = part.hangs.filter((h) => h.reason === 'slow');
    expect(slow).toHaveLength(1);
    expect(slow[0]!.site).toMatchObject({ line: 12, name: 'sleep' });
    const poll = part.frames.get(slow[0]!.frame)!;
    expect(slow[0]!.chain).toEqual([poll.id, frameNamed(part, 'main').id]);

    // main waits on both: it shows in their chains, not as a hang of its own.
    const pending = part.hangs.filter((h) => h.reason === 'pending-at-exit');
    const byName = new Map(pending.map((h) => [part.frames.get(h.frame)!.site.name, h]));
    expect([...byName.keys()].sort()).toEqual(['first', 'second']);
    expect(byName.get('first')!.site).toMatchObject({ line: 16 });
    expect(byName.get('second')!.site).toMatchObject({ line: 21 });
    const main = frameNamed(part, 'main');
    expect(byName.get('first')!.chain).toEqual([byName.get('first')!.frame, main.id]);
    expect(byName.get('second')!.chain).toEqual([byName.get('second')!.frame, main.id]);
  });
});

describe('cpu profile (opt-in)', () => {
  it('charges CPU burned in called synchronous functions to them, not to the calling segment', async () => {
    const run = await runBoth([program('cpu-render/main.mjs')], { env: { OVERLAP_TRACE_CPU_PROFILE: '1' } });
    same(run);
    const part = mainPart(run.trace);
    expect(part.profile).toMatchObject({ intervalMs: 1 });
    const segment = frameNamed(part, 'page').segments[1]!;
    expect(segment.end - segment.start).toBeGreaterThan(150);
    const [top] = segment.profile!;
    expect(top).toMatchObject({ name: 'render', line: 5, file: program('cpu-render/main.mjs') });
    expect(top!.ms).toBeGreaterThan(0.9 * (segment.end - segment.start));
    // The flame tree of the segment: rooted at page, render below it with most of the samples.
    const flame = segment.flame!;
    expect(flame).toMatchObject({ name: 'page', file: program('cpu-render/main.mjs') });
    const render = flame.children.find((c) => c.name === 'render')!;
    expect(render.line).toBe(5);
    expect(render.samples).toBeGreaterThan(0.9 * flame.samples);
    expect(flame.samples).toBe(segment.profile!.reduce((sum, c) => sum + c.samples, 0));
  });

  it('records no profile unless asked', async () => {
    const run = await runBoth([program('cpu-render/main.mjs')]);
    expect(mainPart(run.trace).profile).toBeNull();
    expect(frameNamed(mainPart(run.trace), 'page').segments[1]!.profile).toBeUndefined();
    expect(frameNamed(mainPart(run.trace), 'page').segments[1]!.flame).toBeUndefined();
  });
});

describe('hangs at shutdown', () => {
  it('groups identical hangs: 16 requests cut off at the same await are one group of 16', async () => {
    const run = await runBoth([program('hang-shutdown/main.mjs')]);
    same(run);
    const part = mainPart(run.trace);
    const http = [...part.roots.values()].filter((r) => r.kind === 'http');
    expect(http).toHaveLength(16);
    expect(http.every((r) => r.cutOff && r.method === 'GET' && r.route === '/report')).toBe(true);
    expect(part.hangs).toHaveLength(16);
    expect(part.hangGroups).toHaveLength(1);
    const [group] = part.hangGroups;
    expect(group).toMatchObject({ reason: 'pending-at-exit', count: 16, cutOff: 16, site: { line: 6, name: 'sleep' } });
    expect(group!.chain.map((site) => site.name)).toEqual(['loadReport', 'handle']);
    expect(new Set(group!.hangs.map((h) => h.root)).size).toBe(16);
  });
});

describe('signals', () => {
  it('SIGTERM with its default action: same death, trace readable up to the last flush', async () => {
    const run = await runBoth([program('signal/main.mjs')], { kill: { when: 'ready', signal: 'SIGTERM', delayMs: 300 } });
    same(run);
    expect(run.plain.signal).toBe('SIGTERM');
    const part = mainPart(run.trace);
    expect(part.end.clean).toBe(false);
    expect(framesNamed(part, 'tick').length).toBeGreaterThan(5);
    expect(part.hangs.some((h) => h.reason === 'killed')).toBe(true);
  });

  it('SIGINT handled by the program: its handler runs and the trace is complete', async () => {
    const run = await runBoth([program('signal/main.mjs')], { kill: { when: 'ready', signal: 'SIGINT', delayMs: 300 } });
    same(run);
    expect(run.plain).toMatchObject({ code: 0, stdout: 'ready\nstopping after some ticks\n' });
    expect(mainPart(run.trace).end).toMatchObject({ clean: true, exitCode: 0 });
  });
});

describe('http routes', () => {
  it('names each request root by method and route: express and fastify patterns, else the path without query', async () => {
    const run = await runBoth([program('http-routes/main.mjs')]);
    same(run);
    const part = mainPart(run.trace);
    const roots = [...part.roots.values()].filter((r) => r.kind === 'http').sort((a, b) => a.start - b.start);
    expect(roots.map((r) => [r.method, r.route, r.routeFrom, r.status])).toEqual([
      ['GET', '/api/users/:id', 'pattern', 200],
      ['GET', '/users/:id', 'pattern', 200],
      ['GET', '/users/42', 'path', 200],
    ]);
    expect(roots.every((r) => !r.detail.includes('?'))).toBe(true);
  });
});

describe('the --require entry (register.cjs)', () => {
  it('traces a CommonJS entry as the --import entry does, fs promise calls included', async () => {
    const run = await runBoth([program('file-io/main.cjs')], { require: true });
    same(run);
    const part = mainPart(run.trace);
    expect(run.trace.warnings).toEqual([]);
    expect(part.resources.filter((r) => r.kind === 'fs').map((r) => r.detail.split(' ')[0])).toEqual(['mkdtemp', 'writeFile', 'readFile', 'writeFile', 'readFile', 'rm']);
    expect(framesNamed(part, 'roundTrip')).toHaveLength(2);
    expect(part.end).toMatchObject({ clean: true, exitCode: 0 });
  });

  it('traces an ES module entry, its child process and its worker thread', async () => {
    const run = await runBoth([program('child-worker/main.mjs')], { require: true });
    same(run);
    const parent = mainPart(run.trace);
    const worker = run.trace.parts.find((p) => p.pid === parent.pid && p.tid !== 0);
    const child = run.trace.parts.find((p) => p.ppid === parent.pid && p.tid === 0);
    expect(framesNamed(worker!, 'work')).toHaveLength(1);
    expect(framesNamed(child!, 'work')).toHaveLength(1);
    expect(parent.resources.map((r) => r.kind).sort()).toEqual(['child_process', 'worker']);
  });

  it('registers its hooks after a loader given with --import (tsx): sites map to the .ts file', async () => {
    const run = await runBoth([program('tsx/main.ts')], { nodeArgs: ['--import', 'tsx'], require: true });
    same(run);
    const part = mainPart(run.trace);
    expect(framesNamed(part, 'loadScore')).toHaveLength(3);
    expect(frameNamed(part, 'main').awaits[0]!.site).toMatchObject({ file: program('tsx/main.ts'), line: 12, name: 'loadScore' });
  });
});

describe('OVERLAP_TRACE_TEXT=1', () => {
  it('writes the hot events as text lines, read as the same frames and awaits', async () => {
    const out = join(tempDir(), 'trace.ndjson');
    const traced = await runNode([program('sleeps/main.mjs')], { out, env: { OVERLAP_TRACE_TEXT: '1' } });
    expect(traced.stdout).toBe('a b a b\n');
    const bytes = readFileSync(out);
    // every record starts a line: no binary record codes (1 to 6) at the start of any line
    expect(bytes.toString('latin1').split('\n').filter((line) => /^[\x01-\x06]/u.test(line))).toEqual([]);
    expect(bytes.toString('latin1')).toMatch(/^\["W",\d+,\d+,\d+,\d+,0\] *$/mu);
    const trace = parseTrace(bytes);
    expect(trace.warnings).toEqual([]);
    expect(frameNamed(mainPart(trace), 'main').awaits.map((a) => a.site.name)).toEqual(['fetchA', 'fetchB', 'Promise.all', 'new Promise']);
  });
});

describe('typescript', () => {
  it('keeps stack frames and the source line above an uncaught error identical under node --import tsx', async () => {
    const run = await runBoth([program('tsx/main.ts')], { nodeArgs: ['--import', 'tsx'] });
    same(run);
    expect(run.plain.code).toBe(1);
    expect(run.plain.stdout).toContain('    at loadScore (');
    expect(run.plain.stderr).toContain("  await sleep(2); if (id === 'bad') throw new Error(`no score for ${id}`);\n");
    const part = mainPart(run.trace);
    expect(framesNamed(part, 'loadScore')).toHaveLength(3);
    expect(frameNamed(part, 'main').awaits[0]!.site).toMatchObject({ file: program('tsx/main.ts'), line: 12, name: 'loadScore' });
  });

  it('maps sites through the compiled output source map to the .ts file', async () => {
    const source = join(programs, 'typescript/src/main.ts');
    const out = tempDir();
    const compiled = ts.transpileModule(readFileSync(source, 'utf8'), {
      fileName: source,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true },
    });
    mkdirSync(out, { recursive: true });
    const map = JSON.parse(compiled.sourceMapText!) as { sources: string[]; sourceRoot?: string };
    map.sources = [source];
    writeFileSync(join(out, 'main.mjs'), compiled.outputText.replace(/sourceMappingURL=.*$/m, 'sourceMappingURL=main.mjs.map'));
    writeFileSync(join(out, 'main.mjs.map'), JSON.stringify(map));

    for (const nodeArgs of [[], ['--enable-source-maps']]) {
      const run = await runBoth([join(out, 'main.mjs')], { nodeArgs });
      same(run);
      expect(run.plain.stdout).toBe(`u1 u2 ${nodeArgs.length > 0 ? 'source-mapped' : 'compiled'}\n`);
      const part = mainPart(run.trace);
      const main = frameNamed(part, 'main');
      expect(main.site).toMatchObject({ file: source, line: 19 });
      expect(main.awaits.map((a) => [a.site.file, a.site.line, a.site.column])).toEqual([
        [source, 20, 19],
        [source, 21, 19],
      ]);
      expect(framesNamed(part, 'load')[0]!.awaits[0]!.site).toMatchObject({ file: source, line: 10, column: 3 });
    }
  });
});
