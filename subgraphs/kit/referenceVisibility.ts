import type { ApolloServerPlugin } from '@apollo/server';
import {
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { concreteTypeName, parseGlobalId, referenceFields } from '../../schema';
import { META_REFERENCE } from '../../vocabulary';
import type { GuardedContext } from './authorization/rules';
import { noBasisFor } from './authorization/refusals';
import type { SubgraphContext } from './types';

type Path = GraphQLResolveInfo['path'];
type Resolver = GraphQLFieldResolver<unknown, GuardedContext>;

/**
 * The records an owner's record points to (a case's suspects, a compound's operators, a victim's
 * `confinedAt`) are each decided by their own owner's `meta.reference`, whatever the analyst selects:
 * the id says who owns the record, and the id itself tells that the record exists.
 *
 * - A record of this member: answered only if the requester may see it (record visibility, as through
 *   `__resolveReference`); otherwise left out exactly like a record that does not exist.
 * - Another member's record: left out when no basis gives the requester even a hit on that member's
 *   records, decided here with the same engine for (requester, that member). The answer gets one no-basis
 *   error per such member, at the first place one was left out, never one per record and never a count
 *   (withheldReferencesPlugin). When that member's decision depends on the record (a joint team's scope),
 *   the reference goes out and its owner decides when the gateway asks it for the record.
 *
 * Items are left out rather than nulled: the lists hold non-null items, so one null would null the whole
 * list, the analyst's released records with it.
 */
export function guardReferences(schema: GraphQLSchema, country: string): GraphQLSchema {
  for (const reference of referenceFields()) {
    const type = schema.getType(concreteTypeName(country, reference.kind));
    if (!isObjectType(type)) continue;
    const field = type.getFields()[reference.idsField];
    if (!field?.resolve) continue;
    field.resolve = guarded(field.resolve as Resolver, country, reference.field);
  }
  return schema;
}

/**
 * The records a reference field's resolver gives, decided as above and answered as their ids (the hub
 * turns them into typed references). Errors and log entries name the field the analyst asked for
 * (`associates`), not the ids field the planner asked (`associateIds`).
 */
function guarded(resolve: Resolver, country: string, analystField: string): Resolver {
  return (parent, args, context, info) => {
    const value = resolve(parent, args, context, info);
    const place: Path = { prev: info.path.prev, key: analystField, typename: info.path.typename };
    const filter = (resolved: unknown): unknown => {
      if (Array.isArray(resolved))
        return resolved
          .filter((item, index) =>
            visible(item, country, context, { prev: place, key: index, typename: undefined }, place),
          )
          .map(idOf);
      return resolved !== null && resolved !== undefined && visible(resolved, country, context, place, place)
        ? idOf(resolved)
        : null;
    };
    // Synchronous when the resolver is: no promise per field where none is needed (docs/decisions/0004).
    return value instanceof Promise ? value.then(filter) : filter(value);
  };
}

function idOf(item: unknown): unknown {
  return item !== null && typeof item === 'object' ? (item as { id?: unknown }).id : item;
}

/** `path`: the item's own place (the owner's log); `place`: the field that holds it (the analyst's error). */
function visible(
  item: unknown,
  country: string,
  { accord }: GuardedContext,
  path: Path,
  place: Path,
): boolean {
  const id = item !== null && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
  const owner = typeof id === 'string' ? parseGlobalId(id)?.owner : undefined;
  if (!owner) return true; // no record to decide (the resolvers give only records and references)
  if (owner === country) return accord.canSee(item, path);
  const decision = accord.decideReference(owner);
  if (decision.effect !== 'withhold' || decision.recordDependent) return true;
  accord.trail?.record(path, item, META_REFERENCE, decision);
  if (!accord.withheldReferences.has(owner)) accord.withheldReferences.set(owner, { decision, path: place });
  return false;
}

/** A reference's ids field → the field the analyst asked for (`associateIds` → `associates`). */
const ANALYST_FIELDS: ReadonlyMap<string, string> = new Map(
  referenceFields().map((reference) => [reference.idsField, reference.field]),
);

/** One no-basis error per member whose records the answer left out (guardReferences), at the first place. */
export function withheldReferencesPlugin(): ApolloServerPlugin<SubgraphContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ contextValue, response }) {
          const { accord } = contextValue;
          if (response.body.kind !== 'single') return Promise.resolve();
          const result = response.body.singleResult;
          // An error on a reference's ids (`associateIds`) is placed on the field the analyst asked for.
          if (result.errors?.some((error) => error.path?.some((key) => ANALYST_FIELDS.has(key as string))))
            result.errors = result.errors.map((error) => ({
              ...error,
              path: error.path?.map((key) => ANALYST_FIELDS.get(key as string) ?? key),
            }));
          if (accord.withheldReferences.size === 0) return Promise.resolve();
          const errors = [...accord.withheldReferences.entries()].map(([owner, { decision, path }]) => {
            const error = noBasisFor(accord, decision, owner);
            return { message: error.message, path: pathKeys(path), extensions: error.extensions };
          });
          result.errors = [...(result.errors ?? []), ...errors];
          return Promise.resolve();
        },
      });
    },
  };
}

function pathKeys(path: Path | undefined): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let p = path; p; p = p.prev) keys.push(p.key);
  return keys.reverse();
}
