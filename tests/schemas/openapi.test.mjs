// docs/openapi.yaml: linted as OpenAPI 3.1 by @readme/openapi-parser (its
// $refs into the package's JSON Schemas resolved from disk), its version the
// project's, and tests/server/openapi-check.mjs shown to tell a documented
// response from an undocumented one, then run against a real milestone_server
// (build/native) for every endpoint and the refusals the API documents.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { install, root } from './deps.mjs';

let parser;
let check;
before(async () => {
  const require = install();
  parser = await import(require.resolve('@readme/openapi-parser'));
  check = await import('../server/openapi-check.mjs');
});

const openapiFile = path.join(root, 'docs/openapi.yaml');

test('docs/openapi.yaml is valid OpenAPI 3.1, with no warnings', async () => {
  const result = await parser.validate(openapiFile);
  assert.equal(result.valid, true, result.valid ? '' : parser.compileErrors(result));
  assert.deepEqual(result.warnings, []);
  assert.equal(check.openapi.openapi, '3.1.0');
});

test('the linter refuses a broken document (it is really linting)', async () => {
  const broken = structuredClone(check.openapi);
  delete broken.paths['/api/notifications'].get.responses;
  broken.paths['/api/contracts/{id}'].get.parameters.push({ name: 'x', in: 'nowhere' });
  const result = await parser.validate(broken, { resolve: { external: false } });
  assert.equal(result.valid, false);
});

test("its version is the project's one version", () => {
  const cmake = readFileSync(path.join(root, 'CMakeLists.txt'), 'utf8');
  const version = /project\(milestone_engine VERSION ([0-9][^\s)]*)/.exec(cmake)[1];
  assert.equal(check.openapi.info.version, version);
  const dist = path.join(root, 'dist/milestone-engine/package.json');
  if (existsSync(dist)) assert.equal(JSON.parse(readFileSync(dist, 'utf8')).version, version);
});

const issue = (code) => ({
  ok: false,
  issues: [{ code, severity: 'error', path: '', message: 'Why.' }],
});

test('checkResponse: what the document says passes, what it does not is named', () => {
  const { checkResponse } = check;
  assert.deepEqual(checkResponse('GET', '/api/contracts/ctr-1', 401, issue('UNAUTHORIZED')), []);
  assert.deepEqual(
    checkResponse('GET', 'http://127.0.0.1:9/api/contracts/ctr-1?x=1', 404, issue('NOT_FOUND')),
    [],
  );
  assert.deepEqual(
    checkResponse('PUT', '/api/contracts/ctr-1', 405, issue('METHOD_NOT_ALLOWED')),
    [],
  );
  assert.deepEqual(checkResponse('GET', '/api/elsewhere', 404, issue('NOT_FOUND')), []);
  assert.deepEqual(
    checkResponse('GET', '/index.html', 200, undefined),
    [],
    'static files are not the API',
  );
  assert.deepEqual(checkResponse('GET', '/api/contracts/ctr-1', 304, undefined), []);
  const refused = [
    ['GET', '/api/contracts/ctr-1', 200, {}], // not a contract
    ['GET', '/api/contracts/ctr-1', 401, { error: 'UNAUTHORIZED' }], // the old envelope
    ['GET', '/api/contracts/ctr-1', 401, { ok: false, issues: [] }], // an envelope without an issue
    ['GET', '/api/notifications', 299, { notifications: [] }], // undocumented status
    ['PUT', '/api/contracts/ctr-1', 404, issue('NOT_FOUND')], // should be 405
    ['GET', '/api/elsewhere', 200, {}], // should be 404
    ['POST', '/api/contracts/ctr-1/changesets', 412, issue('STALE_VERSION')], // no current contract
    ['GET', '/api/notifications', 200, { notifications: [{ contractId: 'c' }] }],
  ];
  for (const [method, url, status, body] of refused) {
    assert.notDeepEqual(
      check.checkResponse(method, url, status, body),
      [],
      `${method} ${url} ${status}`,
    );
  }
  assert.throws(() => check.assertResponse('GET', '/api/notifications', 299, {}), {
    code: 'OPENAPI_MISMATCH',
  });
});

// ---- a real server ----

const serverBinary = path.resolve(
  root,
  process.env.MILESTONE_SERVER ?? 'build/native/tools/server/milestone_server',
);
let sandbox;
let server;
after(async () => {
  await server?.stop();
  sandbox?.remove?.();
});

test('every answer of a real milestone_server matches the document', async (t) => {
  if (!existsSync(serverBinary)) {
    t.skip(`no server binary at ${serverBinary}`);
    return;
  }
  const helpers = await import('../server/helpers.mjs');
  sandbox = helpers.makeSandbox();
  server = await helpers.startServer(sandbox);
  const base = server.url;
  const seen = [];
  const call = async (method, url, options = {}) => {
    const r = await helpers.call(`${base}${url}`, { method, ...options });
    seen.push(`${method} ${url} ${r.status}`);
    assert.deepEqual(
      check.checkResponse(method, url, r.status, r.body),
      [],
      `${method} ${url}: ${r.text.slice(0, 300)}`,
    );
    return r;
  };
  const client = 'demo-client';
  const got = await call('GET', '/api/contracts/ctr-demo', { token: client });
  assert.equal(got.status, 200);
  const contract = got.body;
  const etag = got.headers.get('etag');
  await call('GET', '/api/contracts/ctr-demo', {
    token: client,
    headers: { 'If-None-Match': etag },
  });
  await call('GET', '/api/contracts/ctr-demo');
  await call('GET', '/api/contracts/ctr-other', { token: client });
  await call('GET', '/api/contracts/ctr-demo/nothing', { token: client });
  await call('GET', '/api/nothing', { token: client });
  await call('DELETE', '/api/contracts/ctr-demo', { token: client });
  const future = contract.milestones.find((m) => m.state === 'not_funded');
  const changes = '/api/contracts/ctr-demo/changesets';
  const ifMatch = { 'If-Match': `"${contract.version}"` };
  await call('POST', changes, {
    token: client,
    body: { actions: [{ type: 'edit', id: future.id, set: { title: 'x' } }] },
  });
  await call('POST', changes, {
    token: client,
    headers: { 'If-Match': 'W/"1"' },
    body: { actions: [] },
  });
  await call('POST', changes, {
    token: client,
    headers: ifMatch,
    body: { actions: [{ type: 'nope' }] },
  });
  await call('POST', changes, { token: client, headers: ifMatch, body: '[1]' });
  await call('POST', changes, {
    token: client,
    headers: ifMatch,
    body: { actions: [{ type: 'edit', id: future.id, set: { amount: 100 } }] },
  });
  await call('POST', changes, {
    token: client,
    headers: ifMatch,
    body: { actor: 'freelancer', actions: [{ type: 'end' }] },
  });
  await call('POST', changes, {
    token: 'demo-freelancer',
    headers: ifMatch,
    body: { actions: [{ type: 'fund', id: future.id }] },
  });
  const ok = await call('POST', changes, {
    token: client,
    headers: { ...ifMatch, 'Idempotency-Key': 'k-1' },
    body: {
      actions: [{ type: 'edit', id: future.id, set: { title: `${future.title} (renamed)` } }],
    },
  });
  assert.equal(ok.status, 200, ok.text);
  await call('POST', changes, {
    token: client,
    headers: { ...ifMatch, 'Idempotency-Key': 'k-1' },
    body: {
      actions: [{ type: 'edit', id: future.id, set: { title: `${future.title} (renamed)` } }],
    },
  });
  await call('POST', changes, {
    token: client,
    headers: ifMatch,
    body: { actions: [{ type: 'edit', id: future.id, set: { title: 'stale' } }] },
  });
  await call('GET', '/api/contracts/ctr-demo/history', { token: client });
  const view = await call('GET', '/api/contracts/ctr-demo/view', { token: client });
  await call('GET', '/api/contracts/ctr-demo/view', {
    token: client,
    headers: { 'If-None-Match': view.headers.get('etag') },
  });
  await call('GET', '/api/contracts/ctr-demo/view', { token: 'demo-mediator' });
  await call('GET', '/api/contracts/ctr-demo/view');
  await call('GET', '/api/contracts/ctr-other/view', { token: client });
  await call('POST', '/api/contracts/ctr-demo/view', { token: client, body: {} });
  await call('GET', '/api/policy', { token: client });
  await call('GET', '/api/policy');
  await call('PUT', '/api/policy', { token: client, body: {} });
  await call('GET', '/api/notifications', { token: 'demo-freelancer' });
  await call('GET', '/api/notifications', { token: 'nobody' });
  const statuses = new Set(seen.map((s) => Number(s.split(' ').at(-1))));
  console.log(
    `# openapi: ${seen.length} real responses checked, statuses ${[...statuses].sort().join(' ')}`,
  );
  for (const status of [200, 304, 401, 403, 404, 405, 400, 412, 422, 428])
    assert.ok(statuses.has(status), `no ${status} was seen`);
});
