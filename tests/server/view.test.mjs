// What the server hands a page so it can start at once and under the right
// rules (issue 12 item 3, issue 14): GET /api/policy, the policy every
// changeset is checked under, and GET /api/contracts/{id}/view, the contract
// with the engine's view of it for the token's actor, that policy and the
// language of the sentences. Run on the default policy and on parallel.json,
// and held to the wasm engine's own describe() under the same policy.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

import { NOW, call, makeSandbox, post, startServer } from './helpers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const parallelFile = path.join(root, 'engine/policies/parallel.json');
const pkg = path.join(process.env.MILESTONE_DIST ?? path.join(root, 'dist'), 'milestone-engine');
const hasPackage = existsSync(path.join(pkg, 'index.mjs'));

const codeOf = (r) => r.body?.issues?.[0]?.code;

// A GET with exactly these headers (fetch would add and undo its own
// Accept-Encoding): { status, headers, body: Buffer as sent }.
function raw(base, apiPath, headers) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        hostname,
        port,
        path: apiPath,
        headers: { Authorization: 'Bearer demo-client', ...headers },
      },
      (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
  });
}

// The same engine, as the page runs it.
async function wasmEngine(policy) {
  const { createEngine } = await import(path.join(pkg, 'index.mjs'));
  return createEngine(policy ? { policy } : {});
}

for (const run of [
  { name: 'the default policy', args: [], maxInFlight: 1, fundingOrder: 'sequential' },
  { name: 'parallel.json', args: ['--policy', parallelFile], maxInFlight: 5, fundingOrder: 'any' },
]) {
  describe(`GET /api/policy and /view under ${run.name}`, () => {
    let sandbox;
    let server;
    let base;

    before(async () => {
      sandbox = makeSandbox();
      server = await startServer(sandbox, run.args);
      base = server.url;
    });
    after(async () => {
      await server?.stop();
      sandbox?.remove();
    });

    test('the policy is the server’s, normalised, to any known token', async () => {
      for (const token of ['demo-client', 'demo-freelancer', 'other-client', 'demo-mediator']) {
        const r = await call(`${base}/api/policy`, { token });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.headers.get('cache-control'), 'no-store');
        assert.equal(r.body.maxInFlight, run.maxInFlight);
        assert.equal(r.body.fundingOrder, run.fundingOrder);
        assert.equal(typeof r.body.currencies.USD.exponent, 'number');
      }
      if (hasPackage) {
        // What createEngine({ policy }) makes of it is that very policy.
        const { body } = await call(`${base}/api/policy`, { token: 'demo-client' });
        const engine = await wasmEngine(body);
        assert.deepEqual({ ...engine.policy }, body);
      }
    });

    test('the policy: no token 401, an unknown one 401, another method 405', async () => {
      const none = await call(`${base}/api/policy`);
      assert.equal(none.status, 401);
      assert.equal(codeOf(none), 'UNAUTHORIZED');
      const unknown = await call(`${base}/api/policy`, { token: 'nobody' });
      assert.equal(unknown.status, 401);
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const r = await call(`${base}/api/policy`, { method, token: 'demo-client', body: {} });
        assert.equal(r.status, 405, `${method}: ${r.text}`);
        assert.equal(r.headers.get('allow'), 'GET, HEAD');
      }
      const below = await call(`${base}/api/policy/x`, { token: 'demo-client' });
      assert.equal(below.status, 404);
    });

    test('the view: the contract, the policy, the language and the view of the token’s actor', async () => {
      const policy = (await call(`${base}/api/policy`, { token: 'demo-client' })).body;
      const plain = await call(`${base}/api/contracts/ctr-demo`, { token: 'demo-client' });
      for (const [token, actor] of [
        ['demo-client', 'client'],
        ['demo-freelancer', 'freelancer'],
        ['demo-mediator', 'marketplace'],
      ]) {
        const r = await call(`${base}/api/contracts/ctr-demo/view`, { token });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.headers.get('cache-control'), 'private, no-cache');
        assert.match(r.headers.get('etag'), /^"[0-9]+-[0-9a-f]{16}"$/);
        assert.ok(r.headers.get('etag').startsWith(`"${plain.body.version}-`));
        assert.deepEqual(Object.keys(r.body).sort(), ['contract', 'locale', 'policy', 'view']);
        assert.deepEqual(r.body.contract, plain.body);
        assert.deepEqual(r.body.policy, policy);
        assert.equal(r.body.locale, 'en');
        assert.equal(r.body.view.ok, true);
        assert.equal(r.body.view.actor, actor);
        assert.equal(r.body.view.now, NOW);
        assert.equal(r.body.view.contract.version, plain.body.version);
        assert.deepEqual(
          r.body.view.milestones.map((m) => m.id),
          plain.body.milestones.map((m) => m.id),
        );
        if (hasPackage) {
          // The page may draw from it: it is what its own engine answers.
          const engine = await wasmEngine(r.body.policy);
          assert.deepEqual(r.body.view, engine.describe(r.body.contract, { actor, now: NOW }));
        }
      }
    });

    test('a second milestone may be funded while one is in flight only under parallel', async () => {
      const r = await call(`${base}/api/contracts/ctr-demo/view`, { token: 'demo-client' });
      const testing = r.body.view.milestones.find((m) => m.title === 'Testing');
      const launch = r.body.view.milestones.find((m) => m.title === 'Launch');
      if (run.maxInFlight > 1) {
        assert.equal(testing.can.fund.ok, true, JSON.stringify(testing.can.fund));
        assert.equal(launch.can.fund.ok, true, 'any order: the last one too');
      } else {
        assert.equal(testing.can.fund.ok, false);
        assert.equal(launch.can.fund.ok, false);
      }
    });

    test('the view’s ETag: 304 while nothing it is made from changed', async () => {
      const url = `${base}/api/contracts/ctr-demo/view`;
      const first = await call(url, { token: 'demo-client' });
      const etag = first.headers.get('etag');
      const again = await call(url, { token: 'demo-client' });
      assert.equal(again.headers.get('etag'), etag, 'the same answer has the same tag');
      const kept = await call(url, { token: 'demo-client', headers: { 'If-None-Match': etag } });
      assert.equal(kept.status, 304);
      assert.equal(kept.text, '');
      assert.equal(kept.headers.get('etag'), etag);
      // A browser may keep it and must ask again each time: the 304 is its answer.
      assert.equal(kept.headers.get('cache-control'), 'private, no-cache');
      const listed = await call(url, {
        token: 'demo-client',
        headers: { 'If-None-Match': `"1-0000000000000000", W/${etag}` },
      });
      assert.equal(listed.status, 304, 'compared weakly, in a list');
      // Another actor's view of the same version is another answer.
      const other = await call(url, {
        token: 'demo-freelancer',
        headers: { 'If-None-Match': etag },
      });
      assert.equal(other.status, 200);
      assert.notEqual(other.headers.get('etag'), etag);
      // The contract's own version tag is not the view's.
      const version = await call(url, {
        token: 'demo-client',
        headers: { 'If-None-Match': `"${first.body.contract.version}"` },
      });
      assert.equal(version.status, 200);
      for (const junk of ['', '"', 'W/', '"a" "b"', '*garbage', '"x\t"']) {
        const r = await call(url, { token: 'demo-client', headers: { 'If-None-Match': junk } });
        assert.equal(r.status, 200, `If-None-Match: ${junk}`);
      }
    });

    test('a large view goes out gzipped to a client that takes gzip', async () => {
      // Large enough to be worth it: 60 milestones.
      const before = await call(`${base}/api/contracts/ctr-demo`, { token: 'demo-client' });
      const adds = Array.from({ length: 60 }, (_, i) => ({
        type: 'add',
        milestone: { title: `Step ${i}`, amount: 10000 },
      }));
      const grown = await post(base, 'ctr-demo', {
        token: 'demo-client',
        version: before.body.version,
        actions: adds,
      });
      assert.equal(grown.status, 200, grown.text);
      const plain = await raw(base, '/api/contracts/ctr-demo/view', {});
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(plain.headers.vary, 'Accept-Encoding');
      const expected = JSON.parse(plain.body.toString('utf8'));
      for (const accept of ['gzip', 'br, gzip, deflate', 'x-gzip', '*', 'GZIP;q=0.5']) {
        const r = await raw(base, '/api/contracts/ctr-demo/view', { 'Accept-Encoding': accept });
        assert.equal(r.status, 200);
        assert.equal(r.headers['content-encoding'], 'gzip', accept);
        assert.equal(Number(r.headers['content-length']), r.body.length);
        assert.ok(r.body.length * 5 < plain.body.length, 'much smaller');
        assert.deepEqual(JSON.parse(gunzipSync(r.body).toString('utf8')), expected);
      }
      for (const accept of ['gzip;q=0', 'gzip; q=0.000', 'deflate, br', 'identity', '', ';;,']) {
        const r = await raw(base, '/api/contracts/ctr-demo/view', { 'Accept-Encoding': accept });
        assert.equal(r.status, 200);
        assert.equal(r.headers['content-encoding'], undefined, `Accept-Encoding: ${accept}`);
        assert.deepEqual(JSON.parse(r.body.toString('utf8')), expected);
      }
      // Small answers are sent as they are.
      const policy = await raw(base, '/api/policy', { 'Accept-Encoding': 'gzip' });
      assert.equal(policy.headers['content-encoding'], undefined);
    });

    test('the view follows the contract’s new version', async () => {
      const before = await call(`${base}/api/contracts/ctr-demo/view`, { token: 'demo-client' });
      const future = before.body.contract.milestones.find((m) => m.title === 'Launch');
      const saved = await post(base, 'ctr-demo', {
        token: 'demo-client',
        version: before.body.contract.version,
        actions: [{ type: 'edit', id: future.id, set: { title: 'Go live' } }],
      });
      assert.equal(saved.status, 200, saved.text);
      const r = await call(`${base}/api/contracts/ctr-demo/view`, { token: 'demo-freelancer' });
      assert.equal(r.body.contract.version, before.body.contract.version + 1);
      const stale = await call(`${base}/api/contracts/ctr-demo/view`, {
        token: 'demo-client',
        headers: { 'If-None-Match': before.headers.get('etag') },
      });
      assert.equal(stale.status, 200, 'a kept answer of the old version is not current');
      assert.equal(r.body.view.contract.version, r.body.contract.version);
      assert.equal(r.body.view.milestones.find((m) => m.id === future.id).title, 'Go live');
    });

    test('the view: refusals are the envelope, never a crash', async () => {
      const none = await call(`${base}/api/contracts/ctr-demo/view`);
      assert.equal(none.status, 401);
      const other = await call(`${base}/api/contracts/ctr-demo/view`, { token: 'other-client' });
      assert.equal(other.status, 403);
      assert.equal(codeOf(other), 'FORBIDDEN');
      // Unknown ids answer as forbidden ones, so ids cannot be probed.
      const unknown = await call(`${base}/api/contracts/nope/view`, { token: 'demo-client' });
      assert.equal(unknown.status, 403);
      const odd = await call(`${base}/api/contracts/%00%ff%2F..%2F/view`, { token: 'demo-client' });
      assert.ok([400, 403, 404].includes(odd.status), odd.text);
      const post = await call(`${base}/api/contracts/ctr-demo/view`, {
        method: 'POST',
        token: 'demo-client',
        body: {},
      });
      assert.equal(post.status, 405);
      const below = await call(`${base}/api/contracts/ctr-demo/view/x`, { token: 'demo-client' });
      assert.equal(below.status, 404);
      const query = await call(`${base}/api/contracts/ctr-demo/view?as=freelancer&x=%zz`, {
        token: 'demo-client',
      });
      assert.equal(query.status, 200, 'the query is not read: the actor is the token’s');
      assert.equal(query.body.view.actor, 'client');
      const head = await fetch(`${base}/api/contracts/ctr-demo/view`, {
        method: 'HEAD',
        headers: { Authorization: 'Bearer demo-client' },
      });
      assert.equal(head.status, 200);
      // And the server still answers.
      const again = await call(`${base}/api/contracts/ctr-demo/view`, { token: 'demo-client' });
      assert.equal(again.status, 200);
    });
  });
}

test('the view is in the server’s language', async () => {
  const sandbox = makeSandbox();
  const server = await startServer(sandbox, ['--locale', 'es-MX']);
  try {
    const r = await call(`${server.url}/api/contracts/ctr-demo/view`, { token: 'demo-client' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.locale, 'es');
    // The English server's tag for the same version, actor and day is not this one.
    const english = makeSandbox();
    const en = await startServer(english);
    try {
      const r2 = await call(`${en.url}/api/contracts/ctr-demo/view`, { token: 'demo-client' });
      assert.equal(r2.body.contract.version, r.body.contract.version);
      assert.notEqual(r2.headers.get('etag'), r.headers.get('etag'));
    } finally {
      await en.stop();
      english.remove();
    }
    if (hasPackage) {
      const { createEngine } = await import(path.join(pkg, 'index.mjs'));
      const engine = await createEngine({ locale: 'es' });
      assert.deepEqual(
        r.body.view,
        engine.describe(r.body.contract, { actor: 'client', now: NOW }),
      );
    }
  } finally {
    await server.stop();
    sandbox.remove();
  }
});
