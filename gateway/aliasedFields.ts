import {
  Kind,
  TypeInfo,
  getNamedType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * Fields the gateway asks for on its own account (a record's id for the consultation record, a record's
 * `country` to confirm it with its owner), under an alias of its own and taken out of the answer again.
 */

/** `base`, or `base1`, `base2`…: an alias the analyst's operation text does not use. */
export function unusedAlias(base: string, source: string | undefined): string {
  let alias = base;
  for (let n = 1; source?.includes(alias); n++) alias = `${base}${n}`;
  return alias;
}

/**
 * Adds `<alias>: <field>` to the selection set of every field whose type `wanted` accepts. `added` says
 * whether any was added (the document is returned unchanged otherwise).
 */
export function addAliasedField(
  schema: GraphQLSchema,
  document: DocumentNode,
  alias: string,
  field: string,
  wanted: (type: GraphQLNamedType | undefined) => boolean,
): { document: DocumentNode; added: boolean } {
  const typeInfo = new TypeInfo(schema);
  const node: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: alias },
    name: { kind: Kind.NAME, value: field },
  };
  let added = false;
  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet: {
        leave(selectionSet, _key, parent): SelectionSetNode | undefined {
          // A field's own selection set: fragments are spread into one, so they need no field of their own.
          if (!parent || Array.isArray(parent) || (parent as { kind?: string }).kind !== Kind.FIELD)
            return undefined;
          const type = typeInfo.getParentType();
          if (!wanted(type ? getNamedType(type) : undefined)) return undefined;
          added = true;
          return { ...selectionSet, selections: [...selectionSet.selections, node] };
        },
      },
    }),
  );
  return { document: added ? rewritten : document, added };
}
