// The codes are one list: the C++ catalogue (milestone/codes.h) is the source;
// the package's `codes`, the `.d.ts` union, docs/rules.md and the fixtures must
// agree with it. Every rule code is produced by at least one fixture (the
// fixtures run on both targets), every code is documented.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadPackage } from './helpers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file) => readFileSync(path.join(root, file), 'utf8');

// [code, kind] in catalogue order, from the header's own table.
function catalogue() {
  const header = read('engine/include/milestone/codes.h');
  const value = new Map();
  for (const [, name, code] of header.matchAll(/const char (k\w+)\[\] = "([A-Z_]+)"/g))
    value.set(name, code);
  const entries = [...header.matchAll(/\{(k\w+), Kind::(k\w+)\}/g)].map(([, name, kind]) => [
    value.get(name),
    kind,
  ]);
  assert.equal(entries.length, value.size, 'every constant has a catalogue entry');
  return entries;
}

function fixtureCodes() {
  const seen = new Set();
  const dir = path.join(root, 'tests/fixtures');
  for (const folder of readdirSync(dir, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(path.join(dir, folder.name))) {
      if (!file.endsWith('.json')) continue;
      const text = readFileSync(path.join(dir, folder.name, file), 'utf8');
      const expect = JSON.parse(text).expect;
      for (const [, code] of JSON.stringify(expect ?? {}).matchAll(/"code":"([A-Z_]+)"/g))
        seen.add(code);
    }
  }
  return seen;
}

test('the package exports the catalogue, in its order', async () => {
  const { codes } = await loadPackage();
  assert.ok(Object.isFrozen(codes));
  assert.deepEqual(
    [...codes],
    catalogue().map(([code]) => code),
  );
});

test('the .d.ts types `code` as the union of the catalogue', () => {
  const dts = read('bindings/wasm/index.d.ts');
  const union = /export type Code =([^;]+);/.exec(dts);
  assert.ok(union, 'index.d.ts declares `type Code`');
  const listed = [...union[1].matchAll(/'([A-Z_]+)'/g)].map(([, c]) => c).sort();
  assert.deepEqual(
    listed,
    catalogue()
      .map(([code]) => code)
      .sort(),
  );
  assert.match(dts, /interface Issue \{\s*code: Code;/);
});

test('docs/rules.md documents every code', () => {
  const docs = read('docs/rules.md');
  const missing = catalogue().filter(([code]) => !new RegExp('\\| `' + code + '`').test(docs));
  assert.deepEqual(
    missing.map(([c]) => c),
    [],
  );
});

test('every rule code is produced by at least one fixture', () => {
  const seen = fixtureCodes();
  const rules = catalogue().filter(([, kind]) => kind !== 'kBinding' && kind !== 'kShell');
  const missing = rules.filter(([code]) => !seen.has(code));
  assert.deepEqual(
    missing.map(([c]) => c),
    [],
  );
  // And no fixture expects a code the catalogue does not have.
  const known = new Set(catalogue().map(([c]) => c));
  assert.deepEqual(
    [...seen].filter((c) => !known.has(c)),
    [],
  );
});

// The shells' codes come from the shells, not the rules: each is expected by
// the tests of the shell that sends it.
test('every shell code is expected by a test of its shell', () => {
  const all = ['tests/cli', 'tests/server', 'tests/bundlers']
    .flatMap((dir) =>
      readdirSync(path.join(root, dir))
        .filter((f) => f.endsWith('.mjs'))
        .map((f) => read(path.join(dir, f))),
    )
    .join('\n');
  const missing = catalogue().filter(
    ([code, kind]) => kind === 'kShell' && !all.includes(`'${code}'`) && !all.includes(`"${code}"`),
  );
  assert.deepEqual(
    missing.map(([c]) => c),
    [],
  );
});

test('the policy fixtures: createEngine rejects with POLICY exactly where the engine does', async () => {
  const { createEngine } = await loadPackage();
  const dir = path.join(root, 'tests/fixtures/policy');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const fixture = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    if (fixture.expect.ok) {
      const engine = await createEngine({ policy: fixture.policy });
      for (const [key, value] of Object.entries(fixture.expect.policy ?? {})) {
        assert.deepEqual(engine.policy[key], value, `${file}: ${key}`);
      }
    } else {
      await assert.rejects(createEngine({ policy: fixture.policy }), (error) => {
        assert.equal(error.code, 'POLICY', file);
        assert.deepEqual(
          error.issues.map((i) => [i.code, i.path]),
          fixture.expect.issues.map((i) => [i.code, i.path]),
          file,
        );
        return true;
      });
    }
  }
});
