import { createHash } from 'node:crypto';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { HUB_NAME, MEMBERS, buildSupergraph, type Member, defaultSubgraphUrl, readCommittedSupergraph, subgraphName } from '../schema';
import { hardenedApolloOptions } from '../lib/apolloDefaults';
import { serveApollo, type RunningServer } from '../lib/http';
import { createLogger } from '../lib/logger';
import { wrapGateway } from './executor';
import { formatGatewayError } from './formatError';
import { MemberDataSource, describeSubgraph } from './memberDataSource';

export interface GatewayOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Subgraph name → URL; names not listed use the supergraph's (schema/members.ts defaults). */
  readonly subgraphUrls?: Readonly<Record<string, string>>;
  /** Deadline of every subgraph call. */
  readonly subgraphTimeoutMs?: number;
  /** The supergraph SDL; defaults to the committed schema/supergraph.graphql. */
  readonly supergraphSdl?: string;
  /** Development only: compose the supergraph from the generator at start-up instead of the committed file. */
  readonly composeAtStartup?: boolean;
  /** Development only: introspection on. */
  readonly dev?: boolean;
  /** Called with every query plan the gateway resolves (tests assert plan shapes with it). */
  readonly onQueryPlan?: (plan: unknown) => void;
  /** The member registry; defaults to schema/members.ts (benchmarks use synthetic registries). */
  readonly members?: readonly Member[];
}

export interface RunningGateway extends RunningServer {
  /** sha256 of the supergraph being served. */
  readonly supergraphHash: string;
}

export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 5_000;

/**
 * Strips the header that would make @apollo/gateway return its query plan to a client. The gateway is
 * also configured not to expose plans; this keeps the header from reaching anything else.
 */
const ignoreQueryPlanHeaders: ApolloServerPlugin<BaseContext> = {
  requestDidStart({ request }) {
    for (const name of ['apollo-query-plan-experimental', 'apollo-query-plan-experimental-format']) request.http?.headers.delete(name);
    return Promise.resolve();
  },
};

export async function startGateway(options: GatewayOptions = {}): Promise<RunningGateway> {
  const logger = createLogger('gateway');
  const members = options.members ?? MEMBERS;
  const supergraphSdl = options.supergraphSdl ?? (options.composeAtStartup ? buildSupergraph(members) : readCommittedSupergraph());
  const supergraphHash = createHash('sha256').update(supergraphSdl).digest('hex');
  const timeoutMs = options.subgraphTimeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS;
  const known = new Set([HUB_NAME, ...members.map((m) => subgraphName(m.code))]);
  for (const name of Object.keys(options.subgraphUrls ?? {})) {
    if (!known.has(name)) throw new Error(`Unknown subgraph "${name}" in the subgraph URLs (known: ${[...known].join(', ')}).`);
  }

  let loaded = false;
  const gateway = new ApolloGateway({
    supergraphSdl,
    __exposeQueryPlanExperimental: false,
    logger,
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls?.[name] ?? url ?? defaultSubgraphUrl(name, members);
      return new MemberDataSource(describeSubgraph(name, members), target, timeoutMs, logger);
    },
    ...(options.onQueryPlan ? { experimental_didResolveQueryPlan: ({ queryPlan }) => options.onQueryPlan!(queryPlan) } : {}),
  });
  gateway.onSchemaLoadOrUpdate(() => {
    loaded = true;
  });

  const apollo = new ApolloServer<BaseContext>({
    gateway: wrapGateway(gateway),
    ...hardenedApolloOptions(options.dev),
    logger,
    plugins: [ignoreQueryPlanHeaders],
    formatError: (formatted, error) => formatGatewayError(formatted, error, logger),
  });
  const running = await serveApollo(apollo, {
    host: options.host,
    port: options.port ?? 0,
    health: () => ({ ok: loaded, supergraph: loaded ? { loaded: true, sha256: supergraphHash } : { loaded: false } }),
    context: () => Promise.resolve({}),
  });
  logger.info({ url: running.url }, 'gateway listening');
  return { ...running, supergraphHash };
}
