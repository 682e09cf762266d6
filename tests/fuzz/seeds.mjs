// Writes a seed corpus for every fuzz target from tests/fixtures/: one file per
// case, its arguments separated by NUL bytes as tests/fuzz/fuzz_common.h reads
// them. Usage: node tests/fuzz/seeds.mjs OUTDIR (OUTDIR/<target>/<case>).
// The seeds are generated on every run and never committed.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(repo, 'tests/fixtures');
const out = path.resolve(process.argv[2] ?? path.join(repo, 'build/fuzz/corpus/seed'));
// Larger cases (the 5 MiB document) teach the fuzzer nothing a small one does not.
const MAX_SEED = 64 * 1024;

const NUL = Buffer.from([0]);
// Bytes as they are; text as UTF-8; anything else as its JSON (a Buffer given to
// JSON.stringify would become {"type":"Buffer","data":[...]}, not the document).
const text = (value) =>
  Buffer.isBuffer(value)
    ? value
    : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const join = (...parts) => Buffer.concat(parts.flatMap((p, i) => (i ? [NUL, text(p)] : [text(p)])));

// Mirrors tests/engine/fixture_loader.cc's generators (small sizes only).
const GENERATED_BASE =
  '{"id":"ctr-gen","version":1,"currency":"USD","status":"open",' +
  '"initiationFeeCharged":false,"carryOver":0,"milestones":[{"id":"m-1","title":"Only",' +
  '"amount":1000,"state":"not_funded","funded":0,"released":0}],"changeRequest":null';

// The document of a case as bytes, raw bytes included.
function documentOf(fixture) {
  if ('input' in fixture) return text(fixture.input);
  if ('inputText' in fixture) {
    if (!fixture.rawBytes) return text(fixture.inputText);
    const { placeholder, hex } = fixture.rawBytes;
    const parts = fixture.inputText.split(placeholder).map((p) => Buffer.from(p));
    const raw = Buffer.from(hex, 'hex');
    return Buffer.concat(parts.flatMap((p, i) => (i ? [raw, p] : [p])));
  }
  const { kind, depth, bytes } = fixture.generate;
  let doc = GENERATED_BASE;
  if (kind === 'deep') doc += `,"deep":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}`;
  else if (kind === 'size') doc += `,"padding":"${'x'.repeat(Math.min(bytes, 4096))}"`;
  return text(`${doc}}`);
}

const seeds = new Map(); // target -> [[name, Buffer]]
function seed(target, name, bytes) {
  if (bytes.length > MAX_SEED) return;
  if (!seeds.has(target)) seeds.set(target, []);
  seeds.get(target).push([name, bytes]);
}

function cases(folder) {
  return readdirSync(path.join(fixtures, folder))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [
      f.replace(/\.json$/, ''),
      JSON.parse(readFileSync(path.join(fixtures, folder, f), 'utf8')),
    ]);
}

const actors = ['client', 'freelancer', 'marketplace'];
for (const [name, c] of cases('validate')) {
  const doc = documentOf(c);
  const options = c.options ?? {};
  seed('validate', name, join(doc, options));
  seed(
    'describe',
    name,
    join(doc, { actor: actors[name.length % 3], now: '2026-11-27', ...options }),
  );
  seed(
    'check',
    name,
    join(doc, { type: 'edit', id: 'm-3', set: { amount: 1000 } }, { actor: 'client' }),
  );
  // Session: setup byte 8 (raw contract, client, no clock), then apply/issues/changeset calls.
  seed(
    'session',
    name,
    Buffer.concat([Buffer.from([8]), doc, NUL, Buffer.from([0, 1, 7, 2, 0x85, 7, 5, 6, 7])]),
  );
  seed('timers', name, join(doc, { now: '2026-12-15', ...options }));
  if (c.policy) seed('parse_policy', name, text(c.policy));
}
for (const [name, c] of cases('actions')) {
  const doc = documentOf(c);
  seed('check', name, join(doc, c.action, c.options ?? {}));
  seed('apply', name, join(doc, c.action, c.options ?? {}));
  // The escrow cases hold submission dates, refund requests and disputes: what
  // describe's escrow can entries and timers are about, as each actor sees it.
  seed('describe', `action-${name}`, join(doc, c.options ?? {}));
  seed('timers', `action-${name}`, join(doc, { now: c.options?.now ?? '2026-12-15' }));
  const actions = Array.isArray(c.action) ? c.action : [c.action];
  const freelancer = c.options?.actor === 'freelancer' ? 1 : 0;
  // Session: raw contract and raw actions (op 4 reads JSON up to a NUL), then issues/changeset.
  const ops = actions.flatMap((a) => [Buffer.from([4]), text(a), NUL]);
  seed(
    'session',
    `action-${name}`,
    Buffer.concat([
      Buffer.from([8 | freelancer | 2]),
      doc,
      NUL,
      ...ops,
      Buffer.from([7, 5, 7, 6, 7]),
    ]),
  );
  if (c.policy) seed('parse_policy', `action-${name}`, text(c.policy));
}
for (const [name, c] of cases('diff')) {
  const type = c.action?.type ?? 'diff';
  if (type === 'diff') {
    seed('diff', name, join(c.input.before, c.input.after));
    if (c.expect?.changes) {
      seed('apply_changes', name, join(c.input.before, c.expect.changes));
      seed('invert_changes', name, text(c.expect.changes));
    }
  } else if (type === 'applyChanges') {
    seed('apply_changes', name, join(c.input, c.action.changes));
    seed('invert_changes', name, text(c.action.changes));
  } else if (type === 'previewReorder') {
    seed(
      'preview_reorder',
      name,
      join(c.input, String(c.action.id), String(c.action.toIndex), c.options ?? {}),
    );
  }
}
const money = [
  '12',
  '12.5',
  '12.50',
  '$1,234.56',
  '0',
  '5.005',
  '1e2',
  'NaN',
  '-5',
  '5,00',
  '',
  ' ',
  '$',
  '12.',
  '.5',
  '9007199254740993',
  '90071992547409.92',
  '1,000,000.00',
];
money.forEach((m, i) => seed('parse_money', `money-${i}`, text(m)));
[
  '{}',
  '{"minimumAmount":1000}',
  '{"currency":"EUR","maxMilestones":3}',
  '{"initiationFee":-1}',
  '[]',
].forEach((p, i) => seed('parse_policy', `policy-${i}`, text(p)));
// Grammar-built sessions: a few fixed byte strings that open a contract and edit it.
[
  [0, 1, 3, 1, 0, 0, 0],
  [1, 4, 2, 1, 7, 0, 3, 7],
  [6, 5, 0, 2, 0x80, 1, 2, 2, 7, 5, 7],
].forEach((b, i) => seed('session', `grammar-${i}`, Buffer.from(b)));

rmSync(out, { recursive: true, force: true });
for (const [target, list] of seeds) {
  mkdirSync(path.join(out, target), { recursive: true });
  for (const [name, bytes] of list) writeFileSync(path.join(out, target, name), bytes);
}
console.log([...seeds].map(([t, l]) => `${t}: ${l.length}`).join(', '));
