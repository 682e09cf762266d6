#!/usr/bin/env node
// The JS package's speed, against SPEC 5's budgets: a keystroke in a session
// of a 1,000-milestone contract (median <= 20 us, p99 <= 100 us), a cold
// validate of a 1,000-milestone JS object (<= 2 ms) and the gzipped size of
// dist's js+wasm (<= 120 KB). A benchmark, not a test: it prints, and exits 0.
//
//   node tools/bench/js/bench.mjs [path/to/dist/milestone-engine]

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { loadavg, cpus } from 'node:os';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dist = path.resolve(process.argv[2] || path.join(root, 'dist/milestone-engine'));
const { createEngine } = await import(pathToFileURL(path.join(dist, 'index.mjs')).href);

function bigContract(n) {
  const milestones = [];
  for (let i = 0; i < n; i++) {
    const month = String(1 + (i % 12)).padStart(2, '0');
    milestones.push({
      id: `m-${i + 1}`,
      title: `Milestone ${i + 1}`,
      description: 'Work for this step of the project.',
      dueDate: `${2027 + Math.floor(i / 12)}-${month}-15`,
      amount: 10000 + i,
      state: i === 0 ? 'active' : 'not_funded',
      funded: i === 0 ? 10000 : 0,
      released: 0,
    });
  }
  return {
    id: 'ctr-bench',
    version: 1,
    currency: 'USD',
    status: 'open',
    initiationFee: 299,
    initiationFeeCharged: true,
    carryOver: 0,
    milestones,
    changeRequest: null,
  };
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const us = (ms) => `${(ms * 1000).toFixed(1)} us`;

const engine = await createEngine();
const contract = bigContract(1000);

// Cold validate: a fresh object each time, so nothing is cached anywhere.
const coldTimes = [];
for (let i = 0; i < 60; i++) {
  const fresh = bigContract(1000);
  const t0 = performance.now();
  const result = engine.validate(fresh, { now: '2026-11-27' });
  coldTimes.push(performance.now() - t0);
  if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 3)));
}
coldTimes.sort((a, b) => a - b);

// Keystrokes: typing into the title and the amount of milestone 500.
const session = engine.openSession(contract, { actor: 'client', now: '2026-11-27' });
const keystrokes = [];
const typed = 'Milestone five hundred, revised';
for (let round = 0; round < 400; round++) {
  for (let k = 1; k <= typed.length; k++) {
    const action =
      k % 4 === 0
        ? { type: 'edit', id: 'm-500', set: { amount: 10000 + round * 100 + k } }
        : { type: 'edit', id: 'm-500', set: { title: typed.slice(0, k) } };
    const t0 = performance.now();
    const r = session.apply(action);
    keystrokes.push(performance.now() - t0);
    if (!r.applied) throw new Error(JSON.stringify(r.issues));
  }
}
// Warm-up: the first keystrokes run before V8 has tiered the wasm up.
keystrokes.splice(0, 2000);
keystrokes.sort((a, b) => a - b);

const t0 = performance.now();
const draft = session.contract;
const contractFetch = performance.now() - t0;
const t1 = performance.now();
const issues = session.issues;
const issuesFetch = performance.now() - t1;
session.dispose();

const sizes = {};
for (const name of ['index.mjs', 'milestone_wasm.mjs', 'milestone_wasm.wasm']) {
  sizes[name] = gzipSync(readFileSync(path.join(dist, name)), { level: 9 }).length;
}
const gzTotal = Object.values(sizes).reduce((a, b) => a + b, 0);

const line = (label, value, budget, pass) =>
  console.log(
    `${label.padEnd(46)} ${value.padStart(12)}   budget ${budget.padEnd(10)} ${pass ? 'ok' : 'OVER'}`,
  );
console.log(`milestone-engine JS benchmark (${dist})`);
console.log(
  `load average ${loadavg()[0].toFixed(2)} on ${cpus().length} cores (timings stretch with load)`,
);
line(
  'session.apply keystroke, 1,000 milestones: median',
  us(percentile(keystrokes, 0.5)),
  '20 us',
  percentile(keystrokes, 0.5) <= 0.02,
);
line(
  'session.apply keystroke, 1,000 milestones: p99',
  us(percentile(keystrokes, 0.99)),
  '100 us',
  percentile(keystrokes, 0.99) <= 0.1,
);
line(
  'cold validate, 1,000-milestone object: median',
  `${percentile(coldTimes, 0.5).toFixed(3)} ms`,
  '2 ms',
  percentile(coldTimes, 0.5) <= 2,
);
line('gzipped dist js+wasm', `${(gzTotal / 1024).toFixed(1)} KB`, '120 KB', gzTotal <= 120 * 1024);
console.log(
  `  (${Object.entries(sizes)
    .map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} KB`)
    .join(', ')})`,
);
console.log(
  `s.contract after edits (lazy, ${draft.milestones.length} milestones): ${contractFetch.toFixed(3)} ms;` +
    ` s.issues (${issues.length}): ${issuesFetch.toFixed(3)} ms`,
);
