// The one module that names the engine package. Everything the page knows
// about the rules — may I, why not, labels, figures, formatted amounts and
// dates — comes through the engine this returns (docs/view-model.md).
import * as pkg from '/dist/milestone-engine/index.mjs';

// The engine's wasm, fetched by the page (server.mjs) as soon as it starts,
// so the download overlaps the contract's.
export const ENGINE_WASM = '/dist/milestone-engine/milestone_wasm.wasm';

// The engine's sentences follow the browser's language (docs/languages.md);
// English, the engine's own, needs no catalog to be fetched.
function browserLocale() {
  const language = typeof navigator === 'object' && navigator ? navigator.language : '';
  return language && pkg.catalogLanguage(language) !== 'en' ? { locale: language } : {};
}

// The language the engine will choose in this browser, known before it is
// made, so the page's own words can be fetched meanwhile; `engine.locale`
// says what it chose.
export const LANGUAGE = pkg.catalogLanguage(browserLocale().locale ?? 'en');

// `response`: the wasm file's response (a promise). The package compiles it
// as its bytes arrive (`wasmResponse`), which also lets the browser cache the
// compiled code of a wasm its service worker serves; every engine made from
// this source shares that one module. The build is named by a digest of the
// wasm, which holds every rule, so the same build, policy, contract, actor and
// day always describe the same way (the controller keeps such views). While
// `waiting` (the contract's loading) is still pending, primes it.
export async function compileEngine(response, waiting) {
  let waited = false;
  waiting?.then(
    () => (waited = true),
    () => (waited = true),
  );
  const file = await response;
  const bytes = file.clone().arrayBuffer();
  const source = { wasmResponse: file };
  // Compiling and instantiating start now, whatever the page does next.
  const started = pkg.createEngine(source);
  started.catch(() => {});
  if (!waited) prime(started);
  let build = null;
  if (globalThis.crypto?.subtle) {
    const digest = await crypto.subtle.digest('SHA-256', await bytes);
    build = Array.from(new Uint8Array(digest).slice(0, 12), (b) =>
      b.toString(16).padStart(2, '0'),
    ).join('');
  }
  return { source, build };
}

// A small contract the engine is asked about once, while the real one is on
// its way: the wasm compiles each of its functions on the first call, and
// the first describe, session and keystroke on a thousand milestones would
// pay for it (a first session 35–60 ms instead of 15–25, a first edit 35 ms
// instead of 1, measured in Chromium). Its milestones are the engine's own
// adds; every answer is thrown away. Not done once the contract is there:
// then it would only come first (a return visit that reads its kept view
// back quickly).
async function prime(started) {
  try {
    const engine = await started;
    const [currency, { minimumAmount: amount }] = Object.entries(engine.policy.currencies)[0];
    const empty = {
      id: 'primer',
      version: 0,
      currency,
      status: 'open',
      initiationFeeCharged: false,
      carryOver: 0,
      milestones: [],
    };
    const added = engine.apply(
      empty,
      { type: 'add', milestone: { title: 'A', amount } },
      { actor: 'client' },
    );
    const contract = added.ok ? added.contract : empty;
    engine.describe(contract, { actor: 'client' });
    const session = engine.openSession(contract, { actor: 'client' });
    session.apply({ type: 'add', milestone: { title: 'B', amount } });
    for (const row of session.view.milestones ?? [])
      session.apply({ type: 'edit', id: row.id, set: { title: 'C' } });
    session.changes();
    session.changeset();
    session.dispose();
  } catch {
    // Only a head start: the real engine says what went wrong, if anything.
  }
}

// The engine under `policy`: the server's (GET /api/contracts/{id}/view, or
// the copy kept on this device), so the page offers exactly what the server
// will accept; none: the package's default (upwork).
export async function loadEngine({ source, build }, policy) {
  const engine = await pkg.createEngine({
    ...source,
    ...(policy ? { policy } : {}),
    ...browserLocale(),
  });
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
