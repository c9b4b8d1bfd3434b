import { Kind, TypeInfo, getNamedType, isAbstractType, isObjectType, visit, visitWithTypeInfo, type DocumentNode, type FieldNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';

/**
 * The consultation record names each field's record by its global id, as the owner's disclosure record
 * does (gateway/consultation.ts); the analyst need not have asked for `id`. With the audit on, the gateway
 * asks for it in every selection set of a type that has one, under an alias of its own, and takes it out
 * of the answer again. The id is the key every entity fetch already carries: asking for it costs the
 * subgraphs nothing.
 */

const BASE_ALIAS = '_accordRecordId';

/** An alias the analyst's operation does not use (it could, in principle, use ours). */
export function recordAliasFor(source: string | undefined): string {
  let alias = BASE_ALIAS;
  for (let n = 1; source?.includes(alias); n++) alias = `${BASE_ALIAS}${n}`;
  return alias;
}

export function addRecordIds(schema: GraphQLSchema, document: DocumentNode, alias: string): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  const idField: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: alias }, name: { kind: Kind.NAME, value: 'id' } };
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet: {
        leave(node, _key, parent): SelectionSetNode | undefined {
          // A field's own selection set: fragments are spread into one, so they need no alias of their own.
          if (!parent || Array.isArray(parent) || (parent as { kind?: string }).kind !== Kind.FIELD) return undefined;
          const type = typeInfo.getParentType();
          const named = type ? getNamedType(type) : undefined;
          if (!named || !(isObjectType(named) || isAbstractType(named)) || !('getFields' in named) || !named.getFields()['id']) return undefined;
          return { ...node, selections: [...node.selections, idField] };
        },
      },
    }),
  );
}
