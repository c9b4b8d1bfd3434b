/**
 * The hub's alert log (issue 11; docs/decisions/0019-alert-delivery.md, "The hub's log"): the owners'
 * signed, reference-only notices, the register of watches (references only, never an identifier) and the
 * analysts' acknowledgements. Two stores behave alike: SQLite, the embedded default
 * (./sqliteAlertLog.ts), and PostgreSQL for several hub processes (./postgresAlertLog.ts). The conformance
 * suite (test/hub/alert-log.test.ts) runs the same cases against both.
 */
import type { Notice } from '../../../alerts';
import type { AlertAction, Purpose } from '../../../vocabulary';

/** A notice as an owner's relay sends it: the exact bytes the owner signed, and its signature (base64). */
export interface WireNotice {
  readonly body: string;
  readonly signature: string;
}

/**
 * Why a notice was refused, on the wire (`refused[].reason`):
 * - `malformed`: not a notice (not JSON, fields missing or of the wrong form, or `body` not the canonical
 *   JSON the owner signs);
 * - `unknown-owner`: the hub has no notice key pinned for its owner;
 * - `bad-signature`: the signature does not verify against the owner's pinned key.
 */
export const REFUSAL_REASONS = ['malformed', 'unknown-owner', 'bad-signature'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** What became of one notice of an append, in the order given. */
export type AppendOutcome =
  | { readonly noticeId: string; readonly owner: string; readonly status: 'stored' | 'duplicate' }
  | {
      readonly status: 'refused';
      readonly reason: RefusalReason;
      /** The notice's id when its body could be read that far; null otherwise. */
      readonly noticeId: string | null;
    };

/** A watch as the hub's register holds it: references only (docs/decisions/0019-alert-delivery.md). */
export interface WatchEntry {
  /** `<watcher>-WCH-<uuid>`. */
  readonly id: string;
  readonly watcher: string;
  readonly analyst: string;
  readonly caseReference: string;
  readonly purpose: Purpose;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms, exclusive. */
  readonly expiresAt: number;
  /** Epoch ms; absent while the watch runs. */
  readonly cancelledAt?: number;
  /** The member codes the watch went to. */
  readonly recipients: readonly string[];
}

/** What `registerWatch` takes: the entry without its cancellation. */
export type WatchRegistration = Omit<WatchEntry, 'cancelledAt'>;

export type RegisterOutcome =
  | { readonly ok: true; readonly watch: WatchEntry; readonly created: boolean }
  | {
      readonly ok: false;
      /** `taken`: the id is another watcher's or another analyst's; `cancelled`: it was cancelled. */
      readonly reason: 'taken' | 'cancelled';
    };

export type CancelOutcome =
  | { readonly ok: true; readonly watch: WatchEntry; readonly first: boolean }
  | { readonly ok: false; readonly reason: 'not-found' };

export interface Acknowledgement {
  readonly analyst: string;
  readonly action: AlertAction;
  /** Epoch ms. */
  readonly at: number;
}

export type AcknowledgeOutcome =
  | { readonly ok: true; readonly acknowledgement: Acknowledgement; readonly first: boolean }
  | { readonly ok: false; readonly reason: 'not-found' };

/** One notice of the log as a watcher's analyst reads it. */
export interface LoggedNotice {
  /** This notice's place in the log: `since(…, after: cursor)` reads the notices after it. */
  readonly cursor: string;
  readonly notice: Notice;
  /** The bytes the owner signed and its signature, unchanged, so that a reader can verify them again. */
  readonly body: string;
  readonly signature: string;
  /** Epoch ms, the hub's clock. */
  readonly receivedAt: number;
  /** Its watch's register entry, for the checks at delivery. */
  readonly watch: WatchEntry;
  /** The first acknowledgement, if any. */
  readonly acknowledgement?: Acknowledgement;
}

export interface AlertPage {
  readonly notices: readonly LoggedNotice[];
  /**
   * Where the next page starts (opaque, this analyst's only): at the last notice given, or past the
   * notices of this analyst's that were passed over after it, up to the last one the page looked at;
   * `after` itself when nothing was given or passed over. A reader with nothing to read waits for a
   * notice after it (`wait`).
   */
  readonly cursor: string | null;
}

export interface AlertLog {
  /** For logs: the store and where it is (no password). */
  readonly description: string;
  /**
   * Verifies each notice against its owner's pinned key and stores the good ones under `(owner,
   * noticeId)`; a notice already held is a `duplicate` and stays as first stored. Resolves once the new
   * rows are durable, never before. A refused notice is not stored.
   */
  append(notices: readonly WireNotice[], receivedAt: number): Promise<AppendOutcome[]>;
  /**
   * The notices after `after` (null: from the start) whose watcher is `watcher` and whose watch `analyst`
   * registered, in the order they were appended, at most `limit`. `after` must be a cursor this log gave
   * this analyst (./cursor.ts); any other is refused (AlertLogInputError), as is one past the analyst's
   * last notice.
   */
  since(watcher: string, analyst: string, after: string | null, limit: number): Promise<AlertPage>;
  /**
   * Resolves true as soon as the log holds a notice of `analyst` of `watcher` after `after`, or a watch of
   * `watcher` is registered; false after `timeoutMs` or when `signal` aborts.
   */
  wait(
    watcher: string,
    analyst: string,
    after: string | null,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<boolean>;
  /**
   * Registers a watch, or renews it (same id, watcher and analyst): the entry's terms are replaced. A
   * renewal that drops a recipient records it at `at` (epoch ms, the hub's clock; default now), and its
   * notices emitted up to then are still numbered when they come later (./dropped.ts).
   */
  registerWatch(registration: WatchRegistration, at?: number): Promise<RegisterOutcome>;
  /**
   * Cancels a watch of `watcher`; cancelling again keeps the first cancellation. Its records of dropped
   * recipients go with it (./dropped.ts).
   */
  cancelWatch(id: string, watcher: string, at: number): Promise<CancelOutcome>;
  watch(id: string): Promise<WatchEntry | undefined>;
  /**
   * One notice of `analyst` of `watcher`, as `since` would give it (its watch registered by this analyst,
   * its owner among the watch's recipients when it came); undefined otherwise, exactly as for a notice
   * that does not exist.
   */
  notice(
    owner: string,
    noticeId: string,
    watcher: string,
    analyst: string,
  ): Promise<LoggedNotice | undefined>;
  /** The watches `analyst` of `watcher` registered, newest first, running or not (at most MAX_WATCHES_LISTED). */
  watches(watcher: string, analyst: string): Promise<WatchEntry[]>;
  /**
   * Records what `analyst` of `watcher` did about a notice they may read (as `since` gives it); the first
   * acknowledgement is kept and a later one changes nothing.
   */
  acknowledge(
    owner: string,
    noticeId: string,
    watcher: string,
    analyst: string,
    action: AlertAction,
    at: number,
  ): Promise<AcknowledgeOutcome>;
  close(): Promise<void>;
}

/** A caller's mistake in what it asked the log (a cursor it did not get from the log, a bad limit). */
export class AlertLogInputError extends Error {
  constructor(
    message: string,
    /** The field at fault, when it is the cursor. */
    readonly argument?: 'after',
  ) {
    super(message);
    this.name = 'AlertLogInputError';
  }
}

/** The most notices one page gives. */
export const MAX_PAGE = 500;

/** The most watches `watches` lists: an analyst's newest (a watch runs at most 30 days). */
export const MAX_WATCHES_LISTED = 500;

export function checkLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE)
    throw new AlertLogInputError(`The limit must be a whole number from 1 to ${MAX_PAGE}.`);
}

/** A notice of this analyst's part of the log, with its watch. */
export interface ScannedRow {
  /** Its place in the analyst's own sequence (./cursor.ts). */
  readonly position: number;
  readonly owner: string;
  readonly noticeId: string;
  readonly receivedAt: number;
  readonly body: string;
  readonly signature: string;
  readonly watch?: WatchEntry;
  readonly acknowledgement?: Acknowledgement;
}

/**
 * What a store read for one page: this analyst's last position (`top`, 0 when it has none) read first,
 * then its rows in (after, top], in order, at most `scanLimit` of them. Reading `top` first is what makes
 * the read consistent: every row up to it has committed (SQLite has one writer; PostgreSQL appends commit
 * in order, under one lock).
 */
export interface Scan {
  readonly top: number;
  readonly rows: readonly ScannedRow[];
  readonly scanLimit: number;
}

/** How many rows a store reads for a page of `limit`: room for notices to pass over. */
export function scanLimitOf(limit: number): number {
  return limit * 2 + 50;
}

/**
 * A page from a store's scan (both stores read the same way and give their rows here). The scan holds
 * this analyst's notices only: a notice is numbered in its watch's analyst's sequence when it is appended,
 * and a notice whose watch the hub did not know then is numbered in no one's (the gateway registers a watch
 * at the hub before any member holds it, docs/decisions/0019-alert-delivery.md, step 3, so no owner can
 * have matched it: it is forged or stray, and it is kept but given to no one). So is a notice from a
 * member that was not one of the watch's recipients when it came (that member never received the watch
 * from the watcher, or no longer held it after a renewal: it has nothing to tell), unless a renewal
 * dropped it no earlier than the notice's own emission time (./dropped.ts: it emitted the notice while it
 * held the watch, and the notice came late). Deciding that at append,
 * not at reading, is what keeps such a notice from moving the analyst's cursor (which would tell the
 * analyst that one came), and keeps a notice a recipient sent from being passed over when a later renewal
 * drops that member before the analyst reads it: the gateway decides it again at delivery.
 *
 * `after` is the cursor the page starts after (checked by the store); `cursorOf` gives a row's cursor for
 * this analyst.
 */
export function pageOf(
  scan: Scan,
  after: string | null,
  limit: number,
  parse: (body: string) => Notice,
  cursorOf: (row: ScannedRow) => string,
): AlertPage {
  const notices: LoggedNotice[] = [];
  // The last row given or passed over: the page's cursor stands at it.
  let last: ScannedRow | undefined;
  for (const row of scan.rows) {
    const notice = row.watch ? parse(row.body) : undefined;
    if (!row.watch || !notice) {
      last = row;
      continue;
    }
    if (notices.length === limit) break;
    notices.push(loggedNotice(row, row.watch, notice, cursorOf));
    last = row;
  }
  return { notices, cursor: last === undefined ? after : cursorOf(last) };
}

/** A scanned row as a reader gets it. */
function loggedNotice(
  row: ScannedRow,
  watch: WatchEntry,
  notice: Notice,
  cursorOf: (row: ScannedRow) => string,
): LoggedNotice {
  return {
    cursor: cursorOf(row),
    notice,
    body: row.body,
    signature: row.signature,
    receivedAt: row.receivedAt,
    watch,
    ...(row.acknowledgement ? { acknowledgement: row.acknowledgement } : {}),
  };
}

/** One scanned row of the analyst's sequence as `notice` gives it: only where `since` would give it. */
export function readableNotice(
  row: ScannedRow | undefined,
  analyst: string,
  parse: (body: string) => Notice,
  cursorOf: (row: ScannedRow) => string,
): LoggedNotice | undefined {
  if (!row?.watch || row.watch.analyst !== analyst) return undefined;
  return loggedNotice(row, row.watch, parse(row.body), cursorOf);
}
