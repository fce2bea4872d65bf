/**
 * /dashboard.js: hover (and keyboard) tooltips for the server-rendered charts, with the exact
 * values the points carry in `data-head` / `data-tip`. No dependency, no inline anything (the CSP
 * allows neither): it builds SVG elements and sets only their attributes. Without it the charts
 * are still drawn, and each point's `<title>` is its tooltip.
 *
 * Plain ES2017 in a string, so the collector serves it as is from any build; keep it free of
 * backticks and dollar-brace.
 */
export const DASHBOARD_JS = `(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  function make(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    parent.appendChild(e);
    return e;
  }
  function enhance(svg) {
    var points = Array.prototype.slice.call(svg.querySelectorAll('circle[data-tip]'));
    if (!points.length) return;
    var byX = {};
    var xs = [];
    points.forEach(function (p) {
      var cx = Number(p.getAttribute('cx'));
      if (!byX[cx]) { byX[cx] = []; xs.push(cx); }
      byX[cx].push(p);
      var title = p.querySelector('title');
      if (title) p.removeChild(title);
    });
    xs.sort(function (a, b) { return a - b; });
    var width = svg.viewBox.baseVal.width;
    var top = Number(svg.getAttribute('data-top'));
    var bottom = Number(svg.getAttribute('data-bottom'));
    var tip = make('g', { 'class': 'tip', visibility: 'hidden', 'aria-hidden': 'true', 'pointer-events': 'none' }, svg);
    var guide = make('line', { 'class': 'tip-guide', y1: top, y2: bottom }, tip);
    var bg = make('rect', { 'class': 'tip-bg', rx: 4 }, tip);
    var text = make('text', { 'class': 'tip-text' }, tip);
    var current = -1;
    function show(i) {
      current = i;
      var x = xs[i];
      var group = byX[x];
      guide.setAttribute('x1', x);
      guide.setAttribute('x2', x);
      while (text.firstChild) text.removeChild(text.firstChild);
      var lines = [group[0].getAttribute('data-head')].concat(group.map(function (p) { return p.getAttribute('data-tip'); }));
      lines.forEach(function (line, n) {
        var t = make('tspan', { x: 0, dy: n ? '1.35em' : '1em' }, text);
        if (!n) t.setAttribute('class', 'tip-head');
        t.textContent = line;
      });
      var box = text.getBBox();
      var w = box.width + 16;
      var h = box.height + 10;
      var left = x + 10 + w > width ? x - 10 - w : x + 10;
      if (left < 0) left = 0;
      bg.setAttribute('x', left);
      bg.setAttribute('y', top);
      bg.setAttribute('width', w);
      bg.setAttribute('height', h);
      text.setAttribute('transform', 'translate(' + (left + 8) + ',' + (top + 3) + ')');
      points.forEach(function (p) { p.classList.toggle('on', Number(p.getAttribute('cx')) === x); });
      tip.setAttribute('visibility', 'visible');
    }
    function hide() {
      tip.setAttribute('visibility', 'hidden');
      points.forEach(function (p) { p.classList.remove('on'); });
    }
    function nearest(event) {
      var m = svg.getScreenCTM();
      if (!m) return -1;
      var pt = svg.createSVGPoint();
      pt.x = event.clientX;
      pt.y = event.clientY;
      var x = pt.matrixTransform(m.inverse()).x;
      var best = 0;
      for (var i = 1; i < xs.length; i++) if (Math.abs(xs[i] - x) < Math.abs(xs[best] - x)) best = i;
      return best;
    }
    svg.addEventListener('pointermove', function (event) {
      var i = nearest(event);
      if (i >= 0) show(i);
    });
    svg.addEventListener('pointerleave', function () { if (document.activeElement !== svg) hide(); });
    svg.addEventListener('focus', function () { show(current < 0 ? xs.length - 1 : current); });
    svg.addEventListener('blur', hide);
    svg.addEventListener('keydown', function (event) {
      var step = event.key === 'ArrowLeft' ? -1 : event.key === 'ArrowRight' ? 1 : 0;
      if (event.key === 'Escape') { hide(); return; }
      if (!step) return;
      event.preventDefault();
      show(Math.max(0, Math.min(xs.length - 1, (current < 0 ? xs.length - 1 : current) + step)));
    });
  }
  function start() { Array.prototype.forEach.call(document.querySelectorAll('svg.chart'), enhance); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
`;
