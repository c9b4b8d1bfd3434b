import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { ERROR_CODES, isErrorCode, type Member } from '../../schema';
import { hardenedApolloOptions } from '../../lib/apolloDefaults';
import { refuseUnresolvableOperations } from '../../lib/operationResolution';
import { serveApollo, type RunningServer, type ServeOptions } from '../../lib/http';
import { createServiceMetrics, type ServiceMetrics } from '../../lib/metrics';
import { AUTH_REALMS } from '../../vocabulary';
import {
  loadDefaultPolicy,
  type Grant,
  type GrantBook,
  type Policy,
  type RequestContext,
} from '../../policy';
import type { GatewayTokenVerifier } from '../../trust';
import { instrumentAuditLog, type AuditLog } from '../../audit';
import { verifyCaller } from './caller';
import { AuthorizationState } from './authorization/state';
import { DecisionTrail } from './authorization/decisionTrail';
import { disclosurePlugin } from './disclosure';
import { withheldReferencesPlugin } from './referenceVisibility';
import { createLogger, type Logger } from '../../lib/logger';
import { buildNationalSchema } from './schema';
import {
  SearchBudget,
  DEFAULT_SEARCH_TERMS_PER_MINUTE,
  type ChargeableBudget,
  type MonotonicClock,
} from './search/searchBudget';
import type { CursorKeys } from './search/searchPage';
import type { NationalSystem, SubgraphContext } from './types';
import type { RequestStore } from '../desk';
import { hitTokensPlugin } from './followUp/hitTokensPlugin';
import { noStorePlugin } from './noStorePlugin';

export interface StartSubgraphOptions {
  /** Checks the gateway's token on every call (trust/createGatewayTokenVerifier, audience = this subgraph). */
  readonly gatewayTokens: GatewayTokenVerifier;
  /** The compiled agreement set; defaults to the one in agreements/ (refused at start-up if invalid). */
  readonly policy?: Policy;
  /** The clock decisions are made at; tests move it. */
  readonly now?: () => number;
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** The member registry; defaults to schema/members.ts (benchmarks use synthetic registries). */
  readonly members?: readonly Member[];
  /**
   * The owner's audit log (audit/openAuditLog): one disclosure record per analyst's request that reaches
   * this subgraph, durable before the answer leaves. Absent: no disclosure is recorded. The caller opens
   * and closes it.
   */
  readonly audit?: AuditLog;
  /**
   * The owner's grants (subgraphs/desk): the only thing that satisfies a clause's request-reference
   * condition. Absent: the owner holds none, so a request reference opens nothing.
   */
  readonly grants?: { get(id: string): Grant | undefined };
  /**
   * The owner's register of formal follow-up requests (subgraphs/desk/requestStore.ts): what the member's
   * `fileFollowUpRequest<CC>` mutation files into and its status query reads. Absent: filing is refused.
   */
  readonly followUpRequests?: RequestStore;
  /**
   * The owner's hit-token secret (subgraphs/desk/hitKey.ts): with it, every record the owner shows a foreign
   * analyst comes with a hit token, the proof a filing needs. Absent: no tokens, so no filing succeeds.
   */
  readonly hitKey?: Buffer;
  /**
   * The keys the member's search cursors are sealed under (subgraphs/kit/search/searchPage.ts
   * `cursorKeysFrom` its secret), the same in each of its processes, so a cursor from one is read by the
   * others. Absent: keys of this process alone (a cursor lasts as long as it runs).
   */
  readonly cursorKeys?: CursorKeys;
  /**
   * The member's query budget: how many distinct terms one foreign analyst may search here per minute
   * (default DEFAULT_SEARCH_TERMS_PER_MINUTE). Checked before the server starts.
   */
  readonly searchTermsPerMinute?: number;
  /** The budget's clock: monotonic by default, never `now` (the budget is rate limiting, not law); tests step it. */
  readonly searchClock?: MonotonicClock;
  /**
   * The budget itself, when it is shared by all of the member's processes (openPostgresSearchBudget, with
   * `ACCORD_SHARED_STATE_URL`); the caller closes it. Absent: this process's own, of `searchTermsPerMinute`.
   */
  readonly searchBudget?: ChargeableBudget;
  /**
   * The member's own HTTP routes beside its subgraph, by path prefix (lib/http.ts `prefixRoutes`): its
   * desk under `/desk` (subgraphs/desk/deskRoutes.ts). Never part of the subgraph's schema.
   */
  readonly prefixRoutes?: ServeSubgraphOptions<BaseContext>['prefixRoutes'];
  /** Serve GET /metrics and count (lib/metrics.ts); default on, off with `ACCORD_METRICS=off`. */
  readonly metrics?: boolean;
}

const NO_GRANTS: GrantBook = new Map();

/**
 * The grant the request names, read once per request before anything is decided, so that decide() stays
 * pure and synchronous and every field of the request is decided against the same grant (a revocation
 * takes effect on the next request). A name the owner does not hold gives an empty book: the same
 * refusal as no reference at all.
 */
function grantBookOf(
  requester: RequestContext | undefined,
  grants: StartSubgraphOptions['grants'],
): GrantBook {
  const reference = requester?.requestReference;
  if (reference === undefined || grants === undefined) return NO_GRANTS;
  const grant = grants.get(reference);
  return grant === undefined ? NO_GRANTS : new Map([[reference, grant]]);
}

/** Serves one member's subgraph over HTTP on `/graphql`, with `/health`. */
export async function startSubgraph<Records>(
  system: NationalSystem<Records>,
  options: StartSubgraphOptions,
): Promise<RunningServer> {
  const policy = options.policy ?? loadDefaultPolicy();
  const now = options.now ?? Date.now;
  const logger = createLogger(`subgraph-${system.country.toLowerCase()}`);
  // Refused here, before anything listens: a bad limit is a configuration error, not a request's.
  const searchBudget =
    options.searchBudget ??
    new SearchBudget(options.searchTermsPerMinute ?? DEFAULT_SEARCH_TERMS_PER_MINUTE, options.searchClock);
  // This server's own registry: a process that runs several servers (the tests) keeps their counts apart.
  const metrics = options.metrics === false ? undefined : createServiceMetrics();
  const audit =
    options.audit && metrics
      ? instrumentAuditLog(options.audit, metrics, { countDecisions: false })
      : options.audit;
  const running = await serveSubgraphSchema<SubgraphContext<Records>>({
    name: system.country,
    ...(metrics ? { metrics } : {}),
    schema: buildNationalSchema(system, options.members),
    context: async (request, rawBody) => {
      const at = now();
      const caller = await verifyCaller(request, rawBody, options.gatewayTokens, at, logger, metrics);
      if (caller.revision && caller.revision !== policy.revision) {
        logger.warn(
          { gateway: caller.revision, owner: policy.revision },
          'the gateway decided with another agreement revision',
        );
      }
      // Decisions are noted with their paths only when someone reads them: this owner's log, or the gateway.
      const grants = grantBookOf(caller.requester, options.grants);
      const trail =
        caller.scope === 'query' && (audit || caller.fieldReport) ? new DecisionTrail(grants) : undefined;
      return {
        country: system.country,
        records: system.createRequestRecords(),
        searchBudget,
        ...(options.cursorKeys ? { cursorKeys: options.cursorKeys } : {}),
        followUp: {
          ...(options.followUpRequests ? { requests: options.followUpRequests } : {}),
          ...(options.hitKey ? { hitKey: options.hitKey } : {}),
          ...(options.grants ? { grants: options.grants } : {}),
          ...(audit ? { audit } : {}),
          logger,
          filed: [],
        },
        // The gateway's own schema calls carry no analyst: nothing but `_service` answers them.
        accord: new AuthorizationState(
          policy,
          system.country,
          caller.requester ?? SERVICE_CALLER,
          at,
          caller.scope,
          trail,
          grants,
        ),
        crossing: {
          tokenId: caller.tokenId,
          fieldReport: caller.fieldReport,
          ...(caller.requestId ? { requestId: caller.requestId } : {}),
          ...(caller.decisionId ? { decisionId: caller.decisionId } : {}),
        },
      };
    },
    logger,
    plugins: [withheldReferencesPlugin(), disclosurePlugin(audit, logger), hitTokensPlugin(options.hitKey)],
    host: options.host,
    port: options.port,
    ...(options.prefixRoutes !== undefined && { prefixRoutes: options.prefixRoutes }),
  });
  let stopped: Promise<void> | undefined;
  return {
    ...running,
    // The answers in flight are drained first (lib/http.ts): the store they read closes after them.
    stop() {
      stopped ??= running.stop().then(() => system.close?.());
      return stopped;
    },
  };
}

export interface ServeSubgraphOptions<TContext extends BaseContext> {
  /** A member code, or the hub's name: used in logs and in masked error messages. */
  readonly name: string;
  readonly schema: GraphQLSchema;
  readonly context: (request: IncomingMessage, rawBody: Buffer) => Promise<TContext>;
  readonly plugins?: ApolloServerPlugin<TContext>[];
  readonly logger?: Logger;
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Non-GraphQL routes by path prefix (lib/http.ts `prefixRoutes`). */
  readonly prefixRoutes?: ServeOptions<TContext>['prefixRoutes'];
  /** This server's metrics, served on GET /metrics (lib/http.ts); absent: none. */
  readonly metrics?: ServiceMetrics;
}

/** Serves any subgraph schema (a member's or the hub's) with Accord's hardened defaults. */
export async function serveSubgraphSchema<TContext extends BaseContext>(
  options: ServeSubgraphOptions<TContext>,
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(`subgraph-${options.name.toLowerCase()}`);
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    ...hardenedApolloOptions(),
    logger,
    // No inline traces (ftv1): nothing here reports usage to Apollo's cloud, and each subgraph announced them at start.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      // No per-field cache hints: the same `no-store` every answer got, set once per answer (noStorePlugin.ts).
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin<TContext>(),
      refuseUnresolvableOperations<TContext>(),
      ...(options.plugins ?? []),
    ],
    formatError: (formatted, error) => maskUnexpectedError(formatted, error, options.name, logger),
  });
  const running = await serveApollo(apollo, {
    host: options.host,
    port: options.port ?? 0,
    health: () => ({ ok: true, subgraph: options.name }),
    // Its 401s say a subgraph refused: `accord --gateway` pointed here is told this is not the gateway.
    authRealm: AUTH_REALMS.subgraph,
    context: (request, _body, rawBody) => options.context(request, rawBody),
    ...(options.prefixRoutes !== undefined && { prefixRoutes: options.prefixRoutes }),
    ...(options.metrics !== undefined && { metrics: options.metrics }),
  });
  logger.info({ url: running.url }, 'subgraph listening');
  return running;
}

/** The requester of the gateway's own `schema` calls: no country, no purpose, so no record is released. */
const SERVICE_CALLER: RequestContext = { country: 'GATEWAY', analyst: 'gateway', roles: ['service'] };

/**
 * The one boundary where unexpected errors are masked: an error whose code is in the closed set
 * (schema/errors.ts) passes as it is; anything else is logged here and answered with a generic message,
 * so no SQL, file path or stack trace reaches a client.
 */
export function maskUnexpectedError(
  formatted: GraphQLFormattedError,
  error: unknown,
  name: string,
  logger: Logger,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.['code'];
  if (original instanceof GraphQLError && isErrorCode(code) && code !== ERROR_CODES.INTERNAL_SERVER_ERROR) {
    // `http` is how Apollo Server lets an error choose its status; it is not for the client.
    const { http: _http, ...extensions } = original.extensions;
    return {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { ...extensions, code },
    };
  }
  logger.error({ err: original, path: formatted.path }, 'unexpected error while resolving');
  return {
    message: `${name} failed to resolve this field.`,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ERROR_CODES.INTERNAL_SERVER_ERROR },
  };
}
