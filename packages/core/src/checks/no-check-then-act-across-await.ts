import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../engine/analyzed-file.js';
import type { Check } from '../engine/check.js';
import { formatMessage } from '../engine/format-message.js';
import type { Confidence } from '../model/confidence.js';
import type { Finding } from '../model/finding.js';
import type { Rewrite, TextEdit } from '../model/fix.js';
import { spanOf } from '../model/location.js';
import { findCheckThenActs, findSkippedWaits, type CheckThenAct, type SkippedWait } from '../analysis/races/check-then-act.js';
import { findVariable, lineOf, shortText } from '../analysis/races/race-ast.js';
import { textOf, unwrap } from '../analysis/syntax.js';
import { freshName, lineIndent, namesIn } from './rewrites/layout.js';
import { stateEventsOf, type FunctionStateEvents } from '../analysis/races/state-events.js';

export type Options = [];
export type MessageId = 'checkThenAct' | 'checkThenActInCall' | 'claimSkipsWait' | 'sharePending' | 'shareInFlight';

const messages: Record<MessageId, string> = {
  checkThenAct:
    'Check-then-act across await: {{state}} ({{why}}) is checked on line {{checkLine}} (`{{check}}`), the function waits at `{{await}}` on line {{awaitLine}}, then line {{writeLine}} writes it as if the check still held. Overlapping {{context}} can pass the same check during the wait, so the work runs more than once and the last write wins.',
  checkThenActInCall:
    'Check-then-act across await: {{state}} ({{why}}) is checked on line {{checkLine}} (`{{check}}`), then `{{call}}` on line {{callLine}} waits at `{{await}}` on line {{awaitLine}} and writes it on line {{writeLine}} as if the check still held. Overlapping {{context}} can pass the same check during the wait, so the work runs more than once and the last write wins.',
  claimSkipsWait:
    'Skipped wait: {{state}} ({{why}}) is checked on line {{checkLine}} and claimed on line {{claimLine}} before the wait at `{{await}}` on line {{awaitLine}}. Overlapping {{context}} that arrive during the wait see the claim, skip the wait and run line {{nextLine}} before it has finished. Store the promise and have every caller await it.',
  sharePending:
    'Store the in-flight promise in `{{holder}}` so concurrent callers await one `{{call}}` (a rejected promise stays stored: clear `{{holder}}` on failure if callers should retry).',
  shareInFlight:
    'Keep in-flight loads in `{{holder}}` so concurrent misses for one key await the same `{{call}}` (each entry is removed when its load settles).',
};

export const noCheckThenActAcrossAwait: Check<Options, MessageId> = {
  meta: {
    id: 'no-check-then-act-across-await',
    type: 'problem',
    description: 'Disallow deciding on shared state, awaiting, then writing it as if the decision still held (duplicate loads, double initialisation)',
    recommended: 'error',
    messages,
    schema: [],
    defaultOptions: [],
    hasSuggestions: true,
  },
  run(file) {
    const findings: Finding[] = [];
    for (const fnEvents of stateEventsOf(file)) {
      for (const race of findCheckThenActs(file, fnEvents)) findings.push(toFinding(file, fnEvents, race));
      for (const skipped of findSkippedWaits(file, fnEvents)) findings.push(skippedWaitFinding(file, fnEvents, skipped));
    }
    return findings;
  },
};

function toFinding(file: AnalyzedFile, fnEvents: FunctionStateEvents, race: CheckThenAct): Finding {
  const awaitNode = race.await.node;
  const awaitText = awaitNode.type === AST_NODE_TYPES.AwaitExpression ? shortText(file.text, awaitNode) : 'for await';
  const data = {
    state: race.place.label,
    why: race.place.why,
    checkLine: lineOf(race.check),
    check: shortText(file.text, race.check),
    await: awaitText,
    awaitLine: lineOf(awaitNode),
    writeLine: lineOf(race.write.node),
    context: fnEvents.context.description,
  };
  const confidence: Confidence = race.place.clear && fnEvents.context.level === 'clear' && !race.keysDiffer ? 'high' : 'medium';
  const pending = race.via ? undefined : sharePendingRewrite(file, race) ?? shareInFlightRewrite(file, fnEvents, race);
  const messageId: MessageId = race.via ? 'checkThenActInCall' : 'checkThenAct';
  const fullData = race.via ? { ...data, call: `this.${race.via.method}(...)`, callLine: lineOf(race.via.call) } : data;
  return {
    ruleId: 'no-check-then-act-across-await',
    messageId,
    data: fullData,
    message: formatMessage(messages[messageId], fullData),
    span: spanOf(race.check),
    confidence,
    suggestions: pending ? [pending] : [],
    related: [
      { role: 'check', span: spanOf(race.check), label: `\`${shortText(file.text, race.check)}\`` },
      { role: 'await', span: spanOf(awaitNode), label: `\`${awaitText}\`` },
      { role: 'write', span: spanOf(race.write.node), label: `\`${shortText(file.text, race.write.node)}\`` },
    ],
  };
}

function skippedWaitFinding(file: AnalyzedFile, fnEvents: FunctionStateEvents, skipped: SkippedWait): Finding {
  const awaitNode = skipped.await.node;
  const awaitText = awaitNode.type === AST_NODE_TYPES.AwaitExpression ? shortText(file.text, awaitNode) : 'for await';
  const data = {
    state: skipped.place.label,
    why: skipped.place.why,
    checkLine: lineOf(skipped.check),
    claimLine: lineOf(skipped.claim.node),
    await: awaitText,
    awaitLine: lineOf(awaitNode),
    nextLine: lineOf(skipped.next),
    context: fnEvents.context.description,
  };
  const confidence: Confidence = skipped.place.clear && fnEvents.context.level === 'clear' ? 'high' : 'medium';
  return {
    ruleId: 'no-check-then-act-across-await',
    messageId: 'claimSkipsWait',
    data,
    message: formatMessage(messages.claimSkipsWait, data),
    span: spanOf(skipped.check),
    confidence,
    suggestions: [],
    related: [
      { role: 'check', span: spanOf(skipped.check), label: `\`${shortText(file.text, skipped.check)}\`` },
      { role: 'write', span: spanOf(skipped.claim.node), label: `\`${shortText(file.text, skipped.claim.node)}\`` },
      { role: 'await', span: spanOf(awaitNode), label: `\`${awaitText}\`` },
    ],
  };
}

const tsFile = /\.(?:[cm]?ts|tsx)$/iu;

/**
 * Lazy initialisation of one slot (`x = await create()` or `this.conn = await connect()`): keep the value's type and
 * add a holder for the in-flight promise, so the write becomes `x = await (xPending ??= create())`. Concurrent
 * callers that pass the check while the first is waiting then await the same promise.
 */
function sharePendingRewrite(file: AnalyzedFile, race: CheckThenAct): Rewrite | undefined {
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
  return { messageId: 'sharePending', data, description: formatMessage(messages.sharePending, data), edits };
}

/**
 * Cache filled after a miss (`const v = await load(k); cache.set(k, v)` or `cache.set(k, await load(k))`): keep the
 * cache's type and add a map of in-flight loads beside it. The load becomes
 * `const pending = cachePending.get(k) ?? load(k).finally(...); cachePending.set(k, pending);` and the `await` waits for
 * `pending`, so a second miss for the same key joins the first load.
 */
function shareInFlightRewrite(file: AnalyzedFile, fnEvents: FunctionStateEvents, race: CheckThenAct): Rewrite | undefined {
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
  return { messageId: 'shareInFlight', data, description: formatMessage(messages.shareInFlight, data), edits };
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


