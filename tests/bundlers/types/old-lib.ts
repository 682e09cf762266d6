// The same package seen from a project whose `lib` predates
// esnext.disposable (ES2022): index.d.ts still compiles, and a session is
// disposed through Symbol.dispose by hand.
import { createEngine } from 'milestone-engine';

export async function main(): Promise<boolean> {
  const engine = await createEngine({ wasmUrl: '/assets/milestone_wasm.wasm' });
  const session = engine.openSession({});
  session[Symbol.dispose]();
  return session.disposed;
}
