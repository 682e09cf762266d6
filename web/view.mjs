// The view layer: the only module that touches the DOM. It draws what it is
// given (the engine's view model, the page's own state) and reports what the
// person does through bindX(handler). It never calls the server, never
// applies an action, and decides nothing: every enabled or disabled control,
// reason, label and formatted figure it shows is a field of the view model.
// User text reaches the DOM through textContent and input values only.

import { attachDrag } from './drag.mjs';
import { fieldOf } from './edit.mjs';
import { language, speak, t, word } from './strings.mjs';

const FIELDS = ['title', 'amount', 'dueDate', 'description'];
// Rows built in full at once: all of a short list, a screenful and more of a
// long one; the others when they come near the screen.
const SHORT_LIST = 30;
const EAGER_ROWS = 12;
// On a first render of a long list, the rows past this many are put in the
// list after the page is up, this many per task, so no task is long and a
// keystroke is never kept waiting behind a thousand rows.
const FIRST_ROWS = 60;
const TAIL_CHUNK = 60;
// Rows built per task as they come near the screen.
const BUILD_CHUNK = 3;
// The per-milestone actions the page offers, in button order, with the view
// model's `can` key. A new action is one entry here plus its dialog in the
// controller. Each is shown only when the engine allows it now.
export const ROW_ACTIONS = [
  'submit',
  'requestChanges',
  'fund',
  'release',
  'requestRefund',
  'approveRefund',
  'declineRefund',
  'dispute',
  'withdrawDispute',
  'resolveDispute',
];
// Actions drawn as the row's main button.
const PRIMARY_ACTIONS = new Set(['release', 'resolveDispute']);

const $ = (id) => document.getElementById(id);

function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

function fillList(list, lines, make = (line) => h('li', { text: line })) {
  list.replaceChildren(...lines.map(make));
}

function issueItem(issue) {
  return h(
    'li',
    { class: `issue ${issue.severity}` },
    h('span', { class: 'msg', text: issue.message }),
    issue.hint ? h('span', { class: 'hint', text: ` ${issue.hint}` }) : null,
  );
}

function issueSpan(issue) {
  return h(
    'span',
    { class: `issue ${issue.severity}` },
    h('span', { class: 'msg', text: issue.message }),
    issue.hint ? h('span', { class: 'hint', text: ` ${issue.hint}` }) : null,
  );
}

export function reasonOf(issues) {
  const error = issues.find((i) => i.severity === 'error') ?? issues[0];
  return error ? `${error.message}${error.hint ? ` ${error.hint}` : ''}` : '';
}

function quoted(title) {
  return title && title.trim() ? t('row.quoted', { title: title.trim() }) : t('row.thisMilestone');
}

// What the escrow of a milestone is waiting on, in the view model's words and dates.
function refundLine(request) {
  const date = request.text.requestedOn;
  return request.message
    ? t('escrow.refundRequestedSaying', { date, message: request.message })
    : t('escrow.refundRequested', { date });
}

function escrowLines(row) {
  const lines = [];
  if (row.refundRequest) lines.push(refundLine(row.refundRequest));
  const dispute = row.dispute;
  if (dispute) {
    const by = word('actor', dispute.by);
    lines.push(t('escrow.disputedBy', { by, date: dispute.text.openedOn, reason: dispute.reason }));
  }
  return lines;
}

// Everything said about one milestone, oldest first: the sentences of the
// events the history holds for it (requests, declines, messages, money).
function saidAbout(id, history) {
  const lines = [];
  for (const entry of history ?? []) {
    for (const event of entry.events ?? []) {
      if (event.milestoneId === id && event.message) lines.push({ entry, message: event.message });
    }
  }
  return lines;
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

export class View {
  // `language`: the one the page's words are asked for in at once (the
  // engine's, foreseen); speak() makes the engine's own choice the page's.
  constructor({ actor, contractId, language: foreseen = 'en' }) {
    this.actor = actor;
    this.language = 'en'; // index.html's own words
    this.speaking = speak(foreseen).then(() => this.translate());
    this.list = $('list');
    this.rows = new Map(); // id -> row record
    this.ghosts = new Map(); // id -> deleted row shown by Show Changes
    this.nextUid = 0;
    this.handlers = {};
    this.locked = false;
    this.marks = null; // Show Changes marks, or null when off
    this.savedRows = new Map(); // id -> the saved contract's Row (money and work actions)
    $(`as-${actor}`).setAttribute('aria-current', 'page');
    setText($('contract-name'), contractId);

    // One listener for every field of every row: a keystroke finds its row by
    // the element, so rows carry no closures and can be many.
    this.list.addEventListener('input', (event) => {
      const input = event.target;
      const field = input.dataset?.field;
      const id = input.closest('li')?.dataset.id;
      if (field && id) this.handlers.edit?.(id, field, input.value);
    });
    this.list.addEventListener('focusout', (event) => {
      const input = event.target;
      const id = input.closest?.('li')?.dataset.id;
      if (input.dataset?.field === 'amount' && id) this.handlers.leave?.(id);
    });
    this.list.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-act]');
      const id = button?.closest('li')?.dataset.id;
      if (!button || !id || button.disabled || button.getAttribute('aria-disabled') === 'true')
        return;
      const act = button.dataset.act;
      if (act === 'up') this.handlers.moveBy?.(id, -1);
      else if (act === 'down') this.handlers.moveBy?.(id, 1);
      else if (act === 'delete') this.handlers.remove?.(id);
      else this.handlers.rowAction?.(id, act);
    });
    $('disputes').addEventListener('click', (event) => {
      const button = event.target.closest('button[data-act]');
      const id = button?.closest('li')?.dataset.id;
      if (button && id && !button.disabled) this.handlers.rowAction?.(id, button.dataset.act);
    });
    this.list.addEventListener('keydown', (event) => {
      if (!event.target.classList?.contains('handle')) return;
      if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
      event.preventDefault();
      const id = event.target.closest('li').dataset.id;
      this.handlers.moveBy?.(id, event.key === 'ArrowUp' ? -1 : 1);
    });
  }

  // The page's words in `lang` (the engine's locale): index.html's text
  // (`data-t`, `data-t-label` for aria-label) and `<html lang>`. Before the
  // page draws anything else, which takes its words from t() as it draws.
  async speak(lang) {
    await this.speaking;
    await speak(lang);
    this.translate();
  }

  translate() {
    const lang = language();
    if (this.language === lang) return;
    this.language = lang;
    document.documentElement.lang = lang;
    for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
    for (const el of document.querySelectorAll('[data-t-label]'))
      el.setAttribute('aria-label', t(el.dataset.tLabel));
  }

  // ---- bindX: what the person does ----

  bindEdit(handler) {
    this.handlers.edit = handler;
  } // (id, field, text)
  bindLeaveAmount(handler) {
    this.handlers.leave = handler;
  } // (id)
  bindMoveBy(handler) {
    this.handlers.moveBy = handler;
  } // (id, delta)
  bindDelete(handler) {
    this.handlers.remove = handler;
  } // (id)
  bindRowAction(handler) {
    this.handlers.rowAction = handler;
  } // (id, canKey)
  bindAdd(handler) {
    $('add').addEventListener('click', handler);
  }
  bindUndo(handler) {
    $('undo').addEventListener('click', handler);
    this.handlers.undo = handler;
  }
  bindRedo(handler) {
    $('redo').addEventListener('click', handler);
    this.handlers.redo = handler;
  }
  bindToggleChanges(handler) {
    $('toggle-changes').addEventListener('click', handler);
  }
  bindSave(handler) {
    $('save').addEventListener('click', () => handler($('proposal-message').value.trim()));
  }
  bindDiscard(handler) {
    $('discard').addEventListener('click', handler);
  }
  bindEnd(handler) {
    $('end-contract').addEventListener('click', handler);
  }
  bindRebase(handler) {
    $('rebase').addEventListener('click', handler);
  }
  bindDiscardForServer(handler) {
    $('discard-draft').addEventListener('click', handler);
  }
  bindCancelQueued(handler) {
    $('cancel-queued').addEventListener('click', handler);
  }
  bindDismissServer(handler) {
    $('dismiss-server').addEventListener('click', handler);
  }
  bindReload(handler) {
    $('reload').addEventListener('click', handler);
  }
  // (key, text): key is 'accept', 'decline' or 'withdraw'; text the reason.
  bindAnswer(handler) {
    $('accept').addEventListener('click', () => handler('accept'));
    $('decline').addEventListener('click', () =>
      handler('decline', $('decline-reason').value.trim()),
    );
    $('withdraw').addEventListener('click', () => handler('withdraw'));
  }
  bindShortcuts() {
    document.addEventListener('keydown', (e) => {
      const inField = e.target.closest?.('input, textarea');
      if (inField || !(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z') return;
      e.preventDefault();
      if (e.shiftKey) {
        if (!$('redo').disabled) this.handlers.redo?.();
      } else if (!$('undo').disabled) this.handlers.undo?.();
    });
  }
  // preview(id, toIndex) -> { ok, issues, allowedRange, text }; drop(id, toIndex)
  bindDrag({ preview, drop }) {
    attachDrag(this.list, {
      preview,
      drop,
      status: (text, kind) => this.dragStatus(text, kind),
    });
  }

  // ---- the list ----

  // Whether the page lets the person edit at all (not while a changeset
  // waits or a conflict is open); the engine's `can` decides the rest.
  setLocked(locked) {
    this.locked = locked;
  }

  setSavedRows(rows) {
    this.savedRows = new Map(rows.map((row) => [row.id, row]));
  }

  // Draws a whole View (a first render, a new session, a structural change):
  // rows are reused where they exist and redrawn only when their row changed.
  renderAll(view, notesOf) {
    this.flushTail();
    const order = view.milestones.map((row) => row.id);
    const count = order.length;
    this.count = count;
    const first = this.rows.size === 0 && count > FIRST_ROWS + TAIL_CHUNK;
    this.eager = count <= SHORT_LIST ? SHORT_LIST : EAGER_ROWS;
    const seen = new Set(order);
    for (const [id, record] of this.rows) {
      if (!seen.has(id)) {
        record.el.remove();
        this.rows.delete(id);
      }
    }
    if (first) {
      // Rows past the first screens get a record now and an element later.
      view.milestones.forEach((row, i) => {
        if (i < FIRST_ROWS) this.renderRow(row, count, notesOf(row.id));
        else {
          const kind = this.rowKind(row);
          this.rows.set(row.id, {
            pending: true,
            el: null,
            data: row,
            kind,
            key: `${kind}|${this.locked}`,
            notes: notesOf(row.id),
            saved: this.savedRows.get(row.id) ?? null,
          });
        }
      });
      this.tail = order.slice(FIRST_ROWS);
      this.applyOrder(order.slice(0, FIRST_ROWS));
      this.scheduleTail();
    } else {
      view.milestones.forEach((row) => this.renderRow(row, count, notesOf(row.id)));
      this.applyOrder(order);
    }
    this.count = count;
  }

  // Puts the next rows of the tail in the list, then yields; `ready` is said
  // once the whole list is there.
  scheduleTail() {
    clearTimeout(this.tailTimer);
    this.tailTimer = setTimeout(() => {
      this.appendTail(TAIL_CHUNK);
      if (this.tail.length) this.scheduleTail();
      else this.tailDone();
    }, 0);
  }

  appendTail(count) {
    const ids = this.tail.splice(0, count);
    const fragment = document.createDocumentFragment();
    for (const id of ids) {
      const record = this.rows.get(id);
      if (!record) continue;
      const el = h('li', { class: 'row pending' });
      this.observe(el);
      record.el = el;
      this.fillPlaceholder(record);
      fragment.append(el);
    }
    this.list.append(fragment);
  }

  // Anything that reorders the list or needs a far row has the whole list first.
  flushTail() {
    if (!this.tail?.length) return;
    clearTimeout(this.tailTimer);
    this.appendTail(this.tail.length);
    this.tailDone();
  }

  tailDone() {
    const whenDone = this.whenComplete;
    this.whenComplete = null;
    whenDone?.();
  }

  // Redraws only the given rows (what the session said it touched).
  renderRows(rows, notesOf) {
    for (const row of rows) this.renderRow(row, this.count, notesOf(row.id));
  }

  // Re-renders rows with their last row data (notes or saved actions changed).
  refreshRows(ids, notesOf) {
    for (const id of ids) {
      const record = this.rows.get(id);
      if (record) this.renderRow(record.data, this.count, notesOf(id), true);
    }
  }

  refreshAll(notesOf) {
    this.refreshRows([...this.rows.keys()], notesOf);
  }

  applyOrder(order) {
    for (const ghost of this.ghosts.values()) ghost.remove();
    let previous = null;
    for (const id of order) {
      const el = this.rows.get(id).el;
      const expected = previous ? previous.nextSibling : this.list.firstChild;
      if (expected !== el) this.list.insertBefore(el, expected);
      previous = el;
    }
    this.placeGhosts();
  }

  rowKind(row) {
    return !this.locked && row.can.edit.ok ? 'edit' : 'view';
  }

  // A row is built in full when it comes near the screen (or is needed);
  // until then it is a light placeholder holding its row, so a list of a
  // thousand opens as fast as a list of thirty.
  renderRow(row, count, notes, force = false) {
    let record = this.rows.get(row.id);
    const kind = this.rowKind(row);
    const saved = this.savedRows.get(row.id) ?? null;
    const key = `${kind}|${this.locked}`;
    if (
      record &&
      !force &&
      record.data === row &&
      record.key === key &&
      record.notes === notes &&
      record.saved === saved &&
      record.marks === this.marksOf(row.id)
    )
      return;
    if (!record && this.rows.size >= (this.eager ?? EAGER_ROWS)) {
      record = { pending: true, el: h('li', { class: 'row pending' }) };
      this.observe(record.el);
      this.rows.set(row.id, record);
    }
    if (record?.pending) {
      Object.assign(record, { data: row, kind, key, notes, saved });
      // A row of the tail not in the list yet is drawn when it is put there.
      if (record.el) this.fillPlaceholder(record);
      return;
    }
    if (!record || record.kind !== kind) {
      const fresh = kind === 'edit' ? this.makeEditableRow() : this.makeLockedRow();
      if (record) record.el.replaceWith(fresh.el);
      record = fresh;
      this.rows.set(row.id, record);
    }
    record.data = row;
    record.key = key;
    record.notes = notes;
    record.saved = saved;
    record.marks = this.marksOf(row.id);
    this.fillRow(record, row, count, notes, saved);
  }

  observe(el) {
    if (!this.observer) {
      // Rows coming near the screen are built nearest first, a few per task,
      // so scrolling into a thousand rows never holds up a keystroke.
      this.toBuild = new Map(); // id -> distance from the screen
      this.observer = new IntersectionObserver(
        (entries) => {
          for (const entry of entries) {
            const id = entry.target.dataset.id;
            if (entry.isIntersecting) {
              const top = entry.boundingClientRect.top;
              this.toBuild.set(id, top < 0 ? -top : Math.max(0, top - innerHeight));
            } else {
              this.toBuild.delete(id);
            }
          }
          this.buildSoon();
        },
        { rootMargin: '1500px 0px' },
      );
    }
    this.observer.observe(el);
  }

  buildSoon() {
    if (this.buildTimer || this.toBuild.size === 0) return;
    this.buildTimer = setTimeout(() => {
      this.buildTimer = 0;
      const nearest = [...this.toBuild].sort((a, b) => a[1] - b[1]).slice(0, BUILD_CHUNK);
      for (const [id] of nearest) {
        this.toBuild.delete(id);
        this.materialize(id);
      }
      this.buildSoon();
    }, 0);
  }

  // A row not built yet: one line of text, readable and the right place for a drag.
  fillPlaceholder(record) {
    const { el, data: row } = record;
    const kind = record.kind ?? this.rowKind(row);
    if (el.dataset.id !== row.id) el.dataset.id = row.id;
    el.className = `row ${kind === 'edit' ? 'editable' : 'locked'} pending`;
    setText(el, `${row.index + 1}. ${row.title} · ${row.text.amount} · ${row.stateLabel}`);
  }

  // Builds a placeholder's row in full; answers its record.
  materialize(id) {
    let record = this.rows.get(id);
    if (record?.pending && !record.el) {
      this.flushTail();
      record = this.rows.get(id);
    }
    if (!record?.pending) return record;
    this.observer.unobserve(record.el);
    const fresh = record.kind === 'edit' ? this.makeEditableRow() : this.makeLockedRow();
    record.el.replaceWith(fresh.el);
    this.rows.set(id, fresh);
    const { data, notes, saved } = record;
    Object.assign(fresh, { data, key: record.key, notes, saved, marks: this.marksOf(id) });
    this.fillRow(fresh, data, this.count, notes, saved);
    return fresh;
  }

  makeField(uid, field) {
    const id = `${uid}-${field}`;
    const issueId = `${id}-issue`;
    const wasId = `${id}-was`;
    const describedBy = `${issueId} ${wasId}`;
    let input;
    if (field === 'description') {
      input = h('textarea', { id, rows: 2, maxlength: 20000, 'aria-describedby': describedBy });
    } else if (field === 'dueDate') {
      input = h('input', { id, type: 'date', 'aria-describedby': describedBy });
    } else if (field === 'amount') {
      input = h('input', {
        id,
        type: 'text',
        inputmode: 'decimal',
        autocomplete: 'off',
        'aria-describedby': describedBy,
      });
    } else {
      input = h('input', {
        id,
        type: 'text',
        autocomplete: 'off',
        'aria-describedby': describedBy,
      });
    }
    input.dataset.field = field;
    const issue = h('p', { id: issueId, class: 'field-issue', 'aria-live': 'polite' });
    const was = h('p', { id: wasId, class: 'was' });
    return {
      input,
      issue,
      was,
      el: h(
        'div',
        { class: `field field-${field}` },
        h('label', { for: id, text: t(`field.${field}`) }),
        input,
        was,
        issue,
      ),
    };
  }

  commonParts(record) {
    record.handle = h('button', {
      type: 'button',
      class: 'handle',
      'aria-roledescription': t('row.handle'),
    });
    record.handle.append(h('span', { 'aria-hidden': 'true', text: '⠿' }));
    record.position = h('span', { class: 'position' });
    record.badge = h('span', { class: 'badge' });
    record.money = h('div', { class: 'row-money' });
    record.actions = h('div', { class: 'row-actions' });
    record.rowIssues = h('ul', { class: 'issues row-issues' });
    record.note = h('p', { class: 'change-note' });
  }

  makeEditableRow() {
    const uid = `r${this.nextUid++}`;
    const record = { kind: 'edit', uid, fields: {} };
    this.commonParts(record);
    for (const field of FIELDS) record.fields[field] = this.makeField(uid, field);
    record.up = h('button', { type: 'button', class: 'icon', 'data-act': 'up' }, '↑');
    record.down = h('button', { type: 'button', class: 'icon', 'data-act': 'down' }, '↓');
    record.del = h('button', { type: 'button', class: 'icon danger', 'data-act': 'delete' }, '✕');
    record.el = h(
      'li',
      { class: 'row editable' },
      h('div', { class: 'grip' }, record.handle, record.position),
      // A form of its own (never submitted: no submit button, several fields),
      // so Chromium's autofill, which re-reads the form a typed-in field
      // belongs to after every keystroke, reads these four fields and not
      // every field of the page outside a form (5–6 ms a keystroke at 1,000
      // milestones, against ~1 ms).
      h(
        'form',
        { class: 'fields' },
        FIELDS.map((f) => record.fields[f].el),
      ),
      h(
        'div',
        { class: 'side-col' },
        record.badge,
        record.money,
        record.actions,
        h('div', { class: 'row-buttons' }, record.up, record.down, record.del),
      ),
      record.note,
      record.rowIssues,
    );
    return record;
  }

  makeLockedRow() {
    const record = { kind: 'view', fields: {} };
    this.commonParts(record);
    record.handle.setAttribute('aria-disabled', 'true');
    record.title = h('h3', { class: 'title' });
    record.amount = h('p', { class: 'amount' });
    record.due = h('p', { class: 'due' });
    record.description = h('p', { class: 'description' });
    record.el = h(
      'li',
      { class: 'row locked' },
      h('div', { class: 'grip' }, record.handle, record.position),
      h(
        'div',
        { class: 'fields' },
        record.title,
        h('div', { class: 'facts' }, record.amount, record.due),
        record.description,
      ),
      h('div', { class: 'side-col' }, record.badge, record.money, record.actions),
      record.note,
      record.rowIssues,
    );
    return record;
  }

  fillRow(record, row, count, notes, saved) {
    const el = record.el;
    if (el.dataset.id !== row.id) el.dataset.id = row.id;
    const position = String(row.index + 1);
    setText(record.position, position);
    setText(record.badge, row.stateLabel);
    record.badge.className = `badge state-${row.state}`;
    const name = quoted(row.title);
    const marks = this.marksOf(row.id);

    // Issues by field: the engine's row issues, then the page's notes.
    const byField = new Map();
    const add = (field, issue) => {
      if (!byField.has(field)) byField.set(field, []);
      byField.get(field).push(issue);
    };
    for (const issue of row.issues) add(fieldOf(issue), issue);
    if (notes.parse) {
      byField.delete('amount');
      for (const issue of notes.parse) add('amount', issue);
    }
    for (const issue of notes.rejected ?? []) add('', issue);

    let hasError = false;
    if (record.kind === 'edit') {
      for (const field of FIELDS) {
        const { input, issue, was } = record.fields[field];
        const typed = field === 'amount' && notes.parse;
        if (document.activeElement !== input && !typed) {
          const value =
            field === 'amount'
              ? row.text.amount
              : field === 'dueDate'
                ? (row.dueDate ?? '')
                : (row[field] ?? '');
          if (input.value !== value) input.value = value;
        }
        const issues = byField.get(field) ?? [];
        const error = issues.some((i) => i.severity === 'error');
        hasError ||= error;
        const invalid = String(error);
        if (input.getAttribute('aria-invalid') !== invalid)
          input.setAttribute('aria-invalid', invalid);
        if (issues.length || issue.firstChild) issue.replaceChildren(...issues.map(issueSpan));
        this.fillWas(was, marks?.fields?.[field]);
      }
      const move = row.can.move;
      record.handle.setAttribute('aria-label', t('row.reorder', { title: name, position, count }));
      record.up.setAttribute('aria-label', t('row.moveUp', { title: name }));
      record.down.setAttribute('aria-label', t('row.moveDown', { title: name }));
      record.del.setAttribute('aria-label', `${row.can.delete.label} ${name}`);
      record.up.disabled = !move.ok || row.index - 1 < move.range.from;
      record.down.disabled = !move.ok || row.index + 1 > move.range.to;
      record.del.disabled = !row.can.delete.ok;
      record.del.title = row.can.delete.ok ? '' : row.can.delete.issue.message;
    } else {
      setText(record.title, row.title);
      setText(record.amount, row.text.amount);
      setText(record.due, row.text.dueDate || t('row.noDueDate'));
      setText(record.description, row.description ?? '');
      const why = row.can.move.ok ? '' : ` ${row.can.move.issue.message}`;
      record.handle.setAttribute(
        'aria-label',
        `${t('row.lockedHandle', { title: row.title || t('row.untitled'), state: row.stateLabel })}${why}`,
      );
      if (!record.wasBox) {
        record.wasBox = h('p', { class: 'was' });
        record.title.after(record.wasBox);
      }
      const fields = marks?.fields ?? {};
      const first = FIELDS.find((f) => fields[f]);
      this.fillWas(record.wasBox, first ? fields[first] : null);
    }
    this.fillMoney(record, row);
    this.fillActions(record, row, saved);
    const rowIssues = byField.get('') ?? [];
    hasError ||= rowIssues.some((i) => i.severity === 'error');
    if (rowIssues.length || record.rowIssues.firstChild)
      record.rowIssues.replaceChildren(...rowIssues.map(issueItem));
    el.classList.toggle('has-error', hasError);
    this.fillNote(record, marks);
  }

  fillWas(el, text) {
    if (text === undefined || text === null) {
      if (!el.hidden) {
        el.hidden = true;
        el.textContent = '';
      }
      return;
    }
    el.hidden = false;
    el.replaceChildren(
      h('span', { class: 'sr-only', text: t('row.changedWas') }),
      h('span', { 'aria-hidden': 'true', text: t('row.was') }),
      h('del', { text: text || t('row.empty') }),
    );
  }

  fillNote(record, marks) {
    const el = record.note;
    const text = marks?.added
      ? t('row.new')
      : marks?.movedFrom
        ? t('row.movedFrom', { position: marks.movedFrom })
        : '';
    setText(el, text);
    el.hidden = !text;
    record.el.classList.toggle(
      'changed',
      Boolean(marks && (marks.added || marks.movedFrom || Object.keys(marks.fields ?? {}).length)),
    );
  }

  fillMoney(record, row) {
    const parts = [];
    if (row.funded) parts.push(['', t('row.funded', { amount: row.text.funded })]);
    if (row.released) parts.push(['', t('row.released', { amount: row.text.released })]);
    if (row.refunded) parts.push(['', t('row.refunded', { amount: row.text.refunded })]);
    if (row.escrow) parts.push(['', t('row.escrow', { amount: row.text.escrow })]);
    for (const line of escrowLines(row)) parts.push(['escrow-note', line]);
    if (row.timer?.message) parts.push(['timer', row.timer.message]);
    const text = parts.map((p) => p[1]).join('|');
    if (record.moneyText === text) return;
    record.moneyText = text;
    record.money.replaceChildren(...parts.map(([cls, p]) => h('span', { class: cls, text: p })));
  }

  // The saved contract's actions for this milestone (fund, release, work):
  // offered when the engine allows them; they act on the saved contract.
  fillActions(record, row, saved) {
    const offered = saved && !this.locked ? ROW_ACTIONS.filter((key) => saved.can[key]?.ok) : [];
    const text = offered.map((key) => saved.can[key].label).join('|');
    if (record.actionsText === text) return;
    record.actionsText = text;
    const name = quoted(row.title);
    record.actions.replaceChildren(
      ...offered.map((key) =>
        h(
          'button',
          {
            type: 'button',
            class: PRIMARY_ACTIONS.has(key) ? 'primary small' : 'small',
            'data-act': key,
            'aria-label': `${saved.can[key].label} ${name}`,
          },
          `${saved.can[key].label}…`,
        ),
      ),
    );
  }

  focusRow(id, part = 'handle') {
    const record = this.materialize(id);
    if (!record) return false;
    const target = part === 'title' ? record.fields.title?.input : record.handle;
    target?.focus();
    return Boolean(target);
  }

  focusAfterDelete(index) {
    const rows = [...this.list.children].filter((el) => el.dataset.id);
    const next = rows[Math.min(index, rows.length - 1)];
    if (next) this.materialize(next.dataset.id)?.handle.focus();
    else $('add').focus();
  }

  indexOf(id) {
    return this.rows.get(id)?.data.index ?? -1;
  }

  dragStatus(text, kind) {
    const status = $('drag-status');
    setText(status, text);
    status.dataset.kind = kind;
  }

  // ---- Show Changes ----

  // marks: null (off) or { byId: Map(id -> { fields: {field: old text}, added, movedFrom }),
  // deleted: [{ id, index, title, amountText }], summary: [sentence] }
  renderChanges(on, marks) {
    $('toggle-changes').setAttribute('aria-pressed', String(on));
    $('changes').hidden = !on;
    const previous = this.marks;
    this.marks = on ? marks : null;
    if (on) fillList($('changes-list'), marks.summary.length ? marks.summary : [t('changes.none')]);
    // Rows whose marks changed are redrawn; the others keep theirs (the same
    // object, so a redraw of the row knows nothing changed).
    const changed = [];
    const ids = new Set([...(previous?.byId.keys() ?? []), ...(this.marks?.byId.keys() ?? [])]);
    for (const id of ids) {
      const before = previous?.byId.get(id);
      const now = this.marks?.byId.get(id);
      if (before && now && JSON.stringify(before) === JSON.stringify(now))
        this.marks.byId.set(id, before);
      else changed.push(id);
    }
    this.renderGhosts();
    return changed;
  }

  marksOf(id) {
    return this.marks?.byId.get(id) ?? null;
  }

  renderGhosts() {
    const wanted = new Map((this.marks?.deleted ?? []).map((d) => [d.id, d]));
    for (const [id, el] of this.ghosts) {
      if (!wanted.has(id)) {
        el.remove();
        this.ghosts.delete(id);
      }
    }
    for (const [id, d] of wanted) {
      let el = this.ghosts.get(id);
      if (!el) {
        el = h(
          'li',
          { class: 'row ghost', 'data-deleted-id': id },
          h('div', { class: 'grip' }, h('span', { class: 'position', text: String(d.index + 1) })),
          h(
            'div',
            { class: 'fields' },
            h(
              'p',
              { class: 'title' },
              h('span', { class: 'sr-only', text: t('row.deletedSr') }),
              h('del', { text: d.title || t('row.deletedUntitled') }),
            ),
            h('p', { class: 'amount' }, h('del', { text: d.amountText })),
          ),
          h(
            'div',
            { class: 'side-col' },
            h('span', { class: 'badge deleted-badge', text: t('row.deleted') }),
          ),
        );
        this.ghosts.set(id, el);
      }
      el.ghostIndex = d.index;
    }
    this.placeGhosts();
  }

  // A deleted milestone is shown where it was: before the row now at its index.
  placeGhosts() {
    if (this.ghosts.size === 0) return;
    const rows = [...this.list.children].filter((el) => el.dataset.id);
    const sorted = [...this.ghosts.values()].sort((a, b) => a.ghostIndex - b.ghostIndex);
    for (const ghost of sorted) {
      const before = rows[ghost.ghostIndex] ?? null;
      this.list.insertBefore(ghost, before);
    }
  }

  // ---- figures, status, panels ----

  renderFigures(contract, version) {
    const totals = contract.totals.text;
    const pairs = [
      [t('figures.amount'), totals.amount],
      [t('figures.released'), totals.released],
      [t('figures.refunded'), totals.refunded],
      [t('figures.escrow'), totals.escrow],
      [t('figures.carryOver'), totals.carryOver],
      [
        t('figures.status'),
        version === null
          ? contract.statusLabel
          : t('figures.statusVersion', { status: contract.statusLabel, version }),
      ],
    ];
    const text = pairs.map((p) => p.join(':')).join('|');
    if (this.figuresText === text) return;
    this.figuresText = text;
    renderFigures($('figures'), pairs);
  }

  // The page-level state: undo, redo, save, add, general issues.
  // `planTools`: false when the person never changes the plan (the mediator):
  // undo, Show Changes, add and save are then not shown at all.
  renderStatus({
    status,
    contract,
    generalIssues,
    readonlyReason,
    queued,
    label,
    proposing,
    planTools = true,
  }) {
    const locked = this.locked;
    document.querySelector('.toolbar .tools').hidden = !planTools;
    document.querySelector('.add-bar').hidden = !planTools;
    $('plan-buttons').hidden = !planTools;
    document.querySelector('.savebar').classList.toggle('no-plan', !planTools);
    $('undo').disabled = locked || !status.canUndo;
    $('redo').disabled = locked || !status.canRedo;
    const add = contract.can.add;
    const addButton = $('add');
    setText(addButton, `+ ${add.label}`);
    addButton.hidden = locked || (!add.ok && readonlyReason !== null);
    addButton.disabled = !add.ok;
    setText($('add-reason'), add.ok || addButton.hidden ? '' : reasonOf([add.issue]));
    $('discard').disabled = !status.dirty || queued;
    const save = $('save');
    setText(save, label);
    save.disabled = locked || !status.canSave;
    $('proposal-label').hidden = !proposing || locked;
    $('readonly').hidden = readonlyReason === null;
    setText($('readonly'), readonlyReason ?? '');
    const key = generalIssues.map((i) => i.code + i.message).join('|');
    if (this.generalKey !== key) {
      this.generalKey = key;
      fillList($('page-issues'), generalIssues, issueItem);
    }
    document.body.dataset.dirty = String(status.dirty);
  }

  renderContractActions(saved) {
    const end = saved.contract.can.end;
    $('end-contract').hidden = !end.ok;
    setText($('end-contract'), `${end.label}…`);
  }

  // The pending change request, as the engine's diff; the buttons are the
  // saved contract's `can` (hidden when the role may never do it).
  renderRequest(saved, shown) {
    const panel = $('request');
    const request = saved.request;
    panel.hidden = !request;
    if (!request) return;
    const mine = request.by === this.actor;
    setText($('request-title'), mine ? t('request.mine') : t('request.theirs'));
    setText($('request-message'), request.message ? t('row.quote', { text: request.message }) : '');
    $('request-message').hidden = !request.message;
    fillList($('request-changes'), request.summary);
    fillList($('request-issues'), request.issues, issueItem);
    for (const key of ['accept', 'decline', 'withdraw']) {
      const can = saved.contract.can[key];
      const button = $(key);
      button.hidden = !shown(can);
      button.disabled = !can.ok;
      setText(button, can.label);
      if (!can.ok) button.title = can.issue.message;
      else button.removeAttribute('title');
    }
    $('decline-label').hidden = $('decline').hidden;
  }

  // Disputes (each side's words, the mediator's Resolve) and running timers,
  // from the saved contract's View and its history. Drawn again only when
  // either changes, never per keystroke.
  renderEscrow(saved, history) {
    if (this.escrowOf?.saved === saved && this.escrowOf?.history === history) return;
    this.escrowOf = { saved, history };
    const rows = saved.milestones ?? [];
    const disputed = rows.filter((row) => row.dispute);
    const timed = rows.filter((row) => row.timer);
    $('escrow').hidden = disputed.length === 0 && timed.length === 0;
    $('disputes-box').hidden = disputed.length === 0;
    $('timers-box').hidden = timed.length === 0;
    fillList($('disputes'), disputed, (row) => this.disputeItem(row, history));
    fillList($('timers'), timed, (row) =>
      h('li', {}, h('strong', { text: quoted(row.title) }), ` ${row.timer.message}`),
    );
  }

  disputeItem(row, history) {
    const dispute = row.dispute;
    const name = quoted(row.title);
    const said = saidAbout(row.id, history);
    const resolve = row.can.resolveDispute;
    return h(
      'li',
      { class: 'dispute', 'data-id': row.id },
      h('h3', {
        class: 'title',
        text: t('escrow.disputeHeading', { title: name, amount: row.text.escrow }),
      }),
      h('p', {
        class: 'meta',
        text: t('escrow.openedBy', {
          by: word('actor', dispute.by),
          date: dispute.text.openedOn,
        }),
      }),
      h('blockquote', { class: 'quote' }, h('p', { text: dispute.reason })),
      row.refundRequest ? h('p', { text: refundLine(row.refundRequest) }) : null,
      said.length
        ? h(
            'div',
            { class: 'said' },
            h('p', { class: 'small', text: t('escrow.said') }),
            h(
              'ul',
              { class: 'summary' },
              said.map(({ entry, message }) =>
                h(
                  'li',
                  {},
                  h('span', {
                    class: 'meta',
                    text: t('escrow.saidBy', {
                      version: entry.version,
                      actor: word('actor', entry.actor),
                    }),
                  }),
                  message,
                ),
              ),
            ),
          )
        : null,
      resolve?.ok
        ? h(
            'div',
            { class: 'buttons' },
            h(
              'button',
              {
                type: 'button',
                class: 'primary',
                'data-act': 'resolveDispute',
                'aria-label': `${resolve.label} ${name}`,
              },
              `${resolve.label}…`,
            ),
          )
        : null,
    );
  }

  requestStatus(text) {
    setText($('request-status'), text);
  }

  saveStatus(text) {
    setText($('save-status'), text);
  }

  clearProposalMessage() {
    $('proposal-message').value = '';
  }

  renderConflict(conflict, version) {
    const panel = $('conflict');
    panel.hidden = !conflict;
    if (!conflict) return;
    setText($('conflict-intro'), t('conflict.intro', { version }));
    fillList(
      $('conflict-theirs'),
      conflict.theirs.length ? conflict.theirs : [t('conflict.noMilestoneChanges')],
    );
    fillList($('conflict-mine'), conflict.mine);
    const issues = [
      ...conflict.collisions.map((i) => ({
        ...i,
        severity: 'warning',
        message: t('conflict.both', { message: i.message }),
      })),
      ...conflict.rebaseIssues,
    ];
    fillList($('conflict-issues'), issues, issueItem);
  }

  renderQueued(outbox) {
    $('queued').hidden = !outbox;
    if (outbox) fillList($('queued-summary'), outbox.summary ?? []);
  }

  renderServerIssues(answer) {
    $('server-issues').hidden = !answer;
    if (!answer) return;
    setText($('server-message'), answer.message);
    fillList($('server-issue-list'), answer.issues, issueItem);
  }

  renderNet({ online, sending, queued }) {
    const net = $('net');
    let text = online ? t('net.online') : t('net.offline');
    if (sending) text = t('net.sending');
    else if (queued) text = online ? t('net.queuedOnline') : t('net.queuedOffline');
    net.dataset.net = online ? 'online' : 'offline';
    net.dataset.queued = queued ? '1' : '0';
    net.dataset.sending = String(sending);
    setText($('net-text'), text);
  }

  renderSide({ history, notifications, online }) {
    if (history && history.length === 0) {
      fillList($('history'), [t('side.noHistory')]);
    } else if (history) {
      fillList($('history'), [...history].reverse(), (entry) =>
        h(
          'li',
          {},
          h(
            'p',
            { class: 'meta' },
            t('side.entry', { version: entry.version, actor: word('actor', entry.actor) }),
            timeElement(entry.time),
          ),
          summaryList(entry.summary ?? []),
        ),
      );
    } else {
      fillList($('history'), [online ? t('side.loading') : t('side.historyOffline')]);
    }
    if (notifications) {
      fillList(
        $('notifications'),
        notifications.length ? notifications : [{ message: t('side.nothingNew') }],
        (n) =>
          h(
            'li',
            {},
            n.time ? h('p', { class: 'meta' }, timeElement(n.time)) : null,
            h('p', { text: n.message }),
          ),
      );
    } else {
      fillList($('notifications'), [online ? t('side.loading') : t('side.notificationsOffline')]);
    }
  }

  // The page is usable now; `data-ready` says so once every row is in the list.
  ready() {
    $('loading').hidden = true;
    const complete = () => {
      document.documentElement.dataset.ready = 'true';
    };
    if (this.tail?.length) this.whenComplete = complete;
    else complete();
  }

  fatal(text) {
    $('loading').hidden = true;
    $('fatal').hidden = false;
    setText($('fatal'), text);
  }

  updateReady() {
    $('update').hidden = false;
  }

  offlineReady() {
    document.documentElement.dataset.offlineReady = 'true';
  }

  // ---- the action dialog: what the engine says an action would do, first ----

  // spec: { title, fields: [{ name, kind: 'money'|'text'|'choice', label, value, required, options }],
  //   confirmLabel, preview(values) -> { events, figures, issues, fieldIssues, ready },
  //   confirm(values) -> Promise<{ ok, message, issues }> }
  openDialog(spec) {
    const dialog = $('money');
    setText($('money-title'), spec.title);
    setText($('money-intro'), spec.intro ?? '');
    $('money-intro').hidden = !spec.intro;
    const controls = new Map();
    const fieldIssues = new Map();
    const parts = spec.fields.map((field) => {
      const id = `dialog-${field.name}`;
      if (field.kind === 'choice') {
        const box = h('fieldset', { class: 'choice' }, h('legend', { text: field.label }));
        const radios = field.options.map((option, i) => {
          const radio = h('input', {
            type: 'radio',
            name: id,
            value: option.value,
            id: `${id}-${i}`,
          });
          radio.checked = option.value === field.value;
          box.append(h('label', { for: `${id}-${i}` }, radio, ` ${option.label}`));
          return radio;
        });
        controls.set(field.name, {
          value: () => radios.find((r) => r.checked)?.value ?? null,
          els: radios,
        });
        return box;
      }
      const issueId = `${id}-issue`;
      const input =
        field.kind === 'text'
          ? h('textarea', { id, rows: 3, maxlength: 2000, 'aria-describedby': issueId })
          : h('input', { id, type: 'text', inputmode: 'decimal', 'aria-describedby': issueId });
      input.value = field.value ?? '';
      const issue = h('p', { id: issueId, class: 'field-issue' });
      fieldIssues.set(field.name, { input, issue });
      controls.set(field.name, { value: () => input.value, els: [input] });
      return h(
        'div',
        { class: 'dialog-field' },
        h('label', { class: 'inline-field', for: id, text: field.label }),
        input,
        issue,
      );
    });
    $('money-inputs').replaceChildren(...parts);
    setText($('money-status'), '');
    const confirm = $('money-confirm');
    setText(confirm, spec.confirmLabel);
    const values = () => Object.fromEntries([...controls].map(([name, c]) => [name, c.value()]));

    const update = () => {
      const shown = spec.preview(values());
      fillList($('money-events'), shown.events ?? []);
      renderFigures($('money-figures'), shown.figures ?? []);
      fillList($('money-issues'), shown.issues ?? [], issueItem);
      for (const [name, { input, issue }] of fieldIssues) {
        const issues = shown.fieldIssues?.[name] ?? [];
        setText(issue, reasonOf(issues));
        input.setAttribute('aria-invalid', String(issues.length > 0));
      }
      confirm.disabled = !shown.ready;
    };
    // spec.link(name, values) -> { otherName: text }: a convenience that fills
    // another field from this one; what is accepted is still the engine's say.
    const link = (name) => {
      const filled = spec.link?.(name, values()) ?? {};
      for (const [other, text] of Object.entries(filled)) {
        const target = fieldIssues.get(other)?.input;
        if (target && target.value !== text) target.value = text;
      }
    };
    for (const [name, c] of controls) {
      for (const el of c.els) {
        if (el.type === 'radio') el.addEventListener('change', update);
        else
          el.addEventListener('input', () => {
            link(name);
            update();
          });
      }
    }
    update();

    const close = () => {
      confirm.removeEventListener('click', onConfirm);
      $('money-cancel').removeEventListener('click', onCancel);
      dialog.removeEventListener('close', close);
      if (dialog.open) dialog.close();
    };
    const onCancel = () => close();
    const onConfirm = async () => {
      confirm.disabled = true;
      setText($('money-status'), t('dialog.sending'));
      const result = await spec.confirm(values());
      if (result.ok) {
        close();
      } else {
        setText($('money-status'), result.message ?? '');
        fillList($('money-issues'), result.issues ?? [], issueItem);
        confirm.disabled = false;
      }
    };
    confirm.addEventListener('click', onConfirm);
    $('money-cancel').addEventListener('click', onCancel);
    dialog.addEventListener('close', close);
    dialog.showModal();
  }
}

// A history entry's sentences: the first few, the rest (a changeset of a
// thousand adds has a thousand) drawn only when the person opens them.
const SUMMARY_SHOWN = 8;
function summaryList(lines) {
  const list = h(
    'ul',
    {},
    lines.slice(0, SUMMARY_SHOWN).map((line) => h('li', { text: line })),
  );
  if (lines.length <= SUMMARY_SHOWN) return list;
  const more = h(
    'details',
    {},
    h('summary', { text: t('side.more', { count: lines.length - SUMMARY_SHOWN }) }),
  );
  more.addEventListener(
    'toggle',
    () => {
      if (more.children.length > 1) return;
      more.append(
        h(
          'ul',
          {},
          lines.slice(SUMMARY_SHOWN).map((line) => h('li', { text: line })),
        ),
      );
    },
    { once: true },
  );
  return h('div', {}, list, more);
}

function renderFigures(dl, pairs) {
  dl.replaceChildren(
    ...pairs.map(([term, value]) =>
      h('div', { class: 'figure' }, h('dt', { text: term }), h('dd', { text: value })),
    ),
  );
}

// Made for the page's language when first needed (it is known by then).
let timeFormat = null;

// A server timestamp (when a change was saved), in the reader's zone.
function timeElement(iso) {
  const d = new Date(iso);
  if (timeFormat?.resolvedOptions().locale.split('-')[0] !== language()) {
    timeFormat = new Intl.DateTimeFormat(language(), {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
  }
  const text = Number.isNaN(d.getTime()) ? String(iso) : timeFormat.format(d);
  return h('time', { datetime: String(iso), text });
}
