import type { ApolloServerOptionsWithSchema, BaseContext } from '@apollo/server';

type HardenedKeys =
  | 'introspection'
  | 'hideSchemaDetailsFromClientErrors'
  | 'includeStacktraceInErrorResponses'
  | 'allowBatchedHttpRequests'
  | 'csrfPrevention'
  | 'stopOnTerminationSignals';

/**
 * Production settings every Accord server starts with, whatever NODE_ENV says: no introspection, no
 * field suggestions ("Did you mean ...?" reveals the schema), no stack traces, no batched operations.
 * `dev: true` turns introspection on for local exploration only.
 */
export function hardenedApolloOptions(dev = false): Pick<ApolloServerOptionsWithSchema<BaseContext>, HardenedKeys> {
  return {
    introspection: dev,
    hideSchemaDetailsFromClientErrors: !dev,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // Every Accord process stops itself on SIGTERM/SIGINT (lib/process.ts), closing its stores first.
    stopOnTerminationSignals: false,
  };
}
