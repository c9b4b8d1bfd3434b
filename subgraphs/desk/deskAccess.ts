import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../../lib/http';
import type { Logger } from '../../lib/logger';
import {
  DESK_AUDIENCE,
  DESK_ROLE,
  createAnalystVerifier,
  isTrustError,
  type AnalystIssuer,
  type AnalystVerifier,
} from '../../trust';
import type { DeskOfficer } from './decide';

/**
 * Who may use a member's desk: its own officers, proven by a token of the member's OWN identity provider
 * (no other member's is trusted here), issued for the desk's audience (DESK_AUDIENCE, not the gateway's),
 * whose signed roles include `desk`. The officer acting is the token's subject: a request body never says
 * who decides.
 *
 * Every token that does not verify (missing, expired, forged, another member's, the gateway's, an
 * analyst token for the gateway) gets the same 401 with the same body; the reason goes to the log only.
 * A valid own-member desk-audience token without the role gets 403.
 */
export type DeskAccess =
  | { readonly ok: true; readonly officer: DeskOfficer }
  | { readonly ok: false; readonly status: 401 | 403 | 503; readonly message: string };

export const DESK_UNAUTHENTICATED = `The desk needs a desk officer's token: Authorization: Bearer <token of this member's identity provider, audience "${DESK_AUDIENCE}", role "${DESK_ROLE}">.`;

/** The desk's verifier: the owner's identity provider only, the desk audience only. */
export function deskVerifier(owner: string, issuer: AnalystIssuer, now?: () => number): AnalystVerifier {
  return createAnalystVerifier({
    issuers: { [owner]: issuer },
    audience: DESK_AUDIENCE,
    ...(now !== undefined && { now }),
  });
}

export function deskAccess(
  owner: string,
  verifier: AnalystVerifier,
  logger: Logger,
): (request: IncomingMessage, token?: string) => Promise<DeskAccess> {
  const unauthenticated: DeskAccess = { ok: false, status: 401, message: DESK_UNAUTHENTICATED };
  // `token`: one the desk read elsewhere than the Authorization header (the page's sign-in cookie).
  return async (request, token = bearerToken(request)) => {
    let identity;
    try {
      identity = await verifier.verify(token);
    } catch (error) {
      if (!isTrustError(error)) throw error;
      logger.info(
        { reason: error.reason, remote: request.socket.remoteAddress, path: request.url },
        'refused a token for the desk',
      );
      if (error.reason === 'KEYS_UNAVAILABLE')
        return {
          ok: false,
          status: 503,
          message: 'The token cannot be checked right now; try again shortly.',
        };
      return unauthenticated;
    }
    // The verifier trusts the owner's identity provider alone; checked again so that a misconfiguration
    // (another member's issuer listed) cannot open the desk to that member's officers.
    if (identity.country !== owner) {
      logger.warn(
        { country: identity.country, path: request.url },
        "refused a desk token of another member's identity provider",
      );
      return unauthenticated;
    }
    if (!identity.roles.includes(DESK_ROLE)) {
      logger.info({ analyst: identity.analyst, path: request.url }, 'refused the desk: no desk role');
      return {
        ok: false,
        status: 403,
        message: `The desk is for ${owner}'s desk officers: this token does not carry the role "${DESK_ROLE}".`,
      };
    }
    return { ok: true, officer: { country: identity.country, id: identity.analyst } };
  };
}
