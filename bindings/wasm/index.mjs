// milestone-engine: the rules of fixed-price contract milestones, compiled to
// WebAssembly, as plain JS objects in and out. The same file runs in Node 20,
// a browser page and a Web Worker, under `script-src 'self' 'wasm-unsafe-eval'`.
//
// Everything here is transport: values become JSON text, text crosses into the
// engine, answers come back as objects. No rule is checked in JS; the engine
// is the one place for them. Ownership: the engine's and sessions' memory lives
// in wasm; sessions free theirs on dispose() (or, as a backstop, when garbage
// collected). Nothing else returned here needs freeing.

import createMilestoneModule from './milestone_wasm.mjs';
// Where the wasm comes from when no option says: a static
// `new URL('./milestone_wasm.wasm', import.meta.url)` bundlers can see and
// rewrite, read from disk in Node (load.mjs; node.mjs is Node's export).
import { defaultWasm, readLocal } from './load.mjs';

// Every issue code, generated from the engine's catalogue (milestone/codes.h).
export { codes } from './codes.mjs';

// ---- loading: one error that says what came back ----

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
const HINT =
  'Serve milestone_wasm.wasm next to index.mjs as application/wasm, or pass ' +
  'wasmUrl, wasmBinary or wasmModule to createEngine().';

function hex(bytes, count = 8) {
  return Array.from(bytes.subarray(0, count), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

// The Error createEngine rejects with when there is no wasm to run: code
// 'WASM_LOAD_FAILED', plus the URL, the HTTP status and content type, and the
// first bytes when they were not wasm's `00 61 73 6d`.
// Vite's dev server pre-bundles dependencies into .vite/deps/, away from
// their assets: the wasm URL then answers the page's HTML.
const PRE_BUNDLED = /\/\.vite\/|\/deps\/milestone_wasm\.wasm$/;
const VITE_HINT =
  ' Vite pre-bundled milestone-engine away from its wasm: add ' +
  "optimizeDeps: { exclude: ['milestone-engine'] } to the Vite config.";

function loadError(what, details = {}, cause) {
  const vite = typeof details.url === 'string' && PRE_BUNDLED.test(details.url) ? VITE_HINT : '';
  const error = new Error(
    `milestone-engine could not load its WebAssembly${what.startsWith(':') ? '' : ' '}${what}.${vite} ${HINT}`,
    cause === undefined ? undefined : { cause },
  );
  error.code = 'WASM_LOAD_FAILED';
  for (const [key, value] of Object.entries(details)) {
    if (value !== undefined) error[key] = value;
  }
  return error;
}

function asBytes(value) {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value))
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return null;
}

// Compiles `bytes`; anything that is not wasm is named by its first bytes.
async function compileBytes(bytes, from, details) {
  if (bytes.length < 4 || WASM_MAGIC.some((b, i) => bytes[i] !== b)) {
    const firstBytes = hex(bytes);
    const shown = bytes.length === 0 ? 'nothing (0 bytes)' : `bytes ${firstBytes}`;
    throw loadError(
      `${from}: it holds ${shown}, not wasm (which starts 00 61 73 6d)` +
        (/^3c/.test(firstBytes)
          ? '; that is text starting with "<", most likely an HTML page'
          : ''),
      { ...details, firstBytes, byteLength: bytes.length },
    );
  }
  try {
    return await WebAssembly.compile(bytes);
  } catch (error) {
    throw loadError(
      `${from}: the bytes start as wasm but do not compile (${error.message})`,
      { ...details, byteLength: bytes.length },
      error,
    );
  }
}

async function compileUrl(url) {
  const href = url.href;
  const local = await readLocal(url); // file: URLs in Node
  if (local) {
    if (local.error) {
      throw loadError(
        `from ${href}: the file cannot be read (${local.error.message})`,
        { url: href },
        local.error,
      );
    }
    return compileBytes(asBytes(local.bytes), `from ${href}`, { url: href });
  }
  if (typeof fetch !== 'function') {
    throw loadError(`from ${href}: there is no fetch() here`, { url: href });
  }
  let response;
  try {
    response = await fetch(href, { credentials: 'same-origin' });
  } catch (error) {
    throw loadError(`from ${href}: the request failed (${error.message})`, { url: href }, error);
  }
  return compileResponse(response, href);
}

// A fetched wasm file: compiled as its bytes arrive when served as
// application/wasm, else read and named like any other bytes.
async function compileResponse(given, href) {
  let response = given;
  const status = response.status;
  const contentType = response.headers.get('content-type') || '';
  const details = { url: href, status, contentType };
  const said = `the server answered HTTP ${status}${contentType ? ` (${contentType})` : ''}`;
  if (!response.ok) throw loadError(`from ${href}: ${said}`, details);
  // Served as application/wasm, the browser compiles while the bytes arrive;
  // when that fails, the copy is read and named like any other bytes.
  if (
    /^application\/wasm\b/i.test(contentType) &&
    typeof WebAssembly.compileStreaming === 'function'
  ) {
    const copy = response.clone();
    try {
      return await WebAssembly.compileStreaming(response);
    } catch {
      response = copy;
    }
  }
  let bytes;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw loadError(
      `from ${href}: ${said} but the body could not be read (${error.message})`,
      details,
      error,
    );
  }
  return compileBytes(bytes, `from ${href}: ${said}`, details);
}

function toUrl(value) {
  if (value instanceof URL) return value;
  const base =
    typeof location === 'object' && location !== null && typeof location.href === 'string'
      ? location.href
      : import.meta.url;
  try {
    return new URL(value, base);
  } catch (error) {
    throw loadError(
      `: wasmUrl ${JSON.stringify(value)} is not a URL`,
      { url: String(value) },
      error,
    );
  }
}

// options -> a compiled WebAssembly.Module, from the first of wasmResponse, wasmModule,
// wasmBinary, wasmUrl that is given, else from the package's own file.
async function compileWasm(source) {
  if (source.wasmResponse !== undefined) {
    const response = await source.wasmResponse;
    if (typeof Response !== 'function' || !(response instanceof Response)) {
      throw loadError(': wasmResponse must be a Response (from fetch) or a promise of one');
    }
    if (response.bodyUsed) throw loadError(': wasmResponse has been read already');
    return compileResponse(response, response.url || 'wasmResponse');
  }
  if (source.wasmModule !== undefined) {
    if (source.wasmModule instanceof WebAssembly.Module) return source.wasmModule;
    throw loadError(': wasmModule must be a WebAssembly.Module (from WebAssembly.compile)');
  }
  if (source.wasmBinary !== undefined) {
    const bytes = asBytes(source.wasmBinary);
    if (!bytes)
      throw loadError(": wasmBinary must be an ArrayBuffer or a typed array of the file's bytes");
    return compileBytes(bytes, 'from wasmBinary', {});
  }
  if (source.wasmUrl !== undefined) {
    if (typeof source.wasmUrl !== 'string' && !(source.wasmUrl instanceof URL)) {
      throw loadError(': wasmUrl must be a string or a URL');
    }
    return compileUrl(toUrl(source.wasmUrl));
  }
  return compileUrl(defaultWasm());
}

// The emcc module over a compiled WebAssembly.Module: the glue never fetches.
async function instantiate(compiled) {
  let failed;
  const failure = new Promise((resolve, reject) => {
    failed = reject;
  });
  const mod = createMilestoneModule({
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(compiled, imports).then(
        (instance) => receive(instance, compiled),
        (error) => failed(loadError(`: instantiating it failed (${error.message})`, {}, error)),
      );
      return {};
    },
  });
  return Promise.race([mod, failure]);
}

// One wasm instance per realm and source, shared by every engine created from
// it: the package's own file, or a given module, bytes or URL.
let defaultModule = null;
const byObject = new WeakMap();
const byUrl = new Map();

function loadModule(options) {
  const source = options !== null && typeof options === 'object' ? options : {};
  let cache = null;
  let key;
  if (
    source.wasmResponse !== undefined ||
    source.wasmModule !== undefined ||
    source.wasmBinary !== undefined
  ) {
    key = source.wasmResponse ?? source.wasmModule ?? source.wasmBinary;
    // A value that is not an object is refused by compileWasm: nothing to keep.
    if (typeof key !== 'object' || key === null) return compileWasm(source).then(instantiate);
    cache = byObject;
  } else if (source.wasmUrl !== undefined) {
    cache = byUrl;
    key = String(source.wasmUrl);
  }
  const hit = cache ? cache.get(key) : defaultModule;
  if (hit) return hit;
  const promise = compileWasm(source).then(instantiate);
  if (cache) cache.set(key, promise);
  else defaultModule = promise;
  // A failed load is not kept: the next createEngine tries again (a
  // response, whose body is read once, keeps its answer).
  promise.catch(() => {
    if (source.wasmResponse !== undefined) return;
    if (cache && cache.get(key) === promise) cache.delete(key);
    if (!cache && defaultModule === promise) defaultModule = null;
  });
  return promise;
}

// ---- errors: data never throws, programming errors do ----

function usageError(code, message) {
  const error = new Error(message);
  error.code = code;
  return error;
}

function issue(code, path, message, hint) {
  const out = { code, severity: 'error', path, message };
  if (hint) out.hint = hint;
  return out;
}

// A value JSON cannot express (a cycle, a BigInt, a throwing getter, nesting
// deeper than JS's own stack) is reported as the engine reports unreadable
// text.
function unencodable(path, what, error) {
  let reason = 'it cannot be written as JSON';
  const text = error && typeof error.message === 'string' ? error.message : '';
  if (/circular|cyclic/i.test(text)) reason = 'it refers to itself (a cycle)';
  else if (/BigInt/i.test(text)) reason = 'it holds a BigInt';
  else if (error instanceof RangeError) reason = 'it nests too deeply';
  return issue(
    'INVALID_JSON',
    path,
    `The ${what} cannot be read: ${reason}.`,
    `Pass a plain ${what} object.`,
  );
}

// -> string, or an issue object when the value cannot become JSON. A string
// is taken as JSON text already (a response body, a stored draft).
function encode(value, path, what) {
  if (typeof value === 'string') return value;
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
    // JSON has no such value: say what was missing rather than "end of text".
    return {
      issue: issue(
        'INVALID_JSON',
        path,
        `No ${what} was given (${typeof value}).`,
        `Pass the ${what} as a plain object.`,
      ),
    };
  }
  try {
    const text = JSON.stringify(value);
    return text === undefined ? '' : text;
  } catch (error) {
    return { issue: unencodable(path, what, error) };
  }
}

// "Today" is the UTC date, everywhere: here, in the CLI and on the server, so
// a draft the page accepts is judged on the same day the server re-checks it
// (docs/errors.md).
function today() {
  return new Date().toISOString().slice(0, 10);
}

// Options with `now` defaulted to today's UTC date. `now: null` (or '')
// means no clock: DUE_DATE_IN_PAST is then not checked.
function encodeOptions(options) {
  if (options === undefined || options === null) return JSON.stringify({ now: today() });
  try {
    // Inside the try: a revoked Proxy throws on any look, typeof aside.
    if (typeof options !== 'object' || Array.isArray(options)) {
      return encode(options, '/options', 'options');
    }
    let shaped = options;
    if (options.now === undefined) shaped = { ...options, now: today() };
    else if (options.now === '') shaped = { ...options, now: null };
    return encode(shaped, '/options', 'options');
  } catch (error) {
    return { issue: unencodable('/options', 'options', error) };
  }
}

// ---- the wire: strings into wasm memory, answers out ----

const SMALL_BUFFER = 64 * 1024;
const KEEP_LIMIT = 1024 * 1024;

class Wire {
  constructor(mod) {
    this.mod = mod;
    this.encoder = new TextEncoder();
    this.decoder = new TextDecoder();
    this.ptr = mod._alloc(SMALL_BUFFER);
    this.capacity = SMALL_BUFFER;
  }

  // Writes `strings` one after another into the input buffer; returns the
  // (pointer, length) pairs the raw functions take.
  put(strings) {
    let worst = 0;
    for (const s of strings) worst += s.length * 3;
    if (worst > this.capacity) {
      this.mod._free(this.ptr);
      this.capacity = Math.max(worst, SMALL_BUFFER);
      this.ptr = this.mod._alloc(this.capacity);
    }
    const args = [];
    let offset = 0;
    for (const s of strings) {
      // HEAPU8 is re-read: a previous call may have grown the memory.
      const view = this.mod.HEAPU8.subarray(this.ptr + offset, this.ptr + this.capacity);
      const { written } = this.encoder.encodeInto(s, view);
      args.push(this.ptr + offset, written);
      offset += written;
    }
    return args;
  }

  // After a large input the buffer goes back to malloc, so one 10 MB call
  // does not hold 30 MB for the rest of the page's life.
  shrink() {
    if (this.capacity > KEEP_LIMIT) {
      this.mod._free(this.ptr);
      this.ptr = this.mod._alloc(SMALL_BUFFER);
      this.capacity = SMALL_BUFFER;
    }
  }

  text(length) {
    if (length === 0) return '';
    const ptr = this.mod._resultPtr();
    const text = this.decoder.decode(this.mod.HEAPU8.subarray(ptr, ptr + length));
    if (length > KEEP_LIMIT) this.mod._releaseResult();
    return text;
  }

  // Calls raw function `name` with leading numbers, then the strings as
  // pointer pairs, then trailing numbers; returns the answer's text, or null
  // when the wasm side trapped.
  call(name, lead, strings, tail = []) {
    return this.callArranged(name, strings, (pairs) => [...lead, ...pairs, ...tail]);
  }

  // As call(), with `arrange` placing the pointer pairs among the arguments.
  callArranged(name, strings, arrange) {
    try {
      const length = this.mod[name](...arrange(this.put(strings)));
      return this.text(length);
    } catch {
      return null;
    } finally {
      this.shrink();
    }
  }
}

const INTERNAL = () =>
  issue(
    'INTERNAL',
    '',
    'The engine failed on this input.',
    'Report it with the input that caused it.',
  );

function parseAnswer(text, failure) {
  if (text === null) return failure([INTERNAL()]);
  return JSON.parse(text);
}

// ---- proxies: calling a method that does not exist throws with a code ----

// Looked up by await, JSON.stringify, test frameworks and inspectors; they
// must see `undefined`, not a throwing method.
const PROBED = new Set([
  'then',
  'toJSON',
  'asymmetricMatch',
  'nodeType',
  '$$typeof',
  'constructor',
  'inspect',
  'prototype',
  '__proto__',
]);

function guard(target, kind) {
  return new Proxy(target, {
    get(object, key) {
      if (typeof key === 'symbol' || key in object || PROBED.has(key)) {
        return Reflect.get(object, key, object);
      }
      return () => {
        throw usageError('UNKNOWN_METHOD', `${kind} has no method "${String(key)}".`);
      };
    },
    set(object, key) {
      throw usageError('READ_ONLY', `${kind}.${String(key)} cannot be set.`);
    },
  });
}

// Frees a session's draft if its owner dropped it without dispose().
const sessionCleanup =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry(({ mod, handle }) => {
        try {
          mod._closeSession(handle);
        } catch {
          /* gone */
        }
      })
    : null;

// ---- languages (docs/languages.md) ----

// One static `new URL('./catalogs/xx.json', import.meta.url)` per shipped
// language, for the reason load.mjs gives for the wasm: bundlers copy exactly
// what they can see. The wasm holds no sentences of its own but the English it
// writes without a catalog, which is what catalogs/en.json says too.
const catalogUrls = {
  en: () => new URL('./catalogs/en.json', import.meta.url),
  es: () => new URL('./catalogs/es.json', import.meta.url),
};

/** The shipped language `locale` ('es-MX', 'es_ES', 'fr') is written in: itself, its primary subtag, else 'en'. */
export function catalogLanguage(locale) {
  const tag = String(locale).split(/[.@]/)[0].replace(/_/g, '-').toLowerCase();
  if (Object.hasOwn(catalogUrls, tag)) return tag;
  const primary = tag.split('-')[0];
  return Object.hasOwn(catalogUrls, primary) ? primary : 'en';
}

const catalogTexts = new Map();

async function catalogText(language) {
  if (catalogTexts.has(language)) return catalogTexts.get(language);
  const url = catalogUrls[language]();
  const promise = (async () => {
    const local = await readLocal(url);
    if (local && local.error) throw local.error;
    if (local) return new TextDecoder().decode(local.bytes);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
    return response.text();
  })();
  catalogTexts.set(language, promise);
  promise.catch(() => catalogTexts.delete(language));
  return promise;
}

// ---- the engine ----

/**
 * Loads the engine. `policy` overrides any of the default (Upwork) policy's
 * numbers; a policy the engine cannot read rejects with an Error whose `code`
 * is 'POLICY' and whose `issues` say why. `locale` ('es', 'es-MX', navigator.language)
 * writes every message, hint and event sentence in that language from the
 * package's catalogs/, English for a language it does not ship; `catalog`
 * gives a catalog object instead (docs/languages.md).
 */
export async function createEngine(options = {}) {
  const given = options !== null && typeof options === 'object' ? options : {};
  let language = 'en';
  let catalogJson = '';
  if (given.catalog !== undefined && given.catalog !== null) {
    catalogJson = encode(given.catalog, '/catalog', 'catalog');
    if (typeof catalogJson !== 'string') {
      const error = usageError('SCHEMA', catalogJson.issue.message);
      error.issues = [catalogJson.issue];
      throw error;
    }
    language = String(given.catalog.locale || 'en');
  } else if (given.locale !== undefined && given.locale !== null) {
    language = catalogLanguage(given.locale);
    try {
      catalogJson = await catalogText(language);
    } catch (cause) {
      const error = usageError(
        'WASM_LOAD_FAILED',
        `The ${language} message catalog could not be loaded: ${cause && cause.message}`,
      );
      error.cause = cause;
      throw error;
    }
  }
  const mod = await loadModule(options);
  const wire = mod.milestoneWire || (mod.milestoneWire = new Wire(mod));
  const policy = options !== null && typeof options === 'object' ? options.policy : undefined;
  let policyText = '';
  if (policy !== undefined && policy !== null) {
    policyText = encode(policy, '/policy', 'policy');
    if (typeof policyText !== 'string') {
      const error = usageError('POLICY', policyText.issue.message);
      error.issues = [policyText.issue];
      throw error;
    }
  }
  const answer = parseAnswer(
    wire.call('_createEngine', [], [policyText, catalogJson]),
    (issues) => ({
      ok: false,
      issues,
    }),
  );
  if (!answer.ok) {
    const first = answer.issues[0];
    const error = usageError('POLICY', first ? first.message : 'The policy cannot be used.');
    error.issues = answer.issues;
    throw error;
  }
  return makeEngine(mod, wire, answer.handle, answer.policy, language);
}

function makeEngine(mod, wire, handle, policy, locale) {
  Object.freeze(policy);

  const failed = (issues) => ({ ok: false, issues });

  const engine = {
    /** The policy in force, every key filled in. */
    policy,
    /** The language of its sentences: 'en' or another shipped catalog's. */
    locale,

    validate(contract, options) {
      const c = encode(contract, '', 'contract');
      if (typeof c !== 'string') return failed([c.issue]);
      const o = encodeOptions(options);
      if (typeof o !== 'string') return failed([o.issue]);
      return parseAnswer(wire.call('_validate', [handle], [c, o]), failed);
    },

    check(contract, action, options) {
      const c = encode(contract, '', 'contract');
      if (typeof c !== 'string') return failed([c.issue]);
      const a = encode(action, '/action', 'action');
      if (typeof a !== 'string') return failed([a.issue]);
      const o = encodeOptions(options);
      if (typeof o !== 'string') return failed([o.issue]);
      return parseAnswer(wire.call('_check', [handle], [c, a, o]), failed);
    },

    apply(contract, action, options) {
      const fail = (issues) => ({ ok: false, contract: null, issues, events: [] });
      const c = encode(contract, '', 'contract');
      if (typeof c !== 'string') return fail([c.issue]);
      const a = encode(action, '/action', 'action');
      if (typeof a !== 'string') return fail([a.issue]);
      const o = encodeOptions(options);
      if (typeof o !== 'string') return fail([o.issue]);
      return parseAnswer(wire.call('_apply', [handle], [c, a, o]), fail);
    },

    previewReorder(contract, id, toIndex, options) {
      const fail = (issues) => ({
        ok: false,
        order: [],
        changes: [],
        issues,
        summary: [],
        allowedRange: { from: 0, to: -1 },
      });
      const c = encode(contract, '', 'contract');
      if (typeof c !== 'string') return fail([c.issue]);
      if (typeof id !== 'string') {
        return fail([
          issue(
            'SCHEMA',
            '/id',
            'The milestone to move must be named by its id, a string.',
            'Pass the id of the milestone being dragged.',
          ),
        ]);
      }
      const o = encodeOptions(options);
      if (typeof o !== 'string') return fail([o.issue]);
      // A non-number index is NaN, which the engine reports as SCHEMA.
      const index = typeof toIndex === 'number' ? toIndex : NaN;
      const text = wire.callArranged('_previewReorder', [c, id, o], (p) => [
        handle,
        p[0],
        p[1],
        p[2],
        p[3],
        index,
        p[4],
        p[5],
      ]);
      return parseAnswer(text, fail);
    },

    diff(before, after) {
      const fail = (issues) => ({ ok: false, changes: [], patch: [], summary: [], issues });
      const b = encode(before, '/before', 'contract');
      if (typeof b !== 'string') return fail([b.issue]);
      const a = encode(after, '/after', 'contract');
      if (typeof a !== 'string') return fail([a.issue]);
      return parseAnswer(wire.call('_diff', [handle], [b, a]), fail);
    },

    applyChanges(contract, changes) {
      const fail = (issues) => ({ ok: false, contract: null, issues });
      const c = encode(contract, '', 'contract');
      if (typeof c !== 'string') return fail([c.issue]);
      const ch = encode(changes, '/changes', 'list of changes');
      if (typeof ch !== 'string') return fail([ch.issue]);
      return parseAnswer(wire.call('_applyChanges', [handle], [c, ch]), fail);
    },

    invertChanges(changes) {
      const ch = encode(changes, '/changes', 'list of changes');
      if (typeof ch !== 'string') return failed([ch.issue]);
      return parseAnswer(wire.call('_invertChanges', [handle], [ch]), failed);
    },

    /** The view model of docs/view-model.md: what the actor may do and why not. */
    describe(contract, options) {
      const c = encode(contract, '', 'contract');
      if (typeof c !== 'string') return failed([c.issue]);
      const o = encodeOptions(options);
      if (typeof o !== 'string') return failed([o.issue]);
      return parseAnswer(wire.call('_describe', [handle], [c, o]), failed);
    },

    /**
     * The marketplace's running windows (SPEC 3.1): [{ milestoneId, kind,
     * due, daysLeft, action, message }], or { ok: false, issues } when the
     * contract cannot be read exactly. `now` defaults to today (UTC), as
     * everywhere; `now: null` is refused, since a window needs a clock.
     */
    timers(contract, options) {
      const c = encode(contract, '', 'contract');
      if (typeof c !== 'string') return failed([c.issue]);
      const o = encodeOptions(options);
      if (typeof o !== 'string') return failed([o.issue]);
      return parseAnswer(wire.call('_timers', [handle], [c, o]), failed);
    },

    /** `currency` (optional): a code of the policy; absent, the policy's first. */
    parseMoney(text, currency) {
      if (currency !== undefined && typeof currency !== 'string') {
        return failed([
          issue(
            'UNSUPPORTED_CURRENCY',
            '/currency',
            'The currency must be a code such as "USD".',
            "Pass one of the policy's currency codes, or leave it out.",
          ),
        ]);
      }
      if (typeof text !== 'string') {
        return failed([
          issue(
            'INVALID_AMOUNT',
            '',
            'An amount to read must be text, such as "12.50".',
            'Pass what the person typed, as a string.',
          ),
        ]);
      }
      return parseAnswer(wire.call('_parseMoney', [handle], [text, currency ?? '']), failed);
    },

    /**
     * The amount written in `currency` (optional: the policy's first); '' when
     * `amount` is not a safe integer count of minor units or the policy does
     * not allow the currency.
     */
    formatMoney(amount, currency) {
      let value = amount;
      if (typeof value === 'bigint') value = Number(value) === Number(amount) ? Number(value) : NaN;
      if (typeof value !== 'number') return '';
      if (currency !== undefined && typeof currency !== 'string') return '';
      const text = wire.call('_formatMoney', [handle, value], [currency ?? '']);
      if (typeof text !== 'string' || text === '') return '';
      try {
        return JSON.parse(text);
      } catch {
        return '';
      }
    },

    openSession(contract, options) {
      return openSession(mod, wire, handle, contract, options);
    },

    /** Wasm heap figures, for tests and diagnostics. */
    memoryUsage() {
      return parseAnswer(wire.call('_heapStats', [], []), failed);
    },
  };
  return guard(engine, 'engine');
}

// ---- sessions ----

// Symbol.dispose, for `using`; Node 20 names it Symbol.for('nodejs.dispose')
// where the runtime has none of its own.
const DISPOSE = typeof Symbol.dispose === 'symbol' ? Symbol.dispose : Symbol.for('nodejs.dispose');

function openSession(mod, wire, engineHandle, contract, options) {
  let opts = options;
  if (opts === undefined || opts === null) opts = {};
  const c = encode(contract, '', 'contract');
  let o = encodeOptions(opts);
  // A contract or options JSON cannot carry still opens a session, an unusable
  // one whose issues say why, so openSession itself never throws for data.
  let early = null;
  if (typeof c !== 'string') early = c.issue;
  else if (typeof o !== 'string') early = o.issue;
  const answer = parseAnswer(
    wire.call('_openSession', [engineHandle], [early ? 'null' : c, early ? '' : o]),
    () => ({ ok: false, handle: 0 }),
  );
  const handle = answer.handle;

  let disposed = false;
  let contractCache; // undefined: stale
  let issuesCache;
  let changesCache;
  let viewCache;
  const lastResort = early ? [early] : null;

  const live = () => {
    if (disposed)
      throw usageError('SESSION_DISPOSED', 'This session was disposed; open a new one.');
  };
  const stale = () => {
    contractCache = undefined;
    issuesCache = undefined;
    changesCache = undefined;
    viewCache = undefined;
  };
  const editFailed = (issues) => ({
    ok: false,
    applied: false,
    issues,
    touched: [],
    rows: [],
    removed: [],
  });
  const edit = (text) => {
    const result = parseAnswer(text, editFailed);
    if (result.applied) stale();
    return result;
  };

  const session = {
    /**
     * Applies one action (or an array, all or nothing) to the draft. Returns
     * what it touched: `{ ok, applied, issues, touched }`.
     */
    apply(action) {
      live();
      if (lastResort) return editFailed(lastResort);
      const a = encode(action, '/action', 'action');
      if (typeof a !== 'string') return editFailed([a.issue]);
      return edit(wire.call('_sessionApply', [handle], [a]));
    },

    /** The draft; fetched when read after a change, then cached. */
    get contract() {
      live();
      if (contractCache === undefined) {
        if (lastResort) return null;
        contractCache = parseAnswer(wire.call('_sessionContract', [handle], []), () => null);
      }
      return contractCache;
    },

    /** Every current issue of the draft. */
    get issues() {
      live();
      if (issuesCache === undefined) {
        if (lastResort) return lastResort.slice();
        issuesCache = parseAnswer(wire.call('_sessionIssues', [handle], []), (issues) => issues);
      }
      return issuesCache;
    },

    /** The view model of the draft (docs/view-model.md); cached until the next change. */
    get view() {
      live();
      if (lastResort) return { ok: false, issues: lastResort.slice() };
      if (viewCache === undefined) {
        viewCache = parseAnswer(wire.call('_sessionView', [handle], []), (issues) => ({
          ok: false,
          issues,
        }));
      }
      return viewCache;
    },

    /** The diff from the opened contract; cached until the next change. */
    changes() {
      live();
      const fail = (issues) => ({ ok: false, changes: [], patch: [], summary: [], issues });
      if (lastResort) return fail(lastResort);
      if (changesCache === undefined) {
        changesCache = parseAnswer(wire.call('_sessionChanges', [handle], []), fail);
      }
      return changesCache;
    },

    undo() {
      live();
      if (lastResort) return editFailed(lastResort);
      return edit(wire.call('_sessionUndo', [handle], []));
    },

    redo() {
      live();
      if (lastResort) return editFailed(lastResort);
      return edit(wire.call('_sessionRedo', [handle], []));
    },

    changeset() {
      live();
      const fail = (issues) => ({
        ok: false,
        issues,
        contractId: '',
        baseVersion: 0,
        actor: 'client',
        actions: [],
        summary: [],
      });
      if (lastResort) return fail(lastResort);
      return parseAnswer(wire.call('_sessionChangeset', [handle], []), fail);
    },

    /** Frees the draft. Using the session afterwards throws SESSION_DISPOSED. */
    dispose() {
      if (disposed) return;
      disposed = true;
      stale();
      if (sessionCleanup) sessionCleanup.unregister(token);
      try {
        mod._closeSession(handle);
      } catch {
        /* the module is gone */
      }
    },

    get disposed() {
      return disposed;
    },

    /** `using s = engine.openSession(...)` disposes at the end of the block. */
    [DISPOSE]() {
      session.dispose();
    },
  };
  const token = {};
  const guarded = guard(session, 'session');
  if (sessionCleanup) sessionCleanup.register(guarded, { mod, handle }, token);
  return guarded;
}
