import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { Variable } from '@typescript-eslint/scope-manager';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import type { ConcurrencyContext } from './concurrency-context.js';
import { declaringFunction, enclosingFunction, findVariable, isFunctionNode, isModuleLevel, staticPropertyName, type FunctionNode } from './race-ast.js';
import { contains, textOf, unwrap } from '../syntax.js';

/**
 * Which state other executions can reach. A place is a binding or a property path (`count`, `this.stats.hits`,
 * `cache<key>` for a Map entry). It is shared when it hangs off something other executions also hold:
 * - `module`: a module-level (or script-global) binding, or an implicit global (`window.busy`);
 * - `this`: a field of the instance a method runs on;
 * - `captured`: a binding of an enclosing function that a concurrent callback captures (siblings capture it too);
 * - `parameter`: an object reachable from a parameter (callers may pass one object to overlapping calls).
 * Locals, fresh objects held in locals, and the per-request parameters of request handlers are not shared.
 */
export type SharedHow = 'module' | 'this' | 'captured' | 'parameter';

export interface SharedPlace {
  /** Normalised identity: two expressions denote the same state when their keys are equal. */
  readonly key: string;
  /** For `Map` entries: the map's key and the entry key's text, so `has(k)` and `set(k, v)` can be matched. */
  readonly entry?: {
    readonly map: string;
    readonly key: string;
    /** Every argument of the call, normalised, when there is more than a key (`store.get(ns, key)`, `store.set(ns, key, v, ttl)`). */
    readonly args?: readonly string[];
  };
  /** How people write it, as code (no backticks): `this.count`, `cache`. */
  readonly display: string;
  /** For messages, with backticks: "`this.count`", "`cache` entry `key`". */
  readonly label: string;
  readonly how: SharedHow;
  /** True when sharing is certain (module, `this` of a class, captured by concurrent callbacks). */
  readonly clear: boolean;
  /** A few words for messages: "module-level binding". */
  readonly why: string;
}

const mapReadMethods = new Set(['get', 'has']);

/** The shared place an expression denotes, or undefined when it is local, fresh, or not a place at all. */
export function sharedPlaceOf(
  file: AnalyzedFile,
  fn: FunctionNode,
  context: ConcurrencyContext,
  expression: TSESTree.Node,
): SharedPlace | undefined {
  return placeOf(file, fn, context, expression, 0);
}

function placeOf(file: AnalyzedFile, fn: FunctionNode, context: ConcurrencyContext, raw: TSESTree.Node, depth: number): SharedPlace | undefined {
  if (depth > 8) return undefined;
  const node = unwrap(raw);
  switch (node.type) {
    case AST_NODE_TYPES.Identifier:
      return identifierPlace(file, fn, context, node, depth);
    case AST_NODE_TYPES.ThisExpression:
      return thisPlace(fn);
    case AST_NODE_TYPES.MemberExpression: {
      const base = placeOf(file, fn, context, node.object, depth + 1);
      if (!base) return undefined;
      const name = staticPropertyName(node);
      const segment = name !== undefined && !node.computed ? `.${name}` : `[${name ?? normalise(textOf(file.text, node.property))}]`;
      return withSegment(base, segment);
    }
    case AST_NODE_TYPES.CallExpression: {
      const entry = mapEntry(file, fn, context, node, depth, mapReadMethods);
      return entry;
    }
    default:
      return undefined;
  }
}

function withSegment(base: SharedPlace, segment: string): SharedPlace {
  const display = `${base.display}${segment}`;
  return { ...base, key: `${base.key}${segment}`, entry: undefined, display, label: `\`${display}\`` };
}

/**
 * The property `key` of the shared object `object`, as the member expression `object[key]` would name it: what
 * `key in object`, `Object.hasOwn(object, key)` and `object.hasOwnProperty(key)` decide on.
 */
export function propertyPlaceOf(
  file: AnalyzedFile,
  fn: FunctionNode,
  context: ConcurrencyContext,
  object: TSESTree.Node,
  key: TSESTree.Node,
): SharedPlace | undefined {
  const base = placeOf(file, fn, context, object, 1);
  if (!base) return undefined;
  const raw = unwrap(key);
  const text = raw.type === AST_NODE_TYPES.Literal && (typeof raw.value === 'string' || typeof raw.value === 'number') ? String(raw.value) : normalise(textOf(file.text, raw));
  return withSegment(base, `[${text}]`);
}

/** `map.get(k)` / `map.has(k)` / `map.set(k, v)` / `set.add(k)` as the place `map<k>`. */
export function mapEntryOf(
  file: AnalyzedFile,
  fn: FunctionNode,
  context: ConcurrencyContext,
  call: TSESTree.CallExpression,
  methods: ReadonlySet<string>,
): SharedPlace | undefined {
  return mapEntry(file, fn, context, call, 0, methods);
}

function mapEntry(
  file: AnalyzedFile,
  fn: FunctionNode,
  context: ConcurrencyContext,
  call: TSESTree.CallExpression,
  depth: number,
  methods: ReadonlySet<string>,
): SharedPlace | undefined {
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed) return undefined;
  const method = staticPropertyName(callee);
  if (!method || !methods.has(method)) return undefined;
  const keyArgument = call.arguments[0];
  if (!keyArgument || keyArgument.type === AST_NODE_TYPES.SpreadElement) return undefined;
  const map = placeOf(file, fn, context, callee.object, depth + 1);
  if (!map) return undefined;
  const key = normalise(textOf(file.text, keyArgument));
  // A store keyed by several arguments (`cache.get(namespace, key)`) is named by all of them; `set`'s last ones are
  // values, so the place is keyed by the first argument alone and the label shows the whole key of a read.
  const keyArguments = methods.has('set') || call.arguments.length === 1 ? [keyArgument] : call.arguments;
  return {
    ...map,
    key: `${map.key}<${key}>`,
    entry: { map: map.key, key, ...(call.arguments.length > (methods.has('set') ? 2 : 1) ? { args: call.arguments.map((a) => normalise(textOf(file.text, a))) } : {}) },
    display: map.display,
    label: `\`${map.display}\` entry \`${keyArguments.map((a) => textOf(file.text, a)).join(', ')}\``,
  };
}

function normalise(text: string): string {
  return text.replace(/\s+/gu, '').replace(/\?\./gu, '.');
}

function thisPlace(fn: FunctionNode): SharedPlace | undefined {
  // Arrow functions see the `this` of the nearest non-arrow function (or class field initialiser) around them.
  let owner: TSESTree.Node | undefined = fn;
  while (owner && owner.type === AST_NODE_TYPES.ArrowFunctionExpression) {
    const parent: TSESTree.Node | undefined = owner.parent;
    if (parent?.type === AST_NODE_TYPES.PropertyDefinition) return thisOfClass(parent);
    owner = enclosingFunction(owner);
  }
  if (!owner || !isFunctionNode(owner)) return undefined;
  const parent = owner.parent;
  if (parent?.type === AST_NODE_TYPES.MethodDefinition) {
    if (parent.kind === 'constructor') return undefined;
    return thisOfClass(parent);
  }
  if (parent?.type === AST_NODE_TYPES.PropertyDefinition) return thisOfClass(parent);
  if (parent?.type === AST_NODE_TYPES.Property) {
    return { key: 'this', display: 'this', label: '`this`', how: 'this', clear: false, why: 'field of the object this method is called on' };
  }
  return undefined;
}

function thisOfClass(member: TSESTree.MethodDefinition | TSESTree.PropertyDefinition): SharedPlace {
  const operation = perOperationClassName(member);
  if (operation) {
    return { key: 'this', display: 'this', label: '`this`', how: 'this', clear: false, why: `field of a per-operation \`${operation}\`` };
  }
  return { key: 'this', display: 'this', label: '`this`', how: 'this', clear: true, why: 'field of the instance every call shares' };
}

/**
 * Classes named for one operation (a query's `Runner`, a `Cursor`, a request's `Context`, a `Command`): an instance is
 * made per call and used by that call, so two overlapping operations do not share it, unless the module keeps one
 * instance for everyone (`module.exports = new Runner()`, `export default new Runner()`, `export const r = new
 * Runner()`). Their fields are at most possibly shared.
 */
const perOperationClassNames = /(?:Runner|Builder|Command|Cursor|Request|Response|Context|Operation|Query|Iterator|Transaction|Attempt|Execution|Invocation)$/u;

function perOperationClassName(member: TSESTree.MethodDefinition | TSESTree.PropertyDefinition): string | undefined {
  const owner = member.parent?.parent;
  if (owner?.type !== AST_NODE_TYPES.ClassDeclaration && owner?.type !== AST_NODE_TYPES.ClassExpression) return undefined;
  const name = owner.id?.name ?? (owner.parent?.type === AST_NODE_TYPES.VariableDeclarator && owner.parent.id.type === AST_NODE_TYPES.Identifier ? owner.parent.id.name : undefined);
  if (!name || !perOperationClassNames.test(name)) return undefined;
  let program: TSESTree.Node = owner;
  while (program.parent) program = program.parent;
  return program.type === AST_NODE_TYPES.Program && moduleInstanceOf(program, name) ? undefined : name;
}

/** A module-level `new Name(...)`: one instance that every importer shares. */
function moduleInstanceOf(program: TSESTree.Program, name: string): boolean {
  const isNew = (node: TSESTree.Node | null | undefined): boolean => {
    const value = node ? unwrap(node) : undefined;
    return value?.type === AST_NODE_TYPES.NewExpression && value.callee.type === AST_NODE_TYPES.Identifier && value.callee.name === name;
  };
  return program.body.some((statement) => {
    const inner = statement.type === AST_NODE_TYPES.ExportNamedDeclaration || statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ? statement.declaration : statement;
    if (!inner) return false;
    if (inner.type === AST_NODE_TYPES.VariableDeclaration) return inner.declarations.some((d) => isNew(d.init));
    if (inner.type === AST_NODE_TYPES.ExpressionStatement) {
      const expression = inner.expression;
      return isNew(expression) || (expression.type === AST_NODE_TYPES.AssignmentExpression && isNew(expression.right));
    }
    return isNew(inner as TSESTree.Node);
  });
}

function identifierPlace(
  file: AnalyzedFile,
  fn: FunctionNode,
  context: ConcurrencyContext,
  node: TSESTree.Identifier,
  depth: number,
): SharedPlace | undefined {
  const variable = findVariable(file.scopeManager, node);
  if (!variable) {
    if (node.name === 'undefined') return undefined;
    return { key: node.name, display: node.name, label: `\`${node.name}\``, how: 'module', clear: true, why: 'global' };
  }
  if (isModuleLevel(variable)) {
    if (isImportedOrFunction(variable)) {
      // Imported namespaces and functions are objects whose properties may be state, but the binding itself is not.
      return { key: node.name, display: node.name, label: `\`${node.name}\``, how: 'module', clear: true, why: 'module-level binding' };
    }
    return { key: node.name, display: node.name, label: `\`${node.name}\``, how: 'module', clear: true, why: 'module-level binding' };
  }
  const owner = declaringFunction(variable);
  if (!owner) return undefined;
  if (owner === fn || contains(fn, owner)) {
    // Declared in this function: a parameter, or a local that may alias shared state.
    if (isParameter(variable)) {
      // The parameter binding itself is local (`options = {...options}` rebinds it); objects reached through it are not.
      if (depth === 0 || context.perCallParameters || owner !== fn) return undefined;
      return { key: node.name, display: node.name, label: `\`${node.name}\``, how: 'parameter', clear: false, why: 'object passed in by the caller' };
    }
    const alias = aliasTarget(variable);
    return alias ? placeOf(file, fn, context, alias, depth + 1) : undefined;
  }
  // Declared in an enclosing function and captured here. A closure that runs once per call of the function declaring
  // the binding (an IIFE, a `.then` callback, a `once` listener, a `setTimeout` callback) has no sibling that sees
  // the same binding: each call of the outer function has its own.
  if (runsOncePerCallOf(fn, owner)) return undefined;
  const concurrentSiblings = context.kind === 'iteration-callback' || context.kind === 'listener' || context.kind === 'timer';
  if (!concurrentSiblings && context.kind === 'request-handler') return undefined;
  return {
    key: node.name,
    display: node.name,
    label: `\`${node.name}\``,
    how: 'captured',
    clear: concurrentSiblings,
    why: concurrentSiblings ? 'binding captured by every concurrent callback' : 'binding captured from the enclosing function',
  };
}

function isParameter(variable: Variable): boolean {
  return variable.defs.some((def) => def.type === 'Parameter');
}

function isImportedOrFunction(variable: Variable): boolean {
  return variable.defs.some((def) => def.type === 'ImportBinding' || def.type === 'FunctionName' || def.type === 'ClassName');
}

/**
 * The place a local names when it is a never-reassigned alias: `const stats = this.stats`. Properties read
 * through the alias are reads of the aliased state; the alias used bare is a snapshot (handled by the caller).
 */
export function aliasTarget(variable: Variable): TSESTree.Node | undefined {
  if (variable.defs.length !== 1) return undefined;
  const def = variable.defs[0]!;
  if (def.type !== 'Variable') return undefined;
  const declarator = def.node as TSESTree.VariableDeclarator;
  if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) return undefined;
  if (variable.references.some((r) => r.isWrite() && r.identifier !== declarator.id)) return undefined;
  const init = unwrap(declarator.init);
  if (init.type === AST_NODE_TYPES.Identifier || init.type === AST_NODE_TYPES.MemberExpression || init.type === AST_NODE_TYPES.ThisExpression) {
    return init;
  }
  if (init.type === AST_NODE_TYPES.CallExpression) return init;
  return undefined;
}

/** True when `identifier` names a binding local to `fn` (declared in it, not a parameter of a request handler). */
export function localVariableOf(file: AnalyzedFile, fn: FunctionNode, identifier: TSESTree.Identifier): Variable | undefined {
  const variable = findVariable(file.scopeManager, identifier);
  if (!variable || isModuleLevel(variable)) return undefined;
  const owner = declaringFunction(variable);
  if (!owner || !(owner === fn || contains(fn, owner))) return undefined;
  return variable;
}

const onceCallbacks = new Set(['then', 'catch', 'finally', 'once', 'prependOnceListener']);
const onceTimers = new Set(['setTimeout', 'setImmediate', 'queueMicrotask', 'nextTick']);

/** True when every function from `fn` up to (not including) `owner` runs at most once per call of the one around it. */
function runsOncePerCallOf(fn: FunctionNode, owner: FunctionNode): boolean {
  let current: FunctionNode | undefined = fn;
  while (current && current !== owner) {
    if (!runsOncePerParentCall(current)) return false;
    current = enclosingFunction(current);
  }
  return current === owner;
}

function runsOncePerParentCall(fn: FunctionNode): boolean {
  const parent = fn.parent;
  if (!parent || (parent.type !== AST_NODE_TYPES.CallExpression && parent.type !== AST_NODE_TYPES.NewExpression)) return false;
  if (parent.type === AST_NODE_TYPES.NewExpression) {
    return parent.callee.type === AST_NODE_TYPES.Identifier && parent.callee.name === 'Promise' && parent.arguments[0] === fn;
  }
  // An IIFE among others (`Promise.all([(async () => ...)(), (async () => ...)()])`) runs beside its siblings.
  if (parent.callee === fn) return !insideLoop(parent) && parent.parent?.type !== AST_NODE_TYPES.ArrayExpression;
  if (!parent.arguments.includes(fn as TSESTree.CallExpressionArgument)) return false;
  const callee = unwrap(parent.callee);
  const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? staticPropertyName(callee) : undefined;
  if (!name) return false;
  if (callee.type === AST_NODE_TYPES.MemberExpression && onceCallbacks.has(name)) return !insideLoop(parent);
  return onceTimers.has(name) && !insideLoop(parent);
}

/** The call sits in a loop of the function around it: it may run (and register its callback) more than once. */
function insideLoop(call: TSESTree.Node): boolean {
  for (let current = call.parent; current && !isFunctionNode(current); current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
        return true;
      default:
        break;
    }
  }
  return false;
}
