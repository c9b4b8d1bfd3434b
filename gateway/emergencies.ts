import type { EmergencyReader } from '../emergencies';
import { HttpError } from '../lib/http';
import type { Logger } from '../lib/logger';
import { REQUEST_HEADERS, type RequestContext } from '../policy';
import { ERROR_CODES } from '../schema';

/**
 * The emergency an analyst names (`Accord-Emergency: EMG-…`), resolved against the hub's registry before
 * any subgraph is called (issue 9, item 5). What goes into the signed context the owners read is the
 * registration as the hub signed it: its id, its instant (the window runs from it) and its justification;
 * nothing the analyst typed.
 *
 * - unknown, not signed by the hub, or registered by another country: one refusal, HTTP 400 (the same
 *   words for all three, so an id tells nothing about another country's emergencies);
 * - registered for another case than the request's `Accord-Case`: refused, naming the registration's case;
 * - expired: passed on, so that no emergency clause is met and each refusal says its window ended
 *   (policy/failedConditions.ts emergencyWindow). It opens nothing: every clause's window lies inside the
 *   registration's.
 */
export function resolveEmergency(
  reader: EmergencyReader | undefined,
  id: string,
  requester: RequestContext,
  at: number,
  logger: Logger,
): NonNullable<RequestContext['emergency']> {
  const registration = reader?.get(id);
  if (registration === undefined || registration.country !== requester.country) {
    logger.info(
      { id, country: requester.country, reason: registration === undefined ? 'UNKNOWN' : 'FOREIGN' },
      'refused an emergency reference',
    );
    throw new HttpError(
      400,
      `${REQUEST_HEADERS.emergency} ${id} names no emergency your country registered: declare it with the declareEmergency mutation and send the id it returns.`,
      ERROR_CODES.BAD_REQUEST,
    );
  }
  if (requester.caseReference !== undefined && requester.caseReference !== registration.caseReference) {
    throw new HttpError(
      400,
      `${REQUEST_HEADERS.emergency} ${id} was registered for case ${registration.caseReference}, not ${requester.caseReference}: send that case, or register an emergency for this one.`,
      ERROR_CODES.BAD_REQUEST,
    );
  }
  if (at >= registration.expiresAt)
    logger.info(
      { id, expiresAt: new Date(registration.expiresAt).toISOString() },
      'a request names an expired emergency registration',
    );
  return {
    id: registration.id,
    declaredAt: registration.registeredAt,
    justification: registration.justification,
  };
}
