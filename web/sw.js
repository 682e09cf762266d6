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

const ASSETS = [
  '/',
  '/app.mjs',
  '/drag.mjs',
  '/store.mjs',
  '/styles.css',
  '/manifest.webmanifest',
  '/icon.svg',
  '/dist/milestone-engine/index.mjs',
  '/dist/milestone-engine/milestone_wasm.mjs',
  '/dist/milestone-engine/milestone_wasm.wasm',
];
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

// Downloads every asset; throws unless all of them arrived whole.
async function downloadAll() {
  return Promise.all(ASSETS.map(async (path) => {
    const response = await fetch(path, { cache: 'no-cache', credentials: 'same-origin' });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    const body = await response.arrayBuffer();
    // The headers are kept, CSP included: offline, the page must run under
    // the same policy as online.
    return { path, body, headers: [...response.headers] };
  }));
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
  for (const p of parts) { all.set(p, offset); offset += p.byteLength; }
  const digest = await crypto.subtle.digest('SHA-256', all);
  return Array.from(new Uint8Array(digest).slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
}

// Stores a complete set and points at it; returns true when it is new.
async function installSet() {
  const files = await downloadAll();
  const name = PREFIX + await hashOf(files);
  if (name === await readPointer()) return false;
  const cache = await caches.open(name);
  await Promise.all(files.map((file) => cache.put(file.path, new Response(file.body, {
    headers: file.headers,
  }))));
  await writePointer(name);
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== name).map((n) => caches.delete(n)));
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
  event.waitUntil(installSet().then(async (changed) => {
    if (!changed) return;
    const clients = await self.clients.matchAll({ type: 'window' });
    for (const client of clients) client.postMessage({ type: 'updated' });
  }).catch(() => {}));
});

function assetPath(request) {
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== 'GET') return null;
  // Any navigation to the page (?as=freelancer and all) is the one page.
  if (request.mode === 'navigate' && (url.pathname === '/' || url.pathname === '/index.html')) return '/';
  return ASSETS.includes(url.pathname) ? url.pathname : null;
}

self.addEventListener('fetch', (event) => {
  const path = assetPath(event.request);
  if (!path) return;  // the API and anything else: straight to the network
  event.respondWith((async () => {
    const name = await readPointer();
    if (name) {
      const cached = await (await caches.open(name)).match(path);
      if (cached) return cached;
    }
    return fetch(event.request);
  })());
});
