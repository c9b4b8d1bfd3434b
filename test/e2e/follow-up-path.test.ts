/**
 * The whole hit → request → approval → data path of issue 9, end to end over HTTP (its "Done when", first
 * bullet, without the emergency): the analyst works through the gateway only, the owner's desk officer
 * through the desk API on the owner's own server with a desk token of the owner's own identity provider.
 * Nothing is put into a store by hand: every request, decision and grant comes from the real path.
 *
 * The steps share one alliance and run in order, each leaving what the next reads (the request, the grant).
 * Fields and categories come from the supergraph, the clauses from the routes the owner's refusals name.
 */
import { openAuditReader, type CrossingBody } from '../../audit';
import { loadDefaultPolicy } from '../../policy';
import {
  concreteTypeName,
  fileFollowUpRequestField,
  followUpRequestsField,
  readCommittedSupergraph,
  supplyFollowUpInformationField,
} from '../../schema';
import { readFieldCatalog } from '../../legal';
import { META_REFERENCE, REFUSAL_GROUNDS } from '../../vocabulary';
import { DEFAULT_ANALYST_AUDIENCE, signDemoAnalystToken } from '../../trust';
import {
  analyst,
  startAlliance,
  TEST_NOW,
  type Alliance,
  type Exchange,
  type GraphQLAnswer,
} from '../support/alliance';
import { sqliteAuditBackend, type AllianceLogs, type AuditBackend } from '../support/auditBackends';
import { followUpDesks } from '../support/followUp';
import { memoryGrantStore } from '../support/grants';
import type { GrantStore } from '../../subgraphs/desk';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const policy = loadDefaultPolicy();
const OWNER = 'KH';
const REQUESTER = 'KR';
const ANALYST = 'lee.h';
const CASE = `${REQUESTER}-CAS-000001`;
const SUBJECT = `${OWNER}-SUS-000001`;
/** A second suspect of the owner the analyst also gets a hit on. */
const OTHER_SUBJECT = `${OWNER}-SUS-000002`;
/** A record of the owner the analyst never looks up (so never has a hit on), and one far beyond any seeded world. */
const UNSEEN = `${OWNER}-SUS-000003`;
const MISSING = `${OWNER}-SUS-999999`;
/** What the analyst asks for, as the scenario says: the identity and the accounts. */
const SOUGHT = ['person.identity', 'financial.accounts'];
const VALID_DAYS = 30;
const DECLARATION = { purpose: 'investigation', case: CASE };
/** The members that are neither party, for "another country with the same grant id": each has its own routes to the owner, or none. */
const OTHERS = policy.set.members.map((m) => m.code).filter((code) => code !== OWNER && code !== REQUESTER);

// Every scalar field of the owner's suspect type, with its category, from the supergraph (as test/e2e/follow-up.test.ts).
const SUSPECT_TYPE = concreteTypeName(OWNER, 'Suspect');
const RECORD_TYPES = new Set(['Suspect', 'Compound', 'Case', 'Victim']);
const scalarFields = readFieldCatalog(readCommittedSupergraph())
  .fields.filter(
    (f) =>
      f.coordinate.startsWith(`${SUSPECT_TYPE}.`) &&
      !RECORD_TYPES.has(f.returns) &&
      f.category !== 'person.biometrics' &&
      f.category !== META_REFERENCE,
  )
  .map((f) => ({ name: f.coordinate.split('.')[1]!, category: f.category, returns: f.returns }));
const isScalar = (returns: string) => /^(String|ID|Int|Float|Boolean)$/.test(returns);
const selection = scalarFields
  .map((f) => `${f.name}${isScalar(f.returns) ? '' : ' { __typename }'}`)
  .join(' ');
const QUERY = `query ($id: ID!) { suspect(id: $id) { id ... on ${SUSPECT_TYPE} { ${selection} } } }`;
/** The fields of the categories sought, by the supergraph. */
const covered = new Set(scalarFields.filter((f) => SOUGHT.includes(f.category)).map((f) => f.name));

const FILE = fileFollowUpRequestField(OWNER);
const STATUS = followUpRequestsField(OWNER);
const STATUS_FIELDS =
  'id owner requesterCountry analyst caseReference subjects categories purpose agreement clauses urgency intendedUse state filedAt dueAt overdue refusalGround grantId';
const MUTATION = `mutation ($input: FollowUpRequestInput!) { ${FILE}(input: $input) { ${STATUS_FIELDS} } }`;
const STATUS_QUERY = `{ ${STATUS} { ${STATUS_FIELDS} grantStatus approvedCategories validFrom validUntil evidentiaryUse question } }`;
const SUPPLY = supplyFollowUpInformationField(OWNER);
const SUPPLY_MUTATION = `mutation ($id: ID!, $information: String!) { ${SUPPLY}(id: $id, information: $information) { id state question } }`;

interface Route {
  readonly agreement: string;
  readonly clause: string;
  readonly needs: string;
}
interface Refusal {
  readonly code: unknown;
  readonly routes: readonly Route[];
}

let clock = TEST_NOW;
let desks: ReturnType<typeof followUpDesks>;
let grants: GrantStore;
let alliance: Alliance;
let backend: AuditBackend;
let logs: AllianceLogs;
const exchanges: Exchange[] = [];

beforeAll(async () => {
  desks = followUpDesks();
  grants = memoryGrantStore(OWNER);
  backend = sqliteAuditBackend();
  logs = backend.forAlliance();
  alliance = await startAlliance({
    now: () => clock,
    audit: logs,
    followUp: desks,
    grants: { [OWNER]: grants },
    desk: true,
    record: exchanges,
  });
}, 120_000);
// Only step 5 moves the clock; each step starts on the tests' instant, whatever the one before left.
beforeEach(() => {
  clock = TEST_NOW;
});
afterAll(async () => {
  await alliance?.stop();
  await backend?.close();
  for (const desk of Object.values(desks ?? {})) desk.requests.close();
  grants?.close();
});

const asAnalyst = (extra: Record<string, string> = {}, country = REQUESTER, id = ANALYST) =>
  analyst(country, id, {
    ...DECLARATION,
    ...(country !== REQUESTER && { case: `${country}-CAS-000001` }),
    ...extra,
  });
const ask = (headers: Record<string, string>, id = SUBJECT) =>
  alliance.query(QUERY, { headers, variables: { id } });

/** Field name → its value, or the code of the error it got instead. */
function answerOf({ body }: GraphQLAnswer): Record<string, unknown> {
  const suspect = (body.data?.['suspect'] ?? {}) as Record<string, unknown>;
  const codes = Object.fromEntries(
    (body.errors ?? []).map((e) => [String(e.path?.at(-1)), e.extensions?.['code']]),
  );
  // A record refused as a whole (an owner that shares nothing with the requester: an error on `suspect`
  // itself, or on the request, with no field path) withholds every field with that refusal.
  const whole =
    body.data?.['suspect'] === null
      ? (body.errors ?? []).find((e) => (e.path?.length ?? 0) <= 1)?.extensions?.['code']
      : undefined;
  return Object.fromEntries(
    scalarFields.map(({ name }) => [
      name,
      (codes[name] ?? whole) !== undefined
        ? { error: codes[name] ?? whole }
        : { value: suspect[name] ?? null },
    ]),
  );
}

/** Field name → the refusal it got (code and routes), for refused fields only. */
function refusalsOf({ body }: GraphQLAnswer): Map<string, Refusal> {
  return new Map(
    (body.errors ?? []).map((e) => [
      String(e.path?.at(-1)),
      { code: e.extensions?.['code'], routes: (e.extensions?.['routes'] as Route[] | undefined) ?? [] },
    ]),
  );
}

const hitsOf = ({ body }: GraphQLAnswer): Record<string, string> =>
  (body.extensions?.['accord'] as { hits?: Record<string, string> } | undefined)?.hits ?? {};

/** One call of the owner's desk API, with a bearer token. */
async function desk(
  method: string,
  path: string,
  bearer: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${alliance.deskUrls[OWNER]}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Record<string, unknown> };
}
const officerToken = () => alliance.deskToken(OWNER, 'desk.officer');

/** The analyst's own view of one of their requests, through the gateway. */
async function statusOf(id: string): Promise<Record<string, unknown> | undefined> {
  const answer = await alliance.query(STATUS_QUERY, { headers: asAnalyst() });
  expect(answer.body.errors).toBeUndefined();
  return (answer.body.data?.[STATUS] as Record<string, unknown>[]).find((r) => r['id'] === id);
}

/** What the path found and made, for the steps after. */
const state: {
  token: string;
  agreement: string;
  clauses: string[];
  requestId: string;
  grantId: string;
  approvedAt: number;
  withoutGrant: Record<string, unknown>;
} = {
  token: '',
  agreement: '',
  clauses: [],
  requestId: '',
  grantId: '',
  approvedAt: 0,
  withoutGrant: {},
};

function filing(
  subjects: string[],
  tokens: string[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    authority: 'Korean National Police Agency',
    caseReference: CASE,
    offences: ['Trafficking in persons', 'Fraud'],
    facts:
      'Victims recruited in Seoul with false job offers paid recruitment fees into accounts the suspect controls in Phnom Penh.',
    subjects,
    categories: SOUGHT,
    purpose: DECLARATION.purpose,
    agreement: state.agreement,
    clauses: state.clauses,
    urgency: 'NORMAL',
    intendedUse: 'EVIDENCE',
    confidentiality: 'Do not notify the subject',
    hitTokens: tokens,
    ...extra,
  };
}
const file = (input: Record<string, unknown>) =>
  alliance.query(MUTATION, { headers: asAnalyst(), variables: { input } });

/** Both sides' records of one gateway request with the owner. */
async function recordsOf(requestId: string): Promise<CrossingBody[]> {
  const found: CrossingBody[] = [];
  for (const url of logs.urls) {
    const reader = await openAuditReader(url);
    try {
      for (const record of await reader.query({ decisionId: `${requestId}:${OWNER}` }))
        found.push(record.entry!.body as CrossingBody);
    } finally {
      await reader.close();
    }
  }
  return found;
}

test('the suite speaks about fields the request seeks and fields it does not', () => {
  for (const category of SOUGHT)
    expect({ category, fields: scalarFields.some((f) => f.category === category) }).toEqual({
      category,
      fields: true,
    });
  expect(scalarFields.length).toBeGreaterThan(covered.size);
});

test('1. a made-up request reference opens nothing: the same answer as no reference', async () => {
  const none = await ask(asAnalyst());
  const madeUp = await ask(asAnalyst({ 'request-ref': 'ZZ-made-up-1' }));
  expect(answerOf(madeUp)).toEqual(answerOf(none));
  expect(madeUp.body.extensions?.['obligations']).toEqual(none.body.extensions?.['obligations']);
  for (const name of covered)
    expect({ name, answer: answerOf(madeUp)[name] }).toEqual({
      name,
      answer: { error: expect.any(String) as string },
    });
  state.withoutGrant = answerOf(none);
});

test('2. a KR analyst gets a hit on a KH suspect, files a follow-up under the clauses the refusals named, and sees it pending', async () => {
  const looked = await ask(asAnalyst());
  expect(looked.body.data?.['suspect']).toMatchObject({ id: SUBJECT });
  const refusals = refusalsOf(looked);
  // Every field sought is withheld, each naming how it could be had.
  for (const name of covered) {
    expect({ name, code: refusals.get(name)?.code }).toEqual({
      name,
      code: expect.stringMatching(/^(FOLLOW_UP_REQUIRED|WITHHELD)$/) as string,
    });
  }
  state.token = hitsOf(looked)[SUBJECT]!;
  expect(typeof state.token).toBe('string');

  // The clauses: per category sought, the routes through a formal request its refusals named; one
  // agreement must carry a route for every category (the treaty the request invokes).
  const routesBy = new Map(
    SOUGHT.map((category) => [
      category,
      scalarFields
        .filter((f) => f.category === category)
        .flatMap((f) => refusals.get(f.name)?.routes ?? [])
        .filter((r) => r.needs === 'requestReference'),
    ]),
  );
  const agreements = [...new Set([...routesBy.values()].flat().map((r) => r.agreement))].filter((id) =>
    SOUGHT.every((c) => routesBy.get(c)!.some((r) => r.agreement === id)),
  );
  // The bilateral treaty between the two, by the agreement set (not by its name).
  const treaty = agreements.find((id) => {
    const agreement = policy.set.agreements.find((a) => a.id === id);
    return (
      agreement?.kind === 'bilateral' &&
      [...agreement.parties].sort().join() === [OWNER, REQUESTER].sort().join()
    );
  });
  expect({ agreements, treaty }).toEqual({ agreements, treaty: expect.any(String) as string });
  state.agreement = treaty!;
  state.clauses = [
    ...new Set(SOUGHT.map((category) => routesBy.get(category)!.find((r) => r.agreement === treaty)!.clause)),
  ];

  const filed = await file(filing([SUBJECT], [state.token]));
  expect(filed.body.errors).toBeUndefined();
  const request = filed.body.data?.[FILE] as Record<string, unknown>;
  expect(request).toMatchObject({
    owner: OWNER,
    requesterCountry: REQUESTER,
    analyst: ANALYST,
    caseReference: CASE,
    subjects: [SUBJECT],
    categories: SOUGHT,
    agreement: treaty,
    clauses: state.clauses,
    state: 'PENDING',
    grantId: null,
    refusalGround: null,
  });
  state.requestId = String(request['id']);

  const status = await statusOf(state.requestId);
  expect(status).toMatchObject({ state: 'PENDING', overdue: false, filedAt: new Date(clock).toISOString() });
  // A due time after the filing (its length is test/e2e/follow-up-filing.test.ts's).
  expect(Date.parse(String(status?.['dueAt']))).toBeGreaterThan(clock);
});

test('3. a KH desk officer approves identity and accounts for 30 days; the analyst then gets exactly those fields of exactly that subject, the grant cited', async () => {
  const bearer = await officerToken();
  const shown = await desk('GET', `/requests/${state.requestId}`, bearer);
  expect(shown.status).toBe(200);
  expect(shown.json['request']).toMatchObject({
    id: state.requestId,
    state: 'pending',
    requesterCountry: REQUESTER,
    analyst: ANALYST,
    subjects: [SUBJECT],
  });

  state.approvedAt = clock;
  const approved = await desk('POST', `/requests/${state.requestId}/approve`, bearer, {
    categories: SOUGHT,
    validDays: VALID_DAYS,
    evidentiaryUse: false,
  });
  expect(approved.status).toBe(200);
  const grant = approved.json['grant'] as Record<string, unknown>;
  expect(grant).toMatchObject({
    requesterCountry: REQUESTER,
    analysts: [ANALYST],
    caseReference: CASE,
    subjects: [SUBJECT],
    categories: SOUGHT,
    validUntil: clock + VALID_DAYS * DAY,
    status: 'valid',
  });
  state.grantId = String(grant['id']);

  // The analyst sees what the owner approved, as the owner signed it: categories, validity, use.
  expect(await statusOf(state.requestId)).toMatchObject({
    state: 'APPROVED',
    grantId: state.grantId,
    refusalGround: null,
    grantStatus: 'VALID',
    approvedCategories: SOUGHT,
    validFrom: new Date(clock).toISOString(),
    validUntil: new Date(clock + VALID_DAYS * DAY).toISOString(),
    evidentiaryUse: false,
    question: null,
  });

  const answer = await ask(asAnalyst({ 'request-ref': state.grantId }));
  const requestId = exchanges.at(-1)?.requestId;
  const got = answerOf(answer);
  expect((answer.body.data?.['suspect'] as { id?: string }).id).toBe(SUBJECT);
  for (const f of scalarFields) {
    if (covered.has(f.name))
      expect({ field: f.name, withheld: 'error' in (got[f.name] as object) }).toEqual({
        field: f.name,
        withheld: false,
      });
    else
      expect({ field: f.name, answer: got[f.name] }).toEqual({
        field: f.name,
        answer: state.withoutGrant[f.name],
      });
  }
  // Released at least some values of each category sought (the record holds them).
  for (const category of SOUGHT)
    expect({
      category,
      values: scalarFields
        .filter((f) => f.category === category)
        .some((f) => (got[f.name] as { value?: unknown }).value != null),
    }).toEqual({ category, values: true });

  // The obligations cite the grant, for its categories and the record's reference only.
  const obligations = answer.body.extensions!['obligations'] as Record<
    string,
    { releases: { grant?: string; obligations?: Record<string, unknown>; categories: string[] }[] }
  >;
  const underGrant = obligations[OWNER]!.releases.filter((r) => r.grant === state.grantId);
  expect(underGrant.length).toBeGreaterThan(0);
  // Approved for intelligence only: the data travels forbidden as evidence, whatever the clause allows.
  for (const release of underGrant)
    expect(release.obligations).toMatchObject({ grant: state.grantId, evidentiaryUse: 'forbidden' });
  expect(new Set(underGrant.flatMap((r) => r.categories))).toEqual(new Set([...SOUGHT, META_REFERENCE]));

  // Both audit records of this request name the grant for the subject's fields of its categories.
  expect(requestId).toBeDefined();
  const records = await recordsOf(requestId!);
  for (const side of ['consultation', 'disclosure'] as const) {
    const bodies = records.filter((b) => b.side === side);
    expect({ side, records: bodies.length }).toEqual({ side, records: 1 });
    const cited = bodies[0]!.fields.filter((f) => f.obligations?.grant === state.grantId);
    const categories = new Set(cited.map((f) => f.category));
    expect({ side, missing: SOUGHT.filter((c) => !categories.has(c)) }).toEqual({ side, missing: [] });
    expect({
      side,
      beyond: [...categories].filter((c) => !SOUGHT.includes(c) && c !== META_REFERENCE),
    }).toEqual({ side, beyond: [] });
    expect({ side, records: [...new Set(cited.map((f) => f.record))] }).toEqual({ side, records: [SUBJECT] });
  }
});

// The desk's acts (request filed, approved, grant issued) as `procedure` entries of the owner's log:
// recordProcedure (audit/README.md) exists, but neither the desk API (mountDesk's onAct), nor the CLI, nor
// the filing mutation calls it yet, so there is nothing real to read back here.
/** The owner's procedure records (desk acts, filings) about one request, oldest first. */
async function proceduresAbout(requestId: string): Promise<
  {
    act: string;
    actor: { id: string; country: string; role: string };
    grantId?: string;
    categories?: string[];
    note?: string;
  }[]
> {
  const found: { at: string; body: Record<string, unknown> }[] = [];
  for (const url of logs.urls) {
    const reader = await openAuditReader(url);
    try {
      for (const record of await reader.query({ kinds: ['procedure'] })) {
        const body = record.entry!.body as unknown as Record<string, unknown>;
        if (body['requestId'] === requestId || body['grantId'] === requestId)
          found.push({ at: record.entry!.at, body });
      }
    } finally {
      await reader.close();
    }
  }
  return found.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map((f) => f.body as never);
}

test("3b. the filing and the desk's acts are in KH's audit log: filed by the analyst, approved and granted by the officer", async () => {
  const acts = await proceduresAbout(state.requestId);
  expect(acts.map((a) => a.act)).toEqual(
    expect.arrayContaining(['request.filed', 'request.approved', 'grant.issued']),
  );
  expect(acts.find((a) => a.act === 'request.filed')).toMatchObject({
    actor: { id: ANALYST, country: REQUESTER, role: 'analyst' },
  });
  expect(acts.find((a) => a.act === 'grant.issued')).toMatchObject({
    grantId: state.grantId,
    categories: SOUGHT,
    actor: { country: OWNER, role: 'officer' },
  });
});

test('4. another subject, another category, another case, another country, another analyst: nothing more than without the reference', async () => {
  const ref = { 'request-ref': state.grantId };
  // Another subject the analyst also has a hit on.
  const other = await ask(asAnalyst(), OTHER_SUBJECT);
  expect(hitsOf(other)[OTHER_SUBJECT]).toEqual(expect.any(String));
  expect(answerOf(await ask(asAnalyst(ref), OTHER_SUBJECT))).toEqual(answerOf(other));

  // Another category: one the invoked clauses name but the request did not seek stays withheld.
  const clauseCategories = policy.set.agreements
    .find((a) => a.id === state.agreement)!
    .clauses.filter((c) => state.clauses.includes(c.id))
    .flatMap((c) => Object.keys(c.categories));
  const unsought = scalarFields.filter(
    (f) => clauseCategories.includes(f.category) && !SOUGHT.includes(f.category),
  );
  expect(unsought.length).toBeGreaterThan(0);
  const granted = answerOf(await ask(asAnalyst(ref)));
  for (const f of unsought)
    expect({ field: f.name, answer: granted[f.name] }).toEqual({
      field: f.name,
      answer: { error: expect.any(String) as string },
    });
  // And a category sought but not approved: the desk grants part of a second request (the first category
  // alone); that grant opens that category and nothing of the rest.
  const [given] = SOUGHT;
  const partial = await file(filing([SUBJECT], [state.token]));
  const partialId = String((partial.body.data?.[FILE] as Record<string, unknown>)['id']);
  const approvedPart = await desk('POST', `/requests/${partialId}/approve`, await officerToken(), {
    categories: [given],
    validDays: VALID_DAYS,
    evidentiaryUse: false,
  });
  expect(approvedPart.status).toBe(200);
  const partGrant = String((approvedPart.json['grant'] as Record<string, unknown>)['id']);
  const part = answerOf(await ask(asAnalyst({ 'request-ref': partGrant })));
  for (const f of scalarFields) {
    if (f.category === given)
      expect({ field: f.name, withheld: 'error' in (part[f.name] as object) }).toEqual({
        field: f.name,
        withheld: false,
      });
    else
      expect({ field: f.name, answer: part[f.name] }).toEqual({
        field: f.name,
        answer: state.withoutGrant[f.name],
      });
  }

  const cases: [string, Record<string, string>, Record<string, string>][] = [
    [
      'another case',
      asAnalyst({ ...ref, case: `${REQUESTER}-CAS-000002` }),
      asAnalyst({ case: `${REQUESTER}-CAS-000002` }),
    ],
    ...OTHERS.flatMap((other): [string, Record<string, string>, Record<string, string>][] => [
      [`another country (${other})`, asAnalyst(ref, other, ANALYST), asAnalyst({}, other, ANALYST)],
      [
        `another country (${other}) declaring the grant's own case`,
        asAnalyst({ ...ref, case: CASE }, other, ANALYST),
        asAnalyst({ case: CASE }, other, ANALYST),
      ],
    ]),
    [
      'another analyst of the requester',
      asAnalyst(ref, REQUESTER, 'kim.j'),
      asAnalyst({}, REQUESTER, 'kim.j'),
    ],
  ];
  for (const [what, withGrant, without] of cases) {
    const answer = answerOf(await ask(withGrant));
    expect({ what, answer }).toEqual({ what, answer: answerOf(await ask(without)) });
    for (const name of covered)
      expect({ what, name, withheld: 'error' in (answer[name] as object) }).toEqual({
        what,
        name,
        withheld: true,
      });
  }
});

test('5. after expiry, then after revocation over the desk API, the fields are withheld again on the next request', async () => {
  // Expiry: the harness clock past the grant's validity, then back (the grant opens again: the clock did it).
  clock = state.approvedAt + VALID_DAYS * DAY;
  const expired = answerOf(await ask(asAnalyst({ 'request-ref': state.grantId })));
  const withoutThen = answerOf(await ask(asAnalyst()));
  for (const name of covered)
    expect({ name, answer: expired[name] }).toEqual({ name, answer: withoutThen[name] });
  clock = TEST_NOW;
  const again = answerOf(await ask(asAnalyst({ 'request-ref': state.grantId })));
  for (const name of covered)
    expect({ name, withheld: 'error' in (again[name] as object) }).toEqual({ name, withheld: false });

  const revoked = await desk('POST', `/grants/${state.grantId}/revoke`, await officerToken());
  expect(revoked.status).toBe(200);
  expect(revoked.json['grant']).toMatchObject({ id: state.grantId, status: 'revoked' });
  // The analyst's status says so: the request stays approved, its grant is revoked.
  expect(await statusOf(state.requestId)).toMatchObject({
    state: 'APPROVED',
    grantId: state.grantId,
    grantStatus: 'REVOKED',
  });
  expect(answerOf(await ask(asAnalyst({ 'request-ref': state.grantId })))).toEqual(
    answerOf(await ask(asAnalyst())),
  );
});

test('6. a filing the desk refuses carries its ground to the analyst', async () => {
  const filed = await file(filing([SUBJECT], [state.token]));
  expect(filed.body.errors).toBeUndefined();
  const id = String((filed.body.data?.[FILE] as Record<string, unknown>)['id']);
  const ground =
    REFUSAL_GROUNDS.find((g) => g.code === 'ongoing-investigation')?.code ?? REFUSAL_GROUNDS[0].code;
  const refused = await desk('POST', `/requests/${id}/refuse`, await officerToken(), { ground });
  expect(refused.status).toBe(200);
  expect(await statusOf(id)).toMatchObject({ state: 'REFUSED', refusalGround: ground, grantId: null });
  // A grant's id is its request's: the refused request's id names no grant and opens nothing.
  expect(answerOf(await ask(asAnalyst({ 'request-ref': id })))).toEqual(state.withoutGrant);
});

test('7. nobody approves their own request, nor does an officer of another country: the desk answers an error and nothing changes', async () => {
  const filed = await file(filing([SUBJECT], [state.token]));
  const id = String((filed.body.data?.[FILE] as Record<string, unknown>)['id']);
  const before = desks[OWNER]!.requests.get(id);
  const grantsBefore = grants.list().length;
  const terms = { categories: SOUGHT, validDays: VALID_DAYS, evidentiaryUse: false };
  // Over the API the officer is whoever the owner's own identity provider says, so always of the owner,
  // and a requester never is the owner: the requesting analyst is kept out by the token, before any
  // decision (decide.ts's own-request rule is test/desk/decisions.test.ts's).
  const attempts: [string, () => Promise<string>][] = [
    // The requesting analyst, as a desk officer of the identity provider that knows them.
    ['the requesting analyst with a desk token', () => alliance.deskToken(REQUESTER, ANALYST)],
    [
      "the requesting analyst's own token for the gateway",
      () =>
        signDemoAnalystToken({
          dir: alliance.idpDir,
          country: REQUESTER,
          analyst: ANALYST,
          audience: DEFAULT_ANALYST_AUDIENCE,
        }),
    ],
    [`an officer of ${REQUESTER}`, () => alliance.deskToken(REQUESTER, 'desk.officer')],
    ...OTHERS.map((other): [string, () => Promise<string>] => [
      `an officer of ${other}`,
      () => alliance.deskToken(other, 'desk.officer'),
    ]),
  ];
  for (const [who, make] of attempts) {
    const answer = await desk('POST', `/requests/${id}/approve`, await make(), terms);
    expect({ who, status: answer.status }).toEqual({ who, status: 401 });
    expect({ who, error: (answer.json['error'] as { code?: string } | undefined)?.code }).toEqual({
      who,
      error: 'UNAUTHENTICATED',
    });
  }
  expect(desks[OWNER]!.requests.get(id)).toEqual(before);
  expect(grants.list().length).toBe(grantsBefore);
  expect(await statusOf(id)).toMatchObject({ state: 'PENDING', grantId: null });
  expect(answerOf(await ask(asAnalyst({ 'request-ref': id })))).toEqual(state.withoutGrant);
});

test('8. a filing about a record without a hit is answered exactly like one about a missing record', async () => {
  // The record exists: the owner's own analyst sees it.
  const exists = await alliance.query(QUERY, {
    headers: analyst(OWNER, 'sok.d', { purpose: DECLARATION.purpose, case: `${OWNER}-CAS-000001` }),
    variables: { id: UNSEEN },
  });
  expect((exists.body.data?.['suspect'] as { id?: string } | null)?.id).toBe(UNSEEN);
  const listed = await desk('GET', '/requests', await officerToken());
  const normalise = (answer: GraphQLAnswer, id: string) => JSON.stringify(answer).split(id).join('<subject>');
  const missing = await file(filing([MISSING], []));
  expect(missing.body.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  for (const tokens of [[], [state.token]]) {
    expect(normalise(await file(filing([UNSEEN], tokens)), UNSEEN)).toBe(normalise(missing, MISSING));
  }
  // A hit is its analyst's: another KR analyst with lee.h's token is answered as about a missing record.
  const colleague = await alliance.query(MUTATION, {
    headers: asAnalyst({}, REQUESTER, 'kim.j'),
    variables: { input: filing([SUBJECT], [state.token]) },
  });
  const colleagueMissing = await alliance.query(MUTATION, {
    headers: asAnalyst({}, REQUESTER, 'kim.j'),
    variables: { input: filing([MISSING], [state.token]) },
  });
  expect(normalise(colleague, SUBJECT)).toBe(normalise(colleagueMissing, MISSING));
  // Beside a subject the analyst does hold a hit on, too.
  const mixedMissing = normalise(await file(filing([SUBJECT, MISSING], [state.token])), MISSING);
  expect(normalise(await file(filing([SUBJECT, UNSEEN], [state.token])), UNSEEN)).toBe(mixedMissing);
  expect((await desk('GET', '/requests', await officerToken())).json).toEqual(listed.json);
});

test('9. the desk asks for more information; the analyst sees the question and answers it through the gateway; the request goes back to the desk', async () => {
  const filed = await file(filing([SUBJECT], [state.token]));
  const id = String((filed.body.data?.[FILE] as Record<string, unknown>)['id']);
  const question = "Which accounts received the victims' recruitment fees, and on which dates?";
  const asked = await desk('POST', `/requests/${id}/ask`, await officerToken(), { question });
  expect(asked.status).toBe(200);
  expect(await statusOf(id)).toMatchObject({ state: 'INFO_REQUESTED', question, grantId: null });

  const supply = (information: string, headers = asAnalyst()) =>
    alliance.query(SUPPLY_MUTATION, { headers, variables: { id, information } });
  // Only the analyst who filed it answers: another analyst of the same country, or of another member,
  // is told there is no such request of theirs (as for an id that does not exist).
  const stranger = await supply(
    'The fees went to the accounts named in the attached bank records.',
    asAnalyst({}, REQUESTER, 'kim.j'),
  );
  const unknown = await alliance.query(SUPPLY_MUTATION, {
    headers: asAnalyst({}, REQUESTER, 'kim.j'),
    variables: {
      id: `${OWNER}-FUR-2026-999999`,
      information: 'The fees went to the accounts named in the attached bank records.',
    },
  });
  expect(stranger.body.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  expect(JSON.stringify(stranger.body).split(id).join('<id>')).toBe(
    JSON.stringify(unknown.body).split(`${OWNER}-FUR-2026-999999`).join('<id>'),
  );
  // Words are needed; a blank or control-character answer changes nothing.
  for (const bad of ['   ', '1234567890', 'Fees paid\u202e into accounts at the bank.']) {
    const refused = await supply(bad);
    expect({ bad, code: refused.body.errors?.[0]?.extensions?.['code'] }).toEqual({
      bad,
      code: 'BAD_USER_INPUT',
    });
  }
  expect(desks[OWNER]!.requests.get(id)?.state).toBe('info-requested');

  const information =
    "The fees went to the two accounts at Canadia Bank named in the victims' statements, between March and May.";
  const supplied = await supply(information);
  expect(supplied.body.errors).toBeUndefined();
  expect(supplied.body.data?.[SUPPLY]).toMatchObject({ id, state: 'PENDING', question: null });
  // The desk reads the answer in the request's history.
  const shown = await desk('GET', `/requests/${id}`, await officerToken());
  const events = (shown.json['request'] as { events: { act: string; by: string; text?: string }[] }).events;
  expect(events.map((e) => e.act)).toEqual(['filed', 'info-requested', 'info-supplied']);
  expect(events[2]).toMatchObject({ by: `${REQUESTER}/${ANALYST}`, text: information });
  // Once answered, there is nothing left to answer.
  expect((await supply(information)).body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  // The owner's log holds the question and the answer, each by who gave it.
  const acts = await proceduresAbout(id);
  expect(acts.filter((a) => a.act.startsWith('request.info'))).toEqual([
    expect.objectContaining({
      act: 'request.info_requested',
      note: question,
      actor: expect.objectContaining({ country: OWNER, role: 'officer' }),
    }),
    expect.objectContaining({
      act: 'request.info_supplied',
      note: information,
      actor: expect.objectContaining({ id: ANALYST, country: REQUESTER, role: 'analyst' }),
    }),
  ]);
});
