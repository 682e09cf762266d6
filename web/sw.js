// The editor's service worker: the page and the engine are cached as one
// unit, named by a hash of all their bytes, so a page never runs against an
// engine of another version (the rules in the page and on the server are
// the same build). The API is never cached here: the page keeps the last
// contract, drafts and unsent changesets in IndexedDB itself.
//
// Updating: the page asks for a check once it has fully loaded; the worker
// downloads the whole set again, and only when every file arrived and the
// hash differs does it switch to the new set (an atomic pointer swap) and
// tell the page a reload will use it.

// The set is the build's list (dist/web-precache.json, written from web/ by
// tools/web-precache.cmake): every file of the page and the engine's files.
const LIST_URL = '/dist/web-precache.json';
const PREFIX = 'milestone-editor-v-';
const POINTER_CACHE = 'milestone-editor-pointer';
const POINTER_URL = '/__milestone-editor-current-version';

let currentName = null;

async function readPointer() {
  if (currentName) return currentName;
  const pointers = await caches.open(POINTER_CACHE);
  const response = await pointers.match(POINTER_URL);
  currentName = response ? await response.text() : null;
  return currentName;
}

async function writePointer(name) {
  const pointers = await caches.open(POINTER_CACHE);
  await pointers.put(POINTER_URL, new Response(name));
  currentName = name;
}

let assets = null; // the current set's paths

async function fetchList() {
  const response = await fetch(LIST_URL, { cache: 'no-cache', credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${LIST_URL}: HTTP ${response.status}`);
  const list = await response.json();
  if (!Array.isArray(list.assets) || !list.assets.includes('/'))
    throw new Error(`${LIST_URL}: no asset list`);
  return list.assets;
}

// The paths of the set in use, read back from it after a restart.
async function currentAssets() {
  if (assets) return assets;
  const name = await readPointer();
  if (!name) return [];
  const response = await (await caches.open(name)).match(LIST_URL);
  assets = response ? ((await response.json()).assets ?? []) : [];
  return assets;
}

// Downloads every asset of the build's list; throws unless all arrived whole.
async function downloadAll() {
  const paths = await fetchList();
  return Promise.all(
    paths.map(async (path) => {
      const response = await fetch(path, { cache: 'no-cache', credentials: 'same-origin' });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      const body = await response.arrayBuffer();
      // The headers are kept, CSP included: offline, the page must run under
      // the same policy as online.
      return { path, body, headers: [...response.headers] };
    }),
  );
}

async function hashOf(files) {
  const parts = [];
  for (const file of files) {
    parts.push(new TextEncoder().encode(`${file.path}\n${file.body.byteLength}\n`));
    parts.push(new Uint8Array(file.body));
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const all = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.byteLength;
  }
  const digest = await crypto.subtle.digest('SHA-256', all);
  return Array.from(new Uint8Array(digest).slice(0, 12), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}

// Stores a complete set and points at it; returns true when it is new.
async function installSet() {
  const files = await downloadAll();
  const name = PREFIX + (await hashOf(files));
  if (name === (await readPointer())) return false;
  const cache = await caches.open(name);
  await Promise.all(
    files.map((file) =>
      cache.put(
        file.path,
        new Response(file.body, {
          headers: file.headers,
        }),
      ),
    ),
  );
  await writePointer(name);
  assets = files.map((file) => file.path);
  const names = await caches.keys();
  await Promise.all(
    names.filter((n) => n.startsWith(PREFIX) && n !== name).map((n) => caches.delete(n)),
  );
  return true;
}

self.addEventListener('install', (event) => {
  lastCheck = Date.now();
  event.waitUntil(installSet().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

// Every check downloads the whole set (the server sends no validators), so
// pages opened in quick succession share one check.
const CHECK_EVERY_MS = 60 * 1000;
let lastCheck = 0;

self.addEventListener('message', (event) => {
  if (event.data?.type !== 'check-update') return;
  if (Date.now() - lastCheck < CHECK_EVERY_MS) return;
  lastCheck = Date.now();
  event.waitUntil(
    installSet()
      .then(async (changed) => {
        if (!changed) return;
        const clients = await self.clients.matchAll({ type: 'window' });
        for (const client of clients) client.postMessage({ type: 'updated' });
      })
      .catch(() => {}),
  );
});

function assetPath(request, paths) {
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== 'GET') return null;
  // Any navigation to the page (?as=freelancer and all) is the one page.
  if (request.mode === 'navigate' && (url.pathname === '/' || url.pathname === '/index.html'))
    return '/';
  return paths.includes(url.pathname) ? url.pathname : null;
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  // The API and anything not of this origin: straight to the network.
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  event.respondWith(
    (async () => {
      const path = assetPath(event.request, await currentAssets());
      if (!path) return fetch(event.request);
      const name = await readPointer();
      if (name) {
        const cached = await (await caches.open(name)).match(path);
        if (cached) return cached;
      }
      return fetch(event.request);
    })(),
  );
});
