import type { Variable } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { resolveIdentifier } from '../references.js';
import { isFunctionLike, memberName, staticString, unwrap, type FunctionLike } from '../syntax.js';
import { compiledCallee, interopArgument } from '../summaries/compiled-shapes.js';
import { memberFunction } from '../summaries/local-functions.js';
import { typedCalleeFunction } from '../summaries/typed-callee.js';

/**
 * What a callee names, as far as scope analysis can follow it inside one file:
 * - `module`: something imported or required: `readFile` from `node:fs/promises`, `fs.promises.readFile`,
 *   `axios.get`, a local module's export.
 * - `local`: a function declared in this file (declaration, `const f = async () => …`, a method of `this` class).
 * - `method`: a method of some other object (`db.users.find`, `cache.get`): judged by receiver and name.
 * - `global`: an undeclared name (`fetch`, `setTimeout`).
 * - `other`: a parameter, a computed member, anything else.
 */
export type CalleeTarget =
  | { readonly kind: 'module'; readonly module: string; readonly source: string; readonly path: readonly string[]; readonly name: string }
  | { readonly kind: 'local'; readonly fn: FunctionLike; readonly name: string }
  | { readonly kind: 'method'; readonly receiver: TSESTree.Node; readonly name: string }
  | { readonly kind: 'global'; readonly name: string }
  | { readonly kind: 'other'; readonly name: string };

/** Node's built-in modules we model: `node:` prefix and `/promises` subpaths fold into the base module. */
const builtinBases = new Set([
  'fs', 'timers', 'child_process', 'events', 'stream', 'http', 'https', 'http2', 'net', 'dns', 'zlib', 'crypto',
  'util', 'path', 'readline', 'worker_threads', 'os', 'url', 'querystring', 'assert', 'buffer', 'string_decoder',
]);

export function normaliseSource(source: string): { module: string; path: string[] } {
  const bare = source.startsWith('node:') ? source.slice(5) : source;
  const slash = bare.indexOf('/');
  if (slash > 0 && !bare.startsWith('@') && !bare.startsWith('.')) {
    const base = bare.slice(0, slash);
    const rest = bare.slice(slash + 1);
    if (builtinBases.has(base)) return { module: base, path: rest === 'promises' ? [] : rest.split('/') };
  }
  return { module: bare, path: [] };
}

export function isRelativeSource(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/');
}

type Value =
  | { readonly kind: 'module'; readonly module: string; readonly source: string; readonly path: readonly string[] }
  | { readonly kind: 'local'; readonly fn: FunctionLike }
  | undefined;

/** Follows a value through `const`/`import`/`require`, at most a few steps, to a module member or local function. */
function valueOf(file: AnalyzedFile, node: TSESTree.Node, depth: number): Value {
  if (depth > 4) return undefined;
  const inner = unwrap(node);
  if (isFunctionLike(inner)) return { kind: 'local', fn: inner };
  if (inner.type === 'Identifier') {
    const variable = resolveIdentifier(file, inner);
    return variable ? valueOfVariable(file, variable, depth + 1) : undefined;
  }
  if (inner.type === 'MemberExpression') {
    const name = memberName(inner);
    if (name === undefined) return undefined;
    const object = valueOf(file, inner.object, depth + 1);
    if (object?.kind !== 'module') return undefined;
    // `fs.promises` is the same API as `fs/promises`: drop the step so both look the same to the tables.
    if (name === 'promises' && builtinBases.has(object.module) && object.path.length === 0) return object;
    // `__importDefault(require('fs')).default`: the interop object's `default` is the CommonJS module.
    if (name === 'default' && object.path.length === 0 && unwrap(inner.object).type === 'CallExpression') return object;
    return { ...object, path: [...object.path, name] };
  }
  if (inner.type === 'CallExpression') {
    const source = requireSource(inner);
    if (source !== undefined) return { kind: 'module', source, ...normaliseSource(source) };
    // `promisify(exec)`, `util.promisify(fs.readFile)`: the promisified function does what the original does.
    const calleeName = inner.callee.type === 'Identifier' ? inner.callee.name : inner.callee.type === 'MemberExpression' ? memberName(inner.callee) : undefined;
    if (calleeName === 'promisify' && inner.arguments[0]) return valueOf(file, inner.arguments[0], depth + 1);
    // tsc's `__importDefault(require('fs'))`, esbuild's `__toESM(require('./svc'))`: the module itself.
    const wrapped = interopArgument(inner);
    return wrapped ? valueOf(file, wrapped, depth + 1) : undefined;
  }
  if (inner.type === 'AwaitExpression' && inner.argument.type === 'ImportExpression') {
    const source = staticString(inner.argument.source);
    return source === undefined ? undefined : { kind: 'module', source, ...normaliseSource(source) };
  }
  return undefined;
}

function requireSource(call: TSESTree.CallExpression): string | undefined {
  if (call.callee.type !== 'Identifier' || call.callee.name !== 'require') return undefined;
  return staticString(call.arguments[0]);
}

function valueOfVariable(file: AnalyzedFile, variable: Variable, depth: number): Value {
  if (variable.defs.length !== 1) return undefined;
  const def = variable.defs[0]!;
  if (def.type === 'ImportBinding') {
    // TypeScript's `import x = require('y')`: the module itself, like a namespace import.
    const equals = def.node as TSESTree.Node;
    if (equals.type === 'TSImportEqualsDeclaration') {
      const reference = equals.moduleReference;
      if (reference.type !== 'TSExternalModuleReference' || reference.expression.type !== 'Literal') return undefined;
      const required = String(reference.expression.value);
      return { kind: 'module', source: required, ...normaliseSource(required) };
    }
    const declaration = def.parent as TSESTree.ImportDeclaration | null;
    if (declaration?.type !== 'ImportDeclaration') return undefined;
    const source = String(declaration.source.value);
    const base = normaliseSource(source);
    const spec = def.node as TSESTree.ImportClause;
    if (spec.type === 'ImportSpecifier') {
      const imported = spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value);
      return { kind: 'module', source, module: base.module, path: [...base.path, imported] };
    }
    return { kind: 'module', source, module: base.module, path: base.path };
  }
  if (def.type === 'FunctionName') return { kind: 'local', fn: def.node as FunctionLike };
  if (def.type === 'Variable') {
    const declarator = def.node as TSESTree.VariableDeclarator;
    if (!declarator.init) return undefined;
    // A `let` reassigned later could hold anything.
    if (variable.references.some((r) => r.isWrite() && !r.init)) return undefined;
    if (declarator.id.type === 'Identifier') return valueOf(file, declarator.init, depth);
    if (declarator.id.type === 'ObjectPattern') {
      const from = valueOf(file, declarator.init, depth);
      if (from?.kind !== 'module') return undefined;
      for (const property of declarator.id.properties) {
        if (property.type !== 'Property') continue;
        const value = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
        if (value !== def.name) continue;
        const key = property.key.type === 'Identifier' && !property.computed ? property.key.name : staticString(property.key);
        if (key === undefined) return undefined;
        if (key === 'promises' && builtinBases.has(from.module)) return from;
        return { ...from, path: [...from.path, key] };
      }
    }
  }
  return undefined;
}

/** The class method `this.name` names, when the call sits in a method of a class declared in this file. */
function thisMethod(call: TSESTree.Node, name: string): FunctionLike | undefined {
  for (let node: TSESTree.Node | undefined = call.parent; node; node = node.parent) {
    if (node.type === 'ClassBody') {
      for (const member of node.body) {
        // `#fetch` for private methods, as memberName spells them.
        const key = member.type === 'MethodDefinition' || member.type === 'PropertyDefinition'
          ? member.key.type === 'Identifier' ? member.key.name : member.key.type === 'PrivateIdentifier' ? `#${member.key.name}` : undefined
          : undefined;
        if ((member.type === 'MethodDefinition' || member.type === 'PropertyDefinition') && !member.computed && key === name) {
          const value = member.value;
          if (value && isFunctionLike(value)) return value;
        }
      }
      return undefined;
    }
    // A method of an object literal (`{ async deploy() { await this.upload(); }, upload() {…} }`, serverless-style
    // plugins): `this` is the object the method is called on, whose own methods are the literal's.
    if (node.type === 'FunctionExpression' && node.parent?.type === 'Property' && node.parent.value === node && node.parent.parent?.type === 'ObjectExpression') {
      return literalMethod(node.parent.parent, name);
    }
    // Inside a plain function `this` is not the class instance; arrows keep it.
    if (node.type === 'FunctionDeclaration' || (node.type === 'FunctionExpression' && node.parent?.type !== 'MethodDefinition')) return undefined;
  }
  return undefined;
}

/** The function an object literal holds under `name` (`name() {…}`, `name: function () {…}`, `name: async () => …`). */
function literalMethod(object: TSESTree.ObjectExpression, name: string): FunctionLike | undefined {
  let found: FunctionLike | undefined;
  for (const property of object.properties) {
    // A spread may bring in (or override) any name: the literal alone does not say what `this.name` is.
    if (property.type === 'SpreadElement') return undefined;
    if (property.computed || property.kind !== 'init') continue;
    const key = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'Literal' ? String(property.key.value) : undefined;
    if (key !== name) continue;
    const value = unwrap(property.value as TSESTree.Node);
    found = isFunctionLike(value) ? value : undefined;
  }
  return found;
}

export function resolveCallee(file: AnalyzedFile, callee: TSESTree.Node): CalleeTarget {
  // tsc calls imports as `(0, mod_1.fn)(…)` so that `this` is undefined: the callee is `mod_1.fn`.
  const inner = compiledCallee(callee);
  if (inner.type === 'Identifier') {
    const variable = resolveIdentifier(file, inner);
    if (variable === null) return { kind: 'global', name: inner.name };
    if (variable) {
      const value = valueOfVariable(file, variable, 0);
      if (value?.kind === 'local') return { kind: 'local', fn: value.fn, name: inner.name };
      if (value?.kind === 'module') return { kind: 'module', module: value.module, source: value.source, path: value.path, name: inner.name };
    }
    return { kind: 'other', name: inner.name };
  }
  if (inner.type === 'MemberExpression') {
    const name = memberName(inner);
    if (name === undefined) return { kind: 'other', name: '[computed]' };
    const object = unwrap(inner.object);
    if (object.type === 'ThisExpression') {
      const fn = thisMethod(inner, name);
      if (fn) return { kind: 'local', fn, name: `this.${name}` };
    }
    const value = valueOf(file, object, 0);
    if (value?.kind === 'module') {
      const path = name === 'promises' && value.path.length === 0 ? value.path : [...value.path, name];
      return { kind: 'module', module: value.module, source: value.source, path, name };
    }
    // `api.load()` on an object literal, `Store.open()` on a class, `exports.load()`: declared in this file.
    const member = memberFunction(file, object, name);
    if (member) return { kind: 'local', fn: member, name: `${object.type === 'Identifier' ? object.name : 'this'}.${name}` };
    const typed = typedCalleeFunction(file, inner);
    if (typed) return { kind: 'local', fn: typed, name };
    return { kind: 'method', receiver: object, name };
  }
  return { kind: 'other', name: '' };
}
