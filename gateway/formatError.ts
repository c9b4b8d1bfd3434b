import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ERROR_CODES, isErrorCode } from '../schema';
import type { Logger } from '../lib/logger';
import { LIMIT_MESSAGES } from './limits';

/**
 * Extension keys a client may see. Everything else is dropped here: @apollo/gateway adds `serviceName`
 * (a subgraph name) and, for HTTP errors, `response` with the subgraph's URL and body, even in
 * production (docs/architecture.md); Apollo Server adds `stacktrace` outside production.
 */
const PUBLIC_EXTENSIONS = new Set([
  'code',
  'country',
  'owner',
  'category',
  'field',
  'purpose',
  'reason',
  'routes',
  'argument',
  'subgraph',
  'clauses',
  'revision',
  'decisionId',
  // A follow-up filing refused (subgraphs/kit/followUp/readFiling.ts): every problem with the input, and
  // the subjects it named that no hit proves; both only echo what the requester sent.
  'problems',
  'subjects',
]);

// Last line of defence: no address of an internal service inside a message.
// A bracketed IPv6 address has at least one colon: `identifiers[0]` in a message is an index, kept.
const INTERNAL_ADDRESS =
  /(?:\b(?:https?:\/\/[^\s"')]+|(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?|localhost(?::\d+)?)|\[[0-9a-f]*:[0-9a-f:]*\](?::\d+)?)/gi;

/**
 * The gateway's one boundary for errors: known codes pass with their public extensions; unknown errors
 * are logged and masked. It cannot throw.
 */
export function formatGatewayError(
  formatted: GraphQLFormattedError,
  error: unknown,
  logger: Logger,
): GraphQLFormattedError {
  try {
    const code = formatted.extensions?.['code'];
    if (!isErrorCode(code) || code === ERROR_CODES.INTERNAL_SERVER_ERROR) {
      logger.error(
        { err: unwrapResolverError(error), path: formatted.path, code },
        'masked an unexpected error',
      );
      return {
        message: 'Accord could not complete part of this request; the incident is logged.',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: ERROR_CODES.INTERNAL_SERVER_ERROR },
      };
    }
    // graphql-js names its token limit in the message; say no more than for any other limit.
    if (code === ERROR_CODES.GRAPHQL_PARSE_FAILED && /tokens/i.test(formatted.message)) {
      return { message: LIMIT_MESSAGES.tokens, extensions: { code } };
    }
    const extensions: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(formatted.extensions ?? {})) {
      if (PUBLIC_EXTENSIONS.has(key)) extensions[key] = value;
    }
    return {
      message: formatted.message.replace(INTERNAL_ADDRESS, '[internal address]'),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions,
    };
  } catch {
    return {
      message: 'Accord could not complete part of this request.',
      extensions: { code: ERROR_CODES.INTERNAL_SERVER_ERROR },
    };
  }
}
