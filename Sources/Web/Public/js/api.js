// Fetch wrapper for /api/v1: same-origin cookie, JSON, errors as ApiError with the server's message.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function api(path, { method = 'GET', body } = {}) {
  let response;
  try {
    response = await fetch(`/api/v1/${path}`, {
      method,
      credentials: 'same-origin',
      headers: body ? { 'Content-Type': 'application/json', 'Accept': 'application/json' } : { 'Accept': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    throw new ApiError(0, 'network', 'The AI Factory server cannot be reached.');
  }
  if (response.status === 204) return null;
  let json = null;
  try { json = await response.json(); } catch { json = null; }
  if (!response.ok) {
    const err = json?.error ?? {};
    throw new ApiError(response.status, err.code ?? 'http', err.message ?? `HTTP ${response.status}`);
  }
  return json;
}

// Whether the server answers a route, from its /openapi.json: fetched once per browser session (the
// paths are kept in sessionStorage). Asking the route itself would put a 404 in the console while
// an API is not deployed yet.
const ROUTES = 'aif.routes';
let documented = null;
export function hasRoute(path) {
  if (!documented) {
    let saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(ROUTES) ?? 'null'); } catch { saved = null; }
    documented = Array.isArray(saved) ? Promise.resolve(new Set(saved))
      : fetch('/openapi.json', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then((r) => (r.ok ? r.json() : null))
        .then((doc) => {
          const paths = Object.keys(doc?.paths ?? {});
          if (doc) try { sessionStorage.setItem(ROUTES, JSON.stringify(paths)); } catch { /* private mode */ }
          return new Set(paths);
        })
        .catch(() => new Set());
  }
  return documented.then((paths) => paths.has(path));
}
