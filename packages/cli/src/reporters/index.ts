import type { Report, ReportError, ReportFinding } from '../report/model.js';

export interface ReporterContext {
  readonly cwd: string;
  /** Colours for terminals; reporters for machines ignore it. */
  readonly color: boolean;
  /** The text of a report file (relative to cwd), for code frames and rewrites; undefined when unreadable. */
  readonly readSource: (file: string) => string | undefined;
}

/** Turns a report into the text written to stdout or --output. Pure: no I/O but `readSource`. */
export type Reporter = (report: Report, context: ReporterContext) => string;

/**
 * A format that can write results as they come: one file's part as soon as that file is done (files in the
 * order the run lists them), then the end once the run is over. Text on a terminal and ndjson use it; whole
 * documents (JSON, SARIF, GitHub, HTML) cannot.
 */
export interface StreamingReporter {
  /** The part for one finished file: its findings (sorted by position) and its errors. */
  file(file: string, findings: readonly ReportFinding[], errors: readonly ReportError[]): string;
  /** What follows the last file (the summary); the report holds every finding already written. */
  end(report: Report): string;
}

export interface ReporterModule {
  readonly default: Reporter;
  readonly stream?: (context: ReporterContext) => StreamingReporter;
}

/**
 * Every output format, lazily imported. To add one, write src/reporters/<format>.ts (default export: a
 * `Reporter`) and add one line here; `--format` takes its choices from this table.
 */
export const reporters: Readonly<Record<string, () => Promise<ReporterModule>>> = {
  text: () => import('./text.js'),
  json: () => import('./json.js'),
  sarif: () => import('./sarif.js'),
  github: () => import('./github.js'),
  html: () => import('./html/index.js'),
  ndjson: () => import('./ndjson.js'),
};

export const formatNames: readonly string[] = Object.keys(reporters);
