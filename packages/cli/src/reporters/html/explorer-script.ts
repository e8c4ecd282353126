/**
 * The explorer's inline script: reads the view data from the page's JSON block and draws the route and root
 * picker, the lanes of the chosen root with the chosen suggestion's schedule over them, the hover details, the
 * zoom, and the flame graph of a CPU step. Text from the program only ever goes through `textContent`, so nothing
 * in a report can become markup or code. Plain ES2017, no template literals (this file is itself one).
 */
export const explorerScript = String.raw`
(function () {
  var holder = document.getElementById('overlap-data');
  if (!holder) return;
  var V = JSON.parse(holder.textContent).views;
  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
  var fmt = function (ms) { return Math.abs(ms) >= 100 ? ms.toFixed(0) : Math.abs(ms) >= 10 ? ms.toFixed(1) : ms.toFixed(2); };
  var state = { root: -1, suggestion: -1, zoom: 1, flame: null };
  var tip = $('tip');

  function showTip(lines, x, y) {
    tip.textContent = '';
    lines.forEach(function (line, i) { tip.appendChild(el('div', i === 0 ? 'tip-title' : line.indexOf('  ') === 0 ? 'tip-chain' : '', line)); });
    tip.style.display = 'block';
    var w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.min(x + 14, window.innerWidth - w - 8) + 'px';
    tip.style.top = (y + 16 + h > window.innerHeight ? y - h - 10 : y + 16) + 'px';
  }
  function hideTip() { tip.style.display = 'none'; }

  // Route and root picker.
  function drawPicker() {
    var body = $('route-rows');
    body.textContent = '';
    V.routes.forEach(function (route) {
      var tr = el('tr');
      if (route.roots.indexOf(state.root) >= 0) tr.className = 'picked';
      tr.appendChild(el('td', 'route-name', route.route));
      tr.appendChild(el('td', '', String(route.count)));
      tr.appendChild(el('td', '', fmt(route.p50Ms)));
      tr.appendChild(el('td', '', fmt(route.p95Ms)));
      tr.appendChild(el('td', '', fmt(route.cpuP50Ms)));
      var cell = el('td', 'root-picks');
      route.roots.forEach(function (index) {
        var root = V.roots[index];
        var b = el('button', 'root-pick' + (index === state.root ? ' on' : ''), root.picks.join(' / ') + ' ' + fmt(root.totalMs) + ' ms');
        b.setAttribute('data-root', String(index));
        b.title = root.label;
        b.addEventListener('click', function () { pickRoot(index); });
        cell.appendChild(b);
      });
      tr.appendChild(cell);
      tr.addEventListener('click', function (e) { if (e.target === tr || e.target.tagName === 'TD') pickRoot(route.roots[0]); });
      body.appendChild(tr);
    });
  }

  function pickRoot(index) {
    state.root = index;
    state.zoom = 1;
    state.flame = null;
    // The suggestion drawn over it: the best-ranked one that changes this root.
    state.suggestion = -1;
    for (var i = 0; i < V.suggestions.length; i++) if (V.suggestions[i].after[index]) { state.suggestion = i; break; }
    drawAll();
  }

  function drawSuggestionPicker() {
    var select = $('overlay-pick');
    select.textContent = '';
    var none = el('option', '', 'none');
    none.value = '-1';
    select.appendChild(none);
    V.suggestions.forEach(function (s, i) {
      var changes = !!s.after[state.root];
      var o = el('option', '', s.title + (changes ? '' : ' (does not change this root)'));
      o.value = String(i);
      select.appendChild(o);
    });
    select.value = String(state.suggestion);
  }

  // Waterfall.
  function niceStep(raw) {
    var p = Math.pow(10, Math.floor(Math.log10(raw)));
    var m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }

  function drawWaterfall() {
    var root = V.roots[state.root];
    var s = V.suggestions[state.suggestion];
    var after = s ? s.after[state.root] : null;
    var total = Math.max(root.totalMs, after ? after.totalMs : 0, 0.001);
    var lanes = Math.max(root.lanes, after ? after.lanes : 0);
    $('wf-title').textContent = root.label;
    $('wf-meta').textContent = root.route + ' · ' + root.picks.join(', ') + ' · ' + fmt(root.totalMs) + ' ms · ' + root.lanes + ' lane' + (root.lanes === 1 ? '' : 's') + (root.omitted ? ' · ' + root.omitted + ' shortest bars left out' : '');
    $('overlay-note').textContent = !s ? '' : after ? 'Dashed: where suggestion #' + s.rank + ' would run each step (replayed); the green line is its end, ' + fmt(after.totalMs) + ' ms instead of ' + fmt(root.totalMs) + ' ms.' : 'Suggestion #' + s.rank + ' does not change this root.';
    var names = $('lane-names');
    names.textContent = '';
    names.appendChild(el('div', 'lane-name axis-pad', ''));
    for (var l = 0; l < lanes; l++) names.appendChild(el('div', 'lane-name', root.laneNames[l] || (after ? after.laneNames[l] || '' : '')));
    var canvas = $('wf-canvas');
    canvas.textContent = '';
    canvas.style.width = (state.zoom * 100) + '%';
    canvas.setAttribute('data-zoom', String(state.zoom));
    canvas.setAttribute('data-total', String(total));
    var axis = el('div', 'wf-axis');
    axis.id = 'wf-axis';
    canvas.appendChild(axis);
    var rows = el('div', 'wf-rows');
    rows.style.height = (lanes * 22) + 'px';
    for (var r = 0; r < lanes; r++) { var row = el('div', 'wf-lane'); row.style.top = (r * 22) + 'px'; rows.appendChild(row); }
    var pct = function (ms) { return Math.max(0, Math.min(100, ms / total * 100)) + '%'; };
    root.bars.forEach(function (bar, i) {
      var b = el('div', 'bar ' + bar.kind + (bar.critical ? ' critical' : '') + (bar.flame !== undefined ? ' sampled' : ''));
      b.style.left = pct(bar.start);
      b.style.width = pct(bar.ms);
      b.style.top = (bar.lane * 22 + 5) + 'px';
      b.setAttribute('data-bar', String(i));
      rows.appendChild(b);
    });
    if (after) {
      after.bars.forEach(function (bar, i) {
        var g = el('div', 'ghost ' + bar.kind);
        g.style.left = pct(bar.start);
        g.style.width = pct(bar.ms);
        g.style.top = (bar.lane * 22 + 2) + 'px';
        g.setAttribute('data-ghost', String(i));
        rows.appendChild(g);
      });
      var end = el('div', 'new-end');
      end.style.left = pct(after.totalMs);
      end.title = 'end after suggestion #' + s.rank + ': ' + fmt(after.totalMs) + ' ms';
      rows.appendChild(end);
    }
    canvas.appendChild(rows);
    drawAxis();
    $('zoom-level').textContent = (state.zoom < 10 ? state.zoom.toFixed(1) : state.zoom.toFixed(0)) + '×';
  }

  function drawAxis() {
    var axis = $('wf-axis');
    var canvas = $('wf-canvas');
    var total = Number(canvas.getAttribute('data-total'));
    var width = Math.max(1, canvas.getBoundingClientRect().width);
    var step = niceStep(total * 110 / width);
    axis.textContent = '';
    for (var t = 0; t <= total + 1e-9; t += step) {
      var tick = el('span', 'tick', fmt(t) + ' ms');
      tick.style.left = (t / total * 100) + '%';
      axis.appendChild(tick);
    }
    axis.setAttribute('data-step', String(step));
  }

  function setZoom(zoom, anchorX) {
    var scroll = $('wf-scroll');
    var old = $('wf-canvas').getBoundingClientRect().width;
    var x = anchorX === undefined ? scroll.clientWidth / 2 : anchorX;
    var at = (scroll.scrollLeft + x) / old;
    state.zoom = Math.max(1, Math.min(400, zoom));
    $('wf-canvas').style.width = (state.zoom * 100) + '%';
    $('wf-canvas').setAttribute('data-zoom', String(state.zoom));
    var now = $('wf-canvas').getBoundingClientRect().width;
    scroll.scrollLeft = at * now - x;
    drawAxis();
    $('zoom-level').textContent = (state.zoom < 10 ? state.zoom.toFixed(1) : state.zoom.toFixed(0)) + '×';
  }

  function barTip(e) {
    var t = e.target;
    var root = V.roots[state.root];
    if (t.hasAttribute('data-bar')) {
      var bar = root.bars[Number(t.getAttribute('data-bar'))];
      var lines = [(bar.kind === 'wait' ? 'wait ' : 'CPU ') + fmt(bar.ms) + ' ms · ' + bar.site + ' ' + bar.name, (bar.kind === 'wait' ? 'waiting (I/O, timers, other work)' : 'CPU on the event loop') + ', from ' + fmt(bar.start) + ' ms to ' + fmt(bar.start + bar.ms) + ' ms' + (bar.critical ? ' · on the critical path' : ''), 'chain:'];
      bar.chain.forEach(function (c, i) { lines.push('  ' + (i > 0 ? '→ ' : '') + c); });
      if (bar.flame !== undefined) lines.push('click for its flame graph');
      showTip(lines, e.clientX, e.clientY);
    } else if (t.hasAttribute('data-ghost')) {
      var s = V.suggestions[state.suggestion];
      var g = s.after[state.root].bars[Number(t.getAttribute('data-ghost'))];
      var glines = ['after suggestion #' + s.rank + ': ' + (g.kind === 'wait' ? 'wait ' : 'CPU ') + fmt(g.ms) + ' ms · ' + g.site + ' ' + g.name, 'from ' + fmt(g.start) + ' ms to ' + fmt(g.start + g.ms) + ' ms (replayed)', 'chain:'];
      g.chain.forEach(function (c, i) { glines.push('  ' + (i > 0 ? '→ ' : '') + c); });
      showTip(glines, e.clientX, e.clientY);
    } else hideTip();
  }

  // Flame graph.
  function drawFlameChoices() {
    var root = V.roots[state.root];
    var list = $('flame-steps');
    list.textContent = '';
    var s = V.suggestions[state.suggestion];
    if (s && s.flames[state.root]) {
      var sb = el('button', 'flame-pick' + (state.flame && state.flame.suggestion === state.suggestion ? ' on' : ''), 'what suggestion #' + s.rank + ' (' + s.kind + ') would move');
      sb.addEventListener('click', function () { state.flame = { suggestion: state.suggestion }; drawFlame(); drawFlameChoices(); });
      list.appendChild(sb);
    }
    root.bars.map(function (b, i) { return { b: b, i: i }; }).filter(function (x) { return x.b.flame !== undefined; }).sort(function (a, b) { return b.b.ms - a.b.ms; }).slice(0, 12).forEach(function (x) {
      var b = el('button', 'flame-pick' + (state.flame && state.flame.bar === x.i ? ' on' : ''), x.b.name + ' ' + x.b.site + ' · ' + fmt(x.b.ms) + ' ms');
      b.setAttribute('data-flame-bar', String(x.i));
      b.addEventListener('click', function () { state.flame = { bar: x.i }; drawFlame(); drawFlameChoices(); });
      list.appendChild(b);
    });
  }

  function currentFlame() {
    var root = V.roots[state.root];
    if (!state.flame) {
      var s = V.suggestions[state.suggestion];
      if (s && s.flames[state.root]) state.flame = { suggestion: state.suggestion };
      else {
        var best = -1;
        root.bars.forEach(function (b, i) { if (b.flame !== undefined && (best < 0 || b.ms > root.bars[best].ms)) best = i; });
        if (best >= 0) state.flame = { bar: best };
      }
    }
    if (!state.flame) return null;
    if (state.flame.suggestion !== undefined) { var sg = V.suggestions[state.flame.suggestion]; return sg && sg.flames[state.root] ? { node: sg.flames[state.root], title: 'CPU suggestion #' + sg.rank + ' would move off the event loop' } : null; }
    var bar = root.bars[state.flame.bar];
    return bar && bar.flame !== undefined ? { node: root.flames[bar.flame], title: 'CPU step ' + bar.name + ' ' + bar.site + ' at ' + fmt(bar.start) + ' ms' } : null;
  }

  function drawFlame() {
    var box = $('flame');
    var note = $('flame-note');
    box.textContent = '';
    var f = currentFlame();
    var root = V.roots[state.root];
    var cpuBars = root.bars.filter(function (b) { return b.kind === 'cpu'; }).length;
    if (!f) {
      box.style.height = '0px';
      note.textContent = '';
      if (!V.cpuProfile) {
        note.appendChild(document.createTextNode('No CPU profile in this trace. Record one to see which functions each CPU step spent its time in: '));
        note.appendChild(el('code', '', 'overlap audit --cpu-profile -- node app.js'));
        note.appendChild(document.createTextNode(' (or '));
        note.appendChild(el('code', '', 'overlap trace --cpu-profile -o trace.ndjson -- node app.js'));
        note.appendChild(document.createTextNode(', then '));
        note.appendChild(el('code', '', 'overlap audit --trace trace.ndjson'));
        note.appendChild(document.createTextNode('). See docs/audit.md for 0x.'));
      } else note.textContent = cpuBars === 0 ? 'This root has no CPU steps.' : 'No CPU samples fell in this root\'s steps: the profile samples every 1 ms, so shorter steps are rarely seen.';
      $('flame-title').textContent = '';
      return;
    }
    note.textContent = 'Width: share of the samples; each row is one call deeper. Hover for the function, its file and line, and its time.';
    $('flame-title').textContent = f.title;
    var total = Math.max(1, f.node.samples);
    var depth = 0;
    var place = function (node, left, level) {
      depth = Math.max(depth, level + 1);
      var width = node.samples / total * 100;
      var d = el('div', 'flame-node', width > 4 ? node.name : '');
      d.style.left = left + '%';
      d.style.width = width + '%';
      d.style.top = (level * 20) + 'px';
      d.style.background = 'hsl(' + (20 + (hash(node.name) % 40)) + ',85%,' + (62 - Math.min(level, 6) * 3) + '%)';
      d.addEventListener('mousemove', function (e) { showTip([node.name + ' · ' + fmt(node.ms) + ' ms', node.site, node.samples + ' sample' + (node.samples === 1 ? '' : 's') + ', ' + (node.samples / total * 100).toFixed(1) + '% of the step'], e.clientX, e.clientY); e.stopPropagation(); });
      d.addEventListener('mouseleave', hideTip);
      box.appendChild(d);
      var at = left;
      node.children.forEach(function (c) { place(c, at, level + 1); at += c.samples / total * 100; });
    };
    place(f.node, 0, 0);
    box.style.height = (depth * 20) + 'px';
  }

  function hash(s) { var h = 0; for (var i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0; return h; }

  function drawAll() {
    drawPicker();
    drawSuggestionPicker();
    drawWaterfall();
    drawFlameChoices();
    drawFlame();
  }

  if (V.roots.length === 0) return;
  $('explorer').style.display = '';
  $('overlay-pick').addEventListener('change', function (e) { state.suggestion = Number(e.target.value); state.flame = null; drawWaterfall(); drawFlameChoices(); drawFlame(); });
  $('zoom-in').addEventListener('click', function () { setZoom(state.zoom * 1.5); });
  $('zoom-out').addEventListener('click', function () { setZoom(state.zoom / 1.5); });
  $('zoom-reset').addEventListener('click', function () { setZoom(1); $('wf-scroll').scrollLeft = 0; });
  $('wf-scroll').addEventListener('wheel', function (e) {
    if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) return;
    e.preventDefault();
    var rect = $('wf-scroll').getBoundingClientRect();
    setZoom(state.zoom * (e.deltaY < 0 ? 1.25 : 0.8), e.clientX - rect.left);
  }, { passive: false });
  $('wf-scroll').addEventListener('mousemove', barTip);
  $('wf-scroll').addEventListener('mouseleave', hideTip);
  $('wf-scroll').addEventListener('click', function (e) {
    var t = e.target;
    if (!t.hasAttribute || !t.hasAttribute('data-bar')) return;
    var bar = V.roots[state.root].bars[Number(t.getAttribute('data-bar'))];
    if (bar.flame === undefined) return;
    state.flame = { bar: Number(t.getAttribute('data-bar')) };
    drawFlameChoices();
    drawFlame();
    $('flame-section').scrollIntoView({ block: 'nearest' });
  });
  window.addEventListener('resize', drawAxis);
  // First view: the slowest root of the busiest route (requests before the process when there are any).
  var first = V.routes.filter(function (r) { return r.route !== 'process'; })[0] || V.routes[0];
  pickRoot(first.roots[0]);
})();
document.querySelectorAll('pre').forEach(function (p) { if (p.children.length > 24) { p.style.maxHeight = '300px'; p.title = 'click to expand'; p.addEventListener('click', function () { p.style.maxHeight = p.style.maxHeight ? '' : '300px'; }); } });
`;
