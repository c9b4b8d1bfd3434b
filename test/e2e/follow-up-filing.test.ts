/**
 * Filing a formal follow-up request with the owner, end to end over HTTP through the gateway (issue 9,
 * items 1 and 4): a hit comes with the owner's hit token; the analyst files with it, under one of the
 * routes the refusal named; the owner keeps the request with its due time, and the analyst (and nobody
 * else) reads its status. Filing about a record without a valid hit is answered exactly like filing about
 * a record that does not exist; bad input is refused and stores nothing.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePolicy, DEFAULT_AGREEMENTS_DIR, loadAgreementSet } from '../../policy';
import { DEFAULT_REQUEST_DEADLINES, type RequestStore } from '../../subgraphs/desk';
import { MEMBERS, concreteTypeName, fileFollowUpRequestField, followUpRequestsField } from '../../schema';
import { openAuditReader, type CrossingBody } from '../../audit';
import { analyst, startAlliance, TEST_NOW, type Alliance, type GraphQLAnswer } from '../support/alliance';
import { sqliteAuditBackend, type AllianceLogs, type AuditBackend } from '../support/auditBackends';
import { followUpDesks } from '../support/followUp';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OWNER = 'KH';
const REQUESTER = 'KR';
const ANALYST = 'lee.h';
const SUBJECT = `${OWNER}-SUS-000001`;
/** Serial far beyond any world the harness seeds: no such record. */
const MISSING = `${OWNER}-SUS-999999`;
const OTHER_SUBJECT = `${OWNER}-SUS-000002`;
const DECLARATION = { purpose: 'investigation', case: 'KR-CAS-000001' };
const FILE = fileFollowUpRequestField(OWNER);
const STATUS = followUpRequestsField(OWNER);
const STATUS_FIELDS =
  'id owner requesterCountry analyst caseReference subjects categories purpose agreement clauses urgency intendedUse state filedAt dueAt overdue refusalGround grantId';
const MUTATION = `mutation ($input: FollowUpRequestInput!) { ${FILE}(input: $input) { ${STATUS_FIELDS} } }`;
const STATUS_QUERY = `{ ${STATUS} { ${STATUS_FIELDS} } }`;
const LOOKUP = `query ($id: ID!) { suspect(id: $id) { id fullName } }`;

let clock = TEST_NOW;
let desks: ReturnType<typeof followUpDesks>;
let alliance: Alliance;
let backend: AuditBackend;
let logs: AllianceLogs;

beforeAll(async () => {
  desks = followUpDesks();
  // With the audit on: the gateway's consultation of a filing is walked like any answer's.
  backend = sqliteAuditBackend();
  logs = backend.forAlliance();
  alliance = await startAlliance({ now: () => clock, followUp: desks, audit: logs });
}, 120_000);
afterAll(async () => {
  await alliance?.stop();
  await backend?.close();
  for (const desk of Object.values(desks ?? {})) desk.requests.close();
});
beforeEach(() => {
  clock = TEST_NOW;
});

const store = (): RequestStore => desks[OWNER]!.requests;
const asAnalyst = (country = REQUESTER, id = ANALYST) => analyst(country, id, DECLARATION);

interface Route {
  readonly agreement: string;
  readonly clause: string;
  readonly needs: string;
}

/** The suspect looked up as `country`: the answer, its hit tokens and the refusal of its name. */
async function lookUp(
  id: string,
  country = REQUESTER,
): Promise<{ answer: GraphQLAnswer; hits: Record<string, string>; routes: Route[] }> {
  const answer = await alliance.query(LOOKUP, { headers: asAnalyst(country), variables: { id } });
  const hits =
    (answer.body.extensions?.['accord'] as { hits?: Record<string, string> } | undefined)?.hits ?? {};
  const refusal = answer.body.errors?.find((e) => e.path?.at(-1) === 'fullName');
  return { answer, hits, routes: (refusal?.extensions?.['routes'] as Route[] | undefined) ?? [] };
}

/** Every record id anywhere in an answer's data. */
function idsIn(value: unknown, ids = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => idsIn(item, ids));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'id' && typeof child === 'string') ids.add(child);
      idsIn(child, ids);
    }
  }
  return ids;
}

/** A sound filing about `subjects` under `route`, with `tokens`. */
function filing(
  route: Route,
  subjects: string[],
  tokens: string[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    authority: 'Korean National Police Agency',
    caseReference: 'KR-CAS-000001',
    offences: ['Trafficking in persons'],
    facts:
      'The suspect recruited victims in Seoul with false job offers and moved them to Sihanoukville compounds.',
    subjects,
    categories: ['person.identity'],
    purpose: 'investigation',
    agreement: route.agreement,
    clauses: [route.clause],
    urgency: 'NORMAL',
    intendedUse: 'INTELLIGENCE',
    confidentiality: 'Do not notify the subject',
    hitTokens: tokens,
    ...extra,
  };
}

const file = (input: Record<string, unknown>, country = REQUESTER, id = ANALYST) =>
  alliance.query(MUTATION, { headers: asAnalyst(country, id), variables: { input } });

/** The route the refusal of the name named that needs a formal request (the test's own reading of it). */
async function requestRoute(): Promise<{ route: Route; token: string }> {
  const { hits, routes } = await lookUp(SUBJECT);
  const route = routes.find((r) => r.needs === 'requestReference');
  if (!route)
    throw new Error(
      `the refusal of ${SUBJECT}'s name names no route through a formal request: ${JSON.stringify(routes)}`,
    );
  return { route, token: hits[SUBJECT]! };
}

describe("a hit comes with the owner's hit token", () => {
  test('a KR analyst looking up a KH suspect gets its hit token, for that record only', async () => {
    const { answer, hits } = await lookUp(SUBJECT);
    expect(answer.body.data?.['suspect']).toMatchObject({ id: SUBJECT });
    expect(Object.keys(hits)).toEqual([SUBJECT]);
    expect(typeof hits[SUBJECT]).toBe('string');
  });

  test('a search gives tokens only for records in the answer, and only foreign ones', async () => {
    const answer = await alliance.query(
      '{ search(term: "Tiger") { country suspects { id } compounds { id } } }',
      { headers: asAnalyst() },
    );
    const hits =
      (answer.body.extensions?.['accord'] as { hits?: Record<string, string> } | undefined)?.hits ?? {};
    const ids = idsIn(answer.body.data);
    expect(Object.keys(hits).length).toBeGreaterThan(0);
    for (const id of Object.keys(hits)) {
      expect(ids.has(id)).toBe(true);
      expect(id.startsWith(`${REQUESTER}-`)).toBe(false);
    }
  });

  test('a record that is not in the answer gets no token, nor does an analyst of the owner', async () => {
    const missing = await lookUp(MISSING);
    expect(missing.answer.body.data?.['suspect']).toBeNull();
    expect(missing.answer.body.extensions?.['accord']).toBeUndefined();
    const own = await lookUp(SUBJECT, OWNER);
    expect(own.answer.body.data?.['suspect']).toMatchObject({ id: SUBJECT });
    expect(own.answer.body.extensions?.['accord']).toBeUndefined();
    // No purpose declared: nothing crosses, so nothing is shown and no token made.
    const undeclared = await alliance.query(LOOKUP, {
      headers: analyst(REQUESTER, ANALYST, { case: DECLARATION.case }),
      variables: { id: SUBJECT },
    });
    expect(undeclared.body.errors?.some((e) => e.extensions?.['code'] === 'PURPOSE_REQUIRED')).toBe(true);
    expect(undeclared.body.extensions?.['accord']).toBeUndefined();
  });
});

describe('filing a follow-up request with the owner', () => {
  test('the analyst files with the hit token and sees the request pending with its due time', async () => {
    const { route, token } = await requestRoute();
    const before = store().list().length;
    const filed = await file(filing(route, [SUBJECT], [token]));
    expect(filed.body.errors).toBeUndefined();
    const request = filed.body.data?.[FILE] as Record<string, unknown>;
    // 7 days for a normal request (Directive (EU) 2023/977 art. 5), from the instant of filing.
    expect(request).toMatchObject({
      owner: OWNER,
      requesterCountry: REQUESTER,
      analyst: ANALYST,
      subjects: [SUBJECT],
      state: 'PENDING',
      urgency: 'NORMAL',
      filedAt: new Date(TEST_NOW).toISOString(),
      dueAt: new Date(TEST_NOW + 7 * DAY).toISOString(),
      overdue: false,
      refusalGround: null,
      grantId: null,
    });
    expect(String(request['id'])).toMatch(new RegExp(`^${OWNER}-FUR-\\d{4}-[0-9a-f]{10}$`));
    // Kept by the owner.
    expect(store().list().length).toBe(before + 1);
    expect(store().get(String(request['id']))).toMatchObject({
      requesterCountry: REQUESTER,
      analyst: ANALYST,
      state: 'pending',
    });

    const status = await alliance.query(STATUS_QUERY, { headers: asAnalyst() });
    expect(status.body.errors).toBeUndefined();
    expect(status.body.data?.[STATUS]).toContainEqual(request);

    // Past its due time, undecided: overdue.
    clock = TEST_NOW + 7 * DAY + HOUR;
    const later = await alliance.query(STATUS_QUERY, { headers: asAnalyst() });
    expect(
      (later.body.data?.[STATUS] as Record<string, unknown>[]).find((r) => r['id'] === request['id']),
    ).toMatchObject({ overdue: true, state: 'PENDING' });
  });

  test("the status says the refusal's ground, or the grant to send in Accord-Request-Ref", async () => {
    const { route, token } = await requestRoute();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const filed = await file(filing(route, [SUBJECT], [token]));
      ids.push(String((filed.body.data?.[FILE] as Record<string, unknown>)['id']));
    }
    const [approved, refused] = ids as [string, string];
    // The owner's desk decides (its own code moves the register; here, the register's own transition).
    const officer = `${OWNER}/desk.officer`;
    store().transition(
      approved,
      'pending',
      'approved',
      {
        at: TEST_NOW,
        by: officer,
        act: 'approved',
        approval: { categories: ['person.identity'], validDays: 30, evidentiaryUse: false },
      },
      { grantId: approved },
    );
    store().transition(
      refused,
      'pending',
      'refused',
      { at: TEST_NOW, by: officer, act: 'refused', ground: 'disproportionate' },
      { ground: 'disproportionate' },
    );
    clock = TEST_NOW + 30 * DAY;
    const status = (await alliance.query(STATUS_QUERY, { headers: asAnalyst() })).body.data?.[
      STATUS
    ] as Record<string, unknown>[];
    expect(status.find((r) => r['id'] === approved)).toMatchObject({
      state: 'APPROVED',
      grantId: approved,
      refusalGround: null,
      overdue: false,
    });
    expect(status.find((r) => r['id'] === refused)).toMatchObject({
      state: 'REFUSED',
      grantId: null,
      refusalGround: 'disproportionate',
      overdue: false,
    });
  });

  test('a filing is recorded on both sides like any request, and its answer carries no obligations', async () => {
    const { route, token } = await requestRoute();
    const count = async () => {
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
      return {
        consultations: bodies.filter((b) => b.side === 'consultation' && b.owner === OWNER).length,
        disclosures: bodies.filter((b) => b.side === 'disclosure' && b.owner === OWNER).length,
      };
    };
    const before = await count();
    const filed = await file(filing(route, [SUBJECT], [token]));
    expect(filed.body.errors).toBeUndefined();
    // The filing is the requester's own text, not the owner's data: nothing was released, no obligations, no hits.
    expect(filed.body.extensions?.['obligations']).toBeUndefined();
    expect(filed.body.extensions?.['accord']).toBeUndefined();
    expect(await count()).toEqual({
      consultations: before.consultations + 1,
      disclosures: before.disclosures + 1,
    });
  });

  test('urgency sets the due time; urgent needs its grounds', async () => {
    const { route, token } = await requestRoute();
    const urgent = await file(
      filing(route, [SUBJECT], [token], {
        urgency: 'URGENT',
        urgencyGrounds: 'The suspect is about to leave the country with two victims.',
      }),
    );
    expect(urgent.body.errors).toBeUndefined();
    expect((urgent.body.data?.[FILE] as Record<string, unknown>)['dueAt']).toBe(
      new Date(TEST_NOW + 3 * DAY).toISOString(),
    );
    const direct = await file(
      filing(route, [SUBJECT], [token], {
        urgency: 'URGENT_DIRECT',
        urgencyGrounds: 'A victim is held in the compound tonight and may be moved.',
      }),
    );
    expect((direct.body.data?.[FILE] as Record<string, unknown>)['dueAt']).toBe(
      new Date(TEST_NOW + 8 * HOUR).toISOString(),
    );
  });

  test("nobody else sees the requests: not another country, not another analyst, not the owner's analysts here", async () => {
    const { route, token } = await requestRoute();
    expect((await file(filing(route, [SUBJECT], [token]))).body.errors).toBeUndefined();
    for (const member of MEMBERS.filter((m) => m.code !== OWNER && m.code !== REQUESTER)) {
      const other = await alliance.query(STATUS_QUERY, { headers: asAnalyst(member.code, 'someone.else') });
      expect(other.body.errors).toBeUndefined();
      expect(other.body.data?.[STATUS]).toEqual([]);
    }
    const colleague = await alliance.query(STATUS_QUERY, { headers: asAnalyst(REQUESTER, 'kim.j') });
    expect(colleague.body.data?.[STATUS]).toEqual([]);
    // The owner's own analysts file nothing with their own country, and read nothing through this query.
    const own = await alliance.query(STATUS_QUERY, { headers: asAnalyst(OWNER, 'sok.d') });
    expect(own.body.data).toBeNull();
    expect(own.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  test('without a valid hit token, a record is answered exactly like one that does not exist', async () => {
    const { route, token } = await requestRoute();
    const before = store().list().length;
    const missing = await file(filing(route, [MISSING], []));
    const normalise = (answer: GraphQLAnswer, id: string) =>
      JSON.stringify(answer).split(id).join('<subject>');
    const expected = normalise(missing, MISSING);
    expect(missing.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', subjects: [MISSING] });
    // A real token for another subject is no hit on this one.
    const cases: [string, string[]][] = [
      ['no token', []],
      ['a forged token', [`${token.split('.')[0]}.${Buffer.from('forged').toString('base64url')}`]],
      ["another record's token", [token]],
      ['garbage', ['not-a-token']],
    ];
    for (const [, tokens] of cases) {
      expect(normalise(await file(filing(route, [OTHER_SUBJECT], tokens)), OTHER_SUBJECT)).toBe(expected);
    }
    // The same record's token, once expired.
    clock = TEST_NOW + 48 * HOUR;
    expect(normalise(await file(filing(route, [SUBJECT], [token])), SUBJECT)).toBe(expected);
    expect(normalise(await file(filing(route, [MISSING], [])), MISSING)).toBe(expected);
    expect(store().list().length).toBe(before);
  });

  test('a token given to one country is no hit for another', async () => {
    const { token } = await requestRoute();
    // Another member with a route of its own through a formal request to the owner, read from its refusal.
    let other: { country: string; route: Route; token: string } | undefined;
    for (const member of MEMBERS.filter((m) => m.code !== OWNER && m.code !== REQUESTER)) {
      const { hits, routes } = await lookUp(SUBJECT, member.code);
      const route = routes.find((r) => r.needs === 'requestReference');
      if (route && hits[SUBJECT]) other = { country: member.code, route, token: hits[SUBJECT] };
    }
    if (!other)
      throw new Error(
        `no member but ${REQUESTER} has a route through a formal request to ${OWNER}: the test needs one`,
      );
    const before = store().list().length;
    const missing = await file(filing(other.route, [MISSING], []), other.country, ANALYST);
    expect(missing.body.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    const borrowed = await file(filing(other.route, [SUBJECT], [token]), other.country, ANALYST);
    expect(JSON.stringify(borrowed).split(SUBJECT).join('<subject>')).toBe(
      JSON.stringify(missing).split(MISSING).join('<subject>'),
    );
    expect(store().list().length).toBe(before);
    // With its own token (the hit its analyst received), the same filing goes through.
    const own = await file(filing(other.route, [SUBJECT], [other.token]), other.country, ANALYST);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data?.[FILE]).toMatchObject({ requesterCountry: other.country, state: 'PENDING' });
  });

  test('bad input is refused with BAD_USER_INPUT and stores nothing', async () => {
    const { route, token } = await requestRoute();
    const before = store().list().length;
    const bad: Record<string, unknown>[] = [
      { facts: '' },
      { facts: '1234567890 1234567890 1234567890' },
      { facts: 'The suspect recruited\u202E victims in Seoul with false job offers.' },
      { authority: '\u200B\u200B\u200B' },
      { offences: [] },
      { caseReference: 'KR CAS 1' },
      { categories: ['person.shoe_size'] },
      { categories: ['meta.reference'] },
      { purpose: 'curiosity' },
      { agreement: 'no-such-agreement' },
      { clauses: ['no-such-clause'] },
      { clauses: [] },
      { clauses: [route.clause, route.clause] },
      { urgency: 'URGENT' },
      { subjects: [`${REQUESTER}-SUS-000001`] },
      { subjects: ['KH-SUS-1'] },
      { subjects: [SUBJECT, SUBJECT] },
      { confidentiality: '' },
    ];
    for (const change of bad) {
      const answer = await file(filing(route, [SUBJECT], [token], change));
      expect({ change, code: answer.body.errors?.[0]?.extensions?.['code'] }).toEqual({
        change,
        code: 'BAD_USER_INPUT',
      });
      // Each problem said, in words, through the gateway.
      expect(answer.body.errors?.[0]?.extensions?.['problems']).toEqual(
        expect.arrayContaining([expect.any(String)]),
      );
      expect(answer.body.data ?? null).toBeNull();
    }
    expect(store().list().length).toBe(before);
  });

  test('the clause must be a route through a formal request that names the categories', async () => {
    const { route, token } = await requestRoute();
    const before = store().list().length;
    // A category the route does not name: a request never widens a clause.
    const outside = await file(filing(route, [SUBJECT], [token], { categories: ['person.biometrics'] }));
    expect(outside.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(outside.body.errors?.[0]?.message).toMatch(/never widens a clause/);
    expect(store().list().length).toBe(before);
  });

  test('an analyst of the owner cannot file with the owner', async () => {
    const { route, token } = await requestRoute();
    const answer = await file(filing(route, [SUBJECT], [token]), OWNER, 'sok.d');
    expect(answer.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(answer.body.data).toBeNull();
  });
});

test('the mutation and the status query are named per owner', () => {
  // The names the README documents, derived as the generator derives them.
  expect(FILE).toBe(`fileFollowUpRequest${OWNER}`);
  expect(concreteTypeName(OWNER, 'Suspect')).toBe(`${OWNER}Suspect`);
  expect(DEFAULT_REQUEST_DEADLINES.normalDays).toBe(7);
});

describe('an agreement that sets its own times', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-deadlines-'));
  let overriding: Alliance;
  let overridingDesks: ReturnType<typeof followUpDesks>;
  const NORMAL_DAYS = DEFAULT_REQUEST_DEADLINES.normalDays + 5;
  let agreementId = '';

  beforeAll(async () => {
    // The shipped set, with the route's agreement giving the owner more days for a normal request.
    cpSync(DEFAULT_AGREEMENTS_DIR, dir, { recursive: true });
    const { route } = await requestRoute();
    agreementId = route.agreement;
    const file = join(dir, 'instruments', `${agreementId}.yaml`);
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nrequestDeadlines:\n  normalDays: ${NORMAL_DAYS}\n`);
    overridingDesks = followUpDesks();
    overriding = await startAlliance({
      now: () => TEST_NOW,
      followUp: overridingDesks,
      policy: compilePolicy(loadAgreementSet(dir)),
    });
  }, 120_000);
  afterAll(async () => {
    await overriding?.stop();
    for (const desk of Object.values(overridingDesks ?? {})) desk.requests.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a normal request under it is due when the agreement says', async () => {
    const looked = await overriding.query(LOOKUP, { headers: asAnalyst(), variables: { id: SUBJECT } });
    const token = (looked.body.extensions?.['accord'] as { hits: Record<string, string> }).hits[SUBJECT]!;
    const refusal = looked.body.errors?.find((e) => e.path?.at(-1) === 'fullName');
    const route = (refusal?.extensions?.['routes'] as Route[]).find(
      (r) => r.agreement === agreementId && r.needs === 'requestReference',
    )!;
    const filed = await overriding.query(MUTATION, {
      headers: asAnalyst(),
      variables: { input: filing(route, [SUBJECT], [token]) },
    });
    expect(filed.body.errors).toBeUndefined();
    expect((filed.body.data?.[FILE] as Record<string, unknown>)['dueAt']).toBe(
      new Date(TEST_NOW + NORMAL_DAYS * DAY).toISOString(),
    );
  });
});
