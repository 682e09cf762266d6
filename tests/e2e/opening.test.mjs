// How the page opens (issue 12 item 3, docs/page.md "Opening"): it draws the
// saved contract from the view the server's engine made
// (GET /api/contracts/{id}/view) instead of describing it in wasm; a return
// visit sends the kept answer's ETag and, on 304, reads that answer back from
// the device; a contract that changed meanwhile comes whole again; and a view
// the page's engine would not have made (another language) is not used.
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

// The status of every answer to GET …/view the page receives.
function viewAnswers(context) {
  const statuses = [];
  context.on('response', (response) => {
    if (/\/api\/contracts\/[^/]+\/view$/.test(new URL(response.url()).pathname))
      statuses.push(response.status());
  });
  return statuses;
}

test(
  'a return visit reuses the kept view (304); a changed contract comes whole',
  { skip },
  async () => {
    await growDemo(server.url, 200);
    const { context, problems } = await newContext(browser);
    const statuses = viewAnswers(context);
    try {
      const page = await openEditor(context, server.url);
      assert.deepEqual(statuses, [200]);
      const figures = await page.locator('#figures').innerText();
      assert.equal(await page.locator('#list > li[data-id]').count(), 200);
      // The answer is kept once the page is up.
      await page.waitForFunction(() =>
        Object.keys(localStorage).some((k) => k.startsWith('milestone-editor|')),
      );

      await page.reload();
      await page.waitForSelector('html[data-ready="true"]');
      assert.deepEqual(statuses, [200, 304]);
      assert.equal(await page.locator('#figures').innerText(), figures);
      assert.equal(await page.locator('#list > li[data-id]').count(), 200);
      // Rows far from the screen are built when they come near it.
      await row(page, 'm-100').scrollIntoViewIfNeeded();
      assert.equal(
        await row(page, 'm-100').locator('input[data-field="title"]').inputValue(),
        'Step 100',
      );

      // The other side changes the contract: the kept answer is not current.
      const other = await post(server.url, 'demo-client', 2, [
        { type: 'edit', id: 'm-100', set: { title: 'Step one hundred' } },
      ]);
      assert.equal(other.status, 200, JSON.stringify(other.body));
      await page.reload();
      await page.waitForSelector('html[data-ready="true"]');
      assert.deepEqual(statuses, [200, 304, 200]);
      await row(page, 'm-100').scrollIntoViewIfNeeded();
      assert.equal(
        await row(page, 'm-100').locator('input[data-field="title"]').inputValue(),
        'Step one hundred',
      );
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
