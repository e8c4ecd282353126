import type { TSESTree } from '@typescript-eslint/types';
import type { Variable } from '@typescript-eslint/scope-manager';
import { alwaysExits, enclosingFunction, exclusive, exitsBefore } from './race-ast.js';
import { contains, unwrap, walkOwn } from '../syntax.js';
import type { AwaitEvent, ReadEvent, StateEvent, WriteEvent } from './state-events.js';

/**
 * Follows values read from shared state through the function's locals, in evaluation order, and finds writes
 * whose value was computed from a read taken before an `await` that lies between the read and the write.
 */
export interface StaleWrite {
  readonly read: ReadEvent;
  readonly await: AwaitEvent;
  readonly write: WriteEvent;
  /** The local that carried the stale value (`n` in `const n = this.count; ...; this.count = n + 1`). */
  readonly via: Variable | undefined;
  /**
   * `reset`: the write empties a buffer whose contents were taken before the await (`await send(this.buffer);
   * this.buffer = ''`), discarding whatever was appended during the wait. `update`: the written value was computed
   * from the old read.
   */
  readonly kind: 'update' | 'reset';
}

/** True when a read of `readKey` is a read of the state at `writeKey` or of something inside it. */
export function samePlace(readKey: string, writeKey: string): boolean {
  return readKey === writeKey || readKey.startsWith(`${writeKey}.`) || readKey.startsWith(`${writeKey}[`);
}

interface Origin {
  readonly read: ReadEvent;
  readonly via: Variable | undefined;
  /** The value is the read itself, passed on unchanged (`const saved = this.mode`). */
  readonly exact: boolean;
}

export function findStaleWrites(events: readonly StateEvent[]): StaleWrite[] {
  const taint = new Map<Variable, Origin[]>();
  const awaits: AwaitEvent[] = [];
  const found: StaleWrite[] = [];

  const originsWithin = (value: TSESTree.Node | undefined, upTo: number, written = false): Origin[] => {
    if (!value) return [];
    const origins: Origin[] = [];
    // Events are sorted by position and every event inside `value` sits between its start and `upTo`.
    const first = firstAtOrAfter(events, value.range[0]);
    const inside: StateEvent[] = [];
    for (let at = first; at < events.length && events[at]!.pos <= upTo; at += 1) {
      if (contains(value, events[at]!.node)) inside.push(events[at]!);
    }
    // What an awaited call returns is new data from outside, even when the stale value was among its arguments.
    const awaited = inside.filter(
      (e): e is AwaitEvent & { node: TSESTree.AwaitExpression } => e.kind === 'await' && e.node.type === 'AwaitExpression',
    );
    // A read that only chooses a branch (`this.raw ? await dup(this.raw) : await create()`) is not in the value.
    const tests = conditionalTests(value);
    // Only the written value itself: `const used = quota.get(t) ?? 0` is a default, and `used + 1` updates it.
    const fallbacks = written ? fallbackOperands(value) : [];
    // `prev = this.active() ?? this.mode` holds either operand unchanged: a saved value, not one computed from it.
    const passed = passThrough(value);
    for (const event of inside) {
      if (awaited.some((a) => contains(a.node.argument, event.node))) continue;
      if (tests.some((test) => contains(test, event.node))) continue;
      // `mod = mod || (await import('x')).default`: the old value is either kept as it is or replaced, never updated.
      if (event.kind === 'read' && fallbacks.some((left) => unwrap(left) === event.node)) continue;
      const whole = passed.has(event.node);
      if (event.kind === 'read') origins.push({ read: event, via: undefined, exact: whole });
      if (event.kind === 'use') {
        for (const origin of taint.get(event.variable) ?? []) {
          origins.push({ read: origin.read, via: origin.via ?? event.variable, exact: whole && origin.exact });
        }
      }
    }
    return origins;
  };

  for (let index = 0; index < events.length; index += 1) {
    const event = events[index]!;
    switch (event.kind) {
      case 'await':
        awaits.push(event);
        break;
      case 'define':
        taint.set(event.variable, originsWithin(event.value, event.pos));
        break;
      case 'write': {
        if (event.operator === 'delete' || event.operator === 'add') break;
        if (event.operator === '&&=' || event.operator === '||=' || event.operator === '??=') break;
        // An object passed in is shared only when callers hand one object to overlapping calls, and nothing here shows
        // that: a frame, message or entity passed to a transform is its caller's own (see the rule docs).
        if (event.place.how === 'parameter') break;
        const origins = originsWithin(event.value, event.pos, true);
        if (event.operator !== '=' && event.operator !== 'set') {
          const implicit = events.find((e) => e.kind === 'read' && e.node === (event.node as TSESTree.AssignmentExpression).left);
          if (implicit && implicit.kind === 'read') origins.unshift({ read: implicit, via: undefined, exact: false });
        }
        if (isRestore(event, origins)) break;
        if (isEmptyCollection(event.value) && event.operator === '=') {
          const taken = events.find(
            (e, at): e is ReadEvent => at < index && e.kind === 'read' && e.place.key === event.place.key && e.node !== event.node,
          );
          const between = taken && awaits.find((a) => a.pos > taken.pos && a.pos < event.pos && !exclusive(a.node, event.node) && !exitsBefore(a.node, event.node));
          const refreshed =
            taken &&
            events.some(
              (e, at) =>
                at < index &&
                e.kind === 'write' &&
                e.place.key === event.place.key &&
                e.pos > taken.pos &&
                !exclusive(e.node, event.node) &&
                !exitsBefore(e.node, event.node),
            );
          if (taken && between && !refreshed && !recheckedAfter(events, event, between, index)) found.push({ read: taken, await: between, write: event, via: undefined, kind: 'reset' });
          break;
        }
        for (const origin of origins) {
          if (!samePlace(origin.read.place.key, event.place.key)) continue;
          // `total = total - reported` with `total` re-read after the wait: the old read is an offset, not the base.
          const rereadAfter = origins.some(
            (o) => o.read.place.key === event.place.key && o.read.pos > origin.read.pos && awaits.some((a) => a.pos > origin.read.pos && a.pos < o.read.pos),
          );
          if (rereadAfter) continue;
          const between = awaits.find(
            (a) =>
              a.pos > origin.read.pos &&
              a.pos < event.pos &&
              !exclusive(a.node, origin.read.node) &&
              !exclusive(a.node, event.node) &&
              !exitsBefore(a.node, event.node),
          );
          if (between && !versionCheckedBetween(between.node, event.node)) {
            found.push({ read: origin.read, await: between, write: event, via: origin.via, kind: 'update' });
            break;
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return found;
}

/**
 * The left operands of `||` / `??` along the value's own chain (not inside arithmetic): `a || b` yields `a` itself or
 * something else, so reading `a` there only passes the old value through unchanged.
 */
function fallbackOperands(value: TSESTree.Node): TSESTree.Node[] {
  const lefts: TSESTree.Node[] = [];
  const stack: TSESTree.Node[] = [value];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'LogicalExpression' && (node.operator === '||' || node.operator === '??')) {
      lefts.push(node.left);
      stack.push(node.left, node.right);
    } else if (node.type === 'ConditionalExpression') {
      stack.push(node.consequent, node.alternate);
    } else if (node.type === 'TSAsExpression' || node.type === 'TSNonNullExpression' || node.type === 'ChainExpression') {
      stack.push(node.expression);
    }
  }
  return lefts;
}

/** The value and the operands it may be, unchanged: both sides of `||` / `??`, both arms of `?:`. */
function passThrough(value: TSESTree.Node): Set<TSESTree.Node> {
  const nodes = new Set<TSESTree.Node>();
  const stack: TSESTree.Node[] = [value];
  while (stack.length > 0) {
    const node = unwrap(stack.pop()!);
    nodes.add(node);
    if (node.type === 'LogicalExpression' && (node.operator === '||' || node.operator === '??')) stack.push(node.left, node.right);
    else if (node.type === 'ConditionalExpression') stack.push(node.consequent, node.alternate);
  }
  return nodes;
}

/**
 * `await send(batch); if (this.queue === batch) this.queue = []`: the reset sits under a test of the same state made
 * after the wait, so it only empties what this call took; `cache[k] || (cache[k] = {})` only fills an empty slot.
 * Also a test of state this function itself wrote before the wait (`inFlight += 1; ... await ...; inFlight -= 1;
 * if (inFlight === 0) buffer = {}`): the author counts the executions in flight and resets only when none is left.
 */
function recheckedAfter(events: readonly StateEvent[], write: WriteEvent, wait: AwaitEvent, index: number): boolean {
  const claimed = new Set(events.filter((e, at) => at < index && e.kind === 'write' && e.pos < wait.pos && e.place.key !== write.place.key).map((e) => (e as WriteEvent).place.key));
  const testedIn = (test: TSESTree.Node) =>
    events.some((e) => e.kind === 'read' && (e.place.key === write.place.key || claimed.has(e.place.key)) && contains(test, e.node));
  for (let current = write.node.parent; current; current = current.parent) {
    if (current.type === 'FunctionDeclaration' || current.type === 'FunctionExpression' || current.type === 'ArrowFunctionExpression') return false;
    if (current.range[0] <= wait.pos - 1) continue;
    if ((current.type === 'IfStatement' || current.type === 'ConditionalExpression') && testedIn(current.test)) return true;
    if (current.type === 'LogicalExpression' && contains(current.right, write.node) && testedIn(current.left)) return true;
  }
  return false;
}

/** The tests of `?:` expressions inside a value: they decide which operand is the value, they are not part of it. */
function conditionalTests(value: TSESTree.Node): TSESTree.Node[] {
  const tests: TSESTree.Node[] = [];
  const stack: TSESTree.Node[] = [value];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'ConditionalExpression') {
      tests.push(node.test);
      stack.push(node.consequent, node.alternate);
    } else if (node.type === 'AwaitExpression' || node.type === 'TSAsExpression' || node.type === 'TSNonNullExpression' || node.type === 'ChainExpression') {
      stack.push(node.type === 'AwaitExpression' ? node.argument : node.expression);
    } else if (node.type === 'BinaryExpression' || node.type === 'LogicalExpression') {
      stack.push(node.left, node.right);
    }
  }
  return tests;
}

/**
 * Optimistic concurrency: after the await and before the write, an early exit on a comparison of shared state with a
 * value taken before (`if (generation !== this.generation) return;`). The author detects the interleaving.
 */
function versionCheckedBetween(awaitNode: TSESTree.Node, write: TSESTree.Node): boolean {
  let current: TSESTree.Node | undefined = write;
  while (current?.parent) {
    const parent: TSESTree.Node = current.parent;
    if (parent.type === 'BlockStatement' || parent.type === 'Program') {
      const siblings = parent.body as TSESTree.Node[];
      const at = siblings.indexOf(current);
      for (const sibling of siblings.slice(0, at)) {
        if (sibling.range[0] < awaitNode.range[1] || sibling.type !== 'IfStatement' || !alwaysExits(sibling.consequent)) continue;
        if (comparesStateWithSnapshot(sibling.test)) return true;
      }
    }
    if (parent.type === 'FunctionDeclaration' || parent.type === 'FunctionExpression' || parent.type === 'ArrowFunctionExpression') return false;
    current = parent;
  }
  return false;
}

function comparesStateWithSnapshot(test: TSESTree.Node): boolean {
  const node = unwrap(test);
  if (node.type === 'LogicalExpression') return comparesStateWithSnapshot(node.left) || comparesStateWithSnapshot(node.right);
  if (node.type !== 'BinaryExpression' || !['===', '!==', '==', '!='].includes(node.operator)) return false;
  const sides = [unwrap(node.left), unwrap(node.right)];
  const isStateRead = (n: TSESTree.Node) => n.type === 'MemberExpression';
  const isSnapshot = (n: TSESTree.Node) => n.type === 'Identifier' && n.name !== 'undefined';
  return (isStateRead(sides[0]!) && isSnapshot(sides[1]!)) || (isStateRead(sides[1]!) && isSnapshot(sides[0]!));
}

function firstAtOrAfter(events: readonly StateEvent[], pos: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (events[mid]!.pos < pos) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** `''`, `[]` or `{}`: the value a buffer or queue is emptied to (not `0`, `null` or `false`: counters and flags). */
function isEmptyCollection(value: TSESTree.Node | undefined): boolean {
  if (!value) return false;
  const node = unwrap(value);
  if (node.type === 'Literal') return node.value === '';
  if (node.type === 'ArrayExpression') return node.elements.length === 0;
  if (node.type === 'ObjectExpression') return node.properties.length === 0;
  if (node.type === 'TemplateLiteral') return node.expressions.length === 0 && node.quasis.every((q) => q.value.cooked === '');
  return false;
}

/**
 * `const saved = this.mode; ...await...; this.mode = saved` puts back exactly what was read: a deliberate
 * save-and-restore, not an update computed from the old value. Not reported (see the rule docs).
 */
function isRestore(write: WriteEvent, origins: readonly Origin[]): boolean {
  const value = write.value;
  if (!value || write.operator !== '=' && write.operator !== 'set') return false;
  if (value.type !== 'Identifier') return false;
  const own = origins.filter((o) => o.read.place.key === write.place.key);
  if (own.length === 0 || !own.every((o) => o.exact && o.via !== undefined)) return false;
  // `const account = accounts.get(id) ?? fresh; account.balance = stale + n; accounts.set(id, account)` puts back an
  // object this call changed from a stale read: an update, not a restore.
  const from = Math.min(...own.map((o) => o.read.node.range[1]));
  return !mutatedBetween(value.name, write.node, from);
}

/** Whether `name.x = ...` (or `name.x++`) runs in the function around `at`, after position `from` and before `at`. */
function mutatedBetween(name: string, at: TSESTree.Node, from: number): boolean {
  const scope = enclosingFunction(at);
  if (!scope) return false;
  let mutated = false;
  walkOwn(scope, (node) => {
    if (mutated || node.range[0] < from || node.range[0] >= at.range[0]) return;
    const target = node.type === 'AssignmentExpression' ? node.left : node.type === 'UpdateExpression' ? node.argument : undefined;
    if (target?.type === 'MemberExpression' && target.object.type === 'Identifier' && target.object.name === name) mutated = true;
  });
  return mutated;
}
