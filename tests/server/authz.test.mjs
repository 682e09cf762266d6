// The authorization matrix of SPEC §3 through HTTP: every (role × action type)
// pair, the marketplace (the demo-mediator token) included. Each action type
// gets a fresh database brought to a state where the action is otherwise
// valid, so a refusal can only be the role's: the wrong role gets 403 and
// changes nothing, the right one gets 200. The marketplace's own release and
// refund are bound to a window, so before it ends they are 422 NOT_DUE (the
// window itself: tests/server/timers.test.mjs).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { getContract, history, makeSandbox, post, startServer } from './helpers.mjs';

const CLIENT = 'demo-client';
const FREELANCER = 'demo-freelancer';
const MEDIATOR = 'demo-mediator';
const ROLES = { [CLIENT]: 'client', [FREELANCER]: 'freelancer', [MEDIATOR]: 'marketplace' };
const proposal = {
  type: 'propose',
  message: 'More testing',
  actions: [{ type: 'edit', id: 'm-3', set: { amount: 40000 } }],
};

// type -> { setup: [[token, actions]...], action, allowed: [tokens],
//           refused?: {token: code} (a refusal that is not the role's) }
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
  releaseSubmitted: {
    setup: [[FREELANCER, [{ type: 'submit', id: 'm-2' }]]],
    action: { type: 'release', id: 'm-2' },
    allowed: [CLIENT],
    refused: { [MEDIATOR]: 'NOT_DUE' },
  },
  requestChanges: {
    setup: [[FREELANCER, [{ type: 'submit', id: 'm-2' }]]],
    action: { type: 'requestChanges', id: 'm-2', message: 'Fix the footer' },
    allowed: [CLIENT],
  },
  // The marketplace releases only submitted work, and only when due.
  release: {
    action: { type: 'release', id: 'm-2' },
    allowed: [CLIENT],
    refused: { [MEDIATOR]: 'INVALID_TRANSITION' },
  },
  // Nothing in flight: the client's end is refused (ESCROW_HELD) while it is.
  end: {
    setup: [[CLIENT, [{ type: 'release', id: 'm-2' }]]],
    action: { type: 'end' },
    allowed: [CLIENT, FREELANCER],
  },
  requestRefund: {
    action: { type: 'requestRefund', id: 'm-2', message: 'Not needed' },
    allowed: [CLIENT],
  },
  approveRefund: {
    setup: [[CLIENT, [{ type: 'requestRefund', id: 'm-2' }]]],
    action: { type: 'approveRefund', id: 'm-2' },
    allowed: [FREELANCER],
    refused: { [MEDIATOR]: 'NOT_DUE' },
  },
  declineRefund: {
    setup: [[CLIENT, [{ type: 'requestRefund', id: 'm-2' }]]],
    action: { type: 'declineRefund', id: 'm-2', reason: 'On schedule' },
    allowed: [FREELANCER],
  },
  dispute: {
    action: { type: 'dispute', id: 'm-2', reason: 'Late' },
    allowed: [CLIENT, FREELANCER],
  },
  withdrawDispute: {
    setup: [[CLIENT, [{ type: 'dispute', id: 'm-2', reason: 'Late' }]]],
    action: { type: 'withdrawDispute', id: 'm-2' },
    allowed: [CLIENT],
    // Only the side that opened it: the other side's refusal is NO_DISPUTE.
    refused: { [FREELANCER]: 'NO_DISPUTE' },
  },
  resolveDispute: {
    setup: [[CLIENT, [{ type: 'dispute', id: 'm-2', reason: 'Late' }]]],
    action: { type: 'resolveDispute', id: 'm-2', release: 84000, refund: 36000 },
    allowed: [MEDIATOR],
  },
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
    for (const token of [CLIENT, FREELANCER, MEDIATOR]) {
      const role = ROLES[token];
      const allowed = spec.allowed.includes(token);
      const refused = spec.refused?.[token];
      test(`${role} ${name} -> ${allowed ? 200 : refused ? `422 ${refused}` : 403}`, async () => {
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
          } else if (refused) {
            assert.equal(r.status, 422, r.text);
            assert.equal(r.body.issues[0].code, refused);
            assert.deepEqual((await getContract(base, 'ctr-demo', token)).body, before);
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
