// The milestone editor: wiring only. early.mjs reads the page's address and
// asks for the contract first; the engine (engine.mjs) answers every
// question about the rules; edit.mjs keeps the draft, sync.mjs the outbox and
// the saved contract, server.mjs talks HTTP, store.mjs keeps things on the
// device, view.mjs owns the DOM, controller.mjs connects them.
import { actor, contractId, returning, server } from './early.mjs';
import { compileEngine, ENGINE_WASM, LANGUAGE, loadEngine, roleRefusalCode } from './engine.mjs';
import { fetchFile } from './server.mjs';
import { t } from './strings.mjs';
import * as store from './store.mjs';
import { Editor } from './edit.mjs';
import { Sync } from './sync.mjs';
import { View } from './view.mjs';
import { Controller } from './controller.mjs';

const view = new View({ actor, contractId, language: LANGUAGE });

async function main() {
  const sync = new Sync({
    server, // early.mjs has already asked it for the contract
    returning,
    store,
    key: store.keyOf(contractId, actor),
    contractId,
    on: {},
  });
  // The contract, its policy and view load while the engine compiles; the
  // engine is made under that policy.
  const loading = sync.load();
  const compiling = compileEngine(fetchFile(ENGINE_WASM), loading);
  const { engine, build } = await loadEngine(await compiling, (await loading).policy);
  await view.speak(engine.locale); // the page's words: the engine's language
  const controller = new Controller({
    engine,
    build,
    editor: new Editor(engine, actor),
    sync,
    view,
    actor,
    roleCode: roleRefusalCode,
  });
  sync.on = controller.syncEvents();
  controller.bind();
  if (await controller.start(loading)) registerServiceWorker();
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    const ready = await navigator.serviceWorker.ready;
    navigator.serviceWorker.addEventListener('message', (e) => {
      if (e.data?.type === 'updated') view.updateReady();
    });
    // Ask the worker to look for a newer page+engine only after this page
    // has loaded all of its own, so one page never mixes two versions.
    if (navigator.onLine) ready.active?.postMessage({ type: 'check-update' });
    view.offlineReady();
  } catch (error) {
    console.warn('Offline use is not available:', error);
  }
}

main().catch((error) => {
  console.error(error);
  view.fatal(t('page.failed', { error: error?.message ?? error }));
});
