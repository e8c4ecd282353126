import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { resolveCallee } from '../effects/callee.js';

/** TypeScript's `TypeFlags.Any | TypeFlags.Unknown`: a type that says nothing. */
const anyOrUnknown = 1 | 2;

/**
 * Whether a call gives back a promise (so `skus.map((s) => loadPrice(s))` inside `Promise.all` starts async work
 * per element). With type information, from the call's type: a thenable in every part of a union. Without, when it
 * calls an `async` function this file defines. `undefined` when nobody can tell.
 */
export function returnsPromise(file: AnalyzedFile, call: TSESTree.CallExpression | TSESTree.NewExpression): boolean | undefined {
  const types = file.types;
  const tsNode = types?.esTreeNodeToTSNodeMap.get(call);
  if (types && tsNode) {
    const type = types.program.getTypeChecker().getTypeAtLocation(tsNode);
    if (!(type.flags & anyOrUnknown)) {
      const parts = type.isUnion() ? type.types : [type];
      return parts.every((part) => !(part.flags & anyOrUnknown) && part.getProperty('then') !== undefined);
    }
  }
  if (call.type !== 'CallExpression') return undefined;
  const target = resolveCallee(file, call.callee);
  if (target.kind === 'local' && target.fn.async) return true;
  return undefined;
}
