import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CliIO } from '../command.js';
import type { MergeOptions } from '../commands/merge.js';
import { OverlapError, firstLine } from '../errors.js';
import { gateExitCode } from '../report/gate.js';
import { compareFindings, reportVersion, summarize, type Report, type ReportFinding } from '../report/model.js';
import { reporters } from '../reporters/index.js';
import { toolVersion } from '../version.js';

export function readReport(path: string): Report {
  let parsed: Report;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Report;
  } catch (error) {
    throw new OverlapError('OVERLAP_REPORT', `${path}: not a JSON report: ${firstLine(error)}`);
  }
  if (parsed?.version !== reportVersion || !Array.isArray(parsed.findings) || typeof parsed.summary !== 'object') {
    throw new OverlapError('OVERLAP_REPORT', `${path}: not an overlap JSON report of version ${reportVersion}`);
  }
  return parsed;
}

/** One report from several: findings concatenated without duplicates, counts added up. */
export function mergeReports(reports: readonly Report[]): Report {
  const seen = new Set<string>();
  const findings: ReportFinding[] = [];
  for (const report of reports) {
    for (const finding of report.findings) {
      const key = `${finding.file}\u0000${finding.fingerprint}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(finding);
    }
  }
  findings.sort(compareFindings);
  const total = (pick: (report: Report) => number) => reports.reduce((sum, report) => sum + (pick(report) || 0), 0);
  return {
    version: reportVersion,
    tool: { name: 'overlap', version: toolVersion },
    findings,
    errors: reports.flatMap((report) => report.errors ?? []),
    summary: summarize(findings, total((report) => report.summary.files), {
      baselined: total((report) => report.summary.baselined),
      unparsed: total((report) => report.summary.unparsed),
      durationMs: total((report) => report.summary.durationMs),
    }),
  };
}

export async function runMerge(paths: readonly string[], options: MergeOptions, io: CliIO): Promise<number> {
  const reporter = reporters[options.format];
  if (!reporter) throw new OverlapError('OVERLAP_USAGE', `unknown format "${options.format}"`);
  const merged = mergeReports(paths.map((path) => readReport(resolve(io.cwd, path))));
  const rendered = (await reporter()).default(merged, {
    cwd: io.cwd,
    color: false,
    readSource: (file) => {
      try {
        return readFileSync(resolve(io.cwd, file), 'utf8');
      } catch {
        return undefined;
      }
    },
  });
  if (options.output) {
    const output = resolve(io.cwd, options.output);
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, rendered);
  } else {
    io.stdout.write(rendered);
  }
  return options.failOn ? gateExitCode(merged, { failOn: options.failOn, maxFindings: undefined }) : 0;
}
