import { join } from 'node:path';
import {
  DEFAULT_ANALYST_AUDIENCE,
  createAnalystVerifier,
  type AnalystIssuer,
  type AnalystVerifier,
} from './analystVerifier';
import { ensureDemoIdentityProviders, signDemoAnalystToken } from './demoIdentityProviders';
import { ensureGatewayKeys } from './gatewayKeys';
import { createGatewaySigner, type GatewaySigner } from './gatewaySigner';
import { createGatewayTokenVerifier, type GatewayTokenVerifier } from './gatewayTokenVerifier';

/** The gateway's name in its tokens (`iss`). */
export const GATEWAY_ISSUER = 'accord-gateway';

/**
 * Everything trust needs to run the alliance on one machine, in one folder: the members' demo identity
 * providers (`<dir>/idp`) and the gateway's keys (`<dir>/gateway`), created on first use. `npm start`,
 * the tests and the benchmarks use it; a deployment configures real identity providers instead.
 */
export interface LocalTrust {
  readonly idpDir: string;
  readonly gatewayKeyDir: string;
  /** The gateway's public JWKS file, which every subgraph trusts. */
  readonly gatewayJwksFile: string;
  readonly issuers: Readonly<Record<string, AnalystIssuer>>;
  analysts(): AnalystVerifier;
  signer(now?: () => number): GatewaySigner;
  /** A verifier of gateway tokens for one subgraph (audience = its name). */
  gatewayTokens(audience: string): GatewayTokenVerifier;
  /** A demo analyst token of a member's identity provider. */
  analystToken(country: string, analyst: string, roles?: readonly string[]): Promise<string>;
}

export function localTrust(dir: string, countries: readonly string[]): LocalTrust {
  const idpDir = join(dir, 'idp');
  const gatewayKeyDir = join(dir, 'gateway');
  const issuers = ensureDemoIdentityProviders(idpDir, countries);
  const { jwksFile } = ensureGatewayKeys(gatewayKeyDir);
  return {
    idpDir,
    gatewayKeyDir,
    gatewayJwksFile: jwksFile,
    issuers,
    analysts: () => createAnalystVerifier({ issuers, audience: DEFAULT_ANALYST_AUDIENCE }),
    signer: (now) =>
      createGatewaySigner({ keys: gatewayKeyDir, issuer: GATEWAY_ISSUER, ...(now ? { now } : {}) }),
    gatewayTokens: (audience) => createGatewayTokenVerifier({ trusted: jwksFile, audience }),
    analystToken: (country, analyst, roles) =>
      signDemoAnalystToken({
        dir: idpDir,
        country,
        analyst,
        audience: DEFAULT_ANALYST_AUDIENCE,
        ...(roles ? { roles } : {}),
      }),
  };
}
