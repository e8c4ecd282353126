/** The report's stylesheet, inline in the page (no network). */
export const css = `
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

.routes-box{max-height:380px;overflow-y:auto}.routes thead th{position:sticky;top:0;background:var(--panel)}.routes td,.routes th{vertical-align:middle}.routes tbody tr{cursor:pointer}.routes tr.picked{background:#eef4ff}.route-name{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
.root-picks{text-align:left!important;white-space:nowrap}button{font:inherit;font-size:12px;border:1px solid var(--line);background:#fff;border-radius:6px;padding:2px 8px;margin:0 4px 2px 0;cursor:pointer;color:var(--ink)}
button:hover{border-color:#9aa6bd}button.on{background:var(--ink);color:#fff;border-color:var(--ink)}
.wf-controls{display:flex;gap:18px;align-items:center;flex-wrap:wrap;margin-bottom:8px;font-size:13px}.wf-controls select{font:inherit;font-size:12px;max-width:560px}.zoom{display:flex;gap:4px;align-items:center}#zoom-level{min-width:38px;text-align:center;font-variant-numeric:tabular-nums}
.sw.crit{background:#fff;border:2px solid #111827}
.wf{display:grid;grid-template-columns:170px 1fr;border:1px solid var(--line);border-radius:8px;overflow:hidden;font-size:12px}
.lane-names{border-right:1px solid var(--line);background:#fafbfc}.lane-name{height:22px;line-height:22px;padding:0 8px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;color:var(--muted);font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:11.5px}.lane-name.axis-pad{height:24px;border-bottom:1px solid var(--line)}
.wf-scroll{overflow-x:auto;overflow-y:hidden;position:relative}.wf-canvas{position:relative;min-width:100%}
.wf-axis{position:relative;height:24px;border-bottom:1px solid var(--line)}.tick{position:absolute;top:4px;padding-left:3px;border-left:1px solid #cfd5df;color:var(--muted);font-size:11px;white-space:nowrap;height:20px}
.wf-rows{position:relative}.wf-lane{position:absolute;left:0;right:0;height:22px;border-bottom:1px solid #f0f2f5}
.bar{position:absolute;height:12px;min-width:1px;border-radius:2px;cursor:default}.bar.wait{background:var(--wait);opacity:.8}.bar.cpu{background:var(--cpu)}.bar.critical{box-shadow:0 0 0 1.5px #111827}.bar.sampled{cursor:pointer}
.bar:hover{filter:brightness(.85)}
.ghost{position:absolute;height:18px;min-width:2px;border:2px dashed var(--ghost);border-radius:4px;background:rgba(16,185,129,.07)}.ghost.cpu{border-color:#b45309}
.new-end{position:absolute;top:0;bottom:0;width:2px;background:var(--ghost)}
#tip{position:fixed;display:none;z-index:10;max-width:560px;background:#0f172a;color:#e2e8f0;border-radius:8px;padding:8px 10px;font-size:12px;line-height:1.45;pointer-events:none;box-shadow:0 6px 24px rgba(0,0,0,.25)}
#tip .tip-title{font-weight:600;color:#fff}#tip .tip-chain{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:11.5px;white-space:pre}
.flame-steps{margin-bottom:6px}.flame{position:relative;border-radius:6px;overflow:hidden;font-size:11.5px}
.flame-node{position:absolute;height:19px;line-height:19px;padding:0 4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;border-right:1px solid #fff;border-bottom:1px solid #fff;color:#1f2937;cursor:default;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.flame-node:hover{filter:brightness(.9)}
`;
