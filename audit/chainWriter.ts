/**
 * One writer instance's chain: sequence numbers, hash links, group commit and signed checkpoints.
 *
 * Appends queue in memory; one commit is in flight at a time, and everything that queued meanwhile goes
 * into the next commit, so concurrent requests share the cost of a durable commit. Sequence numbers and
 * hashes are assigned when a batch is built, from the last DURABLE head: a failed commit rejects its
 * appends and leaves no gap and no fork. A checkpoint (Ed25519 over the chain's head, plus the heads of
 * the other chains it saw) rides in the same commit as the entries it seals; one is written every
 * `checkpointEvery` entries, after `checkpointIntervalMs` with entries unsealed, on reopening a chain
 * whose tail is unsealed (after a crash), and on close (`final`). See docs/decisions/0008-audit-chain.md.
 */
import type { KeyObject } from 'node:crypto';
import { AuditError } from './AuditError';
import { canonicalJson } from './canonicalJson';
import { checkRow, refText } from './checkEntry';
import { GENESIS, entryHashOf, sha256Hex } from './hashing';
import { generateWriterKey, loadPrivateKey, publicKeyOf, signStatement } from './keys';
import { rowOf, type AuditStore } from './store/AuditStore';
import type {
  CheckpointBody,
  CheckpointReason,
  CheckpointStatement,
  EntryBody,
  RecordKind,
  RecordRef,
  StoredEntry,
} from './types';

export interface ChainWriterOptions {
  /** This writer's name and the name of its chain: unique per process writing to the log. */
  readonly instance: string;
  /** Ed25519 private key (PKCS#8 PEM) that signs checkpoints; without one, a key for this process only. */
  readonly privateKeyPem?: string;
  /** A checkpoint after this many entries (default 1000). */
  readonly checkpointEvery?: number;
  /** A checkpoint when entries have waited this long unsealed (default 10 000 ms). */
  readonly checkpointIntervalMs?: number;
  /** At most this many entries per commit (default 1000). */
  readonly maxBatch?: number;
  /**
   * Called with each checkpoint once it is durable: hand it to someone outside the log (the other side of
   * the border, a supervisor's store) and a later truncation of this log shows against it (`verify
   * --witness`). Must not throw; it runs on the commit path.
   */
  readonly onCheckpoint?: (checkpoint: WitnessedCheckpoint) => void;
}

/** A checkpoint as handed out: its place, and the statement its signature covers. */
export interface WitnessedCheckpoint extends RecordRef {
  readonly statement: CheckpointStatement;
  readonly publicKey: string;
  readonly signature: string;
}

export interface WriterStats {
  readonly appended: number;
  readonly commits: number;
  readonly checkpoints: number;
  /** Entries queued and not yet durable. */
  readonly pending: number;
}

interface Pending {
  readonly kind: RecordKind;
  readonly body: EntryBody;
  readonly at: string | undefined;
  readonly deletes?: readonly { chain: string; throughSeq: number }[];
  resolve(ref: RecordRef): void;
  reject(error: Error): void;
}

const INSTANCE = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$/;

export function validateInstance(instance: unknown): string {
  if (typeof instance !== 'string' || !INSTANCE.test(instance)) {
    throw new AuditError(
      'BAD_INPUT',
      `A writer instance is 1–100 characters of letters, digits and . _ : @ - (starting with a letter or digit), not ${JSON.stringify(instance)}.`,
    );
  }
  return instance;
}

export class ChainWriter {
  readonly instance: string;
  readonly publicKey: string;
  private readonly key: KeyObject;
  private readonly every: number;
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly onCheckpoint: ((checkpoint: WitnessedCheckpoint) => void) | undefined;
  private head: RecordRef;
  private headIsFinal = false;
  private uncovered = 0;
  private lastCheckpointMs = Date.now();
  private readonly queue: Pending[] = [];
  private checkpointWanted: { reason: CheckpointReason; final: boolean; waiters: Pending[] } | undefined;
  private flushing: Promise<void> | undefined;
  private headStale = false;
  private closing = false;
  private timer: NodeJS.Timeout | undefined;
  private counts = { appended: 0, commits: 0, checkpoints: 0 };

  private constructor(
    private readonly store: AuditStore,
    options: ChainWriterOptions,
    head: RecordRef,
  ) {
    this.instance = options.instance;
    this.key = loadPrivateKey(options.privateKeyPem ?? generateWriterKey().privateKeyPem);
    this.publicKey = publicKeyOf(this.key);
    this.every = positive(options.checkpointEvery ?? 1000, 'checkpointEvery');
    this.intervalMs = positive(options.checkpointIntervalMs ?? 10_000, 'checkpointIntervalMs');
    this.maxBatch = positive(options.maxBatch ?? 1000, 'maxBatch');
    this.onCheckpoint = options.onCheckpoint;
    this.head = head;
  }

  /** Claims the instance, finds the chain's head, and seals a tail left unsealed by a crash. */
  static async open(store: AuditStore, options: ChainWriterOptions): Promise<ChainWriter> {
    validateInstance(options.instance);
    if (options.privateKeyPem !== undefined) loadPrivateKey(options.privateKeyPem);
    await store.claim(options.instance);
    const headRow = await store.head(options.instance);
    const writer = new ChainWriter(
      store,
      options,
      headRow
        ? { chain: headRow.chain, seq: headRow.seq, hash: headRow.hash }
        : { chain: options.instance, seq: 0, hash: GENESIS },
    );
    if (headRow) {
      const tail = await writer.checkTail();
      if (tail > 0) {
        writer.uncovered = tail;
        await writer.checkpoint('recovery', false);
      } else {
        const check = checkRow(headRow);
        writer.headIsFinal =
          check.ok && check.entry.kind === 'checkpoint' && (check.entry.body as CheckpointBody).final;
      }
    }
    writer.timer = setInterval(() => writer.tick(), Math.min(writer.intervalMs, 1000));
    writer.timer.unref();
    return writer;
  }

  /** Appends one entry; resolves with its place once it is durable. */
  append(
    kind: RecordKind,
    body: EntryBody,
    at: string | undefined,
    deletes?: readonly { chain: string; throughSeq: number }[],
  ): Promise<RecordRef> {
    if (this.closing)
      return Promise.reject(
        new AuditError('LOG_UNAVAILABLE', `The audit log of ${this.instance} is closed.`),
      );
    return new Promise<RecordRef>((resolve, reject) => {
      this.queue.push({ kind, body, at, resolve, reject, ...(deletes ? { deletes } : {}) });
      this.kick();
    });
  }

  /** Writes a checkpoint over everything appended so far; resolves with the checkpoint's place. */
  checkpoint(reason: CheckpointReason, final: boolean): Promise<RecordRef> {
    return new Promise<RecordRef>((resolve, reject) => {
      const waiter: Pending = { kind: 'checkpoint', body: {} as EntryBody, at: undefined, resolve, reject };
      if (this.checkpointWanted) {
        this.checkpointWanted.final ||= final;
        this.checkpointWanted.waiters.push(waiter);
      } else this.checkpointWanted = { reason, final, waiters: [waiter] };
      this.kick();
    });
  }

  stats(): WriterStats {
    return { ...this.counts, pending: this.queue.length };
  }

  /** Waits for every queued entry, seals the chain with a final checkpoint, and closes the store. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    try {
      await this.drain();
      if (!this.headIsFinal) await this.checkpoint('close', true);
    } finally {
      await this.store.close();
    }
  }

  private async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private tick(): void {
    if (
      this.uncovered > 0 &&
      !this.checkpointWanted &&
      Date.now() - this.lastCheckpointMs >= this.intervalMs
    ) {
      this.checkpoint('interval', false).catch(() => undefined);
    }
  }

  private kick(): void {
    if (this.flushing) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0 || this.checkpointWanted) this.kick();
    });
  }

  private async flush(): Promise<void> {
    // Appends made in this same tick join the first batch.
    await new Promise<void>((done) => setImmediate(done));
    while (this.queue.length > 0 || this.checkpointWanted) {
      if (this.headStale) {
        try {
          const row = await this.store.head(this.instance);
          this.head = row
            ? { chain: row.chain, seq: row.seq, hash: row.hash }
            : { chain: this.instance, seq: 0, hash: GENESIS };
          this.headStale = false;
        } catch (error) {
          this.failAll(error);
          return;
        }
      }
      await this.commitBatch(this.takeBatch());
    }
  }

  /** The next batch: up to maxBatch plain entries, or one entry that deletes (a purge) on its own. */
  private takeBatch(): Pending[] {
    const first = this.queue[0];
    if (first?.deletes) return this.queue.splice(0, 1);
    let n = 0;
    while (n < this.queue.length && n < this.maxBatch && !this.queue[n]!.deletes) n += 1;
    return this.queue.splice(0, n);
  }

  private async commitBatch(batch: Pending[]): Promise<void> {
    const entries: StoredEntry[] = [];
    const texts: string[] = [];
    let { seq, hash } = this.head;
    const now = new Date().toISOString();
    for (const item of batch) {
      seq += 1;
      const bodyText = canonicalJson(item.body);
      const link = {
        v: 1 as const,
        chain: this.instance,
        seq,
        kind: item.kind,
        at: item.at ?? now,
        prev: hash,
        bodyHash: sha256Hex(bodyText),
      };
      hash = entryHashOf(link);
      entries.push({ ...link, hash, body: item.body });
      texts.push(bodyText);
    }
    const uncovered = this.uncovered + batch.length;
    let wanted = this.checkpointWanted;
    if (wanted) this.checkpointWanted = undefined;
    else if (uncovered >= this.every) wanted = { reason: 'count', final: false, waiters: [] };
    // Nothing to seal and nothing asked of this checkpoint but a seal: done already.
    const sealNeeded = wanted !== undefined && (uncovered > 0 || wanted.final);
    let checkpointRef: RecordRef | undefined;
    let checkpointEntry: StoredEntry | undefined;
    try {
      if (sealNeeded && wanted) {
        const checkpoint = await this.makeCheckpoint(seq, hash, now, wanted.reason, wanted.final);
        entries.push(checkpoint.entry);
        texts.push(checkpoint.text);
        seq += 1;
        hash = checkpoint.entry.hash;
        checkpointRef = { chain: this.instance, seq, hash };
        checkpointEntry = checkpoint.entry;
      }
      if (entries.length > 0) {
        const deletes = batch.find((item) => item.deletes)?.deletes;
        await this.store.commit({
          rows: entries.map((entry, i) => rowOf(entry, texts[i]!)),
          head: { chain: this.instance, seq, hash },
          ...(deletes ? { deletes } : {}),
        });
        this.counts.commits += 1;
      }
    } catch (error) {
      // The store may or may not hold the batch (a lost connection): read the head again before the next.
      this.headStale = true;
      const failure =
        error instanceof AuditError
          ? error
          : new AuditError('LOG_UNAVAILABLE', `The audit commit failed: ${(error as Error).message}`, {
              cause: error,
            });
      for (const item of batch) item.reject(failure);
      for (const waiter of wanted?.waiters ?? []) waiter.reject(failure);
      return;
    }
    this.head = { chain: this.instance, seq, hash };
    this.counts.appended += batch.length;
    batch.forEach((item, i) =>
      item.resolve({ chain: this.instance, seq: entries[i]!.seq, hash: entries[i]!.hash }),
    );
    if (checkpointRef && checkpointEntry) {
      this.counts.checkpoints += 1;
      this.announce(checkpointRef, checkpointEntry);
      this.uncovered = 0;
      this.lastCheckpointMs = Date.now();
      this.headIsFinal = wanted?.final ?? false;
    } else {
      this.uncovered = uncovered;
      this.headIsFinal = false;
    }
    const sealed = checkpointRef ?? this.head;
    for (const waiter of wanted?.waiters ?? []) waiter.resolve(sealed);
  }

  private announce(ref: RecordRef, entry: StoredEntry): void {
    if (!this.onCheckpoint) return;
    const body = entry.body as CheckpointBody;
    try {
      this.onCheckpoint({
        ...ref,
        statement: {
          chain: ref.chain,
          seq: body.seq,
          hash: body.hash,
          at: entry.at,
          final: body.final,
          witnessed: body.witnessed,
        },
        publicKey: body.publicKey,
        signature: body.signature,
      });
    } catch {
      // A witness that fails must not fail the appends the checkpoint sealed: they are durable already.
    }
  }

  private async makeCheckpoint(
    seq: number,
    hash: string,
    at: string,
    reason: CheckpointReason,
    final: boolean,
  ): Promise<{ entry: StoredEntry; text: string }> {
    const witnessed = (await this.store.heads()).filter((head) => head.chain !== this.instance);
    const statement: CheckpointStatement = { chain: this.instance, seq, hash, at, final, witnessed };
    const body: CheckpointBody = {
      seq,
      hash,
      final,
      witnessed,
      reason,
      publicKey: this.publicKey,
      signature: signStatement(statement, this.key),
    };
    const text = canonicalJson(body);
    const link = {
      v: 1 as const,
      chain: this.instance,
      seq: seq + 1,
      kind: 'checkpoint' as const,
      at,
      prev: hash,
      bodyHash: sha256Hex(text),
    };
    return { entry: { ...link, hash: entryHashOf(link), body }, text };
  }

  /**
   * How many entries follow the chain's last checkpoint, after checking that they link up: a writer does
   * not sign over a tail it cannot vouch for (the log was tampered with; `npm run audit -- verify` says
   * where), so it refuses to open instead.
   */
  private async checkTail(): Promise<number> {
    const last = await this.store.lastOfKind(this.instance, 'checkpoint');
    const rows = await this.store.scanChain(this.instance, last ? last.seq : 0, Number.MAX_SAFE_INTEGER);
    let prev: string | undefined;
    for (const row of rows) {
      const check = checkRow(row);
      if (!check.ok) throw refuse(this.instance, `${refText(row)}: ${check.why}`);
      if (prev !== undefined && row.prev !== prev)
        throw refuse(this.instance, `${refText(row)} does not link to the entry before it`);
      prev = row.hash;
    }
    if (rows.at(-1)?.hash !== this.head.hash)
      throw refuse(this.instance, `the head ${refText(this.head)} moved while the writer opened`);
    return rows.length - (last ? 1 : 0);
  }

  private failAll(error: unknown): void {
    const failure =
      error instanceof AuditError
        ? error
        : new AuditError('LOG_UNAVAILABLE', `The audit log failed: ${(error as Error).message}`, {
            cause: error,
          });
    for (const item of this.queue.splice(0)) item.reject(failure);
    for (const waiter of this.checkpointWanted?.waiters ?? []) waiter.reject(failure);
    this.checkpointWanted = undefined;
  }
}

function refuse(instance: string, why: string): AuditError {
  return new AuditError(
    'LOG_UNAVAILABLE',
    `Writer ${instance} will not continue its chain: ${why}. Run \`npm run audit -- verify\` to see what happened.`,
  );
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw new AuditError('BAD_INPUT', `${name} must be a whole number ≥ 1, not ${JSON.stringify(value)}.`);
  return value;
}
