import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';
import type { Finding } from '../model/finding.js';
import type { RuleId } from '../model/rule-id.js';
import type { AnalyzedFile } from './analyzed-file.js';

export interface CheckMeta<MessageId extends string, Options extends readonly unknown[]> {
  readonly id: RuleId;
  /** ESLint's rule type. */
  readonly type: 'problem' | 'suggestion';
  /** One sentence, imperative, shown in the rule table and in `meta.docs.description`. */
  readonly description: string;
  /** Severity in the recommended configs; `false` keeps the rule out of them. */
  readonly recommended: 'error' | 'warn' | false;
  /** Every message template, suggestion messages included, by id. Placeholders are `{{name}}`. */
  readonly messages: Readonly<Record<MessageId, string>>;
  /** ESLint options schema (the array form). */
  readonly schema: readonly JSONSchema4[];
  readonly defaultOptions: Options;
  readonly hasSuggestions: boolean;
}

/**
 * One detector. Pure: reads an analysed file and the resolved options, returns findings. The ESLint plugin and the
 * CLI both run checks through this interface; neither has rule logic of its own.
 */
export interface Check<Options extends readonly unknown[] = readonly unknown[], MessageId extends string = string> {
  readonly meta: CheckMeta<MessageId, Options>;
  run(file: AnalyzedFile, options: Options): Finding[];
}

/** Erases a check's option and message types so checks of different rules fit in one list. */
export type AnyCheck = Check<readonly any[], string>;
