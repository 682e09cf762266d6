// One semver version for the npm package, the CLI and the server: the
// project's, in the top CMakeLists.txt.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const server = process.env.MILESTONE_SERVER;
const version = /project\(milestone_engine VERSION (\d+\.\d+\.\d+)/.exec(
  readFileSync(path.join(root, 'CMakeLists.txt'), 'utf8'),
)[1];

test('the server, the CLI and the package say the same version', { skip: !server }, () => {
  assert.match(version, /^\d+\.\d+\.\d+$/);
  assert.equal(
    execFileSync(server, ['--version'], { encoding: 'utf8' }).trim(),
    `milestone_server ${version}`,
  );
  const cli = path.join(path.dirname(server), '..', 'milestone');
  if (existsSync(cli)) {
    assert.equal(
      execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim(),
      `milestone ${version}`,
    );
  }
  const pkg = path.join(root, 'dist/milestone-engine/package.json');
  if (existsSync(pkg)) assert.equal(JSON.parse(readFileSync(pkg, 'utf8')).version, version);
});
