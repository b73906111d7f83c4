// Performance benchmarking (owner and provider tenants): the "Benchmark this node" form on a node's
// detail, live progress of its newest load test (polled every 2 s while queued or running), the
// SLO/capacity chart and per-level table when it is done, and the list of load tests on the home
// view. Shown only when the server documents /api/v1/factory/loadtests (see api.js hasRoute).
import { api, hasRoute } from '../api.js';
import { h, clear, append } from '../dom.js';
import { num, when } from '../format.js';
import { loadChart } from '../chart.js';
import {
  ACTIVE, CAPS, TABLE_COLUMNS, buildPlan, capacitySeries, levelCells, levelLabel, levelRow,
  progressText, searchText, statusLabel,
} from '../loadtest.js';

const ROUTE = '/api/v1/factory/loadtests';
const POLL_MS = 2000;
const STRESS = 'I understand this load test sends real traffic to the node at the levels above; its users may see slower answers until it ends.';

let ids = 0;

/// The detail view's panel for node `node`; `selected` is a load test id from the URL (optional).
/// Returns the section at once (hidden) and fills it when the API is there.
export function benchmarkPanel(node, selected) {
  const n = ++ids;
  const els = {
    section: h('section', { class: 'panel bench', id: 'bench-panel', 'aria-labelledby': `bench-title-${n}`, hidden: true }),
    form: null,
    error: h('p', { class: 'error', id: 'bench-error', role: 'alert', hidden: true }),
    status: h('div', { id: 'bench-status', 'aria-live': 'polite' }),
    results: h('div', { id: 'bench-results' }),
    noVLLM: h('p', { class: 'note', id: 'bench-no-vllm', hidden: true, text: 'This node serves no vLLM endpoint, so there is nothing to benchmark.' }),
  };
  const panel = { node, els, test: null, timer: null, servesVLLM: true };
  els.form = form(panel, n);
  els.section.append(
    h('h3', { id: `bench-title-${n}`, text: 'Performance benchmarking' }),
    h('p', { class: 'note', text: `Benchmark this node’s vLLM endpoint with streaming requests (AIPerf metrics). Caps: concurrency ≤ ${CAPS.concurrency}, at most ${CAPS.totalSeconds / 60} min in total, one test at a time.` }),
    els.noVLLM, els.form, els.error, els.status, els.results);
  hasRoute(ROUTE).then(async (yes) => {
    if (!yes) { els.section.remove(); return; }
    if (!els.section.isConnected) return;
    els.section.hidden = false;
    try {
      const all = (await api('factory/loadtests')).loadTests ?? [];
      const mine = all.filter((t) => t.node === node).sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
      const test = mine.find((t) => t.id === selected) ?? mine[0];
      if (test) show(panel, test);
    } catch (error) {
      if (error.status === 404 || error.status === 503) unavailable(panel, error);
    }
  });
  return { element: els.section, servesVLLM(yes) { panel.servesVLLM = yes; els.form.hidden = !yes; els.noVLLM.hidden = yes; }, stop: () => stop(panel) };
}

function unavailable(panel, error) {
  clear(panel.els.status).append(h('p', { class: 'note', text: `Performance benchmarking is not available right now${error?.message ? `: ${error.message}` : '.'}` }));
}

function field(label, input, hint) {
  return h('div', { class: 'field' }, h('label', { for: input.id, text: label }), input, hint ? h('span', { class: 'hint', id: `${input.id}-hint`, text: hint }) : null);
}

function form(panel, n) {
  const id = (k) => `bench-${k}-${n}`;
  const input = (k, attrs) => h('input', { id: id(k), name: k, 'aria-describedby': attrs.hint ? `${id(k)}-hint` : undefined, ...attrs, hint: undefined });
  const select = (k, options) => h('select', { id: id(k), name: k }, options.map(([v, t]) => h('option', { value: v, text: t })));
  const mode = select('mode', [['concurrency', 'Concurrency (closed loop)'], ['rate', 'Request rate (open loop)']]);
  const arrival = select('arrival', [['constant', 'Constant'], ['poisson', 'Poisson']]);
  const arrivalField = field('Arrival', arrival);
  arrivalField.hidden = true;
  const levels = input('levels', { type: 'text', value: '1,2,4', required: true, inputmode: 'decimal', spellcheck: 'false', hint: `comma-separated; concurrency ≤ ${CAPS.concurrency}` });
  mode.addEventListener('change', () => {
    arrivalField.hidden = mode.value !== 'rate';
    levels.placeholder = mode.value === 'rate' ? '10,20' : '1,2,4';
  });
  const ack = h('input', { type: 'checkbox', id: id('ack'), name: 'acknowledged', required: true });
  const submit = h('button', { type: 'submit', id: 'bench-start', text: 'Start load test' });
  const el = h('form', { class: 'bench-form', id: 'bench-form', novalidate: true, 'aria-label': 'Benchmark this node' },
    h('fieldset', {}, h('legend', { text: 'Benchmark this node' }),
      h('div', { class: 'fields' },
        field('Endpoint', select('endpoint', [['chat', 'Chat completions'], ['completions', 'Completions']])),
        field('Mode', mode),
        field('Levels', levels, `comma-separated; concurrency ≤ ${CAPS.concurrency}`),
        arrivalField,
        field('Requests per level', input('requests', { type: 'number', min: '1', step: '1', value: '100', hint: 'optional' }), 'optional'),
        field('Duration per level (s)', input('durationSeconds', { type: 'number', min: '1', max: String(CAPS.totalSeconds), step: '1', value: '60', required: true, hint: 'levels × duration ≤ 30 min' }), 'levels × duration ≤ 30 min'),
        field('Input length (words)', input('isl', { type: 'number', min: '1', step: '1', value: '512', required: true })),
        field('Output length (tokens)', input('osl', { type: 'number', min: '1', step: '1', value: '128', required: true })),
        field('SLO', input('slo', { type: 'text', placeholder: 'ttft_p99=500ms,tpot_p99=50ms', spellcheck: 'false', hint: 'optional' }), 'optional'),
        h('div', { class: 'field check' }, h('input', { type: 'checkbox', id: id('search'), name: 'search' }),
          h('label', { for: id('search'), text: 'Find the max concurrency under the SLO' })),
        field('Search limit', input('searchLimit', { type: 'number', min: '1', max: String(CAPS.concurrency), step: '1', placeholder: String(CAPS.concurrency), hint: 'optional' }), 'optional')),
      h('div', { class: 'field check ack' }, ack, h('label', { for: id('ack'), text: STRESS })),
      h('div', { class: 'actions' }, submit)));
  el.addEventListener('submit', (event) => { event.preventDefault(); start(panel, el, submit); });
  return el;
}

function formValues(el) {
  const data = new FormData(el);
  const values = Object.fromEntries(data.entries());
  values.search = data.has('search');
  values.acknowledged = data.has('acknowledged');
  return values;
}

function showError(panel, message, fieldName) {
  const { error, form: el } = panel.els;
  for (const f of el.querySelectorAll('[aria-invalid]')) f.removeAttribute('aria-invalid');
  error.hidden = !message;
  error.textContent = message ?? '';
  const target = fieldName ? el.elements[fieldName] : null;
  if (target) { target.setAttribute('aria-invalid', 'true'); target.focus(); }
}

async function start(panel, el, submit) {
  const built = buildPlan(formValues(el), panel.node);
  if (built.error) { showError(panel, built.error, built.field); return; }
  showError(panel, null);
  submit.disabled = true;
  try {
    const test = await api('factory/loadtests', { method: 'POST', body: built.plan });
    el.elements.acknowledged.checked = false;
    show(panel, test);
  } catch (error) {
    let message = error.message;
    if (error.status === 403) message = `Only a tenant admin can start a load test. ${error.message}`;
    else if (error.status === 404) message = `This node cannot be benchmarked: ${error.message}`;
    const named = error.status === 422 ? ['levels', 'concurrency', 'rate', 'durationSeconds', 'requests', 'isl', 'osl', 'slo', 'searchLimit', 'search', 'arrival', 'endpoint']
      .find((f) => error.message.includes(f)) : null;
    showError(panel, message, named === 'concurrency' || named === 'rate' ? 'levels' : named);
  } finally {
    submit.disabled = false;
  }
}

function stop(panel) {
  clearTimeout(panel.timer);
  panel.timer = null;
}

/// Shows `test` (status, progress or results) and keeps polling it while it is queued or running.
function show(panel, test) {
  stop(panel);
  panel.test = test;
  const { status, results, section } = panel.els;
  const active = ACTIVE.includes(test.status);
  section.dataset.status = test.status ?? 'unknown';
  // The status is rebuilt on every poll; keep keyboard focus on Cancel if it was there.
  const hadFocus = document.activeElement?.id === 'bench-cancel' && status.contains(document.activeElement);
  clear(status).append(statusBlock(test, active ? () => cancel(panel) : null));
  if (hadFocus) status.querySelector('#bench-cancel')?.focus();
  if (!active) renderResults(results, test);
  else clear(results);
  if (active) panel.timer = setTimeout(() => poll(panel), POLL_MS);
}

async function poll(panel) {
  if (!panel.els.section.isConnected || !panel.test) { stop(panel); return; }
  try {
    show(panel, await api(`factory/loadtests/${encodeURIComponent(panel.test.id)}`));
  } catch (error) {
    if (!panel.els.section.isConnected) return;
    if (error.status === 404) { unavailable(panel, error); return; }
    panel.timer = setTimeout(() => poll(panel), POLL_MS * 2);
  }
}

async function cancel(panel) {
  const button = panel.els.status.querySelector('#bench-cancel');
  if (button) button.disabled = true;
  try {
    show(panel, await api(`factory/loadtests/${encodeURIComponent(panel.test.id)}/cancel`, { method: 'POST' }) ?? panel.test);
  } catch (error) {
    showError(panel, `The load test could not be cancelled: ${error.message}`);
    if (button) button.disabled = false;
  }
}

/// Status line of a test: status, who started it and when, live progress, Cancel while active.
export function statusBlock(test, onCancel) {
  const plan = test.plan ?? {};
  const levels = plan.concurrency ?? plan.rate ?? [];
  const mode = plan.concurrency ? 'concurrency' : plan.rate ? 'req/s' : '';
  const line = progressText(test);
  return h('div', { class: 'bench-status', 'data-status': test.status ?? 'unknown' },
    h('p', {},
      h('span', { class: 'badge status-badge', 'data-status': test.status ?? 'unknown', text: statusLabel(test.status) }), ' ',
      h('span', { text: `Load test ${test.id ?? ''}`.trim() }),
      levels.length ? h('span', { class: 'note', text: ` · ${mode} ${levels.join(', ')}${plan.isl ? ` · ISL ${plan.isl} / OSL ${plan.osl ?? '—'}` : ''}` }) : null,
      h('span', { class: 'note', text: ` · started ${when(test.startedAt ?? test.createdAt)}${test.requestedBy ? ` by ${test.requestedBy}` : ''}` })),
    line ? h('p', { class: 'progress mono', id: 'bench-progress', text: line }) : null,
    test.error ? h('p', { class: 'error', text: typeof test.error === 'string' ? test.error : (test.error.message ?? 'The load test failed.') }) : null,
    onCancel ? h('button', { type: 'button', id: 'bench-cancel', text: 'Cancel load test', onclick: onCancel }) : null);
}

/// Results of a finished test into `box`: search answer, SLO/capacity chart, per-level table.
export function renderResults(box, test) {
  box.__chart?.destroy?.();
  clear(box);
  const levels = Array.isArray(test.levels) ? test.levels : [];
  if (!levels.length) {
    box.append(h('p', { class: 'note', text: test.status === 'succeeded' ? 'The load test finished without a measured level.' : 'No level finished, so there are no figures.' }));
    return Promise.resolve(null);
  }
  const search = searchText(test.search);
  const chartBox = h('div', { class: 'chart-box', id: 'bench-chart', 'data-state': 'loading' });
  append(box, [
    search ? h('p', { class: 'search-result', id: 'bench-search', text: search }) : null,
    h('h4', { text: 'SLO and capacity' }), chartBox,
    h('h4', { text: 'Per level' }), levelTable(levels)]);
  return drawCapacity(chartBox, levels).then((chart) => { box.__chart = chart; return chart; });
}

export function levelTable(levels) {
  return h('table', { class: 'levels', id: 'bench-levels' },
    h('thead', {}, h('tr', {}, TABLE_COLUMNS.map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, levels.map((report) => {
      const row = levelRow(report);
      const cells = levelCells(row);
      return h('tr', { 'data-level': row.label, 'data-slo': row.sloMet === null ? 'none' : row.sloMet ? 'met' : 'missed' },
        h('th', { scope: 'row', text: cells[0] }), cells.slice(1).map((c) => h('td', { text: c })));
    })));
}

async function drawCapacity(box, levels) {
  const Chart = await loadChart();
  const s = capacitySeries(levels);
  if (!Chart) {
    box.classList.remove('chart-box');
    box.dataset.state = 'table';
    box.append(h('p', { class: 'note', text: 'Charts are unavailable (Chart.js is not installed on the server); the table below has every figure.' }));
    return null;
  }
  Chart.defaults.color = '#9aa7b4';
  Chart.defaults.borderColor = '#2d3643';
  const canvas = h('canvas', { role: 'img', 'aria-label': `Request throughput and latency by level: ${s.labels.join(', ')}` });
  box.append(canvas);
  const line = (label, data, colour) => ({ type: 'line', label, data, yAxisID: 'y2', borderColor: colour, backgroundColor: colour, borderWidth: 2, pointRadius: 3, spanGaps: true });
  const chart = new Chart(canvas, {
    data: {
      labels: s.labels,
      datasets: [
        { type: 'bar', label: 'Request throughput (req/s)', data: s.throughput, yAxisID: 'y', backgroundColor: 'rgba(88, 166, 255, 0.45)', borderColor: '#58a6ff', borderWidth: 1 },
        line('TTFT p50 (ms)', s.ttftP50, '#3fb950'),
        line('TTFT p99 (ms)', s.ttftP99, '#d29922'),
        line('ITL p99 (ms)', s.itlP99, '#bc8cff'),
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { title: { display: true, text: 'Level' } },
        y: { beginAtZero: true, position: 'left', title: { display: true, text: 'req/s' } },
        y2: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'ms' } },
      },
    },
  });
  box.dataset.state = 'drawn';
  box.dataset.levels = String(s.labels.length);
  return chart;
}

/// The home view's list of load tests (hidden when the API is not there).
export function benchList() {
  const section = h('section', { class: 'panel bench', id: 'bench-list', 'aria-labelledby': 'bench-list-title', hidden: true },
    h('h3', { id: 'bench-list-title', text: 'Performance benchmarking' }), h('div', { class: 'body' }));
  refreshBenchList(section);
  return section;
}

let lastList = 0;
export async function refreshBenchList(section = document.getElementById('bench-list'), force = true) {
  if (!section || (!force && Date.now() - lastList < 10000)) return;
  lastList = Date.now();
  if (!(await hasRoute(ROUTE))) { section.hidden = true; return; }
  const body = section.querySelector('.body');
  try {
    const tests = ((await api('factory/loadtests')).loadTests ?? []).slice().sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
    section.hidden = false;
    clear(body).append(tests.length
      ? h('table', {},
        h('thead', {}, h('tr', {}, ['Node', 'Status', 'Levels · result', 'Started'].map((t) => h('th', { scope: 'col', text: t })))),
        h('tbody', {}, tests.slice(0, 10).map((t) => h('tr', { 'data-loadtest': t.id ?? '' },
          h('td', { class: 'nowrap' }, h('a', { class: 'mono', href: `#/nodes/${encodeURIComponent(t.node ?? '')}?loadtest=${encodeURIComponent(t.id ?? '')}`, text: t.node ?? '—' })),
          h('td', {}, h('span', { class: 'badge status-badge', 'data-status': t.status ?? 'unknown', text: statusLabel(t.status) })),
          h('td', { text: `${(t.levels ?? []).map((l) => levelLabel(l.level)).join(', ') || (t.plan?.concurrency ?? t.plan?.rate ?? []).join(', ') || '—'} · ${summary(t)}` }),
          h('td', { class: 'nowrap', text: shortWhen(t.startedAt ?? t.createdAt) })))))
      : h('p', { class: 'note', text: 'No load tests yet. Open a node and use “Benchmark this node”.' }));
  } catch (error) {
    if (error.status === 401) return;
    section.hidden = false;
    clear(body).append(h('p', { class: 'note', text: `Load tests are not available right now: ${error.message}` }));
  }
}

function shortWhen(iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

function summary(test) {
  const search = searchText(test.search);
  if (search) return search.replace('Max concurrency under SLO', 'max c under SLO');
  if (ACTIVE.includes(test.status)) return progressText(test) || '—';
  const best = Math.max(...(test.levels ?? []).map((l) => levelRow(l).requestsPerSec ?? -1), -1);
  return best >= 0 ? `peak ${num(best, 2)} req/s` : '—';
}
