import type { Admission, ReplayStore } from './replayStore';

/**
 * The `jti`s a subgraph has accepted, in this process's memory (the default ReplayStore), each kept until its token could no longer be accepted anyway
 * (`exp` + clock tolerance), so a token is accepted once.
 *
 * Bounded: at `maxEntries` live entries it refuses new tokens ('full') rather than forget one it holds —
 * forgetting would let that token be replayed. Size it for the traffic: entries live about
 * lifetime + tolerance (35 s by default), so 100,000 entries carry ~2,800 calls per second per subgraph
 * process, in ~10 MB. Per process: a subgraph served by several processes needs the shared store
 * (postgresReplayStore.ts), or a token captured at one process is accepted again by another.
 */
export class ReplayCache implements ReplayStore {
  /** jti → the time (s) from which its token is refused as expired; insertion order ≈ expiry order. */
  private readonly seen = new Map<string, number>();
  private lastFullSweep = Number.NEGATIVE_INFINITY;

  constructor(readonly maxEntries: number) {}

  get description(): string {
    return `in this process's memory (at most ${this.maxEntries} live entries)`;
  }

  get size(): number {
    return this.seen.size;
  }

  /**
   * Records `jti` unless it was seen; `forgetAfter` and `now` in seconds. The audience is not part of the
   * key: one cache serves one verifier, whose tokens all have its audience.
   */
  admit(_audience: string, jti: string, forgetAfter: number, now: number): Admission {
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

  close(): Promise<void> {
    return Promise.resolve();
  }
}
