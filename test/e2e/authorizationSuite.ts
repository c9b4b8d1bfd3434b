// Agreements as law, end to end: every field crosses a border only under a legal basis, enforced by the
// owner's subgraph, whatever shape the query takes. Real HTTP on 127.0.0.1; the scenario's agreements;
// a fixed clock inside every agreement's window (test/support/alliance.ts TEST_NOW). One suite, run as it
// is (authorization.test.ts) and with the audit on (audit.*.test.ts: the same answers, and their records).
import { readFieldCatalog } from '../../legal';
import { modelDecide } from '../../legal/model';
import { modelQuestionOf } from '../../legal/modelQuestion';
import type { Category } from '../../vocabulary';
import { loadDefaultPolicy } from '../../policy';
import { MEMBERS, concreteTypeName, parseGlobalId, readCommittedSupergraph } from '../../schema';
import { createWorld } from '../../subgraphs/reference';
import { MLA_2026_0042, scenarioGrants } from '../support/grants';
import {
  post,
  analyst,
  TEST_NOW,
  type Alliance,
  type AllianceOptions,
  type Exchange,
  type GraphQLAnswer,
} from '../support/alliance';
import { registerEmergency, requesterOf } from '../support/emergencies';

const policy = loadDefaultPolicy();

type Errors = NonNullable<GraphQLAnswer['body']['errors']>;

const SUSPECT = `query ($id: ID!) { suspect(id: $id) { id country fullName passportNumbers phones lastKnownLocation { description } financialAccounts { number } } }`;

/** code by response path ("suspect.fullName" → "FOLLOW_UP_REQUIRED"). */
function codesByPath(errors: Errors | undefined): Record<string, unknown> {
  return Object.fromEntries(
    (errors ?? []).map((e) => [e.path?.join('.') ?? '(none)', e.extensions?.['code']]),
  );
}

/**
 * Registers the suite. `start` starts the alliance of each group of tests (it must pass `options` on);
 * every request sent through the gateway is pushed to the returned list, with its answer, as it is made.
 */
export function authorizationSuite(start: (options: AllianceOptions) => Promise<Alliance>): Exchange[] {
  /** Every request this suite sends through the gateway, with its answer (checked against explain at the end). */
  const exchanges: Exchange[] = [];

  describe('the same query, asked by analysts of different countries', () => {
    let alliance: Alliance;
    beforeAll(async () => {
      // KH's desk approved the formal request MLA-2026-0042 (test/support/grants.ts): the reference names it.
      alliance = await start({ record: exchanges, grants: scenarioGrants() });
    });
    afterAll(() => alliance.stop());

    const ask = (
      headers: Record<string, string>,
      query = SUSPECT,
      variables: Record<string, unknown> = { id: 'KH-SUS-000001' },
    ) => alliance.query(query, { headers, variables });

    it('KH (the owner) sees every field: domestic access', async () => {
      const { body } = await ask(analyst('KH', 'sok.r', { purpose: 'investigation' }));
      expect(body.errors).toBeUndefined();
      expect(body.data!['suspect']).toMatchObject({
        fullName: 'DO GANG MIN',
        phones: expect.any(Array),
        financialAccounts: expect.any(Array),
      });
    });

    it('KR under the MLAT with a request reference gets identity and accounts, not contact or location', async () => {
      const { body } = await ask(
        analyst('KR', 'lee.h', {
          purpose: 'investigation',
          case: 'KR-CAS-000001',
          'request-ref': 'MLA-2026-0042',
        }),
      );
      expect(body.data!['suspect']).toMatchObject({
        fullName: 'DO GANG MIN',
        passportNumbers: ['M58402957'],
        phones: null,
        lastKnownLocation: null,
      });
      expect(codesByPath(body.errors)).toEqual({
        'suspect.phones': 'WITHHELD',
        'suspect.lastKnownLocation': 'WITHHELD',
      });
    });

    it('KR without a request reference gets a hit only, with the route that would give more', async () => {
      const { body } = await ask(analyst('KR', 'lee.h', { purpose: 'investigation', case: 'KR-CAS-000001' }));
      expect(body.data!['suspect']).toMatchObject({
        id: 'KH-SUS-000001',
        country: 'KH',
        fullName: null,
        passportNumbers: null,
      });
      const fullName = body.errors!.find((e) => e.path?.join('.') === 'suspect.fullName')!;
      expect(fullName.extensions).toMatchObject({
        code: 'FOLLOW_UP_REQUIRED',
        owner: 'KH',
        category: 'person.identity',
        purpose: 'investigation',
        reason: 'HIT_ONLY',
      });
      const routes = fullName.extensions!['routes'] as { title: string; needs: string; text: string }[];
      expect(routes).toContainEqual(
        expect.objectContaining({ title: 'KR–KH MLAT 2021', needs: 'requestReference' }),
      );
    });

    it.each([
      ['TH', 'somchai.p', 'TH-CAS-000001'],
      ['PH', 'reyes.m', 'PH-CAS-000001'],
    ])(
      '%s, with no bilateral basis with KH, gets the multilateral hit and nothing personal',
      async (country, analystId, caseRef) => {
        const { body } = await ask(analyst(country, analystId, { purpose: 'investigation', case: caseRef }));
        expect(body.data!['suspect']).toEqual({
          id: 'KH-SUS-000001',
          country: 'KH',
          fullName: null,
          passportNumbers: null,
          phones: null,
          lastKnownLocation: null,
          financialAccounts: null,
        });
        expect(codesByPath(body.errors)).toEqual({
          'suspect.fullName': 'FOLLOW_UP_REQUIRED',
          'suspect.passportNumbers': 'FOLLOW_UP_REQUIRED',
          'suspect.phones': 'WITHHELD',
          'suspect.lastKnownLocation': 'WITHHELD',
          'suspect.financialAccounts': 'WITHHELD',
        });
      },
    );

    it('without a purpose nothing crosses a border, and the answer does not tell whether the record exists', async () => {
      const existing = await ask(analyst('KR', 'lee.h'));
      const missing = await ask(analyst('KR', 'lee.h'), SUSPECT, { id: 'KH-SUS-999999' });
      expect(existing.body.data).toEqual({ suspect: null });
      expect(existing.body.errors).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'PURPOSE_REQUIRED', owner: 'KH' }),
        }),
      ]);
      expect(missing.body).toEqual(existing.body);
    });

    it('attaches the obligations of what was released, per owner country', async () => {
      const { body } = await ask(
        analyst('KR', 'lee.h', {
          purpose: 'investigation',
          case: 'KR-CAS-000001',
          'request-ref': 'MLA-2026-0042',
        }),
      );
      const obligations = body.extensions!['obligations'] as Record<
        string,
        {
          revision: string;
          releases: {
            agreement: string;
            clause: string;
            title: string;
            obligations: Record<string, unknown>;
            categories: string[];
          }[];
        }
      >;
      expect(Object.keys(obligations)).toEqual(['KH']);
      const mlat = obligations['KH']!.releases.filter((r) => r.title === 'KR–KH MLAT 2021');
      expect(mlat.flatMap((r) => r.categories)).toEqual(
        expect.arrayContaining(['person.identity', 'financial.accounts']),
      );
      // Exactly the clause's obligations as its agreement writes them (the grant allows evidentiary use, so
      // nothing is narrowed), read from the agreement data, not from the engine.
      for (const release of mlat) {
        const clause = policy.set.agreements
          .find((a) => a.id === release.agreement)
          ?.clauses.find((c) => c.id === release.clause);
        expect(clause).toBeDefined();
        expect(release.obligations).toMatchObject({
          handlingCode: clause!.obligations.handlingCode,
          evidentiaryUse: clause!.obligations.evidentiaryUse,
          retentionDays: clause!.obligations.retentionDays,
        });
      }
      expect(mlat.map((r) => r.obligations['handlingCode'])).toContain('H2');
      expect(obligations['KH']!.revision).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  describe('every shape of query is enforced', () => {
    let alliance: Alliance;
    const TH = analyst('TH', 'somchai.p', { purpose: 'investigation', case: 'TH-CAS-000001' });
    beforeAll(async () => {
      alliance = await start({ record: exchanges });
    });
    afterAll(() => alliance.stop());

    it('aliases: the error carries the alias path', async () => {
      const { body } = await alliance.query(
        '{ s: suspect(id: "KH-SUS-000001") { name: fullName phone: phones } }',
        { headers: TH },
      );
      expect(body.data).toEqual({ s: { name: null, phone: null } });
      expect(codesByPath(body.errors)).toEqual({ 's.name': 'FOLLOW_UP_REQUIRED', 's.phone': 'WITHHELD' });
    });

    it('inline fragments, named fragments and variables', async () => {
      const query = `query ($id: ID!) { suspect(id: $id) { ...Who ... on KHSuspect { khmerName phones } } }
        fragment Who on Suspect { fullName }`;
      const { body } = await alliance.query(query, { headers: TH, variables: { id: 'KH-SUS-000002' } });
      expect(body.data).toEqual({ suspect: { fullName: null, khmerName: null, phones: null } });
      expect(codesByPath(body.errors)).toEqual({
        'suspect.fullName': 'FOLLOW_UP_REQUIRED',
        'suspect.khmerName': 'FOLLOW_UP_REQUIRED',
        'suspect.phones': 'WITHHELD',
      });
    });

    it('@include and @skip', async () => {
      const query = `query ($withPhones: Boolean!) { suspect(id: "KH-SUS-000001") { fullName @skip(if: true) phones @include(if: $withPhones) } }`;
      const shown = await alliance.query(query, { headers: TH, variables: { withPhones: true } });
      expect(shown.body.data).toEqual({ suspect: { phones: null } });
      expect(codesByPath(shown.body.errors)).toEqual({ 'suspect.phones': 'WITHHELD' });
      const hidden = await alliance.query(query, { headers: TH, variables: { withPhones: false } });
      // No field asked, no error; the record's owner confirmed it exists (its reference), and that
      // release carries its obligations like any other.
      expect(hidden.body.data).toEqual({ suspect: {} });
      expect(hidden.body.errors).toBeUndefined();
      const released = (
        hidden.body.extensions?.['obligations'] as Record<string, { releases: { categories: string[] }[] }>
      )['KH']!.releases;
      expect(released.flatMap((r) => r.categories)).toEqual(['meta.reference']);
    });

    it("nested cross-border references are decided by each record's owner", async () => {
      // KH's own compound, read by a KH analyst: the operators KH owns are domestic; KR's and TH's are theirs to give.
      const { body } = await alliance.query(
        '{ compound(id: "KH-CMP-000001") { id operators { id country fullName } } }',
        {
          headers: analyst('KH', 'sok.r', { purpose: 'investigation' }),
        },
      );
      const operators = (
        body.data!['compound'] as { operators: { id: string; country: string; fullName: string | null }[] }
      ).operators;
      for (const [index, operator] of operators.entries()) {
        if (operator.country === 'KH') {
          expect(operator.fullName).toEqual(expect.any(String));
        } else {
          expect(operator.fullName).toBeNull();
          const error = body.errors!.find(
            (e) => e.path?.join('.') === `compound.operators.${index}.fullName`,
          );
          expect(error?.extensions).toMatchObject({ owner: operator.country, category: 'person.identity' });
        }
      }
      expect(new Set(operators.map((o) => o.country))).toEqual(new Set(['KH', 'KR', 'TH']));
    });

    it('puts every withheld-field error on the record it concerns, in lists interleaving several owners', async () => {
      // KR-CAS-000001's suspects are owned by KR, KR, TH, KH and PH, in that order. What a PH analyst may
      // see of each is what the reference model (legal/model) decides for that owner; @apollo/gateway alone would put TH's
      // and KH's errors on the first records of the list (docs/decisions/0005-entity-error-paths.md).
      const requester = {
        country: 'PH',
        analyst: 'reyes.m',
        roles: ['analyst'],
        purpose: 'investigation' as const,
        caseReference: 'PH-CAS-000001',
      };
      const { body } = await alliance.query(
        '{ case(id: "KR-CAS-000001") { suspects { id country fullName } } }',
        {
          headers: analyst('PH', 'reyes.m', { purpose: 'investigation', case: 'PH-CAS-000001' }),
        },
      );
      const suspects = (
        body.data!['case'] as { suspects: { id: string; country: string; fullName: string | null }[] }
      ).suspects;
      expect(suspects.map((s) => s.country)).toEqual(['KR', 'KR', 'TH', 'KH', 'PH']);
      const effects = suspects.map(
        (s) =>
          modelDecide(
            policy.set,
            modelQuestionOf({ requester, owner: s.country, category: 'person.identity', at: TEST_NOW }),
          ).effect,
      );
      expect(new Set(effects).size).toBeGreaterThan(1); // a mixture, or the test proves nothing
      for (const [index, suspect] of suspects.entries()) {
        const errorsHere = (body.errors ?? []).filter(
          (e) => e.path?.join('.') === `case.suspects.${index}.fullName`,
        );
        if (effects[index] === 'release') {
          expect(suspect.fullName).toEqual(expect.any(String));
          expect(errorsHere).toEqual([]);
        } else {
          expect(suspect.fullName).toBeNull();
          expect(errorsHere).toHaveLength(1);
          expect(errorsHere[0]!.extensions!['owner']).toBe(suspect.country);
        }
      }
      expect(body.errors).toHaveLength(effects.filter((e) => e !== 'release').length);
    });

    it('enforces _entities sent straight to a subgraph', async () => {
      const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on KHSuspect { id fullName phones } } }`;
      // Signed by the gateway for KH, with a TH analyst's context: whatever the gateway did, KH decides.
      const { status, body } = await alliance.postAsGateway(
        'kh',
        { query, variables: { r: [{ __typename: 'KHSuspect', id: 'KH-SUS-000001' }] } },
        TH,
      );
      expect(status).toBe(200);
      expect(body.data).toEqual({ _entities: [{ id: 'KH-SUS-000001', fullName: null, phones: null }] });
      expect(codesByPath(body.errors)).toEqual({
        '_entities.0.fullName': 'FOLLOW_UP_REQUIRED',
        '_entities.0.phones': 'WITHHELD',
      });
    });

    it('refuses a subgraph request that does not say who asks, before any resolver runs', async () => {
      const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on KHSuspect { id fullName } } }`;
      const { status, body } = await post(alliance.subgraphUrls['kh']!, {
        query,
        variables: { r: [{ __typename: 'KHSuspect', id: 'KH-SUS-000001' }] },
      });
      expect(status).toBe(401);
      expect(body).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }],
      });
    });
  });

  describe('a member with no basis at all', () => {
    let alliance: Alliance;
    beforeAll(async () => {
      alliance = await start({ record: exchanges });
    });
    afterAll(() => alliance.stop());

    it('contributes one error to a search, never one per record and never a count', async () => {
      // Asset tracing needs an MLAT request reference; a TH analyst has none with anyone.
      const { body } = await alliance.query(
        '{ search(term: "Tiger") { country suspects { id fullName } } }',
        {
          headers: analyst('TH', 'somchai.p', { purpose: 'asset_tracing', case: 'TH-CAS-000001' }),
        },
      );
      const search = body.data!['search'] as { country: string; suspects: unknown[] | null }[];
      expect(search.find((s) => s.country === 'TH')!.suspects!.length).toBeGreaterThan(0);
      // Every other member of the registry: nothing, and one error each.
      const others = MEMBERS.map((member) => member.code).filter((code) => code !== 'TH');
      for (const other of others) expect(search.find((s) => s.country === other)!.suspects).toBeNull();
      const owners = body.errors!.map((e) => e.extensions!['owner']).sort();
      expect(owners).toEqual([...others].sort());
      for (const error of body.errors!) {
        expect(error.extensions).toMatchObject({ code: 'WITHHELD', category: 'meta.reference' });
        expect(error.message).not.toMatch(/\d+ records?/);
      }
    });
  });

  describe('a joint investigation team', () => {
    let alliance: Alliance;
    const QUERY =
      '{ a: suspect(id: "KH-SUS-000001") { id lastKnownLocation { description } } b: suspect(id: "KH-SUS-000003") { id lastKnownLocation { description } } }';
    beforeAll(async () => {
      alliance = await start({ record: exchanges });
    });
    afterAll(() => alliance.stop());

    it('gives a named member records of its operation and not records outside it', async () => {
      const { body } = await alliance.query(QUERY, {
        headers: analyst('KR', 'kim.j', {
          purpose: 'investigation',
          case: 'KR-CAS-000001',
          jit: 'JTF-KR-KH-2025',
        }),
      });
      // KH-SUS-000001 is linked to BREAKING-CHAINS, the team's operation; KH-SUS-000003 is not.
      expect(body.data!['a']).toEqual({
        id: 'KH-SUS-000001',
        lastKnownLocation: { description: expect.any(String) },
      });
      expect(body.data!['b']).toEqual({ id: 'KH-SUS-000003', lastKnownLocation: null });
      expect(codesByPath(body.errors)).toEqual({ 'b.lastKnownLocation': 'WITHHELD' });
    });

    it("gives nothing of the team's to an analyst who is not a named member", async () => {
      const { body } = await alliance.query(QUERY, {
        headers: analyst('KR', 'lee.h', {
          purpose: 'investigation',
          case: 'KR-CAS-000001',
          jit: 'JTF-KR-KH-2025',
        }),
      });
      expect(body.data!['a']).toEqual({ id: 'KH-SUS-000001', lastKnownLocation: null });
      expect(codesByPath(body.errors)).toEqual({
        'a.lastKnownLocation': 'WITHHELD',
        'b.lastKnownLocation': 'WITHHELD',
      });
    });
  });

  describe('an emergency declaration', () => {
    let alliance: Alliance;
    beforeAll(async () => {
      alliance = await start({ record: exchanges });
    });
    afterAll(() => alliance.stop());
    const justification =
      'Victim reports confinement and assault at the compound; rescue team deploying tonight.';
    // Registered once with the hub (declareEmergency); each request names the registration.
    let declared: string;
    beforeAll(async () => {
      declared = (await registerEmergency(alliance, 'KH', 'sok.r', 'KH-CAS-000001', justification)).id;
    });
    const QUERY = `{
      victim(id: "KR-VIC-000001") { id fullName lastKnownLocation { description } confinedAt { id } injuries }
      case(id: "KR-CAS-000001") { id frozenAmount { amount } transactions { at } proceedsAccounts { number } }
      suspect(id: "KR-SUS-000001") { id lastKnownLocation { description } financialAccounts { number } subscriberRecords { phone } callRecords { at } }
    }`;

    it('releases victim identity and location and person location, and nothing financial or telecom', async () => {
      const { body } = await alliance.query(QUERY, {
        headers: analyst('KH', 'sok.r', { purpose: 'victim_rescue', emergency: declared }),
      });
      expect(body.data!['victim']).toMatchObject({
        fullName: expect.any(String),
        lastKnownLocation: { description: expect.any(String) },
        confinedAt: { id: 'KH-CMP-000001' },
        injuries: null,
      });
      expect(body.data!['case']).toEqual({
        id: 'KR-CAS-000001',
        frozenAmount: null,
        transactions: null,
        proceedsAccounts: null,
      });
      expect(body.data!['suspect']).toEqual({
        id: 'KR-SUS-000001',
        lastKnownLocation: { description: expect.any(String) },
        financialAccounts: null,
        subscriberRecords: null,
        callRecords: null,
      });
      expect(codesByPath(body.errors)).toEqual({
        'victim.injuries': 'WITHHELD',
        'case.frozenAmount': 'WITHHELD',
        'case.transactions': 'WITHHELD',
        'case.proceedsAccounts': 'WITHHELD',
        'suspect.financialAccounts': 'WITHHELD',
        'suspect.subscriberRecords': 'WITHHELD',
        'suspect.callRecords': 'WITHHELD',
      });
      const obligations = body.extensions!['obligations'] as Record<
        string,
        { releases: { obligations: Record<string, unknown> }[] }
      >;
      expect(
        obligations['KR']!.releases.some(
          (r) =>
            r.obligations['notifySource'] === true &&
            typeof r.obligations['reviewWithinHours'] === 'number' &&
            r.obligations['emergency'] === declared,
        ),
      ).toBe(true);
    });

    // Expiry and a second declaration inside the window: test/e2e/emergency-registry.test.ts (it moves the clock).

    it('accepts a justification in any script', async () => {
      const korean = await registerEmergency(
        alliance,
        'KH',
        'sok.r',
        'KH-CAS-000002',
        '피해자가 단지 내 감금 및 폭행을 신고함; 오늘 밤 구조팀 투입 예정.',
      );
      const { status, body } = await alliance.query(QUERY, {
        headers: analyst('KH', 'sok.r', { purpose: 'victim_rescue', emergency: korean.id }),
      });
      expect(status).toBe(200);
      expect((body.data!['victim'] as Record<string, unknown>)['lastKnownLocation']).toEqual({
        description: expect.any(String),
      });
    });

    it('named by a time instead of a registration is refused before any subgraph is called', async () => {
      const { status, body } = await alliance.query(QUERY, {
        headers: analyst('KH', 'sok.r', {
          purpose: 'victim_rescue',
          emergency: new Date(TEST_NOW - 60 * 60_000).toISOString(),
        }),
      });
      expect(status).toBe(400);
      expect(body.errors![0]!.message).toContain('declareEmergency');
    });
  });

  describe('request declarations', () => {
    let alliance: Alliance;
    beforeAll(async () => {
      alliance = await start({ record: exchanges });
    });
    afterAll(() => alliance.stop());

    it.each([
      [{ purpose: 'investigaton' }, 400, 'did you mean investigation?'],
      [{ purpose: 'investigation', case: 'x' }, 400, 'accord-case must be 2 to 64'],
      [
        { purpose: 'investigation', justification: 'because it matters a lot' },
        400,
        'accord-justification is no longer sent with requests',
      ],
    ])('refuses %j with HTTP %i and says what is wrong', async (declaration, status, message) => {
      const answer = await alliance.query('{ members { code } }', {
        headers: analyst('KR', 'lee.h', declaration),
      });
      expect(answer.status).toBe(status);
      expect(answer.body.errors![0]!.message).toContain(message);
    });

    it('refuses a request that does not say who asks', async () => {
      const answer = await alliance.query('{ members { code } }');
      expect(answer.status).toBe(401);
      expect(answer.body.errors![0]!.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    });
  });

  describe('the reference model agrees with what the live requests got', () => {
    // The oracle is legal/model, which shares no code with the engine the gateway and the owners run:
    // a live answer that the engine and the workbench both got wrong would still be caught here.
    it('agrees with the decision every request of this suite received, field by field', () => {
      const fields = readFieldCatalog(readCommittedSupergraph());
      const coordinates = new Set(fields.fields.map((f) => f.coordinate));
      const byCoordinate = new Map(fields.fields.map((f) => [f.coordinate, f]));
      type Question = {
        field?: string;
        owner?: string;
        category?: string;
        record?: { id: string };
        grants?: Map<string, typeof MLA_2026_0042>;
      };
      /** Whether the model delivers the value: released (a hit gives the reference only). */
      const modelDelivers = (
        requester: Parameters<typeof modelQuestionOf>[0]['requester'],
        question: Question,
      ): boolean => {
        const entry = question.field === undefined ? undefined : byCoordinate.get(question.field);
        const owner = entry?.owner ?? question.owner!;
        const category = (entry?.category ?? question.category!) as Category;
        const answer = modelDecide(
          policy.set,
          modelQuestionOf({
            requester,
            owner,
            category,
            at: TEST_NOW,
            ...(question.record && { record: question.record }),
            ...(question.grants && { grants: question.grants }),
          }),
        );
        return answer.effect === 'release' || (answer.effect === 'hit-only' && category === 'meta.reference');
      };
      const world = createWorld();
      const facts = (id: unknown) => {
        const record =
          typeof id === 'string'
            ? (world.record(id) as { operations?: string[]; sourceGrade?: string } | undefined)
            : undefined;
        return record
          ? {
              id: id as string,
              operations: record.operations ?? [],
              ...(record.sourceGrade ? { sourceGrade: record.sourceGrade } : {}),
            }
          : undefined;
      };
      // What each owner holds: KH the grant the suite's request reference names (test/support/grants.ts).
      const grantsOf = (record: { id: string } | undefined) =>
        record === undefined
          ? undefined
          : parseGlobalId(record.id)?.owner === MLA_2026_0042.owner
            ? new Map([[MLA_2026_0042.id, MLA_2026_0042]])
            : new Map();
      const at = (data: unknown, path: readonly (string | number)[]): unknown =>
        path.reduce<unknown>(
          (value, key) =>
            value && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined,
          data,
        );
      let withheld = 0;
      let released = 0;
      for (const exchange of exchanges.filter((e) => e.answer.status === 200)) {
        // Read as the gateway reads an analyst's headers, and the emergency resolved as it resolves it.
        const requester = requesterOf(exchange, exchanges, TEST_NOW);
        // Every refusal: explain must not deliver that field of that record either.
        for (const error of exchange.answer.body.errors ?? []) {
          const field = error.extensions?.['field'];
          if (typeof field !== 'string') continue;
          const record = facts(
            (at(exchange.answer.body.data, error.path!.slice(0, -1)) as { id?: unknown } | undefined)?.id,
          );
          // A record's field by its coordinate; a search list (no record type) by its owner and category.
          const what = coordinates.has(field)
            ? { field }
            : { owner: String(error.extensions!['owner']), category: String(error.extensions!['category']) };
          const grants = grantsOf(record);
          const delivered = modelDelivers(requester, {
            ...what,
            ...(record ? { record } : {}),
            ...(grants && { grants }),
          });
          expect({ query: exchange.query, field, delivered }).toEqual({
            query: exchange.query,
            field,
            delivered: false,
          });
          withheld++;
        }
        // Every released value of a record: explain must deliver it.
        const visit = (value: unknown): void => {
          if (Array.isArray(value)) return value.forEach(visit);
          if (!value || typeof value !== 'object') return;
          const object = value as Record<string, unknown>;
          const id = parseGlobalId(String(object['id']));
          for (const [key, child] of Object.entries(object)) {
            const type = id ? concreteTypeName(id.owner, id.kind) : undefined;
            if (
              type &&
              child !== null &&
              key !== 'id' &&
              key !== '__typename' &&
              coordinates.has(`${type}.${key}`)
            ) {
              const record = facts(object['id']);
              const grants = grantsOf(record);
              const delivered = modelDelivers(requester, {
                field: `${type}.${key}`,
                ...(record ? { record } : {}),
                ...(grants && { grants }),
              });
              expect({ query: exchange.query, field: `${type}.${key}`, delivered }).toEqual({
                query: exchange.query,
                field: `${type}.${key}`,
                delivered: true,
              });
              released++;
            }
            visit(child);
          }
        };
        visit(exchange.answer.body.data);
      }
      expect(exchanges.length).toBeGreaterThan(20);
      expect(withheld).toBeGreaterThan(30);
      expect(released).toBeGreaterThan(30);
    });
  });

  return exchanges;
}
