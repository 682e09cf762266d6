// What every bundle runs, on the main thread and in a Worker: load the
// engine from the package by its name and validate a contract. Returns plain
// data for the test to compare; never throws.
import { createEngine } from 'milestone-engine';

const contract = {
  id: 'ctr-bundle',
  version: 2,
  currency: 'USD',
  status: 'open',
  initiationFee: 299,
  initiationFeeCharged: true,
  carryOver: 0,
  milestones: [
    {
      id: 'm-1',
      title: 'Design',
      description: '',
      dueDate: null,
      amount: 50000,
      state: 'active',
      funded: 50000,
      released: 0,
    },
    {
      id: 'm-2',
      title: 'Build',
      description: '',
      dueDate: null,
      amount: 120000,
      state: 'not_funded',
      funded: 0,
      released: 0,
    },
  ],
  changeRequest: null,
};

export async function runChecks(where) {
  const out = { where };
  try {
    const engine = await createEngine();
    out.valid = engine.validate(contract, { now: null });
    const cheap = structuredClone(contract);
    cheap.milestones[1].amount = 100;
    out.invalidCodes = engine.validate(cheap, { now: null }).issues.map((i) => i.code);
    out.fundCodes = engine
      .check(contract, { type: 'fund', id: 'm-2' }, { actor: 'client', now: null })
      .issues.map((i) => i.code);
    out.money = engine.formatMoney(123456);
    const session = engine.openSession(contract, { actor: 'client', now: null });
    session.apply({ type: 'edit', id: 'm-2', set: { amount: 130000 } });
    out.changesetOk = session.changeset().ok;
    const dispose =
      typeof Symbol.dispose === 'symbol' ? Symbol.dispose : Symbol.for('nodejs.dispose');
    session[dispose]();
    out.disposed = session.disposed;
  } catch (error) {
    out.error = `${error && error.code ? `${error.code}: ` : ''}${error && error.message ? error.message : error}`;
    if (error && typeof error === 'object') {
      const { code, url, status, contentType, firstBytes } = error;
      out.errorDetails = { code, url, status, contentType, firstBytes };
    }
  }
  return out;
}
