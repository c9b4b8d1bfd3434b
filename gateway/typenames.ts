import {
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { matchesTypeCondition } from './selections';

/**
 * Measured with @apollo/gateway 2.14 (docs/architecture.md): inside a field that is abstract in the
 * supergraph but concrete in the subgraph (a member's search lists are `[KRSuspect!]` there, `[Suspect!]`
 * here), `... on KRSuspect { fullName }` silently loses its data unless a plain `__typename` is also
 * selected. So the gateway adds `__typename` to every selection set of an abstract type that lacks one,
 * and takes it out of the answer where the analyst did not ask for it.
 */

export interface TypenameRewrite {
  readonly document: DocumentNode;
  /** Selection sets that received a `__typename` the analyst did not ask for. */
  readonly injected: ReadonlySet<SelectionSetNode>;
}

const TYPENAME_FIELD = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } } as const;

export function addTypenames(schema: GraphQLSchema, document: DocumentNode): TypenameRewrite {
  const injected = new Set<SelectionSetNode>();
  const typeInfo = new TypeInfo(schema);
  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet: {
        leave(node) {
          const parent = typeInfo.getParentType();
          if (!parent || !isAbstractType(getNamedType(parent))) return undefined;
          if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename' && !s.alias)) return undefined;
          const replacement: SelectionSetNode = { ...node, selections: [TYPENAME_FIELD, ...node.selections] };
          injected.add(replacement);
          return replacement;
        },
      },
    }),
  );
  return { document: rewritten, injected };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Removes the `__typename` keys the rewrite added, walking the answer along the rewritten operation.
 * A `__typename` stays where any selection that applies to the object asked for it.
 */
export function stripTypenames(
  schema: GraphQLSchema,
  rewrite: TypenameRewrite,
  operationSelectionSet: SelectionSetNode,
  data: Record<string, unknown>,
): void {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of rewrite.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  /** The selection sets that apply to an object of type `typename`, flattening fragments. */
  function applicable(selectionSet: SelectionSetNode, typename: string | undefined, out: SelectionSetNode[]): void {
    out.push(selectionSet);
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (matches(selection.typeCondition?.name.value, typename)) applicable(selection.selectionSet, typename, out);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && matches(fragment.typeCondition.name.value, typename)) applicable(fragment.selectionSet, typename, out);
      }
    }
  }

  function matches(condition: string | undefined, typename: string | undefined): boolean {
    return !typename || matchesTypeCondition(schema, condition, typename);
  }

  function walk(value: unknown, selectionSet: SelectionSetNode): void {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, selectionSet);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const object = value as Record<string, Json>;
    const typename = typeof object['__typename'] === 'string' ? object['__typename'] : undefined;
    const sets: SelectionSetNode[] = [];
    applicable(selectionSet, typename, sets);
    let askedForTypename = false;
    let added = false;
    for (const set of sets) {
      const hasTypename = set.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename' && !s.alias);
      if (rewrite.injected.has(set)) added = true;
      else if (hasTypename) askedForTypename = true;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD && selection.selectionSet) {
          walk(object[selection.alias?.value ?? selection.name.value], selection.selectionSet);
        }
      }
    }
    if (added && !askedForTypename) delete object['__typename'];
  }

  walk(data, operationSelectionSet);
}
