import type { TSESTree } from '@typescript-eslint/types';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../src/parse/parse-file.js';
import type { AnalyzedFile } from '../../../src/engine/analyzed-file.js';
import { rootContext } from '../../../src/analysis/effects/classify.js';
import { summarizeExportEffects } from '../../../src/analysis/effects/summarize.js';
import { summarizeFunction } from '../../../src/analysis/summaries/function-summary.js';
import { exportedFunction } from '../../../src/analysis/summaries/local-functions.js';
import { withNameForUnknown } from '../../../src/analysis/summaries/name-fallback.js';

function parse(text: string, filename = 'service.ts'): AnalyzedFile {
  const result = parseFile(filename, text);
  if (!result.ok) throw new Error(result.error.message);
  return result.file;
}

function summary(text: string, name: string, filename?: string) {
  const file = parse(text, filename);
  const fn = exportedFunction(file, name);
  if (!fn) throw new Error(`no export ${name}`);
  const result = summarizeFunction(rootContext(file), fn);
  return { kinds: result.effects.map((e) => `${e.kind} ${e.resource}`), waitsOnly: result.waitsOnly };
}

describe('function summaries', () => {
  it('a timer is latency inside a function that returns a value, a deliberate wait in one that only waits', () => {
    const text = `const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const prefs = { size: 1 };
export async function loadPrefs() { await delay(50); return prefs; }
export async function sleep(ms: number) { await new Promise((resolve) => setTimeout(resolve, ms)); }`;
    expect(summary(text, 'loadPrefs')).toEqual({ kinds: ['none *'], waitsOnly: false });
    expect(summary(text, 'sleep').waitsOnly).toBe(true);
  });

  it('logging, pure helpers, local collections, predicates and errors add nothing', () => {
    const text = `import { readFile } from 'node:fs/promises';
import _ from 'lodash';
import createDebug from 'debug';
const debug = createDebug('svc');
class NotFoundError extends Error {}
export async function load(path: string, logger: { info(m: string): void }) {
  debug('load %s', path);
  logger.info('load');
  const t0 = performance.now();
  const seen = new Set<string>();
  seen.add(path);
  const text = await readFile(path, 'utf8');
  if (!text) throw new NotFoundError(path);
  const parsed = _.pick(JSON.parse(text), ['a']);
  return parsed.isEmpty() ? null : { parsed, ms: performance.now() - t0 };
}`;
    expect(summary(text, 'load').kinds).toEqual(['read fs:*']);
  });

  it('a bodiless declaration is unknown, never free of effects', () => {
    const file = parse(`declare function prefsOf(): Promise<object>;
export async function page() { return prefsOf(); }`);
    const declaration = file.ast.body[0] as TSESTree.TSDeclareFunction;
    expect(summarizeFunction(rootContext(file), declaration).effects.map((e) => e.kind)).toEqual(['unknown']);
  });

  it('cuts recursion off and still sees every effect of a cycle', () => {
    const text = `import { readdir, unlink } from 'node:fs/promises';
async function even(dir: string): Promise<void> { await readdir(dir); await odd(dir); }
async function odd(dir: string): Promise<void> { await unlink(dir); await even(dir); }
export { even, odd };`;
    const file = parse(text);
    // Summarise the inner function first: its partial summary (cut at the cycle) must not be cached as final.
    const oddFn = exportedFunction(file, 'odd')!;
    const evenFn = exportedFunction(file, 'even')!;
    const kindsOf = (fn: typeof oddFn) => summarizeFunction(rootContext(file), fn).effects.map((e) => e.kind).sort();
    expect(kindsOf(evenFn)).toEqual(['read', 'write']);
    expect(kindsOf(oddFn)).toEqual(['read', 'write']);
  });

  it('finds CommonJS exports past the tsc header exports.a = exports.b = void 0', () => {
    const text = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.save = exports.load = void 0;
const fs_1 = require("fs");
async function load(p) { return fs_1.promises.readFile(p, 'utf8'); }
exports.load = load;
exports.save = async (p, d) => (0, fs_1.writeFile)(p, d);`;
    expect(summarizeExportEffects(parse(text, 'out.js'), 'load')?.effects.map((e) => e.kind)).toEqual(['read']);
    expect(summarizeExportEffects(parse(text, 'out.js'), 'save')?.effects.map((e) => e.kind)).toEqual(['write']);
  });
});

describe('withNameForUnknown', () => {
  it('lets the name stand in for the unknown part of a summary, and only there', () => {
    const unknown = { kind: 'unknown' as const, resource: '*', reason: 'a package call' };
    const read = { kind: 'read' as const, resource: 'fs:*', reason: 'reads' };
    expect(withNameForUnknown([read, unknown], 'getUser', 'getUser').map((e) => e.kind)).toEqual(['read', 'read']);
    expect(withNameForUnknown([unknown], 'frobnicate', 'frobnicate').map((e) => e.kind)).toEqual(['unknown']);
    expect(withNameForUnknown([read], 'saveUser', 'saveUser').map((e) => e.kind)).toEqual(['read']);
    // A write that is itself only a guess (an inner call's name, an HTTP POST) does not outweigh the callee's name.
    const guessedWrite = { kind: 'write' as const, resource: 'http:*', reason: 'a POST', guessed: true };
    expect(withNameForUnknown([guessedWrite], 'getIamPolicy', 'getIamPolicy').map((e) => e.kind)).toEqual(['read']);
    const knownWrite = { kind: 'write' as const, resource: 'fs:out.json', reason: 'writes a file' };
    expect(withNameForUnknown([knownWrite], 'getReport', 'getReport').map((e) => e.kind)).toEqual(['write']);
  });
});
