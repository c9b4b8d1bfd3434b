/**
 * The shared store for deployments with several gateway instances: PostgreSQL through a connection string.
 * One connection per store, not a pool (lib/postgres.ts): `claim`'s writer lock belongs to the session that
 * takes it, and the named append is prepared once on it. pg does not block the event loop, so the appends that arrive while a commit
 * is in flight simply share the next one (group commit). A commit without deletions is one statement (an
 * implicit transaction, one round trip): the rows go in as one JSON parameter through
 * `json_populate_recordset`, so a batch of any size needs four parameters. Commits are durable with PostgreSQL's defaults (`fsync` and
 * `synchronous_commit` on); `durability: 'off'` sets `synchronous_commit = off` for measuring.
 */
import { Client } from 'pg';
import { underAdvisoryLock, withoutPassword } from '../../lib/postgres';
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

// The migration runs under a transaction-scoped advisory lock, so instances starting together do not race.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_records (
  chain TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL,
  prev TEXT NOT NULL, body_hash TEXT NOT NULL, hash TEXT NOT NULL, body TEXT NOT NULL,
  decision_id TEXT, case_ref TEXT, analyst TEXT, country TEXT, owner TEXT, purpose TEXT, review_hours INTEGER,
  PRIMARY KEY (chain, seq)
);
CREATE INDEX IF NOT EXISTS audit_records_at ON audit_records (at);
CREATE INDEX IF NOT EXISTS audit_records_kind ON audit_records (kind, chain, seq);
CREATE INDEX IF NOT EXISTS audit_records_decision ON audit_records (decision_id);
CREATE INDEX IF NOT EXISTS audit_records_case ON audit_records (case_ref);
CREATE INDEX IF NOT EXISTS audit_records_review ON audit_records (review_hours) WHERE review_hours IS NOT NULL;
CREATE TABLE IF NOT EXISTS audit_chains (chain TEXT PRIMARY KEY, head_seq BIGINT NOT NULL, head_hash TEXT NOT NULL);
CREATE OR REPLACE FUNCTION audit_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('accord.audit_purge', true) = 'on' THEN RETURN OLD; END IF;
  RAISE EXCEPTION 'audit_records is append-only: entries leave only through a logged purge';
END $$;
CREATE OR REPLACE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records
  FOR EACH ROW EXECUTE FUNCTION audit_records_append_only();
INSERT INTO audit_meta (key, value) VALUES ('format', 'accord-audit/1') ON CONFLICT (key) DO NOTHING;
`;

const INSERT = `
WITH inserted AS (
  INSERT INTO audit_records (${COLUMNS})
  SELECT ${COLUMNS} FROM json_populate_recordset(NULL::audit_records, $1::json)
  RETURNING 1
)
INSERT INTO audit_chains (chain, head_seq, head_hash) VALUES ($2, $3, $4)
ON CONFLICT (chain) DO UPDATE SET head_seq = excluded.head_seq, head_hash = excluded.head_hash`;

const COLUMN_NAMES = COLUMNS.split(', ');

export interface PostgresStoreOptions {
  readonly create: boolean;
  readonly durability?: 'full' | 'off';
}

export async function openPostgresStore(url: string, options: PostgresStoreOptions): Promise<AuditStore> {
  const description = withoutPassword(url);
  const client = new Client({ connectionString: url, application_name: 'accord-audit' });
  // A connection that breaks later must reject the commit in flight, not crash the process.
  let broken: Error | undefined;
  client.on('error', (error) => {
    broken = new AuditError(
      'LOG_UNAVAILABLE',
      `The audit log connection to ${description} failed: ${error.message}`,
      { cause: error },
    );
  });
  try {
    await client.connect();
  } catch (error) {
    throw new AuditError(
      'NO_LOG',
      `Cannot connect to the audit log ${description}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    if (options.create)
      await underAdvisoryLock(client, 'accord-audit:schema', async () => {
        await client.query(SCHEMA);
      });
    const exists = await client.query<{ ok: boolean }>("SELECT to_regclass('audit_meta') IS NOT NULL AS ok");
    const format = exists.rows[0]?.ok
      ? await client.query<{ value: string }>("SELECT value FROM audit_meta WHERE key = 'format'")
      : undefined;
    if (format?.rows[0]?.value !== 'accord-audit/1')
      throw new AuditError('NO_LOG', `${description} holds no Accord audit log (no audit tables).`);
    // Explicitly: a server configured with synchronous_commit = off would break "resolved means durable".
    await client.query(
      options.durability === 'off' ? 'SET synchronous_commit = off' : 'SET synchronous_commit = on',
    );
  } catch (error) {
    await client.end().catch(() => undefined);
    if (error instanceof AuditError) throw error;
    throw new AuditError(
      'NO_LOG',
      `Cannot prepare the audit log ${description}: ${(error as Error).message}`,
      { cause: error },
    );
  }

  const rows = async (sql: string, params: unknown[]): Promise<RawRow[]> => {
    if (broken) throw broken;
    const result = await client.query<Record<string, unknown>>(sql, params);
    return result.rows.map(rawRowOf);
  };
  let closed = false;

  return {
    description,
    async claim(instance: string): Promise<void> {
      const result = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
        [`accord-audit:writer:${instance}`],
      );
      if (!result.rows[0]?.ok) {
        throw new AuditError(
          'LOG_UNAVAILABLE',
          `Writer instance "${instance}" is already writing to ${description}: each instance name must be used by one process at a time.`,
        );
      }
    },
    async writerRunning(instance: string): Promise<boolean> {
      // The lock `claim` takes, as pg_locks shows a bigint advisory key: high half in classid, low half in
      // objid, objsubid 1. Looking is enough; trying to take it would race a writer that is reopening.
      const result = await client.query<{ held: boolean }>(
        `SELECT EXISTS (
           SELECT 1 FROM pg_locks, (SELECT hashtextextended($1, 0) AS k) AS lock
           WHERE locktype = 'advisory' AND granted AND objsubid = 1
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND classid::bigint = ((lock.k >> 32) & 4294967295) AND objid::bigint = (lock.k & 4294967295)
         ) AS held`,
        [`accord-audit:writer:${instance}`],
      );
      return result.rows[0]?.held === true;
    },
    head: async (chain) =>
      (
        await rows(`SELECT ${COLUMNS} FROM audit_records WHERE chain = $1 ORDER BY seq DESC LIMIT 1`, [chain])
      )[0],
    lastOfKind: async (chain: string, kind: RecordKind) =>
      (
        await rows(
          `SELECT ${COLUMNS} FROM audit_records WHERE chain = $1 AND kind = $2 ORDER BY seq DESC LIMIT 1`,
          [chain, kind],
        )
      )[0],
    async heads(): Promise<RecordRef[]> {
      const result = await client.query<{ chain: string; head_seq: string; head_hash: string }>(
        'SELECT chain, head_seq, head_hash FROM audit_chains ORDER BY chain',
      );
      return result.rows.map((r) => ({ chain: r.chain, seq: Number(r.head_seq), hash: r.head_hash }));
    },
    async chains(): Promise<string[]> {
      const result = await client.query<{ chain: string }>(
        'SELECT DISTINCT chain FROM audit_records ORDER BY chain',
      );
      return result.rows.map((r) => r.chain);
    },
    scanChain: (chain, fromSeq, limit) =>
      rows(`SELECT ${COLUMNS} FROM audit_records WHERE chain = $1 AND seq >= $2 ORDER BY seq LIMIT $3`, [
        chain,
        fromSeq,
        limit,
      ]),
    select(filter: StoreFilter, limit: number, offset: number): Promise<RawRow[]> {
      const where = whereOf(filter, (i) => `$${i}`);
      const n = where.params.length;
      return rows(
        `SELECT ${COLUMNS} FROM audit_records ${where.sql} ORDER BY at, chain, seq LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...where.params, limit, offset],
      );
    },
    async commit(batch: CommitBatch): Promise<void> {
      if (closed) throw new AuditError('LOG_UNAVAILABLE', 'The audit log is closed.');
      if (broken) throw broken;
      // One JSON parameter for the whole batch: JSON.stringify is native and fast, where pg's array
      // literals (escaping every body inside them) cost the main thread more than the commit did.
      const objects = batch.rows.map((row) =>
        Object.fromEntries(COLUMN_NAMES.map((name, i) => [name, row[i]])),
      );
      const params = [JSON.stringify(objects), batch.head.chain, batch.head.seq, batch.head.hash];
      try {
        if (!batch.deletes || batch.deletes.length === 0) {
          // Named: the server parses and plans the append once per connection, not once per commit.
          await client.query({ name: 'accord-audit-append', text: INSERT, values: params });
          return;
        }
        await client.query('BEGIN');
        try {
          await client.query("SET LOCAL accord.audit_purge = 'on'");
          for (const d of batch.deletes)
            await client.query('DELETE FROM audit_records WHERE chain = $1 AND seq <= $2', [
              d.chain,
              d.throughSeq,
            ]);
          await client.query("SET LOCAL accord.audit_purge = 'off'");
          await client.query({ name: 'accord-audit-append', text: INSERT, values: params });
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      } catch (error) {
        if (error instanceof AuditError) throw error;
        const conflict = (error as { code?: string }).code === '23505';
        throw new AuditError(
          'LOG_UNAVAILABLE',
          conflict
            ? `The audit commit was refused: another writer appended to the same chain (${(error as Error).message}). Each writer instance must be unique.`
            : `The audit commit to ${description} failed: ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await client.end().catch(() => undefined);
    },
  };
}
