import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';

/** TypeScript's `TypeFlags.Any | TypeFlags.Unknown`: a type that says nothing. */
const anyOrUnknown = 1 | 2;

/**
 * Whether a call gives back a promise (so `skus.map((s) => loadPrice(s))` inside `Promise.all` starts async work
 * per element), from the call's type: a thenable in every part of a union. `undefined` without type information:
 * an `async` method reached through `this` may still run on one connection that serialises its calls (TypeORM's
 * query runners), so a guess from the declaration alone would raise fan-out findings to high confidence wrongly.
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
  return undefined;
}
