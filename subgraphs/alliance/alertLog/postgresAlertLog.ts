/**
 * The alert log in PostgreSQL (`ACCORD_ALERTS_URL`), for several hub processes sharing one log.
 *
 * A sequence hands out numbers when they are asked for, not when they commit: one append can draw 7,
 * another 8, and 8 can commit first. A reader that saw 8 would move its cursor past 7 and never read it.
 * So every append takes one transaction-scoped advisory lock before it draws a seq: appends run one
 * after the other and commit in seq order, and a reader that sees a seq has already been able to see
 * every smaller one (docs/decisions/0019-alert-delivery.md, "The hub's log"). Only the inserts run under
 * the lock; the signatures are checked before it is taken.
 *
 * Readers in any process are woken by `NOTIFY accord_alerts, '<watcher>'`, sent by the append's
 * transaction and delivered when it commits; each process listens on one connection of its own.
 */
import { EventEmitter } from 'node:events';
import { Client, type Pool, type PoolClient } from 'pg';
import {
  describePostgres,
  inTransaction as inOneTransaction,
  openPool,
  takeAdvisoryLock,
  withConnection,
} from '../../../lib/postgres';
import type { AlertAction } from '../../../vocabulary';
import {
  MAX_WATCHES_LISTED,
  type ScannedRow,
  readableNotice,
  checkLimit,
  pageOf,
  scanLimitOf,
  type AlertLog,
  type AppendOutcome,
  type RegisterOutcome,
  type WatchRegistration,
} from './AlertLog';
import { parseStoredNotice, readNotice } from './readNotice';
import type { NoticeKeys } from './noticeKeys';
import { WATCH_COLUMNS, numberExistingNotices, scannedRow, watchOf } from './rows';
import { waitFor } from './wake';
import { FORGET_CANCELLED_DROPS, droppedBy } from './dropped';
import { badCursor, cursorCodec, newCursorKey, sameNotice } from './cursor';

// Under a transaction-scoped advisory lock, so that hub processes starting together do not race on CREATE.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS alert_log (
  seq BIGSERIAL PRIMARY KEY,
  owner TEXT NOT NULL, notice_id TEXT NOT NULL, watcher TEXT NOT NULL, watch_id TEXT NOT NULL,
  body TEXT NOT NULL, signature TEXT NOT NULL, received_at BIGINT NOT NULL,
  analyst TEXT, analyst_seq BIGINT,
  UNIQUE (owner, notice_id)
);
CREATE INDEX IF NOT EXISTS alert_log_watcher ON alert_log (watcher, seq);
CREATE TABLE IF NOT EXISTS alert_watches (
  id TEXT PRIMARY KEY, watcher TEXT NOT NULL, analyst TEXT NOT NULL, case_reference TEXT NOT NULL,
  purpose TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, cancelled_at BIGINT,
  recipients TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alert_acknowledgements (
  owner TEXT NOT NULL, notice_id TEXT NOT NULL, analyst TEXT NOT NULL, action TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (owner, notice_id)
);
CREATE TABLE IF NOT EXISTS alert_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alert_dropped (
  watch_id TEXT NOT NULL, member TEXT NOT NULL, dropped_at BIGINT NOT NULL,
  PRIMARY KEY (watch_id, member)
);
`;

/**
 * One notice. The trigger below numbers it (NUMBER_NOTICE); the insert runs under APPEND_LOCK, so the
 * number the trigger reads is the one used, and the analyst's notices commit in the order of their numbers.
 */
const INSERT_NOTICE = `
INSERT INTO alert_log (owner, notice_id, watcher, watch_id, body, signature, received_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (owner, notice_id) DO NOTHING`;

/**
 * Numbers each new row in its watch's analyst's sequence (./cursor.ts) when the hub knows the watch and
 * the row's owner is one of the watch's recipients now, or was one when it emitted the notice (a renewal
 * dropped it at or after the notice's `at`, read from the signed body: ./dropped.ts), in no one's
 * otherwise. An `at` PostgreSQL cannot read as an instant counts as after any drop. A trigger rather than the
 * insert's own SQL, so that a hub process of the version before the sequences, still appending as it did
 * while the processes sharing the log are upgraded one by one (under the same APPEND_LOCK), has its
 * notices numbered too: otherwise they would be acknowledged to their owners' relays and given to no one.
 */
const NUMBER_NOTICE = `
CREATE OR REPLACE FUNCTION accord_alert_number() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  emitted BIGINT;
BEGIN
  NEW.analyst := NULL;
  NEW.analyst_seq := NULL;
  SELECT w.analyst INTO NEW.analyst FROM alert_watches w
  WHERE w.id = NEW.watch_id AND w.watcher = NEW.watcher AND jsonb_exists(w.recipients::jsonb, NEW.owner);
  IF NEW.analyst IS NULL
     AND EXISTS (SELECT 1 FROM alert_dropped d WHERE d.watch_id = NEW.watch_id AND d.member = NEW.owner) THEN
    BEGIN
      emitted := round(extract(epoch FROM (NEW.body::jsonb ->> 'at')::timestamptz) * 1000);
    EXCEPTION WHEN others THEN
      emitted := NULL;
    END;
    SELECT w.analyst INTO NEW.analyst FROM alert_watches w
    WHERE w.id = NEW.watch_id AND w.watcher = NEW.watcher
      AND EXISTS (SELECT 1 FROM alert_dropped d
                  WHERE d.watch_id = w.id AND d.member = NEW.owner AND d.dropped_at >= emitted);
  END IF;
  IF NEW.analyst IS NOT NULL THEN
    SELECT COALESCE(MAX(m.analyst_seq), 0) + 1 INTO NEW.analyst_seq FROM alert_log m
    WHERE m.watcher = NEW.watcher AND m.analyst = NEW.analyst;
  END IF;
  RETURN NEW;
END $$;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'accord_alert_number' AND tgrelid = 'alert_log'::regclass) THEN
    CREATE TRIGGER accord_alert_number BEFORE INSERT ON alert_log
    FOR EACH ROW EXECUTE FUNCTION accord_alert_number();
  END IF;
END $$;`;

const CHANNEL = 'accord_alerts';
const APPEND_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('accord-alerts:append', 0))";

export interface PostgresAlertLogOptions {
  /** `postgres://user@host:port/db`. */
  readonly url: string;
  readonly keys: NoticeKeys;
  /** Connections per process besides the listener (default 4). */
  readonly maxConnections?: number;
  /**
   * For tests only: runs inside an append's transaction after its rows are inserted, before it commits,
   * so that a test can hold a transaction open at the worst moment.
   */
  readonly beforeCommit?: () => Promise<void>;
  /** The listener's connection broke; readers then wake at their timeouts only (default: ignored). */
  readonly onError?: (error: Error) => void;
}

/**
 * Brings a log written before the analysts' sequences up to date, once (inside the schema's transaction,
 * with appends held off); then the index on them, and the trigger that numbers every row appended. Drops
 * of watches cancelled by a hub of the version that kept them go (FORGET_CANCELLED_DROPS).
 */
async function migrate(client: PoolClient): Promise<void> {
  const found = await client.query(
    `SELECT 1 FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'alert_log' AND column_name = 'analyst_seq'`,
  );
  if ((found.rowCount ?? 0) === 0) {
    await client.query(APPEND_LOCK);
    await client.query('ALTER TABLE alert_log ADD COLUMN analyst TEXT, ADD COLUMN analyst_seq BIGINT');
    await client.query(numberExistingNotices('jsonb_exists(w.recipients::jsonb, l.owner)'));
  }
  await client.query(
    'CREATE UNIQUE INDEX IF NOT EXISTS alert_log_analyst ON alert_log (watcher, analyst, analyst_seq)',
  );
  await client.query(NUMBER_NOTICE);
  await client.query(FORGET_CANCELLED_DROPS);
}

export async function openPostgresAlertLog(options: PostgresAlertLogOptions): Promise<AlertLog> {
  const description = describePostgres(options.url);
  const onError = options.onError ?? (() => undefined);
  const listener = new Client({ connectionString: options.url, application_name: 'accord-alerts-listen' });
  listener.on('error', onError);
  const wake = new EventEmitter();
  wake.setMaxListeners(0);
  const failed = async (error: unknown, pool?: Pool): Promise<never> => {
    await listener.end().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    throw new Error(`Cannot open the alert log in ${description}: ${(error as Error).message}`, {
      cause: error,
    });
  };
  let pool: Pool;
  try {
    pool = await openPool({
      url: options.url,
      application: 'accord-alerts',
      max: options.maxConnections ?? 4,
      onError,
      schemaLock: 'accord-alerts:schema',
      prepare: async (client) => {
        await client.query(SCHEMA);
        await migrate(client);
        await client.query(
          "INSERT INTO alert_meta (name, value) VALUES ('cursor-key', $1) ON CONFLICT (name) DO NOTHING",
          [newCursorKey()],
        );
      },
    });
  } catch (error) {
    return failed(error);
  }
  try {
    await listener.connect();
    listener.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload) wake.emit(message.payload);
    });
    await listener.query(`LISTEN ${CHANNEL}`);
  } catch (error) {
    return failed(error, pool);
  }

  const cursors = cursorCodec(
    (await pool.query<{ value: string }>("SELECT value FROM alert_meta WHERE name = 'cursor-key'")).rows[0]!
      .value,
  );
  let closed = false;
  const open = (): void => {
    if (closed) throw new Error('The alert log is closed.');
  };
  function inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return withConnection(pool, (client) => inOneTransaction(client, () => work(client)));
  }

  /** One watch's registrations, renewals and cancellation, one at a time across the hub's processes. */
  const lockWatch = (client: PoolClient, id: string) => takeAdvisoryLock(client, `accord-alerts:watch:${id}`);
  const watchById = async (client: Pool | PoolClient, id: string) =>
    watchOf(
      (await client.query(`SELECT ${WATCH_COLUMNS} FROM alert_watches w WHERE w.id = $1`, [id])).rows[0],
    );

  return {
    description,
    async append(notices, receivedAt): Promise<AppendOutcome[]> {
      open();
      const read = notices.map((wire) => readNotice(wire, options.keys));
      const good = read.flatMap((one) => (one.ok ? [one] : []));
      const stored =
        good.length === 0
          ? []
          : await inTransaction(async (client) => {
              // Before any seq is drawn: appends commit in seq order (see the top of this file).
              await client.query(APPEND_LOCK);
              const inserted: boolean[] = [];
              for (const one of good) {
                const result = await client.query(INSERT_NOTICE, [
                  one.notice.owner,
                  one.notice.noticeId,
                  one.notice.watcher,
                  one.notice.watchId,
                  one.body,
                  one.signature,
                  receivedAt,
                ]);
                inserted.push(result.rowCount === 1);
              }
              for (const watcher of new Set(good.map((one) => one.notice.watcher)))
                await client.query('SELECT pg_notify($1, $2)', [CHANNEL, watcher]);
              await options.beforeCommit?.();
              return inserted;
            });
      let i = 0;
      return read.map((one): AppendOutcome => {
        if (!one.ok) return { status: 'refused', reason: one.reason, noticeId: one.noticeId };
        return {
          noticeId: one.notice.noticeId,
          owner: one.notice.owner,
          status: stored[i++] ? 'stored' : 'duplicate',
        };
      });
    },
    async since(watcher, analyst, after, limit) {
      open();
      const decoded = cursors.decode(watcher, analyst, after);
      const from = decoded.position;
      checkLimit(limit);
      const scanLimit = scanLimitOf(limit);
      // The top first, then the rows up to it: every row up to a committed top has committed.
      const top = Number(
        (
          await pool.query<{ top: string }>(
            'SELECT COALESCE(MAX(analyst_seq), 0) AS top FROM alert_log WHERE watcher = $1 AND analyst = $2',
            [watcher, analyst],
          )
        ).rows[0]!.top,
      );
      // A cursor past the analyst's last notice, or whose place holds another notice, was never given by
      // this log (or the log was restored from an older copy since).
      if (from > top) throw badCursor();
      if (from > 0) {
        const there = (
          await pool.query<{ owner: string; notice_id: string }>(
            'SELECT owner, notice_id FROM alert_log WHERE watcher = $1 AND analyst = $2 AND analyst_seq = $3',
            [watcher, analyst, from],
          )
        ).rows[0];
        if (!there || !sameNotice(decoded, there.owner, there.notice_id)) throw badCursor();
      }
      const rows = (
        await pool.query<Record<string, unknown>>(
          `SELECT l.analyst_seq AS position, l.owner, l.notice_id, l.body, l.signature, l.received_at, ${WATCH_COLUMNS},
                  a.analyst AS a_analyst, a.action AS a_action, a.at AS a_at
           FROM alert_log l
           JOIN alert_watches w ON w.id = l.watch_id AND w.watcher = l.watcher
           LEFT JOIN alert_acknowledgements a ON a.owner = l.owner AND a.notice_id = l.notice_id
           WHERE l.watcher = $1 AND l.analyst = $2 AND l.analyst_seq > $3 AND l.analyst_seq <= $4
           ORDER BY l.analyst_seq LIMIT $5`,
          [watcher, analyst, from, top, scanLimit],
        )
      ).rows.map(scannedRow);
      const cursorOf = (row: ScannedRow) => cursors.encode(watcher, analyst, row);
      return pageOf({ top, rows, scanLimit }, after, limit, parseStoredNotice, cursorOf);
    },
    async wait(watcher, analyst, after, timeoutMs, signal) {
      open();
      const from = cursors.decode(watcher, analyst, after).position;
      return waitFor(wake, watcher, timeoutMs, signal, async () => {
        const found = await pool.query(
          'SELECT 1 FROM alert_log WHERE watcher = $1 AND analyst = $2 AND analyst_seq > $3 LIMIT 1',
          [watcher, analyst, from],
        );
        return found.rowCount !== null && found.rowCount > 0;
      });
    },
    async registerWatch(registration: WatchRegistration, at = Date.now()): Promise<RegisterOutcome> {
      open();
      const outcome = await inTransaction(async (client): Promise<RegisterOutcome> => {
        // Two registrations of one id at once: the second sees the first's row.
        await lockWatch(client, registration.id);
        const existing = await watchById(client, registration.id);
        const recipients = JSON.stringify(registration.recipients);
        if (!existing) {
          await client.query(
            `INSERT INTO alert_watches (id, watcher, analyst, case_reference, purpose, created_at, expires_at, recipients)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [
              registration.id,
              registration.watcher,
              registration.analyst,
              registration.caseReference,
              registration.purpose,
              registration.createdAt,
              registration.expiresAt,
              recipients,
            ],
          );
          await client.query('SELECT pg_notify($1, $2)', [CHANNEL, registration.watcher]);
          return { ok: true, watch: (await watchById(client, registration.id))!, created: true };
        }
        if (existing.watcher !== registration.watcher || existing.analyst !== registration.analyst)
          return { ok: false, reason: 'taken' };
        if (existing.cancelledAt !== undefined) return { ok: false, reason: 'cancelled' };
        // Under the watch's lock: who the renewal drops, and who it gives the watch again (./dropped.ts).
        await client.query(
          `INSERT INTO alert_dropped (watch_id, member, dropped_at) SELECT $1, member, $2 FROM unnest($3::text[]) AS member
           ON CONFLICT (watch_id, member) DO NOTHING`,
          [registration.id, at, droppedBy(existing.recipients, registration.recipients)],
        );
        await client.query('DELETE FROM alert_dropped WHERE watch_id = $1 AND member = ANY($2::text[])', [
          registration.id,
          registration.recipients,
        ]);
        await client.query(
          'UPDATE alert_watches SET case_reference = $1, purpose = $2, expires_at = $3, recipients = $4 WHERE id = $5',
          [
            registration.caseReference,
            registration.purpose,
            registration.expiresAt,
            recipients,
            registration.id,
          ],
        );
        await client.query('SELECT pg_notify($1, $2)', [CHANNEL, registration.watcher]);
        return { ok: true, watch: (await watchById(client, registration.id))!, created: false };
      });
      return outcome;
    },
    async cancelWatch(id, watcher, at) {
      open();
      return inTransaction(async (client) => {
        // Under the watch's lock, as a renewal: a renewal in flight has recorded its drops before they go.
        await lockWatch(client, id);
        const existing = await watchById(client, id);
        if (!existing || existing.watcher !== watcher) return { ok: false, reason: 'not-found' };
        const result = await client.query(
          'UPDATE alert_watches SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL',
          [at, id],
        );
        // A cancelled watch is never renewed and none of its notices is delivered: its drops serve no one.
        await client.query('DELETE FROM alert_dropped WHERE watch_id = $1', [id]);
        return { ok: true, watch: (await watchById(client, id))!, first: result.rowCount === 1 };
      });
    },
    async watch(id) {
      open();
      return watchById(pool, id);
    },
    async notice(owner, noticeId, watcher, analyst) {
      open();
      const { rows } = await pool.query(
        `SELECT l.analyst_seq AS position, l.owner, l.notice_id, l.body, l.signature, l.received_at, ${WATCH_COLUMNS},
                a.analyst AS a_analyst, a.action AS a_action, a.at AS a_at
         FROM alert_log l
         JOIN alert_watches w ON w.id = l.watch_id AND w.watcher = l.watcher AND w.analyst = l.analyst
         LEFT JOIN alert_acknowledgements a ON a.owner = l.owner AND a.notice_id = l.notice_id
         WHERE l.owner = $1 AND l.notice_id = $2 AND l.watcher = $3`,
        [owner, noticeId, watcher],
      );
      const row = rows[0] as Record<string, unknown> | undefined;
      const cursorOf = (one: ScannedRow) => cursors.encode(watcher, analyst, one);
      return readableNotice(row && scannedRow(row), analyst, parseStoredNotice, cursorOf);
    },
    async watches(watcher, analyst) {
      open();
      const { rows } = await pool.query(
        `SELECT ${WATCH_COLUMNS} FROM alert_watches w WHERE w.watcher = $1 AND w.analyst = $2 ORDER BY w.created_at DESC, w.id LIMIT ${MAX_WATCHES_LISTED}`,
        [watcher, analyst],
      );
      return rows.map((row) => watchOf(row)!);
    },
    async acknowledge(owner, noticeId, watcher, analyst, action: AlertAction, at) {
      open();
      const found = (
        await pool.query<{ watcher: string; w_analyst: string }>(
          `SELECT l.watcher, w.analyst AS w_analyst FROM alert_log l
           JOIN alert_watches w ON w.id = l.watch_id AND w.watcher = l.watcher AND w.analyst = l.analyst
           WHERE l.owner = $1 AND l.notice_id = $2`,
          [owner, noticeId],
        )
      ).rows[0];
      if (!found || found.watcher !== watcher || found.w_analyst !== analyst)
        return { ok: false, reason: 'not-found' };
      const result = await pool.query(
        `INSERT INTO alert_acknowledgements (owner, notice_id, analyst, action, at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (owner, notice_id) DO NOTHING`,
        [owner, noticeId, analyst, action, at],
      );
      const kept = (
        await pool.query<{ analyst: string; action: AlertAction; at: string }>(
          'SELECT analyst, action, at FROM alert_acknowledgements WHERE owner = $1 AND notice_id = $2',
          [owner, noticeId],
        )
      ).rows[0]!;
      return {
        ok: true,
        acknowledgement: { analyst: kept.analyst, action: kept.action, at: Number(kept.at) },
        first: result.rowCount === 1,
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      wake.emit('close');
      await listener.end().catch(() => undefined);
      await pool.end();
    },
  };
}
