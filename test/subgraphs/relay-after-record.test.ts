import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createWatch, distributeWatch, type HeldWatch } from '../../alerts';
import { createLogger } from '../../lib/logger';
import { loadDefaultPolicy } from '../../policy';
import { MEMBERS } from '../../schema';
import { PURPOSES } from '../../vocabulary';
import {
  openMemberAlerts,
  openOwnerAlerts,
  openStore,
  type AlertAct,
  type MemberAlerts,
  type MemberAlertsOptions,
  type RelayEvent,
  type SuspectRecord,
} from '../../subgraphs/reference';
import { TEST_NOW } from '../support/alliance';
import { borderMovement } from './borderMovement';
import { startNoticeHub, type NoticeHub } from '../support/noticeHub';

/**
 * No release before its record (docs/decisions/0019-alert-delivery.md): a member's relay posts a notice
 * only once its `notice.emitted` record is durable in the member's audit log. Here the audit log is the
 * test's recorder, the hub a small one (test/support/noticeHub.ts), the member's outbox a store file that
 * a second `openMemberAlerts` reopens as a restarted process would. Oracle: each record, when appended,
 * finds its notice not yet received by the hub; each notice the hub received was recorded first.
 * Nothing is timed: each step waits for a relay event or for the recorder to be called.
 */
const policy = loadDefaultPolicy();
const members = MEMBERS.map((member) => member.code);
const logger = createLogger('relay-after-record-test');

/** A watch an owner holds on one of its suspects' passports, such that a border movement gives a notice. */
interface Setting {
  readonly owner: string;
  readonly suspect: SuspectRecord;
  readonly watch: HeldWatch;
}

/** Found from the agreements by the real engines, on a throwaway store (setup, not oracle). */
function findSetting(): Setting {
  for (const owner of members) {
    const store = openStore({ country: owner, file: ':memory:', size: 30 });
    try {
      const ids = Array.from({ length: 30 }, (_, i) => `${owner}-SUS-${String(i + 1).padStart(6, '0')}`);
      const suspect = [...store.load('Suspect', ids).values()].find((s) => s.travelDocuments.length > 0);
      if (suspect === undefined) continue;
      const probe = openOwnerAlerts({
        store,
        policy,
        key: generateKeyPairSync('ed25519').privateKey,
        now: () => TEST_NOW,
      });
      const document = suspect.travelDocuments[0]!;
      for (const watcher of members.filter((m) => m !== owner))
        for (const purpose of PURPOSES) {
          const watch = distributeWatch(
            policy,
            createWatch(
              {
                caseReference: `${watcher}-CAS-000001`,
                purpose,
                identifiers: [
                  { kind: 'passport', number: document.number, issuingCountry: document.issuingCountry },
                ],
                justification: 'Expected to cross a border this week.',
                days: 7,
              },
              { country: watcher, analyst: 'analyst.one' },
              TEST_NOW - 1000,
            ),
            members,
            TEST_NOW,
          ).find((r) => r.member === owner)?.watch;
          if (watch === undefined) continue;
          const held = probe.hold(watch);
          if (probe.apply(borderMovement(store, suspect, -1)).notices.length > 0)
            return { owner, suspect, watch: held };
          probe.drop(watch.id);
        }
    } finally {
      store.close();
    }
  }
  throw new Error('no owner, watcher and purpose of the agreements let a border movement be told');
}

describe('a notice is relayed only once its record is durable at the owner', () => {
  const setting = findSetting();
  const key: KeyObject = generateKeyPairSync('ed25519').privateKey;
  let dir: string;
  let hub: NoticeHub;
  let events: RelayEvent[];
  let listeners: ((event: RelayEvent) => void)[];
  const cleanup: (() => Promise<void> | void)[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-relay-after-record-'));
    hub = await startNoticeHub((owner) => (owner === setting.owner ? publicKey() : undefined));
    events = [];
    listeners = [];
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let publicKeyOf: string | undefined;
  const publicKey = (): string | undefined => publicKeyOf;

  /** Records in the test's log; each checks its notice has not reached the hub yet. */
  const recorded: string[] = [];
  const releasedFirst: string[] = [];
  const recorder =
    (mode: () => 'write' | 'fail' | 'hang', called?: () => void) =>
    (act: AlertAct): Promise<void> => {
      if (act.act !== 'notice.emitted') return Promise.resolve();
      called?.();
      const how = mode();
      if (how === 'hang') return new Promise<void>(() => undefined);
      if (how === 'fail') return Promise.reject(new Error('the audit log is unavailable'));
      if (hub.received.includes(act.notice.noticeId)) releasedFirst.push(act.notice.noticeId);
      recorded.push(act.notice.noticeId);
      return Promise.resolve();
    };

  /** A member's alerts over the store file, as a process opens them; `stop` and the store are cleaned up. */
  function open(
    record: MemberAlertsOptions['record'],
    options: { stopOnCleanup?: boolean } = {},
  ): MemberAlerts {
    const store = openStore({ country: setting.owner, file: join(dir, 'store.sqlite'), size: 30 });
    const alerts = openMemberAlerts({
      store,
      policy,
      key,
      members,
      // The routes are not called here.
      gatewayTokens: undefined as unknown as MemberAlertsOptions['gatewayTokens'],
      logger,
      now: () => TEST_NOW,
      hubUrl: hub.url,
      onRelayEvent: (event) => {
        events.push(event);
        for (const listener of listeners.splice(0)) listener(event);
      },
      ...(record !== undefined && { record }),
    });
    publicKeyOf = alerts.alerts.publicKey;
    cleanup.push(() => store.close());
    if (options.stopOnCleanup !== false) cleanup.push(() => alerts.stop());
    return alerts;
  }

  /** The next relay event that `accept` takes, after `act`. */
  function eventAfter(act: () => void, accept: (event: RelayEvent) => boolean): Promise<RelayEvent> {
    return new Promise((resolve) => {
      const listen = (event: RelayEvent): void => {
        if (accept(event)) resolve(event);
        else listeners.push(listen);
      };
      listeners.push(listen);
      act();
    });
  }
  /** A full pass of the relay begun after now: all it may post is posted. */
  const relayPass = (alerts: MemberAlerts): Promise<RelayEvent> =>
    eventAfter(
      () => alerts.relay!.wake(),
      (event) => event.kind === 'idle',
    );
  const deliveredAll = (ids: readonly string[]) => (event: RelayEvent) =>
    event.kind === 'delivered' && ids.every((id) => hub.held.has(`${setting.owner}/${id}`));

  beforeEach(() => {
    recorded.length = 0;
    releasedFirst.length = 0;
  });

  it('holds a notice whose record failed, and relays it once the record is written on the next try', async () => {
    let mode: 'write' | 'fail' = 'fail';
    const alerts = open(recorder(() => mode));
    alerts.alerts.hold(setting.watch);
    const ids = alerts.alerts
      .apply(borderMovement(alerts.store, setting.suspect, 1))
      .notices.map(({ notice }) => notice.noticeId);
    expect(ids.length).toBeGreaterThan(0);
    await alerts.settled();
    await relayPass(alerts);
    expect(recorded).toEqual([]);
    expect(hub.received).toEqual([]);
    expect(alerts.alerts.pending(100)).toEqual([]);
    expect(alerts.alerts.unrecorded(100).map((e) => e.signed.notice.noticeId)).toEqual(ids);

    // The audit log is back: the next try writes the record, then the relay posts.
    const delivered = new Promise<RelayEvent>((resolve) => {
      const listen = (event: RelayEvent): void => {
        if (deliveredAll(ids)(event)) resolve(event);
        else listeners.push(listen);
      };
      listeners.push(listen);
    });
    mode = 'write';
    await delivered;
    expect(recorded).toEqual(ids);
    expect(releasedFirst).toEqual([]);
    expect(hub.received.every((id) => recorded.includes(id))).toBe(true);
  });

  it('posts nothing of a process stopped before its records, and records then posts it after a restart', async () => {
    let called!: () => void;
    const recordCalled = new Promise<void>((resolve) => (called = resolve));
    // The first process: its records never become durable (it is stopped in that window).
    const first = open(
      recorder(() => 'hang', called),
      { stopOnCleanup: false },
    );
    first.alerts.hold(setting.watch);
    const ids = [1, 2, 3].flatMap((n) =>
      first.alerts
        .apply(borderMovement(first.store, setting.suspect, n))
        .notices.map(({ notice }) => notice.noticeId),
    );
    await relayPass(first);
    expect(hub.received).toEqual([]);
    // Its records are being appended (and never will be): still nothing goes.
    await recordCalled;
    await relayPass(first);
    expect(hub.received).toEqual([]);
    // What a killed process leaves: its relay gone, its records not written, the outbox as committed.
    await first.relay!.stop();
    for (const step of cleanup.splice(0).reverse()) await step();

    const second = await (async () => {
      let alerts!: MemberAlerts;
      await eventAfter(() => (alerts = open(recorder(() => 'write'))), deliveredAll(ids));
      return alerts;
    })();
    expect(recorded).toEqual(ids);
    expect(releasedFirst).toEqual([]);
    expect(new Set(hub.received)).toEqual(new Set(ids));
    expect(second.alerts.pending(100)).toEqual([]);
    expect(second.alerts.unrecorded(100)).toEqual([]);
  });

  it('opens an outbox made before records came first, and records what it left pending before relaying it', async () => {
    // An outbox of the earlier version: notices committed, pending, with no `recorded_at` column.
    const store = openStore({ country: setting.owner, file: join(dir, 'store.sqlite'), size: 30 });
    const before = openOwnerAlerts({ store, policy, key, now: () => TEST_NOW });
    before.hold(setting.watch);
    const ids = before
      .apply(borderMovement(store, setting.suspect, 1))
      .notices.map(({ notice }) => notice.noticeId);
    store.close();
    const db = new Database(join(dir, 'store.sqlite'));
    db.exec('DROP INDEX outbox_unrecorded; ALTER TABLE outbox DROP COLUMN recorded_at');
    db.close();

    await eventAfter(() => open(recorder(() => 'write')), deliveredAll(ids));
    expect(recorded).toEqual(ids);
    expect(releasedFirst).toEqual([]);
  });
});
