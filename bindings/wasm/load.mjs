// Where milestone-engine's wasm comes from when no option says (index.mjs).
//
// The URL is written as a static `new URL('./milestone_wasm.wasm',
// import.meta.url)` on purpose: Vite, webpack 5 and Rollup's asset plugin
// recognise exactly this pattern, copy the file and rewrite the URL when they
// rename it (milestone_wasm-3f2a.wasm). A URL built from a variable is
// invisible to them and 404s after bundling. Browsers and workers fetch it;
// Node reads file: URLs from disk (its fetch cannot).

export function defaultWasm() {
  return new URL('./milestone_wasm.wasm', import.meta.url);
}

const isNode =
  typeof process === 'object' &&
  process !== null &&
  typeof process.versions === 'object' &&
  process.versions !== null &&
  typeof process.versions.node === 'string';

// Set by node.mjs, the package's "node" export, with a static fs import.
let reader = null;
export function useLocalReader(read) {
  reader = read;
}

// index.mjs imported directly in Node (not through the package's "node"
// export, as the repository's own tests do) reads with
// process.getBuiltinModule (Node 20.16+): a plain call, which no bundler
// follows and no minifier turns into an import() a bundler would resolve.
function builtinReader() {
  const fs =
    isNode && typeof process.getBuiltinModule === 'function'
      ? process.getBuiltinModule('node:fs/promises')
      : null;
  if (!fs) {
    throw new Error(
      'this Node has no process.getBuiltinModule: import "milestone-engine" ' +
        '(its "node" export reads the file), or pass wasmBinary',
    );
  }
  return fs.readFile;
}

// file: URLs in Node -> { bytes } or { error }; anything else is left to
// fetch() (null).
export async function readLocal(url) {
  if (url.protocol !== 'file:' || (!reader && !isNode)) return null;
  try {
    const read = reader || builtinReader();
    return { bytes: await read(url) };
  } catch (error) {
    return { error };
  }
}
