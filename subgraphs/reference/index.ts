// The reference national systems' shared parts: the synthetic world, the SQLite store, the resolvers and
// the process entry point. Each member folder (subgraphs/kr, kh, th, ph, vn) adds its national-only
// fields and nothing else.
export {
  createWorld,
  normalizeSeed,
  mulberry32,
  World,
  DEFAULT_SEED,
  DEFAULT_SIZE,
  WORLD_VERSION,
  DEMO_IDS,
  DEMO_SEARCH_TERMS,
  DEMO_BIOMETRIC_TEMPLATE_HASH,
  OPERATIONS,
  SOURCE_GRADES,
  type WorldOptions,
  type AnyRecord,
  type RecordsByKind,
  type RecordMeta,
  type SourceGrade,
  type SuspectRecord,
  type CompoundRecord,
  type CaseRecord,
  type VictimRecord,
} from './world';
export {
  openStore,
  storeFile,
  normalizeSearchText,
  DEFAULT_DATA_DIR,
  SEARCH_LIMIT_PER_KIND,
  SEARCH_SCAN_PER_KIND,
  MIN_SEARCH_TERM_LENGTH,
  MAX_SEARCH_TERM_LENGTH,
  type OpenStoreOptions,
  type ReferenceStore,
  type SearchHits,
} from './store';
export {
  createRequestRecords,
  nationalField,
  templateMatches,
  type Loaded,
  type ReferenceRecords,
  type ReferenceContext,
  type ReferenceResolverMap,
} from './resolvers';
export { createReferenceSystem, type ReferenceSystemOptions, type NationalSystemOptions } from './system';
export { runNationalSubgraph, type NationalSubgraphHarness } from './run';
// Alerts at the owner: the watches a member holds, its record changes, and the outbox of the notices they
// give (docs/decisions/0018-alerts-at-the-owner.md).
export {
  openOwnerAlerts,
  type OwnerAlerts,
  type OwnerAlertsOptions,
  type AppliedChange,
  type OutboxEntry,
} from './ownerAlerts';
export { type RecordChange } from './recordChanges';
export { recordIdentifiers } from './recordIdentifiers';
// Alerts in the member's process (docs/decisions/0019-alert-delivery.md): the watches its analysts
// registered, its /alerts routes for the gateway, its published notice key and the relay to the hub.
export { openMemberAlerts, type MemberAlerts, type MemberAlertsOptions } from './memberAlerts';
export {
  alertRoutes,
  mountAlerts,
  ALERTS_BASE_PATH,
  type AlertAct,
  type AlertRoutesOptions,
} from './alertRoutes';
export { alertActRecorder, alertProcedureRecord } from './alertRecords';
export { openOwnWatches, type OwnWatches, type OwnWatch, type HeldRecipient } from './ownWatches';
export {
  startRelay,
  RELAY_BATCH,
  RELAY_BACKOFF,
  type Relay,
  type RelayEvent,
  type RelayOptions,
} from './relay';
export { noticeKeyFile, publishedNoticeKeyFile, publishNoticeKey } from './noticeKeys';
export { HUB_URL } from './config';
