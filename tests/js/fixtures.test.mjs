// The shared rule cases of tests/fixtures/, through the JS package: the wasm
// engine must answer them as the native suite does, under the policy each case
// names (upwork by default), in English and in Spanish.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jsonpatch from 'fast-json-patch';
import { fixturesDir, loadPackage } from './helpers.mjs';

const { createEngine } = await loadPackage();
const engines = new Map();
async function engineFor(policy, locale) {
  const key = JSON.stringify([policy ?? null, locale ?? null]);
  if (!engines.has(key)) {
    engines.set(
      key,
      await createEngine({ ...(policy ? { policy } : {}), ...(locale ? { locale } : {}) }),
    );
  }
  return engines.get(key);
}

// Every case again in Spanish (issue 14): the same answer but for the words —
// codes, paths, params, events and the resulting contract as in English, and
// every sentence a non-empty string.
const machine = (issues) =>
  issues.map(({ code, path: p, severity, milestoneId, params }) => ({
    code,
    path: p,
    severity,
    milestoneId,
    params,
  }));
function assertSameButWords(es, en) {
  assert.equal(es.ok, en.ok);
  assert.deepEqual(machine(es.issues), machine(en.issues));
  for (const issue of es.issues) assert.ok(typeof issue.message === 'string' && issue.message);
  if (en.events) {
    assert.deepEqual(
      es.events.map(({ type, milestoneId, amount, params }) => ({
        type,
        milestoneId,
        amount,
        params,
      })),
      en.events.map(({ type, milestoneId, amount, params }) => ({
        type,
        milestoneId,
        amount,
        params,
      })),
    );
    for (const event of es.events) assert.ok(typeof event.message === 'string' && event.message);
  }
  if (en.contract) assert.deepEqual(es.contract, en.contract);
}

function cases(folder) {
  const dir = path.join(fixturesDir, folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, data: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) }));
}

// Mirrors tests/engine/fixture_loader.cc's generators.
const GENERATED_BASE =
  '{"id":"ctr-gen","version":1,"currency":"USD","status":"open","initiationFeeCharged":false,' +
  '"carryOver":0,"milestones":[{"id":"m-1","title":"Only","amount":1000,"state":"not_funded",' +
  '"funded":0,"released":0}],"changeRequest":null';

// The document a case describes, as the JS API takes it: an object, or JSON
// text for what objects cannot say. null: a case JS strings cannot express.
function documentOf(fixture) {
  if ('input' in fixture) return fixture.input;
  if ('inputText' in fixture) return fixture.rawBytes ? null : fixture.inputText;
  const { kind, depth, bytes } = fixture.generate;
  let doc = GENERATED_BASE;
  if (kind === 'deep') doc += `,"deep":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}`;
  else if (kind === 'size') {
    doc += ',"padding":"';
    if (bytes > doc.length + 2) doc += 'x'.repeat(bytes - doc.length - 2);
    doc += '"';
  }
  return `${doc}}`;
}

const brief = (issues) =>
  issues.map(({ code, path: p, severity }) => ({ code, path: p, severity }));
// Options as a case gives them; absent means no clock.
const optionsOf = (fixture, extra = {}) => ({ now: null, ...extra, ...(fixture.options ?? {}) });

function assertSubset(actual, expected, where) {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where} is not an array`);
    assert.equal(actual.length, expected.length, `${where}: length`);
    expected.forEach((e, i) => assertSubset(actual[i], e, `${where}/${i}`));
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${where} is not an object`);
    for (const key of Object.keys(expected))
      assertSubset(actual[key], expected[key], `${where}/${key}`);
  } else {
    assert.deepEqual(actual, expected, where);
  }
}

test('validate fixtures', async (t) => {
  for (const { file, data } of cases('validate')) {
    const doc = documentOf(data);
    await t.test(file, { skip: doc === null && 'raw bytes' }, async () => {
      const engine = await engineFor(data.policy);
      const result = engine.validate(doc, optionsOf(data));
      assert.equal(result.ok, data.expect.ok);
      assert.deepEqual(brief(result.issues), brief(data.expect.issues));
      const es = await engineFor(data.policy, 'es');
      assertSameButWords(es.validate(doc, optionsOf(data)), result);
    });
  }
});

test('action fixtures', async (t) => {
  for (const { file, data } of cases('actions')) {
    const doc = documentOf(data);
    await t.test(file, { skip: doc === null && 'raw bytes' }, async () => {
      const engine = await engineFor(data.policy);
      const result = engine.apply(doc, data.action, optionsOf(data));
      assert.equal(result.ok, data.expect.ok, JSON.stringify(result.issues));
      if (data.expect.issues) assert.deepEqual(brief(result.issues), brief(data.expect.issues));
      if (data.expect.events)
        assert.deepEqual(
          result.events.map((e) => e.type),
          data.expect.events,
        );
      if (data.expect.contract) assertSubset(result.contract, data.expect.contract, 'contract');
      // check answers as apply does.
      const checked = engine.check(doc, data.action, optionsOf(data));
      assert.equal(checked.ok, result.ok);
      const es = await engineFor(data.policy, 'es');
      assertSameButWords(es.apply(doc, data.action, optionsOf(data)), result);
    });
  }
});

test('diff, applyChanges and reorder fixtures', async (t) => {
  for (const { file, data } of cases('diff')) {
    await t.test(file, async () => {
      const engine = await engineFor(data.policy);
      const expect = data.expect;
      const kind = data.action?.type ?? 'diff';
      if (kind === 'diff') {
        const { before, after } = data.input;
        const result = engine.diff(before, after);
        for (const key of ['changes', 'patch', 'summary']) {
          if (key in expect) assert.deepEqual(result[key], expect[key], key);
        }
        if ('moveCount' in expect) {
          assert.equal(result.changes.filter((c) => c.op === 'move').length, expect.moveCount);
        }
        // Any RFC 6902 library turns before into after's milestones.
        const patched = jsonpatch.applyPatch(
          structuredClone(before),
          result.patch,
          true,
          false,
        ).newDocument;
        assert.deepEqual(patched.milestones, after.milestones);
        const forward = engine.applyChanges(before, result.changes);
        assert.ok(forward.ok, JSON.stringify(forward.issues));
        assert.deepEqual(
          forward.contract.milestones,
          engine.applyChanges(after, []).contract.milestones,
        );
        const back = engine.applyChanges(after, engine.invertChanges(result.changes));
        assert.ok(back.ok, JSON.stringify(back.issues));
        assert.deepEqual(
          back.contract.milestones,
          engine.applyChanges(before, []).contract.milestones,
        );
      } else if (kind === 'applyChanges') {
        const result = engine.applyChanges(data.input, data.action.changes);
        assert.equal(result.ok, expect.ok);
        if (expect.issues) assert.deepEqual(brief(result.issues), brief(expect.issues));
        if (expect.order)
          assert.deepEqual(
            result.contract.milestones.map((m) => m.id),
            expect.order,
          );
      } else if (kind === 'previewReorder') {
        const result = engine.previewReorder(
          data.input,
          data.action.id,
          data.action.toIndex,
          optionsOf(data),
        );
        assert.equal(result.ok, expect.ok);
        for (const key of ['order', 'changes', 'allowedRange']) {
          if (key in expect) assert.deepEqual(result[key], expect[key], key);
        }
        if (expect.issues) assert.deepEqual(brief(result.issues), brief(expect.issues));
      } else {
        assert.fail(`unknown fixture action ${kind}`);
      }
    });
  }
});
