import { join } from 'node:path';
import type { Policy } from '../../policy';
import type { Logger } from '../../lib/logger';
import { envFlag } from '../../lib/env';
import { ensureDemoIdentityProviders, type AnalystIssuer } from '../../trust';
import { createDesk, type DeskAct } from './decide';
import { deskAccess, deskVerifier } from './deskAccess';
import { DESK_BASE_PATH, deskRoutes } from './deskRoutes';
import type { DeskRecording } from './deskProcedures';
import type { GrantStore } from './grantStore';
import type { RequestStore } from './requestStore';

/**
 * The member's identity provider, for its desk: the same variables the gateway reads for it
 * (`ACCORD_<CC>_ISSUER` and `ACCORD_<CC>_JWKS`: an https URL or a file), or with `ACCORD_DEMO_IDENTITY=1`
 * (`npm start` sets it) the member's demo provider under `<data>/idp`, whose desk tokens
 * `npm run token -- --desk` prints. Undefined when neither: the desk is then not served at all.
 */
export function deskIssuerFromEnv(
  owner: string,
  env: NodeJS.ProcessEnv,
  dataDir: string,
): AnalystIssuer | undefined {
  const issuer = env[`ACCORD_${owner}_ISSUER`];
  const jwks = env[`ACCORD_${owner}_JWKS`];
  if (issuer || jwks) {
    if (!issuer || !jwks)
      throw new Error(
        `Set both ACCORD_${owner}_ISSUER and ACCORD_${owner}_JWKS for ${owner}'s identity provider, or neither.`,
      );
    return { issuer, jwks: /^https?:\/\//.test(jwks) ? { url: jwks } : { file: jwks } };
  }
  if (!envFlag(env, 'ACCORD_DEMO_IDENTITY', false)) return undefined;
  return ensureDemoIdentityProviders(join(dataDir, 'idp'), [owner])[owner];
}

export interface MountDeskOptions {
  readonly owner: string;
  readonly policy: Policy;
  readonly requests: RequestStore;
  readonly grants: GrantStore;
  /** The member's identity provider; undefined: no desk is served (the caller logs why). */
  readonly issuer: AnalystIssuer | undefined;
  readonly logger: Logger;
  readonly now?: () => number;
  /**
   * audit: records the acts one call made in the owner's log (deskActRecorder's `record`), before the call
   * answers; the answer says when they could not be recorded. Absent: acts are not recorded.
   */
  readonly record?: (acts: readonly DeskAct[]) => Promise<DeskRecording>;
}

/** The desk's routes for startSubgraph's `prefixRoutes`: `{ '/desk': handler }`, or none without an identity provider. */
export function mountDesk(
  options: MountDeskOptions,
): Readonly<Record<string, ReturnType<typeof deskRoutes>>> {
  if (options.issuer === undefined) {
    options.logger.warn(
      `no identity provider for ${options.owner}'s desk (ACCORD_${options.owner}_ISSUER/JWKS, or ACCORD_DEMO_IDENTITY=1): ${DESK_BASE_PATH} is not served`,
    );
    return {};
  }
  // The desk's acts are synchronous: those a call made are all in `made` when it returns, and the route
  // takes them (recordActs) before anything else can run.
  const made: DeskAct[] = [];
  const record = options.record;
  const desk = createDesk({
    owner: options.owner,
    policy: options.policy,
    requests: options.requests,
    grants: options.grants,
    ...(options.now !== undefined && { now: options.now }),
    ...(record !== undefined && { onAct: (act: DeskAct) => made.push(act) }),
  });
  const authorize = deskAccess(options.owner, deskVerifier(options.owner, options.issuer), options.logger);
  return {
    [DESK_BASE_PATH]: deskRoutes({
      desk,
      authorize,
      logger: options.logger,
      ...(options.now !== undefined && { now: options.now }),
      ...(record !== undefined && { recordActs: () => record(made.splice(0)) }),
    }),
  };
}
