// The milestone rules written for the peers, as a team without the engine
// would write them: a JSON Schema for ajv (the structural rules and what a
// schema can say: amount range, title required and length, date format, at
// most one milestone in flight) and the same rules as json-rules-engine
// rules. Benchmark material only: the product's one reader of the rules is
// the engine; these exist to be timed against it, and tools/bench/run checks
// that they agree with it on the cases it times.

import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { Engine as RulesEngine } from 'json-rules-engine';

const MONEY = { type: 'integer', minimum: 0, maximum: 2 ** 53 };
const ID = { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' };
const IN_FLIGHT = ['active', 'submitted'];

export function contractSchema(policy) {
  const milestone = {
    type: 'object',
    required: ['id', 'title', 'amount', 'state', 'funded', 'released'],
    properties: {
      id: ID,
      // TITLE_REQUIRED is "empty after trimming": at least one non-space.
      title: { type: 'string', minLength: 1, maxLength: policy.titleMaxLength, pattern: '\\S' },
      description: { type: 'string', maxLength: policy.descriptionMaxLength },
      dueDate: { anyOf: [{ type: 'null' }, { type: 'string', format: 'date' }] },
      amount: { type: 'integer', minimum: policy.minimumAmount, maximum: policy.maximumAmount },
      state: { enum: ['not_funded', 'active', 'submitted', 'released', 'refunded'] },
      funded: MONEY,
      released: MONEY,
    },
  };
  return {
    type: 'object',
    required: [
      'id',
      'version',
      'currency',
      'status',
      'initiationFeeCharged',
      'carryOver',
      'milestones',
    ],
    properties: {
      id: ID,
      version: { type: 'integer', minimum: 0 },
      currency: { const: policy.currency },
      status: { enum: ['open', 'ended'] },
      initiationFee: MONEY,
      initiationFeeCharged: { type: 'boolean' },
      carryOver: MONEY,
      changeRequest: { type: ['object', 'null'] },
      milestones: {
        type: 'array',
        maxItems: policy.maxMilestones,
        items: milestone,
        // MULTIPLE_IN_FLIGHT: at most one active or submitted milestone.
        contains: {
          type: 'object',
          required: ['state'],
          properties: { state: { enum: IN_FLIGHT } },
        },
        minContains: 0,
        maxContains: 1,
      },
    },
  };
}

// allErrors: the engine reports every finding, so the peer does too.
export function makeAjvValidator(policy) {
  const ajv = new Ajv2019({ allErrors: true });
  addFormats(ajv, ['date']);
  return ajv.compile(contractSchema(policy));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
function isCalendarDate(text) {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [
    31,
    (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return d <= days[mo - 1];
}

// One rules engine per milestone fact set and one for the contract (the
// in-flight count is a fact computed from the milestones).
export function makeRulesValidator(policy) {
  const perMilestone = new RulesEngine([], { allowUndefinedFacts: true });
  perMilestone.addOperator('notInteger', (v) => !Number.isSafeInteger(v));
  perMilestone.addOperator('blank', (v) => typeof v !== 'string' || v.trim() === '');
  perMilestone.addOperator('longerThan', (v, n) => typeof v === 'string' && [...v].length > n);
  perMilestone.addOperator(
    'notDate',
    (v) => v !== null && v !== undefined && !(typeof v === 'string' && isCalendarDate(v)),
  );
  const rule = (code, conditions) =>
    perMilestone.addRule({ name: code, conditions, event: { type: code } });
  rule('SCHEMA', { any: [{ fact: 'amount', operator: 'notInteger', value: null }] });
  rule('AMOUNT_BELOW_MINIMUM', {
    all: [{ fact: 'amount', operator: 'lessThan', value: policy.minimumAmount }],
  });
  rule('AMOUNT_ABOVE_MAXIMUM', {
    all: [{ fact: 'amount', operator: 'greaterThan', value: policy.maximumAmount }],
  });
  rule('TITLE_REQUIRED', { all: [{ fact: 'title', operator: 'blank', value: null }] });
  rule('TITLE_TOO_LONG', {
    all: [{ fact: 'title', operator: 'longerThan', value: policy.titleMaxLength }],
  });
  rule('DESCRIPTION_TOO_LONG', {
    all: [{ fact: 'description', operator: 'longerThan', value: policy.descriptionMaxLength }],
  });
  rule('INVALID_DATE', { all: [{ fact: 'dueDate', operator: 'notDate', value: null }] });

  const perContract = new RulesEngine([], { allowUndefinedFacts: true });
  perContract.addFact('inFlightCount', async (params, almanac) => {
    const milestones = await almanac.factValue('milestones');
    return milestones.filter((m) => IN_FLIGHT.includes(m.state)).length;
  });
  perContract.addRule({
    name: 'MULTIPLE_IN_FLIGHT',
    event: { type: 'MULTIPLE_IN_FLIGHT' },
    conditions: { all: [{ fact: 'inFlightCount', operator: 'greaterThan', value: 1 }] },
  });
  perContract.addRule({
    name: 'TOO_MANY_MILESTONES',
    event: { type: 'TOO_MANY_MILESTONES' },
    conditions: {
      all: [
        {
          fact: 'milestones',
          path: '$.length',
          operator: 'greaterThan',
          value: policy.maxMilestones,
        },
      ],
    },
  });

  // -> Promise<codes found>
  return async function validate(contract) {
    const runs = [perContract.run(contract)];
    for (const m of contract.milestones) runs.push(perMilestone.run(m));
    const codes = [];
    for (const { events } of await Promise.all(runs)) for (const e of events) codes.push(e.type);
    return codes;
  };
}
