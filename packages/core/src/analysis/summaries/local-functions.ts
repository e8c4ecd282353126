import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { resolveIdentifier } from '../references.js';
import { isFunctionLike, memberName, unwrap, type FunctionLike } from '../syntax.js';
import { isExportsObject } from './compiled-shapes.js';

/**
 * The function a member call names when the file itself defines it:
 * - `api.load()` where `const api = { async load() {…} }` (or `load: async () => …`, or `load` shorthand for a
 *   function declared here);
 * - `Store.open()` where `class Store { static async open() {…} }` is declared here;
 * - `exports.load()`, `module.exports.load()`, where the file assigns `exports.load = …` (compiled CommonJS).
 * Only objects that hold their first value for good: a `let` reassigned later could hold anything.
 */
export function memberFunction(file: AnalyzedFile, object: TSESTree.Node, name: string): FunctionLike | undefined {
  const inner = unwrap(object);
  if (isExportsObject(inner) && (inner.type !== 'Identifier' || resolveIdentifier(file, inner)?.defs.length !== 1)) {
    return exportedFunction(file, name);
  }
  if (inner.type !== 'Identifier') return undefined;
  const variable = resolveIdentifier(file, inner);
  if (!variable || variable.defs.length !== 1) return undefined;
  const def = variable.defs[0]!;
  if (def.type === 'ClassName') return classMethod(def.node as TSESTree.ClassDeclaration, name, true);
  if (def.type !== 'Variable') return undefined;
  const declarator = def.node as TSESTree.VariableDeclarator;
  if (declarator.id !== def.name || !declarator.init) return undefined;
  if (variable.references.some((reference) => reference.isWrite() && !reference.init)) return undefined;
  const init = unwrap(declarator.init);
  if (init.type === 'ClassExpression') return classMethod(init, name, true);
  if (init.type !== 'ObjectExpression') return undefined;
  for (const property of init.properties) {
    if (property.type !== 'Property' || property.computed || keyName(property.key) !== name) continue;
    return functionValue(file, property.value as TSESTree.Node);
  }
  return undefined;
}

function keyName(key: TSESTree.Node): string | undefined {
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return undefined;
}

function classMethod(declaration: TSESTree.ClassDeclaration | TSESTree.ClassExpression, name: string, isStatic: boolean): FunctionLike | undefined {
  for (const member of declaration.body.body) {
    if (member.type !== 'MethodDefinition' && member.type !== 'PropertyDefinition') continue;
    if (member.static !== isStatic || member.computed || keyName(member.key) !== name) continue;
    const value = member.value;
    return value && isFunctionLike(value) ? value : undefined;
  }
  return undefined;
}

/** A function expression, or a name that holds one for good. */
export function functionValue(file: AnalyzedFile, node: TSESTree.Node, depth = 0): FunctionLike | undefined {
  if (depth > 3) return undefined;
  const inner = unwrap(node);
  if (isFunctionLike(inner)) return inner;
  if (inner.type !== 'Identifier') return undefined;
  const variable = resolveIdentifier(file, inner);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (def?.type === 'FunctionName') return def.node as FunctionLike;
  if (def?.type === 'Variable') {
    const init = (def.node as TSESTree.VariableDeclarator).init;
    return init ? functionValue(file, init, depth + 1) : undefined;
  }
  return undefined;
}

/**
 * The function a file exports as `exportName` (`default` for the default export): ES exports, and CommonJS
 * `exports.name = …`, `module.exports.name = …`, `module.exports = { name }`. tsc's header
 * `exports.a = exports.b = void 0` declares names without values: the search goes on to the real assignment.
 */
export function exportedFunction(file: AnalyzedFile, exportName: string): FunctionLike | undefined {
  for (const statement of file.ast.body) {
    if (statement.type === 'ExportDefaultDeclaration' && exportName === 'default') {
      const found = functionValue(file, statement.declaration as TSESTree.Node);
      if (found) return found;
    }
    if (statement.type === 'ExportNamedDeclaration') {
      const declaration = statement.declaration;
      if (declaration?.type === 'FunctionDeclaration' && declaration.id?.name === exportName) return declaration;
      if (declaration?.type === 'VariableDeclaration') {
        for (const declarator of declaration.declarations) {
          if (declarator.id.type === 'Identifier' && declarator.id.name === exportName && declarator.init) return functionValue(file, declarator.init);
        }
      }
      if (!statement.source) {
        for (const specifier of statement.specifiers) {
          const exported = specifier.exported.type === 'Identifier' ? specifier.exported.name : String(specifier.exported.value);
          if (exported === exportName) return functionValue(file, specifier.local as TSESTree.Node);
        }
      }
    }
    if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression') {
      const found = commonJsExport(file, statement.expression, exportName);
      if (found) return found;
    }
  }
  return undefined;
}

function commonJsExport(file: AnalyzedFile, assignment: TSESTree.AssignmentExpression, exportName: string): FunctionLike | undefined {
  const { left, right } = assignment;
  if (left.type !== 'MemberExpression') return undefined;
  const name = memberName(left);
  if (name === undefined) return undefined;
  if (isExportsObject(left.object) && name === exportName) {
    // `exports.a = exports.b = impl`: every name in the chain gets the last value.
    let value: TSESTree.Node = right;
    while (value.type === 'AssignmentExpression') value = value.right;
    return functionValue(file, value);
  }
  const isModuleExports = left.object.type === 'Identifier' && left.object.name === 'module' && name === 'exports';
  if (!isModuleExports) return undefined;
  if (right.type === 'ObjectExpression') {
    for (const property of right.properties) {
      if (property.type === 'Property' && !property.computed && keyName(property.key) === exportName) return functionValue(file, property.value as TSESTree.Node);
    }
    return undefined;
  }
  return exportName === 'default' ? functionValue(file, right) : undefined;
}
