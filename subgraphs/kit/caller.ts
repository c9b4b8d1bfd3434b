import type { IncomingMessage } from 'node:http';
import { HttpError, bearerToken } from '../../lib/http';
import type { Logger } from '../../lib/logger';
import type { ServiceMetrics } from '../../lib/metrics';
import { parseRequestHeaders, type RequestContext } from '../../policy';
import { ERROR_CODES } from '../../schema';
import {
  AUDIT_CONTEXT_KEYS,
  AUDIT_ID,
  TRUST_UNAVAILABLE_REASONS,
  isTrustError,
  type GatewayScope,
  type GatewayTokenVerifier,
} from '../../trust';

/** Who is calling a member's subgraph, as proven by the gateway's token. */
export interface Caller {
  readonly scope: GatewayScope;
  /** The analyst the gateway verified, and why they ask; absent for the gateway's own `schema` calls. */
  readonly requester?: RequestContext;
  /** The policy revision the gateway decided with. */
  readonly revision?: string;
  /** The token's id: unique per call. */
  readonly tokenId: string;
  /** The gateway's request id and this crossing's decision id (audit/), from the signed context only. */
  readonly requestId?: string;
  readonly decisionId?: string;
  /** The gateway wants this subgraph's decision for every field in the answer (`extensions.accord.fields`). */
  readonly fieldReport: boolean;
}

/** One answer for every refused token: a direct caller learns nothing, not even why. */
const REFUSED = new HttpError(
  401,
  'This subgraph answers only the alliance gateway.',
  ERROR_CODES.UNAUTHENTICATED,
);

/**
 * Verifies the gateway's token before any resolver runs (issue 4): signature, audience (this subgraph),
 * lifetime, body hash and replay. The request context inside the token is parsed with the same rules
 * as the analyst's headers at the gateway. Every refusal is the same 401; the reason goes to the log.
 * With `metrics`, the replay cache's verdict is counted (fresh, replayed, full, unavailable): the cache check is the
 * verifier's last, so a token that reaches it passed every other, and a `replayed` is a captured token.
 * When the token cannot be checked now (replay store full or unreachable, keys unavailable), the same
 * 503 for each, and why only in the log: a caller never sees a database's address or error.
 */
export async function verifyCaller(
  request: IncomingMessage,
  rawBody: Buffer,
  verifier: GatewayTokenVerifier,
  at: number,
  logger: Logger,
  metrics?: ServiceMetrics,
): Promise<Caller> {
  const token = bearerToken(request);
  let claims;
  try {
    claims = await verifier.verify(token, rawBody);
    metrics?.countReplay('fresh');
  } catch (error) {
    if (isTrustError(error) && error.reason === 'REPLAYED') metrics?.countReplay('replayed');
    if (isTrustError(error) && error.reason === 'REPLAY_CACHE_FULL') metrics?.countReplay('full');
    if (isTrustError(error) && error.reason === 'REPLAY_CACHE_UNAVAILABLE')
      metrics?.countReplay('unavailable');
    if (isTrustError(error) && TRUST_UNAVAILABLE_REASONS.includes(error.reason)) {
      const cause = error.cause instanceof Error ? { cause: error.cause.message } : {};
      logger.error({ reason: error.reason, ...cause }, 'cannot check gateway tokens now');
      throw new HttpError(
        503,
        'This subgraph cannot take requests now; try again shortly.',
        ERROR_CODES.MEMBER_UNAVAILABLE,
      );
    }
    logger.warn(
      { reason: isTrustError(error) ? error.reason : 'UNEXPECTED', remote: request.socket.remoteAddress },
      'refused a call without a valid gateway token',
    );
    throw REFUSED;
  }
  const revision = claims.rev ? { revision: claims.rev } : {};
  if (claims.scope === 'schema')
    return { scope: 'schema', tokenId: claims.jti, fieldReport: false, ...revision };
  const ctx = claims.ctx ?? {};
  const parsed = parseRequestHeaders((name) => (typeof ctx[name] === 'string' ? ctx[name] : undefined), at);
  const requestId = ctx[AUDIT_CONTEXT_KEYS.requestId];
  const decisionId = ctx[AUDIT_CONTEXT_KEYS.decisionId];
  const malformedId = [requestId, decisionId].some(
    (id) => id !== undefined && (typeof id !== 'string' || !AUDIT_ID.test(id)),
  );
  if (!parsed.ok || malformedId) {
    // The gateway validated this context; a malformed one is not the gateway's.
    logger.warn(
      { problems: parsed.ok ? ['malformed request or decision id'] : parsed.problems },
      'refused a gateway token with a malformed request context',
    );
    throw REFUSED;
  }
  return {
    scope: 'query',
    requester: parsed.context,
    tokenId: claims.jti,
    ...(typeof requestId === 'string' ? { requestId } : {}),
    ...(typeof decisionId === 'string' ? { decisionId } : {}),
    fieldReport: ctx[AUDIT_CONTEXT_KEYS.fieldReport] === '1',
    ...revision,
  };
}
