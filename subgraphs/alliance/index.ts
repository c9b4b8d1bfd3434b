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
import { ALERTS_BASE_PATH, alertRoutes } from './alertRoutes';
import type { AlertLog } from './alertLog';

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
  /**
   * The alert log (./alertLog, docs/decisions/0019-alert-delivery.md): served under `/alerts` (./alertRoutes.ts);
   * absent: no `/alerts` routes. The caller closes it, after the server has stopped.
   */
  readonly alerts?: AlertLog;
}

/** Serves the hub. It holds no records, but like every subgraph it answers only the gateway. */
export async function startHub(
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
  // Aborted first when the hub stops: a `/alerts/log` call waiting for a notice answers at once, so the
  // drain (lib/http.ts) does not wait out its long poll.
  const stopping = new AbortController();
  const prefixRoutes = options.alerts
    ? {
        [ALERTS_BASE_PATH]: alertRoutes({
          log: options.alerts,
          gatewayTokens: options.gatewayTokens,
          members: members.map((member) => member.code),
          logger,
          now,
          ...(metrics ? { metrics } : {}),
          stopping: stopping.signal,
        }),
      }
    : undefined;
  const running = await serveSubgraphSchema({
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
    ...(prefixRoutes ? { prefixRoutes } : {}),
  });
  return {
    ...running,
    stop() {
      stopping.abort();
      return running.stop();
    },
  };
}

export { MAX_SEARCH_TERM_LENGTH } from './resolvers';
export {
  ALERTS_BASE_PATH,
  MAX_NOTICES_PER_POST,
  NOTICES_MAX_BODY_BYTES,
  ALERTS_MAX_BODY_BYTES,
  MAX_WAIT_MS,
  DEFAULT_PAGE,
} from './alertRoutes';
export {
  REFUSAL_REASONS,
  MAX_PAGE,
  AlertLogInputError,
  BAD_CURSOR_MESSAGE,
  openSqliteAlertLog,
  openPostgresAlertLog,
  openAlertLogFromEnv,
  alertLogFile,
  ALERTS_URL_VARIABLE,
  NOTICE_KEYS_VARIABLE,
  NoticeKeysError,
  folderNoticeKeys,
  noticeKeyFolder,
  noticeKeysFromEnv,
  pinnedNoticeKeys,
  MAX_NOTICE_BYTES,
  type AlertLog,
  type AlertPage,
  type AppendOutcome,
  type AcknowledgeOutcome,
  type Acknowledgement,
  type CancelOutcome,
  type LoggedNotice,
  type NoticeKeys,
  type RefusalReason,
  type RegisterOutcome,
  type WatchEntry,
  type WatchRegistration,
  type WireNotice,
} from './alertLog';
