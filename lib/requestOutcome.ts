import type { GraphQLFormattedError } from 'graphql';
import { ERROR_CODES, type ErrorCode } from '../vocabulary';
import type { RequestOutcome } from './metrics';

/**
 * The outcome a GraphQL answer is counted under (lib/metrics.ts), from its error codes only: the closed
 * set (vocabulary/errorCodes.ts), so what a client sends never becomes a label. Every code is placed here
 * (the Record makes a new code a compile error until someone decides what it means to monitoring):
 *
 * - `error`: Accord or a member failed (alert on its rate);
 * - `refused`: who asks could not be established, or the request was refused as a whole;
 * - `client_error`: the request itself was wrong;
 * - `fieldRefusal`: a field withheld under the agreements. The answer is still an answer: counted `ok`
 *   while any data came back, `refused` when nothing did. A search across members withholds fields as a
 *   matter of course; counting those as refusals would bury the refusals that matter.
 */
const OUTCOME_OF_CODE: Readonly<Record<ErrorCode, RequestOutcome | 'fieldRefusal'>> = {
  [ERROR_CODES.MEMBER_UNAVAILABLE]: 'error',
  // Only the load balancer in front of the gateways sends it (scripts/haproxy.ts): no service counts it.
  [ERROR_CODES.GATEWAY_UNAVAILABLE]: 'error',
  [ERROR_CODES.AUDIT_UNAVAILABLE]: 'error',
  [ERROR_CODES.INTERNAL_SERVER_ERROR]: 'error',
  [ERROR_CODES.UNAUTHENTICATED]: 'refused',
  [ERROR_CODES.PURPOSE_REQUIRED]: 'refused',
  [ERROR_CODES.SEARCH_BUDGET_EXCEEDED]: 'refused',
  // An alert stream that ends because no watch of the analyst runs any more (gateway/alerts/).
  [ERROR_CODES.WATCH_ENDED]: 'refused',
  [ERROR_CODES.WITHHELD]: 'fieldRefusal',
  [ERROR_CODES.FOLLOW_UP_REQUIRED]: 'fieldRefusal',
  [ERROR_CODES.BAD_USER_INPUT]: 'client_error',
  [ERROR_CODES.NOT_FOUND]: 'client_error',
  [ERROR_CODES.GRAPHQL_PARSE_FAILED]: 'client_error',
  [ERROR_CODES.GRAPHQL_VALIDATION_FAILED]: 'client_error',
  [ERROR_CODES.BAD_REQUEST]: 'client_error',
  [ERROR_CODES.PAYLOAD_TOO_LARGE]: 'client_error',
  [ERROR_CODES.PERSISTED_QUERY_NOT_SUPPORTED]: 'client_error',
  [ERROR_CODES.OPERATION_RESOLUTION_FAILURE]: 'client_error',
};

/** The worst first: one failure makes the request an error whatever else it carries. */
const SEVERITY: readonly RequestOutcome[] = ['error', 'refused', 'client_error', 'ok'];

/** The outcome of an answer with these errors; `hasData` when any data came back with them. */
export function outcomeOfAnswer(
  errors: readonly GraphQLFormattedError[] | undefined,
  hasData: boolean,
): RequestOutcome {
  let worst: RequestOutcome = 'ok';
  for (const error of errors ?? []) {
    const code = error.extensions?.['code'];
    // A code outside the closed set never reaches a client (it is masked); if one did, it is a fault.
    const placed =
      typeof code === 'string' && code in OUTCOME_OF_CODE ? OUTCOME_OF_CODE[code as ErrorCode] : 'error';
    const outcome = placed === 'fieldRefusal' ? (hasData ? 'ok' : 'refused') : placed;
    if (SEVERITY.indexOf(outcome) < SEVERITY.indexOf(worst)) worst = outcome;
  }
  return worst;
}

/** The outcome of an answer the HTTP layer gave before GraphQL ran (lib/http.ts `HttpError`), by status. */
export function outcomeOfStatus(status: number): RequestOutcome {
  if (status < 400) return 'ok';
  if (status === 401 || status === 403) return 'refused';
  if (status < 500) return 'client_error';
  return 'error';
}
