/**
 * The shapes of identity values that reach the request context. They match what policy/requestHeaders.ts
 * accepts for the same values, so an identity from a token is never one the header parser would refuse.
 */

/** An analyst id: lower-case letters, digits, `.`, `_`, `-`; 1 to 64, starting with a letter or digit. */
export const ANALYST_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** A role: a short lower-case word (`analyst`, `supervisor`, `duty_officer`). */
export const ROLE = /^[a-z][a-z0-9_-]{0,31}$/;

/** Roles an analyst token may carry at most: a token is not a directory. */
export const MAX_ROLES = 16;

/** A reference such as a joint-team id (`KR-KH-JIT-2025`): the shape of the `Accord-JIT` header. */
export const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{1,63}$/;

/** The roles of an analyst whose token carries no `roles` claim. */
export const DEFAULT_ROLES: readonly string[] = Object.freeze(['analyst']);
