import type { GraphQLError } from 'graphql';
import type { Category } from '../../../vocabulary';
import type { Decision } from '../../../policy';
import { ERROR_CODES, accordError } from '../../../schema/errors';
import type { AuthorizationState } from './state';

/**
 * The error an analyst gets for a field that does not cross the border: a stable code, the owner, the
 * category, the purpose, the reason and the routes (which basis could allow it, and what it needs).
 */
export function refusal(state: AuthorizationState, decision: Decision, category: Category, coordinate: string): GraphQLError {
  const { owner, requester } = state;
  const code =
    decision.reason === 'PURPOSE_REQUIRED'
      ? ERROR_CODES.PURPOSE_REQUIRED
      : decision.effect === 'hit-only'
        ? ERROR_CODES.FOLLOW_UP_REQUIRED
        : ERROR_CODES.WITHHELD;
  const lead =
    code === ERROR_CODES.PURPOSE_REQUIRED
      ? `${owner} releases nothing to ${requester.country} without a declared purpose`
      : code === ERROR_CODES.FOLLOW_UP_REQUIRED
        ? `${owner} gives ${requester.country} a hit only for ${category}: details need a request under another basis`
        : `${owner} withholds ${category} from ${requester.country} for ${requester.purpose ?? 'an undeclared purpose'} (${decision.reason})`;
  const routes = decision.routes.map((route) => route.text);
  return accordError(code, `${coordinate}: ${lead}.${routes.length ? ` Could be obtained: ${routes.join('; ')}.` : ''}`, {
    owner,
    category,
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
  });
}

/**
 * The one error a member gives when no basis allows the requester even a hit on its records: one per
 * request to that member, never one per record and never a count, so it reveals nothing about what the
 * member holds.
 */
export function noBasis(state: AuthorizationState, decision: Decision): GraphQLError {
  const { owner, requester } = state;
  const code = decision.reason === 'PURPOSE_REQUIRED' ? ERROR_CODES.PURPOSE_REQUIRED : ERROR_CODES.WITHHELD;
  const routes = decision.routes.map((route) => route.text);
  return accordError(
    code,
    `${owner} shares no records with ${requester.country} for ${requester.purpose ?? 'an undeclared purpose'} (${decision.reason}).${
      routes.length ? ` Could be obtained: ${routes.join('; ')}.` : ''
    }`,
    { owner, category: 'meta.reference', purpose: requester.purpose ?? null, reason: decision.reason, revision: decision.revision },
  );
}
