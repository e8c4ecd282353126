import { codeFrameColumns } from '@babel/code-frame';
import { Chalk, type ChalkInstance } from 'chalk';
import { structuredPatch } from 'diff';
import { applyEdits } from '@overlap/core';
import type { ReportFinding } from '../report/model.js';
import type { Reporter, ReporterContext, StreamingReporter } from './index.js';

/** Frames longer than this show only their first lines: the location is what matters. */
const maxFrameLines = 12;

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
    end: (report) => `${summaryLine(report, chalk)}\n`,
  };
}

function renderFile(file: string, findings: readonly ReportFinding[], chalk: ChalkInstance, context: ReporterContext): string[] {
  const source = context.readSource(file);
  return [chalk.underline(file), ...findings.flatMap((finding) => renderFinding(finding, source, chalk, context))];
}

function renderFinding(finding: ReportFinding, source: string | undefined, chalk: ChalkInstance, context: ReporterContext): string[] {
  const severity = finding.severity === 'error' ? chalk.red('error') : chalk.yellow('warn ');
  const lines = [
    `  ${chalk.dim(`${finding.line}:${finding.column}`)}  ${severity}  ${finding.message}  ${chalk.dim(`overlap/${finding.ruleId}`)} ${chalk.dim(`(${finding.confidence} confidence)`)}`,
  ];
  if (source !== undefined) {
    const endLine = Math.min(finding.endLine, finding.line + maxFrameLines - 1);
    const frame = codeFrameColumns(
      source,
      { start: { line: finding.line, column: finding.column }, end: { line: endLine, column: endLine === finding.endLine ? finding.endColumn : 1000 } },
      { highlightCode: context.color, forceColor: context.color, linesAbove: 1, linesBelow: 1 },
    );
    lines.push(indent(frame, 4));
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

/** The rewrite as unified-diff lines around the edited region. */
function rewriteDiff(source: string, finding: ReportFinding, chalk: ChalkInstance): string[] {
  if (!finding.suggestion) return [];
  const rewritten = applyEdits(source, finding.suggestion.edits);
  const patch = structuredPatch('a', 'b', source, rewritten, '', '', { context: 0 });
  // Several hunks (an import added at the top, the call rewritten below) each get their line number.
  const headed = patch.hunks.length > 1;
  return patch.hunks.flatMap((hunk) => [
    ...(headed ? [chalk.dim(`@@ line ${hunk.oldLines === 0 ? hunk.oldStart + 1 : hunk.oldStart} @@`)] : []),
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
  if (summary.findings === 0) return chalk.green(`✔ No findings in ${summary.files} file${summary.files === 1 ? '' : 's'}${tail} · ${seconds}`);
  const rules = Object.entries(summary.byRule).map(([rule, count]) => `${rule} ${count}`).join(', ');
  const counts = `${summary.findings} finding${summary.findings === 1 ? '' : 's'} (${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'})`;
  const colour = summary.errors > 0 ? chalk.red : chalk.yellow;
  return `${colour(`✖ ${counts}`)} in ${summary.files} file${summary.files === 1 ? '' : 's'}${tail} · ${rules} · ${seconds}`;
}

function indent(block: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return block.split('\n').map((line) => pad + line).join('\n');
}

export default text;
