// Funding models through the package (issue 14, "Done when"): under the
// shipped example policy (engine/policies/parallel.json: several milestones
// in flight, funded in any order) a client funds three milestones at once,
// out of order, releases two of them, and every cent is accounted for;
// under `upwork` the second fund is refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadPackage } from './helpers.mjs';

const { createEngine } = await loadPackage();
const policy = (name) =>
  JSON.parse(readFileSync(new URL(`../../engine/policies/${name}.json`, import.meta.url), 'utf8'));
const NOW = '2026-12-01';
const client = { actor: 'client', now: NOW };

function contract(currency) {
  return {
    id: 'ctr-funding',
    version: 1,
    currency,
    status: 'open',
    initiationFeeCharged: false,
    carryOver: 0,
    milestones: [1, 2, 3, 4].map((i) => ({
      id: `m-${i}`,
      title: `Step ${i}`,
      amount: 10000 * i + 1,
      state: 'not_funded',
      funded: 0,
      released: 0,
    })),
  };
}

// Money in = money out: every cent charged is released, refunded or still in
// escrow, milestone by milestone and in the totals the view model shows.
function assertLedger(engine, doc, charged) {
  const sum = (f) => doc.milestones.reduce((s, m) => s + (m[f] ?? 0), 0);
  assert.equal(sum('funded'), charged, 'funded equals what the events charged');
  const totals = engine.describe(doc, client).contract.totals;
  assert.equal(totals.funded, charged);
  assert.equal(totals.released + totals.refunded + totals.escrow, charged);
  assert.equal(totals.escrow, sum('funded') - sum('released') - sum('refunded'));
  assert.deepEqual(engine.validate(doc, { now: NOW }), { ok: true, issues: [] });
}

for (const currency of ['EUR', 'JPY', 'KWD']) {
  test(`three milestones funded at once in any order, in ${currency}, and the ledger balances`, async () => {
    const engine = await createEngine({ policy: policy('parallel') });
    let doc = contract(currency);
    let charged = 0;
    for (const id of ['m-3', 'm-1', 'm-4']) {
      const check = engine.check(doc, { type: 'fund', id }, client);
      assert.equal(check.ok, true, JSON.stringify(check.issues));
      const r = engine.apply(doc, { type: 'fund', id }, client);
      assert.equal(r.ok, true, JSON.stringify(r.issues));
      const event = r.events.find((e) => e.type === 'charged');
      assert.equal(event.milestoneId, id);
      assert.equal(event.params.currency, currency);
      charged += event.amount;
      doc = r.contract;
    }
    assert.deepEqual(
      doc.milestones.map((m) => m.state),
      ['active', 'not_funded', 'active', 'active'],
    );
    assert.equal(charged, 10001 + 30001 + 40001);
    assertLedger(engine, doc, charged);
    // The view model offers the remaining fund too (five may be in flight).
    const view = engine.describe(doc, client);
    assert.equal(view.milestones.find((row) => row.id === 'm-2').can.fund.ok, true);
    // Releases in another order again; the money stays whole.
    for (const id of ['m-4', 'm-3']) {
      const r = engine.apply(doc, { type: 'release', id }, client);
      assert.equal(r.ok, true, JSON.stringify(r.issues));
      doc = r.contract;
    }
    assertLedger(engine, doc, charged);
    assert.equal(engine.describe(doc, client).contract.totals.released, 30001 + 40001);
  });
}

test('in Spanish the same funding is written in Spanish, in the contract currency', async () => {
  const engine = await createEngine({ policy: policy('parallel'), locale: 'es' });
  let doc = contract('EUR');
  const messages = [];
  for (const id of ['m-2', 'm-4', 'm-1']) {
    const r = engine.apply(doc, { type: 'fund', id }, client);
    assert.equal(r.ok, true, JSON.stringify(r.issues));
    messages.push(r.events.find((e) => e.type === 'charged').message);
    doc = r.contract;
  }
  for (const message of messages) assert.match(message, /\d,\d\d\u00a0€/, message);
  assertLedger(engine, doc, 20001 + 40001 + 10001);
});

test('under upwork a second milestone cannot be funded while one is in flight', async () => {
  const engine = await createEngine({ policy: policy('upwork') });
  const first = engine.apply(contract('USD'), { type: 'fund', id: 'm-1' }, client);
  assert.equal(first.ok, true, JSON.stringify(first.issues));
  const second = engine.apply(first.contract, { type: 'fund', id: 'm-3' }, client);
  assert.equal(second.ok, false);
  assert.ok(
    second.issues.some((i) => ['FUND_WHILE_IN_FLIGHT', 'OUT_OF_SEQUENCE'].includes(i.code)),
    JSON.stringify(second.issues),
  );
});
