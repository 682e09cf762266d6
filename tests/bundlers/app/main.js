// The page's entry: run the checks here, then in a module Worker (whose
// bundled file the page names in <meta name="milestone-worker">), and leave
// both answers on window.__milestone for the test.
import { runChecks } from './checks.js';

const violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push(`${e.violatedDirective} ${e.blockedURI}`);
});

async function inWorker() {
  const meta = document.querySelector('meta[name="milestone-worker"]');
  const url = new URL(meta.content, document.baseURI);
  return new Promise((resolve) => {
    const worker = new Worker(url, { type: 'module' });
    const timer = setTimeout(() => resolve({ where: 'worker', error: 'timed out' }), 20000);
    worker.onmessage = (e) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      clearTimeout(timer);
      resolve({ where: 'worker', error: `worker error: ${e.message}` });
    };
  });
}

window.__milestone = (async () => {
  const main = await runChecks('main');
  const worker = await inWorker();
  return { main, worker, violations };
})();
