/**
 * Former recipients (docs/decisions/0019-alert-delivery.md, "A recipient dropped by a renewal"). A
 * renewal that drops a member from a watch's recipients is recorded, per watch and member, at the hub's
 * time of the renewal; a renewal that gives the watch to the member again clears the record, and a
 * member dropped again keeps the first time it was dropped while it stays out. At append a notice from a
 * member that is not a recipient now is numbered all the same when its owner-signed emission time is not
 * after that record: the member held the watch when it emitted the notice, and its relay delivered it late.
 *
 * A watch's records go when it is cancelled: the hub renews no cancelled watch (so no record of it can be
 * cleared or kept any more) and the gateway delivers no notice of a watch that is not running
 * (docs/decisions/0019-alert-delivery.md, "Checks at delivery"). Not when it expires: the hub takes a
 * renewal past the expiry it holds (the watcher renewed it in time, and the gateway's call to the hub is
 * tried again later), and the records must still be there then.
 */
import type { Notice } from '../../../alerts';

/** The members a renewal from `before` to `after` drops (in `before`, not in `after`). */
export function droppedBy(before: readonly string[], after: readonly string[]): string[] {
  const now = new Set(after);
  return before.filter((member) => !now.has(member));
}

/**
 * The notice's emission time, epoch ms, or null when `at` is not exactly the instant it names (a date
 * such as February 30th, which JavaScript would roll over to March): such a notice is numbered only if
 * its owner is a recipient now. The PostgreSQL store reads the same time from the body in its trigger.
 */
export function emittedAt(notice: Notice): number | null {
  const at = Date.parse(notice.at);
  return Number.isNaN(at) || new Date(at).toISOString() !== notice.at ? null : at;
}

/** SQL for both stores: the drops of cancelled watches, recorded by a hub of the version that kept them, go. */
export const FORGET_CANCELLED_DROPS = `DELETE FROM alert_dropped
WHERE watch_id IN (SELECT id FROM alert_watches WHERE cancelled_at IS NOT NULL)`;
