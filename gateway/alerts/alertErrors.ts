import {
  GraphQLError,
  Kind,
  specifiedRules,
  validate,
  type ExecutionResult,
  type GraphQLFormattedError,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ERROR_CODES, isErrorCode } from '../../schema';
import type { Logger } from '../../lib/logger';
import { formatGatewayError } from '../formatError';

/**
 * The alert API's errors, coded from the closed set and passed through the gateway's one error boundary
 * (gateway/formatError.ts), as /graphql's are: graphql-js names no code for a document that does not parse
 * or validate, nor for variables that do not fit, so those get theirs here first.
 */

/** Root fields one operation may ask for: each is a call to a member or the hub. */
export const MAX_ALERT_ROOT_FIELDS = 5;

/** graphql-js's validation and the root-field limit, each error coded GRAPHQL_VALIDATION_FAILED (graphql-sse calls it too). */
export function codedValidate(
  ...[schema, document]: Parameters<typeof validate>
): ReturnType<typeof validate> {
  return validate(schema, document, [...specifiedRules, rootFieldLimit]).map((error) =>
    coded(error, ERROR_CODES.GRAPHQL_VALIDATION_FAILED),
  );
}

/** An operation asks for at most MAX_ALERT_ROOT_FIELDS root fields, aliases and fragments included. */
function rootFieldLimit(context: ValidationContext): ReturnType<ValidationRule> {
  const count = (selections: SelectionSetNode, seen: Set<string>): number =>
    selections.selections.reduce((sum, selection) => {
      if (selection.kind === Kind.FIELD) return sum + 1;
      if (selection.kind === Kind.INLINE_FRAGMENT) return sum + count(selection.selectionSet, seen);
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      if (!fragment || seen.has(name)) return sum;
      return sum + count(fragment.selectionSet, new Set([...seen, name]));
    }, 0);
  return {
    OperationDefinition(operation) {
      if (count(operation.selectionSet, new Set()) > MAX_ALERT_ROOT_FIELDS)
        context.reportError(
          new GraphQLError(
            `An operation of the alert API asks for at most ${MAX_ALERT_ROOT_FIELDS} root fields.`,
            {
              nodes: operation,
            },
          ),
        );
    },
  };
}

export function coded(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

/**
 * A result as the client may see it. An error graphql-js raised about the request itself (no path, no
 * code, not thrown by our code: variables that do not fit their types) is the caller's mistake,
 * BAD_USER_INPUT; every other error without a known code is masked by the boundary.
 */
export function formatResult(result: ExecutionResult, logger: Logger): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => {
    let formatted: GraphQLFormattedError = error.toJSON();
    const own = error.originalError === undefined || error.originalError instanceof GraphQLError;
    if (!isErrorCode(formatted.extensions?.['code']) && error.path === undefined && own)
      formatted = { ...formatted, extensions: { ...formatted.extensions, code: ERROR_CODES.BAD_USER_INPUT } };
    return formatGatewayError(formatted, error, logger);
  });
  return { ...result, errors: errors as unknown as ExecutionResult['errors'] };
}

/** A JSON answer that holds only errors (before anything ran). */
export function errorsBody(...errors: { message: string; code: string }[]): string {
  return JSON.stringify({
    errors: errors.map(({ message, code }) => ({ message, extensions: { code } })),
  });
}
