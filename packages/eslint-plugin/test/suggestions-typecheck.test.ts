import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import ts from 'typescript';
import type { InvalidTestCase } from '@typescript-eslint/rule-tester';
import { describe, expect, it } from 'vitest';
import { allChecks, applyEdits, parseFile, runChecks, type RuleId } from '@overlap/core';
import { listRuleFixtures } from '../../../fixtures/expectations.js';
import * as noBlockingInAsync from './rules/no-blocking-in-async.cases.js';
import * as noCheckThenActAcrossAwait from './rules/no-check-then-act-across-await.cases.js';
import * as noStaleWriteAcrossAwait from './rules/no-stale-write-across-await.cases.js';
import * as noUnboundedConcurrency from './rules/no-unbounded-concurrency.cases.js';
import * as preferConcurrentAwaits from './rules/prefer-concurrent-awaits.cases.js';
import * as preferConcurrentIteration from './rules/prefer-concurrent-iteration.cases.js';

/**
 * Applies every suggestion of every rule (the RuleTester outputs and the fixtures' rewrites) and type-checks the
 * result with the TypeScript API: a rewrite may not introduce a single new diagnostic. Diagnostics the original
 * already had (undeclared services in small examples) may stay. This keeps the rewrites honest: types kept through
 * `Promise.all` destructuring, the typed holder of a lazily stored promise, parentheses around an inserted `await`,
 * an added `fs/promises` import that resolves, limiter calls that match their libraries' signatures.
 */
interface Pair {
  readonly name: string;
  readonly language: 'ts' | 'js';
  readonly before: string;
  readonly after: string;
}

const casesByRule: ReadonlyArray<readonly [RuleId, readonly InvalidTestCase<string, readonly unknown[]>[]]> = [
  ['prefer-concurrent-awaits', preferConcurrentAwaits.invalid],
  ['prefer-concurrent-iteration', preferConcurrentIteration.invalid],
  ['no-stale-write-across-await', noStaleWriteAcrossAwait.invalid],
  ['no-check-then-act-across-await', noCheckThenActAcrossAwait.invalid],
  ['no-unbounded-concurrency', noUnboundedConcurrency.invalid],
  ['no-blocking-in-async', noBlockingInAsync.invalid],
];

function casePairs(ruleId: RuleId, cases: readonly InvalidTestCase<string, readonly unknown[]>[]): Pair[] {
  const pairs: Pair[] = [];
  for (const testCase of cases) {
    const language = testCase.languageOptions?.parser ? 'js' : 'ts';
    for (const error of testCase.errors) {
      for (const suggestion of error.suggestions ?? []) {
        pairs.push({ name: `${ruleId}: ${testCase.name ?? testCase.code.slice(0, 30)}`, language, before: testCase.code, after: suggestion.output });
      }
    }
  }
  return pairs;
}

function fixturePairs(): Pair[] {
  const pairs: Pair[] = [];
  for (const fixture of listRuleFixtures()) {
    if (fixture.kind !== 'invalid') continue;
    const text = readFileSync(fixture.file, 'utf8');
    const parsed = parseFile(fixture.file, text);
    if (!parsed.ok) throw new Error(`${fixture.file}: ${parsed.error.message}`);
    for (const finding of runChecks(parsed.file, allChecks.map((check) => ({ check }))).findings) {
      for (const rewrite of finding.suggestions) {
        pairs.push({ name: `fixture ${fixture.ruleId}/${fixture.name} (${finding.ruleId})`, language: fixture.language, before: text, after: applyEdits(text, rewrite.edits) });
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

describe('every suggestion type-checks', () => {
  const pairs = [...casesByRule.flatMap(([ruleId, cases]) => casePairs(ruleId, cases)), ...fixturePairs()];

  it.each(casesByRule.filter(([ruleId]) => allChecks.find((check) => check.meta.id === ruleId)?.meta.hasSuggestions))(
    '%s has suggestions to check',
    (ruleId) => {
      expect(pairs.filter((pair) => pair.name.startsWith(`${ruleId}:`)).length).toBeGreaterThanOrEqual(3);
    },
  );

  it('introduces no diagnostic', () => {
    const beforeFiles = new Map<string, string>(limiterTypes);
    const afterFiles = new Map<string, string>(limiterTypes);
    // Each pair is its own module, so names in one example cannot clash with another's.
    pairs.forEach((pair, index) => {
      const name = `/virtual/case-${index}.${pair.language}`;
      beforeFiles.set(name, `${pair.before}\nexport {};\n`);
      afterFiles.set(name, `${pair.after}\nexport {};\n`);
    });
    const before = diagnostics(beforeFiles);
    const after = diagnostics(afterFiles);
    const problems: string[] = [];
    pairs.forEach((pair, index) => {
      const name = `/virtual/case-${index}.${pair.language}`;
      const added = introduced(before.get(name) ?? [], after.get(name) ?? []);
      if (added.length > 0) problems.push(`${pair.name}:\n  ${added.join('\n  ')}\n${pair.after}`);
    });
    expect(problems).toEqual([]);
  }, 180_000);
});
