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
