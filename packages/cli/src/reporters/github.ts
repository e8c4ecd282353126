import type { Reporter } from './index.js';

/**
 * GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.
 * https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
const github: Reporter = (report) => {
  const lines = report.findings.map((finding) => {
    const command = finding.severity === 'error' ? 'error' : 'warning';
    const properties = [
      `file=${escapeProperty(finding.file)}`,
      `line=${finding.line}`,
      `endLine=${finding.endLine}`,
      `col=${finding.column}`,
      `endColumn=${finding.endColumn}`,
      `title=${escapeProperty(`overlap/${finding.ruleId} (${finding.confidence} confidence)`)}`,
    ];
    return `::${command} ${properties.join(',')}::${escapeData(finding.message)}`;
  });
  for (const error of report.errors) {
    lines.push(`::error file=${escapeProperty(error.file)},line=${error.line},col=${error.column},title=${escapeProperty('overlap: not analysed')}::${escapeData(error.message)}`);
  }
  const { summary } = report;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  lines.push(`overlap: ${plural(summary.findings, 'finding')} (${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}) in ${plural(summary.files, 'file')}`);
  return `${lines.join('\n')}\n`;
};

/** Message text: `%`, CR and LF would end or corrupt the command. */
export function escapeData(value: string): string {
  return value.replace(/%/gu, '%25').replace(/\r/gu, '%0D').replace(/\n/gu, '%0A');
}

/** Property values additionally cannot hold `:` or `,`, which separate properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/gu, '%3A').replace(/,/gu, '%2C');
}

export default github;
