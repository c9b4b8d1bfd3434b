import type { GraphQLError, GraphQLResolveInfo } from 'graphql';
import { rule } from 'graphql-shield';
import type { IRule } from 'graphql-shield';
import { META_REFERENCE, type Category } from '../../../vocabulary';
import { ERROR_CODES, accordError } from '../../../schema';
import { noBasis, refusal } from './refusals';
import type { AuthorizationState } from './state';

/** The context every guarded resolver sees: `accord` is the request's authorization state. */
export interface GuardedContext {
  readonly accord: AuthorizationState;
}

type SyncDecision = (
  parent: unknown,
  args: unknown,
  context: GuardedContext,
  info: GraphQLResolveInfo,
) => true | GraphQLError;

/**
 * A graphql-shield rule that decides synchronously. The patched shield (patches/graphql-shield+7.6.5.patch)
 * calls `resolveSync` and the field's resolver directly, with no promise per field; unpatched, the same
 * decision runs through shield's async path. `cache: 'no_cache'`: decisions are memoized per request in
 * AuthorizationState by what they depend on, never by shield across fields.
 */
function syncRule(name: string, decide: SyncDecision): IRule {
  const shieldRule = rule(name, { cache: 'no_cache' })((parent, args, context, info) =>
    decide(parent, args, context as GuardedContext, info),
  );
  return Object.assign(shieldRule, { resolveSync: decide });
}

/**
 * A field of the owner's records: released only under a basis for its category. `fieldName`: the field
 * the analyst asked for, when the owner serves it under another name (a reference's ids, `associateIds`
 * for `associates`: schema/referenceIds.ts); the coordinate names it too.
 */
export function categoryRule(coordinate: string, category: Category, fieldName?: string): IRule {
  return syncRule(`category:${coordinate}`, (parent, _args, { accord }, info) => {
    const decision = accord.decide(category, parent);
    // The owner's log names the field the analyst asked for, at its place in the answer.
    const path = fieldName === undefined ? info.path : { ...info.path, key: fieldName };
    accord.trail?.field(path, fieldName ?? info.fieldName, category, decision, parent);
    // A hit on the reference is the reference itself: ids and owner go wherever any basis allows a hit.
    if (decision.effect === 'release' || (decision.effect === 'hit-only' && category === META_REFERENCE)) {
      accord.noteRelease(decision, category);
      accord.noteShown(parent);
      return true;
    }
    return accord.refusal(decision, coordinate, () => refusal(accord, decision, category, coordinate));
  });
}

/**
 * `_entities`: every request the gateway makes for records. When no basis gives the requester even a
 * hit on this owner's records, the whole fetch gets one error, whether the records exist or not.
 */
export const entitiesRule = syncRule('federation:_entities', (_parent, _args, { accord }, info) => {
  if (accord.scope !== 'query') {
    return accordError(ERROR_CODES.UNAUTHENTICATED, "Records are answered only for an analyst's request.", {
      reason: 'SCHEMA_SCOPE',
    });
  }
  const decision = accord.decide(META_REFERENCE);
  if (decision.effect === 'withhold' && !decision.recordDependent) {
    accord.trail?.wholeFetch(info.path, META_REFERENCE, decision);
    return noBasis(accord, decision);
  }
  return true;
});

/**
 * A list of a member's search answer (`KRSearch.suspects`): decided for the pair, since the search is no
 * record; which records it lists is then decided record by record.
 */
export function searchListRule(coordinate: string): IRule {
  return syncRule(`search:${coordinate}`, (parent, _args, { accord }, info) => {
    const decision = accord.decide(META_REFERENCE);
    accord.trail?.field(info.path, info.fieldName, META_REFERENCE, decision, parent);
    if (decision.effect === 'withhold' && !decision.recordDependent)
      return refusal(accord, decision, META_REFERENCE, coordinate);
    return true;
  });
}

/**
 * Fields that hold no data of their own: federation's `_service`, key fields of other members' stubs
 * (a reference, guarded by the category of the field that holds it), and the fields of value types
 * (guarded by the category of the field that returns them).
 */
export const structuralRule = syncRule('structural', () => true);

/** Deny by default: a field the generator gave no rule is withheld, never released. */
export const denyByDefault = syncRule('deny-by-default', (_parent, _args, _context, info) =>
  accordError(
    ERROR_CODES.WITHHELD,
    `${info.parentType.name}.${info.fieldName} has no rule: Accord withholds every field without one.`,
    {
      reason: 'NO_RULE',
    },
  ),
);

/**
 * The follow-up request's own fields (schema/followUp.ts: filing with this owner, the status of one's own
 * requests): only for an analyst's request through the gateway, and only for an analyst of another
 * member: the owner's own analysts have no formal request to make of their own country. The fields hold
 * the requester's own filing, never the owner's records: the resolvers answer only the caller's requests.
 */
export function followUpRule(coordinate: string): IRule {
  return syncRule(`follow-up:${coordinate}`, (_parent, _args, { accord }) => {
    if (accord.scope !== 'query') {
      return accordError(
        ERROR_CODES.UNAUTHENTICATED,
        "Follow-up requests are answered only for an analyst's request.",
        { reason: 'SCHEMA_SCOPE' },
      );
    }
    if (accord.requester.country === accord.owner) {
      return accordError(
        ERROR_CODES.BAD_USER_INPUT,
        `${accord.owner} analysts file no follow-up requests with ${accord.owner}: a formal request goes to another member.`,
        {
          reason: 'OWN_COUNTRY',
        },
      );
    }
    return true;
  });
}
