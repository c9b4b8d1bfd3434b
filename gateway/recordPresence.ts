import {
  Kind,
  getNamedType,
  isAbstractType,
  isObjectType,
  parse,
  visit,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fieldEntryFromDecision } from '../audit';
import {
  ENTITY_INTERFACES,
  splitConcreteTypeName,
  isSearchType,
  type EntityInterface,
  ERROR_CODES,
} from '../schema';
import { describeNoBasis, type RequestContext } from '../policy';
import type { Consultation } from './consultation';
import type { RedactedOperation } from './redaction';
import type { AnswerWalker } from './answerWalker';
import { addAliasedField, unusedAlias } from './aliasedFields';

/**
 * Every record in an answer is confirmed by its owner, whatever the analyst selects (issue 10, items 2
 * and 12). Two facts of @apollo/gateway 2.14 make this necessary:
 *
 * - A record reached only by its key (`suspect(id:) { id }`, `case { suspects { id } }`) is answered from
 *   the hub or the referring member alone: its owner is never asked whether it exists, or whether the
 *   requester may know of it.
 * - An owner that answers a record with null (it does not exist, or record visibility hides it) gets
 *   empty fields and no error; a non-null field asked of it (`country`) then nulls the record's parent,
 *   which for a list of references is the whole list, every other owner's records with it.
 *
 * So the gateway asks every record's owner for its `country` (the record's `meta.reference`) under an
 * alias of its own. Where the owner answers the record with null, the data source stands a marked record
 * in its place (`standIn`), so that nothing is nulled around it; afterwards `answerAbsentRecords` takes
 * every marked record out: dropped from a list, null where it stood alone, and at the root of the
 * operation (a lookup by the id the analyst gave) null with one NOT_FOUND error. A record that does not
 * exist and one hidden record by record are answered alike, byte for byte. A record whose owner gives the
 * requester no basis at all (the gateway cut its `meta.reference` before planning) is taken out the same
 * way, with one no-basis error per owner instead, as the owners give it.
 */

const BASE_ALIAS = '_accordPresent';

/** Why the data source stood a marked record in for an owner's answer. Never reaches an analyst. */
export const ABSENCE = {
  /** The owner answered null: no such record, or one hidden from the requester. */
  notFound: '\u0000absent:not-found',
  /** The owner refused the whole fetch (its no-basis error is in the answer). */
  refused: '\u0000absent:refused',
  /** The owner could not be asked (its MEMBER_UNAVAILABLE error is in the answer). */
  unavailable: '\u0000absent:unavailable',
} as const;
export type Absence = (typeof ABSENCE)[keyof typeof ABSENCE];
const MARKERS: ReadonlySet<unknown> = new Set(Object.values(ABSENCE));

/** An alias the analyst's operation does not use. */
export function presenceAliasFor(source: string | undefined): string {
  return unusedAlias(BASE_ALIAS, source);
}

/** A record type of the contract (an entity interface) or a member's concrete record type. */
export function isRecordType(type: GraphQLNamedType | undefined | null): boolean {
  if (!type || !(isObjectType(type) || isAbstractType(type))) return false;
  if (ENTITY_INTERFACES.includes(type.name as EntityInterface)) return true;
  const split = splitConcreteTypeName(type.name);
  return !!split && !isSearchType(type.name);
}

/** Adds `<alias>: country` to every field's selection set of a record type. */
export function addPresenceChecks(
  schema: GraphQLSchema,
  document: DocumentNode,
  alias: string,
): { document: DocumentNode; added: boolean } {
  return addAliasedField(schema, document, alias, 'country', isRecordType);
}

/**
 * What the data source puts in place of a record its owner did not give: the record's type, and the
 * marker in every `country` asked of it (the only non-null field of a record besides its key), so that
 * @apollo/gateway nulls nothing around it. `query` is the entity fetch's operation text.
 */
export function standIns(
  query: string | undefined,
  representations: readonly unknown[],
  entities: readonly unknown[],
  absence: Absence,
): unknown[] {
  const keys = countryKeys(query);
  return representations.map((representation, index) => {
    const entity = entities[index];
    if (entity !== null && entity !== undefined) return entity;
    const typename = (representation as { __typename?: unknown } | null)?.__typename;
    if (typeof typename !== 'string' || !splitConcreteTypeName(typename) || isSearchType(typename))
      return null;
    const standIn: Record<string, unknown> = { __typename: typename };
    for (const key of keys) standIn[key] = absence;
    return standIn;
  });
}

/** The response keys of `country` directly under `_entities` in an entity fetch. */
function countryKeys(query: string | undefined): Set<string> {
  const keys = new Set<string>();
  if (!query) return keys;
  const collect = (set: SelectionSetNode | undefined): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD && selection.name.value === 'country')
        keys.add(selection.alias?.value ?? 'country');
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
    }
  };
  const fragments = new Map<string, SelectionSetNode>();
  const document = parse(query);
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition.selectionSet);
  visit(document, {
    Field(node) {
      if (node.name.value !== '_entities') return undefined;
      collect(node.selectionSet);
      for (const selection of node.selectionSet?.selections ?? []) {
        if (selection.kind === Kind.FRAGMENT_SPREAD) collect(fragments.get(selection.name.value));
      }
      return false;
    },
  });
  for (const set of fragments.values()) collect(set);
  return keys;
}

export interface AbsentRecordsInput {
  /** Walks the answer along the document with the presence checks, before redaction. */
  readonly walker: AnswerWalker;
  /** That document's operation. */
  readonly operation: OperationDefinitionNode;
  readonly alias: string;
  readonly redacted: RedactedOperation;
  readonly requester: RequestContext;
  /** With the audit on: a record answered absent for lack of any basis is noted for its owner. */
  readonly consultation?: Consultation;
  readonly recordAlias?: string;
}

interface ErrorShape {
  message: string;
  path?: readonly (string | number)[];
  extensions: Record<string, unknown>;
}

/** What taking records out did to the answer. */
export interface AbsentRecords {
  /** NOT_FOUND for a lookup at the root answered absent; one no-basis error per owner whose records were taken out for lack of any basis. */
  readonly errors: ErrorShape[];
  /**
   * Where a place named in the answer as the owners gave it now is: list positions after a record left
   * out move up, so that no error path counts the records taken out. Undefined for a place inside a
   * record taken out (an error there would tell of the record).
   */
  readonly relocate: (path: readonly (string | number)[]) => (string | number)[] | undefined;
}

/** Takes out of the answer every record its owner did not confirm (see above) and the presence checks. */
export function answerAbsentRecords(input: AbsentRecordsInput, data: Record<string, unknown>): AbsentRecords {
  const { walker, alias, redacted, requester, consultation, recordAlias } = input;
  const errors: ErrorShape[] = [];
  const noBasisOwners = new Set<string>();
  // Keyed by a list's or a record's place in the answer as it now stands (parents already moved up).
  const moved = new Map<string, readonly (number | undefined)[]>();
  const takenOut = new Set<string>();
  const placeKey = (path: readonly (string | number)[]): string => JSON.stringify(path);

  /** Why the record must be answered as absent, or undefined when its owner confirmed it. */
  function absence(
    object: Record<string, unknown>,
    typename: string,
    path: readonly (string | number)[],
  ): 'not-found' | 'silent' | undefined {
    const mark = object[alias];
    if (typeof mark === 'string' && !MARKERS.has(mark)) return undefined;
    if (mark === ABSENCE.notFound) return 'not-found';
    if (mark === ABSENCE.refused || mark === ABSENCE.unavailable) return 'silent'; // the owner's error says why
    // No answer to the check: the gateway cut the record's reference before planning (no basis at all).
    const cut = redacted.redactions.get(typename)?.get('country');
    if (cut) {
      if (!noBasisOwners.has(cut.owner)) {
        noBasisOwners.add(cut.owner);
        const refusal = describeNoBasis(cut.decision, cut.owner, requester);
        errors.push({ message: refusal.message, extensions: { ...refusal.extensions, code: refusal.code } });
      }
      const id = recordAlias ? object[recordAlias] : undefined;
      consultation?.add(
        cut.owner,
        fieldEntryFromDecision(
          path.join('.'),
          cut.category,
          cut.decision,
          typeof id === 'string' ? id : undefined,
        ),
      );
    }
    // Deny by default: a record no owner confirmed is not answered.
    return 'silent';
  }

  /** Whether the object is a record to be answered as absent (noting why), at its place before any is left out. */
  function isAbsent(
    object: Record<string, unknown>,
    staticType: string,
    set: SelectionSetNode,
    path: readonly (string | number)[],
  ): boolean {
    const typename = walker.typenameOf(object, staticType);
    if (!walker.fieldsOf(typename, set).some((field) => field.key === alias)) return false;
    const why = absence(object, typename, path);
    if (why === 'not-found' && path.length === 1) errors.push(notFound(requester, path));
    return why !== undefined;
  }

  /**
   * A record its owner confirmed, at its place in the answer. The check is the gateway's, not the
   * analyst's: like the id asked for under an alias (gateway/recordIds.ts), it is taken out of the answer
   * and the consultation does not list it; the owner's disclosure records the reference it confirmed.
   */
  function visitObject(
    object: Record<string, unknown>,
    staticType: string,
    set: SelectionSetNode,
    path: (string | number)[],
  ): void {
    const typename = walker.typenameOf(object, staticType);
    delete object[alias];
    for (const { key, definition, selectionSet } of walker.fieldsOf(typename, set)) {
      const value = object[key];
      if (key === alias || value === null || typeof value !== 'object') continue;
      if (!definition || !selectionSet) continue;
      const subSet = selectionSet;
      const named = getNamedType(definition.type).name;
      const isRecord = (item: unknown): item is Record<string, unknown> =>
        item !== null && typeof item === 'object';
      if (Array.isArray(value)) {
        // Left out, not nulled: the list's items are non-null, and the other records stay.
        const positions: (number | undefined)[] = [];
        let next = 0;
        const kept = value.filter((item, index) => {
          const keep = !isRecord(item) || !isAbsent(item, named, subSet, [...path, key, index]);
          positions.push(keep ? next++ : undefined);
          return keep;
        });
        if (kept.length !== value.length) moved.set(placeKey([...path, key]), positions);
        object[key] = kept;
        kept.forEach((item, index) => {
          if (isRecord(item)) visitObject(item, named, subSet, [...path, key, index]);
        });
      } else if (isRecord(value)) {
        if (isAbsent(value, named, subSet, [...path, key])) {
          object[key] = null; // every record field of the contract is nullable
          takenOut.add(placeKey([...path, key]));
        } else visitObject(value, named, subSet, [...path, key]);
      }
    }
  }

  const root = walker.rootType(input.operation);
  if (root) visitObject(data, root, input.operation.selectionSet, []);

  function relocate(path: readonly (string | number)[]): (string | number)[] | undefined {
    const now: (string | number)[] = [];
    for (const [depth, segment] of path.entries()) {
      const positions = typeof segment === 'number' ? moved.get(placeKey(now)) : undefined;
      if (positions) {
        const position = positions[segment as number];
        if (position === undefined) return undefined; // the record at this place was left out
        now.push(position);
      } else {
        now.push(segment);
      }
      // Below a record answered null: the place stands, what was inside it does not.
      if (depth < path.length - 1 && takenOut.has(placeKey(now))) return undefined;
    }
    return now;
  }
  return { errors, relocate };
}

/** The same words whether the record does not exist or the requester may not know of it. */
function notFound(requester: RequestContext, path: readonly (string | number)[]): ErrorShape {
  return {
    message: `${path.join('.')}: no record answers this id for ${requester.country}: it does not exist, or no basis lets ${requester.country} know of it.`,
    path,
    extensions: { code: ERROR_CODES.NOT_FOUND },
  };
}
