// Hostile requests: each gets a clear error, releases nothing, reveals no limit, address or plan, and
// leaves the gateway up for the next analyst.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_ANALYST_AUDIENCE, createGatewaySigner, signDemoAnalystToken } from '../../trust';
import { compact, es256, hs256, unsigned } from '../trust/forge';
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

  async function expectRefused(
    answer: GraphQLAnswer,
    status: number,
    code: string,
    message?: RegExp,
  ): Promise<void> {
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
    await expectRefused(
      await alliance.query(`{ ${aliases} }`, { headers: KR }),
      400,
      'GRAPHQL_VALIDATION_FAILED',
      /too large or too complex/,
    );
  });

  it('refuses a token bomb without saying the limit', async () => {
    const answer = await alliance.query(`{ members { ${'code '.repeat(5_000)} } }`, { headers: KR });
    await expectRefused(answer, 400, 'GRAPHQL_PARSE_FAILED', /too large or too complex/);
    expect(answer.body.errors![0]!.message).not.toMatch(/\d/);
  });

  it('refuses a nested list fan-out that costs too much', async () => {
    const query =
      '{ search(term: "Tiger") { suspects { associates { linkedCases { suspects { associates { id fullName aliases } } } } } } }';
    await expectRefused(
      await alliance.query(query, { headers: KR }),
      400,
      'GRAPHQL_VALIDATION_FAILED',
      /too large or too complex/,
    );
  });

  it('refuses a fragment cycle', async () => {
    const query =
      '{ suspect(id: "KR-SUS-000001") { ...A } } fragment A on Suspect { associates { ...B } } fragment B on Suspect { associates { ...A } }';
    await expectRefused(await alliance.query(query, { headers: KR }), 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses an oversized body before reading all of it', async () => {
    const answer = await post(
      alliance.gatewayUrl,
      { query: `{ members { code } } #${'x'.repeat(2 * 1024 * 1024)}` },
      await alliance.clientHeaders(KR),
    );
    await expectRefused(answer, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses a batched array of operations', async () => {
    const answer = await post(
      alliance.gatewayUrl,
      [{ query: '{ members { code } }' }, { query: '{ members { code } }' }],
      await alliance.clientHeaders(KR),
    );
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).not.toMatch(NOTHING_INTERNAL);
  });

  it('never returns a query plan, whatever the headers ask', async () => {
    const answer = await alliance.query('{ suspect(id: "KR-SUS-000001") { id } }', {
      headers: {
        ...KR,
        'apollo-query-plan-experimental': '1',
        'apollo-query-plan-experimental-format': 'prettified',
      },
    });
    expect(answer.body.data).toEqual({ suspect: { id: 'KR-SUS-000001' } });
    expect(answer.body.extensions?.['queryPlan']).toBeUndefined();
    expect(JSON.stringify(answer.body)).not.toMatch(/queryPlan|Fetch\(service/);
  });

  // Introspection is answered to authenticated analysts only (test/e2e/explorer.test.ts); a stranger gets 401.
  it('suggests no field names', async () => {
    const typo = await alliance.query('{ suspect(id: "KR-SUS-000001") { fullNam } }', { headers: KR });
    expect(typo.status).toBe(400);
    expect(typo.body.errors![0]!.message).not.toMatch(/Did you mean/);
  });

  it('answers a body that is not JSON with a clear error', async () => {
    const response = await fetch(alliance.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...KR },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });
});

describe('hostile tokens', () => {
  let alliance: Alliance;
  const QUERY = { query: '{ suspect(id: "KR-SUS-000001") { id fullName } }' };
  const WHY = { 'accord-purpose': 'investigation', 'accord-case': 'KR-CAS-000001' };
  beforeAll(async () => {
    alliance = await startAlliance();
  });
  afterAll(() => alliance.stop());

  async function krToken(
    claims: Record<string, unknown> = {},
    options: { country?: string; now?: number } = {},
  ): Promise<string> {
    const token = await signDemoAnalystToken({
      dir: alliance.idpDir,
      country: options.country ?? 'KR',
      analyst: 'lee.h',
      audience: DEFAULT_ANALYST_AUDIENCE,
      ...(options.now ? { now: options.now } : {}),
    });
    if (Object.keys(claims).length === 0) return token;
    // Re-sign the same header with changed claims, with the same member's key.
    const [header, payload] = token.split('.');
    const changed = {
      ...(JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>),
      ...claims,
    };
    const key = createPrivateKey(
      readFileSync(join(alliance.idpDir, (options.country ?? 'KR').toLowerCase(), 'private.pem')),
    );
    return compact(JSON.parse(Buffer.from(header!, 'base64url').toString()), changed, es256(key));
  }

  async function expectUnauthenticated(headers: Record<string, string>): Promise<void> {
    const answer = await post(alliance.gatewayUrl, QUERY, { ...WHY, ...headers });
    expect(answer.status).toBe(401);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors![0]!.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(JSON.stringify(answer.body)).not.toMatch(NOTHING_INTERNAL);
    const next = await alliance.query(QUERY.query, { headers: KR });
    expect(next.body.data).toEqual({ suspect: { id: 'KR-SUS-000001', fullName: expect.any(String) } });
  }

  it('refuses a request with no token', () => expectUnauthenticated({}));

  it("refuses a token of an issuer that is not a member's", async () => {
    await expectUnauthenticated({
      authorization: `Bearer ${await krToken({ iss: 'https://idp.evil.example' })}`,
    });
  });

  it('refuses an expired token', async () => {
    await expectUnauthenticated({
      authorization: `Bearer ${await krToken({}, { now: Date.now() - 3 * 3600_000 })}`,
    });
  });

  it('refuses alg: none', async () => {
    const token = await krToken();
    const [header, payload] = token.split('.');
    const none = compact(
      { ...(JSON.parse(Buffer.from(header!, 'base64url').toString()) as object), alg: 'none' },
      JSON.parse(Buffer.from(payload!, 'base64url').toString()),
      unsigned,
    );
    await expectUnauthenticated({ authorization: `Bearer ${none}` });
  });

  it("refuses an HS256 token signed with the identity provider's public key", async () => {
    const token = await krToken();
    const [, payload] = token.split('.');
    const publicJwks = readFileSync(join(alliance.idpDir, 'kr', 'jwks.json'), 'utf8');
    const confused = compact(
      { alg: 'HS256', typ: 'JWT' },
      JSON.parse(Buffer.from(payload!, 'base64url').toString()),
      hs256(publicJwks),
    );
    await expectUnauthenticated({ authorization: `Bearer ${confused}` });
  });

  it("refuses a token claiming a country other than its issuer's", async () => {
    await expectUnauthenticated({ authorization: `Bearer ${await krToken({ country: 'KH' })}` });
  });

  it("refuses a token signed by one member's provider under another member's issuer", async () => {
    // Signed with TH's key, claiming KR's issuer.
    await expectUnauthenticated({
      authorization: `Bearer ${await krToken({ iss: 'https://idp.kr.accord.example' }, { country: 'TH' })}`,
    });
  });

  it("ignores the Accord-Country header: the country comes from the token's issuer", async () => {
    const headers = await alliance.clientHeaders(
      analyst('TH', 'somchai.p', { purpose: 'investigation', case: 'TH-CAS-000001' }),
    );
    const answer = await post(
      alliance.gatewayUrl,
      { query: '{ suspect(id: "KH-SUS-000001") { fullName } }' },
      { ...headers, 'accord-country': 'KH', 'accord-analyst': 'sok.r' },
    );
    expect(answer.body.data).toEqual({ suspect: { fullName: null } });
    // A KH analyst would see KH's own record; the TH analyst the token names gets a hit only.
    expect(answer.body.errors![0]!.message).toContain('KH gives TH a hit only');
  });
});

describe('calls straight to a subgraph', () => {
  let alliance: Alliance;
  const body = JSON.stringify({
    query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on KRSuspect { id fullName } } }',
    variables: { r: [{ __typename: 'KRSuspect', id: 'KR-SUS-000001' }] },
  });
  const ctx = {
    'accord-country': 'KR',
    'accord-analyst': 'lee.h',
    'accord-roles': 'analyst',
    'accord-purpose': 'investigation',
  };
  beforeAll(async () => {
    alliance = await startAlliance();
  });
  afterAll(() => alliance.stop());

  const sendToKr = (headers: Record<string, string>, text = body) =>
    post(alliance.subgraphUrls['kr']!, text, headers);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function expectNothingRevealed(answer: GraphQLAnswer): Promise<void> {
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      errors: [
        {
          message: 'This subgraph answers only the alliance gateway.',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    // The same token, honestly made, still works: the subgraph is up.
    const honest = await sendToKr(
      bearer(alliance.signer.sign({ audience: 'kr', scope: 'query', ctx, body })),
    );
    expect(honest.body.data).toEqual({ _entities: [{ id: 'KR-SUS-000001', fullName: expect.any(String) }] });
  }

  it('refuses a call with no token, whether the record exists or not', async () => {
    await expectNothingRevealed(await sendToKr({}));
    const missing = await sendToKr({}, body.replace('KR-SUS-000001', 'KR-SUS-999999'));
    expect(missing.body).toEqual((await sendToKr({})).body);
  });

  it('refuses a forged token (another key)', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const honest = alliance.signer.sign({ audience: 'kr', scope: 'query', ctx, body });
    const [header, payload] = honest.split('.');
    const forged = compact(
      JSON.parse(Buffer.from(header!, 'base64url').toString()),
      JSON.parse(Buffer.from(payload!, 'base64url').toString()),
      es256(privateKey),
    );
    await expectNothingRevealed(await sendToKr(bearer(forged)));
  });

  it('refuses an expired token', async () => {
    const old = createGatewaySigner({
      keys: alliance.gatewayKeyDir,
      issuer: 'accord-gateway',
      now: () => Date.now() - 5 * 60_000,
    });
    await expectNothingRevealed(
      await sendToKr(bearer(old.sign({ audience: 'kr', scope: 'query', ctx, body }))),
    );
  });

  it('refuses a replayed token', async () => {
    const token = alliance.signer.sign({ audience: 'kr', scope: 'query', ctx, body });
    expect((await sendToKr(bearer(token))).status).toBe(200);
    await expectNothingRevealed(await sendToKr(bearer(token)));
  });

  it('refuses a token made for another subgraph', async () => {
    await expectNothingRevealed(
      await sendToKr(bearer(alliance.signer.sign({ audience: 'kh', scope: 'query', ctx, body }))),
    );
  });

  it('refuses a token whose body was swapped', async () => {
    const token = alliance.signer.sign({ audience: 'kr', scope: 'query', ctx, body });
    await expectNothingRevealed(
      await sendToKr(bearer(token), body.replace('KR-SUS-000001', 'KR-SUS-000002')),
    );
  });

  it("answers the gateway's schema token with _service and nothing else", async () => {
    const schemaQuery = JSON.stringify({ query: '{ _service { sdl } }' });
    const sdl = await sendToKr(
      bearer(alliance.signer.sign({ audience: 'kr', scope: 'schema', body: schemaQuery })),
      schemaQuery,
    );
    expect(sdl.status).toBe(200);
    expect((sdl.body.data as { _service: { sdl: string } })._service.sdl).toContain('type KRSuspect');
    const records = await sendToKr(bearer(alliance.signer.sign({ audience: 'kr', scope: 'schema', body })));
    expect(records.body.data).toBeNull();
    expect(records.body.errors![0]!.extensions!['code']).toBe('UNAUTHENTICATED');
  });
});
