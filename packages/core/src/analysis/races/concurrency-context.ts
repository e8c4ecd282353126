import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { Variable } from '@typescript-eslint/scope-manager';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { factKey } from '../../engine/fact-cache.js';
import { calleeName, calleeObjectName, enclosingFunction, findVariable, isFunctionNode, type FunctionNode } from './race-ast.js';
import { contains, unwrap } from '../syntax.js';

/**
 * Whether a function may run concurrently with itself or with other code touching the same state. A race across
 * an `await` needs two executions that interleave; ESLint's `require-atomic-updates` never asked, and flagged code
 * that runs once (a CLI's main, an IIFE). See docs/decisions/0002-concurrency-context.md.
 *
 * - `clear`: exported functions, class methods, callbacks handed to `map`/`forEach`/`Promise.all`, event
 *   listeners, request handlers, timers, and named functions passed to any of those.
 * - `possible`: functions called from a concurrent function, closures returned to callers, top-level functions of
 *   a script, object-literal methods not exported: they may run concurrently, we cannot show it.
 * - `none`: run once (an IIFE, a `main()` called at top level) or never referenced.
 */
export type ConcurrencyLevel = 'clear' | 'possible' | 'none';

export type ConcurrencyKind =
  | 'exported'
  | 'method'
  | 'iteration-callback'
  | 'listener'
  | 'request-handler'
  | 'timer'
  | 'called'
  | 'returned-closure'
  | 'script-global'
  | 'once';

export interface ConcurrencyContext {
  readonly level: ConcurrencyLevel;
  readonly kind: ConcurrencyKind;
  /** For messages: "calls of the exported `addVisit`", "iterations of the `items.map` callback". */
  readonly description: string;
  /** Request handlers get a fresh request/response/context object per call: their parameters are not shared. */
  readonly perCallParameters: boolean;
  /**
   * For `called` functions: set when a caller (directly, or through callers that are themselves `called` this way) runs
   * with `clear` concurrency and calls the function once per run, so the function overlaps itself whenever that
   * caller does. The level stays `possible` (what a caller passes in may differ); rules may rely on it for state
   * that is clearly shared.
   */
  readonly concurrentCaller?: boolean;
}

const iterationMethods = new Set(['map', 'forEach', 'flatMap', 'filter', 'some', 'every', 'find', 'findIndex']);
const promiseCombinators = new Set(['all', 'allSettled', 'any', 'race']);
const listenerMethods = new Set([
  'on',
  'once',
  'addListener',
  'prependListener',
  'prependOnceListener',
  'addEventListener',
  'subscribe',
  'onmessage',
]);
const timerFunctions = new Set(['setInterval', 'setTimeout', 'setImmediate']);
const routeMethods = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all', 'use', 'route', 'handle']);
const routerObjects = /^(?:app|application|router|routes?|server|api|fastify|koa|express|instance|hono|web|http)$/iu;
const serverFactories = new Set(['createServer', 'createSecureServer']);
const jobMethods = new Set(['process', 'handle', 'consume', 'work', 'registerHandler']);
const jobObjects = /(?:queue|worker|consumer|bull|agenda|jobs?)$/iu;
const handlerParameterNames = /^(?:req|res|request|response|reply|ctx|context|event|evt|message|msg|job|socket|next|h)$/iu;

const contextsKey = factKey<Map<TSESTree.Node, ConcurrencyContext>>('concurrency-contexts');

const none: ConcurrencyContext = { level: 'none', kind: 'once', description: 'this function', perCallParameters: false };

/** The concurrency context of one function, memoised per file. */
export function concurrencyOf(file: AnalyzedFile, fn: FunctionNode): ConcurrencyContext {
  const cache = file.facts.get(contextsKey, () => new Map<TSESTree.Node, ConcurrencyContext>());
  const cached = cache.get(fn);
  if (cached) return cached;
  // Guards recursion through mutually calling functions: a cycle contributes nothing.
  cache.set(fn, none);
  const context = compute(file, fn);
  cache.set(fn, context);
  return context;
}

function compute(file: AnalyzedFile, fn: FunctionNode): ConcurrencyContext {
  if (isSerialised(fn)) {
    return { level: 'none', kind: 'once', description: 'this function (serialised by a lock)', perCallParameters: false };
  }
  const flag = busyFlagOf(fn);
  if (flag) {
    return { level: 'none', kind: 'once', description: `this function (serialised by the \`${flag}\` flag)`, perCallParameters: false };
  }
  const hook = streamHookOf(fn);
  if (hook) {
    return { level: 'none', kind: 'once', description: `this function (a stream's \`${hook}\`: the stream calls it again only after the last call pushed or called back)`, perCallParameters: false };
  }
  const name = functionName(fn);
  const parent = fn.parent;
  if (name && selfReschedulingChain(file, fn, name)) {
    return { level: 'none', kind: 'once', description: `\`${name}\` (one chain that calls itself again only after its own wait)`, perCallParameters: false };
  }
  // A computed method key (`[kTarball]()`) is named by its source text, so the message never reads "the method this function".
  const computedKey = (parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.PropertyDefinition) && parent.computed ? `[${file.text.slice(parent.key.range[0], parent.key.range[1])}]` : undefined;
  const label = name ? `\`${name}\`` : computedKey ? `\`${computedKey}\`` : 'this function';

  const asArgument = argumentSite(fn);
  if (asArgument) return asArgument;

  if (parent?.type === AST_NODE_TYPES.MethodDefinition && parent.kind !== 'constructor') {
    if (name && calledOnlyThroughStoredPromise(file, parent, name)) {
      return { level: 'none', kind: 'once', description: `${label} (its callers share one stored promise)`, perCallParameters: false };
    }
    const holder = name ? serialisedCallersFlag(file, parent, name, new Set()) : undefined;
    if (holder) {
      return { level: 'none', kind: 'once', description: `${label} (every caller in its class holds the \`${holder}\` flag)`, perCallParameters: false };
    }
    if (name && callersCannotOverlap(file, parent, name)) {
      return { level: 'possible', kind: 'method', description: `calls of the method ${label} (its callers in the class run it one at a time)`, perCallParameters: false };
    }
    return { level: 'clear', kind: 'method', description: `calls of the method ${label}`, perCallParameters: false };
  }
  if (parent?.type === AST_NODE_TYPES.PropertyDefinition) {
    return { level: 'clear', kind: 'method', description: `calls of the method ${label}`, perCallParameters: false };
  }
  if (parent?.type === AST_NODE_TYPES.Property && parent.value === fn) {
    const object = parent.parent;
    if (object?.type === AST_NODE_TYPES.ObjectExpression && isExportedValue(object)) {
      return { level: 'clear', kind: 'exported', description: `calls of the exported ${label}`, perCallParameters: false };
    }
    if (isHandlerProperty(parent)) {
      return { level: 'clear', kind: 'request-handler', description: `requests handled by ${label}`, perCallParameters: true };
    }
    return { level: 'possible', kind: 'method', description: `calls of the method ${label}`, perCallParameters: false };
  }

  if (isExportedValue(fn)) {
    return { level: 'clear', kind: 'exported', description: `calls of the exported ${label}`, perCallParameters: false };
  }

  // IIFE: runs once where it stands, unless it stands somewhere concurrent (inside `Promise.all([...])`).
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === fn) {
    if (insidePromiseCombinator(parent)) {
      return { level: 'clear', kind: 'iteration-callback', description: 'operations of the same `Promise.all`', perCallParameters: false };
    }
    return inherited(file, fn, none);
  }

  const binding = bindingOf(file, fn);
  if (binding) {
    const fromReferences = fromBindingReferences(file, fn, binding, label);
    if (fromReferences) return fromReferences;
  }

  if (parent?.type === AST_NODE_TYPES.ReturnStatement || (parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === fn)) {
    return { level: 'possible', kind: 'returned-closure', description: `calls of the returned closure`, perCallParameters: false };
  }

  if (
    fn.type === AST_NODE_TYPES.FunctionDeclaration &&
    parent?.type === AST_NODE_TYPES.Program &&
    file.ast.sourceType === 'script' &&
    // CommonJS is analysed as a script with a global return: its top-level functions are module-private.
    !file.scopeManager.isGlobalReturn() &&
    !hasCommonJsExports(file.ast) &&
    // Called from other scripts of the page; one called here (a `main()`) has told us how it runs.
    (!binding || binding.references.every((r) => binding.identifiers.includes(r.identifier as TSESTree.Identifier)))
  ) {
    return { level: 'possible', kind: 'script-global', description: `calls of the script-level ${label}`, perCallParameters: false };
  }
  return inherited(file, fn, none);
}

/**
 * `this.connectionLock = this._connect()`: every call of the method inside its class stores the returned promise
 * in a field, the memoisation that makes later callers await the first call instead of starting another.
 */
function calledOnlyThroughStoredPromise(file: AnalyzedFile, method: TSESTree.MethodDefinition, name: string): boolean {
  const classBody = method.parent;
  if (classBody?.type !== AST_NODE_TYPES.ClassBody) return false;
  const calls = thisCallsIn(file, classBody).get(name) ?? [];
  return (
    calls.length > 0 &&
    calls.every(
      (call) =>
        call.parent?.type === AST_NODE_TYPES.AssignmentExpression &&
        call.parent.right === call &&
        call.parent.left.type === AST_NODE_TYPES.MemberExpression &&
        call.parent.left.object.type === AST_NODE_TYPES.ThisExpression,
    )
  );
}

const startUpNames = /^(?:constructor|init|initiali[sz]e|setup|start|bootstrap|connect|open|prepare|configure|main|load)$/iu;

/**
 * A private method (`#m`, `private m`) whose every call in its class is made once at start-up (from the constructor
 * or an `init`/`start`/`connect`-style method) or awaited in turn inside a loop: its calls cannot overlap each other,
 * so a race inside it is at most possible.
 */
function callersCannotOverlap(file: AnalyzedFile, method: TSESTree.MethodDefinition, name: string): boolean {
  const isPrivate = method.key.type === AST_NODE_TYPES.PrivateIdentifier || method.accessibility === 'private';
  const classBody = method.parent;
  if (!isPrivate || classBody?.type !== AST_NODE_TYPES.ClassBody) return false;
  const calls = thisCallsIn(file, classBody).get(name) ?? [];
  return calls.length > 0 && calls.every((call) => calledAtStartUp(call) || awaitedInLoop(call));
}

/**
 * A private method whose every `this.m()` call in its class is made, directly, by a method that holds a busy flag
 * (`busyFlagOf`) or is itself such a private method: its executions cannot overlap each other. Returns the flag.
 * A cycle of private methods proves nothing.
 */
function serialisedCallersFlag(file: AnalyzedFile, method: TSESTree.MethodDefinition, name: string, visiting: Set<TSESTree.MethodDefinition>): string | undefined {
  const isPrivate = method.key.type === AST_NODE_TYPES.PrivateIdentifier || method.accessibility === 'private';
  const classBody = method.parent;
  if (!isPrivate || classBody?.type !== AST_NODE_TYPES.ClassBody || visiting.has(method)) return undefined;
  visiting.add(method);
  const calls = thisCallsIn(file, classBody).get(name) ?? [];
  let flag: string | undefined;
  for (const call of calls) {
    const caller = enclosingFunction(call);
    const member = caller?.parent;
    if (!caller || member?.type !== AST_NODE_TYPES.MethodDefinition || member.parent !== classBody || member.kind === 'constructor') return undefined;
    const callerName = functionName(caller);
    const held = busyFlagOf(caller) ?? (callerName ? serialisedCallersFlag(file, member, callerName, visiting) : undefined);
    if (!held || (flag !== undefined && held !== flag)) return undefined;
    flag = held;
  }
  return flag;
}

/**
 * A busy flag held for the whole body: `if (this.busy) return; this.busy = true;` or `while (this.busy) await
 * delay(10); this.busy = true;`, the claim made before the first other `await`. Later callers either leave or wait
 * until the holder releases it, so two executions never interleave. Returns the flag's text (`this.#maintaining`).
 */
export function busyFlagOf(fn: FunctionNode): string | undefined {
  if (fn.body?.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  const guarded = new Set<string>();
  for (const statement of fn.body.body) {
    const flags = guardFlags(statement);
    if (flags.length > 0) {
      for (const flag of flags) guarded.add(flag);
      continue;
    }
    const claimed = claimedFlag(statement);
    if (claimed && guarded.has(claimed)) return claimed;
    if (containsAwait(statement)) return undefined;
  }
  return undefined;
}

/** `if (this.f || ...) return;` or `while (this.f || ...) await ...;`: the instance flags it tests. */
function guardFlags(statement: TSESTree.Statement): string[] {
  if (statement.type === AST_NODE_TYPES.IfStatement && !statement.alternate && exitsAtOnce(statement.consequent)) return thisFlagsIn(statement.test);
  if (statement.type === AST_NODE_TYPES.WhileStatement) return thisFlagsIn(statement.test);
  return [];
}

function exitsAtOnce(statement: TSESTree.Statement): boolean {
  if (statement.type === AST_NODE_TYPES.ReturnStatement) return !statement.argument || !containsAwait(statement.argument);
  if (statement.type === AST_NODE_TYPES.BlockStatement) return statement.body.length === 1 && exitsAtOnce(statement.body[0]!);
  return false;
}

/** The `this.f` members that, when truthy, make `test` truthy (disjuncts of `||`). */
function thisFlagsIn(raw: TSESTree.Node): string[] {
  const test = unwrap(raw);
  if (test.type === AST_NODE_TYPES.LogicalExpression && test.operator === '||') return [...thisFlagsIn(test.left), ...thisFlagsIn(test.right)];
  const flag = thisMemberText(test);
  return flag ? [flag] : [];
}

function thisMemberText(raw: TSESTree.Node): string | undefined {
  const node = unwrap(raw);
  if (node.type !== AST_NODE_TYPES.MemberExpression || node.computed || node.object.type !== AST_NODE_TYPES.ThisExpression) return undefined;
  return node.property.type === AST_NODE_TYPES.PrivateIdentifier ? `this.#${node.property.name}` : node.property.type === AST_NODE_TYPES.Identifier ? `this.${node.property.name}` : undefined;
}

/** `this.f = true` (any truthy literal): the flag it claims. */
function claimedFlag(statement: TSESTree.Statement): string | undefined {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
  const expression = statement.expression;
  if (expression.type !== AST_NODE_TYPES.AssignmentExpression || expression.operator !== '=') return undefined;
  const value = unwrap(expression.right);
  return value.type === AST_NODE_TYPES.Literal && Boolean(value.value) ? thisMemberText(expression.left) : undefined;
}

function containsAwait(root: TSESTree.Node): boolean {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.AwaitExpression || (node.type === AST_NODE_TYPES.ForOfStatement && node.await)) return true;
    if (isFunctionNode(node) && node !== root) continue;
    for (const key of visitorKeys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (item && typeof item === 'object' && typeof (item as TSESTree.Node).type === 'string') stack.push(item as TSESTree.Node);
      } else if (value && typeof value === 'object' && typeof (value as TSESTree.Node).type === 'string') stack.push(value as TSESTree.Node);
    }
  }
  return false;
}

function calledAtStartUp(call: TSESTree.CallExpression): boolean {
  const caller = enclosingFunction(call);
  const member = caller?.parent;
  if (member?.type !== AST_NODE_TYPES.MethodDefinition || member.computed) return false;
  const callerName = member.key.type === AST_NODE_TYPES.Identifier ? member.key.name : member.key.type === AST_NODE_TYPES.PrivateIdentifier ? member.key.name : '';
  return (member.kind === 'constructor' || startUpNames.test(callerName)) && !insideLoop(call, caller!);
}

function awaitedInLoop(call: TSESTree.CallExpression): boolean {
  if (call.parent?.type !== AST_NODE_TYPES.AwaitExpression) return false;
  const caller = enclosingFunction(call);
  return caller !== undefined && insideLoop(call, caller);
}

function insideLoop(node: TSESTree.Node, boundary: TSESTree.Node): boolean {
  for (let current = node.parent; current && current !== boundary; current = current.parent) {
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

const thisCallsKey = factKey<Map<TSESTree.ClassBody, Map<string, TSESTree.CallExpression[]>>>('this-method-calls');

/** `this.m()` calls inside a class body, by method name; computed once per class. */
export function thisCallsIn(file: AnalyzedFile, classBody: TSESTree.ClassBody): Map<string, TSESTree.CallExpression[]> {
  const perClass = file.facts.get(thisCallsKey, () => new Map<TSESTree.ClassBody, Map<string, TSESTree.CallExpression[]>>());
  const cached = perClass.get(classBody);
  if (cached) return cached;
  const byName = new Map<string, TSESTree.CallExpression[]>();
  const stack: TSESTree.Node[] = [classBody];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (
      node.type === AST_NODE_TYPES.CallExpression &&
      node.callee.type === AST_NODE_TYPES.MemberExpression &&
      node.callee.object.type === AST_NODE_TYPES.ThisExpression &&
      !node.callee.computed
    ) {
      const property = node.callee.property;
      const called = property.type === AST_NODE_TYPES.PrivateIdentifier ? `#${property.name}` : (property as TSESTree.Identifier).name;
      byName.set(called, [...(byName.get(called) ?? []), node]);
    }
    for (const key of visitorKeys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (item && typeof item === 'object' && typeof (item as TSESTree.Node).type === 'string') stack.push(item as TSESTree.Node);
      } else if (value && typeof value === 'object' && typeof (value as TSESTree.Node).type === 'string') stack.push(value as TSESTree.Node);
    }
  }
  perClass.set(classBody, byName);
  return byName;
}

const lockMethods = /^(?:runExclusive|withLock|lock|acquire|synchronized|synchronize|exclusive|serialize|serialized|mutex|using)$/u;

/** `mutex.runExclusive(...)`, `lock.acquire(key, fn)`: a call that runs the callbacks it is handed one at a time. */
export function isLockCall(call: TSESTree.CallExpression): boolean {
  const name = calleeName(call);
  return name !== undefined && lockMethods.test(name);
}

/**
 * Code run under a lock cannot interleave with itself: a callback handed to `mutex.runExclusive(...)`-style methods,
 * or a function that awaits `lock.acquire()` before anything else it does.
 */
function isSerialised(fn: FunctionNode): boolean {
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(fn as TSESTree.CallExpressionArgument)) {
    const name = calleeName(parent);
    if (name && lockMethods.test(name)) return true;
  }
  // An overload signature or an abstract method has no body (null in typescript-estree's tree).
  if (fn.body?.type !== AST_NODE_TYPES.BlockStatement) return false;
  for (const statement of fn.body.body.slice(0, 3)) {
    const awaited = firstAwait(statement);
    if (awaited?.argument.type === AST_NODE_TYPES.CallExpression) {
      const name = calleeName(awaited.argument);
      if (name && lockMethods.test(name)) return true;
    }
  }
  return false;
}

function firstAwait(statement: TSESTree.Statement): TSESTree.AwaitExpression | undefined {
  if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
    const init = statement.declarations[0]?.init;
    return init?.type === AST_NODE_TYPES.AwaitExpression ? init : undefined;
  }
  if (statement.type === AST_NODE_TYPES.ExpressionStatement && statement.expression.type === AST_NODE_TYPES.AwaitExpression) {
    return statement.expression;
  }
  return undefined;
}

/** A function passed straight to a call whose callee runs it concurrently. */
function argumentSite(fn: TSESTree.Node): ConcurrencyContext | undefined {
  const parent = fn.parent;
  if (!parent) return undefined;
  if ((parent.type === AST_NODE_TYPES.CallExpression || parent.type === AST_NODE_TYPES.NewExpression) && parent.arguments.includes(fn as TSESTree.CallExpressionArgument)) {
    return classifyCallSite(parent, fn);
  }
  return undefined;
}

function classifyCallSite(
  call: TSESTree.CallExpression | TSESTree.NewExpression,
  argument: TSESTree.Node,
): ConcurrencyContext | undefined {
  const name = calleeName(call);
  const objectName = calleeObjectName(call);
  if (!name) return undefined;
  const callee = unwrap(call.callee);
  const isMember = callee.type === AST_NODE_TYPES.MemberExpression;
  if (isMember && iterationMethods.has(name) && call.arguments[0] === argument) {
    return {
      level: 'clear',
      kind: 'iteration-callback',
      description: `iterations of the \`${objectName ?? '...'}.${name}\` callback`,
      perCallParameters: false,
    };
  }
  if (isMember && listenerMethods.has(name)) {
    return { level: 'clear', kind: 'listener', description: `\`${name}\` events`, perCallParameters: true };
  }
  if (timerFunctions.has(name) && call.arguments[0] === argument) {
    return { level: 'clear', kind: 'timer', description: `runs of the \`${name}\` callback`, perCallParameters: false };
  }
  if (serverFactories.has(name)) {
    return { level: 'clear', kind: 'request-handler', description: 'requests', perCallParameters: true };
  }
  if (isMember && routeMethods.has(name) && looksLikeRoute(call, argument, objectName)) {
    return { level: 'clear', kind: 'request-handler', description: `requests to this \`${name}\` route`, perCallParameters: true };
  }
  if (isMember && jobMethods.has(name) && objectName && jobObjects.test(objectName)) {
    return { level: 'clear', kind: 'listener', description: 'jobs', perCallParameters: true };
  }
  return undefined;
}

function looksLikeRoute(call: TSESTree.CallExpression | TSESTree.NewExpression, argument: TSESTree.Node, objectName: string | undefined): boolean {
  const first = call.arguments[0];
  const pathFirst =
    (first?.type === AST_NODE_TYPES.Literal && typeof first.value === 'string' && /^[/*]/u.test(first.value)) ||
    first?.type === AST_NODE_TYPES.TemplateLiteral;
  if (pathFirst && first !== argument) return true;
  if (objectName && routerObjects.test(objectName)) return true;
  if (isFunctionNode(argument)) {
    const params = argument.params;
    return params.length >= 1 && params.every((p) => p.type === AST_NODE_TYPES.Identifier && handlerParameterNames.test(p.name));
  }
  return false;
}

function isHandlerProperty(property: TSESTree.Property): boolean {
  return (
    !property.computed &&
    property.key.type === AST_NODE_TYPES.Identifier &&
    /^(?:handler|preHandler|onRequest|fetch)$/u.test(property.key.name)
  );
}

function insidePromiseCombinator(node: TSESTree.Node): boolean {
  let current: TSESTree.Node | undefined = node.parent;
  while (current && (current.type === AST_NODE_TYPES.ArrayExpression || current.type === AST_NODE_TYPES.SpreadElement)) current = current.parent;
  return (
    current?.type === AST_NODE_TYPES.CallExpression &&
    promiseCombinators.has(calleeName(current) ?? '') &&
    calleeObjectName(current) === 'Promise'
  );
}

function functionName(fn: FunctionNode): string | undefined {
  if (fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  if ((parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.PropertyDefinition || parent?.type === AST_NODE_TYPES.Property) && !parent.computed) {
    const key = parent.key;
    if (key.type === AST_NODE_TYPES.Identifier) return key.name;
    if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  }
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left.type === AST_NODE_TYPES.MemberExpression && !parent.left.computed && parent.left.property.type === AST_NODE_TYPES.Identifier) {
    return parent.left.property.name;
  }
  return undefined;
}

/** The variable a function is bound to: `function f`, `const f = async () => {}`. */
function bindingOf(file: AnalyzedFile, fn: FunctionNode): Variable | undefined {
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) return findVariable(file.scopeManager, fn.id);
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === fn && parent.id.type === AST_NODE_TYPES.Identifier) {
    return findVariable(file.scopeManager, parent.id);
  }
  return undefined;
}

function fromBindingReferences(file: AnalyzedFile, fn: FunctionNode, binding: Variable, label: string): ConcurrencyContext | undefined {
  let best: ConcurrencyContext | undefined;
  const consider = (context: ConcurrencyContext | undefined) => {
    if (!context || context.level === 'none') return;
    if (!best || (best.level === 'possible' && (context.level === 'clear' || (context.concurrentCaller && !best.concurrentCaller)))) best = context;
  };
  for (const reference of binding.references) {
    const id = reference.identifier as TSESTree.Node;
    if (binding.identifiers.includes(id as TSESTree.Identifier)) continue;
    const parent = id.parent;
    if (!parent) continue;
    // Exported by name: `export { f }`, `module.exports = { f }`, `exports.f = f`.
    if (parent.type === AST_NODE_TYPES.ExportSpecifier || parent.type === AST_NODE_TYPES.ExportDefaultDeclaration || isExportedValue(id)) {
      consider({ level: 'clear', kind: 'exported', description: `calls of the exported ${label}`, perCallParameters: false });
      continue;
    }
    if ((parent.type === AST_NODE_TYPES.CallExpression || parent.type === AST_NODE_TYPES.NewExpression) && parent.arguments.includes(id as TSESTree.CallExpressionArgument)) {
      const site = classifyCallSite(parent, id);
      consider(site && { ...site, description: `${site.description} (${label} is passed there)` });
      continue;
    }
    if (parent.type === AST_NODE_TYPES.Property && parent.value === id && parent.parent?.type === AST_NODE_TYPES.ObjectExpression) {
      if (isExportedValue(parent.parent)) {
        consider({ level: 'clear', kind: 'exported', description: `calls of the exported ${label}`, perCallParameters: false });
      } else if (isHandlerProperty(parent)) {
        consider({ level: 'clear', kind: 'request-handler', description: `requests handled by ${label}`, perCallParameters: true });
      }
      continue;
    }
    if (parent.type === AST_NODE_TYPES.CallExpression && parent.callee === id) {
      if (insidePromiseCombinator(parent)) {
        consider({ level: 'clear', kind: 'iteration-callback', description: `operations of the same \`Promise.all\` (${label} is called there)`, perCallParameters: false });
        continue;
      }
      const caller = enclosingFunction(parent);
      if (caller && caller !== fn) {
        const callerContext = concurrencyOf(file, caller);
        if (callerContext.level !== 'none') {
          const concurrentCaller = (callerContext.level === 'clear' || callerContext.concurrentCaller === true) && !insideLoop(parent, caller);
          consider({ level: 'possible', kind: 'called', description: `calls of ${label} from ${callerContext.description}`, perCallParameters: false, ...(concurrentCaller ? { concurrentCaller } : {}) });
        }
      }
      if (countCalls(binding) > 1 && !allCallsAwaitedInSequence(binding)) {
        consider({ level: 'possible', kind: 'called', description: `calls of ${label}`, perCallParameters: false });
      }
    }
  }
  return best;
}

function countCalls(binding: Variable): number {
  return binding.references.filter((r) => r.identifier.parent?.type === AST_NODE_TYPES.CallExpression && r.identifier.parent.callee === r.identifier).length;
}

/** Every call is directly awaited or at statement level in one function: calls cannot overlap each other. */
function allCallsAwaitedInSequence(binding: Variable): boolean {
  return binding.references.every((reference) => {
    const call = reference.identifier.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== reference.identifier) return true;
    return call.parent?.type === AST_NODE_TYPES.AwaitExpression;
  });
}

function inherited(file: AnalyzedFile, fn: FunctionNode, fallback: ConcurrencyContext): ConcurrencyContext {
  const outer = enclosingFunction(fn);
  if (!outer) return fallback;
  const context = concurrencyOf(file, outer);
  if (context.level === 'none') return fallback;
  // A callback inside a concurrent function runs once per call of it: as concurrent as the function around it.
  return { ...context, perCallParameters: false };
}

/**
 * True for a value that leaves the module: `export ...`, `export default`, `module.exports = value`,
 * `module.exports.x = value`, `exports.x = value`, or an object literal assigned there.
 */
function isExportedValue(node: TSESTree.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === AST_NODE_TYPES.ExportDefaultDeclaration || parent.type === AST_NODE_TYPES.ExportNamedDeclaration) return true;
  if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node) {
    const declaration = parent.parent;
    if (declaration?.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration) return true;
    if (parent.id.type === AST_NODE_TYPES.Identifier) return false;
  }
  if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === node) return isCommonJsExportTarget(parent.left);
  return false;
}

function isCommonJsExportTarget(node: TSESTree.Node): boolean {
  const target = unwrap(node);
  if (target.type === AST_NODE_TYPES.Identifier) return target.name === 'exports';
  if (target.type !== AST_NODE_TYPES.MemberExpression) return false;
  const object = unwrap(target.object);
  if (object.type === AST_NODE_TYPES.Identifier && (object.name === 'exports' || object.name === 'module')) return true;
  return isCommonJsExportTarget(object);
}

function hasCommonJsExports(program: TSESTree.Program): boolean {
  return program.body.some(
    (statement) =>
      statement.type === AST_NODE_TYPES.ExpressionStatement &&
      statement.expression.type === AST_NODE_TYPES.AssignmentExpression &&
      isCommonJsExportTarget(statement.expression.left),
  );
}

/**
 * Start-up methods (`connect`, `init`, `start`, ...) set an object up once, before it is used: their calls on one
 * instance do not overlap each other (a Flow's `start()`, a driver's `connect()`).
 */
const startUpMethodNames = /^(?:init|initiali[sz]e|setup|start|bootstrap|connect|afterConnect|open|prepare|configure|main)$/iu;

export function isStartUpMethod(fn: FunctionNode): boolean {
  const name = functionName(fn);
  return name !== undefined && startUpMethodNames.test(name.replace(/^#/u, ''));
}

/**
 * Tear-down methods (`stop`, `close`, `dispose`, ...) end an object's life once: like start-up methods, their calls
 * on one instance do not overlap each other (a stream's `stop()` finalises it, a second call is the caller's bug).
 */
const teardownMethodNames = /^(?:stop|close|end|finish|finali[sz]e|dispose|destroy|shutdown|shutDown|terminate|teardown|tearDown|quit|disconnect)$/u;

export function isTeardownMethod(fn: FunctionNode): boolean {
  const name = functionName(fn);
  return name !== undefined && (fn.parent?.type === AST_NODE_TYPES.MethodDefinition || fn.parent?.type === AST_NODE_TYPES.Property) && teardownMethodNames.test(name.replace(/^#/u, ''));
}

/** Node's stream implementation hooks, as class methods or assigned members (`readable._read = ...`). */
const streamHookMethods = new Set(['_read', '_write', '_writev', '_transform', '_flush', '_final']);
/** The same hooks as options of the constructor (`new Readable({ read() {...} })`). */
const streamHookOptions = new Set(['read', 'write', 'writev', 'transform', 'flush', 'final']);
const streamClasses = /^(?:Readable|Writable|Duplex|Transform|PassThrough)$/u;

/**
 * A Node stream never re-enters its implementation hooks: it calls `_read` again only after the last call pushed, and
 * `_write`/`_transform` again only after the last call's callback. Returns the hook's name.
 */
function streamHookOf(fn: FunctionNode): string | undefined {
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.MethodDefinition && !parent.static && !parent.computed && parent.key.type === AST_NODE_TYPES.Identifier) {
    const owner = parent.parent?.parent;
    const extendsSomething = (owner?.type === AST_NODE_TYPES.ClassDeclaration || owner?.type === AST_NODE_TYPES.ClassExpression) && owner.superClass !== null;
    return extendsSomething && streamHookMethods.has(parent.key.name) ? parent.key.name : undefined;
  }
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === fn) {
    const target = unwrap(parent.left);
    if (target.type === AST_NODE_TYPES.MemberExpression && !target.computed && target.property.type === AST_NODE_TYPES.Identifier && streamHookMethods.has(target.property.name)) {
      return target.property.name;
    }
    return undefined;
  }
  if (parent?.type === AST_NODE_TYPES.Property && parent.value === fn && !parent.computed && parent.key.type === AST_NODE_TYPES.Identifier && streamHookOptions.has(parent.key.name)) {
    const options = parent.parent;
    const construct = options?.parent;
    if (options?.type !== AST_NODE_TYPES.ObjectExpression || construct?.type !== AST_NODE_TYPES.NewExpression || construct.arguments[0] !== options) return undefined;
    const callee = unwrap(construct.callee);
    const className = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : undefined;
    return className && streamClasses.test(className) ? parent.key.name : undefined;
  }
  return undefined;
}

/**
 * A self-rescheduling poll: `async poll() { if (this.stopped) return; await tick(); ...; setTimeout(() => this.poll(), ms) }`.
 * It is started once (by one call outside it, not in a loop: a closure's single start, or a class's constructor or
 * start-up method) and calls itself again only after its own first top-level wait and after its last wait, so each
 * run has finished waiting before the next begins: one chain that never overlaps itself.
 */
function selfReschedulingChain(file: AnalyzedFile, fn: FunctionNode, name: string): boolean {
  if (!fn.async || fn.body?.type !== AST_NODE_TYPES.BlockStatement) return false;
  const parent = fn.parent;
  let calls: readonly TSESTree.CallExpression[];
  let startedOnce: (call: TSESTree.CallExpression) => boolean;
  if (parent?.type === AST_NODE_TYPES.MethodDefinition && parent.kind === 'method' && parent.parent?.type === AST_NODE_TYPES.ClassBody) {
    calls = thisCallsIn(file, parent.parent).get(name) ?? [];
    startedOnce = calledAtStartUp;
  } else {
    const binding = bindingOf(file, fn);
    if (!binding) return false;
    const found: TSESTree.CallExpression[] = [];
    for (const reference of binding.references) {
      const id = reference.identifier as TSESTree.Node;
      if (binding.identifiers.includes(id as TSESTree.Identifier)) continue;
      const call = id.parent;
      // Handed somewhere as a value (`setTimeout(poll)` from outside, `export { poll }`): who calls it is unknown.
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== id) {
        if (!contains(fn, id)) return false;
        continue;
      }
      found.push(call);
    }
    calls = found;
    startedOnce = (call) => {
      const caller = enclosingFunction(call);
      return caller !== undefined && !insideLoop(call, caller);
    };
  }
  const own = calls.filter((call) => contains(fn, call));
  const starts = calls.filter((call) => !contains(fn, call));
  if (own.length === 0 || starts.length !== 1 || !startedOnce(starts[0]!)) return false;
  const firstWait = fn.body.body.find((statement) => topLevelWait(statement));
  if (!firstWait) return false;
  const awaits = ownAwaits(fn);
  return own.every((call) => call.range[0] > firstWait.range[1] && awaits.every((a) => a.range[1] <= call.range[0] || contains(a, call)));
}

/** `await x;`, `const v = await x;`, `for await (...)`: a wait every run passes through. */
function topLevelWait(statement: TSESTree.Statement): boolean {
  if (statement.type === AST_NODE_TYPES.ForOfStatement) return statement.await;
  return firstAwait(statement) !== undefined;
}

/** The function's own waits (not those of nested functions). */
function ownAwaits(fn: FunctionNode): TSESTree.Node[] {
  const found: TSESTree.Node[] = [];
  const stack: TSESTree.Node[] = fn.body ? [fn.body] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunctionNode(node)) continue;
    if (node.type === AST_NODE_TYPES.AwaitExpression || (node.type === AST_NODE_TYPES.ForOfStatement && node.await)) found.push(node);
    for (const key of visitorKeys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (item && typeof item === 'object' && typeof (item as TSESTree.Node).type === 'string') stack.push(item as TSESTree.Node);
      } else if (value && typeof value === 'object' && typeof (value as TSESTree.Node).type === 'string') stack.push(value as TSESTree.Node);
    }
  }
  return found;
}
