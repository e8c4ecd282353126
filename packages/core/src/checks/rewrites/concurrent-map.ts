import type { TSESTree } from '@typescript-eslint/types';
import type { ConcurrentLoop } from '../../analysis/awaits/loops.js';
import type { TextEdit } from '../../model/fix.js';
import { endsWithSemicolon, freshName, namesIn } from './layout.js';

/**
 * `for (let i = 0; i < n; i++) { … }` becomes `await Promise.all(Array.from({ length: n }, async (_, i) => { … }))`
 * and `for (const key in obj)` maps `Object.keys(obj)` (own enumerable keys: inherited ones are not visited).
 * `for (const item of items) { … }` becomes `await Promise.all(items.map(async (item) => { … }))`; `continue`
 * becomes `return`; with `const results = []` before the loop and `results.push(value)` last in it, the loop
 * becomes `const results = await Promise.all(items.map(async (item) => { …; return value; }))`, so results keep
 * the order of the items. The body's text (comments included) is kept as it is.
 */
export function concurrentMapRewrite(text: string, result: ConcurrentLoop): TextEdit[] {
  const { loop, collect } = result;
  let mapper: string;
  if (loop.type === 'ForStatement') {
    // `for (let i = 0; i < n; i++)`: the same indexes, `0 … n - 1`, each in its own call.
    const unused = freshName(namesIn(text.slice(loop.range[0], loop.range[1])), '_');
    mapper = `Array.from({ length: ${text.slice(result.iterable.range[0], result.iterable.range[1])} }, async (${unused}, ${result.counter!.name}) => `;
  } else {
    const declarator = (loop.left as TSESTree.VariableDeclaration).declarations[0]!;
    const param = text.slice(declarator.id.range[0], declarator.id.range[1]);
    const right = loop.right;
    mapper = loop.type === 'ForInStatement'
      ? `Object.keys(${text.slice(right.range[0], right.range[1])}).map(async (${param}) => `
      : result.arrayLike
        ? `${iterableSource(text, right)}.map(async (${param}) => `
        : `Array.from(${text.slice(right.range[0], right.range[1])}, async (${param}) => `;
  }
  const anchor = collect ? collect.declaration : loop;
  const semi = endsWithSemicolon(text, anchor) || text.slice(loop.body.range[0], loop.body.range[1]).includes(';') ? ';' : '';
  const edits: TextEdit[] = [];
  if (collect) {
    const kind = collect.declaration.kind;
    const annotation = collect.declarator.id.typeAnnotation ? text.slice(collect.declarator.id.typeAnnotation.range[0], collect.declarator.id.typeAnnotation.range[1]) : '';
    edits.push({ range: [collect.declaration.range[0], loop.body.range[0]], text: `${kind} ${collect.declarator.id.name}${annotation} = await Promise.all(${mapper}` });
    const value = text.slice(collect.value.range[0], collect.value.range[1]);
    edits.push({ range: [collect.push.range[0], collect.push.range[1]], text: `return ${value}${semi}` });
  } else {
    edits.push({ range: [loop.range[0], loop.body.range[0]], text: `await Promise.all(${mapper}` });
  }
  if (loop.body.type === 'BlockStatement') {
    edits.push({ range: [loop.body.range[1], loop.body.range[1]], text: `))${semi}` });
  } else {
    const body = text.slice(loop.body.range[0], loop.body.range[1]);
    edits.push({ range: [loop.body.range[0], loop.body.range[1]], text: `{ ${body} }))${semi}` });
  }
  for (const statement of result.continues) {
    edits.push({ range: [statement.range[0], statement.range[1]], text: `return${text.slice(statement.range[0], statement.range[1]).endsWith(';') ? ';' : ''}` });
  }
  return edits;
}

function iterableSource(text: string, node: TSESTree.Expression): string {
  const raw = text.slice(node.range[0], node.range[1]);
  const simple = ['Identifier', 'MemberExpression', 'CallExpression', 'ArrayExpression', 'ThisExpression'].includes(node.type);
  return simple ? raw : `(${raw})`;
}
