// How figures are written. Every figure's element also carries the API's raw value in data-value, so what is
// shown can be checked against the usage API exactly.

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const SIG3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const USD2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const FIX4 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });

export const DASH = '–';

export function int(n) {
  return n === null || n === undefined ? DASH : INT.format(n);
}

/** 1,234 below a million, then 1.23M: token counts get long. */
export function count(n) {
  if (n === null || n === undefined) return DASH;
  if (Math.abs(n) >= 1e9) return `${SIG3.format(n / 1e9)}B`;
  if (Math.abs(n) >= 1e6) return `${SIG3.format(n / 1e6)}M`;
  return INT.format(n);
}

/** Dollars: cents from $1 up, four decimals from 1¢, three significant digits below (LLM calls cost fractions of a cent). */
export function usd(v) {
  if (v === null || v === undefined) return DASH;
  const n = Number(v);
  if (n === 0) return '$0.00';
  const a = Math.abs(n);
  if (a >= 1) return `$${USD2.format(n)}`;
  if (a >= 0.01) return `$${FIX4.format(n)}`;
  return `$${SIG3.format(n)}`;
}

/** Milliseconds: 0.42 ms, 12.3 ms, 245 ms, 1.24 s. */
export function ms(v) {
  if (v === null || v === undefined) return DASH;
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  if (v >= 100) return `${v.toFixed(0)} ms`;
  if (v >= 1) return `${v.toFixed(1)} ms`;
  return `${v.toFixed(2)} ms`;
}

/** A ratio as a percentage: 0.25 → 25.0% */
export function pct(r) {
  if (r === null || r === undefined || Number.isNaN(r)) return DASH;
  return `${(r * 100).toFixed(1)}%`;
}

export function time(iso) {
  const d = new Date(iso);
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function clock(date) {
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Sets an element's text and its raw value (null or undefined: a dash, no value). */
export function setFigure(el, raw, text) {
  el.textContent = text;
  if (raw === null || raw === undefined) el.removeAttribute('data-value');
  else el.dataset.value = String(raw);
}

/** A DOM element with attributes and children; text children are inserted as text, never as HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') {
      for (const [dk, dv] of Object.entries(v)) if (dv !== null && dv !== undefined) el.dataset[dk] = String(dv);
    }
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
