import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { factKey } from '../../engine/fact-cache.js';
import type { ReexportedMember } from '../../model/effect.js';
import { isSingleAssignment, resolveModuleMember, variableOf } from '../import-bindings.js';
import { memberName, unwrap } from '../syntax.js';
import { isExportsObject } from './compiled-shapes.js';

/**
 * What a file exports as `exportName` when the value is another module's member rather than a function it defines:
 * a local `util/fs` module that hands on fs-extra. Followed shapes:
 * - `module.exports = require('fs-extra')` (or a name bound to it), and `module.exports = { ...require('fs-extra'), … }`
 *   for a name the literal does not set itself;
 * - `exports.copySync = fsExtra.copySync`, `module.exports.copySync = …`, `module.exports = { copySync: fsExtra.copySync }`;
 * - `export { copySync } from 'fs-extra'`, `export * from 'fs-extra'` (one source only), `export const copySync = fse.copySync`,
 *   `export { copySync }` of such a name, and tsc's `__exportStar(require('fs-extra'), exports)` and
 *   `Object.defineProperty(exports, 'copySync', { get: function () { return fs_extra_1.copySync; } })`.
 * A name assigned more than once, or a module that sets `exports` in a way not listed, gives `undefined`.
 */
export function reexportedMember(file: AnalyzedFile, exportName: string): ReexportedMember | undefined {
  const cache = file.facts.get(cacheKey, () => new Map());
  if (cache.has(exportName)) return cache.get(exportName);
  const found = find(file, exportName);
  cache.set(exportName, found);
  return found;
}

const cacheKey = factKey<Map<string, ReexportedMember | undefined>>('overlap:reexported-members');

function find(file: AnalyzedFile, exportName: string): ReexportedMember | undefined {
  const named: TSESTree.Node[] = [];
  const wholeModule: ReexportedMember[] = [];
  /** `export { copySync } from 'fs-extra'`. */
  const direct: ReexportedMember[] = [];
  let opaque = false;
  const member = (node: TSESTree.Node, steps: readonly string[]): ReexportedMember | undefined => {
    const resolved = resolveModuleMember(file, node);
    if (!resolved) return undefined;
    return { module: resolved.module, source: resolved.source, path: [...resolved.path, ...steps] };
  };
  for (const statement of file.ast.body) {
    if (statement.type === 'ExportNamedDeclaration') {
      if (statement.source) {
        for (const specifier of statement.specifiers) {
          if (specifier.type !== 'ExportSpecifier' || nameOf(specifier.exported) !== exportName) continue;
          const local = nameOf(specifier.local);
          if (local === undefined) opaque = true;
          else direct.push(fromSource(String(statement.source.value), local === 'default' ? [] : [local]));
        }
        continue;
      }
      const declaration = statement.declaration;
      if (declaration?.type === 'VariableDeclaration' && declaration.kind === 'const') {
        for (const declarator of declaration.declarations) {
          if (declarator.id.type === 'Identifier' && declarator.id.name === exportName && declarator.init) named.push(declarator.init);
        }
      } else if (declaration && 'id' in declaration && declaration.id?.type === 'Identifier' && declaration.id.name === exportName) {
        return undefined;
      }
      for (const specifier of statement.specifiers) {
        if (specifier.type === 'ExportSpecifier' && nameOf(specifier.exported) === exportName) named.push(specifier.local);
      }
      continue;
    }
    if (statement.type === 'ExportAllDeclaration') {
      if (statement.exported) continue;
      wholeModule.push(fromSource(String(statement.source.value), []));
      continue;
    }
    if (statement.type !== 'ExpressionStatement') continue;
    const expression = unwrap(statement.expression);
    if (expression.type === 'CallExpression') {
      // tsc: `__exportStar(require("fs-extra"), exports)`.
      const callee = unwrap(expression.callee);
      const helper = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? memberName(callee) : undefined;
      if (helper !== undefined && /^_*exportStar$/u.test(helper) && expression.arguments[0]) {
        const whole = member(expression.arguments[0], []);
        if (whole) wholeModule.push(whole);
        else opaque = true;
        continue;
      }
      const getter = definedGetter(expression, exportName);
      if (getter) named.push(getter);
      continue;
    }
    if (expression.type !== 'AssignmentExpression' || expression.operator !== '=') continue;
    // `exports.a = exports.b = value`: every name of the chain gets the last value.
    let value: TSESTree.Node = expression;
    const targets: TSESTree.Node[] = [];
    while (value.type === 'AssignmentExpression' && value.operator === '=') {
      targets.push(value.left);
      value = unwrap(value.right);
    }
    for (const target of targets) {
      if (target.type !== 'MemberExpression') continue;
      const name = memberName(target);
      if (isExportsObject(target.object) && name === exportName) {
        // tsc's header `exports.a = exports.b = void 0` declares names before their values.
        if (!(value.type === 'UnaryExpression' && value.operator === 'void')) named.push(value);
        continue;
      }
      if (!(target.object.type === 'Identifier' && target.object.name === 'module' && name === 'exports')) continue;
      if (value.type === 'ObjectExpression') {
        let own: TSESTree.Node | undefined;
        const spreads: TSESTree.Node[] = [];
        for (const property of value.properties) {
          if (property.type === 'SpreadElement') spreads.push(property.argument);
          else if (!property.computed && nameOf(property.key) === exportName) own = property.value;
          else if (property.computed) opaque = true;
        }
        if (own) named.push(own);
        else if (spreads.length === 1) {
          const whole = member(spreads[0]!, []);
          if (whole) wholeModule.push(whole);
          else opaque = true;
        } else if (spreads.length > 1) opaque = true;
      } else {
        const whole = member(value, []);
        if (whole) wholeModule.push(whole);
        else opaque = true;
      }
    }
  }
  if (named.length + direct.length > 1) return undefined;
  if (direct.length === 1) return direct[0];
  if (named.length === 1) {
    const node = named[0]!;
    const value = constantValue(file, node);
    return value ? member(value, []) : undefined;
  }
  if (opaque || wholeModule.length !== 1) return undefined;
  const whole = wholeModule[0]!;
  return { ...whole, path: [...whole.path, exportName] };
}

function fromSource(source: string, steps: readonly string[]): ReexportedMember {
  const bare = source.startsWith('node:') ? source.slice('node:'.length) : source;
  return { module: bare, source, path: steps };
}

function nameOf(node: TSESTree.Node): string | undefined {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  return undefined;
}

/** A name that holds one value for good stands for that value; anything else stands for itself. */
function constantValue(file: AnalyzedFile, node: TSESTree.Node): TSESTree.Node | undefined {
  const inner = unwrap(node);
  if (inner.type !== 'Identifier') return inner;
  const variable = variableOf(file, inner);
  if (!variable || !isSingleAssignment(variable)) return undefined;
  const def = variable.defs[0]!;
  if (def.type === 'ImportBinding') return inner;
  if (def.type !== 'Variable') return undefined;
  const declarator = def.node as TSESTree.VariableDeclarator;
  // `const { copySync } = require('fs-extra')` resolves through the name itself.
  return declarator.id.type === 'Identifier' ? declarator.init ?? undefined : inner;
}

/** tsc's named re-export: `Object.defineProperty(exports, "x", { enumerable: true, get: function () { return m_1.x; } })`. */
function definedGetter(call: TSESTree.CallExpression, exportName: string): TSESTree.Node | undefined {
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression' || memberName(callee) !== 'defineProperty') return undefined;
  const [target, key, descriptor] = call.arguments;
  if (!target || !isExportsObject(target) || key?.type !== 'Literal' || key.value !== exportName || descriptor?.type !== 'ObjectExpression') return undefined;
  for (const property of descriptor.properties) {
    if (property.type !== 'Property' || property.computed || nameOf(property.key) !== 'get') continue;
    const getter = unwrap(property.value as TSESTree.Node);
    if (getter.type !== 'FunctionExpression' && getter.type !== 'ArrowFunctionExpression') return undefined;
    if (getter.body.type !== 'BlockStatement') return getter.body;
    const only = getter.body.body.length === 1 ? getter.body.body[0] : undefined;
    return only?.type === 'ReturnStatement' && only.argument ? only.argument : undefined;
  }
  return undefined;
}
