// Plain Node ESM over the installed tarball: no bundler, no flags. Also the
// SSR promise: importing the package reads neither `window` nor `document`.
const touched = [];
for (const name of ['window', 'document']) {
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get() {
      touched.push(name);
      return undefined;
    },
  });
}
const pkg = await import('milestone-engine');
const touchedByImport = touched.slice();
for (const name of ['window', 'document']) delete globalThis[name];

const { runChecks } = await import('./checks.js');
const result = await runChecks('node');
result.touchedByImport = touchedByImport;
result.exports = Object.keys(pkg).sort();
result.resolved = import.meta.resolve('milestone-engine');
process.stdout.write(JSON.stringify(result));
