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

/// GET /api/v1/me (who is signed in: user, isAdmin, isOperator, role, features). Not cached: a new
/// session may be another user. Its `features` also answer hasRoute when that has not asked yet.
export async function me() {
  const answer = await api('me');
  if (!features) features = Promise.resolve(new Set(Array.isArray(answer?.features) ? answer.features : []));
  return answer;
}

// Whether the server runs an optional API, from the `features` of GET /api/v1/me (read once per
// page load). Asking the route itself would put a 404 or 503 in the console where it is off.
const FEATURES = { '/api/v1/factory/loadtests': 'loadtests' };
let features = null;
export function hasRoute(path) {
  if (!features) {
    features = api('me')
      .then((me) => new Set(Array.isArray(me?.features) ? me.features : []))
      .catch(() => { features = null; return new Set(); });
  }
  return features.then((set) => set.has(FEATURES[path] ?? path));
}
