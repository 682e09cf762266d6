// The controller: turns what the person does (the view's bindX) into edit and
// sync calls, and their answers into view calls. It touches no DOM and holds
// no rule: "may I", "why not", labels and figures are the view model's
// (engine.describe for the saved contract, the session's for the draft).

import { today } from './engine.mjs';
import { t } from './strings.mjs';
import { reasonOf } from './view.mjs';

// The contract totals a dialog shows before → after (the view model's keys)
// and their captions (the page's strings).
const FIGURES = {
  escrow: 'figures.escrow',
  released: 'figures.released',
  refunded: 'figures.refunded',
  carryOver: 'figures.carryOver',
};

export class Controller {
  constructor({ engine, build, editor, sync, view, actor, roleCode }) {
    this.engine = engine;
    this.build = build; // names the engine's rules: a kept View is reused only under the same
    this.editor = editor;
    this.sync = sync;
    this.view = view;
    this.actor = actor;
    this.roleCode = roleCode; // the code of "your role may not": such controls are not shown
    this.savedView = null; // describe() of the newest saved contract
    this.contractView = null; // the draft's ContractView
    this.conflict = null; // { theirs, mine, collisions, rebaseIssues }
    this.serverAnswer = null;
    this.showChanges = false;
    this.side = { history: null, notifications: null };
    this.readonlyReason = null;
    this.notesOf = (id) => this.editor.notesOf(id);
  }

  bind() {
    const v = this.view;
    v.bindEdit((id, field, text) => this.edit(id, field, text));
    v.bindLeaveAmount((id) => this.view.refreshRows([id], this.notesOf));
    v.bindMoveBy((id, delta) => this.moveBy(id, delta));
    v.bindDelete((id) => this.remove(id));
    v.bindAdd(() => this.add());
    v.bindUndo(() => this.after(this.editor.undo()));
    v.bindRedo(() => this.after(this.editor.redo()));
    v.bindToggleChanges(() => {
      this.showChanges = !this.showChanges;
      this.renderChanges();
    });
    v.bindSave((note) => this.save(note));
    v.bindDiscard(() => this.discard());
    v.bindEnd(() => this.openContractAction('end'));
    v.bindRowAction((id, key) => this.openRowAction(id, key));
    v.bindAnswer((key, reason) => this.answer(key, reason));
    v.bindRebase(() => this.rebase());
    v.bindDiscardForServer(() => this.discardForServer());
    v.bindCancelQueued(async () => {
      await this.sync.cancel();
      this.renderLock();
    });
    v.bindDismissServer(() => {
      this.serverAnswer = null;
      this.view.renderServerIssues(null);
    });
    v.bindReload(() => location.reload());
    v.bindShortcuts();
    v.bindDrag({
      preview: (id, toIndex) => this.dragPreview(id, toIndex),
      drop: (id, toIndex) => this.moveTo(id, toIndex),
    });
    window.addEventListener('online', () => this.onOnline());
    window.addEventListener('offline', () => this.sync.setOnline(false));
  }

  // ---- start ----

  // `loading` is the sync layer's load(), started before the engine was ready.
  async start(loading) {
    this.view.renderNet(this.netState());
    const loaded = await loading;
    performance.mark('milestone-loaded');
    if (!loaded.contract) {
      this.view.fatal(
        loaded.offline
          ? t('page.offlineNeverOpened')
          : t('page.loadFailed', { error: loaded.error }),
      );
      return false;
    }
    this.savedView = await this.savedViewOf(loaded);
    this.view.setSavedRows(this.savedView.milestones ?? []);
    performance.mark('milestone-described');
    if (!this.savedView.ok) {
      this.view.fatal(t('page.cannotShow', { reason: reasonOf(this.savedView.issues ?? []) }));
      return false;
    }
    let opened = null;
    if (loaded.draft) {
      const { base, actions } = loaded.draft;
      // A kept draft of the saved version starts from the View just read.
      const same = base.id === this.sync.saved.id && base.version === this.sync.saved.version;
      opened = this.editor.open(base, actions, same ? this.savedView : null);
    }
    if (opened?.ok) {
      this.sync.keptBase = loaded.draft.base;
      if (loaded.draft.base.version !== this.sync.saved.version && !this.sync.outbox)
        this.openConflict();
    } else {
      opened = this.editor.open(this.sync.saved, [], this.savedView);
    }
    this.view.setLocked(this.isLocked());
    this.renderFull(opened.patch);
    this.view.renderSide({ ...this.side, online: this.sync.online });
    this.view.ready();
    performance.mark('milestone-ready');
    if (this.sync.online) {
      this.refreshSide();
      if (this.sync.outbox) this.sync.send();
    } else {
      this.refreshSide(false);
    }
    return true;
  }

  // The saved contract's View. The server's, when it was asked what this page
  // would ask its engine (see fits); else the one kept on this device when it
  // was asked of the same contract, policy, actor, day, language and engine
  // build (describing a thousand milestones is most of opening the page, and
  // 300–500 ms in wasm before it is tiered up); else, online, the server's
  // asked for now; else the engine's answer. Kept for next time once the page
  // is up.
  async savedViewOf(loaded) {
    const now = today();
    if (loaded.view && this.fits(loaded.view, loaded.locale, now)) {
      // The answer as sent: its `view` is the View, and no megabytes are stringified.
      if (loaded.text) this.keepSoon(now, () => loaded.text, loaded.etag);
      return loaded.view;
    }
    const tag = await this.tagOf(this.sync.saved, now);
    const kept = loaded.kept ?? (tag ? await this.sync.keptView() : null);
    if (tag && kept?.tag === tag) {
      try {
        const view = JSON.parse(kept.text).view;
        if (view) return view;
      } catch {
        // Unreadable: ask again.
      }
    }
    if (!loaded.view && this.sync.online) {
      // A returning page whose kept view is not this contract's any more.
      const answer = await this.sync.fetchView();
      if (
        answer.view &&
        this.fits(answer.view, answer.locale, now) &&
        JSON.stringify(answer.policy) === JSON.stringify(this.engine.policy)
      ) {
        if (answer.text) this.keepSoon(now, () => answer.text, answer.etag);
        return answer.view;
      }
    }
    const view = this.engine.describe(this.sync.saved, { actor: this.actor, now });
    if (view.ok) this.keepSoon(now, () => JSON.stringify({ view }));
    return view;
  }

  // The server's view is the engine's answer — the same rules, natively,
  // under the policy this page's engine was made with (the same answer's) —
  // when it was made for this actor, on this page's day, in its language,
  // of the contract version it came with.
  fits(view, locale, now) {
    const saved = this.sync.saved;
    return (
      view.ok === true &&
      view.actor === this.actor &&
      view.now === now &&
      locale === this.engine.locale &&
      view.contract?.id === saved.id &&
      view.contract?.version === saved.version
    );
  }

  // Kept once the page is up, and only when what is kept is another answer:
  // a return visit writes no megabytes.
  keepSoon(now, text, etag = null) {
    const saved = this.sync.saved;
    setTimeout(async () => {
      try {
        const tag = await this.tagOf(saved, now);
        const kept = await this.sync.keptViewMeta();
        if (tag && (kept?.tag !== tag || kept?.etag !== etag))
          await this.sync.keepView({ tag, etag, text: text() });
      } catch (error) {
        console.warn('The view could not be kept:', error);
      }
    }, 300);
  }

  // What determines a View: the contract's content, the policy, the actor,
  // the day, the language and the engine build. Null where the browser cannot
  // digest (no secure context).
  async tagOf(contract, now) {
    if (!this.build || !globalThis.crypto?.subtle) return null;
    const bytes = new TextEncoder().encode(JSON.stringify([contract, this.engine.policy]));
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    const hex = Array.from(new Uint8Array(digest).slice(0, 16), (b) =>
      b.toString(16).padStart(2, '0'),
    ).join('');
    return `${this.build}|${this.actor}|${now}|${this.engine.locale}|${hex}`;
  }

  describeSaved() {
    this.savedView = this.engine.describe(this.sync.saved, { actor: this.actor });
    this.view.setSavedRows(this.savedView.milestones ?? []);
  }

  // ---- the sync layer's news ----

  syncEvents() {
    return {
      net: () => {
        this.view.renderNet(this.netState());
        this.view.renderQueued(this.sync.outbox);
      },
      saved: (contract) => {
        this.adopt(contract);
        this.view.clearProposalMessage();
        this.view.saveStatus(
          this.proposing ? t('save.proposalSent') : t('save.saved', { version: contract.version }),
        );
        this.refreshSide();
      },
      conflict: () => {
        this.openConflict();
        this.renderLock();
      },
      refused: (answer) => {
        this.serverAnswer = answer;
        this.view.renderServerIssues(answer);
        this.renderLock();
      },
    };
  }

  netState() {
    return {
      online: this.sync.online,
      sending: this.sync.sending,
      queued: Boolean(this.sync.outbox),
    };
  }

  isLocked() {
    return Boolean(this.sync.outbox) || Boolean(this.conflict);
  }

  // The server's contract is the saved one now; the draft starts over on it.
  adopt(contract) {
    this.describeSaved();
    this.sync.dropDraft().catch(() => {});
    this.serverAnswer = null;
    this.view.renderServerIssues(null);
    const opened = this.editor.open(contract, [], this.savedView);
    this.view.setLocked(this.isLocked());
    this.renderFull(opened.patch, true);
  }

  renderLock() {
    const locked = this.isLocked();
    this.view.setLocked(locked);
    this.renderFull(this.editor.fullPatch(), true);
  }

  // ---- rendering a patch ----

  renderFull(patch, force = false) {
    if (force)
      this.view.rows.forEach((record) => {
        record.data = null;
      });
    this.view.renderAll(patch.full, this.notesOf);
    this.contractView = patch.contract;
    const editable = patch.full.milestones.some((row) => row.can.edit.ok);
    this.readonlyReason = this.readonly(editable, patch.contract);
    this.renderPage();
  }

  readonly(editable, contract) {
    if (this.sync.outbox) return t('save.waiting');
    if (this.conflict) return t('save.resolveFirst');
    // Nothing to say to someone who never edits the plan (the mediator).
    if (!editable && !contract.can.add.ok && this.shown(contract.can.add))
      return reasonOf([contract.can.add.issue]);
    return null;
  }

  renderPage() {
    const status = this.editor.status();
    this.status = status;
    const saved = this.savedView;
    // The person's saves are proposals unless proposing is never their part.
    const propose = saved.contract.can.propose;
    const proposing = this.shown(propose);
    this.proposing = proposing;
    const label = proposing ? propose.label : t('save.save');
    // Undo, Show Changes, add and save are for those who may change the plan
    // at all (the engine's role refusals say who never may: the mediator).
    const planTools =
      this.shown(saved.contract.can.add) ||
      proposing ||
      (saved.milestones ?? []).some((row) => this.shown(row.can.edit));
    this.view.renderFigures(this.contractView, this.sync.saved.version);
    this.view.renderStatus({
      status,
      contract: this.contractView,
      generalIssues: [...this.editor.generalIssues, ...this.editor.pageRejections()],
      readonlyReason: this.readonlyReason,
      queued: Boolean(this.sync.outbox),
      label,
      proposing,
      planTools,
    });
    this.view.renderContractActions(saved);
    this.view.renderEscrow(saved, this.side.history);
    this.view.renderRequest(saved, (can) => this.shown(can));
    this.view.renderConflict(this.conflict, this.sync.saved.version);
    this.view.renderQueued(this.sync.outbox);
    this.view.renderNet(this.netState());
    if (this.showChanges) this.renderChanges();
  }

  // A control is shown when the engine allows it, or refuses it for a reason
  // other than the person's role (then disabled, with the reason).
  shown(can) {
    return can.ok || can.issue?.code !== this.roleCode;
  }

  // After an edit, undo or redo: only what the session says changed.
  after(patch) {
    if (patch.full) {
      this.renderFull(patch);
    } else {
      if (patch.rows.length) this.view.renderRows(patch.rows, this.notesOf);
      if (patch.parseId) this.view.refreshRows([patch.parseId], this.notesOf);
      if (patch.rejectedId) this.view.refreshRows([patch.rejectedId], this.notesOf);
      if (patch.contract) this.contractView = patch.contract;
      this.renderPage();
    }
    if (patch.applied) this.keepDraft();
    return patch;
  }

  keepDraft() {
    const actions = this.status.dirty ? this.editor.draftActions() : [];
    this.sync
      .keepDraft(this.editor.base, actions)
      .catch((error) => console.warn('The draft could not be kept:', error));
  }

  renderChanges() {
    const marks = this.showChanges ? this.marks() : null;
    const changed = this.view.renderChanges(this.showChanges, marks);
    this.view.refreshRows(changed, this.notesOf);
  }

  // Show Changes in the rows: old values from the base's rows (the engine's
  // text), deleted milestones where they were, moves from where.
  marks() {
    const diff = this.editor.changes();
    const byId = new Map();
    const deleted = [];
    const of = (id) => {
      if (!byId.has(id)) byId.set(id, { fields: {}, added: false, movedFrom: null });
      return byId.get(id);
    };
    for (const change of diff.changes) {
      const before = this.editor.baseRows.get(change.id);
      if (change.op === 'edit' && before) {
        const text =
          change.field === 'amount'
            ? before.text.amount
            : change.field === 'dueDate'
              ? before.text.dueDate || t('row.noDueDate')
              : (before[change.field] ?? '');
        of(change.id).fields[change.field] = text;
      } else if (change.op === 'add') {
        of(change.id).added = true;
      } else if (change.op === 'move' && before) {
        of(change.id).movedFrom = before.index + 1;
      } else if (change.op === 'delete' && before) {
        deleted.push({
          id: change.id,
          index: change.index,
          title: before.title,
          amountText: before.text.amount,
        });
      }
    }
    return { byId, deleted, summary: diff.summary };
  }

  // ---- edits ----

  edit(id, field, text) {
    return this.after(this.editor.edit(id, field, text));
  }

  add() {
    const patch = this.after(this.editor.add());
    if (patch.applied && patch.touched?.length) this.view.focusRow(patch.touched[0], 'title');
  }

  remove(id) {
    const index = this.view.indexOf(id);
    const patch = this.after(this.editor.delete(id));
    if (patch.applied) this.view.focusAfterDelete(index);
  }

  dragPreview(id, toIndex) {
    const preview = this.editor.previewMove(id, toIndex);
    if (!preview.ok)
      return { ...preview, text: t('drag.cantDrop', { reason: reasonOf(preview.issues) }) };
    // The move's sentence is the engine's (preview.summary), as are the warnings.
    const warnings = preview.issues.filter((i) => i.severity === 'warning').map((i) => i.message);
    const what = preview.summary.length
      ? t('drag.dropHere', { summary: preview.summary.join(' ') })
      : t('drag.noChange');
    return { ...preview, text: [what, ...warnings].join(' ') };
  }

  moveTo(id, toIndex, { focus = false } = {}) {
    if (toIndex === this.view.indexOf(id)) return;
    const preview = this.editor.previewMove(id, toIndex);
    if (!preview.ok) {
      this.view.dragStatus(t('drag.notMoved', { reason: reasonOf(preview.issues) }), 'forbidden');
      if (focus) this.view.focusRow(id);
      return;
    }
    const patch = this.after(this.editor.move(id, toIndex));
    if (patch.applied) {
      const warnings = preview.issues.filter((i) => i.severity === 'warning').map((i) => i.message);
      this.view.dragStatus(
        [...preview.summary, ...warnings].join(' '),
        warnings.length ? 'warning' : 'ok',
      );
    } else {
      this.view.dragStatus(t('drag.notMoved', { reason: reasonOf(patch.issues) }), 'forbidden');
    }
    if (focus) this.view.focusRow(id);
  }

  moveBy(id, delta) {
    const from = this.view.indexOf(id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= this.view.count) return;
    this.moveTo(id, to, { focus: true });
  }

  async discard() {
    const opened = this.editor.open(this.editor.base);
    await this.sync.dropDraft();
    this.view.dragStatus('', 'ok');
    this.renderFull(opened.patch, true);
  }

  // ---- saving ----

  async save(note) {
    if (this.sync.outbox || !this.editor.status().canSave) return;
    const changeset = this.editor.changeset();
    const actions = changeset.actions.map((action) => ({ ...action }));
    if (note && actions.length === 1 && actions[0].type === 'propose') actions[0].message = note;
    await this.sync.keepDraft(this.editor.base, this.editor.draftActions());
    this.serverAnswer = null;
    this.view.renderServerIssues(null);
    await this.sync.queue({ ...changeset, actions });
    this.renderLock();
    await this.sync.send();
  }

  openConflict() {
    const mine = this.editor.changes();
    const replay = this.engine.applyChanges(this.sync.saved, mine.changes);
    this.conflict = {
      theirs: this.engine.diff(this.editor.base, this.sync.saved).summary,
      mine: mine.summary,
      collisions: replay.ok ? [] : replay.issues,
      rebaseIssues: [],
    };
    this.describeSaved();
  }

  async rebase() {
    const actions = this.editor.draftActions();
    const opened = this.editor.open(this.sync.saved, actions);
    if (!opened.ok) {
      this.conflict.rebaseIssues = opened.issues;
      this.view.renderConflict(this.conflict, this.sync.saved.version);
      return;
    }
    this.conflict = null;
    await this.sync.keepDraft(this.editor.base, this.editor.draftActions());
    this.view.setLocked(this.isLocked());
    this.renderFull(opened.patch, true);
  }

  async discardForServer() {
    this.conflict = null;
    this.adopt(this.sync.saved);
  }

  // ---- actions that happen at once, on the saved contract ----

  // Why such an action cannot start now (a page state, not a contract rule).
  blocker() {
    if (!this.sync.online) return t('dialog.offline');
    if (this.status?.dirty || this.sync.outbox) return t('dialog.saveFirst');
    return null;
  }

  // What the engine says `action` would do to the saved contract.
  previewAction(action, extra = {}) {
    const blocker = this.blocker();
    const saved = this.sync.saved;
    const result = this.engine.apply(saved, action, { actor: this.actor });
    const errors = result.issues.filter((i) => i.severity === 'error');
    const figures = [...(extra.figures ?? [])];
    if (result.ok) {
      const after = this.engine.describe(result.contract, { actor: this.actor });
      const before = this.savedView.contract.totals;
      for (const [key, caption] of Object.entries(FIGURES)) {
        if (before[key] !== after.contract.totals[key]) {
          figures.push([t(caption), `${before.text[key]} → ${after.contract.totals.text[key]}`]);
        }
      }
    }
    const issues = blocker ? [{ severity: 'error', code: '', path: '', message: blocker }] : errors;
    return {
      events: result.ok ? result.events.map((e) => e.message) : [],
      figures,
      issues,
      ready: !blocker && result.ok,
    };
  }

  async send(action) {
    const answer = await this.sync.postNow([action]);
    if (answer.ok) {
      this.adopt(answer.contract);
      this.refreshSide();
      this.view.saveStatus(answer.events.map((e) => e.message).join(' '));
      return { ok: true, events: answer.events };
    }
    if (answer.offline) return { ok: false, message: t('dialog.offlineRetry') };
    if (answer.stale) {
      if (!this.status?.dirty) {
        await this.sync.adopt(answer.stale);
        this.adopt(answer.stale);
      }
      return { ok: false, message: t('dialog.stale') };
    }
    return answer;
  }

  openRowAction(id, key) {
    const saved = this.savedView.milestones.find((row) => row.id === id);
    if (!saved || !saved.can[key]?.ok) return;
    const can = saved.can[key];
    const title = t('dialog.titleOn', { action: can.label, title: saved.title });
    const simple = (fields, build, extra) =>
      this.view.openDialog({
        title,
        fields,
        confirmLabel: can.label,
        preview: (values) => this.previewAction(build(values), extra),
        confirm: (values) => this.send(build(values)),
      });
    if (key === 'fund') {
      const charge = can.charge.text;
      simple([], () => ({ type: 'fund', id }), {
        figures: [
          [t('dialog.milestoneAmount'), charge.amount],
          [t('dialog.fromCarryOver'), charge.fromCarryOver],
          [t('dialog.fee'), charge.fee],
          [t('dialog.chargedNow'), charge.total],
        ],
      });
    } else if (key === 'submit') {
      simple([{ name: 'message', kind: 'text', label: t('dialog.message') }], (v) =>
        v.message.trim()
          ? { type: 'submit', id, message: v.message.trim() }
          : { type: 'submit', id },
      );
    } else if (key === 'requestChanges') {
      simple(
        [{ name: 'message', kind: 'text', label: t('dialog.whatToChange') }],
        // Blank text is no message; whether one is needed is the engine's answer.
        (v) =>
          v.message.trim()
            ? { type: 'requestChanges', id, message: v.message.trim() }
            : { type: 'requestChanges', id },
      );
    } else if (key === 'release') {
      this.openRelease(saved, can, title);
    } else if (key === 'requestRefund') {
      simple([{ name: 'message', kind: 'text', label: t('dialog.messageToFreelancer') }], (v) =>
        v.message.trim()
          ? { type: 'requestRefund', id, message: v.message.trim() }
          : { type: 'requestRefund', id },
      );
    } else if (key === 'declineRefund' || key === 'dispute') {
      // The reason is sent as typed (trimmed): whether it will do is the engine's answer.
      simple([{ name: 'reason', kind: 'text', label: t('dialog.reason') }], (v) => ({
        type: key,
        id,
        reason: v.reason.trim(),
      }));
    } else if (key === 'approveRefund' || key === 'withdrawDispute') {
      simple([], () => ({ type: key, id }));
    } else if (key === 'resolveDispute') {
      this.openResolve(saved, can, title);
    }
  }

  // The mediator's split of a disputed milestone's escrow. Typing one part
  // fills in the other as a convenience; the engine alone says whether the
  // split is acceptable (RESOLUTION_MISMATCH and the rest), here in the
  // preview and again on the server.
  openResolve(saved, can, title) {
    const currency = this.savedView.contract.currency;
    const other = { release: 'refund', refund: 'release' };
    const parse = (values) => {
      const release = this.engine.parseMoney(values.release, currency);
      const refund = this.engine.parseMoney(values.refund, currency);
      const fieldIssues = {};
      if (!release.ok) fieldIssues.release = release.issues;
      if (!refund.ok) fieldIssues.refund = refund.issues;
      if (!release.ok || !refund.ok) return { fieldIssues };
      return {
        action: {
          type: 'resolveDispute',
          id: saved.id,
          release: release.amount,
          refund: refund.amount,
        },
      };
    };
    this.view.openDialog({
      title,
      intro: t('dialog.splitIntro', { amount: saved.text.escrow }),
      fields: [
        {
          name: 'release',
          kind: 'money',
          label: t('dialog.releaseToFreelancer'),
          value: saved.text.escrow,
        },
        {
          name: 'refund',
          kind: 'money',
          label: t('dialog.refundToClient'),
          value: this.engine.formatMoney(0, currency),
        },
      ],
      confirmLabel: can.label,
      link: (name, values) => {
        const typed = this.engine.parseMoney(values[name], currency);
        const rest = typed.ok ? saved.escrow - typed.amount : -1;
        return rest >= 0 ? { [other[name]]: this.engine.formatMoney(rest, currency) } : {};
      },
      preview: (values) => {
        const built = parse(values);
        if (!built.action) return { fieldIssues: built.fieldIssues, ready: false };
        return this.previewAction(built.action);
      },
      confirm: (values) => this.send(parse(values).action),
    });
  }

  openRelease(saved, can, title) {
    const fields = [
      {
        name: 'amount',
        kind: 'money',
        label: t('dialog.amountToRelease'),
        value: can.text.maximum,
      },
    ];
    if (can.needsDecision) {
      fields.push({
        name: 'then',
        kind: 'choice',
        label: t('dialog.then'),
        value: 'keepOpen',
        options: [
          { value: 'keepOpen', label: t('dialog.keepOpen') },
          { value: 'end', label: t('dialog.end') },
        ],
      });
    }
    const build = (values) => {
      const parsed = this.engine.parseMoney(values.amount, this.savedView.contract.currency);
      if (!parsed.ok) return { issues: parsed.issues };
      const action = { type: 'release', id: saved.id, amount: parsed.amount };
      if (can.needsDecision) action.then = values.then;
      return { action };
    };
    this.view.openDialog({
      title,
      fields,
      confirmLabel: can.label,
      preview: (values) => {
        const built = build(values);
        if (!built.action) return { fieldIssues: { amount: built.issues }, ready: false };
        return this.previewAction(built.action, {
          figures: [[t('dialog.available'), can.text.maximum]],
        });
      },
      confirm: (values) => this.send(build(values).action),
    });
  }

  openContractAction(key) {
    const can = this.savedView.contract.can[key];
    if (!can?.ok) return;
    this.view.openDialog({
      title: can.label,
      fields: [],
      confirmLabel: can.label,
      preview: () => this.previewAction({ type: key }),
      confirm: () => this.send({ type: key }),
    });
  }

  async answer(key, reason) {
    this.view.requestStatus(t('dialog.sending'));
    const action = key === 'decline' && reason ? { type: 'decline', reason } : { type: key };
    const result = await this.send(action);
    this.view.requestStatus(
      result.ok
        ? result.events.map((e) => e.message).join(' ')
        : `${result.message ?? ''} ${(result.issues ?? []).map((i) => i.message).join(' ')}`.trim(),
    );
  }

  // ---- side panel and reconnecting ----

  // From the server when `online`; the kept one when it cannot answer.
  async refreshSide(online = true) {
    let side = online ? await this.sync.side() : null;
    if (!side && !this.side.history) side = await this.sync.keptSide();
    if (side) this.side = side;
    this.view.renderSide({ ...this.side, online: this.sync.online });
    if (this.savedView) this.view.renderEscrow(this.savedView, this.side.history);
  }

  // Back online: send what waits, then catch up with the server.
  async onOnline() {
    this.sync.setOnline(true);
    await this.sync.send();
    if (this.sync.outbox || !this.editor.opened) return;
    const loaded = await this.sync.fetchContract();
    if (!loaded.contract || loaded.contract.version === this.sync.saved.version) {
      this.refreshSide();
      return;
    }
    await this.sync.adopt(loaded.contract);
    if (this.editor.hasChanges()) {
      this.openConflict();
      this.renderLock();
    } else {
      this.adopt(loaded.contract);
    }
    this.refreshSide();
  }
}
