import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../../engine/analyzed-file.js';
import type { Rewrite, TextEdit } from '../../model/fix.js';
import type { CheckThenAct } from '../../analysis/races/check-then-act.js';
import { findVariable, shortText } from '../../analysis/races/race-ast.js';
import type { FunctionStateEvents } from '../../analysis/races/state-events.js';
import { textOf, unwrap } from '../../analysis/syntax.js';
import { freshName, lineIndent, namesIn } from './layout.js';

/** The rewrites `no-check-then-act-across-await` offers: share the in-flight promise instead of starting the work again. */
export type SharePendingId = 'sharePending' | 'shareInFlight';
type Describe = (messageId: SharePendingId, data: Record<string, string | number>) => string;

const tsFile = /\.(?:[cm]?ts|tsx)$/iu;

/**
 * Lazy initialisation of one slot (`x = await create()` or `this.conn = await connect()`): keep the value's type and
 * add a holder for the in-flight promise, so the write becomes `x = await (xPending ??= create())`. Concurrent
 * callers that pass the check while the first is waiting then await the same promise.
 */
export function sharePendingRewrite(file: AnalyzedFile, race: CheckThenAct, describe: Describe): Rewrite | undefined {
  const write = race.write.node;
  if (!race.pureAbsence) return undefined;
  if (write.type !== AST_NODE_TYPES.AssignmentExpression || !['=', '??=', '||='].includes(write.operator)) return undefined;
  const value = unwrap(write.right);
  if (value.type !== AST_NODE_TYPES.AwaitExpression || value !== race.await.node) return undefined;
  const target = unwrap(write.left);
  const call = textOf(file.text, value.argument);
  const isTs = tsFile.test(file.filename);
  const edits: TextEdit[] = [];
  let holder: string;
  if (target.type === AST_NODE_TYPES.Identifier) {
    holder = freshName(namesIn(file.text), `${target.name}Pending`);
    const declaration = declarationStatement(file, target);
    if (!declaration) return undefined;
    const indent = lineIndent(file.text, declaration.range[0]);
    const annotation = isTs ? `: Promise<NonNullable<typeof ${target.name}>> | undefined` : '';
    edits.push({ range: [declaration.range[1], declaration.range[1]], text: `\n${indent}let ${holder}${annotation};` });
  } else if (
    target.type === AST_NODE_TYPES.MemberExpression &&
    !target.computed &&
    target.object.type === AST_NODE_TYPES.ThisExpression &&
    target.property.type === AST_NODE_TYPES.Identifier &&
    race.place.how === 'this'
  ) {
    const field = target.property.name;
    const holderField = freshName(namesIn(file.text), `${field}Pending`);
    holder = `this.${holderField}`;
    if (isTs) {
      const classNode = enclosingClass(write);
      if (!classNode?.id) return undefined;
      const body = classNode.body;
      const indent = memberIndent(file.text, body);
      edits.push({
        range: [body.range[0] + 1, body.range[0] + 1],
        text: `\n${indent}private ${holderField}: Promise<${slotTypeOf(file, classNode, field)}> | undefined;`,
      });
    }
  } else {
    return undefined;
  }
  edits.push({ range: [value.argument.range[0], value.argument.range[1]], text: `(${holder} ??= ${call})` });
  const data = { holder, call: shortText(file.text, value.argument) };
  return { messageId: 'sharePending', data, description: describe('sharePending', data), edits };
}

/**
 * Cache filled after a miss (`const v = await load(k); cache.set(k, v)` or `cache.set(k, await load(k))`): keep the
 * cache's type and add a map of in-flight loads beside it. The load becomes
 * `const pending = cachePending.get(k) ?? load(k).finally(...); cachePending.set(k, pending);` and the `await` waits for
 * `pending`, so a second miss for the same key joins the first load.
 */
export function shareInFlightRewrite(file: AnalyzedFile, fnEvents: FunctionStateEvents, race: CheckThenAct, describe: Describe): Rewrite | undefined {
  const write = race.write.node;
  const entry = race.place.entry;
  if (!entry || race.keysDiffer || write.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = unwrap(write.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier || callee.property.name !== 'set') {
    return undefined;
  }
  // The stored value must be an awaited load itself, directly or through one `const`.
  const stored = write.arguments[1] && unwrap(write.arguments[1]);
  let awaitNode: TSESTree.AwaitExpression | undefined;
  if (stored?.type === AST_NODE_TYPES.AwaitExpression) awaitNode = stored;
  else if (stored?.type === AST_NODE_TYPES.Identifier) {
    const variable = findVariable(file.scopeManager, stored);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    const declarator = def?.type === 'Variable' ? (def.node as TSESTree.VariableDeclarator) : undefined;
    const declaration = def?.type === 'Variable' ? (def.parent as TSESTree.VariableDeclaration | null) : undefined;
    const init = declarator?.init ? unwrap(declarator.init) : undefined;
    if (declaration?.kind === 'const' && init?.type === AST_NODE_TYPES.AwaitExpression) awaitNode = init;
  }
  if (!awaitNode || awaitNode.range[0] < race.check.range[1] || awaitNode.range[1] > write.range[0]) return undefined;
  const statement = statementOf(awaitNode);
  if (!statement) return undefined;
  const keyArgument = write.arguments[0];
  if (!keyArgument || keyArgument.type === AST_NODE_TYPES.SpreadElement) return undefined;
  const keyText = textOf(file.text, keyArgument);
  const map = unwrap(callee.object);
  const isTs = tsFile.test(file.filename);
  const edits: TextEdit[] = [];
  let holder: string;
  if (map.type === AST_NODE_TYPES.Identifier) {
    holder = freshName(namesIn(file.text), `${map.name}Pending`);
    const declaration = declarationStatement(file, map, true);
    if (!declaration) return undefined;
    const indent = lineIndent(file.text, declaration.range[0]);
    const mapType = `(typeof ${map.name})`;
    const typeArguments = isTs ? `<${keyTypeOf(mapType)}, Promise<NonNullable<ReturnType<${mapType}['get']>>>>` : '';
    edits.push({ range: [declaration.range[1], declaration.range[1]], text: `\n${indent}const ${holder} = new Map${typeArguments}();` });
  } else if (
    map.type === AST_NODE_TYPES.MemberExpression &&
    !map.computed &&
    map.object.type === AST_NODE_TYPES.ThisExpression &&
    map.property.type === AST_NODE_TYPES.Identifier
  ) {
    const field = freshName(namesIn(file.text), `${map.property.name}Pending`);
    holder = `this.${field}`;
    const classNode = enclosingClass(write);
    if (!classNode || (isTs && !classNode.id)) return undefined;
    const body = classNode.body;
    const indent = memberIndent(file.text, body);
    const declaration = isTs
      ? `private readonly ${field} = new Map<${mapTypesOf(file, classNode, map.property.name).join(', Promise<')}>>();`
      : `${field} = new Map();`;
    edits.push({ range: [body.range[0] + 1, body.range[0] + 1], text: `\n${indent}${declaration}` });
  } else {
    return undefined;
  }
  const local = freshName(namesIn(textOf(file.text, fnEvents.fn)), 'pending');
  const indent = lineIndent(file.text, statement.range[0]);
  const load = textOf(file.text, awaitNode.argument);
  edits.push({
    range: [statement.range[0], statement.range[0]],
    text: `const ${local} = ${holder}.get(${keyText}) ?? ${load}.finally(() => ${holder}.delete(${keyText}));\n${indent}${holder}.set(${keyText}, ${local});\n${indent}`,
  });
  edits.push({ range: [awaitNode.argument.range[0], awaitNode.argument.range[1]], text: local });
  const data = { holder, call: shortText(file.text, awaitNode.argument) };
  return { messageId: 'shareInFlight', data, description: describe('shareInFlight', data), edits };
}

/** The statement holding `node`, when it sits directly in a block (so statements can go before it). */
function statementOf(node: TSESTree.Node): TSESTree.Statement | undefined {
  let current: TSESTree.Node | undefined = node;
  while (current?.parent) {
    const parent: TSESTree.Node = current.parent;
    if (parent.type === AST_NODE_TYPES.BlockStatement || parent.type === AST_NODE_TYPES.Program || parent.type === AST_NODE_TYPES.SwitchCase) {
      return current as TSESTree.Statement;
    }
    if (isFunctionLike(parent)) return undefined;
    current = parent;
  }
  return undefined;
}

function isFunctionLike(node: TSESTree.Node): boolean {
  return node.type === AST_NODE_TYPES.FunctionDeclaration || node.type === AST_NODE_TYPES.FunctionExpression || node.type === AST_NODE_TYPES.ArrowFunctionExpression;
}

function declarationStatement(file: AnalyzedFile, identifier: TSESTree.Identifier, allowConst = false): TSESTree.VariableDeclaration | undefined {
  const variable = findVariable(file.scopeManager, identifier);
  const def = variable?.defs[0];
  if (!variable || variable.defs.length !== 1 || def?.type !== 'Variable') return undefined;
  const declaration = def.parent as TSESTree.VariableDeclaration | null;
  if (!declaration || (declaration.kind === 'const' && !allowConst)) return undefined;
  // Insert after the whole statement, `export const cache = ...` included.
  return declaration.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration ? (declaration.parent as unknown as TSESTree.VariableDeclaration) : declaration;
}

function enclosingClass(node: TSESTree.Node): TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined {
  let current = node.parent;
  while (current) {
    if (current.type === AST_NODE_TYPES.ClassDeclaration || current.type === AST_NODE_TYPES.ClassExpression) return current;
    current = current.parent;
  }
  return undefined;
}

/**
 * The class as a type inside its own body: `Cache<T>` for `class Cache<T>`, so indexed access types such as
 * `Cache<T>['entries']` keep the type arguments (`Cache['entries']` alone does not compile for a generic class).
 */
function classTypeOf(classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression): string {
  const name = classNode.id!.name;
  const parameters = classNode.typeParameters?.params ?? [];
  return parameters.length === 0 ? name : `${name}<${parameters.map((p) => p.name.name).join(', ')}>`;
}

/**
 * The type of a lazily filled field, without its `undefined`/`null`: from the field's annotation in a generic class
 * (`value: T | undefined` gives `T`; `NonNullable<Lazy<T>['value']>` would be `T & {}`, which a `Promise<T>` does not
 * satisfy), else `NonNullable<Class['field']>`.
 */
function slotTypeOf(file: AnalyzedFile, classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression, field: string): string {
  const generic = (classNode.typeParameters?.params.length ?? 0) > 0;
  const annotation = generic ? fieldOf(classNode, field)?.typeAnnotation?.typeAnnotation : undefined;
  if (annotation) {
    const members = annotation.type === AST_NODE_TYPES.TSUnionType ? annotation.types : [annotation];
    const kept = members.filter((t) => t.type !== AST_NODE_TYPES.TSUndefinedKeyword && t.type !== AST_NODE_TYPES.TSNullKeyword);
    if (kept.length > 0) return kept.map((t) => textOf(file.text, t)).join(' | ');
  }
  return `NonNullable<${classTypeOf(classNode)}['${field}']>`;
}

/**
 * The key type and the in-flight value type of a map field: the type arguments written on the field in a generic class
 * (`new Map<string, T>()` or `entries: Map<string, T>` give `string` and `T`), else taken from the map's `get`
 * (`Parameters<C['entries']['get']>[0]`, never `unknown`). Returned as `[key, value]`.
 */
function mapTypesOf(file: AnalyzedFile, classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression, field: string): [string, string] {
  const generic = (classNode.typeParameters?.params.length ?? 0) > 0;
  const property = generic ? fieldOf(classNode, field) : undefined;
  const annotation = property?.typeAnnotation?.typeAnnotation;
  const init = property?.value ? unwrap(property.value) : undefined;
  const args =
    annotation?.type === AST_NODE_TYPES.TSTypeReference ? annotation.typeArguments?.params
    : init?.type === AST_NODE_TYPES.NewExpression ? init.typeArguments?.params
    : undefined;
  if (args?.length === 2) return [textOf(file.text, args[0]!), textOf(file.text, args[1]!)];
  const mapType = `${classTypeOf(classNode)}['${field}']`;
  return [keyTypeOf(mapType), `NonNullable<ReturnType<${mapType}['get']>>`];
}

function fieldOf(classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression, name: string): TSESTree.PropertyDefinition | undefined {
  for (const member of classNode.body.body) {
    if (member.type === AST_NODE_TYPES.PropertyDefinition && !member.computed && member.key.type === AST_NODE_TYPES.Identifier && member.key.name === name) return member;
  }
  return undefined;
}

/** The key type of a map-like type, taken from its `get`: `Parameters<(typeof cache)['get']>[0]`, not `unknown`. */
function keyTypeOf(mapType: string): string {
  return `Parameters<${mapType}['get']>[0]`;
}

function memberIndent(text: string, body: TSESTree.ClassBody): string {
  const first = body.body[0];
  if (first) return lineIndent(text, first.range[0]);
  return `${lineIndent(text, body.range[0])}  `;
}


