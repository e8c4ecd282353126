import type { TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../engine/analyzed-file.js';
import { containsAwait } from './await-points.js';
import { resolveCallee } from './effects/callee.js';
import { memberName, unwrap, walk, isFunctionLike } from './syntax.js';

/**
 * Straight-line runs: stretches of one statement list that always execute together, in order, with no branch,
 * loop, `try`, `return` or call with unseen effects between them. Awaits in different branches of an `if`, in a
 * `try` and its `catch`, or on either side of a guard (`if (!user) throw …`) are never in the same run, so an
 * exclusive branch, a fallback or a guard can never be grouped.
 */
export type AwaitShape = 'declare' | 'assign' | 'expression';

export interface AwaitItem {
  readonly kind: 'await';
  readonly statement: TSESTree.Statement;
  readonly awaitNode: TSESTree.AwaitExpression;
  readonly shape: AwaitShape;
  /** `declare`: the declarator; `assign`: the assignment. */
  readonly declarator?: TSESTree.VariableDeclarator;
  readonly assignment?: TSESTree.AssignmentExpression;
}

/** A statement without awaits or visible effects (`const key = \`user:${id}\``) that may move with a rewrite. */
export interface MovableItem {
  readonly kind: 'movable';
  readonly statement: TSESTree.Statement;
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
  }
  close();
  return runs;
}

function classifyStatement(file: AnalyzedFile, statement: TSESTree.Statement): RunItem | undefined {
  if (statement.type === 'VariableDeclaration') {
    if (statement.kind !== 'const' && statement.kind !== 'let' && statement.kind !== 'var') return undefined;
    const only = statement.declarations.length === 1 ? statement.declarations[0]! : undefined;
    if (only?.init?.type === 'AwaitExpression' && !containsAwait(only.init.argument) && !containsAwait(only.id)) {
      return { kind: 'await', statement, awaitNode: only.init, shape: 'declare', declarator: only };
    }
    if (statement.declarations.every((d) => (!d.init || isQuiet(file, d.init)) && !containsAwait(d.id))) return { kind: 'movable', statement };
    return undefined;
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
    return undefined;
  }
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

function isQuietCall(file: AnalyzedFile, call: TSESTree.CallExpression): boolean {
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
