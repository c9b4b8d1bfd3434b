/**
 * The fields of the supergraph that hold records, each with the owner and the data category agreements
 * speak about: "KHSuspect.passportNumbers" → KH, person.identity. Read from the composed supergraph SDL
 * (docs/architecture.md: `@category` survives composition and is not in the API schema). A record's `id` is
 * its reference (`meta.reference`), as the subgraphs' shield rules treat it
 * (subgraphs/kit/authorization/shieldSchema.ts). The search types (`KRSearch`) hold no record and are left
 * out, and so are the fields clients cannot ask for (`@inaccessible`): a reference's ids (`operatorIds`)
 * are how its owner serves `operators`, which is in the catalog under the same category
 * (docs/decisions/0020-references-through-the-hub.md).
 */
import { Kind, parse, type FieldDefinitionNode, type TypeNode } from 'graphql';
import { splitConcreteTypeName } from '../schema';
import type { FieldCatalog, FieldEntry } from './fields';

export function readFieldCatalog(supergraphSdl: string): FieldCatalog {
  const fields: FieldEntry[] = [];
  const uncategorized: FieldEntry[] = [];
  for (const definition of parse(supergraphSdl, { noLocation: true }).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const type = definition.name.value;
    const split = splitConcreteTypeName(type);
    if (split === undefined || split.kind === 'Search') continue;
    for (const field of definition.fields ?? []) {
      if (field.directives?.some((d) => d.name.value === 'inaccessible')) continue;
      const category = categoryOf(field);
      const entry: FieldEntry = {
        coordinate: `${type}.${field.name.value}`,
        type,
        field: field.name.value,
        owner: split.owner,
        kind: split.kind,
        category: category ?? (field.name.value === 'id' ? 'meta.reference' : ''),
        returns: namedType(field.type),
        implicit: category === undefined && field.name.value === 'id',
      };
      if (entry.category === '') uncategorized.push(entry);
      else fields.push(entry);
    }
  }
  return { fields, uncategorized };
}

function categoryOf(field: FieldDefinitionNode): string | undefined {
  const directive = field.directives?.find((d) => d.name.value === 'category');
  const argument = directive?.arguments?.find((a) => a.name.value === 'name');
  return argument?.value.kind === Kind.STRING ? argument.value.value : undefined;
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}
