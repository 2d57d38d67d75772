// Boots the dashboard: sign-in, then a refresh loop that reads the usage API every few seconds.
import * as api from './api.js';
import { clock } from './format.js';
import { drawFailovers, drawLatency, drawSpend, drawTraffic, bucketStarts } from './charts.js';
import { renderOverview, totalRow } from './overview.js';
import { fillFilters, logParams, openDetail, renderLog } from './requests.js';
import { RANGES, calendarStarts, state, timeWindow } from './state.js';
import { modelRows, modelTable, providerRows, providerTable } from './tables.js';

const REFRESH_MS = 5000;
const $ = (id) => document.getElementById(id);

let providers;
let models;
let timer = null;
/** Bumped whenever what is shown changes (range, filters, sign-out): answers to older requests are dropped. */
let generation = 0;
let lastBucketed = null;

function show(view) {
  $('booting').hidden = true;
  $('sign-in-view').hidden = view !== 'sign-in';
  $('app-view').hidden = view !== 'app';
  $('nav').hidden = view !== 'app';
  $('controls').hidden = view !== 'app';
}

/** @param notice a message that is news, not a problem (e.g. "Signed out.") */
function showSignIn(message, notice = false) {
  stop();
  generation++;
  show('sign-in');
  const err = $('sign-in-error');
  err.hidden = !message;
  err.textContent = message ?? '';
  err.classList.toggle('notice', notice);
  $('admin-key').value = '';
  $('admin-key').focus();
}

function banner(message) {
  $('banner').hidden = !message;
  $('banner').textContent = message ?? '';
}

function stop() {
  clearTimeout(timer);
  timer = null;
}

function schedule(delay) {
  stop();
  if (!state.paused) timer = setTimeout(refresh, delay);
}

/** Everything on the page, read in parallel; a failed read keeps the last figures and says so. */
async function refresh() {
  stop();
  const mine = ++generation;
  const started = performance.now();
  const win = timeWindow();
  const starts = calendarStarts(win.to);
  const b = win.range.bucket;
  try {
    // all read together, so the figures agree with each other (today's spend is never below the last hour's)
    const [total, today, month, byProvider, byTarget, bucketedByProvider, bucketed, targets, log] = await Promise.all([
      api.usage({ from: win.from, to: win.to }),
      api.usage({ from: starts.day, to: win.to }),
      api.usage({ from: starts.month, to: win.to }),
      api.usage({ group_by: 'provider', from: win.from, to: win.to }),
      api.usage({ group_by: 'target', from: win.from, to: win.to }),
      api.usage({ group_by: 'provider', bucket: b, from: win.from, to: win.to }),
      api.usage({ bucket: b, from: win.from, to: win.to }),
      api.targets(),
      api.requests(logParams(win)),
    ]);
    if (mine !== generation) return;
    renderOverview(totalRow(total), totalRow(today), totalRow(month), win.range, starts);
    const t = targets.targets;
    const idle = total.data.length ? '' : `No requests in the ${win.range.label}.`;
    providers.update(providerRows(state.meta, byProvider, t), idle || 'No providers configured.');
    models.update(modelRows(byTarget, t), idle || 'No models configured.');
    document.getElementById('providers').setAttribute('aria-busy', 'false');
    const bucketStartsMs = bucketStarts(win.from, win.to, win.range.bucketMillis);
    lastBucketed = { bucketedByProvider, bucketStartsMs };
    drawSpend(bucketedByProvider, bucketStartsMs);
    drawLatency(bucketedByProvider, bucketStartsMs, state.latencyPct);
    drawTraffic(bucketed, bucketStartsMs);
    drawFailovers(bucketed, bucketStartsMs);
    document.getElementById('charts').setAttribute('aria-busy', 'false');
    renderLog(log, (id, opener) => openDetail(id, opener).catch(onError));
    banner(null);
    const updated = $('updated');
    updated.textContent = `Updated ${clock(new Date())}${state.paused ? ' · updates paused' : ` · refreshes every ${REFRESH_MS / 1000} s`}`;
    updated.dataset.generation = String(mine);
    document.body.dataset.loaded = String(mine);
    // a slow ledger (a big month to sum) is polled less often: at most a fifth of the time, one refresh at a time
    schedule(Math.max(REFRESH_MS, 4 * (performance.now() - started)));
  } catch (e) {
    if (mine !== generation) return;
    onError(e);
  }
}

function onError(e) {
  if (e instanceof api.SignInRequired) {
    showSignIn('Your session has ended. Sign in again.');
    return;
  }
  const why = e.message.replace(/[.\s]+$/, '');
  banner(`Could not load the dashboard's data: ${why}. Showing the last figures; retrying in ${(REFRESH_MS * 2) / 1000} s.`);
  schedule(REFRESH_MS * 2);
}

async function loadMeta() {
  const meta = await api.meta();
  state.clockOffset = meta.now - Date.now();
  state.meta = meta;
  fillFilters(meta);
}

async function enter() {
  show('app');
  try {
    await loadMeta();
  } catch (e) {
    onError(e);
    return;
  }
  await refresh();
}

function wire() {
  providers = providerTable($('provider-table'));
  models = modelTable($('model-table'));

  $('sign-in-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const key = $('admin-key').value;
    const err = $('sign-in-error');
    if (!key) {
      err.textContent = 'Enter the admin key.';
      err.classList.remove('notice');
      err.hidden = false;
      return;
    }
    $('sign-in-button').disabled = true;
    try {
      await api.signIn(key);
      $('admin-key').value = '';
      err.hidden = true;
      await enter();
      $('main').focus({ preventScroll: true });
    } catch (ex) {
      err.textContent = ex.message;
      err.classList.remove('notice');
      err.hidden = false;
      $('admin-key').select();
    } finally {
      $('sign-in-button').disabled = false;
    }
  });

  $('sign-out').addEventListener('click', async () => {
    stop();
    generation++;
    try {
      await api.signOut();
    } catch (e) {
      banner(`Sign-out failed: ${e.message}`);
      return;
    }
    showSignIn('Signed out.', true);
  });

  $('range').addEventListener('change', (e) => {
    state.range = e.target.value;
    $('range-label').textContent = RANGES[state.range].label;
    for (const el of document.querySelectorAll('.per')) el.textContent = RANGES[state.range].bucket;
    refresh();
  });

  $('pause').addEventListener('click', (e) => {
    state.paused = !state.paused;
    e.currentTarget.setAttribute('aria-pressed', String(state.paused));
    e.currentTarget.textContent = state.paused ? 'Resume updates' : 'Pause updates';
    if (state.paused) stop();
    refresh();
  });

  $('latency-pct').addEventListener('change', (e) => {
    state.latencyPct = e.target.value;
    if (lastBucketed) drawLatency(lastBucketed.bucketedByProvider, lastBucketed.bucketStartsMs, state.latencyPct);
  });

  const filters = $('filters');
  filters.addEventListener('change', (e) => {
    state.filters[e.target.name] = e.target.value;
    refresh();
  });
  filters.addEventListener('reset', () => {
    for (const k of Object.keys(state.filters)) state.filters[k] = '';
    setTimeout(refresh); // after the form has cleared its selects
  });

  $('detail-close').addEventListener('click', () => $('detail').close());

  // no polling while the tab is hidden; catch up at once when it is back
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) stop();
    else if (!$('app-view').hidden && !state.paused) refresh();
  });
}

async function boot() {
  wire();
  try {
    await api.session();
  } catch (e) {
    showSignIn(e instanceof api.SignInRequired ? null : `The dashboard is not available: ${e.message}`);
    return;
  }
  await enter();
}

boot();
