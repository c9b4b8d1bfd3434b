/**
 * Plain @apollo/gateway with Apollo Server 5 (Accord's own versions, from the product's node_modules): the
 * supergraph as given, every subgraph call carrying the client's `authorization` header and nothing else
 * added. No identity, no redaction, no signed calls, no audit. Run under bare `node` (bench/peers/child.cjs).
 */
'use strict';
const { ApolloServer } = require('@apollo/server');
const { startStandaloneServer } = require('@apollo/server/standalone');
const { ApolloGateway, RemoteGraphQLDataSource } = require('@apollo/gateway');
const { serveAsChild } = require('./child.cjs');

serveAsChild(async ({ supergraphSdl }) => {
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest({ request, context }) {
          if (context.authorization) request.http.headers.set('authorization', context.authorization);
        },
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context: ({ req }) => Promise.resolve({ authorization: req.headers.authorization }),
  });
  return { url, stop: () => server.stop() };
});
