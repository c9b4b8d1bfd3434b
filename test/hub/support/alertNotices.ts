/**
 * What the hub's alert-log tests share: owners' notice keys, signed notices as a relay sends them, watch
 * registrations, and the two stores (SQLite in a temporary folder; PostgreSQL on a real server started on
 * loopback, test/audit/support/postgres.ts). Members, event kinds and categories come from the registry
 * and the vocabulary.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EVENT_KINDS,
  noticeBytes,
  noticeIdOf,
  noticePublicKey,
  signNotice,
  type Notice,
} from '../../../alerts';
import { MEMBERS } from '../../../schema';
import { CATEGORIES, PURPOSES } from '../../../vocabulary';
import {
  openPostgresAlertLog,
  openSqliteAlertLog,
  pinnedNoticeKeys,
  type AlertLog,
  type NoticeKeys,
  type WatchRegistration,
  type WireNotice,
} from '../../../subgraphs/alliance';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { findPostgresBin, startPostgres, type PostgresServer } from '../../audit/support/postgres';

export const CODES: readonly string[] = MEMBERS.map((member) => member.code);

/** Each member's notice key: all pinned, but the last member's, which the hub does not know. */
export const OWNER_KEYS: ReadonlyMap<string, KeyObject> = new Map(
  CODES.map((code) => [code, generateKeyPairSync('ed25519').privateKey]),
);
export const UNPINNED = CODES[CODES.length - 1]!;

export function pinnedKeys(): NoticeKeys {
  const pinned = Object.fromEntries(
    CODES.filter((code) => code !== UNPINNED).map((code) => [code, noticePublicKey(OWNER_KEYS.get(code)!)]),
  );
  return pinnedNoticeKeys(JSON.stringify(pinned), CODES);
}

/** A fixed instant; the stores' clock in these tests. */
export const T0 = Date.parse('2026-06-15T09:00:00Z');

export function watchId(watcher: string): string {
  return `${watcher}-WCH-${randomUUID()}`;
}

/** The notice `owner` emits for the n-th event on a record matching `watch`. */
export function noticeFor(owner: string, watch: string, n: number): Notice {
  const eventReference = `${owner}-EVT-${String(n).padStart(9, '0')}`;
  return {
    owner,
    noticeId: noticeIdOf(owner, watch, eventReference),
    watchId: watch,
    watcher: watch.slice(0, 2),
    event: EVENT_KINDS[n % EVENT_KINDS.length]!,
    at: new Date(T0 + n).toISOString(),
    subject: `${owner}-SUS-${String(n).padStart(6, '0')}`,
    eventReference,
    basis: [
      {
        category: CATEGORIES[1 + (n % (CATEGORIES.length - 1))]!,
        agreement: 'test-agreement',
        clause: 'art-1',
      },
    ],
    revision: 'test-revision',
  };
}

/** As a relay sends it: the signed bytes and the signature, by the owner's own key unless `key` says otherwise. */
export function wire(notice: Notice, key: KeyObject = OWNER_KEYS.get(notice.owner)!): WireNotice {
  return { body: noticeBytes(notice).toString('utf8'), signature: signNotice(notice, key).signature };
}

export function registration(
  id: string,
  analyst: string,
  overrides: Partial<WatchRegistration> = {},
): WatchRegistration {
  const watcher = id.slice(0, 2);
  return {
    id,
    watcher,
    analyst,
    caseReference: `${watcher}-CASE-1`,
    purpose: PURPOSES[0],
    createdAt: T0,
    expiresAt: T0 + 86_400_000,
    recipients: CODES.filter((code) => code !== watcher),
    ...overrides,
  };
}

export interface OpenOptions {
  readonly now?: () => number;
  readonly keys?: NoticeKeys;
  /** PostgreSQL only: runs inside each append's transaction before it commits. */
  readonly beforeCommit?: () => Promise<void>;
  /** Reopen the store `place` names (the same file or database) instead of a new one. */
  readonly place?: string;
  /**
   * A new store whose cursor key is this one (64 hex digits) rather than one of its own: two stores with
   * the same key give the same cursors for the same positions, so that tests can compare them.
   */
  readonly cursorKey?: string;
}

export interface LogBackend {
  readonly name: 'sqlite' | 'postgres';
  /** A new, empty store (or the one at `place`), and where it is. */
  open(options?: OpenOptions): Promise<{ log: AlertLog; place: string }>;
  /** Runs statements on the closed store at `place`, in one transaction (to build a store as an older hub left it). */
  exec(place: string, statements: readonly string[]): Promise<void>;
  /** The rows one query (no parameters) reads from the store at `place`, open or closed. */
  rows(place: string, query: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** The row of the store's own cursor key (subgraphs/alliance/alertLog/cursor.ts), replaced by `key`. */
const SET_CURSOR_KEY = "UPDATE alert_meta SET value = $1 WHERE name = 'cursor-key'";

export function sqliteLogBackend(): LogBackend {
  const dir = mkdtempSync(join(tmpdir(), 'accord-alert-log-'));
  let n = 0;
  return {
    name: 'sqlite',
    async open(options = {}) {
      const place = options.place ?? join(dir, `alerts-${++n}.sqlite`);
      if (options.cursorKey !== undefined) {
        // Made with a key of its own, which is then replaced while it is closed.
        await openSqliteAlertLog({ file: place, keys: pinnedKeys() }).close();
        const db = new Database(place);
        db.prepare(SET_CURSOR_KEY.replace('$1', '?')).run(options.cursorKey);
        db.close();
      }
      const log = openSqliteAlertLog({
        file: place,
        keys: options.keys ?? pinnedKeys(),
      });
      return { log, place };
    },
    exec(place, statements) {
      const db = new Database(place);
      try {
        db.transaction(() => statements.forEach((statement) => db.exec(statement)))();
      } finally {
        db.close();
      }
      return Promise.resolve();
    },
    rows(place, query) {
      const db = new Database(place, { readonly: true });
      try {
        return Promise.resolve(db.prepare(query).all() as Record<string, unknown>[]);
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

export async function postgresLogBackend(): Promise<LogBackend> {
  const started = await startPostgres();
  if (!started.server) throw new Error(started.skip);
  const server: PostgresServer = started.server;
  return {
    name: 'postgres',
    async open(options = {}) {
      const place = options.place ?? (await server.createDatabase());
      if (options.cursorKey !== undefined) {
        await (await openPostgresAlertLog({ url: place, keys: pinnedKeys() })).close();
        const client = new Client({ connectionString: place });
        await client.connect();
        try {
          await client.query(SET_CURSOR_KEY, [options.cursorKey]);
        } finally {
          await client.end();
        }
      }
      const log = await openPostgresAlertLog({
        url: place,
        keys: options.keys ?? pinnedKeys(),
        ...(options.beforeCommit ? { beforeCommit: options.beforeCommit } : {}),
      });
      return { log, place };
    },
    async exec(place, statements) {
      const client = new Client({ connectionString: place });
      await client.connect();
      try {
        await client.query('BEGIN');
        for (const statement of statements) await client.query(statement);
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
    },
    async rows(place, query) {
      const client = new Client({ connectionString: place });
      await client.connect();
      try {
        return (await client.query<Record<string, unknown>>(query)).rows;
      } finally {
        await client.end();
      }
    },
    close: () => server.stop(),
  };
}

/**
 * Whether these tests run on PostgreSQL: as the audit tests do, a missing PostgreSQL fails in CI and is
 * skipped elsewhere, with a message.
 */
export function postgresAvailable(): boolean {
  if (findPostgresBin() !== undefined) return true;
  if (process.env['CI'] === 'true')
    throw new Error(
      'PostgreSQL is not installed, and CI must run the PostgreSQL alert-log tests: `apt-get install -y postgresql`.',
    );
  console.warn(
    'Skipping the PostgreSQL alert-log tests: PostgreSQL is not installed (`apt-get install -y postgresql` to run them).',
  );
  return false;
}
