// The schema and OpenAPI tools, from this folder's own pinned dev
// dependencies (npm ci on first use): ajv's 2020-12 build, and the package's
// JSON Schemas loaded into it. Shared by schemas.test.mjs, openapi.test.mjs
// and tests/server/openapi-check.mjs.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const schemasDir = path.join(root, 'bindings/schemas');
// The schemas' $id is their file name, relative, so a $ref between them
// ("action.schema.json#/$defs/action") resolves both next to the file on disk
// and among schemas added to one Ajv by $id.
export const SCHEMA_BASE = '';

export function install() {
  const stamp = path.join(here, 'node_modules/.package-lock.json');
  const lock = path.join(here, 'package-lock.json');
  if (!existsSync(stamp) || statSync(lock).mtimeMs > statSync(stamp).mtimeMs) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
      cwd: here,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
    });
  }
  return createRequire(path.join(here, 'package.json'));
}

export function schemaFiles() {
  return readdirSync(schemasDir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort();
}

export function loadSchemas() {
  return Object.fromEntries(
    schemaFiles().map((f) => [
      f.replace('.schema.json', ''),
      JSON.parse(readFileSync(path.join(schemasDir, f), 'utf8')),
    ]),
  );
}

// -> an Ajv 2020-12 instance (strict) holding every schema under its $id.
export function makeAjv(require, options = {}) {
  const Ajv2020 = require('ajv/dist/2020').default;
  // strictRequired off: an if/then that requires members the outer schema
  // defines is intended (view.schema.json: the whole view when ok).
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, ...options });
  for (const schema of Object.values(loadSchemas())) ajv.addSchema(schema);
  return ajv;
}
