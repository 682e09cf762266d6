// How the page opens (issue 12 item 3, docs/page.md "Opening"): a first
// visit draws the saved contract from the view the server's engine made
// (GET /api/contracts/{id}/view) instead of describing it in wasm; a return
// visit asks for the contract alone and draws from the view it kept; a
// contract that changed meanwhile brings the server's view again (which the
// browser's cache revalidates with its ETag); and a view the page's engine
// would not have made (another language) is not used.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import {
  getJson,
  growDemo,
  launchBrowser,
  newContext,
  nodeEngine,
  openEditor,
  post,
  preconditions,
  row,
  startServer,
} from './helpers.mjs';

const missing = preconditions();
const skip = missing.length ? `missing: ${missing.join(', ')}` : false;

let browser;
let server;

// In the page: whether the view answer of ctr-demo for the client is kept.
function keptView() {
  return new Promise((resolve) => {
    const open = indexedDB.open('milestone-editor');
    open.onsuccess = () => {
      const get = open.result.transaction('views').objectStore('views').get('ctr-demo|client|meta');
      get.onsuccess = () => resolve(Boolean(get.result?.etag));
      get.onerror = () => resolve(false);
    };
    open.onerror = () => resolve(false);
  });
}

async function waitFor(condition) {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(condition());
}
before(async () => {
  if (!skip) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});
beforeEach(async () => {
  if (!skip) server = await startServer();
});
afterEach(async () => {
  await server?.stop();
});

// Every GET …/view the page sends: the If-None-Match the browser's cache put
// on it and the ETag of the answer the page got.
function viewRequests(context) {
  const seen = [];
  context.on('requestfinished', async (request) => {
    if (!/\/api\/contracts\/[^/]+\/view$/.test(new URL(request.url()).pathname)) return;
    const response = await request.response();
    seen.push({
      asked: (await request.allHeaders())['if-none-match'] ?? null,
      etag: (await response.allHeaders()).etag,
    });
  });
  return seen;
}

test(
  'a return visit draws from the kept view; a changed contract brings the server’s view again',
  { skip },
  async () => {
    await growDemo(server.url, 200);
    const { context, problems } = await newContext(browser);
    const seen = viewRequests(context);
    try {
      const page = await openEditor(context, server.url);
      await waitFor(() => seen.length === 1);
      assert.equal(seen[0].asked, null);
      const figures = await page.locator('#figures').innerText();
      assert.equal(await page.locator('#list > li[data-id]').count(), 200);
      // Once the page is up: the service worker, and the view kept.
      await page.waitForSelector('html[data-offline-ready="true"]');
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      await page.waitForFunction(keptView);

      // A returning page asks for the contract alone and draws from the kept view.
      await page.reload();
      await page.waitForSelector('html[data-ready="true"]');
      assert.equal(seen.length, 1, 'no view was asked for');
      assert.equal(await page.locator('#figures').innerText(), figures);
      assert.equal(await page.locator('#list > li[data-id]').count(), 200);
      // Rows far from the screen are built when they come near it.
      await row(page, 'm-100').scrollIntoViewIfNeeded();
      assert.equal(
        await row(page, 'm-100').locator('input[data-field="title"]').inputValue(),
        'Step 100',
      );

      // The other side changes the contract: the kept view is not its view.
      const other = await post(server.url, 'demo-client', 2, [
        { type: 'edit', id: 'm-100', set: { title: 'Step one hundred' } },
      ]);
      assert.equal(other.status, 200, JSON.stringify(other.body));
      await page.reload();
      await page.waitForSelector('html[data-ready="true"]');
      await waitFor(() => seen.length === 2);
      assert.notEqual(seen[1].etag, seen[0].etag, 'a new version is another answer');
      await row(page, 'm-100').scrollIntoViewIfNeeded();
      assert.equal(
        await row(page, 'm-100').locator('input[data-field="title"]').inputValue(),
        'Step one hundred',
      );
      // A page the service worker does not serve asks for the view again, and
      // the browser's cache asks with the ETag it holds (304 while current).
      await page.evaluate(() =>
        navigator.serviceWorker.getRegistration().then((r) => r.unregister()),
      );
      const fresh = await context.newPage();
      await fresh.goto(`${server.url}/?as=client`);
      await fresh.waitForSelector('html[data-ready="true"]');
      await waitFor(() => seen.length === 3);
      assert.equal(seen[2].asked, seen[1].etag);
      assert.equal(seen[2].etag, seen[1].etag);
      assert.deepEqual(problems, [], 'no CSP violations or console errors');
    } finally {
      await context.close();
    }
  },
);

test(
  'a browser in another language than the server’s describes the contract itself',
  { skip },
  async () => {
    const { context, problems } = await newContext(browser, { locale: 'es-ES' });
    try {
      const page = await openEditor(context, server.url);
      // The server writes English; the page's engine Spanish (its messages:
      // why a released milestone stays where it is), and the page shows
      // only the latter.
      const why = await row(page, 'm-1').locator('.handle').getAttribute('aria-label');
      const engine = await nodeEngine({ locale: 'es' });
      const contract = await getJson(server.url, 'demo-client', '/api/contracts/ctr-demo');
      const expected = engine.describe(contract, { actor: 'client' }).milestones[0];
      assert.ok(why.endsWith(expected.can.move.issue.message), why);
      assert.doesNotMatch(why, /cannot|can’t|locked/i);
      assert.deepEqual(problems, [], 'no CSP violations or console errors');
    } finally {
      await context.close();
    }
  },
);
