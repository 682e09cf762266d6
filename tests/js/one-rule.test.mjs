// Issue 11's defects as the JS package shows them: one id generator, one limit,
// one answer for a refused preview, and options that cannot be read.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { loadPackage, bigContract, client, freelancer } from './helpers.mjs';

const { createEngine } = await loadPackage();
const engine = await createEngine();

function future(ids) {
  return {
    id: 'ctr-one',
    version: 2,
    currency: 'USD',
    status: 'open',
    initiationFeeCharged: false,
    carryOver: 0,
    changeRequest: null,
    milestones: ids.map((id) => ({
      id,
      title: `Step ${id}`,
      amount: 10000,
      state: 'not_funded',
      funded: 0,
      released: 0,
    })),
  };
}
const add = { type: 'add', milestone: { title: 'New', amount: 5000 } };

test('engine.apply and a session generate the same id for the same add', () => {
  const c = future(['m-1', 'm-2', 'm-3', 'm-9']);
  const applied = engine.apply(c, add, client);
  const s = engine.openSession(c, client);
  const edit = s.apply(add);
  assert.equal(applied.contract.milestones.at(-1).id, 'm-10');
  assert.deepEqual(edit.touched, ['m-10']);
  assert.equal(s.contract.milestones.at(-1).id, 'm-10');
  s.dispose();
});

test('a session never reuses a deleted id, so Show Changes says deleted and added', () => {
  const s = engine.openSession(future(['m-1', 'm-2', 'm-3']), client);
  s.apply({ type: 'delete', id: 'm-3' });
  s.apply(add);
  assert.equal(s.contract.milestones.at(-1).id, 'm-4');
  assert.ok(
    s.changes().summary.every((line) => !line.startsWith('Renamed')),
    s.changes().summary.join(' '),
  );
  s.dispose();
});

test('a freelancer draft with no change sends no empty proposal', () => {
  const c = future(['m-1']);
  const s = engine.openSession(c, freelancer);
  for (const step of [
    () => {},
    () => {
      s.apply({ type: 'edit', id: 'm-1', set: { amount: 777 } });
      s.undo();
    },
  ]) {
    step();
    const changeset = s.changeset();
    assert.equal(changeset.ok, true);
    assert.deepEqual(changeset.actions, []);
    assert.equal(engine.check(c, changeset.actions, freelancer).ok, true);
  }
  s.dispose();
});

test('at exactly 1,000 milestones edits go on and the 1,001st add is refused with the engine reason', () => {
  const c = bigContract(1000);
  const view = engine.describe(c, client);
  assert.equal(view.milestones[999].can.edit.ok, true);
  assert.equal(view.contract.can.add.ok, false);
  assert.equal(view.contract.can.add.issue.code, 'TOO_MANY_MILESTONES');
  const s = engine.openSession(c, client);
  assert.equal(
    s.apply({ type: 'edit', id: 'm-999', set: { title: 'Still editable' } }).applied,
    true,
  );
  const refused = s.apply(add);
  assert.equal(refused.applied, false);
  assert.equal(refused.issues[0].message, view.contract.can.add.issue.message);
  s.dispose();
});

test('a preview to -1 or "2" still answers the current order', () => {
  const c = future(['m-1', 'm-2', 'm-3']);
  for (const to of [-1, '2', 1.5, NaN]) {
    const p = engine.previewReorder(c, 'm-3', to);
    assert.equal(p.ok, false);
    assert.deepEqual(p.order, ['m-1', 'm-2', 'm-3'], String(to));
    assert.deepEqual(p.allowedRange, { from: 0, to: 2 });
    assert.equal(p.issues[0].code, 'SCHEMA');
  }
});

test('a revoked Proxy as options is an issue, not a TypeError', () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const c = future(['m-1']);
  for (const call of [
    () => engine.validate(c, proxy),
    () => engine.check(c, add, proxy),
    () => engine.apply(c, add, proxy),
    () => engine.describe(c, proxy),
    () => engine.previewReorder(c, 'm-1', 0, proxy),
  ]) {
    const answer = call();
    assert.equal(answer.ok, false);
    assert.equal(answer.issues[0].code, 'INVALID_JSON');
    assert.equal(answer.issues[0].path, '/options');
  }
  const s = engine.openSession(c, proxy);
  assert.equal(s.apply(add).ok, false);
  s.dispose();
  assert.equal(engine.validate(c).ok, true, 'the next call works normally');
});

test('today is the UTC date', () => {
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(engine.describe(future(['m-1']), { actor: 'client' }).now, today);
});
