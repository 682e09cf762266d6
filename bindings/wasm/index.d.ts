// Types of milestone-engine's JS interface (written by hand: emcc 3.1.6 has
// no --emit-tsd, and the raw `_` functions are not public).

declare global {
  // For projects whose `lib` predates esnext.disposable (as @types/node does).
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** A calendar date `YYYY-MM-DD`, no time, no zone. */
export type IsoDate = string;

/** Money: an integer count of minor units (cents for USD). Never a float. */
export type MinorUnits = number;

export type MilestoneState = 'not_funded' | 'active' | 'submitted' | 'released' | 'refunded';
/**
 * Who acts. `marketplace` is the marketplace itself (its scheduler and its
 * mediators): it may release submitted work once the review window ran out,
 * grant a refund request nobody answered, and resolve disputes; nothing else.
 */
export type Actor = 'client' | 'freelancer' | 'marketplace';

/** The client asked for a milestone's escrow back; the freelancer has not answered. */
export interface RefundRequest {
  requestedOn: IsoDate;
  message?: string | null;
  [unknownField: string]: unknown;
}

/** A milestone's escrow, frozen until the dispute is withdrawn or resolved. */
export interface Dispute {
  by: 'client' | 'freelancer';
  openedOn: IsoDate;
  reason: string;
  [unknownField: string]: unknown;
}

export interface Milestone {
  id: string;
  title: string;
  description?: string;
  dueDate?: IsoDate | null;
  amount: MinorUnits;
  state: MilestoneState;
  funded: MinorUnits;
  released: MinorUnits;
  /** The date of the latest `submit` (it starts the client's review window); null otherwise. */
  submittedOn?: IsoDate | null;
  /** Escrow returned to the client. Default 0, or `funded - released` for a refunded milestone. */
  refunded?: MinorUnits;
  /** A refund request waiting for the freelancer's answer. */
  refundRequest?: RefundRequest | null;
  /** An open dispute: no release, submit, request changes or end until it is gone. */
  dispute?: Dispute | null;
  /** Unknown fields are kept as they are (and reported as UNKNOWN_FIELD). */
  [unknownField: string]: unknown;
}

export interface ChangeRequest {
  id: string;
  by: 'freelancer';
  actions: EditAction[];
  message?: string;
  [unknownField: string]: unknown;
}

export interface Contract {
  id: string;
  /** The server's revision counter (optimistic concurrency). */
  version: number;
  currency: string;
  status: 'open' | 'ended';
  initiationFee?: MinorUnits;
  initiationFeeCharged: boolean;
  /** Escrow left from a partial release, waiting for the next funded milestone. */
  carryOver: MinorUnits;
  /** In the order work happens. */
  milestones: Milestone[];
  changeRequest?: ChangeRequest | null;
  [unknownField: string]: unknown;
}

/** The engine's numbers; every key optional when creating an engine. */
/** One currency a policy allows (docs/policies.md). */
export interface CurrencyRule {
  /** ISO 4217 exponent, 0–4: minor units per major unit (JPY 0, USD 2, KWD 3). */
  exponent: number;
  minimumAmount: MinorUnits;
  maximumAmount: MinorUnits;
}

/** A policy as the engine writes it back, normalised (`engine.policy`). */
export interface Policy {
  /** The currencies a contract may use, in order; the first is the default. */
  currencies: Record<string, CurrencyRule>;
  maxMilestones: number;
  titleMaxLength: number;
  descriptionMaxLength: number;
  initiationFee: MinorUnits;
  /** Milestones active or submitted at once. */
  maxInFlight: number;
  /** "sequential": only the first not_funded may be funded; "any": any of them. */
  fundingOrder: 'sequential' | 'any';
  /** Days the client has after a submit before the marketplace releases the milestone; 0: never. */
  reviewDays: number;
  /** Days the freelancer has to answer a refund request before the marketplace grants it; 0: never. */
  refundResponseDays: number;
}

/**
 * What createEngine's `policy` takes: any keys of a Policy, or the
 * one-currency shorthand (`currency`, `minimumAmount`, `maximumAmount`), and
 * a policy file's `name` and `about` (the package ships them as
 * `milestone-engine/policies/*.json`).
 */
export type PolicyInput = Partial<Policy> & {
  currency?: string;
  minimumAmount?: MinorUnits;
  maximumAmount?: MinorUnits;
  name?: string;
  about?: string;
};

/**
 * Every issue code: stable public API (docs/rules.md). The same list is the
 * package's `codes` export, generated from the engine's catalogue; a test
 * holds this union to it.
 */
export type Code =
  | 'INVALID_JSON'
  | 'SCHEMA'
  | 'UNKNOWN_FIELD'
  | 'INVALID_ID'
  | 'DUPLICATE_ID'
  | 'INVALID_AMOUNT'
  | 'UNSUPPORTED_CURRENCY'
  | 'AMOUNT_BELOW_MINIMUM'
  | 'AMOUNT_ABOVE_MAXIMUM'
  | 'TOO_MANY_MILESTONES'
  | 'TITLE_REQUIRED'
  | 'TITLE_TOO_LONG'
  | 'DESCRIPTION_TOO_LONG'
  | 'INVALID_TEXT'
  | 'INVALID_DATE'
  | 'MULTIPLE_IN_FLIGHT'
  | 'OUT_OF_SEQUENCE'
  | 'LEDGER_MISMATCH'
  | 'INVALID_ESCROW_STATE'
  | 'DUE_DATE_IN_PAST'
  | 'DUE_DATES_OUT_OF_ORDER'
  | 'NOT_ALLOWED_FOR_ROLE'
  | 'CONTRACT_ENDED'
  | 'UNKNOWN_MILESTONE'
  | 'MILESTONE_LOCKED'
  | 'MOVE_INTO_LOCKED_RANGE'
  | 'CHANGE_REQUEST_PENDING'
  | 'NO_PENDING_REQUEST'
  | 'FUND_WHILE_IN_FLIGHT'
  | 'FUND_NOT_NEXT'
  | 'INVALID_TRANSITION'
  | 'RELEASE_EXCEEDS_ESCROW'
  | 'DECISION_REQUIRED'
  | 'NOT_DUE'
  | 'ESCROW_HELD'
  | 'DISPUTE_OPEN'
  | 'NO_DISPUTE'
  | 'REFUND_PENDING'
  | 'NO_REFUND_REQUEST'
  | 'RESOLUTION_MISMATCH'
  | 'CHANGE_CONFLICT'
  | 'POLICY'
  | 'INTERNAL'
  | 'OUT_OF_MEMORY'
  | 'NO_ENGINE'
  | 'SESSION_DISPOSED'
  | 'UNKNOWN_METHOD'
  | 'READ_ONLY'
  | 'USAGE'
  | 'FILE_UNREADABLE'
  | 'WASM_LOAD_FAILED'
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'REQUEST_TIMEOUT'
  | 'STALE_VERSION'
  | 'BODY_TOO_LARGE'
  | 'URI_TOO_LONG'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'EXPECTATION_FAILED'
  | 'ACTOR_MISMATCH'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PRECONDITION_REQUIRED'
  | 'HEADERS_TOO_LARGE'
  | 'BUSY'
  | 'UNAVAILABLE'
  | 'HTTP_VERSION_NOT_SUPPORTED';

/** Every issue code, as the package exports it. */
export const codes: readonly Code[];

/** A finding. `code` is stable API (docs/rules.md). */
export interface Issue {
  code: Code;
  severity: 'error' | 'warning';
  /** JSON Pointer into the document or the action, e.g. `/milestones/2/amount`. */
  path: string;
  milestoneId?: string;
  /** One sentence a person can act on, in the engine's `locale` (English by default). */
  message: string;
  /** How to fix it, when there is something to suggest. */
  hint?: string;
  /**
   * The values message and hint were made from, machine-readable, so a caller
   * can write its own text: money in minor units with `currency`, dates as
   * `YYYY-MM-DD`, titles untrimmed, states as documents spell them
   * (`{ amount: 499, minimum: 500, currency: 'USD' }`). docs/languages.md.
   */
  params: Params;
}

/** One value of Params. */
export type ParamValue = string | number | boolean | null;

/**
 * What a sentence was made from (Issue.params, EngineEvent.params). The one
 * list: a requestProposed event's `changes`, each proposed change's event type
 * and params (`{ type: 'milestoneAdded', title, amount, due, currency }`).
 */
export type Params = Record<
  string,
  ParamValue | Array<{ type: string } & Record<string, ParamValue>>
>;

/** A message catalog (the package's catalogs/*.json; docs/languages.md). */
export interface Catalog {
  locale: string;
  formats?: Record<string, unknown>;
  words?: Record<string, Record<string, string>>;
  messages: Record<string, { message: string; hint?: string }>;
}

export interface MilestoneInput {
  id?: string;
  title: string;
  description?: string;
  dueDate?: IsoDate | null;
  amount: MinorUnits;
}

export interface MilestoneFields {
  title?: string;
  description?: string;
  dueDate?: IsoDate | null;
  amount?: MinorUnits;
}

export type AddAction = { type: 'add'; milestone: MilestoneInput; index?: number };
export type EditMilestoneAction = { type: 'edit'; id: string; set: MilestoneFields };
export type DeleteAction = { type: 'delete'; id: string };
export type MoveAction = { type: 'move'; id: string; toIndex: number };
/** The actions that edit milestones: a session's, and a proposal's. */
export type EditAction = AddAction | EditMilestoneAction | DeleteAction | MoveAction;

export type Action =
  | EditAction
  | { type: 'propose'; actions: EditAction[]; message?: string }
  | { type: 'withdraw' }
  | { type: 'accept' }
  | { type: 'decline'; reason?: string }
  | { type: 'fund'; id: string }
  | { type: 'submit'; id: string; message?: string }
  | { type: 'requestChanges'; id: string; message: string }
  | { type: 'release'; id: string; amount?: MinorUnits; then?: 'end' | 'keepOpen' }
  | { type: 'end' }
  | EscrowAction;

/** The actions of escrow over time (SPEC 3.1): refund requests, disputes, resolutions. */
export type EscrowAction =
  /** The client asks for an in-flight milestone's escrow back. */
  | { type: 'requestRefund'; id: string; message?: string }
  /** The freelancer (or the marketplace, once the answer window ran out) returns the whole escrow. */
  | { type: 'approveRefund'; id: string }
  /** The freelancer refuses; this opens a dispute by the freelancer with `reason`. */
  | { type: 'declineRefund'; id: string; reason: string }
  /** Either side freezes an in-flight milestone's escrow. */
  | { type: 'dispute'; id: string; reason: string }
  /** The side that opened the dispute takes it back. */
  | { type: 'withdrawDispute'; id: string }
  /**
   * The marketplace splits the escrow: `release` cents to the freelancer,
   * `refund` back to the client; together exactly the escrow (RESOLUTION_MISMATCH otherwise).
   */
  | { type: 'resolveDispute'; id: string; release: MinorUnits; refund: MinorUnits };

export type EventType =
  | 'charged'
  | 'feeCharged'
  | 'released'
  | 'refunded'
  | 'stateChanged'
  | 'requestProposed'
  | 'requestAccepted'
  | 'requestDeclined'
  | 'requestWithdrawn'
  | 'contractEnded'
  | 'milestoneAdded'
  | 'milestoneEdited'
  | 'milestoneDeleted'
  | 'milestoneMoved'
  | 'refundRequested'
  | 'refundDeclined'
  | 'disputeOpened'
  | 'disputeWithdrawn'
  | 'disputeResolved';

/** A fact a server turns into a notification. */
export interface EngineEvent {
  /** One of {@link EventType}; typed open so a newer engine's event still reads. */
  type: EventType | (string & {});
  milestoneId?: string;
  amount?: MinorUnits;
  /** A sentence for the notification, in the engine's `locale`. */
  message: string;
  /** The values the sentence was made from; see Issue.params. */
  params: Params;
}

export type Change =
  | { op: 'add'; id: string; index: number; milestone: Milestone }
  | { op: 'delete'; id: string; index: number; milestone: Milestone }
  | { op: 'edit'; id: string; field: 'title' | 'description' | 'dueDate' | 'amount';
      from: string | number | null; to: string | number | null }
  | { op: 'move'; id: string; fromIndex: number; toIndex: number };

/** One RFC 6902 operation on `/milestones/...`. */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move';
  path: string;
  from?: string;
  value?: unknown;
}

/**
 * `now` is today's date, `YYYY-MM-DD`. Omitted: today's date in UTC (as the CLI and the server).
 * `null` or `''`: no clock, so DUE_DATE_IN_PAST is not checked.
 */
export interface ValidateOptions { now?: IsoDate | null }
export interface ActOptions extends ValidateOptions { actor: Actor }
export interface SessionOptions extends ValidateOptions {
  /** Who edits. Default 'client'; a freelancer's changeset is one `propose`. */
  actor?: Actor;
}

/** `ok` is true when no issue has severity 'error'. */
export interface Result { ok: boolean; issues: Issue[] }

export interface ApplyResult extends Result {
  /** The new contract when ok; the input unchanged otherwise; null if unreadable. */
  contract: Contract | null;
  events: EngineEvent[];
}

export interface ReorderPreview extends Result {
  order: string[];
  changes: Change[];
  /** The move as a sentence ("Moved “Testing” from position 4 to 2."); empty when refused or unmoved. */
  summary: string[];
  /** Inclusive indices where the drop is allowed; `from > to`: nowhere. */
  allowedRange: { from: number; to: number };
}

export interface DiffResult {
  /** false only when a contract could not be read (then `issues` says why). */
  ok?: boolean;
  issues?: Issue[];
  changes: Change[];
  patch: PatchOperation[];
  /** One English line per change, as a notification email would say it. */
  summary: string[];
}

export interface ApplyChangesResult extends Result { contract: Contract | null }

export type MoneyResult = { ok: true; amount: MinorUnits } | { ok: false; issues: Issue[] };

/** What one keystroke (or undo, redo) did to a session's draft. */
export interface SessionEdit extends Result {
  /**
   * The draft changed. An edit whose only errors concern field values is
   * applied (`ok` false, the issue beside the field); any other error
   * rejects it and leaves the draft as it was (`applied` false).
   */
  applied: boolean;
  /** Ids of the milestones the action touched; `issues` are theirs. */
  touched: string[];
  /** The view of every touched milestone still in the draft: redraw these rows. */
  rows: RowView[];
  /** Ids the action deleted. */
  removed: string[];
  /** The draft's ids in order, present when the order or the set of milestones changed. */
  order?: string[];
  /** The contract's part of the view (totals, what may be done); present when applied. */
  contract?: ContractView;
}

/** Whether the actor may take an action now; when not, the issue `check` would give. */
export interface Can {
  ok: boolean;
  /** The button's text, e.g. 'Fund'. */
  label: string;
  issue?: Issue;
}

export interface IndexRange { from: number; to: number }

export interface Money6<T> {
  amount: T; funded: T; released: T; refunded: T; escrow: T; carryOver: T;
}

/** The contract's part of the view model (docs/view-model.md). */
export interface ContractView {
  id: string;
  version: number;
  status: 'open' | 'ended';
  currency: string;
  statusLabel: string;
  totals: Money6<MinorUnits> & { text: Money6<string> };
  can: { add: Can; end: Can; propose: Can; withdraw: Can; accept: Can; decline: Can };
  /** Positions a new milestone may take, inclusive. */
  addRange: IndexRange;
}

/** One milestone as a page draws it. */
export interface RowView {
  id: string;
  index: number;
  title: string;
  description: string;
  dueDate: IsoDate | null;
  amount: MinorUnits;
  state: MilestoneState;
  funded: MinorUnits;
  released: MinorUnits;
  refunded: MinorUnits;
  escrow: MinorUnits;
  /** The latest submit's date; null when the work is not submitted. */
  submittedOn: IsoDate | null;
  /** The waiting refund request, its date formatted ('Dec 15, 2026'). */
  refundRequest: null | { requestedOn: IsoDate; message?: string; text: { requestedOn: string } };
  /** The open dispute, its date formatted. */
  dispute: null | {
    by: 'client' | 'freelancer';
    openedOn: IsoDate;
    reason: string;
    text: { openedOn: string };
  };
  /** For people, in the engine's language: 'Not funded', 'Active', ... (es 'Sin financiar') */
  stateLabel: string;
  /** Money and the due date as people read them ('$500.00', 'Dec 15, 2026'; '' for no date). */
  text: { amount: string; funded: string; released: string; refunded: string; escrow: string; dueDate: string };
  /** The current issues of this milestone. */
  issues: Issue[];
  can: {
    edit: Can;
    delete: Can;
    move: Can & { range: IndexRange };
    fund: Can & {
      charge: {
        amount: MinorUnits; fromCarryOver: MinorUnits; fee: MinorUnits; total: MinorUnits;
        text: { amount: string; fromCarryOver: string; fee: string; total: string };
      };
    };
    submit: Can;
    requestChanges: Can;
    release: Can & { maximum: MinorUnits; needsDecision: boolean; text: { maximum: string } };
    requestRefund: Can;
    approveRefund: Can;
    declineRefund: Can;
    dispute: Can;
    withdrawDispute: Can;
    /** Checked as the resolution that releases the whole escrow to the freelancer. */
    resolveDispute: Can;
  };
  /** The running review or refund window; null when none runs. */
  timer: Timer | null;
}

/**
 * A window the marketplace runs on a milestone (SPEC 3.1): a submitted
 * milestone's review window (`autoRelease`) or a refund request's answer
 * window (`autoRefund`).
 */
export interface Timer {
  milestoneId: string;
  kind: 'autoRelease' | 'autoRefund';
  /** The day the marketplace may act. */
  due: IsoDate;
  /** max(0, due - now), in days. */
  daysLeft: number;
  /** Exactly what the marketplace applies, as actor 'marketplace', once due. */
  action:
    | { type: 'release'; id: string }
    | { type: 'approveRefund'; id: string };
  /** A sentence for the page: "Releases automatically on Dec 15, 2026 unless you act." */
  message: string;
}

/** The pending change request as the diff accepting it would make. */
export interface RequestView {
  id: string;
  by: 'freelancer';
  message: string;
  changes: Change[];
  summary: string[];
  /** What accept would answer now; empty when it would pass. */
  issues: Issue[];
}

/** Everything a page needs to draw a contract without knowing a rule (docs/view-model.md). */
export type View =
  | {
      ok: true;
      issues: Issue[];
      actor: Actor;
      now: IsoDate | null;
      contract: ContractView;
      request: RequestView | null;
      milestones: RowView[];
    }
  | { ok: false; issues: Issue[] };

export interface Changeset extends Result {
  contractId: string;
  baseVersion: number;
  actor: Actor;
  /** The fewest actions that turn the opened contract into the draft. */
  actions: Action[];
  summary: string[];
}

/** A draft kept inside the engine; free it with dispose(). */
export interface Session {
  /** Applies an action (or an array, all or nothing) to the draft. */
  apply(action: EditAction | EditAction[]): SessionEdit;
  /** The draft (null when the opened contract could not be read). Cached until the next change; treat as read-only. */
  readonly contract: Contract | null;
  /** Every current issue of the draft, warnings included. */
  readonly issues: Issue[];
  /** The view model of the draft, for the session's actor; cached until the next change. */
  readonly view: View;
  /** The diff from the opened contract: the "Show Changes" view. */
  changes(): DiffResult;
  undo(): SessionEdit;
  redo(): SessionEdit;
  /** `ok` false while the draft has errors. */
  changeset(): Changeset;
  /** Frees the engine-side memory. Any later use throws an Error with code 'SESSION_DISPOSED'. */
  dispose(): void;
  readonly disposed: boolean;
  /** The same as dispose(), for `using s = engine.openSession(...)` (TS 5.2+). */
  [Symbol.dispose](): void;
}

export interface MemoryUsage {
  /** Size of the wasm memory. */
  heapBytes: number;
  /** Bytes malloc has handed out and not had back. */
  inUseBytes: number;
  sessions: number;
  engines: number;
}

/**
 * The rules under one policy. No method throws for data: any value yields
 * `ok: false` with an issue. Calling a method that does not exist throws an
 * Error with code 'UNKNOWN_METHOD'.
 */
export interface Engine {
  readonly policy: Readonly<Policy>;
  /** The language of its sentences: 'en', or the shipped catalog `locale` chose. */
  readonly locale: string;
  /** Every finding of the document rules, in document order. */
  validate(contract: unknown, options?: ValidateOptions): Result;
  /** Whether the action (or batch) may be done now. */
  check(contract: unknown, action: Action | Action[], options: ActOptions): Result;
  apply(contract: unknown, action: Action | Action[], options: ActOptions): ApplyResult;
  /** What dragging `id` to `toIndex` would do, before the drop. */
  previewReorder(contract: unknown, id: string, toIndex: number, options?: ValidateOptions & { actor?: Actor }): ReorderPreview;
  diff(before: unknown, after: unknown): DiffResult;
  /** All or nothing; a change that no longer matches fails with CHANGE_CONFLICT. */
  applyChanges(contract: unknown, changes: Change[]): ApplyChangesResult;
  /** The list that undoes `changes`, or a failure when it cannot be read. */
  invertChanges(changes: Change[]): Change[] | Result;
  /** What `options.actor` may do on `contract` and why not, every figure formatted (docs/view-model.md). */
  describe(contract: unknown, options?: ValidateOptions & { actor?: Actor }): View;
  /**
   * The marketplace's running windows, in milestone order (SPEC 3.1). `now`
   * defaults to today (UTC); `null` is refused (SCHEMA at /options/now).
   * A contract that cannot be read exactly answers `{ ok: false, issues }`.
   */
  timers(contract: unknown, options?: { now?: IsoDate | null }): Timer[] | Result;
  /** '12', '12.5', '12.50', '$1,234.56' → minor units; anything inexact is INVALID_AMOUNT. */
  /** `currency`: one of the policy's codes; absent, the policy's first. */
  parseMoney(text: string, currency?: string): MoneyResult;
  /** 1250 → '$12.50'; '' when `amount` is not a safe integer. */
  /** '' when the amount is not a safe integer or the policy does not allow the currency. */
  formatMoney(amount: MinorUnits | bigint, currency?: string): string;
  /** Opens a draft of `contract`. A contract that cannot be read gives a session whose every call answers with why. */
  openSession(contract: unknown, options?: SessionOptions): Session;
  memoryUsage(): MemoryUsage;
}

export interface CreateEngineOptions {
  /** Overrides of the default (Upwork) policy. */
  policy?: PolicyInput;
  /**
   * The language of messages, hints and event sentences ('es', 'es-MX',
   * `navigator.language`): the package's catalogs/<lang>.json, loaded beside
   * the wasm; a language it does not ship falls back to 'en'. Default: English.
   */
  locale?: string;
  /** A catalog given as an object instead of one the package ships. Wins over `locale`. */
  catalog?: Catalog;
  /**
   * The wasm file's response, or a promise of it (`fetch(url)` started early,
   * while the page's contract loads): compiled as its bytes arrive when it is
   * served as application/wasm. Its body is read once: engines created with
   * the same object share one compiled module, and a failure stays its answer.
   * Wins over wasmModule, wasmBinary and wasmUrl.
   */
  wasmResponse?: Response | Promise<Response>;
  /**
   * The wasm, compiled already (`await WebAssembly.compileStreaming(fetch(url))`,
   * Electron, a test). Wins over wasmBinary and wasmUrl.
   */
  wasmModule?: WebAssembly.Module;
  /** The bytes of milestone_wasm.wasm (read from disk, a cache, an import). Wins over wasmUrl. */
  wasmBinary?: ArrayBuffer | ArrayBufferView;
  /**
   * Where to fetch milestone_wasm.wasm from (a CDN); relative to the page. A
   * file: URL is read from disk in Node. Default: the file next to index.mjs.
   */
  wasmUrl?: string | URL;
}

/** What createEngine rejects with when the wasm cannot be had. */
export interface WasmLoadError extends Error {
  code: 'WASM_LOAD_FAILED';
  /** The URL fetched or read, when there was one. */
  url?: string;
  /** The HTTP status that came back. */
  status?: number;
  /** The Content-Type that came back ('' when none). */
  contentType?: string;
  /** The first bytes, in hex, when they were not wasm's `00 61 73 6d`. */
  firstBytes?: string;
  byteLength?: number;
}

/**
 * Loads the engine (one wasm instance per realm and wasm source, shared).
 * Rejects with an Error whose `code` is 'POLICY' (and `issues`) for a policy
 * it cannot use, and with a {@link WasmLoadError} (code 'WASM_LOAD_FAILED')
 * when the wasm cannot be fetched, read or compiled.
 */
export function createEngine(options?: CreateEngineOptions): Promise<Engine>;

/** The shipped language `locale` is written in: itself, its primary subtag ('es-MX' -> 'es'), else 'en'. */
export function catalogLanguage(locale: string): string;
