// "Inference (vLLM)" golden signals on a node's detail: TTFT p95/p99, TPOT, running/waiting,
// KV cache (bar: amber from 80 %, red from 95 %), preemptions, prefix-cache hits, tokens/s.
// The section is hidden when the node detail carries no `inference` block (or `null`).
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
      r.key === 'kv-cache' ? kvBar(kv) : null)))]);
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

/// The vLLM golden signals as [key, label, text, collected] rows; null when the block is absent.
export function inferenceRows(inf) {
  if (!inf || typeof inf !== 'object') return null;
  const missing = new Set(Array.isArray(inf.notCollected) ? inf.notCollected : []);
  const v = (k) => (finite(inf[k]) ? inf[k] : null);
  const pair = (a, b, digits, unit) => (v(a) === null && v(b) === null ? dash : `${num(v(a), digits)} / ${num(v(b), digits)}${unit}`);
  const rows = [
    ['ttft', 'TTFT p95 / p99', pair('ttftP95Ms', 'ttftP99Ms', 0, ' ms'), ['ttftP95Ms', 'ttftP99Ms']],
    ['tpot', 'TPOT', num(v('tpotMs'), 1, ' ms'), ['tpotMs']],
    ['requests', 'Running / waiting', pair('requestsRunning', 'requestsWaiting', 0, ''), ['requestsRunning', 'requestsWaiting']],
    ['kv-cache', 'KV cache', num(v('kvCachePct'), 1, ' %'), ['kvCachePct']],
    ['preemptions', 'Preemptions / min', num(v('preemptionsPerMin'), 1), ['preemptionsPerMin']],
    ['prefix-cache', 'Prefix-cache hits', num(v('prefixCacheHitPct'), 1, ' %'), ['prefixCacheHitPct']],
    ['tokens', 'Tokens/s in / out', pair('promptTokensPerSec', 'generationTokensPerSec', 0, ''), ['promptTokensPerSec', 'generationTokensPerSec']],
  ];
  return rows.map(([key, label, text, fields]) => ({
    key, label, text,
    notCollected: fields.every((f) => v(f) === null),
    reason: fields.some((f) => missing.has(f)) ? 'not collected by this node’s exporter' : 'not collected',
  }));
}
