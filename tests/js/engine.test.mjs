// The engine's JS interface (SPEC 5): shapes, defaults, and the promises the
// page and the server rely on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadPackage, sampleContract, client, freelancer, NOW } from './helpers.mjs';

const { createEngine } = await loadPackage();
const engine = await createEngine();

test('validate answers ok and issues for a good and a bad contract', () => {
  assert.deepEqual(engine.validate(sampleContract(), { now: NOW }), { ok: true, issues: [] });
  const bad = sampleContract();
  bad.milestones[2].amount = 499;
  const result = engine.validate(bad, { now: NOW });
  assert.equal(result.ok, false);
  assert.equal(result.issues[0].code, 'AMOUNT_BELOW_MINIMUM');
  assert.equal(result.issues[0].path, '/milestones/2/amount');
  assert.equal(result.issues[0].milestoneId, 'm-3');
  assert.match(result.issues[0].message, /\$5\.00/);
});

test('now defaults to today, and null turns the clock off', () => {
  const past = sampleContract();
  past.milestones[2].dueDate = '2001-01-01';
  const codes = (r) => r.issues.map((i) => i.code);
  assert.ok(codes(engine.validate(past)).includes('DUE_DATE_IN_PAST'));
  assert.ok(!codes(engine.validate(past, { now: null })).includes('DUE_DATE_IN_PAST'));
  assert.ok(!codes(engine.validate(past, { now: '2000-01-01' })).includes('DUE_DATE_IN_PAST'));
});

test('a contract may also be given as JSON text', () => {
  assert.equal(engine.validate(JSON.stringify(sampleContract()), { now: NOW }).ok, true);
  assert.equal(engine.validate('{"id": 1, "id": 2}').issues[0].code, 'INVALID_JSON');
});

test('check and apply', () => {
  const c = sampleContract();
  const fund = { type: 'fund', id: 'm-3' };
  assert.equal(engine.check(c, fund, client).issues[0].code, 'FUND_WHILE_IN_FLIGHT');
  const release = engine.apply(c, { type: 'release', id: 'm-2' }, client);
  assert.equal(release.ok, true, JSON.stringify(release.issues));
  assert.equal(release.contract.milestones[1].state, 'released');
  assert.ok(release.events.length > 0);
  assert.equal(typeof release.events[0].message, 'string');
  // Inputs are never modified.
  assert.deepEqual(c, sampleContract());
  const role = engine.apply(c, { type: 'fund', id: 'm-3' }, freelancer);
  assert.equal(role.ok, false);
  assert.equal(role.issues[0].code, 'NOT_ALLOWED_FOR_ROLE');
});

test('previewReorder says where a drop is allowed', () => {
  const ok = engine.previewReorder(sampleContract(), 'm-4', 2);
  assert.equal(ok.ok, true);
  assert.deepEqual(ok.order, ['m-1', 'm-2', 'm-4', 'm-3']);
  assert.deepEqual(ok.allowedRange, { from: 2, to: 3 });
  const locked = engine.previewReorder(sampleContract(), 'm-4', 0);
  assert.equal(locked.ok, false);
  assert.equal(locked.issues[0].code, 'MOVE_INTO_LOCKED_RANGE');
  assert.equal(engine.previewReorder(sampleContract(), 'm-4', 1.5).issues[0].code, 'SCHEMA');
  assert.equal(engine.previewReorder(sampleContract(), 42, 1).issues[0].code, 'SCHEMA');
});

test('diff, applyChanges and invertChanges round-trip', () => {
  const before = sampleContract();
  const after = sampleContract();
  after.milestones.reverse();
  after.milestones = [...after.milestones.slice(2).reverse(), ...after.milestones.slice(0, 2)];
  after.milestones[3].amount = 45000;
  const d = engine.diff(before, after);
  assert.ok(Array.isArray(d.changes) && Array.isArray(d.patch) && Array.isArray(d.summary));
  assert.equal(d.summary.length, d.changes.length);
  const forward = engine.applyChanges(before, d.changes);
  assert.equal(forward.ok, true, JSON.stringify(forward.issues));
  assert.deepEqual(
    forward.contract.milestones.map((m) => [m.id, m.amount]),
    after.milestones.map((m) => [m.id, m.amount]),
  );
  const inverse = engine.invertChanges(d.changes);
  assert.ok(Array.isArray(inverse));
  assert.deepEqual(
    engine.applyChanges(after, inverse).contract.milestones.map((m) => m.id),
    before.milestones.map((m) => m.id),
  );
  // A stale list conflicts rather than silently applying.
  const stale = engine.applyChanges(after, d.changes);
  assert.equal(stale.ok, false);
  assert.equal(stale.issues[0].code, 'CHANGE_CONFLICT');
});

test('parseMoney reads exactly or refuses', () => {
  for (const [text, amount] of [
    ['12', 1200],
    ['12.5', 1250],
    ['12.50', 1250],
    ['$1,234.56', 123456],
  ]) {
    assert.deepEqual(engine.parseMoney(text), { ok: true, amount }, text);
  }
  for (const text of ['5.005', '1e2', 'NaN', '-5', '5,00', '', ' ', '\ud800']) {
    const r = engine.parseMoney(text);
    assert.equal(r.ok, false, text);
    assert.equal(r.issues[0].code, 'INVALID_AMOUNT', text);
  }
  for (const value of [12, null, undefined, {}, 12n]) {
    assert.equal(engine.parseMoney(value).issues[0].code, 'INVALID_AMOUNT');
  }
});

test('formatMoney writes minor units as dollars', () => {
  assert.equal(engine.formatMoney(1250), '$12.50');
  assert.equal(engine.formatMoney(123456), '$1,234.56');
  assert.equal(engine.formatMoney(-500), '-$5.00');
  assert.equal(engine.formatMoney(0), '$0.00');
  assert.equal(engine.formatMoney(1250n), '$12.50');
  for (const bad of [1.5, NaN, Infinity, 2 ** 60, '12', null, undefined]) {
    assert.equal(engine.formatMoney(bad), '', String(bad));
  }
});

test('policy overrides are data', async () => {
  const strict = await createEngine({ policy: { minimumAmount: 100000 } });
  // Written back normalised: the shorthand became the one-currency table.
  assert.equal(strict.policy.currencies.USD.minimumAmount, 100000);
  assert.equal(
    strict.policy.currencies.USD.maximumAmount,
    engine.policy.currencies.USD.maximumAmount,
  );
  assert.equal(strict.policy.minimumAmount, undefined);
  assert.equal(
    strict.validate(sampleContract(), { now: NOW }).issues[0].code,
    'AMOUNT_BELOW_MINIMUM',
  );
  // The default engine is untouched by another's policy.
  assert.equal(engine.validate(sampleContract(), { now: NOW }).ok, true);
  await assert.rejects(
    createEngine({ policy: { minimumAmount: 'five' } }),
    (e) => e.code === 'POLICY' && e.issues.length > 0,
  );
  await assert.rejects(createEngine({ policy: { nope: 1 } }), (e) => e.code === 'POLICY');
  await assert.rejects(
    createEngine({ policy: { maxInFlight: 0 } }),
    (e) => e.code === 'POLICY' && e.issues[0].path === '/policy/maxInFlight',
  );
});

test('the shipped policy files, and money in each currency', async () => {
  const file = (name) =>
    JSON.parse(
      readFileSync(new URL(`../../engine/policies/${name}.json`, import.meta.url), 'utf8'),
    );
  const upwork = await createEngine({ policy: file('upwork') });
  assert.deepEqual(upwork.policy, engine.policy);
  const parallel = await createEngine({ policy: file('parallel') });
  assert.equal(parallel.policy.fundingOrder, 'any');
  assert.equal(parallel.formatMoney(123456, 'JPY'), '¥123,456');
  assert.equal(parallel.formatMoney(1235, 'KWD'), 'KWD 1.235');
  assert.equal(parallel.formatMoney(1250), '$12.50');
  assert.equal(parallel.formatMoney(1250, 'CHF'), '');
  assert.equal(parallel.parseMoney('1.5', 'JPY').issues[0].code, 'INVALID_AMOUNT');
  assert.deepEqual(parallel.parseMoney('1.235', 'KWD'), { ok: true, amount: 1235 });
  assert.deepEqual(parallel.parseMoney('¥1,234', 'JPY'), { ok: true, amount: 1234 });
  assert.equal(parallel.parseMoney('1', 'CHF').issues[0].code, 'UNSUPPORTED_CURRENCY');
  assert.equal(parallel.parseMoney('1', 7).issues[0].code, 'UNSUPPORTED_CURRENCY');
  assert.equal(engine.formatMoney(1250, 'JPY'), '');
  // A contract in yen: its sentences are in yen.
  const yen = sampleContract();
  yen.currency = 'JPY';
  const applied = parallel.apply(
    yen,
    { type: 'fund', id: yen.milestones.find((m) => m.state === 'not_funded').id },
    { actor: 'client', now: NOW },
  );
  assert.equal(applied.ok, true, JSON.stringify(applied.issues));
  assert.match(applied.events[0].message, /^Funded “.*”: ¥[\d,]+ charged/);
});

test('a method that does not exist throws an Error with a code', () => {
  assert.throws(
    () => engine.validat(sampleContract()),
    (e) => e instanceof Error && e.code === 'UNKNOWN_METHOD',
  );
  // ...but the engine is not mistaken for a promise, and JSON sees no junk.
  assert.equal(engine.then, undefined);
  assert.throws(
    () => {
      engine.validate = null;
    },
    (e) => e.code === 'READ_ONLY',
  );
});

test('results are plain objects, nothing to delete()', () => {
  const r = engine.validate(sampleContract(), { now: NOW });
  assert.equal(Object.getPrototypeOf(r), Object.prototype);
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
});

test('engines share one wasm instance', async () => {
  const before = engine.memoryUsage();
  const another = await createEngine();
  const after = another.memoryUsage();
  assert.equal(after.engines, before.engines + 1);
  assert.equal(after.heapBytes, before.heapBytes);
});
