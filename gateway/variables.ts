import {
  Kind,
  TypeInfo,
  getVariableValues,
  isNonNullType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { ERROR_CODES, accordError } from '../schema';

declare const coerced: unique symbol;

/**
 * The request's variable values as graphql-js executes with them: defaults applied, explicit nulls kept,
 * inputs coerced to their types. Branded, so that no walker of the gateway (gateway/selections.ts and
 * every walk that collects fields with it) can be handed the raw JSON the client sent: `@include(if: $v)`
 * on a `$v: Boolean = true` the client left out must mean what the executor and the owners take it to
 * mean, or the answer and the two audit records disagree (issue 10, item 7).
 */
export type CoercedVariables = Readonly<Record<string, unknown>> & { readonly [coerced]: true };

export type Coercion =
  | { readonly ok: true; readonly values: CoercedVariables }
  | { readonly ok: false; readonly errors: readonly GraphQLError[] };

/**
 * The one place the gateway coerces variables (gateway/executor.ts), with graphql-js's own
 * `getVariableValues`, as @apollo/gateway and every subgraph do. Bad values are the client's mistake:
 * BAD_USER_INPUT with graphql-js's message, which names the variable and the expected type.
 *
 * One more client mistake is caught here rather than deep in the query planner (where it was an internal
 * error): an explicit `null` for a variable that has a default, used where the schema wants a non-null
 * value (`$v: Boolean = true` in `@include(if: $v)`). Validation allows that usage because of the default;
 * graphql-js refuses the null when it executes.
 */
export function coerceVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  inputs: Readonly<Record<string, unknown>> | undefined,
): Coercion {
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], inputs ?? {}, {
    maxErrors: 10,
  });
  if (result.errors)
    return {
      ok: false,
      errors: result.errors.map((error) => accordError(ERROR_CODES.BAD_USER_INPUT, error.message)),
    };
  const values = result.coerced;
  const nulls = nullsInNonNullPositions(schema, document, operation, values);
  if (nulls.length > 0) {
    return {
      ok: false,
      errors: nulls.map((name) =>
        accordError(
          ERROR_CODES.BAD_USER_INPUT,
          `Variable "$${name}" is null, but it is used where a value is required; send a value or leave it out to use its default.`,
        ),
      ),
    };
  }
  return { ok: true, values: values as CoercedVariables };
}

/** Names of variables whose value is an explicit null and that the operation uses in a non-null position. */
function nullsInNonNullPositions(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  values: Record<string, unknown>,
): string[] {
  const nullNames = new Set(Object.keys(values).filter((name) => values[name] === null));
  if (nullNames.size === 0) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const found = new Set<string>();
  const seen = new Set<string>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  while (pending.length > 0) {
    const definition = pending.pop()!;
    const typeInfo = new TypeInfo(schema);
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        VariableDefinition: () => false, // a default value is no usage
        Variable(node) {
          const expected = typeInfo.getInputType();
          if (nullNames.has(node.name.value) && expected && isNonNullType(expected))
            found.add(node.name.value);
        },
        FragmentSpread(node) {
          const fragment = fragments.get(node.name.value);
          if (fragment && !seen.has(node.name.value)) {
            seen.add(node.name.value);
            pending.push(fragment);
          }
        },
      }),
    );
  }
  return [...found].sort();
}
