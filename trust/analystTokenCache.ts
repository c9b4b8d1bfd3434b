import type { AnalystIdentity, AnalystVerifier } from './analystVerifier';

export interface AnalystTokenCacheOptions {
  /** Tokens remembered at most (least recently verified forgotten first). Default 10,000. */
  readonly maxEntries?: number;
  /**
   * How long a verified token is remembered, at most (default 60 s), and never past its own expiry:
   * a key removed from an identity provider's JWKS stops a cached token within this time.
   */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/**
 * Remembers tokens already verified, by their exact text, so an analyst's next requests with the same
 * token skip the signature check (jose: ~0.25 ms and a thread-pool round trip per token here, measured
 * as most of identity's cost on the five-member search). A refused token is never remembered.
 */
export function withAnalystTokenCache(
  verifier: AnalystVerifier,
  options: AnalystTokenCacheOptions = {},
): AnalystVerifier {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { identity: AnalystIdentity; until: number }>();
  return {
    async verify(token) {
      if (token) {
        const hit = cache.get(token);
        if (hit && hit.until > now()) {
          // Re-insert: the Map's order is then least recently used first.
          cache.delete(token);
          cache.set(token, hit);
          return hit.identity;
        }
        cache.delete(token);
      }
      const identity = await verifier.verify(token);
      const until = Math.min(now() + maxAgeMs, identity.expiresAt.getTime());
      if (token && until > now()) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
        cache.set(token, { identity, until });
      }
      return identity;
    },
  };
}
