import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../engine/analyzed-file.js';
import { factKey } from '../engine/fact-cache.js';
import { isFunctionLike, walk, walkOwn, type FunctionLike } from './syntax.js';

/** A body whose awaits run in order: an async function, or a module with top-level await. */
export type AsyncBody = FunctionLike | TSESTree.Program;

const asyncBodiesKey = factKey<readonly AsyncBody[]>('overlap:async-bodies');

/** Every async function of the file, and the module itself when it awaits at the top level. Once per file. */
export function asyncBodiesOf(file: AnalyzedFile): readonly AsyncBody[] {
  return file.facts.get(asyncBodiesKey, () => {
    const bodies: AsyncBody[] = [];
    let topLevelAwait = false;
    walk(file.ast, (node) => {
      if (isFunctionLike(node) && node.async) bodies.push(node);
      return true;
    });
    walkOwn(file.ast, (node) => {
      if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await)) topLevelAwait = true;
      return !topLevelAwait;
    });
    if (topLevelAwait) bodies.unshift(file.ast);
    return bodies;
  });
}

/** The statement lists of a body, outside nested functions: blocks, switch cases, the program. */
export function statementListsOf(body: AsyncBody): TSESTree.Statement[][] {
  const lists: TSESTree.Statement[][] = [];
  const root = body.type === 'Program' ? body : body.body;
  walkOwn(root, (node) => {
    if (node.type === 'Program' || node.type === 'BlockStatement' || node.type === 'StaticBlock') lists.push(node.body as TSESTree.Statement[]);
    else if (node.type === 'SwitchCase') lists.push(node.consequent);
    return true;
  });
  return lists;
}
