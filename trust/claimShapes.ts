/**
 * The shapes of identity values that reach the request context. The analyst id, role and reference shapes
 * are policy/requestHeaders.ts's own, so an identity from a token is never one the header parser would refuse.
 */
export { ANALYST_ID, REFERENCE, ROLE } from '../policy';

/** Roles an analyst token may carry at most: a token is not a directory. */
export const MAX_ROLES = 16;

/** The roles of an analyst whose token carries no `roles` claim. */
export const DEFAULT_ROLES: readonly string[] = Object.freeze(['analyst']);
