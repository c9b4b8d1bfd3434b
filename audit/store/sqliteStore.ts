/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so a commit is on disk when it
 * returns. Commits run on a worker thread with its own connection: better-sqlite3 is synchronous and a
 * durable commit costs ~0.5 ms here (docs/architecture.md), which on the main thread would stall every request
 * of the gateway; off it, the main thread keeps serving while a commit is in flight, and the appends that
 * arrive meanwhile share the next commit (group commit). Reads use a connection on the calling thread.
 */
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { AuditError } from '../AuditError';
import type { RecordKind, RecordRef } from '../types';
import {
  COLUMNS,
  rawRowOf,
  whereOf,
  type AuditStore,
  type CommitBatch,
  type RawRow,
  type StoreFilter,
} from './AuditStore';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_records (
  chain TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL,
  prev TEXT NOT NULL, body_hash TEXT NOT NULL, hash TEXT NOT NULL, body TEXT NOT NULL,
  decision_id TEXT, case_ref TEXT, analyst TEXT, country TEXT, owner TEXT, purpose TEXT, review_hours INTEGER,
  PRIMARY KEY (chain, seq)
);
CREATE INDEX IF NOT EXISTS audit_records_at ON audit_records (at);
CREATE INDEX IF NOT EXISTS audit_records_kind ON audit_records (kind, chain, seq);
CREATE INDEX IF NOT EXISTS audit_records_decision ON audit_records (decision_id);
CREATE INDEX IF NOT EXISTS audit_records_case ON audit_records (case_ref);
CREATE INDEX IF NOT EXISTS audit_records_review ON audit_records (review_hours) WHERE review_hours IS NOT NULL;
CREATE TABLE IF NOT EXISTS audit_chains (chain TEXT PRIMARY KEY, head_seq INTEGER NOT NULL, head_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_purge_permit (one INTEGER NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_records_no_update BEFORE UPDATE ON audit_records
BEGIN SELECT RAISE(ABORT, 'audit_records is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_records_no_delete BEFORE DELETE ON audit_records
WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permit)
BEGIN SELECT RAISE(ABORT, 'audit_records is append-only: entries leave only through a logged purge'); END;
INSERT OR IGNORE INTO audit_meta (key, value) VALUES ('format', 'accord-audit/1');
`;

/**
 * The commit worker. Plain JavaScript evaluated by `new Worker(..., { eval: true })`, so that it runs the
 * same under tsx, jest and compiled code. It receives a batch (as JSON text) and applies it in one IMMEDIATE
 * transaction; `synchronous` is a per-connection setting, so it sets it on its own connection.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = ' + workerData.synchronous);
db.pragma('busy_timeout = 10000');
const insert = db.prepare('INSERT INTO audit_records (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
const head = db.prepare('INSERT INTO audit_chains (chain, head_seq, head_hash) VALUES (?, ?, ?) ON CONFLICT (chain) DO UPDATE SET head_seq = excluded.head_seq, head_hash = excluded.head_hash');
const permit = db.prepare('INSERT INTO audit_purge_permit (one) VALUES (1)');
const unpermit = db.prepare('DELETE FROM audit_purge_permit');
const remove = db.prepare('DELETE FROM audit_records WHERE chain = ? AND seq <= ?');
const apply = db.transaction((batch) => {
  if (batch.deletes && batch.deletes.length > 0) {
    permit.run();
    for (const d of batch.deletes) remove.run(d.chain, d.throughSeq);
    unpermit.run();
  }
  for (const row of batch.rows) insert.run(row);
  head.run(batch.head.chain, batch.head.seq, batch.head.hash);
});
parentPort.on('message', (message) => {
  if (message.type === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    apply.immediate(JSON.parse(message.batch));
    parentPort.postMessage({ id: message.id, ok: true });
  } catch (error) {
    parentPort.postMessage({ id: message.id, ok: false, message: String(error && error.message || error), sqliteCode: error && error.code });
  }
});
`;

export interface SqliteStoreOptions {
  /** Create the file and tables when missing (writers); readers require an existing log. */
  readonly create: boolean;
  /** `full` (default): durable commits. `off`: no fsync, for measuring what durability costs. */
  readonly durability?: 'full' | 'off';
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

export function openSqliteStore(file: string, options: SqliteStoreOptions): AuditStore {
  if (!options.create && !existsSync(file)) throw new AuditError('NO_LOG', `No audit log at ${file}.`);
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: !options.create });
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 10000');
    if (options.create) db.exec(`BEGIN IMMEDIATE; ${SCHEMA} COMMIT;`);
  } catch (error) {
    throw new AuditError('NO_LOG', `Cannot open the audit log ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const format = tableExists(db, 'audit_meta')
    ? (db.prepare("SELECT value FROM audit_meta WHERE key = 'format'").get() as { value: string } | undefined)
    : undefined;
  if (format?.value !== 'accord-audit/1') {
    db.close();
    throw new AuditError('NO_LOG', `${file} is not an Accord audit log (no audit tables).`);
  }

  const synchronous = options.durability === 'off' ? 'OFF' : 'FULL';
  let worker: Worker | undefined;
  let workerFailure: Error | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  function failAll(error: Error): void {
    workerFailure = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  }

  function startWorker(): Worker {
    const started = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver: require.resolve('better-sqlite3'), synchronous },
    });
    started.on('message', (message: { id: number; ok: boolean; message?: string; sqliteCode?: string }) => {
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.ok) waiting.resolve();
      else {
        const conflict = message.sqliteCode === 'SQLITE_CONSTRAINT_PRIMARYKEY';
        waiting.reject(
          new AuditError(
            'LOG_UNAVAILABLE',
            conflict
              ? `The audit commit was refused: another writer appended to the same chain (${message.message}). Each writer instance must be unique.`
              : `The audit commit failed: ${message.message}`,
          ),
        );
      }
    });
    started.on('error', (error) =>
      failAll(
        new AuditError('LOG_UNAVAILABLE', `The audit commit thread failed: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    started.on('exit', (code) => {
      if (pending.size > 0)
        failAll(
          new AuditError(
            'LOG_UNAVAILABLE',
            `The audit commit thread exited (code ${code}) with commits in flight.`,
          ),
        );
      worker = undefined;
    });
    return started;
  }

  const selectHead = db.prepare(
    `SELECT ${COLUMNS} FROM audit_records WHERE chain = ? ORDER BY seq DESC LIMIT 1`,
  );
  const selectLastOfKind = db.prepare(
    `SELECT ${COLUMNS} FROM audit_records WHERE chain = ? AND kind = ? ORDER BY seq DESC LIMIT 1`,
  );
  const selectHeads = db.prepare('SELECT chain, head_seq, head_hash FROM audit_chains ORDER BY chain');
  const selectChains = db.prepare('SELECT DISTINCT chain FROM audit_records ORDER BY chain');
  const selectScan = db.prepare(
    `SELECT ${COLUMNS} FROM audit_records WHERE chain = ? AND seq >= ? ORDER BY seq LIMIT ?`,
  );
  let closed = false;
  const claims: string[] = [];

  return {
    description: `sqlite:${file}`,
    claim(instance: string): Promise<void> {
      try {
        claims.push(claimInstance(file, instance));
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    writerRunning: (instance) => Promise.resolve(claimHeld(file, instance)),
    head: (chain) => Promise.resolve(optionalRow(selectHead.get(chain))),
    lastOfKind: (chain: string, kind: RecordKind) =>
      Promise.resolve(optionalRow(selectLastOfKind.get(chain, kind))),
    heads: () =>
      Promise.resolve(
        (selectHeads.all() as { chain: string; head_seq: number; head_hash: string }[]).map(
          (r): RecordRef => ({ chain: r.chain, seq: r.head_seq, hash: r.head_hash }),
        ),
      ),
    chains: () => Promise.resolve((selectChains.all() as { chain: string }[]).map((r) => r.chain)),
    scanChain: (chain, fromSeq, limit) =>
      Promise.resolve((selectScan.all(chain, fromSeq, limit) as Record<string, unknown>[]).map(rawRowOf)),
    select(filter: StoreFilter, limit: number, offset: number): Promise<RawRow[]> {
      const where = whereOf(filter, () => '?');
      const rows = db
        .prepare(`SELECT ${COLUMNS} FROM audit_records ${where.sql} ORDER BY at, chain, seq LIMIT ? OFFSET ?`)
        .all(...where.params, limit, offset);
      return Promise.resolve((rows as Record<string, unknown>[]).map(rawRowOf));
    },
    commit(batch: CommitBatch): Promise<void> {
      if (closed) return Promise.reject(new AuditError('LOG_UNAVAILABLE', 'The audit log is closed.'));
      if (workerFailure) return Promise.reject(workerFailure);
      worker ??= startWorker();
      const id = nextId++;
      const target = worker;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // One string crosses threads as a copy of its bytes; a structured clone of the row tuples cost
        // ~25 µs per row on the main thread here.
        target.postMessage({ id, batch: JSON.stringify(batch) });
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const running = worker;
      if (running) {
        const exited = new Promise<void>((done) => running.once('exit', () => done()));
        running.postMessage({ type: 'close' });
        await exited;
      }
      db.close();
      for (const lock of claims.splice(0)) releaseClaim(lock);
    },
  };
}

/** Lock files held by this process (a second writer of the same instance in the same process is refused too). */
const held = new Set<string>();

/**
 * One writer per instance and file: a lock file beside the log holding the writer's pid. A lock whose
 * process is gone (a crash, a SIGKILL) is stale and taken over, so a restarted writer is not locked out.
 */
function claimInstance(file: string, instance: string): string {
  const lock = `${file}.${instance}.writer`;
  const taken = () =>
    new AuditError(
      'LOG_UNAVAILABLE',
      `Writer instance "${instance}" is already writing to sqlite:${file}: each instance name must be used by one process at a time.`,
    );
  if (held.has(lock)) throw taken();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx', 0o644);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(lock);
      return lock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new AuditError(
          'LOG_UNAVAILABLE',
          `Cannot claim writer instance "${instance}": ${(error as Error).message}`,
        );
      const pid = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw taken();
      rmSync(lock, { force: true });
    }
  }
  throw taken();
}

/** Whether the instance's lock file names a process that is still running (this one included). */
function claimHeld(file: string, instance: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(`${file}.${instance}.writer`, 'utf8').trim());
  } catch {
    return false;
  }
  return Number.isInteger(pid) && pid > 0 && (pid === process.pid || isAlive(pid));
}

function releaseClaim(lock: string): void {
  held.delete(lock);
  rmSync(lock, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function optionalRow(row: unknown): RawRow | undefined {
  return row === undefined ? undefined : rawRowOf(row as Record<string, unknown>);
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
