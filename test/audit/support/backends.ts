/**
 * The two stores the audit suite runs on, with what the tests need beyond the public API: raw SQL that
 * bypasses the append-only triggers, to tamper with a log the way an intruder with database access would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { startPostgres, type PostgresServer } from './postgres';

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  /** A URL for a new, empty log. */
  newLogUrl(): Promise<string>;
  /** Runs statements (with `?` placeholders) as an intruder: append-only triggers off. */
  tamper(url: string, statements: readonly (readonly [string, ...unknown[]])[]): Promise<void>;
  /** Reads rows (with `?` placeholders). */
  rows<T = Record<string, unknown>>(url: string, sql: string, ...params: unknown[]): Promise<T[]>;
  /** Runs one statement as an ordinary client would (the triggers apply). */
  exec(url: string, sql: string, ...params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'accord-audit-'));
  let n = 0;
  const file = (url: string) => url.slice('sqlite:'.length);
  return {
    name: 'sqlite',
    newLogUrl: () => Promise.resolve(`sqlite:${join(dir, `log-${++n}.db`)}`),
    async tamper(url, statements) {
      await Promise.resolve();
      const db = new Database(file(url));
      try {
        db.exec(
          'DROP TRIGGER IF EXISTS audit_records_no_update; DROP TRIGGER IF EXISTS audit_records_no_delete;',
        );
        db.transaction(() => {
          for (const [sql, ...params] of statements) db.prepare(sql).run(...params);
        })();
      } finally {
        db.close();
      }
    },
    async rows<T>(url: string, sql: string, ...params: unknown[]) {
      await Promise.resolve();
      const db = new Database(file(url), { readonly: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    async exec(url, sql, ...params) {
      await Promise.resolve();
      const db = new Database(file(url));
      try {
        db.prepare(sql).run(...params);
      } finally {
        db.close();
      }
    },
    close() {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/** `?` → `$1`, `$2`, … */
function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

export async function postgresBackend(): Promise<Backend | { skip: string }> {
  const started = await startPostgres();
  if (!started.server) return { skip: started.skip };
  const server: PostgresServer = started.server;
  const withClient = async <T>(url: string, work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    name: 'postgres',
    newLogUrl: () => server.createDatabase(),
    tamper: (url, statements) =>
      withClient(url, async (client) => {
        await client.query('BEGIN');
        // A superuser can switch triggers off: what an intruder with the database's keys would do.
        await client.query('SET LOCAL session_replication_role = replica');
        for (const [sql, ...params] of statements) await client.query(numbered(sql), params);
        await client.query('COMMIT');
      }),
    rows: <T>(url: string, sql: string, ...params: unknown[]) =>
      withClient(url, async (client) => (await client.query(numbered(sql), params)).rows as T[]),
    exec: (url, sql, ...params) =>
      withClient(url, async (client) => {
        await client.query(numbered(sql), params);
      }),
    close: () => server.stop(),
  };
}
