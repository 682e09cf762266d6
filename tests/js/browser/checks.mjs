// The same checks in a page and in a worker: the package loads under the CSP
// and answers as it does in Node.

import { createEngine } from '../../../dist/milestone-engine/index.mjs';

const contract = {
  id: 'ctr-1001',
  version: 4,
  currency: 'USD',
  status: 'open',
  initiationFee: 299,
  initiationFeeCharged: true,
  carryOver: 0,
  milestones: [
    {
      id: 'm-1',
      title: 'Wireframes',
      description: '',
      dueDate: '2026-12-15',
      amount: 50000,
      state: 'released',
      funded: 50000,
      released: 50000,
    },
    {
      id: 'm-2',
      title: 'Build',
      description: 'API and UI',
      dueDate: '2027-01-10',
      amount: 120000,
      state: 'active',
      funded: 120000,
      released: 0,
    },
    {
      id: 'm-3',
      title: 'Launch',
      description: '',
      dueDate: null,
      amount: 30000,
      state: 'not_funded',
      funded: 0,
      released: 0,
    },
  ],
  changeRequest: null,
};

export async function runChecks() {
  const engine = await createEngine();
  const out = {};
  out.validate = engine.validate(contract, { now: '2026-11-27' });
  out.money = [engine.parseMoney('$1,234.56'), engine.formatMoney(123456)];
  const cyclic = { ...contract };
  cyclic.self = cyclic;
  out.cyclic = engine.validate(cyclic).issues[0].code;
  out.surrogate = engine.validate({ ...contract, id: '\ud800' }).issues.map((i) => i.code);
  const s = engine.openSession(contract, { actor: 'client', now: '2026-11-27' });
  out.keystroke = s.apply({ type: 'edit', id: 'm-3', set: { amount: 100 } });
  s.apply({ type: 'edit', id: 'm-3', set: { amount: 45000 } });
  out.changeset = s.changeset();
  out.applied = engine.apply(contract, out.changeset.actions, {
    actor: 'client',
    now: '2026-11-27',
  }).ok;
  s.dispose();
  try {
    s.apply({});
  } catch (e) {
    out.disposedCode = e.code;
  }
  out.diffSummary = engine.diff(contract, {
    ...contract,
    milestones: [
      ...contract.milestones.slice(0, 2),
      { ...contract.milestones[2], title: 'Go live' },
    ],
  }).summary;
  return out;
}
