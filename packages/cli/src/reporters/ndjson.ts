import type { Report, ReportError, ReportFinding } from '../report/model.js';
import type { Reporter, StreamingReporter } from './index.js';

/**
 * Newline-delimited JSON for tools that consume results as they come: one object per line, written as soon as
 * its file is done. `type` tells the records apart: "finding" (the fields of a JSON report's finding), "error"
 * (a file that could not be analysed), and one "summary" last (the JSON report's summary). docs/report-format.md.
 */
const findingLine = (finding: ReportFinding): string => `${JSON.stringify({ type: 'finding', ...finding })}\n`;
const errorLine = (error: ReportError): string => `${JSON.stringify({ type: 'error', ...error })}\n`;
const summaryLine = (report: Report): string => `${JSON.stringify({ type: 'summary', ...report.summary })}\n`;

export function stream(): StreamingReporter {
  return {
    file: (_file, findings, errors) => errors.map(errorLine).join('') + findings.map(findingLine).join(''),
    end: summaryLine,
  };
}

/** The same lines at once (with --output, or when nothing streams): findings, then errors, then the summary. */
const ndjson: Reporter = (report) => report.findings.map(findingLine).join('') + report.errors.map(errorLine).join('') + summaryLine(report);

export default ndjson;
