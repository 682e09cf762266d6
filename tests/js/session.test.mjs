// Sessions (SPEC 5): a draft kept inside the engine, edited keystroke by
// keystroke, turned into the fewest actions that rebuild it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage, sampleContract, bigContract, client, freelancer, NOW } from './helpers.mjs';

const { createEngine } = await loadPackage();
const engine = await createEngine();
const codes = (issues) => issues.map((i) => i.code);

test('a field-value error is kept beside the field; the draft shows what was typed', () => {
  const s = engine.openSession(sampleContract(), client);
  const r = s.apply({ type: 'edit', id: 'm-3', set: { amount: 100 } });
  assert.deepEqual([r.ok, r.applied, r.touched], [false, true, ['m-3']]);
  assert.deepEqual(codes(r.issues), ['AMOUNT_BELOW_MINIMUM']);
  assert.equal(s.contract.milestones[2].amount, 100);
  assert.ok(codes(s.issues).includes('AMOUNT_BELOW_MINIMUM'));
  s.dispose();
});

test('any other error rejects the action and leaves the draft as it was', () => {
  const s = engine.openSession(sampleContract(), client);
  const before = s.contract;
  for (const [action, code] of [
    [{ type: 'edit', id: 'm-2', set: { title: 'x' } }, 'MILESTONE_LOCKED'],
    [{ type: 'delete', id: 'm-1' }, 'MILESTONE_LOCKED'],
    [{ type: 'move', id: 'm-4', toIndex: 0 }, 'MOVE_INTO_LOCKED_RANGE'],
    [{ type: 'edit', id: 'nope', set: { title: 'x' } }, 'UNKNOWN_MILESTONE'],
    [{ type: 'fund', id: 'm-3' }, 'SCHEMA'],
    [{ type: 'edit', id: 'm-3', set: { amount: '12' } }, 'SCHEMA'],
  ]) {
    const r = s.apply(action);
    assert.equal(r.applied, false, JSON.stringify(action));
    assert.equal(r.ok, false);
    assert.ok(codes(r.issues).includes(code), `${JSON.stringify(action)}: ${codes(r.issues)}`);
  }
  assert.deepEqual(s.contract, before);
  s.dispose();
});

test('contract and issues are fetched lazily and refreshed after a change', () => {
  const s = engine.openSession(sampleContract(), client);
  const first = s.contract;
  assert.equal(s.contract, first, 'cached while nothing changed');
  s.apply({ type: 'edit', id: 'm-3', set: { title: 'Go live' } });
  assert.notEqual(s.contract, first);
  assert.equal(s.contract.milestones[2].title, 'Go live');
  assert.equal(first.milestones[2].title, 'Launch', 'an old snapshot stays as it was');
  const rejected = s.contract;
  s.apply({ type: 'edit', id: 'm-2', set: { title: 'x' } });
  assert.equal(s.contract, rejected, 'a rejected action invalidates nothing');
  s.dispose();
});

test('changes() is the Show Changes diff; undo and redo walk back and forth', () => {
  const s = engine.openSession(sampleContract(), client);
  assert.deepEqual(s.changes().changes, []);
  s.apply({ type: 'edit', id: 'm-3', set: { amount: 45000 } });
  s.apply({ type: 'move', id: 'm-4', toIndex: 2 });
  const diff = s.changes();
  assert.deepEqual(diff.changes.map((c) => c.op).sort(), ['edit', 'move']);
  assert.equal(diff.summary.length, 2);
  assert.equal(s.undo().applied, true);
  assert.deepEqual(
    s.contract.milestones.map((m) => m.id),
    ['m-1', 'm-2', 'm-3', 'm-4'],
  );
  assert.equal(s.undo().applied, true);
  assert.equal(s.contract.milestones[2].amount, 30000);
  assert.equal(s.undo().applied, false);
  assert.equal(s.redo().applied, true);
  assert.equal(s.contract.milestones[2].amount, 45000);
  s.dispose();
});

test('changeset actions applied by engine.apply give the draft', () => {
  const base = sampleContract();
  const s = engine.openSession(base, client);
  s.apply({ type: 'add', milestone: { title: '', amount: 0 } });
  const added = s.contract.milestones[4].id;
  const draft = s.changeset();
  assert.equal(draft.ok, false, 'not ok while the draft has errors');
  assert.ok(codes(draft.issues).includes('TITLE_REQUIRED'));
  s.apply({ type: 'edit', id: added, set: { title: 'QA', amount: 25000, dueDate: '2027-03-01' } });
  s.apply({ type: 'edit', id: 'm-3', set: { title: 'Go live' } });
  s.apply({ type: 'edit', id: 'm-3', set: { description: 'Deploy' } });
  s.apply({ type: 'move', id: 'm-4', toIndex: 2 });
  s.apply({ type: 'delete', id: 'm-4' });
  const cs = s.changeset();
  assert.equal(cs.ok, true, JSON.stringify(cs.issues));
  assert.equal(cs.contractId, 'ctr-1001');
  assert.equal(cs.baseVersion, 4);
  assert.equal(cs.actor, 'client');
  // add, one merged edit of m-3, delete: the fewest actions.
  assert.equal(cs.actions.length, 3, JSON.stringify(cs.actions));
  assert.equal(cs.summary.length >= 3, true);
  const applied = engine.apply(base, cs.actions, client);
  assert.equal(applied.ok, true, JSON.stringify(applied.issues));
  assert.deepEqual(applied.contract, s.contract);
  s.dispose();
});

test("a freelancer's draft becomes one proposal", () => {
  const base = sampleContract();
  const s = engine.openSession(base, freelancer);
  assert.equal(s.apply({ type: 'edit', id: 'm-3', set: { amount: 35000 } }).ok, true);
  const cs = s.changeset();
  assert.equal(cs.ok, true);
  assert.equal(cs.actor, 'freelancer');
  assert.equal(cs.actions.length, 1);
  assert.equal(cs.actions[0].type, 'propose');
  const applied = engine.apply(base, cs.actions, freelancer);
  assert.equal(applied.ok, true, JSON.stringify(applied.issues));
  assert.ok(applied.contract.changeRequest);
  s.dispose();
});

test('batches are all or nothing', () => {
  const s = engine.openSession(sampleContract(), client);
  const r = s.apply([
    { type: 'edit', id: 'm-3', set: { title: 'A' } },
    { type: 'edit', id: 'm-2', set: { title: 'B' } },
  ]);
  assert.equal(r.applied, false);
  assert.equal(s.contract.milestones[2].title, 'Launch');
  assert.equal(
    s.apply([
      { type: 'edit', id: 'm-3', set: { title: 'A' } },
      { type: 'edit', id: 'm-4', set: { title: 'B' } },
    ]).applied,
    true,
  );
  s.dispose();
});

test('a keystroke answers with what it touched, not the whole contract', () => {
  const s = engine.openSession(bigContract(1000), client);
  const r = s.apply({ type: 'edit', id: 'm-500', set: { title: 'M' } });
  assert.deepEqual(
    [r.ok, r.applied, r.issues, r.touched, r.removed],
    [true, true, [], ['m-500'], []],
  );
  // The touched row's view and the contract's totals, never the draft itself.
  assert.deepEqual(
    r.rows.map((row) => [row.id, row.index, row.title, row.can.edit.ok]),
    [['m-500', 499, 'M', true]],
  );
  assert.equal(r.order, undefined);
  assert.equal(typeof r.contract.totals.text.amount, 'string');
  assert.equal(r.contract.milestones, undefined);
  // One row (with its thirteen `can` entries, escrow ones included) and the
  // totals: ~5 KB, where the 1,000-row view is ~3 MB.
  assert.ok(JSON.stringify(r).length < 8000, `${JSON.stringify(r).length} bytes`);
  s.dispose();
});

test('session.view is describe() of the draft, and a structural edit gives the new order', () => {
  const s = engine.openSession(bigContract(3), client);
  const r = s.apply({ type: 'delete', id: 'm-2' });
  assert.deepEqual(r.removed, ['m-2']);
  assert.deepEqual(r.order, ['m-1', 'm-3']);
  const view = s.view;
  assert.deepEqual(view, engine.describe(s.contract, client));
  assert.equal(s.view, view, 'cached until the next change');
  assert.equal(s.apply({ type: 'edit', id: 'm-3', set: { title: 'Changed' } }).applied, true);
  assert.equal(s.view.milestones[1].title, 'Changed');
  s.dispose();
});

test('an unreadable contract opens a session that answers with why', () => {
  for (const value of [undefined, 42, 'not json', [], { id: 5 }, null]) {
    const s = engine.openSession(value, client);
    assert.equal(s.contract, null);
    assert.ok(s.issues.length > 0);
    const r = s.apply({ type: 'edit', id: 'm-3', set: { title: 'x' } });
    assert.equal(r.ok, false);
    assert.equal(r.applied, false);
    assert.equal(s.changeset().ok, false);
    s.dispose();
  }
  const cyclic = sampleContract();
  cyclic.self = cyclic;
  const s = engine.openSession(cyclic, client);
  assert.equal(s.issues[0].code, 'INVALID_JSON');
  s.dispose();
  const badActor = engine.openSession(sampleContract(), { actor: 'admin' });
  assert.equal(badActor.issues[0].path, '/options/actor');
  badActor.dispose();
});

test('default actor is the client and default now is today', () => {
  const past = sampleContract();
  past.milestones[2].dueDate = '2001-01-01';
  const s = engine.openSession(past);
  assert.ok(codes(s.issues).includes('DUE_DATE_IN_PAST'));
  assert.equal(s.changeset().actor, 'client');
  s.dispose();
});

test('a disposed session throws an Error with a code; dispose twice is harmless', () => {
  const s = engine.openSession(sampleContract(), client);
  s.dispose();
  s.dispose();
  assert.equal(s.disposed, true);
  for (const use of [
    () => s.apply({}),
    () => s.contract,
    () => s.issues,
    () => s.changes(),
    () => s.undo(),
    () => s.redo(),
    () => s.changeset(),
  ]) {
    assert.throws(use, (e) => e instanceof Error && e.code === 'SESSION_DISPOSED');
  }
  assert.throws(
    () => s.frobnicate(),
    (e) => e.code === 'UNKNOWN_METHOD',
  );
});

test('dispose frees the engine-side draft', () => {
  const before = engine.memoryUsage().sessions;
  const s = engine.openSession(bigContract(50), client);
  assert.equal(engine.memoryUsage().sessions, before + 1);
  s.dispose();
  assert.equal(engine.memoryUsage().sessions, before);
});

test('sessions are independent of each other', () => {
  const a = engine.openSession(sampleContract(), client);
  const b = engine.openSession(sampleContract(), client);
  a.apply({ type: 'edit', id: 'm-3', set: { title: 'A' } });
  assert.equal(b.contract.milestones[2].title, 'Launch');
  a.dispose();
  assert.equal(b.apply({ type: 'edit', id: 'm-3', set: { title: 'B' } }).applied, true);
  b.dispose();
});

test('now in options is used for the past-due warning', () => {
  const c = sampleContract();
  c.milestones[2].dueDate = '2026-12-01';
  const s = engine.openSession(c, { actor: 'client', now: '2026-12-02' });
  assert.ok(codes(s.issues).includes('DUE_DATE_IN_PAST'));
  s.dispose();
  const t = engine.openSession(c, { actor: 'client', now: NOW });
  assert.ok(!codes(t.issues).includes('DUE_DATE_IN_PAST'));
  t.dispose();
});
