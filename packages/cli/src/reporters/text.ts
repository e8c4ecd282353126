import { codeFrameColumns } from '@babel/code-frame';
import { Chalk, type ChalkInstance } from 'chalk';
import type { ReportFinding } from '../report/model.js';
import { rewriteHunks } from '../report/rewrite-diff.js';
import type { Reporter, ReporterContext, StreamingReporter } from './index.js';

/** A finding longer than this shows only its first lines and a count of the rest: the location is what matters. */
const maxFrameLines = 6;

/**
 * For people at a terminal: findings grouped by file, each with a code frame and the suggested rewrite as a small
 * diff, then one summary line with counts per rule and the time taken.
 */
const text: Reporter = (report, context) => {
  const chalk = new Chalk({ level: context.color ? 1 : 0 });
  const out: string[] = [];
  const byFile = new Map<string, ReportFinding[]>();
  for (const finding of report.findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);

  for (const [file, findings] of byFile) out.push(...renderFile(file, findings, chalk, context));
  out.push(...renderErrors(report, chalk));
  out.push(summaryLine(report, chalk));
  return `${out.join('\n')}\n`;
};

/**
 * On a terminal: each file's findings as soon as the file is done (the CLI keeps the progress bar below them), the
 * summary line last. The same lines as the whole report, file by file in the run's order.
 */
export function stream(context: ReporterContext): StreamingReporter {
  const chalk = new Chalk({ level: context.color ? 1 : 0 });
  return {
    file: (file, findings) => (findings.length === 0 ? '' : `${renderFile(file, findings, chalk, context).join('\n')}\n`),
    end: (report) => `${[...renderErrors(report, chalk), summaryLine(report, chalk)].join('\n')}\n`,
  };
}

function renderFile(file: string, findings: readonly ReportFinding[], chalk: ChalkInstance, context: ReporterContext): string[] {
  const source = context.readSource(file);
  // Locations padded to the widest in the file, so messages start in one column however long the numbers.
  const width = Math.max(...findings.map((finding) => `${finding.line}:${finding.column}`.length));
  return [chalk.underline(file), ...findings.flatMap((finding) => renderFinding(finding, source, chalk, context, width))];
}

/** A file that does not parse fails the gate like an error finding, so it is listed like one. */
function renderErrors(report: Parameters<Reporter>[0], chalk: ChalkInstance): string[] {
  return report.errors.flatMap((error) => [
    chalk.underline(error.file),
    `  ${chalk.dim(`${error.line}:${error.column}`)}  ${chalk.red('error')}  Not analysed: ${error.message}`,
    '',
  ]);
}

function renderFinding(finding: ReportFinding, source: string | undefined, chalk: ChalkInstance, context: ReporterContext, width: number): string[] {
  const severity = finding.severity === 'error' ? chalk.red('error') : chalk.yellow('warn ');
  const lines = [
    `  ${chalk.dim(`${finding.line}:${finding.column}`.padEnd(width))}  ${severity}  ${finding.message}  ${chalk.dim(`overlap/${finding.ruleId}`)}${confidenceNote(finding, chalk)}`,
  ];
  if (source !== undefined) {
    lines.push(indent(codeFrame(source, finding, context.color), 4));
    if (finding.suggestion) {
      lines.push(`    ${chalk.cyan('suggestion:')} ${finding.suggestion.description}`);
      lines.push(...rewriteDiff(source, finding, chalk).map((line) => `      ${line}`));
    }
  } else if (finding.suggestion) {
    lines.push(`    ${chalk.cyan('suggestion:')} ${finding.suggestion.description}`);
  }
  lines.push('');
  return lines;
}

/**
 * The code frame of a finding: a long span shows its first lines and how many more there are, and the carets
 * stop at the end of each source line (a span's end column can lie past it, at a line break).
 */
export function codeFrame(source: string, finding: Pick<ReportFinding, 'line' | 'column' | 'endLine' | 'endColumn'>, color: boolean): string {
  const sourceLines = source.split(/\r?\n|\r/u);
  const lineEnd = (line: number) => (sourceLines[line - 1]?.length ?? 0) + 1;
  const truncated = finding.endLine - finding.line + 1 > maxFrameLines;
  const endLine = truncated ? finding.line + maxFrameLines - 1 : finding.endLine;
  // Exclusive, as in ESLint; babel reads a single line's end as exclusive but a later line's as inclusive.
  const endColumn = Math.min(truncated ? lineEnd(endLine) : finding.endColumn, lineEnd(endLine));
  const startColumn = Math.min(finding.column, lineEnd(finding.line));
  const end = endLine === finding.line ? Math.max(endColumn, startColumn + 1) : Math.max(endColumn - 1, 1);
  const frame = codeFrameColumns(
    source,
    { start: { line: finding.line, column: startColumn }, end: { line: endLine, column: end } },
    { highlightCode: color, forceColor: color, linesAbove: 1, linesBelow: truncated ? 0 : 1 },
  );
  if (!truncated) return frame;
  const more = finding.endLine - endLine;
  const gutter = ' '.repeat(String(endLine).length + 2);
  return `${frame}\n${gutter} | … ${more} more line${more === 1 ? '' : 's'} of this finding (to line ${finding.endLine})`;
}

/** The rewrite as unified-diff lines around the edited region. */
function rewriteDiff(source: string, finding: ReportFinding, chalk: ChalkInstance): string[] {
  if (!finding.suggestion) return [];
  const hunks = rewriteHunks(source, finding.suggestion.edits);
  // Several hunks (an import added at the top, the call rewritten below) each get their line number.
  const headed = hunks.length > 1;
  return hunks.flatMap((hunk) => [
    ...(headed ? [chalk.dim(`@@ line ${hunk.line} @@`)] : []),
    ...hunk.lines.map((line) => (line.startsWith('+') ? chalk.green(line) : line.startsWith('-') ? chalk.red(line) : line)),
  ]);
}

function summaryLine(report: Parameters<Reporter>[0], chalk: ChalkInstance): string {
  const { summary } = report;
  const seconds = `${(summary.durationMs / 1000).toFixed(2)}s`;
  const extras: string[] = [];
  if (summary.baselined > 0) extras.push(`${summary.baselined} baselined`);
  if (summary.unparsed > 0) extras.push(`${summary.unparsed} file${summary.unparsed === 1 ? '' : 's'} not analysed`);
  const tail = extras.length > 0 ? ` (${extras.join(', ')})` : '';
  if (summary.findings === 0 && report.errors.length === 0) return chalk.green(`✔ No findings in ${summary.files} file${summary.files === 1 ? '' : 's'}${tail} · ${seconds}`);
  const rules = Object.entries(summary.byRule).map(([rule, count]) => `${rule} ${count}`).join(', ');
  const counts = `${summary.findings} finding${summary.findings === 1 ? '' : 's'} (${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'})`;
  const colour = summary.errors > 0 || report.errors.length > 0 ? chalk.red : chalk.yellow;
  return `${colour(`✖ ${counts}`)} in ${summary.files} file${summary.files === 1 ? '' : 's'}${tail} · ${rules ? `${rules} · ` : ''}${seconds}`;
}

function indent(block: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return block.split('\n').map((line) => pad + line).join('\n');
}

export default text;

/**
 * The confidence after the rule id, unless the message already gives it with its reason (the blocking and fan-out
 * rules do, so ESLint users see it too): the same words twice on one line read as a mistake.
 */
function confidenceNote(finding: ReportFinding, chalk: ChalkInstance): string {
  return finding.message.includes(`(${finding.confidence} confidence`) ? '' : ` ${chalk.dim(`(${finding.confidence} confidence)`)}`;
}
