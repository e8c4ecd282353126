import type { Confidence, RuleId } from '@overlap/core';
import type { ReportSuggestion } from '../analysis/outcome.js';

/** Bumped only on incompatible changes to the JSON report; docs/report-format.md describes each field. */
export const reportVersion = 1;

export type ReportSeverity = 'warn' | 'error';

export interface ReportFinding {
  readonly ruleId: RuleId;
  readonly severity: ReportSeverity;
  readonly confidence: Confidence;
  /** Relative to the working directory, with forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
  readonly messageId: string;
  /** Stable across unrelated edits and line shifts; what baselines and code scanning match on. */
  readonly fingerprint: string;
  readonly suggestion?: ReportSuggestion;
}

/** A file that could not be analysed: it does not parse, or cannot be read. */
export interface ReportError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface ReportSummary {
  /** Files analysed (those that parsed). */
  readonly files: number;
  readonly findings: number;
  readonly errors: number;
  readonly warnings: number;
  readonly byRule: Readonly<Record<string, number>>;
  /** Findings left out because the baseline lists them. */
  readonly baselined: number;
  /** Files that could not be analysed. */
  readonly unparsed: number;
  readonly durationMs: number;
}

export interface Report {
  readonly version: number;
  readonly tool: { readonly name: 'overlap'; readonly version: string };
  readonly findings: readonly ReportFinding[];
  readonly errors: readonly ReportError[];
  readonly summary: ReportSummary;
}

export function summarize(findings: readonly ReportFinding[], files: number, rest: Pick<ReportSummary, 'baselined' | 'unparsed' | 'durationMs'>): ReportSummary {
  const byRule: Record<string, number> = {};
  for (const finding of findings) byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  return {
    files,
    findings: findings.length,
    errors: findings.filter((finding) => finding.severity === 'error').length,
    warnings: findings.filter((finding) => finding.severity === 'warn').length,
    byRule: Object.fromEntries(Object.entries(byRule).sort(([a], [b]) => a.localeCompare(b))),
    ...rest,
  };
}

export function compareFindings(a: ReportFinding, b: ReportFinding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId);
}
