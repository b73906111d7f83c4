// Node detail (#/nodes/<id>?metric=&range=): five metric cards, per-GPU table, trend chart with
// metric and range pickers, XID/ECC events, the node's alerts, findings with their actions.
// Performance benchmarking is not here: it is an admin panel on the overview (views/bench.js), and
// an old `#/nodes/<id>?loadtest=<test>` link is sent on to `#/?loadtest=<test>`.
import { api } from '../api.js';
import { h, clear, patch } from '../dom.js';
import { num, healthKey, healthLabel, gpuIndex, actionLabel, when, agentLine } from '../format.js';
import { drawTrend } from '../chart.js';
import { alertList, metric } from './home.js';
import { hooks } from '../hooks.js';
import { renderInference } from './inference.js';

const METRICS = [['utilisation', 'Utilisation'], ['temperature', 'Temperature'], ['memory', 'Memory'], ['power', 'Power']];
const RANGES = ['1h', '6h', '24h', '7d'];
const IDLE_NOTE = '≈90 % VRAM at 0 % utilisation is a healthy idle vLLM: weights plus a reserved KV cache.';

let current = null; // { id, metric, range, chart, els }

export function renderDetail(container, state, route) {
  current?.chart?.destroy?.();
  const test = route.query.get('loadtest');
  if (test) {
    current = null;
    location.replace(`#/?loadtest=${encodeURIComponent(test)}`);
    return;
  }
  clear(container);
  const id = route.id;
  const metricName = METRICS.some(([m]) => m === route.query.get('metric')) ? route.query.get('metric') : 'utilisation';
  const range = RANGES.includes(route.query.get('range')) ? route.query.get('range') : '1h';
  const els = {
    heading: h('h2', { id: 'detail-title', text: id }),
    health: h('p', { id: 'detail-health' }),
    idle: h('div', { class: 'idle-note', id: 'idle-note', role: 'note', hidden: true, text: IDLE_NOTE }),
    metrics: h('dl', { class: 'metrics', id: 'detail-metrics' }),
    inference: h('section', { class: 'panel', id: 'inference', 'aria-labelledby': 'inference-title', hidden: true }),
    gpus: h('div', { id: 'gpu-table' }),
    findings: h('div', { id: 'findings' }),
    chart: h('div', { class: 'chart-box', id: 'trend-chart' }),
    events: h('div', { id: 'events' }),
    alerts: h('div', { id: 'node-alerts' }),
    error: h('p', { class: 'error', role: 'alert', hidden: true }),
  };
  current = { id, metric: metricName, range, chart: null, els };
  document.title = `${id} · AI Factory`;
  container.append(h('article', { id: 'detail-view', 'data-node': id, 'aria-labelledby': 'detail-title' },
    h('a', { class: 'back control', href: '#/', text: '← All nodes' }),
    els.heading, els.health, els.error, els.idle, els.metrics, els.inference, els.gpus,
    h('section', { class: 'panel', 'aria-labelledby': 'trend-title' },
      h('h3', { id: 'trend-title', text: 'Trend' }),
      h('div', { class: 'pickers picker' },
        picker('Metric', 'metric', METRICS, metricName),
        picker('Range', 'range', RANGES.map((r) => [r, r]), range)),
      els.chart),
    h('div', { class: 'layout' },
      h('div', {},
        h('section', { class: 'panel', 'aria-labelledby': 'findings-title' }, h('h3', { id: 'findings-title', text: 'Findings' }), els.findings),
        h('section', { class: 'panel', 'aria-labelledby': 'events-title' }, h('h3', { id: 'events-title', text: 'XID and ECC events (30 days)' }), els.events)),
      h('section', { class: 'panel', 'aria-labelledby': 'node-alerts-title' }, h('h3', { id: 'node-alerts-title', text: 'Alerts for this node' }), els.alerts))));
  refreshDetail(state, true);
  refreshTrend();
}

function picker(legend, key, options, selected) {
  return h('fieldset', { 'data-picker': key }, h('legend', { text: legend }),
    options.map(([value, label]) => h('button', {
      type: 'button', 'data-value': value, 'aria-pressed': String(value === selected), text: label,
      onclick: () => choose(key, value),
    })));
}

function choose(key, value) {
  if (!current) return;
  current[key] = value;
  for (const b of document.querySelectorAll(`[data-picker="${key}"] button`)) b.setAttribute('aria-pressed', String(b.dataset.value === value));
  const url = `#/nodes/${encodeURIComponent(current.id)}?metric=${current.metric}&range=${current.range}`;
  history.replaceState(null, '', url);
  refreshTrend();
}

export async function refreshTrend() {
  if (!current) return;
  const mine = current;
  const box = mine.els.chart;
  box.dataset.state = 'loading';
  if (!mine.chart && !box.firstChild) box.append(h('p', { class: 'note', text: 'Loading the trend…' }));
  try {
    const trend = await api(`factory/nodes/${encodeURIComponent(mine.id)}/trend?metric=${mine.metric}&range=${mine.range}`);
    if (current !== mine) return;
    hooks.fresh('trend', trend);
    mine.chart = await drawTrend(box, trend, mine.chart);
    box.dataset.metric = trend.metric;
    box.dataset.range = trend.range;
    box.dataset.points = String((trend.series ?? []).reduce((n, s) => n + s.points.length, 0));
    box.dataset.state = 'drawn';
  } catch (error) {
    if (current !== mine) return;
    box.dataset.state = 'error';
    if (!hooks.failed('trend', error) && !mine.chart) {
      clear(box).append(h('p', { class: 'note', text: `The trend cannot be loaded right now: ${error.message}` }));
    }
  }
  hooks.renderChrome();
}

/// Reloads the node detail (and, when `all`, its events and alerts) and fills the view.
export async function refreshDetail(state, all = false) {
  if (!current) return;
  const mine = current;
  const id = encodeURIComponent(mine.id);
  try {
    const [detail, events, alerts] = await Promise.all([
      api(`factory/nodes/${id}`),
      all ? api(`factory/nodes/${id}/events`).catch((e) => ({ error: e.message })) : null,
      all ? api(`factory/alerts?node=${id}`).catch((e) => ({ error: e.message })) : null,
    ]);
    if (current !== mine) return;
    hooks.fresh('detail', detail);
    mine.els.error.hidden = true;
    fill(mine, detail);
    if (events) fillEvents(mine, events);
    if (alerts) fillAlerts(mine, alerts);
  } catch (error) {
    if (current !== mine) return;
    if (error.status === 404) {
      mine.els.error.hidden = false;
      mine.els.error.textContent = 'This node does not exist or is not yours.';
    } else {
      hooks.failed('detail', error);
    }
  }
  hooks.renderChrome();
}

function fill(mine, detail) {
  const card = detail.card, gpus = detail.gpus ?? [];
  const health = healthKey(card.health);
  const els = mine.els;
  els.heading.textContent = `${card.id} — ${card.model}`;
  clear(els.health).append(
    h('span', { class: 'pill', id: 'detail-pill', 'data-health': health, text: healthLabel(health) }), ' ',
    h('span', { text: card.summary }), ' ',
    h('span', { class: 'note mono', text: `${card.host} · ${card.gpuClass}` }),
    agentLine(card) ? h('span', { class: 'note', id: 'detail-agent', text: ` · ${agentLine(card)}` }) : '');
  els.idle.hidden = !(card.idleVLLM || gpus.some((g) => g.idleVLLM));
  renderInference(els.inference, detail.inference);
  const present = gpus.filter((g) => g.utilisationPct !== null && g.utilisationPct !== undefined || g.temperatureC !== null && g.temperatureC !== undefined);
  const sum = (k) => { const v = present.map((g) => g[k]).filter((x) => x !== null && x !== undefined); return v.length ? v.reduce((a, b) => a + b, 0) : null; };
  const mean = (k) => { const v = present.map((g) => g[k]).filter((x) => x !== null && x !== undefined); return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null; };
  const maxOf = (k) => { const v = present.map((g) => g[k]).filter((x) => x !== null && x !== undefined); return v.length ? Math.max(...v) : null; };
  const used = sum('vramUsedGB'), total = sum('vramTotalGB');
  patch(els.metrics, [
    metric('Temperature (hottest)', num(maxOf('temperatureC'), 0, ' °C'), 'temperature'),
    metric('Utilisation', num(mean('utilisationPct'), 0, ' %'), 'utilisation'),
    metric('VRAM used / total', used === null ? '—' : `${num(used, 1)} / ${num(total, 1)} GB`, 'vram'),
    metric('Power', num(sum('powerW'), 0, ' W'), 'power'),
    metric('SM active', num(mean('smActivePct'), 0, ' %'), 'sm-active')]);
  clear(els.gpus);
  if (gpus.length > 1) {
    els.gpus.append(h('section', { class: 'panel', 'aria-labelledby': 'gpus-title' }, h('h3', { id: 'gpus-title', text: 'GPUs' }),
      h('table', {},
        h('thead', {}, h('tr', {}, ['GPU', 'Health', 'Temp', 'Util', 'VRAM', 'Power', 'SM active', 'UUID'].map((t) => h('th', { scope: 'col', text: t })))),
        h('tbody', {}, gpus.map((g) => h('tr', { 'data-gpu': g.index },
          h('td', { text: String(g.index) }),
          h('td', {}, h('span', { class: 'dot', 'data-health': healthKey(g.health), 'aria-hidden': 'true' }), ' ', healthLabel(g.health)),
          h('td', { text: num(g.temperatureC, 0, ' °C') }), h('td', { text: num(g.utilisationPct, 0, ' %') }),
          h('td', { text: g.vramUsedGB === null || g.vramUsedGB === undefined ? '—' : `${num(g.vramUsedGB, 1)} / ${num(g.vramTotalGB, 1)} GB` }),
          h('td', { text: num(g.powerW, 0, ' W') }), h('td', { text: num(g.smActivePct, 0, ' %') }),
          h('td', { class: 'mono', text: g.uuid ?? '—' })))))));
  }
  const findings = card.findings ?? [];
  clear(els.findings).append(findings.length
    ? h('ul', { class: 'findings' }, findings.map((f) => h('li', { class: 'finding', 'data-health': healthKey(f.severity), 'data-signal': f.signal },
      h('strong', { text: healthLabel(f.severity) }), ' ',
      h('span', { text: `${gpuIndex(f.gpu) !== null ? `GPU ${gpuIndex(f.gpu)}: ` : ''}${f.reason}` }),
      h('div', { class: 'action', text: `Action: ${actionLabel(f.action)}` }))))
    : h('p', { class: 'note', text: 'No findings: every check passed.' }));
}

function fillEvents(mine, answer) {
  const box = clear(mine.els.events);
  if (answer.error) { box.append(h('p', { class: 'note', text: `Events are unavailable: ${answer.error}` })); return; }
  // A failed diagnostic sits on the timeline beside the XID and ECC events it often explains.
  const label = { xid: 'XID', 'ecc-dbe': 'ECC (double-bit)', 'diagnostic-failed': 'Diagnostic failed' };
  const events = (answer.events ?? []).filter((e) => e.kind in label);
  if (!events.length) { box.append(h('p', { class: 'note', id: 'no-events', text: 'No XID, ECC or failed-diagnostic events recorded in the last 30 days. Good news.' })); return; }
  box.append(h('table', {},
    h('thead', {}, h('tr', {}, ['Kind', 'Code', 'GPU', 'Meaning', 'Severity', 'Count', 'Last seen'].map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, events.map((e) => h('tr', { 'data-kind': e.kind },
      h('td', { text: label[e.kind] }), h('td', { text: e.code ?? '—' }),
      h('td', { text: gpuIndex(e.gpuIndex) ?? '—' }), h('td', { text: e.meaning }),
      h('td', {}, h('span', { class: 'dot', 'data-health': healthKey(e.severity), 'aria-hidden': 'true' }), ' ', healthLabel(e.severity)),
      h('td', { text: String(e.count) }), h('td', { text: when(e.lastSeen) }))))));
}

function fillAlerts(mine, answer) {
  const box = clear(mine.els.alerts);
  if (answer.error) { box.append(h('p', { class: 'note', text: `Alerts are unavailable: ${answer.error}` })); return; }
  const firing = (answer.alerts ?? []).filter((a) => a.state === 'firing' || a.state === 'pending');
  box.append(firing.length ? alertList(firing) : h('p', { class: 'note', text: 'No alerts for this node.' }));
}
