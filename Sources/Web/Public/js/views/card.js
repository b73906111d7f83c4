// One node card (the overview's grid, the operator's fleet view): health from the newer summary
// when it has the node (`live`), else from the overview's card.
import { h } from '../dom.js';
import { num, healthKey, healthLabel, agentLine } from '../format.js';

export function nodeCard(node, live = {}) {
  const health = healthKey(live.health ?? node.health);
  const card = h('a', { class: 'card', href: `#/nodes/${encodeURIComponent(node.id)}`, 'data-node': node.id, 'data-health': health },
    h('span', { class: 'title' }, h('span', { text: node.id }),
      h('span', {}, h('span', { class: 'dot', 'data-health': health, 'aria-hidden': 'true' }), ' ', h('span', { class: 'health-text', text: healthLabel(health) }))),
    h('span', { class: 'sub', text: `${node.model} · ${node.gpuCount} GPU${node.gpuCount === 1 ? '' : 's'}` }),
    h('span', { class: 'sub mono', text: node.host }),
    agentLine(node) ? h('span', { class: 'sub agent', 'data-agent': node.agentVersion, text: agentLine(node) }) : null,
    h('dl', {},
      h('div', {}, h('dt', { text: 'Utilisation' }), h('dd', { text: num(live.utilisationPct ?? node.utilisationPct, 0, ' %') })),
      h('div', {}, h('dt', { text: 'Temperature' }), h('dd', { text: num(live.temperatureC ?? node.temperatureC, 0, ' °C') })),
      h('div', {}, h('dt', { text: 'VRAM' }), h('dd', { text: num(node.vramPct, 0, ' %') }))),
    h('p', { class: 'summary', text: live.summary ?? node.summary }));
  return h('li', { 'data-key': node.id }, card);
}
