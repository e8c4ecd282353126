import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../src/checks/index.js';
import { runChecks } from '../../src/engine/run-checks.js';
import { parseFile, parsesWithoutErrors } from '../../src/parse/parse-file.js';
import { fixtureSources, fixturesRoot } from '../fixture-sources.js';

const enabled = allChecks.map((check) => ({ check }));

function findingsWith(file: string, text: string, parser: 'oxc' | 'typescript-estree') {
  const parsed = parseFile(file, text, { parser });
  if (!parsed.ok) return { error: parsed.error };
  return runChecks(parsed.file, enabled).findings.map((f) => ({
    ruleId: f.ruleId,
    messageId: f.messageId,
    message: f.message,
    span: f.span,
    confidence: f.confidence,
    edits: f.suggestions.map((s) => s.edits),
  }));
}

describe('parseFile: oxc-parser and typescript-estree give the checks the same trees', () => {
  it.each(fixtureSources().map((file) => [relative(fixturesRoot, file), file]))('same findings on %s', (_name, file) => {
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/u, '');
    expect(findingsWith(file, text, 'oxc')).toEqual(findingsWith(file, text, 'typescript-estree'));
  }, 60_000);

  it('gives oxc trees the lines and columns typescript-estree gives, across astral characters and CRLF', () => {
    const text = 'const s = "😀é";\r\nasync function f() {\r\n  await g(s);\u2028}\n';
    const oxc = parseFile('a.js', text, { parser: 'oxc' });
    const reference = parseFile('a.js', text, { parser: 'typescript-estree' });
    if (!oxc.ok || !reference.ok) throw new Error('did not parse');
    const fn = (ast: typeof oxc.file.ast) => ast.body[1]!;
    expect(fn(oxc.file.ast).loc).toEqual(fn(reference.file.ast).loc);
    expect(fn(oxc.file.ast).range).toEqual(fn(reference.file.ast).range);
  });

  it('reads a .js file with a CommonJS top-level return, which oxc rejects in a module', () => {
    const text = 'if (!process.env.X) return;\nmodule.exports = 1;\n';
    expect(parsesWithoutErrors('legacy.js', text)).toBe(false);
    expect(parseFile('legacy.js', text).ok).toBe(true);
  });

  it('falls back to typescript-estree for what only it accepts (type annotations in a .js file)', () => {
    const text = 'export async function f(a: string) { await a; }\n';
    expect(parsesWithoutErrors('typed.js', text)).toBe(false);
    const parsed = parseFile('typed.js', text);
    const reference = parseFile('typed.js', text, { parser: 'typescript-estree' });
    expect(parsed.ok && reference.ok).toBe(true);
    if (parsed.ok && reference.ok) expect(parsed.file.ast.body.length).toBe(reference.file.ast.body.length);
  });

  it('still reports a file neither parser accepts, in one line', () => {
    const parsed = parseFile('broken.ts', 'class { constructor( }\n');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).not.toContain('\n');
  });
});

describe('parseFile on nesting that would overflow oxc-parser\'s native stack', () => {
  const deep = (n: number) => ({
    'calls.js': `${'g('.repeat(n)}1${')'.repeat(n)};\n`,
    'functions.js': `${'async function f() { '.repeat(n)}${'} '.repeat(n)}\n`,
    'ternary.js': `export const x = ${Array.from({ length: n }, (_, i) => `a${i} ? ${i} :`).join(' ')} 0;\n`,
    'unary.js': `export const x = ${'!'.repeat(n * 5)}a;\n`,
  });

  // oxc's native parser kills the process on these (a segmentation fault, nothing to catch): they must never reach it.
  it.each(Object.entries(deep(10_000)))('%s: a one-line error or a tree, never a crash', (name, text) => {
    expect(parsesWithoutErrors(name, text)).toBe(false);
    const parsed = parseFile(name, text);
    if (!parsed.ok) expect(parsed.error.message).toBe('code nested too deeply to analyse (the parser ran out of stack); file skipped');
  }, 60_000);
});
