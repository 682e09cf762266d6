// The hostile corpus: values no caller should send, which must each come back
// as `ok: false` with a coded issue, never as a throw, a hang or a broken
// module. hostile.test.mjs sends every entry through every entry point.

import { sampleContract } from './helpers.mjs';

const TEN_MB = 10 * 1024 * 1024;

function nest(depth, make) {
  let value = 0;
  for (let i = 0; i < depth; i++) value = make(value);
  return value;
}

function cyclicObject() {
  const o = sampleContract();
  o.milestones[0].parent = o;
  return o;
}

function cyclicArray() {
  const a = [];
  a.push(a);
  return a;
}

function withMilestone(change) {
  const c = sampleContract();
  change(c.milestones[2], c);
  return c;
}

function with_(change) {
  const c = sampleContract();
  change(c);
  return c;
}

// Values that are not a contract, an action or a list of changes at all.
// `make` builds a fresh value per use (some are large or stateful).
export const notDocuments = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['true', () => true],
  ['false', () => false],
  ['zero', () => 0],
  ['negative zero', () => -0],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['-Infinity', () => -Infinity],
  ['2^53 + 2', () => 2 ** 53 + 2],
  ['a float', () => 1.5],
  ['a BigInt', () => 10n],
  ['a Symbol', () => Symbol('contract')],
  ['a function', () => () => 1],
  ['a class', () => class Contract {}],
  ['an array of numbers', () => [1, 2, 3]],
  ['an array of contracts', () => [sampleContract()]],
  ['an empty object', () => ({})],
  ['a Date', () => new Date(0)],
  ['a RegExp', () => /contract/],
  ['a Map', () => new Map([['id', 'ctr-1']])],
  ['a Set', () => new Set([1])],
  ['a Promise', () => Promise.resolve(sampleContract())],
  ['a Uint8Array', () => new Uint8Array(16)],
  ['an ArrayBuffer', () => new ArrayBuffer(8)],
  ['an Error', () => new Error('boom')],
  ['a null-prototype object', () => Object.create(null)],
  ['a cyclic object', cyclicObject],
  ['a cyclic array', cyclicArray],
  ['objects nested 2,000 deep', () => nest(2000, (v) => ({ v }))],
  ['arrays nested 2,000 deep', () => nest(2000, (v) => [v])],
  ['arrays nested 200,000 deep', () => nest(200000, (v) => [v])],
  ['a 10 MB string', () => 'x'.repeat(TEN_MB)],
  ['a 10 MB JSON string literal', () => `"${'x'.repeat(TEN_MB)}"`],
  [
    'a 10 MB title',
    () =>
      withMilestone((m) => {
        m.title = 'x'.repeat(TEN_MB);
      }),
  ],
  ['a lone high surrogate', () => '\ud800'],
  ['a lone low surrogate', () => '\udc00'],
  ['an empty string', () => ''],
  ['white space', () => ' \n\t '],
  ['the text null', () => 'null'],
  ['the text []', () => '[]'],
  ['the text NaN', () => 'NaN'],
  ['a NUL byte', () => '\u0000'],
  ['broken JSON', () => '{"id": "ctr-1",'],
  ['duplicate keys', () => '{"id": "a", "id": "b"}'],
  ['JSON 33 deep', () => `${'['.repeat(33)}${']'.repeat(33)}`],
  [
    'a throwing toJSON',
    () => ({
      toJSON() {
        throw new Error('no');
      },
    }),
  ],
  [
    'a throwing getter',
    () =>
      Object.defineProperty({}, 'id', {
        enumerable: true,
        get() {
          throw new Error('no');
        },
      }),
  ],
  [
    'a Proxy whose ownKeys throws',
    () =>
      new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('no');
          },
        },
      ),
  ],
  [
    'a revoked Proxy',
    () => {
      const p = Proxy.revocable({}, {});
      p.revoke();
      return p.proxy;
    },
  ],
  ['a BigInt inside', () => ({ id: 'ctr-1', version: 1n })],
  [
    '10,000 unknown keys',
    () => Object.fromEntries(Array.from({ length: 10000 }, (_, i) => [`k${i}`, i])),
  ],
  ['an array of 100,000 nulls', () => new Array(100000).fill(null)],
];

// Contracts that look like contracts but are not valid ones.
export const badContracts = [
  [
    'amount NaN',
    () =>
      withMilestone((m) => {
        m.amount = NaN;
      }),
  ],
  [
    'amount Infinity',
    () =>
      withMilestone((m) => {
        m.amount = Infinity;
      }),
  ],
  [
    'amount -Infinity',
    () =>
      withMilestone((m) => {
        m.amount = -Infinity;
      }),
  ],
  [
    'amount 1.5',
    () =>
      withMilestone((m) => {
        m.amount = 1.5;
      }),
  ],
  [
    'amount 2^53 + 2',
    () =>
      withMilestone((m) => {
        m.amount = 2 ** 53 + 2;
      }),
  ],
  [
    'amount as text',
    () =>
      withMilestone((m) => {
        m.amount = '500';
      }),
  ],
  [
    'amount null',
    () =>
      withMilestone((m) => {
        m.amount = null;
      }),
  ],
  [
    'amount a BigInt',
    () =>
      withMilestone((m) => {
        m.amount = 500n;
      }),
  ],
  [
    'amount negative',
    () =>
      withMilestone((m) => {
        m.amount = -500;
      }),
  ],
  [
    'funded NaN',
    () =>
      withMilestone((m) => {
        m.funded = NaN;
      }),
  ],
  [
    'carryOver Infinity',
    () =>
      with_((c) => {
        c.carryOver = Infinity;
      }),
  ],
  [
    'initiationFee 0.5',
    () =>
      with_((c) => {
        c.initiationFee = 0.5;
      }),
  ],
  [
    'version -1',
    () =>
      with_((c) => {
        c.version = -1;
      }),
  ],
  [
    'version NaN',
    () =>
      with_((c) => {
        c.version = NaN;
      }),
  ],
  [
    'milestones not an array',
    () =>
      with_((c) => {
        c.milestones = {};
      }),
  ],
  [
    'milestones missing',
    () =>
      with_((c) => {
        delete c.milestones;
      }),
  ],
  [
    'a milestone that is a number',
    () =>
      with_((c) => {
        c.milestones[2] = 7;
      }),
  ],
  [
    'a milestone that is null',
    () =>
      with_((c) => {
        c.milestones[2] = null;
      }),
  ],
  [
    'a hole in milestones',
    () =>
      with_((c) => {
        c.milestones.length = 6;
      }),
  ],
  [
    'title missing',
    () =>
      withMilestone((m) => {
        delete m.title;
      }),
  ],
  [
    'title a number',
    () =>
      withMilestone((m) => {
        m.title = 5;
      }),
  ],
  [
    'title blank',
    () =>
      withMilestone((m) => {
        m.title = '   ';
      }),
  ],
  [
    'title with a lone surrogate',
    () =>
      withMilestone((m) => {
        m.title = 'Launch \ud800';
      }),
  ],
  [
    'title with a control character',
    () =>
      withMilestone((m) => {
        m.title = 'Launch\u0007';
      }),
  ],
  [
    'title 256 code points',
    () =>
      withMilestone((m) => {
        m.title = '😀'.repeat(256);
      }),
  ],
  [
    'description 5,001 characters',
    () =>
      withMilestone((m) => {
        m.description = 'd'.repeat(5001);
      }),
  ],
  [
    'dueDate Feb 30',
    () =>
      withMilestone((m) => {
        m.dueDate = '2027-02-30';
      }),
  ],
  [
    'dueDate a Date object',
    () =>
      withMilestone((m) => {
        m.dueDate = new Date(0);
      }),
  ],
  [
    'dueDate a number',
    () =>
      withMilestone((m) => {
        m.dueDate = 20270101;
      }),
  ],
  [
    'id empty',
    () =>
      withMilestone((m) => {
        m.id = '';
      }),
  ],
  [
    'id with a slash',
    () =>
      withMilestone((m) => {
        m.id = 'm/3';
      }),
  ],
  [
    'id 65 characters',
    () =>
      withMilestone((m) => {
        m.id = 'm'.repeat(65);
      }),
  ],
  [
    'duplicate ids',
    () =>
      withMilestone((m) => {
        m.id = 'm-4';
      }),
  ],
  [
    'state unknown',
    () =>
      withMilestone((m) => {
        m.state = 'paused';
      }),
  ],
  [
    'two in flight',
    () =>
      withMilestone((m) => {
        m.state = 'active';
        m.funded = m.amount;
      }),
  ],
  [
    'released more than funded',
    () =>
      with_((c) => {
        c.milestones[0].released = 60000;
      }),
  ],
  [
    'status unknown',
    () =>
      with_((c) => {
        c.status = 'paused';
      }),
  ],
  [
    'currency EUR',
    () =>
      with_((c) => {
        c.currency = 'EUR';
      }),
  ],
  [
    'too many milestones',
    () =>
      with_((c) => {
        for (let i = 0; i < 1000; i++) c.milestones.push({ ...c.milestones[3], id: `x-${i}` });
      }),
  ],
  [
    'changeRequest a string',
    () =>
      with_((c) => {
        c.changeRequest = 'please';
      }),
  ],
];

// Actions that are not valid actions on the sample contract.
export const badActions = [
  ['edit amount NaN', () => ({ type: 'edit', id: 'm-3', set: { amount: NaN } })],
  ['edit amount Infinity', () => ({ type: 'edit', id: 'm-3', set: { amount: Infinity } })],
  ['edit amount 1e400', () => ({ type: 'edit', id: 'm-3', set: { amount: 1e400 } })],
  ['edit amount 12.345', () => ({ type: 'edit', id: 'm-3', set: { amount: 12.345 } })],
  ['edit amount as text', () => ({ type: 'edit', id: 'm-3', set: { amount: '50' } })],
  ['edit with nothing set', () => ({ type: 'edit', id: 'm-3', set: {} })],
  ['edit without set', () => ({ type: 'edit', id: 'm-3' })],
  ['edit a 10 MB title', () => ({ type: 'edit', id: 'm-3', set: { title: 'x'.repeat(TEN_MB) } })],
  ['edit an unknown id', () => ({ type: 'edit', id: 'm-99', set: { title: 'x' } })],
  ['edit a locked milestone', () => ({ type: 'edit', id: 'm-2', set: { title: 'x' } })],
  ['move toIndex NaN', () => ({ type: 'move', id: 'm-4', toIndex: NaN })],
  ['move toIndex 1e20', () => ({ type: 'move', id: 'm-4', toIndex: 1e20 })],
  ['move toIndex -1', () => ({ type: 'move', id: 'm-4', toIndex: -1 })],
  ['an unknown type', () => ({ type: 'explode' })],
  ['type missing', () => ({ id: 'm-3' })],
  ['type a number', () => ({ type: 7 })],
  ['add without a milestone', () => ({ type: 'add' })],
  [
    'add a milestone with amount -Infinity',
    () => ({ type: 'add', milestone: { title: 'x', amount: -Infinity } }),
  ],
  [
    'a batch with a bad action',
    () => [{ type: 'edit', id: 'm-3', set: { title: 'x' } }, { type: 'nope' }],
  ],
  ['a batch of numbers', () => [1, 2]],
];

// Lists that are not lists of changes.
export const badChanges = [
  ['an object', () => ({ op: 'add' })],
  ['an unknown op', () => [{ op: 'explode', id: 'm-3' }]],
  ['an edit without a field', () => [{ op: 'edit', id: 'm-3', from: 1, to: 2 }]],
  ['a move with NaN', () => [{ op: 'move', id: 'm-3', fromIndex: NaN, toIndex: 0 }]],
  [
    'an edit whose from is stale',
    () => [{ op: 'edit', id: 'm-3', field: 'title', from: 'Old', to: 'New' }],
  ],
  [
    'a delete of an unknown id',
    () => [{ op: 'delete', id: 'm-99', index: 0, milestone: sampleContract().milestones[2] }],
  ],
];

// Text parseMoney must refuse.
export const badMoney = [
  '5.005',
  '1e2',
  'NaN',
  '-5',
  '5,00',
  '',
  ' ',
  'Infinity',
  '$',
  '$-5',
  '1,23',
  '12.',
  '.5',
  '0x10',
  '１２',
  '12 50',
  '1,,234',
  '$$12',
  '9007199254740993',
  '12.50.1',
  '\ud800',
  '5\u0000',
  'x'.repeat(1024 * 1024),
].map((text) => [
  JSON.stringify(text.length > 40 ? `${text.slice(0, 20)}… (${text.length})` : text),
  () => text,
]);

// Options that are not options.
export const badOptions = [
  ['now a number', () => ({ now: 20261127 })],
  ['now Feb 30', () => ({ now: '2027-02-30' })],
  ['now a Date', () => ({ now: new Date(0) })],
  ['options a string', () => 'client'],
  ['options an array', () => ['client']],
  ['options a number', () => 5],
  [
    'options cyclic',
    () => {
      const o = { now: '2026-11-27' };
      o.self = o;
      return o;
    },
  ],
];

export const badActors = [
  ['actor admin', () => ({ actor: 'admin', now: '2026-11-27' })],
  ['actor missing', () => ({ now: '2026-11-27' })],
  ['actor a number', () => ({ actor: 1, now: '2026-11-27' })],
];
