// Pure helpers for diagnostics (dcgmi diag and NCCL runs): labels, level hints, the live output
// tail, NCCL sizes and the bandwidth line. No DOM and no fetch, so the browser tests can check them
// with fixture JSON. The API is documented in docs/FACTORY-API.md "Diagnostics".
import { num, dash } from './format.js';

/// States in which a run still changes (polled while the panel shows it).
export const ACTIVE = ['queued', 'running'];
export const isActive = (run) => ACTIVE.includes(run?.state);

export const stateLabel = (s) => ({
  queued: 'Queued', running: 'Running', passed: 'Passed', failed: 'Failed', cancelled: 'Cancelled', 'timed-out': 'Timed out',
}[s] ?? 'Unknown');

/// A test's or a GPU's verdict (`pass`, `skip`, `warn`, `fail`).
export const statusLabel = (s) => ({ pass: 'Pass', skip: 'Skip', warn: 'Warn', fail: 'Fail' }[s] ?? 'Unknown');

/// The recovery action a report recommends (API values of `action`).
export const actionLabel = (a) => ({
  'none': 'No action needed', 'rerun': 'Rerun the diagnostic', 'check-configuration': 'Fix the host configuration',
  'reset-gpu': 'Reset the GPU', 'drain-node': 'Drain the node', 'reboot': 'Drain and reboot the node', 'rma': 'Drain and RMA the GPU',
}[a] ?? (a ? String(a) : dash));

/// `dcgmi diag -r N` levels: the picker's label and its one-line hint.
export const LEVELS = [
  { level: 1, label: 'r1 · quick', hint: 'r1 quick, about 1 min: deployment and software checks; the GPUs are not loaded.' },
  { level: 2, label: 'r2 · medium', hint: 'r2 medium, about 2–3 min: adds PCIe bandwidth, a GPU memory test and a short compute check.' },
  { level: 3, label: 'r3 · long', hint: 'r3 long, about 30 min: adds stress, targeted power and memory bandwidth tests; the node is fully loaded.' },
  { level: 4, label: 'r4 · extended', hint: 'r4 extended, about 1–2 h: adds the extended memory and hardware tests; plan a maintenance window.' },
];
export const NCCL_HINT = 'NCCL all_reduce_perf across every GPU of the node, 8 B to 256 MiB (about 1–3 min): bus bandwidth against what the GPU class should reach.';

export const levelHint = (level) => LEVELS.find((l) => l.level === Number(level))?.hint ?? '';

/// "dcgmi diag r2" or "NCCL all_reduce" for a run (or a form's {kind, level}).
export function kindLabel(run) {
  if (run?.kind === 'nccl') return 'NCCL all_reduce';
  if (run?.kind === 'dcgm') return Number.isInteger(run.level) ? `dcgmi diag r${run.level}` : 'dcgmi diag';
  return run?.kind ? String(run.kind) : dash;
}

/// The POST body for a form's values; `level` only for DCGM runs.
export function startBody(values, acknowledged) {
  const body = { node: values.node, kind: values.kind === 'nccl' ? 'nccl' : 'dcgm', acknowledged: acknowledged === true };
  if (body.kind === 'dcgm') body.level = Number(values.level) || 1;
  if (values.drain === true) body.drain = true;
  return body;
}

/// The last `lines` lines of a run's output (the live view), with how many lines came before.
export function outputTail(output, lines = 30) {
  const text = typeof output === 'string' ? output.replace(/\s+$/, '') : '';
  if (!text) return { text: '', hidden: 0 };
  const all = text.split('\n');
  const hidden = Math.max(0, all.length - lines);
  return { text: all.slice(hidden).join('\n'), hidden };
}

/// Bytes as nccl-tests sizes read: 8 B, 1 KiB, 256 MiB.
export function sizeLabel(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return dash;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes, unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${Number(value.toFixed(1)).toLocaleString('en-US')} ${units[unit]}`;
}

/// Output size for the raw-output summary: "1,249 bytes", "12.4 KiB".
export function bytesLabel(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return dash;
  return bytes < 10240 ? `${bytes.toLocaleString('en-US')} bytes` : sizeLabel(bytes);
}

export const gbps = (v) => num(v, 2, ' GB/s');

/// Seconds as "45 s", "3 min 20 s", "1 h 05 min".
export function secondsLabel(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return dash;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/// Time between two ISO times (or from one until `now`), as secondsLabel writes it.
export function duration(fromISO, toISO, now = new Date()) {
  const from = fromISO ? new Date(fromISO) : null;
  const to = toISO ? new Date(toISO) : now;
  if (!from || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return dash;
  return secondsLabel((to.getTime() - from.getTime()) / 1000);
}

/// The progress line of a queued or running run.
export function progressText(run, now = new Date()) {
  if (run?.state === 'queued') return `Queued for ${duration(run.createdAt, null, now)}: waiting for the node’s agent to pick it up.`;
  if (run?.state !== 'running') return '';
  const parts = [`Running for ${duration(run.startedAt ?? run.createdAt, null, now)}`];
  if (Number.isInteger(run.timeoutSeconds)) parts.push(`times out after ${secondsLabel(run.timeoutSeconds)}`);
  parts.push(`${bytesLabel(run.outputBytes ?? 0)} of output`);
  if (run.cancelRequested) parts.push('cancel requested');
  return parts.join(' · ');
}

/// The NCCL bandwidth line: the tool's average, the average over the bandwidth-bound sizes (from
/// 32 MiB up, what the server judges; the peak where no size got there) against the class's figure.
export function bandwidthText(nccl) {
  if (!nccl || typeof nccl !== 'object') return '';
  const known = (v) => typeof v === 'number' && Number.isFinite(v);
  const parts = [];
  if (known(nccl.averageBusBandwidth)) parts.push(`Average bus bandwidth ${gbps(nccl.averageBusBandwidth)} over all sizes`);
  if (known(nccl.bandwidthBoundBusBandwidth)) parts.push(`${gbps(nccl.bandwidthBoundBusBandwidth)} from 32 MiB up`);
  if (known(nccl.peakBusBandwidth)) parts.push(`peak ${gbps(nccl.peakBusBandwidth)}`);
  const expected = nccl.expectedBusBandwidth;
  if (known(expected) && expected > 0) {
    const link = { nvlink: 'NVLink', pcie: 'PCIe' }[nccl.interconnect] ?? nccl.interconnect;
    const judged = known(nccl.bandwidthBoundBusBandwidth) ? ['the sizes from 32 MiB up', nccl.bandwidthBoundBusBandwidth]
      : known(nccl.peakBusBandwidth) ? ['the peak', nccl.peakBusBandwidth] : null;
    parts.push(`expected ≥ ${gbps(expected)}${link ? ` over ${link}` : ''}${judged ? ` (${judged[0]} reach ${num((judged[1] / expected) * 100, 0)} % of it)` : ''}`);
  } else {
    parts.push('no expected figure for this GPU class');
  }
  return parts.join(' · ');
}

/// "#wrong" of one table row (either placement), or null when validation was off.
export function rowWrong(row) {
  const values = [row?.wrong, row?.inPlaceWrong].filter((v) => typeof v === 'number');
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

/// The GPU index of a per-GPU result, as text.
export const gpuLabel = (gpu) => (gpu === null || gpu === undefined ? dash : `GPU ${gpu}`);
