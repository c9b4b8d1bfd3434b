// The rows both stores read, turned into the log's types: the same columns, the same names.
import type { AlertAction } from '../../../vocabulary';
import type { ScannedRow, WatchEntry } from './AlertLog';

/** The columns of a watch as both stores read them, under `w.`. */
export const WATCH_COLUMNS =
  'w.id AS w_id, w.watcher AS w_watcher, w.analyst AS w_analyst, w.case_reference AS w_case, w.purpose AS w_purpose, w.created_at AS w_created, w.expires_at AS w_expires, w.cancelled_at AS w_cancelled, w.recipients AS w_recipients';

/** A watch from a row of WATCH_COLUMNS; undefined when the row has none. */
export function watchOf(row: unknown): WatchEntry | undefined {
  const r = row as Record<string, unknown> | undefined;
  if (!r || r['w_id'] === null || r['w_id'] === undefined) return undefined;
  const cancelled = r['w_cancelled'];
  return {
    id: r['w_id'] as string,
    watcher: String(r['w_watcher']),
    analyst: String(r['w_analyst']),
    caseReference: String(r['w_case']),
    purpose: String(r['w_purpose']) as WatchEntry['purpose'],
    createdAt: Number(r['w_created']),
    expiresAt: Number(r['w_expires']),
    ...(cancelled === null || cancelled === undefined ? {} : { cancelledAt: Number(cancelled) }),
    recipients: JSON.parse(String(r['w_recipients'])) as string[],
  };
}

/** A scanned row (the scan's columns are the same in both stores). */
export function scannedRow(r: Record<string, unknown>): ScannedRow {
  const watch = watchOf(r);
  return {
    position: Number(r['position']),
    owner: String(r['owner']),
    noticeId: String(r['notice_id']),
    receivedAt: Number(r['received_at']),
    body: String(r['body']),
    signature: String(r['signature']),
    ...(watch ? { watch } : {}),
    ...(r['a_analyst'] === null || r['a_analyst'] === undefined
      ? {}
      : {
          acknowledgement: {
            analyst: r['a_analyst'] as string,
            action: String(r['a_action']) as AlertAction,
            at: Number(r['a_at']),
          },
        }),
  };
}

/**
 * A log written before the analysts' sequences (issue 11, the red team's finding 1): each analyst's
 * notices are numbered in the order of the log, those of a watch the hub holds and from one of its
 * recipients; the others stay in no one's sequence, as they are now when appended. `ownerIsRecipient` is
 * the store's SQL for "l.owner is in w.recipients" (a JSON list).
 */
export function numberExistingNotices(ownerIsRecipient: string): string {
  return `
UPDATE alert_log SET analyst = numbered.analyst, analyst_seq = numbered.position
FROM (SELECT l.seq, w.analyst,
             ROW_NUMBER() OVER (PARTITION BY l.watcher, w.analyst ORDER BY l.seq) AS position
      FROM alert_log l JOIN alert_watches w ON w.id = l.watch_id AND w.watcher = l.watcher
      WHERE ${ownerIsRecipient}) AS numbered
WHERE alert_log.seq = numbered.seq`;
}
