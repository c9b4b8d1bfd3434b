/**
 * Registering an emergency through the gateway, as an analyst's client does (issue 9, item 5): the
 * `declareEmergency` mutation, then `Accord-Emergency: <the id it returned>` on each request.
 */
import { analyst, type Alliance, type GraphQLAnswer } from './alliance';

export const DECLARE_EMERGENCY = `mutation Declare($caseReference: String!, $justification: String!) {
  declareEmergency(caseReference: $caseReference, justification: $justification) { id country analyst caseReference justification registeredAt expiresAt }
}`;

export interface Registration {
  readonly id: string;
  readonly country: string;
  readonly analyst: string;
  readonly caseReference: string;
  readonly justification: string;
  readonly registeredAt: string;
  readonly expiresAt: string;
}

/** The mutation's answer as it came. */
export function declare(alliance: Alliance, country: string, analystId: string, caseReference: string, justification: string): Promise<GraphQLAnswer> {
  return alliance.query(DECLARE_EMERGENCY, { headers: analyst(country, analystId), variables: { caseReference, justification } });
}

/** Registers an emergency and returns the registration; fails the test if the hub refused it. */
export async function registerEmergency(alliance: Alliance, country: string, analystId: string, caseReference: string, justification: string): Promise<Registration> {
  const answer = await declare(alliance, country, analystId, caseReference, justification);
  const registration = (answer.body.data as { declareEmergency?: Registration } | null | undefined)?.declareEmergency;
  if (answer.status !== 200 || !registration) throw new Error(`declareEmergency failed (HTTP ${answer.status}): ${JSON.stringify(answer.body.errors)}`);
  return registration;
}
