/**
 * Does the owner's grant cover a question (docs/domain.md#conditions, item 8)? Judged from the grant's
 * plain data and the question, apart from the engine's code (policy/evaluateClause.ts): valid and not
 * revoked at that instant, for the requester's country and analyst, purpose, case, the record, and the
 * category (the record's reference goes with any category the grant gives). Shared by the grant invariant
 * (legal/invariants.ts) and the facts prove hands the reference model (legal/modelQuestion.ts).
 */
import type { DecisionInput, Grant } from '../policy/core';
import { META_REFERENCE } from '../vocabulary';

/** The first respect in which the grant misses the question, in words; undefined when it covers it. */
export function grantShortfall(grant: Grant, input: DecisionInput): string | undefined {
  const { requester, category, at } = input;
  if (!(at >= grant.validFrom && at < grant.validUntil))
    return `grant ${grant.id} is not valid at that instant`;
  if (grant.revokedAt !== undefined && at >= grant.revokedAt)
    return `grant ${grant.id} was revoked before that instant`;
  if (grant.requesterCountry !== requester.country)
    return `grant ${grant.id} is for ${grant.requesterCountry}, not ${requester.country}`;
  if (!grant.analysts.includes(requester.analyst))
    return `grant ${grant.id} is not for analyst ${requester.analyst}`;
  if (grant.purpose !== requester.purpose)
    return `grant ${grant.id} is for purpose ${grant.purpose}, not ${requester.purpose ?? 'none'}`;
  if (grant.caseReference !== requester.caseReference)
    return `grant ${grant.id} is for case ${grant.caseReference}, not ${requester.caseReference ?? 'none'}`;
  const subject = input.record?.id;
  if (subject === undefined || !grant.subjects.includes(subject))
    return `grant ${grant.id} does not cover record ${subject ?? '(unknown)'}`;
  if (category === META_REFERENCE ? grant.categories.length === 0 : !grant.categories.includes(category))
    return `grant ${grant.id} does not cover ${category}`;
  return undefined;
}
