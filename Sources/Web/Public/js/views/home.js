// The role's home view: hardware (owner, provider), usage (consumer) or the explainer (none).
// A consumer also gets the usage over time (views/usage.js, loaded on demand) and its spend this
// month (views/costs.js); a provider the aggregate draw on each pool it contributes to; owners and
// providers the "GPU economics" panel (views/costs.js, loaded on demand).
// Admins of a hardware tenant and site operators also get the "Validate observability stack" and
// Diagnostics panels here (never on a node's detail), once GET /api/v1/me has said who they are
// (`state.me`).
import { h, clear, patch } from '../dom.js';
import { num, compact, when, quotaLevel } from '../format.js';
import { nodeCard } from './card.js';
import { fleetSection, fillFleet } from './fleet.js';
import { hasRoute } from '../api.js';

const LOADTESTS = '/api/v1/factory/loadtests';
let bench = null; // views/bench.js once the server has the load-test API

let root = null;
let diagnostics = null; // views/diagnostics.js panel ({element, update, stop}) while it is on screen
let diagnosticsLoading = false;
let validate = null; // views/validate.js panel ({element, update, stop}) while it is on screen
let validateLoading = false;
let usage = null; // views/usage.js panel ({element, update, stop}) while it is on screen
let usageLoading = false;
let costs = null; // views/costs.js cost panel (owner, provider) while it is on screen
let costsLoading = false;
let spend = null; // views/costs.js spend lines (consumer) while they are on screen
let spendLoading = false;
let benchPanel = null; // views/bench.js overview panel ({element, update, stop}) while it is on screen
let benchLoading = false;
let adminConsole = null; // views/console.js (site operators) while it is on screen
let consoleLoading = false;

export function renderHome(container, state) {
  root = clear(container);
  diagnostics?.stop();
  diagnostics = null;
  validate?.stop();
  validate = null;
  usage?.stop();
  usage = null;
  costs?.stop();
  costs = null;
  spend?.stop();
  spend = null;
  adminConsole?.stop();
  adminConsole = null;
  benchPanel?.stop();
  benchPanel = null;
  const role = state.overview.role;
  document.title = `${state.overview.tenant ?? 'AI Factory'} · AI Factory`;
  if (role === 'operator') root.append(operatorView());
  else if (role === 'owner' || role === 'provider') root.append(hardware(state));
  else if (role === 'consumer') root.append(h('div', { id: 'consumer-view' }, h('div', { id: 'consumer-usage' }), h('div', { id: 'consumer-spend-slot' }), h('div', { id: 'usage-history-slot' })));
  else root.append(none(state.overview), h('div', { id: 'validate-slot' }), h('div', { id: 'diagnostics-slot' }));
  refreshHome(state);
}

export function refreshHome(state) {
  if (!root || !state.overview) return;
  const role = state.overview.role;
  if (role === 'owner' || role === 'provider') {
    fillCards(state);
    fillPoolDraw(state);
    fillAlerts(state);
    fillReliability(state);
    fillCosts();
    loadBenchList();
  } else if (role === 'operator') {
    fillFleet(state);
    fillAlerts(state);
    fillReliability(state);
    fillCosts();
    fillConsole(state);
  } else if (role === 'consumer') {
    fillConsumer(state);
    fillSpend();
    fillUsageHistory();
  }
  fillValidate(state);
  fillDiagnostics(state);
  fillBench(state);
}

/// Mounts the "Performance benchmarking" panel (views/bench.js, with its own node picker) into
/// #bench-slot, or hands it the current nodes: the same people as Diagnostics, and only when the
/// server runs the load-test API.
function fillBench(state) {
  if (!mayRunDiagnostics(state.me, state.overview.role)) return;
  const nodes = Array.isArray(state.overview.nodes) ? state.overview.nodes : [];
  if (benchPanel) {
    if (benchPanel.element.isConnected) benchPanel.update(nodes);
    return;
  }
  if (!document.getElementById('bench-slot') || benchLoading) return;
  benchLoading = true;
  hasRoute(LOADTESTS).then(async (yes) => {
    if (!yes) { benchLoading = false; return; }
    const { benchmarkOverviewPanel, refreshBenchList } = await import('./bench.js');
    benchLoading = false;
    const slot = document.getElementById('bench-slot');
    if (!slot || benchPanel) return;
    benchPanel = benchmarkOverviewPanel({ me: state.me, nodes });
    slot.replaceWith(benchPanel.element);
    refreshBenchList(); // the list's nodes now link to the panel
  }).catch((error) => {
    benchLoading = false;
    console.error('The benchmarking panel could not be shown:', error); // a bug: the browser tests fail on it
  });
}

/// Who gets the Diagnostics panel: a site operator, or an admin of a tenant that holds hardware
/// (owner, provider). Members, consumers and tenants without hardware do not; nor the wall display.
export function mayRunDiagnostics(me, role) {
  if (!me || document.documentElement.classList.contains('wall')) return false;
  if (me.isOperator === true) return true;
  return me.isAdmin === true && (role === 'owner' || role === 'provider');
}

/// Mounts the Diagnostics panel (and loads its code) into #diagnostics-slot, or refreshes it.
function fillDiagnostics(state) {
  if (!mayRunDiagnostics(state.me, state.overview.role)) return;
  // Operators see no nodes in the overview: the panel reads GET /api/v1/nodes itself (null).
  const nodes = Array.isArray(state.overview.nodes) && !state.me.isOperator ? state.overview.nodes : null;
  if (diagnostics) {
    if (diagnostics.element.isConnected) diagnostics.update(nodes);
    return;
  }
  if (!document.getElementById('diagnostics-slot') || diagnosticsLoading) return;
  diagnosticsLoading = true;
  import('./diagnostics.js').then(({ diagnosticsPanel }) => {
    diagnosticsLoading = false;
    const slot = document.getElementById('diagnostics-slot');
    if (!slot || diagnostics) return;
    diagnostics = diagnosticsPanel({ me: state.me, nodes });
    slot.replaceWith(diagnostics.element);
  }).catch((error) => {
    diagnosticsLoading = false;
    console.error('The Diagnostics panel could not be shown:', error); // a bug: the browser tests fail on it
  });
}

/// Mounts the "Validate observability stack" panel (and loads its code) into #validate-slot, or
/// refreshes it. The same people as Diagnostics: site operators and admins of a hardware tenant.
function fillValidate(state) {
  if (!mayRunDiagnostics(state.me, state.overview.role)) return;
  if (validate) {
    if (validate.element.isConnected) validate.update();
    return;
  }
  if (!document.getElementById('validate-slot') || validateLoading) return;
  validateLoading = true;
  import('./validate.js').then(({ validatePanel }) => {
    validateLoading = false;
    const slot = document.getElementById('validate-slot');
    if (!slot || validate) return;
    validate = validatePanel({ me: state.me });
    slot.replaceWith(validate.element);
  }).catch((error) => {
    validateLoading = false;
    console.error('The Validate panel could not be shown:', error); // a bug: the browser tests fail on it
  });
}

/// The site operator's home: the fleet by tenant, its alerts and reliability, the admin panels
/// and the management console.
function operatorView() {
  return h('div', { class: 'layout', id: 'operator-view' },
    h('div', { class: 'main-column' },
      fleetSection(),
      h('div', { id: 'costs-slot' }),
      h('div', { id: 'validate-slot' }),
      h('div', { id: 'diagnostics-slot' }),
      h('div', { id: 'bench-slot' }),
      h('div', { id: 'console-slot' })),
    h('aside', {},
      h('section', { class: 'panel', 'aria-labelledby': 'alerts-title' },
        h('h3', { id: 'alerts-title', text: 'Firing alerts (fleet)' }), h('div', { id: 'alerts' })),
      h('section', { class: 'panel', 'aria-labelledby': 'rel-title' },
        h('h3', { id: 'rel-title', text: 'Reliability (30 days)' }), h('div', { id: 'reliability' }))));
}

/// Mounts the management console (site operators; code from views/console.js) into #console-slot.
function fillConsole(state) {
  if (!state.me?.isOperator || document.documentElement.classList.contains('wall')) return;
  if (adminConsole) {
    if (adminConsole.element.isConnected) adminConsole.update();
    return;
  }
  if (!document.getElementById('console-slot') || consoleLoading) return;
  consoleLoading = true;
  import('./console.js').then(({ consolePanel }) => {
    consoleLoading = false;
    const slot = document.getElementById('console-slot');
    if (!slot || adminConsole) return;
    adminConsole = consolePanel({ me: state.me });
    slot.replaceWith(adminConsole.element);
  }).catch((error) => {
    consoleLoading = false;
    console.error('The management console could not be shown:', error); // a bug: the browser tests fail on it
  });
}

function hardware(state) {
  const o = state.overview;
  return h('div', { class: 'layout', id: 'hardware-view' },
    h('div', { class: 'main-column' },
      h('section', { 'aria-labelledby': 'nodes-title' },
        h('h2', { id: 'nodes-title', text: o.role === 'provider' ? 'Your contributed GPU nodes' : 'Your GPU nodes' }),
        o.poolNote ? h('p', { class: 'panel note', id: 'pool-note', text: o.poolNote }) : null,
        o.role === 'provider' ? h('ul', { class: 'pool-draw', id: 'pool-draw', 'aria-label': 'Draw on your pools this month', hidden: true }) : null,
        h('ul', { class: 'cards', id: 'cards' })),
      h('div', { id: 'costs-slot' }),
      h('div', { id: 'validate-slot' }),
      h('div', { id: 'diagnostics-slot' }),
      h('div', { id: 'bench-slot' })),
    h('aside', {},
      h('section', { class: 'panel', 'aria-labelledby': 'alerts-title' },
        h('h3', { id: 'alerts-title', text: 'Firing alerts' }), h('div', { id: 'alerts' })),
      h('section', { class: 'panel', 'aria-labelledby': 'rel-title' },
        h('h3', { id: 'rel-title', text: 'Reliability (30 days)' }), h('div', { id: 'reliability' })),
      h('div', { id: 'bench-list-slot' })));
}

/// Cards from the overview, with health and live numbers from the newer summary when present.
function fillCards(state) {
  const list = document.getElementById('cards');
  if (!list) return;
  const live = new Map((state.summary?.nodes ?? []).map((n) => [n.id, n]));
  const items = [];
  for (const node of state.overview.nodes ?? []) items.push(nodeCard(node, live.get(node.id)));
  patch(list, items);
}

/// "1.2 M": compact, with a space before the unit letter like the page's other units.
function spaced(value) {
  return compact(value).replace(/([0-9.])([A-Za-z]+)$/, '$1 $2');
}

/// Provider: one line per contributed pool with what its consumers drew this month, together
/// (the overview's `poolDraw`; no consumer is named there or here).
function fillPoolDraw(state) {
  const list = document.getElementById('pool-draw');
  if (!list) return;
  const draws = Array.isArray(state.overview.poolDraw) ? state.overview.poolDraw : [];
  list.hidden = draws.length === 0;
  patch(list, draws.map((d) => {
    const share = d.drawnPct === null || d.drawnPct === undefined
      ? 'no monthly quota is subscribed to it'
      : `${num(d.drawnPct, 1)} % of ${spaced(d.subscribedTokens)} subscribed`;
    return h('li', { 'data-key': d.pool, 'data-pool': d.pool, title: d.periodStart ? `since ${when(d.periodStart)}` : null,
      text: `Pool ${d.pool}: ${spaced(d.tokens)} tokens in ${num(d.requests)} requests drawn this month — ${share}` });
  }));
}

/// Mounts the usage over time (and loads its code) into #usage-history-slot, or refreshes it (it
/// reads the API again at most once per overview interval, whatever calls this).
function fillUsageHistory() {
  if (usage) {
    if (usage.element.isConnected) usage.update();
    return;
  }
  if (!document.getElementById('usage-history-slot') || usageLoading) return;
  usageLoading = true;
  import('./usage.js').then(({ usagePanel }) => {
    usageLoading = false;
    const slot = document.getElementById('usage-history-slot');
    if (!slot || usage) return;
    usage = usagePanel();
    slot.replaceWith(usage.element);
  }).catch((error) => {
    usageLoading = false;
    console.error('The usage history could not be shown:', error); // a bug: the browser tests fail on it
  });
}

/// Mounts the "GPU economics" panel (and loads its code) into #costs-slot, or refreshes it (it
/// reads the API again at most once a minute, whatever calls this).
function fillCosts() {
  if (costs) {
    if (costs.element.isConnected) costs.update();
    return;
  }
  if (!document.getElementById('costs-slot') || costsLoading) return;
  costsLoading = true;
  import('./costs.js').then(({ costsPanel }) => {
    costsLoading = false;
    const slot = document.getElementById('costs-slot');
    if (!slot || costs) return;
    costs = costsPanel();
    slot.replaceWith(costs.element);
  }).catch((error) => {
    costsLoading = false;
    console.error('The cost panel could not be shown:', error); // a bug: the browser tests fail on it
  });
}

/// Mounts the consumer's spend lines (GET factory/costs; code from views/costs.js) into
/// #consumer-spend-slot, or refreshes them (at most once a minute).
function fillSpend() {
  if (spend) {
    if (spend.element.isConnected) spend.update();
    return;
  }
  if (!document.getElementById('consumer-spend-slot') || spendLoading) return;
  spendLoading = true;
  import('./costs.js').then(({ spendPanel }) => {
    spendLoading = false;
    const slot = document.getElementById('consumer-spend-slot');
    if (!slot || spend) return;
    spend = spendPanel();
    slot.replaceWith(spend.element);
  }).catch((error) => {
    spendLoading = false;
    console.error('The spend line could not be shown:', error); // a bug: the browser tests fail on it
  });
}

/// The load-test list (and its code) only when the server has the load-test API.
function loadBenchList() {
  const slot = document.getElementById('bench-list-slot');
  if (bench) { if (slot) slot.replaceWith(bench.benchList()); else bench.refreshBenchList(undefined, false); return; }
  hasRoute(LOADTESTS).then(async (yes) => {
    if (!yes) return;
    bench = await import('./bench.js');
    document.getElementById('bench-list-slot')?.replaceWith(bench.benchList());
  }).catch(() => {});
}

function fillAlerts(state) {
  const box = document.getElementById('alerts');
  if (!box) return;
  clear(box);
  if (state.alertsError) box.append(h('p', { class: 'note', text: `Alerts are unavailable: ${state.alertsError}` }));
  const firing = (state.alerts ?? []).filter((a) => a.state === 'firing');
  if (!state.alertsError && state.alerts && firing.length === 0) box.append(h('p', { class: 'note', text: 'No alerts are firing.' }));
  const list = alertList(firing);
  if (list) box.append(list);
}

export function alertList(alerts) {
  if (!alerts.length) return null;
  const sev = (s) => ({ critical: 'critical', warning: 'degraded' }[s] ?? 'unknown');
  return h('ul', { class: 'alerts' }, alerts.map((a) => h('li', { class: 'alert', 'data-health': sev(a.labels?.severity) },
    h('strong', { text: a.labels?.alertname ?? 'alert' }), ' ',
    h('span', { class: 'note', text: `${a.labels?.severity ?? ''}${a.labels?.node ? ` · ${a.labels.node}` : ''}` }),
    a.annotations?.summary ? h('div', { text: a.annotations.summary }) : null,
    h('div', { class: 'note', text: `since ${when(a.activeAt)}` }))));
}

function fillReliability(state) {
  const box = document.getElementById('reliability');
  if (!box) return;
  clear(box);
  const rows = state.reliability?.nodes ?? [];
  if (!state.reliability) { box.append(h('p', { class: 'note', text: 'Loading…' })); return; }
  box.append(h('table', {},
    h('thead', {}, h('tr', {}, ['Node', 'Avail.', 'Incidents', 'XID', 'ECC'].map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, rows.map((r) => h('tr', {},
      h('td', { class: 'mono', text: r.node }),
      h('td', { class: 'nowrap', text: r.availability === null || r.availability === undefined ? '—' : `${num(r.availability * 100, 1)} %` }),
      h('td', { text: String(r.incidents) }), h('td', { text: String(r.xidEvents) }), h('td', { text: String(r.eccEvents) }))))),
    h('p', { class: 'note', text: `Availability = 1 − unhealthy time / observed time over ${state.reliability.windowDays} days.` }));
}

/// "1 Aug 2025": the day a billing period ends and the next begins (periods are cut in UTC).
function renewsOn(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

function fillConsumer(state) {
  const box = document.getElementById('consumer-usage');
  if (!box) return;
  const c = state.overview.consumer ?? {};
  const usage = state.summary?.usage ?? c.usage ?? [];
  clear(box);
  box.append(h('h2', { text: 'Your usage' }),
    h('p', { class: 'note', text: `Plan ${c.plan ?? '—'} on pool ${(c.pools ?? []).join(', ') || '—'}. You are billed for tokens; the pool's hardware is run by its providers.` }));
  for (const u of usage) {
    const used = u.quota?.used, limit = u.quota?.limit;
    const pct = used !== null && used !== undefined && limit ? Math.min(100, (used / limit) * 100) : null;
    const level = quotaLevel(used, limit);
    const renews = renewsOn(u.quota?.periodEnd);
    const fill = h('div', { class: 'quota-fill' });
    if (pct !== null) fill.style.width = `${pct}%`;
    box.append(h('section', { class: 'panel usage', 'data-pool': u.pool, 'aria-label': `usage of pool ${u.pool}` },
      h('h3', { text: `Pool ${u.pool} · plan ${u.plan}` }),
      h('dl', { class: 'metrics' },
        metric('Tokens in', compact(u.tokensIn), 'tokens-in'),
        metric('Tokens out', compact(u.tokensOut), 'tokens-out'),
        metric('Requests', compact(u.requests), 'requests'),
        metric('Average latency', u.averageLatencySeconds === null ? '—' : num(u.averageLatencySeconds * 1000, 0, ' ms'), 'latency'),
        metric('p95 latency', u.p95LatencySeconds === null ? '—' : num(u.p95LatencySeconds * 1000, 0, ' ms'), 'p95'),
        u.poolUtilisationPct === null || u.poolUtilisationPct === undefined ? null : metric('Pool utilisation', num(u.poolUtilisationPct, 0, ' %'), 'pool-util')),
      h('p', { id: `quota-label-${u.pool}` },
        `Quota this ${u.quota?.period ?? 'period'}: ${compact(used)} of ${compact(limit)} tokens${pct === null ? '' : ` (${num(pct, 0)} %)`}`,
        renews ? h('span', { class: 'note renews', 'data-renews': u.quota.periodEnd, title: `the next period starts ${when(u.quota.periodEnd)}`, text: ` · renews ${renews}` }) : null),
      h('div', { class: 'quota', 'data-level': level, role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': String(limit ?? 0), 'aria-valuenow': String(used ?? 0), 'aria-labelledby': `quota-label-${u.pool}` }, fill),
      h('p', { class: 'note', text: `Latency over the last ${u.latencyWindow}. Unknown values are shown as —.` })));
  }
}

export function metric(label, value, key) {
  return h('div', { class: 'metric', 'data-metric': key, 'data-key': key }, h('dt', { text: label }), h('dd', { text: value }));
}

function none(o) {
  return h('section', { class: 'panel explainer', id: 'none-view', 'aria-labelledby': 'none-title' },
    h('h2', { id: 'none-title', text: 'Nothing to show yet' }),
    h('p', { text: o.explainer ?? 'This tenant has no GPU node and no pool subscription yet.' }),
    h('p', { text: 'Connect a GPU node to see its health here, or subscribe to a shared pool to see your token usage.' }),
    o.billingURL ? h('a', { class: 'button primary', id: 'billing-link', href: o.billingURL, text: 'Usage & Pricing' }) : null);
}
