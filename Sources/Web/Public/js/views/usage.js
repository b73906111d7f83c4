// Usage over time for a consumer (GET /api/v1/factory/usage?range=), under #consumer-view: range
// picker (1h/6h/24h/7d/30d), tokens in/out per bucket, requests / errors (5xx) / refused (429) per
// bucket, the range's totals, and tables by model and by API key (label, prefix and user only).
// The figures come from the usage ledger, the same rows the quota and billing count.
//
// views/home.js mounts it for the consumer role and calls `update()` on every refresh of the home
// view; it reads again at most once per overview interval (30 s, `?poll=N`) and at once when the
// range changes. A failed read (a 429 included) shows the server's message and keeps the last
// figures; a 401 ends the session like any poll. Nothing runs once the panel has left the page.
import { h, clear } from '../dom.js';
import { dash, num, compact, when } from '../format.js';
import { loadChart } from '../chart.js';
import { panelHandle, readInto, settled } from '../panel.js';

export const RANGES = ['1h', '6h', '24h', '7d', '30d'];
const RANGE_SECONDS = { '1h': 3600, '6h': 21600, '24h': 86400, '7d': 604800, '30d': 2592000 };
const DEFAULT_RANGE = '24h';
const override = Number(new URLSearchParams(location.search).get('poll'));
const REFRESH_MS = (override > 0 ? override : 30) * 1000;
const COLOURS = { in: '#58a6ff', out: '#3fb950', requests: '#58a6ff', errors: '#f85149', refused: '#d29922' };

// The range last chosen, so a re-render of the home view keeps it.
let memory = { range: null };

/// The range in the address (`#/?range=7d`, shareable), else the last one chosen, else 24h.
function initialRange() {
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const asked = query.get('range');
  if (RANGES.includes(asked)) return asked;
  return RANGES.includes(memory.range) ? memory.range : DEFAULT_RANGE;
}

/// The panel: `{element, update, stop, ready}`. With `answer` (tests) it shows that answer and never
/// reads the API; `ready` settles once the first answer is on screen (or the first read failed).
export function usagePanel({ answer } = {}) {
  const panel = {
    range: answer?.range ?? initialRange(), answer: null, seq: 0, loading: false, last: 0, stopped: false,
    fixed: Boolean(answer), tokensChart: null, requestsChart: null, els: {},
  };
  const els = panel.els;
  els.tokens = h('div', { class: 'chart-box', id: 'usage-tokens-chart', 'data-state': 'loading' });
  els.requests = h('div', { class: 'chart-box small', id: 'usage-requests-chart', 'data-state': 'loading' });
  els.span = h('p', { class: 'note', id: 'usage-span', text: 'Loading your usage…' });
  els.error = h('p', { class: 'error', id: 'usage-error', role: 'alert', hidden: true });
  els.empty = h('p', { class: 'note', id: 'usage-empty', hidden: true, text: 'No requests in this range.' });
  els.totals = h('p', { class: 'usage-totals', id: 'usage-totals' });
  els.refusedNote = h('p', { class: 'note', id: 'usage-429-note', hidden: true });
  els.models = h('tbody', {});
  els.keys = h('tbody', {});
  els.body = h('div', { class: 'usage-body', hidden: true },
    els.totals,
    h('h4', { id: 'usage-tokens-title', text: 'Tokens' }), els.tokens,
    h('h4', { id: 'usage-requests-title', text: 'Requests, errors (5xx) and refused (429)' }), els.requests, els.refusedNote,
    h('div', { class: 'usage-tables' },
      h('div', {}, h('h4', { id: 'usage-by-model-title', text: 'By model' }),
        h('table', { id: 'usage-by-model', 'aria-labelledby': 'usage-by-model-title' },
          h('thead', {}, h('tr', {}, ['Model', 'Tokens in', 'Tokens out', 'Requests', 'Errors'].map((t) => h('th', { scope: 'col', text: t })))),
          els.models)),
      h('div', {}, h('h4', { id: 'usage-by-key-title', text: 'By API key' }),
        h('table', { id: 'usage-by-key', 'aria-labelledby': 'usage-by-key-title' },
          h('thead', {}, h('tr', {}, ['Key', 'Prefix', 'User', 'Tokens in', 'Tokens out', 'Requests', 'Errors'].map((t) => h('th', { scope: 'col', text: t })))),
          els.keys))));
  els.section = h('section', { class: 'panel usage-history', id: 'usage-history', 'aria-labelledby': 'usage-history-title', 'data-state': 'loading' },
    h('h3', { id: 'usage-history-title', text: 'Usage over time' }),
    h('div', { class: 'pickers picker' },
      h('fieldset', { 'data-picker': 'usage-range' }, h('legend', { text: 'Range' }),
        RANGES.map((r) => h('button', {
          type: 'button', 'data-value': r, 'aria-pressed': String(r === panel.range), text: r,
          onclick: () => choose(panel, r),
        })))),
    els.span, els.error, els.empty, els.body);
  const first = settled();
  panel.settle = first.settle;
  if (answer) show(panel, answer, panel.seq).then(first.settle, first.settle);
  else load(panel);
  return panelHandle({
    panel, element: els.section, ready: first.promise, refreshMs: REFRESH_MS,
    load: () => load(panel), stop: () => stop(panel),
  });
}

function stop(panel) {
  panel.stopped = true;
  panel.seq += 1;
  panel.tokensChart?.destroy?.();
  panel.requestsChart?.destroy?.();
  panel.tokensChart = panel.requestsChart = null;
}

function choose(panel, range) {
  if (panel.stopped || !RANGES.includes(range)) return;
  panel.range = memory.range = range;
  for (const b of panel.els.section.querySelectorAll('[data-picker="usage-range"] button')) b.setAttribute('aria-pressed', String(b.dataset.value === range));
  if (panel.fixed) return;
  history.replaceState(null, '', `#/?range=${range}`);
  load(panel);
}

function load(panel) {
  const els = panel.els;
  return readInto(panel, {
    source: 'usage',
    path: `factory/usage?range=${encodeURIComponent(panel.range)}`,
    show: (answer, seq) => show(panel, answer, seq),
    stop: () => stop(panel),
    failed: (error) => {
      if (error.status === 404) {
        // No subscription (any more): nothing to show, and nothing to keep.
        els.section.dataset.state = 'none';
        els.error.hidden = true;
        els.body.hidden = true;
        els.empty.hidden = true;
        els.span.textContent = 'Your tenant has no pool subscription, so there is no usage to show.';
      } else {
        els.section.dataset.state = 'error';
        els.error.hidden = false;
        const shown = panel.answer ? ` The figures below are the last ones read (${panel.answer.range}).` : '';
        els.error.textContent = `Usage cannot be read right now: ${error.message.replace(/\.?$/, '.')}${shown}`;
        if (!panel.answer) els.span.textContent = '';
      }
    },
  });
}

const isCount = (v) => typeof v === 'number' && Number.isFinite(v);
const count = (v) => (isCount(v) ? v : 0);

function bucketLabel(seconds) {
  if (!isCount(seconds) || seconds <= 0) return null;
  return seconds < 3600 ? `${num(seconds / 60)} min` : `${num(seconds / 3600)} h`;
}

function timeLabel(seconds, rangeSeconds) {
  const d = new Date(seconds * 1000);
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return rangeSeconds > 86400 ? `${d.toLocaleDateString('en-GB', { day: '2-digit', month: 'short' })} ${time}` : time;
}

/// Puts `answer` on screen: span, totals, charts, tables.
async function show(panel, answer, seq) {
  const els = panel.els;
  panel.answer = answer;
  const range = RANGES.includes(answer.range) ? answer.range : panel.range;
  const series = Array.isArray(answer.series) ? answer.series : [];
  const totals = answer.totals ?? {};
  const bucket = bucketLabel(answer.bucketSeconds);
  const refusedKnown = isCount(totals.rateLimited);
  const empty = count(totals.requests) === 0 && count(totals.errors) === 0 && count(totals.rateLimited) === 0;

  els.error.hidden = true;
  els.body.hidden = false;
  els.empty.hidden = !empty;
  els.span.textContent = `${when(answer.from)} – ${when(answer.to)}${bucket ? ` · one bar per ${bucket}` : ''}`;
  els.totals.textContent = [
    `Totals over ${range}: ${compact(count(totals.tokensIn))} tokens in`,
    `${compact(count(totals.tokensOut))} tokens out`,
    `${num(count(totals.requests))} requests`,
    `${num(count(totals.errors))} errors (5xx)`,
    `${num(count(totals.cancelled))} cancelled`,
    `${refusedKnown ? num(totals.rateLimited) : dash} refused (429)`,
  ].join(' · ');
  els.refusedNote.hidden = refusedKnown;
  els.refusedNote.textContent = refusedKnown ? ''
    : `Refused requests (429) are not counted: ${(answer.reason ?? 'they are unknown for this range').replace(/\.?$/, '.')}`;
  fillModels(els.models, Array.isArray(answer.byModel) ? answer.byModel : []);
  fillKeys(els.keys, Array.isArray(answer.byKey) ? answer.byKey : []);

  const section = els.section;
  section.dataset.range = range;
  section.dataset.requests = String(count(totals.requests));
  section.dataset.buckets = String(series.length);
  section.dataset.empty = String(empty);

  const Chart = await loadChart();
  if (panel.stopped || seq !== panel.seq) return;
  drawCharts(panel, Chart, series, range, refusedKnown);
  section.dataset.state = 'ready';
}

function emptyRow(columns) {
  return h('tr', { class: 'empty' }, h('td', { colspan: String(columns), class: 'note', text: 'No requests in this range.' }));
}

function fillModels(tbody, rows) {
  tbody.replaceChildren(...(rows.length ? rows.map((m) => h('tr', {},
    h('td', { class: 'mono', text: m.model ?? dash }),
    h('td', { text: num(m.tokensIn) }), h('td', { text: num(m.tokensOut) }),
    h('td', { text: num(m.requests) }), h('td', { text: num(m.errors) }))) : [emptyRow(5)]));
}

/// One row per key: its label, its non-secret prefix and its owner's name, nothing else (the key's
/// id stays out of the page). A key no longer in the store has none of the three.
function fillKeys(tbody, rows) {
  tbody.replaceChildren(...(rows.length ? rows.map((k) => {
    const gone = !k.prefix && !k.label && !k.user;
    return h('tr', { 'data-gone': gone ? 'true' : null },
      h('td', { text: gone ? 'Deleted key' : (k.label || dash) }),
      h('td', { class: 'mono', text: k.prefix ? `${k.prefix}…` : dash }),
      h('td', { text: k.user || dash }),
      h('td', { text: num(k.tokensIn) }), h('td', { text: num(k.tokensOut) }),
      h('td', { text: num(k.requests) }), h('td', { text: num(k.errors) }));
  }) : [emptyRow(7)]));
}

function drawCharts(panel, Chart, series, range, refusedKnown) {
  const els = panel.els;
  const rangeSeconds = RANGE_SECONDS[range] ?? 86400;
  const labels = series.map((p) => timeLabel(p.t, rangeSeconds));
  const tokens = [
    { type: 'bar', label: 'Tokens in', data: series.map((p) => count(p.tokensIn)), backgroundColor: COLOURS.in, borderColor: COLOURS.in, stack: 'tokens' },
    { type: 'bar', label: 'Tokens out', data: series.map((p) => count(p.tokensOut)), backgroundColor: COLOURS.out, borderColor: COLOURS.out, stack: 'tokens' },
  ];
  const line = (label, data, colour) => ({ type: 'line', label, data, borderColor: colour, backgroundColor: colour, borderWidth: 2, pointRadius: 0, tension: 0 });
  const requests = [
    line('Requests', series.map((p) => count(p.requests)), COLOURS.requests),
    line('Errors (5xx)', series.map((p) => count(p.errors)), COLOURS.errors),
    refusedKnown ? line('Refused (429)', series.map((p) => count(p.rateLimited)), COLOURS.refused) : null,
  ].filter(Boolean);
  if (!Chart) {
    table(els.tokens, series, rangeSeconds, refusedKnown);
    els.requests.hidden = true;
    return;
  }
  els.requests.hidden = false;
  panel.tokensChart = chart(Chart, els.tokens, panel.tokensChart, labels, tokens, 'tokens', `Tokens in and out per bucket over ${range}`, true);
  panel.requestsChart = chart(Chart, els.requests, panel.requestsChart, labels, requests, 'requests', `Requests, errors and refused requests per bucket over ${range}`, false);
}

function chart(Chart, box, previous, labels, datasets, unit, label, stacked) {
  box.dataset.points = String(labels.length);
  if (previous && previous.canvas?.isConnected) {
    previous.data.labels = labels;
    previous.data.datasets = datasets;
    previous.canvas.setAttribute('aria-label', label);
    previous.update('none');
    return previous;
  }
  previous?.destroy?.();
  clear(box);
  box.classList.add('chart-box');
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  box.append(canvas);
  box.dataset.state = 'drawn';
  Chart.defaults.color = '#9aa7b4';
  Chart.defaults.borderColor = '#2d3643';
  return new Chart(canvas, {
    data: { labels, datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { stacked, ticks: { autoSkip: true, maxTicksLimit: 8, maxRotation: 0 } },
        y: { stacked, beginAtZero: true, suggestedMax: 1, ticks: { precision: 0, callback: (v) => compact(v) }, title: { display: true, text: unit } },
      },
    },
  });
}

/// Without Chart.js: the latest 12 buckets as a table (the totals and tables hold the rest).
function table(box, series, rangeSeconds, refusedKnown) {
  clear(box);
  box.classList.remove('chart-box');
  box.dataset.state = 'table';
  const rows = series.slice(-12).map((p) => h('tr', {},
    h('td', { text: timeLabel(p.t, rangeSeconds) }), h('td', { text: num(count(p.tokensIn)) }), h('td', { text: num(count(p.tokensOut)) }),
    h('td', { text: num(count(p.requests)) }), h('td', { text: num(count(p.errors)) }),
    h('td', { text: refusedKnown ? num(count(p.rateLimited)) : dash })));
  box.append(
    h('p', { class: 'note', text: 'Charts are unavailable (Chart.js is not installed on the server: apt-get install libjs-chart.js); showing the latest buckets as a table.' }),
    h('table', {},
      h('thead', {}, h('tr', {}, ['Time', 'Tokens in', 'Tokens out', 'Requests', 'Errors (5xx)', 'Refused (429)'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows)));
}
