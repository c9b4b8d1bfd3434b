/**
 * The shapes of identity values that reach the request context. The analyst id, role and reference shapes
 * are policy/requestHeaders.ts's own, so an identity from a token is never one the header parser would refuse.
 */
// From the header parser's own module, not policy's index: the index loads the agreement engine (YAML,
// JSON Schema), which the `accord` command bundles this file without (cli/build.js; its start-up time).
export { ANALYST_ID, REFERENCE, ROLE } from '../policy/requestHeaders';

/** Roles an analyst token may carry at most: a token is not a directory. */
export const MAX_ROLES = 16;

/** The roles of an analyst whose token carries no `roles` claim. */
export const DEFAULT_ROLES: readonly string[] = Object.freeze(['analyst']);

/**
 * The role of a member's legal team (the `roles` claim its identity provider signs): it opens the gateway's
 * /legal workbench, which shows every agreement and joint team in force, analyst ids included.
 */
export const LEGAL_TEAM_ROLE = 'legal';

/**
 * The role of a member's desk officer (the `roles` claim its identity provider signs): it opens that
 * member's own desk (`/desk` on its subgraph's server: formal requests about its records and its grants).
 */
export const DESK_ROLE = 'desk';

/**
 * The `aud` a desk token carries: not the gateway's (DEFAULT_ANALYST_AUDIENCE), so an analyst's token for
 * the gateway never opens a desk, and a desk token is refused by the gateway.
 */
export const DESK_AUDIENCE = 'accord-desk';
