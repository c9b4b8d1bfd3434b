import type { IncomingMessage } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { ERROR_CODES, isErrorCode } from '../../schema/errors';
import type { Member } from '../../schema';
import { hardenedApolloOptions } from '../../lib/apolloDefaults';
import { serveApollo, type RunningServer } from '../../lib/http';
import { createLogger, type Logger } from '../../lib/logger';
import { buildNationalSchema } from './schema';
import type { NationalSystem, SubgraphContext } from './types';

export interface StartSubgraphOptions {
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** The member registry; defaults to schema/members.ts (benchmarks use synthetic registries). */
  readonly members?: readonly Member[];
}

/** Serves one member's subgraph over HTTP on `/graphql`, with `/health`. */
export async function startSubgraph(system: NationalSystem, options: StartSubgraphOptions = {}): Promise<RunningServer> {
  const running = await serveSubgraphSchema({
    name: system.country,
    schema: buildNationalSchema(system, options.members),
    context: () => Promise.resolve({ country: system.country, records: system.createRequestRecords() }),
    ...options,
  });
  return {
    ...running,
    async stop() {
      await running.stop();
      system.close?.();
    },
  };
}

export interface ServeSubgraphOptions<TContext extends BaseContext> extends StartSubgraphOptions {
  /** A member code, or the hub's name: used in logs and in masked error messages. */
  readonly name: string;
  readonly schema: GraphQLSchema;
  readonly context: (request: IncomingMessage) => Promise<TContext>;
}

/** Serves any subgraph schema (a member's or the hub's) with Accord's hardened defaults. */
export async function serveSubgraphSchema<TContext extends BaseContext>(options: ServeSubgraphOptions<TContext>): Promise<RunningServer> {
  const logger = createLogger(`subgraph-${options.name.toLowerCase()}`);
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    ...hardenedApolloOptions(),
    logger,
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
