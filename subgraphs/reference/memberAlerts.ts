import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../../lib/logger';
import type { Policy } from '../../policy';
import type { GatewayCallOptions } from '../kit';
import { mountAlerts, type AlertAct } from './alertRoutes';
import { openOwnerAlerts, type OwnerAlerts } from './ownerAlerts';
import { openOwnWatches, type OwnWatches } from './ownWatches';
import { publishNoticeKey } from './noticeKeys';
import { startRelay, type Relay, type RelayEvent } from './relay';
import type { ReferenceStore } from './store';

/**
 * Alerts in a member's process (issue 11; docs/decisions/0019-alert-delivery.md), over its store: the
 * watches it holds and the notices its changes give (ownerAlerts.ts), the watches its analysts registered
 * (ownWatches.ts), its `/alerts` routes (alertRoutes.ts), its public notice key published for the hub, and
 * the relay of its outbox to the hub (relay.ts), woken once the notices' records are durable in its audit
 * log (or, without one, by every commit that wrote notices).
 */
export interface MemberAlerts {
  /** The member's store they work over (the caller's to close). */
  readonly store: ReferenceStore;
  readonly alerts: OwnerAlerts;
  readonly watches: OwnWatches;
  /** `{ '/alerts': handler }`, for startSubgraph's `prefixRoutes`. */
  readonly routes: Readonly<Record<string, (request: IncomingMessage, response: ServerResponse) => void>>;
  /** Where the public key was published; absent without `publishDir`. */
  readonly publishedKeyFile?: string;
  /** The relay; absent without `hubUrl`. */
  readonly relay?: Relay;
  /**
   * Resolves once the notices' records being written now are written and their notices released to the
   * relay (or have failed, been logged, and wait for the next try).
   */
  settled(): Promise<void>;
  /** Stops the relay (no timer left) and waits for the acts being recorded. The store is the caller's. */
  stop(): Promise<void>;
}

/** How long a notice's record may wait for others, to share their durable commit. */
export const RECORD_SPACING_MS = 40;
/** The most notices' records one flush appends together. */
export const RECORD_BATCH = 500;
/** After a record failed, the next try (doubling from the first, at most the last). */
export const RECORD_RETRY_MS = { firstMs: 50, maxMs: 5_000 } as const;

export interface MemberAlertsOptions {
  readonly store: ReferenceStore;
  /** The member's engine: where its watches go, which of its changes give notices. */
  readonly policy: Policy;
  /** The member's notice key (alerts/notice.ts ensureNoticeKey over noticeKeyFile). */
  readonly key: KeyObject;
  /** Every member of the registry. */
  readonly members: readonly string[];
  readonly gatewayTokens: GatewayCallOptions['verifier'];
  readonly logger: Logger;
  readonly now: () => number;
  /** The data folder the hub reads pinned keys from (`<dir>/alerts/notice-keys/<CC>.spki`); absent: not published. */
  readonly publishDir?: string;
  /** The hub's base URL; absent: no relay, notices wait in the outbox. */
  readonly hubUrl?: string;
  readonly onRelayEvent?: (event: RelayEvent) => void;
  /** Records the member's alert acts in its audit log (alertRoutes.ts AlertAct); absent: none recorded. */
  readonly record?: (act: AlertAct) => Promise<void>;
}

export function openMemberAlerts(options: MemberAlertsOptions): MemberAlerts {
  const { store, logger, now } = options;
  // The relay is started after the outbox it reads; until then a commit has nobody to wake.
  const started: { relay?: Relay } = {};
  const recording = new Set<Promise<void>>();
  const record = options.record;
  // No release before its record (docs/decisions/0019-alert-delivery.md, "No release before its record"):
  // with an audit log, a notice's row is released to the relay only once its `notice.emitted` record is
  // durable, and the relay is woken then, not at the change's commit. The records wait a moment
  // (RECORD_SPACING_MS) and go together: the audit log commits what is appended at once in one durable
  // commit, and a commit per notice cost the owner more CPU than the record (bench/README.md, `alerts`).
  // What to record is read from the outbox, not kept in memory: the rows an earlier process left
  // unrecorded (killed between a commit and its record) and those whose record failed go with the next
  // flush, at start, at the next commit, or after RECORD_RETRY_MS.
  const inFlight = new Set<string>();
  let flushTimer: NodeJS.Timeout | undefined;
  let retryMs = 0;
  let stopped = false;
  function scheduleFlush(delayMs: number): void {
    if (stopped) return;
    flushTimer ??= setTimeout(flushRecords, delayMs);
  }
  function flushRecords(): void {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (record === undefined) return;
    // The rows being recorded now are unrecorded too: read past them.
    const due = alerts
      .unrecorded(RECORD_BATCH + inFlight.size)
      .filter((entry) => !inFlight.has(entry.signed.notice.noticeId))
      .slice(0, RECORD_BATCH);
    if (due.length === 0) return;
    let failed = false;
    for (const { signed } of due) inFlight.add(signed.notice.noticeId);
    // Appended at once (the audit log's one durable commit), then marked together, then the relay is woken.
    const appends = due.map(async ({ signed: { notice }, createdAt }) => {
      try {
        const watch = alerts.heldWatch(notice.watchId);
        await record({ act: 'notice.emitted', notice, ...(watch !== undefined && { watch }), at: createdAt });
        return notice.noticeId;
      } catch (error) {
        // The notice waits in the outbox, unreleased, until its record is written.
        failed = true;
        logger.error(
          { err: error, noticeId: notice.noticeId },
          'a notice could not be recorded in the audit log; it is held until it is',
        );
        return undefined;
      }
    });
    const done = Promise.all(appends)
      .then((ids) => {
        const recorded = ids.filter((id): id is string => id !== undefined);
        // A process killed here has the records and not the marks: its next start records them again
        // (a notice recorded twice, never one released without its record).
        try {
          if (recorded.length > 0) alerts.markRecorded(recorded, now());
        } finally {
          // Only once marked: a flush in between would record them again.
          for (const { signed } of due) inFlight.delete(signed.notice.noticeId);
        }
        started.relay?.wake();
        if (failed) {
          retryMs = retryMs === 0 ? RECORD_RETRY_MS.firstMs : Math.min(retryMs * 2, RECORD_RETRY_MS.maxMs);
          scheduleFlush(retryMs);
        } else {
          retryMs = 0;
          // Rows left waiting behind this flush (more than a batch, or committed while it ran): now.
          if (alerts.unrecorded(inFlight.size + 1).length > inFlight.size) scheduleFlush(0);
        }
      })
      .catch((error: unknown) => logger.error({ err: error }, 'the notices recorded could not be marked'))
      .finally(() => recording.delete(done));
    recording.add(done);
  }
  const alerts = openOwnerAlerts({
    store,
    policy: options.policy,
    key: options.key,
    now,
    recordsFirst: record !== undefined,
    onNotices() {
      if (record === undefined) started.relay?.wake();
      else scheduleFlush(RECORD_SPACING_MS);
    },
  });
  // What an earlier process left without its record is recorded first.
  if (record !== undefined && alerts.unrecorded(1).length > 0) scheduleFlush(0);
  const watches = openOwnWatches(store);
  const publishedKeyFile =
    options.publishDir === undefined
      ? undefined
      : publishNoticeKey(store.country, options.publishDir, alerts.publicKey);
  const relay =
    options.hubUrl === undefined
      ? undefined
      : startRelay({
          alerts,
          hubUrl: options.hubUrl,
          logger,
          now,
          ...(options.onRelayEvent !== undefined && { onEvent: options.onRelayEvent }),
        });
  const routes = mountAlerts({
    country: store.country,
    policy: options.policy,
    members: options.members,
    alerts,
    watches,
    gatewayTokens: options.gatewayTokens,
    logger,
    now,
    ...(record !== undefined && { record }),
  });
  if (relay !== undefined) started.relay = relay;
  const running = relay;
  return {
    store,
    alerts,
    watches,
    routes,
    ...(publishedKeyFile !== undefined && { publishedKeyFile }),
    ...(running !== undefined && { relay: running }),
    async settled() {
      flushRecords();
      await Promise.all([...recording]);
    },
    async stop() {
      await running?.stop();
      flushRecords();
      stopped = true;
      clearTimeout(flushTimer);
      flushTimer = undefined;
      await Promise.all([...recording]);
    },
  };
}
