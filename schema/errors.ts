import { GraphQLError } from 'graphql';
import type { ErrorCode } from '../vocabulary';

// The closed set of codes is vocabulary's (vocabulary/errorCodes.ts): this part only builds the error.
export { ERROR_CODES, isErrorCode, type ErrorCode } from '../vocabulary';

/** A client-visible error with a code from the closed set and extensions safe to show. */
export function accordError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}
