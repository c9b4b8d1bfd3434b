import { generateKeyPairSync } from 'node:crypto';
import { createWatch, distributeWatch } from '../../alerts';
import { createLogger } from '../../lib/logger';
import { loadDefaultPolicy } from '../../policy';
import { MEMBERS } from '../../schema';
import { PURPOSES } from '../../vocabulary';
import {
  RELAY_BACKOFF,
  RELAY_BATCH,
  openOwnerAlerts,
  openStore,
  startRelay,
  type OwnerAlerts,
  type Relay,
  type RelayEvent,
  type ReferenceStore,
} from '../../subgraphs/reference';
import { TEST_NOW } from '../support/alliance';
import { borderMovement } from './borderMovement';
import { startNoticeHub as startTestHub, type NoticeHub as TestHub } from '../support/noticeHub';

/**
 * The relay from a member's outbox to the hub (subgraphs/reference/relay.ts), against a small hub
 * (test/support/noticeHub.ts) that keeps the hub's side of docs/decisions/0019-alert-delivery.md. Nothing is
 * timed: each test waits for the relay's events.
 */
const policy = loadDefaultPolicy();
const members = MEMBERS.map((member) => member.code);
const SIZE = 30;
const logger = createLogger('relay-test');

/** The relay's events, awaited one by one. */
class Events {
  private readonly seen: RelayEvent[] = [];
  private readonly waiting: {
    match: (event: RelayEvent) => boolean;
    resolve: (event: RelayEvent) => void;
  }[] = [];
  readonly all: RelayEvent[] = [];
  push = (event: RelayEvent): void => {
    this.all.push(event);
    const index = this.waiting.findIndex((w) => w.match(event));
    if (index >= 0) this.waiting.splice(index, 1)[0]!.resolve(event);
    else this.seen.push(event);
  };
  /** The next event of this kind (one already seen and not yet taken first). */
  next<K extends RelayEvent['kind']>(kind: K): Promise<Extract<RelayEvent, { kind: K }>> {
    const index = this.seen.findIndex((event) => event.kind === kind);
    if (index >= 0) return Promise.resolve(this.seen.splice(index, 1)[0] as Extract<RelayEvent, { kind: K }>);
    return new Promise((resolve) =>
      this.waiting.push({
        match: (event) => event.kind === kind,
        resolve: resolve as (event: RelayEvent) => void,
      }),
    );
  }
}

interface Owner {
  readonly store: ReferenceStore;
  readonly alerts: OwnerAlerts;
  /** Applies a border movement that gives one notice per held watch. */
  move(): number;
}

/**
 * An owner whose store holds watches that a border movement of one of its suspects is told to: the
 * owner, watcher and purpose found from the agreements by the real engines (setup, not oracle: what the
 * relay is tested on is what the outbox holds).
 */
function openOwner(watches: number, onNotices?: () => void): Owner {
  for (const owner of members) {
    const store = openStore({ country: owner, file: ':memory:', size: SIZE });
    const ids = Array.from(
      { length: store.counts.Suspect },
      (_, i) => `${owner}-SUS-${String(i + 1).padStart(6, '0')}`,
    );
    const suspect = [...store.load('Suspect', ids).values()].find((s) => s.travelDocuments.length > 0);
    for (const watcher of members.filter((m) => m !== owner))
      for (const purpose of PURPOSES) {
        if (suspect === undefined) continue;
        const document = suspect.travelDocuments[0]!;
        const probe = openOwnerAlerts({
          store,
          policy,
          key: generateKeyPairSync('ed25519').privateKey,
          now: () => TEST_NOW,
        });
        const sent = Array.from(
          { length: watches },
          (_, i) =>
            distributeWatch(
              policy,
              createWatch(
                {
                  caseReference: `${watcher}-CAS-00000${i % 10}`,
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
            ).find((r) => r.member === owner)?.watch,
        );
        if (sent.some((watch) => watch === undefined)) continue;
        for (const watch of sent) probe.hold(watch!);
        let n = 0;
        const alerts = openOwnerAlerts({
          store,
          policy,
          key: generateKeyPairSync('ed25519').privateKey,
          now: () => TEST_NOW,
          ...(onNotices && { onNotices }),
        });
        const owned: Owner = {
          store,
          alerts,
          move: () => alerts.apply(borderMovement(store, suspect, n++)).notices.length,
        };
        if (probe.apply(borderMovement(store, suspect, -1)).notices.length === watches) {
          // The probe's notices are not the test's: they are marked relayed before the test starts.
          probe.markRelayed(
            probe.pending(watches).map((entry) => entry.signed.notice.noticeId),
            TEST_NOW,
          );
          return owned;
        }
        for (const watch of sent) probe.drop(watch!.id);
      }
    store.close();
  }
  throw new Error('no owner, watcher and purpose of the agreements let a border movement be told');
}

describe('the relay from the outbox to the hub', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setUp(watches = 3): Promise<{ owner: Owner; hub: TestHub; events: Events; start(): Relay }> {
    let relay: Relay | undefined;
    const owner = openOwner(watches, () => relay?.wake());
    cleanup.push(() => owner.store.close());
    const hub = await startTestHub({ [owner.store.country]: owner.alerts.publicKey });
    cleanup.push(() => hub.close());
    const events = new Events();
    return {
      owner,
      hub,
      events,
      start() {
        relay = startRelay({
          alerts: owner.alerts,
          hubUrl: hub.url,
          logger,
          now: () => TEST_NOW,
          onEvent: events.push,
        });
        const started = relay;
        cleanup.push(() => started.stop());
        return started;
      },
    };
  }

  const pendingIds = (owner: Owner): string[] =>
    owner.alerts.pending(10_000).map((e) => e.signed.notice.noticeId);

  it('delivers everything pending, in batches, and is woken by each commit that wrote notices', async () => {
    const { owner, hub, events, start } = await setUp(20);
    // More than two batches wait before the relay starts (what an earlier process left).
    let made = 0;
    while (made <= 2 * RELAY_BATCH) made += owner.move();
    const before = pendingIds(owner);
    expect(before).toHaveLength(made);
    start();
    await events.next('idle');
    expect(pendingIds(owner)).toEqual([]);
    expect([...hub.held.keys()].sort()).toEqual(before.map((id) => `${owner.store.country}/${id}`).sort());
    expect(events.all.filter((e) => e.kind === 'delivered').length).toBe(Math.ceil(made / RELAY_BATCH));
    // A commit wakes it: no timer, no poll.
    const more = owner.move();
    await events.next('idle');
    expect(pendingIds(owner)).toEqual([]);
    expect(hub.held.size).toBe(made + more);
  });

  it.each(['reset', 'unavailable'] as const)(
    'a hub that is down (%s) loses nothing: the relay backs off, doubling, and delivers once it is up',
    async (mode) => {
      const { owner, hub, events, start } = await setUp();
      hub.mode = mode;
      owner.move();
      const waiting = pendingIds(owner);
      start();
      const first = await events.next('failed');
      const second = await events.next('failed');
      expect([first.retryInMs, second.retryInMs]).toEqual([RELAY_BACKOFF.firstMs, 2 * RELAY_BACKOFF.firstMs]);
      expect(pendingIds(owner)).toEqual(waiting);
      expect(hub.held.size).toBe(0);
      hub.mode = 'up';
      await events.next('idle');
      expect(pendingIds(owner)).toEqual([]);
      expect([...hub.held.values()].map((n) => n.noticeId).sort()).toEqual([...waiting].sort());
    },
  );

  it('marks only what the hub acknowledged; the refused stay pending and go again later', async () => {
    const { owner, hub, events, start } = await setUp(4);
    owner.move();
    const all = pendingIds(owner);
    const refused = new Set(all.filter((_, i) => i % 2 === 1));
    hub.refuse = (id) => refused.has(id);
    start();
    const delivered = await events.next('delivered');
    expect([...delivered.acknowledged].sort()).toEqual(all.filter((id) => !refused.has(id)).sort());
    await events.next('failed');
    expect(pendingIds(owner)).toEqual(all.filter((id) => refused.has(id)));
    hub.refuse = undefined;
    await events.next('idle');
    expect(pendingIds(owner)).toEqual([]);
    expect(hub.held.size).toBe(all.length);
  });

  it('delivering again what the hub holds is harmless: acknowledged, held once, marked', async () => {
    const { owner, hub, events, start } = await setUp();
    owner.move();
    const all = pendingIds(owner);
    // As if the process died between the hub's answer and the mark: the hub holds them, the outbox does not know.
    for (const entry of owner.alerts.pending())
      hub.held.set(`${owner.store.country}/${entry.signed.notice.noticeId}`, entry.signed.notice);
    start();
    await events.next('idle');
    expect(pendingIds(owner)).toEqual([]);
    expect(hub.received).toEqual(all);
    expect(hub.held.size).toBe(all.length);
  });

  it('stops cleanly: the retry timer is cleared, the call in flight aborted, and a later wake does nothing', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const { owner, hub, events, start } = await setUp();
    const idle = timers();
    hub.mode = 'unavailable';
    owner.move();
    const relay = start();
    await events.next('failed');
    expect(timers()).toBe(idle + 1);
    await relay.stop();
    expect(timers()).toBe(idle);
    relay.wake();
    owner.move();
    expect(timers()).toBe(idle);

    // A call the hub never answers: stop aborts it.
    const second = await setUp();
    second.hub.mode = 'hang';
    second.owner.move();
    const arrived = second.hub.nextRequest();
    const hanging = second.start();
    await arrived;
    await hanging.stop();
    expect(timers()).toBe(idle);
    expect(second.events.all.filter((e) => e.kind === 'failed')).toEqual([]);
  });
});
