import { toAuditJson, type AuditReport } from '../../audit/report.js';
import { viewData } from './view-data.js';

/**
 * The explorer's markup: empty containers the inline script fills from the embedded data. Hidden until the
 * script runs, so a page opened without scripts shows the static sections only (the critical path is in the
 * sites table and the text report).
 */
export function explorerSection(report: AuditReport): string {
  if ((report.runtime.picked ?? []).length === 0) return '<section><h2>Waterfall</h2><p class="muted">The trace has no root with frames.</p></section>';
  return `<section id="explorer" style="display:none">
<h2>Routes and roots <span class="muted">pick a root to draw it</span></h2>
<div class="routes-box"><table class="routes"><thead><tr><th>route</th><th>roots</th><th>p50 ms</th><th>p95 ms</th><th>CPU p50 ms</th><th>roots to draw</th></tr></thead><tbody id="route-rows"></tbody></table></div>
</section>
<section id="waterfall-section">
<h2>Waterfall <span id="wf-title"></span> <span class="muted" id="wf-meta"></span></h2>
<div class="wf-controls"><label>Suggestion drawn over it <select id="overlay-pick"></select></label>
<span class="zoom"><button id="zoom-out" title="zoom out">−</button><span id="zoom-level">1×</span><button id="zoom-in" title="zoom in">+</button><button id="zoom-reset" title="show the whole root">reset</button><span class="muted">or the mouse wheel over the lanes</span></span></div>
<div class="legend"><span><i class="sw wait"></i>wait</span><span><i class="sw cpu"></i>CPU on the event loop</span><span><i class="sw crit"></i>on the critical path</span><span><i class="sw ghost-sw"></i>after the suggestion (replayed)</span><span><i class="sw end-sw"></i>its end</span></div>
<p class="muted" id="overlay-note"></p>
<div class="wf"><div class="lane-names" id="lane-names"></div><div class="wf-scroll" id="wf-scroll"><div class="wf-canvas" id="wf-canvas"></div></div></div>
</section>
<section id="flame-section">
<h2>CPU flame graph <span class="muted" id="flame-title"></span></h2>
<div id="flame-steps" class="flame-steps"></div>
<p class="muted" id="flame-note"></p>
<div class="flame" id="flame"></div>
</section>`;
}

/**
 * The page's data: the audit's JSON model (what `--format json` writes) and the explorer's views. As JSON inside
 * a `<script type="application/json">`, with `<` escaped so no string in it can close the element.
 */
export function embedData(report: AuditReport): string {
  return JSON.stringify({ audit: toAuditJson(report), views: viewData(report) }).replace(/</gu, '\\u003c').replace(/\u2028/gu, '\\u2028').replace(/\u2029/gu, '\\u2029');
}
