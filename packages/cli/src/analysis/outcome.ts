import type { Confidence, RuleId } from '@overlap/core';

/** A 1-based line and column, as editors and ESLint print them. */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

export interface ReportEdit {
  /** Character offsets into the file as parsed (byte-order mark removed). */
  readonly range: readonly [number, number];
  readonly text: string;
  readonly start: LineColumn;
  readonly end: LineColumn;
}

export interface ReportSuggestion {
  readonly description: string;
  readonly edits: readonly ReportEdit[];
}

/** One finding of one file, as plain data (it crosses thread boundaries and lives in the cache). */
export interface FileFinding {
  readonly ruleId: RuleId;
  readonly messageId: string;
  readonly message: string;
  readonly confidence: Confidence;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly fingerprint: string;
  readonly suggestion?: ReportSuggestion;
  /** The places the finding is about (1-based line and column); `overlap audit` joins them with trace sites. */
  readonly related?: readonly ReportRelated[];
  /** A schedule finding's await dependency DAG (1-based positions): `overlap audit` prices its best schedule. */
  readonly schedule?: ReportSchedule;
}

export interface ReportSchedule {
  readonly awaits: readonly { readonly line: number; readonly column: number }[];
  readonly edges: readonly { readonly from: number; readonly to: number; readonly reason: string }[];
}

export interface ReportRelated {
  readonly role: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface Dependency {
  readonly path: string;
  readonly hash: string;
}

/** What analysing one file gave. Every variant is plain data. */
export type FileOutcome =
  | {
      readonly kind: 'analyzed';
      readonly path: string;
      readonly hash: string;
      readonly findings: readonly FileFinding[];
      /** A check that threw: reported on stderr, the rest of the run goes on. */
      readonly failures: ReadonlyArray<{ readonly ruleId: RuleId; readonly message: string }>;
      /** Files read to resolve imported callees: a cached result is valid only while they are unchanged. */
      readonly dependencies: readonly Dependency[];
    }
  | { readonly kind: 'parse-error'; readonly path: string; readonly hash: string; readonly line: number; readonly column: number; readonly message: string }
  | { readonly kind: 'read-error'; readonly path: string; readonly message: string };
