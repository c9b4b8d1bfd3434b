import { GraphQLError, visit, type DocumentNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { ERROR_CODES } from '../schema';
import type { GatewayContext } from './requestState';

/**
 * Who may read the gateway's schema by introspection: authenticated analysts only. The schema the
 * gateway serves is the client-facing one (@apollo/gateway's API schema: no join directives, no
 * `_entities`/`_service`, nothing `@inaccessible`), and it is what the analyst's tools (the explorer's
 * documentation and autocompletion, editors) need; a stranger learns nothing of it.
 *
 * Apollo Server's `introspection` switch is on or off for everyone, so the gateway turns it on and this
 * plugin decides per request. Every request to /graphql already carries a verified analyst by the time it
 * gets here (the context is built from the token, gateway/server.ts, and a request without one is
 * answered 401 before any GraphQL runs); the plugin refuses introspection for any context that does not,
 * so that the rule holds even if a route without a token is ever added in front of it.
 */
export function introspectionForAnalysts(): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ contextValue, document }) {
          const asked = introspectionFields(document);
          if (asked > 0 && !isAnalyst(contextValue)) throw INTROSPECTION_REFUSED;
          // The depth and list-cost limits (gateway/limits.ts) do not reach into __schema; one introspection
          // is bounded by the schema and graphql-js's nested-list rule, fifteen aliased ones would hold the
          // gateway's one thread for seconds. A tool asks once.
          if (asked > 1) throw INTROSPECTION_ONCE;
          return Promise.resolve();
        },
      });
    },
  };
}

const INTROSPECTION_REFUSED = new GraphQLError(
  'Introspection is answered to authenticated analysts only: send your token (Authorization: Bearer ...).',
  {
    extensions: { code: ERROR_CODES.UNAUTHENTICATED, http: { status: 401 } },
  },
);

function isAnalyst(context: Partial<GatewayContext> | undefined): boolean {
  const requester = context?.requester;
  return typeof requester?.country === 'string' && typeof requester.analyst === 'string';
}

const INTROSPECTION_ONCE = new GraphQLError(
  'Ask the schema once per operation: one __schema or __type field, not several (aliases and fragments included).',
  {
    extensions: { code: ERROR_CODES.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } },
  },
);

/** How many `__schema` and `__type` fields the document selects (aliases and fragments included). */
function introspectionFields(document: DocumentNode): number {
  let count = 0;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') count++;
    },
  });
  return count;
}
