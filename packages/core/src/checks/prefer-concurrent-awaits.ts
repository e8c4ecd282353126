import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';
import type { AnalyzedFile } from '../engine/analyzed-file.js';
import type { Check } from '../engine/check.js';
import { formatMessage } from '../engine/format-message.js';
import { overallKind } from '../analysis/effects/conflicts.js';
import { independentAwaits, nameOf, type AwaitFacts, type ConcurrentGroup, type EarlyStart, type Schedule } from '../analysis/awaits/independent-awaits.js';
import { awaitGraphOf } from '../analysis/awaits/await-graph.js';
import { isTestFile, testFilesSchema, type TestFilePolicy } from '../analysis/file-role.js';
import type { AwaitGraph } from '../model/await-graph.js';
import { scheduleRewrite } from './rewrites/schedule.js';
import type { Finding, RelatedLocation } from '../model/finding.js';
import type { Rewrite } from '../model/fix.js';
import { spanOf } from '../model/location.js';
import { shortText, walk } from '../analysis/syntax.js';
import { earlyStartRewrite, guardedStartRewrite, hoistOperandsRewrite, promiseAllRewrite } from './rewrites/promise-all.js';
import { guardedStarts, type GuardedStart } from '../analysis/awaits/guarded-starts.js';
import { independentOperands, type OperandGroup } from '../analysis/awaits/independent-operands.js';
import type { TSESTree } from '@typescript-eslint/types';

export type MessageId =
  | 'independentPair'
  | 'independentGroup'
  | 'independentOperands'
  | 'startEarly'
  | 'schedule'
  | 'startBeforeGuard'
  | 'suggestPromiseAll'
  | 'suggestSchedule'
  | 'suggestStartEarly'
  | 'suggestHoistOperands'
  | 'suggestStartBeforeGuard';
export interface PreferConcurrentAwaitsOptions {
  /** Also group awaits whose effects cannot be classified at all (reported with medium confidence). */
  readonly reportUnknownEffects?: boolean;
  /** Test files (see `isTestFile`): `skip` them (default), report at `medium` confidence, or `report` as any file. */
  readonly testFiles?: TestFilePolicy;
}
export type Options = [PreferConcurrentAwaitsOptions];

const messages: Record<MessageId, string> = {
  independentPair:
    '{{later}} does not use {{earlier}}; {{effects}}. Run them concurrently with Promise.all (both start even when one fails).',
  independentGroup:
    '{{names}} do not use each other; {{effects}}. Run them concurrently with Promise.all (all start even when one fails).',
  independentOperands:
    '{{names}} are awaited one after the other inside one expression but do not use each other; {{effects}}. Run them concurrently with Promise.all (all start even when one fails).',
  startEarly:
    '{{later}} does not use {{chain}}; {{effects}}. Start it before them and await it here (it starts even when they fail).',
  schedule:
    '{{count}} awaits run one after another, but only {{needs}}; {{effects}}. Start each call as soon as what it uses is ready: {{plan}} ({{caveat}}).',
  startBeforeGuard:
    '{{later}} {{verb}} nothing that {{anchor}} and the code after it make, and {{effects}}. Start {{it}} before {{anchor}} and await {{it}} where {{they}} {{is}} awaited now ({{they}} then also {{runs}} when that code returns or throws first: a read wasted, nothing changed).',
  suggestPromiseAll: 'Await them together with Promise.all (all start even when one fails).',
  suggestStartEarly: 'Start `{{call}}` first, handle its rejection at once, and await it here.',
  suggestSchedule: 'Start each call as soon as its inputs are ready: {{plan}} (early starts handle their rejection at once).',
  suggestHoistOperands: 'Await them together with Promise.all before this statement (all start even when one fails).',
  suggestStartBeforeGuard: 'Start {{calls}} before {{anchor}}, handle the rejection at once, and await where the value is used.',
};

const schema: JSONSchema4[] = [
  {
    type: 'object',
    properties: {
      reportUnknownEffects: {
        type: 'boolean',
        description: 'Also report awaits whose effects cannot be classified (medium confidence).',
      },
      testFiles: testFilesSchema,
    },
    additionalProperties: false,
  },
];

function quotedList(names: readonly string[], conjunction = 'and'): string {
  const quoted = names.map((n) => (n.startsWith('`') ? n : `\`${n}\``));
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}

/**
 * How the message names each await: its name, and its line when another await of the message has the same name
 * (two `fetchText(…)` calls become "`fetchText(…)` on line 3" and "`fetchText(…)` on line 4").
 */
function namesOf(members: readonly { readonly name: string; readonly line: number }[], all = members): string[] {
  return members.map((m) => (all.filter((o) => o.name === m.name).length > 1 ? `\`${m.name}\` on line ${m.line}` : `\`${m.name}\``));
}

function named(facts: readonly AwaitFacts[]): { name: string; line: number }[] {
  return facts.map((f) => ({ name: f.name, line: f.item.awaitNode.loc.start.line }));
}

/** "both are reads", "their writes touch different resources", with "(judged by name)" when it rests on a guess. */
type Described = Pick<AwaitFacts, 'effects' | 'name' | 'guessed'>;

function effectsPhrase(members: readonly Described[]): string {
  const kinds = members.map((m) => overallKind(m.effects));
  const all = members.length === 2 ? 'both' : 'all';
  let phrase: string;
  if (kinds.every((k) => k === 'none')) phrase = `${all} are free of outside effects`;
  else if (kinds.every((k) => k === 'read' || k === 'none')) phrase = `${all} are reads`;
  else if (kinds.includes('unknown')) {
    const unknown = members[kinds.indexOf('unknown')]!;
    phrase = `the effect of \`${unknown.name}\` is unknown`;
  } else phrase = 'their writes touch different resources';
  return members.some((m) => m.guessed) && !kinds.includes('unknown') ? `${phrase} (judged by name)` : phrase;
}

function related(members: readonly AwaitFacts[]): RelatedLocation[] {
  return members.map((m) => ({ role: 'await', span: spanOf(m.item.awaitNode), label: `\`${m.label}\`` }));
}

function operandFinding(file: AnalyzedFile, group: OperandGroup): Finding {
  const data = { names: quotedList(group.members.map((m) => m.name)), effects: effectsPhrase(group.members) };
  const edits = group.hoistBefore ? hoistOperandsRewrite(file.text, group, namesAround(file, group.hoistBefore)) : undefined;
  return {
    ruleId: 'prefer-concurrent-awaits',
    messageId: 'independentOperands',
    data,
    message: formatMessage(messages.independentOperands, data),
    span: spanOf(group.members[1]!.node),
    confidence: group.confidence,
    suggestions: edits ? [rewriteOf('suggestHoistOperands', {}, edits)] : [],
    related: group.members.map((m) => ({ role: 'await', span: spanOf(m.node), label: `\`${m.label}\`` })),
  };
}

function rewriteOf(messageId: MessageId, data: Record<string, string>, edits: Rewrite['edits']): Rewrite {
  return { messageId, data, description: formatMessage(messages[messageId], data), edits };
}

function groupFinding(file: AnalyzedFile, group: ConcurrentGroup): Finding {
  const { members } = group;
  const pair = members.length === 2;
  const messageId: MessageId = pair ? 'independentPair' : 'independentGroup';
  const names = namesOf(named(members));
  const data: Record<string, string> = pair
    ? { later: names[1]!, earlier: names[0]!, effects: effectsPhrase(members) }
    : { names: quotedList(names), effects: effectsPhrase(members) };
  const edit = promiseAllRewrite(file.text, group, namesAround(file, group.span[0]!.statement));
  return {
    ruleId: 'prefer-concurrent-awaits',
    messageId,
    data,
    message: formatMessage(messages[messageId], data),
    span: spanOf(members[1]!.item.awaitNode),
    confidence: group.confidence,
    suggestions: edit ? [rewriteOf('suggestPromiseAll', {}, [edit])] : [],
    related: related(members),
  };
}

function earlyFinding(file: AnalyzedFile, early: EarlyStart): Finding {
  const { member, chain } = early;
  const kind = overallKind(member.effects);
  const effects = `${kind === 'read' ? 'it is a read' : kind === 'none' ? 'it has no outside effect' : 'its effects touch nothing they use'}${member.guessed ? ' (judged by name)' : ''}`;
  const names = namesOf(named([...chain, member]));
  const data = { later: names[names.length - 1]!, chain: quotedList(names.slice(0, -1)), effects };
  const callData = { call: shortText(file.text, member.item.awaitNode.argument, 40) };
  return {
    ruleId: 'prefer-concurrent-awaits',
    messageId: 'startEarly',
    data,
    message: formatMessage(messages.startEarly, data),
    span: spanOf(member.item.awaitNode),
    confidence: early.confidence,
    suggestions: [rewriteOf('suggestStartEarly', callData, earlyStartRewrite(file.text, early, namesAround(file, early.startAt)))],
    related: related([...chain, member]),
  };
}

/** "`y` first", "`user`, then `team`", "`a` and `b` together": the plan of a schedule, for people. */
function planPhrase(schedule: Schedule, nameOf: (f: AwaitFacts) => string): string {
  const steps = schedule.stages.map((stage) => (stage.length === 1 ? nameOf(stage[0]!) : `${quotedList(stage.map(nameOf))} together`));
  const early = quotedList(schedule.early.map(nameOf));
  const chain = steps.length === 1 ? `await ${steps[0]}` : `await ${steps.slice(0, -1).join(', then ')}, then ${steps[steps.length - 1]}`;
  return schedule.early.length > 0 ? `start ${early} first, ${chain}, and await ${early} last` : chain;
}

function scheduleFinding(file: AnalyzedFile, schedule: Schedule, graph: AwaitGraph | undefined): Finding {
  const all = named(schedule.members);
  const labels = new Map(schedule.members.map((m, i) => [m, namesOf(all)[i]!]));
  const nameOf = (f: AwaitFacts): string => labels.get(f)!;
  const needList = schedule.needs.map((n) => `${nameOf(n.member)} needs ${quotedList(n.uses.map(nameOf))}`);
  const needs = needList.length <= 3 ? quotedList(needList) : `${needList.slice(0, 3).join(', ')} and ${needList.length - 3} more`;
  const plan = planPhrase(schedule, nameOf);
  const caveat = schedule.early.length > 0 ? 'calls started early run even when another fails' : 'all of a stage start even when one fails';
  const data = { count: String(schedule.members.length), needs, effects: effectsPhrase(schedule.members), plan, caveat };
  const edit = scheduleRewrite(file.text, schedule, namesAround(file, schedule.span[0]!.statement));
  const second = schedule.members[1]!;
  return {
    ruleId: 'prefer-concurrent-awaits',
    messageId: 'schedule',
    data,
    message: formatMessage(messages.schedule, data),
    span: spanOf(second.item.awaitNode),
    confidence: schedule.confidence,
    suggestions: edit ? [rewriteOf('suggestSchedule', { plan }, [edit])] : [],
    related: related(schedule.members),
    ...(graph ? { graph } : {}),
  };
}

/** "both only read the file system", "it only runs a query command": what makes starting early harmless. */
function cheapPhrase(members: readonly AwaitFacts[]): string {
  const effects = members.flatMap((m) => m.effects.filter((e) => e.kind === 'read'));
  const subject = members.length === 1 ? 'it' : 'they';
  if (effects.every((e) => e.resource.startsWith('fs:'))) return `${subject} only read${members.length === 1 ? 's' : ''} the file system`;
  if (effects.every((e) => e.command !== undefined)) return `${subject} only run${members.length === 1 ? 's' : ''} ${quotedList([...new Set(effects.map((e) => e.command!))])}, which only quer${effects.length === 1 ? 'ies' : 'y'}`;
  return `${subject} only read${members.length === 1 ? 's' : ''} the file system or run${members.length === 1 ? 's' : ''} query commands`;
}

function guardedFinding(file: AnalyzedFile, guarded: GuardedStart): Finding {
  const { members } = guarded;
  const one = members.length === 1;
  const names = namesOf(named(members));
  const anchor = `\`${nameOf(file, { kind: 'await', statement: guarded.startAt, awaitNode: guarded.anchor, shape: 'nested' })}\` on line ${guarded.anchor.loc.start.line}`;
  const data = {
    later: quotedList(names),
    verb: one ? 'uses' : 'use',
    anchor,
    effects: cheapPhrase(members),
    it: one ? 'it' : 'them',
    they: one ? 'it' : 'they',
    is: one ? 'is' : 'are',
    runs: one ? 'runs' : 'run',
  };
  const calls = quotedList(members.map((m) => shortText(file.text, m.item.awaitNode.argument, 30)));
  const suggestionData = { calls, anchor };
  return {
    ruleId: 'prefer-concurrent-awaits',
    messageId: 'startBeforeGuard',
    data,
    message: formatMessage(messages.startBeforeGuard, data),
    span: spanOf(members[0]!.item.awaitNode),
    confidence: guarded.confidence,
    suggestions: [rewriteOf('suggestStartBeforeGuard', suggestionData, guardedStartRewrite(file.text, guarded, namesAround(file, guarded.startAt)))],
    related: [{ role: 'await', span: spanOf(guarded.anchor), label: anchor }, ...related(members)],
  };
}

/** Every identifier name the function around a statement uses (property names aside): new names must avoid them. */
function namesAround(file: AnalyzedFile, statement: TSESTree.Node): Set<string> {
  let node = statement.parent;
  while (node && node.type !== 'FunctionDeclaration' && node.type !== 'FunctionExpression' && node.type !== 'ArrowFunctionExpression' && node.type !== 'Program') node = node.parent;
  const names = new Set<string>();
  walk(node ?? file.ast, (child) => {
    if (child.type !== 'Identifier') return true;
    const parent = child.parent;
    const isPropertyName =
      (parent?.type === 'MemberExpression' && parent.property === child && !parent.computed) ||
      (parent?.type === 'Property' && parent.key === child && !parent.computed && !parent.shorthand);
    if (!isPropertyName) names.add(child.name);
    return true;
  });
  return names;
}

export const preferConcurrentAwaits: Check<Options, MessageId> = {
  meta: {
    id: 'prefer-concurrent-awaits',
    type: 'suggestion',
    description: 'Run sequential awaits that do not depend on each other concurrently',
    recommended: 'warn',
    messages,
    schema,
    defaultOptions: [{ reportUnknownEffects: false, testFiles: 'skip' }],
    hasSuggestions: true,
  },
  run(file, [options]) {
    const findings: Finding[] = [];
    const policy = options.testFiles ?? 'skip';
    if (policy === 'skip' && isTestFile(file.filename)) return findings;
    const analysisOptions = { reportUnknownEffects: options.reportUnknownEffects ?? false };
    for (const result of independentAwaits(file, analysisOptions)) {
      const graph = awaitGraphOf(file, result.body);
      const finding =
        result.kind === 'group' ? groupFinding(file, result) : result.kind === 'early' ? earlyFinding(file, result) : scheduleFinding(file, result, graph);
      findings.push(graph && !finding.graph ? { ...finding, graph } : finding);
    }
    for (const group of independentOperands(file, analysisOptions)) findings.push(operandFinding(file, group));
    for (const guarded of guardedStarts(file, analysisOptions)) findings.push(guardedFinding(file, guarded));
    return policy === 'medium' && isTestFile(file.filename) ? findings.map((f) => ({ ...f, confidence: 'medium' as const })) : findings;
  },
};
