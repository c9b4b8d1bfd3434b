import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { parse, type GraphQLSchema } from 'graphql';
import { ENTITY_INTERFACES, MEMBERS, concreteTypeName, memberSubgraphSdl, type Member } from '../../schema';
import type { NationalSystem, SubgraphContext } from './types';

/**
 * The executable subgraph schema of one member: the generated SDL for its country with the national
 * system's resolvers, plus what the kit resolves itself: the key-only stubs of other members' types
 * (a reference to a KR suspect inside a KH compound resolves to its id; KR resolves the rest).
 */
export function buildNationalSchema(system: NationalSystem, members: readonly Member[] = MEMBERS): GraphQLSchema {
  if (!members.some((member) => member.code === system.country)) {
    throw new Error(`"${system.country}" is not a member of the alliance (the registry lists ${members.map((m) => m.code).join(', ')}).`);
  }
  const stubs: GraphQLResolverMap<SubgraphContext> = {};
  for (const member of members) {
    if (member.code === system.country) continue;
    for (const kind of ENTITY_INTERFACES) {
      const typeName = concreteTypeName(member.code, kind);
      stubs[typeName] = { __resolveReference: (reference: { id: string }) => ({ __typename: typeName, id: reference.id }) };
    }
  }
  return buildSubgraphSchema([
    { typeDefs: parse(memberSubgraphSdl(system.country, members)), resolvers: { ...stubs, ...system.resolvers } as GraphQLResolverMap<unknown> },
  ]);
}
