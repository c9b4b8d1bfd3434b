import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import type { GraphQLResolveInfo } from 'graphql';
import { META_REFERENCE } from '../../../vocabulary';
import { ERROR_CODES, accordError, concreteTypeName } from '../../../schema';
import type { GuardedContext } from '../authorization/rules';
import type { ChargeableBudget } from './searchBudget';
import { SearchBudgetUnavailable } from './postgresSearchBudget';
import { normalizeSearchText } from './searchText';

/** What a guarded search needs from the request context: the decisions, and this owner's query budget. */
export interface SearchGuardContext extends GuardedContext {
  readonly searchBudget: ChargeableBudget;
}

type ReferenceResolver = (reference: unknown, context: SearchGuardContext, info: unknown) => unknown;

/**
 * The owner's query budget on its search (`<CC>Search.__resolveReference`, where each term arrives):
 * every distinct term a foreign analyst puts to this owner is counted, and one beyond the budget is
 * refused before the index is touched, with an error that names no record and the same whatever the
 * index holds. Each refusal is noted on the request's trail, so the owner's disclosure record holds it.
 * The owner's own police are not counted: they search their own system, and no border is crossed.
 */
export function withSearchBudget(
  resolvers: GraphQLResolverMap<unknown>,
  country: string,
): GraphQLResolverMap<unknown> {
  const searchType = concreteTypeName(country, 'Search');
  const search = resolvers[searchType] as Record<string, unknown> | undefined;
  const resolveReference = search?.['__resolveReference'] as ReferenceResolver | undefined;
  if (!search || !resolveReference) return resolvers;
  return {
    ...resolvers,
    [searchType]: {
      ...search,
      __resolveReference: async (reference: unknown, context: SearchGuardContext, info: unknown) => {
        const { accord, searchBudget } = context;
        const { term, country: asked } = (reference ?? {}) as { term?: unknown; country?: unknown };
        if (asked === country && accord.requester.country !== country && typeof term === 'string') {
          const analyst = `${accord.requester.country}\0${accord.requester.analyst}`;
          let admitted: boolean;
          try {
            admitted = await searchBudget.charge(analyst, normalizeSearchText(term));
          } catch (error) {
            // A shared budget that cannot answer refuses (fails closed); why goes to the log, not the client.
            if (!(error instanceof SearchBudgetUnavailable)) throw error;
            throw accordError(
              ERROR_CODES.MEMBER_UNAVAILABLE,
              `${country} cannot take searches now; try again shortly.`,
              { country },
            );
          }
          if (!admitted) {
            accord.trail?.refused(
              (info as GraphQLResolveInfo | undefined)?.path,
              META_REFERENCE,
              ERROR_CODES.SEARCH_BUDGET_EXCEEDED,
            );
            throw accordError(
              ERROR_CODES.SEARCH_BUDGET_EXCEEDED,
              `${country} answers only so many distinct search terms a minute from one analyst; this term was not searched. Try again in a minute.`,
              { country },
            );
          }
        }
        return resolveReference(reference, context, info);
      },
    },
  };
}
