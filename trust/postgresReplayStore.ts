/**
 * The replay store that all of a member's processes share: one PostgreSQL table of the gateway tokens'
 * `jti`s, keyed by (audience, jti), each row kept until its token is refused as expired anyway.
 *
 * "First seen" is decided by the database, atomically across processes: `INSERT … ON CONFLICT DO NOTHING`
 * inserts one row or none, so of two processes offered the same token at the same moment exactly one
 * admits it. The database never answers for a token it could not check: when it cannot be reached (or does
 * not answer within `timeoutMs`), `admit` rejects and the verifier refuses the call (503), never accepts it.
 *
 * Bounded by expiry, not by a count: a row lives at most the token's lifetime plus the clock tolerance
 * (≤ 65 s) plus PURGE_GRACE_SECONDS plus one purge interval, and only a token that passed every other check (the gateway's
 * signature first) reaches the table, so its size follows the gateway's traffic, not an attacker's.
 * Expired rows are purged by the calls themselves, at most once per `purgeIntervalMs`, in batches of
 * `purgeBatch` rows, each beside an insert and never in its way.
 */
import type { Pool } from 'pg';
import { describePostgres, openPool, withoutPassword } from '../lib/postgres';
import { TrustConfigError } from './TrustError';
import type { Admission, ReplayStore } from './replayStore';

// Under a transaction-scoped advisory lock, so that processes starting together do not race on CREATE.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS accord_replay (
  audience TEXT NOT NULL,
  jti TEXT NOT NULL,
  forget_after DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (audience, jti)
);
CREATE INDEX IF NOT EXISTS accord_replay_expiry ON accord_replay (audience, forget_after);
`;

const ADMIT =
  'INSERT INTO accord_replay (audience, jti, forget_after) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING';

// A bounded batch, so that a purge after a quiet spell never holds locks or the connection for long.
const PURGE = `DELETE FROM accord_replay WHERE ctid = ANY (ARRAY (
  SELECT ctid FROM accord_replay WHERE audience = $1 AND forget_after <= $2 LIMIT $3))`;

/**
 * How long after its `forget_after` (in the purging process's clock) a row is still kept. Each process
 * purges by its own clock: without this margin, a process whose clock runs ahead would delete a row that
 * a process behind it still needs (it still takes the token for unexpired) and that one would admit the
 * replay; so would a call that waited for a connection while a later call purged. It covers clock
 * differences between a member's processes and the calls' waits (trust/README.md: keep the clocks within
 * it, with NTP).
 */
export const PURGE_GRACE_SECONDS = 300;

export interface PostgresReplayStoreOptions {
  /** `postgres://user@host:port/db` (or `postgresql://`). */
  readonly url: string;
  /** A call waits at most this long for a connection or an answer, then is refused (default 2,000 ms). */
  readonly timeoutMs?: number;
  /** Connections per process (default 4). */
  readonly maxConnections?: number;
  /** Expired rows are purged at most this often, in the token's clock (default 10 s). */
  readonly purgeIntervalSeconds?: number;
  /** Rows per purge (default 1,000); a full batch makes the next call purge again. */
  readonly purgeBatch?: number;
  /** A purge failed, or an idle connection broke: the calls go on (a failing insert is refused anyway). */
  readonly onError?: (error: Error) => void;
}

export async function openPostgresReplayStore(options: PostgresReplayStoreOptions): Promise<ReplayStore> {
  const { url } = options;
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\/./.test(url))
    throw new TrustConfigError(
      `openPostgresReplayStore: the URL must be "postgres://user@host:port/db", not ${JSON.stringify(withoutPassword(String(url)))}.`,
    );
  const description = describePostgres(url);
  const timeoutMs = options.timeoutMs ?? 2_000;
  const purgeInterval = options.purgeIntervalSeconds ?? 10;
  const purgeBatch = options.purgeBatch ?? 1_000;
  const onError = options.onError ?? (() => undefined);
  let pool: Pool;
  try {
    pool = await openPool({
      url,
      application: 'accord-replay',
      max: options.maxConnections ?? 4,
      timeoutMs,
      // An idle connection that breaks (the server restarted) is dropped by the pool.
      onError: (error) => onError(unavailable(description, 'a connection broke', error)),
      schemaLock: 'accord-replay:schema',
      prepare: async (client) => {
        await client.query(SCHEMA);
      },
    });
  } catch (error) {
    throw new TrustConfigError(
      `Cannot open the shared replay store ${description}: ${(error as Error).message}`,
      { cause: error },
    );
  }

  /** The audiences this process admitted for: the only rows it purges (each by its own clock). */
  const audiences = new Map<string, number>();

  function purgeIfDue(audience: string, now: number): Promise<void> | undefined {
    const last = audiences.get(audience) ?? Number.NEGATIVE_INFINITY;
    if (now - last < purgeInterval) return undefined;
    audiences.set(audience, now);
    return pool.query(PURGE, [audience, now - PURGE_GRACE_SECONDS, purgeBatch]).then(
      (result) => {
        // A full batch: more may be waiting, so the next call purges again.
        if ((result.rowCount ?? 0) >= purgeBatch) audiences.set(audience, Number.NEGATIVE_INFINITY);
      },
      (error: Error) => onError(unavailable(description, 'a purge of expired entries failed', error)),
    );
  }

  let closed = false;
  return {
    description,
    async admit(audience, jti, forgetAfter, now): Promise<Admission> {
      if (closed) throw new Error(`The shared replay store ${description} is closed.`);
      const purge = purgeIfDue(audience, now);
      let inserted: number;
      try {
        inserted = (await pool.query(ADMIT, [audience, jti, forgetAfter])).rowCount ?? 0;
      } catch (error) {
        throw unavailable(description, 'cannot record a gateway token', error as Error);
      } finally {
        // Beside the insert, on another connection; awaited so that a call leaves nothing running behind it.
        await purge;
      }
      return inserted === 1 ? 'admitted' : 'replayed';
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

function unavailable(description: string, what: string, cause: Error): Error {
  return new Error(`The shared replay store ${description}: ${what}: ${cause.message}`, { cause });
}
