// Compiled by `tsc -p tests/js/types` (no output): the shipped index.d.ts
// describes SPEC 5's interface, and wrong uses do not compile.

import { createEngine } from 'milestone-engine';
import type {
  Action, Change, Changeset, Code, Contract, Engine, EngineEvent, EventType, Issue, Milestone, RowView,
  Session, SessionEdit, Timer,
} from 'milestone-engine';

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
    engine.memoryUsage().inUseBytes, engine.policy.currencies.USD.maximumAmount,
    engine.policy.fundingOrder, engine.formatMoney(1, "JPY"));

  // Escrow over time (SPEC 3.1): the fields, the actions, the marketplace, timers.
  const submitted: Milestone = {
    id: 'm-2', title: 'Build', amount: 120000, state: 'submitted', funded: 120000, released: 0,
    submittedOn: '2026-12-01', refunded: 0, refundRequest: { requestedOn: '2026-12-02', message: 'Late' },
    dispute: null,
  };
  const disputed: Milestone = {
    ...submitted, refundRequest: null, dispute: { by: 'freelancer', openedOn: '2026-12-03', reason: 'Done' },
  };
  const escrow: Contract = { ...contract, milestones: [submitted, disputed] };
  const escrowActions: Action[] = [
    { type: 'requestRefund', id: 'm-2', message: 'Please' },
    { type: 'requestRefund', id: 'm-2' },
    { type: 'approveRefund', id: 'm-2' },
    { type: 'declineRefund', id: 'm-2', reason: 'Delivered' },
    { type: 'dispute', id: 'm-2', reason: 'Not delivered' },
    { type: 'withdrawDispute', id: 'm-2' },
    { type: 'resolveDispute', id: 'm-2', release: 84000, refund: 36000 },
  ];
  const byMarketplace = engine.apply(escrow, escrowActions[6], { actor: 'marketplace', now: '2026-12-20' });
  const eventTypes: EventType[] = ['disputeResolved', 'refundRequested', 'refundDeclined', 'disputeOpened'];
  const seenEvent: EngineEvent | undefined = byMarketplace.events.find((e) => eventTypes.includes(e.type as EventType));
  const escrowCodes: Code[] = ['NOT_DUE', 'ESCROW_HELD', 'DISPUTE_OPEN', 'NO_DISPUTE', 'REFUND_PENDING',
    'NO_REFUND_REQUEST', 'RESOLUTION_MISMATCH', 'INVALID_ESCROW_STATE'];
  const timers = engine.timers(escrow, { now: '2026-12-10' });
  if (Array.isArray(timers)) {
    for (const t of timers) {
      const timer: Timer = t;
      const kind: 'autoRelease' | 'autoRefund' = timer.kind;
      const left: number = timer.daysLeft;
      engine.apply(escrow, timer.action, { actor: 'marketplace', now: timer.due });
      console.log(kind, left, timer.milestoneId, timer.message);
    }
  } else {
    console.log(timers.ok, timers.issues.length);
  }
  const view = engine.describe(escrow, { actor: 'client', now: '2026-12-10' });
  if (view.ok) {
    const row: RowView = view.milestones[0];
    const cans = [row.can.requestRefund, row.can.approveRefund, row.can.declineRefund, row.can.dispute,
      row.can.withdrawDispute, row.can.resolveDispute].map((c) => c.ok);
    const due: string = row.timer ? row.timer.due : '';
    const asked: string = row.refundRequest ? row.refundRequest.text.requestedOn : '';
    const by: string = row.dispute ? row.dispute.by : '';
    console.log(cans, due, asked, by, row.submittedOn);
  }
  const windows: number = engine.policy.reviewDays + engine.policy.refundResponseDays;
  await createEngine({ policy: { reviewDays: 3, refundResponseDays: 2 } });
  console.log(seenEvent, escrowCodes, windows);

  // @ts-expect-error a resolution gives both parts
  engine.apply(escrow, { type: 'resolveDispute', id: 'm-2', release: 120000 }, { actor: 'marketplace' });
  // @ts-expect-error a dispute needs its reason
  engine.check(escrow, { type: 'dispute', id: 'm-2' }, { actor: 'client' });
  // @ts-expect-error a dispute is opened by a side, not the marketplace
  const wrongSide: Milestone = { ...submitted, dispute: { by: 'marketplace', openedOn: '2026-12-03', reason: 'x' } };
  // @ts-expect-error a timer is of two kinds
  const wrongKind: Timer['kind'] = 'autoEnd';
  // @ts-expect-error not a code of the catalogue
  const wrongCode: Code = 'REFUND_REFUSED';
  console.log(wrongSide, wrongKind, wrongCode);

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
