/**
 * The audit part's public surface: an append-only, hash-chained, checkpoint-signed log of every border
 * crossing, kept on both sides (docs/decisions/0008-audit-chain.md). Everything else in audit/ is internal.
 *
 * Writers: the gateway appends consultations, each owner subgraph appends disclosures, through
 * `openAuditLog`; the owner's desk records its acts (requests, grants, emergencies) with `recordProcedure`. Readers: `openAuditReader` (verify, query, pending reviews, evidence packs) and the CLI
 * (`npm run audit -- help`).
 */

// Writing
export { openAuditLog, type AuditLog, type AuditLogOptions } from './openAuditLog';
export { instrumentAuditLog } from './instrumentAuditLog';
export type { WriterStats } from './chainWriter';
export { fieldEntryFromDecision, grantCitation } from './fieldEntry';
export {
  fieldEntriesOf,
  readableCrossing,
  hasClauseTable,
  type PlacedField,
  type StoredCrossingBody,
  type TabledCrossingBody,
} from './clauseTable';
export { recordProcedure } from './recordProcedure';
export { PROCEDURE_ACTS, PROCEDURE_REQUIRES } from './validateProcedure';
export { newDecisionId, hashOperation } from './ids';
export { requesterFields, type RequesterFields } from './requester';
// What an owner reports to the gateway with each answer (`extensions.accord`): one type, one parser.
export {
  parseOwnerReport,
  WHOLE_FETCH,
  MAX_HIT_TOKEN_LENGTH,
  type OwnerReport,
  type ParsedOwnerReport,
  type FieldReport,
  type DecisionEntry,
  type ReportedRelease,
} from './ownerReport';
export {
  openAuditLogFromEnv,
  retentionDaysFromEnv,
  ensureWriterKey,
  type AuditEnvOptions,
  type AuditFromEnv,
} from './fromEnv';

// The record model
export { RECORD_KINDS } from './types';
export type {
  CheckpointBody,
  CheckpointReason,
  CitedClause,
  CrossingBody,
  CrossingRecord,
  EmergencyDeclaration,
  EntryBody,
  FieldEntry,
  GrantCitation,
  ProcedureAct,
  ProcedureBasis,
  ProcedureBody,
  ProcedureRecord,
  ProcedureRole,
  PurgeAnchor,
  PurgeBody,
  RecordKind,
  RecordRef,
  ReviewBody,
  Side,
  StoredEntry,
} from './types';

// Reading, verifying, reviews, retention, evidence packs
export {
  openAuditReader,
  recordReview,
  purgeLog,
  type AuditReader,
  type OperatorWriter,
  type PurgeOutcome,
} from './openAuditReader';
export type { VerifyOptions, VerifyReport, ChainReport, Problem, ProblemCode } from './verifyLog';
export type { RecordQuery, QueriedRecord } from './queryRecords';
export type { PendingReview, ReviewRequest } from './reviews';
export type { RegistrationReview } from './registrationReviews';
export type { PurgeRequest } from './purge';
export {
  verifyEvidencePack,
  PACK_FORMAT,
  type PackManifest,
  type PackReport,
  type PackSelection,
} from './evidencePack';

// Keys
export { generateWriterKey, publicKeyOf } from './keys';
// The one canonical JSON that is hashed and signed (the owners' alert notices sign it too: alerts/notice.ts).
export { canonicalJson } from './canonicalJson';
export {
  readTrustedKeys,
  trustedKeysFrom,
  pinWriterKey,
  TRUSTED_KEYS_FILE,
  type TrustedKeys,
} from './trustedKeys';

// Errors
export { AuditError, AUDIT_ERROR_CODES, type AuditErrorCode } from './AuditError';
