import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FileAnalyzer, type AnalyzerSetup, type RuleSelection } from '../analysis/analyze-file.js';
import { ResultCache, defaultCacheLocation } from '../analysis/cache.js';
import type { FileOutcome } from '../analysis/outcome.js';
import { analyzeFiles, type FileTask } from '../analysis/pool.js';
import { hashBytes, stripBom } from '../analysis/resolver.js';
import { readBaseline, writeBaseline } from '../baseline/baseline.js';
import type { CliIO } from '../command.js';
import type { CheckOptions } from '../commands/check.js';
import { loadConfig } from '../config/load-config.js';
import type { ResolvedConfig } from '../config/types.js';
import { OverlapError } from '../errors.js';
import { planFixes } from '../fix/plan-fixes.js';
import { discoverProject, noFilesMessage, relativePath, type DiscoveredProject } from '../project/discover.js';
import { inShard, parseShard } from '../project/shard.js';
import { gateExitCode } from '../report/gate.js';
import { compareFindings, reportVersion, summarize, type Report, type ReportError, type ReportFinding } from '../report/model.js';
import { reporters, type StreamingReporter } from '../reporters/index.js';
import { toolVersion } from '../version.js';
import { startProgress, type Progress } from './progress.js';
import { useColor } from './terminal.js';

/** Passes of --fix: a rewrite that overlapped another is applied on the next pass, as ESLint does. */
const maxFixPasses = 5;

/** `overlap check`: config -> files -> outcomes (cached, parallel) -> fixes -> report -> exit code. */
export async function runCheck(args: readonly string[], options: CheckOptions, io: CliIO): Promise<number> {
  const started = performance.now();
  if (options.fix && options.fixDryRun) throw new OverlapError('OVERLAP_USAGE', '--fix and --fix-dry-run cannot be used together');
  if (options.updateBaseline && !options.baseline) throw new OverlapError('OVERLAP_USAGE', '--update-baseline needs --baseline <file>');
  const shard = options.shard ? parseShard(options.shard) : undefined;
  const reporter = reporters[options.format];
  if (!reporter) throw new OverlapError('OVERLAP_USAGE', `unknown format "${options.format}"`);

  // Read before the analysis: a wrong path is a usage error, not a reason to wait for the whole run.
  const baseline = options.baseline && !options.updateBaseline ? readBaseline(resolve(io.cwd, options.baseline), options.baseline) : new Set<string>();
  const config = await loadConfig(io.cwd, options.config);
  const project = await discoverProject({
    cwd: io.cwd,
    paths: args,
    project: options.project,
    configIgnores: config.ignores,
    configRoot: config.root,
    cliIgnores: options.ignore ?? [],
  });
  for (const line of [...project.warnings, ...project.notes]) io.stderr.write(`overlap: ${line}\n`);
  if (project.files.length === 0) throw new OverlapError('OVERLAP_NO_FILES', noFilesMessage(project, args.length > 0 ? args.join(' ') : io.cwd));
  const tasks: FileTask[] = project.files.filter((file) => !shard || inShard(relativePath(io.cwd, file.path), shard));

  const setup: AnalyzerSetup = {
    cwd: io.cwd,
    rules: selectedRules(config),
    units: project.units.map((unit) => ({ compilerOptions: unit.compilerOptions })),
    crossFile: options.crossFile,
    reference: io.env['OVERLAP_REFERENCE'] === '1',
  };
  const output = options.output ? resolve(io.cwd, options.output) : undefined;
  const reporterModule = await reporter();
  const context = {
    cwd: io.cwd,
    color: useColor(io, options.color, output !== undefined),
    readSource: (file: string) => readSource(resolve(io.cwd, file)),
  };
  const live = streamsLive(options, io, output) ? reporterModule.stream?.(context) : undefined;
  let outcomes = await analyzeWithCache(setup, tasks, options, io, project, live && { reporter: live, config, baseline });

  if (options.fix) {
    const fixed = await fixInPlace(setup, tasks, outcomes);
    outcomes = fixed.outcomes;
    for (const line of fixSummary(fixed.applied, outcomes, io.cwd)) io.stderr.write(`overlap: ${line}\n`);
  }
  if (options.fixDryRun) io.stdout.write(await dryRunDiff(outcomes, io.cwd));

  for (const outcome of outcomes) {
    if (outcome.kind === 'analyzed' && outcome.failures.length === 0) continue;
    const file = relativePath(io.cwd, outcome.path);
    if (outcome.kind === 'parse-error') io.stderr.write(`${file}:${outcome.line}: ${outcome.message}\n`);
    if (outcome.kind === 'read-error') io.stderr.write(`${file}:1: cannot read (${outcome.message})\n`);
    if (outcome.kind === 'analyzed') {
      for (const failure of outcome.failures) {
        // Code nested too deeply for the stack is the input's limit, not a bug: the rule is skipped on that file.
        const what = failure.message.startsWith('code nested too deeply') ? `rule ${failure.ruleId} skipped` : `internal error in rule ${failure.ruleId}`;
        io.stderr.write(`${file}:1: ${what}: ${failure.message}\n`);
      }
    }
  }
  const analysedCount = outcomes.filter((outcome) => outcome.kind === 'analyzed').length;
  if (tasks.length > 0 && analysedCount === 0) {
    throw new OverlapError('OVERLAP_NOTHING_ANALYSED', `none of the ${tasks.length} files could be analysed`);
  }

  const all = reportFindings(outcomes, config, io.cwd);
  const findings = all.filter((finding) => !baseline.has(finding.fingerprint));
  const report: Report = {
    version: reportVersion,
    tool: { name: 'overlap', version: toolVersion },
    findings,
    errors: reportErrors(outcomes, io.cwd),
    summary: summarize(findings, analysedCount, {
      baselined: all.length - findings.length,
      unparsed: outcomes.length - analysedCount,
      durationMs: Math.round(performance.now() - started),
    }),
  };

  const rendered = live ? live.end(report) : reporterModule.default(report, context);
  if (output) {
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, rendered);
  } else if (!options.fixDryRun) {
    io.stdout.write(rendered);
  }

  if (options.updateBaseline && options.baseline) {
    writeBaseline(resolve(io.cwd, options.baseline), all);
    io.stderr.write(`overlap: wrote ${all.length} finding${all.length === 1 ? '' : 's'} to ${options.baseline}\n`);
    return 0;
  }
  return gateExitCode(report, { failOn: options.failOn ?? config.failOn ?? 'error', maxFindings: options.maxFindings });
}

function selectedRules(config: ResolvedConfig): RuleSelection[] {
  return Object.entries(config.rules).flatMap(([ruleId, setting]) =>
    setting && setting.severity !== 'off' ? [{ ruleId: ruleId as RuleSelection['ruleId'], options: setting.options }] : [],
  );
}

/**
 * Results as they come: on a terminal for text (people watching), and always for ndjson (tools reading a pipe).
 * Never with --output, --fix or --fix-dry-run (the findings change after the first pass) or --update-baseline.
 */
function streamsLive(options: CheckOptions, io: CliIO, output: string | undefined): boolean {
  if (output || options.fix || options.fixDryRun || options.updateBaseline) return false;
  return options.format === 'ndjson' || (options.format === 'text' && io.stdout.isTTY === true);
}

interface LiveOutput {
  readonly reporter: StreamingReporter;
  readonly config: ResolvedConfig;
  readonly baseline: ReadonlySet<string>;
}

/**
 * Writes each file's part as soon as it and every file listed before it are done: the order is the run's file
 * order whatever order workers finish in, so two runs print the same thing.
 */
function liveWriter(live: LiveOutput, tasks: readonly FileTask[], io: CliIO, progress: Progress): (outcome: FileOutcome) => void {
  const indexOf = new Map(tasks.map((task, index) => [task.path, index]));
  const done: Array<FileOutcome | undefined> = new Array(tasks.length);
  let next = 0;
  return (outcome) => {
    const index = indexOf.get(outcome.path);
    if (index === undefined) return;
    done[index] = outcome;
    let text = '';
    for (; next < tasks.length && done[next]; next++) {
      const ready = done[next]!;
      done[next] = undefined;
      const file = relativePath(io.cwd, ready.path);
      const findings = reportFindings([ready], live.config, io.cwd).filter((finding) => !live.baseline.has(finding.fingerprint));
      text += live.reporter.file(file, findings, reportErrors([ready], io.cwd));
    }
    if (text) progress.above(() => io.stdout.write(text));
  };
}

async function analyzeWithCache(setup: AnalyzerSetup, tasks: readonly FileTask[], options: CheckOptions, io: CliIO, project: DiscoveredProject, live?: LiveOutput): Promise<FileOutcome[]> {
  const cache = options.cache
    ? ResultCache.open(resolve(io.cwd, options.cacheLocation ?? defaultCacheLocation(io.cwd)), hashBytes(JSON.stringify([setup.rules, setup.crossFile, project.units])))
    : undefined;
  const results = new Map<string, FileOutcome>();
  const pending: FileTask[] = [];
  for (const task of tasks) {
    const cached = cache?.get(task.path);
    if (cached) results.set(task.path, cached);
    else pending.push(task);
  }
  const progress = startProgress(io, options.progress, pending.length);
  const onOutcome = live ? liveWriter(live, tasks, io, progress) : undefined;
  try {
    if (onOutcome) for (const outcome of results.values()) onOutcome(outcome);
    const fresh = await analyzeFiles(setup, pending, { threads: options.threads, onProgress: progress.update, ...(onOutcome ? { onOutcome } : {}) });
    for (const outcome of fresh) {
      results.set(outcome.path, outcome);
      cache?.set(outcome);
    }
  } finally {
    progress.stop();
  }
  cache?.save();
  return tasks.map((task) => results.get(task.path)!);
}

/**
 * Writes high-confidence rewrites to disk and re-analyses the changed files, until nothing more applies. Returns
 * the final outcomes and how many rewrites went into each file.
 */
async function fixInPlace(setup: AnalyzerSetup, tasks: readonly FileTask[], outcomes: FileOutcome[]): Promise<{ outcomes: FileOutcome[]; applied: Map<string, number> }> {
  const unitOf = new Map(tasks.map((task) => [task.path, task.unit]));
  const applied = new Map<string, number>();
  let current = outcomes;
  for (let pass = 0; pass < maxFixPasses; pass++) {
    const changed = new Set<string>();
    for (const outcome of current) {
      if (outcome.kind !== 'analyzed') continue;
      const raw = readFileSync(outcome.path, 'utf8');
      const plan = planFixes(raw, outcome.findings);
      if (!plan) continue;
      writeFileSync(outcome.path, plan.text);
      changed.add(outcome.path);
      applied.set(outcome.path, (applied.get(outcome.path) ?? 0) + plan.applied);
    }
    if (changed.size === 0) break;
    // A fresh analyzer: dependencies parsed before the rewrite are stale now.
    const analyzer = new FileAnalyzer(setup);
    current = current.map((outcome) => (changed.has(outcome.path) ? analyzer.analyze(outcome.path, unitOf.get(outcome.path) ?? 0) : outcome));
  }
  return { outcomes: current, applied };
}

/** What --fix changed and what it left, and why: the lines a user reads before reviewing the diff. */
export function fixSummary(applied: ReadonlyMap<string, number>, outcomes: readonly FileOutcome[], cwd: string): string[] {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const total = [...applied.values()].reduce((sum, count) => sum + count, 0);
  const files = [...applied].map(([path, count]) => `${relativePath(cwd, path)} (${count})`);
  const lines = [total === 0 ? '--fix changed no file' : `--fix applied ${plural(total, 'rewrite')} in ${plural(applied.size, 'file')}: ${files.join(', ')}`];
  const reasons = new Map<string, number>();
  for (const outcome of outcomes) {
    if (outcome.kind !== 'analyzed') continue;
    for (const finding of outcome.findings) {
      const reason = !finding.suggestion
        ? 'no automatic rewrite'
        : finding.confidence !== 'high'
          ? 'medium confidence (left as a suggestion to review)'
          : `overlaps another rewrite (still after ${maxFixPasses} passes)`;
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  const remaining = [...reasons.values()].reduce((sum, count) => sum + count, 0);
  if (remaining > 0) lines.push(`--fix left ${plural(remaining, 'finding')}: ${[...reasons].map(([reason, count]) => `${count} ${reason}`).join(', ')}`);
  return lines;
}

async function dryRunDiff(outcomes: readonly FileOutcome[], cwd: string): Promise<string> {
  // Loaded here: jsdiff costs about 30 ms to load, and only --fix-dry-run prints a patch.
  const { createTwoFilesPatch } = await import('diff');
  const patches: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind !== 'analyzed') continue;
    const raw = readFileSync(outcome.path, 'utf8');
    const plan = planFixes(raw, outcome.findings);
    if (!plan) continue;
    const file = relativePath(cwd, outcome.path);
    const patch = createTwoFilesPatch(`a/${file}`, `b/${file}`, stripBom(raw), stripBom(plan.text), '', '', { context: 3 });
    patches.push(patch.endsWith('\n') ? patch : `${patch}\n`);
  }
  return patches.join('');
}

function reportFindings(outcomes: readonly FileOutcome[], config: ResolvedConfig, cwd: string): ReportFinding[] {
  const findings: ReportFinding[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind !== 'analyzed' || outcome.findings.length === 0) continue;
    const file = relativePath(cwd, outcome.path);
    for (const finding of outcome.findings) {
      const severity = config.rules[finding.ruleId]?.severity ?? 'off';
      if (severity === 'off') continue;
      findings.push({
        ruleId: finding.ruleId,
        severity,
        confidence: finding.confidence,
        file,
        line: finding.line,
        column: finding.column,
        endLine: finding.endLine,
        endColumn: finding.endColumn,
        message: finding.message,
        messageId: finding.messageId,
        fingerprint: finding.fingerprint,
        ...(finding.suggestion ? { suggestion: finding.suggestion } : {}),
      });
    }
  }
  return findings.sort(compareFindings);
}

function reportErrors(outcomes: readonly FileOutcome[], cwd: string): ReportError[] {
  return outcomes.flatMap((outcome): ReportError[] => {
    if (outcome.kind === 'parse-error') return [{ file: relativePath(cwd, outcome.path), line: outcome.line, column: outcome.column, message: outcome.message }];
    if (outcome.kind === 'read-error') return [{ file: relativePath(cwd, outcome.path), line: 1, column: 1, message: `cannot read (${outcome.message})` }];
    return [];
  });
}

function readSource(path: string): string | undefined {
  try {
    return stripBom(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
