/**
 * The one error of trust/ for a token that is refused. `reason` is from a closed set, stable for callers
 * (the gateway maps it to UNAUTHENTICATED, a subgraph to HTTP 401, the audit log records it); the message
 * says what is wrong with the token for the person who sent it and never reveals internals: no key
 * material, no file paths, no list of trusted issuers or keys.
 */
export const TRUST_ERROR_REASONS = [
  /** No token at all. */
  'MISSING',
  /** Not a compact JWS, not base64url, not JSON, a header we do not produce, or a claim of the wrong type. */
  'MALFORMED',
  /** The issuer is not one of the trusted issuers (analyst tokens: a member's identity provider). */
  'UNKNOWN_ISSUER',
  /** The `kid` names no trusted key (after a reload of the trusted set). */
  'UNKNOWN_KEY',
  /** The signature does not verify with the trusted key. */
  'BAD_SIGNATURE',
  /** `alg` is not in the allow-list (`none` and HS* never are). */
  'ALGORITHM_REFUSED',
  'EXPIRED',
  'NOT_YET_VALID',
  'WRONG_AUDIENCE',
  /** The payload claims a country other than the member whose identity provider issued it. */
  'COUNTRY_MISMATCH',
  /** A required claim is missing, or a claim's value has the wrong shape (analyst id, roles, scope). */
  'INVALID_CLAIMS',
  /**
   * `exp - iat` is longer than the verifier allows: gateway tokens 60 s at most, analyst tokens the
   * gateway's maximum token age (12 h by default).
   */
  'LIFETIME_TOO_LONG',
  /** Analyst tokens: issued (`iat`) longer ago than the gateway's maximum token age. */
  'TOO_OLD',
  /** Gateway tokens: this `jti` was accepted before. */
  'REPLAYED',
  /** Gateway tokens: the request body is not the one the token was signed for. */
  'BODY_MISMATCH',
  /**
   * Gateway tokens: the replay cache is at its bound with tokens that have not expired. The verifier
   * refuses rather than forget a `jti` it may see again; callers should answer 503 (retry), not 401.
   */
  'REPLAY_CACHE_FULL',
  /**
   * Gateway tokens: the shared replay store (PostgreSQL) cannot answer now. Not the token's fault, and the
   * token cannot be checked: refused (503, retry), never accepted unchecked.
   */
  'REPLAY_CACHE_UNAVAILABLE',
  /** The trusted keys could not be fetched (remote JWKS down or too slow): not the token's fault. */
  'KEYS_UNAVAILABLE',
] as const;
export type TrustErrorReason = (typeof TRUST_ERROR_REASONS)[number];

/**
 * The refusals that say the verifier cannot check now, not that the token is bad: a caller answers them
 * "unavailable, try again" (HTTP 503), every other reason "unauthenticated".
 */
export const TRUST_UNAVAILABLE_REASONS: readonly TrustErrorReason[] = [
  'REPLAY_CACHE_FULL',
  'REPLAY_CACHE_UNAVAILABLE',
  'KEYS_UNAVAILABLE',
];

export class TrustError extends Error {
  override readonly name = 'TrustError';

  /** `cause`: what went wrong inside (for the log only; the message is what a caller may be told). */
  constructor(
    readonly reason: TrustErrorReason,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isTrustError(error: unknown): error is TrustError {
  return error instanceof TrustError;
}

/**
 * A mistake in how trust/ is configured or called (a bad issuer map, a key file that does not parse, an
 * audience that is empty): found at start-up, with a message that states the contract and shows the bad
 * value. Never about a token.
 */
export class TrustConfigError extends Error {
  override readonly name = 'TrustConfigError';
}
