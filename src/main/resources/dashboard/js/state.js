// What the page shows right now: the chosen range, filters and sort orders, and the server's clock.

/** The ranges the selector offers; each is charted in buckets the usage API groups by (UTC). */
export const RANGES = {
  '1h': { label: 'last hour', millis: 3_600_000, bucket: 'minute', bucketMillis: 60_000 },
  '24h': { label: 'last 24 hours', millis: 86_400_000, bucket: 'hour', bucketMillis: 3_600_000 },
  '7d': { label: 'last 7 days', millis: 7 * 86_400_000, bucket: 'hour', bucketMillis: 3_600_000 },
};

export const state = {
  range: '24h',
  /** server clock minus the browser's: ranges follow the gateway's clock, not a laptop's drift */
  clockOffset: 0,
  meta: { providers: [], models: [], keys: [] },
  filters: { model: '', provider: '', key: '', status: '' },
  latencyPct: 'p95',
  paused: false,
};

export function serverNow() {
  return Date.now() + state.clockOffset;
}

/** The window the page shows: [from, to) in epoch milliseconds. */
export function timeWindow(now = serverNow()) {
  const r = RANGES[state.range];
  return { from: now - r.millis, to: now, range: r };
}

/** Midnight and the first of the month, UTC: what "today" and "this month" mean on the overview. */
export function calendarStarts(now = serverNow()) {
  const d = new Date(now);
  return {
    day: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()),
    month: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
  };
}

/**
 * A stable colour per provider (Okabe–Ito, distinguishable with colour-blindness), in the configuration's order.
 * Charts always label series too, so colour is never the only cue.
 */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#7A5195', '#3D3D3D'];

export function providerColor(name) {
  const names = state.meta.providers.map((p) => p.name);
  let i = names.indexOf(name);
  if (i < 0) {
    i = names.length;
    for (const ch of name) i = (i * 31 + ch.charCodeAt(0)) >>> 0;
  }
  return PALETTE[i % PALETTE.length];
}
