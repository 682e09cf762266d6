// Answers of the wasm package (dist/milestone-engine) for the Python tests:
// reads [{policy, method, args}] as JSON on stdin, prints the answers as JSON,
// one per request, in order. `method` is an engine method, or "changeset":
// args [contract, sessionOptions, edits] -> the session's changeset() after
// applying the edits, as the page would post it; "has": args [names] -> which
// methods this build of the package has.

import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.resolve(process.env.MILESTONE_DIST || path.join(root, 'dist/milestone-engine'));
const { createEngine } = await import(pathToFileURL(path.join(dist, 'index.mjs')).href);

let input = '';
for await (const chunk of process.stdin) input += chunk;
const requests = JSON.parse(input);

const engines = new Map();
async function engineFor(policy) {
  const key = JSON.stringify(policy ?? null);
  if (!engines.has(key)) engines.set(key, await createEngine(policy ? { policy } : {}));
  return engines.get(key);
}

const answers = [];
for (const { policy, method, args } of requests) {
  const engine = await engineFor(policy);
  if (method === 'has') {
    // The engine is a Proxy that answers unknown names with a thrower: ask `in`.
    answers.push(args.map((name) => name in engine));
  } else if (method === 'changeset') {
    const [contract, options, edits] = args;
    const session = engine.openSession(contract, options);
    const applied = edits.map((edit) => session.apply(edit).applied);
    answers.push({ applied, changeset: session.changeset() });
    session.dispose();
  } else {
    answers.push(engine[method](...args));
  }
}
process.stdout.write(JSON.stringify(answers));
