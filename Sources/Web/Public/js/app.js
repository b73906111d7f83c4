// AI Factory page: login, header, polling, hash routing (#/ and #/nodes/<id>), stale banner.
// Polling intervals: overview 30 s, summary and alerts 15 s; `?poll=N` sets all of them to N s
// (tests), `?wall=1` is the wall display (no controls, larger type).
import { api, ApiError, me } from './api.js';
import { $, clear } from './dom.js';
import { ago, healthKey, healthLabel } from './format.js';
import { renderHome, refreshHome } from './views/home.js';
import { renderDetail, refreshDetail, refreshTrend } from './views/detail.js';
import { installHooks } from './hooks.js';

const params = new URLSearchParams(location.search);
const override = Number(params.get('poll'));
const poll = override > 0 ? { overview: override, summary: override, alerts: override } : { overview: 30, summary: 15, alerts: 15 };
const SESSION_HINT = 'aif.signedIn';

const state = {
  me: null, // GET /api/v1/me: who is signed in (isAdmin, isOperator), once per session
  overview: null,
  summary: null,
  alerts: null,
  alertsError: null,
  reliability: null,
  updatedAt: null,
  stale: new Map(), // source → reason
  timers: [],
  route: null,
};

if (params.get('wall') === '1') document.documentElement.classList.add('wall');

function showLogin(message) {
  stopPolling();
  state.overview = state.summary = state.alerts = state.reliability = state.me = null;
  state.stale.clear();
  $('top').hidden = true;
  $('stale-banner').hidden = true;
  clear($('view'));
  $('login').hidden = false;
  const error = $('login-error');
  error.hidden = !message;
  error.textContent = message ?? '';
  document.title = 'Sign in · AI Factory';
  $('api-key').focus();
}

async function login(event) {
  event.preventDefault();
  const key = $('api-key').value.trim();
  const button = event.target.querySelector('button');
  button.disabled = true;
  try {
    await api('session', { method: 'POST', body: { apiKey: key } });
    localStorage.setItem(SESSION_HINT, '1');
    $('api-key').value = '';
    $('login-error').hidden = true;
    await start();
  } catch (error) {
    let message = error.message;
    if (error.status === 401) message = 'That API key was not accepted: it is unknown, mistyped or revoked. Check the key and try again.';
    else if (error.status === 429) message = 'Too many failed attempts from this address. Wait a minute and try again.';
    else if (error.status === 400 || error.status === 422) message = 'Paste a complete API key (it starts with aif_).';
    showLogin(message);
  } finally {
    button.disabled = false;
  }
}

async function logout() {
  localStorage.removeItem(SESSION_HINT);
  try { await api('session', { method: 'DELETE' }); } catch { /* the cookie expires anyway */ }
  location.hash = '#/';
  showLogin(null);
}

/// Handles a failed poll: a 401 ends the session, anything else keeps the last data under the banner.
function failed(source, error) {
  if (error instanceof ApiError && error.status === 401) {
    localStorage.removeItem(SESSION_HINT);
    showLogin('Your session has ended. Sign in again.');
    return true;
  }
  state.stale.set(source, { reason: error.message, asOf: state.updatedAt });
  renderChrome();
  return false;
}

/// Records the freshness fields of an answer (`stale`, `asOf`, `reason`); "updated N s ago"
/// follows the age of the data, so a stale answer does not look fresh.
function fresh(source, answer) {
  if (answer?.stale) {
    const asOf = answer.asOf ? new Date(answer.asOf) : null;
    state.stale.set(source, { reason: answer.reason ?? 'Telemetry is stale', asOf });
  } else {
    state.stale.delete(source);
    state.updatedAt = new Date();
  }
}

async function loadOverview() {
  try {
    state.overview = await api('factory/overview');
    fresh('overview', state.overview);
  } catch (error) {
    if (failed('overview', error)) return;
  }
  render();
}

async function loadSummary() {
  try {
    state.summary = await api('factory/summary');
    fresh('summary', state.summary);
  } catch (error) {
    if (failed('summary', error)) return;
  }
  renderChrome();
  if (state.route?.name === 'home') refreshHome(state);
}

// Who sees hardware: its holders, and site operators (the whole fleet).
const holds = () => ['owner', 'provider', 'operator'].includes(state.overview?.role);

async function loadAlerts() {
  if (!holds()) return;
  try {
    state.alerts = (await api('factory/alerts')).alerts ?? [];
    state.alertsError = null;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return failed('alerts', error);
    state.alertsError = error.message;
  }
  if (state.route?.name === 'home') refreshHome(state);
}

async function loadReliability() {
  if (!holds()) return;
  try {
    state.reliability = await api('factory/reliability');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return failed('reliability', error);
  }
  if (state.route?.name === 'home') refreshHome(state);
}

/// Who is signed in (GET /api/v1/me), read once per session: the overview shows the Diagnostics
/// panel only to admins of a hardware tenant and to site operators.
async function loadMe() {
  try {
    state.me = await me();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return failed('me', error);
    state.me = null;
  }
  if (state.route?.name === 'home') refreshHome(state);
}

function every(seconds, fn) {
  state.timers.push(setInterval(fn, seconds * 1000));
}

function stopPolling() {
  for (const t of state.timers) { clearInterval(t); clearTimeout(t); }
  state.timers = [];
}

async function start() {
  stopPolling();
  $('login').hidden = true;
  await loadOverview();
  if (!state.overview) {
    if (!$('login').hidden) return; // the session ended
    const reason = [...state.stale.values()].map((e) => e.reason)[0] ?? 'the server did not answer';
    clear($('view')).append(Object.assign(document.createElement('p'), {
      className: 'error', role: 'alert', textContent: `Your factory cannot be loaded yet: ${reason} Retrying in ${poll.overview} s.`,
    }));
    state.timers.push(setTimeout(start, poll.overview * 1000));
    return;
  }
  $('top').hidden = false;
  await Promise.all([loadSummary(), loadAlerts(), loadReliability(), loadMe()]);
  every(poll.overview, () => { loadOverview(); loadReliability(); });
  every(poll.summary, loadSummary);
  every(poll.alerts, loadAlerts);
  every(poll.summary, () => { if (state.route?.name === 'node') refreshDetail(state, true); });
  every(poll.overview, () => { if (state.route?.name === 'node') refreshTrend(); });
  every(1, renderUpdated);
}

/// "updated N s ago": the age of the oldest stale value while anything is stale, else of the last answer.
function renderUpdated() {
  const times = [...state.stale.values()].map((e) => e.asOf).filter(Boolean).map((t) => t.getTime());
  const at = times.length ? new Date(Math.min(...times)) : state.updatedAt;
  $('updated').textContent = at ? `updated ${ago(at)}` : '';
}

/// Header (role, GPU classes, health pill) and the stale banner.
function renderChrome() {
  const o = state.overview;
  if (!o) return;
  $('tenant').textContent = o.tenant ?? 'site operator';
  $('role-badge').textContent = o.role;
  $('role-badge').setAttribute('aria-label', `role: ${o.role}`);
  const chips = clear($('gpu-classes'));
  for (const c of o.gpuClasses ?? []) {
    const chip = document.createElement('span');
    chip.className = 'chip';
    chip.textContent = c;
    chip.title = 'GPU class';
    chips.append(chip);
  }
  const health = healthKey(state.summary?.health ?? o.health);
  const pill = $('health-pill');
  pill.dataset.health = health;
  pill.textContent = healthLabel(health);
  pill.setAttribute('aria-label', `overall health: ${healthLabel(health)}`);
  const banner = $('stale-banner');
  const entries = [...state.stale.values()];
  const reasons = [...new Set(entries.map((e) => e.reason))];
  const times = entries.map((e) => e.asOf).filter(Boolean);
  const oldest = times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : null;
  banner.hidden = entries.length === 0;
  banner.textContent = entries.length
    ? `Data may be out of date: ${reasons.slice(0, 2).map((r) => r.replace(/\.?$/, '.')).join(' ')}${oldest ? ` Showing values as of ${oldest.toLocaleTimeString('en-GB')}.` : ''}`
    : '';
  renderUpdated();
}

function parseRoute() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  const match = path.match(/^\/nodes\/([^/]+)$/);
  if (match && holds()) return { name: 'node', id: decodeURIComponent(match[1]), query: new URLSearchParams(query ?? '') };
  return { name: 'home' };
}

/// Renders the view for the current route (after a route change or a new overview).
function render() {
  if (!state.overview) return;
  renderChrome();
  const route = parseRoute();
  const same = state.route && route.name === state.route.name && route.id === state.route.id;
  state.route = route;
  if (route.name === 'node') {
    if (!same) renderDetail($('view'), state, route);
    else refreshDetail(state);
  } else if (!same) {
    renderHome($('view'), state);
  } else {
    refreshHome(state);
  }
}

window.addEventListener('hashchange', () => {
  if (!state.overview) return;
  state.route = null;
  render();
  $('main').focus({ preventScroll: true });
});

installHooks({ failed, fresh, renderChrome });
document.addEventListener('DOMContentLoaded', () => {});
$('login-form').addEventListener('submit', login);
$('logout').addEventListener('click', logout);

if (localStorage.getItem(SESSION_HINT)) {
  start().catch(() => showLogin(null));
} else {
  showLogin(null);
}
