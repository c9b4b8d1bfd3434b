import { createHash } from 'node:crypto';
import { ApolloGateway } from '@apollo/gateway';
import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  HUB_NAME,
  MEMBERS,
  buildSupergraph,
  readFieldCategories,
  type Member,
  defaultSubgraphUrl,
  readCommittedSupergraph,
  subgraphName,
  ERROR_CODES,
} from '../schema';
import { hardenedApolloOptions } from '../lib/apolloDefaults';
import { refuseUnresolvableOperations } from '../lib/operationResolution';
import { HttpError, bearerToken, serveApollo, type RunningServer } from '../lib/http';
import { createServiceMetrics } from '../lib/metrics';
import { AUTH_REALMS } from '../vocabulary';
import { loadDefaultPolicy, parseRequestHeaders, type Policy, type RequestContext } from '../policy';
import {
  ANALYST_REFUSALS_AFTER_SIGNATURE,
  isTrustError,
  withAnalystTokenCache,
  type AnalystIdentity,
  type AnalystVerifier,
  type GatewaySigner,
  type TrustError,
} from '../trust';
import { newGatewayContext, obligationsExtension, type GatewayContext } from './requestState';
import { createLogger, type Logger } from '../lib/logger';
import { wrapGateway } from './executor';
import { legalRoutes, type LegalBuild } from '../legal';
import { legalTeamAccess } from './legalAccess';
import { explorerRoutes } from './explorer';
import { introspectionForAnalysts } from './introspection';
import { formatGatewayError } from './formatError';
import { DEFAULT_LIMITS, limitProtections, type OperationLimits } from './limits';
import { reservedAliasRule } from './reservedAliases';
import { MemberDataSource, describeSubgraph, type SubgraphCall } from './memberDataSource';
import { subgraphFetcher } from './subgraphFetcher';
import { consultationLog } from './consultationLog';
import { instrumentAuditLog, type AuditLog } from '../audit';
import type { EmergencyReader } from '../emergencies';
import { resolveEmergency } from './emergencies';
import { boundedPlanCache, type PlanCacheBounds } from './planCache';
import { loadSupergraphWithoutLocations } from './supergraphLoad';
import { ALERTS_PATH, alertRoutes } from './alerts/alertRoutes';
import type { AlertBackend } from './alerts/alertBackend';
import { httpAlertBackend } from './alerts/httpAlertBackend';

export interface GatewayOptions {
  /** Verifies analysts' tokens against their members' identity providers (trust/createAnalystVerifier). */
  readonly analysts: AnalystVerifier;
  /** Signs every subgraph call (trust/createGatewaySigner). */
  readonly signer: GatewaySigner;
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
  /** Development only: error messages may name schema details (field suggestions). */
  readonly dev?: boolean;
  /**
   * Serve the explorer under /explorer (default true): GraphiQL, bundled at build time
   * (gateway/explorer/build.ts). The page holds no data: it asks /graphql under the analyst's token.
   */
  readonly explorer?: boolean;
  /** Called with every query plan the gateway resolves (tests assert plan shapes with it). */
  readonly onQueryPlan?: (plan: unknown) => void;
  /** Called after every subgraph call with its duration as the gateway saw it (benchmarks, metrics). */
  readonly onSubgraphCall?: (call: SubgraphCall) => void;
  /** The member registry; defaults to schema/members.ts (benchmarks use synthetic registries). */
  readonly members?: readonly Member[];
  /** The clock request contexts are read at; tests move it. */
  readonly now?: () => number;
  /** The compiled agreement set; defaults to the one in agreements/ (refused at start-up if invalid). */
  readonly policy?: Policy;
  /** Where the gateway logs; defaults to a pino logger on stdout. */
  readonly logger?: Logger;
  /**
   * Cut withheld fields before the query planner sees them (default true). The owners enforce either way;
   * off only to measure what redaction costs (bench/scenarios/trust-overhead.ts).
   */
  readonly redactBeforePlanning?: boolean;
  /**
   * Serve the legal workbench under /legal (default true): the agreements in force and the permission
   * matrix, to members' legal teams only (a token with the role `legal`; gateway/legalAccess.ts). Built
   * at start-up in a child process, never on the request path.
   */
  readonly legalPage?: boolean;
  /** Called as each build of the legal workbench starts (tests count builds with it). */
  readonly onLegalBuild?: (build: LegalBuild) => void;
  /**
   * The requester's audit log (audit/openAuditLog): one consultation record per request and owner country,
   * durable before the answer leaves (gateway/consultationLog.ts). Absent: nothing is recorded. The
   * caller opens and closes it.
   */
  readonly audit?: AuditLog;
  /** Limits on depth, aliases, tokens, directives and list-aware cost (gateway/limits.ts). */
  readonly limits?: OperationLimits;
  /**
   * The hub's registry of emergencies, read-only (emergencies/openEmergencyReader): `Accord-Emergency` names
   * a registration in it (gateway/emergencies.ts). Absent: every emergency reference is refused.
   */
  readonly emergencies?: EmergencyReader;
  /** Serve GET /metrics and count (lib/metrics.ts); default on, off with `ACCORD_METRICS=off`. */
  readonly metrics?: boolean;
  /**
   * How many query plans the gateway keeps (gateway/planCache.ts): one per operation and redaction, least
   * recently used out first. DEFAULT_PLAN_CACHE_BOUNDS unless given.
   */
  readonly planCache?: PlanCacheBounds;
  /**
   * What the alert API (`/alerts`, gateway/alerts/alertRoutes.ts) runs on: the watcher members, the
   * recipients and the hub's log. Default: over HTTP, each call signed as a subgraph call is, to the
   * subgraphs' own origins (gateway/alerts/httpAlertBackend.ts). Tests give one in memory.
   */
  readonly alerts?: AlertBackend;
  /** How long one read of the hub's alert log waits for a new notice (default DEFAULT_ALERT_WAIT_MS). */
  readonly alertWaitMs?: number;
}

/** The hub waits at most 25 s (docs/decisions/0019-alert-delivery.md); the stream asks for 20. */
export const DEFAULT_ALERT_WAIT_MS = 20_000;

export interface RunningGateway extends RunningServer {
  /** sha256 of the supergraph being served. */
  readonly supergraphHash: string;
}

export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 5_000;

/**
 * Strips the header that would make @apollo/gateway return its query plan to a client. The gateway is
 * also configured not to expose plans; this keeps the header from reaching anything else.
 */
const ignoreQueryPlanHeaders: ApolloServerPlugin<GatewayContext> = {
  requestDidStart({ request }) {
    for (const name of ['apollo-query-plan-experimental', 'apollo-query-plan-experimental-format'])
      request.http?.headers.delete(name);
    return Promise.resolve();
  },
};

/** Obligations travel with released data: `extensions.obligations`, per owner country. */
const attachObligations: ApolloServerPlugin<GatewayContext> = {
  requestDidStart() {
    return Promise.resolve({
      willSendResponse({ contextValue, response }) {
        const obligations = obligationsExtension(contextValue);
        if (obligations && response.body.kind === 'single') {
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, obligations };
        }
        return Promise.resolve();
      },
    });
  },
};

/**
 * Who asks and why, checked before any subgraph is called. Who: the analyst's token from their national
 * identity provider; the country is the member whose provider signed it, never a claim or a header. Why:
 * the `Accord-*` declaration headers; a malformed one is refused with HTTP 400 and says what is wrong.
 */
async function requesterFrom(
  request: IncomingMessage,
  at: number,
  members: readonly Member[],
  analysts: AnalystVerifier,
  emergencies: EmergencyReader | undefined,
  logger: Logger,
): Promise<RequestContext> {
  const token = bearerToken(request);
  let identity: AnalystIdentity;
  try {
    identity = await analysts.verify(token);
  } catch (error) {
    if (!isTrustError(error)) throw error;
    // The reason stays in the log; the answer says only what the caller may learn (tokenRefusal).
    logger.info(
      { reason: error.reason, detail: error.message, remote: request.socket.remoteAddress },
      'refused an analyst token',
    );
    throw tokenRefusal(error);
  }
  if (!members.some((member) => member.code === identity.country)) {
    logger.info(
      { reason: 'NOT_A_MEMBER', country: identity.country, remote: request.socket.remoteAddress },
      'refused an analyst token',
    );
    throw REFUSED_TOKEN;
  }
  // The declaration headers go to the parser as they arrived: it alone trims and checks them, so that a
  // raw byte JavaScript's trim() would drop (a no-break space, A0) is refused rather than silently lost.
  const parsed = parseRequestHeaders((name) => rawHeader(request, name), at, identity);
  if (!parsed.ok) throw new HttpError(400, parsed.problems.join(' '), ERROR_CODES.BAD_REQUEST);
  if (parsed.emergencyRegistration === undefined) return parsed.context;
  return {
    ...parsed.context,
    emergency: resolveEmergency(emergencies, parsed.emergencyRegistration, parsed.context, at, logger),
  };
}

/** A header as it arrived (node joins repeated custom headers with ", "), untrimmed. */
function rawHeader(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * One answer for every token that could not be shown to come from a member's identity provider: a bad
 * signature under a member's issuer and an issuer that is no member's must not be told apart, or the 401
 * tells a stranger which identity providers the alliance trusts (issue 10).
 */
const REFUSED_TOKEN = new HttpError(
  401,
  "The token was refused: it is not a valid token of a member's identity provider for this gateway.",
  ERROR_CODES.UNAUTHENTICATED,
);

/**
 * What a refused token is answered with. No token: say one is needed. The keys of a provider cannot be
 * fetched: 503, the token is not at fault, and the provider is not named. A refusal established once the
 * signature verified (expired, too old, wrong audience…): say why, since only a holder of a genuinely
 * signed token gets there. Anything else: the one answer above.
 */
function tokenRefusal(error: TrustError): HttpError {
  if (error.reason === 'MISSING')
    return new HttpError(
      401,
      'A bearer token from your national identity provider is required (Authorization: Bearer ...); with the accord command line, run accord login first.',
      ERROR_CODES.UNAUTHENTICATED,
    );
  if (error.reason === 'KEYS_UNAVAILABLE')
    return new HttpError(
      503,
      'Identity tokens cannot be checked right now; try again shortly.',
      ERROR_CODES.UNAUTHENTICATED,
    );
  if (ANALYST_REFUSALS_AFTER_SIGNATURE.has(error.reason))
    return new HttpError(
      401,
      `The token was refused: ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`,
      ERROR_CODES.UNAUTHENTICATED,
    );
  return REFUSED_TOKEN;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway');
  const members = options.members ?? MEMBERS;
  const policy = options.policy ?? loadDefaultPolicy();
  const supergraphSdl =
    options.supergraphSdl ??
    (options.composeAtStartup ? buildSupergraph(members) : readCommittedSupergraph());
  const supergraphHash = createHash('sha256').update(supergraphSdl).digest('hex');
  const timeoutMs = options.subgraphTimeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS;
  const known = new Set([HUB_NAME, ...members.map((m) => subgraphName(m.code))]);
  for (const name of Object.keys(options.subgraphUrls ?? {})) {
    if (!known.has(name))
      throw new Error(`Unknown subgraph "${name}" in the subgraph URLs (known: ${[...known].join(', ')}).`);
  }

  // This gateway's own registry: a process that runs several servers (the tests) keeps their counts apart.
  const metrics = options.metrics === false ? undefined : createServiceMetrics();
  const audit =
    options.audit && metrics
      ? instrumentAuditLog(options.audit, metrics, { countDecisions: true })
      : options.audit;
  let loaded = false;
  const http = subgraphFetcher(timeoutMs);
  const analysts = withAnalystTokenCache(options.analysts);
  const gateway = new ApolloGateway({
    supergraphSdl,
    __exposeQueryPlanExperimental: false,
    // Bounded by what the plans hold, not @apollo/gateway's 30 MiB of JSON (gateway/planCache.ts).
    queryPlannerConfig: { cache: boundedPlanCache(options.planCache) },
    logger,
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls?.[name] ?? url ?? defaultSubgraphUrl(name, members);
      const subgraph = describeSubgraph(name, members);
      // The latency label is the member's code (or the hub's name), bounded by the registry, never a
      // URL; found once per subgraph here, not per call.
      const member = subgraph.country ?? name;
      return new MemberDataSource(subgraph, target, {
        timeoutMs,
        logger,
        fetcher: http.fetcher,
        signer: options.signer,
        revision: policy.revision,
        onCall: (call) => {
          metrics?.observeSubgraphCall(member, call.ms / 1000);
          options.onSubgraphCall?.(call);
        },
      });
    },
    ...(options.onQueryPlan
      ? { experimental_didResolveQueryPlan: ({ queryPlan }) => options.onQueryPlan!(queryPlan) }
      : {}),
  });
  // The supergraph's tokens are not kept for the gateway's life (gateway/supergraphLoad.ts).
  loadSupergraphWithoutLocations(gateway);
  gateway.onSchemaLoadOrUpdate(() => {
    loaded = true;
  });

  const now = options.now ?? Date.now;
  const operationLimits = options.limits ?? DEFAULT_LIMITS;
  const limits = limitProtections(operationLimits, members.length);
  const apollo = new ApolloServer<GatewayContext>({
    gateway: wrapGateway(gateway, {
      policy,
      categories: readFieldCategories(supergraphSdl),
      logger,
      redactBeforePlanning: options.redactBeforePlanning,
    }),
    ...hardenedApolloOptions(options.dev),
    // Introspection for authenticated analysts only (gateway/introspection.ts decides per request): the
    // explorer's documentation and autocompletion read the client-facing schema with the analyst's token.
    introspection: true,
    logger,
    validationRules: [...limits.validationRules, reservedAliasRule],
    parseOptions: { maxTokens: operationLimits.maxTokens },
    // The consultation log last: when its record cannot be written, it replaces whatever the others attached.
    plugins: [
      refuseUnresolvableOperations(),
      introspectionForAnalysts(),
      ignoreQueryPlanHeaders,
      attachObligations,
      ...(limits.plugins as ApolloServerPlugin<GatewayContext>[]),
      consultationLog(audit, policy.revision, logger),
    ],
    formatError: (formatted, error) => formatGatewayError(formatted, error, logger),
  });
  // Every route but /health and /graphql (whose context demands a token) serves nothing without one: the
  // legal workbench checks its own (legal-team role); the explorer is GraphiQL's page and assets, no data.
  const legal =
    options.legalPage === false
      ? undefined
      : legalRoutes({
          policy,
          supergraphSdl,
          now,
          authorize: legalTeamAccess(analysts, members, logger),
          ...(options.onLegalBuild ? { onBuild: options.onLegalBuild } : {}),
          onBuildError: (error) => logger.error({ err: error }, 'the legal workbench could not be built'),
        });
  // The alert API: its own schema and transport; who asks is verified as for /graphql (requesterFrom).
  const alertBackend =
    options.alerts ??
    httpAlertBackend({
      signer: options.signer,
      revision: policy.revision,
      members,
      subgraphUrl: (name) => options.subgraphUrls?.[name] ?? defaultSubgraphUrl(name, members),
      timeoutMs,
      logger,
    });
  const alerts = alertRoutes(
    {
      backend: alertBackend,
      policy,
      now,
      ...(audit ? { audit } : {}),
      logger,
      // At delivery the token is verified again in full, not from the cache: it may have expired since.
      tokenStillValid: async (token, caller) => {
        try {
          const identity = await options.analysts.verify(token);
          return (
            identity.country === caller.requester.country && identity.analyst === caller.requester.analyst
          );
        } catch (error) {
          if (isTrustError(error)) return false;
          throw error;
        }
      },
      pageSize: 100,
      waitMs: options.alertWaitMs ?? DEFAULT_ALERT_WAIT_MS,
    },
    {
      authenticate: async (request) => ({
        requester: await requesterFrom(request, now(), members, analysts, options.emergencies, logger),
        token: bearerToken(request) ?? '',
      }),
      authRealm: AUTH_REALMS.gateway,
    },
  );
  let running: RunningServer;
  try {
    running = await serveApollo(apollo, {
      host: options.host,
      port: options.port ?? 0,
      // Its 401s say they are the gateway's: a client pointed here knows a refused token from a wrong URL.
      authRealm: AUTH_REALMS.gateway,
      ...(metrics ? { metrics } : {}),
      health: () => ({
        ok: loaded,
        supergraph: loaded ? { loaded: true, sha256: supergraphHash } : { loaded: false },
      }),
      routes: legal?.routes ?? {},
      prefixRoutes: {
        [ALERTS_PATH]: alerts.handle,
        ...(options.explorer === false ? {} : { '/explorer': explorerRoutes() }),
      },
      // A person who opens /graphql in a browser is sent to the explorer, the page made for people.
      ...(options.explorer === false ? {} : { browserPage: '/explorer' }),
      context: async (request) => {
        const at = now();
        return newGatewayContext(
          await requesterFrom(request, at, members, analysts, options.emergencies, logger),
          at,
          audit !== undefined,
        );
      },
    });
  } catch (error) {
    await legal?.close();
    throw error;
  }
  logger.info({ url: running.url }, 'gateway listening');
  let stopped: Promise<void> | undefined;
  return {
    ...running,
    supergraphHash,
    // The answers in flight are drained first (lib/http.ts), so the subgraph connections they use close after;
    // a legal workbench build still running is stopped last.
    stop() {
      // Open alert streams end first (each client resumes with Last-Event-ID), or the drain would wait for them.
      stopped ??= alerts
        .close()
        .then(() => running.stop())
        .then(() => http.close())
        .then(() => alertBackend.close?.())
        .then(() => legal?.close());
      return stopped;
    },
  };
}
