// Starts real milestone_server processes for the server tests: a free
// loopback port (the server picks it with --port 0 and prints it), a temporary
// database, and temporary web/ and dist/ directories. Node built-ins only.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertResponse } from './openapi-check.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const serverBinary = path.resolve(
  repo,
  process.env.MILESTONE_SERVER ?? 'build/native/tools/server/milestone_server',
);

// The engine's clock for every test server; the seed's due dates follow it.
export const NOW = '2026-11-27';

// With DATABASE_URL=postgres://... in the environment (tools/pg run sets it),
// every sandbox gets a fresh PostgreSQL schema of its own in that database
// (the URL's search_path; the server creates the schema), dropped by
// remove(); sandbox.db is then that URL instead of a file. Nothing here
// blocks the event loop: parallel tests keep their keep-alive sockets alive.
export const databaseUrl = process.env.DATABASE_URL || null;
let databases = 0;

// Runs SQL with psql against `url`; returns its output, throws on failure.
export function psql(url, sql) {
  const r = spawnSync('psql', [url, '-X', '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

// The URL of a new, still empty schema in the DATABASE_URL database.
export function createDatabase() {
  const name = `t_${process.pid}_${++databases}_${Math.random().toString(36).slice(2, 8)}`;
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-csearch_path=${name}`);
  return { name, url: url.toString() };
}

// Drops the schema in the background (node waits for psql before it exits).
export function dropDatabase(name) {
  spawn('psql', [databaseUrl, '-X', '-q', '-c', `DROP SCHEMA IF EXISTS ${name} CASCADE`], {
    stdio: 'ignore',
  }).on('error', () => {});
}

// The server flag naming a database location (a file or a postgres URL).
export function dbArgs(db) {
  return /^postgres(ql)?:\/\//.test(db) ? ['--database-url', db] : ['--db', db];
}

// A scratch directory with web/ and dist/ holding one file of each kind the
// server must type, and a secret beside them that traversal must not reach.
export function makeSandbox() {
  const dir = mkdtempSync(path.join(tmpdir(), 'milestone-server-'));
  mkdirSync(path.join(dir, 'web', 'sub'), { recursive: true });
  mkdirSync(path.join(dir, 'dist', 'milestone-engine'), { recursive: true });
  writeFileSync(path.join(dir, 'web', 'index.html'), '<!doctype html><title>editor</title>');
  writeFileSync(path.join(dir, 'web', 'app.js'), 'export const x = 1;');
  writeFileSync(path.join(dir, 'web', 'style.css'), 'body{}');
  writeFileSync(path.join(dir, 'web', 'manifest.webmanifest'), '{}');
  writeFileSync(path.join(dir, 'web', 'sub', 'index.html'), '<p>sub</p>');
  writeFileSync(path.join(dir, 'web', '.hidden'), 'hidden');
  writeFileSync(path.join(dir, 'dist', 'milestone-engine', 'index.mjs'), 'export {};');
  writeFileSync(
    path.join(dir, 'dist', 'milestone-engine', 'engine.wasm'),
    Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
  );
  writeFileSync(path.join(dir, 'dist', 'milestone-engine', 'package.json'), '{}');
  writeFileSync(path.join(dir, 'secret.txt'), 'TOP-SECRET');
  const database = databaseUrl ? createDatabase() : null;
  return {
    dir,
    db: database ? database.url : path.join(dir, 'var', 'milestones.db'),
    web: path.join(dir, 'web'),
    dist: path.join(dir, 'dist'),
    remove() {
      rmSync(dir, { recursive: true, force: true });
      if (database) dropDatabase(database.name);
    },
  };
}

// Starts the server on `sandbox` and resolves once it prints its URL. `now`
// fixes the engine's clock (null: the real date, as the page runs); `env` is
// added to the environment.
export async function startServer(sandbox, extraArgs = [], { now = NOW, env = {} } = {}) {
  const child = spawn(
    serverBinary,
    [
      '--port',
      '0',
      ...dbArgs(sandbox.db),
      '--web',
      sandbox.web,
      '--dist',
      sandbox.dist,
      ...(now ? ['--now', now] : []),
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let output = '';
  let errors = '';
  child.stderr.on('data', (d) => {
    errors += d;
  });
  const exited = new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, output, errors })),
  );
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${errors}`)), 15000);
    child.stdout.on('data', (d) => {
      output += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}: ${errors}`));
    });
  });
  return {
    url,
    child,
    exited,
    // What it printed on stdout so far.
    output: () => output,
    // Clean stop through SIGTERM; resolves with the exit code and output.
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

// Runs the binary's own integrity check (no sqlite3 CLI needed): SQLite's
// PRAGMA integrity_check, and on both backends the audit log's versions.
export function integrityCheck(db) {
  const r = spawnSync(serverBinary, ['--integrity-check', ...dbArgs(db)], { encoding: 'utf8' });
  return { status: r.status, output: (r.stdout ?? '').trim() };
}

export function auth(token) {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

// fetch wrapper: { status, headers, body (parsed JSON when it is JSON), text }.
export async function call(url, { method = 'GET', token, headers = {}, body } = {}) {
  const res = await fetch(url, {
    method,
    headers: {
      ...auth(token),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // Every answer the tests receive is held against docs/openapi.yaml.
  assertResponse(method, url, res.status, json);
  return { status: res.status, headers: res.headers, body: json, text };
}

export async function getContract(base, id, token) {
  return call(`${base}/api/contracts/${id}`, { token });
}

// POSTs a changeset; `version` goes into If-Match unless it is null.
export async function post(base, id, { token, version, actions, actor, key, headers = {} }) {
  const h = { ...headers };
  if (version !== null && version !== undefined) h['If-Match'] = `"${version}"`;
  if (key) h['Idempotency-Key'] = key;
  const body = { actions };
  if (actor !== undefined) body.actor = actor;
  return call(`${base}/api/contracts/${id}/changesets`, {
    method: 'POST',
    token,
    headers: h,
    body,
  });
}

export async function history(base, id, token) {
  const r = await call(`${base}/api/contracts/${id}/history`, { token });
  return r.body.history;
}
