/**
 * Where a subgraph keeps the gateway tokens' `jti`s it has accepted, so that each token is accepted once
 * (trust/gatewayTokenVerifier.ts asks last, after every other check has passed).
 *
 * Two stores answer the same question:
 * - `ReplayCache` (replayCache.ts), in memory, the default: right for a subgraph served by one process.
 *   It answers synchronously, so the verifier's common path costs no round trip.
 * - `openPostgresReplayStore` (postgresReplayStore.ts): one table that all of a member's processes share,
 *   so a token captured at one process and replayed to another is refused.
 */

/**
 * - `admitted`: first seen, now recorded until `forgetAfter`.
 * - `replayed`: seen before: refuse the token.
 * - `full`: the store is at its bound with live entries: refuse rather than forget one (503, retry).
 *
 * A store that cannot answer (its database is down or too slow) rejects instead, with the reason for the
 * log; the verifier then refuses the token (503), never accepts it unchecked.
 */
export type Admission = 'admitted' | 'replayed' | 'full';

export interface ReplayStore {
  /** For the process's start-up log: where the `jti`s are kept (never a password). */
  readonly description: string;
  /**
   * Records `jti` for `audience` (the subgraph whose token it is) unless it was seen. `forgetAfter` and
   * `now` in seconds: from `forgetAfter` on, the token is refused as expired anyway, so the entry may go.
   * Synchronous when the store can answer at once: callers must accept both.
   */
  admit(audience: string, jti: string, forgetAfter: number, now: number): Admission | Promise<Admission>;
  /** Releases what the store holds open (connections, timers); the process can then exit. */
  close(): Promise<void>;
}
