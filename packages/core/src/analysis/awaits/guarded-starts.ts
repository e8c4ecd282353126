import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { factKey } from '../../engine/fact-cache.js';
import type { Effect } from '../../model/effect.js';
import { classifyStatement, type AwaitItem } from './control.js';
import { accessOf } from './data-dependencies.js';
import { factsOf, runAccess, type AwaitFacts, type IndependenceOptions } from './independent-awaits.js';
import { containsAwait } from './await-points.js';
import { effectsOfExpression, rootContext } from '../effects/classify.js';
import { effectConflict } from '../effects/conflicts.js';
import { asyncBodiesOf, statementListsOf, type AsyncBody } from '../functions.js';
import { referencesIn } from '../references.js';
import { noEffectReason } from '../summaries/noise.js';
import { isFunctionLike, unwrap, walkOwn, type FunctionLike } from '../syntax.js';
import { isQuiet } from './control.js';

/**
 * Cheap reads that could start before a guard. A straight-line run ends at every branch, loop or guard
 * (`if (!ok) throw …`, a loop that may `return`), so `await a(); if (…) return; await b();` is never grouped: the
 * guard may skip `b`. When `b` only reads the local file system or runs a query command (`git rev-parse`, `npm
 * whoami`), starting it before `a` changes nothing the code can see: if the guard leaves early, the read was wasted
 * work, its result unused and its rejection handled. Such a start is offered at medium confidence, and the rewrite
 * keeps the guard: the promise starts early, and is awaited where the value was awaited.
 *
 * Never when anything between could change what `b` reads (a write that may touch it, a call we cannot classify,
 * a barrier such as a timer or a lock), when `b` uses a value made between, or when the guard returns a value made
 * between (`if (cached) return cached`: `b` is the fallback the guard exists to skip).
 */
export interface GuardedStart {
  readonly kind: 'guarded';
  /** The reads that may start early, in source order. */
  readonly members: readonly AwaitFacts[];
  /** Where they start: the statement holding the first await they do not need. */
  readonly startAt: TSESTree.Statement;
  /** That first await. */
  readonly anchor: TSESTree.AwaitExpression;
  readonly confidence: 'medium';
  readonly body: AsyncBody;
}

const cacheKey = factKey<Map<string, readonly GuardedStart[]>>('overlap:guarded-starts');

export function guardedStarts(file: AnalyzedFile, options: IndependenceOptions): readonly GuardedStart[] {
  const cache = file.facts.get(cacheKey, () => new Map());
  const key = JSON.stringify(options);
  const cached = cache.get(key);
  if (cached) return cached;
  const out: GuardedStart[] = [];
  for (const body of asyncBodiesOf(file)) {
    const owner = body.type === 'Program' ? undefined : body;
    for (const list of statementListsOf(body)) out.push(...startsInList(file, body, owner, list, options));
  }
  cache.set(key, out);
  return out;
}

function startsInList(file: AnalyzedFile, body: AsyncBody, owner: FunctionLike | undefined, list: readonly TSESTree.Statement[], options: IndependenceOptions): GuardedStart[] {
  const byStart = new Map<number, AwaitFacts[]>();
  for (let j = 1; j < list.length; j++) {
    const item = headAwait(file, list[j]!);
    if (!item) continue;
    const facts = factsOf(file, item, options);
    if (!facts || !isCheapRead(facts)) continue;
    const start = earliestStart(file, owner, list, j, facts);
    if (start === undefined) continue;
    const members = byStart.get(start) ?? [];
    members.push(facts);
    byStart.set(start, members);
  }
  const out: GuardedStart[] = [];
  for (const [start, members] of byStart) {
    const anchor = firstAwait(list[start]!);
    if (!anchor) continue;
    out.push({ kind: 'guarded', members, startAt: list[start]!, anchor, confidence: 'medium', body });
  }
  return out;
}

/**
 * The await a statement starts with: an await statement of a straight-line run, or the await an `if` test always
 * evaluates first (`if (!(await isUp())) throw …`).
 */
function headAwait(file: AnalyzedFile, statement: TSESTree.Statement): AwaitItem | undefined {
  if (statement.type === 'IfStatement') {
    const awaits: TSESTree.AwaitExpression[] = [];
    walkOwn(statement.test, (node) => {
      if (node.type === 'AwaitExpression') awaits.push(node);
      return true;
    });
    const only = awaits.length === 1 ? awaits[0]! : undefined;
    if (!only || containsAwait(only.argument) || !evaluatedFirst(file, only, statement.test)) return undefined;
    return { kind: 'await', statement, awaitNode: only, shape: 'nested', sideEffects: false };
  }
  const item = classifyStatement(file, statement);
  return item?.kind === 'await' ? item : undefined;
}

/** The await runs whenever the test runs, and nothing with an effect is evaluated before it. */
function evaluatedFirst(file: AnalyzedFile, awaitNode: TSESTree.AwaitExpression, test: TSESTree.Expression): boolean {
  for (let child: TSESTree.Node = awaitNode; child !== test; child = child.parent!) {
    const parent: TSESTree.Node | undefined = child.parent;
    if (!parent) return false;
    switch (parent.type) {
      case 'UnaryExpression':
        if (parent.operator === 'delete') return false;
        break;
      case 'BinaryExpression':
        if (parent.right === child && !isQuiet(file, parent.left)) return false;
        break;
      case 'LogicalExpression':
        if (parent.left !== child) return false;
        break;
      case 'MemberExpression':
        if (parent.object !== child) return false;
        break;
      case 'TSAsExpression':
      case 'TSNonNullExpression':
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Reads of the local file system and query commands: cheap enough to start before a guard that may skip them. */
function isCheapRead(facts: AwaitFacts): boolean {
  if (facts.unproven || facts.guessed) return false;
  const reads = facts.effects.filter((e) => e.kind === 'read');
  if (reads.length === 0) return false;
  if (facts.effects.some((e) => e.opensHandle)) return false;
  return facts.effects.every((e) => e.kind === 'none' || (e.kind === 'read' && (e.resource.startsWith('fs:') || e.resource.startsWith('dns:') || e.command !== undefined)));
}

/**
 * The index of the statement before which `facts` may start, or `undefined` when no await would be skipped or
 * the straight-line analysis already judges the pair (nothing but run statements between).
 */
function earliestStart(file: AnalyzedFile, owner: FunctionLike | undefined, list: readonly TSESTree.Statement[], j: number, facts: AwaitFacts): number | undefined {
  const operand = facts.item.awaitNode.argument;
  const uses = accessOf(file, operand).reads;
  let earliest: number | undefined;
  for (let k = j - 1; k >= 0; k--) {
    const statement = list[k]!;
    const writes = runAccess(file, statement).writes;
    if ([...writes].some((binding) => uses.has(binding))) break;
    if (!callsLeave(file, owner, statement, facts.effects)) break;
    earliest = k;
  }
  if (earliest === undefined) return undefined;
  let start = earliest;
  while (start < j && !firstAwait(list[start]!)) start++;
  if (start >= j) return undefined;
  const between = list.slice(start, j);
  if (between.every((statement) => classifyStatement(file, statement) !== undefined)) return undefined;
  if (returnsWhatItMade(file, between) || checksSameTarget(file, between, operand)) return undefined;
  // The operand may only use bindings that exist where it will start.
  for (const reference of referencesIn(file, operand.range)) {
    const def = reference.resolved?.defs[0];
    if (def && def.name.range[0] >= list[start]!.range[0] && def.name.range[0] < operand.range[0]) return undefined;
  }
  return start;
}

/** Every call the statement makes leaves what `later` reads alone: no barrier, nothing unknown, no overlapping write. */
function callsLeave(file: AnalyzedFile, owner: FunctionLike | undefined, statement: TSESTree.Statement, later: readonly Effect[]): boolean {
  let ok = true;
  walkOwn(statement, (node) => {
    if (!ok) return false;
    if (node !== statement && isFunctionLike(node)) return false;
    if (node.type !== 'CallExpression' && node.type !== 'NewExpression' && node.type !== 'TaggedTemplateExpression') return true;
    if (node.type !== 'TaggedTemplateExpression' && owner && noEffectReason(file, node, owner) !== undefined) return true;
    const effects = effectsOfExpression(rootContext(file), node);
    if (effects.some((e) => e.kind === 'unknown' || e.kind === 'barrier' || (e.kind === 'write' && e.guessed))) ok = false;
    else if (effectConflict(effects, later)) ok = false;
    return ok;
  });
  return ok;
}

/** `if (cached) return cached`: an exit that gives back a value made between makes the later read its fallback. */
function returnsWhatItMade(file: AnalyzedFile, statements: readonly TSESTree.Statement[]): boolean {
  const made = new Set(statements.flatMap((statement) => [...runAccess(file, statement).writes]));
  let found = false;
  for (const statement of statements) {
    walkOwn(statement, (node) => {
      if (found) return false;
      if (node !== statement && isFunctionLike(node)) return false;
      if (node.type === 'ReturnStatement' && node.argument && unwrap(node.argument).type !== 'Literal') {
        if ([...accessOf(file, node.argument).reads].some((binding) => made.has(binding))) found = true;
      }
      return !found;
    });
  }
  return found;
}

/**
 * `if (!(await exists(file))) return; const text = await readFile(file)`: a call between checks, given nothing else,
 * the very value the later read takes first: the guard checks the read's own target, and the read is what it protects.
 */
function checksSameTarget(file: AnalyzedFile, statements: readonly TSESTree.Statement[], operand: TSESTree.Expression): boolean {
  const call = unwrap(operand);
  const target = call.type === 'CallExpression' ? call.arguments[0] : undefined;
  if (!target) return false;
  const text = file.text.slice(target.range[0], target.range[1]);
  let found = false;
  for (const statement of statements) {
    walkOwn(statement, (node) => {
      if (found || (node !== statement && isFunctionLike(node))) return false;
      // A check of that target alone (`exists(file)`, `access(file)`, `stat(dir)`), not another search of a shared
      // folder (`glob(root, 'Podfile')` then `glob(root, 'Cartfile')`).
      if (node.type === 'CallExpression' && node.arguments.length === 1 && file.text.slice(node.arguments[0]!.range[0], node.arguments[0]!.range[1]) === text) found = true;
      return !found;
    });
  }
  return found;
}

function firstAwait(statement: TSESTree.Statement): TSESTree.AwaitExpression | undefined {
  let found: TSESTree.AwaitExpression | undefined;
  walkOwn(statement, (node) => {
    if (found) return false;
    if (node !== statement && isFunctionLike(node)) return false;
    if (node.type === 'AwaitExpression') found = node;
    return !found;
  });
  return found;
}
