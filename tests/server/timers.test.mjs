// Escrow over time on the server (issue 13, SPEC §3.1): the marketplace's
// timers applied by the server at start and at its interval, exactly once
// across processes and restarts; the demo-mediator token as the marketplace;
// refusals of the new rules. Runs on SQLite and, through tools/pg run, on
// PostgreSQL (the same file).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  call,
  getContract,
  history,
  integrityCheck,
  makeSandbox,
  NOW,
  post,
  startServer,
} from './helpers.mjs';

// Upwork's numbers (the engine's default policy): 14 days to review a
// submission, 7 to answer a refund request.
const REVIEW_DAYS = 14;
const REFUND_DAYS = 7;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function addDays(date, days) {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function milestone(contract, id) {
  return contract.milestones.find((m) => m.id === id);
}

// SPEC §1.1: a refunded milestone that does not spell `refunded` has had all
// its unreleased escrow returned; any other, none.
function refundedOf(m) {
  return m.refunded ?? (m.state === 'refunded' ? m.funded - m.released : 0);
}

// Posts as `token` against the current version; asserts 200 unless `expect`.
async function act(base, id, token, actions, { expect = 200, actor } = {}) {
  const current = await getContract(base, id, token);
  assert.equal(current.status, 200, current.text);
  const r = await post(base, id, { token, version: current.body.version, actions, actor });
  assert.equal(r.status, expect, r.text);
  return r;
}

async function notifications(base, token) {
  const r = await call(`${base}/api/notifications`, { token });
  assert.equal(r.status, 200);
  return r.body.notifications;
}

// A server on `sandbox` for one block of work, stopped afterwards.
async function withServer(sandbox, now, fn, extra = ['--timer-interval', '0']) {
  const server = await startServer(sandbox, extra, { now });
  try {
    return await fn(server.url, server);
  } finally {
    const { code } = await server.stop();
    assert.equal(code, 0);
  }
}

// The `timer KEY applied, version N` lines one process printed.
function appliedLines(output) {
  return output.split('\n').filter((l) => /^timer timer:\S+ applied, version \d+$/.test(l));
}

describe('marketplace timers', () => {
  test('a submitted milestone is released automatically after the window and not before', async () => {
    const sandbox = makeSandbox();
    try {
      await withServer(sandbox, NOW, async (base) => {
        const r = await act(base, 'ctr-demo', 'demo-freelancer', [
          { type: 'submit', id: 'm-2', message: 'Done.' },
        ]);
        assert.equal(milestone(r.body.contract, 'm-2').submittedOn, NOW);
      });
      const due = addDays(NOW, REVIEW_DAYS);

      // The day before: restarted with timers on, nothing happens.
      await withServer(
        sandbox,
        addDays(due, -1),
        async (base, server) => {
          const c = (await getContract(base, 'ctr-demo', 'demo-client')).body;
          assert.equal(milestone(c, 'm-2').state, 'submitted');
          assert.equal(c.version, 2);
          assert.deepEqual(appliedLines(await outputSoFar(server)), []);
        },
        ['--timer-interval', '60'],
      );

      // On the due day: released at start, before the server listens.
      let lines;
      await withServer(
        sandbox,
        due,
        async (base, server) => {
          const c = (await getContract(base, 'ctr-demo', 'demo-client')).body;
          const m2 = milestone(c, 'm-2');
          assert.equal(m2.state, 'released');
          assert.equal(m2.released, m2.funded);
          assert.equal(c.version, 3);
          assert.equal(c.status, 'open', 'the contract stays open; ending is the client’s call');
          const h = await history(base, 'ctr-demo', 'demo-client');
          const last = h.at(-1);
          assert.equal(h.length, 2);
          assert.equal(last.actor, 'marketplace');
          assert.equal(last.user, 'marketplace');
          assert.equal(last.version, 3);
          const released = last.events.find((e) => e.type === 'released');
          assert.ok(released, JSON.stringify(last.events));
          assert.equal(released.amount, m2.funded);
          // Both sides are told: the marketplace is neither of them.
          for (const token of ['demo-client', 'demo-freelancer']) {
            const n = await notifications(base, token);
            const mine = n.filter((x) => x.actor === 'marketplace' && x.version === 3);
            assert.ok(
              mine.some((x) => x.type === 'released' && x.message === released.message),
              `${token}: ${JSON.stringify(n)}`,
            );
          }
          lines = appliedLines(await outputSoFar(server));
        },
        ['--timer-interval', '60'],
      );
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0], new RegExp(`^timer timer:ctr-demo:m-2:autoRelease:${due} applied`));

      // Later restarts apply nothing more.
      await withServer(
        sandbox,
        addDays(due, 3),
        async (base) => {
          const h = await history(base, 'ctr-demo', 'demo-client');
          assert.equal(h.length, 2);
        },
        ['--timer-interval', '60'],
      );
      const check = integrityCheck(sandbox.db);
      assert.equal(check.status, 0, check.output);
    } finally {
      sandbox.remove();
    }
  });

  test('the interval pass picks up a window that ran out while the server runs', async () => {
    // Two processes on one database with different clocks: one that lives
    // "today" takes the submission, one that lives past the window runs its
    // timers every second and releases it without a restart.
    const sandbox = makeSandbox();
    const due = addDays(NOW, REVIEW_DAYS);
    const late = await startServer(sandbox, ['--timer-interval', '1'], { now: due });
    try {
      await withServer(sandbox, NOW, async (base) => {
        await act(base, 'ctr-demo', 'demo-freelancer', [{ type: 'submit', id: 'm-2' }]);
      });
      let state;
      for (let i = 0; i < 50; i++) {
        state = milestone((await getContract(late.url, 'ctr-demo', 'demo-client')).body, 'm-2');
        if (state.state === 'released') break;
        await sleep(100);
      }
      assert.equal(state.state, 'released');
      const h = await history(late.url, 'ctr-demo', 'demo-client');
      assert.deepEqual(
        h.map((e) => [e.version, e.actor]),
        [
          [2, 'freelancer'],
          [3, 'marketplace'],
        ],
      );
    } finally {
      const { code, output } = await late.stop();
      assert.equal(code, 0);
      assert.equal(appliedLines(output).length, 1, output);
      sandbox.remove();
    }
  });

  test('a refund request the freelancer leaves unanswered is refunded when its window ends', async () => {
    const sandbox = makeSandbox();
    try {
      await withServer(sandbox, NOW, async (base) => {
        await act(base, 'ctr-other', 'other-client', [
          { type: 'requestRefund', id: 'm-1', message: 'Not needed any more.' },
        ]);
      });
      await withServer(
        sandbox,
        addDays(NOW, REFUND_DAYS - 1),
        async (base) => {
          const c = (await getContract(base, 'ctr-other', 'other-client')).body;
          assert.equal(milestone(c, 'm-1').state, 'active');
        },
        ['--timer-interval', '60'],
      );
      await withServer(
        sandbox,
        addDays(NOW, REFUND_DAYS),
        async (base) => {
          const c = (await getContract(base, 'ctr-other', 'other-client')).body;
          const m1 = milestone(c, 'm-1');
          assert.equal(m1.state, 'refunded');
          assert.equal(refundedOf(m1), m1.funded);
          const n = await notifications(base, 'other-client');
          assert.ok(
            n.some((x) => x.actor === 'marketplace' && x.type === 'refunded'),
            JSON.stringify(n),
          );
        },
        ['--timer-interval', '60'],
      );
    } finally {
      sandbox.remove();
    }
  });
});

describe('refunds, disputes and the mediator', () => {
  test('a declined refund opens a dispute; the mediator splits it 70/30 exactly', async () => {
    const sandbox = makeSandbox();
    try {
      await withServer(sandbox, NOW, async (base) => {
        await act(base, 'ctr-demo', 'demo-client', [
          { type: 'requestRefund', id: 'm-2', message: 'The build is late.' },
        ]);
        const declined = await act(base, 'ctr-demo', 'demo-freelancer', [
          { type: 'declineRefund', id: 'm-2', reason: 'It is on schedule.' },
        ]);
        const m2 = milestone(declined.body.contract, 'm-2');
        assert.equal(m2.refundRequest ?? null, null);
        assert.equal(m2.dispute.by, 'freelancer');
        assert.equal(m2.dispute.reason, 'It is on schedule.');
        assert.ok(declined.body.events.some((e) => e.type === 'disputeOpened'));

        // Frozen: the client can neither release nor end.
        const release = await act(
          base,
          'ctr-demo',
          'demo-client',
          [{ type: 'release', id: 'm-2' }],
          {
            expect: 422,
          },
        );
        assert.equal(release.body.issues[0].code, 'DISPUTE_OPEN');

        // Only the mediator's token may act as the marketplace.
        const resolve = { type: 'resolveDispute', id: 'm-2', release: 84000, refund: 36000 };
        for (const token of ['demo-client', 'demo-freelancer']) {
          const r = await act(base, 'ctr-demo', token, [resolve], {
            actor: 'marketplace',
            expect: 403,
          });
          assert.equal(r.body.issues[0].code, 'ACTOR_MISMATCH');
          const own = await act(base, 'ctr-demo', token, [resolve], { expect: 403 });
          assert.equal(own.body.issues[0].code, 'NOT_ALLOWED_FOR_ROLE');
        }
        const asClient = await act(base, 'ctr-demo', 'demo-mediator', [resolve], {
          actor: 'client',
          expect: 403,
        });
        assert.equal(asClient.body.issues[0].code, 'ACTOR_MISMATCH');
        const fund = await act(base, 'ctr-demo', 'demo-mediator', [{ type: 'fund', id: 'm-3' }], {
          expect: 403,
        });
        assert.equal(fund.body.issues[0].code, 'NOT_ALLOWED_FOR_ROLE');
        const off = await act(base, 'ctr-demo', 'demo-mediator', [{ ...resolve, refund: 35999 }], {
          expect: 422,
        });
        assert.equal(off.body.issues[0].code, 'RESOLUTION_MISMATCH');

        const before = (await getContract(base, 'ctr-demo', 'demo-client')).body;
        assert.equal(milestone(before, 'm-2').funded, 120000);
        const r = await act(base, 'ctr-demo', 'demo-mediator', [resolve], { actor: 'marketplace' });
        const after = r.body.contract;
        const m = milestone(after, 'm-2');
        assert.equal(m.state, 'released');
        assert.equal(m.released, 84000);
        assert.equal(refundedOf(m), 36000);
        assert.equal(m.dispute ?? null, null);
        assert.equal(after.carryOver, before.carryOver, 'nothing goes to carryOver');
        const paid = r.body.events.filter((e) => e.type === 'released');
        const back = r.body.events.filter((e) => e.type === 'refunded');
        assert.deepEqual(
          paid.map((e) => e.amount),
          [84000],
        );
        assert.deepEqual(
          back.map((e) => e.amount),
          [36000],
        );

        const h = await history(base, 'ctr-demo', 'demo-mediator');
        assert.equal(h.at(-1).actor, 'marketplace');
        assert.equal(h.at(-1).user, 'demo-mediator');
        for (const token of ['demo-client', 'demo-freelancer']) {
          const n = (await notifications(base, token)).filter((x) => x.version === after.version);
          assert.ok(
            n.some((x) => x.type === 'released'),
            `${token}: ${JSON.stringify(n)}`,
          );
          assert.ok(
            n.some((x) => x.type === 'refunded'),
            `${token}: ${JSON.stringify(n)}`,
          );
        }
        // The mediator reads every contract, though no access row names it.
        assert.equal((await getContract(base, 'ctr-other', 'demo-mediator')).status, 200);
      });
    } finally {
      sandbox.remove();
    }
  });

  test("a client's end with escrow held is 422 ESCROW_HELD", async () => {
    const sandbox = makeSandbox();
    try {
      await withServer(sandbox, NOW, async (base) => {
        const r = await act(base, 'ctr-demo', 'demo-client', [{ type: 'end' }], { expect: 422 });
        assert.equal(r.body.issues[0].code, 'ESCROW_HELD');
        const c = (await getContract(base, 'ctr-demo', 'demo-client')).body;
        assert.equal(c.status, 'open');
        assert.equal(c.version, 1);
      });
    } finally {
      sandbox.remove();
    }
  });

  test('the marketplace may not release before the window ends (NOT_DUE)', async () => {
    const sandbox = makeSandbox();
    try {
      await withServer(sandbox, NOW, async (base) => {
        await act(base, 'ctr-demo', 'demo-freelancer', [{ type: 'submit', id: 'm-2' }]);
        const r = await act(base, 'ctr-demo', 'demo-mediator', [{ type: 'release', id: 'm-2' }], {
          expect: 422,
        });
        assert.equal(r.body.issues[0].code, 'NOT_DUE');
      });
    } finally {
      sandbox.remove();
    }
  });
});

describe('timers across processes', () => {
  test('three processes with the same due clock apply each timer exactly once', async () => {
    const PROCESSES = 3;
    const ROUNDS = 3;
    const sandbox = makeSandbox();
    const totals = { timers: 0, applied: 0, replayed: 0, stale: 0 };
    try {
      let today = NOW;
      // Round r: m-(r+1) of ctr-demo is submitted (funded first after the
      // first round), and in round 0 a refund is asked on ctr-other's m-1;
      // then three processes start at once on the day the windows end, each
      // running its start-up pass and two interval passes.
      for (let round = 0; round < ROUNDS; round++) {
        const id = `m-${round + 2}`;
        await withServer(sandbox, today, async (base) => {
          if (round > 0) await act(base, 'ctr-demo', 'demo-client', [{ type: 'fund', id }]);
          await act(base, 'ctr-demo', 'demo-freelancer', [{ type: 'submit', id }]);
          if (round === 0) {
            await act(base, 'ctr-other', 'other-client', [{ type: 'requestRefund', id: 'm-1' }]);
          }
        });
        const timers = round === 0 ? 2 : 1;
        totals.timers += timers;
        today = addDays(today, REVIEW_DAYS);
        const servers = await Promise.all(
          Array.from({ length: PROCESSES }, () =>
            startServer(sandbox, ['--timer-interval', '1'], {
              now: today,
              // Rounds 0 and 2: each process pauses between reading a
              // contract and sending its timer, so all three send it against
              // the same version and two lose the race. Round 1: as it comes.
              env: { MILESTONE_TIMER_TEST_PAUSE_MS: round === 1 ? '0' : '400' },
            }),
          ),
        );
        await sleep(2300);
        const outputs = await Promise.all(servers.map((s) => s.stop()));
        let applied = 0;
        for (const { code, output } of outputs) {
          assert.equal(code, 0);
          applied += appliedLines(output).length;
          totals.replayed += (output.match(/ already applied$/gm) ?? []).length;
          totals.stale += (output.match(/ stale at version \d+$/gm) ?? []).length;
        }
        assert.equal(applied, timers, outputs.map((o) => o.output).join('\n---\n'));
        if (round !== 1) {
          // Every loser saw the winner's answer (a replay) or its new version.
          const lost = outputs.reduce(
            (n, { output }) =>
              n + (output.match(/ (already applied|stale at version \d+)$/gm) ?? []).length,
            0,
          );
          assert.ok(
            lost >= timers,
            `no process lost a race: ${outputs.map((o) => o.output).join('\n')}`,
          );
        }
        totals.applied += applied;
      }

      await withServer(sandbox, today, async (base) => {
        for (const [id, token, expected] of [
          ['ctr-demo', 'demo-client', ROUNDS],
          ['ctr-other', 'other-client', 1],
        ]) {
          const h = await history(base, id, token);
          const byMarketplace = h.filter((e) => e.actor === 'marketplace');
          assert.equal(byMarketplace.length, expected, JSON.stringify(h.map((e) => e.actor)));
          // Contiguous: 2, 3, 4, ... with nothing missing or repeated.
          assert.deepEqual(
            h.map((e) => e.version),
            h.map((_, i) => i + 2),
          );
          const c = (await getContract(base, id, token)).body;
          assert.equal(c.version, h.length + 1);
        }
        const demo = (await getContract(base, 'ctr-demo', 'demo-client')).body;
        for (let round = 0; round < ROUNDS; round++) {
          const m = milestone(demo, `m-${round + 2}`);
          assert.equal(m.state, 'released');
          assert.equal(m.released, m.funded);
        }
      });
      const check = integrityCheck(sandbox.db);
      assert.equal(check.status, 0, check.output);
      console.log(
        `# timers: processes=${PROCESSES} rounds=${ROUNDS} timers=${totals.timers} ` +
          `applied=${totals.applied} replayed=${totals.replayed} stale=${totals.stale} ` +
          `applied_twice=${totals.applied - totals.timers}`,
      );
    } finally {
      sandbox.remove();
    }
  });
});

// What a running server printed so far (its stdout is read by the helper).
async function outputSoFar(server) {
  await sleep(50);
  return server.output();
}
