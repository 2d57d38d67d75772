// The dashboard's calls to the gateway: the usage API under /dashboard/api, authenticated by the session cookie.

/** The session ended (signed out, expired, or the admin key changed): the page asks for the key again. */
export class SignInRequired extends Error {}

const BASE = new URL('api/', document.baseURI);

function url(path, params = {}) {
  const u = new URL(path, BASE);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, String(v));
  }
  return u;
}

async function failure(resp) {
  let message = `${resp.status} ${resp.statusText}`.trim();
  try {
    const body = await resp.json();
    if (body && body.error && body.error.message) message = body.error.message;
  } catch {
    // not JSON: keep the status line
  }
  return new Error(message);
}

export async function getJson(path, params) {
  const resp = await fetch(url(path, params), { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (resp.status === 401) throw new SignInRequired('Sign in to continue.');
  if (!resp.ok) throw await failure(resp);
  return resp.json();
}

async function post(path, body) {
  return fetch(url(path), {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
}

/** @returns the session, or throws SignInRequired */
export function session() {
  return getJson('session');
}

/** Exchanges the admin key for a session cookie; the key is not kept anywhere in the page. */
export async function signIn(adminKey) {
  const resp = await post('sign-in', { admin_key: adminKey });
  if (!resp.ok) throw await failure(resp);
  return resp.json();
}

export async function signOut() {
  const resp = await post('sign-out');
  if (!resp.ok) throw await failure(resp);
}

export const usage = (params) => getJson('usage', params);
export const requests = (params) => getJson('requests', params);
export const request = (id) => getJson(`requests/${encodeURIComponent(id)}`);
export const targets = () => getJson('targets');
export const meta = () => getJson('meta');
