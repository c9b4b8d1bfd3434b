import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { parseGlobalId } from '../schema';
import { IDENTIFIER_KINDS } from '../vocabulary';

/**
 * What a watch may name, and the one normalisation both sides apply: the watcher to what it registers,
 * the owner to its own records' values. Matching compares the normalised keys whole, never by prefix and
 * never fuzzily (docs/domain.md#every-path-to-data-is-a-disclosure): a key is a lookup, not a search.
 *
 * - a passport or another travel document: the number upper-cased without spaces, keyed with the issuing
 *   country (`document:KR:M55503183`); a passport and a travel document share the key space, so a passport
 *   watched is found in a border movement or a travel document alike;
 * - a phone: E.164 (`phone:+821055523318`), read by libphonenumber-js, national formats with the country
 *   they are written for;
 * - an account: upper-cased without separators (`account:110234567890`);
 * - a messenger handle: the app and the handle, lower-cased, without a leading `@`
 *   (`handle:telegram:tiger_dgm`);
 * - a record: its global id (`record:KH-SUS-000001`).
 */
export { IDENTIFIER_KINDS };
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export type Identifier =
  | { readonly kind: 'passport'; readonly number: string; readonly issuingCountry: string }
  | { readonly kind: 'document'; readonly number: string; readonly issuingCountry: string }
  /** `country`: the country a number written in national form belongs to (absent: it starts with +). */
  | { readonly kind: 'phone'; readonly number: string; readonly country?: string }
  | { readonly kind: 'account'; readonly number: string }
  | { readonly kind: 'messenger'; readonly app: string; readonly handle: string }
  | { readonly kind: 'record'; readonly id: string };

/** A normalised identifier: the key it is matched by. */
export type IdentifierKey = string & { readonly __identifierKey: true };

/** Text as written: compatibility forms folded (full-width digits, no-break spaces), every space removed. */
function compact(value: string): string {
  return value.normalize('NFKC').replace(/\s+/gu, '');
}

/** `document:<CC>:<NUMBER>`, or undefined when the number or the country is empty or malformed. */
export function documentKey(number: string, issuingCountry: string): IdentifierKey | undefined {
  const country = compact(issuingCountry).toUpperCase();
  const value = compact(number).toUpperCase();
  if (!/^[A-Z]{2}$/.test(country) || !/^[A-Z0-9-]{3,40}$/.test(value)) return undefined;
  return `document:${country}:${value}` as IdentifierKey;
}

/** `phone:<E.164>`, or undefined when libphonenumber-js cannot read a possible number of that country. */
export function phoneKey(number: string, country?: string): IdentifierKey | undefined {
  const written = number.normalize('NFKC').trim();
  if (written.length === 0 || written.length > 40) return undefined;
  const region = country === undefined ? undefined : (country.toUpperCase() as CountryCode);
  // Read once per number: an owner reads every phone of a record at each of its changes, and each watch's
  // at each match, and libphonenumber-js takes longer than the rest of the key (bench/README.md, alerts).
  const memo = `${region ?? ''}\0${written}`;
  if (phoneKeys.has(memo)) return phoneKeys.get(memo);
  let parsed;
  try {
    parsed = parsePhoneNumberFromString(written, region);
  } catch {
    parsed = undefined;
  }
  const key = parsed?.isPossible() ? (`phone:${parsed.number}` as IdentifierKey) : undefined;
  if (phoneKeys.size >= MAX_PHONE_KEYS) phoneKeys.clear();
  phoneKeys.set(memo, key);
  return key;
}

/** The phone keys read so far (a pure function's results); bounded: past MAX_PHONE_KEYS it starts over. */
const phoneKeys = new Map<string, IdentifierKey | undefined>();
const MAX_PHONE_KEYS = 10_000;

/** `account:<NUMBER>`: upper-cased, every separator (space, hyphen, dot, slash) removed. */
export function accountKey(number: string): IdentifierKey | undefined {
  const value = number
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s./-]+/gu, '');
  if (!/^[A-Z0-9]{4,64}$/.test(value)) return undefined;
  return `account:${value}` as IdentifierKey;
}

/** `handle:<app>:<handle>`: lower-cased, without a leading `@`. */
export function handleKey(app: string, handle: string): IdentifierKey | undefined {
  const service = compact(app).toLowerCase();
  const name = compact(handle).toLowerCase().replace(/^@/, '');
  if (!/^[a-z0-9_]{2,32}$/.test(service) || !/^[\p{L}\p{N}_.+-]{2,64}$/u.test(name)) return undefined;
  return `handle:${service}:${name}` as IdentifierKey;
}

/** `record:<global id>`, for a well-formed global id of any member. */
export function recordKey(id: string): IdentifierKey | undefined {
  return parseGlobalId(id) === undefined ? undefined : (`record:${id}` as IdentifierKey);
}

/** The key of one identifier of a watch, or undefined when it is not one (the validator says why). */
export function identifierKey(identifier: Identifier): IdentifierKey | undefined {
  switch (identifier.kind) {
    case 'passport':
    case 'document':
      return documentKey(identifier.number, identifier.issuingCountry);
    case 'phone':
      return phoneKey(identifier.number, identifier.country);
    case 'account':
      return accountKey(identifier.number);
    case 'messenger':
      return handleKey(identifier.app, identifier.handle);
    case 'record':
      return recordKey(identifier.id);
  }
}

/** Why an identifier has no key: for the validator's message. */
export function whyNoKey(identifier: Identifier): string {
  switch (identifier.kind) {
    case 'passport':
    case 'document':
      return 'must be a document number of 3 to 40 letters, digits or hyphens and a two-letter issuing country';
    case 'phone':
      return identifier.country === undefined
        ? 'is not a phone number in international form (+ and the calling code); give `country` for a number in national form'
        : `is not a possible phone number of ${identifier.country}`;
    case 'account':
      return 'must be an account number of 4 to 64 letters and digits (separators are ignored)';
    case 'messenger':
      return 'must name the app (letters, digits, _) and a handle of 2 to 64 characters';
    case 'record':
      return 'is not a global record id (like KH-SUS-000001)';
  }
}
