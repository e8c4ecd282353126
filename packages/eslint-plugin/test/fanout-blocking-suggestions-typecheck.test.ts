import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { allChecks, parseFile, runChecks } from '@overlap/core';
import { listRuleFixtures } from '../../../fixtures/expectations.js';
import * as unboundedCases from './rules/no-unbounded-concurrency.cases.js';
import * as blockingCases from './rules/no-blocking-in-async.cases.js';

/**
 * Applies every suggestion of no-unbounded-concurrency and no-blocking-in-async (RuleTester outputs and fixture
 * rewrites) and type-checks the result with the TypeScript API: a rewrite may not add a diagnostic. This keeps the
 * `await` insertion honest (parentheses before a member access, an added `fs/promises` import that resolves) and the
 * limiter rewrites well-formed. Same harness as race-suggestions-typecheck.test.ts.
 */
interface Pair {
  readonly name: string;
  readonly language: 'ts' | 'js';
  readonly before: string;
  readonly after: string;
}

const ownRules = new Set(['no-unbounded-concurrency', 'no-blocking-in-async']);

function casePairs(prefix: string, cases: typeof unboundedCases.invalid | typeof blockingCases.invalid): Pair[] {
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
    if (!ownRules.has(fixture.ruleId) || fixture.kind !== 'invalid') continue;
    const text = readFileSync(fixture.file, 'utf8');
    const parsed = parseFile(fixture.file, text);
    if (!parsed.ok) throw new Error(`${fixture.file}: ${parsed.error.message}`);
    for (const finding of runChecks(parsed.file, allChecks.map((check) => ({ check }))).findings) {
      if (!ownRules.has(finding.ruleId)) continue;
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

/**
 * The published signatures of p-map 7 and p-limit 6 (abridged to what the rewrites use), so a rewrite into them is
 * type-checked with the contextual types a project that has them installed would see.
 */
const limiterTypes = new Map<string, string>([
  ['/virtual/node_modules/p-map/index.d.ts', `export type Options = { readonly concurrency?: number; readonly stopOnError?: boolean; readonly signal?: AbortSignal };
export type Mapper<Element = any, NewElement = unknown> = (element: Element, index: number) => NewElement | Promise<NewElement>;
export default function pMap<Element, NewElement>(input: AsyncIterable<Element | Promise<Element>> | Iterable<Element | Promise<Element>>, mapper: Mapper<Element, NewElement>, options?: Options): Promise<Array<Exclude<NewElement, symbol>>>;
`],
  ['/virtual/node_modules/p-map/package.json', '{ "name": "p-map", "types": "index.d.ts" }'],
  ['/virtual/node_modules/p-limit/index.d.ts', `export type LimitFunction = {
  readonly activeCount: number;
  readonly pendingCount: number;
  <Arguments extends unknown[], ReturnType>(fn: (...arguments_: Arguments) => PromiseLike<ReturnType> | ReturnType, ...arguments_: Arguments): Promise<ReturnType>;
};
export default function pLimit(concurrency: number): LimitFunction;
`],
  ['/virtual/node_modules/p-limit/package.json', '{ "name": "p-limit", "types": "index.d.ts" }'],
]);

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
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (dir) => [...files.keys()].some((file) => file.startsWith(`${dir}/`)) || (directoryExists?.(dir) ?? false);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => files.has(fileName) || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => files.get(fileName) ?? readFile(fileName);
  const program = ts.createProgram([...files.keys()].filter((file) => !file.includes('/node_modules/')), options, host);
  const out = new Map<string, string[]>();
  for (const fileName of files.keys()) {
    if (fileName.includes('/node_modules/')) continue;
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

describe('every fan-out and blocking-call suggestion type-checks', () => {
  const pairs = [
    ...casePairs('no-unbounded-concurrency', unboundedCases.invalid),
    ...casePairs('no-blocking-in-async', blockingCases.invalid),
    ...fixturePairs(),
  ];

  it('has suggestions to check', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(10);
  });

  it('introduces no diagnostic', () => {
    const beforeFiles = new Map<string, string>();
    const afterFiles = new Map<string, string>();
    // Each pair is its own module, so names in one example cannot clash with another's.
    pairs.forEach((pair, index) => {
      const name = `/virtual/fanout-blocking-${index}.${pair.language}`;
      beforeFiles.set(name, `${pair.before}\nexport {};\n`);
      afterFiles.set(name, `${pair.after}\nexport {};\n`);
    });
    for (const [file, text] of limiterTypes) {
      beforeFiles.set(file, text);
      afterFiles.set(file, text);
    }
    const before = diagnostics(beforeFiles);
    const after = diagnostics(afterFiles);
    const problems: string[] = [];
    pairs.forEach((pair, index) => {
      const name = `/virtual/fanout-blocking-${index}.${pair.language}`;
      const added = introduced(before.get(name) ?? [], after.get(name) ?? []);
      if (added.length > 0) problems.push(`${pair.name}:\n  ${added.join('\n  ')}\n${pair.after}`);
    });
    expect(problems).toEqual([]);
  }, 120_000);
});
