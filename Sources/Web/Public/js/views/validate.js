// "Validate observability stack" on the overview (tenant admins of owner and provider tenants,
// site operators; never inside a node's detail): a read-only self-check that the whole metrics
// pipeline is wired up (issue 18). "Validate now" posts POST /api/v1/factory/validate and shows
// the run it answers: the summary line, then the checks by group, groups with failures first;
// groups with anything but passes open (their passes folded below), pass-only groups collapsed
// with their count; each check not passing shows what was seen and how to fix it. The last runs
// are listed; one opens on click.
//
// A run is synchronous and quick (well under 2 s), so nothing polls: the button shows a busy state
// while the POST is in flight, and the list is read again after each run and, from the overview's
// own polling, at most once a minute (another admin may have run one).
import { api } from '../api.js';
import { h, clear, patch } from '../dom.js';
import { dash, when } from '../format.js';
import {
  checkLabel, codeSpans, countsText, groupChecks, groupOpen, msLabel, nodesLabel, runLabel, scopeLabel, shortWhen, summaryText,
} from '../validate.js';

const LIST_REFRESH_MS = 60000; // list refresh from the overview's own polling
const LIST_ROWS = 20; // what GET validate/runs answers
const NODES_SHOWN = 24; // node names listed under a run before "and N more"

// What survives a re-render of the overview (back from a node's detail): the run shown.
let memory = { user: null, run: null };

/// The panel. `me` is GET /api/v1/me's answer. Returns `{element, update, stop}`.
export function validatePanel({ me }) {
  const user = me?.user?.id ?? null;
  if (memory.user !== user) memory = { user, run: null };
  const panel = { me, runs: null, listError: null, selected: null, busy: false, lastList: 0, listSeq: 0, runSeq: 0, stopped: false, els: {} };
  const els = panel.els;
  els.section = h('section', { class: 'panel validate', id: 'validate-panel', 'aria-labelledby': 'validate-title', 'data-busy': 'false' });
  els.start = h('button', {
    type: 'button', class: 'primary', id: 'validate-start', 'aria-describedby': 'validate-what', text: 'Validate now',
    onclick: () => start(panel),
  });
  els.progress = h('p', { class: 'progress', id: 'validate-progress', hidden: true });
  els.error = h('p', { class: 'error', id: 'validate-error', role: 'alert', hidden: true });
  els.announce = h('p', { class: 'sr-only', id: 'validate-announce', role: 'status' });
  els.run = h('div', { id: 'validate-run-box' });
  els.list = h('div', { id: 'validate-list' }, h('p', { class: 'note', text: 'Loading validation runs…' }));
  els.section.append(
    h('h3', { id: 'validate-title', text: 'Validate observability stack' }),
    h('p', { class: 'note', id: 'validate-what', text: `A read-only self-check of the metrics pipeline for ${me?.isOperator ? 'the whole fleet' : 'your nodes'}: the metrics backend, every scrape target, the series each GPU must report, tenant labels, vLLM metric names, the alert rules, the alert path and AI Factory’s own loops. It changes nothing.` }),
    h('div', { class: 'validate-actions' }, els.start, els.progress),
    els.error, els.announce, els.run,
    h('h4', { id: 'validate-runs-title', text: 'Last runs' }), els.list);
  refreshList(panel, true);
  return {
    element: els.section,
    update() {
      if (!alive(panel) || panel.busy) return;
      if (Date.now() - panel.lastList > LIST_REFRESH_MS) refreshList(panel, false);
    },
    stop: () => stop(panel),
  };
}

/// One run's view on its own (the browser tests render fixture runs with it).
export function runElement(run, me = null) {
  return runView({ me, els: {} }, run);
}

const alive = (panel) => !panel.stopped && panel.els.section.isConnected;

function stop(panel) {
  panel.stopped = true;
  panel.listSeq++;
  panel.runSeq++;
}

function showError(panel, message) {
  const { error } = panel.els;
  error.hidden = !message;
  error.textContent = message ?? '';
}

function announce(panel, text) {
  panel.els.announce.textContent = text;
}

// ---------------------------------------------------------------- running

/// While the POST is in flight the button stays focusable (aria-disabled, so keyboard focus is not
/// lost) but does nothing, and the shown run is marked busy.
function setBusy(panel, busy) {
  const { section, start: button, progress, run } = panel.els;
  panel.busy = busy;
  section.dataset.busy = String(busy);
  if (busy) section.setAttribute('aria-busy', 'true'); else section.removeAttribute('aria-busy');
  if (busy) button.setAttribute('aria-disabled', 'true'); else button.removeAttribute('aria-disabled');
  button.textContent = busy ? 'Validating…' : 'Validate now';
  progress.hidden = !busy;
  progress.textContent = busy ? `Checking ${panel.me?.isOperator ? 'the fleet' : 'your nodes'} against Prometheus…` : '';
  run.classList.toggle('stale', busy);
}

async function start(panel) {
  if (panel.busy || !alive(panel)) return;
  showError(panel, null);
  setBusy(panel, true);
  announce(panel, 'Validating the observability stack…');
  try {
    const run = await api('factory/validate', { method: 'POST' });
    if (!alive(panel)) return;
    show(panel, run);
    announce(panel, `Validation finished: ${runLabel(run.status)}. ${summaryText(run)}.`);
    // The new run heads the list at once; the list is read again for what others ran meanwhile.
    const { checks, ...row } = run;
    panel.runs = [row, ...(panel.runs ?? []).filter((r) => r.id !== run.id)];
    panel.listError = null;
    renderList(panel);
    refreshList(panel, false);
  } catch (error) {
    if (!alive(panel) || error.status === 401) return; // the page's own polling signs out
    let message = `The validation could not run: ${error.message}`;
    if (error.status === 403) message = `Only tenant admins and site operators validate the stack: ${error.message}`;
    else if (error.status === 429) message = `The server asks to wait before validating again: ${error.message}`;
    else if (error.status === 503) message = `There is no metrics backend to validate, or it cannot be reached: ${error.message}`;
    showError(panel, message);
    announce(panel, 'The validation did not run.');
  } finally {
    if (!panel.stopped) setBusy(panel, false);
  }
}

// ---------------------------------------------------------------- the runs list

/// Reads the list; `openLatest` then shows the run remembered from before, or else the newest.
async function refreshList(panel, openLatest) {
  if (panel.stopped) return;
  const seq = ++panel.listSeq;
  panel.lastList = Date.now();
  try {
    const answer = await api('factory/validate/runs');
    if (seq !== panel.listSeq) return;
    panel.runs = Array.isArray(answer?.runs) ? answer.runs : [];
    panel.listError = null;
  } catch (error) {
    if (seq !== panel.listSeq || error.status === 401) return;
    if (error.status === 404 && alive(panel)) {
      // A server without the self-check: no panel.
      panel.els.section.hidden = true;
      stop(panel);
      return;
    }
    panel.listError = error.message;
  }
  if (!alive(panel)) return;
  renderList(panel);
  if (openLatest && !panel.selected) {
    const id = memory.run ?? panel.runs?.[0]?.id;
    if (id) open(panel, id, true);
    else renderEmpty(panel);
  }
}

function renderEmpty(panel) {
  if (panel.selected || panel.busy) return;
  clear(panel.els.run).append(h('p', { class: 'note', id: 'validate-no-run', text: 'Not validated yet: press Validate now to check the stack.' }));
}

function renderList(panel) {
  const box = panel.els.list;
  const runs = panel.runs ?? [];
  if (panel.listError && !runs.length) {
    clear(box).append(h('p', { class: 'note', text: `Earlier runs are not available right now: ${panel.listError}` }));
    return;
  }
  if (!runs.length) {
    clear(box).append(h('p', { class: 'note', id: 'validate-no-runs', text: 'No runs yet.' }));
    return;
  }
  const operator = panel.me?.isOperator === true;
  let tbody = box.querySelector('#validate-runs tbody');
  if (!tbody) {
    tbody = h('tbody', {});
    clear(box).append(h('table', { class: 'validate-runs', id: 'validate-runs', 'aria-labelledby': 'validate-runs-title' },
      h('thead', {}, h('tr', {}, ['Status', 'When', 'By', 'Checks', operator ? 'Scope' : 'Nodes', 'Took'].map((t) => h('th', { scope: 'col', text: t })))),
      tbody));
  }
  const selected = panel.selected?.id ?? memory.run;
  patch(tbody, runs.slice(0, LIST_ROWS).map((run) => {
    const nodes = Array.isArray(run.nodes) ? run.nodes.length : null;
    return h('tr', {
      'data-key': run.id, 'data-run': run.id, 'data-status': run.status ?? 'unknown', 'aria-current': run.id === selected ? 'true' : undefined,
    },
      h('td', {}, runBadge(run.status)),
      h('td', { class: 'nowrap' }, h('button', {
        type: 'button', class: 'linklike', 'data-open-run': run.id, 'aria-pressed': String(run.id === selected),
        'aria-label': `Show the run of ${shortWhen(run.createdAt)}, ${runLabel(run.status)}`, text: shortWhen(run.createdAt),
        onclick: () => open(panel, run.id, false),
      })),
      h('td', { class: 'nowrap', text: who(panel, run.requestedBy, run.requestedByName) }),
      h('td', { class: 'validate-list-counts', text: countsText(run.counts) }),
      h('td', { class: 'nowrap', text: [nodes === null ? null : nodesLabel(nodes), operator ? (run.scope === 'fleet' ? 'fleet' : run.tenant) : null].filter(Boolean).join(' · ') || dash }),
      h('td', { class: 'nowrap', text: msLabel(run.durationMs) }));
  }));
}

function who(panel, id, name) {
  if (!id) return dash;
  return id === panel.me?.user?.id ? `you (${panel.me.user.name})` : (name || id);
}

const runBadge = (status) => h('span', { class: 'badge validate-status', 'data-status': status ?? 'unknown', text: runLabel(status) });
const checkBadge = (status) => h('span', { class: 'badge validate-status', 'data-status': status ?? 'unknown', text: checkLabel(status) });

// ---------------------------------------------------------------- one run

/// Shows run `id` (read in full: the list has no checks); `quiet` forgets it silently on a 404.
async function open(panel, id, quiet) {
  const seq = ++panel.runSeq;
  memory.run = id;
  try {
    const run = await api(`factory/validate/runs/${encodeURIComponent(id)}`);
    if (seq !== panel.runSeq || !alive(panel)) return;
    show(panel, run, seq);
    if (!quiet) panel.els.run.querySelector('h4')?.focus();
  } catch (error) {
    if (seq !== panel.runSeq || !alive(panel) || error.status === 401) return;
    if (error.status === 404) {
      memory.run = null;
      if (!quiet) showError(panel, `Validation run ${id} is gone.`);
      else if (panel.runs?.[0] && panel.runs[0].id !== id) open(panel, panel.runs[0].id, true);
      else renderEmpty(panel);
      return;
    }
    if (!quiet) showError(panel, `Validation run ${id} cannot be read: ${error.message}`);
  }
}

function show(panel, run, seq = ++panel.runSeq) {
  if (seq !== panel.runSeq) return;
  panel.selected = run;
  memory.run = run.id;
  clear(panel.els.run).append(runView(panel, run));
  for (const row of panel.els.list.querySelectorAll('tr[data-run]')) {
    const mine = row.dataset.run === run.id;
    if (mine) row.setAttribute('aria-current', 'true'); else row.removeAttribute('aria-current');
    row.querySelector('[data-open-run]')?.setAttribute('aria-pressed', String(mine));
  }
}

function runView(panel, run) {
  const counts = run.counts ?? {};
  const groups = groupChecks(run.checks);
  return h('article', { class: 'validate-run', id: 'validate-run', 'data-run': run.id, 'data-status': run.status ?? 'unknown', 'aria-labelledby': 'validate-run-title' },
    h('h4', { id: 'validate-run-title', tabindex: '-1' }, runBadge(run.status), ' ', `Run of ${when(run.createdAt)}`),
    h('p', {
      class: 'validate-summary', id: 'validate-summary', 'data-status': run.status ?? 'unknown',
      'data-fail': String(counts.fail ?? 0), 'data-warn': String(counts.warn ?? 0), 'data-skip': String(counts.skip ?? 0), 'data-pass': String(counts.pass ?? 0),
      text: summaryText(run),
    }),
    h('p', { class: 'note', id: 'validate-run-meta', text: meta(panel, run) }),
    groups.length
      ? h('div', { class: 'validate-groups', id: 'validate-groups' }, groups.map(groupView))
      : h('p', { class: 'note', text: 'This run holds no checks.' }));
}

function meta(panel, run) {
  const nodes = Array.isArray(run.nodes) ? run.nodes : [];
  const parts = [`Run ${run.id}`, `requested by ${who(panel, run.requestedBy, run.requestedByName)}`, `checked ${scopeLabel(run)}`];
  if (nodes.length) {
    const shown = nodes.slice(0, NODES_SHOWN).join(', ');
    parts.push(`nodes ${shown}${nodes.length > NODES_SHOWN ? ` and ${nodes.length - NODES_SHOWN} more` : ''}`);
  }
  return parts.join(' · ');
}

/// A group: open when it holds anything but passes, and then its passes folded below the rest.
function groupView(group) {
  const id = `validate-group-${group.group}`;
  const open = groupOpen(group);
  const passed = open ? group.checks.filter((c) => c.status === 'pass') : [];
  const rest = open ? group.checks.filter((c) => c.status !== 'pass') : group.checks;
  return h('details', { class: 'validate-group', id, 'data-group': group.group, 'data-status': group.worst, open },
    h('summary', {},
      h('h5', { id: `${id}-title` }, checkBadge(group.worst), ' ', group.title),
      ' ', h('span', { class: 'note validate-group-counts', text: countsText(group.counts) })),
    h('ul', { class: 'validate-checks', 'aria-labelledby': `${id}-title` }, rest.map(checkView)),
    passed.length ? h('details', { class: 'validate-passed', 'data-group': group.group },
      h('summary', { text: `${passed.length} more ${passed.length === 1 ? 'check' : 'checks'} in ${group.title} passed` }),
      h('ul', { class: 'validate-checks', 'aria-label': `${group.title}: passed` }, passed.map(checkView))) : null);
}

function checkView(check) {
  const failing = check.status !== 'pass';
  return h('li', { class: 'validate-check', 'data-check': check.id, 'data-status': check.status ?? 'unknown', 'data-node': check.node ?? undefined },
    h('div', { class: 'validate-check-head' }, checkBadge(check.status), ' ', h('span', { class: 'validate-check-title', text: check.title ?? check.id })),
    check.seen ? h('p', { class: 'validate-seen' }, h('span', { class: 'label', text: 'Seen: ' }), spans(check.seen)) : null,
    failing && check.hint ? h('p', { class: 'validate-hint' }, h('strong', { class: 'label', text: 'How to fix: ' }), spans(check.hint)) : null);
}

const spans = (text) => codeSpans(text).map((p) => (p.code ? h('code', { text: p.text }) : p.text));
