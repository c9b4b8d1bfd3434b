import { ENTITY_INTERFACES, type EntityInterface } from './ids';

/**
 * A member's search answers its matches of each kind a page at a time (issue 14): a Relay-style
 * connection beside each list of the contract's `NationalSearch` (`suspects` → `suspectsConnection`),
 * with `totalCount`, `pageInfo { hasNextPage endCursor }`, `edges { cursor node }` and `nodes`. The
 * generator derives the fields and types from the contract's lists (schema/generate.ts); the names are
 * here so that the gateway, the kit and the members agree on them.
 */

/** How many matches one page holds at most, and by default; the lists of `NationalSearch` are the first page. */
export const SEARCH_PAGE_SIZE = 100;

/** `suspects` → `suspectsConnection`. */
export function connectionFieldName(listField: string): string {
  return `${listField}Connection`;
}

/** The interface of a page of a kind (`SuspectConnection`), or a member's own (`KRSuspectConnection`). */
export function connectionTypeName(kind: EntityInterface, owner = ''): string {
  return `${owner}${kind}Connection`;
}

/** An entry of a page (`SuspectEdge`, `KRSuspectEdge`). */
export function edgeTypeName(kind: EntityInterface, owner = ''): string {
  return `${owner}${kind}Edge`;
}

/** Whether a type is a member's page of its search, or an entry of one: `KRSuspectConnection`, `KRSuspectEdge`. */
export function splitSearchPageTypeName(
  typeName: string,
): { owner: string; kind: EntityInterface } | undefined {
  const match = /^([A-Z]{2})([A-Za-z]+)(Connection|Edge)$/.exec(typeName);
  if (!match || !(ENTITY_INTERFACES as readonly string[]).includes(match[2]!)) return undefined;
  return { owner: match[1]!, kind: match[2] as EntityInterface };
}
