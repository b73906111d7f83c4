// The site operator's fleet view (role "operator"): every tenant with its role and health pill,
// its nodes grouped by pool (dedicated first), the fleet's counts; the home view puts the fleet's
// firing alerts and reliability beside it and the management console below it.
import { h, patch } from '../dom.js';
import { healthKey, healthLabel } from '../format.js';
import { nodeCard } from './card.js';

export function fleetSection() {
  return h('section', { 'aria-labelledby': 'fleet-title', id: 'fleet' },
    h('h2', { id: 'fleet-title', text: 'Fleet' }),
    h('p', { class: 'note', id: 'fleet-counts' }),
    h('div', { id: 'fleet-tenants', class: 'fleet-tenants' }));
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/// Fills the fleet from the overview (`fleet`), with live health from the newer summary.
export function fillFleet(state) {
  const box = document.getElementById('fleet-tenants');
  const fleet = state.overview.fleet;
  if (!box || !fleet) return;
  const live = new Map((state.summary?.nodes ?? []).map((n) => [n.id, n]));
  document.getElementById('fleet-counts').textContent =
    `${plural(fleet.nodeCount, 'node')} · ${plural(fleet.gpuCount, 'GPU')} · ${plural(fleet.tenants.length, 'tenant')} · ${plural(fleet.pools.length, 'pool')}`;
  patch(box, fleet.tenants.map((t) => tenantGroup(t, live, fleet.pools)));
}

function tenantGroup(t, live, pools) {
  // The tenant's pill follows the live summary like its cards do.
  const states = t.nodes.map((n) => healthKey(live.get(n.id)?.health ?? n.health));
  const health = t.nodes.length === 0 ? 'unknown' : worst(states, t.health);
  const groups = new Map();
  for (const node of t.nodes) {
    const key = node.pool ?? '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(node);
  }
  const order = [...groups.keys()].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
  const title = t.displayName && t.displayName !== t.tenant ? `${t.displayName} (${t.tenant})` : t.tenant;
  const facts = [plural(t.users, 'user')];
  if (t.subscribesTo.length) facts.push(`draws on ${t.subscribesTo.map((p) => `pool ${p}`).join(', ')}`);
  if (!t.nodes.length && !t.subscribesTo.length) facts.push('no hardware and no subscription yet');
  return h('section', { class: 'panel tenant-group', 'data-key': t.tenant, 'data-tenant': t.tenant, 'data-health': health, 'aria-label': `tenant ${t.tenant}` },
    h('h3', { class: 'tenant-title' },
      h('span', { text: title }), ' ',
      h('span', { class: 'badge role', text: t.role }), ' ',
      h('span', { class: 'pill tenant-pill', 'data-health': health, 'aria-label': `${t.tenant} health: ${healthLabel(health)}`, text: healthLabel(health) })),
    h('p', { class: 'note', text: facts.join(' · ') }),
    t.reason ? h('p', { class: 'note stale-note', role: 'status', text: `Not current: ${t.reason}` }) : null,
    order.map((pool) => h('div', { class: 'pool-group', 'data-pool': pool || null },
      h('h4', { text: pool ? `Pool ${pool}${poolLine(pools, pool)}` : 'Dedicated' }),
      h('ul', { class: 'cards' }, groups.get(pool).map((n) => nodeCard(n, live.get(n.id)))))));
}

function poolLine(pools, name) {
  const pool = pools.find((p) => p.pool === name);
  return pool ? ` · ${plural(pool.consumers, 'consumer')}` : '';
}

const RANK = { critical: 0, degraded: 1, unknown: 2, healthy: 3 };
function worst(states, fallback) {
  if (!states.length) return healthKey(fallback);
  return states.reduce((a, b) => (RANK[b] < RANK[a] ? b : a));
}
