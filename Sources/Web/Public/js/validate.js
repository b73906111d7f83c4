// Pure helpers for "Validate observability stack" (POST /api/v1/factory/validate, issue 18):
// labels, the summary line, the checks grouped (groups with failures first) and the hint's
// `code` spans. No DOM and no fetch, so the browser tests can check them with fixture JSON. The
// API is documented in docs/FACTORY-API.md and docs/VALIDATE.md.
import { dash } from './format.js';

/// The groups in the order the page lists them (between groups of the same worst status), with
/// their titles; the API's `group` values.
export const GROUPS = [
  { group: 'backend', title: 'Metrics backend' },
  { group: 'targets', title: 'Scrape targets' },
  { group: 'coverage', title: 'Series coverage per GPU' },
  { group: 'tenancy', title: 'Tenant labels' },
  { group: 'vllm', title: 'vLLM metric names' },
  { group: 'rules', title: 'Alert rules' },
  { group: 'alerting', title: 'Alert path' },
  { group: 'loops', title: 'AI Factory’s own loops' },
];

export const groupTitle = (group) => GROUPS.find((g) => g.group === group)?.title ?? (group ? String(group) : 'Other checks');

/// Worst first: the order of checks and groups on the page.
export const STATUSES = ['fail', 'warn', 'skip', 'pass'];
const rank = (s) => { const i = STATUSES.indexOf(s); return i < 0 ? STATUSES.length : i; };

/// One check's answer, as its pill reads (the colour only repeats it).
export const checkLabel = (s) => ({ pass: 'Pass', warn: 'Warn', fail: 'Fail', skip: 'Skipped' }[s] ?? 'Unknown');

/// A whole run's answer (`pass`, `warn`, `fail`; the worst of its checks, skips aside).
export const runLabel = (s) => ({ pass: 'Passed', warn: 'Warnings', fail: 'Failed', skip: 'Not judged' }[s] ?? 'Unknown');

const count = (counts, s) => (Number.isInteger(counts?.[s]) ? counts[s] : 0);

/// "3 fail, 1 warn, 2 skipped, 40 pass" (zeros left out; "no checks" when there are none).
export function countsText(counts) {
  const parts = STATUSES.filter((s) => count(counts, s) > 0)
    .map((s) => `${count(counts, s)} ${s === 'skip' ? 'skipped' : s}`);
  return parts.length ? parts.join(', ') : 'no checks';
}

/// Milliseconds as "63 ms" or "1.4 s".
export function msLabel(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return dash;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export const nodesLabel = (n) => `${n} node${n === 1 ? '' : 's'}`;

/// The summary line of a run: "3 fail, 1 warn, 40 pass — 12 nodes checked in 63 ms".
export function summaryText(run) {
  const nodes = Array.isArray(run?.nodes) ? run.nodes.length : null;
  const what = nodes === null ? 'checked' : nodes === 0 ? 'the stack alone (no nodes) checked' : `${nodesLabel(nodes)} checked`;
  return `${countsText(run?.counts)} — ${what} in ${msLabel(run?.durationMs)}`;
}

/// Whose nodes a run checked: "the fleet", "tenant acme".
export const scopeLabel = (run) => (run?.scope === 'fleet' ? 'the fleet' : run?.tenant ? `tenant ${run.tenant}` : 'your tenant');

/// The checks by group: [{group, title, checks, counts, worst}], groups with failures first, then
/// warnings, skips, passes; the API's group order within the same worst status. Checks keep the
/// API's order (failures first) inside their group.
export function groupChecks(checks) {
  const byGroup = new Map();
  for (const check of Array.isArray(checks) ? checks : []) {
    if (!check || typeof check !== 'object') continue;
    const key = check.group ?? 'other';
    if (!byGroup.has(key)) byGroup.set(key, []);
    byGroup.get(key).push(check);
  }
  const order = (g) => { const i = GROUPS.findIndex((x) => x.group === g); return i < 0 ? GROUPS.length : i; };
  return [...byGroup.entries()].map(([group, list]) => {
    const sorted = [...list].sort((a, b) => rank(a.status) - rank(b.status));
    const counts = Object.fromEntries(STATUSES.map((s) => [s, sorted.filter((c) => c.status === s).length]));
    const worst = STATUSES.find((s) => counts[s] > 0) ?? 'pass';
    return { group, title: groupTitle(group), checks: sorted, counts, worst };
  }).sort((a, b) => rank(a.worst) - rank(b.worst) || order(a.group) - order(b.group));
}

/// Whether a group opens by itself: it holds anything but passes.
export const groupOpen = (g) => g.checks.some((c) => c.status !== 'pass');

/// Splits a hint (or what was seen) at its `backticks`: [{text, code}], code spans without the ticks.
export function codeSpans(text) {
  const value = typeof text === 'string' ? text : '';
  const parts = value.split('`');
  // An odd tick count leaves the last one unmatched: keep it as text.
  if (parts.length % 2 === 0) return [{ text: value, code: false }];
  return parts.map((t, i) => ({ text: t, code: i % 2 === 1 })).filter((p) => p.text);
}

/// A run's time in the list: "5 Dec, 07:21:38" (local time).
export function shortWhen(iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return dash;
  return d.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
