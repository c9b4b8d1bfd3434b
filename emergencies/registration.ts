import { EMERGENCY_REGISTRATION } from '../policy';

/**
 * An emergency registration (issue 9, item 5): the alliance hub's record that a member's analyst declared an
 * emergency for a case, and when. Its window runs from `registeredAt`, the hub's instant, never from a time
 * the analyst writes; a second declaration inside the window gets this same registration back.
 */
export interface EmergencyRegistration {
  /** `EMG-KR-7F3A9C01D2`: the requester country, then random hex (not a count: ids tell nothing). */
  readonly id: string;
  /** The requester's country, from the verified gateway context. */
  readonly country: string;
  readonly analyst: string;
  readonly caseReference: string;
  /** Normalised once (policy/freeText.ts readJustification) before it is signed. */
  readonly justification: string;
  /** Epoch ms, the hub's clock. */
  readonly registeredAt: number;
  /** `registeredAt` + the longest emergency window of the agreement set; each clause applies its own maximum. */
  readonly expiresAt: number;
}

/** What an id looks like: `EMG-`, the country, `-`, ten upper-case hex digits (the header's format). */
export const REGISTRATION_ID = EMERGENCY_REGISTRATION;

export function isRegistrationId(value: string): boolean {
  return REGISTRATION_ID.test(value);
}

/**
 * The bytes that are signed: the registration's fields in a fixed order. A reader re-derives them from the
 * parsed body, so a row whose stored body is not exactly this (reordered, padded, extra keys) fails too.
 */
export function signedBytes(registration: EmergencyRegistration): Buffer {
  const { id, country, analyst, caseReference, justification, registeredAt, expiresAt } = registration;
  return Buffer.from(
    JSON.stringify({ id, country, analyst, caseReference, justification, registeredAt, expiresAt }),
  );
}

/** The registration as the API and the audit tools show it (times as ISO 8601). */
export function registrationView(registration: EmergencyRegistration): {
  id: string;
  country: string;
  analyst: string;
  caseReference: string;
  justification: string;
  registeredAt: string;
  expiresAt: string;
} {
  return {
    id: registration.id,
    country: registration.country,
    analyst: registration.analyst,
    caseReference: registration.caseReference,
    justification: registration.justification,
    registeredAt: new Date(registration.registeredAt).toISOString(),
    expiresAt: new Date(registration.expiresAt).toISOString(),
  };
}
