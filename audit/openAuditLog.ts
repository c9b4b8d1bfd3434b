/**
 * The door the gateway (consultations) and each owner subgraph (disclosures) write through.
 *
 *   const audit = await openAuditLog({ url: 'sqlite:/var/lib/accord/audit.db', writer: { instance: 'gw-1', privateKeyPem } });
 *   await audit.append(record);   // resolves once the record is durable; let the response go only then
 *   await audit.close();          // seals the chain with a final signed checkpoint
 */
import { AuditError } from './AuditError';
import { ChainWriter, type WitnessedCheckpoint, type WriterStats } from './chainWriter';
import { openStore } from './store/openStore';
import type { CrossingRecord, ProcedureRecord, RecordRef } from './types';
import { validateProcedureRecord } from './validateProcedure';
import { validateCrossingRecord } from './validateRecord';

export interface AuditLogOptions {
  /** `sqlite:/path/file.db` (embedded default) or `postgres://user@host:port/db` (several instances). */
  readonly url: string;
  readonly writer: {
    /** Unique per process writing to this log ("gw-1", "kh-subgraph"): it names the writer's chain. */
    readonly instance: string;
    /**
     * Ed25519 private key, PKCS#8 PEM (`npm run audit -- keygen`). Without one, a key is made for this
     * process only: checkpoints still seal the chain, but nobody can pin the key (`verify --keys`).
     */
    readonly privateKeyPem?: string;
  };
  /** A signed checkpoint after this many records (default 1000)... */
  readonly checkpointEvery?: number;
  /** ...or when records have waited this long unsealed (default 10 000 ms). */
  readonly checkpointIntervalMs?: number;
  /** `full` (default): an append resolves once on disk. `off`: no fsync; only for measuring its cost. */
  readonly durability?: 'full' | 'off';
  /**
   * Each checkpoint once durable, to keep outside the log: against kept checkpoints, `verify --witness`
   * shows a truncation even of a log with a single writer (one line of JSON per checkpoint will do).
   */
  readonly onCheckpoint?: (checkpoint: WitnessedCheckpoint) => void;
}

export interface AuditLog {
  readonly instance: string;
  /** The writer's public key (SPKI DER, base64): what `verify --keys` pins for this instance. */
  readonly publicKey: string;
  /** The log, without credentials. */
  readonly description: string;
  /**
   * Appends a consultation or disclosure record, or a desk act (`recordProcedure` says it better). Resolves
   * with its place once durable; concurrent appends share commits. Rejects with an AuditError (BAD_RECORD:
   * nothing written; LOG_UNAVAILABLE: the commit failed) — the caller must then not release the data.
   */
  append(record: CrossingRecord | ProcedureRecord): Promise<RecordRef>;
  /** Seals what was appended so far with a signed checkpoint now. */
  checkpoint(): Promise<RecordRef>;
  stats(): WriterStats;
  /** Waits for pending appends, writes the final checkpoint, and closes the store. */
  close(): Promise<void>;
}

export async function openAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  if (
    typeof options !== 'object' ||
    options === null ||
    typeof options.writer !== 'object' ||
    options.writer === null
  ) {
    throw new AuditError('BAD_INPUT', 'openAuditLog needs { url, writer: { instance, privateKeyPem? } }.');
  }
  if (options.durability !== undefined && options.durability !== 'full' && options.durability !== 'off') {
    throw new AuditError(
      'BAD_INPUT',
      `durability is "full" or "off", not ${JSON.stringify(options.durability)}.`,
    );
  }
  const store = await openStore(options.url, {
    create: true,
    ...(options.durability ? { durability: options.durability } : {}),
  });
  let writer: ChainWriter;
  try {
    writer = await ChainWriter.open(store, {
      instance: options.writer.instance,
      ...(options.writer.privateKeyPem !== undefined ? { privateKeyPem: options.writer.privateKeyPem } : {}),
      ...(options.checkpointEvery !== undefined ? { checkpointEvery: options.checkpointEvery } : {}),
      ...(options.checkpointIntervalMs !== undefined
        ? { checkpointIntervalMs: options.checkpointIntervalMs }
        : {}),
      ...(options.onCheckpoint !== undefined ? { onCheckpoint: options.onCheckpoint } : {}),
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  return {
    instance: writer.instance,
    publicKey: writer.publicKey,
    description: store.description,
    append(record: CrossingRecord | ProcedureRecord): Promise<RecordRef> {
      try {
        // A desk act names its act; a crossing its side.
        if (typeof record === 'object' && record !== null && 'act' in record) {
          const valid = validateProcedureRecord(record);
          return writer.append('procedure', valid.body, valid.at);
        }
        const valid = validateCrossingRecord(record);
        return writer.append(valid.body.side, valid.body, valid.at);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    checkpoint: () => writer.checkpoint('manual', false),
    stats: () => writer.stats(),
    close: () => writer.close(),
  };
}
