import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { factKey } from '../../engine/fact-cache.js';
import type { AwaitEdge, AwaitGraph, AwaitNode } from '../../model/await-graph.js';
import { spanOf } from '../../model/location.js';
import { awaitPointsIn, type AwaitPoint } from './await-points.js';
import { asyncBodiesOf, type AsyncBody } from '../functions.js';
import { awaitRuns } from './independent-awaits.js';
import { shortText } from '../syntax.js';

/**
 * The dependency DAG of every async body's awaits. Awaits of one straight-line run carry the engine's verdicts
 * (data, effect, control, or `unknown` where an unclassified callee was assumed to be a barrier); any other await (in
 * a branch, a loop, a `try`, beside a statement with effects) keeps its place: it gets `control` edges from the awaits
 * before it and to the awaits after it, which is exactly the order the code has today. Computed without
 * `reportUnknownEffects`, so an unclassified callee shows as an `unknown` edge the audit may still price.
 */
const graphsKey = factKey<Map<AsyncBody, AwaitGraph>>('overlap:await-graphs');

function graphsByBody(file: AnalyzedFile): Map<AsyncBody, AwaitGraph> {
  return file.facts.get(graphsKey, () => {
    const runs = awaitRuns(file, { reportUnknownEffects: false });
    const out = new Map<AsyncBody, AwaitGraph>();
    for (const body of asyncBodiesOf(file)) {
      const points = awaitPointsIn(body.type === 'Program' ? body : body.body);
      if (points.length < 2) continue;
      const index = new Map<TSESTree.Node, number>(points.map((p, i) => [p, i]));
      const segment = new Array<number>(points.length).fill(-1);
      const edges = new Map<string, AwaitEdge>();
      const add = (edge: AwaitEdge): void => {
        const key = `${edge.from}>${edge.to}`;
        if (edge.from < edge.to && !edges.has(key)) edges.set(key, edge);
      };
      const bodyRuns = runs.filter((run) => run.body === body);
      bodyRuns.forEach((run, s) => {
        const at = run.awaits.map((a) => index.get(a.item.awaitNode)!);
        for (const i of at) segment[i] = s;
        for (const edge of run.edges) add({ from: at[edge.from]!, to: at[edge.to]!, reason: edge.reason, detail: edge.detail });
      });
      const label = (p: AwaitPoint): string =>
        p.type === 'AwaitExpression' ? `\`${shortText(file.text, p.argument, 40)}\`` : `\`for await (… of ${shortText(file.text, p.right, 30)})\``;
      // Keep today's order across run boundaries: every await outside the previous await's run waits for that whole run.
      for (let i = 1; i < points.length; i++) {
        if (segment[i] !== -1 && segment[i] === segment[i - 1]) continue;
        const before = segment[i - 1] === -1 ? [i - 1] : points.map((_, k) => k).filter((k) => k < i && segment[k] === segment[i - 1]);
        const after = segment[i] === -1 ? [i] : points.map((_, k) => k).filter((k) => k >= i && segment[k] === segment[i]);
        for (const from of before) {
          for (const to of after) add({ from, to, reason: 'control', detail: `${label(points[to]!)} runs after ${label(points[from]!)} in another block, branch or loop` });
        }
      }
      const nodes: AwaitNode[] = points.map((p) => ({ span: spanOf(p), label: label(p) }));
      out.set(body, {
        function: spanOf(body),
        awaits: nodes,
        edges: [...edges.values()].sort((a, b) => a.from - b.from || a.to - b.to),
      });
    }
    return out;
  });
}

/** The await graph of every async function (and module with top-level await) of the file with two or more awaits. */
export function awaitGraphs(file: AnalyzedFile): AwaitGraph[] {
  return [...graphsByBody(file).values()];
}

/** The await graph of one async body, when it has two or more awaits. */
export function awaitGraphOf(file: AnalyzedFile, body: AsyncBody): AwaitGraph | undefined {
  return graphsByBody(file).get(body);
}
