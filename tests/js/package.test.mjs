// dist/milestone-engine is an npm package: `npm pack` works and the packed
// tarball imports from an empty folder through its "exports".

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { distDir } from './helpers.mjs';

test('package.json names its exports and types', () => {
  const pkg = JSON.parse(readFileSync(path.join(distDir, 'package.json'), 'utf8'));
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.types, './index.d.ts');
  assert.equal(pkg.exports['.'].import, './index.mjs');
  assert.equal(pkg.exports['.'].types, './index.d.ts');
  for (const file of pkg.files) assert.ok(existsSync(path.join(distDir, file)), file);
});

// The package's size budget (issue 14): every module it ships and the wasm,
// gzipped, without the catalogs (data beside the wasm, loaded per language).
test('js + wasm stay within 120 KB gzipped; the catalogs are counted apart', () => {
  const gz = (file) => gzipSync(readFileSync(path.join(distDir, file)), { level: 9 }).length;
  const shipped = [
    ...readdirSync(distDir).filter((f) => f.endsWith('.mjs')),
    'milestone_wasm.wasm',
  ];
  const total = shipped.reduce((sum, f) => sum + gz(f), 0);
  assert.ok(total <= 120 * 1024, `js + wasm are ${(total / 1024).toFixed(1)} KB gzipped`);
  const catalogs = readdirSync(path.join(distDir, 'catalogs')).filter((f) => f.endsWith('.json'));
  assert.deepEqual(catalogs.sort(), ['en.json', 'es.json']);
  for (const f of catalogs) assert.ok(gz(path.join('catalogs', f)) > 1024, `${f} is a catalog`);
});

test('npm pack, then import from an empty folder', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'milestone-pack-'));
  try {
    const out = execFileSync('npm', ['pack', distDir, '--pack-destination', work, '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tarball = path.join(work, JSON.parse(out)[0].filename);
    const app = path.join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(path.join(app, 'package.json'), '{"name":"app","private":true,"type":"module"}');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], {
      cwd: app,
      stdio: 'ignore',
    });
    writeFileSync(
      path.join(app, 'main.mjs'),
      `
      import { createEngine } from 'milestone-engine';
      const engine = await createEngine();
      console.log(JSON.stringify([engine.formatMoney(1250), engine.parseMoney('12.50').amount]));
    `,
    );
    const printed = execFileSync(process.execPath, ['main.mjs'], { cwd: app, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(printed), ['$12.50', 1250]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
