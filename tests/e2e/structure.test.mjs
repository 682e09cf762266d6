// The page's structure, checked from its files (no browser): no rule in the
// page, one module per responsibility, and the service worker's precache list
// made by the build from web/ (issue 12, items 1 and 2).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { dist, repo } from './helpers.mjs';

const web = path.join(repo, 'web');
// Every file of web/ and its folders (strings/), as paths relative to web/.
const files = readdirSync(web, { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile() && !d.name.startsWith('.'))
  .map((d) =>
    path
      .relative(web, path.join(d.parentPath ?? d.path, d.name))
      .split(path.sep)
      .join('/'),
  )
  .sort();
const source = (f) => readFileSync(path.join(web, f), 'utf8');
const scripts = files.filter((f) => /\.(mjs|js)$/.test(f));

test('no milestone state name, role table or rule sentence in web/', () => {
  const states = /(['"`])(not_funded|active|submitted|released|refunded)\1/;
  for (const f of files.filter((name) => /\.(mjs|js|html|css)$/.test(name))) {
    const lines = source(f).split('\n');
    lines.forEach((line, i) => {
      assert.doesNotMatch(line, states, `${f}:${i + 1} names a milestone state: ${line.trim()}`);
      // A role compared to decide what may be done is a role table.
      assert.doesNotMatch(
        line,
        /[!=]==?\s*(['"`])(client|freelancer|marketplace)\1|(['"`])(client|freelancer)\3\s*:/,
        `${f}:${i + 1} decides by role: ${line.trim()}`,
      );
      assert.doesNotMatch(
        line,
        /\.state\s*[!=]==/,
        `${f}:${i + 1} compares a state: ${line.trim()}`,
      );
      assert.doesNotMatch(
        line,
        /(funded|released)\s*-\s*\w+\.(released|funded)/,
        `${f}:${i + 1} does escrow arithmetic: ${line.trim()}`,
      );
      assert.doesNotMatch(
        line,
        /innerHTML|outerHTML|insertAdjacentHTML|document\.write/,
        `${f}:${i + 1}`,
      );
    });
  }
  // Rule sentences the page used to write itself.
  for (const f of scripts) {
    for (const phrase of [
      /Ending refunds/,
      /unused deposit/,
      /into escrow so work/,
      /cannot move above/,
      /STATE_LABELS/,
    ]) {
      assert.doesNotMatch(source(f), phrase, `${f} holds a rule sentence (${phrase})`);
    }
  }
});

test('one module names the engine, one talks to the server, only the view touches the DOM', () => {
  const importsEngine = scripts.filter((f) => /milestone-engine\//.test(source(f)));
  assert.deepEqual(importsEngine, ['engine.mjs']);
  const fetches = scripts.filter((f) => f !== 'sw.js' && /\bfetch\(/.test(source(f)));
  assert.deepEqual(fetches, ['server.mjs']);
  const dom = /\bdocument\.|getElementById|createElement|querySelector|\.append\(|classList/;
  for (const f of [
    'early.mjs',
    'edit.mjs',
    'sync.mjs',
    'server.mjs',
    'controller.mjs',
    'engine.mjs',
    'store.mjs',
    'strings.mjs',
  ]) {
    assert.doesNotMatch(source(f), dom, `${f} touches the DOM`);
  }
  // The view never calls the server nor applies an action.
  assert.doesNotMatch(source('view.mjs'), /\.apply\(|postChangeset|openSession|fetch\(/);
  // The edit and sync layers stay apart from each other's job.
  assert.doesNotMatch(source('edit.mjs'), /import .*(server|store|sync)|outbox|fetch/i);
  assert.doesNotMatch(source('sync.mjs'), /\.apply\(|openSession|undo|redo/);
  assert.ok(source('app.mjs').split('\n').length < 70, 'app.mjs is wiring');
});

test(
  'the precache list is the build’s, and names every file the page loads',
  { skip: !existsSync(path.join(dist, 'web-precache.json')) && 'dist not built' },
  () => {
    assert.doesNotMatch(source('sw.js'), /'\/app\.mjs'/, 'sw.js holds no hand-typed asset list');
    const list = JSON.parse(readFileSync(path.join(dist, 'web-precache.json'), 'utf8')).assets;
    const expected = files.filter((f) => f !== 'sw.js' && f !== 'index.html').map((f) => `/${f}`);
    for (const asset of [
      '/',
      ...expected,
      '/dist/milestone-engine/index.mjs',
      '/dist/milestone-engine/milestone_wasm.mjs',
      '/dist/milestone-engine/milestone_wasm.wasm',
    ]) {
      assert.ok(
        list.includes(asset),
        `precache list lacks ${asset} (rebuild: the list is made by the build)`,
      );
    }
    // Every module a module imports is in the list.
    for (const f of scripts) {
      for (const m of source(f).matchAll(/from '(\.\/[^']+|\/[^']+)'/g)) {
        const asset = m[1].startsWith('.')
          ? path.posix.join('/', path.posix.dirname(f), m[1])
          : m[1];
        assert.ok(list.includes(asset), `${f} imports ${asset}, which is not precached`);
      }
    }
  },
);

test(
  'the codes the page names are the package’s',
  { skip: !existsSync(path.join(dist, 'milestone-engine/index.mjs')) && 'dist not built' },
  async () => {
    const pkg = await import(path.join(dist, 'milestone-engine/index.mjs'));
    const named = [...source('engine.mjs').matchAll(/'([A-Z][A-Z_]+)'/g)].map((m) => m[1]);
    assert.ok(named.length > 0);
    const codes = Array.isArray(pkg.codes) ? pkg.codes : Object.values(pkg.codes ?? {});
    for (const code of named)
      assert.ok(codes.includes(code), `${code} is not in the package's codes`);
  },
);
