import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { ERROR_CODES, isErrorCode } from '../../schema/errors';
import type { Member } from '../../schema';
import { hardenedApolloOptions } from '../../lib/apolloDefaults';
import { HttpError, headerValue, serveApollo, type RunningServer } from '../../lib/http';
import { REQUEST_HEADERS, loadDefaultPolicy, parseRequestHeaders, type Policy, type RequestContext } from '../../policy';
import { AuthorizationState } from './authorization/state';
import { createLogger, type Logger } from '../../lib/logger';
import { buildNationalSchema } from './schema';
import type { NationalSystem, SubgraphContext } from './types';

export interface StartSubgraphOptions {
  /** The compiled agreement set; defaults to the one in agreements/ (refused at start-up if invalid). */
  readonly policy?: Policy;
  /** The clock decisions are made at; tests move it. */
  readonly now?: () => number;
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** The member registry; defaults to schema/members.ts (benchmarks use synthetic registries). */
  readonly members?: readonly Member[];
}

/** Serves one member's subgraph over HTTP on `/graphql`, with `/health`. */
export async function startSubgraph<Records>(system: NationalSystem<Records>, options: StartSubgraphOptions = {}): Promise<RunningServer> {
  const policy = options.policy ?? loadDefaultPolicy();
  const now = options.now ?? Date.now;
  const running = await serveSubgraphSchema<SubgraphContext<Records>>({
    name: system.country,
    schema: buildNationalSchema(system, options.members),
    context: (request) => {
      const at = now();
      const requester = requesterFrom(request, at);
      return Promise.resolve({
        country: system.country,
        records: system.createRequestRecords(),
        accord: new AuthorizationState(policy, system.country, requester, at),
      });
    },
    plugins: [releasedObligations],
    host: options.host,
    port: options.port,
  });
  return {
    ...running,
    async stop() {
      await running.stop();
      system.close?.();
    },
  };
}

export interface ServeSubgraphOptions<TContext extends BaseContext> {
  /** A member code, or the hub's name: used in logs and in masked error messages. */
  readonly name: string;
  readonly schema: GraphQLSchema;
  readonly context: (request: IncomingMessage) => Promise<TContext>;
  readonly plugins?: ApolloServerPlugin<TContext>[];
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

/** Serves any subgraph schema (a member's or the hub's) with Accord's hardened defaults. */
export async function serveSubgraphSchema<TContext extends BaseContext>(options: ServeSubgraphOptions<TContext>): Promise<RunningServer> {
  const logger = createLogger(`subgraph-${options.name.toLowerCase()}`);
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    ...hardenedApolloOptions(),
    logger,
    plugins: options.plugins ?? [],
    formatError: (formatted, error) => maskUnexpectedError(formatted, error, options.name, logger),
  });
  const running = await serveApollo(apollo, {
    host: options.host,
    port: options.port ?? 0,
    health: () => ({ ok: true, subgraph: options.name }),
    context: options.context,
  });
  logger.info({ url: running.url }, 'subgraph listening');
  return running;
}

/**
 * Who asks and why, from the `Accord-*` headers the gateway forwards. A request that does not say who
 * asks is refused before any resolver runs, so it learns nothing, not even whether a record exists.
 */
function requesterFrom(request: IncomingMessage, at: number): RequestContext {
  const parsed = parseRequestHeaders((name) => headerValue(request, name), at);
  if (parsed.ok) return parsed.context;
  const unauthenticated = parsed.problems.some((p) => p.startsWith(REQUEST_HEADERS.country) || p.startsWith(REQUEST_HEADERS.analyst));
  if (unauthenticated) throw new HttpError(401, 'This subgraph answers only requests that say who asks.', ERROR_CODES.UNAUTHENTICATED);
  throw new HttpError(400, parsed.problems.join(' '), ERROR_CODES.BAD_REQUEST);
}

/**
 * Obligations travel with released data: the answer's `extensions.accord` lists, for each clause that
 * released something in this request, its citation, obligations and the categories released.
 */
const releasedObligations: ApolloServerPlugin<SubgraphContext> = {
  requestDidStart() {
    return Promise.resolve({
      willSendResponse({ contextValue, response }) {
        if (response.body.kind !== 'single' || contextValue.accord.releases.size === 0) return Promise.resolve();
        const releases = [...contextValue.accord.releases.values()].map((release) => ({
          ...release.clause,
          ...(release.obligations ? { obligations: release.obligations } : {}),
          categories: [...release.categories].sort(),
        }));
        response.body.singleResult.extensions = {
          ...response.body.singleResult.extensions,
          accord: { owner: contextValue.country, revision: contextValue.accord.policy.revision, releases },
        };
        return Promise.resolve();
      },
    });
  },
};

/**
 * The one boundary where unexpected errors are masked: an error whose code is in the closed set
 * (schema/errors.ts) passes as it is; anything else is logged here and answered with a generic message,
 * so no SQL, file path or stack trace reaches a client.
 */
export function maskUnexpectedError(formatted: GraphQLFormattedError, error: unknown, name: string, logger: Logger): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.['code'];
  if (original instanceof GraphQLError && isErrorCode(code) && code !== ERROR_CODES.INTERNAL_SERVER_ERROR) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { ...original.extensions, code } };
  }
  logger.error({ err: original, path: formatted.path }, 'unexpected error while resolving');
  return {
    message: `${name} failed to resolve this field.`,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ERROR_CODES.INTERNAL_SERVER_ERROR },
  };
}
