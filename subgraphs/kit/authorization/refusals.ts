import type { GraphQLError } from 'graphql';
import type { Category } from '../../../vocabulary';
import { describeNoBasis, describeRefusal, type Decision, type Refusal } from '../../../policy';
import { accordError } from '../../../schema';
import type { AuthorizationState } from './state';

/** The error an analyst gets for a field that does not cross the border (policy/refusal.ts). */
export function refusal(
  state: AuthorizationState,
  decision: Decision,
  category: Category,
  coordinate: string,
): GraphQLError {
  return toError(describeRefusal(decision, state.owner, state.requester, category, coordinate));
}

/** The one error of a member that shares nothing with the requester (policy/refusal.ts). */
export function noBasis(state: AuthorizationState, decision: Decision): GraphQLError {
  return toError(describeNoBasis(decision, state.owner, state.requester));
}

/** The same error for another member, `owner`, whose records this owner's answer referred to but left out. */
export function noBasisFor(state: AuthorizationState, decision: Decision, owner: string): GraphQLError {
  return toError(describeNoBasis(decision, owner, state.requester));
}

function toError(refusal: Refusal): GraphQLError {
  return accordError(refusal.code, refusal.message, { ...refusal.extensions });
}
