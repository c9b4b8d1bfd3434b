import {
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { AnswerWalker } from './answerWalker';

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

/**
 * Removes the `__typename` keys the rewrite added, walking the answer along the rewritten document (the
 * one with the `__typename`s, gateway/answerWalker.ts). The gateway's own is told from the analyst's by
 * identity (TYPENAME_FIELD, here and as gateway/redaction.ts's placeholder): it leaves an object unless a
 * selection of the analyst's that applies to the object, as the variables decide, asks for one too. All
 * the selections of one response key count together, as they do in the answer.
 */
export function stripTypenames(
  walker: AnswerWalker,
  operation: OperationDefinitionNode,
  data: Record<string, unknown>,
): void {
  walker.walk(data, operation, {
    object: ({ object, fields }) => {
      const typename = fields.find((field) => field.key === '__typename');
      if (!typename?.nodes.includes(TYPENAME_FIELD)) return;
      if (typename.nodes.some((node) => node !== TYPENAME_FIELD)) return;
      delete object['__typename'];
    },
  });
}
