import type { RootPath, RuntimeAnalysis, Suggestion, SuggestionKind } from '@overlap/runtime-analysis';
import { relativePath } from '../project/discover.js';
import type { ReportFinding } from '../report/model.js';
import type { AuditFinding } from './static-findings.js';

/** Everything the audit reporters render: the static findings and the runtime analysis joined to them. */
export interface AuditReport {
  readonly cwd: string;
  readonly findings: readonly AuditFinding[];
  /** Files the static check analysed, and how long the check and the analysis took. */
  readonly files: number;
  readonly durationMs: number;
  readonly runtime: RuntimeAnalysis;
  /** Ranked suggestions with their static finding (when they came from one). */
  readonly suggestions: readonly AuditSuggestion[];
  /** Lines of the runtime gate that failed (empty when it passed or was not asked for). */
  readonly gate: readonly string[];
}

export interface AuditSuggestion extends Suggestion {
  readonly rank: number;
  readonly staticFinding: AuditFinding | null;
}

/** The stable JSON of `overlap audit --format json` (docs/report-format.md). Paths relative to the cwd. */
export interface AuditJson {
  readonly static: { readonly findings: readonly ReportFinding[] };
  readonly runtime: {
    readonly roots: number;
    readonly totalMs: number;
    readonly criticalPath: ReadonlyArray<{ readonly file: string; readonly line: number; readonly kind: 'wait' | 'cpu'; readonly ms: number }>;
    readonly suggestions: ReadonlyArray<{
      readonly kind: SuggestionKind;
      readonly sites: ReadonlyArray<{ readonly file: string; readonly line: number }>;
      readonly predictedSavingMs: number;
      readonly confidence: 'high' | 'medium';
      readonly detail: string;
    }>;
  };
}

const ms = (value: number) => Math.round(value * 10) / 10;

export function displayPath(cwd: string, file: string): string {
  return file.startsWith('/') || /^[A-Za-z]:[\\/]/u.test(file) ? relativePath(cwd, file) : file;
}

export function toAuditJson(report: AuditReport): AuditJson {
  const { cwd, runtime } = report;
  return {
    static: { findings: report.findings.map(({ related: _related, ...finding }) => finding) },
    runtime: {
      roots: runtime.roots,
      totalMs: ms(runtime.totalMs),
      criticalPath: (runtime.slowest?.steps ?? []).map((step) => ({ file: displayPath(cwd, step.file), line: step.line, kind: step.kind, ms: ms(step.ms) })),
      suggestions: report.suggestions.map((s) => ({
        kind: s.kind,
        sites: s.sites.map((site) => ({ file: displayPath(cwd, site.file), line: site.line })),
        predictedSavingMs: s.predictedSavingMs,
        confidence: s.confidence,
        detail: s.detail,
      })),
    },
  };
}

export function joinSuggestions(runtime: RuntimeAnalysis, findings: readonly AuditFinding[], groupFinding: readonly number[]): AuditSuggestion[] {
  return runtime.suggestions.map((s, index) => ({
    ...s,
    rank: index + 1,
    staticFinding: s.finding === null ? null : (findings[groupFinding[s.finding] ?? -1] ?? null),
  }));
}

/** A root in a few words: `GET /users/:id` or the entry file. */
export function rootLabel(cwd: string, path: RootPath): string {
  return path.kind === 'http' ? path.detail : `process ${displayPath(cwd, path.detail)}`;
}
