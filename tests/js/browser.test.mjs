// The package in Chromium, in a page and in a module Web Worker, served with
// `script-src 'self' 'wasm-unsafe-eval'` (SPEC 5). Uses the system Chromium
// through playwright-core; never `npx playwright install`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { root, distDir } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
const TYPES = {
  '.html': 'text/html',
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.ts': 'text/plain',
};
// Only these folders are served; the page imports the package as it is built.
const SERVED = ['/dist/milestone-engine/', '/tests/js/browser/'];

let server;
let browser;
let baseUrl;

before(async () => {
  assert.ok(existsSync(path.join(distDir, 'index.mjs')), 'build dist first: tools/build-dist');
  server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = decodeURIComponent(url.pathname);
    if (file === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!SERVED.some((prefix) => file.startsWith(prefix)) || file.includes('..')) {
      res.writeHead(404).end();
      return;
    }
    if (file.startsWith('/dist/milestone-engine/')) {
      file = path.join(distDir, file.slice('/dist/milestone-engine/'.length));
    } else {
      file = path.join(root, file);
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
        'Content-Security-Policy': CSP,
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

function assertChecks(results, where) {
  assert.ok(!results.error, `${where}: ${results.error}`);
  assert.deepEqual(results.validate, { ok: true, issues: [] }, where);
  assert.deepEqual(results.money, [{ ok: true, amount: 123456 }, '$1,234.56'], where);
  assert.equal(results.cyclic, 'INVALID_JSON', where);
  assert.ok(
    results.surrogate.includes('INVALID_ID') || results.surrogate.includes('INVALID_TEXT'),
    where,
  );
  assert.equal(results.keystroke.applied, true, where);
  assert.equal(results.keystroke.issues[0].code, 'AMOUNT_BELOW_MINIMUM', where);
  assert.equal(results.changeset.ok, true, where);
  assert.equal(results.applied, true, where);
  assert.equal(results.disposedCode, 'SESSION_DISPOSED', where);
  assert.equal(results.diffSummary.length, 1, where);
  assert.match(results.diffSummary[0], /“Go live”/, where);
  assert.deepEqual(results.violations ?? [], [], `${where}: CSP violations`);
}

test('in a page and in a Web Worker, under the CSP', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const response = await page.goto(`${baseUrl}/tests/js/browser/page.html`);
  assert.equal(response.headers()['content-security-policy'], CSP);
  await page.waitForFunction(() => window.__results !== undefined, null, { timeout: 30000 });
  const results = await page.evaluate(() => window.__results);
  assert.equal(results.evalBlocked, true, 'the CSP is not in force');
  assertChecks(results.page, 'page');
  assertChecks(results.worker, 'worker');
  assert.deepEqual(results.violations, []);
  assert.deepEqual(errors, []);
  await page.close();
});
