import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { Notice } from '../../alerts';
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
 * the relay of its outbox to the hub (relay.ts), woken by every commit that wrote notices.
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
  /** Resolves once the notices' records being written now are written (or have failed, and been logged). */
  settled(): Promise<void>;
  /** Stops the relay (no timer left) and waits for the acts being recorded. The store is the caller's. */
  stop(): Promise<void>;
}

/** How long a notice's record may wait for others, to share their durable commit. */
export const RECORD_SPACING_MS = 40;

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
  // The notices' records wait a moment (RECORD_SPACING_MS) and go together: the audit log commits what is
  // appended at once in one durable commit, and a commit per notice cost the owner more CPU than the
  // record (bench/README.md, `alerts`). The outbox, written in the change's transaction, is the source
  // of truth; its record is appended after the commit either way, and `settled`/`stop` write what waits.
  let waiting: { notice: Notice; at: number }[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  function flushRecords(): void {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const due = waiting;
    waiting = [];
    if (record === undefined) return;
    for (const { notice, at } of due) {
      const watch = alerts.heldWatch(notice.watchId);
      const done = record({ act: 'notice.emitted', notice, ...(watch !== undefined && { watch }), at })
        .catch((error: unknown) =>
          // The notice stands (the outbox is the source of truth); only its record is missing.
          logger.error(
            { err: error, noticeId: notice.noticeId },
            'a notice could not be recorded in the audit log',
          ),
        )
        .finally(() => recording.delete(done));
      recording.add(done);
    }
  }
  const alerts = openOwnerAlerts({
    store,
    policy: options.policy,
    key: options.key,
    now,
    onNotices(notices) {
      started.relay?.wake();
      if (record === undefined) return;
      const at = now();
      for (const { notice } of notices) waiting.push({ notice, at });
      flushTimer ??= setTimeout(flushRecords, RECORD_SPACING_MS);
    },
  });
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
      await Promise.all([...recording]);
    },
  };
}
