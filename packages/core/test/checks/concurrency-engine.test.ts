import ts from 'typescript';
import { analyze } from '@typescript-eslint/scope-manager';
import { parseAndGenerateServices } from '@typescript-eslint/typescript-estree';
import type { TSESTree } from '@typescript-eslint/types';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { describe, expect, it } from 'vitest';
import {
  createAnalyzedFile,
  parseFile,
  preferConcurrentAwaits,
  preferConcurrentIteration,
  resolveOptions,
  type AnalyzedFile,
  type CalleeResolver,
  type EffectSummary,
  type Finding,
} from '@overlap/core';

/** Engine-level behaviour the ESLint tests cannot show: the CLI's resolver, type information, related spans. */
function parse(text: string, resolver?: CalleeResolver): AnalyzedFile {
  const result = parseFile('/project/src/handler.ts', text, resolver ? { resolver } : {});
  if (!result.ok) throw new Error(result.error.message);
  return result.file;
}

function awaitsFindings(file: AnalyzedFile, options?: unknown[]): Finding[] {
  return preferConcurrentAwaits.run(file, resolveOptions(preferConcurrentAwaits.meta.defaultOptions, options));
}

function resolverOf(summaries: Record<string, EffectSummary>): CalleeResolver & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    resolveImport(fromFile, source, importedName) {
      calls.push(`${fromFile} ${source} ${importedName}`);
      return summaries[`${source}#${importedName}`];
    },
  };
}

const handler = `import { loadUser, loadOrders } from './repo.js';
export async function page(id: string) {
  const user = await loadUser(id);
  const orders = await loadOrders(id);
  return { user, orders };
}`;

describe('prefer-concurrent-awaits with a resolver (the CLI)', () => {
  it('classifies imported callees by what they do, with high confidence', () => {
    const resolver = resolverOf({
      './repo.js#loadUser': { effects: [{ kind: 'read', resource: 'sql:users', reason: '`SELECT` from users' }] },
      './repo.js#loadOrders': { effects: [{ kind: 'read', resource: 'sql:orders', reason: '`SELECT` from orders' }] },
    });
    const [finding, ...rest] = awaitsFindings(parse(handler, resolver));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ messageId: 'independentPair', confidence: 'high' });
    expect(resolver.calls).toEqual([
      '/project/src/handler.ts ./repo.js loadUser',
      '/project/src/handler.ts ./repo.js loadOrders',
    ]);
  });

  it('keeps the order when the resolver says the first one writes what the second reads', () => {
    const resolver = resolverOf({
      './repo.js#loadUser': { effects: [{ kind: 'write', resource: 'sql:orders', reason: '`UPDATE` orders' }] },
      './repo.js#loadOrders': { effects: [{ kind: 'read', resource: 'sql:orders', reason: '`SELECT` from orders' }] },
    });
    expect(awaitsFindings(parse(handler, resolver))).toEqual([]);
  });

  it('falls back to names (medium) without a resolver', () => {
    expect(awaitsFindings(parse(handler)).map((f) => f.confidence)).toEqual(['medium']);
  });

  it('reports every await of the group as a related location with exact positions', () => {
    const [finding] = awaitsFindings(parse(handler));
    expect(finding!.related.map((r) => [r.role, r.span.start.line, r.span.start.column, r.label])).toEqual([
      ['await', 3, 15, '`await loadUser(id)`'],
      ['await', 4, 17, '`await loadOrders(id)`'],
    ]);
    expect(finding!.span.start).toEqual({ line: 4, column: 17 });
  });

  it('groups unknown effects only when asked to', () => {
    const text = `export async function run(input: string) {
  const a = await transmogrify(input);
  const b = await frobnicate(input);
  return [a, b];
}`;
    expect(awaitsFindings(parse(text))).toEqual([]);
    const [finding] = awaitsFindings(parse(text), [{ reportUnknownEffects: true }]);
    expect(finding).toMatchObject({ confidence: 'medium', data: { effects: 'the effect of `a` is unknown' } });
  });
});

describe('prefer-concurrent-iteration related spans', () => {
  it('names the loop and each await', () => {
    const text = `export async function all(ids: string[]) {
  for (const id of ids) {
    const row = await fetch(\`/items/\${id}\`);
    console.log(row.status);
  }
}`;
    const [finding] = preferConcurrentIteration.run(parse(text), resolveOptions(preferConcurrentIteration.meta.defaultOptions, undefined));
    expect(finding).toMatchObject({ confidence: 'high', span: { start: { line: 2, column: 2 }, end: { line: 2, column: 23 } } });
    expect(finding!.related.map((r) => [r.role, r.span.start.line, r.span.start.column])).toEqual([
      ['loop', 2, 2],
      ['await', 3, 16],
    ]);
  });
});

/** A file parsed with a TypeScript program, as ESLint gives it with `parserOptions.project`. */
function parseWithTypes(text: string): AnalyzedFile {
  const fileName = '/virtual/typed.ts';
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, strict: true, noLib: false, lib: ['lib.es2023.d.ts'], types: [] };
  const host = ts.createCompilerHost(options);
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) => (name === fileName ? ts.createSourceFile(name, text, version, true) : original(name, version, onError));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  const { ast, services } = parseAndGenerateServices(text, { filePath: fileName, programs: [program], loc: true, range: true });
  setParents(ast);
  const scopeManager = analyze(ast, { sourceType: 'module' });
  return createAnalyzedFile({
    filename: fileName,
    text,
    ast,
    scopeManager,
    types: { program: services.program!, esTreeNodeToTSNodeMap: services.esTreeNodeToTSNodeMap },
  });
}

function setParents(root: TSESTree.Node): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const key of visitorKeys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child === 'object' && 'type' in child) {
          (child as { parent: TSESTree.Node }).parent = node;
          stack.push(child as TSESTree.Node);
        }
      }
    }
  }
}

describe('type information sharpens decisions', () => {
  it('does not group awaits of values that are not promises', () => {
    const text = `declare function getUser(id: string): { name: string };
declare function getTeam(id: string): { name: string };
export async function page(id: string) {
  const user = await getUser(id);
  const team = await getTeam(id);
  return [user, team];
}`;
    expect(awaitsFindings(parse(text)).length).toBe(1);
    expect(awaitsFindings(parseWithTypes(text))).toEqual([]);
  });

  it('knows a Map receiver is an in-memory store (high confidence)', () => {
    const text = `const cache = new Map<string, Promise<string>>();
export async function both(a: string, b: string) {
  const first = await cache.get(a);
  const second = await cache.get(b);
  return [first, second];
}`;
    expect(awaitsFindings(parse(text)).map((f) => f.confidence)).toEqual(['medium']);
    expect(awaitsFindings(parseWithTypes(text)).map((f) => f.confidence)).toEqual(['high']);
  });
});
