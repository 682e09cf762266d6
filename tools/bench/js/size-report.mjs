// The wasm's size by function and by feature, from the build's
// milestone_wasm.wasm and the symbol map emcc writes beside it
// (--emit-symbol-map: "index:name" per function). Function sizes are the
// bytes of each body in the code section; a feature is the functions whose
// qualified names match its pattern (the first that matches), so the figures say what
// each part of the engine costs before gzip.
//
//   node tools/bench/js/size-report.mjs [build/wasm/bindings/wasm]

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// First match wins: the escrow actions before the other actions, the JSON
// writers before the readers.
export const FEATURES = [
  ['JS binding (raw functions, answers)', /milestone::wasm::/],
  ['escrow (refunds, disputes, timers)', /Refund|Dispute|Escrow|Timer|ReleaseDue|RefundDue/],
  ['catalogs (languages)', /Catalog|Localize/],
  [
    'JSON writers (answers, documents)',
    /json_api|ToJson|ToValue|Write[A-Z]|Out::|WriteParams|json::Write/,
  ],
  ['JSON reader', /milestone::json::/],
  ['changesets (read, apply, invert)', /Change|Invert/],
  ['diff and reorder preview', /Diff|Moves|LongestIncreasing|Reorder|Patch/],
  [
    'reading documents and actions',
    /Read[A-Z]|ObjectReader|Reader::|KeepUnknown|WrongType|ParseJson/,
  ],
  ['document rules (validate)', /Check[A-Z]|Validate|LimitIssue|Ledger|SortDocumentOrder/],
  ['actions (check, apply)', /Applier|Apply|Guard|Admit|Judge|Action/],
  ['sessions (draft, undo)', /Session/],
  ['view model (describe)', /Describe|View|Row|Can[A-Z]|CanMembers/],
  ['policy, currencies, money', /Policy|Currency|Money|Amount/],
  ['dates, text, sentences', /Date|Text|Title|Utf8|Quote|Sentence|Said/],
  ['malloc (emmalloc)', /malloc|free|sbrk|claim_more_memory|attempt_allocate|emmalloc/],
  ['libc++, libc, runtime', /std::|__cxa|__cxxabiv1|embind|mem(cpy|set|move)|strlen|__wasm/],
];

function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at.p++];
    value += (byte & 127) * 2 ** shift;
    shift += 7;
  } while (byte & 128);
  return value;
}

// Section sizes and the body size of every defined function, by index.
function readWasm(bytes) {
  const at = { p: 8 };
  const sections = {};
  let imported = 0;
  const bodies = [];
  while (at.p < bytes.length) {
    const id = bytes[at.p++];
    const size = leb(bytes, at);
    const start = at.p;
    sections[id] = (sections[id] ?? 0) + size;
    if (id === 2) {
      for (let i = leb(bytes, at); i > 0; i--) {
        for (let name = 0; name < 2; name++) {
          const length = leb(bytes, at); // module name, then field name
          at.p += length;
        }
        const kind = bytes[at.p++];
        if (kind === 0) {
          leb(bytes, at);
          imported++;
        } else if (kind === 1) {
          at.p++;
          if (bytes[at.p++] & 1) (leb(bytes, at), leb(bytes, at));
          else leb(bytes, at);
        } else if (kind === 2) {
          if (bytes[at.p++] & 1) (leb(bytes, at), leb(bytes, at));
          else leb(bytes, at);
        } else if (kind === 3) {
          at.p += 2;
        } else {
          leb(bytes, at); // tag: attribute, type
        }
      }
    } else if (id === 10) {
      for (let i = leb(bytes, at); i > 0; i--) {
        const body = leb(bytes, at);
        bodies.push(body);
        at.p += body;
      }
    }
    at.p = start + size;
  }
  return { sections, imported, bodies };
}

// The symbol map's names are the wasm's: C++ signatures with \28, \20, …
// for the characters a wasm name section escapes.
const unescape = (name) =>
  name.replace(/\\([0-9a-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
const shorten = (name) =>
  name
    .replace(/std::__2::/g, 'std::')
    .replace(/std::basic_string<char, std::char_traits<char>, std::allocator<char> >/g, 'string')
    .replace(/std::basic_string_view<char, std::char_traits<char> >/g, 'string_view')
    .replace(/\(anonymous namespace\)::/g, '');

export function sizeReport(
  wasmPath,
  symbolsPath = `${wasmPath.replace(/\.wasm$/, '')}.mjs.symbols`,
) {
  const bytes = readFileSync(wasmPath);
  const { sections, imported, bodies } = readWasm(bytes);
  const names = new Map();
  for (const line of readFileSync(symbolsPath, 'utf8').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) names.set(Number(line.slice(0, colon)), unescape(line.slice(colon + 1)));
  }
  const functions = bodies.map((size, i) => ({
    size,
    name: shorten(names.get(i + imported) ?? `function ${i + imported}`),
  }));
  const code = functions.reduce((sum, f) => sum + f.size, 0);
  const features = new Map(FEATURES.map(([label]) => [label, { size: 0, count: 0 }]));
  features.set('other', { size: 0, count: 0 });
  for (const f of functions) {
    // The name before its parameter list: a parameter's type says nothing of
    // the feature (ReadContract takes a json::Value, it is not the reader).
    const head = f.name.split('(')[0];
    const match = FEATURES.find(([, pattern]) => pattern.test(head));
    const entry = features.get(match ? match[0] : 'other');
    entry.size += f.size;
    entry.count += 1;
  }
  return {
    bytes: bytes.length,
    gzipped: gzipSync(bytes, { level: 9 }).length,
    code,
    data: sections[11] ?? 0,
    functions: functions.length,
    largest: [...functions].sort((a, b) => b.size - a.size),
    features: [...features].map(([label, v]) => ({ label, ...v })).sort((a, b) => b.size - a.size),
  };
}

// Markdown lines: the feature table and the `top` largest functions.
export function sizeReportLines(report, top = 15) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const pct = (n) => `${((100 * n) / report.code).toFixed(1)} %`;
  const lines = [
    `The wasm: ${kb(report.bytes)} (${kb(report.gzipped)} gzipped), of which code ${kb(report.code)} in ${report.functions} functions and data (strings, tables) ${kb(report.data)}. What each part of the engine costs, in code bytes before gzip (functions grouped by name; tools/bench/js/size-report.mjs):`,
    '',
    '| feature | code | share | functions |',
    '|---|---:|---:|---:|',
    ...report.features
      .filter((f) => f.count > 0)
      .map((f) => `| ${f.label} | ${kb(f.size)} | ${pct(f.size)} | ${f.count} |`),
    '',
    `The ${top} largest functions:`,
    '',
    '| bytes | function |',
    '|---:|---|',
    ...report.largest
      .slice(0, top)
      .map((f) => `| ${f.size} | \`${f.name.slice(0, 110).replace(/\|/g, '\\|')}\` |`),
    '',
  ];
  return lines;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const dir = path.resolve(process.argv[2] ?? path.join(root, 'build/wasm/bindings/wasm'));
  console.log(sizeReportLines(sizeReport(path.join(dir, 'milestone_wasm.wasm')), 25).join('\n'));
}
