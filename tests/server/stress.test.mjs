// Concurrency and crash safety against a real server process.
//
// Writers race on one contract: each changeset renames m-3 to a title of its
// own ("w3-17"), carries its own Idempotency-Key and, on 412, retries with the
// version the 412 returned. The history then tells which changesets landed:
// every acknowledged one exactly once, versions strictly increasing, none lost.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  getContract,
  history,
  integrityCheck,
  makeSandbox,
  post,
  startServer,
} from './helpers.mjs';

const WRITERS = 8;
const PER_WRITER = 200;

// The title a history entry renamed m-3 to: the last quoted name of its line.
function titleOf(entry) {
  const names = [...entry.summary.join(' ').matchAll(/“([^”]*)”/g)].map((m) => m[1]);
  return names.at(-1);
}

// Runs `writers` writers until each has `perWriter` acknowledged changesets or
// `shouldStop()` says so. Network failures end a writer (the crash test).
async function burst(base, { writers, perWriter, shouldStop = () => false }) {
  const counts = { sent: 0, acknowledged: 0, stale: 0, failed: 0 };
  const acks = new Map(); // title -> version
  const unknown = new Set(); // titles whose answer never came
  let version = (await getContract(base, 'ctr-demo', 'demo-client')).body.version;
  async function writer(w) {
    for (let n = 0; n < perWriter && !shouldStop(); n++) {
      const title = `w${w}-${n}`;
      for (;;) {
        counts.sent++;
        let r;
        try {
          r = await post(base, 'ctr-demo', {
            token: 'demo-client',
            version,
            key: title,
            actions: [{ type: 'edit', id: 'm-3', set: { title } }],
          });
        } catch {
          unknown.add(title);
          counts.failed++;
          return;
        }
        if (r.status === 200) {
          assert.ok(!acks.has(title), `${title} acknowledged twice`);
          acks.set(title, r.body.contract.version);
          counts.acknowledged++;
          version = Math.max(version, r.body.contract.version);
          break;
        }
        assert.equal(r.status, 412, `${title}: ${r.status} ${r.text}`);
        counts.stale++;
        version = Math.max(version, r.body.contract.version);
        if (shouldStop()) return;
      }
    }
  }
  await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
  return { counts, acks, unknown };
}

// Checks the history against the acknowledgements; returns lost/duplicated.
async function audit(base, acks, unknown = new Set()) {
  const entries = await history(base, 'ctr-demo', 'demo-client');
  const contract = (await getContract(base, 'ctr-demo', 'demo-client')).body;
  const seen = new Map();
  let duplicated = 0;
  let previous = 1; // the seed's version
  for (const entry of entries) {
    assert.equal(entry.version, previous + 1, 'versions strictly increase by one');
    previous = entry.version;
    const title = titleOf(entry);
    if (seen.has(title)) duplicated++;
    seen.set(title, entry.version);
  }
  assert.equal(contract.version, previous, 'the contract is at the last history version');
  let lost = 0;
  for (const [title, version] of acks) {
    if (seen.get(title) !== version) lost++;
  }
  // Every entry is an acknowledged changeset or one whose answer was cut off.
  let strays = 0;
  for (const title of seen.keys()) {
    if (!acks.has(title) && !unknown.has(title)) strays++;
  }
  return { entries: entries.length, lost, duplicated, strays };
}

describe('concurrency and crashes', () => {
  test(
    `${WRITERS} writers × ${PER_WRITER} changesets with racing versions`,
    { timeout: 90000 },
    async () => {
      const sandbox = makeSandbox();
      const server = await startServer(sandbox);
      try {
        const started = Date.now();
        const { counts, acks } = await burst(server.url, {
          writers: WRITERS,
          perWriter: PER_WRITER,
        });
        const result = await audit(server.url, acks);
        console.log(
          `# concurrency: sent=${counts.sent} acknowledged=${counts.acknowledged} ` +
            `stale(412)=${counts.stale} history=${result.entries} lost=${result.lost} ` +
            `duplicated=${result.duplicated} in ${Date.now() - started} ms`,
        );
        assert.equal(counts.acknowledged, WRITERS * PER_WRITER);
        assert.equal(result.entries, WRITERS * PER_WRITER);
        assert.equal(result.lost, 0);
        assert.equal(result.duplicated, 0);
        assert.equal(result.strays, 0);
      } finally {
        const { code, errors } = await server.stop();
        sandbox.remove();
        assert.equal(code, 0, `the server stops cleanly: ${errors}`);
      }
    },
  );

  test(
    'kill -9 mid-burst: every acknowledged changeset survives, none twice',
    { timeout: 60000 },
    async () => {
      const sandbox = makeSandbox();
      let server = await startServer(sandbox);
      try {
        let killed = false;
        let acked = 0;
        const run = burst(server.url, {
          writers: WRITERS,
          perWriter: 100000,
          shouldStop: () => killed,
        });
        // Kill once a few hundred changesets have landed, while writers are mid-request.
        const started = Date.now();
        while (Date.now() - started < 20000) {
          await new Promise((r) => setTimeout(r, 25));
          const entries = await history(server.url, 'ctr-demo', 'demo-client').catch(() => []);
          acked = entries.length;
          if (acked >= 300) break;
        }
        const exit = await server.kill9();
        killed = true;
        assert.equal(exit.signal, 'SIGKILL');
        const { counts, acks, unknown } = await run;

        server = await startServer(sandbox);
        const result = await audit(server.url, acks, unknown);
        console.log(
          `# crash: sent=${counts.sent} acknowledged=${counts.acknowledged} ` +
            `cut-off=${unknown.size} history=${result.entries} lost=${result.lost} ` +
            `duplicated=${result.duplicated}`,
        );
        assert.ok(counts.acknowledged >= 300);
        assert.equal(result.lost, 0);
        assert.equal(result.duplicated, 0);
        assert.equal(result.strays, 0);
        // A retry of a cut-off changeset after the restart applies at most once.
        for (const title of unknown) {
          const current = (await getContract(server.url, 'ctr-demo', 'demo-client')).body;
          const r = await post(server.url, 'ctr-demo', {
            token: 'demo-client',
            version: current.version,
            key: title,
            actions: [{ type: 'edit', id: 'm-3', set: { title } }],
          });
          assert.equal(r.status, 200, r.text);
        }
        const afterRetry = await audit(server.url, acks, unknown);
        assert.equal(afterRetry.duplicated, 0);
        assert.equal(afterRetry.lost, 0);
      } finally {
        const { code, errors } = await server.stop();
        assert.equal(code, 0, `the server stops cleanly: ${errors}`);
      }
      const check = integrityCheck(sandbox.db);
      assert.equal(check.output, 'ok');
      assert.equal(check.status, 0);
      sandbox.remove();
    },
  );
});
