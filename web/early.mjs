// The page's first step. index.html loads it as an async module, so it runs
// as soon as it arrives, before the rest of the page's modules are evaluated:
// it reads whom and what the page is for and asks the server for the
// contract (the longest wait of opening the page), so that answer travels
// while the engine compiles and the page's code is evaluated.
import { createServer, demoToken } from './server.mjs';

const params = new URLSearchParams(location.search);
const ACTORS = ['client', 'freelancer', 'marketplace'];
export const actor = ACTORS.includes(params.get('as')) ? params.get('as') : ACTORS[0];
export const contractId = params.get('contract') || 'ctr-demo';
// The reference server's demo token for the actor; ?token= picks another.
const token = params.get('token') || demoToken(actor);

const base = createServer({ contractId, token, actor });

// A page the service worker served has been opened on this device before and
// most likely kept the view of this contract (controller.mjs uses it when it
// is still of this contract, policy and day): it asks for the contract and
// the policy alone, a few per cent of the view's bytes. A first visit asks
// for the contract with the server's view of it.
export const returning = Boolean(globalThis.navigator?.serviceWorker?.controller);
const early = returning
  ? { contract: base.contract(), policy: base.policy() }
  : { contractView: base.contractView() };

export const server = { ...base };
for (const [name, answer] of Object.entries(early)) {
  // Its failure (offline) is seen by whoever takes the answer: not reported twice.
  answer.catch(() => {});
  let pending = answer;
  // The first call takes the answer already on its way; later ones ask again.
  server[name] = () => {
    const taken = pending ?? base[name]();
    pending = null;
    return taken;
  };
}
