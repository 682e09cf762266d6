// Escrow over time from the page (issue 12 item 4, SPEC 3.1), in Chromium
// against the real server: a refund request, its decline into a dispute seen
// by both sides, the mediator (demo-mediator, the marketplace) splitting the
// escrow 70/30, the review window's sentence on submitted work, and axe-core
// on the mediator's view at desktop and phone sizes. Every figure and sentence
// checked is the engine's own answer, asked in Node.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  axeViolations,
  getJson,
  nodeEngine,
  openEditor,
  pagePerTest,
  post,
  row,
} from './helpers.mjs';

const e2e = pagePerTest();
const skip = e2e.skip;
const PHONE = { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true };

let engine;
before(async () => {
  if (!e2e.skip) engine = await nodeEngine();
});

const contractOf = (token = 'demo-client') =>
  getJson(e2e.server.url, token, '/api/contracts/ctr-demo');

// Runs the row action `name` of milestone `id` through its dialog.
async function act(page, id, name, fill = {}) {
  await row(page, id).getByRole('button', { name }).click();
  const dialog = page.locator('#money');
  await dialog.waitFor();
  for (const [field, text] of Object.entries(fill))
    await dialog.locator(`#dialog-${field}`).fill(text);
  await dialog.locator('#money-confirm:not([disabled])').waitFor();
  await dialog.locator('#money-confirm').click();
  await dialog.waitFor({ state: 'hidden' });
}

// A dispute over m-2 ("Build", $1,200.00 in escrow) through the API: the
// client asks for a refund, the freelancer declines it.
async function disputeBuild() {
  let contract = await contractOf();
  let answer = await post(e2e.server.url, 'demo-client', contract.version, [
    { type: 'requestRefund', id: 'm-2', message: 'Nothing was delivered.' },
  ]);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  contract = answer.body.contract;
  answer = await post(e2e.server.url, 'demo-freelancer', contract.version, [
    { type: 'declineRefund', id: 'm-2', reason: 'The build is on staging.' },
  ]);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.contract;
}

test(
  'a refund declined becomes a dispute both sides see; the mediator splits it 70/30',
  { skip },
  async () => {
    // The client asks for the escrow back, with a message.
    const client = await openEditor(e2e.context, e2e.server.url, 'client');
    await act(client, 'm-2', /^Request refund/, { message: 'Nothing was delivered.' });
    let contract = await contractOf();
    assert.equal(contract.milestones[1].refundRequest.message, 'Nothing was delivered.');
    const refundTimer = engine.describe(contract, { actor: 'client' }).milestones[1].timer;
    assert.equal(refundTimer.kind, 'autoRefund');
    await row(client, 'm-2').locator('.timer').waitFor();
    assert.equal(await row(client, 'm-2').locator('.timer').innerText(), refundTimer.message);

    // The freelancer sees the request and its words, and declines with a reason.
    const freelancer = await openEditor(e2e.context, e2e.server.url, 'freelancer');
    assert.match(
      await row(freelancer, 'm-2').innerText(),
      /Refund requested on .+: “Nothing was delivered\.”/,
    );
    await row(freelancer, 'm-2')
      .getByRole('button', { name: /^Decline refund/ })
      .click();
    const dialog = freelancer.locator('#money');
    // No reason yet: the engine's sentence, and nothing can be sent.
    await dialog.locator('#money-issues li').first().waitFor();
    assert.match(await dialog.locator('#money-issues').innerText(), /needs a reason/);
    assert.equal(await dialog.locator('#money-confirm').isDisabled(), true);
    await dialog.locator('#dialog-reason').fill('The build is on staging.');
    await dialog.locator('#money-confirm:not([disabled])').waitFor();
    await dialog.locator('#money-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    contract = await contractOf();
    assert.equal(contract.milestones[1].dispute.by, 'freelancer');

    // Both sides see the dispute, in the row and in the escrow panel.
    for (const [role, page] of [
      ['freelancer', freelancer],
      ['client', await openEditor(e2e.context, e2e.server.url, 'client')],
    ]) {
      await page.locator('#disputes li[data-id="m-2"]').waitFor();
      assert.match(
        await row(page, 'm-2').innerText(),
        /Disputed by the freelancer on .+: “The build is on staging\.”/,
        role,
      );
      const item = await page.locator('#disputes li[data-id="m-2"]').innerText();
      assert.match(item, /The build is on staging\./, role);
      // Neither side resolves; only the side that opened it may withdraw.
      assert.equal(await page.getByRole('button', { name: /^Resolve/ }).count(), 0, role);
    }
    assert.equal(
      await row(freelancer, 'm-2')
        .getByRole('button', { name: /^Withdraw dispute/ })
        .count(),
      1,
    );

    // The mediator: both sides' words, nothing to edit, a split to make.
    const mediator = await openEditor(e2e.context, e2e.server.url, 'marketplace');
    const item = mediator.locator('#disputes li[data-id="m-2"]');
    await item.locator('.said li').first().waitFor();
    const words = await item.innerText();
    assert.match(words, /Opened by the freelancer/);
    assert.match(words, /The build is on staging\./);
    assert.match(words, /Nothing was delivered\./, 'the client’s words, from the history');
    assert.equal(await mediator.locator('#save').isVisible(), false);
    assert.equal(await mediator.locator('#add').isVisible(), false);
    assert.equal(await mediator.locator('#readonly').isVisible(), false);

    // Resolve, from the keyboard.
    await item.getByRole('button', { name: /^Resolve/ }).focus();
    await mediator.keyboard.press('Enter');
    const form = mediator.locator('#money');
    await form.waitFor();
    const escrow = contract.milestones[1].funded;
    const release = Math.round(escrow * 0.7);
    // More than the escrow: the other part is left alone and the engine refuses the split.
    await form.locator('#dialog-release').fill(engine.formatMoney(escrow * 2, 'USD'));
    await form.locator('#money-issues li').first().waitFor();
    assert.match(await form.locator('#money-issues').innerText(), /must split exactly/);
    assert.equal(await form.locator('#money-confirm').isDisabled(), true);
    // 70 %: the refund is filled in with the rest, and the engine accepts it.
    await form.locator('#dialog-release').fill(engine.formatMoney(release, 'USD'));
    assert.equal(
      await form.locator('#dialog-refund').inputValue(),
      engine.formatMoney(escrow - release, 'USD'),
    );
    await form.locator('#money-confirm:not([disabled])').waitFor();
    const expected = engine.apply(
      contract,
      { type: 'resolveDispute', id: 'm-2', release, refund: escrow - release },
      { actor: 'marketplace' },
    );
    assert.deepEqual(
      await form.locator('#money-events li').allInnerTexts(),
      expected.events.map((e) => e.message),
    );
    await form.locator('#money-confirm').click();
    await form.waitFor({ state: 'hidden' });
    contract = await contractOf();
    assert.equal(contract.milestones[1].released, release);
    assert.equal(contract.milestones[1].dispute ?? null, null);
    await mediator.locator('#escrow').waitFor({ state: 'hidden' });

    // Both sides see what was released and refunded.
    const view = engine.describe(contract, { actor: 'client' });
    const built = view.milestones[1];
    for (const role of ['client', 'freelancer']) {
      const page = await openEditor(e2e.context, e2e.server.url, role);
      const text = await row(page, 'm-2').innerText();
      assert.match(text, new RegExp(`Released ${built.text.released.replace('$', '\\$')}`), role);
      assert.match(text, new RegExp(`Refunded ${built.text.refunded.replace('$', '\\$')}`), role);
      const figures = await page.locator('#figures').innerText();
      assert.match(
        figures,
        new RegExp(`Refunded\\s+${view.contract.totals.text.refunded.replace('$', '\\$')}`, 'i'),
      );
      await page.locator('#notifications li').first().waitFor();
      assert.match(await page.locator('#notifications').innerText(), /resolved the dispute/, role);
    }
  },
);

test(
  'submitted work shows its review window: “Releases automatically on …”',
  { skip },
  async () => {
    const freelancer = await openEditor(e2e.context, e2e.server.url, 'freelancer');
    await act(freelancer, 'm-2', /^Submit/, { message: 'Build is done: staging link inside.' });
    const contract = await contractOf();
    assert.equal(contract.milestones[1].state, 'submitted');
    const { timer } = engine.describe(contract, { actor: 'freelancer' }).milestones[1];
    assert.equal(timer.kind, 'autoRelease');
    assert.match(timer.message, /^Releases automatically on .+ unless you act\.$/);
    for (const role of ['freelancer', 'client', 'marketplace']) {
      const page =
        role === 'freelancer' ? freelancer : await openEditor(e2e.context, e2e.server.url, role);
      await row(page, 'm-2').locator('.timer').waitFor();
      assert.equal(await row(page, 'm-2').locator('.timer').innerText(), timer.message, role);
      assert.match(await page.locator('#timers').innerText(), /Releases automatically on/, role);
    }
    const history = await getJson(e2e.server.url, 'demo-client', '/api/contracts/ctr-demo/history');
    assert.ok(
      history.history.at(-1).events.some((e) => /staging link inside/.test(e.message)),
      'the submit message reached the server',
    );
  },
);

test('the client opens a dispute on active work and withdraws it', { skip }, async () => {
  const client = await openEditor(e2e.context, e2e.server.url, 'client');
  await act(client, 'm-2', /^Open dispute/, { reason: 'The agreed scope was not met.' });
  let contract = await contractOf();
  assert.equal(contract.milestones[1].dispute.by, 'client');
  // Frozen: the engine offers no release while it is open.
  await row(client, 'm-2')
    .getByRole('button', { name: /^Withdraw dispute/ })
    .waitFor();
  assert.equal(
    await row(client, 'm-2')
      .getByRole('button', { name: /^Release/ })
      .count(),
    0,
  );
  await act(client, 'm-2', /^Withdraw dispute/);
  contract = await contractOf();
  assert.equal(contract.milestones[1].dispute ?? null, null);
  await row(client, 'm-2')
    .getByRole('button', { name: /^Release/ })
    .waitFor();
});

test('the freelancer approves a refund: the escrow goes back to the client', { skip }, async () => {
  const contract = await contractOf();
  const answer = await post(e2e.server.url, 'demo-client', contract.version, [
    { type: 'requestRefund', id: 'm-2' },
  ]);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const freelancer = await openEditor(e2e.context, e2e.server.url, 'freelancer');
  assert.match(await row(freelancer, 'm-2').innerText(), /Refund requested on [^:]+\./);
  await act(freelancer, 'm-2', /^Approve refund/);
  const after = await contractOf();
  const built = engine.describe(after, { actor: 'freelancer' }).milestones[1];
  assert.equal(built.stateLabel, 'Refunded');
  assert.match(await row(freelancer, 'm-2').locator('.badge').innerText(), /Refunded/i);
  assert.match(
    await row(freelancer, 'm-2').innerText(),
    new RegExp(`Refunded ${built.text.refunded.replace('$', '\\$')}`),
  );
});

for (const [size, options] of [
  ['desktop', null],
  ['phone', PHONE],
]) {
  test(`axe-core: the mediator's view, ${size}`, { skip }, async () => {
    if (options) {
      await e2e.reopen(options);
    }
    await disputeBuild();
    const page = await openEditor(e2e.context, e2e.server.url, 'marketplace');
    await page.locator('#disputes .said li').first().waitFor();
    assert.deepEqual(await axeViolations(page), [], `mediator, ${size}`);
    if (options) {
      assert.equal(
        await page.evaluate(() => document.documentElement.scrollWidth),
        360,
        'no sideways scrolling',
      );
    }
    await page
      .locator('#disputes')
      .getByRole('button', { name: /^Resolve/ })
      .click();
    await page.locator('#money[open]').waitFor();
    assert.deepEqual(await axeViolations(page), [], `mediator, ${size}, resolution form`);
    await page.keyboard.press('Escape');
  });
}
