// The overview cards: totals for the chosen range, and spend today and this month.
import { DASH, int, ms, pct, setFigure, usd } from './format.js';

function field(name) {
  return document.querySelector(`#overview [data-field="${name}"]`);
}

/** The single row of an ungrouped usage report, or null when nothing happened in the window. */
export function totalRow(report) {
  return report.data.length ? report.data[0] : null;
}

/**
 * @param total  the ungrouped report's row for the range (null: no traffic)
 * @param today  … for today (UTC)
 * @param month  … for this month (UTC)
 */
export function renderOverview(total, today, month, range, starts) {
  const requests = total ? total.requests : 0;
  setFigure(field('requests'), requests, int(requests));
  const perMinute = requests / (range.millis / 60_000);
  field('rate').textContent = requests ? `${perMinute >= 10 ? perMinute.toFixed(0) : perMinute.toFixed(2)} per minute` : 'no traffic yet';

  setFigure(field('error_rate'), total ? total.error_rate : null, total ? pct(total.error_rate) : DASH);
  field('errors').textContent = total ? `${int(total.errors)} failed` : '';

  const failovers = total ? total.failovers : 0;
  setFigure(field('failovers'), failovers, int(failovers));
  field('failover_share').textContent = requests ? `${pct(failovers / requests)} of requests` : '';

  setFigure(field('spend_usd'), total ? total.spend_usd : 0, usd(total ? total.spend_usd : 0));
  field('unpriced').textContent = total && total.unpriced
    ? `+ ${int(total.unpriced)} unpriced (no price known)` : (requests ? `${usd(total.spend_usd / requests)} per request` : '');

  setFigure(field('spend_today'), today ? today.spend_usd : 0, usd(today ? today.spend_usd : 0));
  field('spend_today').dataset.from = String(starts.day);
  field('requests_today').textContent = `${int(today ? today.requests : 0)} requests`;
  setFigure(field('spend_month'), month ? month.spend_usd : 0, usd(month ? month.spend_usd : 0));
  field('spend_month').dataset.from = String(starts.month);
  field('requests_month').textContent = `${int(month ? month.requests : 0)} requests`;

  for (const p of ['p50', 'p95', 'p99']) {
    const lat = total && total.latency_ms ? total.latency_ms[p] : null;
    setFigure(field(`latency_${p}`), lat, ms(lat));
    const ttft = total && total.ttft_ms ? total.ttft_ms[p] : null;
    setFigure(field(`ttft_${p}`), ttft, ms(ttft));
  }
  document.getElementById('overview').setAttribute('aria-busy', 'false');
}
