// The page's own words (web/strings/), checked from the files (no browser):
// every language has exactly English's keys, names no `{param}` English does
// not give, and index.html's English is English's; every key the page's code
// asks for exists. The page in Spanish is tests/e2e/languages.test.mjs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repo } from './helpers.mjs';

const web = path.join(repo, 'web');
const en = (await import(pathToFileURL(path.join(web, 'strings/en.mjs')))).default;
const languages = readdirSync(path.join(web, 'strings'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    file: `web/strings/${f}`,
    lang: f.slice(0, -'.json'.length),
    strings: JSON.parse(readFileSync(path.join(web, 'strings', f), 'utf8')),
  }));
const paramsOf = (text) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));

test('English is a table of non-empty strings', () => {
  assert.ok(Object.keys(en).length > 50);
  for (const [key, text] of Object.entries(en)) {
    assert.match(key, /^[a-z]+\.[A-Za-z]+$/, `key ${key}`);
    assert.equal(typeof text, 'string', key);
    assert.ok(text.trim().length > 0, `${key} is empty`);
  }
});

test('Spanish is shipped', () => {
  assert.ok(languages.some((l) => l.lang === 'es'));
});

for (const { file, strings } of languages) {
  test(`${file} has exactly the keys of strings/en.mjs`, () => {
    const missing = Object.keys(en).filter((key) => !Object.hasOwn(strings, key));
    const extra = Object.keys(strings).filter((key) => !Object.hasOwn(en, key));
    assert.deepEqual(missing, [], `${file} lacks keys English has`);
    assert.deepEqual(extra, [], `${file} has keys English does not have`);
    for (const [key, text] of Object.entries(strings)) {
      assert.equal(typeof text, 'string', `${file} ${key}`);
      assert.ok(text.trim().length > 0, `${file} ${key} is empty`);
    }
  });

  test(`${file} names no {param} English does not give`, () => {
    for (const [key, text] of Object.entries(strings)) {
      if (!Object.hasOwn(en, key)) continue;
      const given = paramsOf(en[key]);
      for (const name of paramsOf(text))
        assert.ok(given.has(name), `${file} ${key} names {${name}}, which English does not have`);
    }
  });
}

test('index.html’s words are English’s, by their keys', () => {
  const html = readFileSync(path.join(web, 'index.html'), 'utf8');
  const texts = [...html.matchAll(/<(\w+)[^>]*\sdata-t="([^"]+)"[^>]*>([^<]*)<\/\1>/g)];
  const labels = [...html.matchAll(/aria-label="([^"]*)"[^>]*\sdata-t-label="([^"]+)"/g)];
  assert.equal(
    texts.length,
    (html.match(/\sdata-t="/g) ?? []).length,
    'a data-t element holds only text',
  );
  assert.equal(labels.length, (html.match(/\sdata-t-label="/g) ?? []).length);
  assert.ok(texts.length > 30);
  for (const [, , key, text] of texts) {
    assert.ok(Object.hasOwn(en, key), `index.html names ${key}, which English does not have`);
    assert.equal(text.replace(/\s+/g, ' ').trim(), en[key], `index.html's ${key}`);
  }
  for (const [, label, key] of labels) {
    assert.ok(Object.hasOwn(en, key), `index.html names ${key}, which English does not have`);
    assert.equal(label, en[key], `index.html's ${key}`);
  }
});

test('every key the page’s modules ask for is English’s', () => {
  const modules = readdirSync(web).filter((f) => f.endsWith('.mjs'));
  let asked = 0;
  for (const f of modules) {
    const source = readFileSync(path.join(web, f), 'utf8');
    for (const [, key] of source.matchAll(/\bt\('([^']+)'/g)) {
      asked++;
      assert.ok(Object.hasOwn(en, key), `${f} asks for ${key}, which English does not have`);
    }
    // A key made from a value (`field.${field}`, word('actor', by)) names a table.
    for (const [, table] of [
      ...source.matchAll(/\bt\(`([a-z]+)\.\$\{/g),
      ...source.matchAll(/\bword\('([a-z]+)'/g),
    ]) {
      assert.ok(
        Object.keys(en).some((key) => key.startsWith(`${table}.`)),
        `${f} asks for the ${table} table, which English does not have`,
      );
    }
  }
  assert.ok(asked > 80, `${asked} keys asked for`);
});
