// Constructors of the contract's small value types, shared by the core scenario and the filler.
import type { GeoPoint, Location, SubscriberRecord, TravelDocument } from './types';

export function loc(
  description: string,
  country: string,
  point: GeoPoint | null,
  observedAt: string,
): Location {
  return { description, country, point, observedAt };
}

export function passport(number: string, issuingCountry: string, expiresOn: string): TravelDocument {
  return { kind: 'PASSPORT', number, issuingCountry, expiresOn };
}

export function subscriber(
  phone: string,
  operator: string,
  registeredName: string,
  activatedOn: string,
): SubscriberRecord {
  return { phone, operator, registeredName, activatedOn };
}
