import { RestartTracker } from '../../scripts/restartPolicy';

const policy = { initialDelayMs: 500, maxDelayMs: 3_000, fastCrashMs: 10_000, maxFastCrashes: 6 };

describe('restart policy', () => {
  it('doubles the delay after each fast crash, up to the cap, then gives up', () => {
    const tracker = new RestartTracker(policy);
    const decisions = [1, 2, 3, 4, 5, 6].map(() => tracker.onCrash(100));
    expect(decisions).toEqual([
      { action: 'restart', delayMs: 500, fastCrashes: 1 },
      { action: 'restart', delayMs: 1_000, fastCrashes: 2 },
      { action: 'restart', delayMs: 2_000, fastCrashes: 3 },
      { action: 'restart', delayMs: 3_000, fastCrashes: 4 },
      { action: 'restart', delayMs: 3_000, fastCrashes: 5 },
      { action: 'give-up', fastCrashes: 6 },
    ]);
  });

  it('forgives earlier crashes after a long run', () => {
    const tracker = new RestartTracker(policy);
    tracker.onCrash(100);
    tracker.onCrash(100);
    expect(tracker.onCrash(60_000)).toEqual({ action: 'restart', delayMs: 500, fastCrashes: 1 });
  });
});
