import type { TSESTree } from '@typescript-eslint/types';
import { walkOwn } from '../syntax.js';

/** A place where a body waits: an `await` expression (however deeply nested in its statement) or a `for await`. */
export type AwaitPoint = TSESTree.AwaitExpression | TSESTree.ForOfStatement;

/** The await points of `root` in source (statement) order, not counting nested functions. */
export function awaitPointsIn(root: TSESTree.Node): AwaitPoint[] {
  const points: AwaitPoint[] = [];
  walkOwn(root, (node) => {
    if (node.type === 'AwaitExpression') points.push(node);
    else if (node.type === 'ForOfStatement' && node.await) points.push(node);
    return true;
  });
  return points.sort((a, b) => a.range[0] - b.range[0]);
}

export function containsAwait(root: TSESTree.Node): boolean {
  let found = false;
  walkOwn(root, (node) => {
    if (node.type === 'AwaitExpression' || node.type === 'YieldExpression' || (node.type === 'ForOfStatement' && node.await)) found = true;
    return !found;
  });
  return found;
}
