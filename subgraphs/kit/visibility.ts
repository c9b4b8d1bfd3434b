import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { ENTITY_INTERFACES, concreteTypeName } from '../../schema';
import type { GuardedContext } from './authorization/rules';

type Resolver = GraphQLFieldResolver<unknown, GuardedContext>;
type ReferenceResolver = (reference: unknown, context: GuardedContext, info: unknown) => unknown;

const SEARCH_LISTS = ['suspects', 'compounds', 'cases', 'victims'] as const;

/**
 * Record-level visibility: a record whose reference no basis releases to the requester (a joint team's
 * record outside its operation, say) is answered exactly like a record that does not exist: null from
 * `__resolveReference`, absent from a search. Field rules alone would answer it with errors, and so
 * reveal that it exists.
 */
export function withRecordVisibility(resolvers: GraphQLResolverMap<unknown>, country: string): GraphQLResolverMap<unknown> {
  const guarded: GraphQLResolverMap<unknown> = { ...resolvers };
  for (const kind of ENTITY_INTERFACES) {
    const typeName = concreteTypeName(country, kind);
    const type = resolvers[typeName] as Record<string, unknown> | undefined;
    const resolveReference = type?.['__resolveReference'] as ReferenceResolver | undefined;
    if (!type || !resolveReference) continue;
    guarded[typeName] = {
      ...type,
      __resolveReference: async (reference: unknown, context: GuardedContext, info: unknown) => {
        const record = await resolveReference(reference, context, info);
        return record && context.accord.canSee(record, (info as GraphQLResolveInfo | undefined)?.path) ? record : null;
      },
    };
  }
  const searchType = concreteTypeName(country, 'Search');
  const search = resolvers[searchType] as Record<string, unknown> | undefined;
  if (search) {
    const wrapped: Record<string, unknown> = { ...search };
    for (const list of SEARCH_LISTS) {
      const resolve = search[list] as Resolver | undefined;
      if (!resolve) continue;
      wrapped[list] = async (parent: unknown, args: Record<string, unknown>, context: GuardedContext, info: Parameters<Resolver>[3]) => {
        const records = (await resolve(parent, args, context, info)) as unknown[] | null | undefined;
        return records?.filter((record) => context.accord.canSee(record, info.path)) ?? records;
      };
    }
    guarded[searchType] = wrapped as GraphQLResolverMap<unknown>[string];
  }
  return guarded;
}
