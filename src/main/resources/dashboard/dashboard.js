// Stratus' built-in SLO dashboard: polls the admin API (JSON) and renders it. No external code: SVG by hand.
// A bearer token for the admin API comes from the URL fragment (#token=...) or the form shown after a 401/403,
// and is kept in sessionStorage for this tab.
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const refreshMs = Math.max(500, Number(params.get('refresh')) || 2000);
  const minutes = Math.min(30, Math.max(1, Number(params.get('minutes')) || 10));
  const TOKEN_KEY = 'stratus.adminToken';

  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('token')) {
    sessionStorage.setItem(TOKEN_KEY, fragment.get('token'));
    history.replaceState(null, '', location.pathname + location.search); // keep the token out of the address bar
  }

  async function api(path) {
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    const res = await fetch('/admin/v1/' + path, { headers });
    if (res.status === 401 || res.status === 403) {
      document.getElementById('token-form').hidden = false;
      throw new Error('the admin API wants a ' + (res.status === 401 ? 'token' : 'token with more rights'));
    }
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || ('HTTP ' + res.status));
    return body;
  }

  document.getElementById('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('token-input').value.trim());
    document.getElementById('token-form').hidden = true;
    refresh();
  });

  const pct = (v, digits) => v == null ? '–' : (100 * v).toFixed(digits) + ' %';
  const num = (v, digits) => v == null ? '–' : Number(v).toFixed(digits);

  function set(root, field, text) {
    root.querySelectorAll('[data-field="' + field + '"]').forEach((el) => { el.textContent = text; });
  }

  function card(model) {
    let el = document.querySelector('article.model[data-model="' + CSS.escape(model) + '"]');
    if (!el) {
      el = document.getElementById('model-card').content.firstElementChild.cloneNode(true);
      el.dataset.model = model;
      document.getElementById('models').appendChild(el);
    }
    return el;
  }

  function renderModel(m) {
    const el = card(m.model);
    set(el, 'model', m.model);
    set(el, 'status', m.status);
    el.querySelector('[data-field="status"]').className = 'badge ' + m.status;
    set(el, 'latencyMs', num(m.latencyMs, 0));
    set(el, 'objective', pct(m.objective, 1));
    set(el, 'attainment', pct(m.attainment, 2));
    set(el, 'errorBudgetRemaining', pct(m.errorBudgetRemaining, 1));
    set(el, 'good', String(m.good));
    set(el, 'total', String(m.total));
    set(el, 'observedRatePerSecond', num(m.observedRatePerSecond, 1));
    set(el, 'plannedRatePerSecond', num(m.plannedRatePerSecond, 1));
    set(el, 'costPerHour', num(m.costPerHour, 3) + ' /h');
    const burn = el.querySelector('table.burn');
    const windows = Object.keys(m.burnRates);
    burn.tHead.rows[0].innerHTML = '<th>burn rate</th>' + windows.map((w) => '<th>' + w + '</th>').join('');
    burn.tBodies[0].rows[0].innerHTML = '<th>×</th>' + windows.map((w) => {
      const v = m.burnRates[w];
      return '<td data-window="' + w + '"' + (v != null && v > 1 ? ' class="hot"' : '') + '>' + num(v, 2) + '</td>';
    }).join('');
    const t0 = Date.now() - minutes * 60000;
    chart(el.querySelector('[data-chart="latency"]'), t0, [
      { cls: 'p50', values: m.series.map((p) => [p.atMillis, p.p50Ms]) },
      { cls: 'p99', values: m.series.map((p) => [p.atMillis, p.p99Ms]) }], m.latencyMs);
    chart(el.querySelector('[data-chart="replicas"]'), t0, [
      { cls: 'serving', values: m.series.map((p) => [p.atMillis, p.serving]) },
      { cls: 'standby', values: m.series.map((p) => [p.atMillis, p.standby]) }], null);
  }

  // A line chart over [t0, now]; `limit` (the SLO) is a dashed horizontal line, or, when it is far above every
  // value (which would flatten them), a note at the top.
  function chart(svg, t0, lines, limit) {
    const w = svg.clientWidth || 400, h = svg.clientHeight || 110, pad = 26;
    let max = 0;
    lines.forEach((l) => l.values.forEach(([, v]) => { if (v != null && v > max) max = v; }));
    const limitShown = limit && (max === 0 || limit <= 4 * max);
    max = Math.max(limitShown ? limit : 0, max, limit ? 0 : 1) * 1.1 || 1;
    const x = (t) => pad + (w - pad - 4) * (t - t0) / (Date.now() - t0);
    const y = (v) => h - 14 - (h - 20) * v / max;
    let out = '<text x="2" y="10">' + num(max, max < 10 ? 1 : 0) + '</text><text x="2" y="' + (h - 14) + '">0</text>';
    if (limitShown) out += '<line class="slo-line" x1="' + pad + '" x2="' + w + '" y1="' + y(limit) + '" y2="' + y(limit) + '"/>';
    else if (limit) out += '<text class="slo-note" x="' + (w - 130) + '" y="10">SLO ' + num(limit, 0) + ' ↑ off scale</text>';
    lines.forEach((l) => {
      const pts = l.values.filter(([t, v]) => v != null && t >= t0).map(([t, v]) => x(t).toFixed(1) + ',' + y(v).toFixed(1));
      if (pts.length) out += '<polyline class="' + l.cls + '" points="' + pts.join(' ') + '"/>';
    });
    out += '<text x="' + pad + '" y="' + (h - 2) + '">-' + minutes + ' min</text><text x="' + (w - 24) + '" y="' + (h - 2) + '">now</text>';
    svg.innerHTML = out;
  }

  function renderPlan(view) {
    document.getElementById('plan-cost').textContent = '(' + num(view.plan.costPerHour, 3) + ' /h, policy '
        + view.plan.policy + ')';
    const rows = [];
    view.plan.modelPlans.forEach((mp) => mp.tuples.forEach((t) => rows.push([mp.model, t.pool, t.batch,
      num(t.maxQueueDelayMs, 1), t.replicas, num(t.ratePerSecond, 1), num(t.predictedWorstLatencyMs, 1)])));
    fillTable('plan', rows);
  }

  function renderEvents(events) {
    fillTable('events', events.slice().reverse().map((e) => [new Date(e.atMillis).toLocaleTimeString(),
      e.kind, e.model, e.fromReplicas + ' → ' + e.toReplicas, e.reason]));
  }

  function fillTable(id, rows) {
    const body = document.querySelector('#' + id + ' tbody');
    body.replaceChildren(...rows.map((cells) => {
      const tr = document.createElement('tr');
      cells.forEach((c) => { const td = document.createElement('td'); td.textContent = String(c); tr.appendChild(td); });
      return tr;
    }));
  }

  let busy = false;
  async function refresh() {
    if (busy) return;
    busy = true;
    try {
      const [slo, plan, events] = await Promise.all([api('slo?minutes=' + minutes), api('plan'), api('events?limit=15')]);
      slo.models.forEach(renderModel);
      document.querySelectorAll('article.model').forEach((el) => {
        if (!slo.models.some((m) => m.model === el.dataset.model)) el.remove(); // a model removed through the API
      });
      renderPlan(plan);
      renderEvents(events);
      const updated = document.getElementById('updated');
      updated.textContent = 'updated ' + new Date(slo.atMillis).toLocaleTimeString();
      updated.dataset.at = String(slo.atMillis);
      document.getElementById('error').textContent = '';
    } catch (e) {
      document.getElementById('error').textContent = e.message;
    } finally {
      busy = false;
    }
  }
  refresh();
  setInterval(refresh, refreshMs);
})();
