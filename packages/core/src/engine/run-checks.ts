import type { Finding } from '../model/finding.js';
import type { RuleId } from '../model/rule-id.js';
import type { AnalyzedFile } from './analyzed-file.js';
import type { AnyCheck } from './check.js';
import { resolveOptions } from './options.js';
import { isStackOverflow } from './stack-overflow.js';

export interface EnabledCheck {
  readonly check: AnyCheck;
  /** The user's options for the rule, before defaults are applied. */
  readonly options?: readonly unknown[];
}

export interface CheckFailure {
  readonly ruleId: RuleId;
  readonly message: string;
}

export interface FileResult {
  readonly findings: Finding[];
  /** A check that threw on this file: an internal error, reported, never fatal for the rest of the run. */
  readonly failures: CheckFailure[];
}

/** Runs the enabled checks over one file, the CLI's equivalent of ESLint running the plugin's rules. */
export function runChecks(file: AnalyzedFile, enabled: readonly EnabledCheck[]): FileResult {
  const findings: Finding[] = [];
  const failures: CheckFailure[] = [];
  for (const { check, options } of enabled) {
    try {
      findings.push(...check.run(file, resolveOptions(check.meta.defaultOptions, options)));
    } catch (error) {
      const message = isStackOverflow(error)
        ? 'code nested too deeply to analyse (ran out of stack); rule skipped for this file'
        : error instanceof Error ? error.message : String(error);
      failures.push({ ruleId: check.meta.id, message });
    }
  }
  findings.sort((a, b) => a.span.range[0] - b.span.range[0] || a.ruleId.localeCompare(b.ruleId));
  return { findings, failures };
}
