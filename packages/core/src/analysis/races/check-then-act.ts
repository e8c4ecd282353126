import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { alwaysExits, exclusive, exitsBefore, isFunctionNode, staticPropertyName, type FunctionNode } from './race-ast.js';
import { contains, unwrap, walk as walkAll } from '../syntax.js';
import { calledMethod, inTest, type MethodSummary } from './method-summaries.js';
import { isStartUpMethod, isTeardownMethod } from './concurrency-context.js';
import { localVariableOf, mapEntryOf, propertyPlaceOf, sharedPlaceOf, type SharedPlace } from './shared-state.js';
import { stateEventsOfFunction, type AwaitEvent, type FunctionStateEvents, type WriteEvent } from './state-events.js';
import { functionValue } from '../summaries/local-functions.js';

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
  /**
   * Set when the wait and the write sit in another method of the class, reached through `this.m()` in the region
   * where the check holds: `if (this.cached) return this.cached; ... await this.prepare(client)` with `prepare`
   * storing `this.cached` after its own await.
   */
  readonly via?: { readonly call: TSESTree.CallExpression; readonly method: string };
  /**
   * Set when the act is the awaited call itself: a state flag of an object we cannot see into is checked and the
   * set-up method of the same object is awaited (`if (!client.isOpen) await client.connect()`). The write is the
   * callee's; `write.node` is the call.
   */
  readonly opens?: { readonly call: TSESTree.CallExpression; readonly method: string; readonly flag: string };
}

/**
 * A flag claimed before the wait of a one-time set-up, never released: `if (!started) { started = true; await ready; }`
 * followed by work. Callers that arrive during the wait see the claim, skip the wait, and run the work before the
 * set-up has finished.
 */
export interface SkippedWait {
  readonly check: TSESTree.Node;
  readonly place: SharedPlace;
  readonly claim: WriteEvent;
  readonly await: AwaitEvent;
  /** The first statement after the `if` that callers reach without waiting. */
  readonly next: TSESTree.Node;
  /** Set when the claim and the wait sit in a function of the file called in the branch: `await load(ctx)`. */
  readonly via?: { readonly call: TSESTree.CallExpression; readonly name: string };
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
      if (node.operator === 'in' && node.left.type !== AST_NODE_TYPES.PrivateIdentifier) {
        const place = propertyPlaceOf(file, fnEvents.fn, fnEvents.context, node.right, node.left);
        return place ? [{ place, absentWhenTrue: false, node }] : [];
      }
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
      const place = placeOf(subject) ?? (subject.type === AST_NODE_TYPES.Identifier ? snapshotPlace(file, fnEvents, subject) : undefined);
      return place ? [{ place, absentWhenTrue: equality, node }] : [];
    }
    case AST_NODE_TYPES.CallExpression: {
      const own = ownPropertyTest(node);
      if (own) {
        const place = propertyPlaceOf(file, fnEvents.fn, fnEvents.context, own.object, own.key);
        return place ? [{ place, absentWhenTrue: false, node }] : [];
      }
      const entry = mapEntryOf(file, fnEvents.fn, fnEvents.context, node, hasMethods) ?? mapEntryOf(file, fnEvents.fn, fnEvents.context, node, readMethods);
      return entry ? [{ place: entry, absentWhenTrue: false, node }] : [];
    }
    case AST_NODE_TYPES.Identifier: {
      const place = placeOf(node) ?? snapshotPlace(file, fnEvents, node);
      return place ? [{ place, absentWhenTrue: false, node }] : [];
    }
    case AST_NODE_TYPES.MemberExpression: {
      const place = placeOf(node);
      return place ? [{ place, absentWhenTrue: false, node }] : [];
    }
    default:
      return [];
  }
}

/** `Object.hasOwn(o, k)`, `Object.prototype.hasOwnProperty.call(o, k)`, `o.hasOwnProperty(k)`: checks like `.has()`. */
function ownPropertyTest(call: TSESTree.CallExpression): { object: TSESTree.Node; key: TSESTree.Node } | undefined {
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const method = staticPropertyName(callee);
  const [first, second] = call.arguments;
  const plain = (n: TSESTree.Node | undefined): n is TSESTree.Expression => n !== undefined && n.type !== AST_NODE_TYPES.SpreadElement;
  if (method === 'hasOwn' && unwrap(callee.object).type === AST_NODE_TYPES.Identifier && (unwrap(callee.object) as TSESTree.Identifier).name === 'Object') {
    return plain(first) && plain(second) ? { object: first, key: second } : undefined;
  }
  if (method === 'call' && unwrap(callee.object).type === AST_NODE_TYPES.MemberExpression && staticPropertyName(unwrap(callee.object) as TSESTree.MemberExpression) === 'hasOwnProperty') {
    return plain(first) && plain(second) ? { object: first, key: second } : undefined;
  }
  if (method === 'hasOwnProperty') return plain(first) ? { object: callee.object, key: first } : undefined;
  return undefined;
}

/**
 * A `let` snapshot of shared state tested before it is reassigned: `let client = this.clients.get(host); if (!client)
 * { client = await open(host); this.clients.set(host, client); }`. The test decides on the entry it was read from.
 */
function snapshotPlace(file: AnalyzedFile, fnEvents: FunctionStateEvents, identifier: TSESTree.Identifier): SharedPlace | undefined {
  const variable = localVariableOf(file, fnEvents.fn, identifier);
  if (!variable || variable.defs.length !== 1) return undefined;
  const def = variable.defs[0]!;
  if (def.type !== 'Variable') return undefined;
  const declarator = def.node as TSESTree.VariableDeclarator;
  if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) return undefined;
  const reassignedBefore = variable.references.some((r) => r.isWrite() && r.identifier !== declarator.id && r.identifier.range[0] < identifier.range[0]);
  if (reassignedBefore) return undefined;
  // `const record = await store.get(ns, key)`: an entry of an asynchronous store (a key-value cache, a database
  // table) read into a local, the same snapshot as a synchronous `map.get(key)`.
  const init = unwrap(declarator.init);
  return sharedPlaceOf(file, fnEvents.fn, fnEvents.context, init.type === AST_NODE_TYPES.AwaitExpression ? init.argument : init);
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
  // A store keyed by several arguments: `get(ns, key)` and `set(ns, key, value, ttl)` name one entry when the read's
  // arguments lead the write's; other texts are other entries (`get(ns, a)`, `set(ns, b, v)`).
  if (check.entry?.args && write.entry && check.entry.map === write.entry.map) {
    const written = write.entry.args ?? [write.entry.key];
    const same = check.entry.args.length < written.length && check.entry.args.every((a, i) => a === written[i]);
    return { same, keysDiffer: false };
  }
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
 * A start-up method fills in secondary state once, before the object is used: `this.version ??= await
 * runner.getVersion()` inside a driver's `connect()`. A start-up method that returns the state it creates is a lazy
 * accessor (`connect() { if (!this.conn) this.conn = await open(); return this.conn }`) and stays reported. The same
 * holds for a tear-down method (`stop()`, `close()`), run once at the end of the object's life: a stream's `stop()`
 * that first starts the stream if nothing was sent yet does not overlap another `stop()`.
 */
function isStartUpFill(fn: TSESTree.Node, place: SharedPlace, file: AnalyzedFile, fnEvents: FunctionStateEvents): boolean {
  if (!isStartUpMethod(fnEvents.fn) && !isTeardownMethod(fnEvents.fn)) return false;
  let returnsState = false;
  walk(fnEvents.fn.body, fn, (node) => {
    if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) {
      const returned = sharedPlaceOf(file, fnEvents.fn, fnEvents.context, node.argument);
      if (returned && (returned.key === place.key || (place.entry && returned.key === place.entry.map))) returnsState = true;
    }
  });
  return !returnsState;
}

/**
 * Names of calls that read or compute data (matched on the first word of the callee's name): asking twice costs a
 * second read and yields an equal value. Promise plumbing (`then`, `all`) and body readers (`json`, `text`) count too.
 */
const readingVerbs = /^(?:get|load|read|fetch|find|query|list|lookup|look|resolve|search|select|describe|stat|lstat|readdir|realpath|access|parse|normali[sz]e|compute|calculate|count|detect|pick|exists|has|is|collect|gather|scan|probe|inspect|extract|decode|decompress|from|to|json|text|blob|array[bB]uffer|then|catch|finally|all|all[sS]ettled|map|filter|reduce|sort|format|render|stringify|hash|digest|match|glob|verify|validate|check|compare|equals)(?![a-z])/u;
/**
 * `if (this.doc) return this.doc; const raw = await this.readDocument(); ...; this.doc = parse(raw)`: the instance
 * memoises data it reads, on state it owns (a field of `this`, or an entry of a map the class creates itself, not one
 * handed in by its caller), and every wait between the check and the write reads or computes (`readsOnly`).
 * Overlapping calls on one instance at worst read twice and store equal values; nothing is made twice. Still
 * reported: a wait that makes something or runs code handed in (`connect()`, `createChannel()`, `this.load(key)`),
 * module-level state every caller of the process shares, and a cache handed in from outside (`this.cache =
 * options.cache`), which other instances fill too. Fills reached through another method (`checkThenActInCall`) and
 * set-up calls are left as they are.
 */
function isOwnIdempotentMemo(file: AnalyzedFile, fnEvents: FunctionStateEvents, race: CheckThenAct): boolean {
  if (race.via || race.opens || race.place.how !== 'this' || !race.place.clear) return false;
  const container = /^this\.([#\w$]+)/u.exec(race.place.entry?.map ?? race.place.key)?.[1];
  if (!container) return false;
  if (race.place.entry || race.place.key.length > `this.${container}`.length) {
    if (injectedField(fnEvents.fn, container)) return false;
  }
  const from = race.check.range[1];
  const to = race.write.pos;
  const waits = fnEvents.events.filter((e): e is AwaitEvent => e.kind === 'await' && e.pos > from && e.pos <= to);
  if (waits.length === 0 || constructsSomething(file, fnEvents, race.write.value)) return false;
  return waits.every((wait) => wait.node.type === AST_NODE_TYPES.AwaitExpression && readsOnly(file, wait.node.argument, 0));
}

/**
 * Every call in the expression reads or computes, by its name, or is a method of this class whose own awaited calls
 * all do (two levels deep). A function handed in (a parameter, a field holding a callback: `this.load(key)`) or a
 * callee we cannot name may do anything: not a read.
 */
/** Constructors of plain data: a value built with them is still data. */
const dataConstructors = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object', 'Date', 'URL', 'URLSearchParams', 'RegExp', 'Error', 'TypeError', 'Promise', 'Buffer', 'TextDecoder', 'TextEncoder']);

/**
 * The written value is an object made after the wait: `this.client = new SchemaClient(await this.config())`, or a
 * local so initialised. A second caller makes a second client, whatever the wait read. Only the value itself counts:
 * `(await new Parser().parse(text)).result` is data computed with a helper object.
 */
function constructsSomething(file: AnalyzedFile, fnEvents: FunctionStateEvents, raw: TSESTree.Node | undefined, depth = 0): boolean {
  if (!raw || depth > 3) return false;
  const value = unwrap(raw);
  if (value.type === AST_NODE_TYPES.NewExpression) {
    const callee = unwrap(value.callee);
    return !(callee.type === AST_NODE_TYPES.Identifier && dataConstructors.has(callee.name));
  }
  if (value.type === AST_NODE_TYPES.LogicalExpression || value.type === AST_NODE_TYPES.ConditionalExpression) {
    return value.type === AST_NODE_TYPES.LogicalExpression
      ? constructsSomething(file, fnEvents, value.left, depth + 1) || constructsSomething(file, fnEvents, value.right, depth + 1)
      : constructsSomething(file, fnEvents, value.consequent, depth + 1) || constructsSomething(file, fnEvents, value.alternate, depth + 1);
  }
  if (value.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = localVariableOf(file, fnEvents.fn, value);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  const init = def?.type === 'Variable' ? (def.node as TSESTree.VariableDeclarator).init : undefined;
  return init ? constructsSomething(file, fnEvents, init, depth + 1) : false;
}

function isReadName(name: string | undefined): boolean {
  if (name === undefined) return false;
  const bare = name.replace(/^[#_]+/u, '');
  return readingVerbs.test(bare) && !resourceGetter.test(bare.replace(/^[a-z]+/u, ''));
}

function readsOnly(file: AnalyzedFile, raw: TSESTree.Node, depth: number): boolean {
  let reads = true;
  walk(raw, file.ast, (node) => {
    if (!reads || node.type !== AST_NODE_TYPES.CallExpression) return;
    const callee = unwrap(node.callee);
    const last = callee.type === AST_NODE_TYPES.SequenceExpression ? unwrap(callee.expressions[callee.expressions.length - 1]!) : callee;
    if (last.type === AST_NODE_TYPES.Identifier) {
      reads = isReadName(last.name) && !isParameterName(last);
      return;
    }
    if (last.type !== AST_NODE_TYPES.MemberExpression) {
      reads = false;
      return;
    }
    const name = staticPropertyName(last);
    if (unwrap(last.object).type === AST_NODE_TYPES.ThisExpression) {
      const method = calledMethod(file, node);
      if (!method) {
        reads = false; // a field holding a function: whatever the caller handed in
        return;
      }
      if (isReadName(name)) return;
      reads = depth < 2 && awaitedCallsRead(file, method.fn, depth + 1);
      return;
    }
    reads = isReadName(name);
  });
  return reads;
}

function awaitedCallsRead(file: AnalyzedFile, fn: FunctionNode, depth: number): boolean {
  // A synchronous method (`#headers()` building request options) waits on nothing: judged by every call it makes.
  if (!fn.async) return fn.body !== null && fn.body !== undefined && readsOnly(file, fn.body, depth);
  let reads = true;
  let awaited = 0;
  walk(fn, fn, (node) => {
    if (!reads || node.type !== AST_NODE_TYPES.AwaitExpression) return;
    awaited++;
    reads = readsOnly(file, node.argument, depth);
  });
  return reads && awaited > 0;
}

function isParameterName(identifier: TSESTree.Identifier): boolean {
  const fn = enclosingFunctionOf(identifier);
  for (let current = fn; current; current = enclosingFunctionOf(current)) {
    if (current.params.some((p) => paramBinds(p, identifier.name))) return true;
  }
  return false;
}

/**
 * `this.cache = options.cache`, `this.cache = cache || new Map()`: the class stores an object its caller hands in, so
 * other instances (or the caller) share it. Any assignment of the field from a parameter, or from `this.options`-like
 * fields, counts.
 */
function injectedField(fn: TSESTree.Node, field: string): boolean {
  let classBody: TSESTree.Node | undefined = fn.parent;
  while (classBody && classBody.type !== AST_NODE_TYPES.ClassBody) classBody = classBody.parent;
  if (!classBody) return true;
  let injected = false;
  walkAll(classBody, (node) => {
    if (injected || node.type !== AST_NODE_TYPES.AssignmentExpression) return;
    const left = unwrap(node.left);
    if (left.type !== AST_NODE_TYPES.MemberExpression || left.object.type !== AST_NODE_TYPES.ThisExpression) return;
    const name = left.property.type === AST_NODE_TYPES.PrivateIdentifier ? `#${left.property.name}` : staticPropertyName(left);
    if (name !== field) return;
    if (fromOutside(node.right)) injected = true;
  });
  // A class field initialiser (`cache = new Map()`) is the class's own.
  return injected;
}

function fromOutside(raw: TSESTree.Node): boolean {
  const node = unwrap(raw);
  if (node.type === AST_NODE_TYPES.LogicalExpression) return fromOutside(node.left) || fromOutside(node.right);
  if (node.type === AST_NODE_TYPES.ConditionalExpression) return fromOutside(node.consequent) || fromOutside(node.alternate);
  let root: TSESTree.Node = node;
  while (root.type === AST_NODE_TYPES.MemberExpression) {
    if (root.object.type === AST_NODE_TYPES.ThisExpression) {
      const name = staticPropertyName(root);
      return name !== undefined && /^(?:opts|options|config|configuration|settings|params|deps|dependencies|context|ctx)$/iu.test(name);
    }
    root = unwrap(root.object);
  }
  if (root.type !== AST_NODE_TYPES.Identifier) return false;
  const fn = enclosingFunctionOf(root);
  return fn !== undefined && fn.params.some((p) => paramBinds(p, root.name));
}

function paramBinds(param: TSESTree.Parameter, name: string): boolean {
  const target = param.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param.type === AST_NODE_TYPES.TSParameterProperty ? param.parameter : param;
  if (target.type === AST_NODE_TYPES.Identifier) return target.name === name;
  if (target.type === AST_NODE_TYPES.AssignmentPattern) return paramBinds(target as TSESTree.Parameter, name);
  if (target.type === AST_NODE_TYPES.ObjectPattern) {
    return target.properties.some((p) => (p.type === AST_NODE_TYPES.Property ? paramBinds(p.value as TSESTree.Parameter, name) : false));
  }
  return false;
}

function enclosingFunctionOf(node: TSESTree.Node): TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression | undefined {
  for (let current = node.parent; current; current = current.parent) if (isFunctionNode(current)) return current as TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;
  return undefined;
}

export function findCheckThenActs(file: AnalyzedFile, fnEvents: FunctionStateEvents): CheckThenAct[] {
  // Objects passed in as parameters are, in practice, per-call (`details.handler`, `options.ca`): a check on them is
  // the caller's protocol, not a shared cache. Only module, instance and captured state is reported.
  const all = findAll(file, fnEvents).filter((race) => race.place.how !== 'parameter');
  const byCheck = new Map<TSESTree.Node, CheckThenAct>();
  for (const race of all) {
    if (isStartUpFill(fnEvents.fn, race.place, file, fnEvents)) continue;
    if (isOwnIdempotentMemo(file, fnEvents, race)) continue;
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
  const methodCalls = methodCallsIn(file, fnEvents);
  if (methodCalls.length === 0 && awaits.length === 0) return found;

  const consider = (checkNode: TSESTree.Node, decision: Decision, regions: readonly Region[], pureAbsence: boolean) => {
    for (const region of regions) {
      const act =
        actAfterAwait(file, fnEvents, checkNode, decision, region, awaits, writes) ??
        actInMethod(file, checkNode, decision, region, methodCalls, writes) ??
        actBySetUpCall(file, fnEvents, checkNode, decision, region, awaits, writes);
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
  // A return nested deeper (`if (record) { if (fresh(record)) return record.value; }`) makes the rest of the block
  // the path of a miss or a stale hit, as much as a plain early return does.
  if (node.type === AST_NODE_TYPES.IfStatement && ((alwaysExits(node.consequent) && !endsInThrow(node.consequent)) || returnsSomewhere(node.consequent))) {
    const block = node.parent;
    if (block && (block.type === AST_NODE_TYPES.BlockStatement || block.type === AST_NODE_TYPES.Program || block.type === AST_NODE_TYPES.SwitchCase)) {
      regions.push({ start: node.range[1], end: block.range[1], root: block });
    }
  }
  return regions;
}

/** A `return` with a value somewhere in the statement, outside nested functions. */
function returnsSomewhere(statement: TSESTree.Statement): boolean {
  let found = false;
  walk(statement, statement, (node) => {
    if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) found = true;
  });
  return found;
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
    // Claimed before waiting (`this.loading = true`, `cache.set(k, promise)`): later callers see the claim. A write in
    // another arm of an `if`/`else if` chain (`if (a) env = A; else if (await probe()) ...`) is no claim for this wait.
    const claimed = writes.some(
      (w) => w.pos > checkNode.range[1] && w.pos < awaitEvent.pos && matches(decision.place, w.place).same && !exclusive(w.node, awaitEvent.node) && !exitsBefore(w.node, awaitEvent.node),
    );
    if (claimed) return undefined;
    for (const write of writes) {
      if (write.pos <= awaitEvent.pos || !inRegion(write.pos)) continue;
      // Awaiting the write itself (`await store.set(k, v)`) is no wait between the check and the write.
      if (contains(awaitEvent.node, write.node)) continue;
      const match = matches(decision.place, write.place);
      if (!match.same || !isFill(write)) continue;
      if (exclusive(awaitEvent.node, write.node) || exitsBefore(awaitEvent.node, write.node)) continue;
      if (write.operator === '??=' || write.operator === '||=') continue;
      if (recheckedAfter(file, fnEvents, write, awaitEvent, decision.place, region.root)) continue;
      if (!decision.place.entry && mirrorsAccessor(file, fnEvents, write, checkNode)) continue;
      return { check: checkNode, place: decision.place, await: awaitEvent, write, keysDiffer: match.keysDiffer };
    }
  }
  return undefined;
}

/**
 * Getters whose name says they hand out something new or exclusive each call (a connection, a session, a lock, a
 * page): a second call is a second resource, so a slot filled from one is a real check-then-act.
 */
const resourceGetter = /(?:connection|conn|session|socket|lock|lease|channel|transaction|tx|handle|stream|worker|page|tab|browser|port|new|create|fresh|next|open|acquire|spawn|start|launch)/iu;

/**
 * `if (!this.client) this.client = await this.auth.getClient()`: the slot mirrors what a zero-argument getter of
 * another object returns (`const { email } = await auth.getCredentials(); this.email = email ?? ''` too). The
 * getter belongs to that object, which owns the value and, typically, memoises its own pending load (an auth
 * library's `getClient()` shares one client): overlapping callers at worst ask twice for the same value, and the
 * slot holds that object's value whichever write lands last. Not a race this rule reports. Getters named for a
 * resource handed out per call (`getConnection()`, `getSession()`) and getters of `this` (whose body the method
 * summaries see) are not mirrors.
 */
function mirrorsAccessor(file: AnalyzedFile, fnEvents: FunctionStateEvents, write: WriteEvent, checkNode: TSESTree.Node): boolean {
  const source = awaitedSourceOf(file, fnEvents, write.value);
  if (!source || source.range[0] < checkNode.range[1]) return false;
  const call = unwrap(source.argument);
  if (call.type !== AST_NODE_TYPES.CallExpression || call.arguments.length > 0) return false;
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || unwrap(callee.object).type === AST_NODE_TYPES.ThisExpression) return false;
  const name = staticPropertyName(callee);
  return name !== undefined && /^get[A-Z]\w*$/u.test(name) && !resourceGetter.test(name.slice(3));
}

/** The `await` whose result the written value is: `await x()`, `(await x()).y`, `v ?? ''`, or a local (or destructured local) initialised from it. */
function awaitedSourceOf(file: AnalyzedFile, fnEvents: FunctionStateEvents, raw: TSESTree.Node | undefined, depth = 0): TSESTree.AwaitExpression | undefined {
  if (!raw || depth > 4) return undefined;
  const value = unwrap(raw);
  if (value.type === AST_NODE_TYPES.AwaitExpression) return value;
  if (value.type === AST_NODE_TYPES.LogicalExpression && (value.operator === '??' || value.operator === '||')) return awaitedSourceOf(file, fnEvents, value.left, depth + 1);
  if (value.type === AST_NODE_TYPES.MemberExpression && !value.computed) return awaitedSourceOf(file, fnEvents, value.object, depth + 1);
  if (value.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = localVariableOf(file, fnEvents.fn, value);
  if (!variable || variable.defs.length !== 1 || variable.references.some((r) => r.isWrite() && !r.init)) return undefined;
  const def = variable.defs[0]!;
  if (def.type !== 'Variable') return undefined;
  const declarator = def.node as TSESTree.VariableDeclarator;
  if (!declarator.init) return undefined;
  // `const v = await x()` or `const { a: v } = await x()` (one level of object pattern).
  const direct = declarator.id.type === AST_NODE_TYPES.Identifier;
  const destructured = declarator.id.type === AST_NODE_TYPES.ObjectPattern && declarator.id.properties.some((p) => p.type === AST_NODE_TYPES.Property && unwrap(p.value as TSESTree.Node) === def.name);
  return direct || destructured ? awaitedSourceOf(file, fnEvents, declarator.init, depth + 1) : undefined;
}

/**
 * Awaiting a promise that already exists (`await this.rawPromise`) starts no work: every caller shares it. Neither does
 * a dynamic `import()`: the runtime loads a module once, so `mod = mod || (await import('x')).default` is idempotent.
 */
function awaitsExistingPromise(awaitEvent: AwaitEvent): boolean {
  if (awaitEvent.node.type !== AST_NODE_TYPES.AwaitExpression) return false;
  const argument = unwrap(awaitEvent.node.argument);
  return argument.type === AST_NODE_TYPES.Identifier || argument.type === AST_NODE_TYPES.MemberExpression || argument.type === AST_NODE_TYPES.ImportExpression;
}

interface MethodCall {
  readonly call: TSESTree.CallExpression;
  readonly summary: MethodSummary;
}

/**
 * `this.m(...)` calls of the function whose method fills instance state after its own wait. A call whose promise is
 * stored (`this.pending = this.open()`, `this.pending ??= this.open()`) is the shared-promise cure, not the race.
 */
function methodCallsIn(file: AnalyzedFile, fnEvents: FunctionStateEvents): MethodCall[] {
  const calls: MethodCall[] = [];
  walk(fnEvents.fn.body, fnEvents.fn, (node) => {
    if (node.type !== AST_NODE_TYPES.CallExpression) return;
    const summary = calledMethod(file, node);
    if (!summary || summary.fn === fnEvents.fn || summary.fillsAfterAwait.size === 0) return;
    let outer: TSESTree.Node = node;
    while (outer.parent && (outer.parent.type === AST_NODE_TYPES.AwaitExpression || outer.parent.type === AST_NODE_TYPES.TSAsExpression || outer.parent.type === AST_NODE_TYPES.TSNonNullExpression)) outer = outer.parent;
    const parent = outer.parent;
    if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === outer && outer === node) return;
    if (parent?.type === AST_NODE_TYPES.LogicalExpression && outer === node) return;
    calls.push({ call: node, summary });
  });
  return calls.sort((a, b) => a.call.range[0] - b.call.range[0]);
}

/** The state is filled inside a method called where the decision holds, after that method's own wait. */
function actInMethod(
  file: AnalyzedFile,
  checkNode: TSESTree.Node,
  decision: Decision,
  region: Region,
  calls: readonly MethodCall[],
  writes: readonly WriteEvent[],
): Omit<CheckThenAct, 'pureAbsence'> | undefined {
  const key = decision.place.entry?.map ?? decision.place.key;
  for (const { call, summary } of calls) {
    if (call.range[0] <= region.start || call.range[1] > region.end || call.range[0] < checkNode.range[1]) continue;
    const fill = summary.fillsAfterAwait.get(key);
    if (!fill) continue;
    if (!decision.place.entry && fill.write.place.entry) continue;
    if (fillerDecidesItself(file, fill.write, key)) continue;
    const claimed = writes.some((w) => w.pos > checkNode.range[1] && w.pos < call.range[0] && matches(decision.place, w.place).same);
    if (claimed) return undefined;
    return {
      check: checkNode,
      place: decision.place,
      await: fill.await,
      write: fill.write,
      keysDiffer: decision.place.entry !== undefined,
      via: { call, method: summary.name },
    };
  }
  return undefined;
}

/**
 * The method that fills the state tests it itself before the fill (`async connect() { if (!this.raw) await
 * this.materialize(); ... this.raw = await replace(this.raw) }`): the fill rests on the callee's own decision, not on
 * the caller's check, and the callee's own check-then-act (if any) is reported there.
 */
function fillerDecidesItself(file: AnalyzedFile, write: WriteEvent, key: string): boolean {
  let filler: TSESTree.Node | undefined = write.node.parent;
  while (filler && !isFunctionNode(filler)) filler = filler.parent;
  if (!filler) return false;
  return stateEventsOfFunction(file, filler as FunctionNode).some(
    (e) => e.kind === 'read' && e.pos < write.pos && (e.place.entry?.map ?? e.place.key) === key && inTest(e.node),
  );
}

/**
 * State flags of an object and the methods that set the object up. The object is another library's (a database or
 * Redis client, a browser, a server): its `connect()` body is not in the file, so the two are related by name.
 */
const setUpFlags = /^(?:is|has)?_?(?:open|opened|connected|ready|initiali[sz]ed|inited|started|loaded|authenticated|authori[sz]ed|loggedIn|listening|running|launched)$/iu;
const setUpMethods = /^(?:connect|open|init|initiali[sz]e|start|load|login|logIn|authenticate|authori[sz]e|listen|launch|setup|setUp)$/u;

/**
 * `if (!client.isOpen) await client.connect()`: a state flag of a shared object is checked, then the set-up method of
 * the same object is awaited, and that method is what changes the flag. Callers arriving before the first set-up
 * has finished still see the flag unset and start a second one (node-redis rejects it with "Socket already opened";
 * others open a second connection). A method of this class is left to the summaries, which can see its body.
 */
function actBySetUpCall(
  file: AnalyzedFile,
  fnEvents: FunctionStateEvents,
  checkNode: TSESTree.Node,
  decision: Decision,
  region: Region,
  awaits: readonly AwaitEvent[],
  writes: readonly WriteEvent[],
): Omit<CheckThenAct, 'pureAbsence'> | undefined {
  // The write is inferred from names: only where calls clearly overlap (not a start-up path run one at a time).
  if (decision.place.entry || fnEvents.context.level !== 'clear') return undefined;
  const flag = /\.([#\w$]+)$/u.exec(decision.place.key)?.[1];
  if (!flag || !setUpFlags.test(flag.replace(/^#/u, ''))) return undefined;
  const receiverKey = decision.place.key.slice(0, -(flag.length + 1));
  for (const awaitEvent of awaits) {
    if (awaitEvent.pos <= region.start || awaitEvent.pos > region.end || awaitEvent.pos <= checkNode.range[1]) continue;
    if (awaitEvent.node.type !== AST_NODE_TYPES.AwaitExpression) continue;
    const call = unwrap(awaitEvent.node.argument);
    if (call.type !== AST_NODE_TYPES.CallExpression) continue;
    const callee = unwrap(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) continue;
    const method = staticPropertyName(callee);
    if (!method || !setUpMethods.test(method)) continue;
    if (calledMethod(file, call)) continue;
    const receiver = sharedPlaceOf(file, fnEvents.fn, fnEvents.context, callee.object);
    if (receiver?.key !== receiverKey) continue;
    // Claimed before the call (`this.connecting = true`, the flag itself set early): later callers see the claim.
    const claimed = writes.some((w) => w.pos > checkNode.range[1] && w.pos < awaitEvent.pos && (w.place.key === decision.place.key || w.place.key.startsWith(`${receiverKey}.`)) && !exclusive(w.node, awaitEvent.node));
    if (claimed) return undefined;
    const write: WriteEvent = { kind: 'write', pos: awaitEvent.pos, place: decision.place, node: call, value: undefined, operator: 'call' };
    return { check: checkNode, place: decision.place, await: awaitEvent, write, keysDiffer: false, opens: { call, method, flag: flag.replace(/^#/u, '') } };
  }
  return undefined;
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
  let child: TSESTree.Node = write.node;
  let current: TSESTree.Node | undefined = write.node.parent;
  while (current && current !== root) {
    if ((current.type === AST_NODE_TYPES.IfStatement || current.type === AST_NODE_TYPES.ConditionalExpression) && current.range[0] > awaitEvent.pos - 1) {
      const inConsequent = child === current.consequent;
      if ((inConsequent || child === current.alternate) && implies(file, fnEvents, current.test, place, inConsequent)) return true;
    }
    if (current.type === AST_NODE_TYPES.LogicalExpression && current.range[0] >= awaitEvent.pos && child === current.right) {
      // `a || fill()` runs the fill when `a` is falsy, `a && fill()` when it is truthy, `a ?? fill()` when nullish.
      if (current.operator === '??' ? decisionsIn(file, fnEvents, current.left).some((d) => matches(place, d.place).same) : implies(file, fnEvents, current.left, place, current.operator === '&&')) return true;
    }
    child = current;
    current = current.parent;
  }
  return false;
}

/**
 * True when `test` evaluating to `when` guarantees the state is absent: a guard. `!a || b` is no guard for `a`
 * (the branch also runs when `b` holds while `a` is present); `!a && b` is.
 */
function implies(file: AnalyzedFile, fnEvents: FunctionStateEvents, raw: TSESTree.Node, place: SharedPlace, when: boolean): boolean {
  const node = unwrap(raw);
  if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === '!') return implies(file, fnEvents, node.argument, place, !when);
  if (node.type === AST_NODE_TYPES.LogicalExpression && node.operator !== '??') {
    const left = implies(file, fnEvents, node.left, place, when);
    const right = implies(file, fnEvents, node.right, place, when);
    const conjunction = (node.operator === '&&') === when;
    return conjunction ? left || right : left && right;
  }
  const decisions = decisionsIn(file, fnEvents, node);
  return decisions.length === 1 && matches(place, decisions[0]!.place).same && decisions[0]!.absentWhenTrue === when;
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

/**
 * `if (!started) { started = true; await ready; } work()`: a one-time claim written before the wait and never
 * released. Later callers see the claim, skip the `if`, and reach `work()` while the first caller is still waiting.
 * A flag released again anywhere in the function (`busy = false`) is a busy guard whose skip is deliberate.
 */
export function findSkippedWaits(file: AnalyzedFile, fnEvents: FunctionStateEvents): SkippedWait[] {
  const found: SkippedWait[] = [];
  const awaits = fnEvents.events.filter((e): e is AwaitEvent => e.kind === 'await');
  const writes = fnEvents.events.filter((e): e is WriteEvent => e.kind === 'write');
  if (awaits.length === 0) return found;
  walk(fnEvents.fn.body, fnEvents.fn, (node) => {
    if (node.type !== AST_NODE_TYPES.IfStatement || node.alternate || alwaysExits(node.consequent)) return;
    const block = node.parent;
    if (block?.type !== AST_NODE_TYPES.BlockStatement) return;
    const next = block.body[block.body.indexOf(node as TSESTree.Statement) + 1];
    if (!next || (next.type === AST_NODE_TYPES.ReturnStatement && !next.argument)) return;
    const decisions = decisionsIn(file, fnEvents, node.test);
    // One shared state decides, with or without other conditions (`!loaded || force`): callers that see the claim
    // and no other reason to enter skip the branch.
    if (decisions.length !== 1 || !decisions[0]!.absentWhenTrue || !isDisjunctOrConjunct(node.test, decisions[0]!.node)) return;
    const { place } = decisions[0]!;
    if (place.entry) return;
    const inBranch = (pos: number) => pos > node.consequent.range[0] && pos <= node.consequent.range[1];
    const claim = writes.find((w) => inBranch(w.pos) && w.place.key === place.key);
    if (claim) {
      // An object passed in is per call, unless the function memoises on it: a constant claim written back to it is that.
      if (place.how === 'parameter' && !isConstantClaim(claim)) return;
      if (!isWholeTest(node.test, decisions[0]!.node) || !isConstantClaim(claim)) return;
      const released = writes.some((w) => w !== claim && w.place.key === place.key);
      if (released) return;
      const wait = awaits.find((a) => inBranch(a.pos) && a.pos > claim.pos && !exclusive(a.node, claim.node));
      if (!wait) return;
      found.push({ check: node.test, place, claim, await: wait, next });
      return;
    }
    if (writes.some((w) => w.place.key === place.key)) return;
    const helper = claimingCall(file, fnEvents, node.consequent, place);
    if (helper) found.push({ check: node.test, place, claim: helper.claim, await: helper.await, next, via: { call: helper.call, name: helper.name } });
  });
  return found;
}

/** The test is the decision, its negation, or an operand of `||` / `&&` chains around it (`!loaded || force`). */
function isDisjunctOrConjunct(test: TSESTree.Node, decision: TSESTree.Node): boolean {
  if (isWholeTest(test, decision)) return true;
  const node = unwrap(test);
  if (node.type !== AST_NODE_TYPES.LogicalExpression || node.operator === '??') return false;
  return isDisjunctOrConjunct(node.left, decision) || isDisjunctOrConjunct(node.right, decision);
}

/**
 * `await loadBackend(ctx)` in the branch, where `loadBackend` is a function of this file that claims the checked flag
 * of the object it is handed (`ctx.loaded = true`) before its own first wait and never releases it.
 */
function claimingCall(
  file: AnalyzedFile,
  fnEvents: FunctionStateEvents,
  branch: TSESTree.Node,
  place: SharedPlace,
): { call: TSESTree.CallExpression; name: string; claim: WriteEvent; await: AwaitEvent } | undefined {
  let result: { call: TSESTree.CallExpression; name: string; claim: WriteEvent; await: AwaitEvent } | undefined;
  walk(branch, fnEvents.fn, (node) => {
    if (result || node.type !== AST_NODE_TYPES.CallExpression || node.parent?.type !== AST_NODE_TYPES.AwaitExpression) return;
    const callee = unwrap(node.callee);
    if (callee.type !== AST_NODE_TYPES.Identifier) return;
    const helper = functionValue(file, callee);
    if (!helper || !helper.async || helper === fnEvents.fn || !isFunctionNode(helper)) return;
    const events = stateEventsOfFunction(file, helper);
    const firstAwait = events.find((e): e is AwaitEvent => e.kind === 'await');
    if (!firstAwait) return;
    for (const event of events) {
      if (event.kind !== 'write' || event.pos >= firstAwait.pos || !isConstantClaim(event)) continue;
      const translated = translateParameterKey(file, fnEvents, helper, node, event.place);
      if (translated !== place.key) continue;
      const released = events.some((e) => e !== event && e.kind === 'write' && e.place.key === event.place.key);
      if (released) return;
      result = { call: node, name: callee.name, claim: event, await: firstAwait };
      return;
    }
  });
  return result;
}

/** The caller's key for a place the helper reaches through a parameter: `ctx.loaded` with `ctx` = `context` gives `context.loaded`. */
function translateParameterKey(
  file: AnalyzedFile,
  fnEvents: FunctionStateEvents,
  helper: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression,
  call: TSESTree.CallExpression,
  place: SharedPlace,
): string | undefined {
  if (place.how !== 'parameter') return undefined;
  const name = /^[\w$]+/u.exec(place.key)?.[0];
  if (!name) return undefined;
  const index = helper.params.findIndex((p) => p.type === AST_NODE_TYPES.Identifier && p.name === name);
  const argument = index >= 0 ? call.arguments[index] : undefined;
  if (!argument || argument.type === AST_NODE_TYPES.SpreadElement) return undefined;
  const inner = unwrap(argument);
  const argumentKey =
    sharedPlaceOf(file, fnEvents.fn, fnEvents.context, inner)?.key ??
    (inner.type === AST_NODE_TYPES.Identifier && helper.params.length > 0 && isParameterOf(file, fnEvents, inner) ? inner.name : undefined);
  return argumentKey === undefined ? undefined : `${argumentKey}${place.key.slice(name.length)}`;
}

/** The identifier names a parameter of the function being analysed (whose properties are places when reached). */
function isParameterOf(file: AnalyzedFile, fnEvents: FunctionStateEvents, identifier: TSESTree.Identifier): boolean {
  const variable = localVariableOf(file, fnEvents.fn, identifier);
  return variable?.defs.some((d) => d.type === 'Parameter' && d.node === fnEvents.fn) ?? false;
}

/** `started = true`, `this.state = 'starting'`: a marker, not a value some caller computed. */
function isConstantClaim(write: WriteEvent): boolean {
  if (write.operator !== '=') return false;
  const value = write.value && unwrap(write.value);
  return value?.type === AST_NODE_TYPES.Literal && value.value !== null && value.value !== false && value.value !== '' && value.value !== 0;
}
