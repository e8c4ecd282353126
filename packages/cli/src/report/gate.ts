import type { FailOn } from '../config/types.js';
import type { Report } from './model.js';

export interface GateOptions {
  readonly failOn: FailOn;
  readonly maxFindings: number | undefined;
}

/**
 * The CI gate: 1 when a finding is at or above `failOn`, when a file could not be analysed (as in ESLint, a parse
 * error is an error: a gate must not pass because it could not read the code), or when there are more findings
 * than `maxFindings`; else 0. `failOn: none` reports without gating. Baselined findings are already out of the
 * report and never count.
 */
export function gateExitCode(report: Report, options: GateOptions): 0 | 1 {
  if (options.failOn !== 'none' && report.errors.length > 0) return 1;
  const failing = report.findings.filter((finding) =>
    options.failOn === 'none' ? false : options.failOn === 'warn' ? true : finding.severity === 'error',
  );
  if (failing.length > 0) return 1;
  if (options.maxFindings !== undefined && report.findings.length > options.maxFindings) return 1;
  return 0;
}
