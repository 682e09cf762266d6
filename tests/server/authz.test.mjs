// The authorization matrix of SPEC §3 through HTTP: every (role × action type)
// pair. Each action type gets a fresh database brought to a state where the
// action is otherwise valid, so a refusal can only be the role's: the wrong
// role gets 403 and changes nothing, the right one gets 200.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { getContract, history, makeSandbox, post, startServer } from './helpers.mjs';

const CLIENT = 'demo-client';
const FREELANCER = 'demo-freelancer';
const proposal = {
  type: 'propose',
  message: 'More testing',
  actions: [{ type: 'edit', id: 'm-3', set: { amount: 40000 } }],
};

// type -> { setup: [[token, actions]...], action, allowed: [tokens] }
const cases = {
  add: { action: { type: 'add', milestone: { title: 'QA', amount: 25000 } }, allowed: [CLIENT] },
  edit: { action: { type: 'edit', id: 'm-3', set: { title: 'Test plan' } }, allowed: [CLIENT] },
  delete: { action: { type: 'delete', id: 'm-4' }, allowed: [CLIENT] },
  move: { action: { type: 'move', id: 'm-4', toIndex: 2 }, allowed: [CLIENT] },
  propose: { action: proposal, allowed: [FREELANCER] },
  withdraw: {
    setup: [[FREELANCER, [proposal]]],
    action: { type: 'withdraw' },
    allowed: [FREELANCER],
  },
  accept: { setup: [[FREELANCER, [proposal]]], action: { type: 'accept' }, allowed: [CLIENT] },
  decline: {
    setup: [[FREELANCER, [proposal]]],
    action: { type: 'decline', reason: 'No' },
    allowed: [CLIENT],
  },
  fund: {
    setup: [[CLIENT, [{ type: 'release', id: 'm-2' }]]],
    action: { type: 'fund', id: 'm-3' },
    allowed: [CLIENT],
  },
  submit: { action: { type: 'submit', id: 'm-2', message: 'Done' }, allowed: [FREELANCER] },
  requestChanges: {
    setup: [[FREELANCER, [{ type: 'submit', id: 'm-2' }]]],
    action: { type: 'requestChanges', id: 'm-2', message: 'Fix the footer' },
    allowed: [CLIENT],
  },
  release: { action: { type: 'release', id: 'm-2' }, allowed: [CLIENT] },
  end: { action: { type: 'end' }, allowed: [CLIENT, FREELANCER] },
};

// Edit actions are the freelancer's only inside a propose.
for (const type of ['add', 'edit', 'delete', 'move']) {
  cases[`propose{${type}}`] = {
    action: { type: 'propose', actions: [cases[type].action] },
    allowed: [FREELANCER],
  };
}

async function withServer(fn) {
  const sandbox = makeSandbox();
  const server = await startServer(sandbox);
  try {
    return await fn(server.url);
  } finally {
    const { code, errors } = await server.stop();
    sandbox.remove();
    assert.equal(code, 0, `the server stops cleanly: ${errors}`);
  }
}

async function prepare(base, setup = []) {
  for (const [token, actions] of setup) {
    const { version } = (await getContract(base, 'ctr-demo', token)).body;
    const r = await post(base, 'ctr-demo', { token, version, actions });
    assert.equal(r.status, 200, `setup ${JSON.stringify(actions)}: ${r.text}`);
  }
}

// Servers wait out idle keep-alive connections when stopped; run cases side by side.
describe('authorization matrix (role × action type)', { concurrency: 8 }, () => {
  for (const [name, spec] of Object.entries(cases)) {
    for (const token of [CLIENT, FREELANCER]) {
      const role = token === CLIENT ? 'client' : 'freelancer';
      const allowed = spec.allowed.includes(token);
      test(`${role} ${name} -> ${allowed ? 200 : 403}`, async () => {
        await withServer(async (base) => {
          await prepare(base, spec.setup);
          const before = (await getContract(base, 'ctr-demo', token)).body;
          const historyBefore = await history(base, 'ctr-demo', token);
          const r = await post(base, 'ctr-demo', {
            token,
            version: before.version,
            actor: role,
            key: `${name}-${role}`,
            actions: [spec.action],
          });
          if (allowed) {
            assert.equal(r.status, 200, r.text);
            assert.equal(r.body.contract.version, before.version + 1);
            const entries = await history(base, 'ctr-demo', token);
            assert.equal(entries.length, historyBefore.length + 1);
            assert.equal(entries.at(-1).actor, role);
            assert.ok(entries.at(-1).summary.length >= 1, 'every accepted changeset has a summary');
          } else {
            assert.equal(r.status, 403, r.text);
            assert.equal(r.body.ok, false);
            assert.ok(r.body.issues.some((i) => i.code === 'NOT_ALLOWED_FOR_ROLE'));
            assert.deepEqual((await getContract(base, 'ctr-demo', token)).body, before);
            assert.deepEqual(await history(base, 'ctr-demo', token), historyBefore);
          }
        });
      });
    }
  }
});
