/**
 * The alert log in one SQLite file, the embedded default (`<data>/alliance-alerts.sqlite`): WAL with
 * `synchronous=FULL`, so an append has reached the disk when it resolves and the hub's answer to the relay
 * comes after that. One process writes it, so a seq is never seen before a smaller one, and readers
 * waiting in this process are woken when their watcher's rows are appended.
 *
 * The notices are committed on a worker thread with its own connection, one commit at a time, as the audit
 * log's SQLite store does (audit/store/sqliteStore.ts): a durable commit waits for the disk (several ms on
 * the bench host, bench/README.md `alerts`), and on the main thread that wait would stall every request
 * of the hub for each relay's post. Appends that arrive while a commit is in flight share the next one
 * (group commit). Reads, and the rare writes of watches and acknowledgements, stay on the main thread's
 * connection.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { AlertAction } from '../../../vocabulary';
import {
  MAX_WATCHES_LISTED,
  type ScannedRow,
  readableNotice,
  checkLimit,
  pageOf,
  scanLimitOf,
  type AcknowledgeOutcome,
  type AlertLog,
  type AppendOutcome,
  type CancelOutcome,
  type RegisterOutcome,
  type WatchRegistration,
  type WireNotice,
} from './AlertLog';
import { parseStoredNotice, readNotice } from './readNotice';
import type { NoticeKeys } from './noticeKeys';
import { WATCH_COLUMNS, numberExistingNotices, scannedRow, watchOf } from './rows';
import { waitFor } from './wake';
import { FORGET_CANCELLED_DROPS, droppedBy, emittedAt } from './dropped';
import { badCursor, cursorCodec, newCursorKey, sameNotice } from './cursor';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS alert_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  owner TEXT NOT NULL, notice_id TEXT NOT NULL, watcher TEXT NOT NULL, watch_id TEXT NOT NULL,
  body TEXT NOT NULL, signature TEXT NOT NULL, received_at INTEGER NOT NULL,
  analyst TEXT, analyst_seq INTEGER,
  UNIQUE (owner, notice_id)
);
CREATE INDEX IF NOT EXISTS alert_log_watcher ON alert_log (watcher, seq);
CREATE TABLE IF NOT EXISTS alert_watches (
  id TEXT PRIMARY KEY, watcher TEXT NOT NULL, analyst TEXT NOT NULL, case_reference TEXT NOT NULL,
  purpose TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, cancelled_at INTEGER,
  recipients TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alert_acknowledgements (
  owner TEXT NOT NULL, notice_id TEXT NOT NULL, analyst TEXT NOT NULL, action TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (owner, notice_id)
);
CREATE TABLE IF NOT EXISTS alert_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alert_dropped (
  watch_id TEXT NOT NULL, member TEXT NOT NULL, dropped_at INTEGER NOT NULL,
  PRIMARY KEY (watch_id, member)
);
`;

/** SQL: the row `l`'s owner is among the recipients (a JSON list) of its watch `w`. */
const SQLITE_OWNER_IS_RECIPIENT = 'EXISTS (SELECT 1 FROM json_each(w.recipients) r WHERE r.value = l.owner)';

/** After the migration: each analyst's sequence, unique, and the index every read of it uses. */
const ANALYST_INDEX =
  'CREATE UNIQUE INDEX IF NOT EXISTS alert_log_analyst ON alert_log (watcher, analyst, analyst_seq)';

/**
 * The commit thread. Plain JavaScript evaluated by `new Worker(..., { eval: true })`, so that it runs the
 * same under tsx, jest and compiled code. It receives rows (as JSON text), inserts them in one transaction
 * (INSERT_NOTICE) and answers, row by row, whether each was new (a duplicate `(owner, notice_id)` is kept
 * once).
 */
const COMMIT_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 10000');
const insert = db.prepare(workerData.insert);
const appendAll = db.transaction((rows) =>
  rows.map((row) => insert.run(...row.slice(0, 7), row[2], row[3], row[2], row[0], row[0], row[7]).changes === 1),
);
parentPort.on('message', (message) => {
  if (message.type === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ id: message.id, ok: true, stored: appendAll.immediate(JSON.parse(message.rows)) });
  } catch (error) {
    parentPort.postMessage({ id: message.id, ok: false, message: String((error && error.message) || error) });
  }
});
`;

/**
 * One notice, numbered in its watch's analyst's sequence (./cursor.ts) when the hub knows the watch and
 * its owner is one of the watch's recipients now, or was one when it emitted the notice (the hub recorded
 * the renewal that dropped it at or after the notice's `at`: ./dropped.ts), in no one's otherwise. The
 * commit thread is the only writer, so the next number is read and used in the same transaction with no
 * one in between. Its parameters: the row's seven values, then the watcher, the watch id, the watcher
 * again, the owner twice and the notice's emission time (epoch ms; null when it cannot be read).
 */
const INSERT_NOTICE = `
INSERT INTO alert_log (owner, notice_id, watcher, watch_id, body, signature, received_at, analyst, analyst_seq)
SELECT ?, ?, ?, ?, ?, ?, ?, w.analyst,
       CASE WHEN w.analyst IS NULL THEN NULL ELSE
         (SELECT COALESCE(MAX(m.analyst_seq), 0) + 1 FROM alert_log m WHERE m.watcher = ? AND m.analyst = w.analyst)
       END
FROM (SELECT 1) AS one LEFT JOIN alert_watches w
  ON w.id = ? AND w.watcher = ?
     AND (EXISTS (SELECT 1 FROM json_each(w.recipients) r WHERE r.value = ?)
          OR EXISTS (SELECT 1 FROM alert_dropped d WHERE d.watch_id = w.id AND d.member = ? AND d.dropped_at >= ?))
WHERE true
ON CONFLICT (owner, notice_id) DO NOTHING`;

/** The row's seven values, then the notice's emission time (epoch ms, or null: ./dropped.ts). */
type Row = readonly [string, string, string, string, string, string, number, number | null];

/** Appends waiting for the next commit: their rows in order, and who to tell. */
interface Queued {
  readonly rows: readonly Row[];
  resolve(stored: readonly boolean[]): void;
  reject(error: Error): void;
}

export interface SqliteAlertLogOptions {
  readonly file: string;
  readonly keys: NoticeKeys;
}

export function openSqliteAlertLog(options: SqliteAlertLogOptions): AlertLog {
  mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
  const db = new Database(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  migrate(db);
  const cursors = cursorCodec(cursorKey(db));
  const wake = new EventEmitter();
  wake.setMaxListeners(0);

  const top = db.prepare(
    'SELECT COALESCE(MAX(analyst_seq), 0) AS top FROM alert_log WHERE watcher = ? AND analyst = ?',
  );
  const scan = db.prepare(
    `SELECT l.analyst_seq AS position, l.owner, l.notice_id, l.body, l.signature, l.received_at, ${WATCH_COLUMNS},
            a.analyst AS a_analyst, a.action AS a_action, a.at AS a_at
     FROM alert_log l
     JOIN alert_watches w ON w.id = l.watch_id AND w.watcher = l.watcher
     LEFT JOIN alert_acknowledgements a ON a.owner = l.owner AND a.notice_id = l.notice_id
     WHERE l.watcher = ? AND l.analyst = ? AND l.analyst_seq > ? AND l.analyst_seq <= ?
     ORDER BY l.analyst_seq LIMIT ?`,
  );
  const oneNotice = db.prepare(
    `SELECT l.analyst_seq AS position, l.owner, l.notice_id, l.body, l.signature, l.received_at, ${WATCH_COLUMNS},
            a.analyst AS a_analyst, a.action AS a_action, a.at AS a_at
     FROM alert_log l
     JOIN alert_watches w ON w.id = l.watch_id AND w.watcher = l.watcher AND w.analyst = l.analyst
     LEFT JOIN alert_acknowledgements a ON a.owner = l.owner AND a.notice_id = l.notice_id
     WHERE l.owner = ? AND l.notice_id = ? AND l.watcher = ?`,
  );
  const noticeAt = db.prepare(
    'SELECT owner, notice_id FROM alert_log WHERE watcher = ? AND analyst = ? AND analyst_seq = ?',
  );
  const anyAfter = db.prepare(
    'SELECT 1 FROM alert_log WHERE watcher = ? AND analyst = ? AND analyst_seq > ? LIMIT 1',
  );
  const getWatch = db.prepare(`SELECT ${WATCH_COLUMNS} FROM alert_watches w WHERE w.id = ?`);
  const watchesOf = db.prepare(
    `SELECT ${WATCH_COLUMNS} FROM alert_watches w WHERE w.watcher = ? AND w.analyst = ? ORDER BY w.created_at DESC, w.id LIMIT ${MAX_WATCHES_LISTED}`,
  );
  const insertWatch = db.prepare(
    `INSERT INTO alert_watches (id, watcher, analyst, case_reference, purpose, created_at, expires_at, recipients)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const renewWatch = db.prepare(
    'UPDATE alert_watches SET case_reference = ?, purpose = ?, expires_at = ?, recipients = ? WHERE id = ?',
  );
  const recordDrop = db.prepare(
    'INSERT INTO alert_dropped (watch_id, member, dropped_at) VALUES (?, ?, ?) ON CONFLICT (watch_id, member) DO NOTHING',
  );
  const clearDrop = db.prepare('DELETE FROM alert_dropped WHERE watch_id = ? AND member = ?');
  const cancel = db.prepare(
    'UPDATE alert_watches SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL',
  );
  const forgetDrops = db.prepare('DELETE FROM alert_dropped WHERE watch_id = ?');
  const noticeOf = db.prepare(
    `SELECT l.watcher, w.analyst AS w_analyst FROM alert_log l
     JOIN alert_watches w ON w.id = l.watch_id AND w.watcher = l.watcher AND w.analyst = l.analyst
     WHERE l.owner = ? AND l.notice_id = ?`,
  );
  const insertAck = db.prepare(
    `INSERT INTO alert_acknowledgements (owner, notice_id, analyst, action, at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (owner, notice_id) DO NOTHING`,
  );
  const getAck = db.prepare(
    'SELECT analyst, action, at FROM alert_acknowledgements WHERE owner = ? AND notice_id = ?',
  );
  let closed = false;
  const open = (): void => {
    if (closed) throw new Error('The alert log is closed.');
  };

  // The commit thread, started with the first append; one commit in flight, the appends meanwhile queued.
  let worker: Worker | undefined;
  let workerFailure: Error | undefined;
  let inFlight: readonly Queued[] | undefined;
  let queue: Queued[] = [];
  let idle: (() => void) | undefined;

  function failAll(error: Error): void {
    workerFailure = error;
    for (const waiting of [...(inFlight ?? []), ...queue]) waiting.reject(error);
    inFlight = undefined;
    queue = [];
    idle?.();
  }

  function startWorker(): Worker {
    const started = new Worker(COMMIT_WORKER_SOURCE, {
      eval: true,
      workerData: { file: options.file, driver: require.resolve('better-sqlite3'), insert: INSERT_NOTICE },
    });
    started.on('message', (message: { ok: boolean; stored?: boolean[]; message?: string }) => {
      const done = inFlight ?? [];
      inFlight = undefined;
      if (!message.ok) {
        const error = new Error(`The alert log's commit failed: ${message.message}`);
        for (const waiting of done) waiting.reject(error);
      } else {
        let at = 0;
        for (const waiting of done) {
          waiting.resolve(message.stored!.slice(at, at + waiting.rows.length));
          at += waiting.rows.length;
        }
      }
      commitNext();
    });
    started.on('error', (error) =>
      failAll(new Error(`The alert log's commit thread failed: ${error.message}`)),
    );
    started.on('exit', (code) => {
      worker = undefined;
      if (inFlight !== undefined || queue.length > 0)
        failAll(new Error(`The alert log's commit thread exited (code ${code}) with commits in flight.`));
    });
    return started;
  }

  /** Sends every queued append as one commit, unless one is in flight (its answer sends the next). */
  function commitNext(): void {
    if (inFlight !== undefined) return;
    if (queue.length === 0) {
      idle?.();
      return;
    }
    worker ??= startWorker();
    inFlight = queue;
    queue = [];
    // One string crosses threads as a copy of its bytes (audit/store/sqliteStore.ts).
    worker.postMessage({ id: 0, rows: JSON.stringify(inFlight.flatMap((waiting) => waiting.rows)) });
  }

  function appendAll(rows: readonly Row[]): Promise<readonly boolean[]> {
    if (workerFailure) return Promise.reject(workerFailure);
    return new Promise((resolve, reject) => {
      queue.push({ rows, resolve, reject });
      commitNext();
    });
  }
  // A cancelled watch is never renewed (registerTx below) and none of its notices is delivered: its drops
  // serve no one any more (./dropped.ts).
  const cancelTx = db.transaction((id: string, at: number): boolean => {
    const first = cancel.run(at, id).changes === 1;
    forgetDrops.run(id);
    return first;
  });
  const registerTx = db.transaction((registration: WatchRegistration, at: number): RegisterOutcome => {
    const existing = watchOf(getWatch.get(registration.id));
    if (!existing) {
      insertWatch.run(
        registration.id,
        registration.watcher,
        registration.analyst,
        registration.caseReference,
        registration.purpose,
        registration.createdAt,
        registration.expiresAt,
        JSON.stringify(registration.recipients),
      );
      return { ok: true, watch: watchOf(getWatch.get(registration.id))!, created: true };
    }
    if (existing.watcher !== registration.watcher || existing.analyst !== registration.analyst)
      return { ok: false, reason: 'taken' };
    if (existing.cancelledAt !== undefined) return { ok: false, reason: 'cancelled' };
    for (const member of droppedBy(existing.recipients, registration.recipients))
      recordDrop.run(registration.id, member, at);
    for (const member of registration.recipients) clearDrop.run(registration.id, member);
    renewWatch.run(
      registration.caseReference,
      registration.purpose,
      registration.expiresAt,
      JSON.stringify(registration.recipients),
      registration.id,
    );
    return { ok: true, watch: watchOf(getWatch.get(registration.id))!, created: false };
  });

  return rejectingOnThrow({
    description: `SQLite ${options.file}`,
    async append(notices: readonly WireNotice[], receivedAt: number): Promise<AppendOutcome[]> {
      open();
      const read = notices.map((wire) => readNotice(wire, options.keys));
      const rows = read.flatMap((one): Row[] =>
        one.ok
          ? [
              [
                one.notice.owner,
                one.notice.noticeId,
                one.notice.watcher,
                one.notice.watchId,
                one.body,
                one.signature,
                receivedAt,
                emittedAt(one.notice),
              ] as const,
            ]
          : [],
      );
      const stored = rows.length > 0 ? await appendAll(rows) : [];
      let i = 0;
      const outcomes = read.map((one): AppendOutcome => {
        if (!one.ok) return { status: 'refused', reason: one.reason, noticeId: one.noticeId };
        return {
          noticeId: one.notice.noticeId,
          owner: one.notice.owner,
          status: stored[i++] ? 'stored' : 'duplicate',
        };
      });
      for (const watcher of new Set(read.flatMap((one) => (one.ok ? [one.notice.watcher] : []))))
        wake.emit(watcher);
      return outcomes;
    },
    since(watcher, analyst, after, limit) {
      open();
      const decoded = cursors.decode(watcher, analyst, after);
      const from = decoded.position;
      checkLimit(limit);
      const scanLimit = scanLimitOf(limit);
      const read = db.transaction(() => {
        const last = (top.get(watcher, analyst) as { top: number }).top;
        // A cursor past the analyst's last notice, or whose place holds another notice, was never given
        // by this log (or the log was restored from an older copy since).
        if (from > last) throw badCursor();
        if (from > 0) {
          const there = noticeAt.get(watcher, analyst, from) as
            { owner: string; notice_id: string } | undefined;
          if (!there || !sameNotice(decoded, there.owner, there.notice_id)) throw badCursor();
        }
        const rows = (scan.all(watcher, analyst, from, last, scanLimit) as Record<string, unknown>[]).map(
          scannedRow,
        );
        return { top: last, rows, scanLimit };
      });
      const cursorOf = (row: ScannedRow) => cursors.encode(watcher, analyst, row);
      return Promise.resolve(pageOf(read(), after, limit, parseStoredNotice, cursorOf));
    },
    wait(watcher, analyst, after, timeoutMs, signal) {
      open();
      const from = cursors.decode(watcher, analyst, after).position;
      return waitFor(wake, watcher, timeoutMs, signal, () =>
        Promise.resolve(anyAfter.get(watcher, analyst, from) !== undefined),
      );
    },
    registerWatch(registration, at = Date.now()) {
      open();
      const outcome = registerTx(registration, at);
      if (outcome.ok) wake.emit(registration.watcher);
      return Promise.resolve(outcome);
    },
    cancelWatch(id, watcher, at): Promise<CancelOutcome> {
      open();
      const existing = watchOf(getWatch.get(id));
      if (!existing || existing.watcher !== watcher)
        return Promise.resolve({ ok: false, reason: 'not-found' });
      const first = cancelTx(id, at);
      return Promise.resolve({ ok: true, watch: watchOf(getWatch.get(id))!, first });
    },
    watch(id) {
      open();
      return Promise.resolve(watchOf(getWatch.get(id)));
    },
    notice(owner, noticeId, watcher, analyst) {
      open();
      const row = oneNotice.get(owner, noticeId, watcher) as Record<string, unknown> | undefined;
      const cursorOf = (one: ScannedRow) => cursors.encode(watcher, analyst, one);
      return Promise.resolve(readableNotice(row && scannedRow(row), analyst, parseStoredNotice, cursorOf));
    },
    watches(watcher, analyst) {
      open();
      return Promise.resolve(watchesOf.all(watcher, analyst).map((row) => watchOf(row)!));
    },
    acknowledge(owner, noticeId, watcher, analyst, action: AlertAction, at): Promise<AcknowledgeOutcome> {
      open();
      const found = noticeOf.get(owner, noticeId) as { watcher: string; w_analyst: string } | undefined;
      if (!found || found.watcher !== watcher || found.w_analyst !== analyst)
        return Promise.resolve({ ok: false, reason: 'not-found' });
      const first = insertAck.run(owner, noticeId, analyst, action, at).changes === 1;
      const kept = getAck.get(owner, noticeId) as { analyst: string; action: AlertAction; at: number };
      return Promise.resolve({
        ok: true,
        acknowledgement: { analyst: kept.analyst, action: kept.action, at: Number(kept.at) },
        first,
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      // Waiting readers end now rather than at their timeout.
      wake.emit('close');
      // The appends already taken are committed (and answered) before the thread stops.
      if (inFlight !== undefined || queue.length > 0)
        await new Promise<void>((done) => {
          idle = done;
        });
      const running = worker;
      if (running) {
        const exited = new Promise<void>((done) => running.once('exit', () => done()));
        running.postMessage({ type: 'close' });
        await exited;
      }
      db.close();
    },
  });
}

/**
 * Brings a log written before the analysts' sequences up to date, once; then the index on them. Drops of
 * watches cancelled by a hub of the version that kept them go (FORGET_CANCELLED_DROPS).
 */
function migrate(db: Database.Database): void {
  db.exec(FORGET_CANCELLED_DROPS);
  const columns = db.prepare("SELECT name FROM pragma_table_info('alert_log')").all() as { name: string }[];
  if (!columns.some((column) => column.name === 'analyst_seq'))
    db.transaction(() => {
      db.exec('ALTER TABLE alert_log ADD COLUMN analyst TEXT');
      db.exec('ALTER TABLE alert_log ADD COLUMN analyst_seq INTEGER');
      db.exec(numberExistingNotices(SQLITE_OWNER_IS_RECIPIENT));
    }).immediate();
  db.exec(ANALYST_INDEX);
}

/** The log's cursor key: made once, when the log is new (or from before the key), and kept in it. */
function cursorKey(db: Database.Database): string {
  db.prepare(
    "INSERT INTO alert_meta (name, value) VALUES ('cursor-key', ?) ON CONFLICT (name) DO NOTHING",
  ).run(newCursorKey());
  return (db.prepare("SELECT value FROM alert_meta WHERE name = 'cursor-key'").get() as { value: string })
    .value;
}

/**
 * The log with every method's synchronous throw (better-sqlite3 is synchronous, and so are the checks of
 * a cursor or a limit) turned into a rejected promise, as the PostgreSQL store gives them.
 */
function rejectingOnThrow(log: AlertLog): AlertLog {
  const wrap =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      new Promise<R>((resolve) => resolve(method(...args)));
  return {
    description: log.description,
    append: wrap(log.append.bind(log)),
    since: wrap(log.since.bind(log)),
    wait: wrap(log.wait.bind(log)),
    registerWatch: wrap(log.registerWatch.bind(log)),
    cancelWatch: wrap(log.cancelWatch.bind(log)),
    watch: wrap(log.watch.bind(log)),
    watches: wrap(log.watches.bind(log)),
    notice: wrap(log.notice.bind(log)),
    acknowledge: wrap(log.acknowledge.bind(log)),
    close: wrap(log.close.bind(log)),
  };
}
