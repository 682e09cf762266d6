// Validates a server response against docs/openapi.yaml (OpenAPI 3.1), with
// ajv's 2020-12 build and the package's JSON Schemas (bindings/schemas). For
// the server tests:
//
//   import { checkResponse, assertResponse } from './openapi-check.mjs';
//   const problems = checkResponse('GET', '/api/contracts/ctr-demo', 200, body);  // [] when fine
//   assertResponse('POST', url, res.status, res.body);  // throws an Error listing them
//
// `path` may be a full URL (its query is ignored). A path the document does
// not have, under /api, must answer 404 with the error envelope; a method it
// does not list on a known path, 405 with the envelope. Paths outside /api
// (the static files) are not the API's and pass. ajv and the YAML reader come
// from tests/schemas/package.json (npm ci there on first use).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { install, makeAjv, root, SCHEMA_BASE } from '../schemas/deps.mjs';

const require = install();
const YAML = require('yaml');

export const openapiFile = path.join(root, 'docs/openapi.yaml');
export const openapi = YAML.parse(readFileSync(openapiFile, 'utf8'));

const ajv = makeAjv(require, { strict: false });
// Ids beside the package schemas' own (relative, no folder), so a relative
// $ref from a component resolves to them.
const COMPONENTS = 'openapi.components.';
const PACKAGE_REF = /^\.\.\/bindings\/schemas\/([a-z-]+\.schema\.json)(#.*)?$/;

// The document's $refs, as ajv names the same schemas.
function rewrite(node) {
  if (Array.isArray(node)) return node.map(rewrite);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      const pkg = PACKAGE_REF.exec(value);
      if (pkg) out.$ref = `${SCHEMA_BASE}${pkg[1]}${pkg[2] ?? ''}`;
      else if (value.startsWith('#/components/schemas/'))
        out.$ref = COMPONENTS + value.slice('#/components/schemas/'.length);
      else throw new Error(`openapi-check: unsupported $ref ${value}`);
    } else {
      out[key] = rewrite(value);
    }
  }
  return out;
}

for (const [name, schema] of Object.entries(openapi.components?.schemas ?? {})) {
  ajv.addSchema({ ...rewrite(schema), $id: COMPONENTS + name });
}

// '#/components/responses/X' -> the response object.
function resolveResponse(response) {
  if (response && response.$ref) {
    const name = response.$ref.replace('#/components/responses/', '');
    return openapi.components.responses[name];
  }
  return response;
}

const routes = Object.entries(openapi.paths).map(([template, item]) => {
  const pattern = new RegExp(
    `^${template
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '([^/]+)')}$`,
  );
  return { template, item, pattern };
});

const compiled = new Map();
function validatorFor(key, schema) {
  if (!compiled.has(key)) compiled.set(key, ajv.compile(rewrite(schema)));
  return compiled.get(key);
}

const errorValidator = () => validatorFor('Error', { $ref: '#/components/schemas/Error' });
const explain = (validate) =>
  (validate.errors || [])
    .slice(0, 8)
    .map((e) => `${e.instancePath || '/'} ${e.message}`)
    .join('; ');

/** -> a list of problems (strings); [] when the response is what the document says. */
export function checkResponse(method, urlOrPath, status, body) {
  const pathname = new URL(urlOrPath, 'http://127.0.0.1').pathname;
  const verb = String(method).toLowerCase() === 'head' ? 'get' : String(method).toLowerCase();
  if (pathname !== '/api' && !pathname.startsWith('/api/')) return [];
  const route = routes.find((r) => r.pattern.test(pathname));
  const where = `${method} ${pathname} -> ${status}`;
  const envelope = (expected) => {
    const problems = [];
    if (status !== expected) problems.push(`${where}: expected ${expected}`);
    const validate = errorValidator();
    if (!validate(body)) problems.push(`${where}: not the error envelope: ${explain(validate)}`);
    return problems;
  };
  if (!route) return envelope(404);
  const operation = route.item[verb];
  if (!operation) return envelope(405);
  const response = resolveResponse(
    operation.responses[String(status)] ?? operation.responses.default,
  );
  if (!response) {
    return [
      `${where}: status ${status} is not documented for ${verb.toUpperCase()} ${route.template}`,
    ];
  }
  const schema = response.content?.['application/json']?.schema;
  if (!schema) {
    // 304 and the like: no body.
    return body === undefined || body === null || body === ''
      ? []
      : [`${where}: a body where the document has none`];
  }
  if (String(method).toLowerCase() === 'head') return [];
  const validate = validatorFor(`${verb} ${route.template} ${status}`, schema);
  return validate(body) ? [] : [`${where}: ${explain(validate)}`];
}

/** Throws an Error (code OPENAPI_MISMATCH) naming every problem checkResponse finds. */
export function assertResponse(method, urlOrPath, status, body) {
  const problems = checkResponse(method, urlOrPath, status, body);
  if (problems.length > 0) {
    const error = new Error(
      `the response does not match docs/openapi.yaml:\n  ${problems.join('\n  ')}`,
    );
    error.code = 'OPENAPI_MISMATCH';
    error.problems = problems;
    throw error;
  }
}
