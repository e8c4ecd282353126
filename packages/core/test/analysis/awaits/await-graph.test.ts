import { describe, expect, it } from 'vitest';
import { preferConcurrentAwaits } from '../../../src/checks/prefer-concurrent-awaits.js';
import { awaitGraphs } from '../../../src/analysis/awaits/await-graph.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { parseFile } from '../../../src/parse/parse-file.js';

function analysed(text: string) {
  const parsed = parseFile('service.ts', text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.file;
}

const edgesOf = (text: string) =>
  awaitGraphs(analysed(text)).map((g) => g.edges.map((e) => `${e.from}>${e.to} ${e.reason}`));

describe('awaitGraphs', () => {
  it('keeps data edges and marks unclassified callees as unknown, not dependent', () => {
    const text = `export async function f(api: { a(): Promise<number>; b(): Promise<number>; c(x: number): Promise<number> }) {
  const x = await api.a();
  const y = await api.b();
  const z = await api.c(x);
  return x + y + z;
}`;
    expect(edgesOf(text)).toEqual([['0>1 unknown', '0>2 data', '1>2 unknown']]);
  });

  it('gives the handler of issue 12 one data edge, and the finding carries the same graph', () => {
    const text = `import { readFile } from 'node:fs/promises';
export async function page(id: string) {
  const user = await readFile(\`users/\${id}\`, 'utf8');
  const orders = await readFile(\`orders/\${id}\`, 'utf8');
  const team = await readFile(user.trim(), 'utf8');
  const template = await readFile('views/page.html', 'utf8');
  return { user, orders, team, template };
}`;
    const file = analysed(text);
    const [graph] = awaitGraphs(file);
    expect(graph!.awaits).toHaveLength(4);
    expect(graph!.edges.map((e) => `${e.from}>${e.to} ${e.reason}`)).toEqual(['0>2 data']);
    const { findings } = runChecks(file, [{ check: preferConcurrentAwaits }]);
    expect(findings.map((f) => f.messageId)).toEqual(['schedule']);
    expect(findings[0]!.graph).toEqual(graph);
  });

  it('orders awaits in another block after everything before them (control)', () => {
    const text = `import { readFile } from 'node:fs/promises';
export async function f(flag: boolean) {
  const a = await readFile('a', 'utf8');
  const b = await readFile('b', 'utf8');
  if (flag) await readFile('c', 'utf8');
  return a + b;
}`;
    expect(edgesOf(text)).toEqual([['0>2 control', '1>2 control']]);
  });

  it('leaves out functions with fewer than two awaits', () => {
    expect(awaitGraphs(analysed('export async function f() { return await fetch("/x"); }'))).toEqual([]);
  });
});
