import { describe, expect, it } from 'vitest';
import type { TSESTree } from '@typescript-eslint/types';
import { methodSummariesOf } from '../../../src/analysis/races/method-summaries.js';
import { concurrencyOf } from '../../../src/analysis/races/concurrency-context.js';
import type { FunctionNode } from '../../../src/analysis/races/race-ast.js';
import { noCheckThenActAcrossAwait } from '../../../src/checks/no-check-then-act-across-await.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { parseFile } from '../../../src/parse/parse-file.js';
import type { AnalyzedFile } from '../../../src/engine/analyzed-file.js';

function parsed(text: string): AnalyzedFile {
  const result = parseFile('/project/src/service.ts', text);
  if (!result.ok) throw new Error(result.error.message);
  return result.file;
}

function classBody(file: AnalyzedFile, index = 0): TSESTree.ClassBody {
  const classes = file.ast.body.flatMap((s) => {
    const node = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    return node?.type === 'ClassDeclaration' ? [node.body] : [];
  });
  return classes[index]!;
}

const router = `
export class Router {
  private current = '/';
  private html = '';
  navigate(route: string) { this.current = route; return this.render(); }
  private async render() {
    this.html = '';
    const body = await fetch('/page');
    if (this.html !== '') return this.html;
    return this.current + (await body.text());
  }
  async refresh() {
    await this.render();
  }
  async ensure() {
    const token = await fetch('/token');
    this.token = token;
    this.other = null;
  }
  async outer() { await this.ensure(); }
  token: Response | undefined;
  other: unknown;
}
`;

describe('method summaries: what each method of a class does to its fields across its waits', () => {
  it('records fields read as data after a wait, and leaves out fields the method tests after waiting', () => {
    const summaries = methodSummariesOf(parsed(router), classBody(parsed(router)));
    const file = parsed(router);
    const render = methodSummariesOf(file, classBody(file)).get('render')!;
    expect([...render.readsAfterAwait.keys()]).toEqual(['this.current']);
    expect([...render.writesBeforeAwait]).toEqual(['this.html']);
    expect(summaries.get('navigate')!.readsAfterAwait.size).toBe(0);
  });

  it('records fills after a wait, not resets, and passes them up through this.m() calls', () => {
    const file = parsed(router);
    const summaries = methodSummariesOf(file, classBody(file));
    expect([...summaries.get('ensure')!.fillsAfterAwait.keys()]).toEqual(['this.token']);
    expect([...summaries.get('outer')!.fillsAfterAwait.keys()]).toEqual(['this.token']);
    expect(summaries.get('refresh')!.fillsAfterAwait.size).toBe(0);
  });
});

const loader = `
export class Loader {
  private schema: string | undefined;
  async init() { await this.#load(); }
  async #load() {
    if (!this.schema) this.schema = String(await compileSchema('/schema'));
  }
  async reload(names: string[]) {
    for (const name of names) await this.#fill(name);
  }
  async #fill(name: string) {
    if (!this.schema) this.schema = String(await compileSchema(name));
  }
  async public2() {
    if (!this.schema) this.schema = String(await compileSchema('/x'));
  }
}
`;

describe('check-then-act whose callers cannot overlap', () => {
  const file = parsed(loader);
  const methods = classBody(file).body.flatMap((m) => (m.type === 'MethodDefinition' ? [m] : []));
  const fnOf = (name: string) => methods.find((m) => (m.key.type === 'PrivateIdentifier' ? `#${m.key.name}` : (m.key as TSESTree.Identifier).name) === name)!.value as FunctionNode;

  it('a private method called once at start-up, or awaited in turn in a loop, may run concurrently at most', () => {
    expect(concurrencyOf(file, fnOf('#load')).level).toBe('possible');
    expect(concurrencyOf(file, fnOf('#fill')).level).toBe('possible');
    expect(concurrencyOf(file, fnOf('public2')).level).toBe('clear');
  });

  it('reports nothing for an own-state memo whose wait only reads (the same class with fetch)', () => {
    const reading = parsed(loader.replaceAll('compileSchema', 'fetch'));
    expect(runChecks(reading, [{ check: noCheckThenActAcrossAwait }]).findings).toEqual([]);
  });

  it('reports them at medium confidence and other methods at high', () => {
    const findings = runChecks(file, [{ check: noCheckThenActAcrossAwait, options: [{ reportMediumConfidence: true }] }]).findings;
    expect(findings.map((f) => [f.span.start.line, f.confidence])).toEqual([
      [6, 'medium'],
      [12, 'medium'],
      [15, 'high'],
    ]);
  });

  it('reports only the high one at the defaults', () => {
    const findings = runChecks(file, [{ check: noCheckThenActAcrossAwait }]).findings;
    expect(findings.map((f) => [f.span.start.line, f.confidence])).toEqual([[15, 'high']]);
  });
});
