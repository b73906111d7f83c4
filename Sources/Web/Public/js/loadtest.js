// Pure helpers for load tests: level labels, table rows, chart series, plan validation. No DOM and no fetch, so the browser tests can check them with fixture JSON.
import { num, dash } from './format.js';

export const CAPS = { concurrency: 256, totalSeconds: 1800, levels: 16 };
export const ACTIVE = ['queued', 'running'];
export const statusLabel = (s) => ({ queued: 'Queued', running: 'Running', succeeded: 'Succeeded', failed: 'Failed', cancelled: 'Cancelled' }[s] ?? 'Unknown');

const finite = (v) => typeof v === 'number' && Number.isFinite(v);

/// A level as the API writes it (`{"concurrency": 4}`, `{"rate": 50, "arrival": "constant"}`), or a
/// label string: "c4", "50 req/s".
export function levelLabel(level) {
  if (typeof level === 'string') return level || dash;
  if (!level || typeof level !== 'object') return dash;
  if (finite(level.concurrency)) return `c${level.concurrency}`;
  if (finite(level.rate)) {
    return `${Number(level.rate).toLocaleString('en-US', { maximumFractionDigits: 2 })} req/s${level.arrival === 'poisson' ? ' (poisson)' : ''}`;
  }
  return dash;
}

const stat = (report, tag, key) => {
  const m = report?.metrics?.[tag];
  if (!m) return null;
  const v = m.isScalar ? m.avg : m[key];
  return finite(v) ? v : null;
};

/// One table row (numbers, null when unknown) from a LevelReport.
export function levelRow(report) {
  const slo = Array.isArray(report?.slo) ? report.slo : [];
  const errors = report?.errors && typeof report.errors === 'object'
    ? Object.values(report.errors).filter(finite).reduce((a, b) => a + b, 0) : null;
  return {
    label: levelLabel(report?.level),
    requestsPerSec: stat(report, 'request_throughput', 'avg'),
    outputTokensPerSec: stat(report, 'output_token_throughput', 'avg'),
    ttftP50: stat(report, 'time_to_first_token', 'p50'),
    ttftP99: stat(report, 'time_to_first_token', 'p99'),
    itlP50: stat(report, 'inter_token_latency', 'p50'),
    itlP99: stat(report, 'inter_token_latency', 'p99'),
    latencyP99: stat(report, 'request_latency', 'p99'),
    errors,
    goodput: stat(report, 'goodput', 'avg'),
    sloMet: slo.length ? (report.successes > 0 && slo.every((v) => v.met === true)) : null,
    interrupted: report?.interrupted === true,
    fellBehind: report?.fellBehind === true,
  };
}

export const TABLE_COLUMNS = ['Level', 'Req/s', 'Output tok/s', 'TTFT p50', 'TTFT p99', 'ITL p50', 'ITL p99', 'Latency p99', 'Errors', 'Goodput', 'SLO'];

/// The per-level table's cells as text (never null, undefined or NaN).
export function levelCells(row) {
  const ms = (v) => num(v, v !== null && v < 10 ? 2 : 1, ' ms');
  return [
    row.label + (row.interrupted ? ' (partial)' : '') + (row.fellBehind ? ' (generator fell behind)' : ''),
    num(row.requestsPerSec, 2), num(row.outputTokensPerSec, 1),
    ms(row.ttftP50), ms(row.ttftP99), ms(row.itlP50), ms(row.itlP99), ms(row.latencyP99),
    row.errors === null ? dash : String(row.errors),
    num(row.goodput, 2, ' req/s'),
    row.sloMet === null ? dash : row.sloMet ? '✓ met' : '✗ missed',
  ];
}

/// Series for the SLO/capacity chart: x = level labels, y1 = request throughput, y2 = latencies (ms).
export function capacitySeries(levels) {
  const rows = (levels ?? []).map(levelRow);
  return {
    labels: rows.map((r) => r.label),
    throughput: rows.map((r) => r.requestsPerSec),
    ttftP50: rows.map((r) => r.ttftP50),
    ttftP99: rows.map((r) => r.ttftP99),
    itlP99: rows.map((r) => r.itlP99),
  };
}

/// "max concurrency under SLO: N", or null when the test ran no search.
export function searchText(search) {
  if (!search || typeof search !== 'object') return null;
  return finite(search.maxConcurrency) ? `Max concurrency under SLO: ${search.maxConcurrency}` : 'Max concurrency under SLO: none of the levels met the SLO';
}

/// The progress line of a running test ("c2 · 5/10 · 0 errors · …"), or a fallback from its fields.
export function progressText(test) {
  const p = test?.progress;
  if (test?.status === 'queued') return 'Queued: waiting for the node’s load generator.';
  if (!p) return test?.status === 'running' ? 'Starting…' : '';
  if (typeof p.line === 'string' && p.line) return p.line;
  const parts = [levelLabel(p.level)];
  if (finite(p.finished)) parts.push(`${p.finished} finished`);
  if (finite(p.errors)) parts.push(`${p.errors} errors`);
  if (finite(p.ttftP50Ms)) parts.push(`TTFT p50 ${num(p.ttftP50Ms, 1)} ms`);
  if (finite(p.elapsedSeconds)) parts.push(`${num(p.elapsedSeconds, 1)} s`);
  return parts.filter((x) => x !== dash).join(' · ');
}

/// Form values (strings from the inputs) → `{plan}` for POST loadtests, or `{field, error}`.
export function buildPlan(values, node) {
  const ints = (text) => String(text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const mode = values.mode === 'rate' ? 'rate' : 'concurrency';
  const list = ints(values.levels);
  if (!list.length) return { field: 'levels', error: `Give at least one ${mode === 'rate' ? 'request rate' : 'concurrency'}, e.g. 1,2,4.` };
  if (list.length > CAPS.levels) return { field: 'levels', error: `At most ${CAPS.levels} levels per test.` };
  const numbers = list.map(Number);
  if (mode === 'concurrency') {
    if (!numbers.every((n) => Number.isInteger(n) && n >= 1 && n <= CAPS.concurrency)) return { field: 'levels', error: `Concurrency levels are whole numbers from 1 to ${CAPS.concurrency}.` };
  } else if (!numbers.every((n) => Number.isFinite(n) && n > 0 && n <= 10000)) {
    return { field: 'levels', error: 'Request rates are positive numbers (requests per second).' };
  }
  const whole = (key, label, min, max, optional = false) => {
    const raw = String(values[key] ?? '').trim();
    if (!raw && optional) return { value: undefined };
    const n = Number(raw);
    if (!raw || !Number.isInteger(n) || n < min || n > max) return { error: `${label} must be a whole number from ${min} to ${max}.` };
    return { value: n };
  };
  const fields = [['durationSeconds', 'Duration per level (s)', 1, CAPS.totalSeconds], ['requests', 'Requests per level', 1, 100000, true],
    ['isl', 'Input length (words)', 1, 32768], ['osl', 'Output length (tokens)', 1, 32768]];
  const plan = { node, endpoint: values.endpoint === 'completions' ? 'completions' : 'chat' };
  plan[mode] = numbers;
  if (mode === 'rate') plan.arrival = values.arrival === 'poisson' ? 'poisson' : 'constant';
  for (const [key, label, min, max, optional] of fields) {
    const r = whole(key, label, min, max, optional);
    if (r.error) return { field: key, error: r.error };
    if (r.value !== undefined) plan[key] = r.value;
  }
  if (plan.durationSeconds * numbers.length > CAPS.totalSeconds) {
    return { field: 'durationSeconds', error: `Levels × duration is ${plan.durationSeconds * numbers.length} s; a test may run at most ${CAPS.totalSeconds / 60} min in total.` };
  }
  const slo = String(values.slo ?? '').trim();
  if (slo) {
    if (!/^(ttft|tpot|itl|e2e)(_p(50|90|95|99))?=\d+(\.\d+)?(us|ms|s)?(,(ttft|tpot|itl|e2e)(_p(50|90|95|99))?=\d+(\.\d+)?(us|ms|s)?)*$/.test(slo)) {
      return { field: 'slo', error: 'SLO is comma-separated metric[_pNN]=value[unit], e.g. ttft_p99=500ms,tpot_p99=50ms.' };
    }
    plan.slo = slo;
  }
  if (values.search) {
    if (mode !== 'concurrency' || !slo) return { field: 'search', error: 'The capacity search needs concurrency mode and an SLO.' };
    plan.search = 'max-concurrency-under-slo';
    const r = whole('searchLimit', 'Search limit', 1, CAPS.concurrency, true);
    if (r.error) return { field: 'searchLimit', error: r.error };
    if (r.value !== undefined) plan.searchLimit = r.value;
  }
  if (!values.acknowledged) return { field: 'acknowledged', error: 'Tick the acknowledgement: a load test stresses the node and its users.' };
  plan.acknowledged = true;  // the server refuses (412) a test nobody acknowledged
  return { plan };
}
