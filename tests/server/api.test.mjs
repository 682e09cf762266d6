// The API of SPEC §6 through HTTP against a real server: every status code,
// the headers, idempotency, history, notifications and the static files.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import { call, getContract, history, makeSandbox, post, startServer } from './helpers.mjs';

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; " +
  "base-uri 'none'; frame-ancestors 'none'";

// Every error body is the one envelope: {ok: false, issues: [{code, severity, path, message}]}.
function code(r) {
  assert.equal(r.body?.ok, false, r.text);
  assert.ok(Array.isArray(r.body.issues) && r.body.issues.length > 0, r.text);
  for (const i of r.body.issues) {
    assert.equal(typeof i.code, 'string', r.text);
    assert.equal(typeof i.message, 'string', r.text);
    assert.equal(typeof i.path, 'string', r.text);
  }
  assert.ok(
    r.body.issues.some((i) => i.severity === 'error'),
    r.text,
  );
  return r.body.issues[0].code;
}

function assertSecurityHeaders(res) {
  assert.equal(res.headers.get('content-security-policy'), CSP);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
}

// A request whose path node must not normalise (fetch resolves "..").
function rawGet(base, rawPath) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('reference server API', () => {
  let sandbox;
  let server;
  let base;

  before(async () => {
    sandbox = makeSandbox();
    server = await startServer(sandbox);
    base = server.url;
  });

  after(async () => {
    const { code, errors } = await server.stop();
    sandbox.remove();
    assert.equal(code, 0, `SIGTERM stops the server cleanly: ${errors}`);
  });

  test('GET a contract: 200, ETag of its version, security headers', async () => {
    const r = await getContract(base, 'ctr-demo', 'demo-client');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('etag'), `"${r.body.version}"`);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assertSecurityHeaders(r);
    // The seed: one released, one active, the rest future.
    const states = r.body.milestones.map((m) => m.state);
    assert.equal(states[0], 'released');
    assert.equal(states[1], 'active');
    assert.ok(states.length >= 3);
    assert.ok(states.slice(2).every((s) => s === 'not_funded'));
    const revalidated = await call(`${base}/api/contracts/ctr-demo`, {
      token: 'demo-client',
      headers: { 'If-None-Match': r.headers.get('etag') },
    });
    assert.equal(revalidated.status, 304);
  });

  test('401 without a token or with an unknown one, on every endpoint', async () => {
    const urls = [
      '/api/contracts/ctr-demo',
      '/api/contracts/ctr-demo/history',
      '/api/notifications',
    ];
    for (const u of urls) {
      for (const token of [undefined, 'nobody', '']) {
        const r = await call(base + u, { token });
        assert.equal(r.status, 401, `${u} with ${token}`);
        assert.equal(code(r), 'UNAUTHORIZED');
        assertSecurityHeaders(r);
      }
    }
    const basic = await call(`${base}/api/contracts/ctr-demo`, {
      headers: { Authorization: 'Basic ZGVtbzp4' },
    });
    assert.equal(basic.status, 401);
    const p = await post(base, 'ctr-demo', {
      token: 'nobody',
      version: 1,
      actions: [{ type: 'end' }],
    });
    assert.equal(p.status, 401);
  });

  test('403 for a contract the token may not touch, and nothing changes', async () => {
    const before1 = await getContract(base, 'ctr-other', 'other-client');
    assert.equal(before1.status, 200);
    for (const [token, id] of [
      ['demo-client', 'ctr-other'],
      ['demo-freelancer', 'ctr-other'],
      ['other-client', 'ctr-demo'],
      ['demo-client', 'no-such'],
    ]) {
      assert.equal((await getContract(base, id, token)).status, 403, `${token} GET ${id}`);
      assert.equal((await call(`${base}/api/contracts/${id}/history`, { token })).status, 403);
      const r = await post(base, id, { token, version: 1, actions: [{ type: 'end' }] });
      assert.equal(r.status, 403, `${token} POST ${id}`);
      assert.equal(code(r), 'FORBIDDEN');
    }
    const after1 = await getContract(base, 'ctr-other', 'other-client');
    assert.deepEqual(after1.body, before1.body);
  });

  test('428 without If-Match; 400 for unreadable input; 413 over 1 MiB', async () => {
    const v = (await getContract(base, 'ctr-demo', 'demo-client')).body.version;
    const missing = await post(base, 'ctr-demo', {
      token: 'demo-client',
      version: null,
      actions: [{ type: 'edit', id: 'm-3', set: { title: 'x' } }],
    });
    assert.equal(missing.status, 428);
    assert.equal(code(missing), 'PRECONDITION_REQUIRED');

    const url = `${base}/api/contracts/ctr-demo/changesets`;
    const headers = { 'If-Match': `"${v}"` };
    // The engine's reader decides: its codes, at the body's paths.
    for (const [body, expected] of [
      ['{', 'INVALID_JSON'],
      ['[]', 'SCHEMA'],
      ['"x"', 'SCHEMA'],
      ['{"actions": "end"}', 'SCHEMA'],
      ['{"actions": []}', 'SCHEMA'],
      ['{"actions": [{"type": "teleport"}]}', 'SCHEMA'],
      ['{"actions": [42]}', 'SCHEMA'],
      ['{"actor": 7, "actions": [{"type": "end"}]}', 'SCHEMA'],
      ['{"contractId": "ctr-other", "actions": [{"type": "end"}]}', 'BAD_REQUEST'],
      ['{"actions": [{"type": "end"}], "actions": [{"type": "end"}]}', 'INVALID_JSON'],
      ['['.repeat(100000), 'INVALID_JSON'],
      ['\u0000\u00ff', 'INVALID_JSON'],
    ]) {
      const r = await call(url, { method: 'POST', token: 'demo-client', headers, body });
      assert.equal(r.status, 400, `body ${body.slice(0, 40)}`);
      assert.equal(code(r), expected, `body ${body.slice(0, 40)}: ${r.text}`);
    }
    const teleport = await call(url, {
      method: 'POST',
      token: 'demo-client',
      headers,
      body: '{"actions": [{"type": "end"}, {"type": "teleport"}]}',
    });
    assert.equal(teleport.body.issues[0].path, '/actions/1/type', teleport.text);
    // If-Match as RFC 9110 says: one strong tag compared exactly, or *.
    for (const ifMatch of ['"1", "2"', '2', '1', 'W/1', '"1', '1"', '" 1"', '']) {
      const r = await call(url, {
        method: 'POST',
        token: 'demo-client',
        headers: { 'If-Match': ifMatch },
        body: { actions: [{ type: 'end' }] },
      });
      assert.equal(r.status, 400, `If-Match ${ifMatch}`);
      assert.equal(code(r), 'BAD_REQUEST');
    }
    for (const ifMatch of [`W/"${v}"`, `"0${v}"`, '"abc"', `"${v}.0"`]) {
      const r = await call(url, {
        method: 'POST',
        token: 'demo-client',
        headers: { 'If-Match': ifMatch },
        body: { actions: [{ type: 'end' }] },
      });
      assert.equal(r.status, 412, `If-Match ${ifMatch}: ${r.text}`);
      assert.equal(code(r), 'STALE_VERSION');
      assert.equal(r.body.contract.version, v);
      assert.equal(r.headers.get('etag'), `"${v}"`);
    }
    assert.equal((await getContract(base, 'ctr-demo', 'demo-client')).body.version, v);
    const star = await call(url, {
      method: 'POST',
      token: 'demo-client',
      headers: { 'If-Match': '*' },
      body: { actions: [{ type: 'edit', id: 'm-4', set: { description: 'Any version' } }] },
    });
    assert.equal(star.status, 200, star.text);
    assert.equal(star.body.contract.version, v + 1);

    const big = JSON.stringify({
      actions: [{ type: 'edit', id: 'm-3', set: { description: 'x'.repeat(1100000) } }],
    });
    const tooBig = await rawPost(base, '/api/contracts/ctr-demo/changesets', big, {
      Authorization: 'Bearer demo-client',
      'If-Match': `"${v + 1}"`,
    });
    assert.equal(tooBig.status, 413);
    assert.equal(JSON.parse(tooBig.body).issues[0].code, 'BODY_TOO_LARGE');
    assert.equal((await getContract(base, 'ctr-demo', 'demo-client')).body.version, v + 1);
  });

  test('403 when the body actor disagrees with the token, or the role may not act', async () => {
    const c = (await getContract(base, 'ctr-demo', 'demo-client')).body;
    const mismatch = await post(base, 'ctr-demo', {
      token: 'demo-client',
      version: c.version,
      actor: 'freelancer',
      actions: [{ type: 'edit', id: 'm-3', set: { title: 'Tests' } }],
    });
    assert.equal(mismatch.status, 403);
    assert.equal(code(mismatch), 'ACTOR_MISMATCH');
    assert.equal(mismatch.body.issues[0].path, '/actor');
    const role = await post(base, 'ctr-demo', {
      token: 'demo-freelancer',
      version: c.version,
      actor: 'freelancer',
      actions: [{ type: 'release', id: 'm-2' }],
    });
    assert.equal(role.status, 403);
    assert.equal(code(role), 'NOT_ALLOWED_FOR_ROLE');
    assert.ok(role.body.issues.some((i) => i.code === 'NOT_ALLOWED_FOR_ROLE'));
    assert.deepEqual((await getContract(base, 'ctr-demo', 'demo-client')).body, c);
  });

  test('422 with the engine issues; 412 with the current contract when stale', async () => {
    const c = (await getContract(base, 'ctr-demo', 'demo-client')).body;
    // m-2 is in flight, so m-3 cannot be funded yet.
    const rule = await post(base, 'ctr-demo', {
      token: 'demo-client',
      version: c.version,
      actions: [{ type: 'fund', id: 'm-3' }],
    });
    assert.equal(rule.status, 422);
    assert.ok(
      rule.body.issues.some((i) => i.code === 'FUND_WHILE_IN_FLIGHT'),
      rule.text,
    );
    const low = await post(base, 'ctr-demo', {
      token: 'demo-client',
      version: c.version,
      actions: [{ type: 'edit', id: 'm-3', set: { amount: 499 } }],
    });
    assert.equal(low.status, 422);
    assert.ok(low.body.issues.some((i) => i.code === 'AMOUNT_BELOW_MINIMUM'));

    const stale = await post(base, 'ctr-demo', {
      token: 'demo-client',
      version: c.version - 1,
      actions: [{ type: 'edit', id: 'm-3', set: { title: 'Late' } }],
    });
    assert.equal(stale.status, 412);
    assert.equal(code(stale), 'STALE_VERSION');
    assert.deepEqual(stale.body.contract, c);
    assert.equal(stale.headers.get('etag'), `"${c.version}"`);
    assert.deepEqual((await getContract(base, 'ctr-demo', 'demo-client')).body, c);
  });

  test('200: version + 1, events, ETag; history and notifications follow', async () => {
    const c = (await getContract(base, 'ctr-demo', 'demo-client')).body;
    const h0 = await history(base, 'ctr-demo', 'demo-client');
    const ok = await post(base, 'ctr-demo', {
      token: 'demo-client',
      version: c.version,
      actor: 'client',
      key: 'edit-1',
      actions: [{ type: 'edit', id: 'm-3', set: { amount: 35000 } }],
    });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.contract.version, c.version + 1);
    assert.equal(ok.headers.get('etag'), `"${c.version + 1}"`);
    assert.equal(ok.body.contract.milestones.find((m) => m.id === 'm-3').amount, 35000);
    assert.ok(Array.isArray(ok.body.events));
    assertSecurityHeaders(ok);
    const got = await getContract(base, 'ctr-demo', 'demo-freelancer');
    assert.deepEqual(got.body, ok.body.contract);

    const h1 = await history(base, 'ctr-demo', 'demo-freelancer');
    assert.equal(h1.length, h0.length + 1);
    const entry = h1.at(-1);
    assert.equal(entry.actor, 'client');
    assert.equal(entry.version, c.version + 1);
    assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(entry.summary, ['Changed the amount of “Testing” from $300.00 to $350.00.']);

    // The freelancer acts (submit) so the client has something to be told too.
    const submit = await post(base, 'ctr-demo', {
      token: 'demo-freelancer',
      version: c.version + 1,
      actions: [{ type: 'submit', id: 'm-2', message: 'Done' }],
    });
    assert.equal(submit.status, 200, submit.text);
    const last = (await history(base, 'ctr-demo', 'demo-client')).at(-1);
    assert.equal(last.actor, 'freelancer');
    assert.ok(last.summary.length >= 1, 'a state change has a summary line from its events');

    const forFreelancer = (await call(`${base}/api/notifications`, { token: 'demo-freelancer' }))
      .body.notifications;
    const forClient = (await call(`${base}/api/notifications`, { token: 'demo-client' })).body
      .notifications;
    const forOther = (await call(`${base}/api/notifications`, { token: 'other-client' })).body
      .notifications;
    assert.ok(forFreelancer.length >= 1);
    assert.ok(forFreelancer.every((n) => n.actor === 'client' && n.contractId === 'ctr-demo'));
    assert.ok(forFreelancer.some((n) => n.message.includes('$350.00')));
    assert.ok(forClient.length >= 1);
    assert.ok(forClient.every((n) => n.actor === 'freelancer'));
    assert.equal(forClient[0].version, c.version + 2, 'newest first');
    assert.deepEqual(forOther, []);
    const versions = forFreelancer.map((n) => n.version);
    assert.deepEqual(
      versions,
      [...versions].sort((a, b) => b - a),
      'newest first',
    );
  });

  test('a repeated Idempotency-Key answers the first answer once; another body is 422', async () => {
    const c = (await getContract(base, 'ctr-demo', 'demo-client')).body;
    const h0 = (await history(base, 'ctr-demo', 'demo-client')).length;
    const send = (body, token = 'demo-client') =>
      call(`${base}/api/contracts/ctr-demo/changesets`, {
        method: 'POST',
        token,
        headers: { 'If-Match': `"${c.version}"`, 'Idempotency-Key': 'retry-me' },
        body,
      });
    const actions = [{ type: 'edit', id: 'm-4', set: { title: 'Go live' } }];
    const first = await send({ actor: 'client', actions });
    assert.equal(first.status, 200, first.text);
    // Same body, other key order and spacing: the same changeset.
    const again = await send(`{ "actions": ${JSON.stringify(actions)}, "actor": "client" }`);
    assert.equal(again.status, 200);
    assert.equal(again.text, first.text);
    assert.equal(again.headers.get('etag'), first.headers.get('etag'));
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const third = await send({ actor: 'client', actions });
    assert.equal(third.text, first.text);
    assert.equal((await history(base, 'ctr-demo', 'demo-client')).length, h0 + 1);
    assert.equal((await getContract(base, 'ctr-demo', 'demo-client')).body.version, c.version + 1);

    const other = await send({
      actor: 'client',
      actions: [{ type: 'edit', id: 'm-4', set: { title: 'Other' } }],
    });
    assert.equal(other.status, 422);
    assert.equal(code(other), 'IDEMPOTENCY_KEY_REUSED');
    // Keys are per token: the same key from the freelancer is a new changeset.
    const theirs = await call(`${base}/api/contracts/ctr-demo/changesets`, {
      method: 'POST',
      token: 'demo-freelancer',
      headers: { 'If-Match': `"${c.version + 1}"`, 'Idempotency-Key': 'retry-me' },
      body: {
        actions: [
          { type: 'propose', actions: [{ type: 'edit', id: 'm-4', set: { amount: 30000 } }] },
        ],
      },
    });
    assert.equal(theirs.status, 200, theirs.text);
    assert.equal((await history(base, 'ctr-demo', 'demo-client')).length, h0 + 2);
  });

  test('a refused changeset records no idempotency answer: the retry is judged afresh', async () => {
    const c = (await getContract(base, 'ctr-other', 'other-client')).body;
    const actions = [{ type: 'edit', id: 'm-2', set: { title: 'Brand book' } }];
    const stale = await post(base, 'ctr-other', {
      token: 'other-client',
      version: c.version + 5,
      key: 'k-stale',
      actions,
    });
    assert.equal(stale.status, 412);
    const fresh = await post(base, 'ctr-other', {
      token: 'other-client',
      version: c.version,
      key: 'k-stale',
      actions,
    });
    assert.equal(fresh.status, 200, fresh.text);
  });

  test('client input never causes a 5xx', async () => {
    const c = (await getContract(base, 'ctr-other', 'other-client')).body;
    const bodies = [
      { actions: [{ type: 'edit', id: 'm-2', set: { amount: 1e300 } }] },
      { actions: [{ type: 'edit', id: 'm-2', set: { amount: -0.0 } }] },
      { actions: [{ type: 'edit', id: 'm-2', set: { title: '\ud800' } }] },
      { actions: [{ type: 'edit', id: 'm-2', set: { title: 'a\u0001b' } }] },
      { actions: [{ type: 'move', id: 'm-2', toIndex: -99999999999 }] },
      { actions: [{ type: 'release', id: 'm-1', amount: 9007199254740993 }] },
      { actions: [{ type: 'add', milestone: { title: 'x'.repeat(300), amount: '5' } }] },
      { actions: [{ type: 'propose', actions: [{ type: 'propose', actions: [] }] }] },
      {
        actions: Array.from({ length: 2000 }, () => ({
          type: 'add',
          milestone: { title: 'n', amount: 500 },
        })),
      },
      { actions: [{ type: 'end' }, { type: 'end' }] },
      { actions: [null] },
      { actions: [{}] },
    ];
    for (const body of bodies) {
      const r = await call(`${base}/api/contracts/ctr-other/changesets`, {
        method: 'POST',
        token: 'other-client',
        headers: { 'If-Match': `"${c.version}"` },
        body,
      });
      assert.ok(
        r.status < 500,
        `${JSON.stringify(body).slice(0, 80)} -> ${r.status} ${r.text.slice(0, 200)}`,
      );
      // 403: a propose is the freelancer's, whatever it holds.
      assert.ok(
        [400, 403, 422].includes(r.status),
        `${JSON.stringify(body).slice(0, 80)} -> ${r.status}`,
      );
    }
    const invalidUtf8 = Buffer.concat([
      Buffer.from('{"actions":[{"type":"edit","id":"m-2","set":{"title":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}}]}'),
    ]);
    const r = await rawPost(base, '/api/contracts/ctr-other/changesets', invalidUtf8, {
      Authorization: 'Bearer other-client',
      'If-Match': `"${c.version}"`,
    });
    assert.ok(r.status === 400 || r.status === 422, String(r.status));
    assert.deepEqual((await getContract(base, 'ctr-other', 'other-client')).body, c);
  });

  test('static files: web at /, dist at /dist/, MIME types, headers', async () => {
    const cases = [
      ['/', 'text/html', 'editor'],
      ['/index.html', 'text/html', 'editor'],
      ['/sub/', 'text/html', 'sub'],
      ['/app.js', 'text/javascript', 'export'],
      ['/style.css', 'text/css', 'body'],
      ['/manifest.webmanifest', 'application/manifest+json', '{}'],
      ['/dist/milestone-engine/index.mjs', 'text/javascript', 'export'],
      ['/dist/milestone-engine/package.json', 'application/json', '{}'],
      ['/dist/milestone-engine/engine.wasm', 'application/wasm', 'asm'],
    ];
    for (const [p, type, text] of cases) {
      const r = await call(base + p);
      assert.equal(r.status, 200, p);
      assert.ok(
        r.headers.get('content-type').startsWith(type),
        `${p}: ${r.headers.get('content-type')}`,
      );
      assert.ok(r.text.includes(text), p);
      assertSecurityHeaders(r);
    }
    for (const p of [
      '/missing.js',
      '/.hidden',
      '/dist/nothing.wasm',
      '/api/nothing',
      '/api/contracts',
    ]) {
      const r = await call(base + p, { token: 'demo-client' });
      assert.equal(r.status, 404, p);
      assertSecurityHeaders(r);
    }
  });

  test('other methods: 405 with Allow on a resource, 404 elsewhere', async () => {
    const del = await call(`${base}/api/contracts/ctr-demo`, {
      method: 'DELETE',
      token: 'demo-client',
    });
    assert.equal(del.status, 405);
    assert.match(del.headers.get('allow'), /GET/);
    const put = await call(`${base}/api/notifications`, {
      method: 'PUT',
      token: 'demo-client',
      body: '{}',
    });
    assert.equal(put.status, 405);
    const get = await call(`${base}/api/contracts/ctr-demo/changesets`, { token: 'demo-client' });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.equal(code(get), 'METHOD_NOT_ALLOWED');
    const nowhere = await call(`${base}/api/nowhere`, {
      method: 'POST',
      token: 'demo-client',
      body: '{}',
    });
    assert.equal(nowhere.status, 404);
    assertSecurityHeaders(nowhere);
  });

  test('path traversal is refused', async () => {
    for (const p of [
      '/../secret.txt',
      '/../../../../etc/passwd',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/dist/../secret.txt',
      '/dist/..%2f..%2fsecret.txt',
      '/sub/..%2f..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..\\secret.txt',
      '/sub/%00/../../secret.txt',
    ]) {
      const r = await rawGet(base, p);
      assert.notEqual(r.status, 200, p);
      assert.ok(!r.body.includes('TOP-SECRET'), p);
      assert.ok(!r.body.includes('root:'), p);
      assert.equal(r.headers['content-security-policy'], CSP, p);
    }
  });
});

// POST with a raw body (Buffer or string), tolerating the server closing the
// connection early (413 is answered before the body is read).
function rawPost(base, rawPath, body, headers) {
  const { hostname, port } = new URL(base);
  const data = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        hostname,
        port,
        path: rawPath,
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': data.length },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}
