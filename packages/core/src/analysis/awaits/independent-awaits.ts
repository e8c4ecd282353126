import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { factKey } from '../../engine/fact-cache.js';
import type { Confidence } from '../../model/confidence.js';
import type { Effect } from '../../model/effect.js';
import { straightLineRuns, type AwaitItem, type MovableItem, type RunItem } from './control.js';
import { accessOf, bindingName, dataDependency, type Access, type Binding } from './data-dependencies.js';
import { effectsOfExpression, rootContext } from '../effects/classify.js';
import { effectConflict, isGuessed, overallKind } from '../effects/conflicts.js';
import { asyncBodiesOf, statementListsOf, type AsyncBody } from '../functions.js';
import { referencesIn, resolveIdentifier } from '../references.js';
import { calleeText, memberName, shortText, unwrap, walkOwn } from '../syntax.js';

/**
 * Which sequential awaits of a straight-line run could start together. Two awaits are independent when the later
 * one's statement uses nothing the earlier one's statement wrote (data), their effects do not conflict (a write
 * orders every later read or write of the same resource; barriers order everything), and the earlier one is not
 * awaited only for its side effect or as a guard for a later write (control).
 */
export interface AwaitFacts {
  readonly item: AwaitItem;
  readonly effects: readonly Effect[];
  /** How people know it: the binding (`user`) or the awaited call (`sendEmail(user)`). */
  readonly name: string;
  /** `await getUser(id)`, shortened. */
  readonly label: string;
  readonly guessed: boolean;
  /**
   * Set when the engine made this await a barrier only because it could not classify it (an unknown callee, or an
   * effect awaited for its own sake that we cannot see): edges it causes are `unknown`, not proven.
   */
  readonly unproven?: string;
}

export interface ConcurrentGroup {
  readonly kind: 'group';
  readonly members: readonly AwaitFacts[];
  /** Statements between members that move above the new statement (they use no member's result). */
  readonly before: readonly MovableItem[];
  /** Statements between members that use a member's result: they move below it. */
  readonly after: readonly MovableItem[];
  /** Every run item from the first member to the last, in source order. */
  readonly span: readonly RunItem[];
  readonly confidence: Confidence;
}

export interface EarlyStart {
  readonly kind: 'early';
  readonly member: AwaitFacts;
  /** The awaits before it in its run, which it does not need. */
  readonly chain: readonly AwaitFacts[];
  /** Where its promise may start: the first statement of its run. */
  readonly startAt: TSESTree.Statement;
  readonly confidence: Confidence;
}

/**
 * The best schedule of a run whose awaits form a DAG that no single group or early start captures: `early` (awaits
 * nothing needs and that need nothing) start first and are awaited last; the rest run in stages, each stage together,
 * each after the stages it needs. Movable statements go where their inputs are ready.
 */
export interface Schedule {
  readonly kind: 'schedule';
  /** Every await of the run, in source order. */
  readonly members: readonly AwaitFacts[];
  readonly early: readonly AwaitFacts[];
  readonly stages: readonly (readonly AwaitFacts[])[];
  /** Movable statements with no await input: they go first. */
  readonly top: readonly MovableItem[];
  /** Per stage, the movable statements whose inputs the stage completes. */
  readonly afterStage: readonly (readonly MovableItem[])[];
  /** Movable statements that use an early await's result: they go after it. */
  readonly end: readonly MovableItem[];
  /** Each await that needs others, with the awaits it needs directly. */
  readonly needs: readonly { readonly member: AwaitFacts; readonly uses: readonly AwaitFacts[] }[];
  /** From the first await's statement to the last await's statement, in source order. */
  readonly span: readonly RunItem[];
  readonly confidence: Confidence;
}

export type IndependenceFinding = ConcurrentGroup | EarlyStart | Schedule;

/** A direct ordering between two awaits of one run (indices into `RunAnalysis.awaits`). */
export interface RunEdge {
  readonly from: number;
  readonly to: number;
  readonly reason: 'data' | 'effect' | 'control' | 'unknown';
  readonly detail: string;
}

/** One straight-line run of one async body as the engine saw it: the raw material of the await graph. */
export interface RunAnalysis {
  readonly body: AsyncBody;
  readonly awaits: readonly AwaitFacts[];
  readonly edges: readonly RunEdge[];
}

export interface IndependenceOptions {
  /** Group awaits whose effect we cannot classify at all (medium confidence). Off by default: precision first. */
  readonly reportUnknownEffects: boolean;
}

interface Analysis {
  readonly findings: readonly (IndependenceFinding & { readonly body: AsyncBody })[];
  readonly runs: readonly RunAnalysis[];
}

const cacheKey = factKey<Map<string, Analysis>>('overlap:independent-awaits');

function analysis(file: AnalyzedFile, options: IndependenceOptions): Analysis {
  const cache = file.facts.get(cacheKey, () => new Map());
  const key = JSON.stringify(options);
  const cached = cache.get(key);
  if (cached) return cached;
  const findings: Array<IndependenceFinding & { readonly body: AsyncBody }> = [];
  const runs: RunAnalysis[] = [];
  for (const body of asyncBodiesOf(file)) {
    const out: IndependenceFinding[] = [];
    for (const list of statementListsOf(body)) {
      for (const run of straightLineRuns(file, list)) analyseRun(file, body, run, options, out, runs);
    }
    for (const finding of out) findings.push({ ...finding, body });
  }
  const result = { findings, runs };
  cache.set(key, result);
  return result;
}

/** What can run concurrently in each straight-line run of every async body of the file. */
export function independentAwaits(file: AnalyzedFile, options: IndependenceOptions): readonly (IndependenceFinding & { readonly body: AsyncBody })[] {
  return analysis(file, options).findings;
}

/** The runs and their direct await-to-await edges, for the await graph. */
export function awaitRuns(file: AnalyzedFile, options: IndependenceOptions): readonly RunAnalysis[] {
  return analysis(file, options).runs;
}

/** How people know an await: the name it is bound to, or its call, shortened. */
export function nameOf(file: AnalyzedFile, item: AwaitItem): string {
  if (item.shape === 'declare' && item.declarator) {
    const id = item.declarator.id;
    if (id.type === 'Identifier') return id.name;
    return shortText(file.text, { range: [id.range[0], id.typeAnnotation ? id.typeAnnotation.range[0] : id.range[1]] }, 30).trim();
  }
  if (item.shape === 'assign' && item.assignment) return shortText(file.text, item.assignment.left, 30);
  const compiled = compiledCallName(file, item.awaitNode.argument);
  if (compiled && item.shape !== 'declare') return compiled;
  if (item.shape === 'nested' && item.statement.type === 'VariableDeclaration') {
    const id = item.statement.declarations[0]!.id;
    if (id.type === 'Identifier') return id.name;
  }
  const argument = unwrap(item.awaitNode.argument);
  const full = shortText(file.text, argument, 30);
  if (full.length <= 24 || (argument.type !== 'CallExpression' && argument.type !== 'NewExpression')) return full;
  return `${calleeText(file.text, argument)}(…)`;
}

/** tsc's `(0, marked_1.marked)(text)` reads as `marked_1.marked(…)`. */
function compiledCallName(file: AnalyzedFile, argument: TSESTree.Expression): string | undefined {
  const call = unwrap(argument);
  if (call.type !== 'CallExpression') return undefined;
  const callee = unwrap(call.callee);
  if (callee.type !== 'SequenceExpression' || callee.expressions.length !== 2 || callee.expressions[0]!.type !== 'Literal') return undefined;
  return `${shortText(file.text, callee.expressions[1]!, 30)}(…)`;
}

/** Type information, when present, tells us an awaited value is no promise at all: nothing to overlap. */
export function isPlainValue(file: AnalyzedFile, node: TSESTree.Node): boolean {
  const types = file.types;
  if (!types) return false;
  const tsNode = types.esTreeNodeToTSNodeMap.get(node);
  if (!tsNode) return false;
  const checker = types.program.getTypeChecker();
  const type = checker.getTypeAtLocation(tsNode);
  if (type.flags & (1 | 2)) return false; // any, unknown
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((part) => !(part.flags & (1 | 2)) && !part.getProperty('then'));
}

const factsCacheKey = factKey<Map<string, WeakMap<TSESTree.AwaitExpression, AwaitFacts | null>>>('overlap:await-facts');

/** What one await does, computed once per await and options (several analyses ask, and each answer may resolve imports). */
export function factsOf(file: AnalyzedFile, item: AwaitItem, options: IndependenceOptions): AwaitFacts | undefined {
  const byOptions = file.facts.get(factsCacheKey, () => new Map());
  const key = `${options.reportUnknownEffects}|${item.shape}`;
  let cache = byOptions.get(key);
  if (!cache) byOptions.set(key, (cache = new WeakMap()));
  const cached = cache.get(item.awaitNode);
  if (cached !== undefined) return cached ?? undefined;
  const facts = computeFacts(file, item, options);
  cache.set(item.awaitNode, facts ?? null);
  return facts;
}

function computeFacts(file: AnalyzedFile, item: AwaitItem, options: IndependenceOptions): AwaitFacts | undefined {
  if (isPlainValue(file, item.awaitNode.argument)) return undefined;
  // `await pending`, `await this.ready`: a promise already running; awaiting it earlier or together gains nothing.
  const argument = unwrap(item.awaitNode.argument);
  if (argument.type === 'Identifier' || argument.type === 'MemberExpression') return undefined;
  let effects: Effect[] = effectsOfExpression(rootContext(file), item.awaitNode.argument);
  const label = `await ${shortText(file.text, item.awaitNode.argument, 36)}`;
  const guessed = isGuessed(effects);
  const kind = overallKind(effects);
  // Awaited only for its effect, and that effect is a guess: whatever it does, later code may rely on it.
  if (item.shape === 'expression' && kind === 'none') {
    // `await Promise.resolve()`, `await null`: awaited only to yield to the event loop, on purpose.
    effects = [{ kind: 'barrier', resource: '*', reason: `\`${shortText(file.text, item.awaitNode.argument, 30)}\` is awaited only for its timing` }];
  } else if (item.shape === 'expression' && guessed && kind !== 'barrier') {
    const reason = `\`${shortText(file.text, item.awaitNode.argument, 30)}\` is awaited for an effect we cannot see`;
    return { item, effects: [{ kind: 'barrier', resource: '*', reason }], name: nameOf(file, item), label, guessed, unproven: reason };
  } else if (kind === 'unknown' && !options.reportUnknownEffects) {
    const reason = effects.find((e) => e.kind === 'unknown')?.reason ?? 'unknown effect';
    return { item, effects: [{ kind: 'barrier', resource: '*', reason }], name: nameOf(file, item), label, guessed, unproven: reason };
  }
  return { item, effects, name: nameOf(file, item), label, guessed };
}

interface Node {
  readonly item: RunItem;
  /** What the whole statement reads and writes. */
  readonly access: Access;
  /**
   * What starting it reads and writes: for an await nested in an expression, only the awaited operand (what the
   * statement does with the result stays after, in order); for anything else, the whole statement.
   */
  readonly start: Access;
  readonly facts: AwaitFacts | undefined;
  /** Indexes of earlier awaits this item depends on, directly or through statements in between. */
  readonly deps: Set<number>;
  /** Earlier items this one depends on directly, with why. */
  readonly direct: Map<number, Omit<RunEdge, 'from' | 'to'>>;
}

/**
 * `await load(server, 3); await load(server, 10)`: one callee run twice against the same target, judged only by its
 * name. Were it a read, the second call would repeat the first; the repeat is there for its effect in order (a
 * warm-up before a measured run, a retry, a second pass).
 */
function repeatedOnSameTarget(text: string, earlier: AwaitFacts, later: AwaitFacts): string | undefined {
  if (!isGuessed(earlier.effects) && !isGuessed(later.effects)) return undefined;
  const a = unwrap(earlier.item.awaitNode.argument);
  const b = unwrap(later.item.awaitNode.argument);
  if (a.type !== 'CallExpression' || b.type !== 'CallExpression' || !a.arguments[0] || !b.arguments[0]) return undefined;
  const source = (node: TSESTree.Node): string => text.slice(node.range[0], node.range[1]);
  if (source(a.callee) !== source(b.callee) || source(a.arguments[0]) !== source(b.arguments[0]) || a.arguments.length !== b.arguments.length) return undefined;
  if (unwrap(a.arguments[0]).type === 'Literal') return undefined;
  // Only settings given by name may differ (`warmup` then `seconds`): a different string or property is another key
  // (`resolveHook(type, config.beforePack, 'beforePack')`), another piece of work.
  for (let i = 1; i < a.arguments.length; i++) {
    const x = a.arguments[i]!;
    const y = b.arguments[i]!;
    if (source(x) !== source(y) && (unwrap(x).type !== 'Identifier' || unwrap(y).type !== 'Identifier')) return undefined;
  }
  return `\`${calleeText(text, a)}(…)\` runs again on the same \`${shortText(text, a.arguments[0], 24)}\`: a repeat that only makes sense in order`;
}

function directDependency(text: string, earlier: Node, later: Node): Omit<RunEdge, 'from' | 'to'> | undefined {
  const data = dataDependency(earlier.access, later.start, bindingName);
  if (data) return { reason: 'data', detail: data };
  if (!earlier.facts || !later.facts) return undefined;
  const conflict = effectConflict(earlier.facts.effects, later.facts.effects);
  if (conflict) {
    const { facts: e } = earlier;
    const { facts: l } = later;
    if (e.unproven || l.unproven) {
      // A barrier we assumed for want of knowledge orders nothing for sure, unless the classified side is a barrier itself.
      const known = e.unproven ? (l.unproven ? undefined : l) : e;
      if (!known?.effects.some((effect) => effect.kind === 'barrier')) return { reason: 'unknown', detail: (e.unproven ?? l.unproven)! };
    }
    return { reason: 'effect', detail: conflict };
  }
  const repeat = repeatedOnSameTarget(text, earlier.facts, later.facts);
  if (repeat) return { reason: 'effect', detail: repeat };
  // A value-less await of a check (`await fs.access(dir)`) guards what follows: it must fail before a write starts.
  if (earlier.item.kind === 'await' && earlier.item.shape === 'expression' && later.facts.effects.some((e) => e.kind === 'write')) {
    return { reason: 'control', detail: `\`${earlier.facts.name}\` is awaited as a check before a write` };
  }
  // A query command whose output nobody reads (`await sh('snapcraft --version')`) runs for its exit status: a
  // precondition check, and what follows is the work it gates.
  const query = earlier.item.kind === 'await' && earlier.item.shape === 'expression' ? earlier.facts.effects.find((e) => e.command !== undefined) : undefined;
  if (query) return { reason: 'control', detail: `\`${earlier.facts.name}\` runs \`${query.command}\` as a check before what follows` };
  // Awaited only for its effect (`await db.query('PRAGMA foreign_keys = OFF')`), then a call we cannot see into
  // (`await cb()`): whatever that call does may rely on the effect. Even with `reportUnknownEffects`.
  if (earlier.item.kind === 'await' && earlier.item.shape === 'expression' && later.facts.effects.some((e) => e.kind === 'unknown')) {
    return { reason: 'unknown', detail: `\`${later.facts.name}\` may rely on what \`${earlier.facts.name}\` did` };
  }
  return undefined;
}

/** `links.push(x)`, `seen.add(id)`, `byId.set(k, v)`: a call that changes the object it is called on. */
const mutatingMethods = new Set(['push', 'unshift', 'pop', 'shift', 'splice', 'set', 'add', 'delete', 'clear', 'sort', 'reverse', 'fill', 'append']);

/** `accessOf` plus writes through mutating method calls on a binding, which statements of a run may now contain. */
export function runAccess(file: AnalyzedFile, statement: TSESTree.Node): Access {
  const access = accessOf(file, statement);
  const extra = new Set<Binding>();
  walkOwn(statement, (node) => {
    if (node.type !== 'CallExpression') return true;
    const callee = unwrap(node.callee);
    if (callee.type !== 'MemberExpression' || !mutatingMethods.has(memberName(callee) ?? '')) return true;
    let root = unwrap(callee.object);
    let last: TSESTree.MemberExpression | undefined;
    while (root.type === 'MemberExpression') {
      last = root;
      root = unwrap(root.object);
    }
    if (root.type === 'Identifier') {
      const variable = resolveIdentifier(file, root);
      if (variable && !access.writes.has(variable)) extra.add(variable);
    } else if (root.type === 'ThisExpression') {
      const name = last ? memberName(last) : memberName(callee);
      extra.add(`this.${name ?? '*'}`);
    }
    return true;
  });
  if (extra.size === 0) return access;
  return { reads: access.reads, writes: new Set([...access.writes, ...extra]) };
}

function analyseRun(file: AnalyzedFile, body: AsyncBody, run: readonly RunItem[], options: IndependenceOptions, out: IndependenceFinding[], runs: RunAnalysis[]): void {
  const nodes: Node[] = [];
  for (const item of run) {
    const facts = item.kind === 'await' ? factsOf(file, item, options) : undefined;
    if (item.kind === 'await' && !facts) {
      // A plain value awaited: split the run here.
      analyseNodes(file, body, nodes, out, runs);
      nodes.length = 0;
      continue;
    }
    const access = runAccess(file, item.statement);
    const start = item.kind === 'await' && item.shape === 'nested' ? runAccess(file, item.awaitNode.argument) : access;
    nodes.push({ item, access, start, facts, deps: new Set(), direct: new Map() });
  }
  analyseNodes(file, body, nodes, out, runs);
}

function analyseNodes(file: AnalyzedFile, body: AsyncBody, nodes: Node[], out: IndependenceFinding[], runs: RunAnalysis[]): void {
  const awaitIndexes = nodes.map((n, i) => (n.facts ? i : -1)).filter((i) => i >= 0);
  if (awaitIndexes.length === 0) return;
  for (let j = 0; j < nodes.length; j++) {
    const later = nodes[j]!;
    for (let i = 0; i < j; i++) {
      const earlier = nodes[i]!;
      const edge = directDependency(file.text, earlier, later);
      if (!edge) continue;
      later.direct.set(i, edge);
      if (earlier.facts) later.deps.add(i);
      for (const d of earlier.deps) later.deps.add(d);
    }
  }
  runs.push({ body, awaits: awaitIndexes.map((k) => nodes[k]!.facts!), edges: awaitEdges(nodes, awaitIndexes) });
  if (awaitIndexes.length < 2) return;
  const finding = scheduleOf(file, nodes, awaitIndexes);
  if (finding) out.push(finding);
}

/** Await-to-await edges: direct ones, and those through a movable statement in between (always data). */
function awaitEdges(nodes: readonly Node[], awaitIndexes: readonly number[]): RunEdge[] {
  const position = new Map(awaitIndexes.map((k, i) => [k, i]));
  const edges = new Map<string, RunEdge>();
  for (const j of awaitIndexes) {
    for (const [i, edge] of nodes[j]!.direct) {
      const sources = nodes[i]!.facts ? [i] : [...nodes[i]!.deps];
      for (const source of sources) {
        const key = `${source}>${j}`;
        if (!edges.has(key)) edges.set(key, { from: position.get(source)!, to: position.get(j)!, ...edge });
      }
    }
  }
  return [...edges.values()].sort((a, b) => a.from - b.from || a.to - b.to);
}

/**
 * Chooses the finding that tells the whole story of a run: one group when every await is independent or when one
 * consecutive stage is all there is to gain, one early start when a single free await follows a chain, and the
 * full schedule otherwise. Nothing when the run is a chain.
 */
function scheduleOf(file: AnalyzedFile, nodes: readonly Node[], awaitIndexes: readonly number[]): IndependenceFinding | undefined {
  const level = new Map<number, number>();
  for (const j of awaitIndexes) {
    let l = 0;
    for (const d of nodes[j]!.deps) l = Math.max(l, level.get(d)! + 1);
    level.set(j, l);
  }
  if (awaitIndexes.every((j) => nodes[j]!.deps.size === 0)) return groupFinding(nodes, awaitIndexes);
  const hasDependents = (i: number): boolean => awaitIndexes.some((j) => nodes[j]!.deps.has(i));
  const free = awaitIndexes.filter((j) => nodes[j]!.deps.size === 0 && !hasDependents(j) && startable(nodes[j]!));
  const chained = awaitIndexes.filter((j) => !free.includes(j));
  const maxLevel = Math.max(...chained.map((j) => level.get(j)!));
  const stages: number[][] = [];
  for (let l = 0; l <= maxLevel; l++) stages.push(chained.filter((j) => level.get(j) === l));
  const multi = stages.filter((stage) => stage.length >= 2);
  if (multi.length === 0 && free.length === 0) return undefined;
  const last = awaitIndexes[awaitIndexes.length - 1]!;
  if (multi.length === 0 && free.length === 1 && free[0] === last && hoistable(file, nodes, awaitIndexes[0]!, last)) {
    const member = nodes[last]!.facts!;
    const chain = awaitIndexes.filter((k) => k < last).map((k) => nodes[k]!.facts!);
    return { kind: 'early', member, chain, startAt: nodes[awaitIndexes[0]!]!.item.statement, confidence: confidenceOf([member, ...chain]) };
  }
  if (free.length === 0 && multi.length === 1) {
    const stage = multi[0]!;
    const consecutive = awaitIndexes.filter((k) => k >= stage[0]! && k <= stage[stage.length - 1]!).length === stage.length;
    if (consecutive) return groupFinding(nodes, stage);
  }
  const first = awaitIndexes[0]!;
  const movableLevel = (k: number): number | 'end' => {
    const deps = [...nodes[k]!.deps];
    if (deps.some((d) => free.includes(d))) return 'end';
    return deps.length === 0 ? -1 : Math.max(...deps.map((d) => level.get(d)!));
  };
  const required = requiredBy(nodes, awaitIndexes);
  const top: MovableItem[] = [];
  const afterStage: MovableItem[][] = stages.map(() => []);
  const end: MovableItem[] = [];
  for (let k = first + 1; k < last; k++) {
    const item = nodes[k]!.item;
    if (item.kind !== 'movable') continue;
    let l = movableLevel(k);
    if (item.sync && l !== 'end' && !required.has(k)) {
      // A log line or local update stays after the await it followed.
      const previous = Math.max(...awaitIndexes.filter((j) => j < k));
      l = free.includes(previous) ? 'end' : Math.max(l, level.get(previous)!);
    }
    if (l === 'end') end.push(item);
    else if (l < 0) top.push(item);
    else afterStage[l]!.push(item);
  }
  // The order statements end up in: a pair that swaps must not touch the same bindings (a nested await's statement
  // still does its work with the result, `out.push(…)`, in its new place).
  const order: number[] = [...top.map((m) => nodes.findIndex((n) => n.item === m))];
  stages.forEach((stage, l) => {
    const after = afterStage[l]!.map((m) => nodes.findIndex((n) => n.item === m));
    order.push(stage[0]!, ...[...stage.slice(1), ...after].sort((a, b) => a - b));
  });
  order.push(...free, ...end.map((m) => nodes.findIndex((n) => n.item === m)));
  for (let x = 0; x < order.length; x++) {
    for (let y = x + 1; y < order.length; y++) {
      const [emittedFirst, emittedLater] = [order[x]!, order[y]!];
      if (emittedFirst > emittedLater && dataDependency(nodes[emittedLater]!.access, nodes[emittedFirst]!.access, bindingName)) return undefined;
    }
  }
  const members = awaitIndexes.map((k) => nodes[k]!.facts!);
  const needs = chained
    .filter((j) => nodes[j]!.deps.size > 0)
    .map((j) => ({ member: nodes[j]!.facts!, uses: [...nodes[j]!.deps].filter((d) => isDirect(nodes, d, j)).sort((a, b) => a - b).map((d) => nodes[d]!.facts!) }));
  return {
    kind: 'schedule',
    members,
    early: free.map((k) => nodes[k]!.facts!),
    stages: stages.map((stage) => stage.map((k) => nodes[k]!.facts!)),
    top,
    afterStage,
    end,
    needs,
    span: nodes.slice(first, last + 1).map((n) => n.item),
    confidence: confidenceOf(members),
  };
}

/** The statements the given items need before them, directly or through other statements. */
function requiredBy(nodes: readonly Node[], targets: readonly number[]): Set<number> {
  const required = new Set<number>();
  const pending = [...targets];
  while (pending.length > 0) {
    const k = pending.pop()!;
    for (const source of nodes[k]!.direct.keys()) {
      if (nodes[source]!.facts || required.has(source)) continue;
      required.add(source);
      pending.push(source);
    }
  }
  return required;
}

/** Does `j` need `d` other than through another await it needs? */
function isDirect(nodes: readonly Node[], d: number, j: number): boolean {
  for (const other of nodes[j]!.deps) if (other !== d && nodes[other]!.deps.has(d)) return false;
  return true;
}

/** The early promise's expression may only read what exists where it will start. */
function hoistable(file: AnalyzedFile, nodes: readonly Node[], firstAwait: number, j: number): boolean {
  const start = nodes[firstAwait]!.item.statement.range[0];
  const argument = nodes[j]!.facts!.item.awaitNode.argument;
  for (const reference of referencesIn(file, argument.range)) {
    const def = reference.resolved?.defs[0];
    if (def && def.name.range[0] >= start && def.name.range[0] < argument.range[0]) return false;
  }
  return true;
}

/** A promise made elsewhere (`await pending`) is already running: starting it earlier means nothing. */
function startable(node: Node): boolean {
  return node.facts !== undefined && unwrap(node.facts.item.awaitNode.argument).type !== 'Identifier';
}

/** Medium when an effect was judged by name, or when a statement does unseen work with its result after the group. */
function confidenceOf(members: readonly AwaitFacts[]): Confidence {
  return members.some((m) => m.guessed || m.item.sideEffects === true) ? 'medium' : 'high';
}

function groupFinding(nodes: readonly Node[], group: readonly number[]): ConcurrentGroup {
  const members = group.map((g) => nodes[g]!.facts!);
  const first = group[0]!;
  const last = group[group.length - 1]!;
  const before: MovableItem[] = [];
  const after: MovableItem[] = [];
  const required = requiredBy(nodes, group);
  for (let k = first + 1; k < last; k++) {
    const node = nodes[k]!;
    if (node.item.kind !== 'movable') continue;
    // A log line or local update stays after the awaits it followed, unless a later member needs it first.
    const needed = required.has(k);
    if (group.some((g) => node.deps.has(g)) || (node.item.sync && !needed)) after.push(node.item);
    else before.push(node.item);
  }
  return { kind: 'group', members, before, after, span: nodes.slice(first, last + 1).map((n) => n.item), confidence: confidenceOf(members) };
}
