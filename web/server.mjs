// The one module that talks to the server (SPEC §6). It knows URLs, headers
// and status codes, nothing about the page or the rules.

export class OfflineError extends Error {}

const TIMEOUT_MS = 15000;

export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// The reference server's demo tokens (SPEC §6): the marketplace acts
// through its mediator's.
const DEMO_TOKENS = {
  client: 'demo-client',
  freelancer: 'demo-freelancer',
  marketplace: 'demo-mediator',
};
export const demoToken = (actor) => DEMO_TOKENS[actor];

export function createServer({ contractId, token, actor }) {
  const contractPath = `/api/contracts/${encodeURIComponent(contractId)}`;

  // One request; resolves with { status, ok, data, etag } (and `text`, the
  // body as sent, when `keepText`), rejects when the network failed. No
  // request at all while the browser knows it is offline: the 'online' event
  // brings the page back to the server. `cache`: the fetch's cache mode; the
  // API is not cached but for the contract's view.
  async function call(
    path,
    { method = 'GET', headers = {}, body, keepText = false, cache = 'no-store' } = {},
  ) {
    if (!navigator.onLine) throw new OfflineError('offline');
    const response = await fetch(path, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...headers },
      body,
      cache,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    let data = null;
    let text = null;
    try {
      text = await response.text();
      data = JSON.parse(text);
    } catch {
      data = null;
    }
    const etag = response.headers.get('ETag');
    return { status: response.status, ok: response.ok, data, etag, ...(keepText ? { text } : {}) };
  }

  return {
    contract: () => call(contractPath),
    // { contract, policy, locale, view }: the contract with the engine's view
    // of it for this token's actor, made by the server (docs/server.md). The
    // browser's HTTP cache keeps it and asks again with its ETag: an answer
    // that has not changed is not sent again (304) but read from the cache.
    contractView: () => call(`${contractPath}/view`, { keepText: true, cache: 'no-cache' }),
    policy: () => call('/api/policy'),
    history: () => call(`${contractPath}/history`),
    notifications: () => call('/api/notifications'),
    // One changeset made against `baseVersion`; a retry must reuse `key`.
    postChangeset: (actions, baseVersion, key) =>
      call(`${contractPath}/changesets`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'If-Match': `"${baseVersion}"`,
          'Idempotency-Key': key,
        },
        body: JSON.stringify({ actor, actions }),
      }),
  };
}

// A static file's response, its body unread (the engine's wasm, compiled as
// it arrives): the service worker answers it from its set when it has one.
export async function fetchFile(path) {
  const response = await fetch(path, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${path}: the server answered ${response.status}`);
  return response;
}

// A transient answer: the same request may be sent again with the same key.
export function isTransient(status) {
  return status >= 500 || status === 429 || status === 408;
}
