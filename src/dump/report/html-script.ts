// The browser side of the HTML report, kept as a string so the report is one self-contained file
// (the icicle graph is icicle-script.ts, shared with the watch dashboard).
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

  // Icicle (icicle-script.ts, loaded before this script).
  window.goroscopeIcicle(document.getElementById('flame'), document.getElementById('zoom')).render(data.groups);
})();
`;
