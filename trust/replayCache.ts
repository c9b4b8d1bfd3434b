/**
 * The `jti`s a subgraph has accepted, each kept until its token could no longer be accepted anyway
 * (`exp` + clock tolerance), so a token is accepted once.
 *
 * Bounded: at `maxEntries` live entries it refuses new tokens ('full') rather than forget one it holds —
 * forgetting would let that token be replayed. Size it for the traffic: entries live about
 * lifetime + tolerance (35 s by default), so 100,000 entries carry ~2,800 calls per second per subgraph
 * process, in ~10 MB. Per process: a subgraph served by several processes needs a shared store instead.
 */
export class ReplayCache {
  /** jti → the time (s) from which its token is refused as expired; insertion order ≈ expiry order. */
  private readonly seen = new Map<string, number>();
  private lastFullSweep = Number.NEGATIVE_INFINITY;

  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.seen.size;
  }

  /** Records `jti` unless it was seen; `forgetAfter` and `now` in seconds. */
  admit(jti: string, forgetAfter: number, now: number): 'admitted' | 'replayed' | 'full' {
    if (this.seen.has(jti)) return 'replayed';
    this.sweepOldest(now);
    if (this.seen.size >= this.maxEntries) {
      // Tokens of different lifetimes interleave, so expired entries can sit behind live ones; a full pass finds them, at most once a second.
      if (now - this.lastFullSweep >= 1) {
        this.lastFullSweep = now;
        for (const [key, until] of this.seen) if (until <= now) this.seen.delete(key);
      }
      if (this.seen.size >= this.maxEntries) return 'full';
    }
    this.seen.set(jti, forgetAfter);
    return 'admitted';
  }

  /** Drops expired entries from the oldest end, stopping at the first live one: O(1) amortized per call. */
  private sweepOldest(now: number): void {
    for (const [key, until] of this.seen) {
      if (until > now) return;
      this.seen.delete(key);
    }
  }
}
