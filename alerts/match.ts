import { recordFactsOf, type Decision, type Policy, type RequestContext } from '../policy';
import { META_REFERENCE, type Category } from '../vocabulary';
import { eventCategory, type EventKind } from './categories';
import type { HeldWatch } from './distribute';
import { identifierKey, type IdentifierKey } from './identifiers';
import { noticeIdOf, type Notice, type NoticeBasis } from './notice';

/** One identifier of the owner's record, normalised, with the category of the field it was read from. */
export interface RecordIdentifier {
  readonly key: IdentifierKey;
  readonly category: Category;
  /** The record it was read from (global id, operations, source grade: what record-level conditions read). */
  readonly subject: { readonly id: string };
}

/** A change of one of the owner's records, as matching sees it. */
export interface RecordEvent {
  readonly kind: EventKind;
  /** `<owner>-EVT-<n>`: the owner's reference of the change. */
  readonly reference: string;
  /** The record that changed, after the change. */
  readonly record: { readonly id: string };
  /** The identifiers the change is matched by (those of the changed record and of the people it names). */
  readonly identifiers: readonly RecordIdentifier[];
}

/** The notice a watch's hit gives when the owner decides it may; why none otherwise stays with the owner. */
export interface MatchOptions {
  /** The owner's engine. */
  readonly policy: Policy;
  readonly owner: string;
  /** Epoch ms: the instant decided at, and the notices' time. */
  readonly at: number;
}

/**
 * The notices an event gives, decided by the owner (docs/decisions/0018-alerts-at-the-owner.md): for each
 * watch the owner holds, still running, with an identifier equal (whole, normalised) to one of the event's,
 * the owner's engine decides owner = this member, requester = the watcher (its analyst, the watch's
 * purpose and case reference), as a search match is decided (subgraphs/kit/search): a value of category C
 * matching counts as a hit on C, so the hit is told only when the decision for C on that record is at
 * least a hit. The event itself tells the watcher that the record changed that way, so the event's
 * category must give at least a hit too. Either withheld: no notice, and nothing else says there was a
 * match. One notice per watch and event at most.
 */
export function matchEvent(
  options: MatchOptions,
  event: RecordEvent,
  watches: readonly HeldWatch[],
): Notice[] {
  const notices: Notice[] = [];
  for (const watch of watches) {
    if (watch.watcher === options.owner || options.at >= watch.expiresAt || options.at < watch.createdAt)
      continue;
    const keys = new Set(watch.identifiers.map((identifier) => identifierKey(identifier)));
    const hits = event.identifiers.filter((identifier) => keys.has(identifier.key));
    if (hits.length === 0) continue;
    const requester: RequestContext = {
      country: watch.watcher,
      analyst: watch.analyst,
      roles: [],
      purpose: watch.purpose,
      caseReference: watch.caseReference,
    };
    const decideOn = (category: Category, record: unknown): Decision =>
      options.policy.decide({
        owner: options.owner,
        requester,
        category,
        at: options.at,
        record: recordFactsOf(record),
        // The owner's book, empty: a watch carries no request reference, so no grant can open anything.
        grants: new Map(),
      });
    const eventDecision = decideOn(eventCategory(options.owner, event.kind), event.record);
    if (eventDecision.effect === 'withhold') continue;
    for (const hit of hits) {
      const hitDecision = decideOn(hit.category, hit.subject);
      if (hitDecision.effect === 'withhold') continue;
      // The notice names the record (`subject`): its id is told only where the record itself may be seen, as
      // a record whose reference no basis releases is answered like a missing one (subgraphs/kit/visibility.ts).
      const referenceDecision =
        hit.category === META_REFERENCE ? hitDecision : decideOn(META_REFERENCE, hit.subject);
      if (referenceDecision.effect === 'withhold') continue;
      notices.push(
        Object.freeze({
          owner: options.owner,
          noticeId: noticeIdOf(options.owner, watch.id, event.reference),
          watchId: watch.id,
          watcher: watch.watcher,
          event: event.kind,
          at: new Date(options.at).toISOString(),
          subject: hit.subject.id,
          eventReference: event.reference,
          basis: Object.freeze([
            ...basisOf(hit.category, hitDecision),
            ...(hit.category === META_REFERENCE ? [] : basisOf(META_REFERENCE, referenceDecision)),
            ...basisOf(eventCategory(options.owner, event.kind), eventDecision),
          ]),
          revision: hitDecision.revision,
        }),
      );
      break;
    }
  }
  return notices;
}

function basisOf(category: Category, decision: Decision): NoticeBasis[] {
  return decision.clauses.map((clause) =>
    Object.freeze({ category, agreement: clause.agreement, clause: clause.clause }),
  );
}
