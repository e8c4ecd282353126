import type { TSESTree } from '@typescript-eslint/types';
import type { AwaitItem, RunItem } from '../../analysis/awaits/control.js';
import type { AwaitFacts, Schedule } from '../../analysis/awaits/independent-awaits.js';
import type { TextEdit } from '../../model/fix.js';
import { endsWithSemicolon, freshName, indentUnit, lineIndent } from './layout.js';

/**
 * Writes a schedule out as statements, in this order: movable statements that need no await; the early awaits
 * started at once (one promise, or one `Promise.all` of them) with a no-op rejection handler, since nothing awaits
 * them while the chain runs and an unhandled rejection would crash Node; each stage (one await as it was, or
 * several with `Promise.all`) followed by the statements it completes; then the early awaits, awaited where their
 * rejection is still seen, and what uses them. A `return` that ended the run stays last.
 */
export function scheduleRewrite(text: string, schedule: Schedule, taken: Set<string>): TextEdit | undefined {
  const first = schedule.span[0]!.statement;
  const last = schedule.span[schedule.span.length - 1]!.statement;
  const indent = lineIndent(text, first.range[0]);
  const semi = endsWithSemicolon(text, first) ? ';' : '';
  const source = (node: TSESTree.Node): string => text.slice(node.range[0], node.range[1]);
  const pieces: string[] = [];
  const finalPieces: string[] = [];
  const push = (item: RunItem, piece: string): void => {
    (item.statement.type === 'ReturnStatement' ? finalPieces : pieces).push(piece);
  };
  for (const movable of schedule.top) pieces.push(source(movable.statement));

  let endPieces: Array<{ item: RunItem; text: string }> = [];
  if (schedule.early.length === 1) {
    const member = schedule.early[0]!;
    const name = freshName(taken, `${baseName(member)}Promise`);
    taken.add(name);
    pieces.push(`const ${name} = ${elementText(text, member.item.awaitNode.argument)}${semi}`, `${name}.catch(() => {})${semi}`);
    endPieces.push({ item: member.item, text: replaceRange(text, member.item.statement, member.item.awaitNode.argument, name) });
  } else if (schedule.early.length > 1) {
    const name = freshName(taken, 'started');
    taken.add(name);
    pieces.push(`const ${name} = ${promiseAll(schedule.early, text, indent)}${semi}`, `${name}.catch(() => {})${semi}`);
    const group = groupStatements(text, schedule.early, `await ${name}`, taken, semi);
    if (!group) return undefined;
    endPieces = group;
  }

  for (const [s, stage] of schedule.stages.entries()) {
    const moved: Array<{ item: RunItem; text: string }> = schedule.afterStage[s]!.map((m) => ({ item: m, text: source(m.statement) }));
    if (stage.length === 1) {
      push(stage[0]!.item, source(stage[0]!.item.statement));
      for (const m of moved) push(m.item, m.text);
      continue;
    }
    const group = groupStatements(text, stage, `await ${promiseAll(stage, text, indent)}`, taken, semi);
    if (!group) return undefined;
    const [head, ...rest] = group;
    push(head!.item, head!.text);
    for (const piece of [...rest, ...moved].sort((a, b) => a.item.statement.range[0] - b.item.statement.range[0])) push(piece.item, piece.text);
  }
  for (const piece of endPieces) push(piece.item, piece.text);
  for (const movable of schedule.end) push(movable, source(movable.statement));
  return { range: [first.range[0], last.range[1]], text: [...pieces, ...finalPieces].join(`\n${indent}`) };
}

/** `Promise.all([f(a), g(b)])`, on one line when it fits. */
export function promiseAll(members: readonly AwaitFacts[], text: string, indent: string): string {
  const elements = members.map((m) => elementText(text, m.item.awaitNode.argument));
  const oneLine = `Promise.all([${elements.join(', ')}])`;
  if (oneLine.length + indent.length <= 70 && !elements.some((e) => e.includes('\n'))) return oneLine;
  return `Promise.all([\n${elements.map((e) => `${indent}${indentUnit(indent)}${e},`).join('\n')}\n${indent}])`;
}

/**
 * Several awaits turned into one statement awaiting `awaited` (a `Promise.all` or an early promise) and what is left
 * of theirs: `const a = await f()` becomes a slot of `const [a, …]` (its statement goes); any other shape
 * (`x = await f()`, `const a = parse(await f())`, `let`, annotated, `return …`) gets a fresh slot and keeps its
 * statement with the await replaced by that name. The first element is the new statement; `undefined` when a shape
 * cannot be written so.
 */
export function groupStatements(
  text: string,
  members: readonly AwaitFacts[],
  awaited: string,
  taken: Set<string>,
  semi: string,
): Array<{ item: RunItem; text: string }> | undefined {
  const slots: string[] = [];
  const rest: Array<{ item: RunItem; text: string }> = [];
  for (const member of members) {
    const item = member.item;
    if (item.shape === 'expression') {
      slots.push('');
      continue;
    }
    if (item.shape === 'declare' && (item.statement as TSESTree.VariableDeclaration).kind === 'const' && !item.declarator!.id.typeAnnotation) {
      slots.push(text.slice(item.declarator!.id.range[0], item.declarator!.id.range[1]));
      continue;
    }
    const key = propertyKey(item.awaitNode);
    const name = freshName(taken, key ?? slotBase(member));
    taken.add(name);
    slots.push(name);
    const replaced = key === name
      ? replaceRange(text, item.statement, item.awaitNode.parent!, name) // `{ total: await count() }` becomes `{ total }`
      : replaceRange(text, item.statement, parenthesized(text, item.awaitNode), name);
    // `x = await f()` without a semicolon kept its ASI-safe form; a statement starting with `[` or `(` needs one.
    if (/^[[(`]/u.test(replaced) && !semi) return undefined;
    rest.push({ item, text: replaced });
  }
  while (slots.length > 0 && slots[slots.length - 1] === '') slots.pop();
  const head = slots.length === 0 ? `${awaited}${semi}` : `const [${slots.join(', ')}] = ${awaited}${semi}`;
  return [{ item: members[0]!.item, text: head }, ...rest];
}

/** `total` for `{ total: await count() }`: the key names the value. */
function propertyKey(node: TSESTree.AwaitExpression): string | undefined {
  const parent = node.parent;
  if (parent?.type !== 'Property' || parent.value !== node || parent.computed || parent.kind !== 'init' || parent.method || parent.shorthand) return undefined;
  return parent.key.type === 'Identifier' ? parent.key.name : undefined;
}

/** `(await f()).length`: the parentheses go with the await, so the result reads `value.length`. */
function parenthesized(text: string, node: TSESTree.AwaitExpression): TSESTree.Node {
  const parent = node.parent;
  if (parent?.type !== 'MemberExpression' || parent.object !== node) return node;
  let start = node.range[0];
  let end = node.range[1];
  while (/\s/u.test(text[start - 1] ?? '')) start--;
  while (/\s/u.test(text[end] ?? '')) end++;
  if (text[start - 1] !== '(' || text[end] !== ')') return node;
  return { ...node, range: [start - 1, end + 1] } as TSESTree.Node;
}

function replaceRange(text: string, statement: TSESTree.Node, target: TSESTree.Node, replacement: string): string {
  return text.slice(statement.range[0], target.range[0]) + replacement + text.slice(target.range[1], statement.range[1]);
}

function elementText(text: string, argument: TSESTree.Expression): string {
  const raw = text.slice(argument.range[0], argument.range[1]);
  return argument.type === 'SequenceExpression' ? `(${raw})` : raw;
}

const verbPrefix = /^(?:get|fetch|load|read|find|list|resolve|query|lookup|count|compute|calculate)(?=[A-Z])/u;

function calleeBase(argument: TSESTree.Expression): string {
  let node: TSESTree.Node = argument;
  if (node.type === 'CallExpression') node = node.callee;
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.type === 'Identifier') return node.name;
  return 'pending';
}

function baseName(member: AwaitFacts): string {
  const item: AwaitItem = member.item;
  if ((item.shape === 'declare' || item.shape === 'nested') && item.statement.type === 'VariableDeclaration') {
    const id = item.statement.declarations[0]!.id;
    if (id.type === 'Identifier') return id.name;
  }
  return calleeBase(item.awaitNode.argument);
}

/** A name for a fresh slot: the declared name plus `Result` for nested shapes, else the call's noun. */
function slotBase(member: AwaitFacts): string {
  const item = member.item;
  if (item.shape === 'declare' && item.declarator!.id.type === 'Identifier') return `${item.declarator!.id.name}Value`;
  const callee = calleeBase(item.awaitNode.argument).replace(verbPrefix, '');
  const base = callee.charAt(0).toLowerCase() + callee.slice(1);
  return /^[A-Za-z_$][\w$]*$/u.test(base) && base !== 'pending' ? base : 'value';
}
