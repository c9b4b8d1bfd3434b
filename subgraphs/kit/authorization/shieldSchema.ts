import { applyMiddleware } from 'graphql-middleware';
import { shield, type IRules } from 'graphql-shield';
import { Kind, isObjectType, type GraphQLSchema } from 'graphql';
import {
  concreteTypeName,
  fileFollowUpRequestField,
  followUpRequestTypeName,
  followUpRequestsField,
  loadContract,
  referenceFields,
  SEARCH_KEY_FIELDS,
  splitConcreteTypeName,
  splitSearchPageTypeName,
  supplyFollowUpInformationField,
} from '../../../schema';
import {
  categoryRule,
  denyByDefault,
  entitiesRule,
  followUpRule,
  searchListRule,
  structuralRule,
} from './rules';
import { fieldCategories } from './fieldCategories';

const FEDERATION_TYPES = new Set(['Query', 'Mutation', '_Service']);

let contractValueTypes: ReadonlySet<string> | undefined;
/** The contract's value types (ones that hold no data of their own), read once. */
function valueTypes(): ReadonlySet<string> {
  contractValueTypes ??= new Set(
    loadContract()
      .valueTypes.filter((definition) => definition.kind === Kind.OBJECT_TYPE_DEFINITION)
      .map((definition) => (definition as { name: { value: string } }).name.value),
  );
  return contractValueTypes;
}

/**
 * Puts a graphql-shield rule on every field of a member's subgraph, generated from the fields' `@category`:
 * - the member's own record types (KRSuspect, ...): one category rule per field; a field of an own type
 *   without a category gets deny-by-default (the generator refuses such a field, so this is a backstop);
 * - federation internals: `_entities` (pair-level check), `_service` and `_Service.sdl` (allowed, or the
 *   gateway cannot load);
 * - the follow-up request (schema/followUp.ts): its mutation and status query get the follow-up rule,
 *   its type is structural (the resolvers answer only the caller's own requests);
 * - the contract's value types and the owner's search pages: structural (they hold no data of their own);
 *   a member declares no other member's types (docs/decisions/0020-references-through-the-hub.md), but
 *   one that did would get the same structural rule;
 * - anything else, any other root field included: the fallback rule, deny.
 * `allowExternalErrors`: a resolver that fails is reported as a failure (masked at the subgraph's error
 * boundary), never disguised as "Not Authorised!".
 */
export function shieldSchema(schema: GraphQLSchema, country: string): GraphQLSchema {
  const categories = fieldCategories(schema);
  const rules: Record<string, Record<string, ReturnType<typeof categoryRule>>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRules: Record<string, ReturnType<typeof categoryRule>> = {};
    const owner = splitConcreteTypeName(type.name)?.owner;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const category = categories.get(coordinate);
      if (owner === country && type.name === `${country}Search`) {
        // The search itself is no record: its keys echo the question; its lists are decided for the pair
        // (and filtered record by record, subgraphs/kit/visibility.ts).
        typeRules[field.name] = SEARCH_KEY_FIELDS.includes(field.name)
          ? structuralRule
          : searchListRule(coordinate);
      } else if (owner === country) {
        // A reference's ids (`associateIds`) are decided, and refused, as the field the analyst asked for.
        const reference = referenceFields().find(
          (r) => r.idsField === field.name && concreteTypeName(country, r.kind) === type.name,
        );
        typeRules[field.name] = category
          ? reference
            ? categoryRule(`${type.name}.${reference.field}`, category, reference.field)
            : categoryRule(coordinate, category)
          : field.name === 'id'
            ? categoryRule(coordinate, 'meta.reference')
            : denyByDefault;
      } else if (FEDERATION_TYPES.has(type.name)) {
        if (coordinate === 'Query._entities') typeRules[field.name] = entitiesRule;
        else if (coordinate === 'Query._service' || coordinate === '_Service.sdl')
          typeRules[field.name] = structuralRule;
        else if (
          coordinate === `Query.${followUpRequestsField(country)}` ||
          coordinate === `Mutation.${fileFollowUpRequestField(country)}` ||
          coordinate === `Mutation.${supplyFollowUpInformationField(country)}`
        ) {
          typeRules[field.name] = followUpRule(coordinate);
        }
      } else if (splitSearchPageTypeName(type.name)?.owner === country) {
        // A page of this owner's search (KRSuspectConnection, KRSuspectEdge): no record, no data of its own.
        // It is reached only through the search's connection field (searchListRule), its records are decided
        // by their own fields' rules, and its count and cursors cover only what the requester may see
        // (subgraphs/kit/search/searchPage.ts).
        typeRules[field.name] = structuralRule;
      } else if (
        owner !== undefined ||
        valueTypes().has(type.name) ||
        type.name === followUpRequestTypeName(country)
      ) {
        // Another member's type (none since decision 0020), a value type, or the requester's own filing as the owner keeps it
        // (reached only through the follow-up rule's fields, whose resolvers answer the caller's own).
        typeRules[field.name] = structuralRule;
      }
    }
    rules[type.name] = typeRules;
  }
  const middleware = shield(rules as IRules, {
    fallbackRule: denyByDefault,
    allowExternalErrors: true,
    debug: false,
  });
  return applyMiddleware(schema, middleware);
}
