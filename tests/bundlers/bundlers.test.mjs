// The package where developers use it (issue 17): `npm pack` dist/milestone-engine,
// install the tarball into a tiny app, build that app with Vite, webpack 5,
// esbuild and Rollup (tests/bundlers/package.json pins them), and load every
// bundle in headless Chromium under `script-src 'self' 'wasm-unsafe-eval'`,
// on the main thread and in a module Worker; import the same tarball from
// plain Node ESM; and serve HTML where the wasm should be, to see the one
// WASM_LOAD_FAILED error. Installs its own dev dependencies (npm ci).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = path.resolve(process.env.MILESTONE_DIST || path.join(root, 'dist/milestone-engine'));
const work = path.join(root, 'build/bundlers');
const appDir = path.join(work, 'app');
const outDir = path.join(work, 'out');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};
const BUNDLERS = ['vite', 'webpack', 'esbuild', 'rollup'];
// What the tarball may hold: nothing else.
const PACKAGE_FILES = [
  'LICENSE',
  'README.md',
  'index.d.ts',
  'index.mjs',
  'load.mjs',
  'node.mjs',
  'milestone_wasm.mjs',
  'milestone_wasm.wasm',
  'package.json',
];

const run = (cmd, args, options = {}) =>
  execFileSync(cmd, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
    ...options,
  });

let pack;
let server;
let baseUrl;
let browser;
let require;

// ---- setup: dependencies, tarball, app ----

function installDevDependencies() {
  const stamp = path.join(here, 'node_modules/.package-lock.json');
  const lock = path.join(here, 'package-lock.json');
  if (!existsSync(stamp) || statSync(lock).mtimeMs > statSync(stamp).mtimeMs) {
    run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
      cwd: here,
    });
  }
  require = createRequire(path.join(here, 'package.json'));
}

function packAndInstall() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(appDir, { recursive: true });
  const [info] = JSON.parse(run('npm', ['pack', dist, '--pack-destination', work, '--json']));
  pack = { ...info, tarball: path.join(work, info.filename) };
  for (const file of readdirSync(path.join(here, 'app'))) {
    cpSync(path.join(here, 'app', file), path.join(appDir, file));
  }
  writeFileSync(
    path.join(appDir, 'package.json'),
    JSON.stringify({ name: 'bundler-app', private: true, type: 'module' }),
  );
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--offline', '--loglevel=error', pack.tarball],
    { cwd: appDir },
  );
}

// ---- the four builds: main.js and worker.js, ES modules, into out/<name>/ ----

const entries = () => ({
  main: path.join(appDir, 'main.js'),
  worker: path.join(appDir, 'worker.js'),
});

const builders = {
  async vite(dir) {
    const { build } = await import(pathToFileURL(require.resolve('vite')).href);
    await build({
      // base './': the bundle is served from /vite/, not the site's root.
      configFile: false,
      root: appDir,
      base: './',
      logLevel: 'error',
      publicDir: false,
      build: {
        outDir: dir,
        emptyOutDir: true,
        target: 'es2022',
        modulePreload: false,
        rollupOptions: { input: entries(), output: { format: 'es', entryFileNames: '[name].js' } },
      },
    });
  },
  async webpack(dir) {
    const webpack = require('webpack');
    const compiler = webpack({
      mode: 'production',
      context: appDir,
      entry: entries(),
      target: 'web',
      output: {
        path: dir,
        filename: '[name].js',
        module: true,
        chunkFormat: 'module',
        clean: true,
      },
      experiments: { outputModule: true },
      performance: { hints: false },
    });
    const stats = await new Promise((resolve, reject) =>
      compiler.run((e, s) => (e ? reject(e) : resolve(s))),
    );
    await new Promise((resolve) => compiler.close(resolve));
    if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
  },
  async esbuild(dir) {
    const esbuild = require('esbuild');
    await esbuild.build({
      entryPoints: entries(),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outdir: dir,
      minify: true,
      logLevel: 'error',
    });
    // esbuild leaves `new URL('./milestone_wasm.wasm', import.meta.url)` as
    // it is, now relative to the bundle: the file goes next to it (docs/js.md).
    cpSync(
      path.join(appDir, 'node_modules/milestone-engine/milestone_wasm.wasm'),
      path.join(dir, 'milestone_wasm.wasm'),
    );
  },
  async rollup(dir) {
    const { rollup } = await import(pathToFileURL(require.resolve('rollup')).href);
    const { nodeResolve } = await import(
      pathToFileURL(require.resolve('@rollup/plugin-node-resolve')).href
    );
    const { importMetaAssets } = await import(
      pathToFileURL(require.resolve('@web/rollup-plugin-import-meta-assets')).href
    );
    const bundle = await rollup({
      input: entries(),
      plugins: [nodeResolve({ browser: true }), importMetaAssets()],
      onwarn(warning, warn) {
        if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning);
      },
    });
    await bundle.write({ dir, format: 'es', entryFileNames: '[name].js' });
    await bundle.close();
  },
};

function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), `${rel}/`));
    else out.push(rel);
  }
  return out;
}

// ---- the static server: out/<name>/ at /<name>/, and at /html-wasm/<name>/
// with HTML answered for every .wasm (an SPA fallback, a misconfigured CDN) ----

function startServer() {
  server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let rel = decodeURIComponent(url.pathname);
    let htmlForWasm = false;
    if (rel.startsWith('/html-wasm/')) {
      htmlForWasm = true;
      rel = rel.slice('/html-wasm'.length);
    }
    if (rel.includes('..') || rel === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    const headers = { 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' };
    if (htmlForWasm && rel.endsWith('.wasm')) {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><body>Not the wasm you are looking for</body></html>');
      return;
    }
    try {
      const body = await readFile(path.join(outDir, rel));
      res.writeHead(200, {
        ...headers,
        'Content-Type': TYPES[path.extname(rel)] || 'application/octet-stream',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      baseUrl = `http://127.0.0.1:${server.address().port}`;
      resolve();
    }),
  );
}

before(async () => {
  assert.ok(
    existsSync(path.join(dist, 'index.mjs')),
    `build the package first (tools/build-dist): ${dist}`,
  );
  installDevDependencies();
  packAndInstall();
  await startServer();
  const { chromium } = require('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
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
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

function assertChecks(result, where) {
  assert.ok(result, `${where}: no answer`);
  assert.equal(result.error, undefined, `${where}: ${result.error}`);
  assert.deepEqual(result.valid, { ok: true, issues: [] }, where);
  assert.deepEqual(result.invalidCodes, ['AMOUNT_BELOW_MINIMUM'], where);
  assert.deepEqual(result.fundCodes, ['FUND_WHILE_IN_FLIGHT'], where);
  assert.equal(result.money, '$1,234.56', where);
  assert.equal(result.changesetOk, true, where);
  assert.equal(result.disposed, true, where);
}

// Opens /<prefix><name>/index.html; -> { answer, responses, console }.
async function openBundle(name, prefix = '') {
  const page = await browser.newPage();
  const responses = [];
  const messages = [];
  page.on('response', (r) =>
    responses.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] || '' }),
  );
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  try {
    await page.goto(`${baseUrl}${prefix}/${name}/index.html`, {
      waitUntil: 'load',
      timeout: 30_000,
    });
    await page.waitForFunction(() => window.__milestone !== undefined, null, { timeout: 30_000 });
    const answer = await page.evaluate(() => window.__milestone);
    return { answer, responses, messages };
  } finally {
    await page.close();
  }
}

// ---- the tests ----

// Every module the package's entry points import, following relative
// static imports through the installed files.
function importedModules(dir, entries) {
  const found = new Set();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift();
    if (found.has(file)) continue;
    found.add(file);
    const text = readFileSync(path.join(dir, file), 'utf8');
    // Minified or not: `import{a as b}from"./x.mjs"`, `export*from"./y.mjs"`.
    for (const m of text.matchAll(/\b(?:import|export)\b[^'"]*?\bfrom\s*['"](\.\/[^'"]+)['"]/g)) {
      queue.push(path.posix.normalize(m[1]));
    }
  }
  return found;
}

test('the packed tarball holds only what it needs', () => {
  const files = pack.files.map((f) => f.path).sort();
  for (const f of PACKAGE_FILES) assert.ok(files.includes(f), `the tarball lacks ${f}`);
  const pkgDir = path.join(appDir, 'node_modules/milestone-engine');
  const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const modules = importedModules(
    pkgDir,
    [pkg.exports['.'].default, pkg.exports['.'].node].map((f) => f.slice(2)),
  );
  // Data the package documents: the JSON Schemas, the policy files
  // (docs/policies.md) and the message catalogs (docs/languages.md).
  const data = [
    /^schemas\/[a-z-]+\.schema\.json$/,
    /^policies\/[a-z-]+\.json$/,
    /^catalogs\/[a-z]{2}\.json$/,
  ];
  // Anything else is a stray: a test, a source map, a build file.
  const strays = files.filter(
    (f) => !PACKAGE_FILES.includes(f) && !modules.has(f) && !data.some((d) => d.test(f)),
  );
  assert.deepEqual(strays, [], 'files no entry point needs');
  assert.ok(files.filter((f) => f.startsWith('schemas/')).length >= 6, 'the JSON Schemas');
  assert.ok(files.includes('policies/upwork.json'), 'the default policy file');
  const kb = (n) => (n / 1024).toFixed(1);
  console.log(
    `# tarball ${pack.filename}: ${kb(pack.size)} KB packed, ${kb(pack.unpackedSize)} KB unpacked, ` +
      `${pack.entryCount} files`,
  );
  assert.ok(pack.size < 400 * 1024, `the tarball is ${kb(pack.size)} KB`);
});

test('plain Node ESM imports the tarball, and importing reads no window or document', () => {
  const result = JSON.parse(run(process.execPath, ['node.mjs'], { cwd: appDir }));
  assertChecks(result, 'node');
  assert.deepEqual(result.touchedByImport, []);
  assert.ok(result.exports.includes('createEngine'), result.exports.join(','));
  // The "node" export condition: the file that reads the wasm from disk.
  assert.match(result.resolved, /\/node_modules\/milestone-engine\/node\.mjs$/);
});

for (const name of BUNDLERS) {
  test(`${name}: the bundle validates a contract in Chromium, on the main thread and in a Worker`, async () => {
    const dir = path.join(outDir, name);
    const started = Date.now();
    await builders[name](dir);
    writeFileSync(
      path.join(dir, 'index.html'),
      '<!doctype html><meta charset="utf-8">' +
        '<meta name="milestone-worker" content="./worker.js"><title>bundle</title>' +
        '<script type="module" src="./main.js"></script>',
    );
    const emitted = listFiles(dir);
    const wasmFiles = emitted.filter((f) => f.endsWith('.wasm'));
    console.log(
      `# ${name}: built in ${Date.now() - started} ms; wasm emitted as ${wasmFiles.join(', ')}`,
    );
    assert.ok(wasmFiles.length >= 1, `${name} emitted no .wasm: ${emitted.join(', ')}`);
    const { answer, responses, messages } = await openBundle(name);
    const failed = responses.filter((r) => r.status >= 400);
    assert.deepEqual(failed, [], `failed requests; console: ${messages.join(' | ')}`);
    assert.deepEqual(answer.violations, [], 'CSP violations');
    assertChecks(answer.main, `${name} main thread`);
    assertChecks(answer.worker, `${name} worker`);
    const wasm = responses.filter((r) => new URL(r.url).pathname.endsWith('.wasm'));
    assert.ok(
      wasm.length >= 1 && wasm.every((r) => r.type === 'application/wasm'),
      JSON.stringify(wasm),
    );
  });
}

// Vite's dev server pre-bundles dependencies into .vite/deps/, where the
// wasm is not: the package's error says so and names the fix, and with the
// fix (docs/packaging.md) the dev server serves a working page and Worker.
test('vite dev server: pre-bundled, the error names the fix; with optimizeDeps.exclude, it works', async () => {
  const { createServer } = await import(pathToFileURL(require.resolve('vite')).href);
  writeFileSync(
    path.join(appDir, 'index.html'),
    '<!doctype html><meta charset="utf-8">' +
      '<meta name="milestone-worker" content="./worker.js"><title>dev</title>' +
      '<script type="module" src="./main.js"></script>',
  );
  for (const exclude of [false, true]) {
    const dev = await createServer({
      configFile: false,
      root: appDir,
      logLevel: 'silent',
      cacheDir: path.join(work, `vite-cache-${exclude}`),
      server: {
        host: '127.0.0.1',
        port: 0,
        hmr: false,
        headers: { 'Content-Security-Policy': CSP },
      },
      optimizeDeps: exclude ? { exclude: ['milestone-engine'] } : {},
    });
    await dev.listen();
    const page = await browser.newPage();
    try {
      await page.goto(`${dev.resolvedUrls.local[0]}index.html`, {
        waitUntil: 'load',
        timeout: 30_000,
      });
      await page.waitForFunction(() => window.__milestone !== undefined, null, { timeout: 30_000 });
      const answer = await page.evaluate(() => window.__milestone);
      if (exclude) {
        assertChecks(answer.main, 'vite dev, excluded: main thread');
        assertChecks(answer.worker, 'vite dev, excluded: worker');
      } else {
        for (const result of [answer.main, answer.worker]) {
          assert.match(result.error ?? '', /^WASM_LOAD_FAILED: /, JSON.stringify(result));
          assert.match(result.error, /optimizeDeps: \{ exclude: \['milestone-engine'\] \}/);
          assert.match(result.errorDetails.url, /\/deps\/milestone_wasm\.wasm$/);
        }
      }
    } finally {
      await page.close();
      await dev.close();
    }
  }
});

test('a wasm answered as HTML is one WASM_LOAD_FAILED error naming the URL, status, type and bytes', async () => {
  const { answer } = await openBundle('esbuild', '/html-wasm');
  for (const result of [answer.main, answer.worker]) {
    assert.match(result.error ?? '', /^WASM_LOAD_FAILED: /, JSON.stringify(result));
    const d = result.errorDetails;
    assert.equal(d.code, 'WASM_LOAD_FAILED');
    assert.equal(d.url, `${baseUrl}/html-wasm/esbuild/milestone_wasm.wasm`);
    assert.equal(d.status, 200);
    assert.match(d.contentType, /^text\/html/);
    assert.equal(d.firstBytes, '3c 21 64 6f 63 74 79 70');
    assert.match(result.error, /3c 21 64 6f/);
    assert.match(result.error, /html-wasm\/esbuild\/milestone_wasm\.wasm/);
    assert.doesNotMatch(result.error, /CompileError|magic word/i);
  }
});

test('Node: wasmResponse, wasmUrl, wasmBinary and wasmModule, and what each failure says', async () => {
  const pkgDir = path.join(appDir, 'node_modules/milestone-engine');
  const { createEngine } = await import(pathToFileURL(path.join(pkgDir, 'index.mjs')).href);
  const bytes = readFileSync(path.join(pkgDir, 'milestone_wasm.wasm'));
  const fromModule = await createEngine({ wasmModule: await WebAssembly.compile(bytes) });
  assert.equal(fromModule.formatMoney(1250), '$12.50');
  const fromBinary = await createEngine({ wasmBinary: new Uint8Array(bytes) });
  assert.equal(fromBinary.formatMoney(1), '$0.01');
  const fromUrl = await createEngine({ wasmUrl: `${baseUrl}/esbuild/milestone_wasm.wasm` });
  assert.equal(fromUrl.formatMoney(100), '$1.00');
  const fromFile = await createEngine({
    wasmUrl: pathToFileURL(path.join(pkgDir, 'milestone_wasm.wasm')),
  });
  assert.equal(fromFile.formatMoney(100), '$1.00');
  // A response started early, shared by the engines made from it.
  const early = fetch(`${baseUrl}/esbuild/milestone_wasm.wasm`);
  const [one, two] = await Promise.all([
    createEngine({ wasmResponse: early }),
    createEngine({ wasmResponse: early, locale: 'es' }),
  ]);
  assert.equal(one.formatMoney(100), '$1.00');
  assert.equal(two.formatMoney(100), '1,00\u00a0US$');
  const asWasm = new Response(bytes, { headers: { 'content-type': 'application/wasm' } });
  assert.equal((await createEngine({ wasmResponse: asWasm })).formatMoney(7), '$0.07');

  const rejects = async (options, check) => {
    await assert.rejects(createEngine(options), (error) => {
      assert.equal(error.code, 'WASM_LOAD_FAILED', error.message);
      check(error);
      return true;
    });
  };
  await rejects({ wasmUrl: `${baseUrl}/html-wasm/esbuild/milestone_wasm.wasm` }, (e) => {
    assert.equal(e.status, 200);
    assert.match(e.contentType, /text\/html/);
    assert.equal(e.firstBytes, '3c 21 64 6f 63 74 79 70');
  });
  await rejects({ wasmUrl: `${baseUrl}/nowhere/milestone_wasm.wasm` }, (e) => {
    assert.equal(e.status, 404);
    assert.match(e.message, /HTTP 404/);
    assert.match(e.message, /\/nowhere\/milestone_wasm\.wasm/);
  });
  await rejects({ wasmUrl: 'file:///nonexistent/milestone_wasm.wasm' }, (e) =>
    assert.match(e.message, /ENOENT/),
  );
  await rejects({ wasmBinary: new Uint8Array([0, 0x61, 0x73, 0x6d, 9, 9, 9, 9]) }, (e) =>
    assert.match(e.message, /do not compile/),
  );
  await rejects({ wasmBinary: new ArrayBuffer(0) }, (e) => assert.match(e.message, /0 bytes/));
  await rejects({ wasmBinary: 'milestone_wasm.wasm' }, (e) =>
    assert.match(e.message, /ArrayBuffer/),
  );
  await rejects({ wasmModule: bytes }, (e) => assert.match(e.message, /WebAssembly\.Module/));
  await rejects({ wasmUrl: 42 }, (e) => assert.match(e.message, /string or a URL/));
  await rejects({ wasmResponse: fetch(`${baseUrl}/html-wasm/esbuild/milestone_wasm.wasm`) }, (e) =>
    assert.match(e.firstBytes, /^3c 21/),
  );
  await rejects({ wasmResponse: bytes }, (e) => assert.match(e.message, /Response/));
  const read = new Response(bytes);
  await read.arrayBuffer();
  await rejects({ wasmResponse: read }, (e) => assert.match(e.message, /read already/));
  // A failed load is not cached: the default load still works afterwards.
  assert.equal((await createEngine()).formatMoney(5), '$0.05');
});

test("types: the tarball's index.d.ts under TypeScript, lib ESNext (`using`) and lib ES2022", () => {
  const tsc = require.resolve('typescript/bin/tsc');
  for (const [file, lib] of [
    ['using.ts', ['ESNext', 'DOM']],
    ['old-lib.ts', ['ES2022', 'DOM']],
  ]) {
    cpSync(path.join(here, 'types', file), path.join(appDir, file));
    const config = path.join(appDir, `tsconfig.${file}.json`);
    writeFileSync(
      config,
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'bundler',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          lib,
          types: [],
        },
        files: [file],
      }),
    );
    try {
      run(process.execPath, [tsc, '-p', config], { cwd: appDir });
    } catch (error) {
      assert.fail(`tsc ${file} (lib ${lib.join(', ')}):\n${error.stdout}${error.stderr}`);
    }
  }
});

test('sessions are disposable: Symbol.dispose, or Node 20\'s Symbol.for("nodejs.dispose")', async () => {
  const { createEngine } = await import(
    pathToFileURL(path.join(appDir, 'node_modules/milestone-engine/index.mjs')).href
  );
  const engine = await createEngine();
  const dispose = Symbol.dispose ?? Symbol.for('nodejs.dispose');
  const s = engine.openSession({}, {});
  assert.equal(typeof s[dispose], 'function');
  assert.equal(typeof s[Symbol.for('nodejs.dispose')], 'function', 'the name Node 20 uses');
  s[dispose]();
  assert.equal(s.disposed, true);
  s[dispose](); // twice is fine, as dispose() is
  assert.throws(() => s.issues, { code: 'SESSION_DISPOSED' });
  // What `using s = engine.openSession(...)` compiles to (TypeScript 5.2+).
  let inner;
  {
    const t = engine.openSession({}, {});
    inner = t;
    try {
      assert.equal(t.disposed, false);
    } finally {
      t[dispose]();
    }
  }
  assert.equal(inner.disposed, true);
});
