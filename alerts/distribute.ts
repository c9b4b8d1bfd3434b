import type { ClauseRef, Policy, RequestContext } from '../policy';
import { parseGlobalId } from '../schema';
import { META_REFERENCE } from '../vocabulary';
import { identifierCategory } from './categories';
import type { Identifier } from './identifiers';
import type { Watch } from './watch';

/**
 * Who the receiving member is, as a requester, when the watcher's engine decides what of a watch may go to
 * it: the member's matching service, not an analyst. It is a named member of no joint team, so a clause
 * that needs one never opens a watch's way.
 */
export const MATCHING_SERVICE = 'accord:alerts';

/** What one member receives of a watch: the identifiers it may be sent, and nothing of the rest. */
export interface HeldWatch {
  readonly id: string;
  readonly watcher: string;
  readonly analyst: string;
  readonly caseReference: string;
  readonly purpose: Watch['purpose'];
  readonly identifiers: readonly Identifier[];
  readonly createdAt: number;
  readonly justifiedAt: number;
  readonly expiresAt: number;
}

export interface Recipient {
  readonly member: string;
  /** What the member receives (its identifiers a subset of the watch's, in the watch's order). */
  readonly watch: HeldWatch;
  /** For each identifier sent, the watcher's clause that let it go (the determining clause). */
  readonly clauses: readonly ClauseRef[];
}

/**
 * The watcher's decision on where a watch goes (docs/decisions/0018-alerts-at-the-owner.md). Sending
 * "passport X" to member M is a release of the watcher's data to M, so for each other member and each
 * identifier the watcher's engine decides: owner = the watcher, requester = M (its matching service, with
 * the watch's purpose and case reference), category = the identifier's. Only a `release` sends the
 * identifier (M receives the value itself; a hit-only basis lets M learn of a match, not receive a value).
 * An identifier M may not receive never goes to M; a watch with nothing M may receive does not go to M at
 * all. A record of a third member (neither the watcher nor M) is named by that member's id, which is that
 * member's to release, as the query path decides it (subgraphs/kit/referenceVisibility.ts): it goes to M
 * only when the third member's engine, too, gives M at least a hit on `meta.reference`. The answer reads
 * the agreements only, never any member's records, so it hints at no record.
 *
 * `members`: every member of the alliance (the registry); the watcher itself is skipped.
 */
export function distributeWatch(
  policy: Policy,
  watch: Watch,
  members: readonly string[],
  at: number,
): Recipient[] {
  const recipients: Recipient[] = [];
  if (at >= watch.expiresAt) return recipients;
  for (const member of members) {
    if (member === watch.watcher) continue;
    const requester: RequestContext = {
      country: member,
      analyst: MATCHING_SERVICE,
      roles: [],
      purpose: watch.purpose,
      caseReference: watch.caseReference,
    };
    const identifiers: Identifier[] = [];
    const clauses: ClauseRef[] = [];
    for (const identifier of watch.identifiers) {
      const decision = policy.decide({
        owner: watch.watcher,
        requester,
        category: identifierCategory(watch.watcher, identifier.kind),
        at,
        // The watcher holds no grants for another member: a clause that needs a request reference stays shut.
        grants: new Map(),
      });
      if (decision.effect !== 'release') continue;
      const referenceOwner = identifier.kind === 'record' ? parseGlobalId(identifier.id)?.owner : undefined;
      const reference =
        referenceOwner === undefined || referenceOwner === watch.watcher || referenceOwner === member
          ? undefined
          : policy.decide({
              owner: referenceOwner,
              requester,
              category: META_REFERENCE,
              at,
              grants: new Map(),
            });
      if (reference?.effect === 'withhold') continue;
      identifiers.push(identifier);
      clauses.push(...decision.clauses);
    }
    if (identifiers.length === 0) continue;
    recipients.push({
      member,
      watch: Object.freeze({
        id: watch.id,
        watcher: watch.watcher,
        analyst: watch.analyst,
        caseReference: watch.caseReference,
        purpose: watch.purpose,
        identifiers: Object.freeze(identifiers),
        createdAt: watch.createdAt,
        justifiedAt: watch.justifiedAt,
        expiresAt: watch.expiresAt,
      }),
      clauses: Object.freeze(clauses),
    });
  }
  return recipients;
}
