import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../engine/analyzed-file.js';
import type { Check } from '../engine/check.js';
import { formatMessage } from '../engine/format-message.js';
import type { Confidence } from '../model/confidence.js';
import type { Finding } from '../model/finding.js';
import type { Rewrite } from '../model/fix.js';
import { spanOf } from '../model/location.js';
import { lineOf, shortText } from '../analysis/races/race-ast.js';
import { textOf, unwrap } from '../analysis/syntax.js';
import { freshName, lineIndent, namesIn } from './rewrites/layout.js';
import { findStaleWrites, type StaleWrite } from '../analysis/races/stale-reads.js';
import { stateEventsOf, type FunctionStateEvents } from '../analysis/races/state-events.js';
import { perCallStatesOf, type PerCallState } from '../analysis/races/per-call-state.js';
import { isTeardownMethod } from '../analysis/races/concurrency-context.js';
import { buildsOwnMachinery, calledOnlyUnderLock, heldAt, isStartUp, phaseClaimOf } from '../analysis/races/self-exclusion.js';

export type Options = [];
export type MessageId = 'staleWrite' | 'resetAfterAwait' | 'perCallState' | 'hoistAwait' | 'rereadAfterAwait';

const messages: Record<MessageId, string> = {
  staleWrite:
    'Lost update: {{state}} ({{why}}) is read on line {{readLine}}, the function waits at `{{await}}` on line {{awaitLine}}, then line {{writeLine}} writes back a value computed from that read. Overlapping {{context}} can change {{state}} during the wait, and this write discards their change.',
  resetAfterAwait:
    'Lost update: {{state}} ({{why}}) is taken on line {{readLine}}, the function waits at `{{await}}` on line {{awaitLine}}, then line {{writeLine}} empties it. Overlapping {{context}} can add to {{state}} during the wait, and this reset discards what they added. Take the contents and reset before awaiting.',
  perCallState:
    'Per-call value on shared state: line {{writeLine}} stores this call\'s `{{parameter}}` in {{state}} ({{why}}), then {{where}} waits at `{{await}}` on line {{awaitLine}} and reads {{state}} on line {{readLine}}. Overlapping {{context}} store their own value during the wait, so this call goes on with another call\'s value. Pass the value along as an argument instead.',
  hoistAwait: 'Await `{{await}}` first, then update {{state}} from its current value.',
  rereadAfterAwait: 'Re-read {{state}} after the await instead of using the stale `{{local}}`.',
};

export const noStaleWriteAcrossAwait: Check<Options, MessageId> = {
  meta: {
    id: 'no-stale-write-across-await',
    type: 'problem',
    description: 'Disallow writing shared state from a value read before an `await` (a lost update when calls overlap)',
    recommended: 'error',
    messages,
    schema: [],
    defaultOptions: [],
    hasSuggestions: true,
  },
  run(file) {
    const findings: Finding[] = [];
    for (const fnEvents of stateEventsOf(file)) {
      // A start-up method (`start`, `init`, `connect`) runs once per object: no overlapping call changes the state.
      // A tear-down method (`stop`, `close`, `dispose`) ends the object's life once: `for (const w of this.watchers)
      // await w.close(); this.watchers = []` empties what nothing adds to any more.
      if (isStartUp(fnEvents.fn) || isTeardownMethod(fnEvents.fn)) continue;
      // A private helper its class only calls under a lock: its executions never overlap.
      if (calledOnlyUnderLock(file, fnEvents.fn)) continue;
      // `if (this.state !== 'idle') return; this.state = 'connecting';` before the first wait: later calls leave.
      const phase = phaseClaimOf(fnEvents.fn);
      for (const stale of findStaleWrites(fnEvents.events)) {
        if (phase && heldAt(phase, stale.await.node)) continue;
        findings.push(toFinding(file, fnEvents, stale));
      }
    }
    for (const state of perCallStatesOf(file)) {
      if (isStartUp(state.fn) || buildsOwnMachinery(state.fn) || calledOnlyUnderLock(file, state.fn)) continue;
      const phase = phaseClaimOf(state.fn);
      if (phase && heldAt(phase, state.write)) continue;
      findings.push(perCallFinding(file, state));
    }
    return findings.sort((a, b) => a.span.start.line - b.span.start.line || a.span.start.column - b.span.start.column);
  },
};

function toFinding(file: AnalyzedFile, fnEvents: FunctionStateEvents, stale: StaleWrite): Finding {
  const { read, write } = stale;
  const awaitNode = stale.await.node;
  const state = write.place.label;
  const awaitText = awaitNode.type === AST_NODE_TYPES.AwaitExpression ? shortText(file.text, awaitNode) : 'for await';
  const data = {
    state,
    why: write.place.why,
    readLine: lineOf(read.node),
    await: awaitText,
    awaitLine: lineOf(awaitNode),
    writeLine: lineOf(write.node),
    context: fnEvents.context.description,
  };
  const confidence: Confidence = write.place.clear && read.place.clear && fnEvents.context.level === 'clear' ? 'high' : 'medium';
  const messageId = stale.kind === 'reset' ? 'resetAfterAwait' : 'staleWrite';
  return {
    ruleId: 'no-stale-write-across-await',
    messageId,
    data,
    message: formatMessage(messages[messageId], data),
    span: spanOf(write.node),
    confidence,
    suggestions: stale.kind === 'reset' ? [] : suggestionsFor(file, fnEvents, stale),
    related: [
      { role: 'read', span: spanOf(read.node), label: `\`${shortText(file.text, read.node)}\`` },
      { role: 'await', span: spanOf(awaitNode), label: `\`${awaitText}\`` },
      { role: 'write', span: spanOf(write.node), label: `\`${shortText(file.text, write.node)}\`` },
    ],
  };
}

function perCallFinding(file: AnalyzedFile, state: PerCallState): Finding {
  const awaitText = state.await.type === AST_NODE_TYPES.AwaitExpression ? shortText(file.text, state.await) : 'for await';
  const data = {
    parameter: state.parameter,
    state: state.place.label,
    why: state.place.why,
    writeLine: lineOf(state.write),
    where: state.via ? `\`this.${state.via.method}(...)\` (line ${lineOf(state.via.call)})` : 'the function',
    await: awaitText,
    awaitLine: lineOf(state.await),
    readLine: lineOf(state.read),
    context: state.context.description,
  };
  const confidence: Confidence = state.place.clear && state.context.level === 'clear' ? 'high' : 'medium';
  return {
    ruleId: 'no-stale-write-across-await',
    messageId: 'perCallState',
    data,
    message: formatMessage(messages.perCallState, data),
    span: spanOf(state.write),
    confidence,
    suggestions: [],
    related: [
      { role: 'write', span: spanOf(state.write), label: `\`${shortText(file.text, state.write)}\`` },
      { role: 'await', span: spanOf(state.await), label: `\`${awaitText}\`` },
      { role: 'read', span: spanOf(state.read), label: `\`${shortText(file.text, state.read)}\`` },
    ],
  };
}

function suggestionsFor(file: AnalyzedFile, fnEvents: FunctionStateEvents, stale: StaleWrite): Rewrite[] {
  const reread = rereadRewrite(file, stale);
  if (reread) return [reread];
  const hoist = hoistRewrite(file, fnEvents, stale);
  return hoist ? [hoist] : [];
}

/** `const n = this.count; await g(); this.count = n + 1` becomes `... this.count = this.count + 1`. */
function rereadRewrite(file: AnalyzedFile, stale: StaleWrite): Rewrite | undefined {
  const variable = stale.via;
  const value = stale.write.value;
  if (!variable || !value || variable.defs.length !== 1) return undefined;
  const def = variable.defs[0]!;
  if (def.type !== 'Variable') return undefined;
  const declarator = def.node as TSESTree.VariableDeclarator;
  if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init || unwrap(declarator.init) !== stale.read.node) return undefined;
  if (variable.references.some((r) => r.isWrite() && r.identifier !== declarator.id)) return undefined;
  const readText = textOf(file.text, stale.read.node);
  const uses = variable.references.filter((r) => r.isRead() && value.range[0] <= r.identifier.range[0] && r.identifier.range[1] <= value.range[1]);
  if (uses.length === 0) return undefined;
  const needsParens = /[\s?:|&]/u.test(readText) && !/^[\w$.#[\]'"<>()]+$/u.test(readText);
  const edits = uses.map((r) => ({ range: [r.identifier.range[0], r.identifier.range[1]] as const, text: needsParens ? `(${readText})` : readText }));
  const data = { state: stale.write.place.label, local: variable.name };
  return { messageId: 'rereadAfterAwait', data, description: formatMessage(messages.rereadAfterAwait, data), edits };
}

/** `x += await f()` becomes `const delta = await f();` then `x += delta;`. */
function hoistRewrite(file: AnalyzedFile, fnEvents: FunctionStateEvents, stale: StaleWrite): Rewrite | undefined {
  const { write } = stale;
  const statement = write.node.parent;
  if (statement?.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
  const holder = statement.parent;
  if (!holder || !(holder.type === AST_NODE_TYPES.BlockStatement || holder.type === AST_NODE_TYPES.Program || holder.type === AST_NODE_TYPES.SwitchCase || holder.type === AST_NODE_TYPES.StaticBlock)) {
    return undefined;
  }
  const value = write.value;
  if (!value) return undefined;
  const awaitNode = soleHoistableAwait(value);
  if (!awaitNode || awaitNode !== stale.await.node) return undefined;
  const name = freshName(namesIn(textOf(file.text, fnEvents.fn)), 'delta');
  const indent = lineIndent(file.text, statement.range[0]);
  const awaitText = textOf(file.text, awaitNode);
  const statementText = textOf(file.text, statement);
  const offset = statement.range[0];
  // `(await stat(p)).size` becomes `delta.size`: the parentheses only existed for the `await`.
  const parenthesised =
    awaitNode.parent?.type === AST_NODE_TYPES.MemberExpression &&
    awaitNode.parent.object === awaitNode &&
    file.text[awaitNode.range[0] - 1] === '(' &&
    file.text[awaitNode.range[1]] === ')';
  const start = awaitNode.range[0] - (parenthesised ? 1 : 0);
  const end = awaitNode.range[1] + (parenthesised ? 1 : 0);
  const rewritten = `${statementText.slice(0, start - offset)}${name}${statementText.slice(end - offset)}`;
  const text = `const ${name} = ${awaitText};\n${indent}${rewritten}`;
  const data = { state: write.place.label, await: shortText(file.text, awaitNode) };
  return {
    messageId: 'hoistAwait',
    data,
    description: formatMessage(messages.hoistAwait, data),
    edits: [{ range: [statement.range[0], statement.range[1]], text }],
  };
}

/**
 * The one `await` of a value made of simple operands (names, property reads, literals, `map.get(k)`) around it,
 * so moving it before the statement changes nothing but when the shared state is read.
 */
function soleHoistableAwait(value: TSESTree.Node): TSESTree.AwaitExpression | undefined {
  let found: TSESTree.AwaitExpression | undefined;
  const simple = (raw: TSESTree.Node): boolean => {
    const node = unwrap(raw);
    switch (node.type) {
      case AST_NODE_TYPES.AwaitExpression:
        if (found) return false;
        found = node;
        return true;
      case AST_NODE_TYPES.Identifier:
      case AST_NODE_TYPES.Literal:
      case AST_NODE_TYPES.ThisExpression:
        return true;
      case AST_NODE_TYPES.MemberExpression:
        return simple(node.object) && (!node.computed || simple(node.property));
      case AST_NODE_TYPES.BinaryExpression:
      case AST_NODE_TYPES.LogicalExpression:
        return simple(node.left) && simple(node.right);
      case AST_NODE_TYPES.UnaryExpression:
        return node.operator !== 'delete' && simple(node.argument);
      case AST_NODE_TYPES.CallExpression: {
        const callee = unwrap(node.callee);
        return (
          callee.type === AST_NODE_TYPES.MemberExpression &&
          !callee.computed &&
          callee.property.type === AST_NODE_TYPES.Identifier &&
          callee.property.name === 'get' &&
          simple(callee.object) &&
          node.arguments.every((a) => a.type !== AST_NODE_TYPES.SpreadElement && simple(a))
        );
      }
      default:
        return false;
    }
  };
  return simple(value) ? found : undefined;
}


