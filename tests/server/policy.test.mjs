// The server's one policy (--policy FILE, docs/policies.md): an unusable
// policy stops the server with the POLICY finding naming the key; a shipped
// policy file starts it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const server = process.env.MILESTONE_SERVER;

test('an unusable policy stops the server and names the key', { skip: !server }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'milestone-policy-'));
  try {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ maxInFlight: 0 }));
    const run = spawnSync(server, ['--policy', file, '--db', path.join(dir, 'db'), '--seed-only'], {
      encoding: 'utf8',
      timeout: 20000,
    });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /POLICY \/policy\/maxInFlight/);
    const missing = spawnSync(server, ['--policy', path.join(dir, 'none.json'), '--seed-only'], {
      encoding: 'utf8',
      timeout: 20000,
    });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read the policy file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a shipped policy file is accepted', { skip: !server }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'milestone-policy-'));
  try {
    const run = spawnSync(
      server,
      [
        '--policy',
        path.join(root, 'engine/policies/parallel.json'),
        '--db',
        path.join(dir, 'db'),
        '--seed-only',
      ],
      { encoding: 'utf8', timeout: 20000 },
    );
    assert.equal(run.status, 0, run.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
