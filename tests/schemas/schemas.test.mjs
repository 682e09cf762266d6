// The package's JSON Schemas (bindings/schemas, shipped as
// milestone-engine/schemas/*.schema.json) against the engine itself: for
// every fixture in tests/fixtures, what the engine (dist/milestone-engine)
// reads without a SCHEMA issue the schema accepts, and what it answers
// SCHEMA for the schema refuses. Every issue, changeset and view the engine
// answers on the way is validated too.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { install, makeAjv, root, schemaFiles, loadSchemas, SCHEMA_BASE } from './deps.mjs';

const dist = path.resolve(process.env.MILESTONE_DIST || path.join(root, 'dist/milestone-engine'));
const fixturesDir = path.join(root, 'tests/fixtures');

let ajv;
let engine;
let createEngine;
const validators = {};
const seen = { issues: 0, changesets: 0, views: 0 };

function cases(folder) {
  const dir = path.join(fixturesDir, folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, data: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) }));
}

const GENERATED_BASE =
  '{"id":"ctr-gen","version":1,"currency":"USD","status":"open","initiationFeeCharged":false,' +
  '"carryOver":0,"milestones":[{"id":"m-1","title":"Only","amount":1000,"state":"not_funded",' +
  '"funded":0,"released":0}],"changeRequest":null';

// The document as a JS value, or undefined when it is not one JSON value JS
// can hold (broken text, raw bytes). The engine is then asked about this
// value re-written as JSON, so both judge the very same document (a "1.0"
// or a repeated key in the text means nothing after JSON.parse).
function valueOf(fixture) {
  if ('input' in fixture) return fixture.input;
  let text;
  if ('inputText' in fixture) {
    if (fixture.rawBytes) return undefined;
    text = fixture.inputText;
  } else {
    const { kind, depth, bytes } = fixture.generate;
    text = GENERATED_BASE;
    if (kind === 'deep') text += `,"deep":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}`;
    else if (kind === 'size') {
      text += ',"padding":"';
      if (bytes > text.length + 2) text += 'x'.repeat(bytes - text.length - 2);
      text += '"';
    }
    text += '}';
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const codes = (issues) => issues.map((i) => i.code);
const explain = (validate) =>
  (validate.errors || []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');

function checkIssues(answer, where) {
  const list = Array.isArray(answer?.issues) ? answer.issues : [];
  for (const issue of list) {
    seen.issues += 1;
    assert.ok(
      validators.issue(issue),
      `${where}: issue ${JSON.stringify(issue)}: ${explain(validators.issue)}`,
    );
  }
}

// The verdict both must agree on: does the engine read `value` as a
// contract without SCHEMA? null when it does not read it at all.
function engineReadsContract(value) {
  const answer = engine.validate(JSON.stringify(value), { now: null });
  checkIssues(answer, 'validate');
  if (codes(answer.issues).includes('INVALID_JSON')) return null;
  return { schemaFree: !codes(answer.issues).includes('SCHEMA'), answer };
}

// An action's verdict: does check answer SCHEMA for it, on a contract where
// nothing else stops it first (its milestone exists and may be edited, no
// request waits) and as the role that may take it? The schema says what the
// engine refuses whatever the contract; a position past the end depends on
// the contract, so no probe uses one.
const HOST = {
  id: 'ctr-host',
  version: 1,
  currency: 'USD',
  status: 'open',
  initiationFeeCharged: false,
  carryOver: 0,
  milestones: ['m-1', 'm-2', 'm-3'].map((id) => ({
    id,
    title: id,
    amount: 1000,
    state: 'not_funded',
    funded: 0,
    released: 0,
  })),
};
// The escrow actions read some fields only once their guards let them that
// far (a blank dispute reason is SCHEMA on a milestone that can be disputed),
// so each is judged on a contract where its milestone, m-1, is in the state
// the action is for.
const escrowHost = (patch) => ({
  ...HOST,
  milestones: HOST.milestones.map((m, i) =>
    i === 0 ? { ...m, state: 'active', funded: m.amount, ...patch } : m,
  ),
});
const ESCROW_HOSTS = {
  requestRefund: escrowHost({}),
  dispute: escrowHost({}),
  approveRefund: escrowHost({ refundRequest: { requestedOn: '2026-11-20' } }),
  declineRefund: escrowHost({ refundRequest: { requestedOn: '2026-11-20' } }),
  withdrawDispute: escrowHost({ dispute: { by: 'client', openedOn: '2026-11-20', reason: 'x' } }),
  resolveDispute: escrowHost({ dispute: { by: 'client', openedOn: '2026-11-20', reason: 'x' } }),
};
const FREELANCER_ACTIONS = new Set([
  'propose',
  'withdraw',
  'submit',
  'approveRefund',
  'declineRefund',
]);
const MARKETPLACE_ACTIONS = new Set(['resolveDispute']);
// A role's own rules are not the action's shape: the marketplace may not say
// `then` (SCHEMA at /then) though the client may, and a SCHEMA at
// /options/now is about the options. So the verdict is the engine's as the
// role the action is for, with a clock, counting SCHEMA inside the action only.
function engineReadsActions(actions, contract = HOST, options = {}) {
  const first = Array.isArray(actions) ? actions[0] : actions;
  const type = first && typeof first === 'object' ? first.type : undefined;
  const actor = FREELANCER_ACTIONS.has(type)
    ? 'freelancer'
    : MARKETPLACE_ACTIONS.has(type)
      ? 'marketplace'
      : 'client';
  if (contract === HOST && ESCROW_HOSTS[type]) contract = ESCROW_HOSTS[type];
  const { actor: _fixtureActor, ...rest } = options;
  // As JSON text: the JS API takes a string as JSON text already.
  const answer = engine.check(contract, JSON.stringify(actions), {
    actor,
    now: '2026-12-01',
    ...rest,
    ...(rest.now == null ? { now: '2026-12-01' } : {}),
  });
  checkIssues(answer, 'check');
  const shape = answer.issues.filter((i) => !i.path.startsWith('/options'));
  return !codes(shape).includes('SCHEMA') && !codes(shape).includes('INVALID_JSON');
}

function agree(kind, value, engineSaysReadable, where) {
  const validate = validators[kind];
  const accepted = validate(value);
  assert.equal(
    accepted,
    engineSaysReadable,
    `${where}: the engine ${engineSaysReadable ? 'reads it' : 'answers SCHEMA'}, the ${kind} schema ` +
      `${accepted ? 'accepts it' : `refuses it (${explain(validate)})`}`,
  );
}

before(async () => {
  assert.ok(
    existsSync(path.join(dist, 'index.mjs')),
    `build the package first (tools/build-dist): ${dist}`,
  );
  const require = install();
  ajv = makeAjv(require);
  for (const name of Object.keys(loadSchemas()))
    validators[name] = ajv.getSchema(`${SCHEMA_BASE}${name}.schema.json`);
  ({ createEngine } = await import(pathToFileURL(path.join(dist, 'index.mjs')).href));
  engine = await createEngine();
});

test('every schema is JSON Schema 2020-12, compiles in strict mode, and ships in the package', () => {
  const shipped = existsSync(path.join(dist, 'schemas'))
    ? readdirSync(path.join(dist, 'schemas')).sort()
    : [];
  assert.deepEqual(shipped, schemaFiles(), 'dist/milestone-engine/schemas/ is bindings/schemas/');
  for (const [name, schema] of Object.entries(loadSchemas())) {
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema', name);
    assert.equal(schema.$id, `${SCHEMA_BASE}${name}.schema.json`, name);
    assert.equal(typeof validators[name], 'function', name);
  }
  for (const name of ['contract', 'action', 'changeset', 'policy', 'issue', 'view']) {
    assert.ok(validators[name], `schemas/${name}.schema.json`);
  }
});

test('contracts: the schema accepts exactly what the engine reads without SCHEMA', async (t) => {
  let schemaCases = 0;
  let readable = 0;
  for (const folder of ['validate', 'actions']) {
    for (const { file, data } of cases(folder)) {
      const value = valueOf(data);
      if (value === undefined) continue;
      await t.test(`${folder}/${file}`, () => {
        const verdict = engineReadsContract(value);
        if (verdict === null) return; // INVALID_JSON: never read
        if (verdict.schemaFree) readable += 1;
        else schemaCases += 1;
        agree('contract', value, verdict.schemaFree, `${folder}/${file}`);
      });
    }
  }
  for (const { file, data } of cases('diff')) {
    const docs = data.input.before ? [data.input.before, data.input.after] : [data.input];
    await t.test(`diff/${file}`, () => {
      for (const doc of docs)
        agree('contract', doc, engineReadsContract(doc).schemaFree, `diff/${file}`);
    });
  }
  console.log(`# contracts: ${readable} read, ${schemaCases} SCHEMA`);
  assert.ok(schemaCases >= 5, 'the fixtures hold SCHEMA cases');
});

// Shapes the fixtures do not reach, each judged by the engine, not by hand.
function contractProbes() {
  const base = () => ({
    id: 'c-1',
    version: 1,
    currency: 'USD',
    status: 'open',
    initiationFeeCharged: false,
    carryOver: 0,
    milestones: [
      { id: 'm-1', title: 'A', amount: 1000, state: 'not_funded', funded: 0, released: 0 },
    ],
  });
  const m = (patch) => {
    const c = base();
    Object.assign(c.milestones[0], patch);
    return c;
  };
  const drop = (key) => {
    const c = base();
    delete c[key];
    return c;
  };
  const dropM = (key) => {
    const c = base();
    delete c.milestones[0][key];
    return c;
  };
  const out = [
    [],
    'text',
    7,
    null,
    { ...base(), extra: { kept: true } },
    { ...base(), initiationFee: null },
    { ...base(), initiationFee: '299' },
    { ...base(), initiationFee: -1 },
    { ...base(), version: -1 },
    { ...base(), version: 1.5 },
    { ...base(), version: 2 ** 53 + 2 },
    { ...base(), status: 'closed' },
    { ...base(), currency: 5 },
    { ...base(), initiationFeeCharged: 'no' },
    { ...base(), carryOver: '0' },
    { ...base(), milestones: {} },
    { ...base(), milestones: [7] },
    { ...base(), changeRequest: 'cr' },
    { ...base(), changeRequest: { id: 'cr-1', by: 'client', actions: [] } },
    { ...base(), changeRequest: { id: 'cr-1', by: 'freelancer' } },
    { ...base(), changeRequest: { id: 'cr-1', by: 'freelancer', actions: [] } },
    {
      ...base(),
      changeRequest: {
        id: 'cr-1',
        by: 'freelancer',
        actions: [{ type: 'delete', id: 'm-1' }],
        message: 5,
      },
    },
    {
      ...base(),
      changeRequest: { id: 7, by: 'freelancer', actions: [{ type: 'delete', id: 'm-1' }] },
    },
    {
      ...base(),
      changeRequest: {
        id: 'cr-1',
        by: 'freelancer',
        actions: [{ type: 'delete', id: 'm-1' }],
        note: 'kept',
      },
    },
    {
      ...base(),
      changeRequest: { id: 'cr-1', by: 'freelancer', actions: [{ type: 'fund', id: 'm-1' }] },
    },
    {
      ...base(),
      changeRequest: {
        id: 'cr-1',
        by: 'freelancer',
        actions: [{ type: 'move', id: 'm-1', toIndex: 0 }],
      },
    },
    {
      ...base(),
      changeRequest: {
        id: 'cr-1',
        by: 'freelancer',
        actions: [{ type: 'edit', id: 'm-1', set: { nope: 1 } }],
      },
    },
    m({ dueDate: 20270101 }),
    m({ dueDate: null }),
    m({ dueDate: 'not a date' }),
    m({ state: 'done' }),
    m({ amount: '1000' }),
    m({ amount: 10.5 }),
    m({ amount: -5 }),
    m({ title: ['A'] }),
    m({ description: null }),
    m({ funded: true }),
    m({ id: 1 }),
    m({ colour: 'red' }),
    // The escrow fields (SPEC 1.1, 3.1).
    m({ submittedOn: null }),
    m({ submittedOn: '2026-12-01' }),
    m({ submittedOn: 20261201 }),
    m({ submittedOn: 'soon' }),
    m({ refunded: 0 }),
    m({ refunded: '0' }),
    m({ refunded: 1.5 }),
    m({ refundRequest: null }),
    m({ refundRequest: 'yes' }),
    m({ refundRequest: {} }),
    m({ refundRequest: { requestedOn: 20261201 } }),
    m({ refundRequest: { requestedOn: '2026-12-01' } }),
    m({ refundRequest: { requestedOn: '2026-12-01', message: null } }),
    m({ refundRequest: { requestedOn: '2026-12-01', message: 7 } }),
    m({ refundRequest: { requestedOn: '2026-12-01', channel: 'email' } }),
    m({ dispute: null }),
    m({ dispute: [] }),
    m({ dispute: { by: 'client', openedOn: '2026-12-01', reason: 'x' } }),
    m({ dispute: { by: 'marketplace', openedOn: '2026-12-01', reason: 'x' } }),
    m({ dispute: { by: 'client', openedOn: '2026-12-01' } }),
    m({ dispute: { by: 'client', reason: 'x' } }),
    m({ dispute: { openedOn: '2026-12-01', reason: 'x' } }),
    m({ dispute: { by: 'freelancer', openedOn: null, reason: 'x' } }),
    m({ dispute: { by: 'freelancer', openedOn: '2026-12-01', reason: 5 } }),
    m({ dispute: { by: 'freelancer', openedOn: '2026-12-01', reason: 'x', ticket: 9 } }),
    m({
      state: 'submitted',
      funded: 1000,
      submittedOn: '2026-12-01',
      dispute: { by: 'client', openedOn: '2026-12-02', reason: 'x' },
    }),
  ];
  for (const key of [
    'id',
    'version',
    'currency',
    'status',
    'initiationFeeCharged',
    'carryOver',
    'milestones',
  ])
    out.push(drop(key));
  for (const key of [
    'id',
    'title',
    'amount',
    'state',
    'funded',
    'released',
    'description',
    'dueDate',
  ])
    out.push(dropM(key));
  return out;
}

test('contracts: hand-made shapes, each judged by the engine', () => {
  for (const [i, value] of contractProbes().entries()) {
    const verdict = engineReadsContract(value);
    if (verdict !== null)
      agree(
        'contract',
        value,
        verdict.schemaFree,
        `probe ${i} ${JSON.stringify(value).slice(0, 120)}`,
      );
  }
});

function actionProbes() {
  return [
    { type: 'fund', id: 'm-1' },
    { type: 'fund' },
    { type: 'fund', id: 3 },
    { type: 'fund', id: 'm-1', amount: 5 },
    { type: 'nope' },
    { id: 'm-1' },
    { type: 7 },
    'fund',
    null,
    [],
    [{ type: 'end' }, { type: 'accept' }],
    [{ type: 'end' }, { type: 'what' }],
    { type: 'add', milestone: { title: 'T', amount: 600 } },
    { type: 'add', milestone: { title: 'T' } },
    { type: 'add', milestone: { amount: 600 } },
    { type: 'add' },
    { type: 'add', milestone: [] },
    { type: 'add', milestone: { title: 'T', amount: 600, state: 'active' } },
    {
      type: 'add',
      milestone: { id: 'm-9', title: 'T', amount: 600, dueDate: null, description: '' },
      index: 0,
    },
    { type: 'add', milestone: { title: 'T', amount: '600' } },
    { type: 'add', milestone: { title: 'T', amount: 6.5 } },
    { type: 'add', milestone: { title: 'T', amount: 600 }, index: 1.5 },
    { type: 'add', milestone: { title: 'T', amount: 600 }, index: -1 },
    { type: 'add', milestone: { title: 'T', amount: 600 }, index: '0' },
    { type: 'edit', id: 'm-1', set: {} },
    { type: 'edit', id: 'm-1' },
    { type: 'edit', id: 'm-1', set: { id: 'x' } },
    { type: 'edit', id: 'm-1', set: { amount: 700, dueDate: 5 } },
    { type: 'edit', id: 'm-1', set: { ammount: 700 } },
    { type: 'edit', set: { title: 'x' } },
    { type: 'delete', id: 'm-1' },
    { type: 'delete', id: 'm-1', force: true },
    { type: 'move', id: 'm-1' },
    { type: 'move', id: 'm-1', toIndex: 0 },
    { type: 'move', id: 'm-1', toIndex: -3 },
    { type: 'move', id: 'm-1', toIndex: 'last' },
    { type: 'propose', actions: [] },
    { type: 'propose' },
    { type: 'propose', actions: {} },
    { type: 'propose', actions: [{ type: 'fund', id: 'm-1' }], message: 'why' },
    { type: 'propose', actions: [{}] },
    { type: 'propose', actions: [{ type: 'delete', id: 'm-1' }], message: 7 },
    { type: 'withdraw' },
    { type: 'withdraw', id: 'm-1' },
    { type: 'accept' },
    { type: 'decline', reason: 'no' },
    { type: 'decline', reason: 1 },
    { type: 'submit', id: 'm-1', message: 'done' },
    { type: 'submit', id: 'm-1', message: null },
    { type: 'requestChanges', id: 'm-1' },
    { type: 'requestChanges', id: 'm-1', message: 'more' },
    { type: 'release', id: 'm-1' },
    { type: 'release', id: 'm-1', amount: -5, then: 'end' },
    { type: 'release', id: 'm-1', then: 'close' },
    { type: 'release', id: 'm-1', amount: '5' },
    { type: 'release', id: 'm-1', then: 'keepOpen', amount: 1.25 },
    { type: 'end' },
    { type: 'end', now: true },
    // Escrow over time (SPEC 3.1).
    { type: 'requestRefund', id: 'm-1' },
    { type: 'requestRefund', id: 'm-1', message: 'Stop.' },
    { type: 'requestRefund', id: 'm-1', message: 5 },
    { type: 'requestRefund', id: 'm-1', amount: 5 },
    { type: 'requestRefund' },
    { type: 'approveRefund', id: 'm-1' },
    { type: 'approveRefund', id: 'm-1', reason: 'ok' },
    { type: 'declineRefund', id: 'm-1', reason: 'Delivered.' },
    { type: 'declineRefund', id: 'm-1' },
    { type: 'declineRefund', id: 'm-1', reason: ' \t\n' },
    { type: 'declineRefund', id: 'm-1', reason: 7 },
    { type: 'dispute', id: 'm-1', reason: 'Late.' },
    { type: 'dispute', id: 'm-1', reason: '' },
    { type: 'dispute', id: 'm-1' },
    { type: 'dispute', id: 'm-1', reason: 'x', by: 'client' },
    { type: 'withdrawDispute', id: 'm-1' },
    { type: 'withdrawDispute' },
    { type: 'resolveDispute', id: 'm-1', release: 700, refund: 300 },
    { type: 'resolveDispute', id: 'm-1', release: 700 },
    { type: 'resolveDispute', id: 'm-1', refund: 300 },
    { type: 'resolveDispute', id: 'm-1', release: '700', refund: 300 },
    { type: 'resolveDispute', id: 'm-1', release: -1, refund: 1001 },
    { type: 'resolveDispute', id: 'm-1', release: 0.5, refund: 999.5 },
    { type: 'resolveDispute', id: 'm-1', release: null, refund: 1000 },
    { type: 'resolveDispute', id: 'm-1', release: 0, refund: 1000, note: 'x' },
    [
      { type: 'dispute', id: 'm-1', reason: 'x' },
      { type: 'withdrawDispute', id: 'm-1' },
    ],
  ];
}

test('actions: the schema accepts exactly what ParseActions reads, fixtures and hand-made shapes', async (t) => {
  for (const { file, data } of cases('actions')) {
    await t.test(`actions/${file}`, () => {
      const value = valueOf(data);
      // On the fixture's own contract and options, when it has a readable one.
      const verdict =
        value !== undefined && engineReadsContract(value)?.schemaFree
          ? engineReadsActions(data.action, value, data.options ?? {})
          : engineReadsActions(data.action);
      agree('action', data.action, verdict, `actions/${file}`);
    });
  }
  for (const [i, action] of actionProbes().entries()) {
    await t.test(`probe ${i}: ${JSON.stringify(action)}`, () => {
      agree('action', action, engineReadsActions(action), `probe ${i}`);
    });
  }
});

test('policies: the schema accepts exactly the policies createEngine takes', async () => {
  const policies = [
    {},
    { minimumAmount: 1000 },
    { currency: 'EUR' },
    { currency: 'eur' },
    { currency: 'EURO' },
    { minimumAmount: -1 },
    { minimumAmount: 1.5 },
    { minimumAmount: '500' },
    { titleMaxLength: 0 },
    { titleMaxLength: 1 },
    { maxMilestones: 0 },
    { descriptionMaxLength: 2 ** 53 + 2 },
    { initiationFee: 0 },
    { unknownKey: 1 },
    { currency: null },
  ];
  for (const { data } of [...cases('validate'), ...cases('actions')])
    if (data.policy) policies.push(data.policy);
  for (const policy of policies) {
    let taken = true;
    try {
      await createEngine({ policy });
    } catch (error) {
      assert.equal(error.code, 'POLICY', error.message);
      for (const issue of error.issues) checkIssues({ issues: [issue] }, 'policy');
      taken = false;
    }
    agree('policy', policy, taken, `policy ${JSON.stringify(policy)}`);
  }
});

test("every answer's issues, and every session's changeset, match their schemas", async () => {
  for (const { data } of cases('actions')) {
    const value = valueOf(data);
    if (value === undefined) continue;
    const e = data.policy ? await createEngine({ policy: data.policy }) : engine;
    const options = { now: null, ...(data.options ?? {}) };
    const applied = e.apply(value, data.action, options);
    checkIssues(applied, 'apply');
    if (applied.ok) {
      agree('contract', applied.contract, true, "apply's contract");
      for (const actor of ['client', 'freelancer']) {
        const s = e.openSession(applied.contract, { actor, now: null });
        const first = applied.contract.milestones.find((m) => m.state === 'not_funded');
        if (first)
          s.apply({ type: 'edit', id: first.id, set: { title: `${first.title} (edited)` } });
        s.apply({ type: 'add', milestone: { title: 'Schema check', amount: 60000 } });
        const changeset = s.changeset();
        s.dispose();
        checkIssues(changeset, 'changeset');
        // An empty changeset is nothing to post (the server answers 400).
        if (changeset.ok && changeset.actions.length > 0) {
          seen.changesets += 1;
          assert.ok(validators.changeset(changeset), `changeset: ${explain(validators.changeset)}`);
          assert.ok(
            engineReadsActions(changeset.actions, applied.contract, { actor }),
            "the engine reads the changeset's actions",
          );
        }
      }
    }
  }
  console.log(`# validated ${seen.issues} issues, ${seen.changesets} changesets`);
  assert.ok(seen.changesets >= 10 && seen.issues >= 100);
  // The schemas are not empty promises: what they must refuse.
  assert.equal(validators.changeset({ actions: [] }), false);
  assert.equal(
    validators.issue({ code: 'lower', severity: 'error', path: '', message: 'x' }),
    false,
  );
  assert.equal(validators.issue({ code: 'A', severity: 'fatal', path: '', message: 'x' }), false);
  assert.equal(
    validators.issue({ code: 'A', severity: 'error', path: 'no-slash', message: 'x' }),
    false,
  );
});

// The views to check: from the JS package's describe() when it has one, else
// from the C API's (libmilestone.so, through the Python binding), which is
// the same json_api::Describe.
function describeAll(requests) {
  if ('describe' in engine)
    return { from: 'the JS package', views: requests.map(([c, o]) => engine.describe(c, o)) };
  const library =
    process.env.MILESTONE_LIBRARY ||
    [
      path.join(root, 'build/native/bindings/c/libmilestone.so'),
      path.join(root, 'build/pkg/bindings/c/libmilestone.so'),
    ].find((f) => existsSync(f));
  if (!library || !existsSync(library)) return null;
  const out = execFileSync('python3', [path.join(root, 'tests/python/describe_views.py')], {
    input: JSON.stringify(requests),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, MILESTONE_LIBRARY: library },
    timeout: 120_000,
  });
  return { from: `libmilestone (${path.relative(root, library)})`, views: JSON.parse(out) };
}

test('timers: every list engine.timers() answers holds timers of view.schema.json', () => {
  const timer = ajv.getSchema(`${SCHEMA_BASE}view.schema.json#/$defs/timer`);
  assert.equal(typeof timer, 'function');
  let checked = 0;
  for (const { file, data } of [...cases('validate'), ...cases('actions')]) {
    const value = valueOf(data);
    if (value === undefined) continue;
    const e = engine;
    for (const now of [data.options?.now ?? '2026-11-27', '2027-06-01']) {
      const answer = e.timers(value, { now });
      if (!Array.isArray(answer)) {
        checkIssues(answer, `timers ${file}`);
        continue;
      }
      for (const t of answer) {
        assert.ok(timer(t), `${file}: ${JSON.stringify(t)}: ${explain(timer)}`);
        // Its action is one the engine reads, and one the action schema accepts.
        assert.ok(validators.action(t.action), `${file}: ${explain(validators.action)}`);
        checked += 1;
      }
      // What the marketplace would apply when due, applied: the contract stays valid.
      for (const t of answer) {
        const applied = e.apply(value, t.action, { actor: 'marketplace', now: t.due });
        if (applied.ok) agree('contract', applied.contract, true, `${file}: after ${t.kind}`);
      }
    }
  }
  console.log(`# validated ${checked} timers`);
  assert.ok(checked >= 5, `only ${checked} timers`);
  assert.equal(
    timer({
      milestoneId: 'm-1',
      kind: 'autoEnd',
      due: '2026-12-01',
      daysLeft: 0,
      action: { type: 'release', id: 'm-1' },
      message: 'x',
    }),
    false,
  );
});

test('the view model: every describe() answer matches view.schema.json', async (t) => {
  const requests = [];
  for (const { data } of [...cases('validate'), ...cases('actions')]) {
    const value = valueOf(data);
    if (value === undefined) continue;
    for (const actor of ['client', 'freelancer', 'marketplace'])
      requests.push([value, { actor, now: data.options?.now ?? null }]);
  }
  const described = describeAll(requests);
  if (described === null) {
    t.skip('neither the JS package nor a built libmilestone has describe');
    return;
  }
  const { from, views } = described;
  assert.equal(views.length, requests.length);
  let readable = 0;
  views.forEach((view, i) => {
    if (view.ok === false && view.issues?.[0]?.code === 'NOT_AVAILABLE') {
      assert.fail(`${from} has no describe yet`);
    }
    if (view.ok) readable += 1;
    assert.ok(
      validators.view(view),
      `view ${i} (${JSON.stringify(requests[i][1])}): ${explain(validators.view)}`,
    );
  });
  // Not an empty promise: a view missing its rows, or a Can without a label, is refused.
  const good = views.find((v) => v.ok && v.milestones.length > 0);
  assert.ok(good, 'a readable view with milestones');
  const noRows = structuredClone(good);
  delete noRows.milestones;
  assert.equal(validators.view(noRows), false);
  const noLabel = structuredClone(good);
  delete noLabel.milestones[0].can.edit.label;
  assert.equal(validators.view(noLabel), false);
  console.log(`# validated ${views.length} views (${readable} of readable contracts) from ${from}`);
});
