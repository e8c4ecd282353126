import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { isGlobalReference, isSingleAssignment, resolveModuleMember, variableOf } from '../import-bindings.js';
import { unwrap } from '../syntax.js';
import { calledMethodName, isFunctionNode, ownDescendants, propertyName } from '../walk-ast.js';
import { cappedByMin, collectionSize, constantNumber, type CollectionSize } from './collection-size.js';
import { isLimiterName, type LimiterOptions } from './limiters.js';
import { functionWork, localFunction, pushedWork, workOf, type Work } from './work.js';

/**
 * The places a file starts async work for every element of a collection at once, with what each element starts
 * and how large the collection is as far as the code shows. `no-unbounded-concurrency` judges these facts against
 * its options; nothing here decides what is reported.
 */
export type FanOutSite = MapFanOut | PushLoopFanOut | AsyncCallbackFanOut | PMapFanOut;

/** `Promise.all(xs.map(f))`, `Promise.all(Array.from(xs, f))`, `const ps = xs.map(f); await Promise.all(ps)`. */
export interface MapFanOut {
  readonly kind: 'map';
  /** The `Promise.*` call. */
  readonly call: TSESTree.CallExpression;
  readonly combinator: string;
  readonly mapCall: TSESTree.CallExpression;
  readonly collection: TSESTree.Node;
  readonly callback: TSESTree.Node;
  readonly work: Work;
  readonly size: CollectionSize;
}

export interface PushedWork {
  readonly push: TSESTree.CallExpression;
  readonly loop: TSESTree.Node;
  readonly work: Work;
  readonly size: CollectionSize;
}

/** `for (...) ps.push(f(x)); await Promise.all(ps)`: one candidate per `push` in a loop, in source order. */
export interface PushLoopFanOut {
  readonly kind: 'push-loop';
  readonly call: TSESTree.CallExpression;
  readonly combinator: string;
  readonly array: TSESTree.Identifier;
  readonly pushes: readonly PushedWork[];
}

/** `xs.forEach(async (x) => ...)` or a dropped `xs.map(async ...)`. */
export interface AsyncCallbackFanOut {
  readonly kind: 'async-callback';
  readonly call: TSESTree.CallExpression;
  readonly method: string;
  readonly collection: TSESTree.Node;
  readonly work: Work;
  readonly size: CollectionSize;
}

/** `pMap(xs, mapper)` without a finite `concurrency`. */
export interface PMapFanOut {
  readonly kind: 'p-map';
  readonly call: TSESTree.CallExpression;
  readonly input: TSESTree.Node;
  readonly mapper: TSESTree.Node;
  /** The options object when there is one (it has no finite `concurrency`). */
  readonly settings: TSESTree.ObjectExpression | undefined;
  readonly size: CollectionSize;
}

const combinators: ReadonlySet<string> = new Set(['all', 'allSettled', 'any', 'race']);
const mapMethods: ReadonlySet<string> = new Set(['map', 'flatMap']);

/** The fan-out sites one call makes, in the order a detector should consider them (empty when it makes none). */
export function fanOutSitesAt(file: AnalyzedFile, call: TSESTree.CallExpression, options: LimiterOptions): FanOutSite[] {
  const combinator = combinatorSites(file, call, options);
  if (combinator.length > 0) return combinator;
  const callback = asyncCallbackSite(file, call, options);
  if (callback) return [callback];
  const pMap = pMapSite(file, call);
  return pMap ? [pMap] : [];
}

function combinatorSites(file: AnalyzedFile, call: TSESTree.CallExpression, options: LimiterOptions): FanOutSite[] {
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression') return [];
  const object = unwrap(callee.object);
  const method = propertyName(callee);
  if (object.type !== 'Identifier' || !(object.name === 'Promise' && isGlobalReference(file, object)) && !isBluebird(file, object)) return [];
  if (method === undefined || !combinators.has(method) || !call.arguments[0]) return [];
  const combinator = `${object.name}.${method}`;
  const sites: FanOutSite[] = [];
  for (const fanOut of fanOutsOf(file, call.arguments[0])) {
    if (fanOut.kind === 'map') {
      const work = workOf(file, fanOut.callback, options);
      if (work.kind !== 'work') continue;
      const size = workerPoolSize(file, fanOut.mapCall, fanOut.callback) ?? collectionSize(file, fanOut.collection);
      sites.push({ kind: 'map', call, combinator, mapCall: fanOut.mapCall, collection: fanOut.collection, callback: fanOut.callback, work, size });
    } else {
      const site = pushLoopSite(file, call, combinator, fanOut.array, options);
      if (site) sites.push(site);
    }
  }
  return sites;
}

/** Bluebird's constructor (`const BbPromise = require('bluebird')`): its `all`, `allSettled`, `any` and `race` combine like `Promise`'s. */
function isBluebird(file: AnalyzedFile, object: TSESTree.Identifier): boolean {
  const member = resolveModuleMember(file, object);
  return member?.module === 'bluebird' && member.path.length === 0;
}

/**
 * `Array.from({ length: Math.min(LIMIT, items.length) }, worker)` where each worker loops, awaiting, over shared
 * work: an explicit worker pool. However many items there are, only as many as the pool has workers run at once, and
 * the author chose that number.
 */
function workerPoolSize(file: AnalyzedFile, mapCall: TSESTree.CallExpression, callback: TSESTree.Node): CollectionSize | undefined {
  const callee = unwrap(mapCall.callee);
  if (callee.type !== 'MemberExpression' || propertyName(callee) !== 'from') return undefined;
  const source = mapCall.arguments[0] && unwrap(mapCall.arguments[0]);
  if (source?.type !== 'ObjectExpression') return undefined;
  const node = unwrap(callback);
  const worker = isFunctionNode(node) ? node : node.type === 'Identifier' ? localFunction(file, node) : undefined;
  if (!worker || !loopsAwaiting(worker.body)) return undefined;
  return { kind: 'bounded', how: 'an explicit pool of workers that take items in turn' };
}

/** A loop in the function's own body that awaits on each turn: a worker taking items until none is left. */
function loopsAwaiting(body: TSESTree.Node): boolean {
  for (const node of ownDescendants(body)) {
    if (isFunctionNode(node)) continue;
    const isLoop = node.type === 'WhileStatement' || node.type === 'DoWhileStatement' || node.type === 'ForStatement' || node.type === 'ForOfStatement';
    if (isLoop && loopAwaits(node)) return true;
  }
  return false;
}

/**
 * `const ps = []; for (...) ps.push(f(x)); await Promise.all(ps)`. Not when the loop awaits as it goes (a pool
 * or a flush every N), nor when the combinator sits inside the loop itself (batches), nor when any push goes through
 * a limiter.
 */
function pushLoopSite(
  file: AnalyzedFile,
  call: TSESTree.CallExpression,
  combinator: string,
  array: TSESTree.Identifier,
  options: LimiterOptions,
): PushLoopFanOut | undefined {
  const variable = variableOf(file, array) ?? undefined;
  const declared = file.scopeManager.getDeclaredVariables(array.parent as TSESTree.VariableDeclarator)[0];
  const target = variable ?? declared;
  if (!target) return undefined;
  const pushes: PushedWork[] = [];
  for (const reference of target.references) {
    const identifier = reference.identifier as TSESTree.Node;
    const member = identifier.parent;
    if (member?.type !== 'MemberExpression' || member.object !== identifier || propertyName(member) !== 'push') continue;
    const push = member.parent;
    if (push?.type !== 'CallExpression' || push.callee !== member) continue;
    const loop = loopBetween(file, push, array);
    if (!loop) continue;
    if (contains(loop.node, call)) return undefined;
    if (loopAwaits(loop.node)) return undefined;
    const works = push.arguments.map((argument) => pushedWork(file, argument, options));
    if (works.some((w) => w.kind === 'limited')) return undefined;
    const work = works.find((w) => w.kind === 'work');
    if (!work) continue;
    pushes.push({ push, loop: loop.node, work, size: loop.size });
  }
  return pushes.length > 0 ? { kind: 'push-loop', call, combinator, array, pushes } : undefined;
}

/** `xs.forEach(async (x) => ...)` and `xs.map(async ...)` whose result is dropped: fire-and-forget fan-out. */
function asyncCallbackSite(file: AnalyzedFile, call: TSESTree.CallExpression, options: LimiterOptions): AsyncCallbackFanOut | undefined {
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression') return undefined;
  const method = propertyName(callee);
  if (method !== 'forEach' && !(method === 'map' && call.parent?.type === 'ExpressionStatement')) return undefined;
  const callbackNode = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  if (!callbackNode) return undefined;
  const fn = isFunctionNode(callbackNode) ? callbackNode : callbackNode.type === 'Identifier' ? localFunction(file, callbackNode) : undefined;
  if (!fn?.async) return undefined;
  const work = functionWork(file, fn, options);
  if (work.kind !== 'work') return undefined;
  return { kind: 'async-callback', call, method, collection: callee.object, work, size: collectionSize(file, callee.object) };
}

/** `pMap(xs, mapper)` without `concurrency`: p-map's default is Infinity. */
function pMapSite(file: AnalyzedFile, call: TSESTree.CallExpression): PMapFanOut | undefined {
  const member = resolveModuleMember(file, call.callee);
  if (member?.module !== 'p-map' || member.path.length !== 0) return undefined;
  const [input, mapper, settings] = call.arguments;
  if (!input || !mapper) return undefined;
  let options: TSESTree.ObjectExpression | undefined;
  if (settings) {
    const node = unwrap(settings);
    if (node.type !== 'ObjectExpression') return undefined;
    if (node.properties.some((p) => p.type !== 'Property' || (keyIs(p, 'concurrency') && !isInfinity(file, p.value)))) return undefined;
    options = node;
  }
  return { kind: 'p-map', call, input, mapper, settings: options, size: collectionSize(file, input) };
}

/** True when the property's key is `name` (`concurrency: 4` or `'concurrency': 4`). */
export function keyIs(property: TSESTree.Property, name: string): boolean {
  return (!property.computed && property.key.type === 'Identifier' && property.key.name === name)
    || (property.key.type === 'Literal' && property.key.value === name);
}

function isInfinity(file: AnalyzedFile, value: TSESTree.Node): boolean {
  const node = unwrap(value);
  if (node.type === 'Identifier' && node.name === 'Infinity' && isGlobalReference(file, node)) return true;
  return node.type === 'MemberExpression' && textOf(file, node) === 'Number.POSITIVE_INFINITY';
}

function textOf(file: AnalyzedFile, node: TSESTree.Node): string {
  return file.text.slice(node.range[0], node.range[1]);
}

type Candidate =
  | { readonly kind: 'map'; readonly mapCall: TSESTree.CallExpression; readonly collection: TSESTree.Node; readonly callback: TSESTree.Node }
  | { readonly kind: 'push'; readonly array: TSESTree.Identifier };

function fanOutsOf(file: AnalyzedFile, argument: TSESTree.Node): Candidate[] {
  const node = unwrap(argument);
  if (node.type === 'ArrayExpression') {
    return node.elements.flatMap((element) => (element?.type === 'SpreadElement' ? fanOutsOf(file, element.argument) : []));
  }
  const mapped = mapCallParts(file, node);
  if (mapped) return [mapped];
  if (node.type === 'Identifier') {
    const variable = variableOf(file, node);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (!variable || def?.type !== 'Variable') return [];
    const declarator = def.node as TSESTree.VariableDeclarator;
    if (declarator.id.type !== 'Identifier' || !declarator.init) return [];
    const init = unwrap(declarator.init);
    if (isSingleAssignment(variable)) {
      const fromInit = mapCallParts(file, init);
      if (fromInit) return [fromInit];
    }
    if (init.type === 'ArrayExpression' && init.elements.length === 0) return [{ kind: 'push', array: declarator.id }];
  }
  return [];
}

function mapCallParts(file: AnalyzedFile, node: TSESTree.Node): Candidate | undefined {
  if (node.type !== 'CallExpression') return undefined;
  const callee = unwrap(node.callee);
  if (callee.type !== 'MemberExpression') return undefined;
  const method = propertyName(callee);
  if (method !== undefined && mapMethods.has(method) && node.arguments[0]) {
    return { kind: 'map', mapCall: node, collection: callee.object, callback: node.arguments[0] };
  }
  const object = unwrap(callee.object);
  if (method === 'from' && object.type === 'Identifier' && object.name === 'Array' && isGlobalReference(file, object) && node.arguments[1]) {
    return { kind: 'map', mapCall: node, collection: node.arguments[0]!, callback: node.arguments[1] };
  }
  return undefined;
}


/** The innermost loop around `push` that does not also hold the array's declaration, with its iteration count. */
function loopBetween(file: AnalyzedFile, push: TSESTree.Node, declaration: TSESTree.Node): { node: TSESTree.Node; size: CollectionSize } | undefined {
  for (let node = push.parent; node; node = node.parent) {
    if (contains(node, declaration)) return undefined;
    switch (node.type) {
      case 'ForOfStatement':
        return { node, size: collectionSize(file, node.right) };
      case 'ForInStatement':
        return { node, size: { kind: 'unknown', origin: 'local', how: 'the keys of a for-in loop' } };
      case 'WhileStatement':
      case 'DoWhileStatement':
        return { node, size: boundedByName(node.test) ?? { kind: 'unknown', origin: 'local', how: 'a while loop' } };
      case 'ForStatement':
        return { node, size: forLoopCount(file, node) };
      default:
        if (isFunctionNode(node)) {
          const parent = node.parent;
          if (parent?.type === 'CallExpression' && parent.arguments[0] === node && calledMethodName(parent) === 'forEach') {
            const receiver = (unwrap(parent.callee) as TSESTree.MemberExpression).object;
            return { node: parent, size: collectionSize(file, receiver) };
          }
          return undefined;
        }
    }
  }
  return undefined;
}

/** `while (concurrency--)`, `i < this.options.parallel`: the loop starts as many tasks as the code chose. */
function boundedByName(test: TSESTree.Node | null | undefined): CollectionSize | undefined {
  if (!test) return undefined;
  for (const node of ownDescendants(test)) {
    const name = node.type === 'Identifier' ? node.name : node.type === 'MemberExpression' ? propertyName(node) : undefined;
    if (name !== undefined && isLimiterName(name)) return { kind: 'bounded', how: `a loop up to \`${name}\`` };
  }
  return undefined;
}

/** `for (let i = 0; i < N; i++)`: N when constant, the size of `xs` for `i < xs.length`. */
function forLoopCount(file: AnalyzedFile, loop: TSESTree.ForStatement): CollectionSize {
  const named = boundedByName(loop.test);
  if (named) return named;
  const test = loop.test ? unwrap(loop.test) : undefined;
  if (test?.type === 'BinaryExpression' && (test.operator === '<' || test.operator === '<=')) {
    const right = unwrap(test.right);
    const n = constantNumber(file, right);
    if (n !== undefined) return { kind: 'known', size: test.operator === '<' ? n : n + 1 };
    // const workerCount = Math.min(limit, tasks.length); for (let i = 0; i < workerCount; i++) workers.push(worker())
    if (cappedByMin(file, right)) return { kind: 'bounded', how: `a loop up to \`${textOf(file, right)}\`, capped with \`Math.min\`` };
    if (right.type === 'MemberExpression' && propertyName(right) === 'length') return collectionSize(file, right.object);
    return { kind: 'unknown', origin: 'input', how: `a loop up to \`${textOf(file, right)}\`` };
  }
  return { kind: 'unknown', origin: 'local', how: 'a for loop' };
}

/** A loop that awaits in its own body paces itself: a pool waiting for a slot, or batches flushed as they fill. */
function loopAwaits(loop: TSESTree.Node): boolean {
  for (const node of ownDescendants(loop)) {
    if (node === loop) continue;
    if (isFunctionNode(node)) continue;
    if (node.type === 'AwaitExpression') return true;
    if (node.type === 'ForOfStatement' && node.await) return true;
  }
  return false;
}

function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}
