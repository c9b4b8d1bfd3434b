import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { parse, type GraphQLSchema } from 'graphql';
import { MEMBERS, concreteTypeName, memberSubgraphSdl, referenceFields, type Member } from '../../schema';
import { shieldSchema } from './authorization/shieldSchema';
import { withRecordVisibility } from './visibility';
import { withSearchBudget } from './search/guardSearch';
import { guardReferences } from './referenceVisibility';
import { followUpResolvers } from './followUp/resolvers';
import type { NationalSystem } from './types';

/**
 * The executable, guarded subgraph schema of one member: the generated SDL for its country, the national
 * system's resolvers, the owner's search budget, record-level visibility (of records asked for and of
 * records referred to), and a graphql-shield rule on every field. A national system resolves a
 * reference field as the contract names it (`associates`: its own records, and `referenceTo(id)` for
 * another member's); the member serves it as the ids (`associateIds`), from which the hub serves the typed
 * field (docs/decisions/0020-references-through-the-hub.md).
 */
export function buildNationalSchema<Records>(
  system: NationalSystem<Records>,
  members: readonly Member[] = MEMBERS,
): GraphQLSchema {
  return shieldSchema(buildUnguardedSchema(system, members), system.country);
}

/**
 * The same schema without authorization. Only for the benchmark that measures what authorization costs
 * (bench/); never served.
 */
export function buildUnguardedSchema<Records>(
  system: NationalSystem<Records>,
  members: readonly Member[] = MEMBERS,
): GraphQLSchema {
  if (!members.some((member) => member.code === system.country)) {
    throw new Error(
      `"${system.country}" is not a member of the alliance (the registry lists ${members.map((m) => m.code).join(', ')}).`,
    );
  }
  const ownResolvers = withRecordVisibility(
    withSearchBudget(
      servedAsIds(system.resolvers as GraphQLResolverMap<unknown>, system.country),
      system.country,
    ),
    system.country,
  );
  // The kit's own: the follow-up request filed with this owner (subgraphs/kit/followUp).
  const resolvers = {
    ...ownResolvers,
    ...(followUpResolvers(system.country) as GraphQLResolverMap<unknown>),
  };
  return guardReferences(
    buildSubgraphSchema([{ typeDefs: parse(memberSubgraphSdl(system.country, members)), resolvers }]),
    system.country,
  );
}

/**
 * The national system's resolver of a reference field, moved to the field the member serves (`associates`
 * → `associateIds`): guardReferences decides its records and turns them into ids.
 */
function servedAsIds(resolvers: GraphQLResolverMap<unknown>, country: string): GraphQLResolverMap<unknown> {
  const out: GraphQLResolverMap<unknown> = { ...resolvers };
  for (const reference of referenceFields()) {
    const typeName = concreteTypeName(country, reference.kind);
    const typeResolvers = out[typeName] as Record<string, unknown> | undefined;
    if (!typeResolvers || !(reference.field in typeResolvers)) continue;
    const { [reference.field]: resolve, ...rest } = typeResolvers;
    out[typeName] = { ...rest, [reference.idsField]: resolve } as GraphQLResolverMap<unknown>[string];
  }
  return out;
}
