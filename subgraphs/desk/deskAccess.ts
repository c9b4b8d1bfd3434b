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
 * Every token that does not verify (missing, forged, another member's) gets the same 401 with the same
 * body; the reason goes to the log only. Two refusals say more, because the token's holder can read the
 * same from the token itself and nothing else is revealed: a token whose signature by this member's
 * identity provider verified but which was issued for another service (an analyst's token for the
 * gateway), and one that has expired (both checked only after the signature, by jose). A valid
 * own-member desk-audience token without the role gets 403.
 */
export type DeskAccess =
  | { readonly ok: true; readonly officer: DeskOfficer }
  | { readonly ok: false; readonly status: 401 | 403 | 503; readonly message: string };

export const DESK_UNAUTHENTICATED = `The desk needs a desk officer's token: Authorization: Bearer <token of this member's identity provider, audience "${DESK_AUDIENCE}", role "${DESK_ROLE}">.`;

/** What a genuine token of the member's own identity provider is told when it is refused (see above). */
const GENUINE_BUT_REFUSED: Partial<Record<string, string>> = {
  WRONG_AUDIENCE: `This token is for another Accord service (an analyst's token for the gateway, say), not for the desk. ${DESK_UNAUTHENTICATED}`,
  EXPIRED: `This desk token has expired: get a new one. ${DESK_UNAUTHENTICATED}`,
  TOO_OLD: `This desk token was issued too long ago: get a new one. ${DESK_UNAUTHENTICATED}`,
};

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
      const told = GENUINE_BUT_REFUSED[error.reason];
      return told === undefined ? unauthenticated : { ok: false, status: 401, message: told };
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
