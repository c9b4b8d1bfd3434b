import { Kind, isObjectType, type GraphQLSchema } from 'graphql';
import { isCategory, type Category } from '../../../vocabulary';

/**
 * Every field's `@category` in a subgraph schema: "KRSuspect.fullName" → "person.identity". Read from
 * the SDL the generator wrote, so the rule for a field and the contract can never disagree.
 */
export function fieldCategories(schema: GraphQLSchema): Map<string, Category> {
  const categories = new Map<string, Category>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const directive = field.astNode?.directives?.find((d) => d.name.value === 'category');
      const argument = directive?.arguments?.find((a) => a.name.value === 'name');
      if (argument?.value.kind !== Kind.STRING) continue;
      if (!isCategory(argument.value.value)) {
        throw new Error(`${type.name}.${field.name} has an unknown category "${argument.value.value}".`);
      }
      categories.set(`${type.name}.${field.name}`, argument.value.value);
    }
  }
  return categories;
}
