/**
 * The services' clock, and its override for development and tests (issue 10, item 17).
 *
 * `ACCORD_CLOCK=2026-06-15T09:00:00Z` fixes "now" for every decision a service makes: which agreements
 * and clauses are in force, whether a joint team is inside its window, how old an emergency declaration
 * is, and the instant the audit records carry. The clock stands still at that instant, so that a test at
 * the edge of a window stays at the edge. It is refused unless the service runs in development mode
 * (`ACCORD_DEV=1`; `npm start -- --dev` sets it for every service): a production service decides at the
 * real time, always.
 *
 * What it does not move: the lifetimes of tokens. Identity providers (and `npm run token`) sign analyst
 * tokens with the real time, and the gateway signs its calls to the subgraphs with the real time; checked
 * against a moved clock every one of them would be "issued in the future" or "expired". Credentials live
 * in real time; agreements are read at the clock. docs/decisions/0012-clock-override.md has the why.
 * Nor does it move a member's search budget (subgraphs/kit/search/searchBudget.ts): that is rate limiting
 * in real time, on a monotonic clock of its own.
 */

import { envFlag } from './env';

export const CLOCK_VARIABLE = 'ACCORD_CLOCK';

/** An instant with its time zone: `2026-06-15T09:00:00Z`, `2026-06-15T18:00:00.250+09:00`. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export interface Clock {
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** The fixed instant, ISO 8601 UTC, when the clock is overridden. */
  readonly fixedAt?: string;
}

export const REAL_CLOCK: Clock = { now: Date.now };

/**
 * Reads `ACCORD_CLOCK`, once, at start-up: a bad value or a value outside development mode stops the
 * service with a message that shows the value and says what is expected.
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const raw = env[CLOCK_VARIABLE];
  if (raw === undefined || raw === '') return REAL_CLOCK;
  const at = parseInstant(raw);
  if (!envFlag(env, 'ACCORD_DEV', false)) {
    throw new Error(
      `${CLOCK_VARIABLE} (${JSON.stringify(raw)}) fixes the services' clock, for development and tests only: it is refused outside development mode. Start with \`npm start -- --dev\` (or ACCORD_DEV=1), or unset ${CLOCK_VARIABLE}.`,
    );
  }
  return { now: () => at, fixedAt: new Date(at).toISOString() };
}

/** Epoch ms of an `ACCORD_CLOCK` value, or an error that shows it. */
export function parseInstant(raw: string): number {
  const match = INSTANT.exec(raw);
  const ms = match ? Date.parse(raw) : NaN;
  if (!match || Number.isNaN(ms) || !realDateAndTime(match)) {
    throw new Error(
      `${CLOCK_VARIABLE} must be an ISO 8601 instant with its time zone, e.g. 2026-06-15T09:00:00Z, not ${JSON.stringify(raw)}.`,
    );
  }
  return ms;
}

/** Date.parse rolls 2026-02-30 over to March: a calendar date or a time of day that does not exist is refused. */
function realDateAndTime(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59
  );
}
