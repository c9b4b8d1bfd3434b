/**
 * The notice driver's messages between the alerts scenario and its owner process
 * (bench/alertOwnerProcess.ts, which says what each does), and the clock both read.
 */

export type OwnerCommand =
  | { readonly type: 'suspects'; readonly count: number }
  | {
      readonly type: 'drive';
      readonly id: number;
      readonly suspects: readonly WatchedSuspect[];
      readonly ratePerS: number;
      /** Null: until halted. With `burst`, a number of changes. */
      readonly durationMs: number | null;
      readonly burst?: boolean;
    }
  | { readonly type: 'halt'; readonly id: number };

export type OwnerMessage =
  | { readonly type: 'suspects'; readonly suspects: WatchedSuspect[] }
  | {
      readonly type: 'driven';
      readonly id: number;
      readonly notices: [string, number][];
      readonly changes: number;
      readonly appliedMs: number;
    }
  | { readonly type: 'relay'; readonly acknowledged: readonly string[]; readonly at: number }
  | { readonly type: 'failed'; readonly message: string };

export interface WatchedSuspect {
  readonly id: string;
  readonly document: { readonly number: string; readonly issuingCountry: string };
}

/** The clock every process of the scenario shares: epoch ms with the monotonic clock's resolution. */
export const sharedNow = (): number => performance.timeOrigin + performance.now();
