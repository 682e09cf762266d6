// How milestone-engine finds its wasm in Node (package.json "imports" ->
// "#milestone-wasm", condition "node"): read from disk beside this file.
// Node's fetch() cannot read file: URLs, and the emcc glue is built for web
// and worker only, so the bytes are handed over already read.

import { readFile } from 'node:fs/promises';

export function defaultWasm() {
  return new URL('./milestone_wasm.wasm', import.meta.url);
}

// file: URLs are read from disk -> { bytes } or { error }; any other URL is
// left to fetch() (null).
export async function readLocal(url) {
  if (url.protocol !== 'file:') return null;
  try {
    return { bytes: await readFile(url) };
  } catch (error) {
    return { error };
  }
}
