import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { factKey } from '../../engine/fact-cache.js';
import { unwrap } from '../syntax.js';
import { isFunctionNode, staticPropertyName, type FunctionNode } from './race-ast.js';
import { stateEventsOfFunction, type AwaitEvent, type ReadEvent, type WriteEvent } from './state-events.js';

/**
 * What each method of a class does to the instance's fields across its own `await`s, so a race whose halves sit in
 * two methods can be connected at the `this.m()` call between them. Small and local on purpose: one class of one
 * file, fields of `this` only, calls through `this.m()` followed a few levels deep. Effects of calls (what a method
 * does to the world) are another module's concern; this is only the instance state the race rules reason about.
 */
export interface MethodSummary {
  readonly name: string;
  readonly fn: FunctionNode;
  /**
   * Fields of `this` the method reads as data after it has waited (`await` then `this.current`), keyed by place key,
   * with the first such read and the await before it. Fields it also tests after waiting (`if (this.current !== route)`)
   * are left out: the method checks whether they changed.
   */
  readonly readsAfterAwait: ReadonlyMap<string, { readonly read: ReadEvent; readonly await: AwaitEvent }>;
  /** Fields the method writes before its first await: reads after the wait see its own value, not a caller's. */
  readonly writesBeforeAwait: ReadonlySet<string>;
  /**
   * Fields the method fills after it has waited (`this.conn = await open()`, `this.clients.set(k, c)`), unless the
   * fill is re-checked after the wait. Keyed by place key (for map entries, the map's key).
   */
  readonly fillsAfterAwait: ReadonlyMap<string, { readonly write: WriteEvent; readonly await: AwaitEvent }>;
}

const summariesKey = factKey<Map<TSESTree.ClassBody, Map<string, MethodSummary>>>('race-method-summaries');

/** The summaries of the methods of the class around `node`, by method name (`#name` for private names). */
export function methodSummariesAround(file: AnalyzedFile, node: TSESTree.Node): ReadonlyMap<string, MethodSummary> | undefined {
  const classBody = enclosingClassBody(node);
  return classBody ? methodSummariesOf(file, classBody) : undefined;
}

export function methodSummariesOf(file: AnalyzedFile, classBody: TSESTree.ClassBody): ReadonlyMap<string, MethodSummary> {
  const perClass = file.facts.get(summariesKey, () => new Map<TSESTree.ClassBody, Map<string, MethodSummary>>());
  const cached = perClass.get(classBody);
  if (cached) return cached;
  const methods = new Map<string, FunctionNode>();
  for (const member of classBody.body) {
    const fn = memberFunction(member);
    const name = fn && memberName(member);
    if (fn && name && !methods.has(name)) methods.set(name, fn);
  }
  const summaries = new Map<string, MethodSummary>();
  perClass.set(classBody, summaries);
  const inProgress = new Set<string>();
  // Bottom-up with memoisation; a method met again while it is being summarised (recursion) contributes nothing.
  const summaryOf = (name: string): MethodSummary | undefined => {
    const done = summaries.get(name);
    if (done) return done;
    const fn = methods.get(name);
    if (!fn || inProgress.has(name)) return undefined;
    inProgress.add(name);
    const summary = summarise(file, name, fn, summaryOf);
    inProgress.delete(name);
    summaries.set(name, summary);
    return summary;
  };
  for (const name of methods.keys()) summaryOf(name);
  return summaries;
}

/** `this.m(...)` (or `this.#m(...)`): the summary of `m` in the class around the call. */
export function calledMethod(file: AnalyzedFile, call: TSESTree.CallExpression): MethodSummary | undefined {
  const name = thisMethodName(call);
  if (!name) return undefined;
  return methodSummariesAround(file, call)?.get(name);
}

export function thisMethodName(call: TSESTree.CallExpression): string | undefined {
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed) return undefined;
  if (unwrap(callee.object).type !== AST_NODE_TYPES.ThisExpression) return undefined;
  return staticPropertyName(callee);
}

function summarise(
  file: AnalyzedFile,
  name: string,
  fn: FunctionNode,
  summaryOf: (name: string) => MethodSummary | undefined,
): MethodSummary {
  const empty: MethodSummary = { name, fn, readsAfterAwait: new Map(), writesBeforeAwait: new Set(), fillsAfterAwait: new Map() };
  if (!fn.async) return empty;
  const events = stateEventsOfFunction(file, fn).filter(
    (e): e is AwaitEvent | ReadEvent | WriteEvent => e.kind === 'await' || ((e.kind === 'read' || e.kind === 'write') && e.place.how === 'this'),
  );
  const firstAwait = events.find((e): e is AwaitEvent => e.kind === 'await');
  const writesBeforeAwait = new Set<string>();
  const readsAfterAwait = new Map<string, { read: ReadEvent; await: AwaitEvent }>();
  const fillsAfterAwait = new Map<string, { write: WriteEvent; await: AwaitEvent }>();
  const testedAfterAwait = new Set<string>();
  let lastAwait: AwaitEvent | undefined;
  for (const event of events) {
    if (event.kind === 'await') {
      lastAwait = event;
      continue;
    }
    const key = event.place.entry?.map ?? event.place.key;
    if (event.kind === 'write') {
      if (!lastAwait) writesBeforeAwait.add(key);
      else if (isFill(event) && !fillsAfterAwait.has(key) && !testedBefore(events, event, lastAwait)) fillsAfterAwait.set(key, { write: event, await: lastAwait });
      continue;
    }
    if (!lastAwait || event.kind !== 'read') continue;
    if (inTest(event.node)) testedAfterAwait.add(key);
    else if (!readsAfterAwait.has(key)) readsAfterAwait.set(key, { read: event, await: lastAwait });
  }
  for (const key of testedAfterAwait) readsAfterAwait.delete(key);
  // Bottom-up through `this.m()` calls: what the callee fills after its wait, the caller fills after a wait too.
  for (const call of thisCalls(fn)) {
    const inner = summaryOf(call.name);
    if (!inner) continue;
    const waitedBefore = firstAwait !== undefined && firstAwait.pos < call.node.range[0];
    for (const [key, fill] of inner.fillsAfterAwait) if (!fillsAfterAwait.has(key) && !writesBeforeAwait.has(key)) fillsAfterAwait.set(key, fill);
    if (!waitedBefore) for (const key of inner.writesBeforeAwait) writesBeforeAwait.add(key);
  }
  return { name, fn, readsAfterAwait, writesBeforeAwait, fillsAfterAwait };
}

/** The write is under a test of the same state made after the wait (`if (!this.conn) this.conn = created`). */
function testedBefore(events: readonly (AwaitEvent | ReadEvent | WriteEvent)[], write: WriteEvent, after: AwaitEvent): boolean {
  const key = write.place.entry?.map ?? write.place.key;
  return events.some(
    (e) => e.kind === 'read' && e.pos > after.pos && e.pos < write.pos && (e.place.entry?.map ?? e.place.key) === key && inTest(e.node) && guards(e.node, write.node),
  );
}

function guards(read: TSESTree.Node, write: TSESTree.Node): boolean {
  for (let current = read.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.IfStatement || current.type === AST_NODE_TYPES.ConditionalExpression || current.type === AST_NODE_TYPES.LogicalExpression) {
      return current.range[0] <= write.range[0] && write.range[1] <= current.range[1];
    }
  }
  return false;
}

/** A read that decides (an `if`/`?:`/`while` test, an operand of `&&`/`||`/`??`, a comparison). */
export function inTest(node: TSESTree.Node): boolean {
  let current: TSESTree.Node = node;
  while (current.parent) {
    const parent: TSESTree.Node = current.parent;
    if ((parent.type === AST_NODE_TYPES.IfStatement || parent.type === AST_NODE_TYPES.ConditionalExpression || parent.type === AST_NODE_TYPES.WhileStatement) && parent.test === current) return true;
    if (parent.type === AST_NODE_TYPES.LogicalExpression && parent.left === current) return true;
    if (parent.type === AST_NODE_TYPES.BinaryExpression && ['===', '!==', '==', '!=', 'instanceof', 'in'].includes(parent.operator)) return true;
    if (parent.type === AST_NODE_TYPES.UnaryExpression && parent.operator === '!') return true;
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === current) {
      current = parent;
      continue;
    }
    return false;
  }
  return false;
}

function isFill(write: WriteEvent): boolean {
  if (write.operator === 'delete' || write.operator === 'add') return write.operator === 'add';
  const value = write.value && unwrap(write.value);
  if (!value) return false;
  if (value.type === AST_NODE_TYPES.Literal && (value.value === null || value.value === false)) return false;
  return !(value.type === AST_NODE_TYPES.Identifier && value.name === 'undefined');
}

function thisCalls(fn: FunctionNode): { name: string; node: TSESTree.CallExpression }[] {
  const found: { name: string; node: TSESTree.CallExpression }[] = [];
  const stack: TSESTree.Node[] = [fn.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunctionNode(node) && node !== fn) continue;
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const name = thisMethodName(node);
      if (name) found.push({ name, node });
    }
    for (const value of Object.values(node)) {
      if (value === node.parent) continue;
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) stack.push(item);
      } else if (isNode(value)) stack.push(value);
    }
  }
  return found.sort((a, b) => a.node.range[0] - b.node.range[0]);
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && 'range' in value;
}

function memberFunction(member: TSESTree.ClassElement): FunctionNode | undefined {
  if (member.type === AST_NODE_TYPES.MethodDefinition && member.kind === 'method' && !member.static) return member.value as FunctionNode;
  if (member.type === AST_NODE_TYPES.PropertyDefinition && !member.static && member.value && isFunctionNode(member.value)) return member.value;
  return undefined;
}

function memberName(member: TSESTree.MethodDefinition | TSESTree.PropertyDefinition | TSESTree.ClassElement): string | undefined {
  if (member.type !== AST_NODE_TYPES.MethodDefinition && member.type !== AST_NODE_TYPES.PropertyDefinition) return undefined;
  if (member.computed) return undefined;
  if (member.key.type === AST_NODE_TYPES.Identifier) return member.key.name;
  if (member.key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${member.key.name}`;
  return undefined;
}

function enclosingClassBody(node: TSESTree.Node): TSESTree.ClassBody | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.ClassBody) return current;
  }
  return undefined;
}
