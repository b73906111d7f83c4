// Number and label formatting shared by the views. Unknown values are shown as "—", never 0.
export const dash = '—';

export function num(value, digits = 0, unit = '') {
  if (value === null || value === undefined || Number.isNaN(value)) return dash;
  return `${Number(value).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })}${unit}`;
}

export function compact(value) {
  if (value === null || value === undefined) return dash;
  return Number(value).toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 1 });
}

export const healthLabel = (h) => ({ healthy: 'Healthy', degraded: 'Degraded', critical: 'Critical' }[h] ?? 'Unknown');
export const healthKey = (h) => (['healthy', 'degraded', 'critical'].includes(h) ? h : 'unknown');

export function gpuIndex(gpu) {
  if (gpu === null || gpu === undefined) return null;
  if (typeof gpu === 'object') return gpu.value ?? gpu.rawValue ?? gpu.index ?? null;
  return gpu;
}

export const actionLabel = (a) => ({
  'none': 'No action needed', 'watch': 'Watch', 'enable-field': 'Enable the field in the exporter',
  'check-exporter': 'Check the exporter', 'check-workload': 'Check the workload', 'restart-app': 'Restart the application',
  'check-cooling': 'Check cooling', 'schedule-reset': 'Schedule a GPU reset', 'reset-gpu': 'Reset the GPU',
  'drain': 'Drain the node', 'reboot-node': 'Reboot the node', 'inspect-hardware': 'Inspect the hardware',
}[a] ?? a);

export function ago(date) {
  if (!date) return '';
  const s = Math.max(0, Math.round((Date.now() - date.getTime()) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/// "agent 0.3.0 · seen 4 s ago" for a node an enrolled agent reports; null for a node registered by hand.
export function agentLine(node) {
  if (!node?.agentVersion) return null;
  const seen = node.agentLastSeen ? new Date(node.agentLastSeen) : null;
  const fresh = seen && !Number.isNaN(seen.getTime()) ? ` · seen ${ago(seen)}` : '';
  return `agent ${node.agentVersion}${fresh}`;
}

export function when(iso) {
  if (!iso) return dash;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? dash : d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/// Quota bar level: amber from 75 %, red from 90 % of the limit; unknown when either is unknown.
export function quotaLevel(used, limit) {
  if (used === null || used === undefined || !limit) return 'unknown';
  const pct = (used / limit) * 100;
  return pct >= 90 ? 'red' : pct >= 75 ? 'amber' : 'ok';
}
