/**
 * The reading side, for the CLI and for tools: verification, queries, pending reviews and evidence packs
 * over an existing log (a reader never creates one). `recordReview` and `purgeLog` write, as a writer
 * instance of their own (its own chain, sealed when they finish).
 */
import { AuditError } from './AuditError';
import { ChainWriter } from './chainWriter';
import { exportEvidencePack, type PackManifest, type PackSelection } from './evidencePack';
import { queryRecords, type QueriedRecord, type RecordQuery } from './queryRecords';
import { appendReviews, pendingReviews, planReview, type PendingReview, type ReviewRequest } from './reviews';
import { executePurge, planPurge, type PurgeRequest } from './purge';
import type { AuditStore } from './store/AuditStore';
import { openStore } from './store/openStore';
import type { PurgeBody, RecordRef } from './types';
import { verifyLog, type VerifyOptions, type VerifyReport } from './verifyLog';

export interface AuditReader {
  readonly description: string;
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  query(query: RecordQuery): Promise<QueriedRecord[]>;
  pendingReviews(now?: Date): Promise<PendingReview[]>;
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
    exportPack: (selection, outDir) => exportEvidencePack(store, selection, outDir),
    close: () => store.close(),
  };
}

/** Who writes a review or a purge: an instance name of its own and, ideally, a pinned key. */
export interface OperatorWriter {
  readonly instance: string;
  readonly privateKeyPem?: string;
}

/** Marks an emergency release (or every open one of a decision) reviewed. All checks pass before anything is written. */
export async function recordReview(url: string, writer: OperatorWriter, request: ReviewRequest): Promise<RecordRef[]> {
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
export async function purgeLog(url: string, writer: OperatorWriter, request: PurgeRequest & { readonly dryRun?: boolean }): Promise<PurgeOutcome> {
  return withWriter(url, writer, async (store, open) => {
    const plan = await planPurge(store, request);
    if (request.dryRun || plan.purged.length === 0) return { plan };
    return { plan, ref: await executePurge(await open(), plan, request.now) };
  });
}

/** Opens the store; opens the writer only if the work gets that far; always closes (sealing the chain). */
async function withWriter<T>(url: string, writer: OperatorWriter, work: (store: AuditStore, open: () => Promise<ChainWriter>) => Promise<T>): Promise<T> {
  if (typeof writer !== 'object' || writer === null) throw new AuditError('BAD_INPUT', 'A writer { instance, privateKeyPem? } is required.');
  const store = await openStore(url, { create: false });
  let opened: ChainWriter | undefined;
  try {
    return await work(store, async () => {
      opened = await ChainWriter.open(store, writer);
      return opened;
    });
  } finally {
    if (opened) await opened.close();
    else await store.close();
  }
}
