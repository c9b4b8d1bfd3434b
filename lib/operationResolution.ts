import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';

/**
 * A document that names no runnable operation is the client's mistake, answered with HTTP 400 before
 * anything executes: several operations and no `operationName`, an `operationName` the document does not
 * have, a document of fragments only, or a mutation or subscription where the graph has no such root type
 * (each member's only mutation is the follow-up filing, schema/followUp.ts; the hub's only one registers
 * emergencies).
 *
 * Apollo Server leaves these to execution. graphql-js then reports them as a 400, but @apollo/gateway
 * throws from its executor, which the gateway's error boundary answered as an INTERNAL_SERVER_ERROR with
 * HTTP 500. Checking once, here, gives every Accord server (gateway, hub, members) the same answer.
 */
export function refuseUnresolvableOperations<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ operation, document, request, schema }) {
          if (!operation) throw clientError(unresolvedMessage(document, request.operationName));
          if (!schema.getRootType(operation.operation)) {
            throw clientError(
              `This graph answers queries only; it has no ${operation.operation} operations.`,
            );
          }
          return Promise.resolve();
        },
      });
    },
  };
}

function unresolvedMessage(document: DocumentNode, operationName: string | undefined): string {
  const operations = document.definitions.filter(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION,
  );
  // The name is the client's own text: quoted as JSON, so nothing in it can pass for more of the message.
  if (operationName) return `The document has no operation named ${JSON.stringify(operationName)}.`;
  if (operations.length === 0) return 'The document has no operation to run (only fragments).';
  return `The document has ${operations.length} operations: say which one to run in "operationName".`;
}

function clientError(message: string): GraphQLError {
  // `http.status` is how Apollo Server lets a plugin choose the status; it is not sent to the client.
  return new GraphQLError(message, {
    extensions: { code: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } },
  });
}
