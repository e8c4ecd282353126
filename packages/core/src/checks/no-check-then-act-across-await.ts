import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { AnalyzedFile } from '../engine/analyzed-file.js';
import type { Check } from '../engine/check.js';
import { formatMessage } from '../engine/format-message.js';
import type { Confidence } from '../model/confidence.js';
import type { Finding } from '../model/finding.js';
import { spanOf } from '../model/location.js';
import { findCheckThenActs, findSkippedWaits, type CheckThenAct, type SkippedWait } from '../analysis/races/check-then-act.js';
import { lineOf, shortText } from '../analysis/races/race-ast.js';
import { shareInFlightRewrite, sharePendingRewrite } from './rewrites/share-pending.js';
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
  const describe = (messageId: MessageId, values: Record<string, string | number>) => formatMessage(messages[messageId], values);
  const pending = race.via ? undefined : sharePendingRewrite(file, race, describe) ?? shareInFlightRewrite(file, fnEvents, race, describe);
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
