// The API key lives in sessionStorage only: gone when the tab closes, never in a cookie or URL.
const TOKEN = 'mra-console-token';
const IDENTITY = 'mra-console-identity';

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = error?.code ?? `HTTP_${status}`;
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN);
  },
  get identity() {
    const raw = sessionStorage.getItem(IDENTITY);
    return raw ? JSON.parse(raw) : null;
  },
  start(token, identity) {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(IDENTITY, JSON.stringify(identity));
  },
  end() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(IDENTITY);
  },
};

async function request(method, path, { body, token = session.token } = {}) {
  const response = await fetch(path, {
    method,
    headers: {
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    cache: 'no-store',
  });
  if (!response.ok) {
    let error;
    try {
      error = (await response.json()).error;
    } catch {
      error = undefined;
    }
    throw new ApiError(response.status, error);
  }
  return response;
}

/** GET/POST JSON; query values that are empty are left out. */
export async function getJson(path, query = {}) {
  const params = new URLSearchParams(
    Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  );
  const suffix = params.toString() ? `?${params}` : '';
  return (await request('GET', `${path}${suffix}`)).json();
}

export async function postJson(path, body = {}) {
  return (await request('POST', path, { body })).json();
}

export async function getBlob(path) {
  return (await request('GET', path)).blob();
}

/** Who a key belongs to, without storing it: the log-in check. */
export async function whoIs(token) {
  return (await request('GET', '/v1/me', { token })).json();
}
