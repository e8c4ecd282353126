import { displayPath, type AuditReport, type AuditSuggestion } from '../../audit/report.js';
import { explorerScript } from './explorer-script.js';
import { embedData, explorerSection } from './explorer.js';
import { escape } from './escape.js';
import { css } from './style.js';
import type { ReportFinding } from '../../report/model.js';
import { rewriteHunks } from '../../report/rewrite-diff.js';
import type { Reporter, ReporterContext } from '../index.js';

/**
 * One self-contained HTML file: inline CSS and script, no network. The static sections are rendered here; the
 * explorer (route and root picker, lanes, zoom, hover, flame graph) is drawn by the inline script from the view
 * data embedded as JSON (see explorer.ts). Every piece of text that came from the program goes through `escape`
 * here and through `textContent` in the script.
 */
export { escape };

const fmt = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1));

/** `overlap check --format html`: the static findings alone. */
const html: Reporter = (report, context) =>
  page('Overlap check', [summaryCards([['Files', String(report.summary.files)], ['Findings', String(report.findings.length)]]), findingsSection(report.findings, context)].join('\n'));

export default html;

/** `overlap audit --format html`. */
export function renderAuditHtml(report: AuditReport, context: ReporterContext): string {
  const { runtime } = report;
  const slowest = runtime.slowest;
  const saving = report.suggestions.filter((s) => s.predictedSavingMs > 0).reduce((sum, s) => sum + s.predictedSavingMs, 0);
  const cards = summaryCards([
    ['Roots traced', String(runtime.roots)],
    ['Slowest root', slowest ? `${fmt(slowest.totalMs)} ms` : '-'],
    ['Predicted saving', `${fmt(saving)} ms`],
    ['Suggestions', String(report.suggestions.length)],
    ['Static findings', String(report.findings.length)],
    ['Hangs', String(runtime.hangs.length)],
  ]);
  const body = [
    report.gate.length > 0 ? `<section class="gate">${report.gate.map((g) => `<p>✖ ${escape(g)}</p>`).join('')}</section>` : '',
    cards,
    hangsSection(report),
    explorerSection(report),
    suggestionsSection(report.suggestions, context),
    sitesSection(report),
    findingsSection(report.findings, context),
  ].join('\n');
  return page('Overlap audit', body, embedData(report));
}

function summaryCards(cards: ReadonlyArray<readonly [string, string]>): string {
  return `<section class="cards">${cards.map(([k, v]) => `<div class="card"><div class="card-value">${escape(v)}</div><div class="card-label">${escape(k)}</div></div>`).join('')}</section>`;
}

function hangsSection(report: AuditReport): string {
  const { hangs } = report.runtime;
  if (hangs.length === 0) return '';
  const items = hangs.map((h) => {
    const where = h.site ? `${displayPath(report.cwd, h.site.file)}:${h.site.line}` : '(unknown site)';
    const reason = h.reason === 'pending-at-exit' ? 'still pending at exit' : h.reason === 'killed' ? 'pending when the process was killed' : 'far longer than usual';
    const chain = h.chain.map((f) => `<li>${escape(f.name)} <span class="muted">${escape(displayPath(report.cwd, f.file))}:${f.line}</span></li>`).join('');
    return `<div class="hang"><div><strong>${escape(where)}</strong> <code>${escape(h.name)}</code> ${escape(reason)}, waited ${fmt(h.waitedMs)} ms</div><ol class="chain">${chain}</ol></div>`;
  });
  return `<section class="hangs"><h2>Hangs</h2>${items.join('')}</section>`;
}

function suggestionsSection(suggestions: readonly AuditSuggestion[], context: ReporterContext): string {
  if (suggestions.length === 0) return '<section><h2>Suggestions</h2><p class="muted">Nothing the trace shows worth changing.</p></section>';
  const cards = suggestions.map((s) => {
    const saving = s.predictedSavingMs >= 0 ? `saves ${fmt(s.predictedSavingMs)} ms` : `costs ${fmt(-s.predictedSavingMs)} ms`;
    const sites = s.sites.map((site) => `<code>${escape(displayPath(context.cwd, site.file))}:${site.line}</code>`).join(' ');
    const finding = s.staticFinding;
    const source = finding ? context.readSource(finding.file) : undefined;
    const lines = finding ? [finding.line, ...finding.related.map((r) => r.line)] : [];
    const frame = finding && source !== undefined ? codeFrame(source, Math.min(...lines), Math.max(...lines, finding.endLine), new Set(lines)) : '';
    const rewrite = finding?.suggestion && source !== undefined ? rewriteBlock(source, finding) : '';
    return `<article class="suggestion"><header><span class="rank">${s.rank}</span><span class="badge ${s.kind}">${s.kind}</span><span class="saving">${escape(saving)}</span><span class="muted">${fmt(s.perRootMs)} ms per root · ${s.rootsAffected} root${s.rootsAffected === 1 ? '' : 's'} · ${s.confidence} confidence</span></header><div class="sites">${sites}</div><p>${escape(s.detail)}</p>${frame}${rewrite}</article>`;
  });
  return `<section><h2>Suggestions <span class="muted">ranked by predicted saving</span></h2>${cards.join('')}</section>`;
}

function sitesSection(report: AuditReport): string {
  const { sites } = report.runtime;
  if (sites.length === 0) return '';
  const rows = sites
    .slice(0, 20)
    .map(
      (s) =>
        `<tr><td><code>${escape(displayPath(report.cwd, s.site.file))}:${s.site.line}</code> ${escape(s.name)}</td><td>${s.rootsOnPath}</td><td>${fmt(s.criticalMs)}</td><td>${Math.round(s.share * 100)}%</td><td>${fmt(s.p50)}</td><td>${fmt(s.p95)}</td><td>${fmt(s.dragMs)}</td><td>${s.slackMs === null ? '-' : fmt(s.slackMs)}</td></tr>`,
    )
    .join('');
  return `<section><h2>Await sites on critical paths</h2><table><thead><tr><th>site</th><th>roots on path</th><th>critical ms</th><th>share</th><th>p50 ms</th><th>p95 ms</th><th>drag ms</th><th>slack ms</th></tr></thead><tbody>${rows}</tbody></table><p class="muted">Drag: how much sooner the roots would end if the site took no time (simulated). Slack: how much later it could finish at its join without delaying it.</p></section>`;
}

function findingsSection(findings: readonly ReportFinding[], context: ReporterContext): string {
  if (findings.length === 0) return '<section><h2>Static findings</h2><p class="muted">None.</p></section>';
  const items = findings.map((f) => {
    const source = context.readSource(f.file);
    const frame = source !== undefined ? codeFrame(source, f.line, Math.min(f.endLine, f.line + 8), new Set([f.line])) : '';
    const rewrite = f.suggestion && source !== undefined ? rewriteBlock(source, f) : '';
    return `<article class="finding"><header><span class="badge sev-${f.severity}">${f.severity}</span><code>${escape(f.file)}:${f.line}:${f.column}</code><span class="muted">overlap/${escape(f.ruleId)} · ${f.confidence} confidence</span></header><p>${escape(f.message)}</p>${frame}${rewrite}</article>`;
  });
  return `<section><h2>Static findings <span class="muted">${findings.length}</span></h2>${items.join('')}</section>`;
}

function codeFrame(source: string, from: number, to: number, marked: ReadonlySet<number>): string {
  const lines = source.split(/\r\n|\n|\r/u);
  const start = Math.max(1, from - 1);
  const end = Math.min(lines.length, Math.min(to, from + 14) + 1);
  const rows: string[] = [];
  for (let n = start; n <= end; n++) {
    rows.push(`<span class="ln${marked.has(n) ? ' mark' : ''}"><span class="num">${n}</span>${escape(lines[n - 1] ?? '')}</span>`);
  }
  return `<pre class="code">${rows.join('')}</pre>`;
}

function rewriteBlock(source: string, finding: ReportFinding): string {
  if (!finding.suggestion) return '';
  const hunks = rewriteHunks(source, finding.suggestion.edits);
  const lines = hunks.flatMap((h) => [
    ...(hunks.length > 1 ? [`<span class="hunk">@@ line ${h.line} @@</span>`] : []),
    ...h.lines.map((l) => `<span class="${l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : ''}">${escape(l)}</span>`),
  ]);
  return `<div class="rewrite"><div class="rewrite-title">Rewrite: ${escape(finding.suggestion.description)}</div><pre class="diff">${lines.join('')}</pre></div>`;
}

function page(title: string, body: string, data?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escape(title)}</title><style>${css}</style></head>
<body><main><h1>${escape(title)}</h1><div class="sub">Generated by Overlap</div>
${body}
<footer>Predicted savings come from replaying the recorded schedule with each rewrite applied; see docs/audit.md for what the model leaves out.</footer></main>
<div id="tip" role="tooltip"></div>
${data === undefined ? '' : `<script type="application/json" id="overlap-data">${data}</script>`}
<script>${explorerScript}</script></body></html>
`;
}
