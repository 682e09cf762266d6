// Escrow over time through the JS package (SPEC 3.1, issue 13): the escrow
// fields, every new action through check and apply, the marketplace actor,
// engine.timers(), and the view model's new `can` entries and `timer`. The
// rules are the engine's (tests/engine/escrow_test.cc); here the package is
// shown to carry them, on the wasm build.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage, sampleContract } from './helpers.mjs';

const { createEngine } = await loadPackage();
const engine = await createEngine();
const codes = (issues) => issues.map((i) => i.code);

const SUBMITTED_ON = '2026-12-01';
const as = (actor, now) => ({ actor, now });

// The sample contract after the freelancer submitted "Build" (m-2) on Dec 1.
function submitted() {
  const r = engine.apply(
    sampleContract(),
    { type: 'submit', id: 'm-2' },
    as('freelancer', SUBMITTED_ON),
  );
  assert.equal(r.ok, true, JSON.stringify(r.issues));
  return r.contract;
}

// Applies `action` as `actor` on `now`, asserting check agrees and it passes.
function step(contract, action, actor, now) {
  const checked = engine.check(contract, action, as(actor, now));
  assert.equal(checked.ok, true, `${JSON.stringify(action)}: ${JSON.stringify(checked.issues)}`);
  const r = engine.apply(contract, action, as(actor, now));
  assert.equal(r.ok, true, `${JSON.stringify(action)}: ${JSON.stringify(r.issues)}`);
  return r;
}

// Refused by both check and apply, with `code` first; the contract unchanged.
function refused(contract, action, actor, now, code) {
  const where = `${actor} ${JSON.stringify(action)}`;
  const checked = engine.check(contract, action, as(actor, now));
  assert.equal(checked.ok, false, where);
  assert.equal(checked.issues[0].code, code, `${where}: ${codes(checked.issues)}`);
  const r = engine.apply(contract, action, as(actor, now));
  assert.equal(r.ok, false, where);
  assert.deepEqual(codes(r.issues), codes(checked.issues), where);
  assert.deepEqual(r.contract, contract, `${where}: the contract is unchanged`);
  assert.deepEqual(r.events, []);
  return checked.issues[0];
}

// A milestone's refunded cents; a document leaves out the default
// (funded - released for a refunded milestone, else 0).
const refundedOf = (m) => m.refunded ?? (m.state === 'refunded' ? m.funded - m.released : 0);

// SPEC 3's invariant: what the client paid into escrow is released,
// refunded, still held, or waiting as carry-over.
function ledger(contract) {
  let funded = 0;
  let out = 0;
  let held = 0;
  for (const m of contract.milestones) {
    const refunded = refundedOf(m);
    funded += m.funded;
    out += m.released + refunded;
    if (m.state === 'active' || m.state === 'submitted') held += m.funded - m.released - refunded;
    assert.ok(m.released + refunded <= m.funded, `${m.id}: released + refunded <= funded`);
  }
  assert.equal(funded, out + held + contract.carryOver, 'no cent created or lost');
}

test('the policy has the two windows, and they are policy data', async () => {
  assert.equal(engine.policy.reviewDays, 14);
  assert.equal(engine.policy.refundResponseDays, 7);
  const fiverr = await createEngine({ policy: { reviewDays: 3, refundResponseDays: 2 } });
  assert.deepEqual([fiverr.policy.reviewDays, fiverr.policy.refundResponseDays], [3, 2]);
  const [timer] = fiverr.timers(submitted(), { now: SUBMITTED_ON });
  assert.equal(timer.due, '2026-12-04');
  await assert.rejects(createEngine({ policy: { reviewDays: 3651 } }), (e) => e.code === 'POLICY');
  await assert.rejects(createEngine({ policy: { reviewDays: -1 } }), (e) => e.code === 'POLICY');
});

test('submit records submittedOn (and needs today); requestChanges clears it', () => {
  const c = submitted();
  assert.equal(c.milestones[1].state, 'submitted');
  assert.equal(c.milestones[1].submittedOn, SUBMITTED_ON);
  const noClock = engine.apply(
    sampleContract(),
    { type: 'submit', id: 'm-2' },
    as('freelancer', null),
  );
  assert.equal(noClock.ok, false);
  assert.deepEqual(
    noClock.issues.map((i) => [i.code, i.path]),
    [['SCHEMA', '/options/now']],
  );
  const back = step(
    c,
    { type: 'requestChanges', id: 'm-2', message: 'Fix the login.' },
    'client',
    '2026-12-03',
  );
  assert.equal(back.contract.milestones[1].state, 'active');
  assert.equal(back.contract.milestones[1].submittedOn, null);
  assert.deepEqual(engine.timers(back.contract, { now: '2026-12-03' }), []);
});

test('timers: the review window of a submitted milestone, with the action the marketplace takes', () => {
  const c = submitted();
  const timers = engine.timers(c, { now: '2026-12-05' });
  assert.deepEqual(timers, [
    {
      milestoneId: 'm-2',
      kind: 'autoRelease',
      due: '2026-12-15',
      daysLeft: 10,
      action: { type: 'release', id: 'm-2' },
      message: 'Releases automatically on Dec 15, 2026 unless you act.',
    },
  ]);
  // daysLeft counts down to 0 and stays there.
  assert.equal(engine.timers(c, { now: '2026-12-15' })[0].daysLeft, 0);
  assert.equal(engine.timers(c, { now: '2027-03-01' })[0].daysLeft, 0);
  // As JSON text too, like every call.
  assert.deepEqual(engine.timers(JSON.stringify(c), { now: '2026-12-05' }), timers);
  // No window runs on the sample contract, nor on an ended one.
  assert.deepEqual(engine.timers(sampleContract(), { now: '2026-12-05' }), []);
  const ended = structuredClone(c);
  ended.status = 'ended';
  assert.deepEqual(engine.timers(ended, { now: '2026-12-05' }), []);
});

test('timers: now defaults to today; null is refused, since a window needs a clock', () => {
  const c = submitted();
  const today = new Date().toISOString().slice(0, 10);
  assert.deepEqual(engine.timers(c), engine.timers(c, { now: today }));
  for (const options of [{ now: null }, { now: '' }]) {
    const r = engine.timers(c, options);
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.issues.map((i) => [i.code, i.path]),
      [['SCHEMA', '/options/now']],
    );
  }
  const bad = engine.timers(c, { now: '2026-02-30' });
  assert.equal(bad.ok, false);
  assert.equal(bad.issues[0].code, 'SCHEMA');
});

test('the marketplace releases submitted work once the review window ran out, not before', () => {
  const c = submitted();
  const early = refused(c, { type: 'release', id: 'm-2' }, 'marketplace', '2026-12-14', 'NOT_DUE');
  assert.equal(early.milestoneId, 'm-2');
  assert.match(early.message, /Dec 15, 2026/);
  // What timers() lists is exactly what apply accepts on the due day.
  const [timer] = engine.timers(c, { now: '2026-12-15' });
  const r = step(c, timer.action, 'marketplace', timer.due);
  const m = r.contract.milestones[1];
  assert.deepEqual([m.state, m.released], ['released', 120000]);
  assert.equal(r.contract.status, 'open');
  assert.ok(r.events.some((e) => e.type === 'released' && e.amount === 120000));
  assert.match(r.events.find((e) => e.type === 'released').message, /marketplace released/);
  assert.deepEqual(engine.timers(r.contract, { now: '2026-12-15' }), []);
  ledger(r.contract);
  // The marketplace never releases active work, nor part of it.
  refused(
    sampleContract(),
    { type: 'release', id: 'm-2' },
    'marketplace',
    '2027-06-01',
    'INVALID_TRANSITION',
  );
  refused(
    c,
    { type: 'release', id: 'm-2', amount: 100 },
    'marketplace',
    '2026-12-20',
    'RELEASE_EXCEEDS_ESCROW',
  );
});

test('the last milestone released by the marketplace keeps the contract open', () => {
  const c = submitted();
  c.milestones.splice(2); // m-2 is now the last one
  const [timer] = engine.timers(c, { now: '2026-12-15' });
  const r = step(c, timer.action, 'marketplace', '2026-12-15');
  assert.equal(r.contract.status, 'open');
  assert.equal(r.contract.milestones[1].state, 'released');
  refused(c, { type: 'release', id: 'm-2', then: 'end' }, 'marketplace', '2026-12-15', 'SCHEMA');
});

test('the marketplace may do nothing else', () => {
  const c = submitted();
  for (const action of [
    { type: 'fund', id: 'm-3' },
    { type: 'submit', id: 'm-2' },
    { type: 'end' },
    { type: 'dispute', id: 'm-2', reason: 'x' },
    { type: 'requestRefund', id: 'm-2' },
    { type: 'edit', id: 'm-3', set: { title: 'x' } },
    { type: 'declineRefund', id: 'm-2', reason: 'x' },
  ]) {
    refused(c, action, 'marketplace', '2026-12-20', 'NOT_ALLOWED_FOR_ROLE');
  }
});

test('requestRefund → approveRefund: the whole escrow goes back to the client', () => {
  const c = submitted();
  const asked = step(
    c,
    { type: 'requestRefund', id: 'm-2', message: 'We cancelled the launch.' },
    'client',
    '2026-12-03',
  );
  const m = asked.contract.milestones[1];
  assert.deepEqual(m.refundRequest, {
    requestedOn: '2026-12-03',
    message: 'We cancelled the launch.',
  });
  assert.deepEqual(
    asked.events.map((e) => [e.type, e.milestoneId, e.amount]),
    [['refundRequested', 'm-2', 120000]],
  );
  // While it waits: no release, no submit, no second request, no automatic release.
  refused(asked.contract, { type: 'release', id: 'm-2' }, 'client', '2026-12-04', 'REFUND_PENDING');
  refused(
    asked.contract,
    { type: 'requestRefund', id: 'm-2' },
    'client',
    '2026-12-04',
    'REFUND_PENDING',
  );
  // The window that runs now is the freelancer's answer window.
  assert.deepEqual(engine.timers(asked.contract, { now: '2026-12-04' }), [
    {
      milestoneId: 'm-2',
      kind: 'autoRefund',
      due: '2026-12-10',
      daysLeft: 6,
      action: { type: 'approveRefund', id: 'm-2' },
      message: 'Refunded automatically on Dec 10, 2026 unless the freelancer answers.',
    },
  ]);
  const approved = step(
    asked.contract,
    { type: 'approveRefund', id: 'm-2' },
    'freelancer',
    '2026-12-05',
  );
  const after = approved.contract.milestones[1];
  assert.deepEqual(
    [after.state, refundedOf(after), after.released, after.refundRequest],
    ['refunded', 120000, 0, null],
  );
  assert.ok(approved.events.some((e) => e.type === 'refunded' && e.amount === 120000));
  ledger(approved.contract);
  // Only the freelancer answers; the client cannot approve its own request.
  refused(
    asked.contract,
    { type: 'approveRefund', id: 'm-2' },
    'client',
    '2026-12-05',
    'NOT_ALLOWED_FOR_ROLE',
  );
  refused(c, { type: 'approveRefund', id: 'm-2' }, 'freelancer', '2026-12-05', 'NO_REFUND_REQUEST');
  refused(
    c,
    { type: 'declineRefund', id: 'm-2', reason: 'x' },
    'freelancer',
    '2026-12-05',
    'NO_REFUND_REQUEST',
  );
});

test('an unanswered refund request is granted by the marketplace when due', () => {
  const asked = step(
    submitted(),
    { type: 'requestRefund', id: 'm-2' },
    'client',
    '2026-12-03',
  ).contract;
  refused(asked, { type: 'approveRefund', id: 'm-2' }, 'marketplace', '2026-12-09', 'NOT_DUE');
  const [timer] = engine.timers(asked, { now: '2026-12-10' });
  const r = step(asked, timer.action, 'marketplace', timer.due);
  assert.equal(r.contract.milestones[1].state, 'refunded');
  assert.match(r.events.find((e) => e.type === 'refunded').message, /did not answer/);
  ledger(r.contract);
});

test('declineRefund opens a dispute by the freelancer, with the reason', () => {
  const asked = step(
    submitted(),
    { type: 'requestRefund', id: 'm-2' },
    'client',
    '2026-12-03',
  ).contract;
  refused(
    asked,
    { type: 'declineRefund', id: 'm-2', reason: '' },
    'freelancer',
    '2026-12-04',
    engine.check(
      asked,
      { type: 'declineRefund', id: 'm-2', reason: '' },
      as('freelancer', '2026-12-04'),
    ).issues[0].code,
  );
  const r = step(
    asked,
    { type: 'declineRefund', id: 'm-2', reason: 'The work was delivered.' },
    'freelancer',
    '2026-12-04',
  );
  const m = r.contract.milestones[1];
  assert.equal(m.refundRequest, null);
  assert.deepEqual(m.dispute, {
    by: 'freelancer',
    openedOn: '2026-12-04',
    reason: 'The work was delivered.',
  });
  assert.deepEqual(
    r.events.map((e) => e.type),
    ['refundDeclined', 'disputeOpened'],
  );
  // A dispute stops every window.
  assert.deepEqual(engine.timers(r.contract, { now: '2027-01-01' }), []);
});

test('dispute freezes the escrow; only the side that opened it withdraws it', () => {
  const c = submitted();
  const opened = step(
    c,
    { type: 'dispute', id: 'm-2', reason: 'Half of it is missing.' },
    'client',
    '2026-12-05',
  );
  const frozen = opened.contract;
  assert.deepEqual(frozen.milestones[1].dispute, {
    by: 'client',
    openedOn: '2026-12-05',
    reason: 'Half of it is missing.',
  });
  assert.equal(opened.events[0].type, 'disputeOpened');
  for (const [action, actor] of [
    [{ type: 'release', id: 'm-2', then: 'keepOpen' }, 'client'],
    [{ type: 'requestChanges', id: 'm-2', message: 'x' }, 'client'],
    [{ type: 'requestRefund', id: 'm-2' }, 'client'],
    [{ type: 'dispute', id: 'm-2', reason: 'again' }, 'freelancer'],
    [{ type: 'end' }, 'client'],
    [{ type: 'end' }, 'freelancer'],
  ]) {
    refused(frozen, action, actor, '2026-12-06', 'DISPUTE_OPEN');
  }
  refused(frozen, { type: 'release', id: 'm-2' }, 'marketplace', '2026-12-31', 'DISPUTE_OPEN');
  assert.deepEqual(engine.timers(frozen, { now: '2026-12-31' }), []);
  refused(frozen, { type: 'withdrawDispute', id: 'm-2' }, 'freelancer', '2026-12-06', 'NO_DISPUTE');
  refused(c, { type: 'withdrawDispute', id: 'm-2' }, 'client', '2026-12-06', 'NO_DISPUTE');
  const withdrawn = step(frozen, { type: 'withdrawDispute', id: 'm-2' }, 'client', '2026-12-06');
  assert.equal(withdrawn.events[0].type, 'disputeWithdrawn');
  // Restored as it was: submitted on Dec 1, its review window running again.
  // (The document now spells the field out, as null.)
  assert.deepEqual(withdrawn.contract.milestones[1], { ...c.milestones[1], dispute: null });
  assert.equal(engine.timers(withdrawn.contract, { now: '2026-12-06' })[0].due, '2026-12-15');
});

test('resolveDispute splits the escrow exactly, as the marketplace only', () => {
  const frozen = step(
    submitted(),
    { type: 'dispute', id: 'm-2', reason: 'Late.' },
    'client',
    '2026-12-05',
  ).contract;
  for (const actor of ['client', 'freelancer']) {
    refused(
      frozen,
      { type: 'resolveDispute', id: 'm-2', release: 84000, refund: 36000 },
      actor,
      '2026-12-08',
      'NOT_ALLOWED_FOR_ROLE',
    );
  }
  for (const [release, refund] of [
    [84000, 35999],
    [120000, 1],
    [0, 0],
  ]) {
    const issue = refused(
      frozen,
      { type: 'resolveDispute', id: 'm-2', release, refund },
      'marketplace',
      '2026-12-08',
      'RESOLUTION_MISMATCH',
    );
    assert.match(issue.message, /\$1,200\.00/);
  }
  refused(
    submitted(),
    { type: 'resolveDispute', id: 'm-2', release: 120000, refund: 0 },
    'marketplace',
    '2026-12-08',
    'NO_DISPUTE',
  );
  // 70/30: paid and refunded exactly, nothing to carry-over.
  const r = step(
    frozen,
    { type: 'resolveDispute', id: 'm-2', release: 84000, refund: 36000 },
    'marketplace',
    '2026-12-08',
  );
  const m = r.contract.milestones[1];
  assert.deepEqual(
    [m.state, m.released, m.refunded, m.dispute ?? null],
    ['released', 84000, 36000, null],
  );
  assert.equal(r.contract.carryOver, 0);
  assert.deepEqual(
    r.events.map((e) => [e.type, e.amount ?? null]),
    [
      ['disputeResolved', null],
      ['released', 84000],
      ['refunded', 36000],
    ],
  );
  ledger(r.contract);
  // All of it refunded: the milestone is refunded.
  const back = step(
    frozen,
    { type: 'resolveDispute', id: 'm-2', release: 0, refund: 120000 },
    'marketplace',
    '2026-12-08',
  );
  assert.equal(back.contract.milestones[1].state, 'refunded');
  ledger(back.contract);
});

test('the client cannot end a contract while escrow is held; the freelancer gives it back', () => {
  const c = sampleContract();
  refused(c, { type: 'end' }, 'client', '2026-12-01', 'ESCROW_HELD');
  const r = step(c, { type: 'end' }, 'freelancer', '2026-12-01');
  assert.equal(r.contract.status, 'ended');
  assert.deepEqual(
    [r.contract.milestones[1].state, refundedOf(r.contract.milestones[1])],
    ['refunded', 120000],
  );
  ledger(r.contract);
});

test('escrow actions read their fields exactly: SCHEMA and INVALID_AMOUNT at their paths', () => {
  const frozen = step(
    submitted(),
    { type: 'dispute', id: 'm-2', reason: 'Late.' },
    'client',
    '2026-12-05',
  ).contract;
  const m = as('marketplace', '2026-12-08');
  const paths = (action, options = m, contract = frozen) =>
    engine.check(contract, action, options).issues.map((i) => [i.code, i.path]);
  assert.deepEqual(paths({ type: 'resolveDispute', id: 'm-2', release: 120000 }), [
    ['SCHEMA', '/refund'],
  ]);
  assert.deepEqual(paths({ type: 'resolveDispute', id: 'm-2', release: '120000', refund: 0 }), [
    ['SCHEMA', '/release'],
  ]);
  assert.deepEqual(paths({ type: 'resolveDispute', id: 'm-2', release: -1, refund: 120001 }), [
    ['INVALID_AMOUNT', '/release'],
  ]);
  assert.deepEqual(paths({ type: 'resolveDispute', id: 'm-2', release: 0.5, refund: 0 }), [
    ['INVALID_AMOUNT', '/release'],
  ]);
  assert.deepEqual(paths({ type: 'dispute', id: 'm-2' }, as('client', '2026-12-08'), submitted()), [
    ['SCHEMA', '/reason'],
  ]);
  assert.deepEqual(
    paths({ type: 'requestRefund', id: 'm-2', amount: 5 }, as('client', '2026-12-08'), submitted()),
    [['SCHEMA', '/amount']],
  );
  assert.deepEqual(paths({ type: 'approveRefund' }, as('freelancer', '2026-12-08'), submitted()), [
    ['SCHEMA', '/id'],
  ]);
});

test('a batch of escrow actions is all or nothing, and the ledger holds through it', () => {
  const c = submitted();
  const batch = [
    { type: 'dispute', id: 'm-2', reason: 'Late.' },
    { type: 'withdrawDispute', id: 'm-2' },
    { type: 'requestRefund', id: 'm-2' },
  ];
  const r = step(c, batch, 'client', '2026-12-05');
  assert.equal(r.contract.milestones[1].refundRequest.requestedOn, '2026-12-05');
  assert.deepEqual(
    r.events.map((e) => e.type),
    ['disputeOpened', 'disputeWithdrawn', 'refundRequested'],
  );
  // The same batch with a refusal at the end changes nothing.
  const failed = engine.apply(
    c,
    [...batch, { type: 'release', id: 'm-2' }],
    as('client', '2026-12-05'),
  );
  assert.equal(failed.ok, false);
  assert.equal(failed.issues[0].code, 'REFUND_PENDING');
  assert.match(failed.issues[0].path, /^\/3\//);
  assert.deepEqual(failed.contract, c);
  ledger(r.contract);
});

test('the escrow fields are read and written back exactly, unknown members kept', () => {
  const c = submitted();
  c.milestones[1].refundRequest = { requestedOn: '2026-12-02', message: 'Stop.', channel: 'email' };
  const v = engine.validate(c, { now: '2026-12-05' });
  assert.deepEqual(
    v.issues.map((i) => [i.code, i.path]),
    [['UNKNOWN_FIELD', '/milestones/1/refundRequest/channel']],
  );
  const r = step(c, { type: 'edit', id: 'm-3', set: { title: 'Go live' } }, 'client', '2026-12-05');
  assert.deepEqual(r.contract.milestones[1].refundRequest, c.milestones[1].refundRequest);
  // A value that breaks the escrow rules is INVALID_ESCROW_STATE on the milestone.
  const bad = sampleContract();
  bad.milestones[2].dispute = { by: 'client', openedOn: '2026-12-01', reason: 'x' };
  const found = engine.validate(bad, { now: '2026-12-05' });
  assert.equal(found.ok, false);
  assert.deepEqual(
    found.issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.milestoneId]),
    [['INVALID_ESCROW_STATE', 'm-3']],
  );
});

test('describe: each role sees the escrow actions it may take, and the running timer', () => {
  const c = submitted();
  const row = (actor, contract = c, now = '2026-12-05') =>
    engine.describe(contract, { actor, now }).milestones[1];
  const client = row('client');
  assert.deepEqual(
    [client.submittedOn, client.refundRequest, client.dispute],
    [SUBMITTED_ON, null, null],
  );
  assert.deepEqual(client.timer, engine.timers(c, { now: '2026-12-05' })[0]);
  const can = (r) =>
    Object.fromEntries(
      [
        'requestRefund',
        'approveRefund',
        'declineRefund',
        'dispute',
        'withdrawDispute',
        'resolveDispute',
        'release',
      ].map((k) => [k, r.can[k].ok]),
    );
  assert.deepEqual(can(client), {
    requestRefund: true,
    approveRefund: false,
    declineRefund: false,
    dispute: true,
    withdrawDispute: false,
    resolveDispute: false,
    release: true,
  });
  assert.equal(client.can.approveRefund.issue.code, 'NOT_ALLOWED_FOR_ROLE');
  assert.equal(client.can.withdrawDispute.issue.code, 'NO_DISPUTE');
  assert.equal(typeof client.can.requestRefund.label, 'string');
  // The marketplace: release is not due yet, and says when it will be.
  const market = row('marketplace');
  assert.equal(market.can.release.ok, false);
  assert.equal(market.can.release.issue.code, 'NOT_DUE');
  assert.equal(row('marketplace', c, '2026-12-15').can.release.ok, true);
  // A refund request: the freelancer may answer it, the marketplace not yet.
  const asked = step(
    c,
    { type: 'requestRefund', id: 'm-2', message: 'Stop.' },
    'client',
    '2026-12-03',
  ).contract;
  const freelancer = row('freelancer', asked);
  assert.deepEqual(freelancer.refundRequest, {
    requestedOn: '2026-12-03',
    message: 'Stop.',
    text: { requestedOn: 'Dec 3, 2026' },
  });
  assert.deepEqual(
    [freelancer.can.approveRefund.ok, freelancer.can.declineRefund.ok, freelancer.timer.kind],
    [true, true, 'autoRefund'],
  );
  // A dispute: the opener may withdraw it, the marketplace resolve it.
  const frozen = step(
    c,
    { type: 'dispute', id: 'm-2', reason: 'Late.' },
    'client',
    '2026-12-05',
  ).contract;
  const disputed = row('client', frozen);
  assert.deepEqual(disputed.dispute, {
    by: 'client',
    openedOn: '2026-12-05',
    reason: 'Late.',
    text: { openedOn: 'Dec 5, 2026' },
  });
  assert.equal(disputed.can.withdrawDispute.ok, true);
  assert.equal(disputed.can.release.issue.code, 'DISPUTE_OPEN');
  assert.equal(disputed.timer, null);
  assert.equal(row('freelancer', frozen).can.withdrawDispute.issue.code, 'NO_DISPUTE');
  assert.equal(row('marketplace', frozen).can.resolveDispute.ok, true);
});

test('can.X is what check answers for X, for every escrow action, role and state', () => {
  const states = [sampleContract(), submitted()];
  states.push(
    step(states[1], { type: 'requestRefund', id: 'm-2' }, 'client', '2026-12-03').contract,
  );
  states.push(
    step(states[1], { type: 'dispute', id: 'm-2', reason: 'x' }, 'freelancer', '2026-12-03')
      .contract,
  );
  const probes = {
    requestRefund: (id) => ({ type: 'requestRefund', id }),
    approveRefund: (id) => ({ type: 'approveRefund', id }),
    declineRefund: (id) => ({ type: 'declineRefund', id, reason: 'Declined.' }),
    dispute: (id) => ({ type: 'dispute', id, reason: 'Disputed.' }),
    withdrawDispute: (id) => ({ type: 'withdrawDispute', id }),
  };
  let compared = 0;
  for (const contract of states) {
    for (const actor of ['client', 'freelancer', 'marketplace']) {
      for (const now of ['2026-12-05', '2026-12-20']) {
        const view = engine.describe(contract, { actor, now });
        for (const row of view.milestones) {
          const escrow = row.escrow;
          const all = {
            ...probes,
            resolveDispute: (id) => ({ type: 'resolveDispute', id, release: escrow, refund: 0 }),
          };
          for (const [name, make] of Object.entries(all)) {
            const checked = engine.check(contract, make(row.id), { actor, now });
            const where = `${actor} ${now} ${row.id} ${name}`;
            assert.equal(row.can[name].ok, checked.ok, where);
            if (!checked.ok) assert.equal(row.can[name].issue.code, checked.issues[0].code, where);
            compared++;
          }
        }
      }
    }
  }
  assert.ok(compared >= 400, `${compared}`);
});

test('sessions: the view carries the escrow entries; escrow actions are not draft edits', () => {
  const c = submitted();
  const s = engine.openSession(c, { actor: 'client', now: '2026-12-05' });
  try {
    const row = s.view.milestones[1];
    assert.equal(row.can.requestRefund.ok, true);
    assert.equal(row.timer.kind, 'autoRelease');
    const before = s.contract;
    for (const action of [
      { type: 'requestRefund', id: 'm-2' },
      { type: 'dispute', id: 'm-2', reason: 'x' },
      { type: 'resolveDispute', id: 'm-2', release: 1, refund: 0 },
    ]) {
      const r = s.apply(action);
      assert.equal(r.applied, false, JSON.stringify(action));
      assert.equal(r.ok, false);
      assert.match(r.issues[0].code, /^[A-Z_]+$/);
    }
    assert.deepEqual(s.contract, before);
    // Editing a future milestone keeps the escrow fields of the others, exactly.
    const edit = s.apply({ type: 'edit', id: 'm-3', set: { amount: 45000 } });
    assert.equal(edit.ok, true, JSON.stringify(edit.issues));
    assert.equal(s.contract.milestones[1].submittedOn, SUBMITTED_ON);
    const changeset = s.changeset();
    assert.equal(changeset.ok, true);
    const applied = engine.apply(c, changeset.actions, as('client', '2026-12-05'));
    assert.deepEqual(applied.contract, s.contract);
  } finally {
    s.dispose();
  }
  // A marketplace session sees the mediator's controls.
  const frozen = step(
    c,
    { type: 'dispute', id: 'm-2', reason: 'x' },
    'client',
    '2026-12-05',
  ).contract;
  const m = engine.openSession(frozen, { actor: 'marketplace', now: '2026-12-05' });
  try {
    assert.equal(m.view.actor, 'marketplace');
    assert.equal(m.view.milestones[1].can.resolveDispute.ok, true);
  } finally {
    m.dispose();
  }
});
