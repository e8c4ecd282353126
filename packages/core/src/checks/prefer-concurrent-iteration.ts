import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';
import type { Check } from '../engine/check.js';
import { formatMessage } from '../engine/format-message.js';
import { overallKind } from '../analysis/effects/conflicts.js';
import { concurrentLoops, type ConcurrentLoop } from '../analysis/awaits/loops.js';
import { memberName, shortText, unwrap } from '../analysis/syntax.js';
import type { Finding } from '../model/finding.js';
import { spanOf } from '../model/location.js';
import type { AnalyzedFile } from '../engine/analyzed-file.js';
import { concurrentMapRewrite } from './rewrites/concurrent-map.js';
import { positionAt } from './rewrites/layout.js';
import { isTestFile, testFilesSchema, type TestFilePolicy } from '../analysis/file-role.js';

export type MessageId = 'sequentialIterations' | 'suggestConcurrentMap';
export interface PreferConcurrentIterationOptions {
  /** Also report loops whose awaited calls cannot be classified at all (medium confidence). */
  readonly reportUnknownEffects?: boolean;
  /** Test files: `skip` them (default), report at `medium` confidence, or `report` as any file. */
  readonly testFiles?: TestFilePolicy;
}
export type Options = [PreferConcurrentIterationOptions];

const messages: Record<MessageId, string> = {
  sequentialIterations:
    'Each iteration over `{{iterable}}` waits for the one before, but none uses another\'s result; {{effects}}. Run them concurrently with Promise.all (all start at once, even when one fails; bound the concurrency for large inputs).',
  suggestConcurrentMap: 'Map `{{iterable}}` to promises and await them with Promise.all (results keep their order).',
};

const schema: JSONSchema4[] = [
  {
    type: 'object',
    properties: {
      reportUnknownEffects: {
        type: 'boolean',
        description: 'Also report loops whose awaited calls cannot be classified (medium confidence).',
      },
      testFiles: testFilesSchema,
    },
    additionalProperties: false,
  },
];

function effectsPhrase(result: ConcurrentLoop): string {
  const kinds = new Set(result.effects.map((e) => e.kind));
  const guessed = result.effects.some((e) => e.guessed);
  let phrase: string;
  if (result.teardown) return result.perItemWrites || kinds.has('read') ? 'each iteration closes or writes only what is its own (judged by name)' : 'each iteration closes only its own item (judged by name)';
  if (result.perItemWrites) phrase = 'each iteration writes its own file';
  else if (kinds.has('unknown')) phrase = 'the effects of its awaits are unknown';
  else if (overallKind(result.effects) === 'none') phrase = 'its awaits have no outside effect';
  else phrase = 'its awaits are reads';
  return guessed && !kinds.has('unknown') ? `${phrase} (judged by name)` : phrase;
}

function headSpan(file: AnalyzedFile, loop: ConcurrentLoop['loop']) {
  let end = loop.body.range[0];
  while (end > loop.range[0] && /\s/u.test(file.text[end - 1]!)) end--;
  return { start: { ...loop.loc.start }, end: positionAt(file.text, end), range: [loop.range[0], end] as const };
}

export const preferConcurrentIteration: Check<Options, MessageId> = {
  meta: {
    id: 'prefer-concurrent-iteration',
    type: 'suggestion',
    description: 'Run loop iterations that do not depend on each other concurrently',
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
    const lower = policy === 'medium' && isTestFile(file.filename);
    for (const result of concurrentLoops(file, { reportUnknownEffects: options.reportUnknownEffects ?? false })) {
      const bound = unwrap(result.iterable);
      const iterable = shortText(file.text, result.counter && bound.type === 'MemberExpression' && memberName(bound) === 'length' ? bound.object : result.iterable, 30);
      const loopLabel = result.loop.type === 'ForStatement'
        ? `\`for (let ${result.counter!.name} = 0; … < ${shortText(file.text, result.iterable, 30)}; …)\``
        : `\`for (… ${result.loop.type === 'ForInStatement' ? 'in' : 'of'} ${iterable})\``;
      const data = { iterable, effects: effectsPhrase(result) };
      const suggestionData = { iterable };
      findings.push({
        ruleId: 'prefer-concurrent-iteration',
        messageId: 'sequentialIterations',
        data,
        message: formatMessage(messages.sequentialIterations, data),
        span: headSpan(file, result.loop),
        confidence: lower ? 'medium' : result.confidence,
        suggestions: [
          {
            messageId: 'suggestConcurrentMap',
            data: suggestionData,
            description: formatMessage(messages.suggestConcurrentMap, suggestionData),
            edits: concurrentMapRewrite(file.text, result),
          },
        ],
        related: [
          { role: 'loop', span: spanOf(result.loop), label: loopLabel },
          ...result.awaits.map((a) => ({ role: 'await' as const, span: spanOf(a), label: `\`await ${shortText(file.text, a.argument, 36)}\`` })),
        ],
      });
    }
    return findings;
  },
};
