// The site operator's management console on the overview: tenants, pools, subscriptions, users
// and keys, nodes, the audit log and "Connect a GPU". Every action is one call of the admin API
// (docs/ROLES.md); the server decides and audits, the page shows its answer — including a 409's
// reason when a removal must wait for something else to go first. Removals take a second click.
import { api } from '../api.js';
import { h } from '../dom.js';
import { when } from '../format.js';

const TABS = [
  ['tenants', 'Tenants'], ['pools', 'Pools'], ['subscriptions', 'Subscriptions'], ['users', 'Users & keys'],
  ['nodes', 'Nodes'], ['audit', 'Audit log'], ['connect', 'Connect a GPU'],
];
const enc = encodeURIComponent;

export function consolePanel({ me }) {
  const panel = { stopped: false, tab: null, seq: 0 };
  const status = h('p', { class: 'note console-status', id: 'console-status', role: 'status', 'aria-live': 'polite' });
  const body = h('div', { id: 'console-body', role: 'tabpanel' });
  const buttons = TABS.map(([key, label]) => h('button', {
    type: 'button', class: 'tab', role: 'tab', id: `console-tab-${key}`, 'data-tab': key, 'aria-controls': 'console-body',
    onclick: () => show(key),
  }, label));
  const element = h('section', { class: 'panel console', id: 'console-panel', 'aria-labelledby': 'console-title' },
    h('h2', { id: 'console-title', text: 'Manage the site' }),
    h('p', { class: 'note', text: `Signed in as ${me?.user?.name ?? 'a site operator'}. Every change is written to the audit log.` }),
    h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Management' }, buttons),
    status, body);

  const ctx = {
    say(message, error = false) {
      status.textContent = message ?? '';
      status.classList.toggle('error', error);
      status.dataset.kind = error ? 'error' : 'ok';
    },
    reload: () => show(panel.tab, false),
  };

  async function show(key, clearStatus = true) {
    if (panel.stopped) return;
    panel.tab = key;
    const seq = ++panel.seq;
    for (const b of buttons) b.setAttribute('aria-selected', String(b.dataset.tab === key));
    if (clearStatus) ctx.say('');
    body.setAttribute('aria-busy', 'true');
    const box = h('div', { class: 'console-tab', 'data-tab': key });
    try {
      await RENDER[key](box, ctx);
      if (seq !== panel.seq || panel.stopped) return;
      body.replaceChildren(box);
    } catch (error) {
      if (seq !== panel.seq || panel.stopped) return;
      body.replaceChildren(h('p', { class: 'error', role: 'alert', text: `This list cannot be read: ${error.message}` }));
    } finally {
      if (seq === panel.seq) body.removeAttribute('aria-busy');
    }
  }

  show('tenants');
  return { element, update: () => {}, stop: () => { panel.stopped = true; } };
}

// ---------------------------------------------------------------- building blocks

function table(id, headers, rows, empty) {
  if (!rows.length) return h('p', { class: 'note', id, text: empty });
  return h('table', { id, class: 'console-table' },
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, rows.map(({ key, cells }) => h('tr', { 'data-key': key }, cells.map((c) => h('td', {}, c))))));
}

/// A form whose `submit(values)` calls the API and returns what to say; the list reloads after.
function form(id, legend, fields, submit, ctx, label = legend) {
  const inputs = fields.map((f) => {
    const attrs = { id: `${id}-${f.name}`, name: f.name, required: f.required, placeholder: f.placeholder };
    const input = f.options
      ? h('select', attrs, f.options.map(([value, text]) => h('option', { value, text })))
      : h('input', { ...attrs, type: f.type ?? 'text', min: f.min, value: f.value, spellcheck: 'false', autocomplete: 'off' });
    return [f, input];
  });
  const button = h('button', { type: 'submit', text: label });
  const element = h('form', { id, class: 'console-form', autocomplete: 'off' },
    h('fieldset', {}, h('legend', { text: legend }),
      inputs.map(([f, input]) => h('label', { for: input.id }, h('span', { text: f.label }), input)),
      button));
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(inputs.map(([f, input]) => [f.name, input.value.trim()]));
    button.disabled = true;
    try {
      const message = await submit(values);
      ctx.say(message);
      await ctx.reload();
    } catch (error) {
      ctx.say(error.message, true);
    } finally {
      button.disabled = false;
    }
  });
  return element;
}

/// A removal button: the first click asks, the second (within 6 s) removes.
function removeButton(what, remove, ctx) {
  let armed = null;
  const button = h('button', { type: 'button', class: 'control remove', 'aria-label': `Remove ${what}`, text: 'Remove' });
  button.addEventListener('click', async () => {
    if (!armed) {
      button.textContent = 'Confirm removal';
      button.classList.add('danger');
      armed = setTimeout(() => { armed = null; button.textContent = 'Remove'; button.classList.remove('danger'); }, 6000);
      return;
    }
    clearTimeout(armed);
    armed = null;
    button.disabled = true;
    try {
      await remove();
      ctx.say(`Removed ${what}.`);
      await ctx.reload();
    } catch (error) {
      ctx.say(`${what[0].toUpperCase()}${what.slice(1)} was not removed: ${error.message}`, true);
      button.disabled = false;
      button.textContent = 'Remove';
      button.classList.remove('danger');
    }
  });
  return button;
}

const mono = (text) => h('span', { class: 'mono', text });
const options = (items, blank) => [...(blank ? [['', blank]] : []), ...items.map((v) => [v, v])];
const NAME = 'lower-case letters, digits and dashes';

// ---------------------------------------------------------------- tabs

const RENDER = {
  async tenants(box, ctx) {
    const tenants = await api('admin/tenants');
    box.append(
      table('tenants-table', ['Tenant', 'Display name', 'Created', ''], tenants.map((t) => ({
        key: t.name,
        cells: [mono(t.name), t.displayName, when(t.createdAt), removeButton(`tenant ${t.name}`, () => api(`admin/tenants/${enc(t.name)}`, { method: 'DELETE' }), ctx)],
      })), 'No tenant yet.'),
      h('p', { class: 'note', text: 'A tenant can be removed once its nodes and subscriptions are gone; its users and keys go with it, its usage history stays.' }),
      form('tenant-form', 'Create a tenant', [
        { name: 'name', label: 'Name', required: true, placeholder: NAME },
        { name: 'displayName', label: 'Display name' },
      ], async (v) => {
        await api('admin/tenants', { method: 'POST', body: { name: v.name, displayName: v.displayName || undefined } });
        return `Created tenant ${v.name}.`;
      }, ctx, 'Create tenant'));
  },

  async pools(box, ctx) {
    const pools = await api('admin/pools');
    box.append(
      table('pools-table', ['Pool', 'Display name', 'Created', ''], pools.map((p) => ({
        key: p.name,
        cells: [mono(p.name), p.displayName, when(p.createdAt), removeButton(`pool ${p.name}`, () => api(`admin/pools/${enc(p.name)}`, { method: 'DELETE' }), ctx)],
      })), 'No pool yet.'),
      form('pool-form', 'Create a pool', [
        { name: 'name', label: 'Name', required: true, placeholder: NAME },
        { name: 'displayName', label: 'Display name' },
      ], async (v) => {
        await api('admin/pools', { method: 'POST', body: { name: v.name, displayName: v.displayName || undefined } });
        return `Created pool ${v.name}.`;
      }, ctx, 'Create pool'));
  },

  async subscriptions(box, ctx) {
    const [subscriptions, tenants, pools] = await Promise.all([api('admin/subscriptions'), api('admin/tenants'), api('admin/pools')]);
    box.append(
      table('subscriptions-table', ['Tenant', 'Pool', 'Plan', 'Token quota', 'Period', 'Created', ''], subscriptions.map((s) => ({
        key: s.id,
        cells: [mono(s.tenant), mono(s.pool), s.plan, Number(s.tokenQuota).toLocaleString('en-US'), s.period, when(s.createdAt),
          removeButton(`the subscription of ${s.tenant} to ${s.pool}`, () => api(`admin/subscriptions/${enc(s.id)}`, { method: 'DELETE' }), ctx)],
      })), 'No subscription yet.'),
      form('subscription-form', 'Subscribe a tenant to a pool', [
        { name: 'tenant', label: 'Tenant', required: true, options: options(tenants.map((t) => t.name), 'choose…') },
        { name: 'pool', label: 'Pool', required: true, options: options(pools.map((p) => p.name), 'choose…') },
        { name: 'plan', label: 'Plan', required: true, placeholder: 'e.g. standard' },
        { name: 'tokenQuota', label: 'Token quota', type: 'number', min: '0', required: true, value: '1000000' },
        { name: 'period', label: 'Period', options: options(['month', 'week', 'day']) },
      ], async (v) => {
        const quota = Number(v.tokenQuota);
        if (!Number.isInteger(quota) || quota < 0) throw new Error('The token quota must be a whole number, 0 or more.');
        await api('admin/subscriptions', { method: 'POST', body: { tenant: v.tenant, pool: v.pool, plan: v.plan, tokenQuota: quota, period: v.period } });
        return `Subscribed ${v.tenant} to pool ${v.pool}.`;
      }, ctx, 'Subscribe'));
  },

  async users(box, ctx) {
    const [users, tenants] = await Promise.all([api('admin/users'), api('admin/tenants')]);
    const keys = h('div', { id: 'keys-slot' });
    box.append(
      table('users-table', ['User', 'Tenant', 'Kind', 'Created', '', ''], users.map((u) => ({
        key: u.id,
        cells: [mono(u.name), u.tenant ?? '—', u.kind, when(u.createdAt),
          h('button', { type: 'button', class: 'control keys', 'aria-label': `Keys of ${u.name}`, text: 'Keys', onclick: () => showKeys(keys, u, ctx) }),
          removeButton(`user ${u.name}`, () => api(`admin/users/${enc(u.id)}`, { method: 'DELETE' }), ctx)],
      })), 'No user yet.'),
      keys,
      form('user-form', 'Create a user', [
        { name: 'name', label: 'Name', required: true, placeholder: NAME },
        { name: 'kind', label: 'Kind', options: options(['tenant-admin', 'tenant-member', 'site-operator']) },
        { name: 'tenant', label: 'Tenant', options: options(tenants.map((t) => t.name), 'none (site operators)') },
      ], async (v) => {
        await api('admin/users', { method: 'POST', body: { name: v.name, kind: v.kind, tenant: v.tenant || undefined } });
        return `Created user ${v.name}. Open its keys to give it an API key.`;
      }, ctx, 'Create user'));
  },

  async nodes(box, ctx) {
    const nodes = await api('admin/nodes');
    box.append(
      table('nodes-table', ['Node', 'Tenant', 'Pool', 'GPUs', 'Class', 'Agent', ''], nodes.map((n) => ({
        key: n.name,
        cells: [h('a', { class: 'mono', href: `#/nodes/${enc(n.name)}`, text: n.name }), mono(n.tenant), n.pool ? mono(n.pool) : 'dedicated',
          `${n.gpuCount} × ${n.gpuModel}`, n.gpuClass, n.agentVersion ? `agent ${n.agentVersion}` : 'registered by hand',
          removeButton(`node ${n.name}`, () => api(`admin/nodes/${enc(n.name)}`, { method: 'DELETE' }), ctx)],
      })), 'No node yet: connect a GPU.'),
      h('p', { class: 'note', text: 'A removed node leaves Prometheus\'s service discovery at once; its events, runs and usage history stay (docs/ROLES.md).' }));
  },

  async audit(box, ctx) {
    const filters = h('form', { id: 'audit-filters', class: 'console-form', autocomplete: 'off' },
      h('fieldset', {}, h('legend', { text: 'Filter' }),
        ['actor', 'action', 'target'].map((name) => h('label', { for: `audit-${name}` }, h('span', { text: name[0].toUpperCase() + name.slice(1) }),
          h('input', { id: `audit-${name}`, name, placeholder: { actor: 'user name', action: 'e.g. key.revoke or node.', target: 'name or id' }[name] }))),
        h('label', { for: 'audit-since' }, h('span', { text: 'Since' }), h('input', { id: 'audit-since', name: 'since', type: 'datetime-local' })),
        h('button', { type: 'submit', text: 'Show' })));
    const list = h('div', { id: 'audit-list' });
    const more = h('button', { type: 'button', class: 'control', id: 'audit-more', hidden: true, text: 'Older entries' });
    let last = null;
    async function load(append) {
      const query = new URLSearchParams({ limit: '50' });
      for (const name of ['actor', 'action', 'target']) {
        const value = filters.elements[name].value.trim();
        if (value) query.set(name, value);
      }
      const since = filters.elements.since.value;
      if (since) query.set('since', new Date(since).toISOString());
      if (append && last) query.set('before', String(last));
      try {
        const entries = await api(`admin/audit?${query}`);
        last = entries.length ? entries[entries.length - 1].id : last;
        const rows = entries.map((e) => h('tr', { 'data-key': String(e.id), 'data-action': e.action },
          h('td', { class: 'nowrap', text: when(e.at) }), h('td', { text: e.actor }), h('td', { class: 'mono', text: e.action }),
          h('td', { class: 'mono', text: e.target }), h('td', { class: 'mono detail', text: e.detail === '{}' ? '' : e.detail })));
        const body = list.querySelector('tbody');
        if (append && body) body.append(...rows);
        else list.replaceChildren(rows.length
          ? h('table', { id: 'audit-table', class: 'console-table' },
            h('thead', {}, h('tr', {}, ['Time', 'Actor', 'Action', 'Target', 'Detail'].map((t) => h('th', { scope: 'col', text: t })))),
            h('tbody', {}, rows))
          : h('p', { class: 'note', id: 'audit-table', text: 'No entry matches.' }));
        more.hidden = entries.length < 50;
        if (!append) ctx.say('');
      } catch (error) {
        ctx.say(`The audit log cannot be read: ${error.message}`, true);
      }
    }
    filters.addEventListener('submit', (event) => { event.preventDefault(); load(false); });
    more.addEventListener('click', () => load(true));
    box.append(filters, list, more);
    await load(false);
  },

  async connect(box, ctx) {
    const [tenants, pools] = await Promise.all([api('admin/tenants'), api('admin/pools')]);
    const result = h('div', { id: 'enrol-result', 'aria-live': 'polite' });
    box.append(
      h('p', { text: 'Mint a one-time enrolment token and run the one command on the GPU host: the agent reads NVML, serves the DCGM-named metrics, registers the node for the tenant and appears in service discovery at once (docs/AGENT.md).' }),
      form('enrol-form', 'Connect a GPU host', [
        { name: 'tenant', label: 'Tenant', required: true, options: options(tenants.map((t) => t.name), 'choose…') },
        { name: 'pool', label: 'Pool', options: options(pools.map((p) => p.name), 'dedicated (no pool)') },
        { name: 'ttl', label: 'Token valid for', options: [['3600', '1 hour'], ['86400', '1 day'], ['604800', '7 days']] },
      ], async (v) => {
        const created = await api('admin/nodes/enroll-tokens', { method: 'POST', body: { tenant: v.tenant, pool: v.pool || undefined, ttlSeconds: Number(v.ttl) } });
        result.replaceChildren(
          h('p', { text: `Run this on the GPU host before ${when(created.expiresAt)}; the token works once and is shown only now.` }),
          h('pre', { class: 'command', id: 'enrol-command', tabindex: '0', text: created.command }));
        return `Enrolment token minted for ${created.tenant}${created.pool ? ` (pool ${created.pool})` : ''}.`;
      }, { ...ctx, reload: async () => {} }, 'Mint token'),
      result,
      h('h3', { text: 'Without the agent' }),
      h('p', { text: 'A host that already runs dcgm-exporter (and vLLM) is registered through POST /api/v1/admin/nodes; Prometheus finds every registered node through the service-discovery endpoint, with its tenant and pool labels set by the server:' }),
      h('pre', { class: 'command', id: 'sd-config', tabindex: '0', text: sdConfig(location.origin) }));
  },
};

async function showKeys(slot, user, ctx) {
  const box = h('section', { class: 'keys', id: 'keys-panel', 'data-user': user.id, 'aria-label': `API keys of ${user.name}` });
  const render = async (message) => {
    const keys = await api(`admin/users/${enc(user.id)}/keys`);
    const created = h('div', { id: 'new-key', 'aria-live': 'polite' });
    box.replaceChildren(
      h('h3', { text: `API keys of ${user.name}` }),
      table('keys-table', ['Prefix', 'Label', 'Created', 'Last used', 'State', ''], keys.map((k) => ({
        key: k.id,
        cells: [mono(k.prefix), k.label || '—', when(k.createdAt), k.lastUsedAt ? when(k.lastUsedAt) : 'never',
          h('span', { class: 'key-state', 'data-state': k.revokedAt ? 'revoked' : 'active', text: k.revokedAt ? `revoked ${when(k.revokedAt)}` : 'active' }),
          k.revokedAt ? '' : h('button', { type: 'button', class: 'control revoke', 'aria-label': `Revoke key ${k.prefix}`, text: 'Revoke',
            onclick: async (event) => {
              event.target.disabled = true;
              try {
                await api(`admin/keys/${enc(k.id)}`, { method: 'DELETE' });
                ctx.say(`Revoked key ${k.prefix}: it stops working at once, and pages signed in with it are signed out.`);
                await render();
              } catch (error) {
                ctx.say(`The key was not revoked: ${error.message}`, true);
                event.target.disabled = false;
              }
            } })],
      })), 'This user has no key yet.'),
      form('key-form', 'Create an API key', [{ name: 'label', label: 'Label', placeholder: 'what it is for' }], async (v) => {
        const key = await api(`admin/users/${enc(user.id)}/keys`, { method: 'POST', body: { label: v.label || undefined } });
        await render();
        box.querySelector('#new-key').replaceChildren(
          h('p', { text: 'Copy the key now: it is shown only once. Give it to the user; it signs in to this page and calls the API.' }),
          h('pre', { class: 'command', id: 'new-key-value', tabindex: '0', text: key.apiKey }));
        return `Created key ${key.prefix} for ${user.name}.`;
      }, { ...ctx, reload: async () => {} }, 'Create key'),
      created);
    if (message) ctx.say(message);
  };
  slot.replaceChildren(box);
  try {
    await render();
  } catch (error) {
    ctx.say(`The keys of ${user.name} cannot be read: ${error.message}`, true);
  }
}

function sdConfig(origin) {
  return ['scrape_configs:', ...['dcgm', 'vllm'].flatMap((job) => [
    `  - job_name: ${job}`,
    '    http_sd_configs:',
    `      - url: ${origin}/sd/prometheus?exporter=${job}`,
    '        refresh_interval: 30s',
    '        authorization:',
    '          type: Bearer',
    '          credentials_file: /etc/prometheus/aifactory-sd-token',
  ])].join('\n');
}
