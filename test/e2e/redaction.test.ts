// Redaction before planning: the gateway asks no subgraph for data it will withhold, answers with the
// same nulls and errors the owner would give, never lets one requester's plan serve another, and when an
// owner is stricter than the gateway, the owner's decision stands and the disagreement is logged.
import { Writable } from 'node:stream';
import pino from 'pino';
import { compilePolicy, loadDefaultPolicy, type AgreementSet } from '../../policy';
import { startAlliance, analyst, type Alliance } from '../support/alliance';
import { MEMBERS } from '../../schema';

const SEARCH = '{ search(term: "Tiger") { country suspects { id fullName } } }';

describe('a member whose fields are all withheld', () => {
  it('receives no request at all', async () => {
    const calls: string[] = [];
    const alliance = await startAlliance({ onSubgraphCall: (call) => calls.push(call.subgraph) });
    try {
      // Asset tracing needs an MLAT request reference: a TH analyst has a basis with no other member.
      const { body } = await alliance.query(SEARCH, {
        headers: analyst('TH', 'somchai.p', { purpose: 'asset_tracing', case: 'TH-CAS-000001' }),
      });
      expect(calls.sort()).toEqual(['alliance', 'th']);
      const search = body.data!['search'] as { country: string; suspects: unknown[] | null }[];
      // Every member of the registry answers in its order; only TH's own records come back.
      expect(search.map((s) => [s.country, s.suspects === null])).toEqual(
        MEMBERS.map((m) => [m.code, m.code !== 'TH']),
      );
      // The same answer the owners give when asked (test/e2e/authorization.test.ts): one error per member.
      expect(
        body.errors!.map((e) => [e.extensions!['owner'], e.extensions!['code'], e.path?.join('.')]),
      ).toEqual(
        MEMBERS.flatMap((m, index) =>
          m.code === 'TH' ? [] : [[m.code, 'WITHHELD', `search.${index}.suspects`]],
        ),
      );
    } finally {
      await alliance.stop();
    }
  });

  it('is not called for a record whose every asked field is withheld, and the record looks absent without a purpose', async () => {
    const calls: string[] = [];
    const alliance = await startAlliance({ onSubgraphCall: (call) => calls.push(call.subgraph) });
    try {
      const { body } = await alliance.query('{ suspect(id: "KH-SUS-000001") { id country fullName } }', {
        headers: analyst('TH', 'somchai.p'),
      });
      expect(calls).toEqual(['alliance']);
      expect(body.data).toEqual({ suspect: null });
      expect(body.errors).toEqual([
        {
          message: expect.stringContaining('KH shares no records with TH'),
          extensions: expect.objectContaining({ code: 'PURPOSE_REQUIRED', owner: 'KH' }),
        },
      ]);
    } finally {
      await alliance.stop();
    }
  });
});

describe('plans', () => {
  let alliance: Alliance;
  const plans: string[] = [];
  beforeAll(async () => {
    alliance = await startAlliance({ onQueryPlan: (plan) => plans.push(JSON.stringify(plan)) });
  });
  afterAll(() => alliance.stop());

  it('made for one requester never serve another', async () => {
    const query = '{ suspect(id: "KH-SUS-000001") { id fullName phones } }';
    const owner = analyst('KH', 'sok.r', { purpose: 'investigation' });
    const foreign = analyst('TH', 'somchai.p', { purpose: 'investigation', case: 'TH-CAS-000001' });
    const answers = [];
    for (const headers of [owner, foreign, owner, foreign])
      answers.push((await alliance.query(query, { headers })).body);
    expect(answers[0]!.data).toEqual({
      suspect: {
        id: 'KH-SUS-000001',
        fullName: 'DO GANG MIN',
        phones: expect.arrayContaining([expect.any(String)]),
      },
    });
    expect(answers[1]!.data).toEqual({ suspect: { id: 'KH-SUS-000001', fullName: null, phones: null } });
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[3]).toEqual(answers[1]);
    // The owner's plan asks KH for the fields; the foreign analyst's plan asks KH only to confirm the
    // record (its reference, which KH gives TH as a hit), never for the withheld fields.
    const khOperation = (plan: string) =>
      /"serviceName":"kh","requires":\[.*?\],"variableUsages":\[[^\]]*\],"operation":"([^"]*)"/.exec(
        plan,
      )?.[1];
    expect(khOperation(plans[0]!)).toMatch(/fullName phones/);
    expect(khOperation(plans[1]!)).toMatch(
      /\{_entities\(representations:\$representations\)\{\.\.\.on KHSuspect\{_accordPresent:country\}\}\}$/,
    );
  });
});

describe('when the owner is stricter than the gateway', () => {
  it("the owner's decision stands and the disagreement is logged", async () => {
    // A gateway whose copy of the Breaking Chains clause releases identity instead of a hit only.
    const set: AgreementSet = structuredClone(loadDefaultPolicy().set);
    const clause = set.agreements.find((a) => a.id === 'breaking-chains-operation-2025')!.clauses[0]!;
    (clause.categories as Record<string, string>)['person.identity'] = 'release';
    const lines: string[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }),
    );
    const alliance = await startAlliance({ gatewayPolicy: compilePolicy(set), gatewayLogger: logger });
    try {
      const { body } = await alliance.query('{ suspect(id: "KH-SUS-000001") { fullName } }', {
        headers: analyst('TH', 'somchai.p', { purpose: 'investigation', case: 'TH-CAS-000001' }),
      });
      expect(body.data).toEqual({ suspect: { fullName: null } });
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'FOLLOW_UP_REQUIRED', owner: 'KH' });
      const warning = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((entry) => String(entry['msg']).includes('owner withheld'));
      expect(warning).toMatchObject({ requester: 'TH', owner: 'KH', category: 'person.identity' });
    } finally {
      await alliance.stop();
    }
  });
});

describe('the owner enforces on its own', () => {
  it('whatever the gateway did: _entities straight to KH with a foreign requester', async () => {
    const alliance = await startAlliance();
    try {
      const query =
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on KHSuspect { fullName } } }';
      const { body } = await alliance.postAsGateway(
        'kh',
        { query, variables: { r: [{ __typename: 'KHSuspect', id: 'KH-SUS-000001' }] } },
        analyst('TH', 'somchai.p', { purpose: 'investigation' }),
      );
      expect(body.data).toEqual({ _entities: [{ fullName: null }] });
    } finally {
      await alliance.stop();
    }
  });
});
