// Chart.js from Debian's libjs-chart.js (served under /vendor/chart.js/), loaded on first use.
// When it is missing the trend is shown as a table with a note instead.
import { h, clear } from './dom.js';
import { num } from './format.js';

let loading = null;

export function loadChart() {
  if (window.Chart) return Promise.resolve(window.Chart);
  if (!loading) {
    loading = new Promise((resolve) => {
      const script = document.createElement('script');
      script.src = '/vendor/chart.js/chart.min.js';
      script.onload = () => resolve(window.Chart ?? null);
      script.onerror = () => resolve(null);
      document.head.append(script);
    });
  }
  return loading;
}

const colours = ['#58a6ff', '#3fb950', '#d29922', '#bc8cff', '#f85149', '#39c5cf', '#ff7b72', '#e3b341'];

function timeLabel(seconds, rangeSeconds) {
  const d = new Date(seconds * 1000);
  return rangeSeconds > 86400
    ? d.toLocaleDateString('en-GB', { day: '2-digit', month: 'short' }) + ' ' + d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

/// Draws `trend` (the API's trend answer) into `box`, replacing what was there.
export async function drawTrend(box, trend, previous) {
  const Chart = await loadChart();
  const series = trend.series ?? [];
  const rangeSeconds = { '1h': 3600, '6h': 21600, '24h': 86400, '7d': 604800 }[trend.range] ?? 3600;
  if (!Chart) {
    previous?.destroy?.();
    clear(box);
    box.classList.remove('chart-box');
    const rows = [];
    for (const s of series) for (const [t, v] of s.points.slice(-12)) rows.push(h('tr', {}, h('td', { text: `GPU ${s.gpu}` }), h('td', { text: timeLabel(t, rangeSeconds) }), h('td', { text: num(v, 1, ` ${trend.unit}`) })));
    box.append(
      h('p', { class: 'note', text: 'Charts are unavailable (Chart.js is not installed on the server: apt-get install libjs-chart.js); showing the latest points as a table.' }),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', { text: 'GPU' }), h('th', { text: 'Time' }), h('th', { text: 'Value' }))), h('tbody', {}, rows)),
    );
    return null;
  }
  const datasets = series.map((s, i) => ({
    label: `GPU ${s.gpu}`,
    data: s.points.map(([t, v]) => ({ x: t, y: v })),
    borderColor: colours[i % colours.length],
    backgroundColor: colours[i % colours.length],
    pointRadius: 0,
    borderWidth: 2,
    tension: 0.2,
  }));
  // The x axis always spans the whole range ending now, so a young node's short history sits at
  // the right edge instead of being stretched across the chart.
  const max = Math.floor(Date.now() / 1000);
  const x = {
    type: 'linear', min: max - rangeSeconds, max,
    ticks: { stepSize: { 3600: 600, 21600: 3600, 86400: 14400, 604800: 86400 }[rangeSeconds], maxTicksLimit: 8, callback: (v) => timeLabel(v, rangeSeconds) },
  };
  if (previous && previous.canvas?.isConnected) {
    previous.data.datasets = datasets;
    previous.options.scales.y.title.text = trend.unit;
    previous.options.scales.x = x;
    previous.update('none');
    return previous;
  }
  previous?.destroy?.();
  clear(box);
  const canvas = h('canvas', { role: 'img', 'aria-label': `${trend.metric} over ${trend.range}` });
  box.append(canvas);
  Chart.defaults.color = '#9aa7b4';
  Chart.defaults.borderColor = '#2d3643';
  return new Chart(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x,
        y: { beginAtZero: true, title: { display: true, text: trend.unit } },
      },
      plugins: { legend: { display: datasets.length > 1 } },
    },
  });
}
