import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { alwaysExits, exclusive, exitsBefore, isFunctionNode } from './race-ast.js';
import { contains, unwrap } from '../syntax.js';
import { mapEntryOf, sharedPlaceOf, type SharedPlace } from './shared-state.js';
import type { AwaitEvent, FunctionStateEvents, WriteEvent } from './state-events.js';

/**
 * Decisions on shared state that an `await` makes stale before the write that relies on them: a cache filled after
 * a miss, a connection created when none was there. The decision holds in a region of code (the `if` branch taken
 * when the state is absent, or what follows an early `return` when it is present); a write to the same state in
 * that region after an `await` acts on a decision other callers may have made at the same time.
 */
export interface Decision {
  readonly place: SharedPlace;
  /** True when the tested expression is true exactly when the state is absent (`!x`, `x == null`). */
  readonly absentWhenTrue: boolean;
  readonly node: TSESTree.Node;
}

export interface CheckThenAct {
  readonly check: TSESTree.Node;
  readonly place: SharedPlace;
  readonly await: AwaitEvent;
  readonly write: WriteEvent;
  /** The entry keys differ textually (`cache.has(key)` then `cache.set(id, v)`): we are less sure. */
  readonly keysDiffer: boolean;
  /** The condition tests nothing but this state's absence, so sharing one pending load keeps its meaning. */
  readonly pureAbsence: boolean;
}

const hasMethods = new Set(['has']);
const readMethods = new Set(['get', 'has']);

/** Decisions made by a condition, looking through `!`, `&&`, `||`, null checks, `has`/`get` and aliases. */
export function decisionsIn(file: AnalyzedFile, fnEvents: FunctionStateEvents, raw: TSESTree.Node): Decision[] {
  const node = unwrap(raw);
  const placeOf = (n: TSESTree.Node) => sharedPlaceOf(file, fnEvents.fn, fnEvents.context, n);
  switch (node.type) {
    case AST_NODE_TYPES.UnaryExpression:
      if (node.operator === '!') return decisionsIn(file, fnEvents, node.argument).map((d) => ({ ...d, absentWhenTrue: !d.absentWhenTrue }));
      return [];
    case AST_NODE_TYPES.LogicalExpression:
      return [...decisionsIn(file, fnEvents, node.left), ...decisionsIn(file, fnEvents, node.right)];
    case AST_NODE_TYPES.BinaryExpression: {
      const equality = node.operator === '==' || node.operator === '===';
      if (!equality && node.operator !== '!=' && node.operator !== '!==') return [];
      const left = unwrap(node.left);
      const right = unwrap(node.right);
      let subject: TSESTree.Node | undefined;
      if (isNullish(right)) subject = left;
      else if (isNullish(left)) subject = right;
      else if (isTypeofUndefined(left, right)) subject = (left as TSESTree.UnaryExpression).argument;
      else if (isTypeofUndefined(right, left)) subject = (right as TSESTree.UnaryExpression).argument;
      if (!subject) return [];
      const place = placeOf(subject);
      return place ? [{ place, absentWhenTrue: equality, node }] : [];
    }
    case AST_NODE_TYPES.CallExpression: {
      const entry = mapEntryOf(file, fnEvents.fn, fnEvents.context, node, hasMethods) ?? mapEntryOf(file, fnEvents.fn, fnEvents.context, node, readMethods);
      return entry ? [{ place: entry, absentWhenTrue: false, node }] : [];
    }
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.MemberExpression: {
      const place = placeOf(node);
      return place ? [{ place, absentWhenTrue: false, node }] : [];
    }
    default:
      return [];
  }
}

function isNullish(node: TSESTree.Node): boolean {
  return (node.type === AST_NODE_TYPES.Literal && node.value === null) || (node.type === AST_NODE_TYPES.Identifier && node.name === 'undefined');
}

function isTypeofUndefined(maybeTypeof: TSESTree.Node, literal: TSESTree.Node): boolean {
  return (
    maybeTypeof.type === AST_NODE_TYPES.UnaryExpression &&
    maybeTypeof.operator === 'typeof' &&
    literal.type === AST_NODE_TYPES.Literal &&
    literal.value === 'undefined'
  );
}

/** Same state for check-then-act: equal keys, or entries of one map (keys compared separately). */
function matches(check: SharedPlace, write: SharedPlace): { same: boolean; keysDiffer: boolean } {
  if (check.key === write.key) return { same: true, keysDiffer: false };
  if (check.entry && write.entry && check.entry.map === write.entry.map) return { same: true, keysDiffer: true };
  return { same: false, keysDiffer: false };
}

interface Region {
  readonly start: number;
  readonly end: number;
  readonly root: TSESTree.Node;
}

/**
 * Start-up methods (`connect`, `init`, `start`, ...) fill in secondary state once, before the object is used:
 * `this.version ??= await runner.getVersion()` inside a driver's `connect()`. A start-up method that returns the
 * state it creates is a lazy accessor (`connect() { if (!this.conn) this.conn = await open(); return this.conn }`)
 * and stays reported.
 */
const startUpNames = /^(?:init|initiali[sz]e|setup|start|bootstrap|connect|afterConnect|open|prepare|configure|main)$/iu;

function isStartUpFill(fn: TSESTree.Node, name: string | undefined, place: SharedPlace, file: AnalyzedFile, fnEvents: FunctionStateEvents): boolean {
  if (!name || !startUpNames.test(name)) return false;
  let returnsState = false;
  walk(fnEvents.fn.body, fn, (node) => {
    if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) {
      const returned = sharedPlaceOf(file, fnEvents.fn, fnEvents.context, node.argument);
      if (returned && (returned.key === place.key || (place.entry && returned.key === place.entry.map))) returnsState = true;
    }
  });
  return !returnsState;
}

function functionNameOf(fn: TSESTree.Node): string | undefined {
  const parent = fn.parent;
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) return fn.id.name;
  if ((parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.Property || parent?.type === AST_NODE_TYPES.PropertyDefinition) && parent.key.type === AST_NODE_TYPES.Identifier) {
    return parent.key.name;
  }
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  return undefined;
}

export function findCheckThenActs(file: AnalyzedFile, fnEvents: FunctionStateEvents): CheckThenAct[] {
  // Objects passed in as parameters are, in practice, per-call (`details.handler`, `options.ca`): a check on them is
  // the caller's protocol, not a shared cache. Only module, instance and captured state is reported.
  const all = findAll(file, fnEvents).filter((race) => race.place.how !== 'parameter');
  const name = functionNameOf(fnEvents.fn);
  const byCheck = new Map<TSESTree.Node, CheckThenAct>();
  for (const race of all) {
    if (isStartUpFill(fnEvents.fn, name, race.place, file, fnEvents)) continue;
    // One report per condition: `if (this.a && this.b) return` then filling both is one decision.
    if (!byCheck.has(race.check)) byCheck.set(race.check, race);
  }
  return [...byCheck.values()];
}

function findAll(file: AnalyzedFile, fnEvents: FunctionStateEvents): CheckThenAct[] {
  const found: CheckThenAct[] = [];
  const seen = new Set<string>();
  const awaits = fnEvents.events.filter((e): e is AwaitEvent => e.kind === 'await');
  const writes = fnEvents.events.filter((e): e is WriteEvent => e.kind === 'write');
  if (awaits.length === 0 || writes.length === 0) return found;

  const consider = (checkNode: TSESTree.Node, decision: Decision, regions: readonly Region[], pureAbsence: boolean) => {
    for (const region of regions) {
      const act = actAfterAwait(file, fnEvents, checkNode, decision, region, awaits, writes);
      if (!act) continue;
      const result = { ...act, pureAbsence };
      const id = `${checkNode.range[0]}:${decision.place.key}`;
      if (seen.has(id)) return;
      seen.add(id);
      found.push(result);
      return;
    }
  };

  walk(fnEvents.fn.body, fnEvents.fn, (node) => {
    if (node.type === AST_NODE_TYPES.IfStatement || node.type === AST_NODE_TYPES.ConditionalExpression) {
      const decisions = decisionsIn(file, fnEvents, node.test);
      for (const decision of decisions) {
        consider(node.test, decision, regionsFor(node, decision), decisions.length === 1 && decision.absentWhenTrue && isWholeTest(node.test, decision.node));
      }
    } else if (node.type === AST_NODE_TYPES.LogicalExpression && (node.operator === '??' || node.operator === '||') && !isInTest(node)) {
      // `map.get(k) ?? await load(k)` then `map.set(k, v)`: the fallback runs exactly on a miss.
      const left = sharedPlaceOf(file, fnEvents.fn, fnEvents.context, node.left);
      const fallbackWaits = awaits.some((a) => contains(node.right, a.node));
      if (left && fallbackWaits) {
        const block = enclosingBlock(node);
        consider(node.left, { place: left, absentWhenTrue: false, node: node.left }, [
          { start: node.right.range[0], end: block ? block.range[1] : node.range[1], root: block ?? node },
        ], false);
      }
    }
  });

  // `this.conn ??= await connect()`: check, wait and write in one expression.
  for (const write of writes) {
    if (write.operator !== '??=' && write.operator !== '||=') continue;
    const value = write.value;
    const inside = value && awaits.find((a) => contains(value, a.node));
    if (!inside) continue;
    const id = `${write.node.range[0]}:${write.place.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    found.push({ check: write.node, place: write.place, await: inside, write, keysDiffer: false, pureAbsence: true });
  }
  return found.sort((a, b) => a.check.range[0] - b.check.range[0]);
}

function regionsFor(node: TSESTree.IfStatement | TSESTree.ConditionalExpression, decision: Decision): Region[] {
  const regions: Region[] = [];
  const branch = (n: TSESTree.Node | null | undefined) => {
    if (n) regions.push({ start: n.range[0], end: n.range[1], root: n });
  };
  if (decision.absentWhenTrue) {
    branch(node.consequent);
    return regions;
  }
  branch(node.alternate);
  // `if (this.finished) throw ...` asserts a state rather than deduplicating work: only a `return` starts a region.
  if (node.type === AST_NODE_TYPES.IfStatement && alwaysExits(node.consequent) && !endsInThrow(node.consequent)) {
    const block = node.parent;
    if (block && (block.type === AST_NODE_TYPES.BlockStatement || block.type === AST_NODE_TYPES.Program || block.type === AST_NODE_TYPES.SwitchCase)) {
      regions.push({ start: node.range[1], end: block.range[1], root: block });
    }
  }
  return regions;
}

function endsInThrow(statement: TSESTree.Statement): boolean {
  if (statement.type === AST_NODE_TYPES.ThrowStatement) return true;
  if (statement.type === AST_NODE_TYPES.BlockStatement) {
    const last = statement.body[statement.body.length - 1];
    return last !== undefined && endsInThrow(last);
  }
  return false;
}

function actAfterAwait(
  file: AnalyzedFile,
  fnEvents: FunctionStateEvents,
  checkNode: TSESTree.Node,
  decision: Decision,
  region: Region,
  awaits: readonly AwaitEvent[],
  writes: readonly WriteEvent[],
): Omit<CheckThenAct, 'pureAbsence'> | undefined {
  const inRegion = (pos: number) => pos > region.start && pos <= region.end;
  for (const awaitEvent of awaits) {
    if (!inRegion(awaitEvent.pos) || awaitEvent.pos <= checkNode.range[1]) continue;
    // Awaiting a promise that already exists (`await this.rawPromise`) starts no work: every caller shares it.
    if (awaitsExistingPromise(awaitEvent)) continue;
    // Claimed before waiting (`this.loading = true`, `cache.set(k, promise)`): later callers see the claim.
    const claimed = writes.some((w) => w.pos > checkNode.range[1] && w.pos < awaitEvent.pos && matches(decision.place, w.place).same);
    if (claimed) return undefined;
    for (const write of writes) {
      if (write.pos <= awaitEvent.pos || !inRegion(write.pos)) continue;
      const match = matches(decision.place, write.place);
      if (!match.same || !isFill(write)) continue;
      if (exclusive(awaitEvent.node, write.node) || exitsBefore(awaitEvent.node, write.node)) continue;
      if (write.operator === '??=' || write.operator === '||=') continue;
      if (recheckedAfter(file, fnEvents, write, awaitEvent, decision.place, region.root)) continue;
      return { check: checkNode, place: decision.place, await: awaitEvent, write, keysDiffer: match.keysDiffer };
    }
  }
  return undefined;
}

function awaitsExistingPromise(awaitEvent: AwaitEvent): boolean {
  if (awaitEvent.node.type !== AST_NODE_TYPES.AwaitExpression) return false;
  const argument = unwrap(awaitEvent.node.argument);
  return argument.type === AST_NODE_TYPES.Identifier || argument.type === AST_NODE_TYPES.MemberExpression;
}

/** A write that stores something: not `delete`, `map.delete`, nor a reset to `null`/`undefined`/`false`. */
function isFill(write: WriteEvent): boolean {
  if (write.operator === 'delete') return false;
  if (write.node.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrap(write.node.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier && callee.property.name === 'delete') return false;
  }
  const value = write.value && unwrap(write.value);
  if (!value) return write.operator === 'add';
  if (value.type === AST_NODE_TYPES.Literal && (value.value === null || value.value === false)) return false;
  if (value.type === AST_NODE_TYPES.Identifier && value.name === 'undefined') return false;
  return true;
}

/** Double-checked: the write sits under a new test of the same state made after the await. */
function recheckedAfter(
  file: AnalyzedFile,
  fnEvents: FunctionStateEvents,
  write: WriteEvent,
  awaitEvent: AwaitEvent,
  place: SharedPlace,
  root: TSESTree.Node,
): boolean {
  let current: TSESTree.Node | undefined = write.node.parent;
  while (current && current !== root) {
    if ((current.type === AST_NODE_TYPES.IfStatement || current.type === AST_NODE_TYPES.ConditionalExpression) && current.range[0] > awaitEvent.pos - 1) {
      if (decisionsIn(file, fnEvents, current.test).some((d) => matches(place, d.place).same)) return true;
    }
    if (current.type === AST_NODE_TYPES.LogicalExpression && current.range[0] >= awaitEvent.pos) {
      if (decisionsIn(file, fnEvents, current.left).some((d) => matches(place, d.place).same)) return true;
    }
    current = current.parent;
  }
  return false;
}

/** The test is the decision itself, or its negation: nothing else (an expiry, a flag) takes part. */
function isWholeTest(test: TSESTree.Node, decision: TSESTree.Node): boolean {
  const node = unwrap(test);
  if (node === decision) return true;
  return node.type === AST_NODE_TYPES.UnaryExpression && node.operator === '!' && unwrap(node.argument) === decision;
}

function isInTest(node: TSESTree.Node): boolean {
  let current: TSESTree.Node = node;
  while (current.parent) {
    const parent: TSESTree.Node = current.parent;
    if ((parent.type === AST_NODE_TYPES.IfStatement || parent.type === AST_NODE_TYPES.ConditionalExpression || parent.type === AST_NODE_TYPES.WhileStatement) && parent.test === current) return true;
    if (parent.type === AST_NODE_TYPES.LogicalExpression || parent.type === AST_NODE_TYPES.UnaryExpression) {
      current = parent;
      continue;
    }
    return false;
  }
  return false;
}

function enclosingBlock(node: TSESTree.Node): TSESTree.BlockStatement | undefined {
  let current = node.parent;
  while (current && !isFunctionNode(current)) {
    if (current.type === AST_NODE_TYPES.BlockStatement) return current;
    current = current.parent;
  }
  return undefined;
}

function walk(root: TSESTree.Node, fn: TSESTree.Node, visit: (node: TSESTree.Node) => void): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunctionNode(node) && node !== fn) continue;
    visit(node);
    for (const key of visitorKeys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isChild(item)) stack.push(item);
      } else if (isChild(value)) stack.push(value);
    }
  }
}

function isChild(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
