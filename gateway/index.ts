// The public surface of the gateway.
export { startGateway, DEFAULT_SUBGRAPH_TIMEOUT_MS, type GatewayOptions, type RunningGateway } from './server';
export { gatewayOptionsFromEnv } from './config';
export type { SubgraphCall } from './memberDataSource';
