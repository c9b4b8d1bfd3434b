import type { AcknowledgementEntry, LogEntry, WatchEntry } from './alertBackend';
import { watchRunning } from './deliveryCheck';

/**
 * The shapes the alert schema answers with (gateway/alerts/alertSchema.ts): a notice's references, its
 * cursor, whether it was acknowledged, and the owner's signature with the exact bytes it covers, so that a
 * client verifies the notice with the owner's public key without trusting the gateway. No value of any
 * record: a notice carries none (docs/decisions/0018-alerts-at-the-owner.md).
 */
export interface AlertView {
  readonly cursor: string;
  readonly owner: string;
  readonly noticeId: string;
  readonly watchId: string;
  readonly event: string;
  readonly at: string;
  readonly subject: string;
  readonly eventReference: string;
  readonly basis: readonly {
    readonly category: string;
    readonly agreement: string;
    readonly clause: string;
  }[];
  readonly revision: string;
  readonly acknowledged: boolean;
  readonly signature: { readonly algorithm: 'Ed25519'; readonly value: string; readonly signedBytes: string };
}

export function alertView(entry: LogEntry): AlertView {
  const { notice } = entry;
  return {
    cursor: entry.cursor,
    owner: notice.owner,
    noticeId: notice.noticeId,
    watchId: notice.watchId,
    event: notice.event,
    at: notice.at,
    subject: notice.subject,
    eventReference: notice.eventReference,
    basis: notice.basis.map(({ category, agreement, clause }) => ({ category, agreement, clause })),
    revision: notice.revision,
    acknowledged: entry.acknowledgement !== undefined,
    signature: { algorithm: 'Ed25519', value: entry.signature, signedBytes: entry.body },
  };
}

export interface WatchView {
  readonly id: string;
  readonly caseReference: string;
  readonly purpose: string;
  readonly createdAt: string;
  readonly justifiedAt: string | null;
  readonly expiresAt: string;
  readonly cancelledAt: string | null;
  readonly running: boolean;
  readonly recipients: readonly string[];
}

export function watchView(watch: WatchEntry, at: number): WatchView {
  return {
    id: watch.id,
    caseReference: watch.caseReference,
    purpose: watch.purpose,
    createdAt: iso(watch.createdAt),
    justifiedAt: watch.justifiedAt === undefined ? null : iso(watch.justifiedAt),
    expiresAt: iso(watch.expiresAt),
    cancelledAt: watch.cancelledAt === undefined ? null : iso(watch.cancelledAt),
    running: watchRunning(watch, at),
    recipients: [...watch.recipients].sort(),
  };
}

export function acknowledgementView(entry: AcknowledgementEntry) {
  return { owner: entry.owner, noticeId: entry.noticeId, action: entry.action, at: iso(entry.at) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
