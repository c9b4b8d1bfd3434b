import type { KeyObject } from 'node:crypto';
import {
  MAX_WATCH_MS,
  checkNoticeKey,
  identifierKey,
  matchEvent,
  noticePublicKey,
  readHeldWatch,
  signNoticeWithBody,
  type HeldWatch,
  type Notice,
  type RecordIdentifier,
  type SignedNotice,
} from '../../alerts';
import type { Policy } from '../../policy';
import { parseGlobalId } from '../../schema';
import { applyChange, changedRecord, eventKindOf, namedSuspects, type RecordChange } from './recordChanges';
import { recordIdentifiers } from './recordIdentifiers';
import { storeDatabase, type ReferenceStore } from './store';

/**
 * The owner's side of alerts (issue 11; docs/decisions/0018-alerts-at-the-owner.md), in the member's own
 * SQLite store:
 *
 * - `held_watches` / `held_watch_keys`: the watches other members sent it (what each may send, decided by
 *   the watcher: alerts/distribute.ts), keyed by their normalised identifiers;
 * - `record_events`: each change of its own records, numbered (`<owner>-EVT-<n>`);
 * - `outbox`: the signed notices its changes gave, written in the same transaction as the change
 *   (transactional outbox), `(owner, notice_id)` unique. With `recordsFirst`, a row is released only once
 *   its `notice.emitted` record is durable in the owner's audit log (`recorded_at`, set by `markRecorded`;
 *   docs/decisions/0019-alert-delivery.md, "No release before its record"); without, it is released at
 *   its commit. A relay reads the released rows not yet relayed, sends them and marks them; a row sent
 *   twice is the same notice twice, which the receiver drops by its id.
 */
export interface OwnerAlerts {
  readonly owner: string;
  /** The public half of the key notices are signed with (SPKI DER, base64). */
  readonly publicKey: string;
  /**
   * Holds a watch another member sent (replacing the one held under its id: a renewal); a WatchError when
   * it is not one, and nothing changes.
   */
  hold(watch: unknown): HeldWatch;
  /** Stops holding a watch; false when none is held under that id. */
  drop(watchId: string): boolean;
  held(): HeldWatch[];
  /** The watch held under that id, if any. */
  heldWatch(watchId: string): HeldWatch | undefined;
  /**
   * Applies a change to one of the member's records and, in the same transaction, writes the notices it
   * gives to the outbox: both commit or neither does. Throws when the change does not apply.
   */
  apply(change: RecordChange): AppliedChange;
  /**
   * Outbox rows released (recorded, or committed without `recordsFirst`) and not yet relayed, oldest
   * first; with `afterSeq`, only those after that row.
   */
  pending(limit?: number, afterSeq?: number): OutboxEntry[];
  /** Outbox rows not yet relayed whose record is not yet written, oldest first. */
  unrecorded(limit?: number): OutboxEntry[];
  /** Marks notices recorded (their record is durable): the relay may send them. Returns how many changed. */
  markRecorded(noticeIds: readonly string[], at: number): number;
  /** Marks notices relayed (the hub has them); returns how many were pending. Marking twice is harmless. */
  markRelayed(noticeIds: readonly string[], at: number): number;
}

export interface AppliedChange {
  readonly eventReference: string;
  readonly notices: readonly SignedNotice[];
}

export interface OutboxEntry {
  readonly seq: number;
  /** The notice as signed: its canonical JSON (send these bytes). */
  readonly body: string;
  readonly signed: SignedNotice;
  readonly createdAt: number;
}

export interface OwnerAlertsOptions {
  readonly store: ReferenceStore;
  /** The owner's engine. */
  readonly policy: Policy;
  /** The owner's Ed25519 notice key (alerts/notice.ts ensureNoticeKey). */
  readonly key: KeyObject;
  /** Epoch ms. */
  readonly now: () => number;
  /**
   * Told after each `apply` whose transaction committed with notices in the outbox (the relay wakes on it,
   * subgraphs/reference/relay.ts), so a listener sees only what is durable. (An `apply` made inside a
   * caller's own `store.transaction` is a savepoint: its listener is told before that outer commit.)
   */
  readonly onNotices?: (notices: readonly SignedNotice[]) => void;
  /**
   * A notice waits in the outbox, unreleased, until `markRecorded` says its record is durable (the member
   * keeps an audit log: subgraphs/reference/memberAlerts.ts). Without it (no audit log), a notice is
   * released at its commit, and rows an earlier process left unrecorded are released when this opens.
   */
  readonly recordsFirst?: boolean;
}

export function openOwnerAlerts(options: OwnerAlertsOptions): OwnerAlerts {
  const { store, policy } = options;
  const owner = store.country;
  const key = checkNoticeKey(options.key);
  const db = storeDatabase(store);
  db.exec(`
    CREATE TABLE IF NOT EXISTS held_watches (id TEXT PRIMARY KEY, watcher TEXT NOT NULL, body TEXT NOT NULL, expires_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS held_watch_keys (key TEXT NOT NULL, watch_id TEXT NOT NULL, PRIMARY KEY (key, watch_id)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS record_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, record_id TEXT NOT NULL, kind TEXT NOT NULL, at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      owner TEXT NOT NULL,
      notice_id TEXT NOT NULL,
      body TEXT NOT NULL,
      signature TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      relayed_at INTEGER,
      UNIQUE (owner, notice_id)
    );
    CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (seq) WHERE relayed_at IS NULL;
  `);
  // Outboxes made before records came first have no `recorded_at`: added, NULL, so that a row still
  // pending there gets its record before it is relayed (its record may be missing: a process killed
  // between its commit and its record).
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(outbox)').all();
  if (!columns.some((column) => column.name === 'recorded_at'))
    db.exec('ALTER TABLE outbox ADD COLUMN recorded_at INTEGER');
  db.exec(
    'CREATE INDEX IF NOT EXISTS outbox_unrecorded ON outbox (seq) WHERE recorded_at IS NULL AND relayed_at IS NULL',
  );
  const recordsFirst = options.recordsFirst ?? false;
  if (!recordsFirst)
    db.prepare(
      'UPDATE outbox SET recorded_at = created_at WHERE recorded_at IS NULL AND relayed_at IS NULL',
    ).run();
  const putWatch = db.prepare(
    'INSERT INTO held_watches (id, watcher, body, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET watcher = excluded.watcher, body = excluded.body, expires_at = excluded.expires_at',
  );
  const watchOf = db.prepare<[string], { watcher: string }>('SELECT watcher FROM held_watches WHERE id = ?');
  const heldBody = db.prepare<[string], { body: string }>('SELECT body FROM held_watches WHERE id = ?');
  const deleteWatch = db.prepare('DELETE FROM held_watches WHERE id = ?');
  const deleteKeys = db.prepare('DELETE FROM held_watch_keys WHERE watch_id = ?');
  const putKey = db.prepare('INSERT OR IGNORE INTO held_watch_keys (key, watch_id) VALUES (?, ?)');
  const allWatches = db.prepare<[], { body: string }>('SELECT body FROM held_watches ORDER BY id');
  const watchesByKey = db.prepare<[number, string], { body: string }>(
    'SELECT body FROM held_watches WHERE expires_at > ? AND id IN (SELECT watch_id FROM held_watch_keys WHERE key IN (SELECT value FROM json_each(?))) ORDER BY id',
  );
  const newEvent = db.prepare('INSERT INTO record_events (record_id, kind, at) VALUES (?, ?, ?)');
  const putNotice = db.prepare(
    'INSERT INTO outbox (owner, notice_id, body, signature, created_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (owner, notice_id) DO NOTHING',
  );
  const pendingRows = db.prepare<[number, number], OutboxRow>(
    'SELECT seq, body, signature, created_at FROM outbox WHERE relayed_at IS NULL AND recorded_at IS NOT NULL AND seq > ? ORDER BY seq LIMIT ?',
  );
  const unrecordedRows = db.prepare<[number], OutboxRow>(
    'SELECT seq, body, signature, created_at FROM outbox WHERE recorded_at IS NULL AND relayed_at IS NULL ORDER BY seq LIMIT ?',
  );
  const recordOne = db.prepare(
    'UPDATE outbox SET recorded_at = ? WHERE owner = ? AND notice_id = ? AND recorded_at IS NULL',
  );
  const markOne = db.prepare(
    'UPDATE outbox SET relayed_at = ? WHERE owner = ? AND notice_id = ? AND relayed_at IS NULL',
  );

  return {
    owner,
    publicKey: noticePublicKey(key),
    hold(input) {
      const watch = readHeldWatch(input, MAX_WATCH_MS);
      if (watch.watcher === owner) throw new Error(`hold: ${owner} does not hold its own watch ${watch.id}.`);
      store.transaction(() => {
        const existing = watchOf.get(watch.id);
        if (existing !== undefined && existing.watcher !== watch.watcher)
          throw new Error(`hold: ${watch.id} is held for ${existing.watcher}, not ${watch.watcher}.`);
        // Why the keys are replaced whole: a renewal may send fewer identifiers (the watcher's rules changed).
        deleteKeys.run(watch.id);
        putWatch.run(watch.id, watch.watcher, JSON.stringify(watch), watch.expiresAt);
        for (const identifier of watch.identifiers) putKey.run(identifierKey(identifier)!, watch.id);
      });
      return watch;
    },
    drop(watchId) {
      return store.transaction(() => {
        deleteKeys.run(watchId);
        return deleteWatch.run(watchId).changes > 0;
      });
    },
    held() {
      return allWatches.all().map((row) => JSON.parse(row.body) as HeldWatch);
    },
    heldWatch(watchId) {
      const row = heldBody.get(watchId);
      return row === undefined ? undefined : (JSON.parse(row.body) as HeldWatch);
    },
    apply(change) {
      const at = options.now();
      const target = changedRecord(change);
      const id = parseGlobalId(target.id);
      if (id === undefined || id.owner !== owner || id.kind !== target.kind)
        throw new Error(`recordChange: ${target.id} is not a ${target.kind} of ${owner}.`);
      const applied = store.transaction(() => {
        const before = store.load(target.kind, [target.id]).get(target.id);
        if (before === undefined && change.kind !== 'case_opened')
          throw new Error(`recordChange: ${owner} holds no record ${target.id}.`);
        const after = applyChange(change, before);
        store.writeRecord(target.kind, after, before);
        const eventReference = `${owner}-EVT-${String(newEvent.run(target.id, eventKindOf(change), at).lastInsertRowid).padStart(9, '0')}`;
        const identifiers: RecordIdentifier[] = recordIdentifiers(owner, target.kind, after);
        // A case that names this member's own suspects: their identifiers are matched too.
        const named = namedSuspects(change).filter((id) => parseGlobalId(id)?.owner === owner);
        for (const suspect of store.load('Suspect', named).values())
          identifiers.push(...recordIdentifiers(owner, 'Suspect', suspect));
        const keys = JSON.stringify([...new Set(identifiers.map((identifier) => identifier.key))]);
        const watches = watchesByKey.all(at, keys).map((row) => JSON.parse(row.body) as HeldWatch);
        const notices = matchEvent(
          { policy, owner, at },
          { kind: eventKindOf(change), reference: eventReference, record: after, identifiers },
          watches,
        );
        const signed = notices.map((notice: Notice) => signNoticeWithBody(notice, key));
        for (const { signed: one, body } of signed)
          putNotice.run(owner, one.notice.noticeId, body, one.signature, at, recordsFirst ? null : at);
        return { eventReference, notices: signed.map((one) => one.signed) };
      });
      if (applied.notices.length > 0) options.onNotices?.(applied.notices);
      return applied;
    },
    pending(limit = 100, afterSeq = 0) {
      return pendingRows.all(afterSeq, limit).map(outboxEntry);
    },
    unrecorded(limit = 100) {
      return unrecordedRows.all(limit).map(outboxEntry);
    },
    markRecorded(noticeIds, at) {
      return store.transaction(() =>
        noticeIds.reduce((count, noticeId) => count + recordOne.run(at, owner, noticeId).changes, 0),
      );
    },
    markRelayed(noticeIds, at) {
      return store.transaction(() =>
        noticeIds.reduce((count, noticeId) => count + markOne.run(at, owner, noticeId).changes, 0),
      );
    },
  };
}

interface OutboxRow {
  readonly seq: number;
  readonly body: string;
  readonly signature: string;
  readonly created_at: number;
}

function outboxEntry(row: OutboxRow): OutboxEntry {
  return {
    seq: row.seq,
    body: row.body,
    signed: { notice: JSON.parse(row.body) as Notice, signature: row.signature },
    createdAt: row.created_at,
  };
}
