import { GraphQLError } from 'graphql';

/**
 * The closed set of `extensions.code` values a client of Accord can see. Every client-visible error is
 * a GraphQLError with one of these; anything else is masked as INTERNAL_SERVER_ERROR at one boundary
 * (the gateway's and each subgraph's formatError).
 */
export const ERROR_CODES = {
  /** The query is malformed or asks for something that does not exist (unknown id prefix, country). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** No legal basis releases this field to the requester (extensions say why and what could). */
  WITHHELD: 'WITHHELD',
  /** A basis allows a hit only: the reference is released, details need a request under another basis. */
  FOLLOW_UP_REQUIRED: 'FOLLOW_UP_REQUIRED',
  /** The request declares no purpose: nothing crosses a border without one. */
  PURPOSE_REQUIRED: 'PURPOSE_REQUIRED',
  /**
   * No record answers the id asked for: it does not exist, or it is hidden from the requester record by
   * record. Both are answered alike, so the error tells neither apart (neither confirm nor deny).
   */
  NOT_FOUND: 'NOT_FOUND',
  /** A member did not answer, answered too late, or answered something that is not GraphQL. */
  MEMBER_UNAVAILABLE: 'MEMBER_UNAVAILABLE',
  /**
   * The answer could not be recorded in an audit log (the gateway's consultation or an owner's
   * disclosure), so it was withheld: nothing leaves unrecorded (issue 5).
   */
  AUDIT_UNAVAILABLE: 'AUDIT_UNAVAILABLE',
  /**
   * The analyst put more distinct search terms to one owner in a minute than that owner's query budget
   * allows (Prüm-style); the refused terms were not searched. Says nothing about any record.
   */
  SEARCH_BUDGET_EXCEEDED: 'SEARCH_BUDGET_EXCEEDED',
  /** Who is asking could not be established. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Something failed inside Accord; details are in the server's log, never in the response. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** GraphQL's own: the document does not parse or does not validate. */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

const known: ReadonlySet<string> = new Set(Object.values(ERROR_CODES));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && known.has(value);
}

/** A client-visible error with a code from the closed set and extensions safe to show. */
export function accordError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}
