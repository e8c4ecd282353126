import { describe, expect, it } from 'vitest';
import type { TSESTree } from '@typescript-eslint/types';
import { concurrencyOf } from '../../../src/analysis/races/concurrency-context.js';
import { isFunctionNode, type FunctionNode } from '../../../src/analysis/races/race-ast.js';
import { parseFile } from '../../../src/parse/parse-file.js';
import { createAnalyzedFile, type AnalyzedFile } from '../../../src/engine/analyzed-file.js';
import { analyze } from '@typescript-eslint/scope-manager';

function parsed(filename: string, text: string): AnalyzedFile {
  const result = parseFile(filename, text);
  if (!result.ok) throw new Error(result.error.message);
  return result.file;
}

/** The function whose first line contains `marker` (a comment or a name). */
function functionAt(file: AnalyzedFile, marker: string): FunctionNode {
  const offset = file.text.indexOf(marker);
  if (offset < 0) throw new Error(`no ${marker}`);
  let found: FunctionNode | undefined;
  const visit = (node: TSESTree.Node) => {
    if (isFunctionNode(node) && node.range[0] <= offset && offset <= node.range[1]) {
      if (!found || node.range[0] >= found.range[0]) found = node;
    }
    for (const value of Object.values(node)) {
      if (value && typeof value === 'object' && value !== node.parent) {
        for (const child of Array.isArray(value) ? value : [value]) {
          if (child && typeof child === 'object' && typeof (child as TSESTree.Node).type === 'string' && 'range' in child) visit(child as TSESTree.Node);
        }
      }
    }
  };
  visit(file.ast);
  if (!found) throw new Error(`no function around ${marker}`);
  return found;
}

function levelOf(filename: string, text: string, marker: string) {
  const file = parsed(filename, text);
  return concurrencyOf(file, functionAt(file, marker));
}

describe('concurrencyOf', () => {
  it('treats exported functions, class methods and object exports as clearly concurrent', () => {
    expect(levelOf('a.ts', 'export async function load() { /*here*/ }', '/*here*/')).toMatchObject({ level: 'clear', kind: 'exported' });
    expect(levelOf('a.ts', 'class Repo { async find() { /*here*/ } }', '/*here*/')).toMatchObject({ level: 'clear', kind: 'method' });
    expect(levelOf('a.cjs', 'module.exports = { async get() { /*here*/ } };', '/*here*/')).toMatchObject({ level: 'clear', kind: 'exported' });
    expect(levelOf('a.cjs', 'async function get() { /*here*/ }\nmodule.exports.get = get;', '/*here*/')).toMatchObject({ level: 'clear' });
  });

  it('recognises iteration callbacks, listeners, request handlers and timers', () => {
    expect(levelOf('a.js', 'export function f(xs) { return Promise.all(xs.map(async (x) => { /*here*/ })); }', '/*here*/')).toMatchObject({ kind: 'iteration-callback', level: 'clear' });
    expect(levelOf('a.js', "emitter.on('job', async (job) => { /*here*/ });", '/*here*/')).toMatchObject({ kind: 'listener', perCallParameters: true });
    expect(levelOf('a.js', "app.get('/users/:id', async (req, res) => { /*here*/ });", '/*here*/')).toMatchObject({ kind: 'request-handler', perCallParameters: true });
    expect(levelOf('a.js', 'http.createServer(async (req, res) => { /*here*/ });', '/*here*/')).toMatchObject({ kind: 'request-handler' });
    expect(levelOf('a.js', 'setInterval(async () => { /*here*/ }, 1000);', '/*here*/')).toMatchObject({ kind: 'timer', level: 'clear' });
    expect(levelOf('a.js', 'async function count(p) { /*here*/ }\nexport const run = (ps) => Promise.all(ps.map(count));', '/*here*/')).toMatchObject({ level: 'clear' });
  });

  it('gives functions called from concurrent code a possible level', () => {
    const text = 'async function helper() { /*here*/ }\nexport async function handler() { await helper(); }';
    expect(levelOf('a.js', text, '/*here*/')).toMatchObject({ level: 'possible', kind: 'called' });
  });

  it('does not analyse code that runs once or under a lock', () => {
    expect(levelOf('a.js', '(async () => { /*here*/ })();', '/*here*/').level).toBe('none');
    expect(levelOf('a.js', 'async function main() { /*here*/ }\nmain();', '/*here*/').level).toBe('none');
    expect(levelOf('a.js', 'export function f() { return mutex.runExclusive(async () => { /*here*/ }); }', '/*here*/').level).toBe('none');
    expect(levelOf('a.ts', 'export class A { async m() { const release = await this.lock.acquire(); /*here*/ release(); } }', '/*here*/').level).toBe('none');
    const memoised = 'export class C { connect() { this.p ??= this._connect(); return this.p; } async _connect() { /*here*/ } }';
    expect(levelOf('a.js', memoised, '/*here*/').level).toBe('none');
  });

  it('treats a method that holds a busy flag, and the private helpers only such methods call, as serialised', () => {
    const skipping = 'export class J { async tick() { if (this.closed || this.busy) return; this.busy = true; try { /*here*/ await this.#sweep(); } finally { this.busy = false; } } async #sweep() { /*sweep*/ await this.#warn(); } async #warn() { /*warn*/ } }';
    expect(levelOf('a.js', skipping, '/*here*/')).toMatchObject({ level: 'none', description: 'this function (serialised by the `this.busy` flag)' });
    expect(levelOf('a.js', skipping, '/*sweep*/')).toMatchObject({ level: 'none', description: '`#sweep` (every caller in its class holds the `this.busy` flag)' });
    expect(levelOf('a.js', skipping, '/*warn*/')).toMatchObject({ level: 'none' });
    const waiting = 'export class J { async run() { while (this.#busy) await delay(10); if (this.#stopping) return; this.#busy = true; try { await this.#pass(); } finally { this.#busy = false; } } async #pass() { /*pass*/ } }';
    expect(levelOf('a.js', waiting, '/*pass*/').level).toBe('none');
  });

  it('keeps a busy flag claimed after a wait, a negated guard, and helpers also called without the flag, concurrent', () => {
    const late = 'export class J { async tick() { if (this.busy) return; await warmUp(); this.busy = true; /*here*/ } }';
    expect(levelOf('a.js', late, '/*here*/').level).toBe('clear');
    const negated = 'export class J { async tick() { if (!this.ready) return; this.ready = true; /*here*/ await go(); } }';
    expect(levelOf('a.js', negated, '/*here*/').level).toBe('clear');
    const mixed = 'export class J { async tick() { if (this.busy) return; this.busy = true; await this.#sweep(); this.busy = false; } async sweepNow() { await this.#sweep(); } async #sweep() { /*sweep*/ } }';
    expect(levelOf('a.js', mixed, '/*sweep*/').level).toBe('clear');
    const publicHelper = 'export class J { async tick() { if (this.busy) return; this.busy = true; await this.sweep(); this.busy = false; } async sweep() { /*sweep*/ } }';
    expect(levelOf('a.js', publicHelper, '/*sweep*/').level).toBe('clear');
    const cycle = 'export class J { async #a() { /*a*/ await this.#b(); } async #b() { await this.#a(); } }';
    expect(levelOf('a.js', cycle, '/*a*/').level).not.toBe('none');
  });

  it('treats script-level functions nobody in the file calls as possibly concurrent', () => {
    // Only ESLint users who configure `sourceType: "script"` get classic scripts; parseFile follows ESLint's defaults.
    const module = parsed('page.js', 'async function sync() { /*here*/ }');
    const script = createAnalyzedFile({
      ...module,
      ast: { ...module.ast, sourceType: 'script' },
      scopeManager: analyze(module.ast, { sourceType: 'script' }),
    });
    expect(concurrencyOf(script, functionAt(script, '/*here*/'))).toMatchObject({ level: 'possible', kind: 'script-global' });
  });

  it('treats unreferenced functions of a module or a CommonJS file as not concurrent', () => {
    expect(levelOf('page.js', 'async function sync() { /*here*/ }', '/*here*/')).toMatchObject({ level: 'none' });
    expect(levelOf('page.cjs', 'async function sync() { /*here*/ }', '/*here*/')).toMatchObject({ level: 'none' });
  });
});

describe('functions that cannot overlap themselves (round 4)', () => {
  it("a stream's hooks: a subclass's _transform, an assigned _read, a write option", () => {
    const subclass = `import { Transform } from 'node:stream';\nexport class V extends Transform {\n  async _transform(r, e, cb) { /* hook */ cb(); }\n}\n`;
    expect(levelOf('a.js', subclass, '/* hook */').level).toBe('none');
    const assigned = `export function list(s) {\n  s._read = async () => { /* hook */ await next(); };\n  return s;\n}\n`;
    expect(levelOf('a.js', assigned, '/* hook */').level).toBe('none');
    const option = `import { Writable } from 'node:stream';\nexport const w = new Writable({ async write(c, e, cb) { /* hook */ await put(c); cb(); } });\n`;
    expect(levelOf('a.js', option, '/* hook */').level).toBe('none');
    const plainClass = `export class V {\n  async _transform(r) { /* hook */ await put(r); }\n}\n`;
    expect(levelOf('a.js', plainClass, '/* hook */').level).toBe('clear');
  });

  it('a self-rescheduling poll started once is one chain; started from two places it is not', () => {
    const once = `export class P {\n  start() { this.poll(); }\n  async poll() { /* poll */\n    if (this.stopped) return;\n    await tick();\n    setTimeout(() => this.poll(), 10);\n  }\n}\n`;
    expect(levelOf('a.js', once, '/* poll */').level).toBe('none');
    const twice = once.replace('  start() { this.poll(); }\n', '  start() { this.poll(); }\n  refresh() { this.poll(); }\n');
    expect(levelOf('a.js', twice, '/* poll */').level).toBe('clear');
    const before = once.replace('    await tick();\n    setTimeout(() => this.poll(), 10);\n', '    setTimeout(() => this.poll(), 10);\n    await tick();\n');
    expect(levelOf('a.js', before, '/* poll */').level).toBe('clear');
  });

  it('a helper called once per run of an exported function records its concurrent caller', () => {
    const text = `async function helper() { /* helper */ await x(); }\nexport async function handler() { await helper(); }\n`;
    const context = levelOf('a.js', text, '/* helper */');
    expect([context.level, context.concurrentCaller]).toEqual(['possible', true]);
    const inLoop = `async function helper() { /* helper */ await x(); }\nexport async function handler(xs) { for (const v of xs) await helper(v); }\n`;
    expect(levelOf('a.js', inLoop, '/* helper */').concurrentCaller).toBeUndefined();
  });
});
