import type { RequestContext } from '../../policy';
import type { AlertAction, Purpose } from '../../vocabulary';
import type { Notice } from '../../alerts';

/**
 * What the gateway's alert API needs of the rest of the alliance (docs/decisions/0019-alert-delivery.md):
 * the watcher member keeps and distributes the watch, the recipients hold it, the hub registers it and
 * keeps the log of notices and their acknowledgements. The real one speaks HTTP with signed calls
 * (gateway/alerts/httpAlertBackend.ts); the stream and the schema see only this interface.
 *
 * Every call is made for one verified analyst (`AlertCaller`); the backend never widens what it reads to
 * another analyst or country. A failure the analyst may be told of is an `AlertBackendError`.
 */
export interface AlertBackend {
  /** Creates a watch at the analyst's member, sends each recipient its part, registers it at the hub. */
  registerWatch(caller: AlertCaller, request: WatchRequestInput): Promise<WatchOutcome>;
  /** Renews a running watch (a new justification, `days` from now), the same way. */
  renewWatch(caller: AlertCaller, id: string, justification: string, days: number): Promise<WatchOutcome>;
  /** Cancels a watch, the same way: the recipients drop it, the hub marks it. */
  cancelWatch(caller: AlertCaller, id: string): Promise<WatchOutcome>;
  /** The analyst's own watches, as the hub's register holds them (newest first). */
  watches(caller: AlertCaller): Promise<readonly WatchEntry[]>;
  /**
   * The log entries after `after` (null: from the start) for this analyst, in cursor order, at most
   * `limit`. With none to give, waits up to `waitMs` for one; rejects when `signal` aborts.
   */
  readLog(caller: AlertCaller, read: LogRead): Promise<LogPage>;
  /** One notice of the analyst's, as `readLog` gives it; undefined when the hub has none of theirs by that id. */
  notice(caller: AlertCaller, owner: string, noticeId: string): Promise<LogEntry | undefined>;
  /** Records the analyst's action on a notice of theirs at the hub; a second acknowledgement keeps the first. */
  acknowledge(caller: AlertCaller, acknowledgement: AcknowledgementInput): Promise<AcknowledgementEntry>;
  /** Closes what it holds open (connections), once the gateway has stopped. */
  close?(): Promise<void>;
}

/** Who asks: the verified analyst's request context and the gateway's id of this request. */
export interface AlertCaller {
  readonly requester: RequestContext;
  readonly requestId: string;
}

/** An analyst's watch request as the API takes it (alerts/watch.ts WATCH_REQUEST_SCHEMA checks it). */
export interface WatchRequestInput {
  readonly caseReference: string;
  readonly purpose: Purpose;
  readonly identifiers: readonly Readonly<Record<string, string>>[];
  readonly justification: string;
  readonly days: number;
}

/** A watch as the hub's register holds it: references only, never an identifier or the justification. */
export interface WatchEntry {
  readonly id: string;
  readonly watcher: string;
  readonly analyst: string;
  readonly caseReference: string;
  readonly purpose: Purpose;
  /** Epoch ms. */
  readonly createdAt: number;
  /** The last (re)justification, when the register keeps it. */
  readonly justifiedAt?: number;
  /** Exclusive. */
  readonly expiresAt: number;
  readonly cancelledAt?: number;
  /** The members the watch went to (member codes). */
  readonly recipients: readonly string[];
}

/** What a registration, renewal or cancellation did. */
export interface WatchOutcome {
  readonly watch: WatchEntry;
  /** Recipients that could not be reached: the analyst may register again (the same id replaces). */
  readonly unreached: readonly string[];
}

export interface LogRead {
  readonly after: string | null;
  readonly limit: number;
  readonly waitMs: number;
  readonly signal?: AbortSignal;
}

/** One notice of the hub's log, as delivered to the gateway. */
export interface LogEntry {
  /** The log's position of this entry: opaque, ordered by the hub. */
  readonly cursor: string;
  /** The exact bytes the owner signed (the notice's canonical JSON), and the notice read from them. */
  readonly body: string;
  readonly notice: Notice;
  /** The owner's Ed25519 signature over `body`, base64. */
  readonly signature: string;
  /** The watch's register entry, for the checks at delivery. */
  readonly watch: WatchEntry;
  readonly acknowledgement?: AcknowledgementEntry;
}

export interface LogPage {
  readonly entries: readonly LogEntry[];
  /** Where the next read starts: the last entry given, or `after` itself when none was. */
  readonly cursor: string | null;
}

export interface AcknowledgementInput {
  readonly owner: string;
  readonly noticeId: string;
  readonly action: AlertAction;
}

export interface AcknowledgementEntry extends AcknowledgementInput {
  readonly analyst: string;
  /** Epoch ms: when the (first) acknowledgement was recorded. */
  readonly at: number;
}
