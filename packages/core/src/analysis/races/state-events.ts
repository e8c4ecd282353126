import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { Variable } from '@typescript-eslint/scope-manager';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { factKey } from '../../engine/fact-cache.js';
import { concurrencyOf, type ConcurrencyContext } from './concurrency-context.js';
import { isFunctionNode, type FunctionNode } from './race-ast.js';
import { unwrap } from '../syntax.js';
import { localVariableOf, mapEntryOf, sharedPlaceOf, type SharedPlace } from './shared-state.js';

/**
 * What one async function does to shared state, in evaluation order: reads of shared places, suspensions at
 * `await`, writes to shared places, and definitions and uses of its own locals (to follow a read value through
 * `const n = this.count`). Nested functions are left out: each is analysed as a function of its own.
 *
 * Positions are character offsets that order events as JavaScript evaluates them: operands left to right, the
 * suspension of `await x` after `x`, an assignment's write after its right-hand side, a compound assignment's
 * implicit read before it.
 */
export type StateEvent = AwaitEvent | ReadEvent | WriteEvent | DefineEvent | UseEvent;

export interface AwaitEvent {
  readonly kind: 'await';
  readonly pos: number;
  readonly node: TSESTree.AwaitExpression | TSESTree.ForOfStatement;
}

export interface ReadEvent {
  readonly kind: 'read';
  readonly pos: number;
  readonly place: SharedPlace;
  readonly node: TSESTree.Node;
}

export interface WriteEvent {
  readonly kind: 'write';
  readonly pos: number;
  readonly place: SharedPlace;
  /** The assignment, `map.set(...)` / `set.add(...)` call, or `delete` expression. */
  readonly node: TSESTree.Node;
  /** The value written (undefined for `delete`, `set.add(k)`): reads and uses inside it feed the written value. */
  readonly value: TSESTree.Node | undefined;
  readonly operator: string;
}

export interface DefineEvent {
  readonly kind: 'define';
  readonly pos: number;
  readonly variable: Variable;
  readonly node: TSESTree.Node;
  readonly value: TSESTree.Node | undefined;
}

export interface UseEvent {
  readonly kind: 'use';
  readonly pos: number;
  readonly variable: Variable;
  readonly node: TSESTree.Identifier;
}

export interface FunctionStateEvents {
  readonly fn: FunctionNode;
  readonly context: ConcurrencyContext;
  readonly events: readonly StateEvent[];
}

const writeMethods = new Set(['set', 'add']);
const deleteMethods = new Set(['delete']);

const eventsKey = factKey<readonly FunctionStateEvents[]>('state-events');

/** Every async function of the file that may run concurrently, with its state events. Memoised per file. */
export function stateEventsOf(file: AnalyzedFile): readonly FunctionStateEvents[] {
  return file.facts.get(eventsKey, () => {
    const result: FunctionStateEvents[] = [];
    for (const fn of asyncFunctions(file.ast)) {
      const context = concurrencyOf(file, fn);
      if (context.level === 'none') continue;
      result.push({ fn, context, events: stateEventsOfFunction(file, fn) });
    }
    return result;
  });
}

const perFunctionKey = factKey<Map<FunctionNode, readonly StateEvent[]>>('state-events-per-function');

/**
 * The state events of any one function, whatever its own concurrency: a method's summary needs them even when the
 * method only runs under another method's call (`this.render()` from `navigate`). Memoised per file.
 */
export function stateEventsOfFunction(file: AnalyzedFile, fn: FunctionNode): readonly StateEvent[] {
  const cache = file.facts.get(perFunctionKey, () => new Map<FunctionNode, readonly StateEvent[]>());
  const cached = cache.get(fn);
  if (cached) return cached;
  const context = concurrencyOf(file, fn);
  const events = collect(file, fn, context.level === 'none' ? { ...context, level: 'possible' } : context);
  cache.set(fn, events);
  return events;
}

function asyncFunctions(root: TSESTree.Node): FunctionNode[] {
  const found: FunctionNode[] = [];
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunctionNode(node) && node.async) found.push(node);
    for (const key of visitorKeys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item)) stack.push(item);
      } else if (isNode(child)) stack.push(child);
    }
  }
  return found.sort((a, b) => a.range[0] - b.range[0]);
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function collect(file: AnalyzedFile, fn: FunctionNode, context: ConcurrencyContext): StateEvent[] {
  const events: StateEvent[] = [];
  const place = (node: TSESTree.Node) => sharedPlaceOf(file, fn, context, node);

  const visitChildren = (node: TSESTree.Node) => {
    for (const key of visitorKeys[node.type] ?? []) {
      if (key === 'typeAnnotation' || key === 'typeArguments' || key === 'typeParameters' || key === 'returnType' || key === 'decorators') continue;
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item)) visit(item);
      } else if (isNode(child)) visit(child);
    }
  };

  const defineTargets = (target: TSESTree.Node, value: TSESTree.Node | undefined, pos: number) => {
    const node = unwrap(target);
    switch (node.type) {
      case AST_NODE_TYPES.Identifier: {
        const variable = localVariableOf(file, fn, node);
        if (variable) {
          events.push({ kind: 'define', pos, variable, node, value });
        } else {
          const shared = place(node);
          if (shared) events.push({ kind: 'write', pos, place: shared, node, value, operator: '=' });
        }
        return;
      }
      case AST_NODE_TYPES.MemberExpression: {
        const shared = place(node);
        if (shared) events.push({ kind: 'write', pos, place: shared, node, value, operator: '=' });
        return;
      }
      case AST_NODE_TYPES.ObjectPattern:
        for (const property of node.properties) {
          defineTargets(property.type === AST_NODE_TYPES.RestElement ? property.argument : property.value, value, pos);
        }
        return;
      case AST_NODE_TYPES.ArrayPattern:
        for (const element of node.elements) if (element) defineTargets(element, value, pos);
        return;
      case AST_NODE_TYPES.RestElement:
        defineTargets(node.argument, value, pos);
        return;
      case AST_NODE_TYPES.AssignmentPattern:
        visit(node.right);
        defineTargets(node.left, value, pos);
        return;
      default:
        return;
    }
  };

  /** The object part and computed keys of an assignment target are evaluated before the right-hand side. */
  const visitTargetParts = (target: TSESTree.Node) => {
    const node = unwrap(target);
    if (node.type === AST_NODE_TYPES.MemberExpression) {
      if (node.computed) visit(node.property);
      const object = unwrap(node.object);
      if (object.type === AST_NODE_TYPES.MemberExpression) visitTargetParts(object);
      else if (object.type !== AST_NODE_TYPES.Identifier && object.type !== AST_NODE_TYPES.ThisExpression) visit(object);
    }
  };

  function visit(node: TSESTree.Node): void {
    if (isFunctionNode(node) && node !== fn) return;
    if (node.type === AST_NODE_TYPES.ClassBody || node.type.startsWith('TS') && !isTsExpressionWrapper(node)) return;
    switch (node.type) {
      case AST_NODE_TYPES.AwaitExpression:
        visit(node.argument);
        events.push({ kind: 'await', pos: node.range[1], node });
        return;
      case AST_NODE_TYPES.ForOfStatement:
        visit(node.right);
        if (node.await) events.push({ kind: 'await', pos: node.right.range[1], node });
        if (node.left.type === AST_NODE_TYPES.VariableDeclaration) {
          for (const declarator of node.left.declarations) defineTargets(declarator.id, node.right, node.left.range[1]);
        } else {
          defineTargets(node.left, node.right, node.left.range[1]);
        }
        visit(node.body);
        return;
      case AST_NODE_TYPES.VariableDeclarator:
        if (node.init) visit(node.init);
        defineTargets(node.id, node.init ?? undefined, after(node));
        return;
      case AST_NODE_TYPES.AssignmentExpression: {
        visitTargetParts(node.left);
        const target = unwrap(node.left);
        const shared = target.type === AST_NODE_TYPES.Identifier || target.type === AST_NODE_TYPES.MemberExpression ? place(target) : undefined;
        if (node.operator !== '=') {
          // Compound and logical assignments read the target before evaluating the right-hand side.
          if (shared) events.push({ kind: 'read', pos: node.left.range[0], place: shared, node: node.left });
          else if (target.type === AST_NODE_TYPES.Identifier) {
            const variable = localVariableOf(file, fn, target);
            if (variable) events.push({ kind: 'use', pos: node.left.range[0], variable, node: target });
          }
        }
        visit(node.right);
        if (shared) {
          events.push({ kind: 'write', pos: after(node), place: shared, node, value: node.right, operator: node.operator });
        } else {
          defineTargets(node.left, node.right, after(node));
        }
        return;
      }
      case AST_NODE_TYPES.UnaryExpression:
        if (node.operator === 'delete') {
          visitTargetParts(node.argument);
          const shared = place(node.argument);
          if (shared) events.push({ kind: 'write', pos: after(node), place: shared, node, value: undefined, operator: 'delete' });
          return;
        }
        visitChildren(node);
        return;
      case AST_NODE_TYPES.CallExpression: {
        const written = mapEntryOf(file, fn, context, node, writeMethods) ?? mapEntryOf(file, fn, context, node, deleteMethods);
        const read = written ? undefined : mapEntryOf(file, fn, context, node, new Set(['get']));
        if (read) {
          for (const argument of node.arguments) visit(argument);
          events.push({ kind: 'read', pos: node.range[0], place: read, node });
          return;
        }
        visitChildren(node);
        if (written) {
          const method = node.callee.type === AST_NODE_TYPES.MemberExpression && !node.callee.computed && node.callee.property.type === AST_NODE_TYPES.Identifier ? node.callee.property.name : 'set';
          const value = method === 'set' ? node.arguments[1] : undefined;
          events.push({ kind: 'write', pos: after(node), place: written, node, value, operator: method });
        }
        return;
      }
      case AST_NODE_TYPES.MemberExpression: {
        const shared = place(node);
        if (shared) {
          visitTargetParts(node);
          events.push({ kind: 'read', pos: node.range[0], place: shared, node });
          return;
        }
        visit(node.object);
        if (node.computed) visit(node.property);
        return;
      }
      case AST_NODE_TYPES.Identifier: {
        const variable = localVariableOf(file, fn, node);
        if (variable) {
          events.push({ kind: 'use', pos: node.range[0], variable, node });
          return;
        }
        const shared = place(node);
        if (shared) events.push({ kind: 'read', pos: node.range[0], place: shared, node });
        return;
      }
      case AST_NODE_TYPES.Property:
        if (node.computed) visit(node.key);
        visit(node.value);
        return;
      case AST_NODE_TYPES.MethodDefinition:
      case AST_NODE_TYPES.PropertyDefinition:
        return;
      case AST_NODE_TYPES.LabeledStatement:
        visit(node.body);
        return;
      case AST_NODE_TYPES.BreakStatement:
      case AST_NODE_TYPES.ContinueStatement:
        return;
      default:
        visitChildren(node);
    }
  }

  visit(fn.body);
  return events.sort((a, b) => a.pos - b.pos);
}

/** A write or definition happens after everything inside it, the suspension of a trailing `await` included. */
function after(node: TSESTree.Node): number {
  return node.range[1] + 0.5;
}

function isTsExpressionWrapper(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.TSNonNullExpression ||
    node.type === AST_NODE_TYPES.TSAsExpression ||
    node.type === AST_NODE_TYPES.TSSatisfiesExpression ||
    node.type === AST_NODE_TYPES.TSTypeAssertion
  );
}
