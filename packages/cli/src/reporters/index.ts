import type { Report } from '../report/model.js';

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
 * Every output format, lazily imported. To add one, write src/reporters/<format>.ts (default export: a
 * `Reporter`) and add one line here; `--format` takes its choices from this table.
 */
export const reporters: Readonly<Record<string, () => Promise<{ default: Reporter }>>> = {
  text: () => import('./text.js'),
  json: () => import('./json.js'),
  sarif: () => import('./sarif.js'),
  github: () => import('./github.js'),
  html: () => import('./html.js'),
};

export const formatNames: readonly string[] = Object.keys(reporters);
