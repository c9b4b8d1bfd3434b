import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ERROR_CODES } from '../vocabulary';

/**
 * Limits on what one operation may ask, checked before anything is planned or fetched. Attackers can send
 * pathologically deep, wide or long queries to make the gateway and every member do work; these bound it.
 * The messages never say what the limits are (they would be a map for the next attempt).
 */
export interface OperationLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxTokens: number;
  readonly maxDirectives: number;
  /** Cost budget: each field costs 1 for every item its enclosing lists may hold (listCostRule). */
  readonly maxCost: number;
  /** How many items a list of records is assumed to hold when costing (a search list: SEARCH_LIST_SIZE). */
  readonly listSize: number;
}

const REFUSED = 'The operation is too large or too complex; ask for less (fewer levels, aliases or nested lists).';

/** The message every refused operation gets; the token limit's own message names the limit. */
export const LIMIT_MESSAGE = REFUSED;

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxTokens: 2_000,
  maxDirectives: 20,
  maxCost: 50_000,
  listSize: 10,
};

/** A member's search answers at most this many records per kind (subgraphs/reference/store.ts). */
const SEARCH_LIST_SIZE = 100;


/** graphql-armor for depth, aliases and directives; listCostRule for cost; tokens via parseOptions. */
export function limitProtections(limits: OperationLimits, memberCount: number): {
  plugins: ApolloServerPlugin<BaseContext>[];
  validationRules: ((context: ValidationContext) => ASTVisitor)[];
} {
  const hidden = { exposeLimits: false, errorMessage: REFUSED, propagateOnRejection: true } as const;
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...hidden },
    maxAliases: { n: limits.maxAliases, ...hidden },
    // Tokens are limited by graphql-js's own parser (Apollo Server's parseOptions), which answers 400;
    // armor's token plugin throws from a hook Apollo Server answers with 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, ...hidden },
    costLimit: { enabled: false },
    // Apollo Server already hides field suggestions (hideSchemaDetailsFromClientErrors).
    blockFieldSuggestion: { enabled: false },
  });
  const protection = armor.protect();
  return {
    plugins: protection.plugins,
    validationRules: [...(protection.validationRules as ((context: ValidationContext) => ASTVisitor)[]), listCostRule(limits, memberCount)],
  };
}

/**
 * Cost that accounts for list fan-out: a field costs 1 for every item the lists around it may hold. The
 * hub's `search` holds one answer per member, each member's search lists up to SEARCH_LIST_SIZE records,
 * other lists of records `listSize`; scalar lists cost as one field. graphql-armor's cost limit weighs
 * depth, not list sizes, so `search { suspects { associates { linkedCases { ... } } } }` would pass it.
 */
export function listCostRule(limits: OperationLimits, memberCount: number): (context: ValidationContext) => ASTVisitor {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

    function cost(set: SelectionSetNode, parent: GraphQLCompositeType, multiplier: number, seen: ReadonlySet<string>): number {
      let total = 0;
      for (const selection of set.selections) {
        if (total > limits.maxCost) return total;
        if (selection.kind === Kind.FIELD) {
          total += multiplier;
          const field = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
          if (!field || !selection.selectionSet) continue;
          const named = getNamedType(field.type);
          if (!isCompositeType(named)) continue;
          const isList = isListType(getNullableType(field.type));
          const size = !isList ? 1 : selection.name.value === 'search' ? memberCount : parent.name.endsWith('Search') ? SEARCH_LIST_SIZE : limits.listSize;
          total += cost(selection.selectionSet, named, multiplier * size, seen);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const condition = selection.typeCondition ? context.getSchema().getType(selection.typeCondition.name.value) : parent;
          if (condition && isCompositeType(condition)) total += cost(selection.selectionSet, condition, multiplier, seen);
        } else {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || seen.has(fragment.name.value)) continue; // cycles are refused by NoFragmentCyclesRule
          const condition = context.getSchema().getType(fragment.typeCondition.name.value);
          if (condition && isCompositeType(condition)) total += cost(fragment.selectionSet, condition, multiplier, new Set([...seen, fragment.name.value]));
        }
      }
      return total;
    }

    return {
      OperationDefinition(operation) {
        const root = context.getSchema().getRootType(operation.operation);
        if (root && cost(operation.selectionSet, root, 1, new Set()) > limits.maxCost) {
          context.reportError(new GraphQLError(REFUSED, { nodes: [operation], extensions: { code: ERROR_CODES.GRAPHQL_VALIDATION_FAILED } }));
        }
      },
    };
  };
}
