// How milestone-engine finds its wasm in browsers, Web Workers and bundles
// (package.json "imports" -> "#milestone-wasm", every condition but "node").
//
// The URL is written as a static `new URL('./milestone_wasm.wasm',
// import.meta.url)` on purpose: Vite, webpack 5 and Rollup's asset plugins
// recognise exactly this pattern, copy the file and rewrite the URL when they
// rename it (milestone_wasm-3f2a.wasm). A URL built from a variable is
// invisible to them and 404s after bundling.

export function defaultWasm() {
  return new URL('./milestone_wasm.wasm', import.meta.url);
}

// Browsers fetch every URL, file: ones included; nothing is read locally.
export async function readLocal() {
  return null;
}
