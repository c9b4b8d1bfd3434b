import { join } from 'node:path';
import { MEMBERS, type Member } from '../schema';
import { dataDir } from '../lib/process';
import { envFlag } from '../lib/env';
import { ensureDemoIdentityProviders, type AnalystIssuer } from '../trust';
export { GATEWAY_ISSUER } from '../trust';

/**
 * Each member's identity provider: its issuer and where its keys are. In a deployment every member sets
 * `ACCORD_<CC>_ISSUER` and `ACCORD_<CC>_JWKS` (an https URL, fetched with caching and rotation, or a
 * file). Only with `ACCORD_DEMO_IDENTITY=1` (which `npm start` sets) does a member without them get a demo
 * provider under `<data>/idp`, whose tokens `npm run token` prints: for running the alliance on one
 * machine, never for real analysts. Without it, a member with no provider is a start-up error.
 */
export function identityProvidersFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  members: readonly Member[] = MEMBERS,
): Record<string, AnalystIssuer> {
  const configured: Record<string, AnalystIssuer> = {};
  const demo: string[] = [];
  for (const { code } of members) {
    const issuer = env[`ACCORD_${code}_ISSUER`];
    const jwks = env[`ACCORD_${code}_JWKS`];
    if (!issuer && !jwks) {
      demo.push(code);
      continue;
    }
    if (!issuer || !jwks)
      throw new Error(
        `Set both ACCORD_${code}_ISSUER and ACCORD_${code}_JWKS for ${code}'s identity provider, or neither.`,
      );
    configured[code] = { issuer, jwks: /^https?:\/\//.test(jwks) ? { url: jwks } : { file: jwks } };
  }
  if (demo.length > 0 && !envFlag(env, 'ACCORD_DEMO_IDENTITY', false)) {
    throw new Error(
      `No identity provider for ${demo.join(', ')}: set ACCORD_<CC>_ISSUER and ACCORD_<CC>_JWKS for each, or ACCORD_DEMO_IDENTITY=1 to run with local demo providers (npm start does).`,
    );
  }
  return { ...(demo.length ? ensureDemoIdentityProviders(join(dataDir(), 'idp'), demo) : {}), ...configured };
}
