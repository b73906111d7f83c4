// "Inference (vLLM)" golden signals on a node's detail: TTFT p95/p99, TPOT, running/waiting,
// KV cache (bar: amber from 80 %, red from 95 %), preemptions, prefix-cache hits, tokens/s.
// The section is hidden when the node detail carries no `inference` block (or `null`).
import { h, clear } from '../dom.js';
import { inferenceRows, kvLevel } from '../loadtest.js';

export function renderInference(section, inference) {
  const rows = inferenceRows(inference);
  section.hidden = !rows;
  if (!rows) { clear(section); return; }
  const kv = typeof inference.kvCachePct === 'number' && Number.isFinite(inference.kvCachePct) ? inference.kvCachePct : null;
  const model = typeof inference.model === 'string' && inference.model ? inference.model : null;
  clear(section).append(
    h('h3', { id: 'inference-title', text: 'Inference (vLLM)' }),
    model ? h('p', { class: 'note mono', id: 'inference-model', text: model }) : null,
    h('dl', { class: 'metrics inference' }, rows.map((r) => h('div', { class: 'metric', 'data-metric': r.key, 'data-collected': String(!r.notCollected) },
      h('dt', { text: r.label }),
      h('dd', { text: r.text }),
      r.notCollected ? h('span', { class: 'hint', text: r.reason }) : null,
      r.key === 'kv-cache' ? kvBar(kv) : null))));
}

function kvBar(pct) {
  const fill = h('div', { class: 'quota-fill' });
  if (pct !== null) fill.style.width = `${Math.max(0, Math.min(100, pct))}%`;
  return h('div', { class: 'quota kv', id: 'kv-bar', 'data-level': kvLevel(pct), role: 'meter', 'aria-label': 'KV cache used',
    'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct ?? 0) }, fill);
}
