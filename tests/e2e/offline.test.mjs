// Offline: after one visit the service worker serves the page and the engine,
// the page validates, previews and diffs with no network, keeps the draft and
// the unsent changeset in IndexedDB across reloads, and sends the changeset
// exactly once when the network returns.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  getJson,
  launchBrowser,
  listOrder,
  newContext,
  openEditor,
  preconditions,
  row,
  startServer,
} from './helpers.mjs';

const missing = preconditions();
const skip = missing.length ? `missing: ${missing.join(', ')}` : false;

let browser;
let server;

before(async () => {
  if (skip) return;
  browser = await launchBrowser();
  server = await startServer();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test(
  'offline reload works, an offline save is queued and sent once on reconnect',
  { skip },
  async () => {
    const { context, problems } = await newContext(browser);
    const posts = [];
    context.on('requestfinished', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/changesets'))
        posts.push(request.url());
    });
    const page = await openEditor(context, server.url);
    await page.waitForSelector('html[data-offline-ready="true"]');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.locator('#net').getAttribute('data-net'), 'offline');
    assert.deepEqual(await listOrder(page), ['m-1', 'm-2', 'm-3', 'm-4']);

    // The engine runs from the cache: validation, reorder preview and diff.
    const amount = row(page, 'm-3').locator('input[data-field="amount"]');
    await amount.fill('4.99');
    await page.locator('#list li[data-id="m-3"] .field-issue', { hasText: '$5.00' }).waitFor();
    assert.equal(await page.locator('#save').isDisabled(), true);
    await amount.fill('350');
    await row(page, 'm-4').locator('.handle').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.match(await page.locator('#drag-status').innerText(), /cannot move above “Build”/);
    await page.locator('#toggle-changes').click();
    // One edit and one move (which of the two swapped milestones "moved" is
    // the engine's choice).
    const lines = await page.locator('#changes-list li').allInnerTexts();
    assert.equal(lines.length, 2);
    assert.ok(
      lines.includes('Changed the amount of “Testing” from $300.00 to $350.00.'),
      lines.join('|'),
    );
    assert.ok(
      lines.some((l) => /^Moved “(Launch|Testing)” from position [34] to [34]\.$/.test(l)),
      lines.join('|'),
    );

    // The draft survives a reload with no network.
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.deepEqual(await listOrder(page), ['m-1', 'm-2', 'm-4', 'm-3']);
    assert.equal(
      await row(page, 'm-3').locator('input[data-field="amount"]').inputValue(),
      '$350.00',
    );

    await page.locator('#save').click();
    await page.locator('#net[data-queued="1"]').waitFor();
    assert.match(await page.locator('#net').innerText(), /Offline · 1 change set queued/);
    assert.equal(await page.locator('#queued').isVisible(), true);

    // The queued changeset survives a reload too, and is still not sent.
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    await page.locator('#net[data-queued="1"]').waitFor();
    assert.equal(posts.length, 0);

    await context.setOffline(false);
    await page.locator('#net[data-queued="0"][data-net="online"]').waitFor();
    await page.locator('#save-status', { hasText: 'version 2' }).waitFor();
    const contract = await getJson(server.url, 'demo-client', '/api/contracts/ctr-demo');
    assert.equal(contract.version, 2);
    assert.deepEqual(
      contract.milestones.map((m) => m.id),
      ['m-1', 'm-2', 'm-4', 'm-3'],
    );
    assert.equal(contract.milestones[3].amount, 35000);

    // Online again, a reload sends nothing more.
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    await page.locator('#history li', { hasText: 'Version 2' }).waitFor();
    const history = await getJson(server.url, 'demo-client', '/api/contracts/ctr-demo/history');
    assert.equal(history.history.length, 1);
    assert.equal(posts.length, 1);
    await context.close();
    assert.deepEqual(problems, [], 'no CSP violations or console errors');
  },
);
