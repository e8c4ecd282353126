import type { PathStep, RootPath } from '@overlap/runtime-analysis';
import { displayPath, rootLabel, type AuditReport, type AuditSuggestion } from '../audit/report.js';
import type { ReportFinding } from '../report/model.js';
import { rewriteHunks } from '../report/rewrite-diff.js';
import type { Reporter, ReporterContext } from './index.js';

/**
 * One self-contained HTML file: inline CSS and a few lines of inline script, no network. Every piece of text
 * that came from the program (source, names, paths, messages) goes through `escape`; the script reads nothing
 * from the report, so nothing in the report can become code.
 */
export function escape(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

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
    slowest ? waterfall(report, slowest) : '<section><h2>Critical path</h2><p class="muted">The trace has no root with frames.</p></section>',
    suggestionsSection(report.suggestions, context),
    sitesSection(report),
    findingsSection(report.findings, context),
  ].join('\n');
  return page('Overlap audit', body);
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

/** Which steps the top suggestion would move, and where they would start instead. */
function overlay(report: AuditReport, root: RootPath): { moved: Map<PathStep, number>; newEnd: number | null; suggestion: AuditSuggestion | null } {
  const moved = new Map<PathStep, number>();
  const suggestion = report.suggestions.find((s) => s.kind === 'parallelize' && s.sites.length >= 2) ?? null;
  if (!suggestion) return { moved, newEnd: null, suggestion };
  const keys = suggestion.sites.map((s) => `${s.file}:${s.line}`);
  const memberOf = (step: PathStep) => {
    const own = `${step.file}:${step.line}`;
    const at = [own, ...step.within].map((k) => keys.indexOf(k)).find((i) => i >= 0);
    return at ?? -1;
  };
  const firstStart = new Map<number, number>();
  for (const step of root.steps) {
    const m = memberOf(step);
    if (m >= 0 && !firstStart.has(m)) firstStart.set(m, step.start);
  }
  const anchor = firstStart.get(0) ?? Math.min(...firstStart.values());
  for (const step of root.steps) {
    const m = memberOf(step);
    if (m > 0) moved.set(step, anchor + (step.start - (firstStart.get(m) ?? step.start)));
  }
  const affected = moved.size > 0;
  return { moved, newEnd: affected ? Math.max(0, root.totalMs - suggestion.perRootMs) : null, suggestion };
}

function waterfall(report: AuditReport, root: RootPath): string {
  const total = Math.max(root.totalMs, 0.001);
  const pct = (ms: number) => `${Math.max(0, Math.min(100, (ms / total) * 100)).toFixed(3)}%`;
  const { moved, newEnd, suggestion } = overlay(report, root);
  const rows = root.steps.map((step, i) => {
    const ghost = moved.get(step);
    const ghostBar =
      ghost !== undefined
        ? `<div class="ghost" style="left:${pct(ghost)};width:${pct(step.ms)}" title="${escape(`after suggestion ${suggestion?.rank ?? ''}: starts at ${fmt(ghost)} ms`)}"></div>`
        : '';
    const place = `${displayPath(report.cwd, step.file)}:${step.line}`;
    return `<div class="row${ghost !== undefined ? ' moved' : ''}"><div class="label" title="${escape(place)}"><span class="kind kind-${step.kind}">${step.kind}</span> <span class="place">${escape(place)}</span> <span class="name">${escape(step.name)}</span></div><div class="track">${ghostBar}<div class="step-bar ${step.kind}" data-step="${i}" style="left:${pct(step.start)};width:${pct(step.ms)}" title="${escape(`${step.kind} ${fmt(step.ms)} ms at ${fmt(step.start)} ms`)}"></div></div><div class="ms">${fmt(step.ms)} ms</div></div>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<span style="left:${(f * 100).toFixed(1)}%">${fmt(f * total)} ms</span>`).join('');
  const endLine = newEnd !== null ? `<div class="new-end" style="left:${pct(newEnd)}" title="predicted end after suggestion ${suggestion?.rank ?? ''}"></div>` : '';
  const legend = `<div class="legend"><span><i class="sw wait"></i>wait</span><span><i class="sw cpu"></i>CPU on the event loop</span>${
    moved.size > 0 ? `<span><i class="sw ghost-sw"></i>where suggestion ${suggestion!.rank} would start it</span><span><i class="sw end-sw"></i>predicted end (${fmt(newEnd!)} ms)</span>` : ''
  }</div>`;
  return `<section><h2>Critical path of the slowest root <span class="muted">${escape(rootLabel(report.cwd, root))} · ${fmt(root.totalMs)} ms · ${root.steps.length} steps</span></h2>${legend}<div class="waterfall"><div class="axis"><div class="label"></div><div class="track ticks">${ticks}</div><div class="ms"></div></div><div class="rows">${endLine ? `<div class="end-layer"><div class="label"></div><div class="track">${endLine}</div><div class="ms"></div></div>` : ''}${rows.join('')}</div></div></section>`;
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

const css = `
:root{--bg:#f6f7f9;--panel:#fff;--ink:#1d2330;--muted:#6b7385;--line:#e3e6ec;--wait:#3b82f6;--cpu:#f59e0b;--ghost:#10b981;--bad:#dc2626}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 24px 60px}h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0 0 12px}
.sub{color:var(--muted);margin-bottom:20px}.muted{color:var(--muted);font-weight:400;font-size:13px}
section{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:18px 20px;margin:16px 0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;background:none;border:0;padding:0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:14px 16px}.card-value{font-size:22px;font-weight:600}.card-label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.gate{border-color:var(--bad);background:#fef2f2;color:var(--bad)}.gate p{margin:4px 0}
.hangs{border-color:var(--bad)}.hang{margin:8px 0}.chain{margin:4px 0 0 18px;padding:0;color:var(--muted)}
.legend{display:flex;gap:18px;color:var(--muted);font-size:12px;margin-bottom:8px}.sw{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:6px;vertical-align:-2px}
.sw.wait{background:var(--wait)}.sw.cpu{background:var(--cpu)}.sw.ghost-sw{border:2px dashed var(--ghost)}.sw.end-sw{background:var(--ghost);width:3px}
.waterfall{position:relative;font-size:12px}.row,.axis,.end-layer{display:grid;grid-template-columns:330px 1fr 72px;align-items:center;gap:10px}
.rows{position:relative}.end-layer{position:absolute;inset:0;pointer-events:none}.end-layer .track{height:100%}
.row{height:24px;border-top:1px solid #f0f2f5}.row:nth-child(even){background:#fafbfc}.row:hover{background:#f8fafc}.row.moved .label{font-weight:600}
.label{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.place{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}.name{color:var(--muted)}
.kind{display:inline-block;width:34px;text-align:center;border-radius:4px;font-size:10px;font-weight:600;color:#fff}.kind-wait{background:var(--wait)}.kind-cpu{background:var(--cpu)}
.track{position:relative;height:100%}.ticks{height:20px;border-bottom:1px solid var(--line)}.ticks span{position:absolute;transform:translateX(-50%);color:var(--muted);font-size:11px;white-space:nowrap}.ticks span:first-child{transform:none}.ticks span:last-child{transform:translateX(-100%)}
.step-bar{position:absolute;top:6px;height:12px;min-width:2px;border-radius:3px}.step-bar.wait{background:var(--wait)}.step-bar.cpu{background:var(--cpu)}
.ghost{position:absolute;top:3px;height:18px;min-width:2px;border:2px dashed var(--ghost);border-radius:4px;background:rgba(16,185,129,.08)}
.new-end{position:absolute;top:0;bottom:0;width:2px;background:var(--ghost)}
.ms{text-align:right;color:var(--muted);font-variant-numeric:tabular-nums}
.suggestion,.finding{border-top:1px solid var(--line);padding:14px 0}.suggestion:first-of-type,.finding:first-of-type{border-top:0}
.suggestion header,.finding header{display:flex;gap:10px;align-items:center;flex-wrap:wrap}.rank{font-weight:700;font-size:16px}.saving{font-weight:600}
.badge{border-radius:999px;padding:1px 10px;font-size:12px;font-weight:600;color:#fff}.badge.parallelize{background:#059669}.badge.offload-cpu{background:#d97706}.badge.bound-concurrency{background:#7c3aed}.badge.sev-warn{background:#ca8a04}.badge.sev-error{background:var(--bad)}
.sites{margin:6px 0}.sites code{margin-right:8px}code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px;background:#f1f3f7;padding:1px 5px;border-radius:4px}
pre{margin:8px 0;padding:10px 0;background:#0f172a;color:#e2e8f0;border-radius:8px;overflow:auto;font:12.5px/1.55 ui-monospace,SFMono-Regular,Menlo,monospace}
.ln{display:block;padding:0 12px}.ln.mark{background:rgba(245,158,11,.18)}.num{display:inline-block;width:3.2em;color:#64748b;text-align:right;margin-right:12px;user-select:none}
.diff span{display:block;padding:0 12px}.diff .hunk{color:#94a3b8}.diff .add{background:rgba(16,185,129,.18);color:#bbf7d0}.diff .del{background:rgba(239,68,68,.18);color:#fecaca}.rewrite-title{color:var(--muted);font-size:12px;margin-top:6px}
table{width:100%;border-collapse:collapse;font-size:13px}th,td{text-align:right;padding:6px 8px;border-bottom:1px solid var(--line)}th:first-child,td:first-child{text-align:left}th{color:var(--muted);font-weight:600;font-size:12px}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
`;

/** Collapses long code frames and diffs on click; reads nothing from the report. */
const script = `document.querySelectorAll('pre').forEach(function(p){if(p.children.length>24){p.style.maxHeight='300px';p.title='click to expand';p.addEventListener('click',function(){p.style.maxHeight=p.style.maxHeight?'':'300px'})}});`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escape(title)}</title><style>${css}</style></head>
<body><main><h1>${escape(title)}</h1><div class="sub">Generated by Overlap</div>
${body}
<footer>Predicted savings come from replaying the recorded schedule with each rewrite applied; see docs/audit.md for what the model leaves out.</footer></main>
<script>${script}</script></body></html>
`;
}
