// The one module that names the engine package. Everything the page knows
// about the rules — may I, why not, labels, figures, formatted amounts and
// dates — comes through the engine this returns (docs/view-model.md).
import * as pkg from '/dist/milestone-engine/index.mjs';

export function loadEngine() {
  return pkg.createEngine();
}

// The issue code (one of the package's `codes`) that means "your role never
// does this": controls refused for it are not shown at all; others are shown
// disabled, with the reason.
export const roleRefusalCode = 'NOT_ALLOWED_FOR_ROLE';
