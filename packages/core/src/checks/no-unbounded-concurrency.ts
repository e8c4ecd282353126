import type { ScopeVariable } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../engine/analyzed-file.js';
import type { Check } from '../engine/check.js';
import { formatMessage } from '../engine/format-message.js';
import { collectionSize, constantNumber, type CollectionSize } from '../analysis/collection-size.js';
import { shortText, unwrap } from '../analysis/syntax.js';
import { isGlobalReference, isNameInUse, isSingleAssignment, resolveModuleMember, resolveVariableMember, variableOf } from '../analysis/import-bindings.js';
import { isLimiter, isLimiterCall, isLimiterName } from '../analysis/limiters.js';
import { isTestFile } from '../analysis/file-role.js';
import {
  calledMethodName,
  descendants,
  isFunctionNode,
  ownDescendants,
  propertyName,
  type FunctionNode,
} from '../analysis/walk-ast.js';
import { lowerConfidence, type Confidence } from '../model/confidence.js';
import { returnsPromise } from '../analysis/summaries/returns-promise.js';
import type { Finding, RelatedLocation } from '../model/finding.js';
import type { Rewrite, TextEdit } from '../model/fix.js';
import { spanOf } from '../model/location.js';

export interface NoUnboundedConcurrencyOptions {
  /** A collection whose size the code fixes at this many elements or fewer is fine to fan out over. */
  readonly maxKnownSize?: number;
  /** Names of your own limiter functions, or of the factories that make them (`limiters: ['withLimit']`). */
  readonly limiters?: readonly string[];
  /**
   * Also report fan-outs we are only moderately sure of: over a collection that is not visibly input (a member such as
   * `this.nodes()` or `schema.paths`, often sized by topology, configuration or schema), or through a mapper we cannot
   * see into. Off by default: on published code most such findings were small-by-nature collections.
   */
  readonly reportMediumConfidence?: boolean;
}
export type Options = readonly [NoUnboundedConcurrencyOptions];
type Settings = Required<NoUnboundedConcurrencyOptions>;
const defaultSettings: Settings = { maxKnownSize: 16, limiters: [], reportMediumConfidence: false };
export type MessageId =
  | 'unboundedMap'
  | 'unboundedPushLoop'
  | 'unboundedAsyncCallback'
  | 'pMapWithoutConcurrency'
  | 'useBoundedPMap'
  | 'usePLimit'
  | 'addConcurrencyOption';

const bound = 'Bound it: a limiter such as p-limit, p-map with `concurrency`, or fixed-size batches.';
const messages: Readonly<Record<MessageId, string>> = {
  unboundedMap:
    '`{{combinator}}` starts {{work}} for every element of `{{collection}}` at once{{sizeNote}}; nothing limits how many are in flight, so a large input can exhaust sockets, file descriptors or the service on the other end. ' + bound + ' ({{confidence}} confidence: {{reason}}.)',
  unboundedPushLoop:
    '`{{combinator}}` awaits `{{array}}`, which gets a started promise on every iteration of the loop on line {{loopLine}}{{sizeNote}}; all of that work runs at once with no limit. ' + bound + ' ({{confidence}} confidence: {{reason}}.)',
  unboundedAsyncCallback:
    '`{{collection}}.{{method}}` with an async callback starts one call per element at once and waits for none of them{{sizeNote}}; nothing limits how many run together, and their failures go unhandled. Await a bounded loop or limiter instead. ({{confidence}} confidence: {{reason}}.)',
  pMapWithoutConcurrency:
    '`{{call}}` has no `concurrency` option, and p-map defaults to `Infinity`: every element of `{{collection}}` is mapped at once{{sizeNote}}. Pass `{ concurrency: N }`. ({{confidence}} confidence: {{reason}}.)',
  useBoundedPMap: 'Rewrite as `await {{pMap}}(..., { concurrency: {{limit}} })` with the imported p-map (tune the limit).',
  usePLimit: 'Run each callback through a `{{pLimit}}({{limit}})` limiter created just before (tune the limit).',
  addConcurrencyOption: 'Add `{ concurrency: {{limit}} }` (tune the limit).',
};

/** The limit our rewrites write in; users tune it. Low enough for most services, high enough to overlap. */
const suggestedLimit = 8;
const combinators: ReadonlySet<string> = new Set(['all', 'allSettled', 'any', 'race']);
const mapMethods: ReadonlySet<string> = new Set(['map', 'flatMap']);

/**
 * Fan-out whose width is set by data: `Promise.all(xs.map(async ...))`, promises pushed in a loop and awaited
 * together, `xs.forEach(async ...)`, and p-map without `concurrency`. Known-size and chunked collections and work run
 * through a limiter are fine.
 */
export const noUnboundedConcurrency: Check<Options, MessageId> = {
  meta: {
    id: 'no-unbounded-concurrency',
    type: 'problem',
    description: 'Disallow starting async work for every element of a collection of unknown size at once',
    recommended: 'warn',
    messages,
    schema: [
      {
        type: 'object',
        properties: {
          maxKnownSize: { type: 'integer', minimum: 0, description: 'A collection of known size at most this large is fine.' },
          limiters: { type: 'array', items: { type: 'string' }, uniqueItems: true, description: 'Names of your own limiter functions or limiter factories.' },
          reportMediumConfidence: { type: 'boolean', description: 'Also report fan-outs over collections that are not visibly input, or through mappers we cannot see into.' },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [defaultSettings],
    hasSuggestions: true,
  },
  run(file, [given]) {
    const options: Settings = { ...defaultSettings, ...given } as Settings;
    const findings: Finding[] = [];
    if (isTestFile(file.filename)) return findings;
    for (const node of descendants(file.ast)) {
      if (node.type !== 'CallExpression') continue;
      const finding = combinatorFinding(file, node, options) ?? asyncCallbackFinding(file, node, options) ?? pMapFinding(file, node, options);
      if (finding && (finding.confidence === 'high' || options.reportMediumConfidence)) findings.push(finding);
    }
    return findings;
  },
};

interface Work {
  readonly kind: 'none' | 'limited' | 'work';
  readonly confidence: Confidence;
  /** "an async callback", "a call to `fetchUser`" */
  readonly label: string;
  readonly reason: string;
}

interface SizeVerdict {
  readonly report: boolean;
  readonly note: string;
  readonly confidence: Confidence;
  readonly reason: string;
}

function judgeSize(size: CollectionSize, options: Settings): SizeVerdict {
  if (size.kind === 'bounded') return { report: false, note: '', confidence: 'high', reason: '' };
  if (size.kind === 'known') {
    return size.size <= options.maxKnownSize
      ? { report: false, note: '', confidence: 'high', reason: '' }
      : { report: true, note: ` (${size.size} elements, more than ${options.maxKnownSize})`, confidence: 'high', reason: `the collection has ${size.size} elements` };
  }
  return {
    report: true,
    note: '',
    confidence: size.origin === 'input' ? 'high' : 'medium',
    reason: size.origin === 'input' ? `its size is set by data (${size.how})` : `we cannot see its size (${size.how})`,
  };
}

/** `Promise.all(xs.map(...))`, `Promise.all(promises)` after a push loop. */
function combinatorFinding(file: AnalyzedFile, call: TSESTree.CallExpression, options: Settings): Finding | undefined {
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression') return undefined;
  const object = unwrap(callee.object);
  const method = propertyName(callee);
  if (object.type !== 'Identifier' || object.name !== 'Promise' || !isGlobalReference(file, object)) return undefined;
  if (method === undefined || !combinators.has(method) || !call.arguments[0]) return undefined;
  const combinator = `Promise.${method}`;
  for (const fanOut of fanOutsOf(file, call.arguments[0])) {
    if (fanOut.kind === 'map') {
      const finding = mapFinding(file, call, combinator, fanOut.mapCall, fanOut.collection, fanOut.callback, options);
      if (finding) return finding;
    } else {
      const finding = pushLoopFinding(file, call, combinator, fanOut.array, options);
      if (finding) return finding;
    }
  }
  return undefined;
}

type FanOut =
  | { readonly kind: 'map'; readonly mapCall: TSESTree.CallExpression; readonly collection: TSESTree.Node; readonly callback: TSESTree.Node }
  | { readonly kind: 'push'; readonly array: TSESTree.Identifier };

function fanOutsOf(file: AnalyzedFile, argument: TSESTree.Node): FanOut[] {
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

function mapCallParts(file: AnalyzedFile, node: TSESTree.Node): FanOut | undefined {
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

function mapFinding(
  file: AnalyzedFile,
  call: TSESTree.CallExpression,
  combinator: string,
  mapCall: TSESTree.CallExpression,
  collection: TSESTree.Node,
  callback: TSESTree.Node,
  options: Settings,
): Finding | undefined {
  const work = workOf(file, callback, options);
  if (work.kind !== 'work') return undefined;
  const size = judgeSize(collectionSize(file, collection), options);
  if (!size.report) return undefined;
  const confidence = lowerConfidence(work.confidence, size.confidence);
  const data = {
    combinator,
    work: work.label,
    collection: shortText(file.text, collection, 60),
    sizeNote: size.note,
    confidence,
    reason: `${work.reason}; ${size.reason}`,
  };
  const suggestions = combinator === 'Promise.all' ? boundedRewrites(file, call, mapCall, collection, callback) : [];
  return finding('unboundedMap', data, call, confidence, suggestions, [
    { role: 'fan-out', span: spanOf(mapCall), label: `\`${textOf(file, mapCall.callee)}(...)\`` },
  ]);
}

/**
 * `const ps = []; for (...) ps.push(f(x)); await Promise.all(ps)`. Not when the loop awaits as it goes (a pool
 * or a flush every N), nor when the combinator sits inside the loop itself (batches).
 */
function pushLoopFinding(
  file: AnalyzedFile,
  call: TSESTree.CallExpression,
  combinator: string,
  array: TSESTree.Identifier,
  options: Settings,
): Finding | undefined {
  const variable = variableOf(file, array) ?? undefined;
  const declared = file.scopeManager.getDeclaredVariables(array.parent as TSESTree.VariableDeclarator)[0];
  const target = variable ?? declared;
  if (!target) return undefined;
  let best: { push: TSESTree.CallExpression; loop: TSESTree.Node; work: Work } | undefined;
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
    const size = judgeSize(loop.size, options);
    if (!size.report) continue;
    if (!best) best = { push, loop: loop.node, work: { ...work, confidence: lowerConfidence(work.confidence, size.confidence), reason: `${work.reason}; ${size.reason}` } };
  }
  if (!best) return undefined;
  const data = {
    combinator,
    array: array.name,
    loopLine: best.loop.loc.start.line,
    sizeNote: '',
    confidence: best.work.confidence,
    reason: best.work.reason,
  };
  return finding('unboundedPushLoop', data, call, best.work.confidence, [], [
    { role: 'loop', span: spanOf(best.loop), label: `the loop on line ${best.loop.loc.start.line}` },
    { role: 'fan-out', span: spanOf(best.push), label: `\`${array.name}.push(...)\`` },
  ]);
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

function pushedWork(file: AnalyzedFile, argument: TSESTree.Node, options: Settings): Work {
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
      return fn.async ? { kind: 'work', confidence: 'high', label: 'an async IIFE', reason: 'each iteration starts an async function' } : none();
    }
    const name = calleeText(file, node);
    return {
      kind: 'work',
      confidence: knownAsync(file, node) ? 'high' : 'medium',
      label: `\`${name}(...)\``,
      reason: knownAsync(file, node) ? `\`${name}\` is asynchronous` : `each iteration calls \`${name}\` and the promise is kept`,
    };
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
function workOf(file: AnalyzedFile, callback: TSESTree.Node, options: Settings): Work {
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

function functionWork(file: AnalyzedFile, fn: FunctionNode, options: Settings): Work {
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
    return { kind: 'work', confidence: 'high', label: 'an async callback', reason: 'the callback is async' };
  }
  if (calls === 0 || !firstCall) return none();
  const name = calleeText(file, firstCall);
  return {
    kind: 'work',
    confidence: asyncKnown ? 'high' : 'medium',
    label: `\`${name}(...)\``,
    reason: asyncKnown ? `\`${name}\` is asynchronous` : `the callback's promise comes from \`${name}\`, which we cannot see into`,
  };
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
function knownAsync(file: AnalyzedFile, call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
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

function localFunction(file: AnalyzedFile, identifier: TSESTree.Identifier): FunctionNode | undefined {
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

/** `xs.forEach(async (x) => ...)` and `xs.map(async ...)` whose result is dropped: fire-and-forget fan-out. */
function asyncCallbackFinding(file: AnalyzedFile, call: TSESTree.CallExpression, options: Settings): Finding | undefined {
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
  const size = judgeSize(collectionSize(file, callee.object), options);
  if (!size.report) return undefined;
  const confidence = lowerConfidence(work.confidence, size.confidence);
  const data = {
    collection: shortText(file.text, callee.object, 60),
    method,
    sizeNote: size.note,
    confidence,
    reason: `the callback is async and its promises are dropped; ${size.reason}`,
  };
  return finding('unboundedAsyncCallback', data, call, confidence, [], []);
}

/** `pMap(xs, mapper)` without `concurrency`: p-map's default is Infinity. */
function pMapFinding(file: AnalyzedFile, call: TSESTree.CallExpression, options: Settings): Finding | undefined {
  const member = resolveModuleMember(file, call.callee);
  if (member?.module !== 'p-map' || member.path.length !== 0) return undefined;
  const [input, mapper, settings] = call.arguments;
  if (!input || !mapper) return undefined;
  if (settings) {
    const node = unwrap(settings);
    if (node.type !== 'ObjectExpression') return undefined;
    if (node.properties.some((p) => p.type !== 'Property' || keyIs(p, 'concurrency') && !isInfinity(file, p.value))) return undefined;
  }
  const size = judgeSize(collectionSize(file, input), options);
  if (!size.report) return undefined;
  const data = {
    call: `${textOf(file, call.callee)}(...)`,
    collection: shortText(file.text, input, 60),
    sizeNote: size.note,
    confidence: size.confidence,
    reason: `no \`concurrency\` is given; ${size.reason}`,
  };
  const limitData = { limit: suggestedLimit };
  const edit: TextEdit = settings
    ? { range: [settings.range[0], settings.range[1]], text: withConcurrency(file, settings as TSESTree.ObjectExpression) }
    : { range: [mapper.range[1], mapper.range[1]], text: `, { concurrency: ${suggestedLimit} }` };
  const rewrite: Rewrite = {
    messageId: 'addConcurrencyOption',
    data: limitData,
    description: formatMessage(messages.addConcurrencyOption, limitData),
    edits: [edit],
  };
  return finding('pMapWithoutConcurrency', data, call, size.confidence, [rewrite], []);
}

function keyIs(property: TSESTree.Property, name: string): boolean {
  return (!property.computed && property.key.type === 'Identifier' && property.key.name === name)
    || (property.key.type === 'Literal' && property.key.value === name);
}

function isInfinity(file: AnalyzedFile, value: TSESTree.Node): boolean {
  const node = unwrap(value);
  if (node.type === 'Identifier' && node.name === 'Infinity' && isGlobalReference(file, node)) return true;
  if (node.type === 'MemberExpression' && textOf(file, node) === 'Number.POSITIVE_INFINITY') return true;
  return false;
}

function withConcurrency(file: AnalyzedFile, settings: TSESTree.ObjectExpression): string {
  const kept = settings.properties.filter((p) => !(p.type === 'Property' && keyIs(p, 'concurrency'))).map((p) => textOf(file, p));
  return `{ ${[...kept, `concurrency: ${suggestedLimit}`].join(', ')} }`;
}

/**
 * Rewrites offered only when the file already imports a limiter library, so the rewrite adds no dependency:
 * `pMap(xs, fn, { concurrency })` when p-map is imported, else a p-limit limiter when p-limit is.
 */
function boundedRewrites(
  file: AnalyzedFile,
  call: TSESTree.CallExpression,
  mapCall: TSESTree.CallExpression,
  collection: TSESTree.Node,
  callback: TSESTree.Node,
): Rewrite[] {
  if (call.arguments.length !== 1 || unwrap(call.arguments[0]!) !== mapCall) return [];
  const method = calledMethodName(mapCall);
  if (method !== 'map') return [];
  const node = unwrap(callback);
  const usesArrayArgument = isFunctionNode(node) ? node.params.length > 2 : node.type !== 'Identifier';
  if (usesArrayArgument || mapCall.arguments.length !== 1) return [];
  const imported = importedLimiters(file);
  if (imported.pMap) {
    const data = { pMap: imported.pMap, limit: suggestedLimit };
    const text = `${imported.pMap}(${textOf(file, collection)}, ${textOf(file, callback)}, { concurrency: ${suggestedLimit} })`;
    return [{ messageId: 'useBoundedPMap', data, description: formatMessage(messages.useBoundedPMap, data), edits: [{ range: [call.range[0], call.range[1]], text }] }];
  }
  if (imported.pLimit && isFunctionNode(node) && node.type === 'ArrowFunctionExpression') {
    const statement = enclosingStatement(call);
    if (!statement || isNameInUse(file, 'limit')) return [];
    const indent = lineIndent(file, statement);
    const data = { pLimit: imported.pLimit, limit: suggestedLimit };
    const paramsText = node.params.length === 0 ? '' : file.text.slice(node.params[0]!.range[0], node.params.at(-1)!.range[1]);
    const bodyText = textOf(file, node.body);
    const body = node.body.type === 'ObjectExpression' ? `(${bodyText})` : bodyText;
    const replacement = `(${paramsText}) => limit(${node.async ? 'async ' : ''}() => ${body})`;
    return [{
      messageId: 'usePLimit',
      data,
      description: formatMessage(messages.usePLimit, data),
      edits: [
        { range: [statement.range[0], statement.range[0]], text: `const limit = ${imported.pLimit}(${suggestedLimit});\n${indent}` },
        { range: [node.range[0], node.range[1]], text: replacement },
      ],
    }];
  }
  return [];
}

function importedLimiters(file: AnalyzedFile): { pMap?: string; pLimit?: string } {
  const found: { pMap?: string; pLimit?: string } = {};
  const moduleScope = file.scopeManager.globalScope?.childScopes.find((s) => s.type === 'module') ?? file.scopeManager.globalScope;
  if (!moduleScope) return found;
  for (const variable of moduleScope.variables) {
    const def = variable.defs[0];
    if (!def || variable.defs.length !== 1) continue;
    const identifier = def.name as TSESTree.Identifier;
    const member = resolveVariableMember(file, variable as ScopeVariable);
    if (member?.path.length !== 0) continue;
    if (member.module === 'p-map') found.pMap ??= identifier.name;
    if (member.module === 'p-limit') found.pLimit ??= identifier.name;
  }
  return found;
}


function enclosingStatement(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
    const parent = current.parent;
    if (parent?.type === 'BlockStatement' || parent?.type === 'Program' || parent?.type === 'StaticBlock') return current;
    if (parent && isFunctionNode(parent)) return undefined; // concise arrow body: no statement to put the limiter before
  }
  return undefined;
}

function lineIndent(file: AnalyzedFile, node: TSESTree.Node): string {
  const lineStart = file.text.lastIndexOf('\n', node.range[0] - 1) + 1;
  const match = /^[ \t]*/u.exec(file.text.slice(lineStart, node.range[0]));
  return match ? match[0] : '';
}

function calleeText(file: AnalyzedFile, call: TSESTree.CallExpression | TSESTree.NewExpression): string {
  return textOf(file, call.callee);
}

function textOf(file: AnalyzedFile, node: TSESTree.Node): string {
  return file.text.slice(node.range[0], node.range[1]);
}

function finding(
  messageId: MessageId,
  data: Record<string, string | number>,
  node: TSESTree.Node,
  confidence: Confidence,
  suggestions: Rewrite[],
  related: RelatedLocation[],
): Finding {
  return {
    ruleId: 'no-unbounded-concurrency',
    messageId,
    data,
    message: formatMessage(messages[messageId], data),
    span: spanOf(node),
    confidence,
    suggestions,
    related,
  };
}
