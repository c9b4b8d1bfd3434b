import type { IncomingMessage } from 'node:http';
import type { LegalAccess } from '../legal';
import { bearerToken } from '../lib/http';
import type { Logger } from '../lib/logger';
import type { Member } from '../schema';
import { LEGAL_TEAM_ROLE, isTrustError, type AnalystVerifier } from '../trust';

/**
 * Who may open the legal workbench (/legal, /legal/matrix.csv, /legal/matrix.md): a member's legal team,
 * proven the way an analyst is, by a token of the member's national identity provider, whose signed
 * `roles` claim includes `legal` (trust/claimShapes.ts LEGAL_TEAM_ROLE). The workbench shows every
 * agreement and joint team in force, the teams' analyst ids included.
 *
 * No token and a refused token get the same 401 whatever the reason (a missing, expired, forged or foreign
 * token: the reason goes to the log, not to the caller); a valid token without the role gets 403.
 */
export function legalTeamAccess(
  analysts: AnalystVerifier,
  members: readonly Member[],
  logger: Logger,
): (request: IncomingMessage) => Promise<LegalAccess> {
  const unauthenticated: LegalAccess = {
    ok: false,
    status: 401,
    message: `The legal workbench needs a legal-team token: Authorization: Bearer <token of your national identity provider with the role "${LEGAL_TEAM_ROLE}">.`,
  };
  return async (request) => {
    let identity;
    try {
      identity = await analysts.verify(bearerToken(request));
    } catch (error) {
      if (!isTrustError(error)) throw error;
      logger.info(
        { reason: error.reason, remote: request.socket.remoteAddress, path: request.url },
        'refused a token for the legal workbench',
      );
      if (error.reason === 'KEYS_UNAVAILABLE')
        return {
          ok: false,
          status: 503,
          message: 'The token cannot be checked right now; try again shortly.',
        };
      return unauthenticated;
    }
    if (!members.some((member) => member.code === identity.country)) {
      logger.info(
        { country: identity.country, path: request.url },
        'refused a token for the legal workbench: not a member',
      );
      return unauthenticated;
    }
    if (!identity.roles.includes(LEGAL_TEAM_ROLE)) {
      logger.info(
        { country: identity.country, analyst: identity.analyst, path: request.url },
        'refused the legal workbench: no legal-team role',
      );
      return {
        ok: false,
        status: 403,
        message: `The legal workbench is for legal teams: this token does not carry the role "${LEGAL_TEAM_ROLE}".`,
      };
    }
    logger.info(
      { country: identity.country, analyst: identity.analyst, path: request.url },
      'legal workbench opened',
    );
    return { ok: true };
  };
}
