// The public surface of the gateway.
export {
  startGateway,
  DEFAULT_SUBGRAPH_TIMEOUT_MS,
  type GatewayOptions,
  type RunningGateway,
} from './server';
export { gatewayOptionsFromEnv, gatewayAuditFromEnv, DEFAULT_GATEWAY_INSTANCE } from './config';
export { REQUEST_ID_HEADER } from './consultationLog';
export { legalTeamAccess } from './legalAccess';
export type { SubgraphCall } from './memberDataSource';
