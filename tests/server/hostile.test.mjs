// The server under hostile but fair clients (issue 15), on loopback only and
// with every loop bounded: slow heads from many connections, a 300 MB chunked
// upload with the process's memory watched, request-smuggling shapes, and each
// limit's status. The figures go out as TAP diagnostics ("# hostile: ...").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';

import { call, getContract, makeSandbox, post, startServer } from './helpers.mjs';

// The numbers of docs/server.md ("Limits").
const HEAD_TIMEOUT_MS = 10_000;
const BODY_TIMEOUT_MS = 30_000;
const IDLE_TIMEOUT_MS = 5_000;
const MAX_CONNECTIONS = 1024;
const MiB = 1024 * 1024;

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function portOf(base) {
  return Number(new URL(base).port);
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

// Parses the first response in `buffer` (head + Content-Length body), or null.
function parseResponse(buffer) {
  const text = buffer.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = text.slice(0, end);
  const [statusLine, ...lines] = head.split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (status === 100) {
    const rest = parseResponse(buffer.subarray(end + 4));
    return rest && { ...rest, continued: true };
  }
  const length = Number(headers['content-length'] ?? 0);
  if (buffer.length < end + 4 + length) return null;
  const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
  let json;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status, headers, body, json, rest: buffer.subarray(end + 4 + length) };
}

// Sends raw bytes and resolves with the first response (or what came before
// the server closed), how long it took, and whether the server closed.
function raw(port, bytes, { timeoutMs = 3000, all = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let data = Buffer.alloc(0);
    let settled = false;
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(bytes));
    const finish = (closed) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const response = parseResponse(data);
      resolve({
        ...(response ?? { status: 0 }),
        closed,
        ms: Date.now() - started,
        raw: data.toString('latin1'),
      });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (d) => {
      data = Buffer.concat([data, d]);
      if (!all && parseResponse(data) && !/connection: close/i.test(data.toString('latin1')))
        finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (e) => {
      if (!settled && data.length === 0) {
        settled = true;
        clearTimeout(timer);
        reject(e);
      } else finish(true);
    });
  });
}

const AUTH = 'Authorization: Bearer demo-client\r\n';
const JSON_TYPE = 'Content-Type: application/json\r\n';

function postHead(version, extra = '') {
  return (
    `POST /api/contracts/ctr-demo/changesets HTTP/1.1\r\nHost: t\r\n${AUTH}${JSON_TYPE}` +
    `If-Match: "${version}"\r\n${extra}`
  );
}

function codeOf(r) {
  return r.json?.issues?.[0]?.code;
}

// The figures of every test, printed together at the end as one TAP
// diagnostic line: "# hostile: slow=200 held=200 save_ms=... rss_base_mb=...".
const figures = {};
function report(values) {
  Object.assign(figures, values);
  console.log(
    `hostile-detail: ${Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
}

describe('hostile clients', () => {
  let sandbox;
  let server;
  let base;
  let port;

  // A body that stops arriving, started first and judged last, so the 30 s
  // body deadline costs the suite no extra time.
  let stalled;
  let idle;

  before(async () => {
    sandbox = makeSandbox();
    server = await startServer(sandbox);
    base = server.url;
    port = portOf(base);
    const socket = await connect(port);
    stalled = { socket, data: '', closedAt: 0, sentAt: Date.now() };
    socket.on('data', (d) => {
      stalled.data += d.toString('latin1');
    });
    socket.on('close', () => {
      stalled.closedAt = Date.now();
    });
    socket.on('error', () => {});
    socket.write(`${postHead(1)}Content-Length: 100\r\n\r\n{"actions":`);
    // Idle from the start: ten new connections, and one after its answer.
    idle = { openedAt: Date.now(), closedAt: [], silent: true };
    for (let i = 0; i < 11; ++i) {
      const s = await connect(port);
      idle.closedAt.push(0);
      s.on('close', () => {
        idle.closedAt[i] = Date.now();
      });
      s.on('error', () => {});
      if (i === 10) {
        let answered = false;
        s.on('data', (d) => {
          if (answered) idle.silent = false;
          answered ||= d.includes('\r\n\r\n');
        });
        s.write('GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n');
      } else {
        s.on('data', () => {
          idle.silent = false;
        });
      }
    }
  });

  after(async () => {
    console.log(
      `hostile: ${Object.entries(figures)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
    const { code, errors } = await server.stop();
    sandbox.remove();
    assert.equal(code, 0, `SIGTERM stops the server cleanly: ${errors}`);
  });

  test('200 slow heads are held while a client saves in under a second; then 408', async () => {
    const SLOW = 200;
    const sockets = [];
    const closed = new Set();
    const answers = new Map();
    for (let i = 0; i < SLOW; ++i) {
      const s = await connect(port);
      s.setNoDelay(true);
      s.on('data', (d) => answers.set(i, (answers.get(i) ?? '') + d.toString('latin1')));
      s.on('close', () => closed.add(i));
      s.on('error', () => {});
      s.write(`GET /api/contracts/ctr-demo HTTP/1.1\r\nHost: slow\r\n`);
      sockets.push(s);
    }
    // One more header line a second from each, bounded by the deadline.
    let lines = 0;
    const drip = setInterval(() => {
      ++lines;
      for (const s of sockets) if (!s.destroyed) s.write(`X-Slow-${lines}: ${'a'.repeat(10)}\r\n`);
    }, 1000);
    try {
      await sleep(1500);
      const c = (await getContract(base, 'ctr-demo', 'demo-client')).body;
      const started = Date.now();
      const saved = await post(base, 'ctr-demo', {
        token: 'demo-client',
        version: c.version,
        actions: [{ type: 'edit', id: 'm-3', set: { title: 'Saved under siege' } }],
      });
      const saveMs = Date.now() - started;
      const held = SLOW - closed.size;
      assert.equal(saved.status, 200, saved.text);
      assert.equal(held, SLOW, 'every slow connection is still open while the save happens');
      assert.ok(saveMs < 1000, `save took ${saveMs} ms`);

      // The head deadline ends them all with 408, counted from their first byte.
      const deadline = Date.now() + HEAD_TIMEOUT_MS + 3000;
      while (closed.size < SLOW && Date.now() < deadline) await sleep(100);
      const timedOut = [...answers.values()].filter((a) => a.startsWith('HTTP/1.1 408')).length;
      report({
        slow: SLOW,
        held,
        save_ms: saveMs,
        closed_at_deadline: closed.size,
        answered_408: timedOut,
      });
      assert.equal(closed.size, SLOW, 'the head deadline closes every slow connection');
      assert.equal(timedOut, SLOW);
      assert.match(answers.get(0), /"code":"REQUEST_TIMEOUT"/);
    } finally {
      clearInterval(drip);
      for (const s of sockets) s.destroy();
    }
  });

  test('a 300 MB chunked upload is refused early; memory stays within 64 MB of its baseline', async () => {
    const pid = server.child.pid;
    // Warm up: a few ordinary requests, so the baseline includes their buffers.
    for (let i = 0; i < 5; ++i) await getContract(base, 'ctr-demo', 'demo-client');
    const baseline = rssMb(pid);
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(pid));
    }, 10);

    const TOTAL = 300 * MiB;
    const CHUNK = 64 * 1024;
    const chunk = Buffer.concat([
      Buffer.from(`${CHUNK.toString(16)}\r\n`),
      Buffer.alloc(CHUNK, 0x61),
      Buffer.from('\r\n'),
    ]);
    const version = (await getContract(base, 'ctr-demo', 'demo-client')).body.version;
    const result = await new Promise((resolve) => {
      let sent = 0;
      let answer = Buffer.alloc(0);
      let done = false;
      const socket = net.connect({ host: '127.0.0.1', port }, async () => {
        socket.write(postHead(version, 'Transfer-Encoding: chunked\r\n') + '\r\n');
        while (!done && sent < TOTAL) {
          if (!socket.write(chunk))
            await new Promise((r) => socket.once('drain', r).once('close', r));
          sent += CHUNK;
        }
      });
      const finish = () => {
        if (!done) {
          done = true;
          socket.destroy();
          resolve({ sent, answer: parseResponse(answer) });
        }
      };
      socket.on('data', (d) => {
        answer = Buffer.concat([answer, d]);
        if (parseResponse(answer)) finish();
      });
      socket.on('error', finish);
      socket.on('close', finish);
    });
    await sleep(3000); // past the server's 2 s linger
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(pid));
    const afterMb = rssMb(pid);
    report({
      rss_base_mb: baseline.toFixed(1),
      rss_peak_mb: peak.toFixed(1),
      rss_after_mb: afterMb.toFixed(1),
      chunked_mb: 300,
      sent_before_413_mb: (result.sent / MiB).toFixed(1),
      chunked_status: result.answer?.status,
    });
    assert.equal(result.answer?.status, 413);
    assert.equal(codeOf(result.answer), 'BODY_TOO_LARGE');
    assert.ok(result.sent < 64 * MiB, `refused after ${result.sent} bytes`);
    assert.ok(peak - baseline < 64, `peak ${peak} MB vs baseline ${baseline} MB`);
    assert.ok(afterMb - baseline < 64, `after ${afterMb} MB vs baseline ${baseline} MB`);
    assert.equal((await getContract(base, 'ctr-demo', 'demo-client')).body.version, version);

    // Without a token it is 401 before a byte of the body is read.
    const anon = await raw(
      port,
      `POST /api/contracts/ctr-demo/changesets HTTP/1.1\r\nHost: t\r\n${JSON_TYPE}` +
        `If-Match: "${version}"\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.toString('latin1')}`,
    );
    assert.equal(anon.status, 401);
    assert.equal(codeOf(anon), 'UNAUTHORIZED');
  });

  test('ambiguous framing and smuggling shapes: 400, answered at once, connection closed', async () => {
    const v = (await getContract(base, 'ctr-demo', 'demo-client')).body.version;
    const body = '{"actions":[{"type":"edit","id":"m-3","set":{"title":"smuggled"}}]}';
    const shapes = {
      'two Content-Length': postHead(
        v,
        `Content-Length: ${body.length}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      ),
      'two different Content-Length': postHead(
        v,
        `Content-Length: ${body.length}\r\nContent-Length: 5\r\n\r\n${body}`,
      ),
      'Content-Length and Transfer-Encoding': postHead(
        v,
        `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n${body}`,
      ),
      'Transfer-Encoding twice': postHead(
        v,
        'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      ),
      'Transfer-Encoding list': postHead(v, 'Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n'),
      'Transfer-Encoding unknown': postHead(v, 'Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n'),
      'chunk size not hex': postHead(v, 'Transfer-Encoding: chunked\r\n\r\nzz\r\n'),
      'chunk size negative': postHead(v, 'Transfer-Encoding: chunked\r\n\r\n-1\r\n'),
      'chunk size 0x': postHead(v, 'Transfer-Encoding: chunked\r\n\r\n0x10\r\n'),
      'chunk size with junk': postHead(v, 'Transfer-Encoding: chunked\r\n\r\n1 2\r\n'),
      'chunk size 17 digits': postHead(
        v,
        'Transfer-Encoding: chunked\r\n\r\n00000000000000001\r\n',
      ),
      'chunk without CRLF': postHead(
        v,
        `Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}XX`,
      ),
      'chunk line with bare LF': postHead(
        v,
        `Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\n${body}\r\n0\r\n\r\n`,
      ),
      'Content-Length negative': postHead(v, 'Content-Length: -1\r\n\r\n'),
      'Content-Length plus': postHead(v, 'Content-Length: +5\r\n\r\n'),
      'Content-Length 20 digits': postHead(v, 'Content-Length: 12345678901234567890\r\n\r\n'),
      'Content-Length list': postHead(v, 'Content-Length: 5, 5\r\n\r\n'),
      'Content-Length hex': postHead(v, 'Content-Length: 0x10\r\n\r\n'),
      'Content-Length empty': postHead(v, 'Content-Length: \r\n\r\n'),
      'NUL in the bearer token': `GET /api/contracts/ctr-demo HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer demo-\u0000client\r\n\r\n`,
      'control byte in a value': `GET / HTTP/1.1\r\nHost: t\r\nX-A: a\u0001b\r\n\r\n`,
      'DEL in a value': `GET / HTTP/1.1\r\nHost: t\r\nX-A: a\u007fb\r\n\r\n`,
      'bare LF lines': 'GET / HTTP/1.1\nHost: t\n\n',
      'bare CR': 'GET / HTTP/1.1\r\nHost: t\rX: y\r\n\r\n',
      'folded header': 'GET / HTTP/1.1\r\nHost: t\r\nX-A: a\r\n b\r\n\r\n',
      'space before colon': 'GET / HTTP/1.1\r\nHost: t\r\nContent-Length : 5\r\n\r\nhello',
      'no Host': 'GET / HTTP/1.1\r\n\r\n',
      'two Host': 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
      'two Authorization': `GET /api/contracts/ctr-demo HTTP/1.1\r\nHost: t\r\n${AUTH}Authorization: Bearer other-client\r\n\r\n`,
      'absolute-form target': 'GET http://127.0.0.1/ HTTP/1.1\r\nHost: t\r\n\r\n',
      'space in the target': 'GET /a b HTTP/1.1\r\nHost: t\r\n\r\n',
      'double space': 'GET  / HTTP/1.1\r\nHost: t\r\n\r\n',
      'Transfer-Encoding on HTTP/1.0':
        'POST /api/contracts/ctr-demo/changesets HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    };
    for (const [name, bytes] of Object.entries(shapes)) {
      const r = await raw(port, Buffer.from(bytes, 'latin1'));
      assert.equal(r.status, 400, `${name}: ${r.raw.slice(0, 200)}`);
      assert.equal(codeOf(r), 'BAD_REQUEST', name);
      assert.ok(r.ms < 1000, `${name} took ${r.ms} ms`);
      assert.ok(r.closed, `${name}: the connection is closed after the 400`);
    }
    report({ smuggling_shapes_400: Object.keys(shapes).length });
    assert.equal(
      (await getContract(base, 'ctr-demo', 'demo-client')).body.version,
      v,
      'nothing was applied',
    );
  });

  test('each limit and refusal has its status and code', async () => {
    const v = (await getContract(base, 'ctr-demo', 'demo-client')).body.version;
    const cases = [
      [
        '414 long target',
        `GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: t\r\n\r\n`,
        414,
        'URI_TOO_LONG',
      ],
      ['414 before the line ends', `GET /${'a'.repeat(20000)}`, 414, 'URI_TOO_LONG'],
      [
        '431 large head',
        `GET / HTTP/1.1\r\nHost: t\r\nX-Big: ${'b'.repeat(17 * 1024)}\r\n\r\n`,
        431,
        'HEADERS_TOO_LARGE',
      ],
      [
        '431 many fields',
        `GET / HTTP/1.1\r\nHost: t\r\n${Array.from({ length: 65 }, (_, i) => `X-${i}: 1\r\n`).join('')}\r\n`,
        431,
        'HEADERS_TOO_LARGE',
      ],
      ['505 HTTP/2.0', 'GET / HTTP/2.0\r\nHost: t\r\n\r\n', 505, 'HTTP_VERSION_NOT_SUPPORTED'],
      [
        '417 unknown Expect',
        'GET / HTTP/1.1\r\nHost: t\r\nExpect: magic\r\n\r\n',
        417,
        'EXPECTATION_FAILED',
      ],
      [
        '405 GET changesets',
        `GET /api/contracts/ctr-demo/changesets HTTP/1.1\r\nHost: t\r\n${AUTH}\r\n`,
        405,
        'METHOD_NOT_ALLOWED',
      ],
      [
        '405 DELETE a contract',
        `DELETE /api/contracts/ctr-demo HTTP/1.1\r\nHost: t\r\n${AUTH}\r\n`,
        405,
        'METHOD_NOT_ALLOWED',
      ],
      [
        '404 unknown API path',
        `GET /api/nothing HTTP/1.1\r\nHost: t\r\n${AUTH}\r\n`,
        404,
        'NOT_FOUND',
      ],
      [
        '415 text/plain',
        `POST /api/contracts/ctr-demo/changesets HTTP/1.1\r\nHost: t\r\n${AUTH}Content-Type: text/plain\r\nIf-Match: "${v}"\r\nContent-Length: 2\r\n\r\n{}`,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        '415 no Content-Type',
        `POST /api/contracts/ctr-demo/changesets HTTP/1.1\r\nHost: t\r\n${AUTH}If-Match: "${v}"\r\nContent-Length: 2\r\n\r\n{}`,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        '415 another charset',
        `POST /api/contracts/ctr-demo/changesets HTTP/1.1\r\nHost: t\r\n${AUTH}Content-Type: application/json; charset=latin1\r\nIf-Match: "${v}"\r\nContent-Length: 2\r\n\r\n{}`,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        '428 no If-Match',
        `POST /api/contracts/ctr-demo/changesets HTTP/1.1\r\nHost: t\r\n${AUTH}${JSON_TYPE}Content-Length: 2\r\n\r\n{}`,
        428,
        'PRECONDITION_REQUIRED',
      ],
      [
        '401 before 413',
        `POST /api/contracts/ctr-demo/changesets HTTP/1.1\r\nHost: t\r\n${JSON_TYPE}If-Match: "${v}"\r\nContent-Length: ${2 * MiB}\r\n\r\n`,
        401,
        'UNAUTHORIZED',
      ],
      [
        '403 before 413',
        `POST /api/contracts/ctr-demo/changesets HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer other-client\r\n${JSON_TYPE}If-Match: "${v}"\r\nContent-Length: ${2 * MiB}\r\n\r\n`,
        403,
        'FORBIDDEN',
      ],
      [
        '413 from Content-Length',
        `${postHead(v)}Content-Length: ${2 * MiB}\r\n\r\n`,
        413,
        'BODY_TOO_LARGE',
      ],
      [
        '413 from a 1 MiB + 1 chunk',
        `${postHead(v)}Transfer-Encoding: chunked\r\n\r\n${(MiB + 1).toString(16)}\r\n`,
        413,
        'BODY_TOO_LARGE',
      ],
      ['400 malformed % escape', 'GET /%zz HTTP/1.1\r\nHost: t\r\n\r\n', 400, 'BAD_REQUEST'],
      ['400 body-less POST', `${postHead(v)}\r\n`, 400, 'BAD_REQUEST'],
      ['400 Content-Length: 0', `${postHead(v)}Content-Length: 0\r\n\r\n`, 400, 'BAD_REQUEST'],
    ];
    for (const [name, bytes, status, code] of cases) {
      const r = await raw(port, Buffer.from(bytes, 'latin1'));
      assert.equal(r.status, status, `${name}: ${r.raw.slice(0, 300)}`);
      assert.equal(codeOf(r), code, `${name}: ${r.body}`);
      assert.equal(r.json.ok, false, name);
      assert.equal(r.json.issues[0].severity, 'error', name);
      assert.ok(r.ms < 1000, `${name} took ${r.ms} ms`);
      if (status === 405) assert.ok(r.headers.allow, `${name}: Allow`);
      if (status === 401) assert.equal(r.headers['www-authenticate'], 'Bearer');
    }
    const get405 = await raw(
      port,
      `GET /api/contracts/ctr-demo/changesets HTTP/1.1\r\nHost: t\r\n${AUTH}\r\n`,
    );
    assert.equal(get405.headers.allow, 'POST');
    assert.equal((await getContract(base, 'ctr-demo', 'demo-client')).body.version, v);
  });

  test('conditional GET: If-None-Match gives 304, compared weakly, * included', async () => {
    const v = (await getContract(base, 'ctr-demo', 'demo-client')).body.version;
    for (const [value, status] of [
      [`"${v}"`, 304],
      [`W/"${v}"`, 304],
      ['*', 304],
      [`"999", "${v}"`, 304],
      [`"0${v}"`, 200],
      [`"${v + 1}"`, 200],
      [`${v}`, 200],
    ]) {
      const r = await call(`${base}/api/contracts/ctr-demo`, {
        token: 'demo-client',
        headers: { 'If-None-Match': value },
      });
      assert.equal(r.status, status, `If-None-Match ${value}`);
      assert.equal(r.headers.get('etag'), `"${v}"`);
      if (status === 304) assert.equal(r.text, '');
    }
    const head = await call(`${base}/api/contracts/ctr-demo`, {
      method: 'HEAD',
      token: 'demo-client',
    });
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    assert.ok(Number(head.headers.get('content-length')) > 100, 'HEAD tells the length of the GET');
  });

  test('the engine reads the body: duplicate keys, lone surrogates, invalid UTF-8', async () => {
    const v = (await getContract(base, 'ctr-demo', 'demo-client')).body.version;
    const send = (text) =>
      raw(
        port,
        Buffer.concat([
          Buffer.from(`${postHead(v)}Content-Length: ${Buffer.byteLength(text)}\r\n\r\n`, 'latin1'),
          text,
        ]),
      );
    const dup = await send(
      Buffer.from('{"actions":[{"type":"edit","id":"m-3","set":{"title":"a","title":"b"}}]}'),
    );
    assert.equal(dup.status, 400);
    assert.equal(codeOf(dup), 'INVALID_JSON');
    const topDup = await send(
      Buffer.from('{"actor":"client","actor":"freelancer","actions":[{"type":"end"}]}'),
    );
    assert.equal(codeOf(topDup), 'INVALID_JSON');
    const lone = await send(
      Buffer.from('{"actions":[{"type":"edit","id":"m-3","set":{"title":"\\ud800"}}]}'),
    );
    assert.equal(lone.status, 422, lone.body);
    assert.equal(codeOf(lone), 'INVALID_TEXT');
    assert.match(lone.json.issues[0].path, /title$/);
    const bad = await send(
      Buffer.concat([
        Buffer.from('{"actions":[{"type":"edit","id":"m-3","set":{"title":"'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}}]}'),
      ]),
    );
    assert.equal(bad.status, 422, bad.body);
    assert.equal(codeOf(bad), 'INVALID_TEXT');
    const deep = await send(
      Buffer.from(`{"actions":[{"type":"end","x":${'['.repeat(40)}${']'.repeat(40)}}]}`),
    );
    assert.equal(codeOf(deep), 'INVALID_JSON');
    assert.equal((await getContract(base, 'ctr-demo', 'demo-client')).body.version, v);
  });

  test('keep-alive: pipelined requests answer in order; Expect: 100-continue; chunked bodies apply', async () => {
    const one = `GET /api/contracts/ctr-demo HTTP/1.1\r\nHost: t\r\n${AUTH}\r\n`;
    const r = await raw(
      port,
      one + one + `GET /index.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`,
      { all: true },
    );
    assert.equal((r.raw.match(/HTTP\/1\.1 200 OK/g) ?? []).length, 3, r.raw.slice(0, 300));
    assert.ok(r.closed);

    const v = (await getContract(base, 'ctr-demo', 'demo-client')).body.version;
    const body = '{"actions":[{"type":"edit","id":"m-4","set":{"title":"Chunked"}}]}';
    const chunked =
      `${postHead(v)}Transfer-Encoding: chunked\r\n\r\n` +
      `5;ext=1\r\n${body.slice(0, 5)}\r\n${(body.length - 5).toString(16)}\r\n${body.slice(5)}\r\n0\r\nX-Trailer: t\r\n\r\n`;
    const applied = await raw(port, chunked);
    assert.equal(applied.status, 200, applied.body);
    assert.equal(applied.json.contract.version, v + 1);

    const expect = await raw(
      port,
      `${postHead(v + 1, 'Expect: 100-continue\r\n')}Content-Length: 9000000\r\n\r\n`,
    );
    assert.equal(expect.status, 413, 'refused before the client sends the body');
    const continued = await new Promise((resolve) => {
      const edit = '{"actions":[{"type":"edit","id":"m-4","set":{"title":"Continued"}}]}';
      let data = Buffer.alloc(0);
      const s = net.connect({ host: '127.0.0.1', port }, () =>
        s.write(
          `${postHead(v + 1, 'Expect: 100-continue\r\n')}Content-Length: ${edit.length}\r\n\r\n`,
        ),
      );
      s.on('data', (d) => {
        data = Buffer.concat([data, d]);
        if (data.toString().startsWith('HTTP/1.1 100 Continue\r\n\r\n') && data.length === 25)
          s.write(edit);
        const parsed = parseResponse(data);
        if (parsed) {
          s.destroy();
          resolve(parsed);
        }
      });
    });
    assert.ok(continued.continued, 'a 100 Continue came first');
    assert.equal(continued.status, 200, continued.body);
  });

  test('connections beyond the limit get 503 BUSY, and the server serves again after', async () => {
    const sockets = [];
    let busy = 0; // ours beyond the limit, when other clients' connections are open too
    const open = async () => {
      const s = await connect(port);
      s.on('data', (d) => {
        if (d.toString('latin1').startsWith('HTTP/1.1 503')) ++busy;
      });
      s.on('error', () => {});
      // A head begun: held under the 10 s head deadline, not the 5 s idle one.
      s.write('GET / HTTP/1.1\r\n');
      sockets.push(s);
    };
    try {
      const started = Date.now();
      for (let i = 0; i < MAX_CONNECTIONS; i += 64) {
        await Promise.all(Array.from({ length: Math.min(64, MAX_CONNECTIONS - i) }, open));
      }
      const openMs = Date.now() - started;
      await sleep(300);
      const extra = await raw(port, 'GET / HTTP/1.1\r\nHost: t\r\n\r\n');
      assert.ok(Date.now() - started < HEAD_TIMEOUT_MS, 'all were open at once');
      report({
        connections: MAX_CONNECTIONS,
        open_ms: openMs,
        over_limit_status: extra.status,
        busy_among_ours: busy,
      });
      assert.equal(extra.status, 503, extra.raw.slice(0, 200));
      assert.equal(codeOf(extra), 'BUSY');
      assert.equal(extra.headers['retry-after'], '1');
      assert.ok(extra.closed);
    } finally {
      for (const s of sockets) s.destroy();
    }
    await sleep(300);
    assert.equal((await getContract(base, 'ctr-demo', 'demo-client')).status, 200);
  });

  test('idle keep-alive connections are closed after 5 s', async () => {
    const limit = idle.openedAt + IDLE_TIMEOUT_MS + 3000;
    while (idle.closedAt.filter(Boolean).length < idle.closedAt.length && Date.now() < limit)
      await sleep(100);
    const after = idle.closedAt.map((t) => (t ? t - idle.openedAt : -1));
    report({ idle_closed: after.filter((t) => t >= 0).length, idle_close_ms: Math.max(...after) });
    for (const t of after) {
      assert.ok(t >= IDLE_TIMEOUT_MS - 200 && t < IDLE_TIMEOUT_MS + 2500, `closed after ${t} ms`);
    }
    assert.equal(idle.silent, true, 'closed quietly, without an answer');
  });

  test('a body that stops arriving gets 408 at the body deadline', async () => {
    const limit = stalled.sentAt + BODY_TIMEOUT_MS + 3000;
    while (!stalled.closedAt && Date.now() < limit) await sleep(100);
    const waited = (stalled.closedAt || Date.now()) - stalled.sentAt;
    report({ stalled_body_408_after_ms: waited });
    assert.match(stalled.data, /^HTTP\/1\.1 408 /, stalled.data.slice(0, 100));
    assert.match(stalled.data, /"code":"REQUEST_TIMEOUT"/);
    assert.ok(
      waited >= BODY_TIMEOUT_MS - 200 && waited < BODY_TIMEOUT_MS + 2500,
      `408 after ${waited} ms`,
    );
  });
});

describe('stopping under attack', () => {
  test('SIGTERM with 100 slow heads open and a body half sent stops at once, exit 0', async () => {
    const sandbox = makeSandbox();
    const server = await startServer(sandbox);
    const port = portOf(server.url);
    const sockets = [];
    try {
      for (let i = 0; i < 100; ++i) {
        const s = await connect(port);
        s.on('error', () => {});
        s.on('data', () => {});
        s.write('GET / HTTP/1.1\r\nHost: slow\r\n');
        sockets.push(s);
      }
      const half = await connect(port);
      half.on('error', () => {});
      half.on('data', () => {});
      half.write(`${postHead(1)}Content-Length: 1000\r\n\r\n{"actions":`);
      sockets.push(half);
      await sleep(200);
      const started = Date.now();
      const { code } = await server.stop();
      const stopMs = Date.now() - started;
      console.log(`hostile-detail: stop_ms=${stopMs} open_at_stop=${sockets.length}`);
      assert.equal(code, 0);
      assert.ok(stopMs < 2000, `stopped in ${stopMs} ms`);
    } finally {
      for (const s of sockets) s.destroy();
      await server.stop();
      sandbox.remove();
    }
  });
});
