// The page's own words (strings/en.mjs, strings/xx.json), in the language of
// the engine's sentences: `speak(engine.locale)` once the engine has chosen
// it, so the page's frame and the engine's text are never in two languages
// (docs/languages.md, "The page's strings"). English is a module of the
// page's graph (preloaded with the others): nothing waits for it; another
// language is one JSON file, asked for once.
import en from './strings/en.mjs';
import { fetchFile } from './server.mjs';

let table = en;
let current = 'en';
const loading = new Map([['en', Promise.resolve(en)]]);

// The language the page writes in now ('en' until another is spoken).
export function language() {
  return current;
}

// Makes `lang` the page's language; answers it. A language whose file cannot
// be had (offline and never cached) leaves the page as it was.
export async function speak(lang) {
  if (!loading.has(lang)) {
    loading.set(
      lang,
      fetchFile(`/strings/${encodeURIComponent(lang)}.json`).then((response) => response.json()),
    );
  }
  try {
    table = await loading.get(lang);
    current = lang;
  } catch (error) {
    loading.delete(lang);
    console.warn(`The page's ${lang} strings could not be loaded:`, error);
  }
  return current;
}

// The text of `key` with its `{name}` params filled in; English when the
// language lacks the key (tests/e2e/strings.test.mjs keeps them complete).
export function t(key, params) {
  const text = table[key] ?? en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

// A word of a table by the value it names (`actor.client`): the value itself
// when no table has it (a role the page has no word for).
export function word(kind, value) {
  const key = `${kind}.${value}`;
  return Object.hasOwn(en, key) ? t(key) : String(value);
}
