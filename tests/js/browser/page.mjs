import { runChecks } from './checks.mjs';

const violations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  violations.push(`${e.violatedDirective} ${e.blockedURI}`),
);

async function inWorker() {
  const worker = new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
  return new Promise((resolve) => {
    worker.onmessage = (e) => {
      resolve(e.data);
      worker.terminate();
    };
    worker.onerror = (e) => {
      resolve({ error: e.message || 'worker failed to start' });
      worker.terminate();
    };
  });
}

(async () => {
  let page;
  try {
    page = await runChecks();
  } catch (e) {
    page = { error: String((e && e.stack) || e) };
  }
  const worker = await inWorker();
  const seen = [...violations];
  // Proves the CSP is in force: eval is what it forbids.
  let evalBlocked = false;
  try {
    new Function('return 1')();
  } catch {
    evalBlocked = true;
  }
  window.__results = { page, worker, violations: seen, evalBlocked };
})();
