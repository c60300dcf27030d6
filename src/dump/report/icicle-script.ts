// The icicle graph of goroutine stacks (a flame graph with the root on top, callers above callees,
// widths proportional to goroutine counts), as browser code kept in a string. One source for two
// pages: the dump HTML report inlines it, and the watch dashboard serves it as /assets/icicle.js
// for the latest snapshot of a target. It defines window.goroscopeIcicle(svg, caption, options)
// (options: width, a number or a function; rootCaption, the caption while not zoomed), which
// returns { render(groups), redraw() }: groups are { count, frames: [{ func }] }, innermost frame
// first, as in the dump JSON; render may be called again with new groups (a newer snapshot) and
// keeps the zoom when that stack still exists.
// Names are set with textContent and setAttribute only, so a function name is never markup.
export const ICICLE_SCRIPT = String.raw`
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg', ROW = 18;
  function node(name) { return { name: name, value: 0, children: {}, list: [], parent: null }; }
  function depthOf(n) { var d = 0; while (n.parent) { d++; n = n.parent; } return d; }
  function maxDepth(n) { var m = 0; n.list.forEach(function (c) { m = Math.max(m, 1 + maxDepth(c)); }); return m; }
  function hue(name) { var h = 0; for (var i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) % 360; return h; }
  function pathOf(n) { var p = []; for (; n.parent; n = n.parent) p.unshift(n.name); return p; }
  function goroutines(n) { return n + (n === 1 ? ' goroutine' : ' goroutines'); }

  window.goroscopeIcicle = function (svg, caption, options) {
    var opts = options || {};
    var root = node('all goroutines'), zoomed = root;
    function width() { return typeof opts.width === 'function' ? opts.width() : (opts.width || 1200); }
    function build(groups) {
      var r = node('all goroutines');
      groups.forEach(function (g) {
        var n = r; n.value += g.count;
        for (var i = g.frames.length - 1; i >= 0; i--) {
          var name = g.frames[i].func;
          if (name === 'runtime.goexit') continue; // on every stack at system detail: no information
          var child = Object.prototype.hasOwnProperty.call(n.children, name) ? n.children[name] : null;
          if (!child) { child = node(name); child.parent = n; n.children[name] = child; n.list.push(child); }
          child.value += g.count; n = child;
        }
      });
      return r;
    }
    function cell(n, x, w, depth) {
      var g = document.createElementNS(NS, 'g');
      g.setAttribute('class', 'cell' + (n === zoomed ? ' zoomed' : ''));
      g.setAttribute('data-name', n.name);
      var r = document.createElementNS(NS, 'rect');
      r.setAttribute('x', x.toFixed(2)); r.setAttribute('y', String(depth * ROW));
      r.setAttribute('width', Math.max(w - 1, 0.5).toFixed(2)); r.setAttribute('height', String(ROW - 1));
      r.setAttribute('fill', n === root ? '#9aa5b1' : 'hsl(' + hue(n.name) + ',60%,72%)');
      var t = document.createElementNS(NS, 'title'); t.textContent = n.name + ': ' + goroutines(n.value);
      g.appendChild(t); g.appendChild(r);
      var chars = Math.floor((w - 6) / 7);
      if (chars > 2) {
        var tx = document.createElementNS(NS, 'text');
        tx.setAttribute('x', (x + 3).toFixed(2)); tx.setAttribute('y', String(depth * ROW + 13));
        tx.textContent = n.name.length > chars ? n.name.slice(0, chars - 1) + '\u2026' : n.name;
        g.appendChild(tx);
      }
      g.addEventListener('click', function (ev) { ev.stopPropagation(); zoomed = n; draw(); });
      svg.appendChild(g);
    }
    function draw() {
      var W = width();
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      var base = depthOf(zoomed);
      var height = (base + maxDepth(zoomed) + 1) * ROW;
      svg.setAttribute('viewBox', '0 0 ' + W + ' ' + height);
      svg.setAttribute('height', String(height)); svg.setAttribute('width', String(W));
      // Ancestors of the zoomed cell span the full width, so one click on them zooms back out.
      var chain = []; for (var a = zoomed.parent; a; a = a.parent) chain.unshift(a);
      chain.forEach(function (a, d) { cell(a, 0, W, d); });
      (function layout(n, x, w, depth) {
        cell(n, x, w, depth);
        var cx = x;
        n.list.forEach(function (c) { var cw = w * c.value / n.value; if (cw >= 0.5) layout(c, cx, cw, depth + 1); cx += cw; });
      })(zoomed, 0, W, base);
      caption.textContent = zoomed === root ? (opts.rootCaption || 'click a cell to zoom') : 'zoomed: ' + zoomed.name + ' (' + goroutines(zoomed.value) + '); click an upper cell to zoom out';
    }
    return {
      render: function (groups) {
        var keep = pathOf(zoomed);
        root = build(groups); zoomed = root;
        for (var i = 0; i < keep.length; i++) {
          var next = Object.prototype.hasOwnProperty.call(zoomed.children, keep[i]) ? zoomed.children[keep[i]] : null;
          if (!next) break;
          zoomed = next;
        }
        draw();
      },
      redraw: draw
    };
  };
})();
`;
