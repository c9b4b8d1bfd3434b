import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { HUB_NAME, MEMBERS, hubSubgraphSdl, type Member } from '../../schema';
import { createLogger } from '../../lib/logger';
import type { GatewayTokenVerifier } from '../../trust';
import { serveSubgraphSchema, verifyCaller, type RunningServer } from '../kit';
import { hubResolvers } from './resolvers';

/** The hub's executable schema: cross-border search fan-out and id → owner routing; no records. */
export function buildHubSchema(members: readonly Member[] = MEMBERS): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: parse(hubSubgraphSdl(members)), resolvers: hubResolvers(members) }]);
}

export interface StartHubOptions {
  /** Checks the gateway's token on every call (audience = the hub's name). */
  readonly gatewayTokens: GatewayTokenVerifier;
  readonly host?: string;
  readonly port?: number;
  /** The clock the analyst's declaration is read at (lib/clock.ts); default Date.now. Tokens stay on real time. */
  readonly now?: () => number;
}

/** Serves the hub. It holds no records, but like every subgraph it answers only the gateway. */
export function startHub(options: StartHubOptions, members: readonly Member[] = MEMBERS): Promise<RunningServer> {
  const logger = createLogger(`subgraph-${HUB_NAME}`);
  return serveSubgraphSchema({
    name: HUB_NAME,
    schema: buildHubSchema(members),
    context: (request, rawBody) => {
      verifyCaller(request, rawBody, options.gatewayTokens, (options.now ?? Date.now)(), logger);
      return Promise.resolve({});
    },
    logger,
    host: options.host,
    port: options.port,
  });
}

export { MAX_SEARCH_TERM_LENGTH } from './resolvers';
