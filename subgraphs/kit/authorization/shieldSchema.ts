import { applyMiddleware } from 'graphql-middleware';
import { shield, type IRules } from 'graphql-shield';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { splitConcreteTypeName } from '../../../schema';
import { categoryRule, denyByDefault, entitiesRule, searchListRule, structuralRule } from './rules';
import { fieldCategories } from './fieldCategories';

const FEDERATION_TYPES = new Set(['Query', '_Service']);

/**
 * Puts a graphql-shield rule on every field of a member's subgraph, generated from the fields' `@category`:
 * - the member's own record types (KRSuspect, ...): one category rule per field; a field of an own type
 *   without a category gets deny-by-default (the generator refuses such a field, so this is a backstop);
 * - federation internals: `_entities` (pair-level check), `_service` and `_Service.sdl` (allowed, or the
 *   gateway cannot load);
 * - other members' key-only stubs and the value types: structural (they hold no data of their own);
 * - anything else: the fallback rule, deny.
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
        typeRules[field.name] = field.name === 'term' || field.name === 'country' ? structuralRule : searchListRule(coordinate);
      } else if (owner === country) {
        typeRules[field.name] = category ? categoryRule(coordinate, category) : field.name === 'id' ? categoryRule(coordinate, 'meta.reference') : denyByDefault;
      } else if (FEDERATION_TYPES.has(type.name)) {
        if (coordinate === 'Query._entities') typeRules[field.name] = entitiesRule;
        else if (coordinate === 'Query._service' || coordinate === '_Service.sdl') typeRules[field.name] = structuralRule;
      } else {
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
