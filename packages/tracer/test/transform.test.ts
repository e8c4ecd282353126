import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { parse } from 'acorn';
import { afterEach, describe, expect, it } from 'vitest';
import { instrument, parseTrace } from '@overlap/tracer';
import { readFileSync } from 'node:fs';
import { nowUs, Recorder } from '../src/runtime/recorder.js';
import { Sink } from '../src/runtime/sink.js';
import { tempDir } from './helpers.js';

const KEY = Symbol.for('overlap.tracer.runtime');

function transform(source: string, module = false): string {
  const out = instrument(source, { id: '/virtual/x.js', path: '/virtual/x.js', module, sourceMaps: false });
  if (!out) throw new Error('nothing instrumented');
  return out.code;
}

/** Runs a script (its completion value must be a promise) with a live recorder; returns its result and the trace. */
async function runScript(source: string): Promise<{ value: unknown; trace: ReturnType<typeof parseTrace> }> {
  const file = join(tempDir(), 'trace.ndjson');
  const sink = Sink.open(file, true, 'test', () => {}, nowUs);
  const rec = new Recorder(sink);
  sink.line(JSON.stringify({ type: 'part', pid: process.pid, tid: 0, origin: 0, main: true }) + '\n');
  (globalThis as Record<symbol, unknown>)[KEY] = rec;
  // A vm script's top-level `var` is a global: forget the previous script's runtime lookup.
  for (const name of ['__ovR', '__ovM']) (globalThis as Record<string, unknown>)[name] = undefined;
  const value = await (runInThisContext(transform(source)) as Promise<unknown>);
  sink.close();
  return { value, trace: parseTrace(readFileSync(file)) };
}

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[KEY];
});

describe('instrument', () => {
  it('leaves files without async code alone', () => {
    expect(instrument('const a = 1;\nfunction f() { return a; }\n', { id: 'x', path: 'x', module: false, sourceMaps: false })).toBeUndefined();
    expect(instrument('this is not javascript async', { id: 'x', path: 'x', module: false, sourceMaps: false })).toBeUndefined();
  });

  const shapes: [string, string, boolean][] = [
    ['arrow with an object body', 'const f = async () => ({ a: await g() });\nasync function g() { return 1; }', false],
    ['await of a parenthesised sequence', 'async function f(a, b) {\n  return await (a, b);\n}', false],
    ['nested awaits', 'async function f(x) { return await await x; }', false],
    ['a function directive', "async function f() {\n  'use strict'\n  await 1;\n}", false],
    ['a hashbang and program directive', "#!/usr/bin/env node\n'use strict';\nasync function f() { await 1; }", false],
    ['methods', 'class A { async m() { await 1; } async #p() { await 2; } static async s() { await 3; } }\nconst o = { async m() { await 4; } };', false],
    ['catch without binding and finally', 'async function f() { try { await 1; } catch { await 2; } finally { await 3; } }', false],
    ['for await', 'async function f(items) { for await (const x of items) { await x; } }', false],
    ['async generators (left as they are)', 'async function* g() { yield await 1; }\nasync function f() { for await (const x of g()) {} }', false],
    ['top-level await and exports', "export const f = async () => 1;\nexport default async function () { await f(); }\nawait f();", true],
    ['empty async bodies', "const F = (async function () {}).constructor;\nclass A { async close() {} }\nasync function g() {'use strict'}", false],
    ['ASI before an await statement', 'async function f(a) {\n  let b = a\n  await b\n  return b\n}', false],
  ];
  for (const [name, source, module] of shapes) {
    it(`keeps ${name} valid, on the same lines`, () => {
      const code = transform(source, module);
      expect(() => parse(code, { ecmaVersion: 'latest', sourceType: module ? 'module' : 'script', allowHashBang: true })).not.toThrow();
      const before = source.split('\n');
      const after = code.split('\n');
      // The instrumented text only appends lines at the end (the site table).
      expect(after.length).toBeGreaterThanOrEqual(before.length);
    });
  }

  it('records names and original positions of sites', () => {
    const out = instrument('const load = async (id) => {\n  const user = await db.users.find(id);\n  return user;\n};\n', {
      id: 'x',
      path: '/src/x.js',
      module: false,
      sourceMaps: false,
    });
    expect(out!.sites.map(({ kind, line, column, name }) => ({ kind, line, column, name }))).toEqual([
      { kind: 'module', line: 1, column: 1, name: '' },
      { kind: 'await', line: 2, column: 16, name: 'db.users.find' },
      { kind: 'fn', line: 1, column: 14, name: 'load' },
    ]);
  });
});

describe('names as the user wrote them', () => {
  const names = (source: string) =>
    instrument(source, { id: 'x', path: '/src/x.js', module: false, sourceMaps: false })!.sites.filter((s) => s.kind !== 'module').map((s) => s.name);

  it('reads compiled callees of imports as the imported name', () => {
    // tsc (CommonJS), esbuild (tsx, CommonJS), Babel: named and default imports, called without a `this`.
    const source = [
      'async function a() { return await (0, svc_1.loadUser)(1); }',
      'async function b() { return await (0, import_svc.loadUser)(1); }',
      'async function c() { return await (0, _svc.loadUser)(1); }',
      'async function d() { return await (0, node_fetch_1.default)(url); }',
      'async function e() { return await db_1.users.find(1); }',
      'async function f() { return await _db.query(1); }',
      'async function g() { return await new (0, import_pool.Pool)(1).connect(); }',
    ].join('\n');
    expect(names(source).filter((_, i) => i % 2 === 0)).toEqual([
      'loadUser',
      'loadUser',
      'loadUser',
      'node_fetch',
      'db_1.users.find',
      '_db.query',
      'new (0, import_pool.Pool)(1).connect',
    ]);
  });

  it("names functions wrapped in esbuild's __name (tsx) after the name it gives them", () => {
    const source = [
      'var __name = (target, value) => Object.defineProperty(target, "name", { value, configurable: true });',
      'const sleep = /* @__PURE__ */ __name(async (ms) => { await wait(ms); }, "sleep");',
      'const load = __name(async function () { await (0, __name(fetchIt, "fetchIt"))(); }, "load");',
    ].join('\n');
    expect(names(source)).toEqual(['wait', 'sleep', 'fetchIt', 'load']);
  });
});

describe('source maps', () => {
  it('composes with an input map that names the generated file itself (as tsx does)', () => {
    const map = { version: 3, sources: ['x.ts'], names: [], mappings: 'AAAA;AACA', sourcesContent: ['async function f() {\n  await 1;\n}'] };
    const source = `async function f() {\n  await 1;\n}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
    const out = instrument(source, { id: '/src/x.ts', path: '/src/x.ts', module: false, sourceMaps: true });
    expect(out!.sites.map((s) => [s.kind, s.file, s.line])).toEqual([
      ['module', '/src/x.ts', 1],
      ['await', '/src/x.ts', 2],
      ['fn', '/src/x.ts', 1],
    ]);
    expect(out!.code).toMatch(/sourceMappingURL=data:application\/json;charset=utf-8;base64,/);
    expect(out!.code.split('\n')[1]).toContain('__ovR.s(__ovF,1, 1)');
  });
});

describe('instrumented code behaves as the original', () => {
  it('returns the same values, rethrows the same errors, keeps this and arguments', async () => {
    const source = `(async () => {
      const log = [];
      const obj = { n: 2, async twice(x) { await null; return this.n * x + arguments.length; } };
      log.push(await obj.twice(5));
      const make = async (v) => ({ v: await v });
      log.push((await make(Promise.resolve(7))).v);
      try { await Promise.reject(new RangeError('nope')); } catch (e) { log.push(e instanceof RangeError && e.message); }
      try { await (async () => { throw new TypeError('inner'); })(); } catch (e) { log.push(e.message); } finally { log.push('finally'); }
      async function* gen() { yield 1; yield await 2; }
      for await (const x of gen()) log.push(x);
      for await (const x of [Promise.resolve('p'), 'q']) log.push(x);
      const seq = await (1, 2);
      log.push(seq);
      // Microtask order: instrumentation must not add ticks (for await, awaits, sync and async iterables).
      const order = [];
      async function* two() { yield 1; yield 2; }
      const loop = (async () => { for await (const x of two()) order.push('g' + x); for await (const y of [Promise.resolve('a'), 'b']) order.push(y); })();
      const ticks = (async () => { for (let i = 0; i < 10; i++) { await null; order.push(i); } })();
      await Promise.all([loop, ticks]);
      log.push(order.join(' '));
      return log;
    })()`;
    const plain = await (runInThisContext(source) as Promise<unknown>);
    const { value, trace } = await runScript(source);
    expect(value).toEqual(plain);
    expect((value as unknown[]).slice(0, 10)).toEqual([11, 7, 'nope', 'inner', 'finally', 1, 2, 'p', 'q', 2]);
    const part = trace.parts[0]!;
    const rejected = part.awaits.filter((a) => a.rejected);
    expect(rejected.length).toBe(2);
    const threw = [...part.frames.values()].filter((f) => f.threw);
    expect(threw).toHaveLength(1);
    expect(part.awaits.filter((a) => a.site.kind === 'for-await')).toHaveLength(12);
  });

  it('gives each call the frame that called it as parent, also across awaits', async () => {
    const { trace } = await runScript(`(async function outer() {
      async function leaf(n) { await null; return n; }
      async function mid() { const a = await leaf(1); const b = await leaf(2); return a + b; }
      const x = await mid();
      await Promise.all([leaf(3), mid()]);
      return x;
    })()`);
    const frames = [...trace.parts[0]!.frames.values()];
    const byId = new Map(frames.map((f) => [f.id, f]));
    const parentName = (f: (typeof frames)[number]) => (f.parent === null ? null : byId.get(f.parent)!.site.name);
    const outer = frames.find((f) => f.site.name === 'outer')!;
    expect(parentName(outer)).toBeNull();
    const mids = frames.filter((f) => f.site.name === 'mid');
    expect(mids.map(parentName)).toEqual(['outer', 'outer']);
    const leaves = frames.filter((f) => f.site.name === 'leaf');
    expect(leaves.map(parentName)).toEqual(['mid', 'mid', 'outer', 'mid', 'mid']);
    // The second leaf of each mid was called after mid resumed: segment 1 of mid.
    expect(leaves.map((f) => f.parentSegment)).toEqual([0, 1, 1, 0, 1]);
    expect(outer.awaits[1]!.calls.length).toBe(2);
  });
});

describe('one clock read for two hooks where only call-free code runs between them', () => {
  it('marks the enter and resume hooks followed by call-free code, and no others', () => {
    const code = transform(
      [
        'async function leaf(i) { return i & 7; }',
        'async function step(i) { const v = await leaf(i); return v.n + 1; }',
        'async function pair(p, q) { const a = await p; const b = await q; return [a, b]; }',
        'async function heavy(i) { const v = await leaf(i); return render(v); }',
        'async function loop(xs) { let s = 0; for (const x of xs) s += x; return await s; }',
        'async function nested(i) { if (i) { await leaf(i); } return 1; }',
        'const arrow = async (p) => await p;',
      ].join('\n'),
    );
    const line = (n: number) => code.split('\n')[n]!;
    expect(line(0)).toContain('.E(__ovM,');
    // Enter, then a call of `leaf` (a known async function, see below): its entry and the suspension reuse the start.
    expect(line(1)).toMatch(/\.ek\(__ovM,.*__ovR\.R\(__ovF,await __ovR\.sk\(/);
    // Enter, then `await p` (no call): the suspension reuses the start; the first resume is followed by `await q`.
    expect(line(2)).toMatch(/\.E\(__ovM,.*const a = __ovR\.R\(.*const b = __ovR\.R\(/);
    // A call after the resumption (render) or before the exit (a loop) needs its own clock read.
    expect(line(3)).toMatch(/\.ek\(__ovM,.*__ovR\.r\(__ovF,await/);
    expect(line(4)).toMatch(/\.e\(__ovM,.*__ovR\.R\(__ovF,await/);
    expect(line(5)).toMatch(/\.e\(__ovM,.*__ovR\.r\(__ovF,await __ovR\.sk\(/);
    expect(line(6)).toMatch(/\.E\(__ovM,.*__ovR\.R\(__ovF,await/);
  });

  it('still measures the CPU of a segment that calls something', async () => {
    const { value, trace } = await runScript(`(async () => {
      const busy = (ms) => { const end = Date.now() + ms; while (Date.now() < end); return ms; };
      async function leaf(i) { return i & 7; }
      async function work(i) { const v = await leaf(i); return busy(30) + v; }
      async function quick(i) { const v = await leaf(i); return v + 1; }
      return [await work(1), await quick(2)];
    })()`);
    expect(value).toEqual([31, 3]);
    const frames = [...trace.parts[0]!.frames.values()];
    const last = (name: string) => frames.find((f) => f.site.name === name)!.segments.at(-1)!;
    expect(last('work').end - last('work').start).toBeGreaterThanOrEqual(25);
    // Resumed and exited with only `v + 1` between: one time for both.
    expect(last('quick').end - last('quick').start).toBe(0);
    const leaf = frames.find((f) => f.site.name === 'leaf')!;
    expect(leaf.end).toBe(leaf.start);
  });
});

/** Runs a script whose top-level declarations are its own (they become globals: use names no other test uses). */
async function runTopLevel(source: string): Promise<{ value: unknown; trace: ReturnType<typeof parseTrace> }> {
  const file = join(tempDir(), 'trace.ndjson');
  const sink = Sink.open(file, true, 'test', () => {}, nowUs);
  const rec = new Recorder(sink);
  sink.line(JSON.stringify({ type: 'part', pid: process.pid, tid: 0, origin: 0, main: true }) + '\n');
  (globalThis as Record<symbol, unknown>)[KEY] = rec;
  for (const name of ['__ovR', '__ovM']) (globalThis as Record<string, unknown>)[name] = undefined;
  const value = await (runInThisContext(transform(source)) as Promise<unknown>);
  sink.close();
  return { value, trace: parseTrace(readFileSync(file)) };
}

describe('one clock read shared across a call of a known async function', () => {
  it('shares only for calls of top-level async functions bound once and never assigned, with call-free arguments', () => {
    const hooks = (source: string, module = false) => [...transform(source, module).matchAll(/\.(ek|sk|rk)\(/g)].map((m) => m[1]);
    const known = 'async function leaf(i) { return i; }\n';
    expect(hooks(`${known}async function f(i) { const v = await leaf(i + 1); await null; const w = await leaf(v); return w; }`)).toEqual(['ek', 'sk', 'rk', 'sk']);
    expect(hooks(`export ${known}export default async function g(i) { return await leaf(i); }`, true)).toEqual(['ek', 'sk']);
    // not provably the instrumented function, or not straight after the hook
    expect(hooks(`${known}async function f(i) { return await leaf(g(i)); }`)).toEqual([]);
    expect(hooks(`${known}async function f(i) { return await leaf(...i); }`)).toEqual([]);
    expect(hooks(`${known}async function f(i) { log(i); return await leaf(i); }`)).toEqual(['sk']);
    expect(hooks(`${known}async function f(i) { return await leaf?.(i); }`)).toEqual([]);
    expect(hooks(`${known}leaf = async () => 0;\nasync function f(i) { return await leaf(i); }`)).toEqual([]);
    expect(hooks(`${known}async function f(leaf) { return await leaf(1); }\nasync function g() { return await leaf(1); }`)).toEqual([]);
    expect(hooks(`${known}function h() { var leaf; }\nasync function f() { return await leaf(1); }`)).toEqual([]);
    expect(hooks(`${known}async function f() { return await leaf(eval('1')); }`)).toEqual([]);
    expect(hooks(`function outer() { ${known} }\nasync function f() { return await leaf(1); }`)).toEqual([]);
    expect(hooks(`async function* leaf(i) { yield i; }\nasync function f() { for await (const x of leaf(1)) {} return await leaf(1); }`)).toEqual([]);
  });

  it('gives the callee the caller\'s start and the caller\'s suspension the callee\'s last time, and nothing else', async () => {
    const { value, trace } = await runTopLevel(`
      function kbusy(ms) { const end = Date.now() + ms; while (Date.now() < end); return ms; }
      async function kleaf(i) { return i & 7; }
      async function kstep(i) { const v = await kleaf(i); return v + 1; }
      function kwrap(i) { const p = kleaf(i); kbusy(20); return p; }
      async function kmain() { const a = await kstep(9); const b = await kwrap(3); return a + b; }
      kmain();
    `);
    expect(value).toBe(5);
    const frames = [...trace.parts[0]!.frames.values()];
    const named = (name: string) => frames.filter((f) => f.site.name === name);
    const [main] = named('kmain');
    const [step] = named('kstep');
    const [leafOfStep, leafOfWrap] = named('kleaf');
    // kmain -> kstep -> kleaf in one synchronous run: one time for kstep's start, kleaf, kstep's and kmain's suspensions
    expect(leafOfStep!.start).toBe(step!.start);
    expect(leafOfStep!.end).toBe(step!.start);
    expect(step!.awaits[0]!.start).toBe(step!.start);
    expect(main!.awaits[0]!.start).toBe(step!.start);
    // kwrap is not known (a plain function that busies itself after the call): kmain's await reads its own time
    expect(main!.awaits[1]!.start - leafOfWrap!.end!).toBeGreaterThanOrEqual(15);
  });
});
