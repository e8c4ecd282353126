import { ESLintUtils, type TSESLint } from '@typescript-eslint/utils';
import { docsUrl, isStackOverflow, type Check, type Finding, type RuleId } from '@overlap/core';
import { analyzedFileFor, mayHaveFindingsIn } from './analyzed-file-for.js';

export interface OverlapRuleDocs {
  description: string;
  recommended?: boolean;
  requiresTypeChecking?: boolean;
}

const createRule = ESLintUtils.RuleCreator<OverlapRuleDocs>((name) => docsUrl(name as RuleId));

/** Reported instead of throwing: ESLint aborts the whole run when a rule throws, so one deep file would stop all. */
const tooDeepMessageId = 'codeTooDeep';
const tooDeepMessage = 'Overlap skipped this rule on this file: code nested too deeply to analyse (ran out of stack).';

/**
 * Turns an engine check into an ESLint rule. The rule only translates: findings become reports, rewrites
 * become suggestions. All decisions are the check's, so ESLint and the CLI can never disagree.
 */
export function ruleFromCheck<Options extends readonly unknown[], MessageId extends string>(
  check: Check<Options, MessageId>,
): TSESLint.RuleModule<MessageId, Options, OverlapRuleDocs> {
  const { meta } = check;
  return createRule<Options, MessageId>({
    name: meta.id,
    meta: {
      type: meta.type,
      docs: { description: meta.description, recommended: meta.recommended !== false },
      messages: { ...meta.messages, [tooDeepMessageId]: tooDeepMessage },
      schema: [...meta.schema],
      ...(meta.hasSuggestions ? { hasSuggestions: true } : {}),
    },
    defaultOptions: meta.defaultOptions,
    create(context, options) {
      return {
        'Program:exit'(program) {
          // A file without any word a rule needs (no async, await, Promise combinator, blocking call) has nothing
          // to find: the engine's text prefilter, the same the CLI uses, spares building its facts.
          if (!mayHaveFindingsIn(context)) return;
          let findings: Finding[];
          try {
            findings = check.run(analyzedFileFor(context), options);
          } catch (error) {
            if (!isStackOverflow(error)) throw error;
            context.report({ node: program, messageId: tooDeepMessageId as MessageId });
            return;
          }
          for (const finding of findings) context.report(toDescriptor<MessageId>(finding));
        },
      };
    },
  });
}

function toDescriptor<MessageId extends string>(finding: Finding): TSESLint.ReportDescriptor<MessageId> {
  return {
    messageId: finding.messageId as MessageId,
    data: finding.data,
    loc: { start: finding.span.start, end: finding.span.end },
    suggest: finding.suggestions.map((rewrite) => ({
      messageId: rewrite.messageId as MessageId,
      data: rewrite.data,
      fix: (fixer: TSESLint.RuleFixer) => rewrite.edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)),
    })),
  };
}
