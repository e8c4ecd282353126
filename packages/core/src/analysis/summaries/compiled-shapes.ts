import type { TSESTree } from '@typescript-eslint/types';
import { memberName, unwrap } from '../syntax.js';

/**
 * The shapes compilers give calls and imports, seen through to what the source said:
 * - tsc calls an import as `(0, mod_1.fn)(…)` (and Babel as `(0, _mod.fn)(…)`) so that `this` is undefined;
 * - tsc, Babel and esbuild wrap `require` in an interop helper: `__importDefault(require('fs'))`,
 *   `_interopRequireDefault(require('fs'))`, `__toESM(require('./svc'))`.
 */
export function compiledCallee(callee: TSESTree.Node): TSESTree.Node {
  let inner = unwrap(callee);
  while (inner.type === 'SequenceExpression' && inner.expressions.length === 2 && unwrap(inner.expressions[0]!).type === 'Literal') {
    inner = unwrap(inner.expressions[1]!);
  }
  return inner;
}

const interopHelper = /^_*(?:interopRequireDefault|interopRequireWildcard|importDefault|importStar|toESM|toCommonJS|interopDefault|interopNamespace|interopNamespaceDefault|interopDefaultLegacy|interopNamespaceCompat)$/u;

/** The argument of an interop helper call (`require('fs')` in `__importDefault(require('fs'))`), if it is one. */
export function interopArgument(call: TSESTree.CallExpression): TSESTree.Node | undefined {
  const callee = compiledCallee(call.callee);
  const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? memberName(callee) : undefined;
  if (name === undefined || !interopHelper.test(name)) return undefined;
  return call.arguments[0];
}

/** `exports` or `module.exports`, the object a CommonJS module (or tsc's output) exports through. */
export function isExportsObject(node: TSESTree.Node): boolean {
  const inner = unwrap(node);
  if (inner.type === 'Identifier') return inner.name === 'exports';
  return inner.type === 'MemberExpression' && !inner.computed && inner.object.type === 'Identifier' && inner.object.name === 'module' &&
    memberName(inner) === 'exports';
}
