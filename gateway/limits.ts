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
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ERROR_CODES } from '../vocabulary';
import { SEARCH_PAGE_SIZE, isSearchType } from '../schema';

/**
 * Limits on what one operation may ask, checked before anything is planned or fetched. Attackers can send
 * pathologically deep, wide or long queries to make the gateway and every member do work; these bound it.
 * The messages never say what the limits are (they would be a map for the next attempt), but each says
 * which dimension to reduce and how (issue 14): an analyst refused with no hint cannot tell a search's
 * fan-out from a nesting too deep.
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

const TOO_LARGE = 'The operation is too large or too complex';

/** What each refusal says: the dimension to reduce and how, never the limit's value nor how far past it. */
export const LIMIT_MESSAGES = {
  depth: `${TOO_LARGE}: it nests too deeply. Ask for fewer levels: look up a record found inside another with its own query (\`suspect(id:)\`, \`case(id:)\`, …) instead of nesting it.`,
  aliases: `${TOO_LARGE}: it uses too many aliases. Send several smaller operations.`,
  directives: `${TOO_LARGE}: it uses too many directives. Send several smaller operations.`,
  tokens: `${TOO_LARGE}: it is too long. Send several smaller operations.`,
} as const;

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxTokens: 2_000,
  maxDirectives: 20,
  maxCost: 50_000,
  listSize: 10,
};

/** A member's search list, and a page of its connection, hold at most a page of records per kind. */
const SEARCH_LIST_SIZE = SEARCH_PAGE_SIZE;

/** graphql-armor for depth, aliases and directives; listCostRule for cost; tokens via parseOptions. */
export function limitProtections(
  limits: OperationLimits,
  memberCount: number,
): {
  plugins: ApolloServerPlugin<BaseContext>[];
  validationRules: ((context: ValidationContext) => ASTVisitor)[];
} {
  const hidden = { exposeLimits: false, propagateOnRejection: true } as const;
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...hidden, errorMessage: LIMIT_MESSAGES.depth },
    maxAliases: { n: limits.maxAliases, ...hidden, errorMessage: LIMIT_MESSAGES.aliases },
    // Tokens are limited by graphql-js's own parser (Apollo Server's parseOptions), which answers 400;
    // armor's token plugin throws from a hook Apollo Server answers with 500 (formatError.ts words it).
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, ...hidden, errorMessage: LIMIT_MESSAGES.directives },
    costLimit: { enabled: false },
    // Apollo Server already hides field suggestions (hideSchemaDetailsFromClientErrors).
    blockFieldSuggestion: { enabled: false },
  });
  const protection = armor.protect();
  return {
    plugins: protection.plugins,
    validationRules: [
      ...(protection.validationRules as ((context: ValidationContext) => ASTVisitor)[]),
      listCostRule(limits, memberCount),
    ],
  };
}

/**
 * Cost that accounts for list fan-out: a field costs 1 for every item the lists around it may hold. The
 * hub's `search` holds one answer per member, each member's search lists up to SEARCH_LIST_SIZE records,
 * other lists of records `listSize`; scalar lists cost as one field. graphql-armor's cost limit weighs
 * depth, not list sizes, so `search { suspects { associates { linkedCases { ... } } } }` would pass it.
 */
export function listCostRule(
  limits: OperationLimits,
  memberCount: number,
): (context: ValidationContext) => ASTVisitor {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

    /** The cost of a selection set, and the lists (outermost first) of its costliest branch: the hint. */
    function cost(
      set: SelectionSetNode,
      parent: GraphQLCompositeType,
      multiplier: number,
      seen: ReadonlySet<string>,
    ): Cost {
      let total = 0;
      let heaviest: Cost = NO_COST;
      const add = (sub: Cost, step?: ListStep): void => {
        total += sub.total;
        if (sub.total > heaviest.total)
          heaviest = { total: sub.total, lists: step ? [step, ...sub.lists] : sub.lists };
      };
      for (const selection of set.selections) {
        if (total > limits.maxCost) break;
        if (selection.kind === Kind.FIELD) {
          total += multiplier;
          const field = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
          if (!field || !selection.selectionSet) continue;
          const named = getNamedType(field.type);
          if (!isCompositeType(named)) continue;
          const isList = isListType(getNullableType(field.type));
          const size = !isList
            ? 1
            : selection.name.value === 'search'
              ? memberCount
              : searchListParent(parent)
                ? SEARCH_LIST_SIZE
                : limits.listSize;
          add(
            cost(selection.selectionSet, named, multiplier * size, seen),
            isList ? { field: field.name, parent, args: field.args.map((a) => a.name) } : undefined,
          );
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const condition = selection.typeCondition
            ? context.getSchema().getType(selection.typeCondition.name.value)
            : parent;
          if (condition && isCompositeType(condition))
            add(cost(selection.selectionSet, condition, multiplier, seen));
        } else {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || seen.has(fragment.name.value)) continue; // cycles are refused by NoFragmentCyclesRule
          const condition = context.getSchema().getType(fragment.typeCondition.name.value);
          if (condition && isCompositeType(condition))
            add(cost(fragment.selectionSet, condition, multiplier, new Set([...seen, fragment.name.value])));
        }
      }
      return { total, lists: heaviest.lists };
    }

    return {
      OperationDefinition(operation) {
        const root = context.getSchema().getRootType(operation.operation);
        if (!root) return;
        const found = cost(operation.selectionSet, root, 1, new Set());
        if (found.total > limits.maxCost) {
          context.reportError(
            new GraphQLError(fanOutMessage(context.getSchema(), found.lists), {
              nodes: [operation],
              extensions: { code: ERROR_CODES.GRAPHQL_VALIDATION_FAILED },
            }),
          );
        }
      },
    };
  };
}

/** A list field on the costliest branch of an operation, with the type that holds it. */
interface ListStep {
  readonly field: string;
  readonly parent: GraphQLCompositeType;
  /** The field's argument names (`countries` on `search`): what the analyst can narrow it with. */
  readonly args: readonly string[];
}

interface Cost {
  readonly total: number;
  readonly lists: readonly ListStep[];
}

const NO_COST: Cost = { total: 0, lists: [] };

/** A member's search answer (`KRSearch`, the `NationalSearch` interface) or a page of it: its lists hold up to a page. */
function searchListParent(parent: GraphQLCompositeType): boolean {
  return isSearchType(parent.name) || parent.name.endsWith('Connection');
}

/**
 * What a refused fan-out says: the lists of its costliest branch, by field name, and how to cut them:
 * narrow the outermost list by its filtering argument (`countries` of `search`), or ask for what a nested
 * list holds one record at a time, with the lookup of the record that holds it (`suspect(id:)` for
 * `associates`). Field names only: never a size, a limit or a count.
 */
export function fanOutMessage(schema: GraphQLSchema, lists: readonly ListStep[]): string {
  const hints: string[] = [];
  const outer = lists[0];
  const narrowing = outer?.args.find(
    (name) => name !== 'first' && name !== 'after' && name !== 'term' && name !== 'id',
  );
  if (outer && narrowing) hints.push(`narrow \`${narrowing}\``);
  for (const step of lists.slice(1)) {
    const lookup = lookupOf(schema, step.parent);
    if (lookup) {
      hints.push(
        `ask \`${lookup}(id:)\` for \`${step.field}\` one record at a time instead of nesting it in \`${lists[0]!.field}\``,
      );
      break;
    }
  }
  if (hints.length === 0) hints.push('ask for fewer nested lists');
  const where = lists.length ? ` (${lists.map((step) => step.field).join(' › ')})` : '';
  const text = hints.join(', or ');
  return `${TOO_LARGE}: its lists fan out too far${where}. ${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** The root lookup by id (`suspect`) that answers a record of `type` (KRSuspect, Suspect), if there is one. */
function lookupOf(schema: GraphQLSchema, type: GraphQLCompositeType): string | undefined {
  const query = schema.getQueryType();
  if (!query) return undefined;
  const names = new Set([
    type.name,
    ...('getInterfaces' in type ? type.getInterfaces().map((i) => i.name) : []),
  ]);
  for (const field of Object.values(query.getFields())) {
    if (isListType(getNullableType(field.type))) continue;
    if (names.has(getNamedType(field.type).name) && field.args.some((arg) => arg.name === 'id'))
      return field.name;
  }
  return undefined;
}
