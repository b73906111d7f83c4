// Performance benchmarking on the overview (admins of owner and provider tenants, site operators;
// never inside a node's detail): a node picker (#bench-node), the "Benchmark this node" form for the
// picked node, live progress of its newest load test (polled every 2 s while queued or running),
// the SLO/capacity chart and per-level table when it is done; and the list of load tests on the
// home view. Shown only when the server runs the load-test API (see api.js hasRoute).
//
// `#/?loadtest=<id>` (the list's links) opens the panel on that test's node with that test shown.
// Whether a node serves vLLM is only known from its detail (no `inference` object says it does not), so
// the picked node's detail is read once and a node without vLLM gets a note instead of the form.
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
const NODES_REFRESH_MS = 60000; // GET nodes again (site operators' tenant names) at most this often
const STRESS = 'I understand this load test sends real traffic to the node at the levels above; its users may see slower answers until it ends.';
const NO_VLLM = 'This node has no vLLM endpoint (its detail shows no inference signals), so there is nothing to benchmark. Pick another node.';

let ids = 0;

// What survives a re-render of the overview (back from a node's detail): the node picked.
let memory = { user: null, node: null };

/// The overview's panel. `me` is GET /api/v1/me's answer; `nodes` the overview's node cards
/// (`{id, model, gpuCount, pool, tenant?}`; a site operator's cover the whole fleet). Returns
/// `{element, update(nodes), stop}` at once and fills the section when the API is there.
export function benchmarkOverviewPanel({ me, nodes }) {
  const user = me?.user?.id ?? null;
  if (memory.user !== user) memory = { user, node: null };
  const n = ++ids;
  const els = {
    section: h('section', { class: 'panel bench', id: 'bench-panel', 'aria-labelledby': `bench-title-${n}`, hidden: true }),
    node: h('select', { id: 'bench-node', name: 'node', 'aria-describedby': 'bench-node-hint' }),
    form: null,
    error: h('p', { class: 'error', id: 'bench-error', role: 'alert', hidden: true }),
    status: h('div', { id: 'bench-status', 'aria-live': 'polite' }),
    results: h('div', { id: 'bench-results' }),
    noVLLM: h('p', { class: 'note', id: 'bench-no-vllm', hidden: true, text: NO_VLLM }),
    noNodes: h('p', { class: 'note', id: 'bench-no-nodes', hidden: true, text: 'There is no node to benchmark yet.' }),
  };
  const panel = {
    me, node: null, els, test: null, timer: null, seq: 0, stopped: false,
    nodes: [], signature: null, vllm: new Map(), tenants: new Map(), lastTenants: 0,
  };
  els.form = form(panel, n);
  els.node.addEventListener('change', () => {
    dropDeepLink();
    choose(panel, els.node.value);
  });
  els.section.append(
    h('h3', { id: `bench-title-${n}`, text: 'Performance benchmarking' }),
    h('p', { class: 'note', text: `Benchmark a node’s vLLM endpoint with streaming requests (AIPerf metrics). Caps: concurrency ≤ ${CAPS.concurrency}, at most ${CAPS.totalSeconds / 60} min in total, one test at a time.` }),
    h('div', { class: 'bench-form bench-pick' },
      field('Node', els.node, 'Load tests go to the node’s registered vLLM endpoint; a node without one says so below.')),
    els.noNodes, els.noVLLM, els.form, els.error, els.status, els.results);
  setNodes(panel, nodes);
  hasRoute(ROUTE).then(async (yes) => {
    if (!yes) { els.section.remove(); return; }
    if (!alive(panel)) return;
    els.section.hidden = false;
    await initialChoice(panel);
  });
  return {
    element: els.section,
    update(next) { if (alive(panel)) setNodes(panel, next); },
    stop: () => { panel.stopped = true; stop(panel); },
  };
}

const alive = (panel) => !panel.stopped && panel.els.section.isConnected;

/// The test id of `#/?loadtest=<id>`, if the address has one.
function deepLink() {
  return new URLSearchParams(location.hash.split('?')[1] ?? '').get('loadtest');
}

/// Once a node is picked by hand, the address no longer names the test shown.
function dropDeepLink() {
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  if (!query.has('loadtest')) return;
  query.delete('loadtest');
  const rest = query.toString();
  history.replaceState(null, '', `#/${rest ? `?${rest}` : ''}`);
}

/// The first node shown: the deep-linked test's, else the one picked before, else the node of the
/// tenant's newest test (the one running, if any), else the first node.
async function initialChoice(panel) {
  const linked = deepLink();
  let tests = null, note = null;
  if (linked) {
    try {
      const test = await api(`factory/loadtests/${encodeURIComponent(linked)}`);
      if (!alive(panel)) return;
      if (test?.node) {
        choose(panel, test.node, test);
        panel.els.section.scrollIntoView({ block: 'start' });
        return;
      }
    } catch (error) {
      if (!alive(panel)) return;
      note = error.status === 404 ? `Load test ${linked} does not exist or is not yours.` : `Load test ${linked} cannot be read right now: ${error.message}`;
    }
  }
  const known = (name) => panel.nodes.some((x) => x.name === name);
  if (!known(memory.node)) {
    try {
      tests = newestFirst((await api('factory/loadtests')).loadTests ?? []);
    } catch (error) {
      if (error.status === 404 || error.status === 503) unavailable(panel, error);
      tests = [];
    }
    if (!alive(panel)) return;
  }
  const node = known(memory.node) ? memory.node
    : (tests.find((t) => ACTIVE.includes(t.status) && known(t.node)) ?? tests.find((t) => known(t.node)))?.node
      ?? panel.nodes[0]?.name ?? null;
  choose(panel, node, null, tests);
  if (note) showError(panel, note);
}

const newestFirst = (tests) => tests.slice().sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));

/// Normalises the node cards and rebuilds the picker when the set changed, keeping the choice.
function setNodes(panel, nodes) {
  const list = (Array.isArray(nodes) ? nodes : []).map((x) => ({
    name: x.id ?? x.name, model: x.model ?? x.gpuModel, gpus: x.gpuCount, tenant: x.tenant ?? null,
  })).filter((x) => x.name);
  if (panel.me?.isOperator && list.some((x) => !x.tenant)) loadTenants(panel, list);
  for (const x of list) x.tenant ??= panel.tenants.get(x.name) ?? null;
  list.sort((a, b) => (a.tenant ?? '').localeCompare(b.tenant ?? '') || a.name.localeCompare(b.name));
  const had = panel.nodes.some((x) => x.name === panel.node);
  panel.nodes = list;
  renderPicker(panel);
  // The picked node left (removed, or no longer the tenant's): show another one.
  if (had && !list.some((x) => x.name === panel.node)) choose(panel, list[0]?.name ?? null);
}

/// A site operator's cards do not name their tenant: GET nodes does (at most once a minute).
async function loadTenants(panel, list) {
  if (Date.now() - panel.lastTenants < NODES_REFRESH_MS) return;
  panel.lastTenants = Date.now();
  try {
    const all = await api('nodes');
    if (panel.stopped) return;
    for (const x of Array.isArray(all) ? all : []) if (x.name && x.tenant) panel.tenants.set(x.name, x.tenant);
    for (const x of panel.nodes) x.tenant ??= panel.tenants.get(x.name) ?? null;
    panel.nodes.sort((a, b) => (a.tenant ?? '').localeCompare(b.tenant ?? '') || a.name.localeCompare(b.name));
    renderPicker(panel);
  } catch {
    // The names are a nicety: the options still carry every node.
  }
}

function optionText(panel, x) {
  const gpus = x.gpus ? ` · ${x.gpus} GPU${x.gpus === 1 ? '' : 's'}` : '';
  const vllm = panel.vllm.get(x.name) === false ? ' — no vLLM endpoint' : '';
  return `${x.tenant ? `${x.tenant} / ` : ''}${x.name}${x.model ? ` — ${x.model}${gpus}` : ''}${vllm}`;
}

function renderPicker(panel) {
  const signature = JSON.stringify(panel.nodes.map((x) => [x.name, x.tenant, x.model, x.gpus, panel.vllm.get(x.name)]));
  if (signature === panel.signature) return;
  panel.signature = signature;
  const select = panel.els.node;
  const keep = panel.node ?? select.value;
  const vllm = (x) => (panel.vllm.has(x.name) ? String(panel.vllm.get(x.name)) : 'unknown');
  const options = [...select.options];
  if (panel.nodes.length && options.length === panel.nodes.length && options.every((o, i) => o.value === panel.nodes[i].name)) {
    // Same nodes in the same order: relabel in place (an open picker stays open).
    options.forEach((o, i) => { o.textContent = optionText(panel, panel.nodes[i]); o.dataset.vllm = vllm(panel.nodes[i]); });
  } else {
    clear(select).append(...panel.nodes.map((x) => h('option', { value: x.name, selected: x.name === keep, 'data-vllm': vllm(x), text: optionText(panel, x) })));
    if (!panel.nodes.length) select.append(h('option', { value: '', text: 'No nodes' }));
  }
  select.value = panel.nodes.some((x) => x.name === keep) ? keep : (panel.nodes[0]?.name ?? '');
  select.disabled = !panel.nodes.length;
  panel.els.noNodes.hidden = panel.nodes.length > 0;
}

/// Shows node `name`: its test `test` (or its newest, from `tests` or GET loadtests), and the form
/// or, when its detail says it serves no vLLM, the note instead.
async function choose(panel, name, test = null, tests = null) {
  stop(panel);
  const seq = ++panel.seq;
  const { els } = panel;
  panel.node = name;
  panel.test = null;
  if (name) memory.node = name;
  if (name && els.node.value !== name) els.node.value = name;
  showError(panel, null);
  delete els.section.dataset.status;
  els.results.__chart?.destroy?.();
  els.results.__chart = null;
  clear(els.status);
  clear(els.results);
  servesVLLM(panel, name ? panel.vllm.get(name) !== false : false);
  if (!name) return;
  // A vLLM node stays one; a node without vLLM may get one registered, so it is read again.
  if (panel.vllm.get(name) !== true) probeVLLM(panel, name);
  if (test) { show(panel, test); return; }
  try {
    const all = tests ?? newestFirst((await api('factory/loadtests')).loadTests ?? []);
    if (seq !== panel.seq || !alive(panel)) return;
    const newest = all.find((t) => t.node === name);
    if (newest) show(panel, newest);
  } catch (error) {
    if (seq !== panel.seq || !alive(panel)) return;
    if (error.status === 404 || error.status === 503) unavailable(panel, error);
  }
}

/// Reads the node's detail: it carries `inference` only when the node serves vLLM (the server
/// leaves the field out, or sends `null`, otherwise). A stale or failed read proves nothing, and
/// the server still answers 422 on start, so only a fresh answer decides.
async function probeVLLM(panel, name) {
  try {
    const detail = await api(`factory/nodes/${encodeURIComponent(name)}`);
    if (panel.stopped || detail?.stale) return;
    panel.vllm.set(name, detail?.inference !== null && detail?.inference !== undefined);
  } catch {
    return;
  }
  renderPicker(panel);
  if (panel.node === name) servesVLLM(panel, panel.vllm.get(name));
}

function servesVLLM(panel, yes) {
  const { form: el, noVLLM } = panel.els;
  el.hidden = !yes;
  noVLLM.hidden = yes || !panel.node;
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
  if (!panel.node) { showError(panel, 'Choose a node to benchmark.'); return; }
  const node = panel.node, seq = panel.seq;
  const built = buildPlan(formValues(el), node);
  if (built.error) { showError(panel, built.error, built.field); return; }
  showError(panel, null);
  submit.disabled = true;
  try {
    const test = await api('factory/loadtests', { method: 'POST', body: built.plan });
    el.elements.acknowledged.checked = false;
    if (seq === panel.seq && alive(panel)) show(panel, test);
  } catch (error) {
    if (seq !== panel.seq || !alive(panel)) return;
    let message = error.message;
    if (error.status === 403) message = `Only a tenant admin can start a load test. ${error.message}`;
    else if (error.status === 404) message = `This node cannot be benchmarked: ${error.message}`;
    else if (error.status === 422 && /vLLM endpoint/.test(error.message)) {
      // The inventory has no vLLM endpoint for it (the detail's read may have failed): say so.
      panel.vllm.set(node, false);
      renderPicker(panel);
      servesVLLM(panel, false);
    }
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
  if (!alive(panel) || !panel.test) { stop(panel); return; }
  const seq = panel.seq;
  try {
    const test = await api(`factory/loadtests/${encodeURIComponent(panel.test.id)}`);
    if (seq === panel.seq && alive(panel)) show(panel, test);
  } catch (error) {
    if (seq !== panel.seq || !alive(panel)) return;
    if (error.status === 404) { unavailable(panel, error); return; }
    panel.timer = setTimeout(() => poll(panel), POLL_MS * 2);
  }
}

async function cancel(panel) {
  const button = panel.els.status.querySelector('#bench-cancel');
  if (button) button.disabled = true;
  const seq = panel.seq;
  try {
    const test = await api(`factory/loadtests/${encodeURIComponent(panel.test.id)}/cancel`, { method: 'POST' }) ?? panel.test;
    if (seq === panel.seq && alive(panel)) show(panel, test);
  } catch (error) {
    if (seq !== panel.seq || !alive(panel)) return;
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

/// The home view's list of load tests (hidden when the API is not there). Where the overview has
/// the benchmarking panel (admins), each node links to `#/?loadtest=<id>`, which opens that test
/// there; members see the same list without links, since nothing would open them.
export function benchList() {
  const section = h('section', { class: 'panel bench', id: 'bench-list', 'aria-labelledby': 'bench-list-title', hidden: true },
    h('h3', { id: 'bench-list-title', text: 'Load tests' }), h('div', { class: 'body' }));
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
    const linked = Boolean(document.getElementById('bench-panel'));
    const nodeCell = (t) => linked
      ? h('a', { class: 'mono', href: `#/?loadtest=${encodeURIComponent(t.id ?? '')}`, text: t.node ?? '—' })
      : h('span', { class: 'mono', text: t.node ?? '—' });
    clear(body).append(tests.length
      ? h('table', {},
        h('thead', {}, h('tr', {}, ['Node', 'Status', 'Levels · result', 'Started'].map((t) => h('th', { scope: 'col', text: t })))),
        h('tbody', {}, tests.slice(0, 10).map((t) => h('tr', { 'data-loadtest': t.id ?? '' },
          h('td', { class: 'nowrap' }, nodeCell(t)),
          h('td', {}, h('span', { class: 'badge status-badge', 'data-status': t.status ?? 'unknown', text: statusLabel(t.status) })),
          h('td', { text: `${(t.levels ?? []).map((l) => levelLabel(l.level)).join(', ') || (t.plan?.concurrency ?? t.plan?.rate ?? []).join(', ') || '—'} · ${summary(t)}` }),
          h('td', { class: 'nowrap', text: shortWhen(t.startedAt ?? t.createdAt) })))))
      : h('p', { class: 'note', text: 'No load tests yet. Admins start one under “Performance benchmarking” on this page.' }));
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
