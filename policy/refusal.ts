import { ERROR_CODES, META_REFERENCE, type Category, type RefusalCode } from '../vocabulary';
import type { Decision, RequestContext } from './types';

/**
 * How a field that does not cross the border is explained to the analyst, in one place, so that the
 * gateway (which withholds before planning) and the owner's subgraph (which withholds while resolving)
 * give the same answer. Plain data: the callers turn it into a GraphQL error.
 */
export interface Refusal {
  readonly code: RefusalCode;
  readonly message: string;
  readonly extensions: Readonly<Record<string, unknown>>;
}

/** A withheld or hit-only field: the owner, category, purpose, reason and routes. */
export function describeRefusal(
  decision: Decision,
  owner: string,
  requester: RequestContext,
  category: Category,
  coordinate: string,
): Refusal {
  const code: RefusalCode =
    decision.reason === 'PURPOSE_REQUIRED'
      ? ERROR_CODES.PURPOSE_REQUIRED
      : decision.effect === 'hit-only'
        ? ERROR_CODES.FOLLOW_UP_REQUIRED
        : ERROR_CODES.WITHHELD;
  // A hit-only field promises a request under another basis only when some clause could release it: with
  // no route, the sentence that follows says that nothing more is to be had.
  const lead =
    code === ERROR_CODES.PURPOSE_REQUIRED
      ? `${owner} releases nothing to ${requester.country} without a declared purpose`
      : code === ERROR_CODES.FOLLOW_UP_REQUIRED
        ? `${owner} gives ${requester.country} a hit only for ${category}${decision.routes.length ? ': details need a request under another basis' : ''}`
        : `${owner} withholds ${category} from ${requester.country} for ${requester.purpose ?? 'an undeclared purpose'} (${decision.reason})`;
  return {
    code,
    message: `${coordinate}: ${lead}.${routesSentence(decision, code, owner, requester)}`,
    extensions: {
      owner,
      category,
      field: coordinate,
      purpose: requester.purpose ?? null,
      reason: decision.reason,
      routes: decision.routes.map((route) => ({
        agreement: route.agreement,
        clause: route.clause,
        title: route.title,
        citation: route.citation,
        effect: route.effect,
        needs: route.needs.kind,
        text: route.text,
      })),
      revision: decision.revision,
    },
  };
}

/**
 * No basis gives the requester even a hit on the owner's records: one refusal for the owner, never one
 * per record and never a count, so it reveals nothing about what the owner holds.
 */
export function describeNoBasis(decision: Decision, owner: string, requester: RequestContext): Refusal {
  return {
    code: decision.reason === 'PURPOSE_REQUIRED' ? ERROR_CODES.PURPOSE_REQUIRED : ERROR_CODES.WITHHELD,
    message: `${owner} shares no records with ${requester.country} for ${requester.purpose ?? 'an undeclared purpose'} (${decision.reason}).${routesSentence(decision, decision.reason === 'PURPOSE_REQUIRED' ? ERROR_CODES.PURPOSE_REQUIRED : ERROR_CODES.WITHHELD, owner, requester)}`,
    extensions: {
      owner,
      category: META_REFERENCE,
      purpose: requester.purpose ?? null,
      reason: decision.reason,
      revision: decision.revision,
    },
  };
}

/**
 * The routes that could release more, or, when there is none, that none does: an analyst must not be sent
 * looking for a request no agreement would grant (issue 14). Without a declared purpose the way on is to
 * declare one, which the lead already says; routes are only computed for a purpose.
 */
function routesSentence(
  decision: Decision,
  code: Refusal['code'],
  owner: string,
  requester: RequestContext,
): string {
  if (decision.routes.length)
    return ` Could be obtained: ${decision.routes.map((route) => route.text).join('; ')}.`;
  if (code === 'PURPOSE_REQUIRED') return ' Declare one (Accord-Purpose) to learn what could be obtained.';
  return ` No agreement between ${owner} and ${requester.country} releases more.`;
}
