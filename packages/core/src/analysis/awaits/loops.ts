import type { Variable } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { factKey } from '../../engine/fact-cache.js';
import type { Confidence } from '../../model/confidence.js';
import type { Effect } from '../../model/effect.js';
import { awaitPointsIn, containsAwait } from './await-points.js';
import { isQuietCall } from './control.js';
import { capturedAccess } from './data-dependencies.js';
import { resolveCallee } from '../effects/callee.js';
import { effectsOfExpression, rootContext } from '../effects/classify.js';
import { isGuessed, overallKind } from '../effects/conflicts.js';
import { effectsFromName, leadingVerb } from '../effects/names.js';
import { isLockFile } from '../effects/known-modules.js';
import { noEffectReason } from '../summaries/noise.js';
import { asyncBodiesOf } from '../functions.js';
import { declarationRange, referencesIn, resolveIdentifier } from '../references.js';
import { mutatedParameters } from '../summaries/parameter-writes.js';
import { contains, isFunctionLike, memberName, shortText, unwrap, walk, walkOwn } from '../syntax.js';

/**
 * `for (const item of items) { … await … }` loops whose iterations could run together: no value carried from
 * one iteration to the next (accumulators, cursors, outer state), no `break` or `return` (an early exit depends
 * on what earlier iterations awaited), no `for await`, no deliberate delay or lock (throttling), and no ordered
 * effects on one resource (two iterations writing the same file, rows inserted in order).
 */
export type IterationLoop = TSESTree.ForOfStatement | TSESTree.ForInStatement | TSESTree.ForStatement;

export interface ConcurrentLoop {
  /** `for (const x of xs)`, `for (const k in obj)`, or `for (let i = 0; i < n; i++)`. */
  readonly loop: IterationLoop;
  /** What the iterations go over: `xs`, `obj`, or the bound `n` of a counting loop. */
  readonly iterable: TSESTree.Expression;
  /** Counting loops: the counter (`i`). */
  readonly counter: TSESTree.Identifier | undefined;
  readonly awaits: readonly TSESTree.AwaitExpression[];
  readonly effects: readonly Effect[];
  readonly confidence: Confidence;
  /** `results.push(value)` as the last statement, with `const results = []` right before the loop. */
  readonly collect: Collect | undefined;
  readonly continues: readonly TSESTree.ContinueStatement[];
  /** The iterable is known to be an array: `.map` works; otherwise `Array.from(iterable, fn)`. */
  readonly arrayLike: boolean;
  /** Each iteration writes its own file, keyed by the item. */
  readonly perItemWrites: boolean;
  /** Each iteration closes, stops or disposes of its own item (`await server.close()`). */
  readonly teardown: boolean;
}

export interface Collect {
  readonly declaration: TSESTree.VariableDeclaration;
  readonly declarator: TSESTree.VariableDeclarator & { id: TSESTree.Identifier };
  readonly push: TSESTree.ExpressionStatement;
  readonly value: TSESTree.Expression;
}

export interface LoopOptions {
  readonly reportUnknownEffects: boolean;
}

const cacheKey = factKey<Map<string, ConcurrentLoop[]>>('overlap:concurrent-loops');

export function concurrentLoops(file: AnalyzedFile, options: LoopOptions): readonly ConcurrentLoop[] {
  const cache = file.facts.get(cacheKey, () => new Map());
  const key = JSON.stringify(options);
  const cached = cache.get(key);
  if (cached) return cached;
  const out: ConcurrentLoop[] = [];
  for (const body of asyncBodiesOf(file)) {
    walkOwn(body.type === 'Program' ? body : body.body, (node) => {
      if ((node.type === 'ForOfStatement' && !node.await) || node.type === 'ForInStatement' || node.type === 'ForStatement') {
        const result = analyseLoop(file, node, options);
        if (result) out.push(result);
      }
      return true;
    });
  }
  cache.set(key, out);
  return out;
}

const mutatingMethods = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'set', 'add', 'delete', 'clear', 'sort', 'reverse', 'fill', 'copyWithin', 'append', 'write', 'emit', 'next', 'send', 'assign', 'increment', 'decrement', 'update', 'merge', 'concat']);
const orderedSends = new Set(['send', 'emit', 'publish', 'write', 'dispatch', 'notify', 'broadcast', 'postMessage', 'enqueue', 'sendMessage', 'reply']);
const arrayMethods = new Set(['map', 'filter', 'slice', 'concat', 'flat', 'flatMap', 'split', 'toSorted', 'toReversed']);

/**
 * `for (let i = 0; i < bound; i++)` (or `++i`, `i += 1`) whose body never assigns `i` and whose bound is a name or a
 * `.length`: the iterations are `0 … bound - 1` whatever the body awaits.
 */
function countingLoop(file: AnalyzedFile, loop: TSESTree.ForStatement): { counter: TSESTree.Identifier; bound: TSESTree.Expression } | undefined {
  const init = loop.init;
  if (init?.type !== 'VariableDeclaration' || init.kind !== 'let' || init.declarations.length !== 1) return undefined;
  const declarator = init.declarations[0]!;
  if (declarator.id.type !== 'Identifier' || declarator.init?.type !== 'Literal' || declarator.init.value !== 0) return undefined;
  const counter = declarator.id;
  const test = loop.test;
  if (test?.type !== 'BinaryExpression' || test.operator !== '<' || test.left.type !== 'Identifier' || test.left.name !== counter.name) return undefined;
  const bound = unwrap(test.right);
  const boundOk = bound.type === 'Identifier' || (bound.type === 'Literal' && typeof bound.value === 'number') ||
    (bound.type === 'MemberExpression' && memberName(bound) === 'length' && ['Identifier', 'MemberExpression', 'ThisExpression'].includes(unwrap(bound.object).type));
  if (!boundOk) return undefined;
  const update = loop.update;
  const steps = update?.type === 'UpdateExpression' && update.operator === '++' && update.argument.type === 'Identifier' && update.argument.name === counter.name ||
    update?.type === 'AssignmentExpression' && update.operator === '+=' && update.left.type === 'Identifier' && update.left.name === counter.name &&
      update.right.type === 'Literal' && update.right.value === 1;
  if (!steps) return undefined;
  const variable = declaredVariable(file, counter);
  if (!variable || variable.references.some((r) => r.isWrite() && contains(loop.body, r.identifier as TSESTree.Node))) return undefined;
  return { counter, bound: test.right as TSESTree.Expression };
}

function analyseLoop(file: AnalyzedFile, loop: IterationLoop, options: LoopOptions): ConcurrentLoop | undefined {
  let counter: TSESTree.Identifier | undefined;
  let iterable: TSESTree.Expression;
  if (loop.type === 'ForStatement') {
    const counting = countingLoop(file, loop);
    if (!counting) return undefined;
    counter = counting.counter;
    iterable = counting.bound;
  } else {
    if (loop.left.type !== 'VariableDeclaration' || (loop.left.kind !== 'const' && loop.left.kind !== 'let')) return undefined;
    if (loop.left.declarations[0]!.id.type !== 'Identifier' && loop.type === 'ForInStatement') return undefined;
    iterable = loop.right;
  }
  if (loop.parent?.type === 'LabeledStatement') return undefined;
  const awaits = awaitPointsIn(loop.body);
  if (awaits.length === 0 || awaits.some((a) => a.type !== 'AwaitExpression')) return undefined;
  // A timer awaited in the body spaces the iterations out on purpose (a throttle): keep them in order.
  if ((awaits as TSESTree.AwaitExpression[]).some((a) => isDelay(file, a.argument))) return undefined;
  const continues: TSESTree.ContinueStatement[] = [];
  let exits = false;
  walkOwn(loop.body, (node) => {
    if (exits) return false;
    if (node.type === 'ReturnStatement' || node.type === 'YieldExpression') exits = true;
    else if (node.type === 'BreakStatement') exits = node.label !== null || targetLoop(node) === loop;
    else if (node.type === 'ContinueStatement') {
      if (node.label) exits = true;
      else if (targetLoop(node) === loop) continues.push(node);
    }
    return !exits;
  });
  if (exits) return undefined;
  const collect = collectPattern(file, loop, continues);
  if (carriesState(file, loop, collect)) return undefined;
  const effects: Effect[] = [];
  let perItemWrites = false;
  let teardown = false;
  for (const awaitNode of awaits as TSESTree.AwaitExpression[]) {
    const closed = teardownOfItem(file, loop, awaitNode.argument);
    if (closed) {
      teardown = true;
      effects.push({ kind: 'write', resource: `item:${closed}`, reason: `\`${shortText(file.text, awaitNode.argument, 30)}\` releases the iteration's own \`${closed}\``, guessed: true });
      continue;
    }
    const own = effectsOfExpression(rootContext(file), awaitNode.argument);
    const kind = overallKind(own);
    if (kind === 'barrier') return undefined;
    if (kind === 'unknown' && !options.reportUnknownEffects) return undefined;
    const unused = awaitNode.parent?.type === 'ExpressionStatement';
    if (unused && isGuessed(own) && kind !== 'write') return undefined;
    if (kind === 'write') {
      if (isGuessed(own) || !own.every((e) => e.kind !== 'write' || e.resource.startsWith('fs:'))) return undefined;
      if (!keyedByIteration(file, loop, awaitNode.argument)) return undefined;
      perItemWrites = true;
    }
    effects.push(...own);
  }
  // A hand-written list of paths with a lock file among them (`[dir, \`${dir}.state\`, \`${dir}.lock\`]`): the order
  // is the protocol (the lock goes last, once what it guards is gone).
  if (perItemWrites && listsLockFile(file, iterable)) return undefined;
  const guessed = isGuessed(effects);
  // Two items of a list may share a key (`byName[m]` for a repeated `m`): then which write lands last is up to timing.
  const sharedKeys = loop.type === 'ForOfStatement' &&
    [...writeOnlyAccumulators(file, loop)].some((v) => {
      const def = v.defs[0];
      const init = def?.type === 'Variable' ? (def.node as TSESTree.VariableDeclarator).init : undefined;
      return !(init?.type === 'Literal' && typeof init.value === 'number');
    });
  return {
    loop,
    iterable,
    counter,
    awaits: awaits as TSESTree.AwaitExpression[],
    effects,
    confidence: guessed || perItemWrites || sharedKeys || teardown ? 'medium' : 'high',
    collect,
    continues,
    arrayLike: loop.type === 'ForOfStatement' && isArrayLike(file, loop.right, 0),
    perItemWrites,
    teardown,
  };
}

/**
 * Tear-down verbs: each releases the object it is called on and nothing else. Unlike `init`, `start` or `setup`
 * (an item may need the ones before it), closing one item of a collection asks nothing of the others.
 */
const teardownVerbs = new Set(['close', 'dispose', 'destroy', 'stop', 'shutdown', 'terminate', 'disconnect', 'teardown', 'unmount', 'kill', 'quit', 'cleanup']);

/** `await server.close()` where `server` is the iteration's own item: the item's name, or `undefined`. */
function teardownOfItem(file: AnalyzedFile, loop: IterationLoop, argument: TSESTree.Expression): string | undefined {
  const call = unwrap(argument);
  if (call.type !== 'CallExpression' || call.arguments.length > 1) return undefined;
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression' || !teardownVerbs.has(memberName(callee) ?? '')) return undefined;
  const receiver = unwrap(callee.object);
  if (receiver.type !== 'Identifier' || loop.type === 'ForStatement' || loop.left.type !== 'VariableDeclaration') return undefined;
  const declared = loop.left.declarations[0]!.id;
  if (declared.type !== 'Identifier' || declared.name !== receiver.name) return undefined;
  const variable = resolveIdentifier(file, receiver);
  return variable?.defs[0]?.name === declared ? receiver.name : undefined;
}

/** The iterable is a list written out in place whose paths include a lock file. */
function listsLockFile(file: AnalyzedFile, iterable: TSESTree.Expression): boolean {
  let list: TSESTree.Node = unwrap(iterable);
  if (list.type === 'Identifier') {
    const variable = resolveIdentifier(file, list);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    const init = def?.type === 'Variable' ? (def.node as TSESTree.VariableDeclarator).init : undefined;
    if (!init) return false;
    list = unwrap(init);
  }
  let found = false;
  walk(list, (node) => {
    if (found || isFunctionLike(node)) return false;
    if (isLockFile(node)) found = true;
    return !found;
  });
  return found;
}

/** The loop (or switch, for `break`) a `break`/`continue` without label leaves. */
function targetLoop(node: TSESTree.BreakStatement | TSESTree.ContinueStatement): TSESTree.Node | undefined {
  for (let current: TSESTree.Node | undefined = node.parent; current; current = current.parent) {
    switch (current.type) {
      case 'ForOfStatement':
      case 'ForInStatement':
      case 'ForStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
        return current;
      case 'SwitchStatement':
        if (node.type === 'BreakStatement') return current;
        break;
      default:
        if (isFunctionLike(current)) return undefined;
    }
  }
  return undefined;
}

function declaredOutside(variable: Variable, loop: TSESTree.Node): boolean {
  const range = declarationRange(variable);
  return range !== undefined && !contains(loop, { range });
}

function rootVariable(file: AnalyzedFile, node: TSESTree.Node): Variable | 'this' | undefined {
  let current = unwrap(node);
  while (current.type === 'MemberExpression') current = unwrap(current.object);
  if (current.type === 'ThisExpression') return 'this';
  if (current.type === 'Identifier') return resolveIdentifier(file, current) ?? undefined;
  return undefined;
}

/** Does an iteration leave something the next one sees (besides the collected results)? */
function carriesState(file: AnalyzedFile, loop: IterationLoop, collect: Collect | undefined): boolean {
  const collected = collect ? resolveIdentifier(file, collect.declarator.id) ?? declaredVariable(file, collect.declarator.id) : undefined;
  const accumulators = writeOnlyAccumulators(file, loop);
  for (const reference of referencesIn(file, loop.body.range)) {
    const variable = reference.resolved as Variable | null;
    if (!variable || variable.defs.length === 0) continue;
    if (reference.isWrite() && declaredOutside(variable, loop) && !accumulators.has(variable)) return true;
  }
  let carried = false;
  walkOwn(loop.body, (node) => {
    if (carried) return false;
    if (isFunctionLike(node)) {
      // A callback defined in the body runs in the body's iteration: look inside it too.
      carried = carriesStateIn(file, loop, node, collected, collect);
      return false;
    }
    carried = nodeCarries(file, loop, node, collected, collect);
    return !carried;
  });
  return carried;
}

function carriesStateIn(file: AnalyzedFile, loop: IterationLoop, fn: TSESTree.Node, collected: Variable | undefined, collect: Collect | undefined): boolean {
  let carried = false;
  walkOwn(fn, (node) => {
    if (carried) return false;
    if (node !== fn && isFunctionLike(node)) return false;
    carried = nodeCarries(file, loop, node, collected, collect);
    return !carried;
  });
  return carried;
}

function nodeCarries(file: AnalyzedFile, loop: IterationLoop, node: TSESTree.Node, collected: Variable | undefined, collect: Collect | undefined): boolean {
  const outer = (target: TSESTree.Node): boolean => {
    const root = rootVariable(file, target);
    return root === 'this' || (root !== undefined && declaredOutside(root, loop));
  };
  const isMember = (target: TSESTree.Node): boolean => unwrap(target).type === 'MemberExpression';
  switch (node.type) {
    case 'AssignmentExpression': {
      if (!isMember(node.left) || !outer(node.left)) return false;
      const root = rootVariable(file, node.left);
      return !(root !== undefined && root !== 'this' && writeOnlyAccumulators(file, loop).has(root));
    }
    case 'UpdateExpression':
      return isMember(node.argument) && outer(node.argument);
    case 'UnaryExpression':
      return node.operator === 'delete' && isMember(node.argument) && outer(node.argument);
    case 'CallExpression': {
      const callee = unwrap(node.callee);
      // Messages sent from the body go out in item order today; concurrently they would not.
      if (callee.type === 'MemberExpression' && node.parent?.type !== 'AwaitExpression' && orderedSends.has(memberName(callee) ?? '')) return true;
      if (callee.type === 'MemberExpression') {
        const name = memberName(callee) ?? '';
        const isMutating = mutatingMethods.has(name) || ['write', 'update', 'set'].includes(leadingVerb(name));
        if (isMutating && outer(callee.object)) {
          if (collect && node.parent === collect.push && rootVariable(file, callee.object) === collected) return false;
          // Effects on services (`await db.insert(x)`) are judged by the effects model, not here.
          if (node.parent?.type === 'AwaitExpression') return false;
          return true;
        }
      }
      if (callee.type === 'MemberExpression' && node.parent?.type !== 'AwaitExpression' && afterFirstAwait(loop, node) && stateHolder(file, loop, callee.object)) {
        // `script.insertMacro(…)` after the iteration's await: concurrently, the calls would land in the order the
        // awaits finish, not the order of the items (an NSIS script, a report, a tree built up line by line).
        const name = memberName(callee) ?? '';
        const owner = enclosingFunction(loop);
        const quiet = isQuietCall(file, node) || arrayHigherOrder.has(name) || (owner !== undefined && isFunctionLike(owner) && noEffectReason(file, node, owner) !== undefined);
        if (!quiet && effectsFromName(name, name, false)[0]?.kind !== 'read') return true;
      }
      const target = resolveCallee(file, node.callee);
      if (target.kind === 'local' && !contains(loop, target.fn)) {
        const captured = capturedAccess(file, target.fn);
        for (const binding of captured.writes) {
          if (typeof binding === 'string' || declaredOutside(binding, loop)) return true;
        }
        // `moveEndpoint(want, endpoint, region)`: the helper changes the shared object it is given.
        for (const index of mutatedParameters(file, target.fn)) {
          const argument = node.arguments[index];
          if (argument && argument.type !== 'SpreadElement' && outer(argument)) return true;
        }
      }
      return false;
    }
    default:
      return false;
  }
}

const arrayHigherOrder = new Set(['map', 'filter', 'forEach', 'reduce', 'some', 'every', 'find', 'findIndex', 'flatMap']);

/** The call comes after the body's first await: it runs once that await is done, in the order awaits finish. */
function afterFirstAwait(loop: IterationLoop, node: TSESTree.Node): boolean {
  const first = awaitPointsIn(loop.body)[0];
  return first !== undefined && node.range[0] > first.range[1];
}

/**
 * An object declared outside the loop that can hold state built up in order: `this`'s members, a parameter, or an
 * object the function made (`new ScriptGenerator()`, `{}`, `[]`). Not a module or a helper imported by name.
 */
function stateHolder(file: AnalyzedFile, loop: IterationLoop, object: TSESTree.Node): boolean {
  const root = rootVariable(file, object);
  if (root === 'this') return true;
  if (root === undefined || !declaredOutside(root, loop)) return false;
  const def = root.defs.length === 1 ? root.defs[0]! : undefined;
  if (def?.type === 'Parameter') return true;
  if (def?.type !== 'Variable') return false;
  const init = (def.node as TSESTree.VariableDeclarator).init;
  const value = init ? unwrap(init) : undefined;
  return value?.type === 'NewExpression' || value?.type === 'ObjectExpression' || value?.type === 'ArrayExpression';
}

const accumulatorsKey = factKey<WeakMap<IterationLoop, Set<Variable>>>('overlap:loop-accumulators');

/**
 * Outer variables the iterations only write, in an order that cannot matter, and never read back: a number summed
 * (`let n = 0` … `n += files.length`, `count++`), or an object filled under the iteration's own key
 * (`byName[name] = files`, `results[i] = await transform(items[i])`). Each iteration adds its part whichever runs first.
 */
function writeOnlyAccumulators(file: AnalyzedFile, loop: IterationLoop): Set<Variable> {
  const cache = file.facts.get(accumulatorsKey, () => new WeakMap());
  const cached = cache.get(loop);
  if (cached) return cached;
  const keys = new Set<Variable>();
  const declaration = loop.type === 'ForStatement' ? loop.init : loop.left;
  if (declaration) {
    walk(declaration, (node) => {
      if (node.type === 'Identifier') {
        const variable = declaredVariable(file, node);
        if (variable) keys.add(variable);
      }
      return node.type !== 'AssignmentPattern';
    });
  }
  const byVariable = new Map<Variable, TSESTree.Identifier[]>();
  for (const reference of referencesIn(file, loop.body.range)) {
    const variable = reference.resolved as Variable | null;
    if (!variable || variable.defs.length !== 1 || !declaredOutside(variable, loop)) continue;
    const list = byVariable.get(variable) ?? [];
    list.push(reference.identifier as TSESTree.Identifier);
    byVariable.set(variable, list);
  }
  const out = new Set<Variable>();
  for (const [variable, uses] of byVariable) {
    if (uses.every((use) => summedInto(variable, use)) || uses.every((use) => filledUnderKey(file, variable, use, keys))) out.add(variable);
  }
  cache.set(loop, out);
  return out;
}

/** `n += x`, `n -= x`, `n++` as a statement of its own, on a `let n = <number>`. */
function summedInto(variable: Variable, use: TSESTree.Identifier): boolean {
  const def = variable.defs[0]!;
  const init = def.type === 'Variable' ? (def.node as TSESTree.VariableDeclarator).init : undefined;
  if (init?.type !== 'Literal' || typeof init.value !== 'number') return false;
  const parent = use.parent;
  const summed = (parent?.type === 'AssignmentExpression' && parent.left === use && (parent.operator === '+=' || parent.operator === '-=')) ||
    (parent?.type === 'UpdateExpression' && parent.argument === use);
  // `n += await f()` reads `n` before it waits: run concurrently, every iteration would add to the same stale `n`.
  const operand = parent?.type === 'AssignmentExpression' ? parent.right : undefined;
  return summed && parent!.parent?.type === 'ExpressionStatement' && !(operand && containsAwait(operand));
}

/**
 * `target[key] = value` as a statement of its own, where `key` is declared by the loop head and `target` is an
 * object or array the function made itself (`const byName = {}`): a caller's object may be watched while it fills.
 */
function filledUnderKey(file: AnalyzedFile, variable: Variable, use: TSESTree.Identifier, keys: ReadonlySet<Variable>): boolean {
  const def = variable.defs[0]!;
  const init = def.type === 'Variable' ? (def.node as TSESTree.VariableDeclarator).init : undefined;
  const fresh = init ? unwrap(init) : undefined;
  if (fresh?.type !== 'ObjectExpression' && fresh?.type !== 'ArrayExpression') return false;
  if (enclosingFunction(def.node as TSESTree.Node) !== enclosingFunction(use)) return false;
  const member = use.parent;
  if (member?.type !== 'MemberExpression' || member.object !== use || !member.computed || member.property.type !== 'Identifier') return false;
  const assignment = member.parent;
  if (assignment?.type !== 'AssignmentExpression' || assignment.left !== member || assignment.operator !== '=') return false;
  if (assignment.parent?.type !== 'ExpressionStatement') return false;
  const key = resolveIdentifier(file, member.property);
  return key !== null && key !== undefined && keys.has(key as Variable);
}

function enclosingFunction(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (isFunctionLike(current)) return current;
  return undefined;
}

/** An awaited timer: `sleep(ms)`, `delay(ms)`, `setTimeout(ms)` from timers/promises, `new Promise((r) => setTimeout(r, ms))`. */
function isDelay(file: AnalyzedFile, argument: TSESTree.Expression): boolean {
  const inner = unwrap(argument);
  if (inner.type === 'NewExpression' && inner.callee.type === 'Identifier' && inner.callee.name === 'Promise') {
    const executor = inner.arguments[0];
    return !!executor && isFunctionLike(executor) && /\bsetTimeout\s*\(/u.test(file.text.slice(executor.range[0], executor.range[1]));
  }
  if (inner.type !== 'CallExpression') return false;
  const callee = unwrap(inner.callee);
  const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? memberName(callee) ?? '' : '';
  return /^(?:sleep|delay|wait|pause|setTimeout|timeout|throttle|backoff)$/iu.test(name) || /^(?:sleep|delay|wait)[A-Z]/u.test(name);
}

function declaredVariable(file: AnalyzedFile, id: TSESTree.Identifier): Variable | undefined {
  for (const scope of file.scopeManager.scopes) {
    for (const variable of scope.variables) if (variable.defs.some((d) => d.name === id)) return variable as Variable;
  }
  return undefined;
}

function collectPattern(file: AnalyzedFile, loop: IterationLoop, continues: readonly TSESTree.ContinueStatement[]): Collect | undefined {
  if (continues.length > 0 || loop.body.type !== 'BlockStatement') return undefined;
  const parent = loop.parent;
  const list = parent && 'body' in parent && Array.isArray(parent.body) ? (parent.body as TSESTree.Node[]) : parent?.type === 'SwitchCase' ? parent.consequent : undefined;
  if (!list) return undefined;
  const index = list.indexOf(loop);
  const previous = index > 0 ? list[index - 1] : undefined;
  if (previous?.type !== 'VariableDeclaration' || previous.declarations.length !== 1) return undefined;
  const declarator = previous.declarations[0]!;
  if (declarator.id.type !== 'Identifier' || declarator.init?.type !== 'ArrayExpression' || declarator.init.elements.length > 0) return undefined;
  const last = loop.body.body[loop.body.body.length - 1];
  if (last?.type !== 'ExpressionStatement' || last.expression.type !== 'CallExpression') return undefined;
  const call = last.expression;
  const callee = call.callee;
  if (callee.type !== 'MemberExpression' || memberName(callee) !== 'push' || callee.object.type !== 'Identifier' || callee.object.name !== declarator.id.name) return undefined;
  if (call.arguments.length !== 1 || call.arguments[0]!.type === 'SpreadElement') return undefined;
  const name = declarator.id.name;
  const uses = referencesIn(file, loop.range).filter((r) => r.identifier.name === name);
  if (uses.length !== 1 || uses[0]!.identifier !== callee.object) return undefined;
  return { declaration: previous, declarator: declarator as Collect['declarator'], push: last, value: call.arguments[0] as TSESTree.Expression };
}

/** Does the written path come from the iteration's own values (`writeFile(join(out, file.name), …)`)? */
function keyedByIteration(file: AnalyzedFile, loop: IterationLoop, argument: TSESTree.Expression): boolean {
  const call = unwrap(argument);
  if (call.type !== 'CallExpression' || !call.arguments[0]) return false;
  return referencesIn(file, call.arguments[0].range).some((reference) => {
    const range = reference.resolved ? declarationRange(reference.resolved as Variable) : undefined;
    return range !== undefined && contains(loop, { range });
  });
}

function isArrayLike(file: AnalyzedFile, node: TSESTree.Node, depth: number): boolean {
  if (depth > 3) return false;
  const inner = unwrap(node);
  if (file.types) {
    const tsNode = file.types.esTreeNodeToTSNodeMap.get(inner);
    if (tsNode) {
      const checker = file.types.program.getTypeChecker() as unknown as { isArrayType?(t: unknown): boolean; isTupleType?(t: unknown): boolean; getTypeAtLocation(n: unknown): unknown };
      const type = checker.getTypeAtLocation(tsNode);
      if (checker.isArrayType?.(type) || checker.isTupleType?.(type)) return true;
    }
  }
  if (inner.type === 'ArrayExpression') return true;
  if (inner.type === 'CallExpression' && inner.callee.type === 'MemberExpression') {
    const name = memberName(inner.callee) ?? '';
    const object = unwrap(inner.callee.object);
    if (object.type === 'Identifier' && (object.name === 'Object' || object.name === 'Array') && ['keys', 'values', 'entries', 'from', 'of'].includes(name)) return true;
    if (name === 'sort' || name === 'reverse') return isArrayLike(file, object, depth + 1);
    if (arrayMethods.has(name)) return true;
  }
  if (inner.type === 'Identifier') {
    const variable = resolveIdentifier(file, inner);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (!def) return false;
    const name = def.name as TSESTree.Identifier;
    const annotation = name.typeAnnotation?.typeAnnotation;
    if (annotation) return isArrayType(annotation);
    if (def.type === 'Variable') {
      const declarator = def.node as TSESTree.VariableDeclarator;
      if (declarator.id === def.name && declarator.init && !variable!.references.some((r) => r.isWrite() && !r.init)) return isArrayLike(file, declarator.init, depth + 1);
    }
  }
  return false;
}

function isArrayType(type: TSESTree.TypeNode): boolean {
  if (type.type === 'TSArrayType' || type.type === 'TSTupleType') return true;
  if (type.type === 'TSTypeOperator' && type.operator === 'readonly' && type.typeAnnotation) return isArrayType(type.typeAnnotation);
  return type.type === 'TSTypeReference' && type.typeName.type === 'Identifier' && (type.typeName.name === 'Array' || type.typeName.name === 'ReadonlyArray');
}

export function iterableText(file: AnalyzedFile, result: ConcurrentLoop): string {
  return shortText(file.text, result.iterable, 30);
}
