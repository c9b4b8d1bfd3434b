import { MEMBERS, concreteTypeName, parseGlobalId } from '../../schema';

/**
 * A reference to a record by global id, typed with its owner's concrete type (KH-CMP-000001 →
 * `{ __typename: 'KHCompound', id }`), for the owner to resolve. An id of a country that is not a member
 * (or a malformed id) gives null: the record cannot be reached through the alliance.
 */
export function referenceTo(id: string): { __typename: string; id: string } | null {
  const parsed = parseGlobalId(id);
  if (!parsed || !MEMBERS.some((member) => member.code === parsed.owner)) return null;
  return { __typename: concreteTypeName(parsed.owner, parsed.kind), id };
}
