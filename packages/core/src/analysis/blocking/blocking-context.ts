import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import type { Confidence } from '../../model/confidence.js';
import type { PackageRole } from '../package-role.js';
import { declaredVariable, isGlobalReference, resolveModuleMember } from '../import-bindings.js';
import { calledMethodName, descendants, enclosingFunction, isFunctionNode, keyName, propertyName, type FunctionNode } from '../walk-ast.js';
import { unwrap } from '../syntax.js';
import { findVariable } from '../races/race-ast.js';

/**
 * Where a synchronous call runs, as far as blocking the event loop goes.
 * - `async-function`: inside an async function that is not start-up code;
 * - `request-handler`: inside a (synchronous) HTTP request or connection handler; it runs once per request.
 *
 * `inFlight` says what other work is demonstrably in flight when the call runs (other requests, the other
 * callbacks of a concurrent fan-out, the work a loop has started); `undefined` when nothing in the code says
 * either way (an async function whose callers we cannot see).
 */
export interface BlockingContext {
  readonly kind: 'async-function' | 'request-handler';
  /** The async function or handler the call runs in. */
  readonly owner: FunctionNode;
  /** For messages: "in async function `loadUser`", "in the `GET /users` route handler". */
  readonly description: string;
  /**
   * True when the call sits directly in the async function's body (not in a synchronous callback inside it),
   * so an `await` may be inserted in its place.
   */
  readonly canAwait: boolean;
  /** True when the call is reached through a module-private helper called from the blocking context. */
  readonly viaHelper: boolean;
  /** Why other work is in flight when the call runs, for the message; `undefined` when that is not known. */
  readonly inFlight: string | undefined;
}

/**
 * Names that mark start-up code: it runs once before the program serves anything, so blocking there delays start
 * but starves nobody. Matched against the function's own name, its variable, or its method key.
 */
const startupName = /^_*(?:main|bootstrap|boot|init|initiali[sz]e|setup|startup|start|run|cli|configure|prepare|install|load(?:Config|Configuration|Env|Environment|Settings|Options|Plugins)|(?:init|initiali[sz]e|setup|bootstrap|configure)[A-Z_].*|onModuleInit|onApplicationBootstrap|onModuleDestroy|beforeApplicationShutdown|onApplicationShutdown)$/u;

/** Synchronous callbacks that run before the call that takes them returns: blocking in them blocks the caller. */
const inlineCallbackMethods: ReadonlySet<string> = new Set([
  'forEach', 'map', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast',
  'findLastIndex', 'sort', 'toSorted',
]);

const routeMethods: ReadonlySet<string> = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head']);
const serverModules: ReadonlySet<string> = new Set(['http', 'https', 'http2', 'net', 'tls']);
/** Events that fire once per request, connection, message or chunk of a stream, while others are in flight. */
const requestEvents: ReadonlySet<string> = new Set([
  'request', 'connection', 'upgrade', 'stream', 'secureConnection', 'message', 'data',
]);
/** Events that fire once, at start-up or shutdown: nothing else is being served when their listener runs. */
const lifecycleEvents: ReadonlySet<string> = new Set([
  'exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'uncaughtException', 'unhandledRejection',
  'listening', 'ready', 'close', 'end', 'finish', 'open', 'shutdown',
]);
const promiseCombinators: ReadonlySet<string> = new Set(['all', 'allSettled', 'any', 'race']);
/** Test runners' globals: callbacks given to them are test code, where a blocking read is harmless. */
const testFunctions: ReadonlySet<string> = new Set([
  'describe', 'it', 'test', 'suite', 'beforeAll', 'beforeEach', 'afterAll', 'afterEach', 'before', 'after', 'bench',
]);

/**
 * Decides whether a synchronous call at `node` blocks code that runs while the program serves work. Returns
 * `undefined` at module level, in start-up, command and shutdown code, in test callbacks and in ordinary
 * synchronous functions (which we cannot place: they may only run at start-up). `oneOffFile` is an entry script
 * (a shebang, a `bin/` or `scripts/` file): there only request handlers count. See
 * docs/rules/no-blocking-in-async.md for the exact rules.
 */
export function blockingContextOf(file: AnalyzedFile, node: TSESTree.Node, oneOffFile: boolean, depth = 0): BlockingContext | undefined {
  if (runsOncePerProcess(file, node) || isMemoizedPerKey(file, node)) return undefined;
  let viaCallback = false;
  let callbackNote = '';
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    if (isTestCallback(file, fn) || isOneOffCallback(fn)) return undefined;
    const route = requestHandlerLabel(file, fn);
    if (fn.async) {
      const base = { kind: 'async-function' as const, owner: fn, canAwait: !viaCallback, viaHelper: false };
      if (route !== undefined) {
        return { ...base, description: `${callbackNote}in ${route.replace(/^the /u, 'the async ')}`, inFlight: 'other requests are in flight while a handler runs' };
      }
      if (oneOffFile || isStartupFunction(file, fn, 0)) return undefined;
      const description = `${callbackNote}in async ${describeFunction(fn)}`;
      const fanOut = concurrentCallbackLabel(file, fn);
      if (fanOut !== undefined) return { ...base, description: `${callbackNote}in ${fanOut}`, inFlight: 'the other elements\' callbacks run concurrently' };
      if (inLoopStartingConcurrentWork(file, node, fn)) {
        return { ...base, description, inFlight: 'it runs in a loop that starts concurrent work on every turn' };
      }
      return { ...base, description, inFlight: undefined };
    }
    if (route !== undefined) {
      return { kind: 'request-handler', owner: fn, description: `${callbackNote}in ${route}`, canAwait: false, viaHelper: false, inFlight: 'other requests are in flight while a handler runs' };
    }
    const inline = inlineCallbackLabel(fn);
    if (inline === undefined) return depth < 3 ? helperContext(file, fn, oneOffFile, depth) : undefined;
    if (!viaCallback) callbackNote = `in a ${inline} callback `;
    viaCallback = true;
  }
  return undefined;
}

/**
 * How sure a finding is, from where it runs and what the call does, or `undefined` when it is not worth
 * reporting. `high` needs other work demonstrably in flight (and a call that blocks for long: `apiConfidence`);
 * an async function whose callers are unknown is `medium`, and only in a package that may serve concurrent work:
 * in a command-line tool, or a library none of whose own code shows concurrency, such a call runs once per task
 * as far as anyone can tell, and is left alone.
 */
export function blockingConfidence(context: BlockingContext, apiConfidence: Confidence, packageRole: () => PackageRole): Confidence | undefined {
  if (context.inFlight !== undefined) return context.viaHelper ? 'medium' : apiConfidence;
  const role = packageRole();
  return role === 'server' || role === 'unknown' ? 'medium' : undefined;
}

/**
 * A synchronous helper private to the module (`function readJson(p) { return JSON.parse(fs.readFileSync(p)) }`)
 * blocks wherever it is called: when one of its calls is in an async function or a handler, the helper's blocking
 * call is reported in that context. Only for helpers whose every use is a direct call, so nothing escapes.
 */
function helperContext(file: AnalyzedFile, fn: FunctionNode, oneOffFile: boolean, depth: number): BlockingContext | undefined {
  const binding = bindingIdentifier(fn);
  if (!binding || isExported(binding)) return undefined;
  const variable = declaredVariable(file, binding);
  if (!variable) return undefined;
  const uses = variable.references.filter((reference) => !reference.init && reference.identifier !== binding);
  if (uses.length === 0) return undefined;
  const calls: TSESTree.CallExpression[] = [];
  for (const reference of uses) {
    const identifier = reference.identifier as TSESTree.Node;
    const call = identifier.parent;
    if (call?.type !== 'CallExpression' || call.callee !== identifier) return undefined;
    calls.push(call);
  }
  for (const call of calls) {
    if (runsOncePerProcess(file, call)) continue;
    const outer = blockingContextOf(file, call, oneOffFile, depth + 1);
    if (outer) {
      const name = functionName(fn) ?? 'a helper';
      return {
        kind: outer.kind,
        owner: outer.owner,
        description: `in \`${name}\`, called on line ${call.loc.start.line} ${outer.description}`,
        canAwait: false,
        viaHelper: true,
        inFlight: outer.inFlight,
      };
    }
  }
  return undefined;
}

/**
 * A call whose result is cached in a module-level variable and only made while the cache is empty:
 * `if (cached === undefined) cached = probe()`, `cached ??= probe()`, `cached = cached || probe()`. It runs once per
 * process, however often the async function around it runs, so it delays one call and starves nobody.
 */
export function runsOncePerProcess(file: AnalyzedFile, call: TSESTree.Node): boolean {
  let node: TSESTree.Node = call;
  let parent = node.parent;
  // isContainerCached = hasDockerEnv() || hasDockerCGroup(); cache = JSON.parse(fs.readFileSync(p, 'utf8'))
  while (parent && (parent.type === 'LogicalExpression' || parent.type === 'ConditionalExpression' || parent.type === 'AwaitExpression'
    || parent.type === 'UnaryExpression' || parent.type === 'ChainExpression' || parent.type === 'TSAsExpression'
    || parent.type === 'TSNonNullExpression' || parent.type === 'MemberExpression' || parent.type === 'CallExpression')) {
    node = parent;
    parent = node.parent;
  }
  if (parent?.type !== 'AssignmentExpression' || parent.right !== node || parent.left.type !== 'Identifier') return false;
  const cache = parent.left;
  const variable = declaredVariableOf(file, cache);
  if (!variable || variable.scope.block.type !== 'Program') return false;
  if (parent.operator === '??=' || parent.operator === '||=') return true;
  // cached = cached || probe()
  const right = unwrap(parent.right);
  if (right.type === 'LogicalExpression' && (right.operator === '||' || right.operator === '??')) {
    const left = unwrap(right.left);
    if (left.type === 'Identifier' && left.name === cache.name) return true;
  }
  // if (cached === undefined) { cached = probe(); }
  for (let up: TSESTree.Node | undefined = parent.parent; up && !isFunctionNode(up); up = up.parent) {
    if (up.type === 'IfStatement' && contains(up.consequent, parent) && mentions(up.test, cache.name)) return true;
  }
  return false;
}

/**
 * A call in a function that memoises its result per key: it returns early with what `cache.get(key)` (or `has`)
 * gave, and stores the result with `cache.set(...)` after the call. The blocking call runs once per key, not once per
 * call: `let hit = cache.get(k); if (typeof hit === 'boolean') return hit; ... accessSync(p) ...; cache.set(k, hit)`.
 */
function isMemoizedPerKey(file: AnalyzedFile, call: TSESTree.Node): boolean {
  const fn = enclosingFunction(call);
  if (!fn || fn.body.type !== 'BlockStatement') return false;
  const textOf = (node: TSESTree.Node): string => file.text.slice(node.range[0], node.range[1]);
  /** `cache.get(key)` or `cache.has(key)`: the receiver's text. */
  const lookupReceiver = (node: TSESTree.Node | null | undefined): string | undefined => {
    if (node?.type !== 'CallExpression') return undefined;
    const callee = unwrap(node.callee);
    if (callee.type !== 'MemberExpression' || !['get', 'has'].includes(propertyName(callee) ?? '')) return undefined;
    return textOf(callee.object);
  };
  const cachedValues = new Map<string, string>(); // variable name -> cache receiver
  const returnedFrom = new Set<string>(); // cache receivers whose value an earlier `return` hands back
  const storedInto = new Set<string>();
  for (const node of descendants(fn.body)) {
    if (enclosingFunction(node) !== fn) continue;
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init) {
      const receiver = lookupReceiver(unwrap(node.init));
      if (receiver !== undefined) cachedValues.set(node.id.name, receiver);
    }
    if (node.type === 'ReturnStatement' && node.argument && node.range[1] <= call.range[0] && isInIf(node)) {
      const argument = unwrap(node.argument);
      const receiver = argument.type === 'Identifier' ? cachedValues.get(argument.name) : lookupReceiver(argument);
      if (receiver !== undefined) returnedFrom.add(receiver);
    }
    if (node.type === 'CallExpression' && node.range[0] >= call.range[1]) {
      const callee = unwrap(node.callee);
      if (callee.type === 'MemberExpression' && propertyName(callee) === 'set') storedInto.add(textOf(callee.object));
    }
  }
  return [...returnedFrom].some((receiver) => storedInto.has(receiver));
}

function isInIf(statement: TSESTree.Node): boolean {
  const parent = statement.parent;
  return parent?.type === 'IfStatement' || (parent?.type === 'BlockStatement' && parent.parent?.type === 'IfStatement');
}

function declaredVariableOf(file: AnalyzedFile, identifier: TSESTree.Identifier) {
  for (let scope = file.scopeManager.acquire(enclosingFunction(identifier) ?? file.ast, true); scope; scope = scope.upper) {
    const variable = scope.set.get(identifier.name);
    if (variable) return variable;
  }
  return file.scopeManager.globalScope?.set.get(identifier.name);
}

function mentions(test: TSESTree.Node, name: string): boolean {
  const stack: TSESTree.Node[] = [test];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'Identifier' && node.name === name) return true;
    if (node.type === 'UnaryExpression') stack.push(node.argument);
    else if (node.type === 'BinaryExpression' || node.type === 'LogicalExpression') stack.push(node.left as TSESTree.Node, node.right);
  }
  return false;
}

function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/** The name a function goes by: its own, its variable's, its property's or method's. */
export function functionName(fn: FunctionNode): string | undefined {
  if (fn.id) return fn.id.name;
  const parent = fn.parent;
  if (!parent) return undefined;
  if (parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if ((parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && parent.value === fn) {
    return keyName(parent.key, parent.computed);
  }
  if (parent.type === 'AssignmentExpression' && parent.right === fn) {
    const left = parent.left;
    if (left.type === 'Identifier') return left.name;
    if (left.type === 'MemberExpression' && !left.computed && left.property.type === 'Identifier') return left.property.name;
  }
  return undefined;
}

function describeFunction(fn: FunctionNode): string {
  const name = functionName(fn);
  if (name) return `function \`${name}\``;
  return `${fn.type === 'ArrowFunctionExpression' ? 'arrow function' : 'function'} on line ${fn.loc.start.line}`;
}

function inlineCallbackLabel(fn: FunctionNode): string | undefined {
  const parent = fn.parent;
  if (!parent) return undefined;
  if (parent.type === 'CallExpression' && parent.callee === fn) return 'immediately invoked';
  if (parent.type === 'NewExpression' && parent.arguments[0] === fn && parent.callee.type === 'Identifier' && parent.callee.name === 'Promise') {
    return '`new Promise` executor';
  }
  if (parent.type === 'CallExpression' && parent.arguments[0] === fn) {
    const method = calledMethodName(parent);
    if (method !== undefined && inlineCallbackMethods.has(method)) return `\`.${method}\``;
  }
  return undefined;
}

function isTestCallback(file: AnalyzedFile, fn: FunctionNode): boolean {
  const parent = fn.parent;
  if (parent?.type !== 'CallExpression' || !(parent.arguments as readonly TSESTree.Node[]).includes(fn)) return false;
  let callee = unwrap(parent.callee);
  // tap's and node:test's nested `t.test(name, fn)`
  if (callee.type === 'MemberExpression' && testFunctions.has(propertyName(callee) ?? '') && unwrap(callee.object).type === 'Identifier') {
    return true;
  }
  // it.each(table)(name, fn), test.concurrent(name, fn), describe.skip(...)
  if (callee.type === 'CallExpression') callee = unwrap(callee.callee);
  while (callee.type === 'MemberExpression') callee = unwrap(callee.object);
  if (callee.type !== 'Identifier' || !testFunctions.has(callee.name)) return false;
  if (isGlobalReference(file, callee)) return true;
  const member = resolveModuleMember(file, callee);
  return member !== undefined && /^(?:vitest|@jest\/globals|mocha|node:test|test|bun:test|ava)$/u.test(member.source);
}

/**
 * Callbacks that run once: command actions (commander's `.action(fn)`, yargs' and cac's `.command(..., fn)`, a
 * dispatcher such as `runCommand('create', fn)` or `registerCommand(...)`: once per CLI invocation), `.once(...)`
 * listeners, and listeners of start-up and shutdown events (`process.on('SIGTERM', fn)`, `server.on('listening', fn)`).
 */
function isOneOffCallback(fn: FunctionNode): boolean {
  const parent = fn.parent;
  if (parent?.type !== 'CallExpression' || !(parent.arguments as readonly TSESTree.Node[]).includes(fn)) return false;
  const callee = unwrap(parent.callee);
  const method = calledMethodName(parent) ?? (callee.type === 'Identifier' ? callee.name : undefined);
  if (method === undefined) return false;
  if (method === 'action' || /command$/iu.test(method) || method === 'once') return true;
  if (method === 'on' || method === 'addListener' || method === 'prependListener') {
    const event = parent.arguments[0];
    return event?.type === 'Literal' && typeof event.value === 'string' && lifecycleEvents.has(event.value);
  }
  return false;
}

/**
 * When `fn` is an async callback run for many elements at once, a label for messages: `xs.forEach(async ...)`
 * (every call starts at once), `xs.map(async ...)` whose promises go to `Promise.all`/`allSettled`/`any`/`race`
 * (directly or through a variable), and `Array.from(xs, async ...)` the same way.
 */
function concurrentCallbackLabel(file: AnalyzedFile, fn: FunctionNode): string | undefined {
  const call = fn.parent;
  if (call?.type !== 'CallExpression' || !(call.arguments as readonly TSESTree.Node[]).includes(fn)) return undefined;
  const method = calledMethodName(call);
  const callee = unwrap(call.callee);
  // `['prefs.js', 'user.js'].map(async (f) => ...)`: a handful of elements written in the code is no data-sized
  // fan-out; the other callbacks are the few calls beside this one, not work that waits on the event loop.
  if (callee.type === 'MemberExpression' && isLiteralList(file, callee.object)) return undefined;
  const collection = callee.type === 'MemberExpression' ? shortName(file, callee.object) : undefined;
  const each = collection === undefined ? 'each element' : `each element of \`${collection}\``;
  if (method === 'forEach') return `an async \`.forEach\` callback, started at once for ${each}`;
  const isArrayFrom = method === 'from' && callee.type === 'MemberExpression' && unwrap(callee.object).type === 'Identifier'
    && (unwrap(callee.object) as TSESTree.Identifier).name === 'Array';
  if ((method === 'map' || method === 'flatMap' || isArrayFrom) && flowsIntoPromiseCombinator(file, call)) {
    return `an async callback run concurrently for ${isArrayFrom ? 'each element' : each} (the promises go to a \`Promise\` combinator)`;
  }
  return undefined;
}

/** An array literal, or a `const` bound to one and never changed: its length is fixed in the code. */
function isLiteralList(file: AnalyzedFile, raw: TSESTree.Node): boolean {
  const node = unwrap(raw);
  if (node.type === 'ArrayExpression') return node.elements.every((element) => element !== null && element.type !== 'SpreadElement');
  if (node.type !== 'Identifier') return false;
  const variable = findVariable(file.scopeManager, node);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (def?.type !== 'Variable' || def.parent?.type !== 'VariableDeclaration' || def.parent.kind !== 'const') return false;
  const init = (def.node as TSESTree.VariableDeclarator).init;
  if (!init || unwrap(init).type !== 'ArrayExpression') return false;
  // A list that is pushed to or spliced afterwards is sized by what the code adds.
  return variable!.references.every((reference) => {
    const parent = reference.identifier.parent;
    return !(parent?.type === 'MemberExpression' && parent.object === reference.identifier && ['push', 'unshift', 'splice'].includes(propertyName(parent) ?? ''));
  }) && isLiteralList(file, init);
}

function shortName(file: AnalyzedFile, node: TSESTree.Node): string | undefined {
  const text = file.text.slice(node.range[0], node.range[1]);
  return text.length <= 40 && !text.includes('\n') ? text : undefined;
}

function isPromiseCombinatorCall(node: TSESTree.Node | undefined): node is TSESTree.CallExpression {
  if (node?.type !== 'CallExpression') return false;
  const callee = unwrap(node.callee);
  return callee.type === 'MemberExpression' && unwrap(callee.object).type === 'Identifier'
    && (unwrap(callee.object) as TSESTree.Identifier).name === 'Promise' && promiseCombinators.has(propertyName(callee) ?? '');
}

/** `Promise.all(xs.map(...))`, or `const ps = xs.map(...); ... Promise.all(ps)`. */
function flowsIntoPromiseCombinator(file: AnalyzedFile, call: TSESTree.CallExpression): boolean {
  let node: TSESTree.Node = call;
  while (node.parent && (node.parent.type === 'TSAsExpression' || node.parent.type === 'TSNonNullExpression' || node.parent.type === 'ChainExpression')) node = node.parent;
  const parent = node.parent;
  if (isPromiseCombinatorCall(parent) && parent.arguments[0] === node) return true;
  if (parent?.type !== 'VariableDeclarator' || parent.init !== node || parent.id.type !== 'Identifier') return false;
  const variable = declaredVariable(file, parent.id);
  return variable?.references.some((reference) => {
    const used = reference.identifier as TSESTree.Node;
    return isPromiseCombinatorCall(used.parent) && used.parent.arguments[0] === used;
  }) ?? false;
}

/**
 * The call sits in a loop (inside `fn`) whose body starts work it does not wait for: an async callback handed to a
 * call that is not awaited (`promises.push(limit(async () => ...))`, `queue.add(async () => ...)`), or a push into
 * an array that `fn` later hands to a `Promise` combinator. From the second turn on, that work is in flight.
 */
function inLoopStartingConcurrentWork(file: AnalyzedFile, node: TSESTree.Node, fn: FunctionNode): boolean {
  for (let up = node.parent; up && up !== fn; up = up.parent) {
    if (up.type !== 'ForStatement' && up.type !== 'ForOfStatement' && up.type !== 'ForInStatement' && up.type !== 'WhileStatement' && up.type !== 'DoWhileStatement') continue;
    for (const inner of descendants(up.body)) {
      if (inner.type !== 'CallExpression' || inner.parent?.type === 'AwaitExpression') continue;
      if (inner.arguments.some((argument) => isFunctionNode(argument) && argument.async)) return true;
      const callee = unwrap(inner.callee);
      if (callee.type === 'MemberExpression' && propertyName(callee) === 'push' && unwrap(callee.object).type === 'Identifier') {
        const variable = declaredVariable(file, unwrap(callee.object) as TSESTree.Identifier);
        const joined = variable?.references.some((reference) => {
          const used = reference.identifier as TSESTree.Node;
          return isPromiseCombinatorCall(used.parent) && used.parent.arguments[0] === used;
        });
        if (joined) return true;
      }
    }
  }
  return false;
}

/**
 * Start-up code: named like it (see `startupName`), an immediately invoked function at module level, or a
 * module-private function only ever called from module level or from other start-up code.
 */
function isStartupFunction(file: AnalyzedFile, fn: FunctionNode, depth: number): boolean {
  if (depth > 4) return false;
  const name = functionName(fn);
  if (name !== undefined && startupName.test(name)) return true;
  const parent = fn.parent;
  if (parent?.type === 'CallExpression' && parent.callee === fn) return isModuleLevel(file, parent, depth);
  if (isPluginRegistration(file, fn, fn)) return true;
  const binding = bindingIdentifier(fn);
  if (!binding) return false;
  if (declaredVariable(file, binding)?.references.some((reference) => isPluginRegistration(file, fn, reference.identifier as TSESTree.Node))) return true;
  if (isExported(binding)) return false;
  const variable = declaredVariable(file, binding);
  if (!variable) return false;
  const uses = variable.references.filter((reference) => !reference.init && reference.identifier !== binding);
  if (uses.length === 0) return false;
  return uses.every((reference) => {
    const identifier = reference.identifier as TSESTree.Node;
    const call = identifier.parent;
    if (call?.type !== 'CallExpression' || call.callee !== identifier) return false;
    return isModuleLevel(file, call, depth);
  });
}

/**
 * A plugin's registration function runs once, when the server starts: `app.register(fn)`, fastify-plugin's
 * `fp(fn)`, and hapi's `{ name, register: fn }`. Its request handlers are recognised on their own.
 */
function isPluginRegistration(file: AnalyzedFile, fn: FunctionNode, position: TSESTree.Node): boolean {
  const parent = position.parent;
  if (parent?.type === 'Property' && parent.value === position && position === fn) return keyName(parent.key, parent.computed) === 'register';
  if (parent?.type !== 'CallExpression' || parent.arguments[0] !== position) return false;
  if (calledMethodName(parent) === 'register') return true;
  const callee = unwrap(parent.callee);
  return resolveModuleMember(file, callee)?.module === 'fastify-plugin';
}

/** True when `node` runs while the module loads, or inside start-up code. */
function isModuleLevel(file: AnalyzedFile, node: TSESTree.Node, depth: number): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return true;
  return isStartupFunction(file, fn, depth + 1);
}

function bindingIdentifier(fn: FunctionNode): TSESTree.Identifier | undefined {
  if (fn.type === 'FunctionDeclaration') return fn.id ?? undefined;
  const parent = fn.parent;
  if (parent?.type === 'VariableDeclarator' && parent.init === fn && parent.id.type === 'Identifier') return parent.id;
  return undefined;
}

function isExported(binding: TSESTree.Identifier): boolean {
  for (let node: TSESTree.Node | undefined = binding.parent; node; node = node.parent) {
    if (node.type === 'ExportNamedDeclaration' || node.type === 'ExportDefaultDeclaration') return true;
    if (node.type === 'Program' || isFunctionNode(node) || node.type === 'BlockStatement') break;
  }
  return false;
}

/**
 * When `fn` is an HTTP handler, a label for messages ("the `GET /users` route handler"), else `undefined`.
 * Recognised: express/koa/fastify-style `app.get('/path', fn)` and `router.route('/path').get(fn)`,
 * `app.use(fn)` middleware taking (req, res) or (ctx, next), `http.createServer(fn)` and servers'
 * `'request'`/`'connection'` listeners, and fastify's `{ handler: fn }` route options.
 */
export function requestHandlerLabel(file: AnalyzedFile, fn: FunctionNode): string | undefined {
  const inline = handlerLabelAt(file, fn, fn);
  if (inline !== undefined) return inline;
  // function getUsers(req, res) { ... }  app.get('/users', getUsers)
  const binding = bindingIdentifier(fn);
  const variable = binding ? declaredVariable(file, binding) : undefined;
  for (const reference of variable?.references ?? []) {
    if (reference.init || reference.identifier === binding) continue;
    const label = handlerLabelAt(file, fn, reference.identifier as TSESTree.Node);
    if (label !== undefined) return label;
  }
  return handlerSignatureLabel(fn);
}

/**
 * A function whose first two parameters are a request and its response, `(req, res)` (node's and express' names,
 * `reply` for fastify), or koa's `(ctx, next)`: whoever calls it, it runs once per request.
 */
function handlerSignatureLabel(fn: FunctionNode): string | undefined {
  const [first, second] = fn.params;
  if (first?.type !== 'Identifier' || second?.type !== 'Identifier') return undefined;
  const request = /^(?:req|request)$/u.test(first.name) && /^(?:res|response|reply)$/u.test(second.name);
  const koa = first.name === 'ctx' && second.name === 'next';
  if (!request && !koa) return undefined;
  const name = functionName(fn);
  return `the request handler \`${name ?? 'function'}(${first.name}, ${second.name})\``;
}

/** The handler label when `position` (the function itself, or a name for it) is passed where a handler goes. */
function handlerLabelAt(file: AnalyzedFile, fn: FunctionNode, position: TSESTree.Node): string | undefined {
  const parent = position.parent;
  if (parent?.type === 'Property' && parent.value === position && keyName(parent.key, parent.computed) === 'handler') {
    const object = parent.parent;
    const call = object?.parent;
    if (call?.type === 'CallExpression' && calledMethodName(call) === 'route') return 'the route handler';
    return undefined;
  }
  if (parent?.type !== 'CallExpression' || !(parent.arguments as readonly TSESTree.Node[]).includes(position)) return undefined;
  const callee = unwrap(parent.callee);
  const method = calledMethodName(parent);
  if (method === undefined || callee.type !== 'MemberExpression') {
    return undefined;
  }
  if (method === 'createServer') {
    const member = resolveModuleMember(file, callee);
    if (member && serverModules.has(member.module)) return `the \`${member.module}.createServer\` request handler`;
    return undefined;
  }
  const [first] = parent.arguments;
  if (method === 'on' || method === 'once' || method === 'addListener') {
    const event = first && first.type === 'Literal' && typeof first.value === 'string' ? first.value : undefined;
    // process.stdin's 'data' is what someone types: a command now and then, not a stream of requests
    const interactive = file.text.slice(callee.object.range[0], callee.object.range[1]) === 'process.stdin';
    return event !== undefined && requestEvents.has(event) && !interactive && parent.arguments[1] === position ? `the \`'${event}'\` listener` : undefined;
  }
  if (routeMethods.has(method)) {
    const path = first && first !== position ? routePath(first) : routePathOfChain(callee.object);
    if (path === undefined) return undefined;
    return `the \`${method.toUpperCase()} ${path}\` route handler`;
  }
  if (method === 'use') {
    const params = fn.params.length;
    const firstParam = fn.params[0];
    const looksLikeMiddleware = params >= 2 || (firstParam?.type === 'Identifier' && /^(?:req|request|ctx|context)$/u.test(firstParam.name));
    if (!looksLikeMiddleware) return undefined;
    const path = first && first !== position ? routePath(first) : undefined;
    return path === undefined ? 'the middleware' : `the \`${path}\` middleware`;
  }
  return undefined;
}

function routePath(node: TSESTree.Node): string | undefined {
  if (node.type === 'Literal' && typeof node.value === 'string' && /^[/*]/u.test(node.value)) return node.value;
  if (node.type === 'Literal' && 'regex' in node && node.regex) return `/${node.regex.pattern}/`;
  if (node.type === 'TemplateLiteral' && node.quasis[0]?.value.cooked?.startsWith('/')) return node.quasis.map((q) => q.value.cooked).join('…');
  if (node.type === 'ArrayExpression' && node.elements.length > 0 && node.elements.every((e) => e && routePath(e) !== undefined)) {
    return node.elements.map((e) => routePath(e!)).join(', ');
  }
  return undefined;
}

/** `router.route('/users').get(fn)`: the path given to `.route(...)` earlier in the chain. */
function routePathOfChain(object: TSESTree.Node): string | undefined {
  let current = unwrap(object);
  while (current.type === 'CallExpression') {
    if (calledMethodName(current) === 'route' && current.arguments[0]) return routePath(current.arguments[0]);
    const callee = unwrap(current.callee);
    if (callee.type !== 'MemberExpression') return undefined;
    current = unwrap(callee.object);
  }
  return undefined;
}
