import type { Variable } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../engine/analyzed-file.js';
import { factKey } from '../engine/fact-cache.js';
import type { Confidence } from '../model/confidence.js';
import type { Effect } from '../model/effect.js';
import { awaitPointsIn } from './await-points.js';
import { capturedAccess } from './data-dependencies.js';
import { resolveCallee } from './effects/callee.js';
import { effectsOfExpression, rootContext } from './effects/classify.js';
import { isGuessed, overallKind } from './effects/conflicts.js';
import { leadingVerb } from './effects/names.js';
import { asyncBodiesOf } from './functions.js';
import { declarationRange, referencesIn, resolveIdentifier } from './references.js';
import { contains, isFunctionLike, memberName, shortText, unwrap, walkOwn } from './syntax.js';

/**
 * `for (const item of items) { … await … }` loops whose iterations could run together: no value carried from
 * one iteration to the next (accumulators, cursors, outer state), no `break` or `return` (an early exit depends
 * on what earlier iterations awaited), no `for await`, no deliberate delay or lock (throttling), and no ordered
 * effects on one resource (two iterations writing the same file, rows inserted in order).
 */
export interface ConcurrentLoop {
  readonly loop: TSESTree.ForOfStatement;
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
      if (node.type === 'ForOfStatement' && !node.await) {
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

function analyseLoop(file: AnalyzedFile, loop: TSESTree.ForOfStatement, options: LoopOptions): ConcurrentLoop | undefined {
  if (loop.left.type !== 'VariableDeclaration' || (loop.left.kind !== 'const' && loop.left.kind !== 'let')) return undefined;
  if (loop.parent?.type === 'LabeledStatement') return undefined;
  const awaits = awaitPointsIn(loop.body);
  if (awaits.length === 0 || awaits.some((a) => a.type !== 'AwaitExpression')) return undefined;
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
  for (const awaitNode of awaits as TSESTree.AwaitExpression[]) {
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
  const guessed = isGuessed(effects);
  return {
    loop,
    awaits: awaits as TSESTree.AwaitExpression[],
    effects,
    confidence: guessed || perItemWrites ? 'medium' : 'high',
    collect,
    continues,
    arrayLike: isArrayLike(file, loop.right, 0),
    perItemWrites,
  };
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
function carriesState(file: AnalyzedFile, loop: TSESTree.ForOfStatement, collect: Collect | undefined): boolean {
  const collected = collect ? resolveIdentifier(file, collect.declarator.id) ?? declaredVariable(file, collect.declarator.id) : undefined;
  for (const reference of referencesIn(file, loop.body.range)) {
    const variable = reference.resolved as Variable | null;
    if (!variable || variable.defs.length === 0) continue;
    if (reference.isWrite() && declaredOutside(variable, loop)) return true;
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

function carriesStateIn(file: AnalyzedFile, loop: TSESTree.ForOfStatement, fn: TSESTree.Node, collected: Variable | undefined, collect: Collect | undefined): boolean {
  let carried = false;
  walkOwn(fn, (node) => {
    if (carried) return false;
    if (node !== fn && isFunctionLike(node)) return false;
    carried = nodeCarries(file, loop, node, collected, collect);
    return !carried;
  });
  return carried;
}

function nodeCarries(file: AnalyzedFile, loop: TSESTree.ForOfStatement, node: TSESTree.Node, collected: Variable | undefined, collect: Collect | undefined): boolean {
  const outer = (target: TSESTree.Node): boolean => {
    const root = rootVariable(file, target);
    return root === 'this' || (root !== undefined && declaredOutside(root, loop));
  };
  const isMember = (target: TSESTree.Node): boolean => unwrap(target).type === 'MemberExpression';
  switch (node.type) {
    case 'AssignmentExpression':
      return isMember(node.left) && outer(node.left);
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
      const target = resolveCallee(file, node.callee);
      if (target.kind === 'local' && !contains(loop, target.fn)) {
        const captured = capturedAccess(file, target.fn);
        for (const binding of captured.writes) {
          if (typeof binding === 'string' || declaredOutside(binding, loop)) return true;
        }
      }
      return false;
    }
    default:
      return false;
  }
}

function declaredVariable(file: AnalyzedFile, id: TSESTree.Identifier): Variable | undefined {
  for (const scope of file.scopeManager.scopes) {
    for (const variable of scope.variables) if (variable.defs.some((d) => d.name === id)) return variable as Variable;
  }
  return undefined;
}

function collectPattern(file: AnalyzedFile, loop: TSESTree.ForOfStatement, continues: readonly TSESTree.ContinueStatement[]): Collect | undefined {
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
function keyedByIteration(file: AnalyzedFile, loop: TSESTree.ForOfStatement, argument: TSESTree.Expression): boolean {
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

export function iterableText(file: AnalyzedFile, loop: TSESTree.ForOfStatement): string {
  return shortText(file.text, loop.right, 30);
}
