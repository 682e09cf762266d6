// The milestone editor. Every rule comes from the engine (dist/milestone-engine):
// this file only turns the engine's answers into DOM and the person's input
// into engine actions. User text reaches the DOM through textContent only.

import { createEngine } from '/dist/milestone-engine/index.mjs';
import * as store from './store.mjs';
import { attachDrag } from './drag.mjs';

const params = new URLSearchParams(location.search);
const ROLE = params.get('as') === 'freelancer' ? 'freelancer' : 'client';
const OTHER = ROLE === 'client' ? 'freelancer' : 'client';
const CONTRACT_ID = params.get('contract') || 'ctr-demo';
// The reference server's demo tokens (SPEC §6); ?token= picks another.
const TOKEN = params.get('token') || (ROLE === 'client' ? 'demo-client' : 'demo-freelancer');
const KEY = store.keyOf(CONTRACT_ID, ROLE);
const EDIT_FIELDS = ['title', 'amount', 'dueDate', 'description'];
const FIELD_LABELS = { title: 'Title', amount: 'Amount', dueDate: 'Due date', description: 'Description' };
const STATE_LABELS = {
  not_funded: 'Not funded', active: 'Active', submitted: 'Submitted',
  released: 'Released', refunded: 'Refunded',
};
const RETRY_MS = 4000;

const $ = (id) => document.getElementById(id);

const app = {
  engine: null,
  server: null,   // the newest contract the server sent
  base: null,     // the contract the session's draft started from
  session: null,
  // Amount text that parseMoney refused: it never reached the draft, so the
  // field keeps the typed text and its issue. Key: `${id}|amount`.
  parseErrors: new Map(),
  rejections: new Map(),  // milestone id (or '') -> issues of a refused action
  undoDepth: 0,
  redoDepth: 0,
  outbox: null,     // the changeset waiting to be sent, as stored
  sending: false,
  online: navigator.onLine,
  conflict: null,   // { theirs, mine, collisions, rebaseIssues }
  serverIssues: null,
  showChanges: false,
  history: null,
  notifications: null,
  rows: new Map(),  // milestone id -> row record
  nextUid: 0,
};

// ---- small DOM helpers: text only, listeners only through addEventListener ----

function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);  // strings become text nodes
  }
  return el;
}

function fillList(list, lines, make = (line) => h('li', { text: line })) {
  list.replaceChildren(...lines.map(make));
}

function issueItem(issue) {
  return h('li', { class: `issue ${issue.severity}` },
    h('span', { class: 'msg', text: issue.message }),
    issue.hint ? h('span', { class: 'hint', text: ` ${issue.hint}` }) : null);
}

function money(amount) {
  return app.engine.formatMoney(amount);
}

const dateFormat = new Intl.DateTimeFormat('en-US',
  { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
function readableDate(iso) {
  if (!iso) return 'No due date';
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
}

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- the server ----

class OfflineError extends Error {}

async function api(path, { method = 'GET', headers = {}, body } = {}) {
  // No request at all while the browser knows it is offline: the 'online'
  // event brings the page back to the server.
  if (!navigator.onLine) throw new OfflineError('offline');
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, ...headers },
    body,
    cache: 'no-store',
    signal: AbortSignal.timeout(15000),
  });
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  return { status: response.status, ok: response.ok, data };
}

const contractPath = `/api/contracts/${encodeURIComponent(CONTRACT_ID)}`;

function postBody(actions) {
  return JSON.stringify({ actor: ROLE, actions });
}

function setOnline(online) {
  if (app.online !== online) {
    app.online = online;
    renderNet();
  }
}

// ---- the draft ----

function draft() {
  return app.session.contract;
}

function changes() {
  return app.session.changes();
}

function hasChanges() {
  return app.session !== null && changes().changes.length > 0;
}

// The session's edit actions, unwrapped from a freelancer's `propose`.
function draftActions() {
  const actions = app.session.changeset().actions;
  if (actions.length === 1 && actions[0].type === 'propose') return actions[0].actions;
  return actions;
}

function openSession(contract, actions = []) {
  const session = app.engine.openSession(contract, { actor: ROLE });
  if (actions.length > 0) {
    const result = session.apply(actions);
    if (!result.applied) {
      session.dispose();
      return { session: null, issues: result.issues };
    }
  }
  return { session, issues: [] };
}

function replaceSession(session, base) {
  if (app.session) app.session.dispose();
  app.session = session;
  app.base = base;
  app.undoDepth = 0;
  app.redoDepth = 0;
  app.parseErrors.clear();
  app.rejections.clear();
}

async function adoptServerContract(contract) {
  app.server = contract;
  replaceSession(openSession(contract).session, contract);
  await store.put('contracts', KEY, contract);
  await store.remove('drafts', KEY);
}

// Written at once, not debounced: a reload right after a keystroke must not
// lose it. IndexedDB runs the writes in the order they were made.
function persistDraftSoon() {
  persistDraft().catch((error) => console.warn('The draft could not be kept:', error));
}

async function persistDraft() {
  if (!app.session) return;
  if (hasChanges()) {
    await store.put('drafts', KEY, { base: app.base, actions: draftActions() });
  } else {
    await store.remove('drafts', KEY);
  }
}

// Why the draft cannot be edited now, or null. The engine decides whether the
// role may edit this contract (pending request, ended contract, role), by
// checking a minimal edit against the saved contract.
function blockReason() {
  if (app.outbox) return 'Your changes are waiting to be sent; editing resumes once they are.';
  if (app.conflict) return 'Resolve the change above before editing further.';
  const add = { type: 'add', milestone: { title: 'Probe', amount: app.engine.policy.minimumAmount } };
  const action = ROLE === 'client' ? add : { type: 'propose', actions: [add] };
  const result = app.engine.check(app.base, action, { actor: ROLE });
  const error = result.issues.find((i) => i.severity === 'error');
  return error ? `${error.message} ${error.hint ?? ''}`.trim() : null;
}

function afterEdit(result, id) {
  if (result.applied) {
    app.undoDepth += 1;
    app.redoDepth = 0;
    app.rejections.delete(id ?? '');
  } else {
    app.rejections.set(id ?? '', result.issues);
  }
  persistDraftSoon();
  render();
  return result;
}

function editField(id, field, input) {
  let value = input.value;
  if (field === 'amount') {
    const parsed = app.engine.parseMoney(value);
    if (!parsed.ok) {
      app.parseErrors.set(`${id}|amount`, parsed.issues);
      render();
      return;
    }
    app.parseErrors.delete(`${id}|amount`);
    value = parsed.amount;
  } else if (field === 'dueDate') {
    value = value === '' ? null : value;
  }
  afterEdit(app.session.apply({ type: 'edit', id, set: { [field]: value } }), id);
}

function addMilestone() {
  const result = afterEdit(app.session.apply(
    { type: 'add', milestone: { title: '', amount: 0, dueDate: null } }), '');
  if (result.applied && result.touched.length > 0) {
    app.rows.get(result.touched[0])?.inputs.title?.focus();
  }
}

function deleteMilestone(id) {
  const index = draft().milestones.findIndex((m) => m.id === id);
  const result = afterEdit(app.session.apply({ type: 'delete', id }), id);
  if (result.applied) {
    app.parseErrors.delete(`${id}|amount`);
    const next = draft().milestones[Math.min(index, draft().milestones.length - 1)];
    const row = next && app.rows.get(next.id);
    (row?.handle ?? $('add')).focus();
  }
}

function reasonOf(issues) {
  const error = issues.find((i) => i.severity === 'error') ?? issues[0];
  return error ? `${error.message}${error.hint ? ` ${error.hint}` : ''}` : '';
}

function titleOf(id) {
  const m = draft().milestones.find((x) => x.id === id);
  return m && m.title.trim() ? `“${m.title.trim()}”` : 'This milestone';
}

// What a drop of `id` at `toIndex` would do, from the engine.
function previewMove(id, toIndex) {
  return app.engine.previewReorder(draft(), id, toIndex);
}

function dragMessage(id, toIndex, preview) {
  if (!preview.ok) return { forbidden: true, text: `Can’t drop here: ${reasonOf(preview.issues)}` };
  const warnings = preview.issues.filter((i) => i.severity === 'warning').map((i) => i.message);
  return {
    forbidden: false,
    text: [`Drop to move ${titleOf(id)} to position ${toIndex + 1}.`, ...warnings].join(' '),
  };
}

// Moves through the engine; refusals are shown with the engine's reason.
function moveTo(id, toIndex, { focus = false } = {}) {
  const from = draft().milestones.findIndex((m) => m.id === id);
  if (toIndex === from) return;
  const preview = previewMove(id, toIndex);
  const status = $('drag-status');
  if (!preview.ok) {
    status.textContent = `Not moved: ${reasonOf(preview.issues)}`;
    status.dataset.kind = 'forbidden';
    return;
  }
  const result = afterEdit(app.session.apply({ type: 'move', id, toIndex }), id);
  if (result.applied) {
    const warnings = preview.issues.filter((i) => i.severity === 'warning').map((i) => i.message);
    status.textContent = [`Moved ${titleOf(id)} to position ${toIndex + 1}.`, ...warnings].join(' ');
    status.dataset.kind = warnings.length ? 'warning' : 'ok';
  } else {
    status.textContent = `Not moved: ${reasonOf(result.issues)}`;
    status.dataset.kind = 'forbidden';
  }
  if (focus) app.rows.get(id)?.handle.focus();
}

function moveBy(id, delta) {
  const from = draft().milestones.findIndex((m) => m.id === id);
  const to = from + delta;
  if (to < 0 || to >= draft().milestones.length) return;
  moveTo(id, to, { focus: true });
}

function undo() {
  const result = app.session.undo();
  if (result.applied) { app.undoDepth -= 1; app.redoDepth += 1; }
  app.parseErrors.clear();
  persistDraftSoon();
  render();
}

function redo() {
  const result = app.session.redo();
  if (result.applied) { app.redoDepth -= 1; app.undoDepth += 1; }
  app.parseErrors.clear();
  persistDraftSoon();
  render();
}

async function discardDraft() {
  replaceSession(openSession(app.base).session, app.base);
  await store.remove('drafts', KEY);
  $('drag-status').textContent = '';
  render();
}

// ---- saving: the outbox holds one changeset and its idempotency key ----

async function save() {
  if (app.outbox || !canSave()) return;
  const changeset = app.session.changeset();
  const actions = changeset.actions;
  const note = $('proposal-message').value.trim();
  if (ROLE === 'freelancer' && note && actions.length === 1 && actions[0].type === 'propose') {
    actions[0].message = note;
  }
  const entry = {
    key: newKey(),  // made once: every retry of this changeset sends the same key
    contractId: CONTRACT_ID,
    baseVersion: changeset.baseVersion,
    actions,
    summary: changeset.summary,
    queuedAt: new Date().toISOString(),
  };
  await persistDraft();
  await store.put('outbox', KEY, entry);
  app.outbox = entry;
  app.serverIssues = null;
  render();
  await sendQueued();
}

let retryTimer = 0;
function retrySoon() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => { sendQueued(); }, RETRY_MS);
}

// One changeset to the server, made against `baseVersion`; a retry must reuse `key`.
function postChangeset(actions, baseVersion, key) {
  return api(`${contractPath}/changesets`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'If-Match': `"${baseVersion}"`,
      'Idempotency-Key': key,
    },
    body: postBody(actions),
  });
}

async function sendQueued() {
  const entry = app.outbox;
  if (!entry || app.sending) return;
  app.sending = true;
  renderNet();
  let reply;
  try {
    reply = await postChangeset(entry.actions, entry.baseVersion, entry.key);
  } catch {
    app.sending = false;
    setOnline(false);
    render();
    if (navigator.onLine) retrySoon();
    return;
  }
  app.sending = false;
  setOnline(true);
  if (reply.status >= 500 || reply.status === 429 || reply.status === 408) {
    render();
    retrySoon();
    return;
  }
  // Any answer but a transient one ends this changeset's life in the outbox:
  // the same key would only replay the same answer.
  await store.remove('outbox', KEY);
  app.outbox = null;
  if (reply.ok && reply.data?.contract) {
    await adoptServerContract(reply.data.contract);
    $('proposal-message').value = '';
    $('save-status').textContent = ROLE === 'client'
      ? `Saved. The contract is now at version ${reply.data.contract.version}.`
      : 'Proposal sent to the client.';
    refreshSide();
  } else if (reply.status === 412 && reply.data?.contract) {
    app.server = reply.data.contract;
    await store.put('contracts', KEY, app.server);
    openConflict();
  } else {
    app.serverIssues = {
      message: reply.data?.message ?? `The server answered ${reply.status}.`,
      issues: Array.isArray(reply.data?.issues) ? reply.data.issues : [],
    };
  }
  render();
}

async function cancelQueued() {
  await store.remove('outbox', KEY);
  app.outbox = null;
  render();
}

// ---- the other side changed the contract: rebase or discard, never overwrite ----

function openConflict() {
  const mine = changes();
  const replay = app.engine.applyChanges(app.server, mine.changes);
  app.conflict = {
    theirs: app.engine.diff(app.base, app.server).summary,
    mine: mine.summary,
    collisions: replay.ok ? [] : replay.issues,
    rebaseIssues: [],
  };
}

async function rebase() {
  const { session, issues } = openSession(app.server, draftActions());
  if (!session) {
    app.conflict.rebaseIssues = issues;
    render();
    return;
  }
  replaceSession(session, app.server);
  app.conflict = null;
  await persistDraft();
  render();
}

async function discardForServer() {
  await adoptServerContract(app.server);
  app.conflict = null;
  render();
}

// ---- actions that happen at once (money, requests) ----

async function postNow(actions) {
  let reply;
  try {
    reply = await postChangeset(actions, app.server.version, newKey());
  } catch {
    setOnline(false);
    return { ok: false, message: 'You are offline. This needs the network; try again when you are back online.' };
  }
  setOnline(true);
  if (reply.ok && reply.data?.contract) {
    await adoptServerContract(reply.data.contract);
    refreshSide();
    render();
    return { ok: true, events: reply.data.events ?? [] };
  }
  if (reply.status === 412 && reply.data?.contract && !hasChanges()) {
    await adoptServerContract(reply.data.contract);
    render();
    return { ok: false, message: 'The contract changed meanwhile. It is now up to date; check it and try again.' };
  }
  return {
    ok: false,
    message: reply.data?.message ?? `The server answered ${reply.status}.`,
    issues: Array.isArray(reply.data?.issues) ? reply.data.issues : [],
  };
}

// Why a money action cannot start now (a page state, not a contract rule), or null.
function moneyBlocker() {
  if (!app.online) return 'This needs the network. You are offline.';
  if (hasChanges() || app.outbox) return 'Save or discard your milestone changes first.';
  return null;
}

// A dialog that shows what the engine says an action would do before it is sent.
function openMoneyDialog({ title, intro, inputs = [], action, confirmLabel }) {
  const dialog = $('money');
  $('money-title').textContent = title;
  $('money-intro').textContent = intro;
  $('money-inputs').replaceChildren(...inputs.map((i) => i.el));
  $('money-status').textContent = '';
  const confirm = $('money-confirm');
  confirm.textContent = confirmLabel;
  let current = null;

  const update = () => {
    const blocker = moneyBlocker();
    const built = action();
    current = built.action;
    let issues = built.issues ?? [];
    let events = [];
    let after = null;
    if (current && issues.length === 0) {
      const result = app.engine.apply(app.server, current, { actor: ROLE });
      issues = result.issues.filter((i) => i.severity === 'error');
      if (result.ok) { events = result.events; after = result.contract; }
    }
    fillList($('money-events'), events.map((e) => e.message));
    const figures = [];
    if (after) {
      const charged = events.filter((e) => e.type === 'charged' || e.type === 'feeCharged')
        .reduce((sum, e) => sum + (e.amount ?? 0), 0);
      const released = events.filter((e) => e.type === 'released').reduce((s, e) => s + (e.amount ?? 0), 0);
      const refunded = events.filter((e) => e.type === 'refunded').reduce((s, e) => s + (e.amount ?? 0), 0);
      if (charged) figures.push(['Charged now', money(charged)]);
      if (released) figures.push(['Paid to the freelancer', money(released)]);
      if (refunded) figures.push(['Refunded to the client', money(refunded)]);
      figures.push(['Carry-over before', money(app.server.carryOver)]);
      figures.push(['Carry-over after', money(after.carryOver)]);
    }
    renderFigures($('money-figures'), figures);
    const shown = blocker ? [{ severity: 'error', message: blocker }] : issues;
    fillList($('money-issues'), shown, issueItem);
    confirm.disabled = Boolean(blocker) || !after;
  };

  for (const input of inputs) input.watch?.(update);
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
    $('money-status').textContent = 'Sending…';
    const result = await postNow([current]);
    if (result.ok) {
      close();
      $('save-status').textContent = result.events.map((e) => e.message).join(' ');
    } else {
      $('money-status').textContent = result.message;
      fillList($('money-issues'), result.issues ?? [], issueItem);
      confirm.disabled = false;
    }
  };
  confirm.addEventListener('click', onConfirm);
  $('money-cancel').addEventListener('click', onCancel);
  dialog.addEventListener('close', close);
  dialog.showModal();
}

function openFund(m) {
  openMoneyDialog({
    title: `Fund “${m.title}”`,
    intro: `Put ${money(m.amount)} into escrow so work on this milestone can start.`,
    action: () => ({ action: { type: 'fund', id: m.id } }),
    confirmLabel: 'Fund milestone',
  });
}

function openRelease(m) {
  const available = m.funded - m.released;
  const field = h('input', { id: 'release-amount', type: 'text', inputmode: 'decimal',
    'aria-describedby': 'release-amount-issue' });
  field.value = money(available);
  const fieldIssue = h('p', { id: 'release-amount-issue', class: 'field-issue' });
  // Whether the person must choose end or keep open is the engine's call.
  const probe = app.engine.check(app.server, { type: 'release', id: m.id }, { actor: ROLE });
  const needsDecision = probe.issues.some((i) => i.code === 'DECISION_REQUIRED');
  const endChoice = h('input', { type: 'radio', name: 'then', value: 'end', id: 'then-end' });
  const keepChoice = h('input', { type: 'radio', name: 'then', value: 'keepOpen', id: 'then-keep' });
  keepChoice.checked = true;
  const decision = needsDecision ? h('fieldset', { class: 'choice' },
    h('legend', { text: 'This is the last milestone. Then:' }),
    h('label', {}, keepChoice, ' Keep the contract open (the unused deposit waits for a new milestone)'),
    h('label', {}, endChoice, ' End the contract (the unused deposit is refunded)')) : null;
  const inputs = [{
    el: h('div', {}, h('label', { class: 'inline-field', for: 'release-amount' }, 'Amount to release'),
      field, fieldIssue, decision),
    watch: (update) => {
      field.addEventListener('input', update);
      endChoice.addEventListener('change', update);
      keepChoice.addEventListener('change', update);
    },
  }];
  openMoneyDialog({
    title: `Release payment for “${m.title}”`,
    intro: `${money(available)} is in escrow for this milestone. Release all of it, or part: the rest pays toward the next milestone.`,
    inputs,
    action: () => {
      const parsed = app.engine.parseMoney(field.value);
      fieldIssue.textContent = parsed.ok ? '' : reasonOf(parsed.issues);
      field.setAttribute('aria-invalid', String(!parsed.ok));
      if (!parsed.ok) return { action: null, issues: parsed.issues };
      const action = { type: 'release', id: m.id, amount: parsed.amount };
      if (needsDecision) action.then = endChoice.checked ? 'end' : 'keepOpen';
      return { action };
    },
    confirmLabel: 'Release payment',
  });
}

function openEnd() {
  openMoneyDialog({
    title: 'End the contract',
    intro: 'Ending refunds any escrow still held. Ended contracts cannot change.',
    action: () => ({ action: { type: 'end' } }),
    confirmLabel: 'End contract',
  });
}

async function answerRequest(action) {
  const status = $('request-status');
  status.textContent = 'Sending…';
  const result = await postNow([action]);
  status.textContent = result.ok
    ? result.events.map((e) => e.message).join(' ')
    : `${result.message} ${(result.issues ?? []).map((i) => i.message).join(' ')}`.trim();
}

// ---- rendering ----

function renderFigures(dl, pairs) {
  dl.replaceChildren(...pairs.flatMap(([term, value]) =>
    [h('div', { class: 'figure' }, h('dt', { text: term }), h('dd', { text: value }))]));
}

function renderNet() {
  const net = $('net');
  const queued = app.outbox ? 1 : 0;
  let text = app.online ? 'Online' : 'Offline · changes stay on this device';
  if (app.sending) text = 'Sending changes…';
  else if (queued) text = `${app.online ? 'Online' : 'Offline'} · 1 change set queued`;
  net.dataset.net = app.online ? 'online' : 'offline';
  net.dataset.queued = String(queued);
  net.dataset.sending = String(app.sending);
  $('net-text').textContent = text;
}

function groupIssues() {
  const byRow = new Map();
  const general = [];
  const add = (id, field, issue) => {
    if (!byRow.has(id)) byRow.set(id, new Map());
    const fields = byRow.get(id);
    if (!fields.has(field)) fields.set(field, []);
    fields.get(field).push(issue);
  };
  for (const issue of app.session.issues) {
    const field = issue.path.split('/').pop();
    if (issue.milestoneId) add(issue.milestoneId, EDIT_FIELDS.includes(field) ? field : '', issue);
    else general.push(issue);
  }
  for (const [key, issues] of app.parseErrors) {
    const id = key.slice(0, key.lastIndexOf('|'));
    byRow.get(id)?.delete('amount');
    for (const issue of issues) add(id, 'amount', issue);
  }
  for (const [id, issues] of app.rejections) {
    if (id === '') general.push(...issues);
    else for (const issue of issues) add(id, '', issue);
  }
  return { byRow, general };
}

function fieldValue(m, field) {
  if (field === 'amount') return money(m.amount);
  if (field === 'dueDate') return m.dueDate ?? '';
  return m[field] ?? '';
}

function makeEditableRow(m) {
  const uid = `m${app.nextUid++}`;
  const row = { kind: 'edit', uid, inputs: {}, issues: {} };
  const make = (field) => {
    const id = `${uid}-${field}`;
    const issueId = `${id}-issue`;
    let input;
    if (field === 'description') {
      input = h('textarea', { id, rows: 2, maxlength: 20000, 'aria-describedby': issueId });
    } else if (field === 'dueDate') {
      input = h('input', { id, type: 'date', 'aria-describedby': issueId });
    } else if (field === 'amount') {
      input = h('input', { id, type: 'text', inputmode: 'decimal', autocomplete: 'off',
        'aria-describedby': issueId });
    } else {
      input = h('input', { id, type: 'text', autocomplete: 'off', 'aria-describedby': issueId });
    }
    input.dataset.field = field;
    input.addEventListener('input', () => editField(row.id, field, input));
    if (field === 'amount') {
      // Show the engine's formatting once the person leaves a valid amount.
      input.addEventListener('blur', () => render());
    }
    row.inputs[field] = input;
    row.issues[field] = h('p', { id: issueId, class: 'field-issue', 'aria-live': 'polite' });
    return h('div', { class: `field field-${field}` },
      h('label', { for: id, text: FIELD_LABELS[field] }), input, row.issues[field]);
  };
  row.handle = h('button', { type: 'button', class: 'handle', 'aria-roledescription': 'drag handle' });
  row.handle.append(h('span', { 'aria-hidden': 'true', text: '⠿' }));
  row.handle.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      moveBy(row.id, e.key === 'ArrowUp' ? -1 : 1);
    }
  });
  row.up = h('button', { type: 'button', class: 'icon', onclick: () => moveBy(row.id, -1) }, '↑');
  row.down = h('button', { type: 'button', class: 'icon', onclick: () => moveBy(row.id, 1) }, '↓');
  row.del = h('button', { type: 'button', class: 'icon danger', onclick: () => deleteMilestone(row.id) }, '✕');
  row.position = h('span', { class: 'position' });
  row.badge = h('span', { class: 'badge' });
  row.rowIssues = h('ul', { class: 'issues row-issues' });
  row.money = h('div', { class: 'row-money' });
  row.el = h('li', { class: 'row editable' },
    h('div', { class: 'grip' }, row.handle, row.position),
    h('div', { class: 'fields' }, make('title'), make('amount'), make('dueDate'), make('description')),
    h('div', { class: 'side-col' }, row.badge, row.money,
      h('div', { class: 'row-buttons' }, row.up, row.down, row.del)),
    row.rowIssues);
  return row;
}

function makeLockedRow() {
  const row = { kind: 'view', inputs: {}, issues: {} };
  row.handle = h('button', { type: 'button', class: 'handle', 'aria-disabled': 'true' });
  row.handle.append(h('span', { 'aria-hidden': 'true', text: '⠿' }));
  row.handle.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      moveBy(row.id, e.key === 'ArrowUp' ? -1 : 1);
    }
  });
  row.position = h('span', { class: 'position' });
  row.title = h('h3', { class: 'title' });
  row.amount = h('p', { class: 'amount' });
  row.due = h('p', { class: 'due' });
  row.description = h('p', { class: 'description' });
  row.badge = h('span', { class: 'badge' });
  row.money = h('div', { class: 'row-money' });
  row.buttons = h('div', { class: 'row-buttons' });
  row.rowIssues = h('ul', { class: 'issues row-issues' });
  row.el = h('li', { class: 'row locked' },
    h('div', { class: 'grip' }, row.handle, row.position),
    h('div', { class: 'fields' }, row.title, h('div', { class: 'facts' }, row.amount, row.due), row.description),
    h('div', { class: 'side-col' }, row.badge, row.money, row.buttons),
    row.rowIssues);
  return row;
}

function moneyFacts(m) {
  const parts = [];
  if (m.funded) parts.push(`Funded ${money(m.funded)}`);
  if (m.released) parts.push(`Released ${money(m.released)}`);
  if (m.state === 'active' || m.state === 'submitted') parts.push(`In escrow ${money(m.funded - m.released)}`);
  return parts.map((p) => h('span', { text: p }));
}

function renderRow(row, m, index, count, grouped, editable) {
  row.id = m.id;
  row.el.dataset.id = m.id;
  row.el.dataset.state = m.state;
  row.position.textContent = String(index + 1);
  row.badge.textContent = STATE_LABELS[m.state] ?? m.state;
  row.badge.dataset.state = m.state;
  row.money.replaceChildren(...moneyFacts(m));
  const name = m.title.trim() || `milestone ${index + 1}`;
  const fields = grouped.byRow.get(m.id) ?? new Map();
  let rowHasError = false;
  if (row.kind === 'edit') {
    for (const field of EDIT_FIELDS) {
      const input = row.inputs[field];
      const typed = field === 'amount' && app.parseErrors.has(`${m.id}|amount`);
      if (document.activeElement !== input && !typed) {
        const value = fieldValue(m, field);
        if (input.value !== value) input.value = value;
      }
      const issues = fields.get(field) ?? [];
      const error = issues.some((i) => i.severity === 'error');
      rowHasError ||= error;
      input.setAttribute('aria-invalid', String(error));
      row.issues[field].replaceChildren(...issues.map((i) => h('span', { class: `issue ${i.severity}` },
        h('span', { class: 'msg', text: i.message }),
        i.hint ? h('span', { class: 'hint', text: ` ${i.hint}` }) : null)));
    }
    row.handle.setAttribute('aria-label', `Reorder ${name}, position ${index + 1} of ${count}`);
    row.up.setAttribute('aria-label', `Move ${name} up`);
    row.down.setAttribute('aria-label', `Move ${name} down`);
    row.del.setAttribute('aria-label', `Delete ${name}`);
    row.up.disabled = index === 0;
    row.down.disabled = index === count - 1;
  } else {
    row.title.textContent = m.title;
    row.amount.textContent = money(m.amount);
    row.due.textContent = readableDate(m.dueDate);
    row.description.textContent = m.description ?? '';
    row.handle.setAttribute('aria-label',
      `${name} is ${STATE_LABELS[m.state]?.toLowerCase() ?? m.state}${editable ? '' : ' and cannot move'}`);
    renderRowButtons(row, m);
  }
  const rowIssues = fields.get('') ?? [];
  rowHasError ||= rowIssues.some((i) => i.severity === 'error');
  row.rowIssues.replaceChildren(...rowIssues.map(issueItem));
  row.el.classList.toggle('has-error', rowHasError);
}

function renderRowButtons(row, m) {
  const buttons = [];
  if (ROLE === 'client' && app.server && app.server.status === 'open') {
    const saved = app.server.milestones.find((x) => x.id === m.id);
    const firstFuture = app.server.milestones.find((x) => x.state === 'not_funded');
    if (saved && (saved.state === 'active' || saved.state === 'submitted')) {
      buttons.push(h('button', { type: 'button', class: 'primary small', onclick: () => openRelease(saved) },
        'Release…'));
    } else if (saved && firstFuture && saved.id === firstFuture.id &&
               app.engine.check(app.server, { type: 'fund', id: saved.id }, { actor: ROLE }).ok) {
      // Offered only when the engine would allow it (not while another
      // milestone is in flight, nor while a request waits).
      buttons.push(h('button', { type: 'button', class: 'small', onclick: () => openFund(saved) }, 'Fund…'));
    }
  }
  row.buttons?.replaceChildren(...buttons);
  return buttons;
}

function renderList(editable) {
  const list = $('list');
  const grouped = groupIssues();
  const milestones = draft().milestones;
  const seen = new Set();
  let previous = null;
  milestones.forEach((m, index) => {
    const wantEdit = editable && m.state === 'not_funded';
    let row = app.rows.get(m.id);
    if (!row || (row.kind === 'edit') !== wantEdit) {
      row?.el.remove();
      row = wantEdit ? makeEditableRow(m) : makeLockedRow(m);
      app.rows.set(m.id, row);
    }
    seen.add(m.id);
    renderRow(row, m, index, milestones.length, grouped, editable);
    if (row.kind === 'edit') {
      // The first future milestone also carries the Fund button.
      const extra = renderRowButtons({}, m);
      row.fund?.remove();
      row.fund = extra[0] ?? null;
      if (row.fund) row.el.querySelector('.row-buttons').prepend(row.fund);
    }
    const expected = previous ? previous.nextSibling : list.firstChild;
    if (expected !== row.el) list.insertBefore(row.el, expected);
    previous = row.el;
  });
  for (const [id, row] of app.rows) {
    if (!seen.has(id)) { row.el.remove(); app.rows.delete(id); }
  }
  return grouped;
}

function renderContractFigures() {
  const c = draft();
  const sum = (pick) => c.milestones.reduce((s, m) => s + pick(m), 0);
  const escrow = sum((m) => (m.state === 'active' || m.state === 'submitted' ? m.funded - m.released : 0));
  renderFigures($('figures'), [
    ['Contract total', money(sum((m) => m.amount))],
    ['Released', money(sum((m) => m.released))],
    ['In escrow', money(escrow)],
    ['Carry-over', money(c.carryOver)],
    ['Status', c.status === 'open' ? `Open · version ${app.server.version}` : 'Ended'],
  ]);
}

function renderRequest() {
  const panel = $('request');
  const request = app.server.changeRequest;
  panel.hidden = !request;
  if (!request) return;
  // What accepting would do, from the engine, shown as the diff it makes.
  const preview = app.engine.apply(app.server, { type: 'accept' }, { actor: 'client' });
  const lines = preview.ok ? app.engine.diff(app.server, preview.contract).summary : [];
  $('request-title').textContent = ROLE === 'client'
    ? 'The freelancer asks to change the milestones'
    : 'Your change request is waiting for the client';
  $('request-message').textContent = request.message ? `“${request.message}”` : '';
  $('request-message').hidden = !request.message;
  fillList($('request-changes'), lines);
  fillList($('request-issues'), preview.ok ? [] : preview.issues, issueItem);
  const client = ROLE === 'client';
  $('accept').hidden = !client;
  $('decline').hidden = !client;
  $('decline-label').hidden = !client;
  $('withdraw').hidden = client;
}

function renderConflict() {
  const panel = $('conflict');
  panel.hidden = !app.conflict;
  if (!app.conflict) return;
  $('conflict-intro').textContent =
    `The ${OTHER} saved version ${app.server.version} after you started. Your draft is kept; choose what to do with it.`;
  fillList($('conflict-theirs'), app.conflict.theirs.length ? app.conflict.theirs : ['No milestone changes (money or state only).']);
  fillList($('conflict-mine'), app.conflict.mine);
  const issues = [...app.conflict.collisions.map((i) => ({ ...i, severity: 'warning',
    message: `Both of you changed this: ${i.message}` })), ...app.conflict.rebaseIssues];
  fillList($('conflict-issues'), issues, issueItem);
}

function renderSide() {
  const history = app.history;
  if (history && history.length === 0) {
    fillList($('history'), ['No changes saved yet.']);
  } else if (history) {
    fillList($('history'), [...history].reverse(), (entry) => h('li', {},
      h('p', { class: 'meta', text: `Version ${entry.version} · ${entry.actor} · ${formatTime(entry.time)}` }),
      h('ul', {}, (entry.summary ?? []).map((line) => h('li', { text: line })))));
  } else {
    fillList($('history'), [app.online ? 'Loading…' : 'The history loads when you are online.']);
  }
  const notes = app.notifications;
  if (notes) {
    fillList($('notifications'), notes.length ? notes : [{ message: `Nothing from the ${OTHER} yet.` }],
      (n) => h('li', {}, n.time ? h('p', { class: 'meta', text: formatTime(n.time) }) : null,
        h('p', { text: n.message })));
  } else {
    fillList($('notifications'), [app.online ? 'Loading…' : 'Notifications load when you are online.']);
  }
}

function formatTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString('en-US',
    { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function canSave() {
  if (!app.session || app.outbox || app.conflict || app.parseErrors.size > 0) return false;
  if (!hasChanges()) return false;
  return app.session.changeset().ok;
}

function render() {
  if (!app.session) return;
  const block = blockReason();
  const editable = block === null;
  $('readonly').hidden = editable || Boolean(app.outbox) || Boolean(app.conflict);
  $('readonly').textContent = block ?? '';
  const grouped = renderList(editable);
  renderContractFigures();
  renderRequest();
  renderConflict();
  renderNet();

  const dirty = hasChanges();
  const showChanges = app.showChanges;
  $('toggle-changes').setAttribute('aria-pressed', String(showChanges));
  $('changes').hidden = !showChanges;
  if (showChanges) {
    const lines = changes().summary;
    fillList($('changes-list'), lines.length ? lines : ['No changes yet.']);
  }
  $('undo').disabled = !editable || app.undoDepth <= 0;
  $('redo').disabled = !editable || app.redoDepth <= 0;
  $('add').hidden = !editable;
  $('discard').disabled = !dirty || Boolean(app.outbox);
  const save = $('save');
  save.textContent = ROLE === 'client' ? 'Save' : 'Propose changes';
  save.disabled = !canSave();
  $('proposal-label').hidden = ROLE !== 'freelancer' || !editable;
  $('end-contract').hidden = app.server.status !== 'open';
  fillList($('page-issues'), grouped.general, issueItem);

  $('queued').hidden = !app.outbox;
  if (app.outbox) fillList($('queued-summary'), app.outbox.summary ?? []);
  const serverIssues = app.serverIssues;
  $('server-issues').hidden = !serverIssues;
  if (serverIssues) {
    $('server-message').textContent = serverIssues.message;
    fillList($('server-issue-list'), serverIssues.issues, issueItem);
  }
  document.body.dataset.dirty = String(dirty);
}

// ---- loading ----

async function loadContract() {
  try {
    const reply = await api(contractPath);
    setOnline(true);
    if (reply.ok && reply.data) return { contract: reply.data };
    return { error: reply.data?.message ?? `The server answered ${reply.status}.` };
  } catch {
    setOnline(false);
    return { offline: true };
  }
}

async function refreshSide() {
  try {
    const [history, notes] = await Promise.all([
      api(`${contractPath}/history`), api('/api/notifications')]);
    setOnline(true);
    if (history.ok) app.history = history.data?.history ?? [];
    if (notes.ok) {
      app.notifications = (notes.data?.notifications ?? []).filter((n) => n.contractId === CONTRACT_ID);
    }
    await store.put('contracts', `${KEY}|side`, { history: app.history, notifications: app.notifications });
  } catch {
    setOnline(false);
  }
  renderSide();
}

// Back online: send what waits, then catch up with the server.
async function onOnline() {
  setOnline(true);
  await sendQueued();
  if (app.outbox || !app.session) return;
  const loaded = await loadContract();
  if (!loaded.contract || loaded.contract.version === app.server.version) {
    refreshSide();
    return;
  }
  if (hasChanges()) {
    app.server = loaded.contract;
    await store.put('contracts', KEY, app.server);
    openConflict();
  } else {
    await adoptServerContract(loaded.contract);
  }
  render();
  refreshSide();
}

function wire() {
  $(`as-${ROLE}`).setAttribute('aria-current', 'page');
  $('contract-name').textContent = CONTRACT_ID;
  $('add').addEventListener('click', addMilestone);
  $('undo').addEventListener('click', undo);
  $('redo').addEventListener('click', redo);
  $('toggle-changes').addEventListener('click', () => { app.showChanges = !app.showChanges; render(); });
  $('save').addEventListener('click', save);
  $('discard').addEventListener('click', discardDraft);
  $('end-contract').addEventListener('click', openEnd);
  $('rebase').addEventListener('click', rebase);
  $('discard-draft').addEventListener('click', discardForServer);
  $('cancel-queued').addEventListener('click', cancelQueued);
  $('dismiss-server').addEventListener('click', () => { app.serverIssues = null; render(); });
  $('accept').addEventListener('click', () => answerRequest({ type: 'accept' }));
  $('decline').addEventListener('click', () => {
    const reason = $('decline-reason').value.trim();
    answerRequest(reason ? { type: 'decline', reason } : { type: 'decline' });
  });
  $('withdraw').addEventListener('click', () => answerRequest({ type: 'withdraw' }));
  $('reload').addEventListener('click', () => location.reload());
  document.addEventListener('keydown', (e) => {
    const inField = e.target.closest?.('input, textarea');
    if (inField || !(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z') return;
    e.preventDefault();
    if (e.shiftKey) { if (!$('redo').disabled) redo(); } else if (!$('undo').disabled) undo();
  });
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', () => setOnline(false));
  attachDrag($('list'), {
    preview: (id, toIndex) => {
      const preview = previewMove(id, toIndex);
      return { ...preview, ...dragMessage(id, toIndex, preview) };
    },
    drop: (id, toIndex) => moveTo(id, toIndex),
    status: (text, kind) => {
      $('drag-status').textContent = text;
      $('drag-status').dataset.kind = kind;
    },
  });
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    const ready = await navigator.serviceWorker.ready;
    navigator.serviceWorker.addEventListener('message', (e) => {
      if (e.data?.type === 'updated') $('update').hidden = false;
    });
    // Ask the worker to look for a newer page+engine only after this page
    // has loaded all of its own, so one page never mixes two versions.
    if (navigator.onLine) ready.active?.postMessage({ type: 'check-update' });
    document.documentElement.dataset.offlineReady = 'true';
  } catch (error) {
    console.warn('Offline use is not available:', error);
  }
}

async function main() {
  wire();
  renderNet();
  const [engine, loaded, cached, savedDraft, outbox, side] = await Promise.all([
    createEngine(), loadContract(), store.get('contracts', KEY), store.get('drafts', KEY),
    store.get('outbox', KEY), store.get('contracts', `${KEY}|side`)]);
  app.engine = engine;
  app.outbox = outbox ?? null;
  app.server = loaded.contract ?? cached ?? null;
  $('loading').hidden = true;
  if (!app.server) {
    $('fatal').hidden = false;
    $('fatal').textContent = loaded.offline
      ? 'You are offline and this contract has not been opened on this device before. Connect once to use it offline.'
      : `The contract could not be loaded: ${loaded.error}`;
    return;
  }
  if (loaded.contract) await store.put('contracts', KEY, loaded.contract);
  if (side) { app.history = side.history; app.notifications = side.notifications; }

  let opened = null;
  if (savedDraft?.base) opened = openSession(savedDraft.base, savedDraft.actions ?? []);
  if (opened?.session) {
    replaceSession(opened.session, savedDraft.base);
    if (savedDraft.base.version !== app.server.version && !app.outbox) openConflict();
  } else {
    replaceSession(openSession(app.server).session, app.server);
  }
  render();
  renderSide();
  document.documentElement.dataset.ready = 'true';
  if (app.online) {
    refreshSide();
    if (app.outbox) sendQueued();
  }
  registerServiceWorker();
}

main().catch((error) => {
  console.error(error);
  $('loading').hidden = true;
  $('fatal').hidden = false;
  $('fatal').textContent = `The editor could not start: ${error?.message ?? error}`;
});
