import type { Log, ReportingDescriptor, Result } from 'sarif';
import { allChecks, docsUrl, ruleIds } from '@overlap/core';
import type { ReportFinding } from '../report/model.js';
import type { Reporter } from './index.js';

const informationUri = 'https://github.com/overlap-dev/overlap';

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: rules with help links, results with physical locations relative
 * to the checkout, `partialFingerprints` so alerts survive line shifts, and fixes for suggested rewrites.
 */
const sarif: Reporter = (report, context) => {
  const rules: ReportingDescriptor[] = ruleIds.map((id) => {
    const check = allChecks.find((candidate) => candidate.meta.id === id);
    const description = check?.meta.description ?? id;
    return {
      id,
      name: id.replace(/(^|-)([a-z])/gu, (_, __, letter: string) => letter.toUpperCase()),
      shortDescription: { text: description },
      fullDescription: { text: description },
      helpUri: docsUrl(id),
      help: { text: `${description} See ${docsUrl(id)}`, markdown: `${description} [Documentation](${docsUrl(id)})` },
      defaultConfiguration: { level: check?.meta.recommended === 'error' ? 'error' : check?.meta.recommended === 'warn' ? 'warning' : 'note', enabled: check !== undefined },
      properties: { tags: ['concurrency', 'async', 'performance'], precision: 'high' },
    };
  });
  const results: Result[] = report.findings.map((finding) => toResult(finding, rules));
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'overlap', version: report.tool.version, semanticVersion: report.tool.version, informationUri, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToUri(context.cwd)}/` } },
        results,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.errors.map((error) => ({
              level: 'error' as const,
              message: { text: error.message },
              locations: [{ physicalLocation: { artifactLocation: { uri: encodePath(error.file), uriBaseId: '%SRCROOT%' }, region: { startLine: error.line, startColumn: error.column } } }],
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

function toResult(finding: ReportFinding, rules: readonly ReportingDescriptor[]): Result {
  const artifactLocation = { uri: encodePath(finding.file), uriBaseId: '%SRCROOT%' };
  const result: Result = {
    ruleId: finding.ruleId,
    ruleIndex: rules.findIndex((rule) => rule.id === finding.ruleId),
    level: finding.severity === 'error' ? 'error' : 'warning',
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation,
          region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
        },
      },
    ],
    partialFingerprints: { 'overlapFingerprint/v1': finding.fingerprint },
    properties: { confidence: finding.confidence },
  };
  if (finding.suggestion) {
    result.fixes = [
      {
        description: { text: finding.suggestion.description },
        artifactChanges: [
          {
            artifactLocation,
            replacements: finding.suggestion.edits.map((edit) => ({
              deletedRegion: { startLine: edit.start.line, startColumn: edit.start.column, endLine: edit.end.line, endColumn: edit.end.column },
              insertedContent: { text: edit.text },
            })),
          },
        ],
      },
    ];
  }
  return result;
}

/** Relative paths as URI references: each segment percent-encoded, slashes kept. */
function encodePath(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function pathToUri(path: string): string {
  const normalized = path.replace(/\\/gu, '/');
  return `file://${normalized.startsWith('/') ? '' : '/'}${normalized.split('/').map(encodeURIComponent).join('/')}`;
}

export default sarif;
