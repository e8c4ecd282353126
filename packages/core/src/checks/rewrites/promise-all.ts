import type { TSESTree } from '@typescript-eslint/types';
import type { AwaitItem } from '../../analysis/awaits/control.js';
import type { ConcurrentGroup, EarlyStart } from '../../analysis/awaits/independent-awaits.js';
import type { GuardedStart } from '../../analysis/awaits/guarded-starts.js';
import type { OperandGroup } from '../../analysis/awaits/independent-operands.js';
import type { TextEdit } from '../../model/fix.js';
import { groupStatements, promiseAll } from './schedule.js';
import { commentsBetween, endsWithSemicolon, freshName, indentUnit, lineIndent } from './layout.js';

/**
 * `const a = await f(); const b = await g();` becomes `const [a, b] = await Promise.all([f(), g()]);`, keeping the
 * declaration kind, destructuring patterns, type annotations (as a tuple type) and comments. Statements between the
 * awaits move above (when they use no result) or below. `undefined` when the group cannot be written as one
 * statement (a declaration mixed with an assignment, `var` mixed with `let`, some but not all annotated).
 */
export function promiseAllRewrite(text: string, group: ConcurrentGroup, taken: Set<string>): TextEdit | undefined {
  const items = group.members.map((m) => m.item);
  const first = group.span[0]!.statement;
  const last = group.span[group.span.length - 1]!.statement;
  const indent = lineIndent(text, first.range[0]);
  const semi = endsWithSemicolon(text, first) ? ';' : '';
  if (items.some((item) => item.shape === 'nested')) {
    // Awaits inside expressions: await them together first, then run their statements in order on the results.
    const statements = groupStatements(text, group.members, `await ${promiseAll(group.members, text, indent)}`, taken, semi);
    if (!statements) return undefined;
    const [head, ...rest] = statements;
    const after = [...rest, ...group.after.map((m) => ({ item: m, text: text.slice(m.statement.range[0], m.statement.range[1]) }))]
      .sort((a, b) => a.item.statement.range[0] - b.item.statement.range[0]);
    const lines = [...group.before.map((m) => text.slice(m.statement.range[0], m.statement.range[1])), head!.text, ...after.map((a) => a.text)];
    return { range: [first.range[0], last.range[1]], text: lines.join(`\n${indent}`) };
  }
  const head = headOf(text, items, semi);
  if (head === undefined) return undefined;
  const elements = items.map((item) => elementText(text, item.awaitNode.argument));
  const oneLine = `${head.prefix}await Promise.all([${elements.join(', ')}])${semi}`;
  const unit = indentUnit(indent);
  const statement =
    oneLine.length + indent.length <= 100 && !elements.some((e) => e.includes('\n'))
      ? oneLine
      : `${head.prefix}await Promise.all([\n${elements.map((e) => `${indent}${unit}${e},`).join('\n')}\n${indent}])${semi}`;
  const comments: string[] = [];
  for (let k = 1; k < group.span.length; k++) {
    const gap = commentsBetween(text, group.span[k - 1]!.statement.range[1], group.span[k]!.statement.range[0]);
    if (gap) comments.push(gap);
  }
  const lines = [
    ...group.before.map((m) => text.slice(m.statement.range[0], m.statement.range[1])),
    ...comments,
    statement,
    ...group.after.map((m) => text.slice(m.statement.range[0], m.statement.range[1])),
  ];
  return { range: [first.range[0], last.range[1]], text: lines.join(`\n${indent}`) };
}

function elementText(text: string, argument: TSESTree.Expression): string {
  const raw = text.slice(argument.range[0], argument.range[1]);
  return argument.type === 'SequenceExpression' ? `(${raw})` : raw;
}

function headOf(text: string, items: readonly AwaitItem[], semi: string): { prefix: string } | undefined {
  const declares = items.filter((i) => i.shape === 'declare');
  const assigns = items.filter((i) => i.shape === 'assign');
  if (declares.length > 0 && assigns.length > 0) return undefined;
  if (declares.length === 0 && assigns.length === 0) return { prefix: '' };
  const slots = items.map((item) => {
    if (item.shape === 'declare') return patternText(text, item.declarator!.id);
    if (item.shape === 'assign') return text.slice(item.assignment!.left.range[0], item.assignment!.left.range[1]);
    return '';
  });
  while (slots.length > 0 && slots[slots.length - 1] === '') slots.pop();
  const pattern = `[${slots.join(', ')}]`;
  if (assigns.length > 0) return { prefix: `${semi ? '' : ';'}${pattern} = ` };
  const kinds = new Set(declares.map((i) => (i.statement as TSESTree.VariableDeclaration).kind));
  if (kinds.has('var') && kinds.size > 1) return undefined;
  const kind = kinds.has('var') ? 'var' : kinds.has('let') ? 'let' : 'const';
  const annotated = declares.filter((i) => i.declarator!.id.typeAnnotation);
  if (annotated.length > 0 && annotated.length < declares.length) return undefined;
  let annotation = '';
  if (annotated.length > 0) {
    const types = items.slice(0, slots.length).map((item) => {
      const typeAnnotation = item.shape === 'declare' ? item.declarator!.id.typeAnnotation : undefined;
      return typeAnnotation ? text.slice(typeAnnotation.typeAnnotation.range[0], typeAnnotation.typeAnnotation.range[1]) : 'unknown';
    });
    annotation = `: [${types.join(', ')}]`;
  }
  return { prefix: `${kind} ${pattern}${annotation} = ` };
}

/** A binding pattern's text without its type annotation. */
function patternText(text: string, id: TSESTree.BindingName): string {
  const end = id.typeAnnotation ? id.typeAnnotation.range[0] : id.range[1];
  return text.slice(id.range[0], end).trimEnd().replace(/\?$/u, '');
}

/**
 * Starts the independent promise before the chain it does not need, and awaits it where it was awaited. The
 * promise gets a no-op rejection handler at once: if the chain throws first, nobody awaits the promise, and an
 * unhandled rejection would crash Node. The `await` still sees the rejection.
 */
export function earlyStartRewrite(text: string, early: EarlyStart, taken: ReadonlySet<string>): TextEdit[] {
  const item = early.member.item;
  const indent = lineIndent(text, early.startAt.range[0]);
  const semi = endsWithSemicolon(text, early.startAt) ? ';' : '';
  const base = item.shape === 'declare' && item.declarator!.id.type === 'Identifier' ? item.declarator!.id.name : calleeBase(item.awaitNode.argument);
  const name = freshName(taken, `${base}Promise`);
  const argument = elementText(text, item.awaitNode.argument);
  const start = `const ${name} = ${argument}${semi}\n${indent}${name}.catch(() => {})${semi}\n${indent}`;
  return [
    { range: [early.startAt.range[0], early.startAt.range[0]], text: start },
    { range: [item.awaitNode.argument.range[0], item.awaitNode.argument.range[1]], text: name },
  ];
}

/**
 * Starts each cheap read before the first await it does not need (and before the guards after it), and awaits it
 * where it was awaited, so a guard that leaves early still leaves before the value is used. Each promise gets a
 * no-op rejection handler at once: when the guard leaves first, nobody awaits it.
 */
export function guardedStartRewrite(text: string, guarded: GuardedStart, taken: ReadonlySet<string>): TextEdit[] {
  const indent = lineIndent(text, guarded.startAt.range[0]);
  const semi = endsWithSemicolon(text, guarded.startAt) ? ';' : '';
  const names = new Set(taken);
  const starts: string[] = [];
  const replacements: TextEdit[] = [];
  for (const member of guarded.members) {
    const item = member.item;
    const base = item.shape === 'declare' && item.declarator!.id.type === 'Identifier' ? item.declarator!.id.name : calleeBase(item.awaitNode.argument);
    const name = freshName(names, `${base}Promise`);
    names.add(name);
    starts.push(`const ${name} = ${elementText(text, item.awaitNode.argument)}${semi}\n${indent}${name}.catch(() => {})${semi}\n${indent}`);
    replacements.push({ range: [item.awaitNode.argument.range[0], item.awaitNode.argument.range[1]], text: name });
  }
  return [{ range: [guarded.startAt.range[0], guarded.startAt.range[0]], text: starts.join('') }, ...replacements];
}

function calleeBase(argument: TSESTree.Expression): string {
  let node: TSESTree.Node = argument;
  if (node.type === 'CallExpression') node = node.callee;
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.type === 'Identifier') return node.name;
  return 'pending';
}

/**
 * `return { a: await f(), b: await g() }` becomes `const [a, b] = await Promise.all([f(), g()]);` above the statement
 * and `return { a: a, b: b }`. Only offered when nothing else in the statement ran before the awaits (see
 * `hoistTarget`), so the rewrite changes no order but theirs.
 */
export function hoistOperandsRewrite(text: string, group: OperandGroup, taken: ReadonlySet<string>): TextEdit[] | undefined {
  const statement = group.hoistBefore;
  if (!statement) return undefined;
  const indent = lineIndent(text, statement.range[0]);
  const semi = endsWithSemicolon(text, statement) ? ';' : '';
  const names: string[] = [];
  for (const member of group.members) {
    const base = operandBaseName(member.node);
    let name = freshName(taken, base);
    for (let n = 2; names.includes(name); n++) name = freshName(taken, `${base}${n}`);
    names.push(name);
  }
  const elements = group.members.map((m) => elementText(text, m.node.argument));
  const oneLine = `const [${names.join(', ')}] = await Promise.all([${elements.join(', ')}])${semi}`;
  const declaration = oneLine.length + indent.length <= 100 && !elements.some((e) => e.includes('\n'))
    ? oneLine
    : `const [${names.join(', ')}] = await Promise.all([\n${elements.map((e) => `${indent}${indentUnit(indent)}${e},`).join('\n')}\n${indent}])${semi}`;
  return [
    { range: [statement.range[0], statement.range[0]], text: `${declaration}\n${indent}` },
    ...group.members.map((m, i) => {
      // `{ user: await getUser() }` becomes `{ user }` when the new name is the key.
      const parent = m.node.parent;
      const shorthand = parent?.type === 'Property' && parent.value === m.node && !parent.computed && parent.kind === 'init' &&
        !parent.method && parent.key.type === 'Identifier' && parent.key.name === names[i];
      const range = shorthand ? parent.range : m.node.range;
      return { range: [range[0], range[1]] as const, text: names[i]! };
    }),
  ];
}

const verbPrefix = /^(?:get|fetch|load|read|find|list|resolve|query|lookup|count|compute|calculate)(?=[A-Z])/u;

function operandBaseName(node: TSESTree.AwaitExpression): string {
  const parent = node.parent;
  if (parent?.type === 'Property' && parent.value === node && !parent.computed && parent.key.type === 'Identifier') return parent.key.name;
  const callee = calleeBase(node.argument);
  // `store.get('collection')`: the key names the value better than the verb does.
  const argument = node.argument.type === 'CallExpression' ? node.argument.arguments[0] : undefined;
  const key = argument?.type === 'Literal' && typeof argument.value === 'string' ? argument.value : undefined;
  if (key !== undefined && /^[A-Za-z_$][\w$]*$/u.test(key) && /^(?:get|fetch|load|read|find|hget|getItem)$/u.test(callee)) return key;
  const stripped = callee.replace(verbPrefix, '');
  const base = stripped.charAt(0).toLowerCase() + stripped.slice(1);
  return /^[A-Za-z_$][\w$]*$/u.test(base) && base !== 'pending' ? base : 'value';
}
