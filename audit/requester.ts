/**
 * Who asked and why, as both sides of a crossing record it: the requester's context as the gateway verified
 * it (policy/requestHeaders.ts), in the record's terms. One function, so that a consultation and its
 * disclosures cannot describe the same request differently.
 */
import type { RequestContext } from '../policy';
import type { CrossingRecord } from './types';

export type RequesterFields = Pick<
  CrossingRecord,
  | 'analyst'
  | 'country'
  | 'purpose'
  | 'caseReference'
  | 'requestReference'
  | 'jointTeam'
  | 'emergency'
  | 'warrantReference'
  | 'interpolNotice'
>;

export function requesterFields(requester: RequestContext): RequesterFields {
  return {
    analyst: requester.analyst,
    country: requester.country,
    ...(requester.purpose !== undefined ? { purpose: requester.purpose } : {}),
    ...(requester.caseReference !== undefined ? { caseReference: requester.caseReference } : {}),
    ...(requester.requestReference !== undefined ? { requestReference: requester.requestReference } : {}),
    ...(requester.jointTeam !== undefined ? { jointTeam: requester.jointTeam } : {}),
    // The instruments a clause may require besides a request (issue 16): the record names what the request carried.
    ...(requester.warrantReference !== undefined ? { warrantReference: requester.warrantReference } : {}),
    ...(requester.interpolNotice !== undefined ? { interpolNotice: requester.interpolNotice } : {}),
    ...(requester.emergency !== undefined
      ? {
          emergency: {
            ...(requester.emergency.id !== undefined ? { id: requester.emergency.id } : {}),
            declaredAt: new Date(requester.emergency.declaredAt).toISOString(),
            justification: requester.emergency.justification,
          },
        }
      : {}),
  };
}
