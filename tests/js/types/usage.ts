// Compiled by `tsc -p tests/js/types` (no output): the shipped index.d.ts
// describes SPEC 5's interface, and wrong uses do not compile.

import { createEngine } from 'milestone-engine';
import type { Action, Change, Changeset, Contract, Engine, Issue, Session, SessionEdit } from 'milestone-engine';

const contract: Contract = {
  id: 'ctr-1001', version: 4, currency: 'USD', status: 'open', initiationFee: 299,
  initiationFeeCharged: true, carryOver: 0,
  milestones: [
    { id: 'm-3', title: 'Launch', description: '', dueDate: null, amount: 30000,
      state: 'not_funded', funded: 0, released: 0 },
  ],
  changeRequest: null,
};

async function main(): Promise<void> {
  const engine: Engine = await createEngine({ policy: { minimumAmount: 500 } });
  const v = engine.validate(contract, { now: '2026-11-27' });
  const first: Issue | undefined = v.issues[0];
  if (first) console.log(first.code, first.severity, first.path, first.message, first.hint ?? '');

  const fund: Action = { type: 'fund', id: 'm-3' };
  const checked: boolean = engine.check(contract, fund, { actor: 'client', now: '2026-11-27' }).ok;
  const applied = engine.apply(contract, [fund], { actor: 'client' });
  const next: Contract | null = applied.contract;
  for (const e of applied.events) console.log(e.type, e.message, e.amount ?? 0);

  const preview = engine.previewReorder(contract, 'm-3', 0);
  const order: string[] = preview.order;
  const range: number = preview.allowedRange.from + preview.allowedRange.to;

  const diff = engine.diff(contract, next ?? contract);
  const changes: Change[] = diff.changes;
  for (const op of diff.patch) console.log(op.op, op.path);
  const summary: string[] = diff.summary;
  const back = engine.applyChanges(contract, changes);
  const inverted = engine.invertChanges(changes);
  if (Array.isArray(inverted)) engine.applyChanges(back.contract ?? contract, inverted);

  const money = engine.parseMoney('12.50');
  const cents: number = money.ok ? money.amount : money.issues.length;
  const text: string = engine.formatMoney(1250);

  const s: Session = engine.openSession(contract, { actor: 'freelancer', now: '2026-11-27' });
  const keystroke: SessionEdit = s.apply({ type: 'edit', id: 'm-3', set: { amount: 45000 } });
  const touched: string[] = keystroke.touched;
  s.apply([{ type: 'add', milestone: { title: 'QA', amount: 25000 } }, { type: 'move', id: 'm-3', toIndex: 1 }]);
  const draft: Contract | null = s.contract;
  const issues: Issue[] = s.issues;
  s.undo();
  s.redo();
  const cs: Changeset = s.changeset();
  const baseVersion: number = cs.baseVersion;
  s.changes();
  s.dispose();
  console.log(checked, order, range, summary, cents, text, touched, draft, issues, baseVersion,
    engine.memoryUsage().inUseBytes, engine.policy.maximumAmount);

  // @ts-expect-error fund names a milestone
  engine.check(contract, { type: 'fund' }, { actor: 'client' });
  // @ts-expect-error the actor is a role
  engine.apply(contract, fund, { actor: 'admin' });
  // @ts-expect-error money is minor units, not text
  s.apply({ type: 'edit', id: 'm-3', set: { amount: '12.50' } });
  // @ts-expect-error a session edits milestones only
  s.apply({ type: 'fund', id: 'm-3' });
  // @ts-expect-error the draft is read-only
  s.contract = contract;
  // @ts-expect-error no such method
  engine.validat(contract);
  // @ts-expect-error policy keys are known
  await createEngine({ policy: { minimum: 1 } });
}

void main();
