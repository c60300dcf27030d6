// The browser side of the HTML report, kept as a string so the report is one self-contained file.
// It reads the embedded JSON and builds the DOM with textContent only (never innerHTML with dump
// data), so anything a dump contains, labels included, stays text.
export const HTML_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('goroscope-data').textContent);
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function where(f) { return f ? f.func + ' (' + f.file + ':' + f.line + ')' : ''; }
  function wait(g) {
    var w = g.waitMinutes; if (w.max === null) return '';
    return w.min === w.max ? w.max + ' min' : w.min + '-' + w.max + ' min';
  }
  function level(g) { return g.suspect ? g.suspect.level : (g.benign ? 'benign' : ''); }
  var LEVEL_RANK = { definite: 0, likely: 1, '': 2, benign: 3 };

  // Summary.
  var s = data.suspects;
  document.getElementById('summary').textContent = data.goroutines + ' goroutines in ' + data.groups.length +
    ' groups; suspects: ' + s.definite + ' definite, ' + s.likely + ' likely; states: ' +
    data.states.map(function (x) { return x.count + ' ' + (x.state || 'unknown'); }).join(', ');

  // Groups table: ranked by default (suspects first), sortable by any column, searchable.
  var columns = [
    { key: 'level', title: 'Suspect', value: function (g) { return LEVEL_RANK[level(g)]; }, text: level },
    { key: 'count', title: 'Count', value: function (g) { return -g.count; }, text: function (g) { return g.count; } },
    { key: 'state', title: 'State', value: function (g) { return g.state; }, text: function (g) { return g.state || 'unknown'; } },
    { key: 'kind', title: 'Kind', value: function (g) { return g.kind; }, text: function (g) { return g.kind; } },
    { key: 'wait', title: 'Wait', value: function (g) { return -(g.waitMinutes.max === null ? -1 : g.waitMinutes.max); }, text: wait },
    { key: 'location', title: 'Location', value: function (g) { return where(g.location); }, text: function (g) { return where(g.location); } },
    { key: 'createdBy', title: 'Created by', value: function (g) { return where(g.createdBy); }, text: function (g) { return where(g.createdBy); } }
  ];
  var order = data.groups.map(function (g, i) { return i; });
  var sortKey = null, sortDir = 1;
  var table = document.getElementById('groups');
  var thead = el('thead'), headRow = el('tr');
  columns.forEach(function (c) {
    var th = el('th', { 'data-key': c.key, title: 'Sort by ' + c.title }, c.title);
    th.addEventListener('click', function () {
      sortDir = sortKey === c.key ? -sortDir : 1; sortKey = c.key;
      order.sort(function (a, b) {
        var va = c.value(data.groups[a]), vb = c.value(data.groups[b]);
        return (va < vb ? -1 : va > vb ? 1 : a - b) * sortDir;
      });
      renderRows();
    });
    headRow.appendChild(th);
  });
  thead.appendChild(headRow); table.appendChild(thead);
  var tbody = el('tbody'); table.appendChild(tbody);
  var search = document.getElementById('search');

  function haystack(g) {
    var parts = [g.state, g.kind, level(g), where(g.location), where(g.createdBy), g.suspect ? g.suspect.reason : '', g.benign || ''];
    g.frames.forEach(function (f) { parts.push(f.func, f.file + ':' + f.line); });
    for (var k in g.labels) parts.push(k + '=' + g.labels[k]);
    return parts.join('\n').toLowerCase();
  }
  var haystacks = data.groups.map(haystack);

  function renderRows() {
    var q = search.value.trim().toLowerCase();
    tbody.textContent = '';
    var shown = 0;
    order.forEach(function (i) {
      var g = data.groups[i];
      if (q && haystacks[i].indexOf(q) < 0) return;
      shown++;
      var tr = el('tr', { 'class': 'group ' + (level(g) ? 'level-' + level(g) : ''), 'data-index': String(i) });
      columns.forEach(function (c) { tr.appendChild(el('td', { 'class': 'col-' + c.key }, c.text(g))); });
      var detail = el('tr', { 'class': 'stack', hidden: '' });
      var td = el('td', { colspan: String(columns.length) });
      if (g.suspect) td.appendChild(el('p', { 'class': 'reason' }, g.suspect.reason));
      if (g.benign) td.appendChild(el('p', { 'class': 'reason' }, 'benign: ' + g.benign));
      var labelKeys = Object.keys(g.labels);
      if (labelKeys.length) td.appendChild(el('p', null, 'labels: ' + labelKeys.map(function (k) { return k + '=' + g.labels[k]; }).join(', ')));
      var pre = el('pre');
      pre.textContent = g.frames.map(function (f) { return f.func + '\n\t' + f.file + ':' + f.line; }).join('\n') +
        (g.createdBy ? '\ncreated by ' + g.createdBy.func + '\n\t' + g.createdBy.file + ':' + g.createdBy.line : '');
      td.appendChild(pre); detail.appendChild(td);
      tr.addEventListener('click', function () {
        if (detail.hasAttribute('hidden')) detail.removeAttribute('hidden'); else detail.setAttribute('hidden', '');
      });
      tbody.appendChild(tr); tbody.appendChild(detail);
    });
    document.getElementById('shown').textContent = shown + ' of ' + data.groups.length + ' groups';
  }
  search.addEventListener('input', renderRows);
  renderRows();

  // Icicle: root at the top, callers above callees, widths proportional to goroutine counts.
  function node(name) { return { name: name, value: 0, children: {}, list: [], parent: null }; }
  var root = node('all goroutines');
  data.groups.forEach(function (g) {
    var n = root; n.value += g.count;
    for (var i = g.frames.length - 1; i >= 0; i--) {
      var name = g.frames[i].func;
      if (name === 'runtime.goexit') continue; // on every stack at system detail: no information
      var child = n.children[name];
      if (!child) { child = node(name); child.parent = n; n.children[name] = child; n.list.push(child); }
      child.value += g.count; n = child;
    }
  });
  var svg = document.getElementById('flame');
  var NS = 'http://www.w3.org/2000/svg', ROW = 18, WIDTH = 1200;
  var zoomed = root;
  function depthOf(n) { var d = 0; while (n.parent) { d++; n = n.parent; } return d; }
  function maxDepth(n) { var m = 0; n.list.forEach(function (c) { m = Math.max(m, 1 + maxDepth(c)); }); return m; }
  function hue(name) { var h = 0; for (var i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) % 360; return h; }
  function cell(n, x, w, depth) {
    var g = document.createElementNS(NS, 'g');
    g.setAttribute('class', 'cell' + (n === zoomed ? ' zoomed' : ''));
    g.setAttribute('data-name', n.name);
    var r = document.createElementNS(NS, 'rect');
    r.setAttribute('x', x.toFixed(2)); r.setAttribute('y', String(depth * ROW));
    r.setAttribute('width', Math.max(w - 1, 0.5).toFixed(2)); r.setAttribute('height', String(ROW - 1));
    r.setAttribute('fill', n === root ? '#9aa5b1' : 'hsl(' + hue(n.name) + ',60%,72%)');
    var t = document.createElementNS(NS, 'title'); t.textContent = n.name + ': ' + n.value + ' goroutines';
    g.appendChild(t); g.appendChild(r);
    var chars = Math.floor((w - 6) / 7);
    if (chars > 2) {
      var tx = document.createElementNS(NS, 'text');
      tx.setAttribute('x', (x + 3).toFixed(2)); tx.setAttribute('y', String(depth * ROW + 13));
      tx.textContent = n.name.length > chars ? n.name.slice(0, chars - 1) + '\u2026' : n.name;
      g.appendChild(tx);
    }
    g.addEventListener('click', function (ev) { ev.stopPropagation(); zoomed = n; renderFlame(); });
    svg.appendChild(g);
  }
  function renderFlame() {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var base = depthOf(zoomed);
    var height = (base + maxDepth(zoomed) + 1) * ROW;
    svg.setAttribute('viewBox', '0 0 ' + WIDTH + ' ' + height);
    svg.setAttribute('height', String(height)); svg.setAttribute('width', String(WIDTH));
    // Ancestors of the zoomed cell span the full width, so one click on them zooms back out.
    var chain = []; for (var a = zoomed.parent; a; a = a.parent) chain.unshift(a);
    chain.forEach(function (a, d) { cell(a, 0, WIDTH, d); });
    (function layout(n, x, w, depth) {
      cell(n, x, w, depth);
      var cx = x;
      n.list.forEach(function (c) { var cw = w * c.value / n.value; if (cw >= 0.5) layout(c, cx, cw, depth + 1); cx += cw; });
    })(zoomed, 0, WIDTH, base);
    document.getElementById('zoom').textContent = zoomed === root ? 'click a cell to zoom' : 'zoomed: ' + zoomed.name + ' (' + zoomed.value + ' goroutines); click an upper cell to zoom out';
  }
  renderFlame();
})();
`;
