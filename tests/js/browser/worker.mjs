import { runChecks } from './checks.mjs';

const violations = [];
self.addEventListener('securitypolicyviolation', (e) =>
  violations.push(`${e.violatedDirective} ${e.blockedURI}`),
);

runChecks().then(
  (results) => self.postMessage({ ...results, violations }),
  (e) => self.postMessage({ error: String((e && e.stack) || e), violations }),
);
