// GPU economics (GET /api/v1/factory/costs?range=&group=): what the tenant's GPUs cost over a range,
// by node, pool or tenant, for owners and providers (#costs on the overview; a site operator gets
// the whole fleet there), and a consumer's spend this month per pool (#consumer-spend). The server does the arithmetic (prices from its
// prices file or its defaults); the page only formats. A figure the server could not work out is
// `null` and shown as "—", never as 0; the answer's `reason` says why.
//
// views/home.js mounts `costsPanel()` for owners and providers and `spendPanel()` for consumers and
// calls `update()` on every refresh of the home view; each reads again at most once a minute (an
// expensive read; `?poll=N` above 60 lengthens it) and at once when a picker changes. A failed
// read (a 429 included) shows the server's message and keeps the last figures; a 401 ends the
// session like any poll. Nothing runs once the panel has left the page.
import { h } from '../dom.js';
import { dash, num, compact, when } from '../format.js';
import { panelHandle, readInto, settled } from '../panel.js';

export const RANGES = ['24h', '7d', '30d'];
export const GROUPS = ['node', 'pool', 'tenant'];
const DEFAULT_RANGE = '30d';
const DEFAULT_GROUP = 'node';
const override = Number(new URLSearchParams(location.search).get('poll'));
const REFRESH_MS = Math.max(60, override > 0 ? override : 0) * 1000;

// The range and grouping last chosen, so a re-render of the home view keeps them.
const memory = { range: null, group: null };

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

// ---------------------------------------------------------------- formatting (pure)

const formatters = new Map();
function currencyFormat(currency, min, max) {
  const key = `${currency}/${min}/${max}`;
  if (!formatters.has(key)) {
    let format = null;
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: min, maximumFractionDigits: max });
    } catch {
      format = null; // not an ISO 4217 code: "1,234.00 XYZ" below
    }
    formatters.set(key, format);
  }
  return formatters.get(key);
}

function currencyOf(prices) {
  const c = prices?.currency;
  return typeof c === 'string' && c ? c : 'USD';
}

function formatMoney(value, currency, min, max) {
  const format = currencyFormat(currency, min, max);
  return format ? format.format(value) : `${num(value, min)} ${currency}`;
}

/// "$14,400.00"; a positive amount below one cent is "<$0.01"; unknown is "—".
export function money(value, currency = 'USD') {
  if (!isNumber(value)) return dash;
  if (value > 0 && value < 0.01) return `<${formatMoney(0.01, currency, 2, 2)}`;
  return formatMoney(value, currency, 2, 2);
}

/// A unit price ("$2.50", "$0.125"): two decimals, up to four when the price needs them.
export function unitPrice(value, currency = 'USD') {
  if (!isNumber(value)) return dash;
  if (value > 0 && value < 0.0001) return `<${formatMoney(0.0001, currency, 4, 4)}`;
  return formatMoney(value, currency, 2, 4);
}

/// Hours with one decimal ("5,760.0").
export const hours = (value) => num(isNumber(value) ? value : null, 1);

/// kWh: one decimal, three below 10 kWh (per-1M-token figures are small).
export function kwh(value) {
  if (!isNumber(value)) return dash;
  return num(value, value !== 0 && Math.abs(value) < 10 ? 3 : 1);
}

/// "Spend this month on pool shared-ada: $1.20 (2.4M tokens at $0.50 per 1M tokens, plan starter)".
export function spendText(entry, prices) {
  const currency = currencyOf(prices);
  const plan = entry?.plan ?? dash;
  const tokens = `${compact(isNumber(entry?.tokens) ? entry.tokens : null)} tokens`;
  const detail = isNumber(entry?.pricePer1MTokens)
    ? `${tokens} at ${unitPrice(entry.pricePer1MTokens, currency)} per 1M tokens, plan ${plan}`
    : `${tokens}, no price set for plan ${plan}`;
  return `Spend this month on pool ${entry?.pool ?? dash}: ${money(entry?.spend, currency)} (${detail})`;
}

/// "Pool shared-ada: $12.34 for 1.2M tokens drawn this month, all consumers together".
export function revenueText(entry, prices) {
  const tokens = `${compact(isNumber(entry?.tokens) ? entry.tokens : null)} tokens`;
  const value = isNumber(entry?.atPlanPrices) ? money(entry.atPlanPrices, currencyOf(prices)) : `${dash} (no plan price set)`;
  return `Pool ${entry?.pool ?? dash}: ${value} for ${tokens} drawn this month, all consumers together`;
}

/// The note under the table: which prices the figures use.
export function pricesText(prices) {
  if (!prices) return 'The prices used are unknown.';
  const parts = [`Prices in ${currencyOf(prices)}`];
  if (isNumber(prices.kWhPrice)) parts.push(`electricity ${unitPrice(prices.kWhPrice, currencyOf(prices))}/kWh`);
  if (isNumber(prices.idleUtilisationPct)) parts.push(`a GPU-hour counts as idle below ${num(prices.idleUtilisationPct, 0)} % utilisation`);
  parts.push(prices.source === 'file' ? 'from the server\'s prices file' : 'the server\'s default prices (no prices file is configured)');
  return `${parts.join(' · ')}. The price per GPU-hour depends on the GPU class.`;
}

// The table's columns: header, title (what it means), cell text for a group, optional cell title.
const COLUMNS = [
  { head: 'Price / GPU-h', title: 'the price of one GPU-hour for the GPU class (— for a mix of classes or a class without a price)',
    cell: (g, c) => unitPrice(g.pricePerGPUHour, c), full: (g) => (g.gpuClass ? `GPU class ${g.gpuClass}` : null) },
  { head: 'GPUs', cell: (g) => num(isNumber(g.gpus) ? g.gpus : null) },
  { head: 'GPU-hours', title: 'GPUs × hours of the range', cell: (g) => hours(g.gpuHours) },
  { head: 'Cost', title: 'GPU-hours × price per GPU-hour', cell: (g, c) => money(g.cost, c) },
  { head: 'Idle cost', title: 'the cost of the GPU-hours below the idle utilisation threshold',
    cell: (g, c) => money(g.idleCost, c), full: (g) => (isNumber(g.idleHours) ? `${hours(g.idleHours)} idle GPU-hours` : null) },
  { head: 'Util.', title: 'mean GPU utilisation over the range', cell: (g) => num(isNumber(g.utilisationPct) ? g.utilisationPct : null, 1, ' %') },
  { head: 'Util.-weighted cost', title: 'cost × mean utilisation: what the busy share of the GPU-hours cost', cell: (g, c) => money(g.utilisationWeightedCost, c) },
  { head: 'Energy (kWh)', title: 'energy the GPUs drew; the cell\'s tooltip gives its cost',
    cell: (g) => kwh(g.energyKWh), full: (g, c) => (isNumber(g.energyCost) ? `energy cost ${money(g.energyCost, c)}` : null) },
  { head: 'Tokens', title: 'tokens served by these GPUs', cell: (g) => compact(isNumber(g.tokens) ? g.tokens : null), full: (g) => (isNumber(g.tokens) ? `${num(g.tokens)} tokens` : null) },
  { head: 'Cost / 1M tokens', cell: (g, c) => money(g.costPer1MTokens, c) },
  { head: 'kWh / 1M tokens', title: 'energy per million tokens', cell: (g) => kwh(g.energyPer1MTokensKWh) },
];

const GROUP_HEAD = { node: 'Node', pool: 'Pool', tenant: 'Tenant' };

function groupName(g, group) {
  if (typeof g?.key === 'string' && g.key) return g.key;
  return group === 'pool' ? 'dedicated (no pool)' : dash;
}

// ---------------------------------------------------------------- owner / provider panel

function initial(list, remembered, fallback) {
  return list.includes(remembered) ? remembered : fallback;
}

function picker(panel, legend, key, values, selected) {
  return h('fieldset', { 'data-picker': key }, h('legend', { text: legend }),
    values.map((v) => h('button', {
      type: 'button', 'data-value': v, 'aria-pressed': String(v === selected), text: v,
      onclick: () => choose(panel, key, v),
    })));
}

/// The panel: `{element, update, stop, ready}`. With `answer` (tests) it shows that answer and never
/// reads the API; `ready` settles once the first answer is on screen (or the first read failed).
export function costsPanel({ answer } = {}) {
  const panel = {
    range: RANGES.includes(answer?.range) ? answer.range : initial(RANGES, memory.range, DEFAULT_RANGE),
    group: GROUPS.includes(answer?.group) ? answer.group : initial(GROUPS, memory.group, DEFAULT_GROUP),
    answer: null, seq: 0, loading: false, last: 0, stopped: false, fixed: Boolean(answer), els: {},
  };
  const els = panel.els;
  els.span = h('p', { class: 'note', id: 'costs-span', text: 'Loading the costs…' });
  els.error = h('p', { class: 'error', id: 'costs-error', role: 'alert', hidden: true });
  els.stale = h('p', { class: 'note costs-reason', id: 'costs-reason', hidden: true });
  els.headRow = h('tr', {});
  els.rows = h('tbody', {});
  els.total = h('tfoot', {});
  els.prices = h('p', { class: 'note', id: 'costs-prices' });
  els.revenue = h('ul', { class: 'costs-revenue', id: 'costs-revenue-list' });
  els.revenueBox = h('div', { id: 'costs-revenue', hidden: true },
    h('h4', { id: 'costs-revenue-title', text: 'Revenue at plan prices' }),
    h('p', { class: 'note', text: 'What consumers drew from your pools this month, valued at their plans\' prices (all consumers together).' }),
    els.revenue);
  els.body = h('div', { class: 'costs-body', hidden: true },
    h('div', { class: 'costs-table-wrap' },
      h('table', { id: 'costs-table', class: 'costs-table', 'aria-labelledby': 'costs-title' }, h('thead', {}, els.headRow), els.rows, els.total)),
    els.prices, els.stale, els.revenueBox);
  els.section = h('section', { class: 'panel costs', id: 'costs', 'aria-labelledby': 'costs-title', 'data-state': 'loading' },
    h('h3', { id: 'costs-title', text: 'GPU economics' }),
    h('div', { class: 'pickers picker' },
      picker(panel, 'Range', 'costs-range', RANGES, panel.range),
      picker(panel, 'Group by', 'costs-group', GROUPS, panel.group)),
    els.span, els.error, els.body);
  const first = settled();
  panel.settle = first.settle;
  if (answer) { show(panel, answer); first.settle(); } else load(panel);
  return panelHandle({
    panel, element: els.section, ready: first.promise, refreshMs: REFRESH_MS,
    load: () => load(panel), stop: () => stop(panel),
  });
}

function stop(panel) {
  panel.stopped = true;
  panel.seq += 1;
}

function choose(panel, key, value) {
  if (panel.stopped) return;
  if (key === 'costs-range') {
    if (!RANGES.includes(value)) return;
    panel.range = memory.range = value;
  } else {
    if (!GROUPS.includes(value)) return;
    panel.group = memory.group = value;
  }
  for (const b of panel.els.section.querySelectorAll(`[data-picker="${key}"] button`)) b.setAttribute('aria-pressed', String(b.dataset.value === value));
  if (panel.fixed) return;
  load(panel);
}

function load(panel) {
  const els = panel.els;
  return readInto(panel, {
    source: 'costs',
    path: `factory/costs?range=${encodeURIComponent(panel.range)}&group=${encodeURIComponent(panel.group)}`,
    show: (answer) => show(panel, answer),
    stop: () => stop(panel),
    failed: (error) => {
      if (error.status === 404 && !panel.answer) {
        els.section.dataset.state = 'none';
        els.error.hidden = true;
        els.body.hidden = true;
        els.span.textContent = 'There are no GPU costs to show for this tenant.';
      } else {
        els.section.dataset.state = 'error';
        els.error.hidden = false;
        const a = panel.answer;
        const shown = a ? ` The figures below are the last ones read (${a.range} by ${a.group}).` : '';
        els.error.textContent = `Costs cannot be read right now: ${error.message.replace(/\.?$/, '.')}${shown}`;
        if (!a) els.span.textContent = '';
      }
    },
  });
}

/// Puts `answer` on screen: span, table with its total row, prices, reason, revenue.
function show(panel, answer) {
  const els = panel.els;
  panel.answer = answer;
  const currency = currencyOf(answer.prices);
  const group = GROUPS.includes(answer.group) ? answer.group : panel.group;
  const range = RANGES.includes(answer.range) ? answer.range : panel.range;
  const groups = Array.isArray(answer.groups) ? answer.groups : [];

  els.error.hidden = true;
  els.body.hidden = false;
  els.span.textContent = `${when(answer.from)} – ${when(answer.to)}${isNumber(answer.hours) ? ` · ${hours(answer.hours)} h` : ''} · by ${group}`;
  els.headRow.replaceChildren(
    h('th', { scope: 'col', text: GROUP_HEAD[group] ?? 'Name' }),
    ...COLUMNS.map((c) => h('th', { scope: 'col', title: c.title ?? null, text: c.head })));
  els.rows.replaceChildren(...(groups.length
    ? groups.map((g) => row(g, groupName(g, group), currency))
    : [h('tr', { class: 'empty' }, h('td', { colspan: String(COLUMNS.length + 1), class: 'note', text: 'No GPU-hours in this range.' }))]));
  els.total.replaceChildren(...(answer.total && typeof answer.total === 'object' ? [row(answer.total, 'Total', currency, true)] : []));

  els.prices.textContent = pricesText(answer.prices);
  const reason = typeof answer.reason === 'string' && answer.reason ? answer.reason.replace(/\.?$/, '.') : null;
  els.stale.hidden = !reason && !answer.stale;
  els.stale.textContent = answer.stale
    ? `Some figures may be out of date${reason ? `: ${reason}` : '.'}`
    : (reason ? `Figures shown as ${dash} are unknown: ${reason}` : '');

  const revenue = Array.isArray(answer.revenue) ? answer.revenue : null;
  els.revenueBox.hidden = !revenue;
  els.revenue.replaceChildren(...(revenue ?? []).map((r) => h('li', { 'data-pool': r.pool ?? null, text: revenueText(r, answer.prices) })));
  if (revenue && !revenue.length) {
    const whose = answer.role === 'operator' ? 'any pool' : 'your pools';
    els.revenue.append(h('li', { class: 'note', text: `Nothing was drawn from ${whose} this month.` }));
  }

  const section = els.section;
  section.dataset.range = range;
  section.dataset.group = group;
  section.dataset.rows = String(groups.length);
  section.dataset.state = 'ready';
}

/// One table row, its name as the row header (the total row: "Total", class `total`).
function row(g, name, currency, total = false) {
  return h('tr', { class: total ? 'total' : null, 'data-key': total ? 'total' : name },
    h('th', { scope: 'row', class: total ? null : 'mono', text: name }),
    COLUMNS.map((c) => {
      const text = c.cell(g, currency);
      return h('td', { title: c.full?.(g, currency) ?? null, 'data-null': text === dash ? 'true' : null, text });
    }));
}

// ---------------------------------------------------------------- consumer spend

/// The consumer's spend this month, one line per subscribed pool: `{element, update, stop, ready}`
/// like the cost panel (`answer` for tests).
export function spendPanel({ answer } = {}) {
  const panel = { answer: null, seq: 0, loading: false, last: 0, stopped: false, fixed: Boolean(answer), els: {} };
  const els = panel.els;
  els.list = h('ul', { class: 'spend-lines', id: 'consumer-spend-lines' });
  els.error = h('p', { class: 'note', id: 'consumer-spend-error', role: 'status', hidden: true });
  els.section = h('div', { class: 'spend', id: 'consumer-spend', 'aria-label': 'Spend this month', 'data-state': 'loading' }, els.list, els.error);
  const first = settled();
  panel.settle = first.settle;
  if (answer) { showSpend(panel, answer); first.settle(); } else loadSpend(panel);
  return panelHandle({
    panel, element: els.section, ready: first.promise, refreshMs: REFRESH_MS,
    load: () => loadSpend(panel), stop: () => stop(panel),
  });
}

function loadSpend(panel) {
  const els = panel.els;
  return readInto(panel, {
    source: 'costs',
    path: 'factory/costs',
    busy: false,
    show: (answer) => showSpend(panel, answer),
    failed: (error) => {
      els.section.dataset.state = error.status === 404 ? 'none' : 'error';
      els.error.hidden = error.status === 404;
      els.error.textContent = `Spend cannot be read right now: ${error.message.replace(/\.?$/, '.')}${panel.answer ? ' The line above is the last one read.' : ''}`;
    },
  });
}

function showSpend(panel, answer) {
  const els = panel.els;
  panel.answer = answer;
  const spend = Array.isArray(answer?.spend) ? answer.spend : [];
  els.error.hidden = true;
  els.list.replaceChildren(...spend.map((s) => {
    const period = s.periodStart && s.periodEnd ? `${when(s.periodStart)} – ${when(s.periodEnd)}` : null;
    return h('li', { 'data-pool': s.pool ?? null, title: period, text: spendText(s, answer.prices) });
  }));
  els.section.dataset.state = 'ready';
  els.section.dataset.lines = String(spend.length);
}
