// The workloads of tools/bench/run, made in one place for both sides: the JS
// benchmark uses them as objects, and writeWorkloads() puts the same bytes in
// files for the native milestone_bench_workloads, so the wasm/native ratio
// compares like with like.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// The engine's policy allows 1,000 milestones; the 10,000 row needs more.
// Every row uses the same policy, on both sides.
export const POLICY = { maxMilestones: 10000 };
export const NOW = '2026-11-27';

// One released, one active (the one in flight), the rest future, due dates in
// order: a valid contract, so a validator does all of its work.
export function makeContract(n) {
  const milestones = [];
  for (let i = 0; i < n; i++) {
    const month = String(1 + (i % 12)).padStart(2, '0');
    const state = i === 0 ? 'released' : i === 1 ? 'active' : 'not_funded';
    const amount = 10000 + i;
    milestones.push({
      id: `m-${i + 1}`,
      title: `Milestone ${i + 1}`,
      description: 'Work for this step of the project.',
      dueDate: `${2027 + Math.floor(i / 12)}-${month}-15`,
      amount,
      state,
      funded: state === 'not_funded' ? 0 : amount,
      released: state === 'released' ? amount : 0,
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

// "Show Changes": 10 edits spread over the list (5 titles, 5 amounts) and 3
// moves among the future milestones (the first to the bottom, the last to the
// top, a middle one to a quarter). The fewest moves that explain it is 3.
export function makeAfter(before) {
  const after = structuredClone(before);
  const list = after.milestones;
  const n = list.length;
  for (let k = 0; k < 10; k++) {
    const m = list[Math.floor((k * n) / 10) + 2]; // skip the two closed/in-flight ones
    if (k % 2) m.amount += 100;
    else m.title += ' (revised)';
  }
  // Only not_funded milestones move (closed and in-flight ones stay first).
  const third = list.splice(2, 1)[0]; // m-3 to the bottom
  list.push(third);
  const last = list.splice(n - 2, 1)[0]; // m-n to the top of the future ones
  list.splice(2, 0, last);
  const mid = list.splice(Math.floor(n / 2), 1)[0]; // a middle one to a quarter
  list.splice(Math.floor(n / 4), 0, mid);
  return after;
}

// Typing a new title into the middle milestone, every fourth keystroke an
// amount edit instead (a different field, the amount rules).
export function makeKeystrokes(n, count) {
  const id = `m-${Math.floor(n / 2)}`;
  const typed = 'Milestone in the middle, revised';
  const out = [];
  for (let i = 0; i < count; i++) {
    const k = 1 + (i % typed.length);
    out.push(
      k % 4 === 0
        ? { type: 'edit', id, set: { amount: 10000 + (i % 977) * 100 } }
        : { type: 'edit', id, set: { title: typed.slice(0, k) } },
    );
  }
  return out;
}

export const KEYSTROKES = 3000;

export function writeWorkloads(dir, sizes) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'policy.json'), JSON.stringify(POLICY));
  for (const n of sizes) {
    const before = makeContract(n);
    writeFileSync(path.join(dir, `contract-${n}.json`), JSON.stringify(before));
    writeFileSync(path.join(dir, `after-${n}.json`), JSON.stringify(makeAfter(before)));
    const keys = makeKeystrokes(n, KEYSTROKES).map((a) => JSON.stringify(a));
    writeFileSync(path.join(dir, `keystrokes-${n}.json`), `[\n${keys.join(',\n')}\n]\n`);
  }
}
