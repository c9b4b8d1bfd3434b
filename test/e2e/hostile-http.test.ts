// Hostile or merely unusual HTTP requests (issue 10): shared persisted queries, an identity-provider
// oracle in the 401, client mistakes answered as server errors, a chunked body over the limit.
import { createHash, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import {
  HUB_NAME,
  MEMBERS,
  hubSubgraphSdl,
  memberSubgraphSdl,
  readCommittedSupergraph,
  subgraphName,
} from '../../schema';
import { ERROR_CODES } from '../../schema/errors';
import { DEFAULT_ANALYST_AUDIENCE, demoIssuer, signDemoAnalystToken } from '../../trust';
import { compact, es256 } from '../trust/forge';
import { analyst, post, startAlliance, type Alliance } from '../support/alliance';

const NOTHING_INTERNAL = /127\.0\.0\.1|localhost|http:\/\/|stack|at [A-Za-z]+ \(|\/work\/|node_modules/;
const CLOSED_SET: readonly string[] = Object.values(ERROR_CODES);
/** Two members from the registry: the one whose analyst runs a query first, and another. */
const [FIRST, OTHER] = MEMBERS;
const FIRST_ANALYST = analyst(FIRST!.code, 'first.a', {
  purpose: 'investigation',
  case: `${FIRST!.code}-CAS-000001`,
});
const OTHER_ANALYST = analyst(OTHER!.code, 'other.b', {
  purpose: 'investigation',
  case: `${OTHER!.code}-CAS-000001`,
});

const logLines: string[] = [];
let alliance: Alliance;
beforeAll(async () => {
  const logger = pino(
    { level: 'info' },
    new Writable({ write: (chunk: Buffer, _encoding, done) => (logLines.push(chunk.toString()), done()) }),
  );
  alliance = await startAlliance({ gatewayLogger: logger });
});
afterAll(() => alliance.stop());

/** A raw POST: status, headers and body exactly as sent. */
async function rawPost(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    text: await response.text(),
  };
}

describe('persisted queries', () => {
  const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
  const persisted = (hash: string, query?: string): string =>
    JSON.stringify({
      ...(query ? { query } : {}),
      extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
    });

  it('do not tell one analyst whether another ran a text: a known hash is answered like an unknown one', async () => {
    const text = `{ suspect(id: "${FIRST!.code}-SUS-000001") { id fullName } }`;
    // The first analyst sends the text with its hash, as an APQ client does.
    const first = await rawPost(
      alliance.gatewayUrl,
      persisted(sha256(text), text),
      await alliance.clientHeaders(FIRST_ANALYST),
    );
    expect(JSON.parse(first.text)).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }],
    });

    // The other analyst sends only hashes: the one just used, and one nobody ever sent.
    const otherHeaders = await alliance.clientHeaders(OTHER_ANALYST);
    const known = await rawPost(alliance.gatewayUrl, persisted(sha256(text)), otherHeaders);
    const unknown = await rawPost(
      alliance.gatewayUrl,
      persisted(sha256(`${text} # never sent`)),
      otherHeaders,
    );
    expect(known.text).toBe(unknown.text);
    expect(known.status).toBe(unknown.status);
    const body = JSON.parse(known.text) as { data?: unknown; errors: { extensions: { code: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
  });

  it.each([...MEMBERS.map((m) => subgraphName(m.code)), HUB_NAME])(
    'are not supported by the %s subgraph either',
    async (name) => {
      const answer = await alliance.postAsGateway(
        name,
        { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ __typename }') } } },
        FIRST_ANALYST,
      );
      expect(answer.body.errors).toEqual([
        { message: expect.any(String), extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } },
      ]);
    },
  );
});

describe("refused tokens: one answer for every token not shown to be a member's", () => {
  const QUERY = JSON.stringify({ query: `{ suspect(id: "${FIRST!.code}-SUS-000001") { id } }` });
  const WHY = { 'accord-purpose': 'investigation', 'accord-case': `${FIRST!.code}-CAS-000001` };

  /** A token with these claims, signed with `signer`'s demo key (another member's key forges). */
  async function token(claims: Record<string, unknown>, signer: string = FIRST!.code): Promise<string> {
    const honest = await signDemoAnalystToken({
      dir: alliance.idpDir,
      country: FIRST!.code,
      analyst: 'first.a',
      audience: DEFAULT_ANALYST_AUDIENCE,
    });
    const [header, payload] = honest.split('.');
    const changed = {
      ...(JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>),
      ...claims,
    };
    const key = createPrivateKey(readFileSync(join(alliance.idpDir, signer.toLowerCase(), 'private.pem')));
    return compact(JSON.parse(Buffer.from(header!, 'base64url').toString()), changed, es256(key));
  }

  /** Status, headers but the date, and body of the gateway's answer to a bearer token. */
  async function refusal(
    bearer: string,
  ): Promise<{ status: number; headers: Record<string, string>; text: string }> {
    const answer = await rawPost(alliance.gatewayUrl, QUERY, { ...WHY, authorization: `Bearer ${bearer}` });
    const { date: _date, ...headers } = answer.headers;
    return { status: answer.status, headers, text: answer.text };
  }

  it("answers a bad signature under a member's issuer exactly as an issuer that is no member's, and logs which", async () => {
    const now = Math.floor(Date.now() / 1000);
    const fresh = { iat: now, nbf: now, exp: now + 600 };
    const expired = { iat: now - 7200, nbf: now - 7200, exp: now - 3600 };
    // For each kind of claims, every way of not being a member's token: each member's issuer signed by
    // another member's key, and issuers no member has.
    for (const claims of [fresh, expired, { ...fresh, aud: 'another-service' }]) {
      const forgeries = [
        ...MEMBERS.map((member, i) =>
          token({ ...claims, iss: demoIssuer(member.code) }, MEMBERS[(i + 1) % MEMBERS.length]!.code),
        ),
        token({ ...claims, iss: 'https://idp.evil.example' }),
        token({ ...claims, iss: `${demoIssuer(FIRST!.code)}/` }),
        token({ ...claims, iss: demoIssuer(FIRST!.code) }).then(
          (t) => `${t.slice(0, t.lastIndexOf('.'))}.${'A'.repeat(86)}`,
        ),
      ];
      const answers = await Promise.all((await Promise.all(forgeries)).map(refusal));
      for (const answer of answers) expect(answer).toEqual(answers[0]);
      expect(answers[0]!.status).toBe(401);
      expect(answers[0]!.text).not.toMatch(
        /expired|audience|signature|issuer is not|not a member's identity provider\./i,
      );
      expect(JSON.parse(answers[0]!.text)).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    // The reasons are in the gateway's log, for its operators: a forged signature (the first member's
    // issuer), a key its provider does not publish (the others', whose tokens carry the first one's kid),
    // an issuer no member has.
    const reasons = logLines
      .map((line) => JSON.parse(line) as { msg?: string; reason?: string })
      .filter((line) => line.msg === 'refused an analyst token')
      .map((line) => line.reason);
    expect(new Set(reasons)).toEqual(new Set(['BAD_SIGNATURE', 'UNKNOWN_KEY', 'UNKNOWN_ISSUER']));
  });

  it('says why only once the signature verified: expired, not yet valid, another audience', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [Record<string, unknown>, RegExp][] = [
      // An expired token says what to do next, in one sentence that reads as one.
      [
        { iat: now - 7200, nbf: now - 7200, exp: now - 3600 },
        /^The token was refused: the identity token has expired; get a new one \(.*accord login\)\.$/,
      ],
      [{ aud: 'another-service' }, /another service/],
      [{ nbf: now + 3600, exp: now + 7200 }, /not valid yet/],
    ];
    for (const [claims, reason] of cases) {
      const answer = await refusal(await token(claims));
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.text)).toEqual({
        errors: [{ message: expect.stringMatching(reason), extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
  });
});

describe('client mistakes are 400s, never 500s', () => {
  /**
   * Documents that name no operation to run, around any field of the graph that gets them. A mutation is
   * one only where the graph has no Mutation type (members file follow-up requests; the hub registers emergencies).
   */
  const operationMistakes = (field: string, sdl: string): [string, Record<string, unknown>, RegExp][] => [
    [
      'two operations and no operationName',
      { query: `query A { ${field} } query B { ${field} }` },
      /has 2 operations: say which one to run in "operationName"/,
    ],
    [
      'an unknown operationName',
      { query: `query A { ${field} }`, operationName: 'C' },
      /has no operation named "C"/,
    ],
    ...(/^type Mutation\b/m.test(sdl)
      ? []
      : [
          [
            'a mutation',
            { query: `mutation { ${field} }` },
            /answers queries only; it has no mutation operations/,
          ] as [string, Record<string, unknown>, RegExp],
        ]),
    [
      'a subscription',
      { query: `subscription { ${field} }` },
      /answers queries only; it has no subscription operations/,
    ],
  ];
  const sdlOf = (name: string) =>
    name === HUB_NAME ? hubSubgraphSdl() : memberSubgraphSdl(name.toUpperCase());

  it('at the gateway: a mutation of a field that is no mutation is a 400', async () => {
    const answer = await post(
      alliance.gatewayUrl,
      { query: 'mutation { members { code } }' },
      await alliance.clientHeaders(FIRST_ANALYST),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        message: 'Cannot query field "members" on type "Mutation".',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      }),
    ]);
  });

  it.each(operationMistakes('members { code }', readCommittedSupergraph()))(
    'at the gateway: %s',
    async (_what, body, message) => {
      const answer = await post(alliance.gatewayUrl, body, await alliance.clientHeaders(FIRST_ANALYST));
      expect(answer.status).toBe(400);
      expect(answer.body.data ?? null).toBeNull();
      expect(answer.body.errors).toEqual([
        { message: expect.stringMatching(message), extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } },
      ]);
    },
  );

  it.each([...MEMBERS.map((m) => subgraphName(m.code)), HUB_NAME])('at the %s subgraph', async (name) => {
    for (const [what, body, message] of operationMistakes('__typename', sdlOf(name))) {
      const answer = await alliance.postAsGateway(name, body, FIRST_ANALYST);
      expect({ what, status: answer.status, errors: answer.body.errors }).toEqual({
        what,
        status: 400,
        errors: [
          { message: expect.stringMatching(message), extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } },
        ],
      });
    }
  });

  it('at the gateway: a mutation of a field the graph has no mutation of is a 400', async () => {
    const answer = await post(
      alliance.gatewayUrl,
      { query: 'mutation { members { code } }' },
      await alliance.clientHeaders(FIRST_ANALYST),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors?.map((e) => e.extensions?.['code'])).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('at the gateway: every malformed request gets a 4xx with a clear message and a code of the closed set', async () => {
    const headers = { 'content-type': 'application/json', ...(await alliance.clientHeaders(FIRST_ANALYST)) };
    const requests: [string, RequestInit][] = [
      ['not JSON', { method: 'POST', body: '{"query":' }],
      ['a JSON string', { method: 'POST', body: '"{ members { code } }"' }],
      ['a JSON number', { method: 'POST', body: '5' }],
      ['an empty object', { method: 'POST', body: '{}' }],
      ['no query', { method: 'POST', body: '{"variables":{}}' }],
      ['a query that is not a string', { method: 'POST', body: '{"query":5}' }],
      [
        'variables that are not an object',
        { method: 'POST', body: '{"query":"{ members { code } }","variables":[1]}' },
      ],
      [
        'an operationName that is not a string',
        { method: 'POST', body: '{"query":"{ members { code } }","operationName":5}' },
      ],
      [
        'extensions that are not an object',
        { method: 'POST', body: '{"query":"{ members { code } }","extensions":5}' },
      ],
      [
        'a required variable missing',
        { method: 'POST', body: '{"query":"query($id: ID!) { suspect(id: $id) { id } }"}' },
      ],
      [
        'a variable of the wrong type',
        {
          method: 'POST',
          body: '{"query":"query($id: ID!) { suspect(id: $id) { id } }","variables":{"id":{"a":1}}}',
        },
      ],
      ['a document that does not parse', { method: 'POST', body: '{"query":"{ members { code }"}' }],
      ['a GET without a query', { method: 'GET' }],
      ['a GET mutation', { method: 'GET', url: '?query=mutation%7Bmembers%7Bcode%7D%7D' } as RequestInit],
      ['a PUT', { method: 'PUT', body: '{"query":"{ members { code } }"}' }],
      [
        'a body that is text, not JSON',
        {
          method: 'POST',
          body: '{ members { code } }',
          headers: { ...headers, 'content-type': 'text/plain' },
        },
      ],
    ];
    for (const [what, init] of requests) {
      const { url: search, ...rest } = init as RequestInit & { url?: string };
      const response = await fetch(`${alliance.gatewayUrl}${search ?? ''}`, { headers, ...rest });
      const text = await response.text();
      expect({ what, clientError: response.status >= 400 && response.status < 500 }).toEqual({
        what,
        clientError: true,
      });
      const body = JSON.parse(text) as { errors: { message: string; extensions: { code: string } }[] };
      for (const error of body.errors) {
        expect({
          what,
          code:
            CLOSED_SET.includes(error.extensions.code) && error.extensions.code !== 'INTERNAL_SERVER_ERROR',
        }).toEqual({ what, code: true });
        expect(error.message).not.toMatch(/could not complete part of this request/);
      }
      expect(text).not.toMatch(NOTHING_INTERNAL);
    }
  });
});

describe('a chunked body over the limit', () => {
  /**
   * POSTs a chunked body (no Content-Length), chunk after chunk, until the server answers; at most 16 MB,
   * far past any limit. Resolves with the answer; rejects if the connection fails before one.
   */
  function streamPastLimit(url: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      let answered = false;
      const outgoing = request(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (response) => {
          answered = true;
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (data: string) => (body += data));
          response.on('end', () => {
            resolve({ status: response.statusCode ?? 0, body });
            outgoing.destroy();
          });
        },
      );
      outgoing.on('error', (error) => {
        if (!answered) reject(error);
      });
      const pump = (): void => {
        if (answered) return;
        if (sent > 16 * 1024 * 1024) {
          outgoing.end();
          return;
        }
        sent += chunk.length;
        outgoing.write(chunk, () => setImmediate(pump));
      };
      outgoing.write('{"query":"# ');
      pump();
    });
  }

  it.each(['gateway', ...MEMBERS.map((m) => subgraphName(m.code)), HUB_NAME])(
    'is answered 413 by the %s, not with a reset',
    async (name) => {
      const url = name === 'gateway' ? alliance.gatewayUrl : alliance.subgraphUrls[name]!;
      const answer = await streamPastLimit(url);
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual({
        errors: [
          {
            message: expect.stringMatching(/larger than \d+ bytes/),
            extensions: { code: 'PAYLOAD_TOO_LARGE' },
          },
        ],
      });
      // Still up for the next analyst.
      const next = await alliance.query('{ members { code } }', { headers: FIRST_ANALYST });
      expect(next.body.data).toEqual({ members: MEMBERS.map((m) => ({ code: m.code })) });
    },
  );
});
