import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../engine/analyzed-file.js';
import { factKey } from '../engine/fact-cache.js';
import type { Confidence } from '../model/confidence.js';
import type { Effect } from '../model/effect.js';
import { straightLineRuns, type AwaitItem, type MovableItem, type RunItem } from './control.js';
import { accessOf, bindingName, dataDependency, type Access } from './data-dependencies.js';
import { effectsOfExpression, rootContext } from './effects/classify.js';
import { effectConflict, isGuessed, overallKind } from './effects/conflicts.js';
import { asyncBodiesOf, statementListsOf } from './functions.js';
import { referencesIn } from './references.js';
import { calleeText, shortText, unwrap } from './syntax.js';

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

export type IndependenceFinding = ConcurrentGroup | EarlyStart;

export interface IndependenceOptions {
  /** Group awaits whose effect we cannot classify at all (medium confidence). Off by default: precision first. */
  readonly reportUnknownEffects: boolean;
}

const cacheKey = factKey<Map<string, IndependenceFinding[]>>('overlap:independent-awaits');

export function independentAwaits(file: AnalyzedFile, options: IndependenceOptions): readonly IndependenceFinding[] {
  const cache = file.facts.get(cacheKey, () => new Map());
  const key = JSON.stringify(options);
  const cached = cache.get(key);
  if (cached) return cached;
  const out: IndependenceFinding[] = [];
  for (const body of asyncBodiesOf(file)) {
    for (const list of statementListsOf(body)) {
      for (const run of straightLineRuns(file, list)) analyseRun(file, run, options, out);
    }
  }
  cache.set(key, out);
  return out;
}

function nameOf(file: AnalyzedFile, item: AwaitItem): string {
  if (item.shape === 'declare' && item.declarator) {
    const id = item.declarator.id;
    if (id.type === 'Identifier') return id.name;
    return shortText(file.text, { range: [id.range[0], id.typeAnnotation ? id.typeAnnotation.range[0] : id.range[1]] }, 30).trim();
  }
  if (item.shape === 'assign' && item.assignment) return shortText(file.text, item.assignment.left, 30);
  const argument = unwrap(item.awaitNode.argument);
  const full = shortText(file.text, argument, 30);
  if (full.length <= 24 || (argument.type !== 'CallExpression' && argument.type !== 'NewExpression')) return full;
  return `${calleeText(file.text, argument)}(…)`;
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

function factsOf(file: AnalyzedFile, item: AwaitItem, options: IndependenceOptions): AwaitFacts | undefined {
  if (isPlainValue(file, item.awaitNode.argument)) return undefined;
  let effects: Effect[] = effectsOfExpression(rootContext(file), item.awaitNode.argument);
  const label = `await ${shortText(file.text, item.awaitNode.argument, 36)}`;
  const guessed = isGuessed(effects);
  const kind = overallKind(effects);
  // Awaited only for its effect, and that effect is a guess: whatever it does, later code may rely on it.
  if (item.shape === 'expression' && kind === 'none') {
    // `await Promise.resolve()`, `await null`: awaited only to yield to the event loop, on purpose.
    effects = [{ kind: 'barrier', resource: '*', reason: `\`${shortText(file.text, item.awaitNode.argument, 30)}\` is awaited only for its timing` }];
  } else if (item.shape === 'expression' && guessed && kind !== 'barrier') {
    effects = [{ kind: 'barrier', resource: '*', reason: `\`${shortText(file.text, item.awaitNode.argument, 30)}\` is awaited for an effect we cannot see` }];
  } else if (kind === 'unknown' && !options.reportUnknownEffects) {
    effects = [{ kind: 'barrier', resource: '*', reason: effects.find((e) => e.kind === 'unknown')?.reason ?? 'unknown effect' }];
  }
  return { item, effects, name: nameOf(file, item), label, guessed };
}

interface Node {
  readonly item: RunItem;
  readonly access: Access;
  readonly facts: AwaitFacts | undefined;
  /** Indexes of earlier awaits this item depends on, directly or through statements in between. */
  readonly deps: Set<number>;
}

function directDependency(earlier: Node, later: Node): boolean {
  if (dataDependency(earlier.access, later.access, bindingName)) return true;
  if (!earlier.facts || !later.facts) return false;
  if (effectConflict(earlier.facts.effects, later.facts.effects)) return true;
  // A value-less await of a check (`await fs.access(dir)`) guards what follows: it must fail before a write starts.
  return earlier.item.kind === 'await' && earlier.item.shape === 'expression' && later.facts.effects.some((e) => e.kind === 'write');
}

function analyseRun(file: AnalyzedFile, run: readonly RunItem[], options: IndependenceOptions, out: IndependenceFinding[]): void {
  const nodes: Node[] = [];
  for (const item of run) {
    const facts = item.kind === 'await' ? factsOf(file, item, options) : undefined;
    if (item.kind === 'await' && !facts) {
      // A plain value awaited: split the run here.
      analyseNodes(file, nodes, out);
      nodes.length = 0;
      continue;
    }
    nodes.push({ item, access: accessOf(file, item.statement), facts, deps: new Set() });
  }
  analyseNodes(file, nodes, out);
}

function analyseNodes(file: AnalyzedFile, nodes: Node[], out: IndependenceFinding[]): void {
  if (nodes.filter((n) => n.facts).length < 2) return;
  for (let j = 0; j < nodes.length; j++) {
    const later = nodes[j]!;
    for (let i = 0; i < j; i++) {
      const earlier = nodes[i]!;
      if (!directDependency(earlier, later)) continue;
      if (earlier.facts) later.deps.add(i);
      for (const d of earlier.deps) later.deps.add(d);
    }
  }
  const awaitIndexes = nodes.map((n, i) => (n.facts ? i : -1)).filter((i) => i >= 0);
  const firstAwait = awaitIndexes[0]!;
  // Early starts: an await needing none of the awaits before it, after a chain that could not all be grouped.
  const chainIsDependent = (upTo: number): boolean => awaitIndexes.some((k) => k < upTo && nodes[k]!.deps.size > 0);
  // One early start per run: once it is applied the rest of the run is analysed afresh on the next lint.
  for (const j of awaitIndexes) {
    if (j === firstAwait || nodes[j]!.deps.size > 0 || !chainIsDependent(j)) continue;
    if (!hoistable(file, nodes, firstAwait, j)) continue;
    const member = nodes[j]!.facts!;
    const chain = awaitIndexes.filter((k) => k < j).map((k) => nodes[k]!.facts!);
    out.push({ kind: 'early', member, chain, startAt: nodes[firstAwait]!.item.statement, confidence: confidenceOf([member, ...chain]) });
    return;
  }
  let group: number[] = [];
  const flush = (): void => {
    if (group.length >= 2) out.push(groupFinding(nodes, group));
    group = [];
  };
  for (const j of awaitIndexes) {
    if (group.some((g) => nodes[j]!.deps.has(g))) flush();
    group.push(j);
  }
  flush();
}

/** The early promise's expression may only read what exists where it will start. */
function hoistable(file: AnalyzedFile, nodes: readonly Node[], firstAwait: number, j: number): boolean {
  const start = nodes[firstAwait]!.item.statement.range[0];
  const argument = nodes[j]!.facts!.item.awaitNode.argument;
  for (const reference of referencesIn(file, argument.range)) {
    const def = reference.resolved?.defs[0];
    if (def && def.name.range[0] >= start && def.name.range[0] < argument.range[0]) return false;
  }
  return unwrap(argument).type !== 'Identifier';
}

function confidenceOf(members: readonly AwaitFacts[]): Confidence {
  return members.some((m) => m.guessed) ? 'medium' : 'high';
}

function groupFinding(nodes: readonly Node[], group: readonly number[]): ConcurrentGroup {
  const members = group.map((g) => nodes[g]!.facts!);
  const first = group[0]!;
  const last = group[group.length - 1]!;
  const before: MovableItem[] = [];
  const after: MovableItem[] = [];
  for (let k = first + 1; k < last; k++) {
    const node = nodes[k]!;
    if (node.item.kind !== 'movable') continue;
    if (group.some((g) => node.deps.has(g))) after.push(node.item);
    else before.push(node.item);
  }
  return { kind: 'group', members, before, after, span: nodes.slice(first, last + 1).map((n) => n.item), confidence: confidenceOf(members) };
}
