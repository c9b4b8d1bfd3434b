import { join } from 'node:path';
import { dataDir } from '../../lib/process';
import { envText, type Env } from '../../lib/env';
import { GATEWAY_JWKS_FILE, createGatewayTokenVerifier, type GatewayTokenVerifier } from '../../trust';

/**
 * The gateway keys a subgraph process trusts: `ACCORD_GATEWAY_JWKS` (the gateway's public JWKS file), by
 * default `<data>/gateway/jwks.json`, which `npm start` creates (trust/gatewayKeys.ts). The file is re-read
 * when an unknown key id arrives, so the gateway's key rotates without restarting any subgraph.
 */
export function gatewayTokensFromEnv(
  subgraphName: string,
  env: Env = process.env,
  data: string = dataDir(env),
): GatewayTokenVerifier {
  const trusted = envText(env, 'ACCORD_GATEWAY_JWKS') ?? join(data, 'gateway', GATEWAY_JWKS_FILE);
  return createGatewayTokenVerifier({ trusted, audience: subgraphName });
}
