// Nothing throws for data (SPEC 5): every entry of the hostile corpus, through
// every entry point, answers `ok: false` with a coded issue, and the next call
// works normally.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage, sampleContract, client, NOW } from './helpers.mjs';
import {
  notDocuments,
  badContracts,
  badActions,
  badChanges,
  badMoney,
  badOptions,
  badActors,
} from './hostile-corpus.mjs';

const { createEngine } = await loadPackage();
const engine = await createEngine();

const CODE = /^[A-Z][A-Z_]+$/;
// Values that are fine as a list (an empty batch, no changes).
const EMPTY_LIST = new Set(['the text []']);

function assertRefused(result, label) {
  assert.ok(result !== null && typeof result === 'object', `${label}: not an object`);
  assert.equal(result.ok, false, `${label}: ok`);
  assert.ok(Array.isArray(result.issues) && result.issues.length > 0, `${label}: no issues`);
  const error = result.issues.find((i) => i.severity === 'error');
  assert.ok(error, `${label}: no error`);
  for (const i of result.issues) {
    assert.match(i.code, CODE, label);
    assert.equal(typeof i.path, 'string', label);
    assert.ok(typeof i.message === 'string' && i.message.length > 0, label);
  }
  return error;
}

// The module is not poisoned: an ordinary call right after answers as usual.
function assertStillWorks() {
  assert.deepEqual(engine.validate(sampleContract(), { now: NOW }), { ok: true, issues: [] });
}

function run(label, call) {
  let result;
  assert.doesNotThrow(() => {
    result = call();
  }, label);
  const error = assertRefused(result, label);
  assertStillWorks();
  return error;
}

const entryPointsForDocuments = {
  validate: (v) => engine.validate(v, { now: NOW }),
  check: (v) => engine.check(v, { type: 'edit', id: 'm-3', set: { title: 'x' } }, client),
  apply: (v) => engine.apply(v, { type: 'edit', id: 'm-3', set: { title: 'x' } }, client),
  previewReorder: (v) => engine.previewReorder(v, 'm-4', 2),
  'diff(before)': (v) => engine.diff(v, sampleContract()),
  'diff(after)': (v) => engine.diff(sampleContract(), v),
  applyChanges: (v) => engine.applyChanges(v, []),
  timers: (v) => engine.timers(v, { now: NOW }),
  describe: (v) => engine.describe(v, client),
  openSession: (v) => {
    const s = engine.openSession(v, client);
    try {
      assertRefused({ ok: false, issues: s.issues }, 'session issues');
      assert.equal(s.contract, null);
      return s.apply({ type: 'edit', id: 'm-3', set: { title: 'x' } });
    } finally {
      s.dispose();
    }
  },
};

for (const [name, make] of notDocuments) {
  test(`not a document: ${name}`, async (t) => {
    for (const [entry, call] of Object.entries(entryPointsForDocuments)) {
      await t.test(entry, () => {
        run(`${name} → ${entry}`, () => call(make()));
      });
    }
  });
}

for (const [name, make] of badContracts) {
  test(`bad contract: ${name}`, async (t) => {
    await t.test('validate', () => {
      run(name, () => engine.validate(make(), { now: NOW }));
    });
    await t.test('apply', () => {
      // The edit leaves the broken milestone (m-3) alone.
      run(name, () =>
        engine.apply(make(), { type: 'edit', id: 'm-4', set: { title: 'x' } }, client),
      );
    });
    await t.test('timers', () => {
      // Refused with an issue, or (a contract read exactly whose findings are
      // the value rules') a list of well-formed timers: never a throw.
      let answer;
      assert.doesNotThrow(() => {
        answer = engine.timers(make(), { now: NOW });
      }, name);
      if (Array.isArray(answer)) {
        for (const timer of answer) assertTimer(timer, name);
      } else {
        assertRefused(answer, name);
      }
      assertStillWorks();
    });
    await t.test('session', () => {
      // A session opens what it can read and reports the rest; either way its
      // issues hold an error and the changeset is refused.
      const s = engine.openSession(make(), client);
      try {
        assertRefused({ ok: false, issues: s.issues }, name);
        assertRefused(s.changeset(), `${name} changeset`);
      } finally {
        s.dispose();
      }
      assertStillWorks();
    });
  });
}

const sessionForActions = engine.openSession(sampleContract(), client);
const actionSources = [...badActions, ...notDocuments.filter(([name]) => !EMPTY_LIST.has(name))];
for (const [name, make] of actionSources) {
  test(`bad action: ${name}`, async (t) => {
    await t.test('check', () => {
      run(name, () => engine.check(sampleContract(), make(), client));
    });
    await t.test('apply', () => {
      run(name, () => engine.apply(sampleContract(), make(), client));
    });
    await t.test('session.apply', () => {
      const before = sessionForActions.contract;
      const error = run(name, () => sessionForActions.apply(make()));
      assert.ok(error);
      assert.deepEqual(sessionForActions.contract, before, 'the draft is unchanged');
    });
  });
}

test('bad changes', async (t) => {
  for (const [name, make] of [...badChanges, ...notDocuments.filter(([n]) => !EMPTY_LIST.has(n))]) {
    await t.test(`applyChanges: ${name}`, () => {
      run(name, () => engine.applyChanges(sampleContract(), make()));
    });
  }
  for (const [name, make] of [
    ...badChanges.slice(0, 4),
    ...notDocuments.filter(([n]) => !EMPTY_LIST.has(n)),
  ]) {
    await t.test(`invertChanges: ${name}`, () => {
      run(name, () => engine.invertChanges(make()));
    });
  }
});

test('parseMoney refuses what it cannot read exactly', async (t) => {
  for (const [name, make] of [...badMoney, ...notDocuments.map(([n, m]) => [n, m])]) {
    const value = make();
    // Strings that happen to be money are not hostile here.
    if (typeof value === 'string' && engine.parseMoney(value).ok) continue;
    await t.test(name, () => {
      const error = run(name, () => engine.parseMoney(value));
      assert.equal(error.code, 'INVALID_AMOUNT');
    });
  }
});

test('formatMoney never throws', () => {
  for (const [name, make] of notDocuments) {
    assert.doesNotThrow(() => assert.equal(typeof engine.formatMoney(make()), 'string'), name);
  }
});

test('bad options', async (t) => {
  for (const [name, make] of badOptions) {
    await t.test(`validate: ${name}`, () => {
      run(name, () => engine.validate(sampleContract(), make()));
    });
    await t.test(`apply: ${name}`, () => {
      run(name, () => engine.apply(sampleContract(), { type: 'end' }, make()));
    });
    await t.test(`openSession: ${name}`, () => {
      const s = engine.openSession(sampleContract(), make());
      try {
        assertRefused({ ok: false, issues: s.issues }, name);
      } finally {
        s.dispose();
      }
    });
  }
  for (const [name, make] of badActors) {
    await t.test(`check: ${name}`, () => {
      run(name, () => engine.check(sampleContract(), { type: 'end' }, make()));
    });
  }
});

// A timer as SPEC 3.1 shapes it.
function assertTimer(timer, label) {
  assert.deepEqual(
    Object.keys(timer),
    ['milestoneId', 'kind', 'due', 'daysLeft', 'action', 'message'],
    label,
  );
  assert.ok(['autoRelease', 'autoRefund'].includes(timer.kind), label);
  assert.match(timer.due, /^\d{4}-\d{2}-\d{2}$/, label);
  assert.ok(Number.isInteger(timer.daysLeft) && timer.daysLeft >= 0, label);
  assert.equal(timer.action.id, timer.milestoneId, label);
}

// A contract with a running window, for the timers' hostile options.
function submittedContract() {
  const c = sampleContract();
  Object.assign(c.milestones[1], { state: 'submitted', submittedOn: '2026-11-20' });
  return c;
}

test('timers: hostile options and escrow fields never throw', async (t) => {
  for (const [name, make] of [
    ...badOptions,
    ['now null', () => ({ now: null })],
    ['now empty', () => ({ now: '' })],
    ['now year 0', () => ({ now: '0000-01-01' })],
    ['now 10 MB', () => ({ now: 'x'.repeat(10 * 1024 * 1024) })],
    ['now a lone surrogate', () => ({ now: '\ud800' })],
    [
      'a Proxy that throws',
      () =>
        new Proxy(
          {},
          {
            get() {
              throw new Error('boom');
            },
            ownKeys() {
              throw new Error('boom');
            },
          },
        ),
    ],
  ]) {
    await t.test(name, () => {
      run(name, () => engine.timers(submittedContract(), make()));
    });
  }
  const escrow = (patch) => () => {
    const c = submittedContract();
    Object.assign(c.milestones[1], patch);
    return c;
  };
  for (const [name, make, valid] of [
    ['submittedOn a number', escrow({ submittedOn: 20261120 })],
    ['submittedOn Feb 30', escrow({ submittedOn: '2026-02-30' })],
    // Valid, but its window would end past the calendar: no timer, no throw.
    ['submittedOn year 9999-12-31', escrow({ submittedOn: '9999-12-31' }), 'valid'],
    ['refundRequest a string', escrow({ refundRequest: 'please' })],
    ['refundRequest without a date', escrow({ refundRequest: {} })],
    [
      'dispute by the marketplace',
      escrow({ dispute: { by: 'marketplace', openedOn: '2026-11-21', reason: 'x' } }),
    ],
    [
      'dispute and refund request at once',
      escrow({
        dispute: { by: 'client', openedOn: '2026-11-21', reason: 'x' },
        refundRequest: { requestedOn: '2026-11-21' },
      }),
    ],
    ['refunded NaN', escrow({ refunded: NaN })],
    ['refunded 1e400', escrow({ refunded: 1e400 })],
    ['refunded more than funded', escrow({ refunded: 10 ** 15 })],
  ]) {
    await t.test(name, () => {
      let answer;
      assert.doesNotThrow(() => {
        answer = engine.timers(make(), { now: NOW });
      }, name);
      if (valid) assert.deepEqual(answer, [], name);
      if (Array.isArray(answer)) for (const timer of answer) assertTimer(timer, name);
      else assertRefused(answer, name);
      assertStillWorks();
      // The same contracts through apply, describe and validate: coded answers.
      const applied = engine.apply(
        make(),
        { type: 'release', id: 'm-2' },
        { actor: 'marketplace', now: NOW },
      );
      assert.equal(typeof applied.ok, 'boolean', name);
      assert.equal(typeof engine.describe(make(), client).ok, 'boolean', name);
      if (valid) assert.equal(engine.validate(make(), { now: NOW }).ok, true, name);
      else assertRefused(engine.validate(make(), { now: NOW }), name);
    });
  }
});

test('escrow actions: hostile fields are coded refusals', async (t) => {
  const frozen = submittedContract();
  frozen.milestones[1].dispute = { by: 'client', openedOn: '2026-11-21', reason: 'x' };
  const market = { actor: 'marketplace', now: NOW };
  for (const [name, action] of [
    ['resolve with NaN', { type: 'resolveDispute', id: 'm-2', release: NaN, refund: 0 }],
    ['resolve with Infinity', { type: 'resolveDispute', id: 'm-2', release: Infinity, refund: 0 }],
    [
      'resolve with 2^53 + 2',
      { type: 'resolveDispute', id: 'm-2', release: 2 ** 53 + 2, refund: 0 },
    ],
    [
      'resolve with 2^53 twice',
      { type: 'resolveDispute', id: 'm-2', release: 2 ** 53, refund: 2 ** 53 },
    ],
    ['resolve with a BigInt', { type: 'resolveDispute', id: 'm-2', release: 1n, refund: 0 }],
    ['resolve with -0.0', { type: 'resolveDispute', id: 'm-2', release: '-0.0', refund: 0 }],
    ['resolve with nothing', { type: 'resolveDispute', id: 'm-2' }],
    ['resolve an unknown milestone', { type: 'resolveDispute', id: 'm-99', release: 0, refund: 0 }],
    [
      'dispute with a 10 MB reason',
      { type: 'dispute', id: 'm-2', reason: 'x'.repeat(10 * 1024 * 1024) },
    ],
    ['dispute with a lone surrogate', { type: 'dispute', id: 'm-2', reason: '\udc00' }],
    ['dispute with a NUL', { type: 'dispute', id: 'm-2', reason: 'a\u0000b' }],
    ['requestRefund with a message object', { type: 'requestRefund', id: 'm-2', message: {} }],
    ['declineRefund without a reason', { type: 'declineRefund', id: 'm-2' }],
    ['withdrawDispute with extra', { type: 'withdrawDispute', id: 'm-2', force: true }],
  ]) {
    await t.test(name, () => {
      for (const options of [market, client, { actor: 'freelancer', now: NOW }]) {
        run(name, () => engine.check(frozen, action, options));
        run(name, () => engine.apply(frozen, action, options));
      }
    });
  }
});

test('NaN and Infinity amounts are amount errors', () => {
  for (const amount of [NaN, Infinity, -Infinity]) {
    const c = sampleContract();
    c.milestones[2].amount = amount;
    const error = run(String(amount), () => engine.validate(c, { now: NOW }));
    assert.ok(['SCHEMA', 'INVALID_AMOUNT'].includes(error.code), error.code);
    assert.equal(error.path, '/milestones/2/amount');
  }
});

test('lone surrogates in text are INVALID_TEXT on their field', () => {
  const c = sampleContract();
  c.milestones[2].title = 'Launch \udc00';
  const error = run('lone surrogate', () => engine.validate(c, { now: NOW }));
  assert.equal(error.code, 'INVALID_TEXT');
  assert.equal(error.path, '/milestones/2/title');
});

test('2,000-deep nesting is INVALID_JSON', () => {
  let deep = 0;
  for (let i = 0; i < 2000; i++) deep = [deep];
  const c = sampleContract();
  c.extra = deep;
  assert.equal(run('deep', () => engine.validate(c)).code, 'INVALID_JSON');
});

test('a cyclic contract says so', () => {
  const c = sampleContract();
  c.self = c;
  const error = run('cyclic', () => engine.validate(c));
  assert.equal(error.code, 'INVALID_JSON');
  assert.match(error.message, /cycle/);
});
