import {
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { isIncluded, matchesTypeCondition } from './selections';
import type { CoercedVariables } from './variables';

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

/**
 * The `__typename` the gateway adds (here, and as gateway/redaction.ts's placeholder): one node, so that
 * it is told apart from the analyst's own by identity when the answer is stripped.
 */
export const TYPENAME_FIELD: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/** A `__typename` that is in the answer whatever the variables: plain, unaliased, unconditional. */
function unconditionalTypename(selection: SelectionNode): boolean {
  return (
    selection.kind === Kind.FIELD &&
    selection.name.value === '__typename' &&
    !selection.alias &&
    !selection.directives?.length
  );
}

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
          // The analyst's `__typename @skip(if: $v)` may be skipped: the walkers need one that is not.
          if (node.selections.some(unconditionalTypename)) return undefined;
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
  variables: CoercedVariables,
): void {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of rewrite.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  /** The selection sets that apply to an object of type `typename`, flattening fragments. */
  function applicable(
    selectionSet: SelectionSetNode,
    typename: string | undefined,
    out: SelectionSetNode[],
  ): void {
    out.push(selectionSet);
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection, variables)) continue;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (matches(selection.typeCondition?.name.value, typename))
          applicable(selection.selectionSet, typename, out);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && matches(fragment.typeCondition.name.value, typename))
          applicable(fragment.selectionSet, typename, out);
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
      if (rewrite.injected.has(set)) added = true;
      // The analyst's own `__typename` (not the node the gateway added), if the variables include it.
      if (
        set.selections.some(
          (s) =>
            s !== TYPENAME_FIELD &&
            s.kind === Kind.FIELD &&
            s.name.value === '__typename' &&
            !s.alias &&
            isIncluded(s, variables),
        )
      )
        askedForTypename = true;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD && selection.selectionSet && isIncluded(selection, variables)) {
          walk(object[selection.alias?.value ?? selection.name.value], selection.selectionSet);
        }
      }
    }
    if (added && !askedForTypename) delete object['__typename'];
  }

  walk(data, operationSelectionSet);
}
