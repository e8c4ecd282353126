import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { declaredVariable, isGlobalReference, resolveModuleMember } from '../import-bindings.js';
import { calledMethodName, enclosingFunction, isFunctionNode, keyName, propertyName, type FunctionNode } from '../walk-ast.js';
import { unwrap } from '../syntax.js';

/**
 * Where a synchronous call runs, as far as blocking the event loop goes.
 * - `async-function`: inside an async function that is not start-up code; other work is meant to run meanwhile.
 * - `request-handler`: inside a (synchronous) HTTP request or connection handler; it runs once per request.
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
}

/**
 * Names that mark start-up code: it runs once before the program serves anything, so blocking there delays start
 * but starves nobody. Matched against the function's own name, its variable, or its method key.
 */
const startupName = /^(?:main|bootstrap|boot|init|initiali[sz]e|setup|startup|start|run|cli|configure|prepare|install|load(?:Config|Configuration|Env|Environment|Settings|Options|Plugins)|(?:init|initiali[sz]e|setup|bootstrap|configure)[A-Z_].*)$/u;

/** Synchronous callbacks that run before the call that takes them returns: blocking in them blocks the caller. */
const inlineCallbackMethods: ReadonlySet<string> = new Set([
  'forEach', 'map', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast',
  'findLastIndex', 'sort', 'toSorted',
]);

const routeMethods: ReadonlySet<string> = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head']);
const serverModules: ReadonlySet<string> = new Set(['http', 'https', 'http2', 'net', 'tls']);
const requestEvents: ReadonlySet<string> = new Set(['request', 'connection', 'upgrade', 'stream', 'secureConnection']);
/** Test runners' globals: callbacks given to them are test code, where a blocking read is harmless. */
const testFunctions: ReadonlySet<string> = new Set([
  'describe', 'it', 'test', 'suite', 'beforeAll', 'beforeEach', 'afterAll', 'afterEach', 'before', 'after', 'bench',
]);

/**
 * Decides whether a synchronous call at `node` blocks code that runs while the program serves work. Returns
 * `undefined` at module level, in start-up code, in test callbacks and in ordinary synchronous functions (which we
 * cannot place: they may only run at start-up). See docs/rules/no-blocking-in-async.md for the exact rules.
 */
export function blockingContextOf(file: AnalyzedFile, node: TSESTree.Node, cliEntry: boolean, depth = 0): BlockingContext | undefined {
  if (runsOncePerProcess(file, node)) return undefined;
  let viaCallback = false;
  let callbackNote = '';
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    if (isTestCallback(file, fn)) return undefined;
    if (fn.async) {
      if (cliEntry || isStartupFunction(file, fn, 0) || isCliCommand(fn)) return undefined;
      const route = requestHandlerLabel(file, fn);
      return {
        kind: 'async-function',
        owner: fn,
        description: `${callbackNote}in ${route ? route.replace(/^the /u, 'the async ') : `async ${describeFunction(fn)}`}`,
        canAwait: !viaCallback,
        viaHelper: false,
      };
    }
    const route = requestHandlerLabel(file, fn);
    if (route !== undefined) {
      return { kind: 'request-handler', owner: fn, description: `${callbackNote}in ${route}`, canAwait: false, viaHelper: false };
    }
    const inline = inlineCallbackLabel(fn);
    if (inline === undefined) return depth < 3 ? helperContext(file, fn, cliEntry, depth) : undefined;
    if (!viaCallback) callbackNote = `in a ${inline} callback `;
    viaCallback = true;
  }
  return undefined;
}

/**
 * A synchronous helper private to the module (`function readJson(p) { return JSON.parse(fs.readFileSync(p)) }`)
 * blocks wherever it is called: when one of its calls is in an async function or a handler, the helper's blocking
 * call is reported in that context. Only for helpers whose every use is a direct call, so nothing escapes.
 */
function helperContext(file: AnalyzedFile, fn: FunctionNode, cliEntry: boolean, depth: number): BlockingContext | undefined {
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
    const outer = blockingContextOf(file, call, cliEntry, depth + 1);
    if (outer) {
      const name = functionName(fn) ?? 'a helper';
      return {
        kind: outer.kind,
        owner: outer.owner,
        description: `in \`${name}\`, called on line ${call.loc.start.line} ${outer.description}`,
        canAwait: false,
        viaHelper: true,
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

/** Commander/yargs/cac command actions: each runs once per CLI invocation. */
function isCliCommand(fn: FunctionNode): boolean {
  const parent = fn.parent;
  if (parent?.type !== 'CallExpression' || !(parent.arguments as readonly TSESTree.Node[]).includes(fn)) return false;
  const method = calledMethodName(parent);
  return method === 'action' || method === 'command';
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
  const binding = bindingIdentifier(fn);
  if (!binding) return false;
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
  return undefined;
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
    return event !== undefined && requestEvents.has(event) && parent.arguments[1] === position ? `the \`'${event}'\` listener` : undefined;
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
