// The request log with its filters, and one request's detail (its attempts) in a dialog.
import * as api from './api.js';
import { count, h, int, ms, time, usd, DASH } from './format.js';
import { state } from './state.js';

export const LOG_LIMIT = 100;

/** Fills the filter selects from the configuration's names, keeping what is selected. */
export function fillFilters(meta) {
  const fill = (id, values) => {
    const select = document.getElementById(id);
    const keep = select.value;
    const first = select.options[0];
    select.replaceChildren(first, ...values.map((v) => h('option', { value: v }, v)));
    select.value = values.includes(keep) ? keep : '';
  };
  fill('filter-model', meta.models);
  fill('filter-provider', meta.providers.map((p) => p.name));
  fill('filter-key', meta.keys);
}

/** The query for the log: the range and the filters the user set. */
export function logParams(win) {
  const f = state.filters;
  return { from: win.from, to: win.to, limit: LOG_LIMIT, model: f.model, provider: f.provider, key: f.key, status: f.status };
}

function statusCell(r) {
  const failed = r.status >= 400 || r.truncated;
  const label = r.truncated ? `${r.status} broken stream` : String(r.status);
  return h('td', { dataset: { field: 'status', value: r.status } }, h('span', { class: `pill ${failed ? 'pill-open' : 'pill-closed'}` }, label));
}

let shownLog = null;

/**
 * Redraws the log only when it changed, so a refresh does not pull the row out from under the keyboard focus;
 * when it did change, focus moves to the same request's button in the new rows.
 */
export function renderLog(list, onOpen) {
  const tbody = document.querySelector('#request-table tbody');
  const rows = list.data;
  const summary = document.getElementById('requests-summary');
  const filtered = Object.values(state.filters).some((v) => v);
  const signature = JSON.stringify([filtered, rows]);
  if (signature === shownLog) return;
  shownLog = signature;
  const focused = tbody.contains(document.activeElement) ? document.activeElement.dataset.id : null;
  summary.textContent = rows.length
    ? `${int(rows.length)}${rows.length === LOG_LIMIT ? '+' : ''} request${rows.length === 1 ? '' : 's'}${filtered ? ' matching the filters' : ''}`
    : '';
  if (!rows.length) {
    tbody.replaceChildren(h('tr', {}, h('td', { class: 'empty-row', colspan: 11 },
      filtered ? 'No requests match these filters in this range.' : 'No requests in this range yet: send traffic to /v1/chat/completions.')));
  } else {
    tbody.replaceChildren(...rows.map((r) => h('tr', { dataset: { id: r.id } },
      h('td', { class: 'nowrap' }, h('time', { datetime: r.created }, time(r.created))),
      h('td', {}, h('button', { type: 'button', class: 'link', dataset: { id: r.id }, 'aria-haspopup': 'dialog',
        onclick: (e) => onOpen(r.id, e.currentTarget) }, r.id)),
      h('td', { dataset: { field: 'key' } }, r.key ?? DASH),
      h('td', { dataset: { field: 'route' } }, r.route ?? DASH),
      h('td', { dataset: { field: 'provider', value: r.provider ?? undefined } }, r.provider ? `${r.provider}/${r.model}` : DASH),
      statusCell(r),
      h('td', { class: 'num', dataset: { field: 'attempts', value: r.attempts } }, int(r.attempts)),
      h('td', { class: 'num' }, ms(r.latency_ms)),
      h('td', { class: 'num' }, ms(r.ttft_ms ?? null)),
      h('td', { class: 'num' }, count(r.tokens.total)),
      h('td', { class: 'num', dataset: { field: 'cost', value: r.cost_usd ?? undefined } }, usd(r.cost_usd)),
    )));
    if (focused) logButton(focused)?.focus();
  }
  document.getElementById('requests').setAttribute('aria-busy', 'false');
}

function logButton(id) {
  return document.querySelector(`#request-table button[data-id="${CSS.escape(id)}"]`);
}

function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([k, v, field, raw]) => h('div', {},
    h('dt', {}, k), h('dd', { dataset: { field, value: raw ?? undefined } }, v))));
}

function tokens(t) {
  if (!t) return 'not reported';
  const parts = [`${int(t.input)} in`, `${int(t.output)} out`];
  if (t.cached) parts.push(`${int(t.cached)} cached`);
  if (t.reasoning) parts.push(`${int(t.reasoning)} reasoning`);
  return parts.join(' · ');
}

function renderDetail(r) {
  const body = document.getElementById('detail-body');
  body.replaceChildren(
    dl([
      ['Request id', r.id, 'id', r.id],
      ['Time', time(r.created), 'created', r.created],
      ['Key', r.key ?? DASH, 'key', r.key],
      ['Model asked for', r.route ?? DASH, 'route', r.route],
      ['Answered by', r.provider ? `${r.provider}/${r.model}` : 'no target answered', 'provider', r.provider],
      ['Status', `${r.status}${r.error_type ? ` (${r.error_type})` : ''}${r.truncated ? ', stream broke after content' : ''}`, 'status', r.status],
      ['Stream', r.stream ? 'yes' : 'no', 'stream', r.stream],
      ['Latency', ms(r.latency_ms), 'latency', r.latency_ms],
      ['Time to first token', ms(r.ttft_ms ?? null), 'ttft', r.ttft_ms],
      ['Gateway overhead', ms(r.overhead_ms), 'overhead', r.overhead_ms],
      ['Tokens', tokens(r.tokens), 'tokens', r.tokens.total],
      ['Cost', r.cost_usd === null ? 'unknown (no price)' : usd(r.cost_usd), 'cost', r.cost_usd],
      ['Price catalog', r.catalog_version ?? DASH, 'catalog', r.catalog_version],
    ]),
    h('h3', {}, `Attempts (${r.attempts.length})`),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Attempts' },
      h('table', { class: 'data attempts', id: 'attempt-table' },
        h('thead', {}, h('tr', {}, ['#', 'Target', 'Outcome', 'Latency', 'TTFT', 'Tokens', 'Cost', 'Detail']
          .map((c, i) => h('th', { scope: 'col', class: i >= 3 && i <= 6 ? 'num' : '' }, c)))),
        h('tbody', {}, r.attempts.map((a) => h('tr', { dataset: { seq: a.seq } },
          h('td', {}, a.seq),
          h('td', { dataset: { field: 'target', value: `${a.provider}/${a.model}` } }, `${a.provider}/${a.model}`),
          h('td', { dataset: { field: 'outcome', value: a.outcome } },
            h('span', { class: `pill ${a.outcome === '200' ? 'pill-closed' : 'pill-open'}` }, a.outcome)),
          h('td', { class: 'num' }, ms(a.latency_ms)),
          h('td', { class: 'num' }, ms(a.ttft_ms ?? null)),
          h('td', { class: 'num' }, a.tokens ? `${int(a.tokens.input)} / ${int(a.tokens.output)}` : DASH),
          h('td', { class: 'num', dataset: { field: 'cost', value: a.cost_usd ?? undefined } }, usd(a.cost_usd)),
          h('td', { class: 'detail-text' }, a.detail ?? '')))))),
  );
}

/** Opens the dialog at once (loading), then fills it; focus returns to `opener` when it closes. */
export async function openDetail(id, opener) {
  const dialog = document.getElementById('detail');
  const body = document.getElementById('detail-body');
  document.getElementById('detail-title').textContent = `Request ${id}`;
  body.replaceChildren(h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  dialog.dataset.state = 'loading';
  // back to the button that opened it (or, if the log was redrawn meanwhile, the same request's new button)
  dialog.onclose = () => (opener && opener.isConnected ? opener : logButton(id))?.focus();
  if (!dialog.open) dialog.showModal();
  try {
    const r = await api.request(id);
    renderDetail(r);
    dialog.dataset.state = 'loaded';
  } catch (e) {
    if (e instanceof api.SignInRequired) {
      dialog.close();
      throw e;
    }
    body.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, `Could not load this request: ${e.message}`));
    dialog.dataset.state = 'error';
  }
}
