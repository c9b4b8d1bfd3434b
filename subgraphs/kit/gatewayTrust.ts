import { join } from 'node:path';
import { dataDir } from '../../lib/process';
import { envText, type Env } from '../../lib/env';
import { createLogger } from '../../lib/logger';
import { openPostgresSearchBudget, type PostgresSearchBudget } from './search/postgresSearchBudget';
import {
  GATEWAY_JWKS_FILE,
  createGatewayTokenVerifier,
  openPostgresReplayStore,
  type GatewayTokenVerifier,
} from '../../trust';

/** The variable that names the store all of a member's processes share: the replay cache and the query budget. */
export const SHARED_STATE_URL = 'ACCORD_SHARED_STATE_URL';

/**
 * How a subgraph process checks the gateway's tokens, from its environment:
 *
 * - `ACCORD_GATEWAY_JWKS`: the gateway keys it trusts (the gateway's public JWKS file), by default
 *   `<data>/gateway/jwks.json`, which `npm start` creates (trust/gatewayKeys.ts). The file is re-read when
 *   an unknown key id arrives, so the gateway's key rotates without restarting any subgraph.
 * - `ACCORD_SHARED_STATE_URL`: `postgres://user@host:port/db`, the database that all of this member's
 *   processes share: the tokens' `jti`s go there, so a token captured at one process is refused by the
 *   others. Unset: an in-memory replay cache, right for a member served by one process only.
 *
 * The database is reached at start-up (a process that cannot reach it does not start); later, a call
 * it cannot check is refused with 503 and the reason is logged. The caller closes the verifier.
 */
export async function gatewayTokensFromEnv(
  subgraphName: string,
  env: Env = process.env,
  data: string = dataDir(env),
): Promise<GatewayTokenVerifier> {
  const trusted = envText(env, 'ACCORD_GATEWAY_JWKS') ?? join(data, 'gateway', GATEWAY_JWKS_FILE);
  const url = envText(env, SHARED_STATE_URL);
  const logger = createLogger(`subgraph-${subgraphName}`);
  if (url === undefined) {
    const verifier = createGatewayTokenVerifier({ trusted, audience: subgraphName });
    logger.info(`replay cache ${verifier.replayStore}`);
    return verifier;
  }
  if (!/^postgres(ql)?:\/\/./.test(url))
    throw new Error(
      `${SHARED_STATE_URL} is "postgres://user@host:port/db", not ${JSON.stringify(url.replace(/:[^:@/]*@/, ':***@'))}.`,
    );
  const replayStore = await openPostgresReplayStore({
    url,
    onError: (error) => logger.error({ cause: error.message }, 'shared replay store'),
  });
  try {
    const verifier = createGatewayTokenVerifier({ trusted, audience: subgraphName, replayStore });
    logger.info(`replay cache shared: ${verifier.replayStore}`);
    return verifier;
  } catch (error) {
    await replayStore.close();
    throw error;
  }
}

/**
 * The member's query budget shared by all of its processes (`ACCORD_SHARED_STATE_URL`, the replay cache's
 * database), or undefined when the variable is unset (each process counts for itself, right for one
 * process). Reached at start-up, or no start; the caller closes it.
 */
export async function sharedSearchBudgetFromEnv(
  member: string,
  termsPerMinute: number,
  env: Env = process.env,
): Promise<PostgresSearchBudget | undefined> {
  const url = envText(env, SHARED_STATE_URL);
  if (url === undefined) return undefined;
  const logger = createLogger(`subgraph-${member.toLowerCase()}`);
  const budget = await openPostgresSearchBudget({
    url,
    member,
    termsPerMinute,
    onError: (error) => logger.error({ cause: error.message }, 'shared search budget'),
  });
  logger.info(`query budget shared: ${budget.description}`);
  return budget;
}
