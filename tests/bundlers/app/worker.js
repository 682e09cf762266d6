// The Worker's entry: the same checks, answered to the page.
import { runChecks } from './checks.js';

runChecks('worker').then((result) => self.postMessage(result));
