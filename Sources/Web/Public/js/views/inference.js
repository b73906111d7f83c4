// "Inference (vLLM)" golden signals on a node's detail: TTFT p95/p99, share of requests over the
// TTFT objective, TPOT, ITL p99, running/waiting, KV cache (bar: amber from 80 %, red from 95 %),
// preemptions, prefix-cache hits, tokens/s, output tokens/s per GPU, and a success-rate table per
// model. The section is hidden when the node detail carries no `inference` block (or `null`).
import { h, clear, append } from '../dom.js';
import { num, dash } from '../format.js';

const finite = (v) => typeof v === 'number' && Number.isFinite(v);

export function renderInference(section, inference) {
  const rows = inferenceRows(inference);
  section.hidden = !rows;
  if (!rows) { clear(section); return; }
  const kv = typeof inference.kvCachePct === 'number' && Number.isFinite(inference.kvCachePct) ? inference.kvCachePct : null;
  const model = typeof inference.model === 'string' && inference.model ? inference.model : null;
  append(clear(section), [
    h('h3', { id: 'inference-title', text: 'Inference (vLLM)' }),
    model ? h('p', { class: 'note mono', id: 'inference-model', text: model }) : null,
    h('dl', { class: 'metrics inference' }, rows.map((r) => h('div', { class: 'metric', 'data-metric': r.key, 'data-collected': String(!r.notCollected) },
      h('dt', { text: r.label }),
      h('dd', { text: r.text }),
      r.notCollected ? h('span', { class: 'hint', text: r.reason }) : null,
      r.key === 'kv-cache' ? kvBar(kv) : null))),
    successBlock(inference)]);
}

/// Success rate per model (5 min): a small table, or why there is none.
function successBlock(inf) {
  const rows = successRows(inf);
  const missing = Array.isArray(inf.notCollected) && inf.notCollected.includes('successByModel');
  return h('div', { class: 'inference-success', id: 'inference-success', 'data-metric': 'success-rate', 'data-collected': String(rows !== null) },
    h('h4', { id: 'inference-success-title', text: 'Success rate by model (5 min)' }),
    rows === null
      ? h('p', { class: 'note', text: missing ? 'Not collected by this node’s exporter.' : 'Not collected.' })
      : rows.length === 0
        ? h('p', { class: 'note', text: 'No model reported finished requests.' })
        : [h('table', { 'aria-labelledby': 'inference-success-title' },
          h('thead', {}, h('tr', {}, ['Model', 'Success', 'Finished req/s'].map((t) => h('th', { scope: 'col', text: t })))),
          h('tbody', {}, rows.map((r) => h('tr', { 'data-model': r.model, 'data-health': r.health },
            h('td', { class: 'mono', text: r.model }), h('td', { text: r.success }), h('td', { text: r.rate }))))),
        h('p', { class: 'note', text: `Success = finished requests that neither aborted nor errored; below ${SUCCESS_ALERT_PCT} % VLLMRequestSuccessRateLow fires.` })]);
}

function kvBar(pct) {
  const fill = h('div', { class: 'quota-fill' });
  if (pct !== null) fill.style.width = `${Math.max(0, Math.min(100, pct))}%`;
  return h('div', { class: 'quota kv', id: 'kv-bar', 'data-level': kvLevel(pct), role: 'meter', 'aria-label': 'KV cache used',
    'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct ?? 0) }, fill);
}

/// KV-cache bar level: amber from 80 %, red from 95 %.
export function kvLevel(pct) {
  if (!finite(pct)) return 'unknown';
  return pct >= 95 ? 'red' : pct >= 80 ? 'amber' : 'ok';
}

/// The success rate below which `VLLMRequestSuccessRateLow` fires (more than 1 % abort or error).
const SUCCESS_ALERT_PCT = 99;

/// "2.5 s" from the objective in ms; null when the server sent none.
export function objectiveText(ms) {
  return finite(ms) && ms > 0 ? `${Number((ms / 1000).toFixed(3))} s` : null;
}

/// The success-rate table's rows ({model, success, rate, health}); null when not collected (or an
/// older server sent no `successByModel`). A model with no finished request shows "—", not 100 %.
export function successRows(inf) {
  if (!inf || typeof inf !== 'object' || !Array.isArray(inf.successByModel)) return null;
  return inf.successByModel.filter((m) => m && typeof m === 'object').map((m) => ({
    model: typeof m.model === 'string' && m.model ? m.model : '(no model_name)',
    success: num(finite(m.successPct) ? m.successPct : null, 2, ' %'),
    rate: !finite(m.requestsPerSec) ? dash : m.requestsPerSec === 0 ? '0' : m.requestsPerSec < 0.01 ? '<0.01' : num(m.requestsPerSec, 2),
    health: !finite(m.successPct) ? 'unknown' : m.successPct < SUCCESS_ALERT_PCT ? 'degraded' : 'healthy',
  }));
}

/// The vLLM golden signals as [key, label, text, collected] rows; null when the block is absent.
export function inferenceRows(inf) {
  if (!inf || typeof inf !== 'object') return null;
  const missing = new Set(Array.isArray(inf.notCollected) ? inf.notCollected : []);
  const v = (k) => (finite(inf[k]) ? inf[k] : null);
  const pair = (a, b, digits, unit) => (v(a) === null && v(b) === null ? dash : `${num(v(a), digits)} / ${num(v(b), digits)}${unit}`);
  const objective = objectiveText(inf.ttftObjectiveMs);
  const rows = [
    ['ttft', 'TTFT p95 / p99', pair('ttftP95Ms', 'ttftP99Ms', 0, ' ms'), ['ttftP95Ms', 'ttftP99Ms']],
    ['ttft-over-objective', objective ? `Requests over the ${objective} TTFT objective` : 'Requests over the TTFT objective',
      num(v('ttftOverObjectivePct'), 1, ' %'), ['ttftOverObjectivePct']],
    ['tpot', 'TPOT', num(v('tpotMs'), 1, ' ms'), ['tpotMs']],
    ['itl-p99', 'ITL p99', num(v('itlP99Ms'), 1, ' ms'), ['itlP99Ms']],
    ['requests', 'Running / waiting', pair('requestsRunning', 'requestsWaiting', 0, ''), ['requestsRunning', 'requestsWaiting']],
    ['kv-cache', 'KV cache', num(v('kvCachePct'), 1, ' %'), ['kvCachePct']],
    ['preemptions', 'Preemptions / min', num(v('preemptionsPerMin'), 1), ['preemptionsPerMin']],
    ['prefix-cache', 'Prefix-cache hits', num(v('prefixCacheHitPct'), 1, ' %'), ['prefixCacheHitPct']],
    ['tokens', 'Tokens/s in / out', pair('promptTokensPerSec', 'generationTokensPerSec', 0, ''), ['promptTokensPerSec', 'generationTokensPerSec']],
    ['tokens-per-gpu', 'Output tokens/s per GPU', num(v('generationTokensPerSecPerGPU'), 0), ['generationTokensPerSecPerGPU'],
      v('generationTokensPerSec') !== null ? 'GPU count unknown' : null],
  ];
  return rows.map(([key, label, text, fields, why]) => ({
    key, label, text,
    notCollected: fields.every((f) => v(f) === null),
    reason: fields.some((f) => missing.has(f)) ? 'not collected by this node’s exporter' : why ?? 'not collected',
  }));
}
