import type { HeldWatch, Watch } from '../../alerts';
import { storeDatabase, type ReferenceStore } from './store';

/**
 * The watches a member's own analysts registered (issue 11; docs/decisions/0019-alert-delivery.md), in the
 * member's store beside its records (`own_watches`): the whole watch, justification included (it never
 * leaves the watcher), and what each recipient was sent at the last registration or renewal, so that a
 * cancellation or a renewal knows where to drop it.
 */
export interface OwnWatches {
  /** The watch and its recipients, cancelled or not; undefined when this member registered none by that id. */
  get(id: string): OwnWatch | undefined;
  /** Keeps a new watch or a renewed one (replacing the row of its id) with the recipients it went to. */
  put(watch: Watch, recipients: readonly HeldRecipient[]): void;
  /** Forgets a watch whose registration could not be recorded (it was never sent anywhere). */
  remove(id: string): void;
  /** Marks a watch cancelled at `at`; false when it was already cancelled or is not held here. */
  cancel(id: string, at: number): boolean;
  /** The watches of one analyst, newest first. */
  ofAnalyst(analyst: string): OwnWatch[];
}

export interface OwnWatch {
  readonly watch: Watch;
  /** The members the watch went to at its last registration or renewal. */
  readonly recipients: readonly HeldRecipient[];
  /**
   * Every member the watch was ever sent to, with the last copy each was sent: a member that a renewal
   * stopped sending it to may not have heard the drop (it was down), so drops and the cancellation name
   * it again, until the watch ends. Dropping at a member that holds nothing is harmless.
   */
  readonly everSentTo: readonly HeldRecipient[];
  /** Epoch ms; absent while the watch runs. */
  readonly cancelledAt?: number;
}

/** A member a watch went to, and what it holds of it (alerts/distribute.ts). */
export interface HeldRecipient {
  readonly member: string;
  readonly watch: HeldWatch;
}

interface Row {
  body: string;
  recipients: string;
  cancelled_at: number | null;
}

export function openOwnWatches(store: ReferenceStore): OwnWatches {
  const db = storeDatabase(store);
  db.exec(`
    CREATE TABLE IF NOT EXISTS own_watches (
      id TEXT PRIMARY KEY,
      analyst TEXT NOT NULL,
      body TEXT NOT NULL,
      recipients TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      cancelled_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS own_watches_analyst ON own_watches (analyst, created_at);
    CREATE TABLE IF NOT EXISTS own_watch_sent (
      watch_id TEXT NOT NULL,
      member TEXT NOT NULL,
      held TEXT NOT NULL,
      PRIMARY KEY (watch_id, member)
    );
  `);
  const sentTo = db.prepare<[string], { member: string; held: string }>(
    // In the order the members were first sent it (the registry's, at the first registration).
    'SELECT member, held FROM own_watch_sent WHERE watch_id = ? ORDER BY rowid',
  );
  const putSent = db.prepare(
    'INSERT INTO own_watch_sent (watch_id, member, held) VALUES (?, ?, ?) ON CONFLICT (watch_id, member) DO UPDATE SET held = excluded.held',
  );
  const deleteSent = db.prepare('DELETE FROM own_watch_sent WHERE watch_id = ?');
  const select = db.prepare<[string], Row>(
    'SELECT body, recipients, cancelled_at FROM own_watches WHERE id = ?',
  );
  const byAnalyst = db.prepare<[string], Row>(
    'SELECT body, recipients, cancelled_at FROM own_watches WHERE analyst = ? ORDER BY created_at DESC, id',
  );
  const upsert = db.prepare(
    `INSERT INTO own_watches (id, analyst, body, recipients, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET body = excluded.body, recipients = excluded.recipients, expires_at = excluded.expires_at`,
  );
  const deleteOne = db.prepare('DELETE FROM own_watches WHERE id = ?');
  const markCancelled = db.prepare(
    'UPDATE own_watches SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL',
  );
  const read = (row: Row): OwnWatch => {
    const watch = Object.freeze(JSON.parse(row.body) as Watch);
    return {
      watch,
      recipients: Object.freeze(JSON.parse(row.recipients) as HeldRecipient[]),
      everSentTo: Object.freeze(
        sentTo.all(watch.id).map(({ member, held }) => ({ member, watch: JSON.parse(held) as HeldWatch })),
      ),
      ...(row.cancelled_at !== null && { cancelledAt: row.cancelled_at }),
    };
  };
  return {
    get(id) {
      const row = select.get(id);
      return row === undefined ? undefined : read(row);
    },
    put(watch, recipients) {
      const kept = recipients.map(({ member, watch: held }) => ({ member, watch: held }));
      store.transaction(() => {
        upsert.run(
          watch.id,
          watch.analyst,
          JSON.stringify(watch),
          JSON.stringify(kept),
          watch.createdAt,
          watch.expiresAt,
        );
        for (const { member, watch: held } of kept) putSent.run(watch.id, member, JSON.stringify(held));
      });
    },
    remove(id) {
      store.transaction(() => {
        deleteSent.run(id);
        deleteOne.run(id);
      });
    },
    cancel(id, at) {
      return markCancelled.run(at, id).changes > 0;
    },
    ofAnalyst(analyst) {
      return byAnalyst.all(analyst).map(read);
    },
  };
}
