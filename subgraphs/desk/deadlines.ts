import type { Agreement, RequestDeadlines } from '../../policy';
import type { Urgency } from './requestStore';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Directive (EU) 2023/977 art. 5(1): the requested party answers within 8 hours an urgent request for
 * data it can access directly, within 3 days an urgent request otherwise, and within 7 days any other.
 * Accord's default for every agreement that sets no times of its own.
 */
export const DEFAULT_REQUEST_DEADLINES: Required<RequestDeadlines> = Object.freeze({
  urgentDirectHours: 8,
  urgentDays: 3,
  normalDays: 7,
});

/**
 * When the owner should have decided a request filed at `filedAt` with `urgency`, under the agreement
 * invoked: the agreement's `requestDeadlines` where it sets them (each time on its own; a time it leaves
 * out keeps the directive's), else the directive's.
 */
export function dueAt(
  urgency: Urgency,
  filedAt: number,
  agreement?: Pick<Agreement, 'requestDeadlines'>,
): number {
  const times = { ...DEFAULT_REQUEST_DEADLINES, ...agreement?.requestDeadlines };
  switch (urgency) {
    case 'urgent-direct':
      return filedAt + times.urgentDirectHours * HOUR;
    case 'urgent':
      return filedAt + times.urgentDays * DAY;
    case 'normal':
      return filedAt + times.normalDays * DAY;
  }
}
