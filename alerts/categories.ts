import { concreteTypeName, memberSubgraphSdl, readFieldCategories, referenceFields } from '../schema';
import { META_REFERENCE, isCategory, type Category } from '../vocabulary';
import type { IdentifierKind } from './identifiers';

/**
 * The data category an identifier or an event reveals, read from a member's generated schema (the
 * `@category` of the contract field the value lives in), never written here: the watch, the owner's
 * matching and the fields analysts query cannot disagree about what a passport number is.
 */

/** The contract field each identifier kind is a value of (`Kind.field` of schema/contract.graphql). */
export const IDENTIFIER_FIELDS: Readonly<Record<Exclude<IdentifierKind, 'record'>, string>> = {
  passport: 'Suspect.passportNumbers',
  document: 'Suspect.travelDocuments',
  phone: 'Suspect.phones',
  account: 'Suspect.financialAccounts',
  messenger: 'Suspect.messengerHandles',
};

/** The kinds of record change that are matched against watches (docs/decisions/0018-alerts-at-the-owner.md). */
export const EVENT_KINDS = [
  'border_movement',
  'transaction',
  'subscriber_record',
  'compound_status',
  'victim_status',
  'case_naming',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** The contract field each event adds to or changes: what a notice of it tells, at least as a hit. */
export const EVENT_FIELDS: Readonly<Record<EventKind, string>> = {
  border_movement: 'Suspect.borderMovements',
  transaction: 'Case.transactions',
  subscriber_record: 'Suspect.subscriberRecords',
  compound_status: 'Compound.status',
  victim_status: 'Victim.status',
  case_naming: 'Case.suspects',
};

const byCountry = new Map<string, ReadonlyMap<string, string>>();

/**
 * The category of `Kind.field` in the schema `country` serves (`KRSuspect.phones` for KR). Throws when the
 * field is not served with a known category: an identifier no field holds cannot be decided, so it is
 * refused rather than guessed.
 */
export function fieldCategory(country: string, field: string): Category {
  let categories = byCountry.get(country);
  if (categories === undefined) {
    categories = readFieldCategories(memberSubgraphSdl(country));
    byCountry.set(country, categories);
  }
  const [kind, name] = field.split('.') as [string, string];
  // A reference (`Case.suspects`) is served by its owner as the ids, under the same category
  // (`suspectIds`, docs/decisions/0020-references-through-the-hub.md).
  const served =
    referenceFields().find((reference) => reference.kind === kind && reference.field === name)?.idsField ??
    name;
  const declared = categories.get(`${concreteTypeName(country, kind as 'Suspect')}.${served}`);
  if (declared === undefined || !isCategory(declared))
    throw new Error(`alerts: ${country}'s schema serves no ${field} with a known @category.`);
  return declared;
}

/** The category a watch's identifier of this kind reveals when the watcher sends it. */
export function identifierCategory(country: string, kind: IdentifierKind): Category {
  // A record id is the record's reference (docs/domain.md#data-categories, meta.reference).
  return kind === 'record' ? META_REFERENCE : fieldCategory(country, IDENTIFIER_FIELDS[kind]);
}

/** The category an event of this kind discloses about the record it changed. */
export function eventCategory(country: string, kind: EventKind): Category {
  return fieldCategory(country, EVENT_FIELDS[kind]);
}
