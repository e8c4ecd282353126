import { codeFrameColumns } from '@babel/code-frame';
import { Chalk, type ChalkInstance } from 'chalk';
import { summarize } from '../report/model.js';
import { rewriteHunks } from '../report/rewrite-diff.js';
import type { ReporterContext } from '../reporters/index.js';
import checkText from '../reporters/text.js';
import { reportVersion } from '../report/model.js';
import { toolVersion } from '../version.js';
import { displayPath, rootLabel, type AuditReport, type AuditSuggestion } from './report.js';

const fmt = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1));
const pad = (text: string, width: number) => (text.length >= width ? text : text + ' '.repeat(width - text.length));
const padLeft = (text: string, width: number) => (text.length >= width ? text : ' '.repeat(width - text.length) + text);
const maxPathSteps = 25;

/**
 * `overlap audit` for people: hangs first, then the ranked suggestions with their predicted saving, code frame
 * and rewrite, then the slowest root's critical path, the await sites that matter across roots, and the
 * static findings as `overlap check` prints them.
 */
export function renderAuditText(report: AuditReport, context: ReporterContext): string {
  const chalk = new Chalk({ level: context.color ? 1 : 0 });
  const { runtime, cwd } = report;
  const out: string[] = [];
  const slowest = runtime.slowest;
  out.push(
    chalk.bold('Overlap audit') +
      `  ${runtime.roots} root${runtime.roots === 1 ? '' : 's'} traced` +
      (slowest ? ` · slowest: ${rootLabel(cwd, slowest)} ${fmt(slowest.totalMs)} ms` : '') +
      chalk.dim(` · model replays the trace within ${fmt(runtime.modelErrorMs)} ms`),
  );
  if (runtime.processes.length > 0) {
    const longest = runtime.processes.reduce((m, p) => (p.totalMs > m.totalMs ? p : m));
    out.push(chalk.dim(`  requests are the roots; the process that served them ran ${fmt(longest.totalMs)} ms (start-up to shutdown) and is reported apart`));
  }
  if (runtime.utilisation >= 0.5) {
    out.push(
      chalk.dim(
        `  event loop ${Math.round(runtime.utilisation * 100)}% busy with traced CPU: waits include queueing behind other work, which overlapping does not remove; the model keeps it`,
      ),
    );
  }
  out.push('');

  if (runtime.hangs.length > 0) {
    out.push(chalk.red.bold(`Hangs (${runtime.hangs.length})`));
    for (const hang of runtime.hangs) {
      const where = hang.site ? `${displayPath(cwd, hang.site.file)}:${hang.site.line}` : '(unknown site)';
      const reason = hang.reason === 'pending-at-exit' ? 'still pending at exit' : hang.reason === 'killed' ? 'pending when the process was killed' : 'far longer than usual';
      const cutOff = hang.cutOff > 0 ? ` (${hang.cutOff === hang.count ? 'all' : hang.cutOff} in requests cut off by shutdown)` : '';
      const times = hang.count > 1 ? ` ×${hang.count}${cutOff}` : cutOff;
      out.push(`  ${chalk.red('●')} ${where} ${hang.name ? chalk.dim(`await ${hang.name}`) : ''} ${reason}${times}, waited ${hang.count > 1 ? 'up to ' : ''}${fmt(hang.waitedMs)} ms`);
      for (const frame of hang.chain) out.push(chalk.dim(`      in ${frame.name} (${displayPath(cwd, frame.file)}:${frame.line})`));
    }
    out.push('');
  }

  out.push(chalk.bold(report.suggestions.length > 0 ? `Suggestions, ranked by predicted saving (${report.suggestions.length})` : 'Suggestions: none'));
  if (report.suggestions.length === 0) out.push(chalk.dim('  Nothing the trace shows worth changing: no static finding ran on a path where overlapping it saves time.'));
  for (const s of report.suggestions) out.push(...renderSuggestion(s, chalk, context));
  out.push('');

  if (slowest) {
    out.push(chalk.bold(`Critical path of the slowest ${slowest.kind === 'http' ? 'request' : 'root'}: ${rootLabel(cwd, slowest)} (${fmt(slowest.totalMs)} ms)`));
    const steps = [...slowest.steps].sort((a, b) => b.ms - a.ms).slice(0, maxPathSteps);
    const shown = new Set(steps);
    const scale = slowest.steps.reduce((m, s) => Math.max(m, s.ms), 1);
    for (const step of slowest.steps) {
      if (!shown.has(step)) continue;
      const bar = '█'.repeat(Math.max(1, Math.round((step.ms / scale) * 24)));
      const kind = step.kind === 'wait' ? chalk.blue('wait') : chalk.magenta('cpu ');
      out.push(`  ${kind} ${padLeft(fmt(step.ms), 7)} ms  ${pad(`${displayPath(cwd, step.file)}:${step.line}`, 34)} ${pad(step.name, 22)} ${step.kind === 'wait' ? chalk.blue(bar) : chalk.magenta(bar)}`);
      // The user's own await lines this step is inside of, outermost first: `page.ts:14 -> api.ts:30`.
      if (step.within.length > 0) {
        const chain = step.within.map((key) => {
          const at = key.lastIndexOf(':');
          return at > 0 ? `${displayPath(cwd, key.slice(0, at))}${key.slice(at)}` : key;
        });
        const shownChain = chain.length > 4 ? [...chain.slice(0, 2), '...', ...chain.slice(-2)] : chain;
        out.push(chalk.dim(`              via ${shownChain.join(' -> ')} -> ${displayPath(cwd, step.file)}:${step.line}`));
      }
    }
    if (slowest.steps.length > maxPathSteps) out.push(chalk.dim(`  (${slowest.steps.length - maxPathSteps} shorter steps not shown)`));
    out.push('');
  }

  const routes = runtime.routes.filter((r) => r.route !== 'process');
  if (routes.length > 0) {
    out.push(chalk.bold(`Routes (${routes.length})`));
    out.push(chalk.dim(`  ${pad('route', 36)} ${padLeft('count', 7)} ${padLeft('p50', 8)} ${padLeft('p95', 8)} ${padLeft('wait p50', 9)} ${padLeft('cpu p50', 8)}  suggestions`));
    for (const r of routes.slice(0, 12)) {
      const ranks = report.suggestions.filter((s) => s.perRoute.some((x) => x.route === r.route)).map((s) => `#${s.rank}`);
      out.push(
        `  ${pad(r.route, 36)} ${padLeft(String(r.count), 7)} ${padLeft(fmt(r.p50Ms), 8)} ${padLeft(fmt(r.p95Ms), 8)} ${padLeft(fmt(r.waitP50Ms), 9)} ${padLeft(fmt(r.cpuP50Ms), 8)}  ${ranks.join(' ') || '-'}`,
      );
    }
    if (routes.length > 12) out.push(chalk.dim(`  (${routes.length - 12} more routes in --format json)`));
    out.push(chalk.dim('  ms, end to end; wait and cpu: of it, on the critical path. Pick one with --root "<METHOD /route>".'));
    out.push('');
  }

  if (runtime.sites.length > 0) {
    out.push(chalk.bold(`Await sites on critical paths (across ${runtime.roots} root${runtime.roots === 1 ? '' : 's'})`));
    out.push(chalk.dim(`  ${pad('site', 36)} ${padLeft('roots', 5)} ${padLeft('critical', 9)} ${padLeft('share', 6)} ${padLeft('p50', 7)} ${padLeft('p95', 7)} ${padLeft('drag', 7)} ${padLeft('slack', 7)}`));
    for (const site of runtime.sites.slice(0, 12)) {
      out.push(
        `  ${pad(`${displayPath(cwd, site.site.file)}:${site.site.line}`, 36)} ${padLeft(String(site.rootsOnPath), 5)} ${padLeft(fmt(site.criticalMs), 9)} ${padLeft(`${Math.round(site.share * 100)}%`, 6)} ${padLeft(fmt(site.p50), 7)} ${padLeft(fmt(site.p95), 7)} ${padLeft(fmt(site.dragMs), 7)} ${padLeft(site.slackMs === null ? '-' : fmt(site.slackMs), 7)}`,
      );
    }
    out.push(chalk.dim('  ms; drag: how much sooner the roots would end if the site took no time; slack: how much later it could finish at its join.'));
    out.push('');
  }

  out.push(chalk.bold(`Static findings (${report.findings.length})`));
  const findings = report.findings.map(({ related: _related, schedule: _schedule, ...f }) => f);
  out.push(
    checkText(
      {
        version: reportVersion,
        tool: { name: 'overlap', version: toolVersion },
        findings,
        errors: [],
        summary: summarize(findings, report.files, { baselined: 0, unparsed: 0, durationMs: report.durationMs }),
      },
      context,
    ).trimEnd(),
  );
  if (report.gate.length > 0) {
    out.push('');
    for (const line of report.gate) out.push(chalk.red(`✖ ${line}`));
  }
  return `${out.join('\n')}\n`;
}

function renderSuggestion(s: AuditSuggestion, chalk: ChalkInstance, context: ReporterContext): string[] {
  const kind = s.kind === 'parallelize' ? chalk.green(s.kind) : s.kind === 'offload-cpu' ? chalk.magenta(s.kind) : chalk.yellow(s.kind);
  const saving = s.predictedSavingMs >= 0 ? chalk.bold(`saves ${fmt(s.predictedSavingMs)} ms`) : chalk.bold(`costs ${fmt(-s.predictedSavingMs)} ms`);
  const sites = s.sites.map((site) => `${displayPath(context.cwd, site.file)}:${site.line}`).join(', ');
  const requests = s.perRoute.some((r) => r.route !== 'process');
  const unit = requests ? 'request' : 'root';
  const perRoot = s.predictedSavingMs >= 0 ? chalk.bold(`saves ${fmt(s.perRootMs)} ms per ${unit}`) : chalk.bold(`costs ${fmt(-s.perRootMs)} ms per ${unit}`);
  const lines = [
    '',
    `  ${chalk.bold(`${s.rank}.`)} ${kind}  ${s.rootsAffected > 1 ? perRoot : saving} ${chalk.dim(`(${s.rootsAffected} ${unit}${s.rootsAffected === 1 ? '' : 's'}) · ${s.confidence} confidence`)}`,
  ];
  lines.push(`     ${chalk.underline(sites)}`);
  lines.push(...wrap(s.detail, 100).map((line) => `     ${line}`));
  const finding = s.staticFinding;
  const source = finding ? context.readSource(finding.file) : undefined;
  if (finding && source !== undefined) {
    const lineNumbers = [finding.line, ...finding.related.map((r) => r.line)];
    const start = Math.min(...lineNumbers);
    const end = Math.min(Math.max(...lineNumbers, finding.endLine), start + 11);
    const frame = codeFrameColumns(source, { start: { line: start }, end: { line: end } }, { highlightCode: context.color, forceColor: context.color, linesAbove: 1, linesBelow: 1 });
    lines.push(...frame.split('\n').map((line) => `     ${line}`));
    if (finding.suggestion) {
      lines.push(`     ${chalk.cyan('rewrite:')} ${finding.suggestion.description}`);
      const hunks = rewriteHunks(source, finding.suggestion.edits);
      for (const hunk of hunks) {
        if (hunks.length > 1) lines.push(`       ${chalk.dim(`@@ line ${hunk.line} @@`)}`);
        for (const line of hunk.lines) lines.push(`       ${line.startsWith('+') ? chalk.green(line) : line.startsWith('-') ? chalk.red(line) : line}`);
      }
    }
  }
  return lines;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > width && line.length > 0) {
      lines.push(line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}
