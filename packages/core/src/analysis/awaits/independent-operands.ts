import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { factKey } from '../../engine/fact-cache.js';
import type { Confidence } from '../../model/confidence.js';
import type { Effect } from '../../model/effect.js';
import { containsAwait } from './await-points.js';
import { isQuiet } from './control.js';
import { accessOf, bindingName, dataDependency } from './data-dependencies.js';
import { effectsOfExpression, rootContext } from '../effects/classify.js';
import { effectConflict, isGuessed, overallKind } from '../effects/conflicts.js';
import { asyncBodiesOf } from '../functions.js';
import { isPlainValue } from './independent-awaits.js';
import { calleeText, isFunctionLike, shortText, unwrap, walkOwn } from '../syntax.js';

/**
 * Awaits that are operands of one expression, evaluated one after the other: `{ a: await f(), b: await g() }`,
 * `new Room(await load('a'), await load('b'))`, `[await x(), await y()]`. Same independence test as statements
 * (data, effects); operands evaluated between them must be quiet. Short-circuit and conditional operands are never
 * grouped: whether they run at all depends on the earlier ones.
 */
export interface OperandAwait {
  readonly node: TSESTree.AwaitExpression;
  readonly effects: readonly Effect[];
  /** The property key (`seats`) or the awaited call (`getUsage(…)`). */
  readonly name: string;
  readonly label: string;
  readonly guessed: boolean;
}

export interface OperandGroup {
  readonly container: TSESTree.Node;
  readonly members: readonly OperandAwait[];
  readonly confidence: Confidence;
  /** The statement the group may be hoisted above, when that keeps the order of everything else. */
  readonly hoistBefore: TSESTree.Statement | undefined;
}

export interface OperandOptions {
  readonly reportUnknownEffects: boolean;
}

const cacheKey = factKey<Map<string, OperandGroup[]>>('overlap:independent-operands');

export function independentOperands(file: AnalyzedFile, options: OperandOptions): readonly OperandGroup[] {
  const cache = file.facts.get(cacheKey, () => new Map());
  const key = JSON.stringify(options);
  const cached = cache.get(key);
  if (cached) return cached;
  const out: OperandGroup[] = [];
  for (const body of asyncBodiesOf(file)) {
    walkOwn(body.type === 'Program' ? body : body.body, (node) => {
      const operands = operandsOf(node);
      if (operands && operands.filter((o) => o?.type === 'AwaitExpression').length >= 2) analyse(file, node, operands, options, out);
      return true;
    });
  }
  cache.set(key, out);
  return out;
}

/** The operands of a node in evaluation order, when they are evaluated unconditionally one after another. */
function operandsOf(node: TSESTree.Node): Array<TSESTree.Node | null> | undefined {
  switch (node.type) {
    case 'ObjectExpression':
      return node.properties.flatMap((p) => (p.type === 'Property' ? (p.computed ? [p.key, p.value] : [p.value]) : [p.argument]));
    case 'ArrayExpression':
      return node.elements.map((e) => (e?.type === 'SpreadElement' ? e.argument : e));
    case 'CallExpression':
    case 'NewExpression':
      return node.arguments.map((a) => (a.type === 'SpreadElement' ? a.argument : a));
    case 'TemplateLiteral':
      return node.expressions;
    case 'BinaryExpression':
      return [node.left, node.right];
    default:
      return undefined;
  }
}

function nameOf(file: AnalyzedFile, awaitNode: TSESTree.AwaitExpression): string {
  const parent = awaitNode.parent;
  if (parent?.type === 'Property' && parent.value === awaitNode && !parent.computed && parent.key.type === 'Identifier') return parent.key.name;
  const argument = unwrap(awaitNode.argument);
  const full = shortText(file.text, argument, 30);
  if (full.length <= 24 || (argument.type !== 'CallExpression' && argument.type !== 'NewExpression')) return full;
  return `${calleeText(file.text, argument)}(…)`;
}

function analyse(file: AnalyzedFile, container: TSESTree.Node, operands: Array<TSESTree.Node | null>, options: OperandOptions, out: OperandGroup[]): void {
  const items: Array<OperandAwait | 'quiet' | 'loud'> = operands.map((operand) => {
    if (!operand) return 'quiet';
    if (operand.type !== 'AwaitExpression') return isQuiet(file, operand) ? 'quiet' : 'loud';
    if (containsAwait(operand.argument) || isPlainValue(file, operand.argument)) return 'loud';
    const effects = effectsOfExpression(rootContext(file), operand.argument);
    const kind = overallKind(effects);
    if (kind === 'barrier' || (kind === 'unknown' && !options.reportUnknownEffects)) return 'loud';
    return { node: operand, effects, name: nameOf(file, operand), label: `await ${shortText(file.text, operand.argument, 36)}`, guessed: isGuessed(effects) };
  });
  let group: OperandAwait[] = [];
  const flush = (): void => {
    if (group.length >= 2) {
      out.push({ container, members: group, confidence: group.some((m) => m.guessed) ? 'medium' : 'high', hoistBefore: hoistTarget(file, container, group) });
    }
    group = [];
  };
  for (const item of items) {
    if (item === 'quiet') continue;
    if (item === 'loud') {
      flush();
      continue;
    }
    const dependent = group.some((earlier) =>
      dataDependency(accessOf(file, earlier.node.argument), accessOf(file, item.node.argument), bindingName) !== undefined ||
      effectConflict(earlier.effects, item.effects) !== undefined,
    );
    if (dependent) flush();
    group.push(item);
  }
  flush();
}

/**
 * The statement above which `const [a, b] = await Promise.all([…])` may go: the container must be evaluated
 * unconditionally by a plain statement of a block, and nothing in that statement evaluated before the last await
 * of the group may have an effect (it would now run after them).
 */
function hoistTarget(file: AnalyzedFile, container: TSESTree.Node, members: readonly OperandAwait[]): TSESTree.Statement | undefined {
  let node: TSESTree.Node = container;
  while (node.parent && !isStatement(node.parent)) {
    const parent: TSESTree.Node = node.parent;
    if (isFunctionLike(parent) || parent.type === 'ConditionalExpression' || parent.type === 'ChainExpression') return undefined;
    if (parent.type === 'LogicalExpression' && parent.right === node) return undefined;
    node = parent;
  }
  const statement = node.parent;
  if (!statement || !['ExpressionStatement', 'VariableDeclaration', 'ReturnStatement'].includes(statement.type)) return undefined;
  const list = statement.parent;
  if (!list || !['BlockStatement', 'Program', 'SwitchCase', 'StaticBlock'].includes(list.type)) return undefined;
  const lastEnd = members[members.length - 1]!.node.range[0];
  let loud = false;
  walkOwn(statement, (child) => {
    if (loud) return false;
    if (members.some((m) => m.node === child)) return false;
    if (child.range[0] >= lastEnd) return false;
    if (child.type === 'CallExpression' || child.type === 'NewExpression' || child.type === 'AwaitExpression' || child.type === 'AssignmentExpression' || child.type === 'UpdateExpression' || child.type === 'TaggedTemplateExpression') {
      // Only the parts evaluated before the awaits matter: a call containing the group is evaluated (called) after.
      const encloses = members.some((m) => child.range[0] <= m.node.range[0] && m.node.range[1] <= child.range[1]);
      if (encloses && (child.type === 'CallExpression' || child.type === 'NewExpression')) {
        if (!isQuiet(file, child.callee)) loud = true;
        return true;
      }
      if (!isQuiet(file, child)) loud = true;
      return false;
    }
    return true;
  });
  return loud ? undefined : (statement as TSESTree.Statement);
}

function isStatement(node: TSESTree.Node): boolean {
  return /Statement$|Declaration$/u.test(node.type) && node.type !== 'FunctionDeclaration' && node.type !== 'ClassDeclaration';
}
