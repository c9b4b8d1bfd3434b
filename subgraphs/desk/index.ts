// The owner's desk (issue 9): the grants it approves, kept and signed by the owner. Nothing here is
// composed into the supergraph.
export { openGrantStore, ensureGrantKey, grantKeyFile, deskFile, type GrantStore } from './grantStore';
export { checkApproval, type ApprovalRequest } from './approval';
export { proceduresOfAct, deskActRecorder, type DeskRecording } from './deskProcedures';
export {
  createDesk,
  isOverdue,
  type Desk,
  type DeskOptions,
  type DeskOfficer,
  type DeskOutcome,
  type DeskError,
  type DeskErrorKind,
  type DeskAct,
  type DeskRequestView,
  type DeskGrantView,
  type DeskListFilter,
  grantStatus,
  type GrantStatus,
} from './decide';
export { QUESTION_MIN_LETTERS, DESK_TEXT_MAX_CHARACTERS } from './deskText';
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
export { deskAccess, deskVerifier, DESK_UNAUTHENTICATED, type DeskAccess } from './deskAccess';
export {
  deskRoutes,
  DESK_BASE_PATH,
  DESK_MAX_BODY_BYTES,
  DESK_ERROR_CODES,
  type DeskRoutesOptions,
  type DeskErrorCode,
} from './deskRoutes';
export { mountDesk, deskIssuerFromEnv, type MountDeskOptions } from './mountDesk';
export { renderDeskPage, deskPageCsp, OVERDUE_MARK } from './page/deskPage';
export { dueAt, DEFAULT_REQUEST_DEADLINES } from './deadlines';
export { ensureHitKey, hitKeyFile } from './hitKey';
