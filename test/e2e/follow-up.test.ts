/**
 * Grants as the only basis for a request reference, end to end over HTTP (issue 9 item 3): a reference
 * opens only what the owner's grant of that name covers — its analyst and country, case, subjects and
 * categories, inside its clause and validity — and a made-up one opens nothing, answered exactly as no
 * reference at all. Revocation and expiry take effect on the next request. Releases cite the grant in the
 * analyst's obligations and in both audit records.
 */
import { openAuditReader, type CrossingBody } from '../../audit';
import { loadDefaultPolicy } from '../../policy';
import { concreteTypeName, readCommittedSupergraph } from '../../schema';
import { readFieldCatalog } from '../../legal';
import { META_REFERENCE } from '../../vocabulary';
import { analyst, startAlliance, TEST_NOW, type Alliance, type GraphQLAnswer } from '../support/alliance';
import { sqliteAuditBackend, type AllianceLogs, type AuditBackend } from '../support/auditBackends';
import { memoryGrantStore, MLA_2026_0042 } from '../support/grants';
import type { GrantStore } from '../../subgraphs/desk';

const DAY = 86_400_000;
const policy = loadDefaultPolicy();
const fields = readFieldCatalog(readCommittedSupergraph()).fields;

/** Every field of the owner's suspect type, with its category, from the supergraph (not listed here). */
const OWNER = MLA_2026_0042.owner;
const SUSPECT_TYPE = concreteTypeName(OWNER, 'Suspect');
// The record's own fields: not the references to other records (their owners decide them), nor the
// biometric match, which takes the template to match as an argument.
const RECORD_TYPES = new Set(['Suspect', 'Compound', 'Case', 'Victim']);
const scalarFields = fields.filter(
  (f) =>
    f.coordinate.startsWith(`${SUSPECT_TYPE}.`) &&
    !RECORD_TYPES.has(f.returns) &&
    f.category !== 'person.biometrics' &&
    f.category !== 'meta.reference',
);
/** What a release under the grant may be: its categories, and the reference of the record, which goes with any of them. */
const GRANTED_CATEGORIES = new Set<string>([...MLA_2026_0042.categories, META_REFERENCE]);
const isScalar = (returns: string) => /^(String|ID|Int|Float|Boolean)$/.test(returns);
const SUBJECT = MLA_2026_0042.subjects[0]!;
const OTHER_SUBJECT = `${OWNER}-SUS-000002`;
const selection = scalarFields
  .map((f) => `${f.coordinate.split('.')[1]}${isScalar(f.returns) ? '' : ' { __typename }'}`)
  .join(' ');
const QUERY = `query ($id: ID!) { suspect(id: $id) { id ... on ${SUSPECT_TYPE} { ${selection} } } }`;

const REQUESTER = MLA_2026_0042.requesterCountry;
const DECLARATION = { purpose: MLA_2026_0042.purpose, case: MLA_2026_0042.caseReference };
const asRequester = (
  extra: Record<string, string> = {},
  country = REQUESTER,
  analystId = MLA_2026_0042.analysts[0]!,
) => analyst(country, analystId, { ...DECLARATION, ...extra });

let clock = TEST_NOW;
let grants: GrantStore;
let alliance: Alliance;
let backend: AuditBackend;
let logs: AllianceLogs;

beforeAll(async () => {
  backend = sqliteAuditBackend();
  logs = backend.forAlliance();
  grants = memoryGrantStore(OWNER);
  grants.issue({ ...MLA_2026_0042, validFrom: TEST_NOW - DAY, validUntil: TEST_NOW + 30 * DAY }, [
    'desk.officer',
  ]);
  alliance = await startAlliance({ now: () => clock, audit: logs, grants: { [OWNER]: grants } });
}, 120_000);
afterAll(async () => {
  await alliance?.stop();
  await backend?.close();
});
beforeEach(() => {
  clock = TEST_NOW;
});

/** Field name → value or the error code it got. */
function answerOf({ body }: GraphQLAnswer): Record<string, unknown> {
  const suspect = (body.data?.['suspect'] ?? {}) as Record<string, unknown>;
  const codes = Object.fromEntries(
    (body.errors ?? []).map((e) => [String(e.path?.at(-1)), e.extensions?.['code']]),
  );
  return Object.fromEntries(
    scalarFields
      .map((f) => f.coordinate.split('.')[1]!)
      .map((name) => [
        name,
        codes[name] !== undefined ? { error: codes[name] } : { value: suspect[name] ?? null },
      ]),
  );
}

/** The fields the grant's categories cover, by the supergraph's categories. */
const covered = new Set(
  scalarFields
    .filter((f) => (MLA_2026_0042.categories as readonly string[]).includes(f.category))
    .map((f) => f.coordinate.split('.')[1]!),
);

const ask = (headers: Record<string, string>, id = SUBJECT) =>
  alliance.query(QUERY, { headers, variables: { id } });

describe('a request reference opens only what the owner granted', () => {
  test('the suite speaks about fields the grant covers and fields it does not', () => {
    expect(covered.size).toBeGreaterThan(0);
    expect(scalarFields.length).toBeGreaterThan(covered.size);
  });

  test('a made-up reference opens nothing: the same answer as no reference at all', async () => {
    const none = await ask(asRequester());
    const madeUp = await ask(asRequester({ 'request-ref': 'ZZ-made-up-1' }));
    expect(answerOf(madeUp)).toEqual(answerOf(none));
    for (const name of covered) expect(answerOf(madeUp)[name]).toEqual({ error: expect.any(String) });
    expect(madeUp.body.extensions?.['obligations']).toEqual(none.body.extensions?.['obligations']);
  });

  test('with the grant: exactly the covered fields of the subject, the grant cited in the obligations', async () => {
    const without = answerOf(await ask(asRequester()));
    const answer = await ask(asRequester({ 'request-ref': MLA_2026_0042.id }));
    const got = answerOf(answer);
    for (const f of scalarFields) {
      const name = f.coordinate.split('.')[1]!;
      // Covered fields now carry data; everything else is as it was without the grant.
      if (covered.has(name))
        expect({ name, withheld: 'error' in (got[name] as object) }).toEqual({ name, withheld: false });
      else expect({ name, value: got[name] }).toEqual({ name, value: without[name] });
    }
    const obligations = answer.body.extensions!['obligations'] as Record<
      string,
      { releases: { grant?: string; obligations?: { grant?: string }; categories: string[] }[] }
    >;
    const underGrant = obligations[OWNER]!.releases.filter((r) => r.grant === MLA_2026_0042.id);
    expect(underGrant.length).toBeGreaterThan(0);
    for (const release of underGrant) expect(release.obligations?.grant).toBe(MLA_2026_0042.id);
    // The grant's categories, and the record's reference with them (the owner confirms the record under the grant too).
    expect(new Set(underGrant.flatMap((r) => r.categories))).toEqual(GRANTED_CATEGORIES);
  });

  test.each([
    [
      'another subject',
      () => ask(asRequester({ 'request-ref': MLA_2026_0042.id }), OTHER_SUBJECT),
      () => ask(asRequester(), OTHER_SUBJECT),
    ],
    [
      'another case',
      () => ask(asRequester({ 'request-ref': MLA_2026_0042.id, case: `${REQUESTER}-CAS-000002` })),
      () => ask(asRequester({ case: `${REQUESTER}-CAS-000002` })),
    ],
    [
      'another analyst of the same country',
      () => ask(asRequester({ 'request-ref': MLA_2026_0042.id }, REQUESTER, 'someone.else')),
      () => ask(asRequester({}, REQUESTER, 'someone.else')),
    ],
  ])('%s with the same grant id gets what it gets without it', async (_what, withGrant, without) => {
    expect(answerOf(await withGrant())).toEqual(answerOf(await without()));
  });

  test('another country with the same grant id gets what it gets without it', async () => {
    const other = policy.set.members.map((m) => m.code).find((code) => code !== REQUESTER && code !== OWNER)!;
    const headers = (extra: Record<string, string>) =>
      analyst(other, MLA_2026_0042.analysts[0]!, {
        purpose: MLA_2026_0042.purpose,
        case: `${other}-CAS-000001`,
        ...extra,
      });
    expect(answerOf(await ask(headers({ 'request-ref': MLA_2026_0042.id })))).toEqual(
      answerOf(await ask(headers({}))),
    );
  });

  test('after expiry, the covered fields are withheld again', async () => {
    const without = answerOf(await ask(asRequester()));
    clock = TEST_NOW + 30 * DAY;
    const expired = answerOf(await ask(asRequester({ 'request-ref': MLA_2026_0042.id })));
    clock = TEST_NOW;
    const withoutThen = answerOf(await ask(asRequester()));
    expect(withoutThen).toEqual(without);
    for (const name of covered)
      expect({ name, answer: expired[name] }).toEqual({ name, answer: without[name] });
  });

  test('both audit records name the grant for what it released', async () => {
    await ask(asRequester({ 'request-ref': MLA_2026_0042.id }));
    const bodies: CrossingBody[] = [];
    for (const url of logs.urls) {
      const reader = await openAuditReader(url);
      try {
        for (const found of await reader.query({ limit: 100_000 }))
          bodies.push(found.entry!.body as CrossingBody);
      } finally {
        await reader.close();
      }
    }
    for (const side of ['consultation', 'disclosure'] as const) {
      const cited = bodies
        .filter((b) => b.side === side && b.owner === OWNER)
        .flatMap((b) => b.fields)
        .filter((f) => f.obligations?.grant === MLA_2026_0042.id);
      // Every category of the grant; beyond them only the record's reference (the owner's confirmation of
      // the record, which the owner records and the analyst's consultation need not).
      const categories = new Set(cited.map((f) => f.category));
      expect({ side, missing: MLA_2026_0042.categories.filter((c) => !categories.has(c)) }).toEqual({
        side,
        missing: [],
      });
      expect({ side, beyond: [...categories].filter((c) => !GRANTED_CATEGORIES.has(c)) }).toEqual({
        side,
        beyond: [],
      });
      expect({ side, records: new Set(cited.map((f) => f.record)) }).toEqual({
        side,
        records: new Set([SUBJECT]),
      });
    }
  });

  test('a revocation takes effect on the next request (last: it is for good)', async () => {
    const without = answerOf(await ask(asRequester()));
    expect(grants.revoke(MLA_2026_0042.id, TEST_NOW, 'desk.officer')).toBe(true);
    expect(answerOf(await ask(asRequester({ 'request-ref': MLA_2026_0042.id })))).toEqual(without);
  });
});
