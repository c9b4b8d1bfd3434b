// The public surface of trust/: who is asking (analyst tokens from the members' identity providers) and
// which calls come from the gateway (gateway → subgraph tokens). Nothing else is imported from outside trust/.

export {
  TrustError,
  TrustConfigError,
  TRUST_ERROR_REASONS,
  TRUST_UNAVAILABLE_REASONS,
  isTrustError,
  type TrustErrorReason,
} from './TrustError';

// Analysts: tokens of the members' national identity providers.
export {
  createAnalystVerifier,
  DEFAULT_ANALYST_ALGORITHMS,
  DEFAULT_ANALYST_AUDIENCE,
  DEFAULT_ANALYST_TOKEN_MAX_AGE_SECONDS,
  ANALYST_REFUSALS_AFTER_SIGNATURE,
  type AnalystVerifier,
  type AnalystVerifierOptions,
  type AnalystIdentity,
  type AnalystIssuer,
  type IssuerKeys,
} from './analystVerifier';
export { withAnalystTokenCache, type AnalystTokenCacheOptions } from './analystTokenCache';
export { LEGAL_TEAM_ROLE, DESK_ROLE, DESK_AUDIENCE } from './claimShapes';
export {
  ensureDemoIdentityProviders,
  demoIssuer,
  hasDemoIdentityProvider,
  signDemoAnalystToken,
  type DemoAnalystToken,
} from './demoIdentityProviders';

// The gateway: signed subgraph calls.
export {
  GATEWAY_TOKEN_TYPE,
  GATEWAY_SCOPES,
  AUDIT_CONTEXT_KEYS,
  AUDIT_ID,
  MAX_GATEWAY_TOKEN_LIFETIME_SECONDS,
  bodyHash,
  type GatewayScope,
  type GatewayTokenClaims,
} from './gatewayToken';
export {
  ensureGatewayKeys,
  addGatewayKey,
  retireGatewayKey,
  readGatewayKeys,
  GATEWAY_JWKS_FILE,
  type GatewayKey,
} from './gatewayKeys';
export {
  createGatewaySigner,
  type GatewaySigner,
  type GatewaySignerOptions,
  type GatewaySignRequest,
} from './gatewaySigner';
export {
  createGatewayTokenVerifier,
  type GatewayTokenVerifier,
  type GatewayTokenVerifierOptions,
  type TrustedGatewayKey,
} from './gatewayTokenVerifier';
// Which gateway tokens were seen: in memory (one process) or in PostgreSQL (all of a member's processes).
export { ReplayCache } from './replayCache';
export {
  PURGE_GRACE_SECONDS,
  openPostgresReplayStore,
  type PostgresReplayStoreOptions,
} from './postgresReplayStore';
export type { Admission, ReplayStore } from './replayStore';
export type { JsonWebKeySet } from './jwk';

// One machine: demo identity providers and the gateway's keys in one folder (npm start, tests, bench).
export { localTrust, GATEWAY_ISSUER, type LocalTrust } from './localTrust';

// The owner's signed grants: where the desk keeps them, what its key signs, and a read-only reader.
export {
  deskFile,
  grantKeyFile,
  canonicalGrantBody,
  grantOfRow,
  readOwnerGrants,
  type GrantRow,
} from './ownerGrants';
