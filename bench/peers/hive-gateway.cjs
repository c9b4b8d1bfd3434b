/**
 * Hive Gateway (@graphql-hive/gateway) with the Rust query planner of Hive Router
 * (@graphql-hive/router-runtime's `unifiedGraphHandler`), installed in bench/peers/node_modules, never a
 * dependency of Accord. In-flight deduplication of identical subgraph calls is Hive's default; the
 * `deduplicate` setting turns it off for the variant that does the same work as the others. The client's
 * `authorization` header goes to every subgraph call. Run under bare `node` (bench/peers/child.cjs).
 */
'use strict';
const { createServer } = require('node:http');
const { createGatewayRuntime } = require('@graphql-hive/gateway');
const { unifiedGraphHandler } = require('@graphql-hive/router-runtime');
const { serveAsChild } = require('./child.cjs');

serveAsChild(async ({ supergraphSdl, deduplicate }) => {
  const gateway = createGatewayRuntime({
    supergraph: () => supergraphSdl,
    unifiedGraphHandler,
    transportEntries: { '*.http': { options: { deduplicateInflightRequests: deduplicate } } },
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') ?? '' }),
    },
    logging: false,
    graphiql: false,
    landingPage: false,
  });
  const server = createServer(gateway);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      await new Promise((resolve) => server.close(() => resolve()));
      await gateway.dispose();
    },
  };
});
