// milestone-engine against its peers, workload by workload, in one process:
// peers and us interleaved in short slices so load changes hit both. Prints a
// table and writes docs/benchmarks.md. Run by tools/bench/run, which builds
// dist and the native bench and passes their paths:
//
//   node tools/bench/js/compare.mjs --dist DIR --workloads DIR --native FILE --out FILE
//
// Not a test: a slow result is reported, not failed. A wrong result (ours, or
// a peer's rules disagreeing with ours on what we time) exits 1.

import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';

import fastJsonPatch from 'fast-json-patch';
import * as jsondiffpatch from 'jsondiffpatch';
import * as jdpJsonPatch from 'jsondiffpatch/formatters/jsonpatch';
import { build as esbuild } from 'esbuild';

const { compare: fjpCompare, applyPatch: fjpApply } = fastJsonPatch;

import { makeAjvValidator, makeRulesValidator } from './peer-rules.mjs';
import { sizeReport, sizeReportLines } from './size-report.mjs';
import { POLICY, NOW, makeContract, makeAfter, makeKeystrokes } from './workloads.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const { values: args } = parseArgs({
  options: {
    dist: { type: 'string', default: path.join(root, 'dist/milestone-engine') },
    native: { type: 'string' },
    out: { type: 'string' },
    sizes: { type: 'string', default: '100,1000,10000' },
    budget: { type: 'string', default: '2500' }, // ms per contestant per workload and N
    'skip-browser': { type: 'boolean', default: false },
    // milestone_bench_read's output for the 1,000-milestone contract (native read + validate).
    read: { type: 'string' },
    // The build's milestone_wasm.wasm and .mjs.symbols, for the size report.
    symbols: { type: 'string', default: path.join(root, 'build/wasm/bindings/wasm') },
  },
});
const SIZES = args.sizes.split(',').map(Number);
const BUDGET_MS = Number(args.budget);
const dist = path.resolve(args.dist);
const { createEngine } = await import(pathToFileURL(path.join(dist, 'index.mjs')).href);

const wrong = [];
function check(condition, what) {
  if (!condition) {
    wrong.push(what);
    console.error(`WRONG RESULT: ${what}`);
  }
  return condition;
}

// ---- timing: contestants interleaved in slices ----

const sorted = (a) => [...a].sort((x, y) => x - y);
const median = (a) => sorted(a)[a.length >> 1];
const p99 = (a) => {
  const s = sorted(a);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))];
};

// Each contestant's step() runs one call and returns its time in ms (so a
// step can leave preparation, such as making a fresh object, out of it).
// Rounds of ~20 ms slices per contestant (at least one call); the first
// round is warm-up.
async function race(contestants, { minSamples = 15, budgetMs = BUDGET_MS } = {}) {
  const samples = contestants.map(() => []);
  const spent = contestants.map(() => 0);
  for (let round = 0; ; round++) {
    let done = true;
    for (let i = 0; i < contestants.length; i++) {
      const sliceStart = performance.now();
      do {
        const t = await contestants[i].step();
        if (round > 0) samples[i].push(t);
      } while (performance.now() - sliceStart < 20);
      if (round > 0) spent[i] += performance.now() - sliceStart;
      // Done with the budget spent and enough samples, or with four
      // budgets spent (a slow peer at 10,000 milestones) and at least 5.
      // A call of seconds (jsondiffpatch's LCS at 10,000) stops at 3.
      const enough =
        (samples[i].length >= minSamples && spent[i] >= budgetMs) ||
        (spent[i] >= 4 * budgetMs && samples[i].length >= 3);
      if (!enough) done = false;
    }
    if (round > 0 && done) break;
  }
  return contestants.map((c, i) => ({
    name: c.name,
    median: median(samples[i]),
    p99: p99(samples[i]),
    n: samples[i].length,
  }));
}

function time(fn) {
  const t0 = performance.now();
  const r = fn();
  return [performance.now() - t0, r];
}

// ---- setup ----

const engine = await createEngine({ policy: POLICY });
const policy = JSON.parse(JSON.stringify((await createEngine({ policy: POLICY })).policy ?? {}));
const fullPolicy = {
  currency: 'USD',
  minimumAmount: 500,
  maximumAmount: 100000000,
  titleMaxLength: 255,
  descriptionMaxLength: 5000,
  ...policy,
  ...POLICY,
};
const ajvValidate = makeAjvValidator(fullPolicy);
const rulesValidate = makeRulesValidator(fullPolicy);
const options = { now: NOW };
const codes = (issues) => issues.map((i) => i.code);

// The peers' rules must find what ours find on the cases timed, or the race
// compares different work.
async function agreement() {
  const c = makeContract(20);
  check(
    engine.validate(c, options).ok && ajvValidate(c) && (await rulesValidate(c)).length === 0,
    'the benchmark contract is valid for every contestant',
  );
  const cases = [
    [
      'AMOUNT_BELOW_MINIMUM',
      (m) => {
        m.milestones[5].amount = 100;
      },
    ],
    [
      'AMOUNT_ABOVE_MAXIMUM',
      (m) => {
        m.milestones[5].amount = 100000001;
      },
    ],
    [
      'TITLE_REQUIRED',
      (m) => {
        m.milestones[5].title = '  ';
      },
    ],
    [
      'TITLE_TOO_LONG',
      (m) => {
        m.milestones[5].title = 'x'.repeat(256);
      },
    ],
    [
      'INVALID_DATE',
      (m) => {
        m.milestones[5].dueDate = '2027-02-30';
      },
    ],
    [
      'MULTIPLE_IN_FLIGHT',
      (m) => {
        Object.assign(m.milestones[2], { state: 'active', funded: m.milestones[2].amount });
      },
    ],
  ];
  for (const [code, breakIt] of cases) {
    const bad = makeContract(20);
    breakIt(bad);
    check(codes(engine.validate(bad, options).issues).includes(code), `engine finds ${code}`);
    check(!ajvValidate(bad), `ajv schema finds ${code}`);
    check((await rulesValidate(bad)).includes(code), `json-rules-engine rules find ${code}`);
  }
}

// json-rules-engine (about a second a call) and jsondiffpatch (its LCS over
// 10,000 items: seconds and gigabytes a call) would alone blow the ten
// minutes at 10,000 milestones: they run up to 1,000, where they are already
// 100 to 8,000 times slower.
const PEER_MAX_N = 1000;

// ---- 1. keystroke ----

async function keystroke(n) {
  const contract = makeContract(n);
  const session = engine.openSession(contract, { actor: 'client', now: NOW });
  const actions = makeKeystrokes(n, 100000);
  const peerDoc = structuredClone(contract);
  const target = peerDoc.milestones.find((m) => m.id === actions[0].id);
  let k = 0;
  let j = 0;
  let r = 0;
  const rows = await race([
    {
      name: 'milestone-engine session.apply',
      step() {
        const [t, res] = time(() => session.apply(actions[k++ % actions.length]));
        if (!res.applied || !res.ok)
          check(false, `keystroke N=${n}: ${JSON.stringify(res.issues).slice(0, 200)}`);
        return t;
      },
    },
    {
      name: 'ajv (whole contract)',
      step() {
        const a = actions[j++ % actions.length];
        const [t, ok] = time(() => {
          Object.assign(target, a.set);
          return ajvValidate(peerDoc);
        });
        if (!ok) check(false, `ajv keystroke N=${n}`);
        return t;
      },
    },
    ...(n > PEER_MAX_N
      ? []
      : [
          {
            name: 'json-rules-engine (whole contract)',
            async step() {
              const a = actions[r++ % actions.length];
              const t0 = performance.now();
              Object.assign(target, a.set);
              const found = await rulesValidate(peerDoc);
              const t = performance.now() - t0;
              if (found.length) check(false, `json-rules-engine keystroke N=${n}: ${found}`);
              return t;
            },
          },
        ]),
  ]);
  // What the session holds must be what was typed.
  const last = actions[(k - 1) % actions.length];
  const held = session.contract.milestones.find((m) => m.id === last.id);
  check(
    Object.entries(last.set).every(([f, v]) => held[f] === v),
    `session draft holds the last keystroke N=${n}`,
  );
  session.dispose();
  return rows;
}

// ---- 2. Show Changes ----

function countJdp(delta) {
  let ops = 0;
  let moves = 0;
  const walk = (d) => {
    if (Array.isArray(d)) {
      ops++;
      if (d.length === 3 && d[2] === 3) moves++;
      return;
    }
    for (const [key, v] of Object.entries(d)) if (key !== '_t') walk(v);
  };
  walk(delta);
  return { ops, moves };
}

async function showChanges(n) {
  const before = makeContract(n);
  const after = makeAfter(before);
  const differ = jsondiffpatch.create({
    objectHash: (o, i) => o.id ?? `$$index:${i}`,
    arrays: { detectMove: true },
  });
  // The editor's Show Changes is session.changes(): the draft is already in
  // the engine, so only the answer crosses. engine.diff(before, after) is the
  // same diff with both contracts marshalled in.
  const session = engine.openSession(before, { actor: 'client', now: NOW });
  const asActions = engine
    .diff(before, after)
    .changes.map((c) =>
      c.op === 'edit'
        ? { type: 'edit', id: c.id, set: { [c.field]: c.to } }
        : { type: 'move', id: c.id, toIndex: c.toIndex },
    );
  for (const a of asActions)
    check(session.apply(a).applied, `session applies ${JSON.stringify(a)}`);
  check(
    isDeepStrictEqual(session.contract.milestones, after.milestones),
    `session draft is after, N=${n}`,
  );
  let ours;
  let sessionChanges;
  let fjp;
  let jdp;
  const rows = await race([
    {
      name: 'milestone-engine session.changes()',
      step() {
        // Undo and redo the last step: the draft is the same, the cache is not.
        session.undo();
        session.redo();
        const [t, v] = time(() => session.changes());
        sessionChanges = v;
        return t;
      },
    },
    {
      name: 'fast-json-patch compare',
      step() {
        const [t, v] = time(() => fjpCompare(before, after));
        fjp = v;
        return t;
      },
    },
    ...(n > PEER_MAX_N
      ? []
      : [
          {
            name: 'jsondiffpatch diff',
            step() {
              const [t, v] = time(() => differ.diff(before, after));
              jdp = v;
              return t;
            },
          },
        ]),
    {
      name: 'milestone-engine diff(before, after)',
      step() {
        const [t, v] = time(() => engine.diff(before, after));
        ours = v;
        return t;
      },
    },
  ]);
  // Counts and correctness, outside the timing.
  const oursMoves = ours.changes.filter((c) => c.op === 'move').length;
  check(ours.ok, `diff N=${n} ok`);
  check(oursMoves === 3, `diff N=${n} finds exactly 3 moves (found ${oursMoves})`);
  check(
    ours.changes.length === 13,
    `diff N=${n} has 10 edits + 3 moves (found ${ours.changes.length})`,
  );
  const applied = engine.applyChanges(before, ours.changes);
  const oursRight = check(
    applied.ok && isDeepStrictEqual(applied.contract.milestones, after.milestones),
    `applyChanges(before, diff) gives after, N=${n}`,
  );
  const oursPatchRight = check(
    isDeepStrictEqual(
      fjpApply(structuredClone(before), ours.patch, true, false).newDocument.milestones,
      after.milestones,
    ),
    `our RFC 6902 patch applied by fast-json-patch gives after, N=${n}`,
  );
  const fjpRight = isDeepStrictEqual(
    fjpApply(structuredClone(before), fjp, true, false).newDocument,
    after,
  );
  rows[1].ops = `${fjp.length} (${fjp.filter((o) => o.op === 'move').length} moves)`;
  rows[1].right = fjpRight ? 'yes' : 'NO';
  const mine = rows.find((r) => r.name.startsWith('milestone-engine diff('));
  mine.ops = `${ours.changes.length} (${oursMoves} moves); patch ${ours.patch.length}`;
  mine.right = oursRight && oursPatchRight ? 'yes (changes and patch)' : 'NO';
  check(
    isDeepStrictEqual(sessionChanges.changes, ours.changes),
    `session.changes() is diff(before, after), N=${n}`,
  );
  session.dispose();
  rows[0].ops = `${sessionChanges.changes.length} (${sessionChanges.changes.filter((c) => c.op === 'move').length} moves)`;
  rows[0].right = 'same as diff';
  if (!jdp) return rows;
  const jdpRight = isDeepStrictEqual(differ.patch(structuredClone(before), jdp), after);
  let jdp6902Right = false;
  let jdp6902Ops = 0;
  try {
    const ops = jdpJsonPatch.format(jdp);
    jdp6902Ops = ops.length;
    jdp6902Right = isDeepStrictEqual(
      fjpApply(structuredClone(before), ops, true, false).newDocument,
      after,
    );
  } catch {
    jdp6902Right = false;
  }
  const jc = countJdp(jdp);
  rows[2].ops = `${jc.ops} (${jc.moves} moves); RFC 6902 ${jdp6902Ops}`;
  rows[2].right = `own patch: ${jdpRight ? 'yes' : 'NO'}; RFC 6902: ${jdp6902Right ? 'yes' : 'NO'}`;
  return rows;
}

// ---- 3. cold validate (object in, result object out) ----

async function coldValidate(n) {
  const fresh = () => makeContract(n);
  // A fresh object per call, made before the clock starts.
  const take = () => fresh();
  const rows = await race([
    {
      name: 'milestone-engine validate',
      step() {
        const c = take();
        const [t, res] = time(() => engine.validate(c, options));
        if (!res.ok) check(false, `validate N=${n}: ${JSON.stringify(res.issues).slice(0, 200)}`);
        return t;
      },
    },
    {
      name: 'ajv',
      step() {
        const c = take();
        const [t, ok] = time(() => ajvValidate(c));
        if (!ok) check(false, `ajv validate N=${n}`);
        return t;
      },
    },
    ...(n > PEER_MAX_N
      ? []
      : [
          {
            name: 'json-rules-engine',
            async step() {
              const c = take();
              const t0 = performance.now();
              const found = await rulesValidate(c);
              const t = performance.now() - t0;
              if (found.length) check(false, `json-rules-engine validate N=${n}`);
              return t;
            },
          },
        ]),
  ]);
  // Where our time goes: the text the wrapper makes, and validate on text.
  const text = JSON.stringify(fresh());
  const parts = await race(
    [
      {
        name: 'JSON.stringify',
        step() {
          const c = take();
          return time(() => JSON.stringify(c))[0];
        },
      },
      {
        name: 'validate(text)',
        step() {
          return time(() => engine.validate(text, options))[0];
        },
      },
    ],
    { budgetMs: BUDGET_MS / 2 },
  );
  return { rows, parts };
}

// ---- 4. wasm vs native, the same bytes ----

async function wasmSide(n) {
  const text = JSON.stringify(makeContract(n));
  const afterText = JSON.stringify(makeAfter(JSON.parse(text)));
  const session = engine.openSession(text, { actor: 'client', now: NOW });
  const actions = makeKeystrokes(n, 100000);
  let k = 0;
  const rows = await race(
    [
      {
        name: 'validate',
        step() {
          return time(() => engine.validate(text, options))[0];
        },
      },
      {
        name: 'diff',
        step() {
          return time(() => engine.diff(text, afterText))[0];
        },
      },
      {
        name: 'keystroke',
        step() {
          return time(() => session.apply(actions[k++ % actions.length]))[0];
        },
      },
    ],
    { budgetMs: BUDGET_MS / 2 },
  );
  session.dispose();
  return Object.fromEntries(rows.map((r) => [r.name, r]));
}

// ---- 5. size ----

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

async function sizes() {
  // Everything the package loads: every .mjs it ships and the wasm.
  const ours = [
    ...readdirSync(dist).filter((f) => f.endsWith('.mjs')),
    'milestone_wasm.wasm',
  ].reduce((sum, f) => sum + gz(readFileSync(path.join(dist, f))), 0);
  const entries = {
    ajv: "export { default as Ajv2019 } from 'ajv/dist/2019.js'; export { default as addFormats } from 'ajv-formats';",
    'json-rules-engine': "export { Engine } from 'json-rules-engine';",
    'fast-json-patch': "export { compare, applyPatch } from 'fast-json-patch';",
    jsondiffpatch:
      "export { create } from 'jsondiffpatch'; export { format } from 'jsondiffpatch/formatters/jsonpatch';",
  };
  const out = { 'milestone-engine (dist js+wasm)': ours };
  const bundles = {};
  for (const [name, contents] of Object.entries(entries)) {
    const result = await esbuild({
      stdin: { contents, resolveDir: here, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    bundles[name] = result.outputFiles[0].contents;
    out[`${name} (esbuild --bundle --minify)`] = gz(bundles[name]);
  }
  return { sizes: out, bundles };
}

// ---- 6. start-up in headless Chromium ----

// The page that times createEngine() and the first validate of `contractUrl`,
// started cold: nothing of the engine is asked for before the contract is in.
const oursPage = (contractUrl) => `<!doctype html><script type=module>
      const contract = await (await fetch('${contractUrl}')).json();
      const t0 = performance.now();
      const { createEngine } = await import('/dist/index.mjs');
      const t1 = performance.now();
      const engine = await createEngine({ policy: ${JSON.stringify(POLICY)} });
      const tc = performance.now();
      const r = engine.validate(contract, { now: '${NOW}' });
      const t2 = performance.now();
      window.result = { importMs: t1 - t0, startMs: t2 - t1, createMs: tc - t1, endMs: t2, ok: r.ok };
    </script>`;

// The editor's way (web/index.html, web/engine.mjs, docs/page.md): the HTML
// preloads the wasm and the package's modules, and the engine is started
// (compiled as its bytes arrive, `wasmResponse`) while the contract is
// fetched. Timed: from the contract in hand to its first validate done, the
// wait the engine adds; `endMs` is the same moment since navigation, to set
// beside the cold page's.
const editorPage = (contractUrl, modules) => `<!doctype html>
    <link rel="preload" href="/dist/milestone_wasm.wasm" as="fetch" crossorigin>
    ${modules.map((m) => `<link rel="modulepreload" href="/dist/${m}">`).join('')}
    <script type=module>
      let contractAt = 0;
      let engineAt = 0;
      const wasm = fetch('/dist/milestone_wasm.wasm');
      const contractP = fetch('${contractUrl}')
        .then((r) => r.json())
        .then((c) => ((contractAt = performance.now()), c));
      const { createEngine } = await import('/dist/index.mjs');
      const engineP = createEngine({ wasmResponse: wasm, policy: ${JSON.stringify(POLICY)} })
        .then((e) => ((engineAt = performance.now()), e));
      const [contract, engine] = await Promise.all([contractP, engineP]);
      const r = engine.validate(contract, { now: '${NOW}' });
      const t2 = performance.now();
      window.result = {
        startMs: t2 - contractAt,
        engineAfterMs: Math.max(0, engineAt - contractAt),
        endMs: t2,
        ok: r.ok,
      };
    </script>`;

async function startup(bundles) {
  const { chromium } = await import('playwright-core');
  // The editor's first validate is of the contract it opened: a few milestones.
  // The 1,000-milestone load shows the cost of a large first document.
  const contractText = JSON.stringify(makeContract(1000));
  const smallContractText = JSON.stringify(makeContract(5));
  const ajvModule = `${new TextDecoder().decode(bundles.ajv)}`;
  // The package's modules but Node's entry, as web/index.html lists them.
  const modules = readdirSync(dist).filter((f) => f.endsWith('.mjs') && f !== 'node.mjs');
  const pages = {
    '/ours.html': oursPage('/contract.json'),
    '/ours-small.html': oursPage('/contract-small.json'),
    '/editor.html': editorPage('/contract.json', modules),
    '/editor-small.html': editorPage('/contract-small.json', modules),
    '/ajv.html': `<!doctype html><script type=module>
      const contract = await (await fetch('/contract.json')).json();
      const schema = await (await fetch('/schema.json')).json();
      const t0 = performance.now();
      const { Ajv2019, addFormats } = await import('/ajv.mjs');
      const t1 = performance.now();
      const ajv = new Ajv2019({ allErrors: true }); addFormats(ajv, ['date']);
      const ok = ajv.compile(schema)(contract);
      const t2 = performance.now();
      window.result = { importMs: t1 - t0, startMs: t2 - t1, endMs: t2, ok };
    </script>`,
  };
  const { contractSchema } = await import('./peer-rules.mjs');
  const types = {
    '.html': 'text/html',
    '.mjs': 'text/javascript',
    '.json': 'application/json',
    '.wasm': 'application/wasm',
  };
  const server = createServer((req, res) => {
    const url = req.url.split('?')[0];
    let body = null;
    if (pages[url]) body = pages[url];
    else if (url === '/contract.json') body = contractText;
    else if (url === '/contract-small.json') body = smallContractText;
    else if (url === '/schema.json') body = JSON.stringify(contractSchema(fullPolicy));
    else if (url === '/ajv.mjs') body = ajvModule;
    else if (url.startsWith('/dist/') && readdirSync(dist).includes(url.slice(6)))
      body = readFileSync(path.join(dist, url.slice(6)));
    if (body === null) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, {
      'content-type': types[path.extname(url)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const version = browser.version();
  const runs = { ours: [], oursSmall: [], editor: [], editorSmall: [], ajv: [] };
  const pageOf = {
    ours: 'ours',
    oursSmall: 'ours-small',
    editor: 'editor',
    editorSmall: 'editor-small',
    ajv: 'ajv',
  };
  try {
    for (let i = 0; i < 12; i++) {
      for (const name of Object.keys(runs)) {
        // A new context each time: nothing compiled or cached from the last load.
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${base}/${pageOf[name]}.html`);
        const result = await page
          .waitForFunction(() => window.result, null, { timeout: 20000 })
          .then((h) => h.jsonValue());
        check(result.ok, `first validate in Chromium (${name}) is ok`);
        if (i > 0) runs[name].push(result);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  const field = (list, key) =>
    list[0][key] === undefined ? undefined : median(list.map((r) => r[key]));
  const summary = (list) => ({
    startMs: median(list.map((r) => r.startMs)),
    importMs: field(list, 'importMs'),
    createMs: field(list, 'createMs'),
    engineAfterMs: field(list, 'engineAfterMs'),
    endMs: field(list, 'endMs'),
    p99: p99(list.map((r) => r.startMs)),
    n: list.length,
  });
  return {
    version,
    ...Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, summary(list)])),
  };
}

// ---- run everything ----

const startedAt = new Date();
const loadBefore = loadavg();
const fmt = (ms) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);
const ratio = (theirs, ours) =>
  `${(theirs / ours).toFixed(theirs / ours >= 10 ? 0 : theirs / ours >= 0.1 ? 1 : 2)}×`;

await agreement();
const results = { keystroke: {}, diff: {}, cold: {}, wasm: {} };
for (const n of SIZES) {
  const t0 = performance.now();
  const step = (what) =>
    console.error(`N = ${n}: ${what} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  step('keystroke');
  results.keystroke[n] = await keystroke(n);
  step('Show Changes');
  results.diff[n] = await showChanges(n);
  step('cold validate');
  results.cold[n] = await coldValidate(n);
  step('wasm side');
  results.wasm[n] = await wasmSide(n);
  step('done');
}
const native = args.native ? JSON.parse(readFileSync(args.native, 'utf8')) : null;
const { sizes: size, bundles } = await sizes();
const browser = args['skip-browser'] ? null : await startup(bundles);
const loadAfter = loadavg();

// ---- the figures issue 18 sets targets for, beside the previous run's ----

const k1000 = results.keystroke[1000];
const d1000 = results.diff[1000];
const c1000 = results.cold[1000];

const catalogDir = path.join(dist, 'catalogs');
const catalogSizes = existsSync(catalogDir)
  ? readdirSync(catalogDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => `${f} ${(gz(readFileSync(path.join(catalogDir, f))) / 1024).toFixed(1)} KB`)
      .join(', ')
  : 'none';
const wasmSize = existsSync(path.join(args.symbols, 'milestone_wasm.mjs.symbols'))
  ? sizeReport(path.join(args.symbols, 'milestone_wasm.wasm'))
  : null;
const readBench = args.read ? readFileSync(args.read, 'utf8') : '';
const stage = (name) => {
  const m = new RegExp(`^\\s*${name}\\s+([0-9.]+) us(?:\\s+([0-9.]+) MB/s)?`, 'm').exec(readBench);
  return m ? { us: Number(m[1]), mbs: m[2] ? Number(m[2]) : null } : null;
};
const wasmRatio = (w) =>
  native
    ? Math.max(...SIZES.map((n) => results.wasm[n][w].median / (native[n][w].median / 1000)))
    : NaN;
const figures = {
  readValidateUs: stage('validate')?.us ?? null,
  // The reader of contracts (ParseContract); runs before the clean read have only 'parse'.
  parseMBs: stage('read')?.mbs ?? stage('parse')?.mbs ?? null,
  wasmWorst: Math.max(wasmRatio('validate'), wasmRatio('diff')),
  keystrokeUs: k1000 ? k1000[0].median * 1000 : null,
  coldMs: c1000 ? c1000.rows[0].median : null,
  sizeKB: size['milestone-engine (dist js+wasm)'] / 1024,
  startupMs: browser ? browser.ours.startMs : null,
  startupEditorMs: browser ? browser.editor.startMs : null,
};
const figuresFile = args.out ? args.out.replace(/\.md$/, '.json') : null;
const previous =
  figuresFile && existsSync(figuresFile) ? JSON.parse(readFileSync(figuresFile, 'utf8')) : {};

// ---- report ----

const lines = [];
const table = (head, rows) => {
  lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  lines.push('');
};
const raceTable = (byN, extra = [], extraCols = []) => {
  const rows = [];
  for (const n of SIZES) {
    const ours = byN[n][0];
    for (const r of byN[n]) {
      rows.push([
        n.toLocaleString('en-US'),
        r.name,
        fmt(r.median),
        fmt(r.p99),
        r === ours ? '1×' : ratio(r.median, ours.median),
        String(r.n),
        ...extraCols.map((c) => r[c] ?? ''),
      ]);
    }
  }
  table(['N', 'contestant', 'median', 'p99', 'its time / ours', 'samples', ...extra], rows);
};
const target = (label, ok) => `${label}: **${ok ? 'met' : 'MISSED'}**`;

const emcc = (() => {
  try {
    return execFileSync('emcc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    return 'emcc not found';
  }
})();

lines.push('## Targets', '');
const show = (v, unit, digits = 1) =>
  v === null || v === undefined || Number.isNaN(v) ? '—' : `${v.toFixed(digits)} ${unit}`;
const targetRows = [
  [
    'native read + validate, 1,000 milestones',
    '≤ 250 µs',
    'readValidateUs',
    'µs',
    0,
    (v) => v <= 250,
  ],
  ['native reader (text → Contract) on it', '≥ 600 MB/s', 'parseMBs', 'MB/s', 0, (v) => v >= 600],
  ['wasm / native, validate and diff, worst N', '≤ 1.5×', 'wasmWorst', '×', 1, (v) => v <= 1.5],
  ['keystroke through the package, N = 1,000', '≤ 4 µs', 'keystrokeUs', 'µs', 1, (v) => v <= 4],
  ['cold validate of a JS object, N = 1,000', '≤ 0.8 ms', 'coldMs', 'ms', 2, (v) => v <= 0.8],
  ['package, js + wasm gzipped', '≤ 100 KB', 'sizeKB', 'KB', 1, (v) => v <= 100],
  [
    "start-up to a first validate, 1,000 milestones: the editor's way (engine started while the contract is fetched)",
    '≤ 30 ms',
    'startupEditorMs',
    'ms',
    1,
    (v) => v <= 30,
  ],
  [
    'the same, cold: nothing of the engine asked for before the contract is in',
    '(beside it)',
    'startupMs',
    'ms',
    1,
    null,
  ],
];
table(
  ['figure', 'target', 'this run', 'previous run', ''],
  targetRows.map(([label, goal, key, unit, digits, ok]) => [
    label,
    goal,
    show(figures[key], unit, digits),
    show(previous[key], unit, digits),
    figures[key] === null || figures[key] === undefined || Number.isNaN(figures[key])
      ? 'not run'
      : ok === null
        ? ''
        : ok(figures[key])
          ? 'met'
          : '**missed**',
  ]),
);
lines.push(
  `The previous run is ${previous.when ? `the one of ${previous.when}` : 'not recorded'} (${path.basename(figuresFile ?? 'benchmarks.json')}, written beside this file by each run).`,
  '',
);
lines.push('## 1. Keystroke: one-field edit in a session vs re-validating the whole contract', '');
raceTable(results.keystroke);
if (k1000) {
  lines.push(
    target(
      `Target at N = 1,000 — median ≤ 4 µs (${fmt(k1000[0].median)}), p99 ≤ 100 µs (${fmt(k1000[0].p99)}), ≥ 10× faster than ajv (${ratio(k1000[1].median, k1000[0].median)})`,
      k1000[0].median <= 0.004 && k1000[0].p99 <= 0.1 && k1000[1].median >= 10 * k1000[0].median,
    ),
    '',
  );
}
lines.push('## 2. Show Changes: 10 edits + 3 moves', '');
raceTable(results.diff, ['operations produced', 'applied gives `after`'], ['ops', 'right']);
if (d1000) {
  lines.push(
    target(
      `Target at N = 1,000 — no slower than fast-json-patch (${ratio(d1000[1].median, d1000[0].median)} its time), ≥ 3× faster than jsondiffpatch (${ratio(d1000[2].median, d1000[0].median)}), exactly 3 moves`,
      d1000[0].median <= d1000[1].median &&
        d1000[2].median >= 3 * d1000[0].median &&
        /\(3 moves\)/.test(d1000[0].ops),
    ),
    '',
  );
}
lines.push('## 3. Cold validate of a JS contract object (marshalling included)', '');
raceTable(Object.fromEntries(SIZES.map((n) => [n, results.cold[n].rows])));
lines.push('Where our time goes (same process, medians):', '');
table(
  ['N', 'JSON.stringify of the object', 'validate(JSON text)'],
  SIZES.map((n) => [
    n.toLocaleString('en-US'),
    fmt(results.cold[n].parts[0].median),
    fmt(results.cold[n].parts[1].median),
  ]),
);
if (c1000)
  lines.push(
    target(
      `Target at N = 1,000 — ≤ 0.8 ms, within 2× of ajv (${fmt(c1000.rows[0].median)}, ${ratio(c1000.rows[0].median, c1000.rows[1].median)} ajv's time)`,
      c1000.rows[0].median <= 0.8,
    ),
    '',
  );
lines.push('## 4. wasm vs native, the same bytes', '');
if (native) {
  const rows = [];
  for (const n of SIZES) {
    for (const w of ['validate', 'diff', 'keystroke']) {
      const nat = native[n][w];
      const was = results.wasm[n][w];
      // The native bench reports microseconds.
      rows.push([
        n.toLocaleString('en-US'),
        w,
        fmt(nat.median / 1000),
        fmt(was.median),
        `${(was.median / (nat.median / 1000)).toFixed(1)}×`,
      ]);
    }
  }
  table(['N', 'workload', 'native median', 'wasm median', 'wasm / native'], rows);
  lines.push(
    target(
      `Target — wasm ≤ 1.5× native on validate and diff at every N (worst ${figures.wasmWorst.toFixed(1)}×)`,
      figures.wasmWorst <= 1.5,
    ),
    '',
  );
} else {
  lines.push('(native side not run)', '');
}
lines.push('## 5. Size (gzip -9)', '');
table(
  ['package', 'gzipped'],
  Object.entries(size).map(([k, v]) => [k, `${(v / 1024).toFixed(1)} KB`]),
);
lines.push(
  target(
    `Target — ≤ 100 KB with all features, moonshot 80 KB (${(size['milestone-engine (dist js+wasm)'] / 1024).toFixed(1)} KB)`,
    size['milestone-engine (dist js+wasm)'] <= 100 * 1024,
  ),
  '',
  target(
    `Budget — ≤ 120 KB without the catalogs (${(size['milestone-engine (dist js+wasm)'] / 1024).toFixed(1)} KB; the catalogs ${catalogSizes})`,
    size['milestone-engine (dist js+wasm)'] <= 120 * 1024,
  ),
  '',
);
if (wasmSize) lines.push(...sizeReportLines(wasmSize));
else
  lines.push(
    `(no size report: ${path.join(args.symbols, 'milestone_wasm.mjs.symbols')} is missing)`,
    '',
  );
lines.push('## 6. Start-up in headless Chromium', '');
if (browser) {
  const b = browser;
  // One page's row: what it is, its import (the editor's way preloads it), then its figures.
  const pageRow = (label, r, imported = fmt(r.importMs)) => [
    label,
    imported,
    fmt(r.startMs),
    fmt(r.p99),
    fmt(r.endMs),
    String(r.n),
  ];
  table(
    ['', 'import the module', 'to the first validate', 'p99', 'since navigation', 'loads'],
    [
      pageRow(
        "milestone-engine, the editor's way: engine started while the contract is fetched; contract in hand → first `validate`, 5 milestones",
        b.editorSmall,
        '(preloaded)',
      ),
      pageRow("milestone-engine, the editor's way, 1,000 milestones", b.editor, '(preloaded)'),
      pageRow(
        'milestone-engine, cold: contract in hand, then `createEngine()` → first `validate`, 5 milestones',
        b.oursSmall,
      ),
      pageRow('milestone-engine, cold, 1,000 milestones', b.ours),
      pageRow('ajv: `new Ajv2019` + `compile(schema)` → first validate, 1,000 milestones', b.ajv),
    ],
  );
  lines.push(
    `The editor's way is how web/index.html and web/engine.mjs start (docs/page.md): the HTML preloads the wasm and the package's modules, and \`createEngine({ wasmResponse })\` compiles the wasm as it arrives while the contract is fetched. Its figure is the wait the engine adds once the contract is in: with 1,000 milestones the engine was ready ${fmt(b.editor.engineAfterMs)} after the contract, and the first validate took the rest. The cold page asks for nothing of the engine until the contract is in: of its ${fmt(b.ours.startMs)}, \`createEngine()\` (fetch, compile and instantiate the wasm, embind's set-up) is ${fmt(b.ours.createMs)} and the first validate ${fmt(b.ours.startMs - b.ours.createMs)}. "Since navigation" is when the first validate was done, counted from the page's start: what the overlap gives end to end. Chromium ${b.version}, a new browser context per load.`,
    '',
  );
  lines.push(
    target(
      `Target — ≤ 30 ms, the editor's first validate of 5 milestones, the editor's way (${fmt(b.editorSmall.startMs)}; cold ${fmt(b.oursSmall.startMs)})`,
      b.editorSmall.startMs <= 30,
    ),
    '',
  );
  lines.push(
    target(
      `Target — ≤ 30 ms, a first validate of 1,000 milestones, the editor's way (${fmt(b.editor.startMs)}; cold ${fmt(b.ours.startMs)})`,
      b.editor.startMs <= 30,
    ),
    '',
  );
} else {
  lines.push('(skipped)', '');
}

const machine = [
  `- When: ${startedAt.toISOString()}`,
  `- CPU: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
  `- Load average (1 min) before / after: ${loadBefore[0].toFixed(2)} / ${loadAfter[0].toFixed(2)}`,
  `- node ${process.version}; ${emcc}; Chromium ${browser ? browser.version : '(not run)'}`,
  `- Peers: ${[
    'ajv',
    'ajv-formats',
    'json-rules-engine',
    'fast-json-patch',
    'jsondiffpatch',
    'esbuild',
    'playwright-core',
  ]
    .map(
      (p) =>
        `${p} ${JSON.parse(readFileSync(path.join(here, '..', 'node_modules', p, 'package.json'), 'utf8')).version}`,
    )
    .join(', ')}`,
];
const report = lines.join('\n');
console.log(machine.join('\n'));
console.log();
console.log(report);
if (args.out) {
  const template = readFileSync(path.join(here, 'benchmarks.md.in'), 'utf8');
  writeFileSync(
    args.out,
    template.replace('@MACHINE@', machine.join('\n')).replace('@RESULTS@', report),
  );
  writeFileSync(
    figuresFile,
    `${JSON.stringify({ when: startedAt.toISOString(), ...figures }, null, 2)}\n`,
  );
  console.error(`wrote ${args.out} and ${figuresFile}`);
}
if (wrong.length) {
  console.error(`${wrong.length} wrong result(s):\n  ${wrong.join('\n  ')}`);
  process.exit(1);
}
