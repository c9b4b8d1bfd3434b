// The owner's desk (issue 9): the grants it approves, kept and signed by the owner. Nothing here is
// composed into the supergraph.
export { openGrantStore, ensureGrantKey, grantKeyFile, deskFile, type GrantStore } from './grantStore';
export { checkApproval, type ApprovalRequest } from './approval';
export {
  openRequestStore,
  URGENCIES,
  INTENDED_USES,
  REQUEST_STATES,
  type RequestStore,
  type FollowUpFiling,
  type FollowUpRequest,
  type RequestEvent,
  type ApprovalTerms,
  type RequestFilter,
  type RequestState,
  type Urgency,
  type IntendedUse,
} from './requestStore';
