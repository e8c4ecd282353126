import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { allChecks, parseFile, runChecks } from '@overlap/core';
import { listRuleFixtures } from '../../../fixtures/expectations.js';
import * as staleCases from './rules/no-stale-write-across-await.cases.js';
import * as checkThenActCases from './rules/no-check-then-act-across-await.cases.js';

/**
 * Applies every suggestion of the shared-state race rules (RuleTester outputs and fixture rewrites) and type-checks
 * the result with the TypeScript API: a rewrite may not add a diagnostic. The lazy-initialisation rewrite declares a
 * holder typed from the slot (`Promise<NonNullable<Repo['conn']>>`), which is what this test keeps honest.
 */
interface Pair {
  readonly name: string;
  readonly language: 'ts' | 'js';
  readonly before: string;
  readonly after: string;
}

const raceRules = new Set(['no-stale-write-across-await', 'no-check-then-act-across-await']);

function casePairs(prefix: string, cases: typeof staleCases.invalid | typeof checkThenActCases.invalid): Pair[] {
  const pairs: Pair[] = [];
  for (const testCase of cases) {
    const language = testCase.languageOptions?.parser ? 'js' : 'ts';
    for (const error of testCase.errors) {
      for (const suggestion of error.suggestions ?? []) {
        pairs.push({ name: `${prefix}: ${testCase.name ?? testCase.code.slice(0, 30)}`, language, before: testCase.code, after: suggestion.output });
      }
    }
  }
  return pairs;
}

function fixturePairs(): Pair[] {
  const pairs: Pair[] = [];
  for (const fixture of listRuleFixtures()) {
    if (!raceRules.has(fixture.ruleId) || fixture.kind !== 'invalid') continue;
    const text = readFileSync(fixture.file, 'utf8');
    const parsed = parseFile(fixture.file, text);
    if (!parsed.ok) throw new Error(`${fixture.file}: ${parsed.error.message}`);
    for (const finding of runChecks(parsed.file, allChecks.map((check) => ({ check }))).findings) {
      if (!raceRules.has(finding.ruleId)) continue;
      for (const rewrite of finding.suggestions) {
        let after = text;
        for (const edit of [...rewrite.edits].sort((a, b) => b.range[0] - a.range[0])) {
          after = after.slice(0, edit.range[0]) + edit.text + after.slice(edit.range[1]);
        }
        pairs.push({ name: `fixture ${fixture.ruleId}/${fixture.name}`, language: fixture.language, before: text, after });
      }
    }
  }
  return pairs;
}

const require = createRequire(import.meta.url);
const typeRoots = [join(dirname(require.resolve('@types/node/package.json')), '..')];
const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  noEmit: true,
  allowJs: true,
  checkJs: false,
  skipLibCheck: true,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  typeRoots,
};

/** Diagnostics per virtual file, as `TS<code>: <message>` strings (positions move with a rewrite; messages do not). */
function diagnostics(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError) => {
    const text = files.get(fileName);
    return text !== undefined ? ts.createSourceFile(fileName, text, languageVersion, true) : getSourceFile(fileName, languageVersion, onError);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => files.has(fileName) || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => files.get(fileName) ?? readFile(fileName);
  const program = ts.createProgram([...files.keys()], options, host);
  const out = new Map<string, string[]>();
  for (const fileName of files.keys()) {
    const sourceFile = program.getSourceFile(fileName)!;
    const list = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    out.set(fileName, list.map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`));
  }
  return out;
}

function introduced(before: readonly string[], after: readonly string[]): string[] {
  const remaining = [...before];
  return after.filter((message) => {
    const index = remaining.indexOf(message);
    if (index === -1) return true;
    remaining.splice(index, 1);
    return false;
  });
}

describe('every race-rule suggestion type-checks', () => {
  const pairs = [
    ...casePairs('no-stale-write-across-await', staleCases.invalid),
    ...casePairs('no-check-then-act-across-await', checkThenActCases.invalid),
    ...fixturePairs(),
  ];

  it('has suggestions to check', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(20);
  });

  it('introduces no diagnostic', () => {
    const beforeFiles = new Map<string, string>();
    const afterFiles = new Map<string, string>();
    // Each pair is its own module, so names in one example cannot clash with another's.
    pairs.forEach((pair, index) => {
      const name = `/virtual/race-${index}.${pair.language}`;
      beforeFiles.set(name, `${pair.before}\nexport {};\n`);
      afterFiles.set(name, `${pair.after}\nexport {};\n`);
    });
    const before = diagnostics(beforeFiles);
    const after = diagnostics(afterFiles);
    const problems: string[] = [];
    pairs.forEach((pair, index) => {
      const name = `/virtual/race-${index}.${pair.language}`;
      const added = introduced(before.get(name) ?? [], after.get(name) ?? []);
      if (added.length > 0) problems.push(`${pair.name}:\n  ${added.join('\n  ')}\n${pair.after}`);
    });
    expect(problems).toEqual([]);
  }, 120_000);
});
