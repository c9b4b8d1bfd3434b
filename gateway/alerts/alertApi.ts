import type { Policy } from '../../policy';
import type { AuditLog } from '../../audit';
import type { Logger } from '../../lib/logger';
import type { AlertBackend, AlertCaller } from './alertBackend';

/**
 * What the gateway's alert API runs on (docs/decisions/0019-alert-delivery.md, "The gateway's alert API"):
 * shared by the schema's resolvers, the stream and the HTTP routes of one gateway.
 */
export interface AlertApi {
  readonly backend: AlertBackend;
  /** The gateway's engine: a notice's basis is decided again with it at delivery. */
  readonly policy: Policy;
  /** The gateway's decision clock (epoch ms): watches run and bases hold at this instant. */
  readonly now: () => number;
  /** The gateway's audit log: a `notice.delivered` / `notice.acknowledged` record before the answer leaves. */
  readonly audit?: AuditLog;
  readonly logger: Logger;
  /**
   * Whether the analyst's token is still valid, verified again (not from a cache) as when the request
   * came in, and still the same analyst: checked before each notice is delivered and each read of the log.
   */
  readonly tokenStillValid: (token: string, caller: AlertCaller) => Promise<boolean>;
  /** How many log entries one read asks for. */
  readonly pageSize: number;
  /** How long one read of the log waits for a new entry (the hub waits at most 25 s). */
  readonly waitMs: number;
}

/** The state of one request to `/alerts`: one analyst, one request id; never shared. */
export interface AlertContext {
  readonly caller: AlertCaller;
  /** The bearer token the request came with, for the checks at delivery. */
  readonly token: string;
  /** `Last-Event-ID` of a stream that reconnects: the cursor to resume after when `after:` is not given. */
  readonly lastEventId?: string;
  /**
   * The SSE `id` of each `next` event the stream will write, in order (undefined: no id). The stream's
   * source pushes one per event it yields; the writer takes one per `next` event (gateway/alerts/sseTransport.ts).
   */
  readonly eventIds: (string | undefined)[];
}
