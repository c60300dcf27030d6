// The browser side of the HTML report, kept as a string so the report is one self-contained file
// (the icicle graph is icicle-script.ts, shared with the watch dashboard).
// It reads the embedded data (html-data.ts) and builds the DOM with textContent only (never
// innerHTML with dump data), so anything a dump contains, labels included, stays text.
// For real sizes (20,000 groups): the table keeps only the rows in view in the DOM (fixed row
// height, rows placed by index), sort keys and search text are computed when first needed, and
// the flame graph is built when its tab is first opened.
export const HTML_SCRIPT = String.raw`
(function () {
  'use strict';
  var started = performance.now();
  var data = JSON.parse(document.getElementById('goroscope-data').textContent);
  var S = data.strings, groups = data.groups;
  var LEVELS = ['definite', 'likely', '', 'benign'];
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fullPath(file) { return S[data.files[file][0]]; }
  function shortPath(file) { return S[data.files[file][1]]; }
  // A frame [func, file, line] as text: the short path, or the full one.
  function where(t, full) { return t ? S[t[0]] + ' (' + (full ? fullPath(t[1]) : shortPath(t[1])) + ':' + t[2] + ')' : ''; }
  function level(g) { return LEVELS[g.v]; }
  function waitText(g) { return g.w ? (g.w[0] === g.w[1] ? g.w[1] + ' min' : g.w[0] + '-' + g.w[1] + ' min') : ''; }
  function labelText(g) { var out = []; for (var i = 0; i < g.b.length; i += 2) out.push(S[g.b[i]] + '=' + S[g.b[i + 1]]); return out.join(', '); }
  function plural(n, w) { return n + ' ' + w + (n === 1 ? '' : 's'); }

  // Summary.
  var s = data.suspects;
  document.getElementById('summary').textContent = plural(data.goroutines, 'goroutine') + ' in ' + plural(groups.length, 'group') +
    ' (' + data.sections + ') · suspects: ' + s.definite + ' definite, ' + s.likely + ' likely · states: ' +
    data.states.slice(0, 6).map(function (x) { return x[1] + ' ' + (x[0] || 'unknown'); }).join(', ') + (data.states.length > 6 ? ', ...' : '') +
    (data.skipped ? ' · ' + plural(data.skipped, 'unreadable part') + ' skipped' : '');

  // Columns: the text of a cell, its tooltip, and a sort key. The first click sorts suspects
  // first and counts and waits largest first (descFirst), texts from A to Z.
  var columns = [
    { key: 'level', title: 'Suspect', descFirst: true, key0: function (g) { return g.v; } },
    { key: 'count', title: 'Count', num: true, descFirst: true, key0: function (g) { return -g.n; } },
    { key: 'state', title: 'State', text: function (g) { return S[g.s] || 'unknown'; } },
    { key: 'kind', title: 'Kind', text: function (g) { return S[g.k]; } },
    { key: 'wait', title: 'Wait', num: true, descFirst: true, text: waitText, key0: function (g) { return g.w ? -g.w[1] : 1; } },
    { key: 'labels', title: 'Labels', text: labelText },
    { key: 'location', title: 'Location', text: function (g) { return where(g.L); }, tip: function (g) { return where(g.L, true); }, key0: function (g) { return frameKey(g.L); } },
    { key: 'createdBy', title: 'Created by', text: function (g) { return where(g.c); }, tip: function (g) { return where(g.c, true); }, key0: function (g) { return frameKey(g.c); } }
  ];
  // Frames sort by function name, then line, as one number: the rank of the name among the
  // location and creator names (ranked once) and the line. Numbers compare faster than texts.
  var rank = null;
  function frameKey(t) {
    if (!t) return Infinity;
    if (!rank) {
      var names = [], seen = new Uint8Array(S.length);
      groups.forEach(function (g) {
        [g.L, g.c].forEach(function (f) { if (f && !seen[f[0]]) { seen[f[0]] = 1; names.push(f[0]); } });
      });
      names.sort(function (a, b) { return S[a] < S[b] ? -1 : S[a] > S[b] ? 1 : 0; });
      rank = new Int32Array(S.length);
      names.forEach(function (i, r) { rank[i] = r; });
    }
    return rank[t[0]] * 1048576 + t[2];
  }
  columns.forEach(function (c) { if (!c.key0) c.key0 = c.text; });
  var head = document.querySelector('#table .head');
  var viewport = document.getElementById('viewport'), spacer = document.getElementById('spacer');
  var ROW = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--row')) || 26;
  var order = groups.map(function (g, i) { return i; }); // ranked by the analysis: suspects first
  var shown = order, selected = -1, sortKey = null, sortDir = 1, keys = {};
  columns.forEach(function (c) {
    var th = el('span', { 'class': 'col-' + c.key, role: 'columnheader', 'data-key': c.key, title: 'Sort by ' + c.title }, c.title);
    th.addEventListener('click', function () { sortBy(c, th); });
    head.appendChild(th);
  });

  function sortBy(c, th) {
    sortDir = sortKey === c.key ? -sortDir : 1;
    sortKey = c.key;
    var k = keys[c.key] || (keys[c.key] = groups.map(c.key0)); // computed once per column
    var dir = sortDir;
    order.sort(function (a, b) { var x = k[a], y = k[b]; return (x < y ? -1 : x > y ? 1 : a - b) * dir; });
    Array.prototype.forEach.call(head.children, function (h) { h.className = 'col-' + h.getAttribute('data-key'); });
    // The arrow says what is shown: down for largest (or last letter) first.
    th.className += ' sorted' + ((dir > 0) === Boolean(c.descFirst) ? '' : ' asc');
    filter();
  }

  // Search: each group's text is built the first time the box is used.
  var search = document.getElementById('search'), haystacks = null;
  function haystack(g) {
    var parts = [S[g.s], S[g.k], level(g), labelText(g), g.r >= 0 ? S[g.r] : '', where(g.L, true), where(g.c, true)];
    for (var i = 0; i < g.f.length; i += 3) parts.push(S[g.f[i]], fullPath(g.f[i + 1]) + ':' + g.f[i + 2]);
    return parts.join('\n').toLowerCase();
  }
  function filter() {
    var q = search.value.trim().toLowerCase();
    if (q && !haystacks) haystacks = groups.map(haystack);
    shown = q ? order.filter(function (i) { return haystacks[i].indexOf(q) >= 0; }) : order;
    document.getElementById('shown').textContent = shown.length + ' of ' + plural(groups.length, 'group');
    spacer.style.height = shown.length * ROW + 'px';
    drawn = null;
    draw();
  }
  search.addEventListener('input', filter);

  // Only the rows in view (and a few around) are in the DOM.
  var drawn = null, rowsEl = [];
  function draw() {
    var first = Math.max(0, Math.floor(viewport.scrollTop / ROW) - 10);
    var last = Math.min(shown.length, Math.ceil((viewport.scrollTop + viewport.clientHeight) / ROW) + 10);
    var key = first + ':' + last;
    if (drawn === key) return;
    drawn = key;
    rowsEl.forEach(function (r) { r.remove(); });
    rowsEl = [];
    var frag = document.createDocumentFragment();
    for (var p = first; p < last; p++) {
      var i = shown[p], g = groups[i], lv = level(g);
      var row = el('div', { 'class': 'row cols' + (lv ? ' level-' + lv : '') + (i === selected ? ' selected' : ''), role: 'row', 'data-index': String(i) });
      row.style.top = p * ROW + 'px';
      columns.forEach(function (c) {
        var cell;
        if (c.key === 'level') { cell = el('span', { 'class': 'col-level' }); cell.appendChild(el('span', { 'class': 'badge ' + (lv || 'none') }, lv || '-')); }
        else if (c.key === 'count') cell = el('span', { 'class': 'col-count num' }, g.n);
        else { var t = c.text(g); cell = el('span', { 'class': 'col-' + c.key + (c.num ? ' num' : ''), title: c.tip ? c.tip(g) : t }, t); }
        row.appendChild(cell);
      });
      frag.appendChild(row);
      rowsEl.push(row);
    }
    viewport.appendChild(frag);
  }
  var pending = false;
  viewport.addEventListener('scroll', function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; draw(); });
  });
  window.addEventListener('resize', function () { drawn = null; draw(); if (!flamePanel.hidden) renderFlame(); });
  viewport.addEventListener('click', function (ev) {
    var row = ev.target.closest && ev.target.closest('.row');
    if (row) select(Number(row.getAttribute('data-index')));
  });
  viewport.addEventListener('keydown', function (ev) {
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return;
    ev.preventDefault();
    var p = shown.indexOf(selected) + (ev.key === 'ArrowDown' ? 1 : -1);
    if (p < 0 || p >= shown.length) return;
    select(shown[p]);
    var top = p * ROW;
    if (top < viewport.scrollTop) viewport.scrollTop = top;
    else if (top + ROW > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + ROW - viewport.clientHeight;
  });

  // The selected group's details: the whole stack, paths short with the full one on hover.
  var detail = document.getElementById('detail');
  function frameItem(t, isLocation) {
    var li = el('li', isLocation ? { 'class': 'user', title: 'the location: the first frame in user code' } : null);
    li.appendChild(el('span', null, S[t[0]]));
    li.appendChild(el('br'));
    li.appendChild(el('span', { 'class': 'path', title: fullPath(t[1]) + ':' + t[2] }, shortPath(t[1]) + ':' + t[2]));
    return li;
  }
  function select(i) {
    selected = i;
    rowsEl.forEach(function (r) { r.classList.toggle('selected', Number(r.getAttribute('data-index')) === i); });
    var g = groups[i], lv = level(g);
    detail.textContent = '';
    var h = el('h2');
    h.appendChild(el('span', { 'class': 'badge ' + (lv || 'none') }, lv || 'not a suspect'));
    h.appendChild(document.createTextNode(' ' + plural(g.n, 'goroutine') + ' [' + (S[g.s] || 'state unknown') + ']'));
    detail.appendChild(h);
    var dl = el('dl');
    function row(name, value, tip) { if (!value) return; dl.appendChild(el('dt', null, name)); dl.appendChild(el('dd', tip ? { title: tip } : null, value)); }
    row(lv === 'benign' ? 'benign' : 'reason', g.r >= 0 ? S[g.r] : '');
    row('kind', S[g.k]);
    row('wait', waitText(g));
    row('labels', labelText(g));
    row('location', where(g.L), where(g.L, true));
    row('created by', where(g.c), where(g.c, true));
    detail.appendChild(dl);
    var ol = el('ol', { 'class': 'stack' });
    for (var k = 0; k < g.f.length; k += 3) {
      var t = [g.f[k], g.f[k + 1], g.f[k + 2]];
      ol.appendChild(frameItem(t, g.L && t[0] === g.L[0] && t[1] === g.L[1] && t[2] === g.L[2]));
    }
    if (!g.f.length) ol.appendChild(el('li', null, '(no frames)'));
    detail.appendChild(el('h2', null, 'Stack'));
    detail.appendChild(ol);
    if (g.x !== undefined) {
      detail.appendChild(el('h2', null, 'Source'));
      detail.appendChild(el('pre', { 'class': 'source' }, S[g.x]));
    }
  }

  // Tabs.
  var tabs = { groups: document.getElementById('tab-groups'), flame: document.getElementById('tab-flame') };
  var groupsPanel = document.getElementById('panel-groups'), flamePanel = document.getElementById('panel-flame');
  function show(name) {
    tabs.groups.setAttribute('aria-selected', String(name === 'groups'));
    tabs.flame.setAttribute('aria-selected', String(name === 'flame'));
    groupsPanel.hidden = name !== 'groups';
    flamePanel.hidden = name !== 'flame';
    if (name === 'flame') renderFlame(); else { drawn = null; draw(); }
  }
  tabs.groups.addEventListener('click', function () { show('groups'); });
  tabs.flame.addEventListener('click', function () { show('flame'); });

  // Icicle (icicle-script.ts, inlined before this script; the watch dashboard draws snapshots
  // with the same code), as wide as the window, built when its tab is first opened.
  var icicle = null;
  function renderFlame() {
    if (icicle) { icicle.redraw(); return; }
    icicle = window.goroscopeIcicle(document.getElementById('flame'), document.getElementById('zoom'), {
      width: function () { return Math.max(320, document.getElementById('flame-wrap').clientWidth - 2); },
      rootCaption: 'All stacks, weighted by goroutine count; click a cell to zoom'
    });
    icicle.render(groups.map(function (g) {
      var frames = [];
      for (var k = 0; k < g.f.length; k += 3) frames.push({ func: S[g.f[k]] });
      return { count: g.n, frames: frames };
    }));
  }

  filter();
  if (groups.length) select(order[0]);
  // For tests and the curious: when the page was ready to use (ms since navigation started).
  requestAnimationFrame(function () { window.goroscopeReady = { at: performance.now(), script: performance.now() - started }; });
})();
`;
