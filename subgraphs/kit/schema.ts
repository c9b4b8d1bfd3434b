import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { parse, type GraphQLSchema } from 'graphql';
import { ENTITY_INTERFACES, MEMBERS, concreteTypeName, memberSubgraphSdl, type Member } from '../../schema';
import { shieldSchema } from './authorization/shieldSchema';
import { withRecordVisibility } from './visibility';
import type { NationalSystem } from './types';

/**
 * The executable, guarded subgraph schema of one member: the generated SDL for its country, the national
 * system's resolvers, what the kit resolves itself (the key-only stubs of other members' types: a
 * reference to a KR suspect inside a KH compound resolves to its id; KR resolves the rest), record-level
 * visibility, and a graphql-shield rule on every field.
 */
export function buildNationalSchema<Records>(system: NationalSystem<Records>, members: readonly Member[] = MEMBERS): GraphQLSchema {
  return shieldSchema(buildUnguardedSchema(system, members), system.country);
}

/**
 * The same schema without authorization. Only for the benchmark that measures what authorization costs
 * (bench/); never served.
 */
export function buildUnguardedSchema<Records>(system: NationalSystem<Records>, members: readonly Member[] = MEMBERS): GraphQLSchema {
  if (!members.some((member) => member.code === system.country)) {
    throw new Error(`"${system.country}" is not a member of the alliance (the registry lists ${members.map((m) => m.code).join(', ')}).`);
  }
  const stubs: GraphQLResolverMap<unknown> = {};
  for (const member of members) {
    if (member.code === system.country) continue;
    for (const kind of ENTITY_INTERFACES) {
      const typeName = concreteTypeName(member.code, kind);
      stubs[typeName] = { __resolveReference: (reference: { id: string }) => ({ __typename: typeName, id: reference.id }) };
    }
  }
  const resolvers = withRecordVisibility({ ...stubs, ...(system.resolvers as GraphQLResolverMap<unknown>) }, system.country);
  return buildSubgraphSchema([{ typeDefs: parse(memberSubgraphSdl(system.country, members)), resolvers }]);
}
