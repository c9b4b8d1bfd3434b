/**
 * The owner's desk over HTTP (subgraphs/desk/deskRoutes.ts), on the member's own subgraph server:
 *
 * - Only this member's desk officers get in: a token of this member's identity provider, for the desk's
 *   audience, with the role `desk`. Another member's desk token, an analyst token for the gateway, the
 *   gateway's own token, a forged or expired one and none at all get one and the same 401; an own-member
 *   desk-audience token without the role gets 403; none of these answers says anything of the requests,
 *   and none changes anything.
 * - The API approves, refuses, asks and revokes through the same decisions as the CLI; bodies are strict
 *   JSON (unknown fields, wrong types, other media types, oversize bodies refused) and a refused call
 *   changes nothing.
 * - The page at /desk shows the requests with overdue ones marked, escapes what requesters wrote, and is
 *   served with a strict Content-Security-Policy.
 * - The desk is not part of the federated schema.
 *
 * The owner, the requester and the clause come from the agreement set; the requests are filed straight
 * into the owner's store (filing through the gateway is another part's).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefaultPolicy, type Agreement, type Clause } from '../../policy';
import { MEMBERS } from '../../schema';
import { tokenCommand } from '../../scripts/token';
import { startSubgraph, type RunningServer } from '../../subgraphs/kit';
import { openStore } from '../../subgraphs/reference';
import {
  DESK_MAX_BODY_BYTES,
  OVERDUE_MARK,
  mountDesk,
  openGrantStore,
  openRequestStore,
  type FollowUpFiling,
  type GrantStore,
  type RequestStore,
} from '../../subgraphs/desk';
import {
  DEFAULT_ANALYST_AUDIENCE,
  DESK_AUDIENCE,
  DESK_ROLE,
  localTrust,
  signDemoAnalystToken,
  type LocalTrust,
} from '../../trust';
import { REFUSAL_GROUNDS } from '../../vocabulary';
import { createLogger } from '../../lib/logger';
import { generateKeyPairSync } from 'node:crypto';
import { MEMBER_MODULES } from '../support/members';

const policy = loadDefaultPolicy();
const DAY = 86_400_000;
const ROOT = join(__dirname, '..', '..');

/** A clause bound to a formal request, with its owner and a requester, and categories one officer may approve. */
const ROUTE = (() => {
  for (const agreement of policy.set.agreements) {
    for (const clause of agreement.clauses.filter((c) => c.conditions.requestReference === true)) {
      const { from, to } =
        clause.direction === 'both' ? { from: agreement.parties, to: agreement.parties } : clause.direction;
      for (const owner of from) {
        const sensitive = policy.set.members.find((m) => m.code === owner)?.desk?.twoApproverCategories ?? [];
        const categories = Object.keys(clause.categories).filter((c) => !sensitive.includes(c as never));
        const requester = to.find((country) => country !== owner);
        if (
          requester !== undefined &&
          categories.length >= 2 &&
          MEMBER_MODULES.some((m) => m.COUNTRY === owner)
        )
          return { agreement, clause, owner, requester, categories };
      }
    }
  }
  throw new Error('no clause bound to a formal request in the agreement set');
})() satisfies {
  agreement: Agreement;
  clause: Clause;
  owner: string;
  requester: string;
  categories: string[];
};
const { owner: OWNER, requester: REQUESTER } = ROUTE;
const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>';

function filing(change: Partial<FollowUpFiling> = {}): FollowUpFiling {
  return {
    owner: OWNER,
    requesterCountry: REQUESTER,
    analyst: 'lee.h',
    authority: 'National Police',
    caseReference: `${REQUESTER}-CAS-000001`,
    offences: ['fraud'],
    facts: `Victims paid into accounts controlled from a compound. ${HOSTILE}`,
    subjects: [`${OWNER}-SUS-000001`],
    categories: ROUTE.categories,
    purpose: ROUTE.clause.purposes[0]!,
    agreement: ROUTE.agreement.id,
    clauses: [ROUTE.clause.id],
    urgency: 'normal',
    intendedUse: 'evidence',
    confidentiality: 'do not notify the subject',
    ...change,
  };
}

let dir: string;
let trust: LocalTrust;
let server: RunningServer;
let origin: string;
let requests: RequestStore;
let grants: GrantStore;
let clock = Date.UTC(2026, 5, 1, 9);

const token = (
  country: string,
  subject: string,
  roles: readonly string[],
  audience: string,
  now?: number,
): Promise<string> =>
  signDemoAnalystToken({
    dir: trust.idpDir,
    country,
    analyst: subject,
    roles,
    audience,
    ...(now !== undefined && { now }),
  });

async function call(
  method: string,
  path: string,
  bearer: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: {
      ...(bearer !== undefined && { authorization: `Bearer ${bearer}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: <T = { error: { code: string; message: string } }>(): T => JSON.parse(text) as T,
  };
}

let officer: string;
let second: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'accord-desk-api-'));
  trust = localTrust(
    join(dir, 'data'),
    MEMBERS.map((m) => m.code),
  );
  requests = openRequestStore({ owner: OWNER, file: join(dir, 'desk.sqlite') });
  grants = openGrantStore({
    owner: OWNER,
    file: join(dir, 'desk.sqlite'),
    key: generateKeyPairSync('ed25519').privateKey,
  });
  const member = MEMBER_MODULES.find((m) => m.COUNTRY === OWNER)!;
  server = await startSubgraph(
    member.createSystem({ store: openStore({ country: OWNER, file: ':memory:' }) }),
    {
      host: '127.0.0.1',
      port: 0,
      policy,
      now: () => clock,
      gatewayTokens: trust.gatewayTokens(OWNER.toLowerCase()),
      grants,
      prefixRoutes: mountDesk({
        owner: OWNER,
        policy,
        requests,
        grants,
        issuer: trust.issuers[OWNER],
        logger: createLogger('desk-test'),
        now: () => clock,
      }),
    },
  );
  origin = new URL(server.url).origin;
  officer = await token(OWNER, 'desk.one', [DESK_ROLE], DESK_AUDIENCE);
  second = await token(OWNER, 'desk.two', [DESK_ROLE], DESK_AUDIENCE);
});

afterAll(async () => {
  await server?.stop();
  requests?.close();
  grants?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('who gets in', () => {
  const refusedTokens: [string, () => Promise<string | undefined>][] = [
    ['no token', () => Promise.resolve(undefined)],
    ['a token that is not a JWT', () => Promise.resolve('not-a-token')],
    ["another member's desk officer", () => token(REQUESTER, 'desk.one', [DESK_ROLE], DESK_AUDIENCE)],
    [
      "the requesting analyst's own token for the gateway",
      () => token(REQUESTER, 'lee.h', ['analyst'], DEFAULT_ANALYST_AUDIENCE),
    ],
    [
      "the gateway's own token for this subgraph",
      () =>
        Promise.resolve(
          trust.signer().sign({ audience: OWNER.toLowerCase(), scope: 'query', ctx: {}, body: '{}' }),
        ),
    ],
  ];
  /**
   * Genuine tokens of this member's identity provider, refused: told why (their holder can read the same
   * from the token), with the same status and nothing of the desk.
   */
  const toldTokens: [string, () => Promise<string>, string][] = [
    [
      'an analyst of this member, for the gateway, even with the desk role',
      () => token(OWNER, 'desk.one', [DESK_ROLE], DEFAULT_ANALYST_AUDIENCE),
      'This token is for another Accord service',
    ],
    [
      'an expired desk token',
      () => token(OWNER, 'desk.one', [DESK_ROLE], DESK_AUDIENCE, Date.now() - 2 * DAY),
      'This desk token has expired',
    ],
  ];

  it('answers every refused token with the same 401, saying nothing of the desk, and changes nothing', async () => {
    const request = requests.file(filing(), clock, clock + DAY);
    const bodies = new Set<string>();
    const told = new Map<string, Set<string>>();
    for (const [name, make, why] of [
      ...refusedTokens.map(([name, make]) => [name, make, undefined] as const),
      ...toldTokens,
    ]) {
      const bearer = await make();
      for (const [method, path, body] of [
        ['GET', '/desk', undefined],
        ['GET', '/desk/requests', undefined],
        ['GET', `/desk/requests/${request.id}`, undefined],
        [
          'POST',
          `/desk/requests/${request.id}/approve`,
          { categories: [ROUTE.categories[0]], validDays: 30, evidentiaryUse: false },
        ],
        ['POST', `/desk/requests/${request.id}/refuse`, { ground: REFUSAL_GROUNDS[0].code }],
        ['GET', '/desk/no-such-path', undefined],
      ] as const) {
        const answer = await call(method, path, bearer, body);
        expect([method, path, answer.status]).toEqual([method, path, 401]);
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
        if (why === undefined) bodies.add(answer.text);
        else told.set(name, (told.get(name) ?? new Set()).add(answer.text));
        if (why !== undefined) expect(answer.text).toContain(why);
        expect(answer.text).not.toContain(request.id);
        expect(answer.text).not.toContain(`${OWNER}-SUS-`);
        expect(answer.text).not.toMatch(/at .*\.ts|sqlite|\/tmp\/|Error:/);
      }
    }
    expect(bodies.size).toBe(1);
    // Each genuine token is told one thing, on every path, and not what the others are told.
    expect([...told.values()].map((texts) => texts.size)).toEqual(toldTokens.map(() => 1));
    expect(new Set([...told.values()].flatMap((texts) => [...texts])).size).toBe(toldTokens.length);
    expect(requests.get(request.id)).toEqual(request);
    expect(grants.list()).toEqual([]);
  });

  it('refuses a token of this member for the desk without the desk role with 403, and changes nothing', async () => {
    const request = requests.file(filing(), clock, clock + DAY);
    const analyst = await token(OWNER, 'kim.j', ['analyst'], DESK_AUDIENCE);
    const listed = await call('GET', '/desk/requests', analyst);
    expect(listed.status).toBe(403);
    expect(listed.text).not.toContain(request.id);
    const approve = await call('POST', `/desk/requests/${request.id}/approve`, analyst, {
      categories: [ROUTE.categories[0]],
      validDays: 30,
      evidentiaryUse: false,
    });
    expect(approve.status).toBe(403);
    expect(requests.get(request.id)).toEqual(request);
  });

  it('npm run token -- --desk mints the token that opens the desk', async () => {
    let out = '';
    const code = await tokenCommand(['--desk', '--country', OWNER, '--officer', 'desk.cli'], {
      out: (text) => (out += text),
      err: () => undefined,
      env: { ACCORD_DATA_DIR: join(dir, 'data') },
      root: dir,
    });
    expect(code).toBe(0);
    expect((await call('GET', '/desk/requests', out.trim())).status).toBe(200);
    let err = '';
    expect(
      await tokenCommand(
        ['--desk', '--country', OWNER, '--officer', 'desk.cli', '--audience', DEFAULT_ANALYST_AUDIENCE],
        {
          out: () => undefined,
          err: (text) => (err += text),
          env: { ACCORD_DATA_DIR: join(dir, 'data') },
          root: dir,
        },
      ),
    ).toBe(2);
    expect(err).toMatch(/--desk fixes the audience/);
    // The gateway's verifier (the members' identity providers, the gateway's audience) refuses a desk token.
    await expect(trust.analysts().verify(out.trim())).rejects.toMatchObject({ reason: 'WRONG_AUDIENCE' });
  });
});

describe('deciding over the API', () => {
  it('lists requests with the overdue first and marked, and filters them', async () => {
    const early = requests.file(filing(), clock, clock + 3 * DAY);
    const due = requests.file(filing(), clock, clock + DAY);
    clock += 2 * DAY;
    const listed = (await call('GET', '/desk/requests?state=pending', officer)).json<{
      requests: { id: string; overdue: boolean }[];
    }>();
    const ids = listed.requests.map((r) => r.id);
    expect(listed.requests.find((r) => r.id === due.id)?.overdue).toBe(true);
    expect(listed.requests.find((r) => r.id === early.id)?.overdue).toBe(false);
    expect(ids.indexOf(due.id)).toBeLessThan(ids.indexOf(early.id));
    expect(
      listed.requests.slice(0, listed.requests.filter((r) => r.overdue).length).every((r) => r.overdue),
    ).toBe(true);
    const overdue = (await call('GET', '/desk/requests?overdue=true', officer)).json<{
      requests: { id: string; overdue: boolean }[];
    }>();
    expect(overdue.requests.every((r) => r.overdue)).toBe(true);
    expect(overdue.requests.map((r) => r.id)).toContain(due.id);
    expect((await call('GET', '/desk/requests?colour=red', officer)).status).toBe(400);
    expect((await call('GET', '/desk/requests?state=lost', officer)).status).toBe(400);
    expect((await call('GET', `/desk/requests/${due.id}`, officer)).json()).toMatchObject({
      request: { id: due.id, overdue: true, facts: filing().facts },
    });
    expect((await call('GET', `/desk/requests/${OWNER}-FUR-2026-999999`, officer)).status).toBe(404);
  });

  it('approves a subset of the categories into a grant, and a second decision is told it came too late', async () => {
    const request = requests.file(filing(), clock, clock + 3 * DAY);
    const approved = await call('POST', `/desk/requests/${request.id}/approve`, officer, {
      categories: [ROUTE.categories[1]],
      validDays: 9,
      evidentiaryUse: false,
    });
    expect(approved.status).toBe(200);
    expect(approved.json()).toMatchObject({
      request: { id: request.id, state: 'approved', grantId: request.id },
      grant: {
        id: request.id,
        categories: [ROUTE.categories[1]],
        validUntil: clock + 9 * DAY,
        evidentiaryUse: false,
        status: 'valid',
        approvedBy: [`${OWNER}/desk.one`],
      },
    });
    expect(grants.get(request.id)).toMatchObject({
      categories: [ROUTE.categories[1]],
      analysts: ['lee.h'],
      clauses: [ROUTE.clause.id],
      subjects: [`${OWNER}-SUS-000001`],
    });
    const late = await call('POST', `/desk/requests/${request.id}/refuse`, second, {
      ground: REFUSAL_GROUNDS[0].code,
    });
    expect(late.status).toBe(409);
    expect(late.json().error).toMatchObject({ code: 'CONFLICT' });
    expect(late.json().error.message).toMatch('already approved');
    const listed = (await call('GET', '/desk/grants', officer)).json<{
      grants: { id: string; status: string }[];
    }>();
    expect(listed.grants.find((g) => g.id === request.id)?.status).toBe('valid');

    const revoked = await call('POST', `/desk/grants/${request.id}/revoke`, second);
    expect(revoked.status).toBe(200);
    expect(revoked.json()).toMatchObject({
      grant: { id: request.id, status: 'revoked', revokedBy: `${OWNER}/desk.two` },
    });
    expect(grants.get(request.id)?.revokedAt).toBe(clock);
    expect((await call('POST', `/desk/grants/${request.id}/revoke`, officer)).status).toBe(409);
    expect((await call('POST', '/desk/grants/NO-SUCH-GRANT/revoke', officer)).status).toBe(404);
  });

  it('refuses bad bodies and bad decisions with a clear 4xx, and changes nothing', async () => {
    const request = requests.file(filing({ intendedUse: 'intelligence' }), clock, clock + 3 * DAY);
    const path = `/desk/requests/${request.id}/approve`;
    const good = { categories: [ROUTE.categories[0]], validDays: 30, evidentiaryUse: false };
    const unrequested =
      Object.keys(ROUTE.clause.categories).find((c) => !ROUTE.categories.includes(c)) ?? 'person.biometrics';
    const cases: [string, string, unknown, Record<string, string>, number, RegExp][] = [
      ['an unknown field', path, { ...good, approver: 'KR/someone' }, {}, 400, /unknown field "approver"/],
      [
        'a missing field',
        path,
        { categories: good.categories, validDays: 30 },
        {},
        400,
        /"evidentiaryUse" is required/,
      ],
      ['a wrong type', path, { ...good, validDays: '30' }, {}, 400, /"validDays" must be a whole number/],
      ['not JSON', path, '{"categories":', {}, 400, /not valid JSON/],
      ['a JSON array', path, '[]', {}, 400, /JSON object/],
      [
        'another media type',
        path,
        JSON.stringify(good),
        { 'content-type': 'text/plain' },
        415,
        /application\/json/,
      ],
      [
        'a body over the limit',
        path,
        JSON.stringify({ ...good, pad: 'x'.repeat(DESK_MAX_BODY_BYTES) }),
        {},
        413,
        /larger than/,
      ],
      [
        'more than was requested',
        path,
        { ...good, categories: [unrequested] },
        {},
        400,
        /not requested|never widens/,
      ],
      [
        'evidentiary use on a request for intelligence',
        path,
        { ...good, evidentiaryUse: true },
        {},
        400,
        /more than requested/,
      ],
      [
        'an unknown ground',
        `/desk/requests/${request.id}/refuse`,
        { ground: 'because' },
        {},
        400,
        new RegExp(REFUSAL_GROUNDS.map((g) => g.code).join('.*')),
      ],
      ['a blank question', `/desk/requests/${request.id}/ask`, { question: ' \u200b ' }, {}, 400, /question/],
      ['an unknown action', `/desk/requests/${request.id}/delete`, {}, {}, 404, /Not found/],
    ];
    for (const [what, target, body, headers, status, message] of cases) {
      const answer = await call('POST', target, officer, body, headers);
      expect([what, answer.status]).toEqual([what, status]);
      expect(answer.json().error.message).toMatch(message);
      expect(answer.text).not.toMatch(/at .*\.ts|sqlite|\/tmp\//);
    }
    expect((await call('GET', path, officer)).status).toBe(405);
    expect(requests.get(request.id)).toEqual(request);
    expect(grants.get(request.id)).toBeUndefined();
  });

  it('refuses the requesting analyst even with a desk token of this member', async () => {
    // The same person id in the owner's country is another person; the requester's own id in its own
    // country never gets a token of this member's identity provider, so the API cannot be asked at all
    // (see "who gets in"). The decision rule itself is covered in test/desk/decisions.test.ts.
    const request = requests.file(filing(), clock, clock + 3 * DAY);
    const foreign = await token(REQUESTER, 'lee.h', [DESK_ROLE], DESK_AUDIENCE);
    expect(
      (
        await call('POST', `/desk/requests/${request.id}/approve`, foreign, {
          categories: [ROUTE.categories[0]],
          validDays: 30,
          evidentiaryUse: false,
        })
      ).status,
    ).toBe(401);
    expect(requests.get(request.id)).toEqual(request);
  });

  it('refuses on a ground from the list, and asks for more information', async () => {
    const refused = requests.file(filing(), clock, clock + 3 * DAY);
    const ground = REFUSAL_GROUNDS[REFUSAL_GROUNDS.length - 1]!.code;
    const answer = await call('POST', `/desk/requests/${refused.id}/refuse`, officer, {
      ground,
      note: 'Outside the clause.',
    });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ request: { state: 'refused', ground } });
    const asked = requests.file(filing(), clock, clock + 3 * DAY);
    const question = await call('POST', `/desk/requests/${asked.id}/ask`, officer, {
      question: 'Which transfers link the subject to the victims?',
    });
    expect(question.status).toBe(200);
    expect(question.json()).toMatchObject({ request: { state: 'info-requested' } });
    expect(requests.get(asked.id)!.events.at(-1)).toMatchObject({
      act: 'info-requested',
      by: `${OWNER}/desk.one`,
      text: 'Which transfers link the subject to the victims?',
    });
  });
});

describe('the desk page', () => {
  it('shows the requests with the overdue marked, escapes what requesters wrote, under a strict CSP', async () => {
    const overdue = requests.file(filing(), clock - 3 * DAY, clock - DAY);
    const page = await call('GET', '/desk', officer);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|script-src|https?:/);
    const row =
      new RegExp(`<tr id="request-${overdue.id}"[^>]*data-overdue="true"[^]*?</tr>`).exec(page.text)?.[0] ??
      '';
    expect(row).toContain(OVERDUE_MARK);
    expect(page.text).not.toContain(HOSTILE);
    expect(page.text).not.toMatch(/<script|<img/i);
    expect(page.text).toContain('&lt;script&gt;');
    expect(page.text).toContain(`grant-`);
  });
});

describe('signing in to the page from a browser (it cannot send Authorization when it opens a page)', () => {
  const HTML = { accept: 'text/html,application/xhtml+xml' };
  /** The page's cookie at this desk: named for its member, so that desks on one host keep apart. */
  const COOKIE = `accord_desk_${OWNER.toLowerCase()}`;
  const form = (fields: string): Record<string, string> => ({
    'content-type': 'application/x-www-form-urlencoded',
    body: fields,
  });
  /** A call as a browser makes it: no redirect followed, the body as given. */
  async function browser(method: string, path: string, headers: Record<string, string> = {}) {
    const { body, ...rest } = headers;
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: { ...HTML, ...rest },
      redirect: 'manual',
      ...(body !== undefined && { body }),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  it('shows the sign-in form to a browser without a token, and nothing of the desk', async () => {
    const request = requests.file(filing(), clock, clock + DAY);
    const page = await browser('GET', '/desk');
    expect(page.status).toBe(401);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('<form method="post" action="/desk/session">');
    expect(page.text).toContain(`npm run -s token -- --desk --country ${OWNER}`);
    expect(page.text).not.toContain(request.id);
    expect(page.text).not.toMatch(/<script/i);
    expect(page.headers.get('content-security-policy')).toMatch(/form-action 'self'/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/script-src|unsafe-inline/);
    // Not a browser: the API's JSON refusal, as before.
    expect((await call('GET', '/desk', undefined)).json().error.code).toBe('UNAUTHENTICATED');
  });

  it('keeps a good token in an HttpOnly, SameSite=Strict cookie for /desk, as long as the token lasts', async () => {
    const signedIn = await browser('POST', '/desk/session', form(`token=${encodeURIComponent(officer)}`));
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/desk');
    const cookie = signedIn.headers.get('set-cookie') ?? '';
    expect(cookie.startsWith(`${COOKIE}=${officer}; Path=/desk; Max-Age=`)).toBe(true);
    expect(cookie).toMatch(/; HttpOnly; SameSite=Strict$/);
    const exp = (
      JSON.parse(Buffer.from(officer.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number }
    ).exp;
    expect(Number(/Max-Age=(\d+)/.exec(cookie)![1])).toBe(Math.floor(exp - clock / 1000));
    const page = await browser('GET', '/desk', { cookie: `${COOKIE}=${officer}` });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`${OWNER}/desk.one`);
    expect(page.text).toContain('action="/desk/session/end"');
  });

  it('opens the page only: the API and every act still need Authorization', async () => {
    const request = requests.file(filing(), clock, clock + DAY);
    const cookie = { cookie: `${COOKIE}=${officer}` };
    expect((await call('GET', '/desk/requests', undefined, undefined, cookie)).status).toBe(401);
    const approve = await call(
      'POST',
      `/desk/requests/${request.id}/approve`,
      undefined,
      { categories: [ROUTE.categories[0]], validDays: 30, evidentiaryUse: false },
      cookie,
    );
    expect(approve.status).toBe(401);
    expect(requests.get(request.id)).toEqual(request);
  });

  it('refuses a bad token with the form again and why, and sets no cookie', async () => {
    const noRole = await token(OWNER, 'desk.one', ['analyst'], DESK_AUDIENCE);
    for (const [bad, status, why] of [
      ['not-a-token', 401, 'The desk needs a desk officer'],
      [await token(REQUESTER, 'desk.one', [DESK_ROLE], DESK_AUDIENCE), 401, 'The desk needs a desk officer'],
      [noRole, 403, 'does not carry the role'],
    ] as const) {
      const answer = await browser('POST', '/desk/session', form(`token=${encodeURIComponent(bad)}`));
      expect([answer.status, answer.headers.get('set-cookie')]).toEqual([status, null]);
      expect(answer.text).toContain('<form method="post" action="/desk/session">');
      expect(answer.text).toContain(why);
    }
    const blank = await browser('POST', '/desk/session', form('token=%20'));
    expect([blank.status, blank.text.includes('Paste a desk token')]).toEqual([400, true]);
  });

  it('sends a cookie that no longer verifies back to the form, and removes it', async () => {
    const expired = await token(OWNER, 'desk.one', [DESK_ROLE], DESK_AUDIENCE, Date.now() - 2 * DAY);
    const page = await browser('GET', '/desk', { cookie: `other=1; ${COOKIE}=${expired}` });
    expect(page.status).toBe(401);
    expect(page.text).toContain('<form method="post" action="/desk/session">');
    expect(page.headers.get('set-cookie')).toMatch(
      new RegExp(`^${COOKIE}=; Path=/desk; Max-Age=0; HttpOnly`),
    );
  });

  it("reads only its own member's cookie, refuses what is not token-shaped, and a form from another site", async () => {
    const other = MEMBERS.map((m) => m.code).find((code) => code !== OWNER)!;
    const foreign = await browser('GET', '/desk', {
      cookie: `accord_desk_${other.toLowerCase()}=${officer}`,
    });
    expect([foreign.status, foreign.headers.get('set-cookie')]).toEqual([401, null]);
    const [head, body, signature] = officer.split('.');
    for (const bent of [
      `${head}.${body}.${signature!.slice(0, 5)} ${signature!.slice(5)}`,
      `${head}.${body}.${signature!.slice(0, 5)}\n${signature!.slice(5)}`,
    ]) {
      const answer = await browser('POST', '/desk/session', form(`token=${encodeURIComponent(bent)}`));
      expect([answer.status, answer.headers.get('set-cookie')]).toEqual([401, null]);
    }
    const crossSites: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://elsewhere.example' },
    ];
    for (const crossSite of crossSites) {
      const answer = await browser('POST', '/desk/session', {
        ...form(`token=${encodeURIComponent(officer)}`),
        ...crossSite,
      });
      expect([answer.status, answer.headers.get('set-cookie')]).toEqual([403, null]);
      expect(answer.text).toContain('the form came from another site');
    }
    const own = await browser('POST', '/desk/session', {
      ...form(`token=${encodeURIComponent(officer)}`),
      'sec-fetch-site': 'same-origin',
      origin,
    });
    expect(own.status).toBe(303);
  });

  it('refuses what is not the form with a clear error, and signs out', async () => {
    const json = await call('POST', '/desk/session', undefined, { token: officer });
    expect([json.status, json.json().error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const extra = await browser('POST', '/desk/session', form(`token=${officer}&officer=desk.two`));
    expect(extra.status).toBe(400);
    expect((await browser('GET', '/desk/session')).status).toBe(405);
    const out = await browser('POST', '/desk/session/end', { cookie: `${COOKIE}=${officer}` });
    expect([out.status, out.headers.get('location')]).toEqual([303, '/desk']);
    expect(out.headers.get('set-cookie')).toMatch(
      new RegExp(`^${COOKIE}=; Path=/desk; Max-Age=0; HttpOnly; SameSite=Strict$`),
    );
  });
});

test('the desk stays out of the federated schema, and GraphQL still answers beside it', async () => {
  const supergraph = readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8');
  expect(supergraph).not.toMatch(/desk/i);
  const health = await fetch(`${origin}/health`);
  expect(health.status).toBe(200);
  expect((await fetch(`${origin}/desks`)).status).toBe(404);
});
