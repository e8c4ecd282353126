import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import type { Confidence } from '../../model/confidence.js';
import { isGlobalReference, isSingleAssignment, resolveModuleMember, variableOf } from '../import-bindings.js';
import { unwrap } from '../syntax.js';
import { calledMethodName, isFunctionNode, ownDescendants, propertyName, type FunctionNode } from '../walk-ast.js';
import { returnsPromise } from '../summaries/returns-promise.js';
import { noEffectReason } from '../summaries/noise.js';
import { isLimiter, isLimiterCall, type LimiterOptions } from './limiters.js';
import { reachesService } from './service-reach.js';

/**
 * What one element of a fan-out starts: nothing new (`tasks.map((t) => t.promise)`, closing held resources), work
 * run through a limiter, or work of its own, with how sure we are that the work is asynchronous.
 */
export interface Work {
  readonly kind: 'none' | 'limited' | 'work';
  readonly confidence: Confidence;
  /** "an async callback", "a call to `fetchUser`" */
  readonly label: string;
  readonly reason: string;
}

export function pushedWork(file: AnalyzedFile, argument: TSESTree.Node, options: LimiterOptions): Work {
  let node = unwrap(argument);
  // const p = fetch(url); promises.push(p)
  if (node.type === 'Identifier') {
    const variable = variableOf(file, node);
    const def = variable && isSingleAssignment(variable) ? variable.defs[0] : undefined;
    const init = def?.type === 'Variable' ? (def.node as TSESTree.VariableDeclarator).init : null;
    if (init && (def!.node as TSESTree.VariableDeclarator).id.type === 'Identifier') node = unwrap(init);
  }
  if (node.type === 'SpreadElement') return { kind: 'none', confidence: 'high', label: '', reason: '' };
  if (node.type === 'CallExpression' || node.type === 'NewExpression') {
    if (node.type === 'CallExpression' && isLimiterCall(file, node, options)) return { kind: 'limited', confidence: 'high', label: '', reason: '' };
    if (node.type === 'CallExpression' && invokesHeldFunction(node)) return none();
    if (node.type === 'CallExpression' && isFunctionNode(unwrap(node.callee))) {
      const fn = unwrap(node.callee) as FunctionNode;
      return fn.async ? withServiceEvidence(file, fn, { kind: 'work', confidence: 'high', label: 'an async IIFE', reason: 'each iteration starts an async function' }) : none();
    }
    const name = calleeText(file, node);
    return withServiceEvidence(file, node, {
      kind: 'work',
      confidence: 'high',
      label: `\`${name}(...)\``,
      reason: knownAsync(file, node) ? `\`${name}\` is asynchronous` : `each iteration calls \`${name}\` and the promise is kept`,
    });
  }
  return none();
}

/**
 * `listeners[i].call(this, event)`, `closer()`, `client.quit()`: the loop runs functions or closes resources the
 * program holds, whose number it controls.
 */
function invokesHeldFunction(call: TSESTree.CallExpression): boolean {
  let callee = unwrap(call.callee);
  if (callee.type === 'MemberExpression') {
    const method = propertyName(callee);
    if (method !== undefined && teardownMethods.has(method.replace(/^[_#]+/u, ''))) return true;
    if (method === 'call' || method === 'apply') callee = unwrap(callee.object);
    else if (method === 'catch' || method === 'then' || method === 'finally') {
      const inner = unwrap(callee.object);
      return inner.type === 'CallExpression' && invokesHeldFunction(inner);
    }
  }
  if (callee.type === 'MemberExpression') return callee.computed;
  // closer() where closer is the element of the loop or of the forEach callback
  return callee.type === 'Identifier' && isLoopElement(callee, call);
}

function isLoopElement(identifier: TSESTree.Identifier, from: TSESTree.Node): boolean {
  for (let node = from.parent; node; node = node.parent) {
    if (node.type === 'ForOfStatement' && node.left.type === 'VariableDeclaration') {
      const id = node.left.declarations[0]?.id;
      if (id?.type === 'Identifier' && id.name === identifier.name) return true;
    }
    if (isFunctionNode(node)) {
      const first = node.params[0];
      const parent = node.parent;
      const isForEachCallback = parent?.type === 'CallExpression' && parent.arguments[0] === node && calledMethodName(parent) === 'forEach';
      return isForEachCallback && first?.type === 'Identifier' && first.name === identifier.name;
    }
  }
  return false;
}

function none(): Work {
  return { kind: 'none', confidence: 'high', label: '', reason: '' };
}

/** What a map callback does per element: nothing that starts work, work through a limiter, or unbounded work. */
export function workOf(file: AnalyzedFile, callback: TSESTree.Node, options: LimiterOptions): Work {
  const node = unwrap(callback);
  if (isFunctionNode(node)) return functionWork(file, node, options);
  if (node.type === 'Identifier' || node.type === 'MemberExpression') {
    // xs.map(Promise.resolve), xs.map(Unpromise.resolve): wraps each element (found on @trpc/server); starts nothing.
    if (node.type === 'MemberExpression' && propertyName(node) === 'resolve') return none();
    if (isLimiter(file, node, options)) return { kind: 'limited', confidence: 'high', label: '', reason: '' };
    const name = textOf(file, node);
    const declared = node.type === 'Identifier' ? localFunction(file, node) : undefined;
    if (declared) {
      const inner = functionWork(file, declared, options);
      if (inner.kind !== 'work') return inner;
      return { kind: 'work', confidence: inner.confidence, label: `\`${name}\``, reason: declared.async ? `\`${name}\` is an async function` : inner.reason };
    }
    return { kind: 'work', confidence: 'medium', label: `\`${name}\``, reason: `\`${name}\` is called for each element and we cannot see whether it limits itself` };
  }
  if (node.type === 'CallExpression') {
    // xs.map(limit.wrap(f)), xs.map(throttle(f))
    if (isLimiterCall(file, node, options)) return { kind: 'limited', confidence: 'high', label: '', reason: '' };
    return { kind: 'work', confidence: 'medium', label: `\`${textOf(file, node)}\``, reason: 'the mapper is made by a call we cannot see into' };
  }
  return none();
}

export function functionWork(file: AnalyzedFile, fn: FunctionNode, options: LimiterOptions): Work {
  if (threadPoolOnly(file, fn, 0)) return none();
  let calls = 0;
  let firstCall: TSESTree.CallExpression | TSESTree.NewExpression | undefined;
  let awaits = 0;
  let asyncKnown = false;
  const elementNames = parameterNames(fn);
  for (const node of ownDescendants(fn.body)) {
    if (isFunctionNode(node)) continue;
    if (node.type === 'AwaitExpression' && !isElement(node.argument, elementNames)) awaits += 1;
    if (node.type === 'CallExpression') {
      if (isLimiterCall(file, node, options)) return { kind: 'limited', confidence: 'high', label: '', reason: '' };
      if (startsNoNewWork(node, elementNames)) continue;
      calls += 1;
      firstCall ??= node;
      if (knownAsync(file, node)) asyncKnown = true;
    }
    if (node.type === 'NewExpression') calls += 1;
  }
  if (fn.async) {
    if (awaits === 0 && calls === 0) return none();
    return withServiceEvidence(file, fn, { kind: 'work', confidence: 'high', label: 'an async callback', reason: 'the callback is async' });
  }
  if (calls === 0 || !firstCall) return none();
  const name = calleeText(file, firstCall);
  return withServiceEvidence(file, fn, {
    kind: 'work',
    confidence: 'high',
    label: `\`${name}(...)\``,
    reason: asyncKnown ? `\`${name}\` is asynchronous` : `the callback's promise comes from \`${name}\``,
  });
}

/**
 * High confidence needs evidence that each element's work reaches a service (see service-reach.ts): an async
 * callback that only awaits helpers we cannot see into, CPU work or in-memory promises is `medium`. On the strict
 * review of issue 11 most high findings whose work was not a request to a service were wrong (local copies of a
 * build's icons, files read synchronously, a callback the caller passes).
 */
function withServiceEvidence(file: AnalyzedFile, root: TSESTree.Node, work: Work): Work {
  if (reachesService(file, root)) return { ...work, reason: `${work.reason} and reaches a service or a file per element` };
  return { ...work, confidence: 'medium', reason: `${work.reason}, but we cannot see it reach a service per element` };
}

/**
 * File-system calls that are one libuv request each: the request opens and closes whatever it needs inside the
 * thread pool (four threads by default), so any number of them just queues. No descriptor is held between requests
 * and no service sits on the other end; `readFile`, `open`, streams and recursive copies are not here (they hold a
 * descriptor across several requests, which is how a wide fan-out runs out of them).
 */
const threadPoolFsCalls: ReadonlySet<string> = new Set([
  'stat', 'lstat', 'access', 'realpath', 'readlink', 'readdir', 'mkdir', 'rmdir', 'rm', 'unlink', 'rename', 'chmod',
  'chown', 'lchown', 'utimes', 'lutimes', 'copyFile', 'symlink', 'link',
]);
/** fs-extra's names for the same single requests (`remove` is `rm -r`, `ensureDir` is `mkdir -p`). */
const fsExtraThreadPoolCalls: ReadonlySet<string> = new Set(['pathExists', 'ensureDir', 'mkdirp', 'mkdirs', 'remove']);
const fsModules: ReadonlySet<string> = new Set(['fs', 'graceful-fs', 'fs-extra', 'original-fs']);
/** `join(dir, name)` imported from 'path': string work. */
const pureModules: ReadonlySet<string> = new Set(['path', 'url', 'querystring']);

function isThreadPoolFsCall(file: AnalyzedFile, call: TSESTree.CallExpression): boolean {
  const member = resolveModuleMember(file, call.callee);
  if (!member || !fsModules.has(member.module)) return false;
  const path = member.path[0] === 'promises' ? member.path.slice(1) : member.path;
  if (path.length !== 1) return false;
  return threadPoolFsCalls.has(path[0]!) || (member.module === 'fs-extra' && fsExtraThreadPoolCalls.has(path[0]!));
}

/**
 * True when all `fn` starts per element is thread-pool file-system requests (`lstat`, `realpath`, `rm`, `chmod`):
 * libuv queues them, so the fan-out is as wide as the pool, whatever the collection. Logging, pure helpers, errors,
 * a recursive call of the function that fans out (a directory walk) and local synchronous helpers that do the same
 * are allowed beside them; any other call is work we cannot bound.
 */
function threadPoolOnly(file: AnalyzedFile, fn: FunctionNode, depth: number): boolean {
  if (depth > 2) return false;
  let fsCalls = 0;
  for (const node of ownDescendants(fn.body)) {
    if (isFunctionNode(node)) continue;
    if (node.type === 'NewExpression') {
      if (noEffectReason(file, node, fn) === undefined) return false;
      continue;
    }
    if (node.type === 'ImportExpression' || node.type === 'TaggedTemplateExpression') return false;
    if (node.type !== 'CallExpression') continue;
    if (isThreadPoolFsCall(file, node)) { fsCalls += 1; continue; }
    if (pureModules.has(resolveModuleMember(file, node.callee)?.module ?? '')) continue;
    if (isSynchronousBuiltinCall(node) || noEffectReason(file, node, fn) !== undefined) continue;
    if (chainsOnCall(node)) continue;
    const callee = unwrap(node.callee);
    if (callee.type === 'MemberExpression' && inMemoryMethod(file, callee)) continue;
    if (callee.type !== 'Identifier') return false;
    if (callsEnclosingFunction(file, callee, fn)) continue;
    const helper = localFunction(file, callee);
    if (!helper || helper.async || !threadPoolOnly(file, helper, depth + 1)) return false;
  }
  return depth > 0 || fsCalls > 0;
}

/**
 * Calls that stay in memory: `stats.isDirectory()`, `PATTERN.exec(name)` on a regular expression, `found.push(x)`
 * (no client method is called `push`; `set` and `add` are left out, a cache client has those).
 */
function inMemoryMethod(file: AnalyzedFile, callee: TSESTree.MemberExpression): boolean {
  const method = propertyName(callee);
  if (method === 'isFile' || method === 'isDirectory' || method === 'isSymbolicLink' || method === 'push' || method === 'unshift') return true;
  if (method !== 'test' && method !== 'exec') return false;
  let receiver = unwrap(callee.object);
  if (receiver.type === 'Identifier') {
    const variable = variableOf(file, receiver);
    const def = variable && isSingleAssignment(variable) ? variable.defs[0] : undefined;
    const init = def?.type === 'Variable' ? (def.node as TSESTree.VariableDeclarator).init : null;
    if (!init) return false;
    receiver = unwrap(init);
  }
  return receiver.type === 'Literal' && 'regex' in receiver && receiver.regex !== undefined;
}

/** `rm(x).catch(...)`, `stat(p).then(...)`: the chained call adds no request of its own; the inner call is judged. */
function chainsOnCall(call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression') return false;
  const method = propertyName(callee);
  return (method === 'then' || method === 'catch' || method === 'finally') && unwrap(callee.object).type === 'CallExpression';
}

/** `walk(dir)` inside the callback that `walk` itself fans out: recursion repeats the fan-out being judged. */
function callsEnclosingFunction(file: AnalyzedFile, callee: TSESTree.Identifier, from: TSESTree.Node): boolean {
  const target = localFunction(file, callee);
  if (!target) return false;
  for (let node = from.parent; node; node = node.parent) {
    if (node === target) return true;
  }
  return false;
}

/** The names a callback binds from its first parameter (the element): `x`, or `send` of `({ send }) => ...`. */
function parameterNames(fn: FunctionNode): ReadonlySet<string> {
  const names = new Set<string>();
  const first = fn.params[0];
  if (!first) return names;
  const stack: TSESTree.Node[] = [first];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'Identifier') names.add(node.name);
    else if (node.type === 'ObjectPattern') for (const p of node.properties) stack.push(p.type === 'Property' ? p.value : p.argument);
    else if (node.type === 'ArrayPattern') for (const e of node.elements) { if (e) stack.push(e); }
    else if (node.type === 'AssignmentPattern') stack.push(node.left);
    else if (node.type === 'RestElement') stack.push(node.argument);
  }
  return names;
}

function isElement(node: TSESTree.Node, elementNames: ReadonlySet<string>): boolean {
  let current = unwrap(node);
  while (current.type === 'MemberExpression') current = unwrap(current.object);
  return current.type === 'Identifier' && elementNames.has(current.name);
}

const chainingMethods: ReadonlySet<string> = new Set(['then', 'catch', 'finally', 'call', 'apply', 'bind']);
/** Closing what the program holds: fanning out over it is how shutdown is meant to work. */
const teardownMethods: ReadonlySet<string> = new Set([
  'close', 'quit', 'disconnect', 'destroy', 'kill', 'terminate', 'end', 'endSession', 'stop', 'dispose', 'unsubscribe',
  'abort', 'cancel', 'release', 'shutdown', 'unref', 'removeAllListeners',
]);

/**
 * Calls that start no new work per element: the element is already a promise or a function the program made
 * (`p.catch(...)`, `send()` of `({ send }) => send()`, `listener.call(...)`), or the call closes something held.
 */
function startsNoNewWork(call: TSESTree.CallExpression, elementNames: ReadonlySet<string>): boolean {
  if (isSynchronousBuiltinCall(call)) return true;
  const callee = unwrap(call.callee);
  if (callee.type === 'Identifier' && elementNames.has(callee.name)) return true;
  if (callee.type !== 'MemberExpression') return false;
  const method = propertyName(callee);
  if (method !== undefined && teardownMethods.has(method.replace(/^[_#]+/u, ''))) return true;
  if (method === 'resolve' && call.arguments.length === 1 && isElement(call.arguments[0]!, elementNames)) return true;
  if (method !== undefined && chainingMethods.has(method)) {
    const target = unwrap(callee.object);
    if (isElement(target, elementNames)) return true;
    // f(x).then(...) is the work of f(x): counted when the walk reaches f(x) itself.
    return target.type === 'CallExpression';
  }
  return false;
}

/** String and array methods that compute a value and start nothing. */
const pureMethods: ReadonlySet<string> = new Set([
  'includes', 'indexOf', 'lastIndexOf', 'join', 'split', 'slice', 'trim', 'trimStart', 'trimEnd', 'toLowerCase',
  'toUpperCase', 'startsWith', 'endsWith', 'replace', 'replaceAll', 'padStart', 'padEnd', 'toString', 'toFixed', 'at',
]);
/** Array methods that take a synchronous callback: with a function argument they are iteration, not I/O. */
const callbackArrayMethods: ReadonlySet<string> = new Set(['find', 'findIndex', 'findLast', 'filter', 'some', 'every', 'map', 'flatMap', 'reduce', 'forEach', 'sort']);

/** `allMigrations.find((m) => ...)`, `name.toLowerCase()`: the callback computes a value, it starts no work. */
function isSynchronousBuiltinCall(call: TSESTree.CallExpression): boolean {
  const method = calledMethodName(call);
  if (method === undefined) return false;
  if (pureMethods.has(method)) return true;
  const first = call.arguments[0];
  return callbackArrayMethods.has(method) && first !== undefined && isFunctionNode(unwrap(first));
}

/** Calls we know return a promise: `fetch`, a local async function, `fs.promises.*`, and `axios`/`got` requests. */
export function knownAsync(file: AnalyzedFile, call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  // With type information the checker's answer settles it; without, the shapes below.
  if (returnsPromise(file, call) === true) return true;
  const callee = unwrap(call.callee);
  if (callee.type === 'Identifier') {
    if (callee.name === 'fetch' && isGlobalReference(file, callee)) return true;
    if (localFunction(file, callee)?.async) return true;
  }
  const member = resolveModuleMember(file, callee);
  if (!member) return false;
  if (member.path[0] === 'promises') return true;
  return ['axios', 'got', 'node-fetch', 'undici', 'ky'].includes(member.module);
}

export function localFunction(file: AnalyzedFile, identifier: TSESTree.Identifier): FunctionNode | undefined {
  const variable = variableOf(file, identifier);
  if (!variable || !isSingleAssignment(variable)) return undefined;
  const def = variable.defs[0];
  if (def?.type === 'FunctionName' && def.node.type === 'FunctionDeclaration') return def.node;
  if (def?.type === 'Variable') {
    const init = (def.node as TSESTree.VariableDeclarator).init;
    if (init && isFunctionNode(unwrap(init))) return unwrap(init) as FunctionNode;
  }
  return undefined;
}


function calleeText(file: AnalyzedFile, call: TSESTree.CallExpression | TSESTree.NewExpression): string {
  return textOf(file, call.callee);
}

function textOf(file: AnalyzedFile, node: TSESTree.Node): string {
  return file.text.slice(node.range[0], node.range[1]);
}
