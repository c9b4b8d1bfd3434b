import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { parse, type GraphQLSchema } from 'graphql';
import { HUB_NAME, MEMBERS, hubSubgraphSdl, type Member } from '../../schema';
import { createLogger, type Logger } from '../../lib/logger';
import { createServiceMetrics } from '../../lib/metrics';
import type { GatewayTokenVerifier } from '../../trust';
import type { EmergencyRegistry } from '../../emergencies';
import { instrumentAuditLog, type AuditLog } from '../../audit';
import { serveSubgraphSchema, verifyCaller, type RunningServer } from '../kit';
import { hubResolvers } from './resolvers';
import { emergencyResolvers, type HubContext } from './emergencies';

/**
 * The hub's executable schema: cross-border search fan-out and id → owner routing (no records), and the
 * alliance's registry of emergencies (`declareEmergency`).
 */
export function buildHubSchema(
  members: readonly Member[] = MEMBERS,
  emergencies: {
    readonly registry?: EmergencyRegistry;
    readonly now: () => number;
    readonly logger: Logger;
    readonly audit?: AuditLog;
  } = {
    now: Date.now,
    logger: createLogger(`subgraph-${HUB_NAME}`),
  },
): GraphQLSchema {
  return buildSubgraphSchema([
    {
      typeDefs: parse(hubSubgraphSdl(members)),
      resolvers: {
        ...hubResolvers(members),
        ...emergencyResolvers(emergencies.registry, emergencies.now, emergencies.logger, emergencies.audit),
      } as GraphQLResolverMap<unknown>,
    },
  ]);
}

export interface StartHubOptions {
  /** Checks the gateway's token on every call (audience = the hub's name). */
  readonly gatewayTokens: GatewayTokenVerifier;
  readonly host?: string;
  readonly port?: number;
  /** The clock the analyst's declaration is read at and emergencies are registered at (lib/clock.ts); default Date.now. Tokens stay on real time. */
  readonly now?: () => number;
  /** The registry of emergencies the hub keeps (emergencies/openEmergencyRegistry); absent: none can be declared. The caller closes it. */
  readonly emergencies?: EmergencyRegistry;
  /** The hub's audit log (audit/openAuditLog, instance `alliance`): every registration is a procedure record in it. The caller closes it. */
  readonly audit?: AuditLog;
  /** Serve GET /metrics and count (lib/metrics.ts); default on, off with `ACCORD_METRICS=off`. */
  readonly metrics?: boolean;
}

/** Serves the hub. It holds no records, but like every subgraph it answers only the gateway. */
export function startHub(
  options: StartHubOptions,
  members: readonly Member[] = MEMBERS,
): Promise<RunningServer> {
  const logger = createLogger(`subgraph-${HUB_NAME}`);
  const now = options.now ?? Date.now;
  const metrics = options.metrics === false ? undefined : createServiceMetrics();
  const audit =
    options.audit && metrics
      ? instrumentAuditLog(options.audit, metrics, { countDecisions: false })
      : options.audit;
  return serveSubgraphSchema({
    name: HUB_NAME,
    ...(metrics ? { metrics } : {}),
    schema: buildHubSchema(members, {
      ...(options.emergencies ? { registry: options.emergencies } : {}),
      ...(audit ? { audit } : {}),
      now,
      logger,
    }),
    context: async (request, rawBody): Promise<HubContext> => {
      const caller = await verifyCaller(request, rawBody, options.gatewayTokens, now(), logger, metrics);
      return caller.requester ? { requester: caller.requester } : {};
    },
    logger,
    host: options.host,
    port: options.port,
  });
}

export { MAX_SEARCH_TERM_LENGTH } from './resolvers';
