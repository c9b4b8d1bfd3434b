import { generateKeyPairSync } from 'node:crypto';
import { createWatch, type HeldWatch } from '../../alerts';
import { loadDefaultPolicy } from '../../policy';
import { MEMBERS, formatGlobalId } from '../../schema';
import { openOwnerAlerts, openStore, type ReferenceStore } from '../../subgraphs/reference';
import { createActivitySimulator } from '../../subgraphs/reference/simulator';
import { TEST_NOW } from '../support/alliance';

/**
 * The demo's activity simulator (subgraphs/reference/simulator.ts): it changes the member's own records
 * through the owner's alerts, and every other change is on a record a held watch names, so that a
 * newcomer's watch fires soon. Members come from the registry.
 */
const policy = loadDefaultPolicy();
const SIZE = 30;
const stores: ReferenceStore[] = [];
afterAll(() => stores.forEach((store) => store.close()));

function member(country: string, now = TEST_NOW) {
  const store = openStore({ country, file: ':memory:', size: SIZE });
  stores.push(store);
  const alerts = openOwnerAlerts({
    store,
    policy,
    key: generateKeyPairSync('ed25519').privateKey,
    now: () => now,
  });
  return { store, alerts, simulator: createActivitySimulator({ store, alerts, now: () => now }) };
}

/** A held watch of `watcher` on the first passport of one of the owner's suspects (chosen from the back). */
function watchOnPassport(
  store: ReferenceStore,
  watcher: string,
  expiresIn = 86_400_000,
): {
  watch: HeldWatch;
  suspect: string;
} {
  const ids = Array.from({ length: store.counts.Suspect }, (_, i) =>
    formatGlobalId(store.country, 'Suspect', store.counts.Suspect - i),
  );
  const suspect = [...store.load('Suspect', ids).values()].find((s) => s.travelDocuments.length > 0)!;
  const document = suspect.travelDocuments[0]!;
  const { justification: _j, ...held } = createWatch(
    {
      caseReference: `${watcher}-CAS-000001`,
      purpose: 'investigation',
      identifiers: [{ kind: 'passport', number: document.number, issuingCountry: document.issuingCountry }],
      justification: 'Watched for the simulator test.',
      days: 1,
    },
    { country: watcher, analyst: 'analyst.one' },
    TEST_NOW - 1000,
  );
  return { watch: { ...held, expiresAt: TEST_NOW + expiresIn }, suspect: suspect.id };
}

const owners = MEMBERS.map((m) => m.code);

test.each(owners)('%s: with a watch held, the first change is a crossing of the watched person', (owner) => {
  const watcher = owners.find((code) => code !== owner)!;
  const { store, alerts, simulator } = member(owner);
  const { watch, suspect } = watchOnPassport(store, watcher);
  alerts.hold(watch);
  const made = simulator.step()!;
  expect(made.watched).toBe(true);
  expect(made.change).toMatchObject({ kind: 'border_movement', suspect });
  // The crossing is recorded on the record, and numbered as an event of the owner's.
  expect(store.load('Suspect', [suspect]).get(suspect)!.borderMovements.at(-1)).toEqual(
    made.change.kind === 'border_movement' ? made.change.movement : undefined,
  );
  expect(made.applied.eventReference).toMatch(new RegExp(`^${owner}-EVT-\\d{9}$`));
});

test('an expired watch is not what the simulator picks', () => {
  const owner = owners[0]!;
  const { store, alerts, simulator } = member(owner);
  const { watch } = watchOnPassport(store, owners[1]!, 0);
  alerts.hold({ ...watch, expiresAt: TEST_NOW });
  const made = Array.from({ length: 6 }, () => simulator.step()!);
  expect(made.every((m) => !m.watched)).toBe(true);
});

test('without watches it changes records of every kind it knows, each applied, with no notice', () => {
  const { simulator } = member(owners[0]!);
  const made = Array.from({ length: 60 }, () => simulator.step()).filter((m) => m !== undefined);
  expect(new Set(made.map((m) => m.change.kind))).toEqual(
    new Set(['border_movement', 'transaction', 'compound_status', 'victim_status']),
  );
  expect(made.every((m) => !m.watched && m.applied.notices.length === 0)).toBe(true);
});

test('the same seed and the same store make the same changes', () => {
  const a = member(owners[0]!).simulator;
  const b = member(owners[0]!).simulator;
  const changes = (s: typeof a) => Array.from({ length: 10 }, () => s.step()?.change);
  expect(changes(a)).toEqual(changes(b));
});
