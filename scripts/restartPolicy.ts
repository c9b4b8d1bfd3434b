/**
 * When a crashed service is started again: after an exponential backoff, capped; and never again after
 * too many crashes in a row that each came soon after a start (a service that cannot start, or crashes
 * at once, would otherwise loop forever and bury the first error under its restarts).
 */

export interface RestartPolicy {
  /** Delay before the first restart. */
  readonly initialDelayMs: number;
  /** Cap of the doubling delay. */
  readonly maxDelayMs: number;
  /** A run shorter than this is a fast crash; a longer run forgives the crashes before it. */
  readonly fastCrashMs: number;
  /** Give up at this many fast crashes in a row. */
  readonly maxFastCrashes: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 10_000,
  fastCrashMs: 30_000,
  maxFastCrashes: 5,
};

export type RestartDecision =
  | { readonly action: 'restart'; readonly delayMs: number; readonly fastCrashes: number }
  | { readonly action: 'give-up'; readonly fastCrashes: number };

/** The crash history of one service. */
export class RestartTracker {
  private fastCrashes = 0;

  constructor(private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY) {}

  /** Called when the service exited on its own after running `ranForMs`. */
  onCrash(ranForMs: number): RestartDecision {
    this.fastCrashes = ranForMs < this.policy.fastCrashMs ? this.fastCrashes + 1 : 1;
    if (this.fastCrashes >= this.policy.maxFastCrashes)
      return { action: 'give-up', fastCrashes: this.fastCrashes };
    const delayMs = Math.min(
      this.policy.initialDelayMs * 2 ** (this.fastCrashes - 1),
      this.policy.maxDelayMs,
    );
    return { action: 'restart', delayMs, fastCrashes: this.fastCrashes };
  }
}
