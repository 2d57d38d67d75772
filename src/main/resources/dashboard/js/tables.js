// The providers and models tables: one row per provider and per provider/model, sortable by any column.
import { count, h, int, ms, pct, usd, DASH } from './format.js';
import { providerColor } from './state.js';

const BREAKER_TEXT = { closed: 'closed', open: 'open', half_open: 'half-open' };

function breakerCell(state, detail) {
  if (!state) return h('td', { dataset: { field: 'breaker' } }, DASH);
  return h('td', { dataset: { field: 'breaker', value: state } },
    h('span', { class: `pill pill-${state}` }, BREAKER_TEXT[state] ?? state), detail ? h('span', { class: 'muted small' }, ` ${detail}`) : null);
}

function shareCell(share) {
  const bar = h('span', { class: 'share-bar', 'aria-hidden': 'true' });
  bar.style.width = `${Math.round((share ?? 0) * 100)}%`;
  return h('td', { class: 'num', dataset: { field: 'share', value: share ?? 0 } },
    h('span', { class: 'share' }, h('span', { class: 'share-track', 'aria-hidden': 'true' }, bar), pct(share ?? 0)));
}

/** Columns shared by both tables: `value` sorts and fills data-value, `fmt` writes it. */
const METRICS = [
  { key: 'requests', label: 'Requests', value: (r) => r.requests, fmt: int },
  { key: 'tokens', label: 'Tokens', value: (r) => r.tokens, fmt: count },
  { key: 'spend', label: 'Spend', value: (r) => r.spend, fmt: usd },
  { key: 'share', label: 'Share of spend', value: (r) => r.share, cell: (r) => shareCell(r.share) },
  { key: 'p50', label: 'p50', abbr: 'Latency p50', value: (r) => r.latency.p50 ?? null, fmt: ms },
  { key: 'p95', label: 'p95', abbr: 'Latency p95', value: (r) => r.latency.p95 ?? null, fmt: ms },
  { key: 'p99', label: 'p99', abbr: 'Latency p99', value: (r) => r.latency.p99 ?? null, fmt: ms },
  { key: 'ttft_p50', label: 'TTFT p50', abbr: 'Time to first token p50', value: (r) => r.ttft.p50 ?? null, fmt: ms },
  { key: 'ttft_p95', label: 'TTFT p95', abbr: 'Time to first token p95', value: (r) => r.ttft.p95 ?? null, fmt: ms },
  { key: 'error_rate', label: 'Error rate', value: (r) => (r.requests ? r.errorRate : null), fmt: pct },
];

/**
 * A table whose column headers sort it (click or Enter/Space on the header's button); the sorted column carries
 * aria-sort. Re-rendering keeps the order the user chose.
 */
export class SortableTable {
  constructor(table, columns, sortKey, sortDir) {
    this.table = table;
    this.columns = columns;
    this.sortKey = sortKey;
    this.sortDir = sortDir;
    this.rows = [];
    this.head = h('thead');
    this.body = h('tbody');
    table.append(this.head, this.body);
    this.renderHead();
  }

  renderHead() {
    const tr = h('tr');
    for (const c of this.columns) {
      const sorted = c.key === this.sortKey;
      const arrow = sorted ? (this.sortDir === 'ascending' ? '▲' : '▼') : '';
      const th = h('th', { scope: 'col', class: c.text ? '' : 'num', 'aria-sort': sorted ? this.sortDir : null, dataset: { key: c.key } },
        h('button', { type: 'button', class: 'sort', title: c.abbr ? `Sort by ${c.abbr}` : `Sort by ${c.label}`, onclick: () => this.sortBy(c.key) },
          c.label, h('span', { class: 'arrow', 'aria-hidden': 'true' }, arrow)));
      tr.append(th);
    }
    this.head.replaceChildren(tr);
  }

  sortBy(key) {
    const c = this.columns.find((x) => x.key === key);
    if (key === this.sortKey) this.sortDir = this.sortDir === 'ascending' ? 'descending' : 'ascending';
    else {
      this.sortKey = key;
      this.sortDir = c.text ? 'ascending' : 'descending';
    }
    this.renderHead();
    this.renderBody();
    this.head.querySelector(`th[data-key="${key}"] button`).focus();
  }

  update(rows, emptyText) {
    this.rows = rows;
    this.emptyText = emptyText;
    this.renderBody();
  }

  renderBody() {
    const c = this.columns.find((x) => x.key === this.sortKey);
    const dir = this.sortDir === 'ascending' ? 1 : -1;
    const sorted = [...this.rows].sort((a, b) => {
      const x = c.value(a);
      const y = c.value(b);
      if (x === y) return a.name.localeCompare(b.name);
      if (x === null || x === undefined || x === '') return 1; // unknowns last, whichever the direction
      if (y === null || y === undefined || y === '') return -1;
      return (typeof x === 'string' ? x.localeCompare(y) : x - y) * dir;
    });
    if (!sorted.length) {
      this.body.replaceChildren(h('tr', {}, h('td', { class: 'empty-row', colspan: this.columns.length }, this.emptyText)));
      return;
    }
    this.body.replaceChildren(...sorted.map((r) => h('tr', { dataset: { name: r.name } }, this.columns.map((col) => {
      if (col.cell) return col.cell(r);
      const v = col.value(r);
      return h('td', { class: col.text ? '' : 'num', dataset: { field: col.key, value: v ?? undefined } }, col.fmt(v));
    }))));
  }
}

function nameColumn(label) {
  return {
    key: 'name', label, text: true, value: (r) => r.name,
    cell: (r) => {
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = providerColor(r.provider);
      return h('th', { scope: 'row', dataset: { field: 'name', value: r.name } }, swatch, r.label ?? r.name);
    },
  };
}

const BREAKER_COLUMN = { key: 'breaker', label: 'Breaker', text: true, value: (r) => r.breaker ?? '', cell: (r) => breakerCell(r.breaker, r.breakerDetail) };

export function providerTable(el) {
  return new SortableTable(el, [nameColumn('Provider'), BREAKER_COLUMN, ...METRICS], 'spend', 'descending');
}

export function modelTable(el) {
  return new SortableTable(el, [nameColumn('Provider/model'), BREAKER_COLUMN, ...METRICS], 'spend', 'descending');
}

function row(name, provider, usage) {
  return {
    name,
    provider,
    requests: usage ? usage.requests : 0,
    tokens: usage ? usage.tokens.total : 0,
    spend: usage ? Number(usage.spend_usd) : 0,
    errorRate: usage ? usage.error_rate : 0,
    latency: (usage && usage.latency_ms) || {},
    ttft: (usage && usage.ttft_ms) || {},
  };
}

function withShares(rows) {
  const total = rows.reduce((s, r) => s + r.spend, 0);
  for (const r of rows) r.share = total > 0 ? r.spend / total : 0;
  return rows;
}

/** A provider's breaker: open when any of its targets is open, half-open when any is probing, else closed. */
export function providerBreaker(targets) {
  if (!targets.length) return { state: null };
  const open = targets.filter((t) => t.breaker === 'open').length;
  const half = targets.filter((t) => t.breaker === 'half_open').length;
  const state = open ? 'open' : half ? 'half_open' : 'closed';
  const n = state === 'open' ? open : half;
  return { state, detail: state !== 'closed' && targets.length > 1 ? `(${n} of ${targets.length} models)` : null };
}

/** Every configured provider (idle ones too, so a tripped breaker shows) and every provider with usage. */
export function providerRows(meta, report, targets) {
  const usage = new Map(report.data.map((u) => [u.group, u]));
  const names = [...new Set([...meta.providers.map((p) => p.name), ...usage.keys()])].filter((n) => n);
  const rows = names.map((n) => {
    const r = row(n, n, usage.get(n));
    const b = providerBreaker(targets.filter((t) => t.provider === n));
    r.breaker = b.state;
    r.breakerDetail = b.detail;
    return r;
  });
  return withShares(withUnrouted(rows, usage));
}

/**
 * Requests that reached no provider at all (every target's breaker open or cooling) group under null in the usage
 * API: they get a row of their own, so the table adds up to the overview.
 */
function withUnrouted(rows, usage) {
  const none = usage.get(null);
  if (none && none.requests > 0) {
    const r = row('null', 'none', none);
    r.label = '(no provider reached)';
    r.breaker = null;
    rows.push(r);
  }
  return rows;
}

/** Every configured target and every provider/model with usage. */
export function modelRows(report, targets) {
  const usage = new Map(report.data.map((u) => [u.group, u]));
  const byTarget = new Map(targets.map((t) => [t.target, t]));
  const names = [...new Set([...targets.map((t) => t.target), ...usage.keys()])].filter((n) => n);
  const rows = names.map((n) => {
    const t = byTarget.get(n);
    const r = row(n, t ? t.provider : n.split('/')[0], usage.get(n));
    r.breaker = t ? t.breaker : null;
    return r;
  });
  return withShares(withUnrouted(rows, usage));
}
