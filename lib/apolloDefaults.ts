import type { ApolloServerOptionsWithSchema, BaseContext } from '@apollo/server';

type HardenedKeys =
  | 'introspection'
  | 'hideSchemaDetailsFromClientErrors'
  | 'includeStacktraceInErrorResponses'
  | 'allowBatchedHttpRequests'
  | 'csrfPrevention'
  | 'stopOnTerminationSignals'
  | 'persistedQueries';

/**
 * Production settings every Accord server starts with, whatever NODE_ENV says: no introspection, no
 * field suggestions ("Did you mean ...?" reveals the schema), no stack traces, no batched operations.
 * No automatic persisted queries: their cache is shared by every requester, so a hash alone would tell
 * one analyst whether another sent that exact text (issue 10); a hash is answered
 * PERSISTED_QUERY_NOT_SUPPORTED. `dev: true` turns introspection on for local exploration only.
 */
export function hardenedApolloOptions(
  dev = false,
): Pick<ApolloServerOptionsWithSchema<BaseContext>, HardenedKeys> {
  return {
    introspection: dev,
    hideSchemaDetailsFromClientErrors: !dev,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // Every Accord process stops itself on SIGTERM/SIGINT (lib/process.ts), closing its stores first.
    stopOnTerminationSignals: false,
    persistedQueries: false,
  };
}
