import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { Scope, ScopeManager, Variable } from '@typescript-eslint/scope-manager';
import { contains, textOf, unwrap } from '../syntax.js';

/** Small syntax helpers used by the shared-state race analyses (concurrency context, shared state, state events). */

export type FunctionNode =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

export function isFunctionNode(node: TSESTree.Node | undefined | null): node is FunctionNode {
  return (
    node?.type === AST_NODE_TYPES.FunctionDeclaration ||
    node?.type === AST_NODE_TYPES.FunctionExpression ||
    node?.type === AST_NODE_TYPES.ArrowFunctionExpression
  );
}

/** The nearest function around `node` (not `node` itself), or undefined at module level. */
export function enclosingFunction(node: TSESTree.Node): FunctionNode | undefined {
  let current = node.parent;
  while (current) {
    if (isFunctionNode(current)) return current;
    current = current.parent;
  }
  return undefined;
}


/** `a.b` or `a['b']` property name when it is static. */
export function staticPropertyName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed) {
    return node.property.type === AST_NODE_TYPES.PrivateIdentifier ? `#${node.property.name}` : (node.property as TSESTree.Identifier).name;
  }
  if (node.property.type === AST_NODE_TYPES.Literal && (typeof node.property.value === 'string' || typeof node.property.value === 'number')) {
    return String(node.property.value);
  }
  return undefined;
}

/** The called name of a call: `foo` for `foo()`, `on` for `emitter.on()`, `all` for `Promise.all()`. */
export function calleeName(call: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  if (callee.type === AST_NODE_TYPES.MemberExpression) return staticPropertyName(callee);
  return undefined;
}

/** The object a method is called on, as a short name: `app` for `app.get()`, `router` for `this.router.post()`. */
export function calleeObjectName(call: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const object = unwrap(callee.object);
  if (object.type === AST_NODE_TYPES.Identifier) return object.name;
  if (object.type === AST_NODE_TYPES.MemberExpression) return staticPropertyName(object);
  if (object.type === AST_NODE_TYPES.CallExpression) return calleeName(object);
  return undefined;
}

/** The innermost scope that contains `node`. */
export function scopeOf(scopeManager: ScopeManager, node: TSESTree.Node): Scope | undefined {
  let current: TSESTree.Node | undefined = node;
  while (current) {
    const scope = scopeManager.acquire(current, true);
    if (scope) {
      // A function's own name scope and its parameters live in the function scope; `acquire(fn, true)` gives it.
      return scope;
    }
    current = current.parent;
  }
  return scopeManager.globalScope ?? undefined;
}

/** Resolves an identifier to its variable by name through the scope chain; undefined for implicit globals. */
export function findVariable(scopeManager: ScopeManager, identifier: TSESTree.Identifier): Variable | undefined {
  let scope: Scope | null | undefined = scopeOf(scopeManager, identifier);
  while (scope) {
    const variable = scope.set.get(identifier.name);
    if (variable) return variable;
    scope = scope.upper;
  }
  return undefined;
}

/** The function whose body declares `variable`, or undefined for module-level and global variables. */
export function declaringFunction(variable: Variable): FunctionNode | undefined {
  const block = variable.scope.variableScope.block;
  if (isFunctionNode(block)) return block;
  return undefined;
}

export function isModuleLevel(variable: Variable): boolean {
  const scope = variable.scope.variableScope;
  // CommonJS files get a function scope whose block is the Program (Node's module wrapper): still module level.
  return scope.type === 'module' || scope.type === 'global' || scope.block.type === AST_NODE_TYPES.Program;
}


/** True when the statement always leaves the enclosing block (return, throw, or a block ending so). */
export function alwaysExits(statement: TSESTree.Node | null | undefined): boolean {
  if (!statement) return false;
  switch (statement.type) {
    case AST_NODE_TYPES.ReturnStatement:
    case AST_NODE_TYPES.ThrowStatement:
      return true;
    case AST_NODE_TYPES.BlockStatement:
      return statement.body.length > 0 && alwaysExits(statement.body[statement.body.length - 1]);
    case AST_NODE_TYPES.IfStatement:
      return alwaysExits(statement.consequent) && alwaysExits(statement.alternate);
    default:
      return false;
  }
}

function branchOf(ancestor: TSESTree.Node, node: TSESTree.Node): TSESTree.Node | undefined {
  if (ancestor.type === AST_NODE_TYPES.IfStatement || ancestor.type === AST_NODE_TYPES.ConditionalExpression) {
    if (contains(ancestor.consequent, node)) return ancestor.consequent;
    if (ancestor.alternate && contains(ancestor.alternate, node)) return ancestor.alternate;
  }
  if (ancestor.type === AST_NODE_TYPES.SwitchStatement) {
    return ancestor.cases.find((c) => contains(c, node));
  }
  return undefined;
}

/** True when `a` and `b` sit in different branches of one `if`, `?:` or `switch`, so one run never sees both. */
export function exclusive(a: TSESTree.Node, b: TSESTree.Node): boolean {
  let current: TSESTree.Node | undefined = a.parent;
  while (current) {
    if (contains(current, b)) {
      const branchA = branchOf(current, a);
      const branchB = branchOf(current, b);
      return branchA !== undefined && branchB !== undefined && branchA !== branchB;
    }
    current = current.parent;
  }
  return false;
}

/**
 * True when execution cannot flow from `from` to the later node `to`: `from` sits in a block that ends in a
 * return or throw which `to` is not part of (`if (x) { await f(); return; } write()`).
 */
export function exitsBefore(from: TSESTree.Node, to: TSESTree.Node): boolean {
  let current: TSESTree.Node | undefined = from.parent;
  while (current && !contains(current, to)) {
    if (current.type === AST_NODE_TYPES.BlockStatement && alwaysExits(current)) return true;
    if ((current.type === AST_NODE_TYPES.ReturnStatement || current.type === AST_NODE_TYPES.ThrowStatement)) return true;
    current = current.parent;
  }
  return false;
}

/** Line of a node, 1-based, for messages. */
export function lineOf(node: TSESTree.Node): number {
  return node.loc.start.line;
}

/** A short one-line rendering of source for messages: first line, at most 40 characters. */
export function shortText(text: string, node: { range: readonly [number, number] }): string {
  const raw = textOf(text, node).replace(/\s+/gu, ' ').trim();
  return raw.length > 40 ? `${raw.slice(0, 37)}...` : raw;
}
