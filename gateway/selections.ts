import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  isAbstractType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CoercedVariables } from './variables';

/**
 * Which fields of an operation apply to one object of the answer, the way graphql-js collects them:
 * fragments flattened when their type condition matches the object's type, `@skip`/`@include` evaluated
 * for the request's coerced variables (gateway/variables.ts: defaults applied, as the executor does). Every
 * walk of an answer along a document goes through it, by gateway/answerWalker.ts (the pipeline's restores).
 */
export class FieldCollector {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly variables: CoercedVariables,
  ) {
    for (const definition of document.definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
  }

  /** The fields of `set` that apply to an object of type `typename`, by response key. */
  collect(
    set: SelectionSetNode,
    typename: string,
    out = new Map<string, FieldNode[]>(),
  ): Map<string, FieldNode[]> {
    for (const selection of set.selections) {
      if (!isIncluded(selection, this.variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        out.set(key, [...(out.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (matchesTypeCondition(this.schema, selection.typeCondition?.name.value, typename))
          this.collect(selection.selectionSet, typename, out);
      } else {
        const fragment = this.fragments.get(selection.name.value);
        if (fragment && matchesTypeCondition(this.schema, fragment.typeCondition.name.value, typename))
          this.collect(fragment.selectionSet, typename, out);
      }
    }
    return out;
  }
}

/**
 * @skip and @include, as graphql-js evaluates them: the one definition every walker of the gateway uses.
 * Only coerced values will do: with the raw ones, `$v: Boolean = true` left out by the client is "not
 * provided" and graphql-js throws.
 */
export function isIncluded(selection: SelectionNode, variables: CoercedVariables): boolean {
  if (!selection.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, selection, variables)?.['if'] === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, selection, variables)?.['if'] !== false;
}

/** Whether a fragment on `condition` applies to an object of type `typename` (no condition: always). */
export function matchesTypeCondition(
  schema: GraphQLSchema,
  condition: string | undefined,
  typename: string,
): boolean {
  if (!condition || condition === typename) return true;
  const conditionType = schema.getType(condition);
  return (
    !!conditionType &&
    isAbstractType(conditionType) &&
    schema.getPossibleTypes(conditionType).some((t) => t.name === typename)
  );
}
