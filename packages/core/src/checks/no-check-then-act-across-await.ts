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

export interface NoCheckThenActAcrossAwaitOptions {
  /**
   * Also report check-then-acts we are only moderately sure of: state that is possibly shared (an object made for one
   * operation, an object literal's `this`, a parameter), a function that possibly overlaps itself (called from a
   * concurrent function, a returned closure), differing keys, or a set-up method related by name. Off by default: on
   * published code nobody tuned on, most of them were wrong (docs/rules/no-check-then-act-across-await.md).
   */
  readonly reportMediumConfidence?: boolean;
}
export type Options = readonly [NoCheckThenActAcrossAwaitOptions];
const defaultSettings: Required<NoCheckThenActAcrossAwaitOptions> = { reportMediumConfidence: false };
export type MessageId = 'checkThenAct' | 'checkThenActInCall' | 'checkThenSetUp' | 'claimSkipsWait' | 'claimSkipsWaitInCall' | 'sharePending' | 'shareInFlight';

const messages: Record<MessageId, string> = {
  checkThenAct:
    'Check-then-act across await: {{state}} ({{why}}) is checked on line {{checkLine}} (`{{check}}`), the function waits at `{{await}}` on line {{awaitLine}}, then line {{writeLine}} writes it as if the check still held. Overlapping {{context}} can pass the same check during the wait, so the work runs more than once and the last write wins.',
  checkThenActInCall:
    'Check-then-act across await: {{state}} ({{why}}) is checked on line {{checkLine}} (`{{check}}`), then `{{call}}` on line {{callLine}} waits at `{{await}}` on line {{awaitLine}} and writes it on line {{writeLine}} as if the check still held. Overlapping {{context}} can pass the same check during the wait, so the work runs more than once and the last write wins.',
  checkThenSetUp:
    'Check-then-act across await: {{state}} ({{why}}) is checked on line {{checkLine}} (`{{check}}`), then `{{await}}` on line {{awaitLine}} sets the object up, and `{{method}}` is what changes `{{flag}}`. Overlapping {{context}} that arrive before the first `{{method}}` has finished still see `{{flag}}` unset and start another one (a second connection, or an "already connecting" error). Keep the pending `{{method}}` promise and have every caller await it.',
  claimSkipsWait:
    'Skipped wait: {{state}} ({{why}}) is checked on line {{checkLine}} and claimed on line {{claimLine}} before the wait at `{{await}}` on line {{awaitLine}}. Overlapping {{context}} that arrive during the wait see the claim, skip the wait and run line {{nextLine}} before it has finished. Store the promise and have every caller await it.',
  claimSkipsWaitInCall:
    'Skipped wait: {{state}} ({{why}}) is checked on line {{checkLine}}, then `{{call}}` on line {{callLine}} claims it on line {{claimLine}} before its wait at `{{await}}` on line {{awaitLine}}. Overlapping {{context}} that arrive during the wait see the claim, skip the call and run line {{nextLine}} before it has finished. Store the promise of the call and have every caller await it.',
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
    schema: [
      {
        type: 'object',
        properties: {
          reportMediumConfidence: { type: 'boolean', description: 'Also report check-then-acts on possibly shared state or in functions that possibly overlap themselves.' },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [defaultSettings],
    hasSuggestions: true,
  },
  run(file, [given]) {
    const { reportMediumConfidence } = { ...defaultSettings, ...given };
    const findings: Finding[] = [];
    for (const fnEvents of stateEventsOf(file)) {
      for (const race of findCheckThenActs(file, fnEvents)) findings.push(toFinding(file, fnEvents, race));
      for (const skipped of findSkippedWaits(file, fnEvents)) findings.push(skippedWaitFinding(file, fnEvents, skipped));
    }
    return findings.filter((finding) => reported(finding, reportMediumConfidence));
  },
};

/** Clearly concurrent, or called once per run of a clearly concurrent caller (`getDatabase` inside an exported handler). */
function overlapsItself(fnEvents: FunctionStateEvents): boolean {
  return fnEvents.context.level === 'clear' || fnEvents.context.concurrentCaller === true;
}

/**
 * Medium findings are reported only with `reportMediumConfidence`, except skipped waits: the confirmed real race of that
 * kind (a flag claimed on a deploy context passed in) is medium, and no wrong one has been seen on published code.
 */
function reported(finding: Finding, reportMediumConfidence: boolean): boolean {
  return reportMediumConfidence || finding.confidence === 'high' || finding.messageId === 'claimSkipsWait' || finding.messageId === 'claimSkipsWaitInCall';
}

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
  // A set-up call is related to the flag by name only (its body is another library's): never high.
  const confidence: Confidence = race.place.clear && overlapsItself(fnEvents) && !race.keysDiffer && !race.opens ? 'high' : 'medium';
  const describe = (messageId: MessageId, values: Record<string, string | number>) => formatMessage(messages[messageId], values);
  const pending = race.via || race.opens ? undefined : sharePendingRewrite(file, race, describe) ?? shareInFlightRewrite(file, fnEvents, race, describe);
  const messageId: MessageId = race.via ? 'checkThenActInCall' : race.opens ? 'checkThenSetUp' : 'checkThenAct';
  const fullData: Record<string, string | number> = race.via
    ? { ...data, call: `this.${race.via.method}(...)`, callLine: lineOf(race.via.call) }
    : race.opens
      ? { state: data.state, why: data.why, checkLine: data.checkLine, check: data.check, await: data.await, awaitLine: data.awaitLine, method: race.opens.method, flag: race.opens.flag, context: data.context }
      : data;
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
  const confidence: Confidence = skipped.place.clear && overlapsItself(fnEvents) ? 'high' : 'medium';
  const messageId: MessageId = skipped.via ? 'claimSkipsWaitInCall' : 'claimSkipsWait';
  const fullData: Record<string, string | number> = skipped.via ? { ...data, call: `${skipped.via.name}(...)`, callLine: lineOf(skipped.via.call) } : data;
  return {
    ruleId: 'no-check-then-act-across-await',
    messageId,
    data: fullData,
    message: formatMessage(messages[messageId], fullData),
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
