import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { nearestNames } from '../../vocabulary';
import {
  concreteTypeName,
  parseGlobalId,
  referenceFields,
  type EntityInterface,
  type Member,
  ERROR_CODES,
  accordError,
} from '../../schema';
import { MIN_SEARCH_TERM_LENGTH, searchTermLetters } from '../kit';

/** The longest search term the hub accepts: terms are names and numbers, not documents. */
export const MAX_SEARCH_TERM_LENGTH = 100;

/**
 * The hub's resolvers. The hub holds no records: `search` returns one reference per member asked, which
 * the query planner sends to every owner in one parallel step; `suspect(id:)` and its siblings turn a
 * global id into a reference to its owner's type; and every member's reference fields (`KRCase.suspects`)
 * are turned here from the ids the owner answered (`suspectIds`, `@requires`) into typed references
 * (docs/decisions/0020-references-through-the-hub.md).
 */
export function hubResolvers(members: readonly Member[]): GraphQLResolverMap<unknown> {
  const codes = members.map((member) => member.code);

  function owner(id: string, expected: EntityInterface): { __typename: string; id: string } {
    const parsed = parseGlobalId(id);
    if (!parsed) {
      throw accordError(
        ERROR_CODES.BAD_USER_INPUT,
        `"${id}" is not a global id: expected the owner's country code, a kind and a number, e.g. KR-SUS-000123.`,
        {
          argument: 'id',
        },
      );
    }
    if (!codes.includes(parsed.owner)) {
      throw accordError(
        ERROR_CODES.BAD_USER_INPUT,
        `"${id}" names owner ${parsed.owner}, which is not a member of the alliance (members: ${codes.join(', ')}).`,
        {
          argument: 'id',
        },
      );
    }
    if (parsed.kind !== expected) {
      const field = parsed.kind === 'Case' ? 'case' : parsed.kind.toLowerCase();
      throw accordError(
        ERROR_CODES.BAD_USER_INPUT,
        `"${id}" is the id of a ${parsed.kind}, not a ${expected}: ask ${field}(id:) for it.`,
        {
          argument: 'id',
        },
      );
    }
    return { __typename: concreteTypeName(parsed.owner, parsed.kind), id };
  }

  /**
   * The typed reference an id stands for (KH-CMP-000001 → `{ __typename: 'KHCompound', id }`); an id of
   * another kind, of no member or malformed gives nothing: the record cannot be reached through the alliance.
   * The owner of the referring record has decided which ids the requester may know of.
   */
  function referenceOf(id: unknown, kind: EntityInterface): { __typename: string; id: string } | null {
    const parsed = typeof id === 'string' ? parseGlobalId(id) : undefined;
    if (!parsed || parsed.kind !== kind || !codes.includes(parsed.owner)) return null;
    return { __typename: concreteTypeName(parsed.owner, parsed.kind), id: id as string };
  }

  const references: Record<string, Record<string, (parent: Record<string, unknown>) => unknown>> = {};
  for (const member of members) {
    for (const reference of referenceFields()) {
      const typeName = concreteTypeName(member.code, reference.kind);
      const ids = (parent: Record<string, unknown>) => parent[reference.idsField];
      (references[typeName] ??= {})[reference.field] = reference.list
        ? (parent) => {
            const value = ids(parent);
            if (!Array.isArray(value)) return null; // withheld by the owner: its error says why
            return value
              .map((id) => referenceOf(id, reference.target))
              .filter((item): item is { __typename: string; id: string } => item !== null);
          }
        : (parent) => referenceOf(ids(parent), reference.target);
    }
  }

  return {
    ...references,
    Query: {
      search(_: unknown, args: { term: string; countries?: readonly string[] | null }) {
        const term = args.term.trim();
        if (term.length === 0)
          throw accordError(ERROR_CODES.BAD_USER_INPUT, 'The search term is empty.', { argument: 'term' });
        // Refused, not answered with nothing: an empty answer would read as "no such record" (issue 14).
        if (searchTermLetters(term).length < MIN_SEARCH_TERM_LENGTH) {
          throw accordError(
            ERROR_CODES.BAD_USER_INPUT,
            `The search term is too short: give at least ${MIN_SEARCH_TERM_LENGTH} letters or digits (spaces and punctuation do not count).`,
            { argument: 'term' },
          );
        }
        if (term.length > MAX_SEARCH_TERM_LENGTH) {
          throw accordError(
            ERROR_CODES.BAD_USER_INPUT,
            `The search term is longer than ${MAX_SEARCH_TERM_LENGTH} characters.`,
            { argument: 'term' },
          );
        }
        const asked = args.countries ?? codes;
        const unknown = asked.filter((code) => !codes.includes(code));
        if (unknown.length > 0) {
          const hints = unknown.map((code) => {
            const near = nearestNames(code, codes);
            return near.length ? `${code} (did you mean ${near.join(' or ')}?)` : code;
          });
          throw accordError(
            ERROR_CODES.BAD_USER_INPUT,
            `Not members of the alliance: ${hints.join(', ')}. Members: ${codes.join(', ')}.`,
            {
              argument: 'countries',
            },
          );
        }
        return [...new Set(asked)].map((country) => ({
          __typename: concreteTypeName(country, 'Search'),
          term,
          country,
        }));
      },
      suspect: (_: unknown, args: { id: string }) => owner(args.id, 'Suspect'),
      compound: (_: unknown, args: { id: string }) => owner(args.id, 'Compound'),
      case: (_: unknown, args: { id: string }) => owner(args.id, 'Case'),
      victim: (_: unknown, args: { id: string }) => owner(args.id, 'Victim'),
      members: () => members.map(({ code, name, authority }) => ({ code, name, authority })),
    },
  };
}
