import type { ScopeVariable } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { isNameInUse, resolveVariableMember } from '../../analysis/import-bindings.js';
import { unwrap } from '../../analysis/syntax.js';
import { calledMethodName, isFunctionNode } from '../../analysis/walk-ast.js';
import type { Rewrite } from '../../model/fix.js';
import { lineIndent } from './layout.js';

export type BoundRewriteId = 'useBoundedPMap' | 'usePLimit';

/**
 * Rewrites of `Promise.all(xs.map(f))` offered only when the file already imports a limiter library, so the rewrite
 * adds no dependency: `pMap(xs, fn, { concurrency })` when p-map is imported, else a p-limit limiter when p-limit is.
 */
export function boundedFanOutRewrites(
  file: AnalyzedFile,
  call: TSESTree.CallExpression,
  mapCall: TSESTree.CallExpression,
  collection: TSESTree.Node,
  callback: TSESTree.Node,
  describe: (messageId: BoundRewriteId, data: Record<string, string | number>) => string,
  limit: number,
): Rewrite[] {
  if (call.arguments.length !== 1 || unwrap(call.arguments[0]!) !== mapCall) return [];
  const method = calledMethodName(mapCall);
  if (method !== 'map') return [];
  const node = unwrap(callback);
  const usesArrayArgument = isFunctionNode(node) ? node.params.length > 2 : node.type !== 'Identifier';
  if (usesArrayArgument || mapCall.arguments.length !== 1) return [];
  const imported = importedLimiters(file);
  if (imported.pMap) {
    const data = { pMap: imported.pMap, limit: limit };
    const text = `${imported.pMap}(${textOf(file, collection)}, ${textOf(file, callback)}, { concurrency: ${limit} })`;
    return [{ messageId: 'useBoundedPMap', data, description: describe('useBoundedPMap', data), edits: [{ range: [call.range[0], call.range[1]], text }] }];
  }
  if (imported.pLimit && isFunctionNode(node) && node.type === 'ArrowFunctionExpression') {
    const statement = enclosingStatement(call);
    if (!statement || isNameInUse(file, 'limit')) return [];
    const indent = lineIndent(file.text, statement.range[0]);
    const data = { pLimit: imported.pLimit, limit: limit };
    const paramsText = node.params.length === 0 ? '' : file.text.slice(node.params[0]!.range[0], node.params.at(-1)!.range[1]);
    const bodyText = textOf(file, node.body);
    const body = node.body.type === 'ObjectExpression' ? `(${bodyText})` : bodyText;
    const replacement = `(${paramsText}) => limit(${node.async ? 'async ' : ''}() => ${body})`;
    return [{
      messageId: 'usePLimit',
      data,
      description: describe('usePLimit', data),
      edits: [
        { range: [statement.range[0], statement.range[0]], text: `const limit = ${imported.pLimit}(${limit});\n${indent}` },
        { range: [node.range[0], node.range[1]], text: replacement },
      ],
    }];
  }
  return [];
}

function importedLimiters(file: AnalyzedFile): { pMap?: string; pLimit?: string } {
  const found: { pMap?: string; pLimit?: string } = {};
  const moduleScope = file.scopeManager.globalScope?.childScopes.find((s) => s.type === 'module') ?? file.scopeManager.globalScope;
  if (!moduleScope) return found;
  for (const variable of moduleScope.variables) {
    const def = variable.defs[0];
    if (!def || variable.defs.length !== 1) continue;
    const identifier = def.name as TSESTree.Identifier;
    const member = resolveVariableMember(file, variable as ScopeVariable);
    if (member?.path.length !== 0) continue;
    if (member.module === 'p-map') found.pMap ??= identifier.name;
    if (member.module === 'p-limit') found.pLimit ??= identifier.name;
  }
  return found;
}


function enclosingStatement(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
    const parent = current.parent;
    if (parent?.type === 'BlockStatement' || parent?.type === 'Program' || parent?.type === 'StaticBlock') return current;
    if (parent && isFunctionNode(parent)) return undefined; // concise arrow body: no statement to put the limiter before
  }
  return undefined;
}

function textOf(file: AnalyzedFile, node: TSESTree.Node): string {
  return file.text.slice(node.range[0], node.range[1]);
}
