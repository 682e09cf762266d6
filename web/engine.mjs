// The one module that names the engine package. Everything the page knows
// about the rules — may I, why not, labels, figures, formatted amounts and
// dates — comes through the engine this returns (docs/view-model.md).
import * as pkg from '/dist/milestone-engine/index.mjs';

// The engine's wasm, fetched by the page (server.mjs) as soon as it starts,
// so the download overlaps the contract's.
export const ENGINE_WASM = '/dist/milestone-engine/milestone_wasm.wasm';

// `bytes`: the wasm file. Answers the engine and its build: a digest of the
// wasm, which holds every rule, so the same build, contract, actor and day
// always describe the same way (the controller keeps such views).
// The engine's sentences follow the browser's language (docs/languages.md);
// English, the engine's own, needs no catalog to be fetched.
function browserLocale() {
  const language = typeof navigator === 'object' && navigator ? navigator.language : '';
  return language && pkg.catalogLanguage(language) !== 'en' ? { locale: language } : {};
}

export async function loadEngine(bytes) {
  const [engine, digest] = await Promise.all([
    pkg.createEngine({ wasmBinary: bytes, ...browserLocale() }),
    crypto.subtle.digest('SHA-256', bytes),
  ]);
  const build = Array.from(new Uint8Array(digest).slice(0, 12), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  return { engine, build };
}

// "Today" as the engine reads it when no `now` is given: the UTC date
// (docs/errors.md). The page passes it explicitly so a kept view names its day.
export function today() {
  return new Date().toISOString().slice(0, 10);
}

// The issue code (one of the package's `codes`) that means "your role never
// does this": controls refused for it are not shown at all; others are shown
// disabled, with the reason.
export const roleRefusalCode = 'NOT_ALLOWED_FOR_ROLE';
