// Hostile requests: each gets a clear error, releases nothing, reveals no limit, address or plan, and
// leaves the gateway up for the next analyst.
import { post, startAlliance, analyst, type Alliance, type GraphQLAnswer } from '../support/alliance';

const KR = analyst('KR', 'lee.h', { purpose: 'investigation', case: 'KR-CAS-000001' });
const NOTHING_INTERNAL = /127\.0\.0\.1|localhost|http:\/\/|stack|at [A-Za-z]+ \(|\/work\/|node_modules/;

function nested(depth: number): string {
  let inner = 'id';
  for (let i = 0; i < depth; i++) inner = `associates { ${inner} }`;
  return `{ suspect(id: "KR-SUS-000001") { ${inner} } }`;
}

describe('hostile requests to the gateway', () => {
  let alliance: Alliance;
  beforeAll(async () => {
    alliance = await startAlliance();
  });
  afterAll(() => alliance.stop());

  async function expectRefused(answer: GraphQLAnswer, status: number, code: string, message?: RegExp): Promise<void> {
    expect(answer.status).toBe(status);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors![0]!.extensions!['code']).toBe(code);
    if (message) expect(answer.body.errors![0]!.message).toMatch(message);
    expect(JSON.stringify(answer.body)).not.toMatch(NOTHING_INTERNAL);
    // Still up, and still right, for the next analyst.
    const next = await alliance.query('{ suspect(id: "KR-SUS-000001") { id fullName } }', { headers: KR });
    expect(next.body.data).toEqual({ suspect: { id: 'KR-SUS-000001', fullName: expect.any(String) } });
  }

  it('refuses a depth bomb without saying the limit', async () => {
    const answer = await alliance.query(nested(30), { headers: KR });
    await expectRefused(answer, 400, 'GRAPHQL_VALIDATION_FAILED', /too large or too complex/);
    expect(answer.body.errors![0]!.message).not.toMatch(/\d/);
  });

  it('refuses an alias bomb', async () => {
    const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: members { code }`).join(' ');
    await expectRefused(await alliance.query(`{ ${aliases} }`, { headers: KR }), 400, 'GRAPHQL_VALIDATION_FAILED', /too large or too complex/);
  });

  it('refuses a token bomb without saying the limit', async () => {
    const answer = await alliance.query(`{ members { ${'code '.repeat(5_000)} } }`, { headers: KR });
    await expectRefused(answer, 400, 'GRAPHQL_PARSE_FAILED', /too large or too complex/);
    expect(answer.body.errors![0]!.message).not.toMatch(/\d/);
  });

  it('refuses a nested list fan-out that costs too much', async () => {
    const query = '{ search(term: "Tiger") { suspects { associates { linkedCases { suspects { associates { id fullName aliases } } } } } } }';
    await expectRefused(await alliance.query(query, { headers: KR }), 400, 'GRAPHQL_VALIDATION_FAILED', /too large or too complex/);
  });

  it('refuses a fragment cycle', async () => {
    const query = '{ suspect(id: "KR-SUS-000001") { ...A } } fragment A on Suspect { associates { ...B } } fragment B on Suspect { associates { ...A } }';
    await expectRefused(await alliance.query(query, { headers: KR }), 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses an oversized body before reading all of it', async () => {
    const answer = await post(alliance.gatewayUrl, { query: `{ members { code } } #${'x'.repeat(2 * 1024 * 1024)}` }, KR);
    await expectRefused(answer, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses a batched array of operations', async () => {
    const answer = await post(alliance.gatewayUrl, [{ query: '{ members { code } }' }, { query: '{ members { code } }' }], KR);
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).not.toMatch(NOTHING_INTERNAL);
  });

  it('never returns a query plan, whatever the headers ask', async () => {
    const answer = await alliance.query('{ suspect(id: "KR-SUS-000001") { id } }', {
      headers: { ...KR, 'apollo-query-plan-experimental': '1', 'apollo-query-plan-experimental-format': 'prettified' },
    });
    expect(answer.body.data).toEqual({ suspect: { id: 'KR-SUS-000001' } });
    expect(answer.body.extensions?.['queryPlan']).toBeUndefined();
    expect(JSON.stringify(answer.body)).not.toMatch(/queryPlan|Fetch\(service/);
  });

  it('answers introspection with an error, and suggests no field names', async () => {
    const introspection = await alliance.query('{ __schema { types { name } } }', { headers: KR });
    expect(introspection.status).toBe(400);
    expect(introspection.body.errors![0]!.message).toMatch(/introspection/i);
    const typo = await alliance.query('{ suspect(id: "KR-SUS-000001") { fullNam } }', { headers: KR });
    expect(typo.status).toBe(400);
    expect(typo.body.errors![0]!.message).not.toMatch(/Did you mean/);
  });

  it('answers a body that is not JSON with a clear error', async () => {
    const response = await fetch(alliance.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...KR }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
  });
});
