/**
 * Registering an emergency through the gateway, as an analyst's client does (issue 9, item 5): the
 * `declareEmergency` mutation, then `Accord-Emergency: <the id it returned>` on each request.
 */
import { parseRequestHeaders, type RequestContext } from '../../policy';
import { analyst, type Alliance, type Exchange, type GraphQLAnswer } from './alliance';

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
export function declare(
  alliance: Alliance,
  country: string,
  analystId: string,
  caseReference: string,
  justification: string,
): Promise<GraphQLAnswer> {
  return alliance.query(DECLARE_EMERGENCY, {
    headers: analyst(country, analystId),
    variables: { caseReference, justification },
  });
}

/** Registers an emergency and returns the registration; fails the test if the hub refused it. */
export async function registerEmergency(
  alliance: Alliance,
  country: string,
  analystId: string,
  caseReference: string,
  justification: string,
): Promise<Registration> {
  const answer = await declare(alliance, country, analystId, caseReference, justification);
  const registration = (answer.body.data as { declareEmergency?: Registration } | null | undefined)
    ?.declareEmergency;
  if (answer.status !== 200 || !registration)
    throw new Error(`declareEmergency failed (HTTP ${answer.status}): ${JSON.stringify(answer.body.errors)}`);
  return registration;
}

/**
 * Who asked and why in a recorded exchange, as the gateway made it: the analyst's headers read as the
 * gateway reads them, and `Accord-Emergency` resolved to the registration the hub returned to one of the
 * exchanges (its `declareEmergency` answer), as the gateway resolves it against the registry.
 */
export function requesterOf(exchange: Exchange, exchanges: readonly Exchange[], at: number): RequestContext {
  const identity = {
    country: exchange.headers['accord-country']!,
    analyst: exchange.headers['accord-analyst']!,
    roles: ['analyst'],
  };
  const parsed = parseRequestHeaders((name) => exchange.headers[name], at, identity);
  if (!parsed.ok) throw new Error(parsed.problems.join(' '));
  if (parsed.emergencyRegistration === undefined) return parsed.context;
  const registration = exchanges
    .map(
      (e) => (e.answer.body.data as { declareEmergency?: Registration } | null | undefined)?.declareEmergency,
    )
    .find((r) => r?.id === parsed.emergencyRegistration);
  if (!registration) throw new Error(`No exchange registered ${parsed.emergencyRegistration}.`);
  return {
    ...parsed.context,
    emergency: {
      id: registration.id,
      declaredAt: Date.parse(registration.registeredAt),
      justification: registration.justification,
    },
  };
}
