import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { factKey } from '../../engine/fact-cache.js';
import { unwrap, walk } from '../syntax.js';
import { concurrencyOf, type ConcurrencyContext } from './concurrency-context.js';
import { calledMethod, inTest } from './method-summaries.js';
import { exclusive, exitsBefore, findVariable, isFunctionNode, type FunctionNode } from './race-ast.js';
import { sharedPlaceOf, type SharedPlace } from './shared-state.js';
import { stateEventsOfFunction, type AwaitEvent, type ReadEvent } from './state-events.js';
import { samePlace } from './stale-reads.js';

/**
 * A per-call value kept on the shared instance across a wait: `this.current = route; return this.render();` where
 * `render` awaits and then reads `this.current`. Overlapping calls each store their own value during the wait, and
 * every waiting call then continues with the last caller's value.
 */
export interface PerCallState {
  readonly fn: FunctionNode;
  readonly context: ConcurrencyContext;
  readonly place: SharedPlace;
  /** The assignment that stores the per-call value. */
  readonly write: TSESTree.AssignmentExpression;
  /** The parameter the stored value comes from. */
  readonly parameter: string;
  readonly await: AwaitEvent['node'];
  readonly read: ReadEvent['node'];
  /** Set when the wait and the read are in another method reached through `this.m()`. */
  readonly via?: { readonly call: TSESTree.CallExpression; readonly method: string };
}

const perCallKey = factKey<readonly PerCallState[]>('race-per-call-state');

export function perCallStatesOf(file: AnalyzedFile): readonly PerCallState[] {
  return file.facts.get(perCallKey, () => {
    const found: PerCallState[] = [];
    for (const fn of classMethods(file.ast)) {
      const context = concurrencyOf(file, fn);
      if (context.level === 'none') continue;
      for (const write of thisAssignments(fn)) {
        const parameter = parameterIn(file, fn, write.right);
        if (!parameter) continue;
        const place = sharedPlaceOf(file, fn, context, write.left);
        if (!place || place.how !== 'this') continue;
        const hit = sameFunction(file, fn, place, write) ?? throughMethod(file, fn, place, write);
        if (hit) found.push({ fn, context, place, write, parameter, ...hit });
      }
    }
    return found;
  });
}

type Hit = Pick<PerCallState, 'await' | 'read' | 'via'>;

/** `this.current = route; await load(); show(this.current)` inside one async method. */
function sameFunction(file: AnalyzedFile, fn: FunctionNode, place: SharedPlace, write: TSESTree.AssignmentExpression): Hit | undefined {
  if (!fn.async) return undefined;
  const events = stateEventsOfFunction(file, fn);
  const start = write.range[1];
  let wait: AwaitEvent | undefined;
  for (const event of events) {
    // The write's own event sits just after the assignment.
    if (event.pos <= start + 0.5) continue;
    if (event.kind === 'await' && !wait && !exclusive(event.node, write) && !exitsBefore(write, event.node)) wait = event;
    if ((event.kind === 'write' || event.kind === 'read') && !samePlace(event.place.key, place.key)) continue;
    if (event.kind === 'write') return undefined;
    if (event.kind === 'read' && wait) {
      if (inTest(event.node)) return undefined;
      if (exclusive(event.node, write) || exclusive(event.node, wait.node) || exitsBefore(wait.node, event.node)) continue;
      const testedLater = events.some((e) => e.kind === 'read' && e.pos > wait!.pos && samePlace(e.place.key, place.key) && inTest(e.node));
      return testedLater ? undefined : { await: wait.node, read: event.node };
    }
  }
  return undefined;
}

/** `this.current = route; return this.render();` where `render` waits, then reads `this.current`. */
function throughMethod(file: AnalyzedFile, fn: FunctionNode, place: SharedPlace, write: TSESTree.AssignmentExpression): Hit | undefined {
  for (const call of ownCalls(fn)) {
    if (call.range[0] < write.range[1] || exclusive(call, write)) continue;
    const summary = calledMethod(file, call);
    if (!summary || summary.fn === fn) continue;
    if ([...summary.writesBeforeAwait].some((key) => samePlace(place.key, key) || samePlace(key, place.key))) continue;
    for (const [key, read] of summary.readsAfterAwait) {
      if (!samePlace(key, place.key)) continue;
      return { await: read.await.node, read: read.read.node, via: { call, method: summary.name } };
    }
  }
  return undefined;
}

/** The name of a parameter of `fn` that `value` uses (a per-call input), not through a nested function. */
function parameterIn(file: AnalyzedFile, fn: FunctionNode, value: TSESTree.Node): string | undefined {
  const stack: TSESTree.Node[] = [value];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunctionNode(node)) continue;
    if (node.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariable(file.scopeManager, node);
      if (variable?.defs.some((d) => d.type === 'Parameter' && d.node === fn)) return node.name;
      continue;
    }
    if (node.type === AST_NODE_TYPES.MemberExpression) {
      stack.push(node.object);
      if (node.computed) stack.push(node.property);
      continue;
    }
    if (node.type === AST_NODE_TYPES.Property) {
      stack.push(node.value);
      continue;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'parent' || key === 'typeAnnotation') continue;
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item)) stack.push(item);
      } else if (isNode(child)) stack.push(child);
    }
  }
  return undefined;
}

/** `this.x = value` statements of the function's own body (not nested functions), in source order. */
function thisAssignments(fn: FunctionNode): TSESTree.AssignmentExpression[] {
  const found: TSESTree.AssignmentExpression[] = [];
  visitOwn(fn, (node) => {
    if (node.type !== AST_NODE_TYPES.AssignmentExpression || node.operator !== '=' || node.parent?.type !== AST_NODE_TYPES.ExpressionStatement) return;
    const target = unwrap(node.left);
    if (target.type === AST_NODE_TYPES.MemberExpression && unwrap(target.object).type === AST_NODE_TYPES.ThisExpression) found.push(node);
  });
  return found.sort((a, b) => a.range[0] - b.range[0]);
}

function ownCalls(fn: FunctionNode): TSESTree.CallExpression[] {
  const found: TSESTree.CallExpression[] = [];
  visitOwn(fn, (node) => {
    if (node.type === AST_NODE_TYPES.CallExpression) found.push(node);
  });
  return found.sort((a, b) => a.range[0] - b.range[0]);
}

function visitOwn(fn: FunctionNode, visit: (node: TSESTree.Node) => void): void {
  if (!fn.body) return;
  walk(fn.body, (node) => {
    if (isFunctionNode(node) && node !== fn) return false;
    visit(node);
  });
}

/** By visitor keys: in ESLint's tree the Program also holds every token and comment, which look like nodes. */
function classMethods(root: TSESTree.Program): FunctionNode[] {
  const found: FunctionNode[] = [];
  walk(root, (node) => {
    // Overload signatures are method definitions too, with no body: only the implementation runs.
    if (node.type === AST_NODE_TYPES.MethodDefinition && node.kind === 'method' && !node.static && node.value.body) found.push(node.value as FunctionNode);
  });
  return found.sort((a, b) => a.range[0] - b.range[0]);
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && 'range' in value;
}
