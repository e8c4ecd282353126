import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { containsAwait } from './await-points.js';
import { resolveCallee } from '../effects/callee.js';
import { resolveIdentifier } from '../references.js';
import { memberName, unwrap, walk, walkOwn, isFunctionLike } from '../syntax.js';

/**
 * Straight-line runs: stretches of one statement list that always execute together, in order, with no branch,
 * loop, `try`, `return` or call with unseen effects between them. Awaits in different branches of an `if`, in a
 * `try` and its `catch`, or on either side of a guard (`if (!user) throw …`) are never in the same run, so an
 * exclusive branch, a fallback or a guard can never be grouped.
 */
export type AwaitShape = 'declare' | 'assign' | 'expression' | 'nested';

export interface AwaitItem {
  readonly kind: 'await';
  readonly statement: TSESTree.Statement;
  readonly awaitNode: TSESTree.AwaitExpression;
  readonly shape: AwaitShape;
  /** `declare`: the declarator; `assign`: the assignment. */
  readonly declarator?: TSESTree.VariableDeclarator;
  readonly assignment?: TSESTree.AssignmentExpression;
  /**
   * `nested`: the statement's only await sits inside an expression (`const a = parse(await f())`,
   * `links.push(await g())`, `total += await count()`, `return { total: await count() }`). Everything the statement
   * evaluates before the await is quiet; what it evaluates after (`sideEffects`) may have effects and runs after
   * the whole group in a rewrite.
   */
  readonly sideEffects?: boolean;
}

/**
 * A statement without awaits that may move with a rewrite: quiet (`const key = \`user:${id}\``), or synchronous work
 * on the function's own locals and logging (`count++`, `seen.push(id)`, `log.debug(…)`), which cannot throw as a
 * guard and which no other code sees; data dependencies keep it on the right side of the awaits it touches.
 */
export interface MovableItem {
  readonly kind: 'movable';
  readonly statement: TSESTree.Statement;
  /** Work with an effect (a log line, a local update): it stays after the awaits before it unless a later one needs it. */
  readonly sync?: boolean;
}

export type RunItem = AwaitItem | MovableItem;

export function straightLineRuns(file: AnalyzedFile, list: readonly TSESTree.Statement[]): RunItem[][] {
  const runs: RunItem[][] = [];
  let current: RunItem[] = [];
  const close = (): void => {
    if (current.some((item) => item.kind === 'await')) runs.push(current);
    current = [];
  };
  for (const statement of list) {
    const item = classifyStatement(file, statement);
    if (item) current.push(item);
    else close();
    // Nothing after a `return` runs: it ends the run, and a rewrite must keep it last.
    if (item && statement.type === 'ReturnStatement') close();
  }
  close();
  return runs;
}

/** What a statement is to a straight-line run: an await, a movable statement, or `undefined` (it ends the run). */
export function classifyStatement(file: AnalyzedFile, statement: TSESTree.Statement): RunItem | undefined {
  if (statement.type === 'VariableDeclaration') {
    if (statement.kind !== 'const' && statement.kind !== 'let' && statement.kind !== 'var') return undefined;
    const only = statement.declarations.length === 1 ? statement.declarations[0]! : undefined;
    if (only?.init?.type === 'AwaitExpression' && !containsAwait(only.init.argument) && !containsAwait(only.id)) {
      return { kind: 'await', statement, awaitNode: only.init, shape: 'declare', declarator: only };
    }
    if (statement.declarations.every((d) => (!d.init || isQuiet(file, d.init)) && !containsAwait(d.id))) return { kind: 'movable', statement };
    return nestedItem(file, statement);
  }
  if (statement.type === 'ExpressionStatement') {
    const expression = statement.expression;
    if (expression.type === 'AwaitExpression' && !containsAwait(expression.argument)) {
      return { kind: 'await', statement, awaitNode: expression, shape: 'expression' };
    }
    if (
      expression.type === 'AssignmentExpression' && expression.operator === '=' && expression.right.type === 'AwaitExpression' &&
      !containsAwait(expression.right.argument) && !containsAwait(expression.left)
    ) {
      return { kind: 'await', statement, awaitNode: expression.right, shape: 'assign', assignment: expression };
    }
    if (!containsAwait(expression) && isLocalSync(file, statement, expression)) return { kind: 'movable', statement, sync: true };
    return nestedItem(file, statement);
  }
  if (statement.type === 'ReturnStatement') return statement.argument ? nestedItem(file, statement) : undefined;
  if (
    statement.type === 'FunctionDeclaration' || statement.type === 'EmptyStatement' ||
    statement.type === 'TSTypeAliasDeclaration' || statement.type === 'TSInterfaceDeclaration'
  ) {
    return { kind: 'movable', statement };
  }
  return undefined;
}

const quietGlobals = new Set(['String', 'Number', 'Boolean', 'BigInt', 'parseInt', 'parseFloat', 'encodeURIComponent', 'encodeURI', 'decodeURIComponent', 'isNaN', 'Symbol']);
const quietStatics = new Set(['JSON', 'Math', 'Object', 'Array', 'Number', 'String']);
const quietMethods = new Set([
  'trim', 'toString', 'toLowerCase', 'toUpperCase', 'split', 'join', 'slice', 'concat', 'includes', 'startsWith',
  'endsWith', 'padStart', 'padEnd', 'replace', 'replaceAll', 'toFixed', 'toISOString', 'at', 'indexOf', 'substring',
  'trimStart', 'trimEnd', 'charAt', 'toJSON', 'valueOf',
]);

/**
 * An expression we may evaluate a little earlier or later without anyone noticing: literals, names, members,
 * templates, operators, function values, and calls of pure built-ins (`String(id)`, `JSON.stringify(x)`,
 * `path.join(dir, f)`, `name.trim()`).
 */
export function isQuiet(file: AnalyzedFile, expression: TSESTree.Node): boolean {
  let quiet = true;
  walk(expression, (node) => {
    if (!quiet) return false;
    if (isFunctionLike(node) || node.type === 'ClassExpression') return false;
    switch (node.type) {
      case 'AwaitExpression':
      case 'YieldExpression':
      case 'AssignmentExpression':
      case 'UpdateExpression':
      case 'NewExpression':
      case 'TaggedTemplateExpression':
      case 'ImportExpression':
        quiet = false;
        return false;
      case 'UnaryExpression':
        if (node.operator === 'delete') quiet = false;
        return quiet;
      case 'CallExpression':
        quiet = isQuietCall(file, node);
        return quiet;
      default:
        return true;
    }
  });
  return quiet;
}

export function isQuietCall(file: AnalyzedFile, call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  if (callee.type === 'Identifier') {
    const target = resolveCallee(file, callee);
    return target.kind === 'global' && quietGlobals.has(callee.name);
  }
  if (callee.type !== 'MemberExpression') return false;
  const name = memberName(callee) ?? '';
  const object = unwrap(callee.object);
  if (object.type === 'Identifier' && quietStatics.has(object.name) && resolveCallee(file, object).kind === 'global') {
    return !['assign', 'defineProperty', 'setPrototypeOf', 'freeze'].includes(name);
  }
  const target = resolveCallee(file, callee);
  if (target.kind === 'module' && (target.module === 'path' || target.module === 'url' || target.module === 'querystring')) return true;
  return quietMethods.has(name);
}

/**
 * A statement whose only await is nested in an expression that always evaluates it: not under `||`, `&&`, `??`,
 * `?:`, an optional chain, a default value or a nested function. What the statement evaluates before the await
 * must be quiet, so that starting the awaited call earlier changes no other order.
 */
function nestedItem(file: AnalyzedFile, statement: TSESTree.Statement): AwaitItem | undefined {
  const awaits: TSESTree.Node[] = [];
  walkOwn(statement, (node) => {
    if (node.type === 'AwaitExpression' || node.type === 'YieldExpression' || (node.type === 'ForOfStatement' && node.await)) awaits.push(node);
    if (node !== statement && (isFunctionLike(node) || node.type === 'ClassBody' || node.type === 'ClassExpression')) return false;
    return true;
  });
  if (awaits.length !== 1 || awaits[0]!.type !== 'AwaitExpression') return undefined;
  const awaitNode = awaits[0];
  if (containsAwait(awaitNode.argument)) return undefined;
  for (let child: TSESTree.Node = awaitNode; child.parent && child !== statement; child = child.parent) {
    const parent: TSESTree.Node = child.parent;
    if (parent.type === 'ConditionalExpression' && parent.test !== child) return undefined;
    if (parent.type === 'LogicalExpression' && parent.right === child) return undefined;
    if (parent.type === 'AssignmentExpression' && parent.right === child && parent.operator !== '=' && /^(?:\|\||&&|\?\?)=$/u.test(parent.operator)) return undefined;
    if (parent.type === 'ChainExpression' || parent.type === 'AssignmentPattern' || parent.type === 'TaggedTemplateExpression') return undefined;
    if (parent.type === 'VariableDeclarator' && parent.id === child) return undefined;
  }
  if (statement.type === 'VariableDeclaration' && statement.declarations.length !== 1) return undefined;
  let loudBefore = false;
  let sideEffects = false;
  const start = awaitNode.range[0];
  walkOwn(statement, (child) => {
    if (loudBefore) return false;
    if (child === awaitNode) return false;
    const encloses = child.range[0] <= start && awaitNode.range[1] <= child.range[1];
    if (encloses) {
      if (child.type === 'CallExpression' || child.type === 'NewExpression') {
        // The callee is evaluated before the arguments; the call itself runs after the await. A callee holding the
        // await (`(await f()).split('\n')`) is walked into instead.
        const calleeHolds = child.callee.range[0] <= start && awaitNode.range[1] <= child.callee.range[1];
        if (calleeHolds) {
          for (const argument of child.arguments) if (!isQuiet(file, argument)) sideEffects = true;
          if (!isQuietCall(file, child as TSESTree.CallExpression)) sideEffects = true;
          return true;
        }
        if (!isQuiet(file, child.callee)) loudBefore = true;
        const method = unwrap(child.callee).type === 'MemberExpression' ? memberName(unwrap(child.callee) as TSESTree.MemberExpression) : undefined;
        // Filling a collection with the result (`links.push(await f())`) is ordered by data dependencies, not a hidden effect.
        if (!isQuietCall(file, child as TSESTree.CallExpression) && !localMutators.has(method ?? '')) sideEffects = true;
        for (const argument of child.arguments) if (argument.range[1] <= start && !isQuiet(file, argument)) loudBefore = true;
        for (const argument of child.arguments) if (argument.range[0] > awaitNode.range[1] && !isQuiet(file, argument)) sideEffects = true;
        return !loudBefore;
      }
      if (child.type === 'AssignmentExpression' || child.type === 'UpdateExpression') sideEffects = sideEffects || child.type === 'UpdateExpression' || unwrap((child as TSESTree.AssignmentExpression).left).type !== 'Identifier';
      return true;
    }
    if (child.range[1] <= start) {
      if (!isQuiet(file, child)) loudBefore = true;
      return false;
    }
    if (!isQuiet(file, child)) sideEffects = true;
    return false;
  });
  if (loudBefore) return undefined;
  return { kind: 'await', statement, awaitNode, shape: 'nested', sideEffects };
}

const loggerNames = /^(?:console|log|logger|debug|_?log)$/u;
const localMutators = new Set(['push', 'unshift', 'set', 'add', 'delete', 'append']);

/**
 * Synchronous work no one else can see: assignments and updates of the function's own locals, pushes into them,
 * and logging, all with quiet operands. Such a statement cannot throw as a guard, so awaits on either side of it
 * may still run together.
 */
function isLocalSync(file: AnalyzedFile, statement: TSESTree.ExpressionStatement, expression: TSESTree.Expression): boolean {
  const fn = enclosingFunction(statement);
  const isLocal = (target: TSESTree.Node): boolean => {
    let root = unwrap(target);
    const member = root.type === 'MemberExpression';
    while (root.type === 'MemberExpression') root = unwrap(root.object);
    if (root.type !== 'Identifier' || !fn) return false;
    const variable = resolveIdentifier(file, root);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (def?.type !== 'Variable' || def.name.range[0] < fn.range[0] || def.name.range[1] > fn.range[1]) return false;
    if (!member) return true;
    // Mutating an object: only one this function made itself (`[]`, `{}`, `new Map()`), not an alias of shared state.
    const init = (def.node as TSESTree.VariableDeclarator).init;
    const fresh = init ? unwrap(init) : undefined;
    return fresh?.type === 'ArrayExpression' || fresh?.type === 'ObjectExpression' ||
      (fresh?.type === 'NewExpression' && fresh.callee.type === 'Identifier' && ['Map', 'Set', 'Array', 'Object', 'WeakMap', 'WeakSet'].includes(fresh.callee.name));
  };
  const inner = unwrap(expression);
  if (inner.type === 'AssignmentExpression') return isLocal(inner.left) && isQuiet(file, inner.right) && quietTarget(file, inner.left);
  if (inner.type === 'UpdateExpression') return isLocal(inner.argument) && quietTarget(file, inner.argument);
  if (inner.type !== 'CallExpression' || unwrap(inner.callee).type !== 'MemberExpression') return false;
  const callee = unwrap(inner.callee) as TSESTree.MemberExpression;
  if (!inner.arguments.every((a) => isQuiet(file, a.type === 'SpreadElement' ? a.argument : a))) return false;
  const object = unwrap(callee.object);
  if (object.type === 'Identifier' && loggerNames.test(object.name)) {
    const target = resolveCallee(file, object);
    return object.name === 'console' ? target.kind === 'global' : true;
  }
  return localMutators.has(memberName(callee) ?? '') && isLocal(callee.object) && isQuiet(file, callee.object);
}

function quietTarget(file: AnalyzedFile, target: TSESTree.Node): boolean {
  const inner = unwrap(target);
  return inner.type === 'Identifier' || (inner.type === 'MemberExpression' && isQuiet(file, inner));
}

function enclosingFunction(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (isFunctionLike(current)) return current;
  return undefined;
}
