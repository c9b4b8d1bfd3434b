import { generateKeyPairSync } from 'node:crypto';
import {
  EVENT_FIELDS,
  EVENT_KINDS,
  MATCHING_SERVICE,
  WatchError,
  createWatch,
  distributeWatch,
  verifyNotice,
  type EventKind,
  type HeldWatch,
  type Identifier,
} from '../../alerts';
import { modelDecide } from '../../legal/model';
import { searchScope } from '../../subgraphs/kit';
import { AuthorizationState } from '../../subgraphs/kit/authorization/state';
import { loadDefaultPolicy, recordFactsOf, type Policy } from '../../policy';
import { MEMBERS, readCommittedSupergraph, readFieldCategories } from '../../schema';
import {
  openOwnerAlerts,
  openStore,
  type OwnerAlerts,
  type RecordChange,
  type ReferenceStore,
  type SuspectRecord,
} from '../../subgraphs/reference';
import { META_REFERENCE, PURPOSES, type Category, type Purpose } from '../../vocabulary';
import { TEST_NOW } from '../support/alliance';
import { modelQuestionOf } from '../../legal/modelQuestion';

/**
 * The owner's side of alerts, at the store (subgraphs/reference/ownerAlerts.ts): a member matches the
 * changes of its own records against the watches it holds and, only where its own agreements let the
 * watcher know even of a hit, writes a signed, reference-only notice to its outbox in the change's own
 * transaction. The oracle is the reference model (legal/model) over the categories of the committed
 * supergraph; owners, watchers and purposes come from the registry and the vocabulary.
 */
const policy = loadDefaultPolicy();
const members = MEMBERS.map((member) => member.code);
const categories = readFieldCategories(readCommittedSupergraph());
const SIZE = 30;
const MOVED_AT = '2026-06-14T22:10:00Z';

function category(owner: string, field: string): Category {
  return categories.get(`${owner}${field}`) as Category;
}

/** The model's answer: may the owner tell the watcher at least of a hit on this category of this record? */
function hitAllowed(owner: string, watch: HeldWatch, cat: Category, record: unknown): boolean {
  return (
    modelDecide(
      policy.set,
      modelQuestionOf({
        owner,
        requester: {
          country: watch.watcher,
          analyst: watch.analyst,
          roles: [],
          purpose: watch.purpose,
          caseReference: watch.caseReference,
        },
        category: cat,
        at: TEST_NOW,
        record: recordFactsOf(record),
        grants: new Map(),
      }),
    ).effect !== 'withhold'
  );
}

/** A watch as a member holds it: what the watcher would send, built directly (the owner's side under test). */
function heldWatch(watcher: string, purpose: Purpose, identifiers: readonly Identifier[]): HeldWatch {
  const { justification: _justification, ...held } = createWatch(
    {
      caseReference: `${watcher}-CAS-000001`,
      purpose,
      identifiers,
      justification: 'Watched for the owner-side test.',
      days: 10,
    },
    { country: watcher, analyst: 'analyst.one' },
    TEST_NOW - 1000,
  );
  return held;
}

const key = (): ReturnType<typeof generateKeyPairSync>['privateKey'] =>
  generateKeyPairSync('ed25519').privateKey;

function open(
  country: string,
  enginePolicy: Policy = policy,
): { store: ReferenceStore; alerts: OwnerAlerts } {
  const store = openStore({ country, file: ':memory:', size: SIZE });
  const alerts = openOwnerAlerts({ store, policy: enginePolicy, key: key(), now: () => TEST_NOW });
  return { store, alerts };
}

/** Every string a record holds, at any depth (what a notice must not carry, ids aside). */
function strings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (typeof value === 'number') into.push(String(value));
  else if (Array.isArray(value)) for (const item of value) strings(item, into);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) strings(item, into);
  return into;
}

/** A suspect of `owner` with a passport, and a border movement of it to record. */
function passportCase(store: ReferenceStore): {
  suspect: SuspectRecord;
  change: RecordChange;
  passport: Identifier;
} {
  const suspect = store.load(
    'Suspect',
    Array.from(
      { length: store.counts.Suspect },
      (_, i) => `${store.country}-SUS-${String(i + 1).padStart(6, '0')}`,
    ),
  );
  const found = [...suspect.values()].find((s) => s.travelDocuments.length > 0)!;
  const document = found.travelDocuments[0]!;
  return {
    suspect: found,
    passport: {
      kind: 'passport',
      // Written the way another police force might: lower case, with spaces.
      number: document.number.toLowerCase().replace(/(.{3})/g, '$1 '),
      issuingCountry: document.issuingCountry,
    },
    change: {
      kind: 'border_movement',
      suspect: found.id,
      movement: {
        direction: 'EXIT',
        crossingPoint: 'Test crossing',
        country: store.country,
        at: MOVED_AT,
        documentNumber: document.number,
      },
    },
  };
}

describe("the owner's notices", () => {
  const opened: ReferenceStore[] = [];
  const openTracked = (
    country: string,
    enginePolicy?: Policy,
  ): { store: ReferenceStore; alerts: OwnerAlerts } => {
    const pair = open(country, enginePolicy);
    opened.push(pair.store);
    return pair;
  };
  afterAll(() => {
    for (const store of opened) store.close();
  });

  /**
   * Owner, watcher and purpose where the watcher sends a passport watch to the owner (the watcher's rules)
   * and the owner may tell the watcher of a border movement of it (the owner's rules), found from the
   * agreements.
   */
  function findTold(): { owner: string; watcher: string; purpose: Purpose } {
    for (const owner of members) {
      const { store } = openTracked(owner);
      const { suspect, passport } = passportCase(store);
      for (const watcher of members.filter((m) => m !== owner))
        for (const purpose of PURPOSES) {
          const watch = heldWatch(watcher, purpose, [passport]);
          const sent = distributeWatch(policy, { ...watch, justification: 'x' }, members, TEST_NOW).some(
            (r) => r.member === owner,
          );
          if (
            sent &&
            hitAllowed(owner, watch, category(owner, EVENT_FIELDS.border_movement), suspect) &&
            ['Suspect.passportNumbers', 'Suspect.travelDocuments', 'Suspect.borderMovements'].some((f) =>
              hitAllowed(owner, watch, category(owner, f), suspect),
            )
          )
            return { owner, watcher, purpose };
        }
    }
    throw new Error('no owner, watcher and purpose of the agreements lets a border movement be told');
  }

  it('a border movement of a watched passport gives one signed notice with references only', () => {
    const { owner, watcher, purpose } = findTold();
    const { store, alerts } = openTracked(owner);
    const { suspect, passport, change } = passportCase(store);
    const watch = createWatch(
      {
        caseReference: `${watcher}-CAS-000001`,
        purpose,
        identifiers: [passport],
        justification: 'Expected to cross a border this week.',
        days: 7,
      },
      { country: watcher, analyst: 'analyst.one' },
      TEST_NOW - 1000,
      // A fixed id: the notice's ids are then fixed too, so the comparison with the record's values below
      // cannot fail by a random hex id happening to contain a short number of the record.
      `${watcher}-WCH-00000000-0000-4000-8000-000000000001`,
    );
    const recipient = distributeWatch(policy, watch, members, TEST_NOW).find((r) => r.member === owner)!;
    alerts.hold(recipient.watch);

    const applied = alerts.apply(change);
    expect(applied.notices).toHaveLength(1);
    const [signed] = applied.notices;
    expect(verifyNotice(signed!, alerts.publicKey)).toBe(true);
    expect(
      verifyNotice(
        { ...signed!, notice: { ...signed!.notice, subject: `${owner}-SUS-000999` } },
        alerts.publicKey,
      ),
    ).toBe(false);
    expect(signed!.notice).toEqual({
      owner,
      noticeId: expect.stringMatching(new RegExp(`^${owner}-NTC-[0-9a-f]{24}$`)),
      watchId: watch.id,
      watcher,
      event: 'border_movement',
      at: new Date(TEST_NOW).toISOString(),
      subject: suspect.id,
      eventReference: applied.eventReference,
      basis: expect.arrayContaining([
        expect.objectContaining({ agreement: expect.any(String), clause: expect.any(String) }),
      ]),
      revision: policy.revision,
    });
    // Nothing of the record: no value of it before or after the change (its id and owner aside) is in
    // any field of the notice.
    const after = store.load('Suspect', [suspect.id]).get(suspect.id)!;
    const values = new Set(
      [...strings(suspect), ...strings(after)].filter(
        (v) => v !== suspect.id && v !== owner && v.length >= 3,
      ),
    );
    for (const field of strings(signed!.notice))
      for (const value of values)
        expect([field, value, field.includes(value)]).toEqual([field, value, false]);
    // The outbox holds the notice as signed, and the relay's marks are harmless when repeated.
    const pending = alerts.pending();
    expect(pending.map((entry) => entry.signed)).toEqual([signed]);
    expect(alerts.markRelayed([signed!.notice.noticeId], TEST_NOW)).toBe(1);
    expect(alerts.markRelayed([signed!.notice.noticeId], TEST_NOW)).toBe(0);
    expect(alerts.pending()).toEqual([]);
  });

  it('names a record only where the watcher may see it: a reference the owner withholds gives no notice', () => {
    const { owner, watcher, purpose } = findTold();
    // The owner's engine as shipped, except that the watcher may not see this owner's records at all.
    const hidden: Policy = {
      ...policy,
      decide: (input) =>
        input.category === META_REFERENCE && input.requester.country === watcher
          ? { ...policy.decide(input), effect: 'withhold', clauses: [] }
          : policy.decide(input),
    };
    for (const [enginePolicy, told] of [
      [policy, true],
      [hidden, false],
    ] as const) {
      const { store, alerts } = openTracked(owner, enginePolicy);
      const { passport, change } = passportCase(store);
      const watch = heldWatch(watcher, purpose, [passport]);
      alerts.hold(watch);
      const notices = alerts.apply(change).notices;
      expect(notices).toHaveLength(told ? 1 : 0);
      // Where told, the clause that lets the watcher see the record is part of the notice's basis.
      if (told) expect(notices[0]!.notice.basis.map((b) => b.category)).toContain(META_REFERENCE);
    }
  });

  it('matches whole identifiers only: a watch on part of the passport number is not told', () => {
    const { owner, watcher, purpose } = findTold();
    const { store, alerts } = openTracked(owner);
    const { passport, change } = passportCase(store);
    const number = (passport as { number: string }).number.replace(/ /g, '');
    alerts.hold(heldWatch(watcher, purpose, [{ ...passport, number: number.slice(0, -1) } as Identifier]));
    expect(alerts.apply(change).notices).toEqual([]);
    expect(alerts.pending()).toEqual([]);
  });

  it('the outbox row commits with the record change or not at all', () => {
    const { owner, watcher, purpose } = findTold();
    // The owner's engine fails while the change is being matched, after the record was written.
    const failing: Policy = {
      ...policy,
      decide: () => {
        throw new Error('the engine failed');
      },
    };
    const { store, alerts } = openTracked(owner, failing);
    const { suspect, passport, change } = passportCase(store);
    alerts.hold(heldWatch(watcher, purpose, [passport]));
    expect(() => alerts.apply(change)).toThrow('the engine failed');
    expect(store.load('Suspect', [suspect.id]).get(suspect.id)).toEqual(suspect);
    expect(alerts.pending()).toEqual([]);

    // The same change with a working engine: the record and its notice, together.
    const working = openOwnerAlerts({ store, policy, key: key(), now: () => TEST_NOW });
    const applied = working.apply(change);
    expect(store.load('Suspect', [suspect.id]).get(suspect.id)!.borderMovements).toHaveLength(
      suspect.borderMovements.length + 1,
    );
    expect(working.pending().map((entry) => entry.signed)).toEqual(applied.notices);
    expect(applied.notices).toHaveLength(1);
  });

  it('a change that does not apply, and a watch that is not one, change nothing', () => {
    const { owner, watcher, purpose } = findTold();
    const { store, alerts } = openTracked(owner);
    const { passport } = passportCase(store);
    const held = alerts.hold(heldWatch(watcher, purpose, [passport]));
    expect(() => alerts.hold({ ...held, identifiers: [{ kind: 'phone', number: '123' }] })).toThrow(
      WatchError,
    );
    expect(() => alerts.hold({ ...held, purpose: 'curiosity' })).toThrow(WatchError);
    expect(alerts.held()).toEqual([held]);
    expect(() =>
      alerts.apply({ kind: 'victim_status', victim: `${owner}-VIC-999999`, status: 'RESCUED' }),
    ).toThrow(/holds no record/);
    expect(alerts.pending()).toEqual([]);
  });

  it('an identifier nobody holds and one held under no hit basis look the same to the watcher: nothing', () => {
    let compared = 0;
    let told = 0;
    for (const owner of members) {
      const { store, alerts } = openTracked(owner);
      const { suspect, passport, change } = passportCase(store);
      const unheld = { ...passport, number: 'ZZ0000000' } as Identifier;
      // For every watcher and purpose, one watch on the suspect's passport and one on a passport nobody holds.
      const pairs = members
        .filter((m) => m !== owner)
        .flatMap((watcher) =>
          PURPOSES.map((purpose) => ({
            held: heldWatch(watcher, purpose, [passport]),
            unheld: heldWatch(watcher, purpose, [unheld]),
          })),
        );
      for (const { held, unheld: other } of pairs) {
        alerts.hold(held);
        alerts.hold(other);
      }
      const applied = alerts.apply(change);
      const outbox = alerts.pending();
      /** What reaches the watcher of a watch: the notices emitted for it and the outbox rows about it. */
      const seen = (watchId: string): unknown => ({
        notices: applied.notices.filter((signed) => signed.notice.watchId === watchId),
        outbox: outbox.filter((entry) => entry.signed.notice.watchId === watchId),
      });
      for (const { held, unheld: other } of pairs) {
        const mayTell =
          hitAllowed(owner, held, category(owner, EVENT_FIELDS.border_movement), suspect) &&
          ['Suspect.passportNumbers', 'Suspect.travelDocuments', 'Suspect.borderMovements'].some((f) =>
            hitAllowed(owner, held, category(owner, f), suspect),
          );
        expect(seen(other.id)).toEqual({ notices: [], outbox: [] });
        if (mayTell) {
          // The control: the same event does tell a watcher the owner may tell.
          expect(seen(held.id)).not.toEqual(seen(other.id));
          told++;
        } else {
          expect(seen(held.id)).toEqual(seen(other.id));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
    expect(told).toBeGreaterThan(0);
  });

  it("a phone watch is told of a border movement only where the owner may tell a hit on the phone's fields", () => {
    let eventToldHitNot = 0;
    let told = 0;
    for (const owner of members) {
      const { store, alerts } = openTracked(owner);
      const { suspect, change } = passportCase(store);
      const phone: Identifier = { kind: 'phone', number: suspect.phones[0]! };
      const watches = members
        .filter((m) => m !== owner)
        .flatMap((watcher) => PURPOSES.map((purpose) => heldWatch(watcher, purpose, [phone])));
      for (const watch of watches) alerts.hold(watch);
      const applied = alerts.apply(change);
      const after = store.load('Suspect', [suspect.id]).get(suspect.id);
      // The phone is a value of the suspect's phones and of its subscriber records: a hit on either field.
      const hit = (watch: HeldWatch): boolean =>
        ['Suspect.phones', 'Suspect.subscriberRecords'].some((f) =>
          hitAllowed(owner, watch, category(owner, f), after),
        );
      const event = (watch: HeldWatch): boolean =>
        hitAllowed(owner, watch, category(owner, EVENT_FIELDS.border_movement), after);
      const expected = watches
        .filter((watch) => event(watch) && hit(watch))
        .map((watch) => watch.id)
        .sort();
      expect([owner, applied.notices.map((signed) => signed.notice.watchId).sort()]).toEqual([
        owner,
        expected,
      ]);
      told += expected.length;
      eventToldHitNot += watches.filter((watch) => event(watch) && !hit(watch)).length;
    }
    // Not vacuous: the agreements both tell some and let the event be told where the phone may not be.
    expect(told).toBeGreaterThan(0);
    expect(eventToldHitNot).toBeGreaterThan(0);
  });

  it('a new case naming a watched person is told to exactly the watchers the owner may tell of it', () => {
    let told = 0;
    for (const owner of members) {
      const { store, alerts } = openTracked(owner);
      const first = `${owner}-CAS-000001`;
      const template = store.load('Case', [first]).get(first)!;
      const suspect = store.load('Suspect', [`${owner}-SUS-000001`]).get(`${owner}-SUS-000001`)!;
      const id = `${owner}-CAS-${String(store.counts.Case + 1).padStart(6, '0')}`;
      const record = {
        ...template,
        id,
        suspects: [suspect.id],
        victims: [],
        compounds: [],
        proceedsAccounts: [],
        transactions: [],
        caseNumber: `${owner}-NEW-${store.counts.Case + 1}`,
      };
      // The named person's passport is watched: the person's record holds it, the case does not.
      const document = suspect.travelDocuments[0]!;
      const passport: Identifier = {
        kind: 'passport',
        number: document.number,
        issuingCountry: document.issuingCountry,
      };
      const holding = [
        'Suspect.passportNumbers',
        'Suspect.travelDocuments',
        ...(suspect.borderMovements.some((m) => m.documentNumber === document.number)
          ? ['Suspect.borderMovements']
          : []),
      ];
      const watches = members
        .filter((m) => m !== owner)
        .flatMap((watcher) => PURPOSES.map((purpose) => heldWatch(watcher, purpose, [passport])));
      for (const watch of watches) alerts.hold(watch);
      const applied = alerts.apply({ kind: 'case_opened', record });
      const expected = watches
        .filter(
          (watch) =>
            hitAllowed(owner, watch, category(owner, EVENT_FIELDS.case_naming), record) &&
            holding.some((field) => hitAllowed(owner, watch, category(owner, field), suspect)),
        )
        .map((watch) => watch.id)
        .sort();
      expect([owner, applied.notices.map((signed) => signed.notice.watchId).sort()]).toEqual([
        owner,
        expected,
      ]);
      expect(applied.notices.every((signed) => signed.notice.event === 'case_naming')).toBe(true);
      told += expected.length;
      // The new case is in the owner's own search index, written with it.
      const domestic = new AuthorizationState(
        policy,
        owner,
        { country: owner, analyst: 'own', roles: [] },
        TEST_NOW,
      );
      expect(store.search(record.caseNumber, searchScope(domestic)).cases.map((hit) => hit.id)).toEqual([id]);
      // The same case again is no new case: refused, and nothing is written.
      const outbox = alerts.pending();
      expect(() =>
        alerts.apply({ kind: 'case_opened', record: { ...record, offences: ['changed'] } }),
      ).toThrow(/exists already/);
      expect(store.load('Case', [id]).get(id)).toEqual(record);
      expect(alerts.pending()).toEqual(outbox);
    }
    expect(told).toBeGreaterThan(0);
  });

  it.each(EVENT_KINDS)('a %s is told to exactly the watchers the owner may tell of it', (kind: EventKind) => {
    let told = 0;
    let silent = 0;
    for (const owner of members) {
      const { store, alerts } = openTracked(owner);
      const { change, record } = changeOf(store, kind);
      const watches = members
        .filter((m) => m !== owner)
        .flatMap((watcher) =>
          PURPOSES.map((purpose) => heldWatch(watcher, purpose, [{ kind: 'record', id: record.id }])),
        );
      for (const watch of watches) alerts.hold(watch);
      const applied = alerts.apply(change);
      const after = store.load(kindOf(kind), [record.id]).get(record.id);
      const expected = watches
        .filter(
          (watch) =>
            hitAllowed(owner, watch, category(owner, EVENT_FIELDS[kind]), after) &&
            hitAllowed(owner, watch, META_REFERENCE, after),
        )
        .map((watch) => watch.id)
        .sort();
      expect([owner, applied.notices.map((signed) => signed.notice.watchId).sort()]).toEqual([
        owner,
        expected,
      ]);
      for (const signed of applied.notices) {
        expect(verifyNotice(signed, alerts.publicKey)).toBe(true);
        expect(signed.notice).toMatchObject({
          event: kind,
          subject: record.id,
          eventReference: applied.eventReference,
        });
      }
      told += expected.length;
      silent += watches.length - expected.length;
    }
    expect(told + silent).toBeGreaterThan(0);
    expect(silent).toBeGreaterThan(0);
  });
});

function kindOf(kind: EventKind): 'Suspect' | 'Case' | 'Compound' | 'Victim' {
  return EVENT_FIELDS[kind].split('.')[0] as 'Suspect' | 'Case' | 'Compound' | 'Victim';
}

/** A change of the given kind to the owner's first record it applies to. */
function changeOf(store: ReferenceStore, kind: EventKind): { change: RecordChange; record: { id: string } } {
  const owner = store.country;
  const id = (code: string, serial = 1): string => `${owner}-${code}-${String(serial).padStart(6, '0')}`;
  switch (kind) {
    case 'border_movement': {
      const { change, suspect } = passportCase(store);
      return { change, record: suspect };
    }
    case 'subscriber_record':
      return {
        change: {
          kind,
          suspect: id('SUS'),
          subscriber: {
            phone: '+66 81 234 5678',
            operator: 'Test Mobile',
            registeredName: 'Test Subscriber',
            activatedOn: '2026-06-01',
          },
        },
        record: { id: id('SUS') },
      };
    case 'transaction':
      return {
        change: {
          kind,
          case: id('CAS'),
          transaction: {
            at: MOVED_AT,
            fromAccount: '999-000-111111',
            toAccount: '999-000-222222',
            amount: { amount: 100, currency: 'USD' },
          },
        },
        record: { id: id('CAS') },
      };
    case 'case_naming': {
      const named = store.load('Case', [id('CAS')]).get(id('CAS'))!.suspects;
      let serial = 1;
      while (named.includes(id('SUS', serial))) serial++;
      return { change: { kind, case: id('CAS'), suspect: id('SUS', serial) }, record: { id: id('CAS') } };
    }
    case 'compound_status': {
      const compound = store.load('Compound', [id('CMP')]).get(id('CMP'))!;
      return {
        change: {
          kind,
          compound: compound.id,
          status: compound.status === 'RAIDED' ? 'RELOCATED' : 'RAIDED',
        },
        record: compound,
      };
    }
    case 'victim_status': {
      const victim = store.load('Victim', [id('VIC')]).get(id('VIC'))!;
      return {
        change: { kind, victim: victim.id, status: victim.status === 'RESCUED' ? 'REPATRIATED' : 'RESCUED' },
        record: victim,
      };
    }
  }
}

// MATCHING_SERVICE is who the receiving member is when the watcher decides; it must name no analyst.
test('the matching service is no analyst of any joint team', () => {
  for (const agreement of policy.set.agreements)
    for (const clause of agreement.clauses)
      for (const named of Object.values(clause.conditions.jointTeam?.members ?? {}))
        expect(named).not.toContain(MATCHING_SERVICE);
});
