// The page's first step. index.html loads it as an async module, so it runs
// as soon as it arrives, before the rest of the page's modules are evaluated:
// it reads whom and what the page is for and asks the server for the contract
// with its view (the longest wait of opening the page), so that answer
// travels while the engine compiles and the page's code is evaluated.
import { createServer, demoToken } from './server.mjs';

const params = new URLSearchParams(location.search);
const ACTORS = ['client', 'freelancer', 'marketplace'];
export const actor = ACTORS.includes(params.get('as')) ? params.get('as') : ACTORS[0];
export const contractId = params.get('contract') || 'ctr-demo';
// The reference server's demo token for the actor; ?token= picks another.
const token = params.get('token') || demoToken(actor);

const base = createServer({ contractId, token, actor });
let early = base.contractView();
// Its failure (offline) is seen by whoever takes the answer: not reported twice.
early.catch(() => {});

export const server = {
  ...base,
  // The first call takes the answer already on its way; later ones ask again.
  contractView() {
    const answer = early ?? base.contractView();
    early = null;
    return answer;
  },
};
