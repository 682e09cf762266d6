// milestone-engine in Node (package.json "exports", condition "node"): the
// same API as index.mjs, with the wasm read from disk beside this file by a
// static fs import. Browsers and bundles get index.mjs, which fetches
// `new URL('./milestone_wasm.wasm', import.meta.url)` and never names fs.

import { readFile } from 'node:fs/promises';
import { useLocalReader } from './load.mjs';

useLocalReader(readFile);

export * from './index.mjs';
