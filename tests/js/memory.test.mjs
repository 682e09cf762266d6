// Memory (SPEC 5): repeated calls must not grow the wasm heap. The bound: after
// a warm-up, 100,000 validate calls and 10,000 session open/edit/dispose
// cycles leave malloc's bytes in use within 64 KiB of where they started, and
// the wasm memory does not grow at all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage, sampleContract, bigContract, client, NOW } from './helpers.mjs';

const { createEngine } = await loadPackage();
const engine = await createEngine();
const SLACK = 64 * 1024;

function assertWithinBound(before, after, what) {
  assert.equal(after.heapBytes, before.heapBytes, `${what}: the wasm memory grew`);
  assert.ok(
    Math.abs(after.inUseBytes - before.inUseBytes) <= SLACK,
    `${what}: ${after.inUseBytes - before.inUseBytes} bytes more in use`,
  );
  assert.equal(after.sessions, before.sessions, `${what}: sessions left open`);
}

test('100,000 validate calls', () => {
  const good = sampleContract();
  const bad = sampleContract();
  bad.milestones[2].amount = 1;
  bad.milestones[3].title = '';
  for (let i = 0; i < 1000; i++) engine.validate(i % 2 ? good : bad, { now: NOW });
  const before = engine.memoryUsage();
  for (let i = 0; i < 100000; i++) {
    const r = engine.validate(i % 2 ? good : bad, { now: NOW });
    if (r.ok !== Boolean(i % 2)) assert.fail(`call ${i} answered ${JSON.stringify(r)}`);
  }
  assertWithinBound(before, engine.memoryUsage(), 'validate');
});

test('10,000 session open/edit/dispose cycles', () => {
  const contract = bigContract(20);
  const cycle = (i) => {
    const s = engine.openSession(contract, client);
    s.apply({ type: 'edit', id: 'm-3', set: { title: `Title ${i}` } });
    s.apply({ type: 'edit', id: 'm-4', set: { amount: i % 3 ? 100 : 20000 } });
    s.apply({ type: 'move', id: 'm-5', toIndex: 2 });
    s.apply({ type: 'add', milestone: { title: 'New', amount: 5000 } });
    if (i % 10 === 0) {
      s.undo();
      void s.contract;
      void s.issues;
      s.changes();
      s.changeset();
    }
    s.dispose();
  };
  for (let i = 0; i < 200; i++) cycle(i);
  const before = engine.memoryUsage();
  for (let i = 0; i < 10000; i++) cycle(i);
  assertWithinBound(before, engine.memoryUsage(), 'sessions');
});

test('one huge input does not keep its memory in use', () => {
  const before = engine.memoryUsage();
  const huge = sampleContract();
  huge.milestones[2].description = 'x'.repeat(3 * 1024 * 1024);
  engine.validate(huge, { now: NOW });
  engine.validate('x'.repeat(10 * 1024 * 1024));
  const after = engine.memoryUsage();
  // The memory may have grown to hold the input once; what malloc holds
  // afterwards must be back near where it was.
  assert.ok(
    after.inUseBytes - before.inUseBytes <= SLACK,
    `${after.inUseBytes - before.inUseBytes} bytes kept`,
  );
});

test(
  'a session dropped without dispose is freed once collected',
  { skip: typeof globalThis.gc !== 'function' && 'run node with --expose-gc' },
  async () => {
    const before = engine.memoryUsage().sessions;
    (() => {
      engine.openSession(bigContract(10), client);
    })();
    for (let i = 0; i < 10 && engine.memoryUsage().sessions > before; i++) {
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(engine.memoryUsage().sessions, before);
  },
);
