import type { GraphQLError } from 'graphql';
import { accordError, ERROR_CODES } from '../../schema';

/**
 * A failure of the backend the analyst is told of: bad input (with every problem), an unknown watch or
 * notice, or a member or the hub not available. `code` is from vocabulary/errorCodes.ts; `argument` names
 * the argument at fault when there is one.
 */
export class AlertBackendError extends Error {
  constructor(
    readonly code: 'BAD_USER_INPUT' | 'NOT_FOUND' | 'MEMBER_UNAVAILABLE',
    message: string,
    readonly problems: readonly string[] = [],
    readonly argument?: 'after',
  ) {
    super(message);
    this.name = 'AlertBackendError';
  }
}

/**
 * What the analyst is told for every cursor the alert log cannot take, wherever it came from (`after:` of
 * `alertsSince` or of the subscription, or `Last-Event-ID`) and whatever is wrong with it: not a cursor at
 * all, another analyst's, or one the log never gave (or no longer has). One message and one code, so that
 * a client has one case to handle, and nothing in it tells which of these it was.
 */
export const BAD_CURSOR_MESSAGE =
  'after: this cursor is not one the alert log gave you, or it is no longer valid (the same holds for Last-Event-ID). Read again with no cursor, from the start: a notice given twice is harmless, none is lost.';

export function badCursorError(): AlertBackendError {
  return new AlertBackendError('BAD_USER_INPUT', BAD_CURSOR_MESSAGE, [], 'after');
}

/** The error as the analyst gets it: coded, its problems and argument when it has them. */
export function backendGraphQLError(error: AlertBackendError): GraphQLError {
  return accordError(ERROR_CODES[error.code], error.message, {
    ...(error.problems.length > 0 && { problems: error.problems }),
    ...(error.argument !== undefined && { argument: error.argument }),
  });
}
