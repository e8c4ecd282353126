import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../src/checks/index.js';
import { mayHaveFindings } from '../../src/engine/prefilter.js';
import { runChecks } from '../../src/engine/run-checks.js';
import { parseFile } from '../../src/parse/parse-file.js';
import { fixtureSources, fixturesRoot } from '../fixture-sources.js';

const enabled = allChecks.map((check) => ({ check }));

describe('mayHaveFindings, the text prefilter of the CLI', () => {
  const sources = fixtureSources();

  it.each(sources.filter((file) => /[/\\]invalid[/\\]/u.test(file)).map((file) => [relative(fixturesRoot, file), file]))(
    'lets every failing rule fixture through: %s',
    (_name, file) => {
      expect(mayHaveFindings(readFileSync(file, 'utf8'))).toBe(true);
    },
  );

  it('never hides a finding of any check on any fixture source', () => {
    const hidden: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      if (mayHaveFindings(text)) continue;
      const parsed = parseFile(file, text, { parser: 'typescript-estree' });
      if (!parsed.ok) continue;
      const { findings } = runChecks(parsed.file, enabled);
      if (findings.length > 0) hidden.push(`${relative(fixturesRoot, file)}: ${findings.map((f) => f.ruleId).join(', ')}`);
    }
    expect(hidden).toEqual([]);
  }, 120_000);

  it.each([
    ['an async function', 'export async function f() { return 1; }'],
    ['a top-level await', 'await import("./x.js");'],
    ['a Promise combinator', 'export const all = (xs) => Promise.all(xs.map((x) => fetch(x)));'],
    ['a Promise combinator across a line break', 'Promise\n  .allSettled(jobs)'],
    ['p-map', "import pMap from 'p-map'; pMap(items, save);"],
    ['Atomics.wait in a handler', "http.createServer((req, res) => { Atomics.wait(view, 0, 0); res.end(); });"],
    ['a synchronous read in a route handler', "const fs = require('fs'); app.get('/x', (req, res) => res.send(fs.readFileSync('a')));"],
    ["execa's sync", "const { sync } = require('execa'); app.post('/run', () => sync('ls'));"],
  ])('lets through %s', (_what, text) => {
    expect(mayHaveFindings(text)).toBe(true);
  });

  it.each([
    ['plain synchronous code', 'export function add(a, b) { return a + b; }\nmodule.exports = { add };'],
    ['a promise built but never combined', 'module.exports = () => new Promise((resolve) => setTimeout(resolve, 10));'],
    ['words that only contain the keywords', 'const asynchronous = 1; const awaiting = 2; // Synchronize'],
  ])('skips %s', (_what, text) => {
    expect(mayHaveFindings(text)).toBe(false);
  });
});
