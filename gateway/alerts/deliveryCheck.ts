import type { Policy, RequestContext } from '../../policy';
import type { Category } from '../../vocabulary';
import type { LogEntry, WatchEntry } from './alertBackend';

/**
 * What the gateway does with one notice of the log (docs/decisions/0019-alert-delivery.md, "Checks at
 * delivery"; the token is checked by the caller, before):
 * - `deliver`: it goes to the analyst;
 * - `watchEnded`: its watch expired or was cancelled, so it is skipped;
 * - `withheld`: a basis the owner gave no longer decides even a hit, or the entry is not this analyst's;
 *   it stays in the log and is not sent.
 */
export type DeliveryVerdict = 'deliver' | 'watchEnded' | 'withheld';

/** Whether a watch runs at `at` (epoch ms): not cancelled, not expired (`expiresAt` exclusive). */
export function watchRunning(watch: WatchEntry, at: number): boolean {
  return watch.cancelledAt === undefined && at >= watch.createdAt && at < watch.expiresAt;
}

/**
 * Whether the analyst may acknowledge a notice now: it is theirs, its owner emitted it while the watch ran
 * (cancelled or expired since: an analyst may record the arrest after ending the watch), and each basis
 * still decides at least a hit. A notice emitted outside its watch, or one whose basis lapsed, is never
 * confirmed: it is answered as one that does not exist.
 */
export function acknowledgeable(
  entry: LogEntry,
  analyst: { readonly country: string; readonly analyst: string },
  policy: Policy,
  now: number,
): boolean {
  const { notice, watch } = entry;
  const emitted = Date.parse(notice.at);
  const ranThen =
    Number.isFinite(emitted) &&
    emitted >= watch.createdAt &&
    emitted < watch.expiresAt &&
    (watch.cancelledAt === undefined || emitted < watch.cancelledAt);
  return isTheirs(entry, analyst) && ranThen && basisHolds(entry, policy, now);
}

/** The hub answers only this analyst's notices; an entry that says otherwise is not theirs. */
function isTheirs(entry: LogEntry, analyst: { readonly country: string; readonly analyst: string }): boolean {
  const { notice, watch } = entry;
  return (
    watch.watcher === analyst.country &&
    watch.analyst === analyst.analyst &&
    notice.watcher === analyst.country &&
    notice.watchId === watch.id
  );
}

export function deliveryVerdict(
  entry: LogEntry,
  analyst: { readonly country: string; readonly analyst: string },
  policy: Policy,
  at: number,
): DeliveryVerdict {
  if (!isTheirs(entry, analyst)) return 'withheld';
  if (!watchRunning(entry.watch, at)) return 'watchEnded';
  return basisHolds(entry, policy, at) ? 'deliver' : 'withheld';
}

/**
 * Each category the owner's basis names still decides at least a hit now, under the gateway's engine,
 * for the watcher as the owner decided it (the watch's analyst, purpose and case; no grant, as a watch
 * carries no request reference). The gateway has no record: when the only clause that could decide is
 * one of the owner's cited clauses and it failed on a record-level condition alone (a joint team's scope,
 * a source grade), that is the owner's to decide, as in redaction (gateway/redaction.ts), and the owner
 * decided it on the record when it emitted the notice. A notice with no basis is never delivered.
 */
function basisHolds(entry: LogEntry, policy: Policy, at: number): boolean {
  const { notice, watch } = entry;
  if (notice.basis.length === 0) return false;
  const requester: RequestContext = {
    country: watch.watcher,
    analyst: watch.analyst,
    roles: [],
    purpose: watch.purpose,
    caseReference: watch.caseReference,
  };
  const categories = new Set<Category>(notice.basis.map((basis) => basis.category));
  for (const category of categories) {
    const decision = policy.decide({ owner: notice.owner, requester, category, at });
    if (decision.effect !== 'withhold') continue;
    const ownersClauseNeedsTheRecord =
      decision.recordDependent &&
      decision.routes.some(
        (route) =>
          'recordLevel' in route.needs &&
          notice.basis.some(
            (basis) =>
              basis.category === category &&
              basis.agreement === route.agreement &&
              basis.clause === route.clause,
          ),
      );
    if (!ownersClauseNeedsTheRecord) return false;
  }
  return true;
}
