// Several server processes on one PostgreSQL database (issue 16). Runs when
// DATABASE_URL is a postgres:// URL (tools/pg run sets it, with
// MILESTONE_PG_DIR for the restart test); skipped on SQLite.
//
// Writers race on one contract through all the processes: each changeset
// renames m-3 to a title of its own ("w3-17") under an Idempotency-Key equal
// to that title, goes to the next process in turn, and is sent again — same
// key — after a 412 (with the version the 412 returned), a 503 (after its
// Retry-After) or a cut connection (to another process), until it is
// acknowledged. The database then tells what landed: the changesets table
// (key = title) and the audit log's versions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  databaseUrl,
  getContract,
  history,
  integrityCheck,
  makeSandbox,
  post,
  psql,
  startServer,
} from './helpers.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROCESSES = 3;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const skip =
  databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)
    ? false
    : 'needs DATABASE_URL=postgres://... (run through tools/pg run)';

// Sends every changeset of `titles` until acknowledged, through `servers()`
// (a function: a restarted process has a new URL). Returns the counts.
async function writers(servers, { count, perWriter, onAck = () => {}, deadline }) {
  const counts = { sent: 0, requests: 0, acknowledged: 0, stale: 0, unavailable: 0, cut: 0 };
  const acks = new Map(); // title -> version acknowledged
  const problems = [];
  let turn = 0;
  let version = 1;
  async function writer(w) {
    for (let n = 0; n < perWriter; n++) {
      const title = `w${w}-${n}`;
      counts.sent++;
      for (;;) {
        assert.ok(Date.now() < deadline, `${title} not acknowledged before the deadline`);
        const list = servers();
        const base = list[turn++ % list.length];
        counts.requests++;
        let r;
        try {
          r = await post(base, 'ctr-demo', {
            token: 'demo-client',
            version,
            key: title,
            actions: [{ type: 'edit', id: 'm-3', set: { title } }],
          });
        } catch {
          counts.cut++; // that process is gone or going: the same key elsewhere
          await sleep(20);
          continue;
        }
        if (r.status === 200) {
          if (acks.has(title) && acks.get(title) !== r.body.contract.version) {
            problems.push(
              `${title} acknowledged at ${acks.get(title)} and ${r.body.contract.version}`,
            );
          }
          if (!acks.has(title)) counts.acknowledged++;
          acks.set(title, r.body.contract.version);
          version = Math.max(version, r.body.contract.version);
          onAck(acks.size);
          break;
        }
        if (r.status === 412) {
          counts.stale++;
          version = Math.max(version, r.body.contract.version);
          continue;
        }
        if (r.status === 503) {
          counts.unavailable++;
          const after = Number(r.headers.get('retry-after'));
          if (!(after >= 1)) problems.push(`503 without a Retry-After: ${r.text}`);
          if (r.body?.issues?.[0]?.code !== 'UNAVAILABLE')
            problems.push(`503 without UNAVAILABLE: ${r.text}`);
          await sleep(Math.min(after * 1000, 1000) || 1000);
          continue;
        }
        problems.push(`${title}: ${r.status} ${r.text.slice(0, 300)}`);
        return;
      }
    }
  }
  await Promise.all(Array.from({ length: count }, (_, w) => writer(w)));
  return { counts, acks, problems };
}

// What the database holds: lost (acknowledged, not there at that version),
// applied twice (a title in two changesets), and the audit log's shape.
function audit(db, acks) {
  const rows = psql(
    db,
    "SELECT version, idempotency_key FROM changesets WHERE contract_id = 'ctr-demo' ORDER BY seq",
  )
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('|'));
  const applied = new Map();
  let appliedTwice = 0;
  for (const [version, key] of rows) {
    if (applied.has(key)) appliedTwice++;
    applied.set(key, Number(version));
  }
  let lost = 0;
  for (const [title, version] of acks) if (applied.get(title) !== version) lost++;
  const versions = psql(
    db,
    "SELECT from_version, to_version FROM audit WHERE contract_id = 'ctr-demo' ORDER BY seq",
  )
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('|').map(Number));
  let contiguous = true;
  let previous = 1; // the seed's version
  for (const [from, to] of versions) {
    if (from !== previous || to !== from + 1) contiguous = false;
    previous = to;
  }
  const current = Number(psql(db, "SELECT version FROM contracts WHERE id = 'ctr-demo'"));
  return {
    changesets: rows.length,
    lost,
    appliedTwice,
    contiguous: contiguous && current === previous,
    auditRows: versions.length,
    current,
  };
}

async function stopAll(list) {
  const exits = await Promise.all(list.map((s) => s.stop()));
  for (const { code, errors } of exits) assert.equal(code, 0, `a server stops cleanly: ${errors}`);
}

describe('several server processes on one PostgreSQL', { skip }, () => {
  test(
    `${PROCESSES} processes, writers racing through all, one killed with SIGKILL and restarted`,
    { timeout: 240000 },
    async () => {
      const sandbox = makeSandbox();
      // Started at once: the migrations and the seed run exactly once.
      const procs = await Promise.all(
        Array.from({ length: PROCESSES }, () => startServer(sandbox)),
      );
      try {
        assert.equal(
          psql(
            sandbox.db,
            "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations",
          ),
          '1,2,3',
        );
        assert.equal(psql(sandbox.db, 'SELECT count(*) FROM contracts'), '2');

        // One Idempotency-Key sent to two processes at the same moment:
        // applied once, and both answers are the first one.
        const current = (await getContract(procs[0].url, 'ctr-demo', 'demo-client')).body.version;
        const same = {
          token: 'demo-client',
          version: current,
          key: 'same-key-two-processes',
          actions: [{ type: 'edit', id: 'm-4', set: { title: 'Launch, once' } }],
        };
        const [a, b] = await Promise.all([
          post(procs[0].url, 'ctr-demo', same),
          post(procs[2].url, 'ctr-demo', same),
        ]);
        assert.equal(a.status, 200, a.text);
        assert.equal(b.status, 200, b.text);
        assert.equal(a.text, b.text, 'both processes answer with the first answer, byte for byte');
        assert.equal(
          [a, b].filter((r) => r.headers.get('idempotent-replayed') === 'true').length,
          1,
        );
        assert.equal((await history(procs[1].url, 'ctr-demo', 'demo-client')).length, 1);

        const started = Date.now();
        let killedAt = 0;
        let restarted;
        const urls = () => procs.map((p) => p.url);
        const run = writers(urls, {
          count: 6,
          perWriter: 40,
          deadline: started + 200000,
          onAck(n) {
            if (n >= 60 && !killedAt) {
              killedAt = n;
              // Mid-stream: writers have requests in flight on every process.
              restarted = (async () => {
                const exit = await procs[1].kill9();
                assert.equal(exit.signal, 'SIGKILL');
                await sleep(300);
                procs[1] = await startServer(sandbox);
              })();
            }
          },
        });
        const { counts, acks, problems } = await run;
        await restarted;
        assert.deepEqual(problems, []);
        const result = audit(sandbox.db, acks);
        console.log(
          `# multiprocess: sent=${counts.sent} acknowledged=${counts.acknowledged} ` +
            `lost=${result.lost} applied_twice=${result.appliedTwice} processes=${PROCESSES} ` +
            `killed_after=${killedAt} requests=${counts.requests} stale(412)=${counts.stale} ` +
            `unavailable(503)=${counts.unavailable} cut=${counts.cut} audit_contiguous=${result.contiguous} ` +
            `in ${Date.now() - started} ms`,
        );
        assert.ok(killedAt > 0, 'a process was killed mid-stream');
        assert.equal(
          counts.acknowledged,
          counts.sent,
          'every changeset was acknowledged in the end',
        );
        assert.equal(result.lost, 0);
        assert.equal(result.appliedTwice, 0);
        // The writers' changesets and the one sent to two processes.
        assert.equal(result.changesets, counts.sent + 1);
        assert.equal(result.auditRows, counts.sent + 1);
        assert.ok(
          result.contiguous,
          'audit versions are contiguous and end at the contract version',
        );
      } finally {
        await stopAll(procs);
      }
      const check = integrityCheck(sandbox.db);
      assert.equal(check.output, 'ok');
      assert.equal(check.status, 0);
      sandbox.remove();
    },
  );

  test(
    'PostgreSQL restarts mid-run: 503 with Retry-After meanwhile, the servers recover by themselves',
    {
      timeout: 240000,
      skip: process.env.MILESTONE_PG_DIR ? false : 'needs MILESTONE_PG_DIR (tools/pg run)',
    },
    async () => {
      const sandbox = makeSandbox();
      const procs = await Promise.all([startServer(sandbox), startServer(sandbox)]);
      const pids = procs.map((p) => p.child.pid);
      try {
        let restart;
        let downMs = 0;
        const started = Date.now();
        const { counts, acks, problems } = await writers(() => procs.map((p) => p.url), {
          count: 4,
          perWriter: 40,
          deadline: started + 200000,
          onAck(n) {
            if (n >= 40 && !restart) {
              // Down for two seconds (-m immediate: a crash, as far as the
              // servers can tell), then up again on the same socket.
              restart = new Promise((resolve, reject) => {
                const t0 = Date.now();
                const child = spawn(
                  path.join(repo, 'tools/pg'),
                  ['restart', process.env.MILESTONE_PG_DIR, '2'],
                  { stdio: ['ignore', 'ignore', 'pipe'] },
                );
                let errors = '';
                child.stderr.on('data', (d) => {
                  errors += d;
                });
                child.on('close', (code) => {
                  downMs = Date.now() - t0;
                  if (code === 0) resolve();
                  else reject(new Error(`tools/pg restart: ${code} ${errors}`));
                });
              });
            }
          },
        });
        await restart;
        assert.deepEqual(problems, []);
        const result = audit(sandbox.db, acks);
        console.log(
          `# pg-restart: sent=${counts.sent} acknowledged=${counts.acknowledged} ` +
            `lost=${result.lost} applied_twice=${result.appliedTwice} unavailable(503)=${counts.unavailable} ` +
            `cut=${counts.cut} down_ms=${downMs} audit_contiguous=${result.contiguous} in ${Date.now() - started} ms`,
        );
        assert.ok(restart, 'the database was restarted mid-run');
        assert.ok(counts.unavailable > 0, 'requests during the restart were answered 503');
        assert.deepEqual(
          procs.map((p) => p.child.pid),
          pids,
        );
        assert.ok(
          procs.every((p) => p.child.exitCode === null),
          'no server restarted or exited',
        );
        assert.equal(counts.acknowledged, counts.sent);
        assert.equal(result.lost, 0);
        assert.equal(result.appliedTwice, 0);
        assert.ok(result.contiguous, 'audit versions are contiguous');
        // Reads recovered too.
        const r = await getContract(procs[0].url, 'ctr-demo', 'demo-client');
        assert.equal(r.status, 200);
        assert.equal(r.body.version, result.current);
      } finally {
        await stopAll(procs);
      }
      sandbox.remove();
    },
  );

  test(
    'one key on two contracts through two processes at once: one applies, the other is told the key is used',
    { timeout: 120000 },
    async () => {
      const sandbox = makeSandbox();
      const procs = await Promise.all([startServer(sandbox), startServer(sandbox)]);
      try {
        // Give demo-client both contracts: the two transactions then lock
        // different rows, and only the idempotency key's primary key orders them.
        psql(
          sandbox.db,
          "INSERT INTO access (token, contract_id) VALUES ('demo-client', 'ctr-other')",
        );
        const rounds = 12;
        let applied = 0;
        let reused = 0;
        for (let i = 0; i < rounds; i++) {
          const key = `cross-${i}`;
          const versions = await Promise.all(
            ['ctr-demo', 'ctr-other'].map(
              async (id) => (await getContract(procs[0].url, id, 'demo-client')).body.version,
            ),
          );
          const [a, b] = await Promise.all([
            post(procs[0].url, 'ctr-demo', {
              token: 'demo-client',
              version: versions[0],
              key,
              actions: [{ type: 'edit', id: 'm-3', set: { title: key } }],
            }),
            post(procs[1].url, 'ctr-other', {
              token: 'demo-client',
              version: versions[1],
              key,
              actions: [{ type: 'edit', id: 'm-2', set: { title: key } }],
            }),
          ]);
          const statuses = [a.status, b.status].sort();
          assert.deepEqual(
            statuses,
            [200, 422],
            `${key}: ${a.status} ${a.text} / ${b.status} ${b.text}`,
          );
          const refused = a.status === 422 ? a : b;
          assert.ok(
            refused.body.issues.some((x) => x.code === 'IDEMPOTENCY_KEY_REUSED'),
            refused.text,
          );
          applied++;
          reused++;
        }
        const changesets = Number(
          psql(sandbox.db, "SELECT count(*) FROM changesets WHERE idempotency_key LIKE 'cross-%'"),
        );
        console.log(
          `# cross-contract key: rounds=${rounds} applied=${applied} reused(422)=${reused} changesets=${changesets}`,
        );
        assert.equal(changesets, rounds, 'each key applied exactly once');
      } finally {
        await stopAll(procs);
      }
      sandbox.remove();
    },
  );

  test('the database itself keeps the audit log and changesets append-only; a missing migration is applied on start', async () => {
    const sandbox = makeSandbox();
    const server = await startServer(sandbox);
    try {
      const { version } = (await getContract(server.url, 'ctr-demo', 'demo-client')).body;
      const r = await post(server.url, 'ctr-demo', {
        token: 'demo-client',
        version,
        actions: [{ type: 'edit', id: 'm-3', set: { title: 'kept' } }],
      });
      assert.equal(r.status, 200, r.text);
      for (const sql of [
        "UPDATE audit SET actor = 'freelancer'",
        'DELETE FROM audit',
        'TRUNCATE audit CASCADE',
        "UPDATE changesets SET actions = '[]'",
        'DELETE FROM changesets',
        'TRUNCATE changesets CASCADE',
      ]) {
        assert.throws(() => psql(sandbox.db, sql), /append-only/, sql);
      }
      assert.equal(psql(sandbox.db, 'SELECT count(*) FROM audit'), '1');
      assert.equal(psql(sandbox.db, 'SELECT count(*) FROM changesets'), '1');
    } finally {
      const { code, errors } = await server.stop();
      assert.equal(code, 0, errors);
    }
    // A database one migration behind gets it on the next start, once.
    psql(sandbox.db, 'DROP INDEX audit_contract; DELETE FROM schema_migrations WHERE version = 2');
    const again = await startServer(sandbox);
    try {
      assert.equal(
        psql(
          sandbox.db,
          "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations",
        ),
        '1,2,3',
      );
      assert.equal(
        psql(
          sandbox.db,
          "SELECT count(*) FROM pg_indexes WHERE indexname = 'audit_contract' AND schemaname = current_schema()",
        ),
        '1',
      );
      assert.equal(
        (await history(again.url, 'ctr-demo', 'demo-client')).length,
        1,
        'the data is untouched',
      );
    } finally {
      const { code, errors } = await again.stop();
      assert.equal(code, 0, errors);
    }
    sandbox.remove();
  });
});
