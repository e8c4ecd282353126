import { resolve } from 'node:path';
import type { StaticGroup } from '@overlap/runtime-analysis';
import type { RuleSelection } from '../analysis/analyze-file.js';
import type { ReportRelated, ReportSchedule } from '../analysis/outcome.js';
import { analyzeFiles } from '../analysis/pool.js';
import type { CliIO } from '../command.js';
import { loadConfig } from '../config/load-config.js';
import type { FailOn, ResolvedConfig } from '../config/types.js';
import { discoverProject, relativePath, noFilesMessage } from '../project/discover.js';
import { compareFindings, type ReportFinding } from '../report/model.js';

/** A static finding with the places it is about (what the audit joins with trace sites). */
export interface AuditFinding extends ReportFinding {
  readonly related: readonly ReportRelated[];
  /** The dependency DAG of the function's awaits, on schedule findings of prefer-concurrent-awaits. */
  readonly schedule?: ReportSchedule;
}

export interface StaticResult {
  readonly findings: readonly AuditFinding[];
  /** One per finding that the runtime analysis can use; `finding` indexes `findings`. */
  readonly groups: readonly StaticGroup[];
  readonly groupFinding: readonly number[];
  readonly failOn: FailOn | undefined;
  readonly files: number;
  /** The source files the check analysed (absolute), each with the compiler options of its project unit. */
  readonly sources?: ReadonlyArray<{ readonly path: string; readonly compilerOptions: Readonly<Record<string, unknown>> }>;
  /** prefer-concurrent-awaits as configured (null: off): trace candidates follow its options (test files). */
  readonly concurrentAwaits?: { readonly options: Readonly<Record<string, unknown>> } | null;
}

/**
 * The static half of an audit: the same configuration, discovery and engine as `overlap check`, keeping each
 * finding's related spans. A project without source files gives no findings (the trace alone still reports).
 */
export async function staticFindings(paths: readonly string[], configFile: string | undefined, io: CliIO): Promise<StaticResult> {
  const config = await loadConfig(io.cwd, configFile);
  const project = await discoverProject({
    cwd: io.cwd,
    paths,
    project: undefined,
    configIgnores: config.ignores,
    configRoot: config.root,
    cliIgnores: [],
  });
  for (const line of [...project.warnings, ...project.notes]) io.stderr.write(`overlap: ${line}\n`);
  if (project.files.length === 0) {
    io.stderr.write(`overlap: ${noFilesMessage(project, paths.length > 0 ? paths.join(' ') : io.cwd)}; reporting the trace only\n`);
    return { findings: [], groups: [], groupFinding: [], failOn: config.failOn, files: 0 };
  }
  const outcomes = await analyzeFiles(
    { cwd: io.cwd, rules: selectedRules(config), units: project.units.map((unit) => ({ compilerOptions: unit.compilerOptions })), crossFile: true },
    project.files,
    {},
  );
  const findings: AuditFinding[] = [];
  for (const outcome of outcomes) {
    const file = relativePath(io.cwd, outcome.path);
    if (outcome.kind === 'parse-error') io.stderr.write(`${file}:${outcome.line}: ${outcome.message}\n`);
    if (outcome.kind === 'read-error') io.stderr.write(`${file}:1: cannot read (${outcome.message})\n`);
    if (outcome.kind !== 'analyzed') continue;
    for (const f of outcome.findings) {
      const severity = config.rules[f.ruleId]?.severity ?? 'off';
      if (severity === 'off') continue;
      findings.push({
        ruleId: f.ruleId,
        severity,
        confidence: f.confidence,
        file,
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
        message: f.message,
        messageId: f.messageId,
        fingerprint: f.fingerprint,
        related: f.related ?? [],
        ...(f.schedule ? { schedule: f.schedule } : {}),
        ...(f.suggestion ? { suggestion: f.suggestion } : {}),
      });
    }
  }
  findings.sort(compareFindings);
  const groups: StaticGroup[] = [];
  const groupFinding: number[] = [];
  findings.forEach((finding, index) => {
    const group = toGroup(finding, resolve(io.cwd, finding.file));
    if (group) {
      groups.push(group);
      groupFinding.push(index);
    }
  });
  const sources = project.files.map((f) => ({ path: f.path, compilerOptions: project.units[f.unit]?.compilerOptions ?? {} }));
  const rule = config.rules['prefer-concurrent-awaits'];
  const concurrentAwaits = rule && rule.severity !== 'off' ? { options: (rule.options?.[0] as Record<string, unknown> | undefined) ?? {} } : null;
  return { findings, groups, groupFinding, failOn: config.failOn, files: outcomes.length, sources, concurrentAwaits };
}

function selectedRules(config: ResolvedConfig): RuleSelection[] {
  return Object.entries(config.rules).flatMap(([ruleId, setting]) =>
    setting && setting.severity !== 'off' ? [{ ruleId: ruleId as RuleSelection['ruleId'], options: setting.options }] : [],
  );
}

/** The runtime analysis' view of a finding: which awaits, loop or fan-out it is about. */
export function toGroup(finding: AuditFinding, file: string): StaticGroup | null {
  const awaits = finding.related.filter((r) => r.role === 'await').map((r) => ({ line: r.line, column: r.column }));
  const spanOf = (role: string) => {
    const r = finding.related.find((x) => x.role === role);
    return r ? { line: r.line, endLine: r.endLine } : null;
  };
  const base = { ruleId: finding.ruleId, file, confidence: finding.confidence };
  switch (finding.ruleId) {
    case 'prefer-concurrent-awaits':
      if (finding.schedule && finding.schedule.awaits.length >= 2) {
        // A schedule: price the best one (each await starts once the awaits it has edges from have settled).
        const nodes = finding.schedule.awaits.map((a) => ({ line: a.line, column: a.column }));
        const preds = nodes.map((_, to) => finding.schedule!.edges.filter((e) => e.to === to).map((e) => e.from));
        return { ...base, kind: 'group', awaits: nodes, span: null, dag: { preds } };
      }
      return awaits.length >= 2 ? { ...base, kind: finding.messageId === 'startEarly' ? 'start-early' : 'group', awaits, span: null } : null;
    case 'prefer-concurrent-iteration':
      return awaits.length >= 1 ? { ...base, kind: 'loop', awaits, span: spanOf('loop') } : null;
    case 'no-unbounded-concurrency':
      return { ...base, kind: 'fan-out', awaits, span: spanOf('fan-out') ?? { line: finding.line, endLine: finding.endLine } };
    default:
      return null;
  }
}
