// The package's types as a TypeScript 5.2+ project with lib ESNext sees them:
// the wasm options, the load error, and `using` on a session.
import { createEngine, type CreateEngineOptions, type WasmLoadError } from 'milestone-engine';

const fromCdn: CreateEngineOptions = { wasmUrl: 'https://cdn.example.com/milestone_wasm.wasm' };
const fromUrl: CreateEngineOptions = { wasmUrl: new URL('https://cdn.example.com/milestone_wasm.wasm') };
const fromBytes: CreateEngineOptions = { wasmBinary: new Uint8Array(8), policy: { minimumAmount: 1000 } };
const fromBuffer: CreateEngineOptions = { wasmBinary: new ArrayBuffer(8) };
// @ts-expect-error a number is not a wasm source
const wrongUrl: CreateEngineOptions = { wasmUrl: 42 };
// @ts-expect-error a policy is not a string of JSON
const wrongPolicy: CreateEngineOptions = { policy: '{"minimumAmount": 1}' };

export async function main(module: WebAssembly.Module): Promise<string> {
  const engine = await createEngine({ wasmModule: module });
  {
    using session = engine.openSession({}, { actor: 'client' });
    session.apply({ type: 'edit', id: 'm-1', set: { amount: 1000 } });
  }
  try {
    await createEngine(fromCdn);
  } catch (error) {
    const failed = error as WasmLoadError;
    const code: 'WASM_LOAD_FAILED' = failed.code;
    return `${code} ${failed.url ?? ''} ${failed.status ?? ''} ${failed.contentType ?? ''} ${failed.firstBytes ?? ''}`;
  }
  return [fromUrl, fromBytes, fromBuffer, wrongUrl, wrongPolicy].length.toString();
}
