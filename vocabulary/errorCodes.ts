/**
 * The closed set of `extensions.code` values a client of Accord can see, declared once, in the lowest
 * part, so that every part names them from here: the policy's refusals, lib/http.ts's own HTTP answers,
 * the gateway and the subgraphs. Every client-visible error carries one of these; anything else is masked
 * as INTERNAL_SERVER_ERROR at one boundary (the gateway's and each subgraph's formatError). Plain strings:
 * schema/errors.ts builds the GraphQLError (`accordError`), because this part depends on nothing.
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
   * record. Both are answered alike, so the error tells neither apart (neither confirm nor deny). Also
   * lib/http.ts's answer to a path it does not serve (HTTP 404).
   */
  NOT_FOUND: 'NOT_FOUND',
  /** A member did not answer, answered too late, or answered something that is not GraphQL. */
  MEMBER_UNAVAILABLE: 'MEMBER_UNAVAILABLE',
  /**
   * No gateway process answered: the load balancer in front of several gateways says so itself
   * (scripts/haproxy.ts), HTTP 503. Sending the request again reaches a gateway that runs.
   */
  GATEWAY_UNAVAILABLE: 'GATEWAY_UNAVAILABLE',
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
  /**
   * An alert stream ended because none of the analyst's watches runs any more (each expired or was
   * cancelled; docs/decisions/0019-alert-delivery.md). Register or renew a watch, then subscribe again.
   */
  WATCH_ENDED: 'WATCH_ENDED',
  /** Who is asking could not be established. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Something failed inside Accord; details are in the server's log, never in the response. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** GraphQL's own: the document does not parse or does not validate. */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** The HTTP request itself is not one Accord takes: no JSON body, a malformed `Accord-*` header (HTTP 400). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The request body is larger than the server reads (HTTP 413, lib/http.ts); nothing of it was run. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/**
 * The codes of a field that does not cross the border (policy/refusal.ts builds them, the gateway and the
 * owners' subgraphs send them): a subset of ERROR_CODES, so the policy and the gateway test one list.
 */
export const REFUSAL_CODES = [
  ERROR_CODES.WITHHELD,
  ERROR_CODES.FOLLOW_UP_REQUIRED,
  ERROR_CODES.PURPOSE_REQUIRED,
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

const known: ReadonlySet<string> = new Set(Object.values(ERROR_CODES));
const refusals: ReadonlySet<string> = new Set(REFUSAL_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && known.has(value);
}

export function isRefusalCode(value: unknown): value is RefusalCode {
  return typeof value === 'string' && refusals.has(value);
}
