import type { TSESTree } from '@typescript-eslint/types';
import { visitorKeys } from '@typescript-eslint/visitor-keys';

/** Small syntax helpers for the await and effect analyses. Pure; no scope or type information. */

export type FunctionLike =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

export function isFunctionLike(node: TSESTree.Node | null | undefined): node is FunctionLike {
  return (
    node?.type === 'FunctionDeclaration' || node?.type === 'FunctionExpression' || node?.type === 'ArrowFunctionExpression'
  );
}

/** The children of a node in visitor-key order (source order for everything we walk). */
export function childrenOf(node: TSESTree.Node): TSESTree.Node[] {
  const out: TSESTree.Node[] = [];
  const keys = visitorKeys[node.type] ?? [];
  for (const key of keys) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child) if (isNode(item)) out.push(item);
    } else if (isNode(child)) out.push(child);
  }
  return out;
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * Visits `root` and its descendants depth-first in source order. `visit` returning `false` skips the node's
 * children. Iterative, so deeply nested code cannot overflow the stack.
 */
export function walk(root: TSESTree.Node, visit: (node: TSESTree.Node) => boolean | void): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    // The children of `childrenOf`, pushed last first without building its array: the walk is the engine's
    // hottest loop and the arrays were a good part of its garbage.
    const keys = visitorKeys[node.type];
    if (keys === undefined) continue;
    for (let k = keys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, unknown>)[keys[k]!];
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const item: unknown = child[i];
          if (isNode(item)) stack.push(item);
        }
      } else if (isNode(child)) stack.push(child);
    }
  }
}

/** Like `walk`, but does not enter nested functions (their code runs at another time). The root is entered. */
export function walkOwn(root: TSESTree.Node, visit: (node: TSESTree.Node) => boolean | void): void {
  walk(root, (node) => {
    if (node !== root && (isFunctionLike(node) || node.type === 'ClassBody')) {
      visit(node);
      return false;
    }
    return visit(node);
  });
}

/** Strips wrappers that do not change the value: TS assertions, non-null, `satisfies`, optional chains. */
export function unwrap(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case 'TSAsExpression':
      case 'TSNonNullExpression':
      case 'TSSatisfiesExpression':
      case 'TSTypeAssertion':
      case 'TSInstantiationExpression':
        current = current.expression;
        break;
      case 'ChainExpression':
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** The static name of a member's property: `a.b` and `a['b']` give `b`; computed non-literals give undefined. */
export function memberName(member: TSESTree.MemberExpression): string | undefined {
  if (!member.computed && member.property.type === 'Identifier') return member.property.name;
  if (!member.computed && member.property.type === 'PrivateIdentifier') return `#${member.property.name}`;
  if (member.property.type === 'Literal' && typeof member.property.value === 'string') return member.property.value;
  return undefined;
}

/** The root of a member chain: `a` for `a.b.c()`, `this` for `this.x.y`. */
export function memberRoot(node: TSESTree.Node): TSESTree.Node {
  let current = unwrap(node);
  for (;;) {
    if (current.type === 'MemberExpression') current = unwrap(current.object);
    else if (current.type === 'CallExpression' && current.callee.type === 'MemberExpression') current = unwrap(current.callee.object);
    else return current;
  }
}

export function textOf(text: string, node: { range: readonly [number, number] }): string {
  return text.slice(node.range[0], node.range[1]);
}

/** A one-line, at most `max` characters, rendering of a node's text for messages. */
export function shortText(text: string, node: { range: readonly [number, number] }, max = 40): string {
  const flat = textOf(text, node).replace(/\s+/gu, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** A string's static value: a plain literal or a template without expressions. */
export function staticString(node: TSESTree.Node | undefined | null): string | undefined {
  if (!node) return undefined;
  const inner = unwrap(node);
  if (inner.type === 'Literal' && typeof inner.value === 'string') return inner.value;
  if (inner.type === 'TemplateLiteral') return inner.quasis.map((q) => q.value.cooked ?? q.value.raw).join('${}');
  return undefined;
}

/** The leading text of a string-like node, for SQL verbs: literal, template (static parts), or `sql` tagged template. */
export function stringHead(node: TSESTree.Node | undefined | null): string | undefined {
  if (!node) return undefined;
  const inner = unwrap(node);
  if (inner.type === 'TaggedTemplateExpression') return stringHead(inner.quasi);
  return staticString(inner);
}

export function contains(outer: { range: readonly [number, number] }, inner: { range: readonly [number, number] }): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/** The name a callee is known by for messages: `getUser`, `db.users.find`, `fetch`. */
export function calleeText(text: string, node: TSESTree.Node): string {
  const inner = unwrap(node);
  if (inner.type === 'CallExpression' || inner.type === 'NewExpression') return shortText(text, inner.callee, 30);
  if (inner.type === 'TaggedTemplateExpression') return shortText(text, inner.tag, 30);
  return shortText(text, inner, 30);
}
