/**
 * The hub's alert log (subgraphs/alliance/alertLog, docs/decisions/0019-alert-delivery.md): the same cases
 * on SQLite and on PostgreSQL (a real server on loopback; skipped outside CI when it is not installed).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { noticePublicKey, type Notice } from '../../alerts';
import { Client } from 'pg';
import {
  AlertLogInputError,
  BAD_CURSOR_MESSAGE,
  type AlertLog,
  type AlertPage,
  type WireNotice,
} from '../../subgraphs/alliance';
import { ALERT_ACTIONS } from '../../vocabulary';
import {
  CODES,
  OWNER_KEYS,
  T0,
  UNPINNED,
  noticeFor,
  postgresAvailable,
  postgresLogBackend,
  registration,
  sqliteLogBackend,
  watchId,
  wire,
  type LogBackend,
} from './support/alertNotices';

const [WATCHER, OWNER, OTHER] = CODES as [string, string, string];
const ANALYST = 'analyst.one';
const COLLEAGUE = 'analyst.two';

const backends: [string, () => Promise<LogBackend>][] = [
  ['SQLite', () => Promise.resolve(sqliteLogBackend())],
  ...(postgresAvailable() ? [['PostgreSQL', postgresLogBackend] as [string, () => Promise<LogBackend>]] : []),
];

/** Every notice the analyst can read, page by page from the start. */
async function readAll(
  log: AlertLog,
  watcher: string,
  analyst: string,
  limit = 500,
): Promise<AlertPage['notices']> {
  const all: AlertPage['notices'][number][] = [];
  let after: string | null = null;
  for (;;) {
    const page: AlertPage = await log.since(watcher, analyst, after, limit);
    all.push(...page.notices);
    if (page.notices.length === 0) return all;
    after = page.cursor;
  }
}

describe.each(backends)('the alert log on %s', (_name, makeBackend) => {
  let backend: LogBackend;
  const opened: AlertLog[] = [];
  beforeAll(async () => {
    backend = await makeBackend();
  }, 60_000);
  afterAll(async () => {
    await backend?.close();
  });
  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close();
  });
  async function open(options: Parameters<LogBackend['open']>[0] = {}) {
    const made = await backend.open(options);
    opened.push(made.log);
    return made;
  }

  it('stores a notice once: a duplicate is acknowledged as held and changes nothing', async () => {
    const { log } = await open();
    const id = watchId(WATCHER);
    await log.registerWatch(registration(id, ANALYST));
    const notice = wire(noticeFor(OWNER, id, 1));
    expect(await log.append([notice], T0)).toEqual([
      { status: 'stored', owner: OWNER, noticeId: noticeFor(OWNER, id, 1).noticeId },
    ]);
    // Again, alone and inside a batch (a relay that crashed before marking sends it again).
    expect(await log.append([notice], T0 + 5)).toEqual([
      { status: 'duplicate', owner: OWNER, noticeId: noticeFor(OWNER, id, 1).noticeId },
    ]);
    const again = await log.append([wire(noticeFor(OWNER, id, 2)), notice], T0 + 9);
    expect(again.map((outcome) => outcome.status)).toEqual(['stored', 'duplicate']);
    const read = await readAll(log, WATCHER, ANALYST);
    expect(read.map((one) => one.notice.noticeId)).toEqual([
      noticeFor(OWNER, id, 1).noticeId,
      noticeFor(OWNER, id, 2).noticeId,
    ]);
    // The first copy is the one kept, with its arrival time.
    expect(read[0]!.receivedAt).toBe(T0);
    expect(read[0]!.body).toBe(notice.body);
    expect(read[0]!.signature).toBe(notice.signature);
    expect(read[0]!.watch).toEqual({ ...registration(id, ANALYST) });
  });

  it('gives the notices in the order they were stored, page by page with an opaque cursor', async () => {
    const { log } = await open();
    const id = watchId(WATCHER);
    await log.registerWatch(registration(id, ANALYST));
    // Two owners, interleaved, in batches of different sizes.
    const sent = [1, 2, 3, 4, 5, 6, 7].map((n) => noticeFor(n % 2 ? OWNER : OTHER, id, n));
    await log.append(
      sent.slice(0, 3).map((n) => wire(n)),
      T0,
    );
    await log.append([wire(sent[3]!)], T0 + 1);
    await log.append(
      sent.slice(4).map((n) => wire(n)),
      T0 + 2,
    );
    const pages: string[][] = [];
    let after: string | null = null;
    for (;;) {
      const page: AlertPage = await log.since(WATCHER, ANALYST, after, 2);
      if (page.notices.length === 0) break;
      expect(page.notices.length).toBeLessThanOrEqual(2);
      expect(page.cursor).toBe(page.notices[page.notices.length - 1]!.cursor);
      pages.push(page.notices.map((one) => one.notice.noticeId));
      after = page.cursor;
    }
    expect(pages.flat()).toEqual(sent.map((n) => n.noticeId));
    expect(pages.length).toBe(Math.ceil(sent.length / 2));
    // Past the end: nothing, and the cursor stays where it is.
    const end = await log.since(WATCHER, ANALYST, after, 2);
    expect(end).toMatchObject({ notices: [], cursor: after });
    // Malformed, or a number (a cursor of the log before each analyst had a sequence of their own).
    for (const bad of ['abc', '-1', '1.5', '01', '', '1', 'f'.repeat(32)])
      await expect(log.since(WATCHER, ANALYST, bad, 2)).rejects.toThrow(BAD_CURSOR_MESSAGE);
    for (const limit of [0, -1, 501, 1.5])
      await expect(log.since(WATCHER, ANALYST, null, limit)).rejects.toThrow(AlertLogInputError);
  });

  it("gives a watcher's analyst their notices only: never a notice of an unregistered watch, or from a member the watch did not go to", async () => {
    const { log } = await open();
    const mine = watchId(WATCHER);
    const colleagues = watchId(WATCHER);
    const unregistered = watchId(WATCHER);
    const foreign = watchId(OTHER);
    // A watch that went to one member only: another member has nothing to tell about it.
    const narrow = watchId(WATCHER);
    const stranger = CODES.find((code) => code !== WATCHER && code !== OWNER)!;
    await log.registerWatch(registration(mine, ANALYST));
    await log.registerWatch(registration(colleagues, COLLEAGUE));
    await log.registerWatch(registration(foreign, ANALYST));
    await log.registerWatch(registration(narrow, ANALYST, { recipients: [OWNER] }));
    await log.append(
      [
        wire(noticeFor(OWNER, colleagues, 1)),
        wire(noticeFor(OWNER, mine, 2)),
        wire(noticeFor(OWNER, foreign, 3)),
        wire(noticeFor(OWNER, unregistered, 4)),
        wire(noticeFor(OWNER, mine, 5)),
        wire(noticeFor(stranger, narrow, 6)),
        wire(noticeFor(OWNER, narrow, 7)),
      ],
      T0,
    );
    const ids = async (watcher: string, analyst: string) =>
      (await readAll(log, watcher, analyst)).map((one) => one.notice.noticeId);
    // The unregistered watch's notice and the stranger's are passed over at once, holding nothing back.
    expect(await ids(WATCHER, ANALYST)).toEqual([
      noticeFor(OWNER, mine, 2).noticeId,
      noticeFor(OWNER, mine, 5).noticeId,
      noticeFor(OWNER, narrow, 7).noticeId,
    ]);
    expect(await ids(WATCHER, COLLEAGUE)).toEqual([noticeFor(OWNER, colleagues, 1).noticeId]);
    // Another watcher's analyst of the same name reads only that watcher's.
    expect(await ids(OTHER, ANALYST)).toEqual([noticeFor(OWNER, foreign, 3).noticeId]);
  });

  it("refuses, with one message, a cursor of another analyst's, or one past the analyst's last notice", async () => {
    const cursorKey = randomBytes(32).toString('hex');
    const { log } = await open({ cursorKey });
    const mine = watchId(WATCHER);
    const colleagues = watchId(WATCHER);
    await log.registerWatch(registration(mine, ANALYST));
    await log.registerWatch(registration(colleagues, COLLEAGUE));
    await log.append(
      [1, 2, 3].map((n) => wire(noticeFor(OWNER, mine, n))),
      T0,
    );
    await log.append([wire(noticeFor(OWNER, colleagues, 4))], T0);
    const [first, , third] = (await readAll(log, WATCHER, ANALYST)).map((one) => one.cursor);
    const [theirs] = (await readAll(log, WATCHER, COLLEAGUE)).map((one) => one.cursor);
    // The colleague's cursor, and mine in another analyst's or another watcher's hands.
    await expect(log.since(WATCHER, ANALYST, theirs!, 10)).rejects.toThrow(BAD_CURSOR_MESSAGE);
    await expect(log.since(WATCHER, COLLEAGUE, first!, 10)).rejects.toThrow(BAD_CURSOR_MESSAGE);
    await expect(log.since(OTHER, ANALYST, first!, 10)).rejects.toThrow(BAD_CURSOR_MESSAGE);
    await expect(log.wait(WATCHER, COLLEAGUE, first!, 10)).rejects.toThrow(AlertLogInputError);
    // Another log with the same key and fewer of my notices: my third cursor is past its end.
    const { log: shorter } = await open({ cursorKey });
    await shorter.registerWatch(registration(mine, ANALYST));
    await shorter.append([wire(noticeFor(OWNER, mine, 1))], T0);
    expect((await shorter.since(WATCHER, ANALYST, first!, 10)).notices).toEqual([]);
    await expect(shorter.since(WATCHER, ANALYST, third!, 10)).rejects.toThrow(BAD_CURSOR_MESSAGE);
  });

  it("numbers each analyst's notices in a log written before the analysts' sequences, and goes on from there", async () => {
    // A log as the hub wrote it before (its three tables, a global seq the only order), filled directly.
    const { log: made, place } = await open();
    await made.close();
    const mine = registration(watchId(WATCHER), ANALYST);
    const colleagues = registration(watchId(WATCHER), COLLEAGUE);
    // A watch that went to OWNER only: OTHER's notice for it came from a member it did not go to.
    const narrow = registration(watchId(WATCHER), ANALYST, { recipients: [OWNER] });
    const unregistered = watchId(WATCHER);
    const rows = [
      noticeFor(OWNER, mine.id, 1),
      noticeFor(OWNER, colleagues.id, 2),
      noticeFor(OWNER, unregistered, 3),
      noticeFor(OTHER, narrow.id, 6),
      noticeFor(OTHER, mine.id, 4),
    ];
    await backend.exec(place, [
      'DROP TABLE alert_log',
      'DROP TABLE alert_meta',
      `CREATE TABLE alert_log (
         seq ${backend.name === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY'},
         owner TEXT NOT NULL, notice_id TEXT NOT NULL, watcher TEXT NOT NULL, watch_id TEXT NOT NULL,
         body TEXT NOT NULL, signature TEXT NOT NULL, received_at BIGINT NOT NULL, UNIQUE (owner, notice_id))`,
      ...[mine, colleagues, narrow].map(
        (watch) =>
          `INSERT INTO alert_watches (id, watcher, analyst, case_reference, purpose, created_at, expires_at, recipients)
           VALUES ('${watch.id}', '${watch.watcher}', '${watch.analyst}', '${watch.caseReference}', '${watch.purpose}',
                   ${watch.createdAt}, ${watch.expiresAt}, '${JSON.stringify(watch.recipients)}')`,
      ),
      ...rows.map((notice) => {
        const sent = wire(notice);
        return `INSERT INTO alert_log (owner, notice_id, watcher, watch_id, body, signature, received_at)
                VALUES ('${notice.owner}', '${notice.noticeId}', '${notice.watcher}', '${notice.watchId}',
                        '${sent.body}', '${sent.signature}', ${T0})`;
      }),
    ]);
    const { log } = await open({ place });
    const ids = async (analyst: string) =>
      (await readAll(log, WATCHER, analyst)).map((one) => one.notice.noticeId);
    expect(await ids(ANALYST)).toEqual([rows[0]!.noticeId, rows[4]!.noticeId]);
    expect(await ids(COLLEAGUE)).toEqual([rows[1]!.noticeId]);
    // A cursor of the migrated part reads on into what is appended now, in order, nothing twice.
    const [firstCursor] = (await readAll(log, WATCHER, ANALYST)).map((one) => one.cursor);
    await log.append([wire(noticeFor(OWNER, mine.id, 5))], T0);
    expect(
      (await log.since(WATCHER, ANALYST, firstCursor!, 10)).notices.map((one) => one.notice.noticeId),
    ).toEqual([rows[4]!.noticeId, noticeFor(OWNER, mine.id, 5).noticeId]);
    // Opened again: migrated once only, the same cursors.
    const before = await readAll(log, WATCHER, ANALYST);
    await log.close();
    const { log: again } = await open({ place });
    expect(await readAll(again, WATCHER, ANALYST)).toEqual(before);
  });

  it('opens a log from before the record of drops with none recorded, and records the drops from then on', async () => {
    const { log: made, place } = await open();
    const narrow = registration(watchId(WATCHER), ANALYST, { recipients: [OWNER] });
    await made.registerWatch(narrow);
    await made.append([wire(noticeFor(OWNER, narrow.id, 1))], T0);
    await made.close();
    // As the hub left it before: no record of drops, and a renewal (by a hub of that version) that
    // dropped OWNER with no trace of when.
    await backend.exec(place, [
      'DROP TABLE alert_dropped',
      `UPDATE alert_watches SET recipients = '[]' WHERE id = '${narrow.id}'`,
    ]);
    const { log } = await open({ place });
    const ids = async () => (await readAll(log, WATCHER, ANALYST)).map((one) => one.notice.noticeId);
    // No drop recorded: a late notice of OWNER's is given to no one, as before.
    await log.append([wire(noticeFor(OWNER, narrow.id, 2))], T0 + 10);
    expect(await ids()).toEqual([noticeFor(OWNER, narrow.id, 1).noticeId]);
    // Given back to OWNER, then dropped at T0 + 5: its late notice of T0 + 3 is given, of T0 + 7 not.
    await log.registerWatch(narrow, T0 + 4);
    await log.registerWatch({ ...narrow, recipients: [] }, T0 + 5);
    await log.append([wire(noticeFor(OWNER, narrow.id, 3)), wire(noticeFor(OWNER, narrow.id, 7))], T0 + 10);
    expect(await ids()).toEqual([
      noticeFor(OWNER, narrow.id, 1).noticeId,
      noticeFor(OWNER, narrow.id, 3).noticeId,
    ]);
  });

  it("forgets a watch's drops when it is cancelled, for good: a late notice of a member it dropped is given to no one", async () => {
    const { log, place } = await open();
    // Two watches each drop OTHER at T0 + 5; the first is then cancelled, the second runs on.
    const cancelled = registration(watchId(WATCHER), ANALYST, { recipients: [OWNER, OTHER] });
    const running = registration(watchId(WATCHER), ANALYST, { recipients: [OWNER, OTHER] });
    for (const watch of [cancelled, running]) {
      await log.registerWatch(watch, T0);
      await log.registerWatch({ ...watch, recipients: [OWNER] }, T0 + 5);
    }
    const drops = async () =>
      (await backend.rows(place, 'SELECT watch_id, member FROM alert_dropped ORDER BY watch_id, member')).map(
        (row) => `${String(row['watch_id'])} ${String(row['member'])}`,
      );
    expect(await drops()).toEqual([`${cancelled.id} ${OTHER}`, `${running.id} ${OTHER}`].sort());
    await log.cancelWatch(cancelled.id, WATCHER, T0 + 6);
    expect(await drops()).toEqual([`${running.id} ${OTHER}`]);
    // Cancelling again, or renewing the cancelled watch, records nothing.
    await log.cancelWatch(cancelled.id, WATCHER, T0 + 7);
    expect(await log.registerWatch({ ...cancelled, recipients: [] }, T0 + 8)).toEqual({
      ok: false,
      reason: 'cancelled',
    });
    expect(await drops()).toEqual([`${running.id} ${OTHER}`]);
    // OTHER's notices emitted at T0 + 3, before the drops, come late: the running watch's is numbered as
    // before; the cancelled watch's is given to no one (nothing of a cancelled watch is delivered).
    await log.append(
      [wire(noticeFor(OTHER, cancelled.id, 3)), wire(noticeFor(OTHER, running.id, 3))],
      T0 + 10,
    );
    expect((await readAll(log, WATCHER, ANALYST)).map((one) => one.notice.noticeId)).toEqual([
      noticeFor(OTHER, running.id, 3).noticeId,
    ]);
  });

  it('opens a log whose cancelled watches kept their drops (as the hub left them before) without them', async () => {
    const { log: made, place } = await open();
    const cancelled = registration(watchId(WATCHER), ANALYST, { recipients: [OWNER, OTHER] });
    const running = registration(watchId(WATCHER), ANALYST, { recipients: [OWNER, OTHER] });
    for (const watch of [cancelled, running]) {
      await made.registerWatch(watch, T0);
      await made.registerWatch({ ...watch, recipients: [OWNER] }, T0 + 5);
    }
    await made.close();
    // A hub of the version before cancelled it and kept the drop.
    await backend.exec(place, [
      `UPDATE alert_watches SET cancelled_at = ${T0 + 6} WHERE id = '${cancelled.id}'`,
    ]);
    expect(await backend.rows(place, 'SELECT watch_id FROM alert_dropped')).toHaveLength(2);
    await open({ place });
    expect(await backend.rows(place, 'SELECT watch_id FROM alert_dropped')).toEqual([
      { watch_id: running.id },
    ]);
  });

  it('wakes a waiting reader when a notice for its watcher is stored, and only then', async () => {
    const { log } = await open();
    const id = watchId(WATCHER);
    await log.registerWatch(registration(id, ANALYST));
    const head = (await log.since(WATCHER, ANALYST, null, 10)).cursor;
    // Another watcher's notice does not wake it: it waits out its (short) timeout.
    const other = watchId(OTHER);
    const notWoken = log.wait(WATCHER, ANALYST, head, 200);
    await log.append([wire(noticeFor(OWNER, other, 1))], T0);
    expect(await notWoken).toBe(false);
    // Its own watcher's notice does: true (a wait that ran out would answer false).
    const woken = log.wait(WATCHER, ANALYST, head, 20_000);
    await log.append([wire(noticeFor(OWNER, id, 2))], T0);
    expect(await woken).toBe(true);
    // A row already there after `after`: it returns at once.
    expect(await log.wait(WATCHER, ANALYST, head, 20_000)).toBe(true);
    // Aborted, or the log closed: it ends, false.
    const current = (await log.since(WATCHER, ANALYST, null, 10)).cursor;
    const abort = new AbortController();
    const aborted = log.wait(WATCHER, ANALYST, current, 20_000, abort.signal);
    abort.abort();
    expect(await aborted).toBe(false);
    const closing = log.wait(WATCHER, ANALYST, current, 20_000);
    await log.close();
    expect(await closing).toBe(false);
  });

  it('keeps the first acknowledgement, and takes one only from the analyst whose notice it is', async () => {
    const { log } = await open();
    const id = watchId(WATCHER);
    await log.registerWatch(registration(id, ANALYST));
    const notice = noticeFor(OWNER, id, 1);
    await log.append([wire(notice)], T0);
    const [first, second] = ALERT_ACTIONS;
    expect(await log.acknowledge(OWNER, notice.noticeId, WATCHER, COLLEAGUE, first, T0 + 1)).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await log.acknowledge(OWNER, notice.noticeId, OTHER, ANALYST, first, T0 + 1)).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await log.acknowledge(OTHER, notice.noticeId, WATCHER, ANALYST, first, T0 + 1)).toEqual({
      ok: false,
      reason: 'not-found',
    });
    const kept = { analyst: ANALYST, action: first, at: T0 + 2 };
    expect(await log.acknowledge(OWNER, notice.noticeId, WATCHER, ANALYST, first, T0 + 2)).toEqual({
      ok: true,
      acknowledgement: kept,
      first: true,
    });
    expect(await log.acknowledge(OWNER, notice.noticeId, WATCHER, ANALYST, second, T0 + 3)).toEqual({
      ok: true,
      acknowledgement: kept,
      first: false,
    });
    expect((await readAll(log, WATCHER, ANALYST))[0]!.acknowledgement).toEqual(kept);
  });

  it('refuses a tampered, forged, unknown-owner or malformed notice, and stores none of them', async () => {
    const { log } = await open();
    const id = watchId(WATCHER);
    await log.registerWatch(registration(id, ANALYST));
    const good = noticeFor(OWNER, id, 1);
    const signed = wire(good);
    // The body changed after signing (another subject), keeping the owner's signature.
    const tampered: WireNotice = {
      ...signed,
      body: signed.body.replace(good.subject, `${OWNER}-SUS-999999`),
    };
    expect(tampered.body).not.toBe(signed.body);
    // Signed by another member's key, in the owner's name.
    const forged = wire(noticeFor(OWNER, id, 2), OWNER_KEYS.get(OTHER));
    const unknown = wire(noticeFor(UNPINNED, id, 3));
    const notCanonical: WireNotice = {
      ...wire(noticeFor(OWNER, id, 4)),
      body: JSON.stringify(noticeFor(OWNER, id, 4), null, 1),
    };
    const noField = (() => {
      const { subject: _subject, ...rest } = noticeFor(OWNER, id, 5);
      return { body: JSON.stringify(rest), signature: signed.signature };
    })();
    const outcomes = await log.append(
      [
        tampered,
        forged,
        unknown,
        notCanonical,
        noField,
        { body: 'not json', signature: signed.signature },
        { body: signed.body } as WireNotice,
        'a string' as unknown as WireNotice,
        signed,
      ],
      T0,
    );
    expect(outcomes).toEqual([
      { status: 'refused', reason: 'bad-signature', noticeId: good.noticeId },
      { status: 'refused', reason: 'bad-signature', noticeId: noticeFor(OWNER, id, 2).noticeId },
      { status: 'refused', reason: 'unknown-owner', noticeId: noticeFor(UNPINNED, id, 3).noticeId },
      { status: 'refused', reason: 'malformed', noticeId: noticeFor(OWNER, id, 4).noticeId },
      { status: 'refused', reason: 'malformed', noticeId: noticeFor(OWNER, id, 5).noticeId },
      { status: 'refused', reason: 'malformed', noticeId: null },
      { status: 'refused', reason: 'malformed', noticeId: good.noticeId },
      { status: 'refused', reason: 'malformed', noticeId: null },
      { status: 'stored', owner: OWNER, noticeId: good.noticeId },
    ]);
    const read = await readAll(log, WATCHER, ANALYST);
    expect(read.map((one) => one.body)).toEqual([signed.body]);
  });

  it("verifies each notice with the owner's key as the hub holds it now: a new key is used at once, the old one no longer", async () => {
    const pinned = new Map(CODES.map((code) => [code, noticePublicKey(OWNER_KEYS.get(code)!)]));
    const { log } = await open({ keys: { description: 'test keys', keyOf: (owner) => pinned.get(owner) } });
    const id = watchId(WATCHER);
    await log.registerWatch(registration(id, ANALYST));
    const [first, second, third] = [1, 2, 3].map((n) => noticeFor(OWNER, id, n)) as [Notice, Notice, Notice];
    expect(await log.append([wire(first)], T0)).toMatchObject([{ status: 'stored' }]);
    const rotated = generateKeyPairSync('ed25519').privateKey;
    pinned.set(OWNER, noticePublicKey(rotated));
    expect(await log.append([wire(second), wire(third, rotated)], T0)).toMatchObject([
      { status: 'refused', reason: 'bad-signature', noticeId: second.noticeId },
      { status: 'stored', noticeId: third.noticeId },
    ]);
  });

  it('registers, renews and cancels a watch: its analyst never changes, the first cancellation is kept', async () => {
    const { log } = await open();
    const id = watchId(WATCHER);
    const first = registration(id, ANALYST);
    expect(await log.registerWatch(first)).toEqual({ ok: true, watch: first, created: true });
    const renewed = registration(id, ANALYST, {
      createdAt: T0 + 50,
      expiresAt: T0 + 2 * 86_400_000,
      recipients: [OWNER],
    });
    // Renewal: new terms, the creation time kept.
    expect(await log.registerWatch(renewed)).toEqual({
      ok: true,
      watch: { ...renewed, createdAt: T0 },
      created: false,
    });
    expect(await log.registerWatch(registration(id, COLLEAGUE))).toEqual({ ok: false, reason: 'taken' });
    expect(await log.cancelWatch(id, OTHER, T0 + 5)).toEqual({ ok: false, reason: 'not-found' });
    expect(await log.cancelWatch(watchId(WATCHER), WATCHER, T0 + 5)).toEqual({
      ok: false,
      reason: 'not-found',
    });
    const cancelled = { ...renewed, createdAt: T0, cancelledAt: T0 + 6 };
    expect(await log.cancelWatch(id, WATCHER, T0 + 6)).toEqual({ ok: true, watch: cancelled, first: true });
    expect(await log.cancelWatch(id, WATCHER, T0 + 7)).toEqual({ ok: true, watch: cancelled, first: false });
    expect(await log.registerWatch(renewed)).toEqual({ ok: false, reason: 'cancelled' });
    expect(await log.watch(id)).toEqual(cancelled);
    expect(await log.watch(watchId(WATCHER))).toBeUndefined();
  });

  it("lists an analyst's own watches, newest first, cancelled ones too, and no one else's", async () => {
    const { log } = await open();
    const older = registration(watchId(WATCHER), ANALYST, { createdAt: T0 });
    const newer = registration(watchId(WATCHER), ANALYST, { createdAt: T0 + 10 });
    await log.registerWatch(older);
    await log.registerWatch(newer);
    await log.registerWatch(registration(watchId(WATCHER), COLLEAGUE));
    await log.registerWatch(registration(watchId(OTHER), ANALYST));
    await log.cancelWatch(older.id, WATCHER, T0 + 20);
    expect(await log.watches(WATCHER, ANALYST)).toEqual([newer, { ...older, cancelledAt: T0 + 20 }]);
    expect(await log.watches(WATCHER, 'nobody')).toEqual([]);
  });

  it('keeps everything across a reopening', async () => {
    const { log, place } = await open();
    const id = watchId(WATCHER);
    await log.registerWatch(registration(id, ANALYST));
    await log.append([wire(noticeFor(OWNER, id, 1))], T0);
    await log.acknowledge(OWNER, noticeFor(OWNER, id, 1).noticeId, WATCHER, ANALYST, ALERT_ACTIONS[0], T0);
    await log.close();
    const { log: reopened } = await open({ place });
    const read = await readAll(reopened, WATCHER, ANALYST);
    expect(read.map((one) => [one.notice.noticeId, one.acknowledgement?.action])).toEqual([
      [noticeFor(OWNER, id, 1).noticeId, ALERT_ACTIONS[0]],
    ]);
    expect(await reopened.append([wire(noticeFor(OWNER, id, 1))], T0)).toMatchObject([
      { status: 'duplicate' },
    ]);
  });

  if (_name === 'SQLite')
    it("commits off the hub's thread: while another writer holds the file, the hub still runs, and the notices wait", async () => {
      const { log, place } = await open();
      const id = watchId(WATCHER);
      await log.registerWatch(registration(id, ANALYST));
      // Another connection holds the write lock: a commit on the calling thread would block it here.
      const holder = new Database(place);
      holder.exec('BEGIN IMMEDIATE');
      let settled = false;
      const notices = [1, 2].map((n) => noticeFor(OWNER, id, n));
      const appended = Promise.all(notices.map((notice) => log.append([wire(notice)], T0))).finally(() => {
        settled = true;
      });
      // The event loop turns (the hub answers other requests), and nothing is acknowledged before it is stored.
      await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBe(false);
      expect((await log.since(WATCHER, ANALYST, null, 10)).notices).toEqual([]);
      holder.exec('COMMIT');
      holder.close();
      expect((await appended).flat().map((outcome) => outcome.status)).toEqual(['stored', 'stored']);
      expect((await readAll(log, WATCHER, ANALYST)).map((one) => one.notice.noticeId)).toEqual(
        notices.map((notice) => notice.noticeId),
      );
    });

  if (_name === 'PostgreSQL')
    it('never lets a reader skip a notice whose append drew the smaller seq but commits last', async () => {
      // The first append is held open inside its transaction, after its insert, until released.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      let calls = 0;
      const { log, place } = await open({
        beforeCommit: async () => {
          if (++calls > 1) return;
          holding();
          await released;
        },
      });
      const id = watchId(WATCHER);
      await log.registerWatch(registration(id, ANALYST));
      const slow = noticeFor(OWNER, id, 1);
      const fast = noticeFor(OWNER, id, 2);
      const first = log.append([wire(slow)], T0);
      await held;
      let secondDone = false;
      const second = log.append([wire(fast)], T0).then((outcome) => {
        secondDone = true;
        return outcome;
      });
      // Until the second append has either committed or is waiting for a lock (no fixed sleep).
      const observer = new Client({ connectionString: place });
      await observer.connect();
      try {
        for (;;) {
          const waiting = await observer.query(
            "SELECT 1 FROM pg_locks WHERE NOT granted AND locktype = 'advisory'",
          );
          if (secondDone || (waiting.rowCount ?? 0) > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      } finally {
        await observer.end();
      }
      // A reader now: whatever it sees, its cursor must not pass the held notice.
      const before = await log.since(WATCHER, ANALYST, null, 10);
      release();
      await Promise.all([first, second]);
      const after = await log.since(WATCHER, ANALYST, before.cursor, 10);
      expect([...before.notices, ...after.notices].map((one) => one.notice.noticeId)).toEqual([
        slow.noticeId,
        fast.noticeId,
      ]);
    });
});
