/**
 * The page's script, as plain ES5-style JavaScript text (not compiled from
 * TypeScript, so no helper of a bundler can leak into it). It only switches
 * views: every state, change and violation was computed at render time and
 * sits in the page as JSON (#view-data). It selects a step from `#step=N`,
 * the arrow keys, Home and End, or a click on a row or the timeline, and
 * builds the state panel of that step with textContent only (no innerHTML).
 */
export const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('view-data').textContent);
  var steps = data.steps;
  var last = steps.length - 1;
  var cur = -1;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function markText(m, offending, path) {
    var parts = [];
    if (offending) parts.push('\u26a0 named by the violation');
    if (path) parts.push('\u25c6 on the breach path');
    if (m === 'new') parts.push('+ new');
    if (m === 'changed') parts.push('\u0394 changed');
    if (m === 'removed') parts.push('\u2212 removed');
    return parts.join(', ');
  }

  function renderTables(s, box) {
    var off = {};
    var path = {};
    s.violations.forEach(function (v) { v.refs.forEach(function (r) { off[r] = true; }); });
    s.breachRefs.forEach(function (r) { path[r] = true; });
    s.tables.forEach(function (t) {
      var sec = el('section', 'obj');
      var table = el('table');
      table.setAttribute('data-table', t.id);
      table.appendChild(el('caption', null, t.title));
      var head = el('tr');
      var th0 = el('th', 'mark', 'mark');
      th0.setAttribute('scope', 'col');
      head.appendChild(th0);
      t.head.forEach(function (h) { var th = el('th', null, h); th.setAttribute('scope', 'col'); head.appendChild(th); });
      var thead = el('thead');
      thead.appendChild(head);
      table.appendChild(thead);
      var body = el('tbody');
      if (t.rows.length === 0) {
        var tr0 = el('tr', 'none');
        var td0 = el('td', null, t.empty);
        td0.colSpan = t.head.length + 1;
        tr0.appendChild(td0);
        body.appendChild(tr0);
      }
      t.rows.forEach(function (r) {
        var tr = el('tr', [r.m || '', off[r.k] ? 'offending' : '', path[r.k] ? 'offending path' : ''].join(' ').trim());
        tr.setAttribute('data-key', r.k);
        tr.appendChild(el('td', 'mark', markText(r.m, off[r.k], path[r.k])));
        r.c.forEach(function (c) { tr.appendChild(el('td', null, c)); });
        body.appendChild(tr);
      });
      table.appendChild(body);
      sec.appendChild(table);
      box.appendChild(sec);
    });
  }

  function renderPanel(s) {
    document.getElementById('panel-title').textContent = s.i === 0 ? 'State 0: the initial state' : 'State after step ' + s.i + ': ' + s.call + ' \u2192 ' + s.result;
    document.getElementById('panel-phrase').textContent = s.phrase.charAt(0).toUpperCase() + s.phrase.slice(1) + '.';
    var k = document.getElementById('panel-kernel');
    k.textContent = '';
    if (s.kernel !== undefined) {
      k.appendChild(el('span', null, 'model: ' + s.result + ', kernel: ' + s.kernel + (s.kernel === s.result ? ' (same)' : ' (differs)')));
      if (s.kernelKeeps.length > 0) k.appendChild(el('strong', 'defeats', ' The kernel\u2019s state keeps ' + s.kernelKeeps.join(', ') + ' here: it defeats the attack.'));
      s.notes.forEach(function (n) { k.appendChild(el('div', 'note', n)); });
    }
    var v = document.getElementById('panel-violations');
    v.textContent = '';
    s.violations.forEach(function (x) {
      var box = el('div', x.since === s.i ? 'violation here' : 'violation');
      box.setAttribute('data-invariant', x.inv);
      box.appendChild(el('strong', null, x.since === s.i ? '\u2717 ' + x.inv + ' breaks here' : '\u2717 ' + x.inv + ' still broken (since step ' + x.since + ')'));
      box.appendChild(el('div', 'offender', x.text));
      if (x.since === s.i && data.violation && data.violation.inv === x.inv) {
        box.appendChild(el('div', 'statement', 'Invariant: ' + data.violation.statement));
        var q = el('blockquote', 'seed', data.violation.seed);
        box.appendChild(q);
      }
      v.appendChild(box);
    });
    if (s.breach && data.breach) {
      var b = el('div', 'violation breach');
      b.appendChild(el('strong', null, '\u25c6 breach: '));
      b.appendChild(el('span', null, data.breach));
      v.appendChild(b);
    }
    var ch = document.getElementById('panel-changes');
    ch.textContent = '';
    if (s.changes.length === 0) ch.appendChild(el('li', null, s.i === 0 ? 'nothing yet' : 'nothing (the state is unchanged)'));
    s.changes.forEach(function (c) { ch.appendChild(el('li', null, c)); });
    var box = document.getElementById('tables');
    box.textContent = '';
    renderTables(s, box);
  }

  function select(i, scroll) {
    if (isNaN(i)) return;
    i = Math.max(0, Math.min(last, i));
    if (i === cur) return;
    var old = document.getElementById('row-' + cur);
    if (old) { old.classList.remove('selected'); old.removeAttribute('aria-current'); }
    var oldT = document.getElementById('tl-' + cur);
    if (oldT) oldT.classList.remove('sel');
    cur = i;
    var row = document.getElementById('row-' + i);
    if (row) {
      row.classList.add('selected');
      row.setAttribute('aria-current', 'step');
      if (scroll && row.scrollIntoView) row.scrollIntoView({ block: 'nearest' });
    }
    var t = document.getElementById('tl-' + i);
    if (t) t.classList.add('sel');
    document.body.setAttribute('data-step', String(i));
    renderPanel(steps[i]);
    var hash = '#step=' + i;
    if (location.hash !== hash) {
      try { history.replaceState(null, '', hash); } catch (e) { location.hash = hash; }
    }
  }

  function fromHash() {
    var m = /^#step=(\d+)$/.exec(location.hash);
    return m ? parseInt(m[1], 10) : null;
  }

  window.addEventListener('hashchange', function () { var h = fromHash(); if (h !== null) select(h, true); });
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var to = null;
    if (e.key === 'ArrowRight') to = cur + 1;
    else if (e.key === 'ArrowLeft') to = cur - 1;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = last;
    if (to === null) return;
    e.preventDefault();
    select(to, true);
  });
  document.getElementById('steps').addEventListener('click', function (e) {
    var tr = e.target.closest ? e.target.closest('tr[data-step]') : null;
    if (tr && !(e.target.closest('a'))) select(parseInt(tr.getAttribute('data-step'), 10), false);
  });
  document.documentElement.classList.add('js');
  var h = fromHash();
  // Opening the page does not scroll: the summary at the top comes first.
  select(h !== null ? h : data.start, false);
})();`;
