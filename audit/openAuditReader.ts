/**
 * The reading side, for the CLI and for tools: verification, queries, pending reviews and evidence packs
 * over an existing log (a reader never creates one). `recordReview` and `purgeLog` write, as a writer
 * instance of their own (its own chain, sealed when they finish).
 */
import { AuditError } from './AuditError';
import { ChainWriter, validateInstance } from './chainWriter';
import { publicKeyOf } from './keys';
import { exportEvidencePack, type PackManifest, type PackSelection } from './evidencePack';
import { queryRecords, type QueriedRecord, type RecordQuery } from './queryRecords';
import { appendReviews, pendingReviews, planReview, type PendingReview, type ReviewRequest } from './reviews';
import { registrationReviews, type RegistrationReview } from './registrationReviews';
import type { EmergencyRegistration } from '../emergencies';
import { executePurge, planPurge, type PurgeRequest } from './purge';
import type { AuditStore } from './store/AuditStore';
import { openStore } from './store/openStore';
import { TRUSTED_KEYS_FILE, type TrustedKeys } from './trustedKeys';
import type { PurgeBody, RecordRef } from './types';
import { verifyLog, type VerifyOptions, type VerifyReport } from './verifyLog';

export interface AuditReader {
  readonly description: string;
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  query(query: RecordQuery): Promise<QueriedRecord[]>;
  pendingReviews(now?: Date): Promise<PendingReview[]>;
  /** Every registered emergency with the releases of this log that relied on it and their reviews. */
  registrationReviews(
    registrations: readonly EmergencyRegistration[],
    reviewHours: number,
    now?: Date,
  ): Promise<RegistrationReview[]>;
  exportPack(selection: PackSelection, outDir: string): Promise<PackManifest>;
  close(): Promise<void>;
}

export async function openAuditReader(url: string): Promise<AuditReader> {
  const store = await openStore(url, { create: false });
  return {
    description: store.description,
    verify: (options) => verifyLog(store, options),
    query: (query) => queryRecords(store, query),
    pendingReviews: (now) => pendingReviews(store, now),
    registrationReviews: (registrations, reviewHours, now) =>
      registrationReviews(store, registrations, reviewHours, now),
    exportPack: (selection, outDir) => exportEvidencePack(store, selection, outDir),
    close: () => store.close(),
  };
}

/**
 * Who writes a review or a purge: an instance name of its own, its private key, and the trusted keys
 * (`verify --keys`) that must pin that key for the instance. Only reading (a dry run) goes without them.
 */
export interface OperatorWriter {
  readonly instance: string;
  readonly privateKeyPem?: string;
  readonly trustedKeys?: TrustedKeys;
}

/** Marks an emergency release (or every open one of a decision) reviewed. All checks pass before anything is written. */
export async function recordReview(
  url: string,
  writer: OperatorWriter,
  request: ReviewRequest,
): Promise<RecordRef[]> {
  return withWriter(url, writer, async (store, open) => {
    const plans = await planReview(store, request);
    return appendReviews(await open(), plans, request.now);
  });
}

export interface PurgeOutcome {
  readonly plan: PurgeBody;
  /** The purge entry, when one was written (not on a dry run, nor when nothing was due). */
  readonly ref?: RecordRef;
}

/** Purges what is past the retention period, through a logged purge; `dryRun` only says what it would do. */
export async function purgeLog(
  url: string,
  writer: OperatorWriter,
  request: PurgeRequest & { readonly dryRun?: boolean },
): Promise<PurgeOutcome> {
  return withWriter(url, writer, async (store, open) => {
    const plan = await planPurge(store, request);
    if (request.dryRun || plan.purged.length === 0) return { plan };
    return { plan, ref: await executePurge(await open(), plan, request.now) };
  });
}

/** Opens the store; opens the writer only if the work gets that far; always closes (sealing the chain). */
async function withWriter<T>(
  url: string,
  writer: OperatorWriter,
  work: (store: AuditStore, open: () => Promise<ChainWriter>) => Promise<T>,
): Promise<T> {
  if (typeof writer !== 'object' || writer === null)
    throw new AuditError('BAD_INPUT', 'A writer { instance, privateKeyPem? } is required.');
  const store = await openStore(url, { create: false });
  let opened: ChainWriter | undefined;
  try {
    return await work(store, async () => {
      opened = await ChainWriter.open(store, { instance: writer.instance, privateKeyPem: pinnedKey(writer) });
      return opened;
    });
  } finally {
    if (opened) await opened.close();
    else await store.close();
  }
}

/**
 * The operator's key, once it is known to be pinned. What an operator writes is sealed by a checkpoint
 * signed with the writer's key; a key made for one run, or one the trusted keys file does not pin for the
 * instance, would make `verify --keys` report the log BROKEN from then on. So the write is refused, before
 * anything is written.
 */
function pinnedKey(writer: OperatorWriter): string {
  const instance = validateInstance(writer.instance);
  const howTo = `Make and pin one once: npm run audit -- keygen --out <keys folder>/${instance}.key --pin <keys folder>/${TRUSTED_KEYS_FILE} --instance ${instance}.`;
  if (writer.privateKeyPem === undefined || writer.trustedKeys === undefined) {
    throw new AuditError(
      'REFUSED',
      `Nothing written: writing as "${instance}" needs its private key and the trusted keys file that pins it. ${howTo}`,
    );
  }
  const publicKey = publicKeyOf(writer.privateKeyPem);
  if (!writer.trustedKeys.get(instance)?.has(publicKey)) {
    throw new AuditError(
      'REFUSED',
      `Nothing written: the key given for "${instance}" is not pinned for it in the trusted keys file, so verify --keys would report the log BROKEN. ` +
        `Pin it (add "${instance}": "${publicKey}"), or: ${howTo}`,
    );
  }
  return writer.privateKeyPem;
}
