import type { FailOn } from '../config/types.js';
import type { Report } from './model.js';

export interface GateOptions {
  readonly failOn: FailOn;
  readonly maxFindings: number | undefined;
}

/**
 * The CI gate: 1 when a finding is at or above `failOn`, or there are more findings than `maxFindings`; else 0.
 * Baselined findings are already out of the report and never count.
 */
export function gateExitCode(report: Report, options: GateOptions): 0 | 1 {
  const failing = report.findings.filter((finding) =>
    options.failOn === 'none' ? false : options.failOn === 'warn' ? true : finding.severity === 'error',
  );
  if (failing.length > 0) return 1;
  if (options.maxFindings !== undefined && report.findings.length > options.maxFindings) return 1;
  return 0;
}
