// The four charts, drawn with uPlot (served from its WebJar). Buckets with no traffic are drawn as zero (counts,
// spend) or as gaps (latency), over the whole chosen range.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { int, ms, usd } from './format.js';
import { providerColor } from './state.js';

const HEIGHT = 220;
const charts = new Map();
const resizer = new ResizeObserver((entries) => {
  for (const e of entries) {
    const c = charts.get(e.target.closest('figure').id);
    const width = Math.floor(e.contentRect.width);
    if (c && width > 0 && width !== c.u.width) c.u.setSize({ width, height: HEIGHT });
  }
});

/** Bucket starts covering [from, to), aligned as the usage API aligns them (UTC, from the epoch). */
export function bucketStarts(from, to, size) {
  const out = [];
  for (let t = Math.floor(from / size) * size; t < to; t += size) out.push(t);
  return out;
}

/** Mixes a colour with white: stacked areas are drawn opaque, each over the one above it. */
function tint(hex, amount) {
  const n = parseInt(hex.slice(1), 16);
  const mix = (c) => Math.round(c + (255 - c) * amount);
  return `rgb(${mix(n >> 16)}, ${mix((n >> 8) & 255)}, ${mix(n & 255)})`;
}

const AXIS = { stroke: '#374151', grid: { stroke: '#e5e7eb', width: 1 }, ticks: { stroke: '#d1d5db', width: 1 } };

/** Tick steps for counts: whole numbers only. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];

function options(series, yFormat, { counts = false } = {}) {
  const y = { ...AXIS, size: 68, values: (u, splits) => splits.map(yFormat) };
  if (counts) y.incrs = COUNT_STEPS;
  return {
    height: HEIGHT,
    padding: [12, 16, 0, 4],
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : counts ? 5 : 1] } },
    axes: [{ ...AXIS }, y],
    series: [{ label: 'Time' }, ...series],
  };
}

/**
 * Draws (or redraws) one chart. `points` counts the data points that carry something (non-null, non-zero): the
 * figure's data-points attribute, and the empty state when there are none.
 */
function draw(id, opts, data, points, summary) {
  const fig = document.getElementById(id);
  const host = fig.querySelector('.plot');
  const signature = opts.series.map((s) => s.label).join('|');
  let c = charts.get(id);
  if (!c || c.signature !== signature) {
    if (c) c.u.destroy();
    const width = Math.max(240, Math.floor(host.clientWidth || 600));
    c = { u: new uPlot({ ...opts, width }, data, host), signature };
    charts.set(id, c);
    resizer.observe(host);
  } else {
    c.u.setData(data);
  }
  fig.dataset.points = String(points);
  fig.dataset.buckets = String(data[0].length);
  fig.querySelector('.chart-empty').hidden = points > 0;
  host.setAttribute('aria-label', summary);
}

function nonEmpty(values) {
  return values.filter((v) => v !== null && v !== undefined && v !== 0).length;
}

/** Per-bucket values of one group, from a bucketed usage report. */
function series(report, group, starts, pick, empty) {
  const index = new Map(starts.map((t, i) => [t, i]));
  const out = starts.map(() => empty);
  for (const row of report.data) {
    if (row.group !== group) continue;
    const i = index.get(Date.parse(row.bucket_start));
    if (i !== undefined) out[i] = pick(row);
  }
  return out;
}

/** Spend per provider, stacked: the largest spender at the bottom; the legend shows each provider's own spend. */
export function drawSpend(report, starts) {
  const xs = starts.map((t) => t / 1000);
  const totals = new Map();
  for (const r of report.data) totals.set(r.group, (totals.get(r.group) ?? 0) + Number(r.spend_usd));
  const providers = [...totals.entries()].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).map(([g]) => g);
  const raw = providers.map((p) => series(report, p, starts, (r) => Number(r.spend_usd), 0));
  const stacked = raw.map((_, i) => starts.map((__, k) => raw.slice(0, i + 1).reduce((s, r) => s + r[k], 0)));
  // painted top band first, each lower band over it
  const order = providers.map((_, i) => i).reverse();
  const opts = options(order.map((i) => ({
    label: providers[i],
    stroke: providerColor(providers[i]),
    fill: tint(providerColor(providers[i]), 0.45),
    width: 1.5,
    points: { show: false },
    value: (u, v, si, idx) => (idx === null || idx === undefined ? '–' : usd(raw[i][idx])),
  })), (v) => usd(v));
  const points = raw.reduce((s, r) => s + nonEmpty(r), 0);
  const summary = providers.length
    ? `Spend per provider: ${providers.map((p) => `${p} ${usd(totals.get(p))}`).join(', ')}` : 'No spend in this range';
  draw('chart-spend', opts, [xs, ...order.map((i) => stacked[i])], points, summary);
}

/** One line per provider: the chosen latency percentile in each bucket (a gap where it answered nothing). */
export function drawLatency(report, starts, pct) {
  const xs = starts.map((t) => t / 1000);
  const providers = [...new Set(report.data.filter((r) => r.requests > 0).map((r) => r.group))].filter((g) => g).sort();
  const values = providers.map((p) => series(report, p, starts, (r) => (r.latency_ms ? r.latency_ms[pct] ?? null : null), null));
  const opts = options(providers.map((p) => ({
    label: `${p} ${pct}`,
    stroke: providerColor(p),
    width: 2,
    points: { show: true, size: 5, fill: providerColor(p) },
    spanGaps: false,
    value: (u, v) => ms(v),
  })), (v) => ms(v));
  const points = values.reduce((s, r) => s + nonEmpty(r), 0);
  draw('chart-latency', opts, [xs, ...values], points,
    providers.length ? `Latency ${pct} per provider over time for ${providers.join(', ')}` : 'No requests in this range');
}

/** Requests and errors per bucket. */
export function drawTraffic(report, starts) {
  const xs = starts.map((t) => t / 1000);
  const req = series(report, null, starts, (r) => r.requests, 0);
  const err = series(report, null, starts, (r) => r.errors, 0);
  const opts = options([
    { label: 'Requests', stroke: '#0072B2', fill: 'rgba(0, 114, 178, 0.12)', width: 2, points: { show: false }, value: (u, v) => int(v) },
    { label: 'Errors', stroke: '#B8400A', width: 2, dash: [6, 3], points: { show: false }, value: (u, v) => int(v) },
  ], (v) => int(v), { counts: true });
  const total = req.reduce((s, v) => s + v, 0);
  draw('chart-traffic', opts, [xs, req, err], nonEmpty(req) + nonEmpty(err),
    `Requests over time: ${int(total)} requests, ${int(err.reduce((s, v) => s + v, 0))} errors`);
}

/** Failovers per bucket, as bars. */
export function drawFailovers(report, starts) {
  const xs = starts.map((t) => t / 1000);
  const fo = series(report, null, starts, (r) => r.failovers, 0);
  const opts = options([{
    label: 'Failovers',
    stroke: '#7A5195',
    fill: 'rgba(122, 81, 149, 0.55)',
    width: 1,
    points: { show: false },
    paths: uPlot.paths.bars({ size: [0.7, 28] }),
    value: (u, v) => int(v),
  }], (v) => int(v), { counts: true });
  draw('chart-failovers', opts, [xs, fo], nonEmpty(fo), `Failovers over time: ${int(fo.reduce((s, v) => s + v, 0))}`);
}
