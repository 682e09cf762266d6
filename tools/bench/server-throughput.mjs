// Accepted changesets per second through the reference server, SQLite and
// PostgreSQL, with 1, 2 and 3 server processes sharing one database. A
// benchmark, not a test: it prints a table and fails only when a request
// gets an answer it should never get (a 5xx other than 503, a 4xx but 412).
//
//   node tools/bench/server-throughput.mjs --server build/native/tools/server/milestone_server
//   DATABASE_URL=postgres://... adds the PostgreSQL row (tools/bench/server-throughput
//   starts a throwaway cluster for it). SECONDS_PER_RUN=5 WRITERS=8 by default.
//
// Each run: a fresh database (a SQLite file / a PostgreSQL schema), N
// processes started on it, WRITERS writers split over the two demo contracts
// (ctr-demo and ctr-other), each request sent to the next process in turn,
// each writer renaming a milestone with If-Match and retrying on 412 with the
// version the 412 carries. Only 200s count.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { server: { type: 'string' } } });
if (values.server) process.env.MILESTONE_SERVER = path.resolve(values.server);
const { post, psql, startServer } = await import('../../tests/server/helpers.mjs');

const seconds = Number(process.env.SECONDS_PER_RUN ?? 5);
const writerCount = Number(process.env.WRITERS ?? 8);
const pgUrl = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '')
  ? process.env.DATABASE_URL
  : null;
const targets = [
  { contract: 'ctr-demo', token: 'demo-client', milestone: 'm-3' },
  { contract: 'ctr-other', token: 'other-client', milestone: 'm-2' },
];

function sandbox(backend, n) {
  const dir = mkdtempSync(path.join(tmpdir(), 'milestone-bench-'));
  mkdirSync(path.join(dir, 'web'));
  mkdirSync(path.join(dir, 'dist'));
  let db = path.join(dir, 'bench.db');
  let schema = null;
  if (backend === 'postgresql') {
    schema = `bench_${process.pid}_${n}_${Date.now() % 100000}`;
    const url = new URL(pgUrl);
    url.searchParams.set('options', `-csearch_path=${schema}`);
    db = url.toString();
  }
  return {
    db,
    web: path.join(dir, 'web'),
    dist: path.join(dir, 'dist'),
    remove() {
      rmSync(dir, { recursive: true, force: true });
      if (schema) psql(pgUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}

async function run(backend, processes) {
  const box = sandbox(backend, processes);
  // One process first: it migrates and seeds; the others find it done.
  const servers = [await startServer(box, [], { now: null })];
  for (let i = 1; i < processes; i++) servers.push(await startServer(box, [], { now: null }));
  const counts = { accepted: 0, stale: 0, unavailable: 0 };
  let turn = 0;
  const versions = targets.map(() => 1);
  const stopAt = Date.now() + seconds * 1000;
  async function writer(w) {
    const t = w % targets.length;
    const { contract, token, milestone } = targets[t];
    for (let n = 0; Date.now() < stopAt; n++) {
      const base = servers[turn++ % servers.length].url;
      const r = await post(base, contract, {
        token,
        version: versions[t],
        actions: [{ type: 'edit', id: milestone, set: { title: `w${w}-${n}` } }],
      });
      if (r.status === 200) {
        counts.accepted++;
        versions[t] = Math.max(versions[t], r.body.contract.version);
      } else if (r.status === 412) {
        counts.stale++;
        versions[t] = Math.max(versions[t], r.body.contract.version);
      } else if (r.status === 503) {
        counts.unavailable++;
      } else {
        throw new Error(`${backend} x${processes}: ${r.status} ${r.text.slice(0, 300)}`);
      }
    }
  }
  const started = Date.now();
  try {
    await Promise.all(Array.from({ length: writerCount }, (_, w) => writer(w)));
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    box.remove();
  }
  const elapsed = (Date.now() - started) / 1000;
  return { perSecond: counts.accepted / elapsed, ...counts };
}

const backends = ['sqlite', ...(pgUrl ? ['postgresql'] : [])];
const rows = [];
for (const backend of backends) {
  const cells = [];
  for (const processes of [1, 2, 3]) {
    const r = await run(backend, processes);
    console.error(
      `bench: ${backend} x${processes}: ${r.accepted} accepted, ${r.stale} stale (412), ` +
        `${r.unavailable} busy (503), ${r.perSecond.toFixed(1)}/s`,
    );
    cells.push(r);
  }
  rows.push({ backend, cells });
}

console.log(
  `\nServer throughput: accepted changesets per second (${writerCount} writers on 2 contracts, ` +
    `${seconds} s a run, one machine${pgUrl ? '' : '; no DATABASE_URL, so no PostgreSQL row'})`,
);
console.log('| backend | 1 process | 2 processes | 3 processes | 412 share (3 processes) |');
console.log('|---|---:|---:|---:|---:|');
for (const { backend, cells } of rows) {
  const last = cells.at(-1);
  const share = last.stale / Math.max(1, last.stale + last.accepted);
  console.log(
    `| ${backend} | ${cells.map((c) => c.perSecond.toFixed(1)).join(' | ')} | ${(share * 100).toFixed(0)}% |`,
  );
}
