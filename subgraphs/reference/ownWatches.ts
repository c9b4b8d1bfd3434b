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
  readonly recipients: readonly HeldRecipient[];
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
  `);
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
  const read = (row: Row): OwnWatch => ({
    watch: Object.freeze(JSON.parse(row.body) as Watch),
    recipients: Object.freeze(JSON.parse(row.recipients) as HeldRecipient[]),
    ...(row.cancelled_at !== null && { cancelledAt: row.cancelled_at }),
  });
  return {
    get(id) {
      const row = select.get(id);
      return row === undefined ? undefined : read(row);
    },
    put(watch, recipients) {
      const kept = recipients.map(({ member, watch: held }) => ({ member, watch: held }));
      upsert.run(
        watch.id,
        watch.analyst,
        JSON.stringify(watch),
        JSON.stringify(kept),
        watch.createdAt,
        watch.expiresAt,
      );
    },
    remove(id) {
      deleteOne.run(id);
    },
    cancel(id, at) {
      return markCancelled.run(at, id).changes > 0;
    },
    ofAnalyst(analyst) {
      return byAnalyst.all(analyst).map(read);
    },
  };
}
