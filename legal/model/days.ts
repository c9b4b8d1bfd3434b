/**
 * Validity windows as docs/domain.md#conditions states them: calendar days in UTC, `from` from 00:00 of
 * its day, `until` up to the end of its day, no `until` open-ended. Written apart from policy/dates.ts.
 */
const ONE_DAY = 24 * 60 * 60 * 1000;

/** Each day's midnight, worked out once: a set names few days, and prove asks about them a million times. */
const midnights = new Map<string, number>();

function midnight(day: string): number {
  let ms = midnights.get(day);
  if (ms === undefined) midnights.set(day, (ms = new Date(`${day}T00:00:00.000Z`).getTime()));
  return ms;
}

/** Is the moment inside the window? */
export function insideDays(at: number, from: string, until: string | undefined): boolean {
  if (at < midnight(from)) return false;
  if (until === undefined) return true;
  return at < midnight(until) + ONE_DAY;
}
