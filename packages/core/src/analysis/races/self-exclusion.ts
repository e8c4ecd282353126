import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import { isLockCall, isStartUpMethod, thisCallsIn } from './concurrency-context.js';
import { enclosingFunction, isFunctionNode, type FunctionNode } from './race-ast.js';
import { unwrap, walkOwn } from '../syntax.js';

/**
 * Evidence that the executions of one function exclude each other although it holds no lock of its own, so a value
 * it reads before a wait cannot be changed during the wait by another execution of the same function.
 */

/**
 * A phase claimed before the first wait: `if (this.state !== 'idle') return; this.state = 'connecting'; await
 * this.open(); ...`. The test and the write run in one synchronous step, so a later caller sees the claimed phase
 * and leaves; the claim is the guard. It holds until the function writes the place again with a value the guard
 * would let through (`this.state = 'idle'`) or one it cannot judge.
 */
export interface PhaseClaim {
  /** The claimed place as written (`this.state`, `this.#phase`). */
  readonly place: string;
  /** The guard's test and the claiming assignment. */
  readonly test: TSESTree.Expression;
  readonly claim: TSESTree.AssignmentExpression;
  /** Later writes of the place that let callers through again (`this.state = 'idle'`). */
  readonly releases: readonly TSESTree.AssignmentExpression[];
}

export function phaseClaimOf(fn: FunctionNode): PhaseClaim | undefined {
  if (fn.body?.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  const guards: TSESTree.Expression[] = [];
  for (const statement of fn.body.body) {
    if (statement.type === AST_NODE_TYPES.IfStatement && !statement.alternate && exitsWithoutWaiting(statement.consequent)) {
      guards.push(statement.test);
      continue;
    }
    const claim = constantThisWrite(statement);
    if (claim) {
      const test = guards.find((g) => exitsOn(g, claim.place, claim.value) === true);
      if (test) return { place: claim.place, test, claim: claim.node, releases: releasesOf(fn, claim.node, claim.place, test) };
    }
    if (containsAwait(statement)) return undefined;
  }
  return undefined;
}

/** True when `node` (an `await`, or the claim itself) runs while the phase is claimed: from the claim on, before any release. */
export function heldAt(claim: PhaseClaim, node: TSESTree.Node): boolean {
  if (node.range[0] < claim.claim.range[0]) return false;
  return !claim.releases.some((release) => release.range[1] <= node.range[0]);
}

/**
 * A start-up method (`init`, `connect`, ...; see `isStartUpMethod`) also under the `_init` / `__connect` names compiled
 * code gives its internal variants: it runs once per object, so no overlapping call changes the state it sets up.
 */
export function isStartUp(fn: FunctionNode): boolean {
  if (isStartUpMethod(fn)) return true;
  const member = fn.parent;
  if (member?.type !== AST_NODE_TYPES.MethodDefinition || member.computed || member.key.type !== AST_NODE_TYPES.Identifier) return false;
  const stripped = member.key.name.replace(/^_+/u, '');
  return stripped !== member.key.name && startUpLike.test(stripped);
}

const startUpLike = /^(?:init|initiali[sz]e|setup|start|bootstrap|connect|open|prepare|configure)$/iu;

/**
 * A method that builds the instance's machinery (`this.server = new HAPServer(info)`, `this.api = new Api()`)
 * sets the object up: it is called once per object, however it is named, so the values it stores from its
 * parameters are that object's configuration, not one call's among overlapping ones.
 */
export function buildsOwnMachinery(fn: FunctionNode): boolean {
  if (fn.parent?.type !== AST_NODE_TYPES.MethodDefinition || !fn.body) return false;
  let found = false;
  walkOwn(fn.body, (node) => {
    if (found || (node !== fn.body && isFunctionNode(node))) return false;
    if (node.type === AST_NODE_TYPES.AssignmentExpression && node.operator === '=' && thisMemberText(node.left) && unwrap(node.right).type === AST_NODE_TYPES.NewExpression) found = true;
    return !found;
  });
  return found;
}

/**
 * A method private to its class (`#m`, TypeScript `private`, or the `_m` convention of compiled code) whose every
 * `this.m()` call in the class runs inside a callback handed to a lock (`lock.acquire(key, () => this._m())`,
 * `mutex.runExclusive(...)`): its executions are serialised by its callers' lock.
 */
export function calledOnlyUnderLock(file: AnalyzedFile, fn: FunctionNode): boolean {
  const method = fn.parent;
  if (method?.type !== AST_NODE_TYPES.MethodDefinition || method.computed || method.kind !== 'method') return false;
  const key = method.key;
  const name = key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${key.name}` : key.type === AST_NODE_TYPES.Identifier ? key.name : undefined;
  if (!name) return false;
  const isPrivate = key.type === AST_NODE_TYPES.PrivateIdentifier || method.accessibility === 'private' || name.startsWith('_');
  const classBody = method.parent;
  if (!isPrivate || classBody?.type !== AST_NODE_TYPES.ClassBody) return false;
  const calls = thisCallsIn(file, classBody).get(name) ?? [];
  return calls.length > 0 && calls.every((call) => insideLockCallback(call, classBody));
}

function insideLockCallback(call: TSESTree.Node, boundary: TSESTree.Node): boolean {
  for (let fn = enclosingFunction(call); fn && fn.range[0] > boundary.range[0]; fn = enclosingFunction(fn)) {
    const parent = fn.parent;
    if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(fn as TSESTree.CallExpressionArgument) && isLockCall(parent)) return true;
  }
  return false;
}

/** `return;`, `return value;` (no await) or `throw ...`, alone or ending a block that does not wait. */
function exitsWithoutWaiting(statement: TSESTree.Statement): boolean {
  if (statement.type === AST_NODE_TYPES.ReturnStatement || statement.type === AST_NODE_TYPES.ThrowStatement) return !containsAwait(statement);
  if (statement.type === AST_NODE_TYPES.BlockStatement) {
    const last = statement.body[statement.body.length - 1];
    return last !== undefined && (last.type === AST_NODE_TYPES.ReturnStatement || last.type === AST_NODE_TYPES.ThrowStatement) && !containsAwait(statement);
  }
  return false;
}

/**
 * A constant: a literal, `undefined`, a template without expressions, or an enum-like member (`State.Connecting`).
 * As a claimed value, also `object`: something non-nullish and truthy (`{...}`, `new X()`, a function, the promise of a
 * call, the object a parameter holds: `if (this.target) return; this.target = event;`).
 */
type Constant = { readonly literal: unknown } | { readonly name: string } | { readonly object: true };

function claimedValueOf(raw: TSESTree.Node): Constant | undefined {
  const constant = constantOf(raw);
  if (constant) return constant;
  const node = unwrap(raw);
  switch (node.type) {
    case AST_NODE_TYPES.ObjectExpression:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.NewExpression:
    case AST_NODE_TYPES.ArrowFunctionExpression:
    case AST_NODE_TYPES.FunctionExpression:
    case AST_NODE_TYPES.ClassExpression:
    case AST_NODE_TYPES.CallExpression:
      return { object: true };
    case AST_NODE_TYPES.Identifier:
      return node.name === 'NaN' ? undefined : { object: true };
    default:
      return undefined;
  }
}

function constantOf(raw: TSESTree.Node): Constant | undefined {
  const node = unwrap(raw);
  if (node.type === AST_NODE_TYPES.Literal && !('regex' in node && node.regex)) return { literal: node.value };
  if (node.type === AST_NODE_TYPES.Identifier && node.name === 'undefined') return { literal: undefined };
  if (node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) return { literal: node.quasis[0]?.value.cooked ?? '' };
  if (
    node.type === AST_NODE_TYPES.MemberExpression &&
    node.object.type === AST_NODE_TYPES.Identifier &&
    (node.computed ? node.property.type === AST_NODE_TYPES.Literal : node.property.type === AST_NODE_TYPES.Identifier)
  ) {
    const property = node.property.type === AST_NODE_TYPES.Literal ? String(node.property.value) : (node.property as TSESTree.Identifier).name;
    return { name: `${node.object.name}.${property}` };
  }
  return undefined;
}

function thisMemberText(raw: TSESTree.Node): string | undefined {
  const node = unwrap(raw);
  if (node.type !== AST_NODE_TYPES.MemberExpression || node.computed || node.object.type !== AST_NODE_TYPES.ThisExpression) return undefined;
  if (node.property.type === AST_NODE_TYPES.PrivateIdentifier) return `this.#${node.property.name}`;
  return node.property.type === AST_NODE_TYPES.Identifier ? `this.${node.property.name}` : undefined;
}

function constantThisWrite(statement: TSESTree.Statement): { place: string; value: Constant; node: TSESTree.AssignmentExpression } | undefined {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
  const expression = statement.expression;
  if (expression.type !== AST_NODE_TYPES.AssignmentExpression || expression.operator !== '=') return undefined;
  const place = thisMemberText(expression.left);
  const value = claimedValueOf(expression.right);
  return place && value ? { place, value, node: expression } : undefined;
}

/**
 * Whether the guard `test` exits when `place` holds `value`: true, false, or undefined when that cannot be told
 * from the test alone (another operand, a call, a constant compared with a name).
 */
function exitsOn(raw: TSESTree.Node, place: string, value: Constant): boolean | undefined {
  const test = unwrap(raw);
  if (thisMemberText(test) === place) return 'literal' in value ? Boolean(value.literal) : 'object' in value ? true : undefined;
  if (test.type === AST_NODE_TYPES.UnaryExpression && test.operator === '!') {
    const inner = exitsOn(test.argument, place, value);
    return inner === undefined ? undefined : !inner;
  }
  if (test.type === AST_NODE_TYPES.LogicalExpression && (test.operator === '||' || test.operator === '&&')) {
    const left = exitsOn(test.left, place, value);
    const right = exitsOn(test.right, place, value);
    if (test.operator === '||') return left === true || right === true ? true : left === false && right === false ? false : undefined;
    return left === false || right === false ? false : left === true && right === true ? true : undefined;
  }
  if (test.type === AST_NODE_TYPES.BinaryExpression && ['===', '!==', '==', '!='].includes(test.operator)) {
    const other = thisMemberText(test.left) === place ? test.right : thisMemberText(test.right) === place ? test.left : undefined;
    const compared = other && other.type !== AST_NODE_TYPES.PrivateIdentifier ? constantOf(other) : undefined;
    if (!compared) return undefined;
    const equal = sameConstant(value, compared, test.operator === '==' || test.operator === '!=');
    if (equal === undefined) return undefined;
    return test.operator.startsWith('!') ? !equal : equal;
  }
  // `['connecting', 'open'].includes(this.state)`
  if (test.type === AST_NODE_TYPES.CallExpression && test.arguments.length === 1 && thisMemberText(test.arguments[0]!) === place) {
    const callee = unwrap(test.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier || callee.property.name !== 'includes') return undefined;
    const list = unwrap(callee.object);
    if (list.type !== AST_NODE_TYPES.ArrayExpression) return undefined;
    let result: boolean | undefined = false;
    for (const element of list.elements) {
      const constant = element && element.type !== AST_NODE_TYPES.SpreadElement ? constantOf(element) : undefined;
      const equal = constant ? sameConstant(value, constant, false) : undefined;
      if (equal === true) return true;
      if (equal === undefined) result = undefined;
    }
    return result;
  }
  return undefined;
}

function sameConstant(a: Constant, b: Constant, loose: boolean): boolean | undefined {
  // An object is neither `null` nor `undefined`; compared with anything else, it cannot be told.
  if ('object' in a) return 'literal' in b && b.literal == null ? false : undefined;
  if ('object' in b) return sameConstant(b, a, loose);
  if ('literal' in a && 'literal' in b) {
    return loose ? a.literal == b.literal : a.literal === b.literal;
  }
  // Two members of one enum-like object are equal only by name; a member against a literal cannot be told.
  if ('name' in a && 'name' in b) return a.name === b.name ? true : a.name.split('.')[0] === b.name.split('.')[0] ? false : undefined;
  return undefined;
}

/** Writes of the place after the claim whose value the guard would let through, or cannot judge. */
function releasesOf(fn: FunctionNode, claim: TSESTree.AssignmentExpression, place: string, test: TSESTree.Expression): TSESTree.AssignmentExpression[] {
  const releases: TSESTree.AssignmentExpression[] = [];
  walkOwn(fn.body!, (node) => {
    if (isFunctionNode(node)) return false;
    if (node === claim || node.type !== AST_NODE_TYPES.AssignmentExpression || node.range[0] < claim.range[1]) return true;
    if (thisMemberText(node.left) !== place) return true;
    const value = node.operator === '=' ? constantOf(node.right) : undefined;
    if (!value || exitsOn(test, place, value) !== true) releases.push(node);
    return true;
  });
  return releases;
}

function containsAwait(root: TSESTree.Node): boolean {
  let found = false;
  walkOwn(root, (node) => {
    if (found || (node !== root && isFunctionNode(node))) return false;
    if (node.type === AST_NODE_TYPES.AwaitExpression || (node.type === AST_NODE_TYPES.ForOfStatement && node.await)) found = true;
    return !found;
  });
  return found;
}
