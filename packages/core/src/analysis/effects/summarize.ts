import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { factKey } from '../../engine/fact-cache.js';
import type { EffectSummary } from '../../model/effect.js';
import { resolveIdentifier } from '../references.js';
import { isFunctionLike, unwrap, type FunctionLike } from '../syntax.js';
import { rootContext, summarizeFunctionBody } from './classify.js';

const exportSummariesKey = factKey<Map<string, EffectSummary | undefined>>('overlap:export-summaries');

/**
 * The effects of calling the function a file exports as `exportName` (`default` for the default export), by the
 * same effects model the checks use: what its body calls, following local calls a bounded number of levels and
 * never round a cycle. `undefined` when the export is not a function we can see. The CLI's resolver calls this on
 * the file an import resolves to.
 */
export function summarizeExportEffects(file: AnalyzedFile, exportName: string): EffectSummary | undefined {
  const cache = file.facts.get(exportSummariesKey, () => new Map());
  if (cache.has(exportName)) return cache.get(exportName);
  // Mark first: a resolver that comes back to this file for the same export sees "unknown", not a loop.
  cache.set(exportName, undefined);
  const fn = exportedFunction(file, exportName);
  const summary = fn ? { effects: summarizeFunctionBody(rootContext(file), fn) } : undefined;
  cache.set(exportName, summary);
  return summary;
}

function exportedFunction(file: AnalyzedFile, exportName: string): FunctionLike | undefined {
  for (const statement of file.ast.body) {
    if (statement.type === 'ExportDefaultDeclaration' && exportName === 'default') {
      return functionOf(file, statement.declaration as TSESTree.Node);
    }
    if (statement.type === 'ExportNamedDeclaration') {
      const declaration = statement.declaration;
      if (declaration?.type === 'FunctionDeclaration' && declaration.id?.name === exportName) return declaration;
      if (declaration?.type === 'VariableDeclaration') {
        for (const declarator of declaration.declarations) {
          if (declarator.id.type === 'Identifier' && declarator.id.name === exportName && declarator.init) return functionOf(file, declarator.init);
        }
      }
      if (!statement.source) {
        for (const specifier of statement.specifiers) {
          const exported = specifier.exported.type === 'Identifier' ? specifier.exported.name : String(specifier.exported.value);
          if (exported === exportName) return functionOf(file, specifier.local as TSESTree.Node);
        }
      }
    }
    // CommonJS: `exports.name = …`, `module.exports.name = …`, `module.exports = { name }`.
    if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression') {
      const { left, right } = statement.expression;
      if (left.type === 'MemberExpression' && !left.computed && left.property.type === 'Identifier') {
        const target = left.object;
        const isExports = (target.type === 'Identifier' && target.name === 'exports') || (target.type === 'MemberExpression' && !target.computed && target.property.type === 'Identifier' && target.property.name === 'exports');
        if (isExports && left.property.name === exportName) return functionOf(file, right);
        const isModuleExports = target.type === 'Identifier' && target.name === 'module' && left.property.name === 'exports';
        if (isModuleExports && exportName === 'default' && !isObject(right)) return functionOf(file, right);
        if (isModuleExports && right.type === 'ObjectExpression') {
          for (const property of right.properties) {
            if (property.type === 'Property' && !property.computed && property.key.type === 'Identifier' && property.key.name === exportName) {
              return functionOf(file, property.value as TSESTree.Node);
            }
          }
        }
      }
    }
  }
  return undefined;
}

function isObject(node: TSESTree.Node): boolean {
  return node.type === 'ObjectExpression';
}

function functionOf(file: AnalyzedFile, node: TSESTree.Node, depth = 0): FunctionLike | undefined {
  if (depth > 3) return undefined;
  const inner = unwrap(node);
  if (isFunctionLike(inner)) return inner;
  if (inner.type === 'Identifier') {
    const variable = resolveIdentifier(file, inner);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (def?.type === 'FunctionName') return def.node as FunctionLike;
    if (def?.type === 'Variable') {
      const init = (def.node as TSESTree.VariableDeclarator).init;
      return init ? functionOf(file, init, depth + 1) : undefined;
    }
  }
  return undefined;
}
