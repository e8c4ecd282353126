import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { OverlapError, firstLine } from '../errors.js';
import type { ReportFinding } from '../report/model.js';

export const baselineVersion = 1;

interface BaselineEntry {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly file: string;
  readonly message: string;
}

interface BaselineFile {
  readonly version: number;
  readonly findings: readonly BaselineEntry[];
}

/**
 * Fingerprints of accepted findings. A missing file is a usage error, not an empty baseline: a typo in the path
 * must not turn the gate into one that fails on every old finding, or passes them silently after a rename.
 */
export function readBaseline(path: string, shown: string = path): Set<string> {
  if (!existsSync(path)) throw new OverlapError('OVERLAP_BASELINE', `${shown}: no such baseline file (create it with --update-baseline)`);
  let parsed: BaselineFile;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as BaselineFile;
  } catch (error) {
    throw new OverlapError('OVERLAP_BASELINE', `${path}: not a baseline file: ${firstLine(error)}`);
  }
  if (parsed?.version !== baselineVersion || !Array.isArray(parsed.findings)) {
    throw new OverlapError('OVERLAP_BASELINE', `${path}: not an overlap baseline (expected { "version": ${baselineVersion}, "findings": [...] })`);
  }
  return new Set(parsed.findings.map((entry) => entry.fingerprint));
}

/** Writes every current finding; rule, file and message are kept for people reviewing the baseline in a diff. */
export function writeBaseline(path: string, findings: readonly ReportFinding[]): void {
  const entries: BaselineEntry[] = findings
    .map(({ fingerprint, ruleId, file, message }) => ({ fingerprint, ruleId, file, message }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ version: baselineVersion, findings: entries } satisfies BaselineFile, null, 2)}\n`);
}
