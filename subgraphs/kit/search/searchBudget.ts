/**
 * Prüm-style query budgets: how many distinct search terms one analyst may put to this owner in a
 * minute. A search answers only on whole identifiers, but an analyst could still try every number of a
 * range; the budget bounds how fast. One per owner (each subgraph keeps its own), counted per analyst
 * (country and analyst id, as the gateway verified them).
 */

/** The default when the member sets none: generous for a person at a desk, far too few to enumerate. */
export const DEFAULT_SEARCH_TERMS_PER_MINUTE = 60;
/** The largest limit a member may set: beyond it a budget no longer bounds anything worth bounding. */
export const MAX_SEARCH_TERMS_PER_MINUTE = 100_000;

const WINDOW_MS = 60_000;

/**
 * Milliseconds on a clock that only moves forward at the machine's pace (never set, never fixed).
 *
 * Why the budget does not run on the request's clock (the one decisions are made at): the budget is
 * rate limiting, not law. It bounds how fast a person can try values, which happens in real time; what
 * the agreements allow is read at the decision clock, which a development service may fix
 * (ACCORD_CLOCK, lib/clock.ts). On a fixed clock a minute would never pass, and after one minute's worth
 * of terms every new term would be refused until restart; and a wall clock set back or forward would
 * empty or freeze the window. A monotonic clock has neither problem.
 */
export type MonotonicClock = () => number;
const MONOTONIC: MonotonicClock = () => performance.now();

/** Refuses a limit that is not a whole number of terms from 1 to MAX_SEARCH_TERMS_PER_MINUTE. */
export function validateSearchTermsPerMinute(value: unknown, name = 'searchTermsPerMinute'): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_SEARCH_TERMS_PER_MINUTE
  ) {
    throw new Error(
      `${name} must be a whole number of search terms from 1 to ${MAX_SEARCH_TERMS_PER_MINUTE}, not ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/**
 * What the guard asks of a budget: in memory (SearchBudget, one process), or shared by all of a member's
 * processes (postgresSearchBudget.ts). A shared one may answer later, and rejects when it cannot answer.
 */
export interface ChargeableBudget {
  readonly termsPerMinute: number;
  charge(analyst: string, term: string): boolean | Promise<boolean>;
}

export class SearchBudget implements ChargeableBudget {
  /** Analyst → normalized term → when it was first counted in the current window. */
  private readonly seen = new Map<string, Map<string, number>>();
  readonly termsPerMinute: number;

  /** `clock`: where the budget reads the time; a monotonic clock unless a test steps one by hand. */
  constructor(
    termsPerMinute: number = DEFAULT_SEARCH_TERMS_PER_MINUTE,
    private readonly clock: MonotonicClock = MONOTONIC,
  ) {
    this.termsPerMinute = validateSearchTermsPerMinute(termsPerMinute);
  }

  /**
   * Counts `term` for `analyst` now (on the budget's own clock, see MonotonicClock), and whether it is
   * within the budget. A term already counted in the last minute costs nothing again: the budget bounds
   * how many values one may try, not how often one looks at the same one. A refused term is not counted.
   */
  charge(analyst: string, term: string): boolean {
    const at = this.clock();
    let terms = this.seen.get(analyst);
    if (!terms) {
      terms = new Map();
      this.seen.set(analyst, terms);
    }
    for (const [known, countedAt] of terms)
      if (at - countedAt >= WINDOW_MS || countedAt > at) terms.delete(known);
    if (terms.has(term)) return true;
    if (terms.size >= this.termsPerMinute) return false;
    terms.set(term, at);
    return true;
  }
}
