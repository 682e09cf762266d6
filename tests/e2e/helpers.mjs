// Shared by the end-to-end tests and the screenshot script: the real server
// (a temp database, a free loopback port, this repo's web/ and dist/) and a
// headless Chromium that records every CSP violation and console error.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { serverBinary, startServer as startServerProcess } from '../server/helpers.mjs';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The built package and precache list the server serves at /dist/
// (MILESTONE_DIST: another build's, e.g. one made from a clean checkout).
export const dist = path.resolve(process.env.MILESTONE_DIST ?? path.join(repo, 'dist'));
export { serverBinary };

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function preconditions() {
  const missing = [];
  if (!existsSync(serverBinary)) missing.push(serverBinary);
  if (!existsSync(path.join(dist, 'milestone-engine/index.mjs')))
    missing.push(path.join(dist, 'milestone-engine'));
  if (!existsSync(path.join(dist, 'web-precache.json')))
    missing.push(path.join(dist, 'web-precache.json'));
  if (!existsSync('/usr/bin/chromium')) missing.push('/usr/bin/chromium');
  // ./tools/test builds all of these first: there, a missing one is a failure,
  // not a reason to skip (a skipped suite would pass CI while testing nothing).
  if (missing.length && process.env.MILESTONE_REQUIRE_ALL) {
    throw new Error(`end-to-end tests cannot run: missing ${missing.join(', ')}`);
  }
  return missing;
}

// The real server on a fresh seeded database, with the real clock (the page
// uses today's date too); started as the server's own tests start it. `args`:
// more flags (`--policy FILE`).
export async function startServer({ args = [] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'milestone-e2e-'));
  const server = await startServerProcess(
    {
      db: path.join(dir, 'milestones.db'),
      // MILESTONE_WEB: another copy of the page (the benchmark compares two).
      web: process.env.MILESTONE_WEB ?? path.join(repo, 'web'),
      dist,
    },
    args,
    { now: null },
  );
  return {
    url: server.url,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// A fresh context (own service worker, IndexedDB) whose pages report CSP
// violations and console errors into `problems`.
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const problems = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  context.on('page', (page) => watch(page, problems));
  return { context, problems };
}

// Chromium logs every 4xx fetch as a console error; 412 and 422 are answers
// the page expects and shows (a stale version, a refused changeset).
const EXPECTED = /^Failed to load resource: the server responded with a status of (412|422) /;

function watch(page, problems) {
  page.on('console', (message) => {
    if (message.type() === 'error' && !EXPECTED.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`unexpected JS dialog: ${dialog.message()}`);
    dialog.dismiss();
  });
}

// Opens the editor as `role` and waits until it has rendered the contract.
export async function openEditor(context, url, role = 'client') {
  const page = await context.newPage();
  await page.goto(`${url}/?as=${role}`);
  await page.waitForSelector('html[data-ready="true"]');
  return page;
}

// The row of the milestone titled `title` (editable rows hold it in an input).
export function row(page, id) {
  return page.locator(`#list > li[data-id="${id}"]`);
}

// The milestones' order on screen (rows Show Changes adds for deleted
// milestones carry no data-id).
export async function listOrder(page) {
  return page.locator('#list > li[data-id]').evaluateAll((rows) => rows.map((r) => r.dataset.id));
}

// Grows ctr-demo (4 milestones, version 1) to `count` milestones through the
// API, as the client would; returns the new contract.
export async function growDemo(url, count) {
  const adds = [];
  for (let i = 5; i <= count; i++) {
    adds.push({ type: 'add', milestone: { title: `Step ${i}`, amount: 10000 + i } });
  }
  if (adds.length === 0) return getJson(url, 'demo-client', '/api/contracts/ctr-demo');
  const answer = await post(url, 'demo-client', 1, adds);
  if (answer.status !== 200)
    throw new Error(`growing ctr-demo: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.contract;
}

// The engine itself, in Node: what the page shows must be its answers.
export async function nodeEngine(options = {}) {
  const { createEngine } = await import(path.join(dist, 'milestone-engine/index.mjs'));
  return createEngine(options);
}

// axe-core run inside the page (the page's CSP forbids adding a script tag;
// evaluating the source through the DevTools protocol is not a page script).
// Answers the serious and critical violations, as "id: target" strings.
let axeSource = null;
export async function axeViolations(page) {
  if (axeSource === null) {
    axeSource = readFileSync(path.join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8');
  }
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`);
}

// Posts a changeset straight to the API, as the other side would.
export async function post(url, token, version, actions) {
  const response = await fetch(`${url}/api/contracts/ctr-demo/changesets`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      'If-Match': `"${version}"`,
      'Idempotency-Key': `test-${Math.random().toString(36).slice(2)}`,
    },
    body: JSON.stringify({ actions }),
  });
  return { status: response.status, body: await response.json() };
}

export async function getJson(url, token, apiPath) {
  const response = await fetch(`${url}${apiPath}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return response.json();
}

// The set-up most e2e files share: one browser for the file, and for each
// test a fresh server (seeded database) and a browser context of `options`
// that must end with no CSP violation or console error. `skip` says why the
// tests cannot run here; `reopen(options)` swaps the context for another
// (phone size, touch) in the middle of a test.
export function pagePerTest(options = {}) {
  const missing = preconditions();
  const e2e = {
    skip: missing.length ? `missing: ${missing.join(', ')}` : false,
    browser: null,
    server: null,
    context: null,
    problems: null,
    async reopen(other) {
      await e2e.context?.close();
      ({ context: e2e.context, problems: e2e.problems } = await newContext(e2e.browser, other));
    },
  };
  before(async () => {
    if (!e2e.skip) e2e.browser = await launchBrowser();
  });
  after(async () => {
    await e2e.browser?.close();
  });
  beforeEach(async () => {
    if (e2e.skip) return;
    e2e.server = await startServer();
    await e2e.reopen(options);
  });
  afterEach(async () => {
    if (e2e.skip) return;
    await e2e.context.close();
    e2e.context = null;
    await e2e.server.stop();
    assert.deepEqual(e2e.problems, [], 'no CSP violations or console errors');
  });
  return e2e;
}
