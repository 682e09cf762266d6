// The edit layer: one session (the draft), its actions, undo and redo. It
// never touches the DOM and never calls the server. Each method answers with
// a *patch*, what the view must redraw, straight from the session's answer:
//
//   { rows, removed, order?, contract, issues, applied, ok, full? }
//
// `rows` are the view-model rows the engine says the action touched
// (docs/view-model.md); `full` is a whole View, given only when the session
// was (re)opened or the list's structure changed.

const EDIT_FIELDS = new Set(['title', 'amount', 'dueDate', 'description']);

// The field an issue belongs to ('' for the row itself), from its path.
export function fieldOf(issue) {
  const last = String(issue.path ?? '')
    .split('/')
    .pop();
  return EDIT_FIELDS.has(last) ? last : '';
}

export class Editor {
  constructor(engine, actor) {
    this.engine = engine;
    this.actor = actor;
    this.session = null;
    this.base = null; // the contract the draft started from
    this.baseRows = new Map(); // id -> the base's Row (old values for Show Changes)
    // Amount text parseMoney refused: it never reached the draft, so the field
    // keeps the typed text and this issue. id -> issues.
    this.parseErrors = new Map();
    // Issues of an action the session refused. id ('' for add) -> issues.
    this.rejections = new Map();
    this.undoDepth = 0;
    this.redoDepth = 0;
    this.generalIssues = [];
  }

  // Opens a draft of `contract` and replays `actions` on it (a kept draft).
  // Answers { ok, issues, patch }: when the actions are refused the editor
  // keeps its current session.
  // `baseView` is describe(contract) when the caller has it already.
  open(contract, actions = [], baseView = null) {
    const session = this.engine.openSession(contract, { actor: this.actor });
    if (actions.length > 0) {
      const result = session.apply(actions);
      if (!result.applied) {
        session.dispose();
        return { ok: false, issues: result.issues };
      }
    }
    this.session?.dispose();
    this.session = session;
    this.base = contract;
    this.undoDepth = 0;
    this.redoDepth = 0;
    // Nothing applied yet: the draft is its base, with no changes to ask
    // the session for (a diff of a thousand milestones).
    this.pristine = actions.length === 0;
    this.parseErrors.clear();
    this.rejections.clear();
    this.cached = null;
    const base = baseView ?? this.engine.describe(contract, { actor: this.actor });
    this.baseRows = new Map((base.milestones ?? []).map((row) => [row.id, row]));
    // Amounts are read in the contract's currency (a policy may have several).
    this.currency = base.contract?.currency;
    // A draft with no action yet is its base: its View is the one just read.
    return { ok: true, issues: [], patch: this.fullPatch(actions.length === 0 ? base : null) };
  }

  get opened() {
    return this.session !== null;
  }

  // The whole View of the draft, for a first render or a structural change.
  fullPatch(known = null, extra = {}) {
    const view = known ?? this.session.view;
    this.generalIssues = (view.issues ?? []).filter((i) => !i.milestoneId);
    return {
      applied: true,
      ok: view.ok,
      full: view,
      rows: view.milestones,
      removed: [],
      order: view.milestones.map((row) => row.id),
      contract: view.contract,
      issues: [],
      ...extra,
    };
  }

  // The session's answer as a patch. A change of the list's structure (an
  // order, a removal) re-reads the whole View once: every row's position and
  // move range may have changed. A field edit gives only the touched rows.
  patchOf(result, id) {
    this.cached = null;
    if (!result.applied) {
      this.rejections.set(id ?? '', result.issues);
      return {
        applied: false,
        ok: false,
        rows: [],
        removed: [],
        contract: null,
        issues: result.issues,
        rejectedId: id ?? '',
      };
    }
    this.rejections.delete(id ?? '');
    this.pristine = false;
    for (const gone of result.removed ?? []) {
      this.parseErrors.delete(gone);
      this.rejections.delete(gone);
    }
    if (result.order || (result.removed ?? []).length > 0 || !result.rows) {
      return this.fullPatch(null, { touched: result.touched, removed: result.removed ?? [] });
    }
    this.generalIssues = this.session.issues.filter((i) => !i.milestoneId);
    return {
      applied: true,
      ok: result.ok,
      rows: result.rows,
      removed: [],
      contract: result.contract,
      issues: result.issues,
      touched: result.touched,
    };
  }

  remember(result) {
    if (result.applied) {
      this.undoDepth += 1;
      this.redoDepth = 0;
    }
  }

  // One keystroke in a field. `text` is what the input holds.
  edit(id, field, text) {
    let value = text;
    if (field === 'amount') {
      const parsed = this.engine.parseMoney(text, this.currency);
      if (!parsed.ok) {
        this.parseErrors.set(id, parsed.issues);
        return {
          applied: false,
          ok: false,
          rows: [],
          removed: [],
          contract: null,
          issues: parsed.issues,
          parseId: id,
        };
      }
      value = parsed.amount;
    } else if (field === 'dueDate') {
      value = text === '' ? null : text;
    }
    const hadParseError = this.parseErrors.delete(id);
    const result = this.session.apply({ type: 'edit', id, set: { [field]: value } });
    this.remember(result);
    const patch = this.patchOf(result, id);
    if (hadParseError) patch.parseId = id;
    return patch;
  }

  add() {
    const result = this.session.apply({
      type: 'add',
      milestone: { title: '', amount: 0, dueDate: null },
    });
    this.remember(result);
    return this.patchOf(result, '');
  }

  delete(id) {
    const result = this.session.apply({ type: 'delete', id });
    this.remember(result);
    return this.patchOf(result, id);
  }

  move(id, toIndex) {
    const result = this.session.apply({ type: 'move', id, toIndex });
    this.remember(result);
    return this.patchOf(result, id);
  }

  // What dropping `id` at `toIndex` would do, before the drop.
  previewMove(id, toIndex) {
    return this.engine.previewReorder(this.session.contract, id, toIndex, { actor: this.actor });
  }

  undo() {
    const result = this.session.undo();
    if (result.applied) {
      this.undoDepth -= 1;
      this.redoDepth += 1;
    }
    this.parseErrors.clear();
    return this.patchOf(result, null);
  }

  redo() {
    const result = this.session.redo();
    if (result.applied) {
      this.redoDepth -= 1;
      this.undoDepth += 1;
    }
    this.parseErrors.clear();
    return this.patchOf(result, null);
  }

  changes() {
    return this.session.changes();
  }

  hasChanges() {
    return this.session !== null && !this.pristine && this.changes().changes.length > 0;
  }

  // The session's edit actions, unwrapped from a freelancer's `propose`.
  draftActions() {
    const actions = this.changeset().actions;
    if (actions.length === 1 && actions[0].type === 'propose') return actions[0].actions;
    return actions;
  }

  // What the toolbar and save bar show; every "may I" here is the session's.
  status() {
    const dirty = this.hasChanges();
    const changeset = dirty ? this.changeset() : null;
    return {
      dirty,
      canSave: dirty && this.parseErrors.size === 0 && changeset.ok,
      canUndo: this.undoDepth > 0,
      canRedo: this.redoDepth > 0,
    };
  }

  // Read once per change of the draft (the status and the kept draft share it).
  changeset() {
    if (!this.cached) this.cached = { changeset: this.session.changeset() };
    return this.cached.changeset;
  }

  // The notes the page adds to a row beyond the engine's row issues: an
  // amount it could not read, an action refused.
  notesOf(id) {
    return { parse: this.parseErrors.get(id) ?? null, rejected: this.rejections.get(id) ?? null };
  }

  pageRejections() {
    return this.rejections.get('') ?? [];
  }
}
