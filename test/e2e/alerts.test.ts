/**
 * Issue 11 end to end, through the alliance's own services: an analyst registers a watch on the gateway's
 * alert API; the watcher's member decides where it goes; the owner matches its own record change, decides
 * whether the watcher may know even of a hit, and writes a signed notice to its outbox; the owner's relay
 * delivers it to the hub's log; the analyst reads it on the stream, then asks for the record's details
 * through /graphql, where each field is decided by its owner as any query is.
 *
 * The oracle is the reference model (legal/model), never the engine under test: which member receives an
 * identifier, and which owner may tell a watcher of a hit, are the model's answers over the agreements.
 * Members, pairs and purposes are derived from them (KR and TH first, as issue 11 tells the story, when the
 * agreements give that pair the part it plays). The same suite runs with the hub's log on SQLite and on
 * PostgreSQL.
 */
import { MATCHING_SERVICE, eventCategory, identifierCategory, type IdentifierKind } from '../../alerts';
import { modelDecide } from '../../legal/model';
import { modelQuestionOf } from '../../legal/modelQuestion';
import { loadDefaultPolicy, recordFactsOf, type Effect } from '../../policy';
import { MEMBERS, readCommittedSupergraph, readFieldCategories } from '../../schema';
import type { SuspectRecord } from '../../subgraphs/reference';
import { DEFAULT_ANALYST_AUDIENCE, signDemoAnalystToken } from '../../trust';
import { PURPOSES, type Category, type Purpose } from '../../vocabulary';
import { TEST_NOW, startAlliance, type Alliance } from '../support/alliance';
import { findPostgresBin, startPostgres, type PostgresServer } from '../audit/support/postgres';
import { ALERTS_SUBSCRIPTION, openStream, postAlerts, type AlertAnswer } from '../gateway/alertsSupport';

const policy = loadDefaultPolicy();
const CODES = MEMBERS.map((member) => member.code);
const categories = readFieldCategories(readCommittedSupergraph());
const ANALYST = 'alerts.e2e';
const caseOf = (country: string): string => `${country}-CAS-000001`;

/** The model's effect for a question asked at TEST_NOW with no grant (a watch carries no request reference). */
function modelEffect(
  owner: string,
  requester: { country: string; analyst: string; purpose: Purpose },
  category: Category,
  record?: unknown,
): Effect {
  return modelDecide(
    policy.set,
    modelQuestionOf({
      owner,
      requester: { ...requester, roles: [], caseReference: caseOf(requester.country) },
      category,
      at: TEST_NOW,
      grants: new Map(),
      ...(record !== undefined && { record: recordFactsOf(record) }),
    }),
  ).effect;
}

/** Does the watcher's rule let it send a value of this kind to `member` (a release to its matching service)? */
const sends = (watcher: string, member: string, purpose: Purpose, kind: IdentifierKind): boolean =>
  modelEffect(
    watcher,
    { country: member, analyst: MATCHING_SERVICE, purpose },
    identifierCategory(watcher, kind),
  ) === 'release';

/** May the owner tell the watcher's analyst at least of a hit on this category of this record? */
const tells = (
  owner: string,
  watcher: string,
  purpose: Purpose,
  category: Category,
  record: unknown,
): boolean =>
  modelEffect(owner, { country: watcher, analyst: ANALYST, purpose }, category, record) !== 'withhold';

/** Pairs in the order the issue tells them first (KR watching, TH owning), then every other. */
function pairs(first: [string, string]): [string, string][] {
  const all = CODES.flatMap((a) => CODES.filter((b) => b !== a).map((b): [string, string] => [a, b]));
  const preferred = all.filter(([a, b]) => a === first[0] && b === first[1]);
  return [...preferred, ...all.filter((pair) => !preferred.includes(pair))];
}

function suspectsOf(alliance: Alliance, owner: string): SuspectRecord[] {
  const { store } = alliance.memberAlerts[owner]!;
  const ids = Array.from(
    { length: store.counts.Suspect },
    (_, i) => `${owner}-SUS-${String(i + 1).padStart(6, '0')}`,
  );
  return [...store.load('Suspect', ids).values()].filter((suspect) => suspect.passportNumbers.length > 0);
}

/** The category of a field of an owner's type, from the committed supergraph. */
const fieldCategory = (owner: string, field: string): Category =>
  categories.get(`${owner}${field}`) as Category;

interface Crossing {
  readonly watcher: string;
  readonly owner: string;
  readonly purpose: Purpose;
  readonly suspect: SuspectRecord;
  /** What the watch names the suspect by: a passport of theirs, or their record's id. */
  readonly kind: 'passport' | 'record';
}

/** The owner's fields a value of this kind matches on a suspect (alerts/categories.ts, recordIdentifiers.ts). */
const MATCHED_FIELDS: Readonly<Record<Crossing['kind'], readonly string[]>> = {
  passport: ['Suspect.passportNumbers', 'Suspect.travelDocuments', 'Suspect.borderMovements'],
  record: [],
};

/**
 * A watcher, owner, purpose, suspect and kind of identifier where a border crossing of the suspect is told
 * (`told`), or where the watcher sends the identifier to the owner and yet the owner may not tell it: no
 * field holding the value gives a hit, or the event is withheld (the owner then emits nothing,
 * alerts/match.ts).
 */
function findCrossing(alliance: Alliance, told: boolean): Crossing {
  for (const [watcher, owner] of pairs(['KR', 'TH']))
    for (const kind of ['passport', 'record'] as const)
      for (const purpose of PURPOSES) {
        if (!sends(watcher, owner, purpose, kind)) continue;
        for (const suspect of suspectsOf(alliance, owner)) {
          const hit =
            tells(owner, watcher, purpose, identifierCategory(owner, kind), suspect) ||
            MATCHED_FIELDS[kind].some((field) =>
              tells(owner, watcher, purpose, fieldCategory(owner, field), suspect),
            );
          const event = tells(owner, watcher, purpose, eventCategory(owner, 'border_movement'), suspect);
          if (told ? hit && event : !(hit && event)) return { watcher, owner, purpose, suspect, kind };
        }
      }
  throw new Error(
    `the agreements give no watcher, owner and purpose where a crossing is ${told ? '' : 'not '}told`,
  );
}

const backends: [string, () => Promise<{ url?: string; stop(): Promise<void> }>][] = [
  ['SQLite', () => Promise.resolve({ stop: () => Promise.resolve() })],
];
if (findPostgresBin() !== undefined || process.env['CI'] === 'true')
  backends.push([
    'PostgreSQL',
    async () => {
      const started = await startPostgres();
      if (!started.server) throw new Error(started.skip);
      const server: PostgresServer = started.server;
      return { url: await server.createDatabase(), stop: () => server.stop() };
    },
  ]);

describe.each(backends)("alerts end to end, the hub's log on %s", (_name, backend) => {
  let alliance: Alliance;
  let stopBackend: () => Promise<void> = () => Promise.resolve();
  let alertsUrl: string;
  const tokens = new Map<string, string>();
  const token = async (country: string): Promise<string> => {
    let known = tokens.get(country);
    if (!known) {
      known = await signDemoAnalystToken({
        dir: alliance.idpDir,
        country,
        analyst: ANALYST,
        audience: DEFAULT_ANALYST_AUDIENCE,
      });
      tokens.set(country, known);
    }
    return known;
  };

  beforeAll(async () => {
    const log = await backend();
    stopBackend = () => log.stop();
    alliance = await startAlliance({
      now: () => TEST_NOW,
      alerts: { ...(log.url !== undefined && { hubLogUrl: log.url }) },
    });
    alertsUrl = alliance.gatewayUrl.replace(/\/graphql$/, '/alerts');
  }, 120_000);

  afterAll(async () => {
    await alliance?.stop();
    await stopBackend();
  });

  async function register(
    watcher: string,
    purpose: Purpose,
    identifiers: readonly Record<string, string>[],
  ): Promise<{ id: string; recipients: string[]; unreached: string[] }> {
    const answer = await postAlerts(alertsUrl, await token(watcher), {
      query:
        'mutation ($input: WatchInput!) { registerWatch(input: $input) { watch { id recipients } unreached } }',
      variables: {
        input: {
          caseReference: caseOf(watcher),
          purpose,
          identifiers,
          justification: 'Expected to cross a border this week, per the liaison officer.',
          days: 7,
        },
      },
    });
    expect(answer.body.errors).toBeUndefined();
    const { watch, unreached } = answer.body.data!['registerWatch'] as {
      watch: { id: string; recipients: string[] };
      unreached: string[];
    };
    return { ...watch, unreached };
  }

  async function alertsSince(watcher: string): Promise<{ watchId: string; noticeId: string }[]> {
    const answer = await postAlerts(alertsUrl, await token(watcher), {
      query: '{ alertsSince(limit: 100) { alerts { watchId noticeId owner subject } } }',
    });
    expect(answer.body.errors).toBeUndefined();
    return (answer.body.data!['alertsSince'] as { alerts: { watchId: string; noticeId: string }[] }).alerts;
  }

  const identifierOf = ({ suspect, owner, kind }: Crossing): Record<string, string> =>
    kind === 'record' ? { kind: 'record', id: suspect.id } : passportOf(suspect, owner);
  /** The same kind of identifier, naming nothing any member holds. */
  const nobodysOf = ({ owner, kind }: Crossing): Record<string, string> =>
    kind === 'record'
      ? { kind: 'record', id: `${owner}-SUS-999999` }
      : { kind: 'passport', number: 'E2E9999999', issuingCountry: owner };

  const passportOf = (suspect: SuspectRecord, owner: string) => ({
    kind: 'passport',
    number: suspect.passportNumbers[0]!,
    issuingCountry:
      suspect.travelDocuments.find((d) => d.number === suspect.passportNumbers[0])?.issuingCountry ??
      suspect.nationality ??
      owner,
  });

  const crossingOf = (suspect: SuspectRecord, owner: string) =>
    ({
      kind: 'border_movement',
      suspect: suspect.id,
      movement: {
        direction: 'EXIT',
        crossingPoint: 'E2E Bridge',
        country: owner,
        at: new Date(TEST_NOW - 60_000).toISOString(),
        documentNumber: suspect.passportNumbers[0]!,
      },
    }) as const;

  it("a watched passport crosses a border: one notice, references only, on the watcher's stream; its details only as the agreement allows", async () => {
    const crossing = findCrossing(alliance, true);
    const { watcher, owner, purpose, suspect } = crossing;
    const watch = await register(watcher, purpose, [identifierOf(crossing)]);
    expect(watch.recipients).toContain(owner);
    expect(watch.unreached).toEqual([]);

    const applied = alliance.memberAlerts[owner]!.alerts.apply(crossingOf(suspect, owner));
    expect(applied.notices.map(({ notice }) => notice.watchId)).toEqual([watch.id]);

    // The relay takes it to the hub; the stream replays the log and gives it as soon as it is there.
    const stream = await openStream(alertsUrl, await token(watcher), { query: ALERTS_SUBSCRIPTION });
    const event = await stream.next();
    stream.close();
    const alert = (JSON.parse(event!.data) as { data: { alerts: Record<string, unknown> } }).data.alerts;
    expect(alert).toMatchObject({
      owner,
      watchId: watch.id,
      event: 'border_movement',
      subject: suspect.id,
      eventReference: applied.eventReference,
    });
    // One notice, and nothing of the record in it: no document number, name or place.
    expect((await alertsSince(watcher)).filter((a) => a.watchId === watch.id)).toHaveLength(1);
    for (const value of [suspect.passportNumbers[0]!, suspect.fullName, 'E2E Bridge'])
      expect(JSON.stringify(alert)).not.toContain(value);

    // The details follow through /graphql, each field as the owner's agreement with the watcher allows.
    const fields = ['fullName', 'passportNumbers', 'nationality'] as const;
    const answer = await alliance.query(
      `{ suspect(id: "${suspect.id}") { id ${fields.join(' ')} borderMovements { at crossingPoint } } }`,
      {
        headers: {
          'accord-country': watcher,
          'accord-analyst': ANALYST,
          'accord-purpose': purpose,
          'accord-case': caseOf(watcher),
        },
      },
    );
    const record = (answer.body.data?.['suspect'] ?? null) as Record<string, unknown> | null;
    const released = (field: string): boolean =>
      modelEffect(
        owner,
        { country: watcher, analyst: ANALYST, purpose },
        fieldCategory(owner, `Suspect.${field}`),
        suspect,
      ) === 'release';
    for (const field of [...fields, 'borderMovements']) {
      const value = record?.[field];
      if (released(field)) expect(value).not.toBeNull();
      else expect(value ?? null).toBeNull();
    }
  });

  it('a value the watcher may not send to a member never reaches it', async () => {
    // A watcher, a member and an identifier kind the watcher's rules keep from that member (KR and KH first).
    const found = pairs(['KR', 'KH'])
      .flatMap(([watcher, member]) =>
        PURPOSES.flatMap((purpose) =>
          (['passport', 'phone', 'account'] as const)
            .filter((kind) => !sends(watcher, member, purpose, kind))
            .map((kind) => ({ watcher, member, purpose, kind })),
        ),
      )
      .at(0);
    if (!found)
      throw new Error('the agreements send every identifier to every member: nothing to check here');
    const { watcher, member, purpose, kind } = found;
    const value: Record<string, string> = {
      passport: { kind: 'passport', number: 'E2E0000001', issuingCountry: watcher },
      phone: { kind: 'phone', number: '+85512345678' },
      account: { kind: 'account', number: 'E2E-ACCOUNT-0001' },
    }[kind];
    const watch = await register(watcher, purpose, [value]);
    expect(watch.recipients).not.toContain(member);
    const held = alliance.memberAlerts[member]!.alerts.held();
    expect(held.map((h) => h.id)).not.toContain(watch.id);
    expect(JSON.stringify(held)).not.toContain(value.number);
    // Where it did go, the watcher's rules allowed it, member by member.
    for (const recipient of watch.recipients) expect(sends(watcher, recipient, purpose, kind)).toBe(true);
  });

  it('without a hit basis at the owner the watcher receives nothing, exactly as for a value nobody holds', async () => {
    const crossing = findCrossing(alliance, false);
    const { watcher, owner, purpose, suspect } = crossing;
    const held = await register(watcher, purpose, [identifierOf(crossing)]);
    const nobodys = await register(watcher, purpose, [nobodysOf(crossing)]);
    // The owner holds the watch: the watcher's rules sent it there.
    expect(held.recipients).toContain(owner);
    // The answers tell the same: the same members, by the watcher's rules only.
    expect(held.recipients).toEqual(nobodys.recipients);
    expect(held.unreached).toEqual(nobodys.unreached);

    const applied = alliance.memberAlerts[owner]!.alerts.apply(crossingOf(suspect, owner));
    // Nothing emitted, nothing waiting to be relayed, nothing in the watcher's alerts.
    // (A watch another test registered on the same person may be told; these two are not.)
    const these = [held.id, nobodys.id];
    expect(applied.notices.filter(({ notice }) => these.includes(notice.watchId))).toEqual([]);
    expect(
      alliance.memberAlerts[owner]!.alerts.pending().filter((p) => these.includes(p.signed.notice.watchId)),
    ).toEqual([]);
    const mine = (await alertsSince(watcher)).filter((a) => these.includes(a.watchId));
    expect(mine).toEqual([]);
  });

  it('refuses a watch without a token, or with a bad identifier, and registers nothing', async () => {
    const before = await postAlerts(alertsUrl, await token('KR'), { query: '{ watches { id } }' });
    const refused = await postAlerts(alertsUrl, undefined, { query: '{ watches { id } }' });
    expect(refused.status).toBe(401);
    const bad: { body: AlertAnswer } = await postAlerts(alertsUrl, await token('KR'), {
      query:
        'mutation { registerWatch(input: { caseReference: "KR-CAS-000001", purpose: investigation, identifiers: [{ kind: phone, number: "not a phone" }], justification: "Expected to call the compound this week.", days: 7 }) { watch { id } } }',
    });
    expect(bad.body.errors?.[0]?.message).toMatch(/phone|number/i);
    const after = await postAlerts(alertsUrl, await token('KR'), { query: '{ watches { id } }' });
    expect(after.body.data).toEqual(before.body.data);
  });
});
