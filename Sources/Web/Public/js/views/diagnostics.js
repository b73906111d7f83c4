// Diagnostics on the overview (tenant admins of owner and provider tenants, site operators; never
// inside a node's detail): run `dcgmi diag -r 1…4` or NCCL all_reduce_perf on a node through its
// agent, follow it live, read the parsed report and the raw output.
//
// The server is the gate for stressful runs: the page always posts `acknowledged: false` first; a
// 412 `acknowledgement_required` opens a <dialog> quoting the server's warning word for word, and
// "Run anyway" posts again with `acknowledged: true`. The page never decides by itself which runs
// need it. While the shown run is queued or running it is polled every 1.5 s (tail of the output,
// Cancel); the list is polled while any run is active. Every timer stops once the panel has left
// the document (the overview re-rendered, another route, logout).
import { api } from '../api.js';
import { h, clear, patch } from '../dom.js';
import { dash, num, when } from '../format.js';
import {
  LEVELS, NCCL_HINT, actionLabel, bandwidthText, bytesLabel, duration, gpuLabel, isActive, kindLabel, levelHint,
  outputTail, progressText, rowWrong, secondsLabel, sizeLabel, startBody, stateLabel, statusLabel, gbps,
} from '../diagnostics.js';

const RUN_POLL_MS = 1500;
const LIST_POLL_MS = 3000;
const LIST_REFRESH_MS = 15000; // list refresh from the overview's own polling while nothing runs
const LIST_ROWS = 25;
const NODES_REFRESH_MS = 60000; // GET nodes again (site operators) at most this often
const TAIL_LINES = 30;

// What survives a re-render of the overview (back from a node's detail): the form and the run shown.
let memory = { user: null, node: null, kind: 'dcgm', level: '1', drain: false, run: null };

/// The panel. `me` is GET /api/v1/me's answer; `nodes` the overview's node cards, or null to read
/// GET /api/v1/nodes (site operators have no overview nodes). Returns `{element, update, stop}`.
export function diagnosticsPanel({ me, nodes }) {
  const user = me?.user?.id ?? null;
  if (memory.user !== user) memory = { user, node: null, kind: 'dcgm', level: '1', drain: false, run: null };
  const panel = {
    me, nodes: [], signature: null, runs: null, listError: null, selected: null, runError: null,
    runTimer: null, listTimer: null, lastList: 0, lastNodes: 0, listSeq: 0, runSeq: 0, pending: null, announced: null,
    stopped: false, els: {},
  };
  const els = panel.els;
  els.section = h('section', { class: 'panel diagnostics', id: 'diagnostics-panel', 'aria-labelledby': 'diag-title' });
  els.error = h('p', { class: 'error', id: 'diag-error', role: 'alert', hidden: true });
  els.announce = h('p', { class: 'sr-only', id: 'diag-announce', role: 'status' });
  els.list = h('div', { id: 'diag-list' }, h('p', { class: 'note', text: 'Loading diagnostic runs…' }));
  els.detail = h('div', { id: 'diag-detail' });
  els.dialog = ackDialog(panel);
  els.form = form(panel);
  els.section.append(
    h('h3', { id: 'diag-title', text: 'Diagnostics' }),
    h('p', { class: 'note', text: 'Run NVIDIA DCGM diagnostics (dcgmi diag) or an NCCL all-reduce test on a node through its agent. One run per node at a time; every start, acknowledgement and cancel is audited.' }),
    els.form, els.error, els.announce,
    h('h4', { id: 'diag-runs-title', text: 'Runs' }), els.list, els.detail, els.dialog);
  setNodes(panel, nodes);
  refreshList(panel);
  if (memory.run) open(panel, memory.run, true);
  return {
    element: els.section,
    update(next) {
      if (!alive(panel)) return;
      setNodes(panel, next);
      if (!panel.listTimer && Date.now() - panel.lastList > LIST_REFRESH_MS) refreshList(panel);
    },
    stop: () => stop(panel),
  };
}

/// One run's view on its own (the browser tests render fixture runs with it); no polling.
export function runElement(run, me = null) {
  const panel = { me, stopped: true, runError: null, selected: run, els: {} };
  return runView(panel, run);
}

const alive = (panel) => !panel.stopped && panel.els.section.isConnected;

function stop(panel) {
  panel.stopped = true;
  clearTimeout(panel.runTimer);
  clearTimeout(panel.listTimer);
  panel.runTimer = panel.listTimer = null;
  panel.listSeq++;
  panel.runSeq++;
}

// ---------------------------------------------------------------- form and nodes

function form(panel) {
  const els = panel.els;
  els.node = h('select', { id: 'diag-node', name: 'node', required: true, 'aria-describedby': 'diag-node-hint' });
  els.noAgent = h('p', { class: 'note', id: 'diag-no-agent', hidden: true, text: 'None of these nodes has an enrolled agent, and diagnostics run only through one: enrol the node with `aifactory agent` first.' });
  const radio = (value, label) => h('div', { class: 'field check' },
    h('input', { type: 'radio', id: `diag-kind-${value}`, name: 'kind', value, checked: memory.kind === value }),
    h('label', { for: `diag-kind-${value}`, text: label }));
  els.level = h('select', { id: 'diag-level', name: 'level', 'aria-describedby': 'diag-level-hint' },
    LEVELS.map((l) => h('option', { value: String(l.level), text: l.label, selected: String(l.level) === memory.level })));
  els.levelHint = h('span', { class: 'hint', id: 'diag-level-hint' });
  els.levelField = h('div', { class: 'field' }, h('label', { for: 'diag-level', text: 'Level (dcgmi diag -r)' }), els.level, els.levelHint);
  els.ncclHint = h('p', { class: 'hint', id: 'diag-nccl-hint', text: NCCL_HINT });
  els.drain = h('input', { type: 'checkbox', id: 'diag-drain-first', name: 'drain', checked: memory.drain, 'aria-describedby': 'diag-drain-hint' });
  els.drainField = h('div', { class: 'field check' }, els.drain,
    h('label', { for: 'diag-drain-first', text: 'Drain the node first' }),
    h('span', { class: 'hint', id: 'diag-drain-hint', text: 'For a node serving traffic: the agent’s drain hook stops new requests, in-flight ones finish, the test runs, the node is restored.' }));
  els.start = h('button', { type: 'submit', id: 'diag-start', text: 'Run diagnostic' });
  const el = h('form', { class: 'bench-form diag-form', id: 'diag-form', novalidate: true, 'aria-label': 'Run a diagnostic' },
    h('fieldset', {}, h('legend', { text: 'Run a diagnostic' }),
      h('div', { class: 'fields' },
        h('div', { class: 'field' }, h('label', { for: 'diag-node', text: 'Node' }), els.node,
          h('span', { class: 'hint', id: 'diag-node-hint', text: 'Diagnostics run through the node’s agent; nodes without one are listed but cannot be picked.' })),
        h('fieldset', { class: 'field kinds', id: 'diag-kind' }, h('legend', { text: 'Test' }),
          radio('dcgm', 'DCGM diagnostic (dcgmi diag)'), radio('nccl', 'NCCL all-reduce (all_reduce_perf)')),
        els.levelField, els.drainField),
      els.ncclHint, els.noAgent,
      h('div', { class: 'actions' }, els.start)));
  el.addEventListener('change', (event) => {
    const t = event.target;
    if (t.name === 'kind') memory.kind = t.value;
    if (t.name === 'level') memory.level = t.value;
    if (t.name === 'node') memory.node = t.value;
    if (t.name === 'drain') memory.drain = t.checked;
    syncForm(panel);
  });
  el.addEventListener('submit', (event) => {
    event.preventDefault();
    start(panel, formValues(panel), false);
  });
  els.form = el;
  syncForm(panel);
  return el;
}

function formValues(panel) {
  const kind = panel.els.form.querySelector('input[name="kind"]:checked')?.value ?? 'dcgm';
  return { node: panel.els.node.value, kind, level: panel.els.level.value, drain: panel.els.drain.checked };
}

function syncForm(panel) {
  const { kind } = formValues(panel);
  const { levelField, levelHint: hint, ncclHint, level } = panel.els;
  levelField.hidden = kind === 'nccl';
  ncclHint.hidden = kind !== 'nccl';
  hint.textContent = levelHint(level.value);
}

/// Normalises the overview's cards ({id, model, agentVersion}) or GET nodes ({name, gpuModel,
/// tenant, agentVersion}) and rebuilds the picker when the set changed, keeping the choice.
async function setNodes(panel, nodes) {
  let list = nodes;
  if (!Array.isArray(list)) {
    if (Date.now() - panel.lastNodes < NODES_REFRESH_MS) return;
    panel.lastNodes = Date.now();
    try {
      list = await api('nodes');
    } catch (error) {
      if (error.status !== 401 && !panel.stopped) showError(panel, `The node list cannot be loaded: ${error.message}`);
      return;
    }
    if (panel.stopped) return;
  }
  const normal = (Array.isArray(list) ? list : []).map((n) => ({
    name: n.id ?? n.name, agent: Boolean(n.agentVersion), agentVersion: n.agentVersion,
    tenant: panel.me?.isOperator ? n.tenant : null, gpus: n.gpuCount, model: n.model ?? n.gpuModel,
  })).filter((n) => n.name).sort((a, b) => (a.tenant ?? '').localeCompare(b.tenant ?? '') || a.name.localeCompare(b.name));
  const signature = JSON.stringify(normal.map((n) => [n.name, n.agent, n.tenant]));
  if (signature === panel.signature) return;
  panel.signature = signature;
  panel.nodes = normal;
  const select = panel.els.node;
  const keep = select.value || memory.node;
  const first = normal.find((n) => n.agent);
  const chosen = normal.find((n) => n.name === keep && n.agent) ?? first;
  clear(select).append(...normal.map((n) => h('option', {
    value: n.name, disabled: !n.agent, selected: n === chosen, 'data-agent': n.agent ? 'yes' : 'no',
    text: `${n.tenant ? `${n.tenant} / ` : ''}${n.name}${n.agent ? ` — agent ${n.agentVersion}` : ' — no agent'}`,
  })));
  if (!normal.length) select.append(h('option', { value: '', text: 'No nodes' }));
  select.value = chosen?.name ?? '';
  panel.els.start.disabled = !chosen;
  panel.els.noAgent.hidden = Boolean(chosen) || !normal.length;
}

function showError(panel, message) {
  const { error } = panel.els;
  error.hidden = !message;
  error.textContent = message ?? '';
}

// ---------------------------------------------------------------- starting and the acknowledgement

async function start(panel, values, acknowledged) {
  showError(panel, null);
  if (!values.node) { showError(panel, 'Choose a node with an enrolled agent.'); return; }
  const button = panel.els.start;
  button.disabled = true;
  try {
    const run = await api('factory/diagnostics', { method: 'POST', body: startBody(values, acknowledged) });
    show(panel, run);
    refreshList(panel);
  } catch (error) {
    if (error.status === 412 && error.code === 'acknowledgement_required' && !acknowledged) {
      askAcknowledgement(panel, values, error.message);
      return;
    }
    let message = error.message;
    if (error.status === 409) message = `${error.message}.`.replace(/\.\.$/, '.');
    else if (error.status === 403) message = `Only tenant admins and site operators run diagnostics: ${error.message}`;
    else if (error.status === 404) message = `Node ${values.node} is not one of yours (or no longer exists): ${error.message}`;
    else if (error.status === 422) message = `The diagnostic cannot run: ${error.message}`;
    else if (error.status === 412) message = `The server still asks for an acknowledgement: ${error.message}`;
    showError(panel, message);
    if (error.status === 409) refreshList(panel);
  } finally {
    button.disabled = !panel.els.node.value;
  }
}

function ackDialog(panel) {
  const dialog = h('dialog', { class: 'diag-ack', id: 'diag-ack', 'aria-labelledby': 'diag-ack-title', 'aria-describedby': 'diag-ack-message' },
    h('h3', { id: 'diag-ack-title', text: 'This diagnostic stresses the node' }),
    h('p', { id: 'diag-ack-what' }),
    h('blockquote', { class: 'diag-warning', id: 'diag-ack-message' }),
    h('p', { class: 'note', text: 'Your acknowledgement is recorded in the audit log with the run.' }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'diag-ack-cancel', autofocus: true, text: 'Cancel', onclick: () => dialog.close('cancel') }),
      h('button', { type: 'button', class: 'danger', id: 'diag-ack-confirm', text: 'Run anyway', onclick: () => dialog.close('confirm') })));
  dialog.addEventListener('close', () => {
    const pending = panel.pending;
    panel.pending = null;
    if (dialog.returnValue === 'confirm' && pending && alive(panel)) start(panel, pending, true);
    else panel.els.start.focus();
  });
  return dialog;
}

/// Opens the dialog quoting the server's warning (`message` of the 412) word for word.
function askAcknowledgement(panel, values, warning) {
  const dialog = panel.els.dialog;
  panel.pending = values;
  dialog.querySelector('#diag-ack-what').textContent = `${kindLabel({ kind: values.kind, level: Number(values.level) })} on ${values.node}:`;
  dialog.querySelector('#diag-ack-message').textContent = warning;
  dialog.returnValue = '';
  if (!dialog.open) dialog.showModal();
}

// ---------------------------------------------------------------- the runs list

async function refreshList(panel) {
  if (panel.stopped) return;
  clearTimeout(panel.listTimer);
  panel.listTimer = null;
  const seq = ++panel.listSeq;
  panel.lastList = Date.now();
  try {
    const answer = await api('factory/diagnostics');
    if (seq !== panel.listSeq) return;
    panel.runs = Array.isArray(answer?.runs) ? answer.runs : [];
    panel.listError = null;
  } catch (error) {
    if (seq !== panel.listSeq || error.status === 401) return;
    panel.listError = error.message;
  }
  if (!alive(panel)) return;
  renderList(panel);
  // Show the live run by itself when nothing is chosen yet (started elsewhere, or before a reload).
  if (!panel.selected && !memory.run) {
    const live = (panel.runs ?? []).find(isActive);
    if (live) open(panel, live.id, true);
  }
  if ((panel.runs ?? []).some(isActive)) panel.listTimer = setTimeout(() => refreshList(panel), LIST_POLL_MS);
}

function renderList(panel) {
  const box = panel.els.list;
  const runs = panel.runs ?? [];
  if (panel.listError && !runs.length) {
    clear(box).append(h('p', { class: 'note', text: `Diagnostic runs are not available right now: ${panel.listError}` }));
    return;
  }
  if (!runs.length) {
    clear(box).append(h('p', { class: 'note', id: 'diag-no-runs', text: 'No diagnostic runs yet.' }));
    return;
  }
  let tbody = box.querySelector('#diag-runs tbody');
  if (!tbody) {
    tbody = h('tbody', {});
    clear(box).append(h('table', { class: 'diag-runs', id: 'diag-runs', 'aria-labelledby': 'diag-runs-title' },
      h('thead', {}, h('tr', {}, ['State', 'Node', 'Test', 'Requested', 'By', 'Summary'].map((t) => h('th', { scope: 'col', text: t })))),
      tbody));
  }
  const selected = panel.selected?.id ?? memory.run;
  patch(tbody, runs.slice(0, LIST_ROWS).map((run) => h('tr', {
    'data-key': run.id, 'data-run': run.id, 'data-state': run.state, 'data-node': run.node, 'aria-current': run.id === selected ? 'true' : undefined,
  },
    h('td', {}, stateBadge(run.state)),
    h('td', { class: 'mono nowrap', text: panel.me?.isOperator && run.tenant ? `${run.node} (${run.tenant})` : run.node }),
    h('td', { class: 'nowrap' }, h('button', {
      type: 'button', class: 'linklike', 'data-open-run': run.id, 'aria-pressed': String(run.id === selected),
      'aria-label': `Show ${kindLabel(run)} on ${run.node}, ${stateLabel(run.state)}`, text: kindLabel(run),
      onclick: () => open(panel, run.id, false),
    })),
    h('td', { class: 'nowrap', text: shortWhen(run.createdAt) }),
    h('td', { class: 'nowrap', text: who(panel, run.requestedBy, run.requestedByName) }),
    h('td', { class: 'diag-list-summary', text: listSummary(run) }))));
}

function listSummary(run) {
  if (run.state === 'queued') return 'waiting for the agent';
  if (run.state === 'running') return `running for ${duration(run.startedAt ?? run.createdAt)}`;
  const stopped = run.state === 'cancelled' || run.state === 'timed-out';
  const summary = (stopped ? run.reason : null) || run.report?.summary || run.reason || ENDED[run.state] || dash;
  const action = stopped ? null : run.report?.action;
  if (!action || action === 'none' || summary.includes(actionLabel(action))) return summary;
  return `${summary} → ${actionLabel(action)}`;
}

function who(panel, id, name) {
  if (!id) return dash;
  return id === panel.me?.user?.id ? `you (${panel.me.user.name})` : (name || id);
}

function shortWhen(iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return dash;
  return d.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

const stateBadge = (state) => h('span', { class: 'badge diag-state', 'data-state': state ?? 'unknown', text: stateLabel(state) });

// ---------------------------------------------------------------- one run

/// Shows run `id` (read in full: the list has no output); `quiet` forgets it silently on a 404.
async function open(panel, id, quiet) {
  const seq = ++panel.runSeq;
  clearTimeout(panel.runTimer);
  memory.run = id;
  try {
    const run = await api(`factory/diagnostics/${encodeURIComponent(id)}`);
    if (seq !== panel.runSeq || !alive(panel)) return;
    show(panel, run, seq);
    if (!quiet) panel.els.detail.querySelector('h4')?.focus();
  } catch (error) {
    if (seq !== panel.runSeq || !alive(panel) || error.status === 401) return;
    if (error.status === 404) {
      memory.run = null;
      if (!quiet) showError(panel, `Diagnostic run ${id} is gone.`);
      return;
    }
    if (!quiet) showError(panel, `Diagnostic run ${id} cannot be read: ${error.message}`);
  }
}

/// Renders `run` and keeps polling it while it is queued or running.
function show(panel, run, seq = ++panel.runSeq) {
  clearTimeout(panel.runTimer);
  panel.runTimer = null;
  const previous = panel.selected;
  panel.selected = run;
  memory.run = run.id;
  const box = panel.els.detail;
  // Rebuilt on every poll while active; keep keyboard focus on Cancel if it was there.
  const hadFocus = document.activeElement?.id === 'diag-cancel' && box.contains(document.activeElement);
  const rawOpen = previous?.id === run.id && box.querySelector('#diag-raw')?.open;
  clear(box).append(runView(panel, run));
  if (rawOpen) box.querySelector('#diag-raw')?.setAttribute('open', '');
  if (hadFocus) box.querySelector('#diag-cancel')?.focus();
  for (const row of panel.els.list.querySelectorAll('tr[data-run]')) {
    const mine = row.dataset.run === run.id;
    if (mine) row.setAttribute('aria-current', 'true'); else row.removeAttribute('aria-current');
    row.querySelector('[data-open-run]')?.setAttribute('aria-pressed', String(mine));
  }
  const line = `${kindLabel(run)} on ${run.node}: ${stateLabel(run.state)}${run.report && !isActive(run) ? `. ${actionLabel(run.report.action)}` : ''}`;
  if (panel.announced !== line) { panel.announced = line; panel.els.announce.textContent = line; }
  if (previous?.id === run.id && previous.state !== run.state) refreshList(panel);
  if (isActive(run)) panel.runTimer = setTimeout(() => poll(panel, run.id, seq), RUN_POLL_MS);
}

async function poll(panel, id, seq) {
  if (!alive(panel)) { stop(panel); return; }
  if (seq !== panel.runSeq) return;
  try {
    const run = await api(`factory/diagnostics/${encodeURIComponent(id)}`);
    if (seq !== panel.runSeq || !alive(panel)) return;
    panel.runError = null;
    show(panel, run, seq);
  } catch (error) {
    if (seq !== panel.runSeq || !alive(panel) || error.status === 401) return;
    if (error.status === 404) { memory.run = null; panel.selected = null; clear(panel.els.detail); return; }
    panel.runTimer = setTimeout(() => poll(panel, id, seq), RUN_POLL_MS * 2);
  }
}

async function cancel(panel) {
  const run = panel.selected;
  if (!run) return;
  const button = panel.els.detail.querySelector('#diag-cancel');
  if (button) button.disabled = true;
  try {
    const answer = await api(`factory/diagnostics/${encodeURIComponent(run.id)}/cancel`, { method: 'POST' });
    panel.runError = null;
    if (alive(panel) && panel.selected?.id === run.id) show(panel, answer ?? run);
    refreshList(panel);
  } catch (error) {
    if (!alive(panel) || panel.selected?.id !== run.id) return;
    panel.runError = error.status === 409 ? `It already ended: ${error.message}` : `The run could not be cancelled: ${error.message}`;
    if (error.status === 409) open(panel, run.id, true);
    else show(panel, run);
  }
}

function runView(panel, run) {
  const active = isActive(run);
  const report = run.report && typeof run.report === 'object' ? run.report : null;
  return h('article', { class: 'diag-run', id: 'diag-run', 'data-run': run.id, 'data-state': run.state ?? 'unknown', 'aria-labelledby': 'diag-run-title' },
    h('h4', { id: 'diag-run-title', tabindex: '-1' }, stateBadge(run.state), ' ', `${kindLabel(run)} on ${run.node}`),
    h('p', { class: 'note', id: 'diag-run-meta', text: meta(panel, run) }),
    panel.runError ? h('p', { class: 'error', role: 'alert', text: panel.runError }) : null,
    drainView(run),
    active ? live(panel, run) : outcome(run, report),
    !active && report ? reportView(report) : null,
    active ? null : raw(run));
}

function meta(panel, run) {
  const parts = [`Run ${run.id}`, `requested by ${who(panel, run.requestedBy, run.requestedByName)} ${when(run.createdAt)}`];
  if (run.acknowledged) parts.push('acknowledged');
  if (run.drainRequested) parts.push('drain first');
  if (run.startedAt && !isActive(run)) parts.push(`ran ${duration(run.startedAt, run.finishedAt)}`);
  if (run.finishedAt) parts.push(`ended ${when(run.finishedAt)}`);
  if (Number.isInteger(run.exitStatus)) parts.push(`exit status ${run.exitStatus}`);
  return parts.join(' · ');
}

function live(panel, run) {
  const tail = outputTail(run.output, TAIL_LINES);
  return h('div', { class: 'diag-live', id: 'diag-live' },
    h('p', { class: 'progress', id: 'diag-progress', text: progressText(run) }),
    tail.hidden ? h('p', { class: 'note', text: `Latest ${TAIL_LINES} lines; ${tail.hidden} earlier line${tail.hidden === 1 ? '' : 's'} are in the raw output once the run ends.` }) : null,
    tail.text
      ? h('pre', { class: 'diag-output live', id: 'diag-live-output', tabindex: '0', 'aria-label': 'Latest output lines', text: tail.text })
      : h('p', { class: 'note', id: 'diag-live-output-empty', text: run.state === 'queued' ? 'No output yet.' : 'Started; no output yet.' }),
    h('button', {
      type: 'button', id: 'diag-cancel', disabled: run.cancelRequested === true,
      text: run.cancelRequested ? 'Cancel requested…' : 'Cancel run', onclick: () => cancel(panel),
    }));
}

/// A run that took the node out of traffic first (`drainRequested`, the agent's `drain` record):
/// how, how long, whether it was given back. Nothing for a run that did not ask.
function drainView(run) {
  const d = run.drain && typeof run.drain === 'object' ? run.drain : null;
  if (!d && run.drainRequested !== true) return null;
  if (!d) {
    return h('p', { class: 'note', id: 'diag-drain', 'data-drain': 'requested',
      text: isActive(run) ? 'The node is taken out of traffic around this run.' : 'Draining the node first was requested; the agent recorded no drain.' });
  }
  const parts = [`Taken out of traffic${d.method === 'hook' && d.hook ? ` by ${d.hook}` : d.method ? ` (${d.method})` : ''}${d.drainedAt ? ` at ${when(d.drainedAt)}` : ''}`];
  if (typeof d.inFlightAtDrain === 'number') parts.push(`${d.inFlightAtDrain} request${d.inFlightAtDrain === 1 ? '' : 's'} in flight`);
  if (typeof d.waitedSeconds === 'number') parts.push(`waited ${secondsLabel(d.waitedSeconds)} for them`);
  if (d.restoredAt) parts.push(`given back at ${when(d.restoredAt)}${typeof d.drainedSeconds === 'number' ? ` (no new traffic for ${secondsLabel(d.drainedSeconds)})` : ''}`);
  const problems = (Array.isArray(d.problems) ? d.problems : []).filter((p) => typeof p === 'string' && p);
  return h('div', { class: 'diag-drain', id: 'diag-drain', 'data-drain': d.restoredAt ? 'restored' : 'not-restored' },
    h('p', { text: parts.join(' · ') }),
    !d.restoredAt && !isActive(run) ? h('p', { class: 'error', text: 'The node was not given back to routing: restore it by hand.' }) : null,
    problems.length ? h('ul', { class: 'diag-messages note' }, problems.map((p) => h('li', { text: p }))) : null);
}

const ENDED = {
  passed: 'The diagnostic passed.',
  failed: 'The diagnostic failed.',
  cancelled: 'The run was cancelled.',
  'timed-out': 'The run went past its timeout and was stopped.',
};

/// The verdict, prominently: summary and the recommended action.
function outcome(run, report) {
  // A cancelled or timed-out run: why it stopped comes first; the parse of its partial output after.
  const stopped = run.state === 'cancelled' || run.state === 'timed-out';
  const summary = (stopped ? run.reason : null) || report?.summary || run.reason || ENDED[run.state] || stateLabel(run.state);
  const secondary = [run.reason, report?.summary].find((t) => t && t !== summary);
  const action = report?.action;
  return h('div', { class: 'diag-outcome', id: 'diag-outcome', 'data-outcome': stopped ? run.state : report?.outcome ?? run.state ?? 'unknown', 'data-state': run.state ?? 'unknown' },
    h('p', { class: 'diag-summary', id: 'diag-summary', text: summary }),
    action ? h('p', { class: 'diag-action', id: 'diag-action', 'data-action': action },
      h('span', { class: 'label', text: 'Recommended action: ' }), h('strong', { text: actionLabel(action) })) : null,
    secondary ? h('p', { class: 'note', id: 'diag-reason', text: secondary }) : null,
    run.state === 'timed-out' && Number.isInteger(run.timeoutSeconds) ? h('p', { class: 'note', text: `Timeout: ${secondsLabel(run.timeoutSeconds)}.` }) : null,
    !report ? h('p', { class: 'note', id: 'diag-no-report', text: 'No parsed report for this run; the raw output below is all there is.' }) : null,
    report?.format === 'unparsed' && !stopped ? h('p', { class: 'note', text: 'The output was not recognised, so the verdict comes from the exit status alone.' }) : null);
}

function reportView(report) {
  const tests = Array.isArray(report.tests) ? report.tests : [];
  const categories = tests.some((t) => t.category);
  const metadata = Object.entries(report.metadata ?? {}).map(([k, v]) => `${META[k] ?? k} ${v}`);
  return h('div', { class: 'diag-report', id: 'diag-report', 'data-format': report.format ?? 'unknown' },
    tests.length ? [
      h('h5', { text: 'Tests' }),
      h('table', { class: 'diag-tests', id: 'diag-tests' },
        h('thead', {}, h('tr', {}, ['Status', 'Test', categories ? 'Category' : null, 'Messages', 'Action'].filter(Boolean).map((t) => h('th', { scope: 'col', text: t })))),
        h('tbody', {}, tests.map((t) => h('tr', { 'data-test': t.name, 'data-status': t.status ?? 'unknown' },
          h('td', {}, statusBadge(t.status)),
          h('th', { scope: 'row', text: t.name }),
          categories ? h('td', { text: t.category ?? dash }) : null,
          h('td', { class: 'messages' }, messages(t.messages)),
          h('td', { class: 'nowrap', 'data-action': t.action ?? '', text: t.action && t.action !== 'none' ? actionLabel(t.action) : dash }))))),
    ] : h('p', { class: 'note', text: 'The report lists no tests.' }),
    tests.filter((t) => Array.isArray(t.gpus) && t.gpus.length).map(gpuTable),
    report.nccl ? ncclView(report.nccl) : null,
    h('p', { class: 'note', id: 'diag-format', text: [`Parsed from ${FORMAT[report.format] ?? report.format ?? 'unknown output'}`, ...metadata].join(' · ') }));
}

const META = { dcgmVersion: 'DCGM', driverVersion: 'driver' };
const FORMAT = {
  'dcgm-json-3': 'dcgmi diag -j (DCGM 3)', 'dcgm-json-4': 'dcgmi diag -j (DCGM 4)', 'dcgm-text': 'the dcgmi diag table',
  'nccl-tests': 'nccl-tests output', 'unparsed': 'nothing: the output was not recognised',
};

function gpuTable(test) {
  return h('section', { class: 'diag-gpus', 'data-test': test.name, 'aria-label': `${test.name}: per GPU` },
    h('h5', { text: `${test.name}: per GPU` }),
    h('table', {},
      h('thead', {}, h('tr', {}, ['GPU', 'Status', 'Code', 'Action', 'Messages'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, test.gpus.map((g) => h('tr', { 'data-gpu': String(g.gpu), 'data-status': g.status ?? 'unknown', 'data-code': g.code ?? '' },
        h('th', { scope: 'row', class: 'nowrap', text: gpuLabel(g.gpu) }),
        h('td', {}, statusBadge(g.status)),
        h('td', { class: 'mono', text: g.code ?? dash }),
        h('td', { class: 'nowrap', 'data-action': g.action ?? '', text: g.action && g.action !== 'none' ? actionLabel(g.action) : dash }),
        h('td', { class: 'messages' }, messages(g.messages)))))));
}

function ncclView(nccl) {
  const rows = Array.isArray(nccl.rows) ? nccl.rows : [];
  const devices = Array.isArray(nccl.devices) ? nccl.devices : [];
  return h('section', { class: 'diag-nccl', id: 'diag-nccl', 'aria-labelledby': 'diag-nccl-title' },
    h('h5', { id: 'diag-nccl-title', text: 'Bus bandwidth' }),
    h('p', { class: 'diag-bandwidth', id: 'diag-bandwidth', text: bandwidthText(nccl) }),
    nccl.wrong ? h('p', { class: 'error', id: 'diag-wrong', text: `${nccl.wrong} wrong element${nccl.wrong === 1 ? '' : 's'} across the sizes (#wrong): the all-reduce returned corrupt data.` }) : null,
    nccl.outOfBounds ? h('p', { class: 'error', text: `${nccl.outOfBounds} out-of-bounds value${nccl.outOfBounds === 1 ? '' : 's'}.` }) : null,
    nccl.failure ? h('p', { class: 'error', id: 'diag-nccl-failure', text: nccl.failure }) : null,
    devices.length ? h('p', { class: 'note', text: `Devices: ${devices.map((d) => `rank ${d.rank} ${d.name ?? ''} on ${d.host ?? '?'} (device ${d.device}${d.busID ? `, ${d.busID}` : ''})`).join('; ')}` }) : null,
    rows.length ? h('table', { class: 'diag-nccl-rows', id: 'diag-nccl-table' },
      h('thead', {}, h('tr', {}, ['Size', 'Count', 'Type', 'Time (µs)', 'algbw', 'busbw', 'In-place busbw', '#wrong'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows.map((r) => {
        const wrong = rowWrong(r);
        return h('tr', { 'data-bytes': String(r.bytes), 'data-wrong': wrong === null ? 'n/a' : String(wrong) },
          h('th', { scope: 'row', class: 'nowrap', text: sizeLabel(r.bytes) }),
          h('td', { text: num(r.count) }), h('td', { text: r.type ?? dash }), h('td', { text: num(r.time, 2) }),
          h('td', { class: 'nowrap', text: gbps(r.algorithmBandwidth) }), h('td', { class: 'nowrap', text: gbps(r.busBandwidth) }),
          h('td', { class: 'nowrap', text: gbps(r.inPlaceBusBandwidth) }), h('td', { text: wrong === null ? 'n/a' : String(wrong) }));
      }))) : h('p', { class: 'note', text: 'No bandwidth table: the test did not get that far.' }));
}

function raw(run) {
  const output = typeof run.output === 'string' ? run.output : '';
  return h('details', { class: 'diag-raw', id: 'diag-raw' },
    h('summary', { text: `Raw output (${output ? bytesLabel(run.outputBytes ?? output.length) : 'empty'}${run.outputTruncated ? ', truncated by the server' : ''})` }),
    output ? h('pre', { class: 'diag-output', id: 'diag-output', tabindex: '0', text: output }) : h('p', { class: 'note', text: 'The run wrote no output.' }));
}

const statusBadge = (status) => h('span', { class: 'badge diag-status', 'data-status': status ?? 'unknown', text: statusLabel(status) });

function messages(list) {
  const items = (Array.isArray(list) ? list : []).filter((m) => typeof m === 'string' && m);
  if (!items.length) return dash;
  if (items.length === 1) return items[0];
  return h('ul', { class: 'diag-messages' }, items.map((m) => h('li', { text: m })));
}
