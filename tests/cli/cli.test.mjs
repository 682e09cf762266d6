// The `milestone` command as scripts and CI use it: the JSON it prints and its
// exit status (0 ok, 1 not ok, 2 unusable input or usage), decided by the
// engine's typed results.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.MILESTONE_CLI ?? path.join(repo, 'build/native/tools/milestone');
const dir = mkdtempSync(path.join(tmpdir(), 'milestone-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fixtureInput(name) {
  const file = path.join(dir, `${name}.json`);
  const fixture = JSON.parse(
    readFileSync(path.join(repo, 'tests/fixtures/validate', `${name}.json`), 'utf8'),
  );
  writeFileSync(file, JSON.stringify(fixture.input));
  return file;
}

function run(args, input) {
  const r = spawnSync(cli, args, { input, encoding: 'utf8' });
  let json = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    /* --help and --version print text */
  }
  return { status: r.status, json, stdout: r.stdout, stderr: r.stderr };
}

const valid = fixtureInput('valid-spec-example');
const invalid = fixtureInput('findings-across-document');

test('validate: a valid contract exits 0 with ok and no issues', () => {
  const r = run(['validate', valid, '--now', '2026-11-27']);
  assert.equal(r.status, 0);
  assert.deepEqual(r.json, { ok: true, issues: [] });
});

test('validate: findings exit 1 and are the issues of SPEC 2.1, in document order', () => {
  const r = run(['validate', invalid, '--now', '2026-11-27']);
  assert.equal(r.status, 1);
  assert.deepEqual(
    r.json.issues.map((i) => [i.code, i.path]),
    [
      ['UNSUPPORTED_CURRENCY', '/currency'],
      ['INVALID_DATE', '/milestones/0/dueDate'],
      ['AMOUNT_ABOVE_MAXIMUM', '/milestones/2/amount'],
    ],
  );
  for (const i of r.json.issues) assert.match(i.message, /\.$/);
});

test('validate: standard input with -', () => {
  const r = run(['validate', '-', '--now', '2026-11-27'], readFileSync(valid));
  assert.equal(r.status, 0);
  assert.equal(r.json.ok, true);
});

test('validate: text that is not JSON exits 2 with INVALID_JSON', () => {
  const r = run(['validate', '-'], '{"id": ');
  assert.equal(r.status, 2);
  assert.equal(r.json.issues[0].code, 'INVALID_JSON');
});

// The one error envelope of the CLI's own refusals.
function assertEnvelope(r, code, where) {
  assert.equal(r.status, 2, where);
  assert.equal(r.json?.ok, false, where);
  assert.equal(r.json.issues.length, 1, where);
  const [issue] = r.json.issues;
  assert.deepEqual(
    Object.keys(issue),
    ['code', 'severity', 'path', 'message', 'hint', 'params'],
    where,
  );
  assert.equal(issue.code, code, where);
  assert.equal(issue.severity, 'error', where);
  assert.match(issue.message, /\.$/, where);
  assert.match(r.stderr, /^milestone: /, where);
}

test('usage errors exit 2 with the USAGE envelope, and the usage on standard error', () => {
  for (const args of [
    [],
    ['frobnicate'],
    ['validate'],
    ['validate', valid, 'extra'],
    ['validate', valid, '--now', '2026-13-01'],
    ['validate', valid, '--now'],
    ['validate', valid, '--frob'],
    ['apply', valid, '{"type":"end"}'],
    ['apply', valid, '{"type":"end"}', '--as', 'nobody'],
    ['check', valid, '--as', 'client'],
    ['describe', valid],
    ['describe', valid, '--as', 'admin'],
    ['diff', valid],
    ['diff', '-', '-'],
  ]) {
    const r = run(args, '');
    assertEnvelope(r, 'USAGE', args.join(' '));
    assert.match(r.stderr, /usage:/, args.join(' '));
  }
});

test('a file that cannot be opened exits 2 with the FILE_UNREADABLE envelope', () => {
  const missing = path.join(dir, 'missing.json');
  for (const args of [
    ['validate', missing],
    ['apply', valid, missing, '--as', 'client'],
    ['diff', valid, missing],
    ['describe', missing, '--as', 'client'],
    ['validate', valid, '--policy', missing],
  ]) {
    const r = run(args);
    assertEnvelope(r, 'FILE_UNREADABLE', args.join(' '));
    assert.match(r.json.issues[0].message, /missing\.json/);
  }
});

test('--help exits 0 and says which day today is; --version prints the project version', () => {
  const help = run(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout ?? '', /./);
  const text = spawnSync(cli, ['--help'], { encoding: 'utf8' }).stdout;
  assert.match(text, /milestone describe FILE --as ACTOR/);
  assert.match(text, /milestone timers FILE/);
  assert.match(text, /UTC/);
  const version = spawnSync(cli, ['--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0);
  const cmake = readFileSync(path.join(repo, 'CMakeLists.txt'), 'utf8');
  const project = cmake.match(/project\(milestone_engine VERSION ([0-9.]+)/)[1];
  assert.equal(version.stdout, `milestone ${project}\n`);
});

test('a bad policy file exits 2 with its POLICY issues', () => {
  const policy = path.join(dir, 'policy.json');
  writeFileSync(policy, '{"minimumAmount": "five"}');
  const r = run(['validate', valid, '--policy', policy]);
  assert.equal(r.status, 2);
  assert.equal(r.json.ok, false);
  assert.equal(r.json.issues[0].code, 'POLICY');
  writeFileSync(policy, '{"minimumAmount": 60000}');
  const strict = run(['validate', valid, '--now', '2026-11-27', '--policy', policy]);
  assert.equal(strict.status, 1);
  assert.ok(strict.json.issues.some((i) => i.code === 'AMOUNT_BELOW_MINIMUM'));
});

test('validate: a document that is JSON but not a contract exits 2', () => {
  const r = run(['validate', '-'], '{"id": 1}');
  assert.equal(r.status, 2);
  assert.equal(r.json.ok, false);
  assert.equal(r.json.issues[0].code, 'SCHEMA');
});

test('check: 0 when allowed, 1 when refused, 2 for an unreadable action or contract', () => {
  const ok = run(['check', valid, '{"type":"submit","id":"m-2"}', '--as', 'freelancer']);
  assert.equal(ok.status, 0);
  assert.deepEqual(ok.json, { ok: true, issues: [] });
  const refused = run(['check', valid, '{"type":"fund","id":"m-3"}', '--as', 'client']);
  assert.equal(refused.status, 1);
  assert.equal(refused.json.issues[0].code, 'FUND_WHILE_IN_FLIGHT');
  const badAction = run(['check', valid, '{"type":"explode"}', '--as', 'client']);
  assert.equal(badAction.status, 2);
  assert.equal(badAction.json.ok, false);
  assert.equal(badAction.json.issues[0].code, 'SCHEMA');
  const badContract = run(['check', '-', '{"type":"end"}', '--as', 'client'], 'nope');
  assert.equal(badContract.status, 2);
  assert.equal(badContract.json.issues[0].code, 'INVALID_JSON');
});

test('apply: an action that cannot be read exits 2 with the contract unchanged', () => {
  const r = run(['apply', valid, '[{"type":"fund"}', '--as', 'client']);
  assert.equal(r.status, 2);
  assert.equal(r.json.ok, false);
  assert.deepEqual(r.json.contract, JSON.parse(readFileSync(valid, 'utf8')));
  assert.equal(r.json.issues[0].code, 'INVALID_JSON');
});

test('describe: the view model for each actor, exit 0', () => {
  const contract = JSON.parse(readFileSync(valid, 'utf8'));
  for (const actor of ['client', 'freelancer', 'marketplace']) {
    const r = run(['describe', valid, '--as', actor, '--now', '2026-11-27']);
    assert.equal(r.status, 0, actor);
    assert.equal(r.json.ok, true, actor);
    assert.equal(r.json.actor, actor);
    assert.equal(r.json.now, '2026-11-27');
    assert.deepEqual(
      r.json.milestones.map((m) => m.id),
      contract.milestones.map((m) => m.id),
    );
    assert.equal(typeof r.json.milestones[2].can.fund.ok, 'boolean');
  }
  // The client may fund nothing while Build is in flight; the view says why, as check would.
  const client = run(['describe', valid, '--as', 'client', '--now', '2026-11-27']).json;
  assert.equal(client.milestones[2].can.fund.ok, false);
  const check = run([
    'check',
    valid,
    '{"type":"fund","id":"m-3"}',
    '--as',
    'client',
    '--now',
    '2026-11-27',
  ]);
  assert.equal(client.milestones[2].can.fund.issue.code, check.json.issues[0].code);
  assert.equal(client.milestones[1].can.release.ok, true);
  const freelancer = run(['describe', valid, '--as', 'freelancer', '--now', '2026-11-27']).json;
  assert.equal(freelancer.milestones[1].can.submit.ok, true);
  assert.equal(freelancer.milestones[1].can.release.ok, false);
});

test('describe: --now defaults to today in UTC', () => {
  const before = new Date().toISOString().slice(0, 10);
  const r = run(['describe', valid, '--as', 'client']);
  const after = new Date().toISOString().slice(0, 10);
  assert.equal(r.status, 0);
  assert.ok([before, after].includes(r.json.now), r.json.now);
});

test('describe: a contract that cannot be read exits 2 with only its errors', () => {
  for (const text of ['{"id": ', '{"id": 1}', '[]']) {
    const r = run(['describe', '-', '--as', 'client'], text);
    assert.equal(r.status, 2, text);
    assert.equal(r.json.ok, false, text);
    assert.ok(r.json.issues.length > 0, text);
    for (const i of r.json.issues) assert.equal(i.severity, 'error', text);
  }
  // Findings of the rules are not unreadable: a contract with errors is still described.
  const r = run(['describe', invalid, '--as', 'client', '--now', '2026-11-27']);
  assert.equal(r.status, 0);
  assert.equal(r.json.ok, true);
  assert.ok(r.json.issues.some((i) => i.code === 'UNSUPPORTED_CURRENCY'));
});

test('diff: an unreadable side exits 2 with its issues under /before or /after', () => {
  const r = run(['diff', valid, '-'], '{"id": ');
  assert.equal(r.status, 2);
  assert.equal(r.json.ok, false);
  assert.deepEqual(r.json.changes, []);
  assert.match(r.json.issues[0].path, /^\/after/);
});

test('apply: a partial release keeps the rest as carry-over and says so', () => {
  const r = run([
    'apply',
    valid,
    '{"type":"release","id":"m-2","amount":100000}',
    '--as',
    'client',
    '--now',
    '2026-11-27',
  ]);
  assert.equal(r.status, 0);
  assert.equal(r.json.ok, true);
  assert.equal(r.json.contract.carryOver, 20000);
  assert.equal(r.json.contract.milestones[1].state, 'released');
  assert.deepEqual(
    r.json.events.map((e) => [e.type, e.amount]),
    [['released', 100000]],
  );
});

test('apply: a rule refusal exits 1 with its code and the contract unchanged', () => {
  const r = run(['apply', valid, '{"type":"fund","id":"m-3"}', '--as', 'freelancer']);
  assert.equal(r.status, 1);
  assert.equal(r.json.issues[0].code, 'NOT_ALLOWED_FOR_ROLE');
  assert.deepEqual(r.json.contract, JSON.parse(readFileSync(valid, 'utf8')));
  assert.deepEqual(r.json.events, []);
});

test('apply: an action from a file, and an unreadable contract exits 2', () => {
  const action = path.join(dir, 'action.json');
  writeFileSync(action, '{"type":"submit","id":"m-2"}');
  assert.equal(run(['apply', valid, action, '--as', 'freelancer']).status, 0);
  const broken = run(['apply', '-', action, '--as', 'freelancer'], '[1,');
  assert.equal(broken.status, 2);
  assert.equal(broken.json.contract, null);
});

test('diff: two neighbours swapped are one move, with its sentence', () => {
  const before = JSON.parse(readFileSync(valid, 'utf8'));
  before.milestones.push({
    id: 'm-4',
    title: 'QA',
    description: '',
    dueDate: null,
    amount: 25000,
    state: 'not_funded',
    funded: 0,
    released: 0,
  });
  const after = structuredClone(before);
  after.milestones.splice(2, 0, after.milestones.pop());
  writeFileSync(path.join(dir, 'before.json'), JSON.stringify(before));
  writeFileSync(path.join(dir, 'after.json'), JSON.stringify(after));
  const r = run(['diff', path.join(dir, 'before.json'), path.join(dir, 'after.json')]);
  assert.equal(r.status, 0);
  // Either neighbour moving is minimal; which one is the engine's choice.
  assert.equal(r.json.changes.length, 1);
  const [move] = r.json.changes;
  assert.equal(move.op, 'move');
  const order = before.milestones.map((m) => m.id);
  order.splice(move.toIndex, 0, ...order.splice(move.fromIndex, 1));
  assert.deepEqual(
    order,
    after.milestones.map((m) => m.id),
  );
  assert.equal(r.json.summary.length, 1);
  assert.match(r.json.summary[0], /^Moved “(QA|Launch)” from position [34] to [34]\.$/);
});

// Escrow over time (SPEC 3.1): `milestone timers` and the marketplace actor.
function submittedFile() {
  const file = path.join(dir, 'submitted.json');
  if (!existsSync(file)) {
    const r = run([
      'apply',
      valid,
      '{"type":"submit","id":"m-2"}',
      '--as',
      'freelancer',
      '--now',
      '2026-12-01',
    ]);
    assert.equal(r.status, 0, r.stdout);
    writeFileSync(file, JSON.stringify(r.json.contract));
  }
  return file;
}

test('timers: the due automatic release, with the action the marketplace applies', () => {
  const file = submittedFile();
  const r = run(['timers', file, '--now', '2026-12-05']);
  assert.equal(r.status, 0);
  assert.deepEqual(r.json, [
    {
      milestoneId: 'm-2',
      kind: 'autoRelease',
      due: '2026-12-15',
      daysLeft: 10,
      action: { type: 'release', id: 'm-2' },
      message: 'Releases automatically on Dec 15, 2026 unless you act.',
    },
  ]);
  assert.equal(run(['timers', file, '--now', '2026-12-20']).json[0].daysLeft, 0);
  // No window runs on the example contract: an empty list, still exit 0.
  const none = run(['timers', valid, '--now', '2026-12-05']);
  assert.equal(none.status, 0);
  assert.deepEqual(none.json, []);
  // Standard input, a policy's own window, and --as is accepted (and not needed).
  const policy = path.join(dir, 'fiverr.json');
  writeFileSync(policy, '{"reviewDays": 3}');
  const fiverr = run(
    ['timers', '-', '--now', '2026-12-02', '--policy', policy, '--as', 'marketplace'],
    readFileSync(file),
  );
  assert.equal(fiverr.status, 0);
  assert.equal(fiverr.json[0].due, '2026-12-04');
});

test('timers: --now defaults to today in UTC', () => {
  const r = run(['timers', submittedFile()]);
  assert.equal(r.status, 0);
  assert.equal(r.json[0].due, '2026-12-15');
});

test('timers: a contract that cannot be read exits 2 with only its errors; usage errors exit 2', () => {
  for (const text of ['{"id": ', '{"id": 1}', '[]', '']) {
    const r = run(['timers', '-', '--now', '2026-12-05'], text);
    assert.equal(r.status, 2, text);
    assert.equal(r.json.ok, false, text);
    assert.ok(r.json.issues.length > 0, text);
    for (const i of r.json.issues) assert.equal(i.severity, 'error', text);
  }
  for (const args of [
    ['timers'],
    ['timers', valid, 'extra'],
    ['timers', valid, '--now', '2026-02-30'],
    ['timers', valid, '--now'],
  ]) {
    const r = run(args, '');
    assertEnvelope(r, 'USAGE', args.join(' '));
  }
  assertEnvelope(run(['timers', path.join(dir, 'missing.json')]), 'FILE_UNREADABLE', 'missing');
});

test('apply --as marketplace: NOT_DUE before the window ends, the release when it has', () => {
  const file = submittedFile();
  const release = '{"type":"release","id":"m-2"}';
  const early = run(['apply', file, release, '--as', 'marketplace', '--now', '2026-12-14']);
  assert.equal(early.status, 1);
  assert.equal(early.json.issues[0].code, 'NOT_DUE');
  const [timer] = run(['timers', file, '--now', '2026-12-15']).json;
  const due = run([
    'apply',
    file,
    JSON.stringify(timer.action),
    '--as',
    'marketplace',
    '--now',
    timer.due,
  ]);
  assert.equal(due.status, 0, due.stdout);
  assert.equal(due.json.contract.milestones[1].state, 'released');
  assert.ok(due.json.events.some((e) => e.type === 'released' && e.amount === 120000));
  const role = run([
    'check',
    file,
    '{"type":"fund","id":"m-3"}',
    '--as',
    'marketplace',
    '--now',
    '2026-12-15',
  ]);
  assert.equal(role.status, 1);
  assert.equal(role.json.issues[0].code, 'NOT_ALLOWED_FOR_ROLE');
});

test('apply: a dispute resolved 70/30 by the marketplace pays and refunds exactly', () => {
  const disputed = run([
    'apply',
    submittedFile(),
    '{"type":"dispute","id":"m-2","reason":"Half of it is missing."}',
    '--as',
    'client',
    '--now',
    '2026-12-05',
  ]);
  assert.equal(disputed.status, 0, disputed.stdout);
  const file = path.join(dir, 'disputed.json');
  writeFileSync(file, JSON.stringify(disputed.json.contract));
  const mismatch = run([
    'apply',
    file,
    '{"type":"resolveDispute","id":"m-2","release":84000,"refund":1}',
    '--as',
    'marketplace',
    '--now',
    '2026-12-08',
  ]);
  assert.equal(mismatch.status, 1);
  assert.equal(mismatch.json.issues[0].code, 'RESOLUTION_MISMATCH');
  const r = run([
    'apply',
    file,
    '{"type":"resolveDispute","id":"m-2","release":84000,"refund":36000}',
    '--as',
    'marketplace',
    '--now',
    '2026-12-08',
  ]);
  assert.equal(r.status, 0, r.stdout);
  const m = r.json.contract.milestones[1];
  assert.deepEqual([m.state, m.released, m.refunded], ['released', 84000, 36000]);
  // The client may not end while escrow is held.
  const end = run(['apply', valid, '{"type":"end"}', '--as', 'client', '--now', '2026-12-08']);
  assert.equal(end.status, 1);
  assert.equal(end.json.issues[0].code, 'ESCROW_HELD');
});

// The CLI decides from typed results but must print what the JS package (and
// json_api) answers: every fixture, through both, gives the same JSON.
const dist = path.join(repo, 'dist/milestone-engine/index.mjs');
test(
  'every fixture: the CLI prints what the JS package answers',
  {
    skip: !existsSync(dist) && 'dist/milestone-engine is not built',
  },
  async (t) => {
    const { createEngine } = await import(pathToFileURL(dist).href);
    const engines = new Map();
    const engineFor = async (policy) => {
      const key = JSON.stringify(policy ?? null);
      if (!engines.has(key)) engines.set(key, await createEngine(policy ? { policy } : {}));
      return engines.get(key);
    };
    const plain = (value) => JSON.parse(JSON.stringify(value));
    const cases = (folder) =>
      readdirSync(path.join(repo, 'tests/fixtures', folder))
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => [
          f,
          JSON.parse(readFileSync(path.join(repo, 'tests/fixtures', folder, f), 'utf8')),
        ]);
    let compared = 0;
    for (const folder of ['validate', 'actions']) {
      for (const [file, c] of cases(folder)) {
        // Raw bytes cannot be JS strings; generated documents are the JS suite's.
        if (c.rawBytes || !('input' in c || 'inputText' in c)) continue;
        const text = 'input' in c ? JSON.stringify(c.input) : c.inputText;
        const doc = path.join(dir, `case-${file}`);
        writeFileSync(doc, text);
        const now = c.options?.now ?? '2026-11-27';
        const policyArgs = [];
        if (c.policy) {
          const policyFile = path.join(dir, `policy-${file}`);
          writeFileSync(policyFile, JSON.stringify(c.policy));
          policyArgs.push('--policy', policyFile);
        }
        const engine = await engineFor(c.policy);
        const calls = [];
        if (folder === 'validate') {
          calls.push([['validate', doc], () => engine.validate(text, { now })]);
          for (const actor of ['client', 'freelancer', 'marketplace']) {
            calls.push([
              ['describe', doc, '--as', actor],
              () => engine.describe(text, { actor, now }),
            ]);
          }
          calls.push([['timers', doc], () => engine.timers(text, { now })]);
        } else {
          const actor = c.options?.actor ?? 'client';
          const action = JSON.stringify(c.action);
          calls.push([
            ['apply', doc, action, '--as', actor],
            () => engine.apply(text, c.action, { actor, now }),
          ]);
          calls.push([
            ['check', doc, action, '--as', actor],
            () => engine.check(text, c.action, { actor, now }),
          ]);
        }
        for (const [args, js] of calls) {
          const r = run([...args, '--now', now, ...policyArgs]);
          const expected = plain(js());
          await t.test(`${folder}/${file}: ${args[0]} ${args.slice(2).join(' ')}`, () => {
            assert.deepEqual(r.json, expected);
            // The status agrees with the answer: 0 exactly when ok (timers: a list).
            const ok = Array.isArray(expected) || expected.ok;
            assert.equal(r.status === 0, ok, `exit ${r.status}`);
          });
          compared++;
        }
      }
    }
    assert.ok(compared > 100, `only ${compared} answers compared`);
  },
);

test('--locale es writes Spanish sentences with the contract currency; another language is English', () => {
  const file = path.join(dir, 'low-eur.json');
  writeFileSync(
    file,
    JSON.stringify({
      id: 'c',
      version: 0,
      currency: 'USD',
      status: 'open',
      initiationFeeCharged: false,
      carryOver: 0,
      milestones: [
        { id: 'm-1', title: 'Design', amount: 499, state: 'not_funded', funded: 0, released: 0 },
      ],
    }),
  );
  const es = run(['validate', file, '--locale', 'es']);
  assert.equal(es.status, 1);
  assert.equal(
    es.json.issues[0].message,
    'El importe 4,99\u00a0US$ está por debajo del mínimo de 5,00\u00a0US$ por hito.',
  );
  assert.deepEqual(es.json.issues[0].params, { amount: 499, minimum: 500, currency: 'USD' });
  const fr = run(['validate', file, '--locale', 'fr']);
  assert.equal(
    fr.json.issues[0].message,
    'The amount $4.99 is below the $5.00 minimum per milestone.',
  );
  assert.equal(run(['validate', file, '--locale']).status, 2);
});
