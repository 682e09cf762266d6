// The `milestone` command as scripts and CI use it: the JSON it prints and its
// exit status (0 ok, 1 not ok, 2 unusable input or usage).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.MILESTONE_CLI ?? path.join(repo, 'build/native/tools/milestone');
const dir = mkdtempSync(path.join(tmpdir(), 'milestone-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fixtureInput(name) {
  const file = path.join(dir, `${name}.json`);
  const fixture = JSON.parse(readFileSync(path.join(repo, 'tests/fixtures/validate', `${name}.json`), 'utf8'));
  writeFileSync(file, JSON.stringify(fixture.input));
  return file;
}

function run(args, input) {
  const r = spawnSync(cli, args, { input, encoding: 'utf8' });
  let json = null;
  try { json = JSON.parse(r.stdout); } catch { /* usage errors print no JSON */ }
  return { status: r.status, json, stderr: r.stderr };
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
  assert.deepEqual(r.json.issues.map((i) => [i.code, i.path]), [
    ['UNSUPPORTED_CURRENCY', '/currency'],
    ['INVALID_DATE', '/milestones/0/dueDate'],
    ['AMOUNT_ABOVE_MAXIMUM', '/milestones/2/amount'],
  ]);
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

test('usage errors exit 2 and print the usage', () => {
  for (const args of [[], ['frobnicate'], ['validate'], ['validate', valid, '--now', '2026-13-01'],
    ['apply', valid, '{"type":"end"}'], ['apply', valid, '{"type":"end"}', '--as', 'nobody'],
    ['validate', path.join(dir, 'missing.json')]]) {
    const r = run(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.json, null, args.join(' '));
    assert.match(r.stderr, /milestone/);
  }
});

test('apply: a partial release keeps the rest as carry-over and says so', () => {
  const r = run(['apply', valid, '{"type":"release","id":"m-2","amount":100000}', '--as', 'client',
    '--now', '2026-11-27']);
  assert.equal(r.status, 0);
  assert.equal(r.json.ok, true);
  assert.equal(r.json.contract.carryOver, 20000);
  assert.equal(r.json.contract.milestones[1].state, 'released');
  assert.deepEqual(r.json.events.map((e) => [e.type, e.amount]), [['released', 100000]]);
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
  before.milestones.push({ id: 'm-4', title: 'QA', description: '', dueDate: null, amount: 25000,
    state: 'not_funded', funded: 0, released: 0 });
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
  assert.deepEqual(order, after.milestones.map((m) => m.id));
  assert.equal(r.json.summary.length, 1);
  assert.match(r.json.summary[0], /^Moved “(QA|Launch)” from position [34] to [34]\.$/);
});
