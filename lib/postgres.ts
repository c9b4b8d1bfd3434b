import { Pool, type ClientBase, type PoolClient } from 'pg';

/**
 * What Accord's PostgreSQL stores do alike (the audit log's store, the hub's alert log, the members'
 * shared search budget and replay cache): name the database without its password, create their tables in
 * one transaction under an advisory lock, and run a pool whose broken idle connections are reported
 * rather than ending the process. What each store does with an error (which error class, which words,
 * fail closed or not) stays its own.
 */

/**
 * The URL without its password, in the user part or as `?password=` (pg reads both), each shown as `***`:
 * for messages and logs, which must never carry it. An unparsable URL is not shown at all.
 */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const name of [...parsed.searchParams.keys()])
      if (name.toLowerCase() === 'password') parsed.searchParams.set(name, '***');
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** `PostgreSQL <url without its password>`: how a store says where it is. */
export function describePostgres(url: string): string {
  return `PostgreSQL ${withoutPassword(url)}`;
}

/**
 * Runs `work` in one transaction on `client`: committed when it resolves; rolled back when it throws, and
 * the error goes on.
 */
export async function inTransaction<T>(client: ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Takes the transaction-scoped advisory lock named `lock` in the transaction open on `client`: held until
 * it ends, waited for while another transaction holds it.
 */
export async function takeAdvisoryLock(client: ClientBase, lock: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lock]);
}

/**
 * Runs `work` in one transaction that first takes the transaction-scoped advisory lock named `lock`, so
 * that processes starting together do not race on CREATE TABLE.
 */
export function underAdvisoryLock<T>(client: ClientBase, lock: string, work: () => Promise<T>): Promise<T> {
  return inTransaction(client, async () => {
    await takeAdvisoryLock(client, lock);
    return work();
  });
}

export interface PoolOptions {
  /** `postgres://user@host:port/db` (or `postgresql://`, with pg's connection-string options). */
  readonly url: string;
  /** The connections' `application_name`, as the server's views show it. */
  readonly application: string;
  /** Connections at most (default 4). */
  readonly max?: number;
  /** When given, a connection and each query wait at most this long, then fail. */
  readonly timeoutMs?: number;
  /** An idle connection broke (the server restarted): the pool drops it; without a listener the process would end. */
  readonly onError: (error: Error) => void;
  /** The lock `prepare` runs under (`accord-<store>:schema`). */
  readonly schemaLock: string;
  /** Creates or updates the store's tables, on one connection, in the lock's transaction. */
  readonly prepare: (client: PoolClient) => Promise<void>;
}

/**
 * A pool whose store is ready: `prepare` has run and committed. When anything of that fails, the pool is
 * ended and the error goes on, for the store to say what it could not open.
 */
export async function openPool(options: PoolOptions): Promise<Pool> {
  const pool = new Pool({
    connectionString: options.url,
    application_name: options.application,
    max: options.max ?? 4,
    ...(options.timeoutMs !== undefined && {
      connectionTimeoutMillis: options.timeoutMs,
      query_timeout: options.timeoutMs,
    }),
  });
  pool.on('error', options.onError);
  try {
    await withConnection(pool, (client) =>
      underAdvisoryLock(client, options.schemaLock, () => options.prepare(client)),
    );
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return pool;
}

/** Runs `work` on one connection of `pool`, given back to the pool after, whatever happened. */
export async function withConnection<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}
