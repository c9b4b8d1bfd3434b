import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { ENTITY_INTERFACES, concreteTypeName, connectionFieldName } from '../../schema';
import type { GuardedContext } from './authorization/rules';

type Resolver = GraphQLFieldResolver<unknown, GuardedContext>;
type ReferenceResolver = (reference: unknown, context: GuardedContext, info: unknown) => unknown;

const SEARCH_LISTS = ['suspects', 'compounds', 'cases', 'victims'] as const;

/** What a member's search connection resolver answers (`KRSearch.suspectsConnection`). */
interface SearchConnection {
  readonly totalCount: number;
  readonly edges: readonly { readonly node: unknown }[];
  readonly nodes: readonly unknown[];
}

/**
 * Record-level visibility: a record whose reference no basis releases to the requester (a joint team's
 * record outside its operation, say) is answered exactly like a record that does not exist: null from
 * `__resolveReference`, absent from a search list or page. Field rules alone would answer it with errors, and so
 * reveal that it exists.
 */
export function withRecordVisibility(
  resolvers: GraphQLResolverMap<unknown>,
  country: string,
): GraphQLResolverMap<unknown> {
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
        return record && context.accord.canSee(record, (info as GraphQLResolveInfo | undefined)?.path)
          ? record
          : null;
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
      wrapped[list] = async (
        parent: unknown,
        args: Record<string, unknown>,
        context: GuardedContext,
        info: Parameters<Resolver>[3],
      ) => {
        const records = (await resolve(parent, args, context, info)) as unknown[] | null | undefined;
        return records?.filter((record) => context.accord.canSee(record, info.path)) ?? records;
      };
      const connection = connectionFieldName(list);
      const resolvePage = search[connection] as Resolver | undefined;
      if (!resolvePage) continue;
      wrapped[connection] = async (
        parent: unknown,
        args: Record<string, unknown>,
        context: GuardedContext,
        info: Parameters<Resolver>[3],
      ) => {
        const page = (await resolvePage(parent, args, context, info)) as SearchConnection | null | undefined;
        if (!page) return page;
        // A backstop, as for the lists: the member ranked only what its decisions admit, so nothing should
        // leave here. Should a record leave, it leaves the count too (the count covers only what is listed).
        const edges = page.edges.filter((edge) => context.accord.canSee(edge.node, info.path));
        if (edges.length === page.edges.length) return page;
        return {
          ...page,
          totalCount: page.totalCount - (page.edges.length - edges.length),
          edges,
          nodes: edges.map((edge) => edge.node),
        };
      };
    }
    guarded[searchType] = wrapped as GraphQLResolverMap<unknown>[string];
  }
  return guarded;
}
