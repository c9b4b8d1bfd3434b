/**
 * Agreement dates are ISO calendar dates read as UTC days: `from` starts at 00:00 UTC of its day, `until`
 * is inclusive and ends at 24:00 UTC of its day. (Instruments are dated in local time; UTC is the
 * alliance's common clock. A window edge may therefore be off by the parties' UTC offset, never more.)
 */
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch ms of 00:00 UTC of a YYYY-MM-DD calendar date, or undefined for anything else (2021-02-30). */
export function parseIsoDate(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day)
    return undefined;
  return ms;
}

/** [start, end) in epoch ms of an inclusive date window; an absent `until` is open-ended. */
export function dateWindow(
  from: string,
  until: string | undefined,
): { readonly startMs: number; readonly endMs: number } {
  const startMs = parseIsoDate(from);
  const untilMs = until === undefined ? undefined : parseIsoDate(until);
  if (startMs === undefined || (until !== undefined && untilMs === undefined)) {
    // The loader refuses sets with invalid dates; reaching this is a bug, not a caller mistake.
    throw new Error(`invariant: invalid date window ${from}..${until ?? ''}`);
  }
  return { startMs, endMs: untilMs === undefined ? Infinity : untilMs + DAY_MS };
}
