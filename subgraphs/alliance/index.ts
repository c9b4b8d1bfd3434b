import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { HUB_NAME, MEMBERS, hubSubgraphSdl, type Member } from '../../schema';
import { serveSubgraphSchema, type RunningServer, type StartSubgraphOptions } from '../kit';
import { hubResolvers } from './resolvers';

/** The hub's executable schema: cross-border search fan-out and id → owner routing; no records. */
export function buildHubSchema(members: readonly Member[] = MEMBERS): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: parse(hubSubgraphSdl(members)), resolvers: hubResolvers(members) }]);
}

export function startHub(options: StartSubgraphOptions = {}, members: readonly Member[] = MEMBERS): Promise<RunningServer> {
  return serveSubgraphSchema({ name: HUB_NAME, schema: buildHubSchema(members), context: () => Promise.resolve({}), ...options });
}

export { MAX_SEARCH_TERM_LENGTH } from './resolvers';
