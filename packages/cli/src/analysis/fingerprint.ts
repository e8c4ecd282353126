import { createHash } from 'node:crypto';
import type { TSESTree } from '@typescript-eslint/types';
import type { Finding } from '@overlap/core';

/**
 * Fingerprints identify a finding across commits without line numbers: the rule, the file, the finding's code
 * without whitespace, the names of the functions (and classes) around it, and its index among identical
 * findings of that file. Adding or removing lines elsewhere, or re-indenting, leaves it unchanged.
 */
export function fingerprintFindings(findings: readonly Finding[], ast: TSESTree.Program, text: string, file: string): string[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    // Whitespace dropped entirely: re-wrapping a call over several lines is not a new finding.
    const code = text.slice(finding.span.range[0], finding.span.range[1]).replace(/\s+/gu, '');
    const scope = enclosingName(ast, finding.span.range);
    const key = [finding.ruleId, file, code, scope].join('\u0000');
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 32);
  });
}

type Named = TSESTree.Node & { parent?: TSESTree.Node };

/** `UserService.load`, `handler`, `<anonymous>`: the functions and classes containing `range`, outermost first. */
export function enclosingName(ast: TSESTree.Program, range: readonly [number, number]): string {
  const names: string[] = [];
  let nodes: readonly TSESTree.Node[] = ast.body;
  for (;;) {
    const container = nodes.find((node) => node.range[0] <= range[0] && range[1] <= node.range[1]);
    if (!container) break;
    const name = nameOf(container as Named);
    if (name) names.push(name);
    nodes = childrenOf(container);
  }
  return names.join('.') || '<module>';
}

function nameOf(node: Named): string | undefined {
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return node.type !== 'ArrowFunctionExpression' && node.id ? node.id.name : contextualName(node) ?? '<anonymous>';
    case 'ClassDeclaration':
    case 'ClassExpression':
      return node.id?.name ?? contextualName(node) ?? '<class>';
    default:
      return undefined;
  }
}

/** The name a function or class gets from where it is written: `const load = async () => ...`, `{ load() {} }`. */
function contextualName(node: Named): string | undefined {
  const parent = node.parent;
  if (!parent) return undefined;
  if (parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if ((parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && !parent.computed) {
    const key = parent.key;
    if (key.type === 'Identifier') return key.name;
    if (key.type === 'PrivateIdentifier') return `#${key.name}`;
    if (key.type === 'Literal') return String(key.value);
  }
  if (parent.type === 'AssignmentExpression' && parent.left.type === 'MemberExpression' && parent.left.property.type === 'Identifier') {
    return parent.left.property.name;
  }
  if (parent.type === 'ExportDefaultDeclaration') return 'default';
  return undefined;
}

function childrenOf(node: TSESTree.Node): TSESTree.Node[] {
  const children: TSESTree.Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent' || key === 'loc' || key === 'range') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && Array.isArray((value as { range?: unknown }).range);
}
