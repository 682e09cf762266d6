// The sync layer: the outbox (one changeset and the idempotency key it was
// given once, at Save), retries, the saved contract, conflicts with the other
// side's version. It never touches the DOM; it tells the controller what
// happened through `on` callbacks:
//
//   net()              online / sending / queued changed
//   saved(contract)    the server took a changeset; this is its contract now
//   conflict()         the server has a newer version than the draft's base
//   refused(answer)    a final refusal: { message, issues }

import { isTransient, newKey, OfflineError } from './server.mjs';
import { t } from './strings.mjs';

const RETRY_MS = 4000;

export class Sync {
  constructor({ server, store, key, contractId, on, returning = false }) {
    this.server = server;
    this.returning = returning; // see early.mjs: ask for the contract alone
    this.store = store;
    this.key = key;
    this.contractId = contractId;
    this.on = on;
    this.online = navigator.onLine;
    this.sending = false;
    this.outbox = null;
    this.saved = null; // the newest contract the server sent
    this.retryTimer = 0;
  }

  setOnline(online) {
    if (this.online === online) return;
    this.online = online;
    this.on.net?.();
  }

  // The last contract and what the device kept: { contract, policy, view,
  // locale, text, etag, kept, draft, error, offline }. Online, a first visit
  // gets the server's view answer: the contract, its policy and the engine's
  // view of it for this actor (`view`, in `locale`; `text` is the answer as
  // sent, kept as it is for offline use, see keepView). A returning page gets
  // the contract and the policy, and `kept`, the view this device kept, read
  // meanwhile. The kept contract and policy (a thousand milestones to read
  // back) are read only when the server's cannot be had; the server's are
  // kept without waiting for the write.
  async load() {
    const [loaded, draft, outbox, kept] = await Promise.all([
      this.returning ? this.fetchContractAndPolicy() : this.fetchView(),
      this.store.get('drafts', this.key),
      this.store.get('outbox', this.key),
      this.returning ? this.keptView() : null,
    ]);
    this.outbox = outbox ?? null;
    if (loaded.contract) {
      this.saved = loaded.contract;
      this.policy = loaded.policy ?? null;
      this.store
        .put('contracts', this.key, loaded.contract)
        .catch((error) => console.warn('The contract could not be kept:', error));
      this.store
        .put('contracts', `${this.key}|policy`, this.policy)
        .catch((error) => console.warn('The policy could not be kept:', error));
    } else {
      const [contract, policy] = await Promise.all([
        this.store.get('contracts', this.key),
        this.store.get('contracts', `${this.key}|policy`).catch(() => null),
      ]);
      this.saved = contract ?? null;
      this.policy = policy ?? null;
    }
    let base = null;
    if (draft?.actions)
      base = draft.base ?? (await this.store.get('drafts', `${this.key}|base`)) ?? null;
    return {
      ...loaded,
      contract: this.saved,
      policy: this.policy,
      kept: kept ?? null,
      draft: base ? { base, actions: draft.actions } : null,
    };
  }

  // The history and notifications kept from the last time online.
  keptSide() {
    return this.store.get('contracts', `${this.key}|side`).catch(() => null);
  }

  // A view the engine gave for this contract and role ({ tag, etag, text }:
  // the controller's name for what it was asked, the server's ETag when the
  // server made it, and JSON text whose `view` is the View — the server's
  // whole answer as it came, so keeping it costs no JSON.stringify of
  // megabytes), kept so that offline the page need not describe it. { tag,
  // etag } is also kept on its own: whether the kept one is current is known
  // without reading it back.
  async keepView(entry) {
    await this.store.put('views', this.key, entry);
    await this.store.put('views', `${this.key}|meta`, { tag: entry.tag, etag: entry.etag });
  }

  keptView() {
    return this.store.get('views', this.key).catch(() => null);
  }

  keptViewMeta() {
    return this.store.get('views', `${this.key}|meta`).catch(() => null);
  }

  // The contract with the server's view of it ({ contract, policy, view,
  // locale, text, etag }); from a server without that endpoint (404), the
  // contract alone.
  async fetchView() {
    try {
      const reply = await this.server.contractView();
      this.setOnline(true);
      if (reply.status === 404) return this.fetchContract();
      const answer = reply.ok ? this.answerOf(reply.data) : null;
      if (answer) return { ...answer, text: reply.text, etag: reply.etag };
      return {
        error: reply.data?.issues?.[0]?.message ?? t('server.answered', { status: reply.status }),
      };
    } catch {
      this.setOnline(false);
      return { offline: true };
    }
  }

  // The contract and the server's policy, asked for together; when the
  // policy cannot be had (a server without GET /api/policy), the view answer,
  // which carries it.
  async fetchContractAndPolicy() {
    const [loaded, policy] = await Promise.all([
      this.fetchContract(),
      this.server.policy().catch(() => null),
    ]);
    if (!loaded.contract || policy?.ok) return { ...loaded, policy: policy?.data };
    return this.fetchView();
  }

  // The parts of a view answer; null when it is none.
  answerOf(data) {
    const { contract, policy, view, locale } = data ?? {};
    return contract ? { contract, policy, view, locale } : null;
  }

  async fetchContract() {
    try {
      const reply = await this.server.contract();
      this.setOnline(true);
      if (reply.ok && reply.data) return { contract: reply.data };
      return {
        error: reply.data?.issues?.[0]?.message ?? t('server.answered', { status: reply.status }),
      };
    } catch {
      this.setOnline(false);
      return { offline: true };
    }
  }

  async adopt(contract) {
    this.saved = contract;
    await this.store.put('contracts', this.key, contract);
  }

  // The draft as actions against the contract they apply to. The base is
  // written only when it changes (it can be a thousand milestones); the
  // actions on every keystroke, at once, so a reload right after one keeps it.
  async keepDraft(base, actions) {
    if (actions.length === 0) {
      await this.store.remove('drafts', this.key);
      return;
    }
    if (this.keptBase !== base) {
      await this.store.put('drafts', `${this.key}|base`, base);
      this.keptBase = base;
    }
    await this.store.put('drafts', this.key, { baseVersion: base.version, actions });
  }

  async dropDraft() {
    this.keptBase = null;
    await this.store.remove('drafts', this.key);
    await this.store.remove('drafts', `${this.key}|base`);
  }

  // Puts a changeset in the outbox (send() sends it).
  async queue(changeset) {
    const entry = {
      key: newKey(), // made once: every retry of this changeset sends the same key
      contractId: this.contractId,
      baseVersion: changeset.baseVersion,
      actions: changeset.actions,
      summary: changeset.summary,
      queuedAt: new Date().toISOString(),
    };
    await this.store.put('outbox', this.key, entry);
    this.outbox = entry;
    this.on.net?.();
  }

  async cancel() {
    clearTimeout(this.retryTimer);
    await this.store.remove('outbox', this.key);
    this.outbox = null;
    this.on.net?.();
  }

  retrySoon() {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.send();
    }, RETRY_MS);
  }

  async send() {
    const entry = this.outbox;
    if (!entry || this.sending) return;
    this.sending = true;
    this.on.net?.();
    let reply;
    try {
      reply = await this.server.postChangeset(entry.actions, entry.baseVersion, entry.key);
    } catch (error) {
      this.sending = false;
      this.setOnline(false);
      this.on.net?.();
      if (!(error instanceof OfflineError) && navigator.onLine) this.retrySoon();
      return;
    }
    this.sending = false;
    this.setOnline(true);
    if (isTransient(reply.status)) {
      this.on.net?.();
      this.retrySoon();
      return;
    }
    // Any other answer ends this changeset's life in the outbox: the same key
    // would only replay the same answer.
    await this.store.remove('outbox', this.key);
    this.outbox = null;
    if (reply.ok && reply.data?.contract) {
      await this.adopt(reply.data.contract);
      this.on.saved?.(reply.data.contract, reply.data.events ?? []);
    } else if (reply.status === 412 && reply.data?.contract) {
      await this.adopt(reply.data.contract);
      this.on.conflict?.();
    } else {
      this.on.refused?.({
        message: reply.data?.issues?.[0]?.message ?? t('server.answered', { status: reply.status }),
        issues: Array.isArray(reply.data?.issues) ? reply.data.issues : [],
      });
    }
    this.on.net?.();
  }

  // An action that happens at once (money, answers to a request, work):
  // not queued, since it needs the server's answer now.
  async postNow(actions) {
    let reply;
    try {
      reply = await this.server.postChangeset(actions, this.saved.version, newKey());
    } catch {
      this.setOnline(false);
      return { ok: false, offline: true };
    }
    this.setOnline(true);
    if (reply.ok && reply.data?.contract) {
      await this.adopt(reply.data.contract);
      return { ok: true, contract: reply.data.contract, events: reply.data.events ?? [] };
    }
    if (reply.status === 412 && reply.data?.contract) {
      return { ok: false, stale: reply.data.contract };
    }
    return {
      ok: false,
      message: reply.data?.issues?.[0]?.message ?? t('server.answered', { status: reply.status }),
      issues: Array.isArray(reply.data?.issues) ? reply.data.issues : [],
    };
  }

  // History and notifications, kept for offline use; null when unavailable.
  async side() {
    try {
      const [history, notes] = await Promise.all([
        this.server.history(),
        this.server.notifications(),
      ]);
      this.setOnline(true);
      const side = {
        history: history.ok ? (history.data?.history ?? []) : null,
        notifications: notes.ok
          ? (notes.data?.notifications ?? []).filter((n) => n.contractId === this.contractId)
          : null,
      };
      await this.store.put('contracts', `${this.key}|side`, side);
      return side;
    } catch {
      this.setOnline(false);
      return null;
    }
  }
}
