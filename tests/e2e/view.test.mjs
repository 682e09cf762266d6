// The editor as a thin view on the engine's view model (issue 12, and the
// page part of issue 11), in Chromium against the real server: the policy's
// 1,000 milestones, keystrokes that redraw only the touched row, every role's
// work, Show Changes in the rows, 360 px and touch, axe-core, the keyboard.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  axeViolations,
  getJson,
  growDemo,
  listOrder,
  nodeEngine,
  openEditor,
  pagePerTest,
  post,
  row,
} from './helpers.mjs';

const e2e = pagePerTest();
const skip = e2e.skip;
const PHONE = { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true };

async function phoneContext() {
  await e2e.reopen(PHONE);
}

const field = (page, id, name) => row(page, id).locator(`[data-field="${name}"]`);

test(
  '1,000 milestones (the policy maximum): every future one is editable, the 1,001st add is refused with the engine’s reason',
  { skip },
  async () => {
    const contract = await growDemo(e2e.server.url, 1000);
    assert.equal(contract.milestones.length, 1000);
    const engine = await nodeEngine();
    const expected = engine.describe(contract, { actor: 'client' });
    assert.equal(expected.contract.can.add.ok, false);

    const page = await openEditor(e2e.context, e2e.server.url);
    const future = expected.milestones.filter((m) => m.can.edit.ok).map((m) => m.id);
    assert.ok(future.length >= 998, `${future.length} editable`);
    const editable = await page
      .locator('#list > li.editable')
      .evaluateAll((rows) => rows.map((r) => r.dataset.id));
    assert.deepEqual(editable, future);
    // No page-wide refusal: the engine refuses only the add.
    assert.equal(await page.locator('#readonly').isVisible(), false);
    assert.equal(await page.locator('#add').isDisabled(), true);
    assert.equal(
      await page.locator('#add-reason').innerText(),
      [expected.contract.can.add.issue.message, expected.contract.can.add.issue.hint]
        .filter(Boolean)
        .join(' '),
    );

    // The last milestone and one in the middle are edited and saved.
    const last = future.at(-1);
    // Rows far from the screen are built when they come near it.
    await row(page, last).scrollIntoViewIfNeeded();
    await field(page, last, 'title').fill('The very last step');
    await row(page, future[500]).scrollIntoViewIfNeeded();
    await field(page, future[500], 'amount').fill('321');
    await page.locator('#save:not([disabled])').waitFor();
    await page.locator('#save').click();
    await page.locator('#save-status', { hasText: 'version 3' }).waitFor();
    const saved = await getJson(e2e.server.url, 'demo-client', '/api/contracts/ctr-demo');
    assert.equal(saved.milestones.find((m) => m.id === last).title, 'The very last step');
    assert.equal(saved.milestones.find((m) => m.id === future[500]).amount, 32100);
    engine.memoryUsage();
  },
);

test(
  'a reload reads the View kept for the same contract, day and build; a changed contract is described again',
  { skip },
  async () => {
    const page = await openEditor(e2e.context, e2e.server.url);
    const keptTag = () =>
      page.evaluate(
        () =>
          new Promise((resolve) => {
            const open = indexedDB.open('milestone-editor');
            open.onsuccess = () => {
              const get = open.result
                .transaction('views')
                .objectStore('views')
                .get('ctr-demo|client');
              get.onsuccess = () => resolve(get.result?.tag ?? null);
              get.onerror = () => resolve(null);
            };
            open.onerror = () => resolve(null);
          }),
      );
    // Kept once the page is up.
    let tag = null;
    for (let i = 0; i < 50 && !tag; i++) {
      await page.waitForTimeout(100);
      tag = await keptTag();
    }
    assert.ok(tag, 'a View is kept');
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await field(page, 'm-3', 'title').inputValue(), 'Testing');
    assert.equal(await keptTag(), tag, 'the same contract keeps the same View');
    // The other side changes the contract: the kept View is not used for it.
    const answer = await post(e2e.server.url, 'demo-client', 1, [
      { type: 'edit', id: 'm-3', set: { title: 'QA pass' } },
    ]);
    assert.equal(answer.status, 200);
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await field(page, 'm-3', 'title').inputValue(), 'QA pass');
    for (let i = 0; i < 50 && (await keptTag()) === tag; i++) await page.waitForTimeout(100);
    assert.notEqual(await keptTag(), tag, 'the new contract’s View is kept in its place');
  },
);

test(
  'a keystroke redraws only the row the session touched, and asks the server nothing',
  { skip },
  async () => {
    // 25 rows: all built at once (rows far off screen are built on scrolling,
    // which would be a mutation of its own).
    await growDemo(e2e.server.url, 25);
    const page = await openEditor(e2e.context, e2e.server.url);
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.evaluate(() => {
      window.touchedRows = new Set();
      window.listChildren = 0;
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.target.id === 'list' && r.type === 'childList') window.listChildren += 1;
          const li = (r.target.nodeType === 1 ? r.target : r.target.parentElement)?.closest(
            '#list > li',
          );
          if (li) window.touchedRows.add(li.dataset.id);
        }
      }).observe(document.getElementById('list'), {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
    });
    await field(page, 'm-20', 'title').pressSequentially(' and more');
    await field(page, 'm-21', 'amount').fill('4.99');
    const seen = await page.evaluate(() => ({
      rows: [...window.touchedRows].sort(),
      list: window.listChildren,
    }));
    assert.deepEqual(seen, { rows: ['m-20', 'm-21'], list: 0 });
    assert.deepEqual(requests, [], 'no request per keystroke');
    // The totals follow the amount the engine read.
    await field(page, 'm-21', 'amount').fill('400');
    assert.match(await page.locator('#figures').innerText(), /\$/);
  },
);

test(
  'the freelancer submits work with a message, the client requests changes with one',
  { skip },
  async () => {
    const freelancer = await openEditor(e2e.context, e2e.server.url, 'freelancer');
    await row(freelancer, 'm-2')
      .getByRole('button', { name: /^Submit/ })
      .click();
    const dialog = freelancer.locator('#money');
    await dialog.locator('#dialog-message').fill('Build is done: staging link inside.');
    await dialog.locator('#money-events li').first().waitFor();
    await dialog.locator('#money-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    let contract = await getJson(e2e.server.url, 'demo-freelancer', '/api/contracts/ctr-demo');
    assert.equal(contract.milestones[1].state, 'submitted');
    // Submitting is done: the engine offers it no more.
    assert.equal(
      await row(freelancer, 'm-2')
        .getByRole('button', { name: /^Submit/ })
        .count(),
      0,
    );

    const client = await openEditor(e2e.context, e2e.server.url, 'client');
    await client.locator('#notifications li').first().waitFor();
    await row(client, 'm-2')
      .getByRole('button', { name: /^Request changes/ })
      .click();
    const cdialog = client.locator('#money');
    // No message: the engine's refusal is shown and nothing can be sent.
    await cdialog.locator('#money-issues li').first().waitFor();
    assert.equal(await cdialog.locator('#money-confirm').isDisabled(), true);
    await cdialog.locator('#dialog-message').fill('The export button does nothing.');
    await cdialog.locator('#money-confirm:not([disabled])').waitFor();
    await cdialog.locator('#money-confirm').click();
    await cdialog.waitFor({ state: 'hidden' });
    contract = await getJson(e2e.server.url, 'demo-client', '/api/contracts/ctr-demo');
    assert.notEqual(contract.milestones[1].state, 'submitted');
    const history = await getJson(e2e.server.url, 'demo-client', '/api/contracts/ctr-demo/history');
    assert.equal(history.history.length, 2);
  },
);

test(
  'Show Changes marks the rows: old values, deleted struck through, moved from where',
  { skip },
  async () => {
    const page = await openEditor(e2e.context, e2e.server.url);
    await field(page, 'm-3', 'title').fill('QA');
    await field(page, 'm-3', 'amount').fill('310');
    await page.locator('#toggle-changes').click();
    const was = row(page, 'm-3').locator('.field-title .was');
    assert.match(await was.innerText(), /Testing/);
    assert.equal(await was.locator('del').innerText(), 'Testing');
    // A screen reader hears it with the field.
    const describedBy = (await field(page, 'm-3', 'title').getAttribute('aria-describedby')).split(
      ' ',
    );
    const heard = (
      await Promise.all(describedBy.map((id) => page.locator(`#${id}`).textContent()))
    ).join(' ');
    assert.match(heard, /Changed\. Was: .*Testing/);
    assert.match(await row(page, 'm-3').locator('.field-amount .was').innerText(), /\$300\.00/);

    // Deleted: still shown, struck through, where it was.
    await row(page, 'm-4')
      .getByRole('button', { name: /Delete/ })
      .click();
    const ghost = page.locator('#list > li[data-deleted-id="m-4"]');
    await ghost.waitFor();
    assert.equal(await ghost.locator('del').first().innerText(), 'Launch');
    assert.match(await ghost.innerText(), /Deleted/);
    assert.deepEqual(await listOrder(page), ['m-1', 'm-2', 'm-3']);

    // Moved: undo the delete, move Launch up, and the row says from where.
    await page.locator('#undo').click();
    await ghost.waitFor({ state: 'detached' });
    await row(page, 'm-4').locator('.handle').focus();
    await page.keyboard.press('ArrowUp');
    assert.deepEqual(await listOrder(page), ['m-1', 'm-2', 'm-4', 'm-3']);
    const moved = await page.locator('#list > li .change-note:not([hidden])').allInnerTexts();
    assert.ok(
      moved.some((t) => /Moved from position [34]/.test(t)),
      moved.join('|'),
    );
    assert.ok(
      (await page.locator('#changes-list li').allInnerTexts()).some((l) => /^Moved/.test(l)),
    );

    // The same control turns it all off.
    await page.locator('#toggle-changes').click();
    assert.equal(await page.locator('#list .was:not([hidden])').count(), 0);
    assert.equal(await page.locator('#list .change-note:not([hidden])').count(), 0);
  },
);

test(
  '360 px wide: fields at least 120 px, titles readable, nothing under a sticky bar, touch drag works',
  { skip },
  async () => {
    await phoneContext();
    const page = await openEditor(e2e.context, e2e.server.url);
    assert.equal(
      await page.evaluate(() => document.documentElement.scrollWidth),
      360,
      'no sideways scrolling',
    );
    const widths = await page
      .locator('#list input, #list textarea')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    assert.ok(widths.length >= 8 && widths.every((w) => w >= 120), widths.join(','));
    // "Wireframes" on one line, not a letter per line.
    const title = await row(page, 'm-1').locator('.title').boundingBox();
    assert.ok(title.width >= 100 && title.height < 40, JSON.stringify(title));
    // Every control a person reaches is visible where it is, not under a bar.
    const targets = page.locator(
      '#list button:not([disabled]), #list input, #list textarea, #add, #save, #discard',
    );
    const count = await targets.count();
    for (let i = 0; i < count; i++) {
      const el = targets.nth(i);
      if (!(await el.isVisible())) continue;
      await el.focus();
      const hit = await el.evaluate((node) => {
        const r = node.getBoundingClientRect();
        const top = document.elementFromPoint(
          r.left + r.width / 2,
          r.top + Math.min(r.height / 2, 10),
        );
        return top === node || node.contains(top);
      });
      assert.ok(hit, `control ${i} is covered`);
    }
    // Touch drag at phone size: Launch above Testing.
    const cdp = await e2e.context.newCDPSession(page);
    const touch = (type, x, y) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: type === 'touchEnd' ? [] : [{ x, y }],
      });
    await row(page, 'm-3').scrollIntoViewIfNeeded();
    const handle = await row(page, 'm-4').locator('.handle').boundingBox();
    const testing = await row(page, 'm-3').boundingBox();
    const x = handle.x + handle.width / 2;
    const y = handle.y + handle.height / 2;
    await touch('touchStart', x, y);
    for (const step of [0.25, 0.5, 0.75, 1])
      await touch('touchMove', x, y + (testing.y + 5 - y) * step);
    await page.locator('#list[data-drop-allowed="true"]').waitFor();
    await touch('touchEnd');
    await page.waitForFunction(
      () => document.querySelector('#list > li:nth-child(3)').dataset.id === 'm-4',
    );
  },
);

for (const [size, options] of [
  ['desktop', null],
  ['phone', PHONE],
]) {
  test(
    `axe-core: no serious or critical violation, client and freelancer, ${size}`,
    { skip },
    async () => {
      if (options) await phoneContext();
      for (const role of ['client', 'freelancer']) {
        const page = await openEditor(e2e.context, e2e.server.url, role);
        await page.locator('#history li').first().waitFor();
        assert.deepEqual(await axeViolations(page), [], `${role}, ${size}`);
        if (role === 'client') {
          // The dialog and Show Changes too.
          await field(page, 'm-3', 'title').fill('QA');
          await page.locator('#toggle-changes').click();
          assert.deepEqual(await axeViolations(page), [], `${role}, ${size}, Show Changes`);
          await row(page, 'm-2')
            .getByRole('button', { name: /^Release/ })
            .click();
          assert.deepEqual(await axeViolations(page), [], `${role}, ${size}, release dialog`);
          await page.keyboard.press('Escape');
        }
        await page.close();
      }
    },
  );
}

test('the keyboard reaches every action', { skip }, async () => {
  for (const role of ['client', 'freelancer']) {
    const page = await openEditor(e2e.context, e2e.server.url, role);
    // Something to undo and save, so every toolbar button is live.
    await field(page, 'm-3', 'title').fill('QA');
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    const wanted = await page.evaluate(() =>
      [...document.querySelectorAll('button, a[href], input, textarea')]
        .filter((el) => !el.disabled && el.getClientRects().length > 0 && !el.closest('dialog'))
        .map((el) => el.id || el.getAttribute('aria-label') || el.textContent.trim()),
    );
    const reached = new Set();
    for (let i = 0; i < 120 && reached.size < wanted.length; i++) {
      await page.keyboard.press('Tab');
      reached.add(
        await page.evaluate(() => {
          const el = document.activeElement;
          return el.id || el.getAttribute('aria-label') || el.textContent.trim();
        }),
      );
    }
    const unreached = wanted.filter((w) => !reached.has(w));
    assert.deepEqual(unreached, [], `${role}: not reached by Tab`);
    // And an action runs from the keyboard: the row's action opens its dialog, Escape closes it.
    const action = row(page, 'm-2').locator('.row-actions button').first();
    await action.focus();
    await page.keyboard.press('Enter');
    await page.locator('#money[open]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('#money:not([open])').waitFor({ state: 'attached' });
    await page.close();
  }
});
