/**
 * The owner's desk decides formal follow-up requests (subgraphs/desk/decide.ts): approvals with conditions
 * that never exceed the request, refusals on a ground from the closed list, questions, revocations; nobody
 * decides their own request, sensitive categories take two different officers, and two officers acting at
 * once never both win. Routes, categories and sensitive categories come from the agreement set.
 */
import { generateKeyPairSync } from 'node:crypto';
import { loadDefaultPolicy, type Agreement, type Clause } from '../../policy';
import { REFUSAL_GROUNDS, type Category } from '../../vocabulary';
import {
  createDesk,
  openGrantStore,
  openRequestStore,
  type DeskOptions,
  type FollowUpFiling,
  type FollowUpRequest,
  type RequestStore,
} from '../../subgraphs/desk';

const policy = loadDefaultPolicy();
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 1, 9);

interface Route {
  readonly agreement: Agreement;
  readonly clause: Clause;
  readonly owner: string;
  readonly requester: string;
  readonly categories: readonly string[];
}

/** Every (owner, requester, clause) a formal request can invoke: clauses bound to a request reference. */
const ROUTES: Route[] = policy.set.agreements.flatMap((agreement) =>
  agreement.clauses
    .filter((clause) => clause.conditions.requestReference === true)
    .flatMap((clause) => {
      const { from, to } =
        clause.direction === 'both' ? { from: agreement.parties, to: agreement.parties } : clause.direction;
      return from.flatMap((owner) =>
        to
          .filter((requester) => requester !== owner)
          .map((requester) => ({
            agreement,
            clause,
            owner,
            requester,
            categories: Object.keys(clause.categories),
          })),
      );
    }),
);
const sensitiveOf = (owner: string): readonly string[] =>
  policy.set.members.find((m) => m.code === owner)?.desk?.twoApproverCategories ?? [];
/** A route with at least two categories its owner does not hold sensitive (one officer decides). */
const PLAIN = ROUTES.find(
  (route) =>
    route.categories.filter((c) => !sensitiveOf(route.owner).includes(c)).length >= 2 &&
    route.clause.obligations.evidentiaryUse !== 'forbidden',
)!;
const PLAIN_CATEGORIES = PLAIN.categories.filter((c) => !sensitiveOf(PLAIN.owner).includes(c));
/** A route naming a category its owner marks sensitive (two officers decide). */
const SENSITIVE = ROUTES.find((route) => route.categories.some((c) => sensitiveOf(route.owner).includes(c)))!;
const SENSITIVE_CATEGORY = SENSITIVE.categories.find((c) => sensitiveOf(SENSITIVE.owner).includes(c))!;

function filing(
  route: Route,
  categories: readonly string[],
  change: Partial<FollowUpFiling> = {},
): FollowUpFiling {
  return {
    owner: route.owner,
    requesterCountry: route.requester,
    analyst: 'lee.h',
    authority: 'National Police',
    caseReference: `${route.requester}-CAS-000001`,
    offences: ['fraud'],
    facts: 'Victims paid into accounts controlled from a compound.',
    subjects: [`${route.owner}-SUS-000001`, `${route.owner}-SUS-000002`],
    categories,
    purpose: route.clause.purposes[0]!,
    agreement: route.agreement.id,
    clauses: [route.clause.id],
    urgency: 'normal',
    intendedUse: 'evidence',
    confidentiality: 'do not notify the subject',
    ...change,
  };
}

function setup(owner: string, change: Partial<DeskOptions> = {}) {
  let at = T0;
  const requests = openRequestStore({ owner, file: ':memory:' });
  const grants = openGrantStore({ owner, file: ':memory:', key: generateKeyPairSync('ed25519').privateKey });
  const acts: string[] = [];
  const desk = createDesk({
    owner,
    policy,
    requests,
    grants,
    now: () => at,
    onAct: (act) => acts.push(act.act),
    ...change,
  });
  return {
    desk,
    requests,
    grants,
    acts,
    file: (f: FollowUpFiling, dueInMs = 3 * DAY) => requests.file(f, at, at + dueInMs),
    advance: (ms: number) => (at += ms),
    close: () => {
      requests.close();
      grants.close();
    },
  };
}

const officer = (country: string, id = 'desk.one') => ({ country, id });

test('the routes the tests need exist in the agreement set', () => {
  expect(PLAIN).toBeDefined();
  expect(SENSITIVE).toBeDefined();
});

describe('approving with conditions', () => {
  it('issues a grant for exactly the categories, days and evidentiary use chosen, with the rest from the request', () => {
    const s = setup(PLAIN.owner);
    const request = s.file(filing(PLAIN, PLAIN_CATEGORIES));
    const subset = [PLAIN_CATEGORIES[1]!];
    const result = s.desk.approve(request.id, officer(PLAIN.owner), {
      categories: subset,
      validDays: 12,
      evidentiaryUse: false,
    });
    expect(result.ok).toBe(true);
    const grant = s.grants.get(request.id)!;
    expect(grant).toMatchObject({
      id: request.id,
      owner: PLAIN.owner,
      requesterCountry: PLAIN.requester,
      analysts: ['lee.h'],
      caseReference: `${PLAIN.requester}-CAS-000001`,
      purpose: PLAIN.clause.purposes[0],
      agreement: PLAIN.agreement.id,
      clauses: [PLAIN.clause.id],
      subjects: [`${PLAIN.owner}-SUS-000001`, `${PLAIN.owner}-SUS-000002`],
      categories: subset,
      validFrom: T0,
      validUntil: T0 + 12 * DAY,
      evidentiaryUse: false,
    });
    expect(s.grants.approvals(request.id)?.approvedBy).toEqual([`${PLAIN.owner}/desk.one`]);
    expect(s.requests.get(request.id)).toMatchObject({ state: 'approved', grantId: request.id });
    expect(s.requests.get(request.id)!.events.at(-1)).toMatchObject({
      act: 'approved',
      by: `${PLAIN.owner}/desk.one`,
      approval: { categories: subset, validDays: 12, evidentiaryUse: false },
    });
    expect(s.acts).toEqual(['approved']);
    s.close();
  });

  const unrequested = (route: Route, requested: readonly string[]) =>
    route.categories.find((c) => !requested.includes(c))!;
  it.each<
    [
      string,
      (requested: readonly string[]) => { categories: string[]; validDays: number; evidentiaryUse: boolean },
      Partial<FollowUpFiling>,
      RegExp,
    ]
  >([
    [
      'a category that was not requested',
      (requested) => ({
        categories: [requested[0]!, unrequested(PLAIN, requested)],
        validDays: 30,
        evidentiaryUse: false,
      }),
      {},
      /was not requested/,
    ],
    [
      'evidentiary use on a request for intelligence',
      (requested) => ({ categories: [requested[0]!], validDays: 30, evidentiaryUse: true }),
      { intendedUse: 'intelligence' },
      /more than requested/,
    ],
    ['no category', () => ({ categories: [], validDays: 30, evidentiaryUse: false }), {}, /at least one/],
    [
      'a validity of 0 days',
      (requested) => ({ categories: [requested[0]!], validDays: 0, evidentiaryUse: false }),
      {},
      /whole number of days/,
    ],
  ])('refuses %s and changes nothing', (_what, terms, change, message) => {
    const s = setup(PLAIN.owner);
    const requested = [PLAIN_CATEGORIES[0]!];
    const request = s.file(filing(PLAIN, requested, change));
    const result = s.desk.approve(request.id, officer(PLAIN.owner), terms(requested));
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    expect(result.ok ? '' : result.error.message).toMatch(message);
    expect(s.requests.get(request.id)).toEqual(request);
    expect(s.grants.list()).toEqual([]);
    s.close();
  });

  it('refuses the requesting analyst and any officer of another country, and changes nothing', () => {
    const s = setup(PLAIN.owner);
    const request = s.file(filing(PLAIN, PLAIN_CATEGORIES));
    const terms = { categories: [PLAIN_CATEGORIES[0]!], validDays: 30, evidentiaryUse: false };
    const self = s.desk.approve(request.id, officer(PLAIN.requester, 'lee.h'), terms);
    expect(self).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(self.ok ? '' : self.error.message).toMatch(/own request/);
    const foreign = s.desk.approve(request.id, officer(PLAIN.requester, 'desk.one'), terms);
    expect(foreign).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(foreign.ok ? '' : foreign.error.message).toMatch(`not a desk officer of ${PLAIN.owner}`);
    for (const act of [
      () => s.desk.refuse(request.id, officer(PLAIN.requester), REFUSAL_GROUNDS[0].code),
      () => s.desk.ask(request.id, officer(PLAIN.requester), 'Which accounts do you mean exactly?'),
    ]) {
      expect(act()).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    }
    expect(s.requests.get(request.id)).toEqual(request);
    expect(s.grants.list()).toEqual([]);
    s.close();
  });

  it('tells the second of two decisions that the first won, and issues nothing more', () => {
    const s = setup(PLAIN.owner);
    const request = s.file(filing(PLAIN, PLAIN_CATEGORIES));
    const terms = { categories: [PLAIN_CATEGORIES[0]!], validDays: 30, evidentiaryUse: false };
    expect(s.desk.approve(request.id, officer(PLAIN.owner, 'desk.one'), terms).ok).toBe(true);
    const late = s.desk.refuse(request.id, officer(PLAIN.owner, 'desk.two'), REFUSAL_GROUNDS[0].code);
    expect(late).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(late.ok ? '' : late.error.message).toMatch('already approved');
    expect(s.requests.get(request.id)!.state).toBe('approved');
    s.close();
  });

  it('refuses a decision made on a request that changed after it was read (two officers at once)', () => {
    const s = setup(PLAIN.owner);
    const request = s.file(filing(PLAIN, PLAIN_CATEGORIES));
    // The second officer's desk read the request before the first officer's refusal was written.
    const stale: RequestStore = {
      ...s.requests,
      get: (id) => (id === request.id ? request : s.requests.get(id)),
    };
    const other = createDesk({
      owner: PLAIN.owner,
      policy,
      requests: stale,
      grants: s.grants,
      now: () => T0,
    });
    expect(s.desk.refuse(request.id, officer(PLAIN.owner, 'desk.one'), REFUSAL_GROUNDS[0].code).ok).toBe(
      true,
    );
    const late = other.approve(request.id, officer(PLAIN.owner, 'desk.two'), {
      categories: [PLAIN_CATEGORIES[0]!],
      validDays: 30,
      evidentiaryUse: false,
    });
    expect(late).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(late.ok ? '' : late.error.message).toMatch(/changed while you decided: it is now refused/);
    expect(s.grants.list()).toEqual([]);
    expect(s.requests.get(request.id)).toMatchObject({ state: 'refused', ground: REFUSAL_GROUNDS[0].code });
    s.close();
  });
});

describe('two approvers for categories the owner marks sensitive', () => {
  it('keeps the request pending after the first approval, refuses the same officer again, and issues the grant on a second officer', () => {
    const s = setup(SENSITIVE.owner);
    const request = s.file(filing(SENSITIVE, [SENSITIVE_CATEGORY]));
    const terms = { categories: [SENSITIVE_CATEGORY], validDays: 10, evidentiaryUse: true };
    const first = s.desk.approve(request.id, officer(SENSITIVE.owner, 'desk.one'), terms);
    expect(first).toMatchObject({ ok: true, awaitingSecondApproval: true });
    expect(s.requests.get(request.id)).toMatchObject({ state: 'pending' });
    expect(s.requests.get(request.id)!.events.map((e) => e.act)).toEqual(['filed', 'approval']);
    expect(s.grants.list()).toEqual([]);

    const again = s.desk.approve(request.id, officer(SENSITIVE.owner, 'desk.one'), terms);
    expect(again).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(again.ok ? '' : again.error.message).toMatch(/second, different officer/);
    expect(s.requests.get(request.id)!.events).toHaveLength(2);

    // Other terms from another officer are a first approval of those terms, not a second of these.
    const otherTerms = s.desk.approve(request.id, officer(SENSITIVE.owner, 'desk.three'), {
      ...terms,
      validDays: 5,
    });
    expect(otherTerms).toMatchObject({ ok: true, awaitingSecondApproval: true });
    expect(s.grants.list()).toEqual([]);

    const second = s.desk.approve(request.id, officer(SENSITIVE.owner, 'desk.two'), terms);
    expect(second).toMatchObject({ ok: true, awaitingSecondApproval: false });
    expect(s.requests.get(request.id)).toMatchObject({ state: 'approved', grantId: request.id });
    expect(s.grants.get(request.id)).toMatchObject({
      categories: [SENSITIVE_CATEGORY],
      validUntil: T0 + 10 * DAY,
      evidentiaryUse: true,
    });
    expect(s.grants.approvals(request.id)?.approvedBy).toEqual([
      `${SENSITIVE.owner}/desk.one`,
      `${SENSITIVE.owner}/desk.two`,
    ]);
    expect(s.acts).toEqual(['approval', 'approval', 'approved']);
    s.close();
  });

  it('refuses an approval decided on a history that changed meanwhile, though the state did not', () => {
    const s = setup(SENSITIVE.owner);
    const request = s.file(filing(SENSITIVE, [SENSITIVE_CATEGORY]));
    const terms = { categories: [SENSITIVE_CATEGORY], validDays: 10, evidentiaryUse: true };
    // desk.two read the request before desk.one's approval was written: it decides on a history without it.
    const stale: RequestStore = {
      ...s.requests,
      get: (id) => (id === request.id ? request : s.requests.get(id)),
    };
    const other = createDesk({
      owner: SENSITIVE.owner,
      policy,
      requests: stale,
      grants: s.grants,
      now: () => T0,
    });
    expect(s.desk.approve(request.id, officer(SENSITIVE.owner, 'desk.one'), terms)).toMatchObject({
      ok: true,
      awaitingSecondApproval: true,
    });
    const late = other.approve(request.id, officer(SENSITIVE.owner, 'desk.two'), terms);
    expect(late).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(s.requests.get(request.id)!.events.map((e) => e.act)).toEqual(['filed', 'approval']);
    // Read again, desk.two's approval is the second one and completes the grant.
    expect(s.desk.approve(request.id, officer(SENSITIVE.owner, 'desk.two'), terms)).toMatchObject({
      ok: true,
      awaitingSecondApproval: false,
    });
    s.close();
  });

  it('needs one officer only for categories the owner does not mark sensitive', () => {
    const plain = SENSITIVE.categories.find((c) => !sensitiveOf(SENSITIVE.owner).includes(c));
    if (plain === undefined) return;
    const s = setup(SENSITIVE.owner);
    const request = s.file(filing(SENSITIVE, [plain]));
    expect(
      s.desk.approve(request.id, officer(SENSITIVE.owner), {
        categories: [plain],
        validDays: 3,
        evidentiaryUse: false,
      }),
    ).toMatchObject({ ok: true, awaitingSecondApproval: false });
    s.close();
  });
});

describe('refusing, asking, revoking', () => {
  it('refuses only on a ground from the closed list, and an unknown ground lists the valid ones', () => {
    const s = setup(PLAIN.owner);
    const request = s.file(filing(PLAIN, PLAIN_CATEGORIES));
    const unknown = s.desk.refuse(request.id, officer(PLAIN.owner), 'because-we-said-so', 'no');
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    for (const ground of REFUSAL_GROUNDS)
      expect(unknown.ok ? '' : unknown.error.message).toContain(ground.code);
    expect(s.requests.get(request.id)).toEqual(request);
    const ground = REFUSAL_GROUNDS.find((g) => g.code === 'ongoing-investigation')!.code;
    const refused = s.desk.refuse(
      request.id,
      officer(PLAIN.owner),
      ground,
      'An operation   of ours is under way.',
    );
    expect(refused.ok).toBe(true);
    expect(s.requests.get(request.id)).toMatchObject({ state: 'refused', ground });
    expect(s.requests.get(request.id)!.events.at(-1)).toMatchObject({
      act: 'refused',
      ground,
      text: 'An operation of ours is under way.',
    });
    s.close();
  });

  it('asks for more information in real words, and the request waits in info-requested', () => {
    const s = setup(PLAIN.owner);
    const request = s.file(filing(PLAIN, PLAIN_CATEGORIES));
    for (const question of [
      '',
      '   ',
      '\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b',
      'why?',
      'Which account\u202e numbers?',
    ]) {
      expect(s.desk.ask(request.id, officer(PLAIN.owner), question)).toMatchObject({
        ok: false,
        error: { kind: 'invalid' },
      });
    }
    expect(s.requests.get(request.id)).toEqual(request);
    const asked = s.desk.ask(
      request.id,
      officer(PLAIN.owner),
      'Which transfers link the subject to the victims?',
    );
    expect(asked.ok).toBe(true);
    expect(s.requests.get(request.id)).toMatchObject({ state: 'info-requested' });
    expect(s.requests.get(request.id)!.events.at(-1)).toMatchObject({
      act: 'info-requested',
      by: `${PLAIN.owner}/desk.one`,
      text: 'Which transfers link the subject to the victims?',
    });
    expect(
      s.desk.ask(request.id, officer(PLAIN.owner), 'And which phone numbers are involved?'),
    ).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    s.close();
  });

  it('revokes a grant from now on, once, and only by an officer of the owner', () => {
    const s = setup(PLAIN.owner);
    const request = s.file(filing(PLAIN, PLAIN_CATEGORIES));
    s.desk.approve(request.id, officer(PLAIN.owner), {
      categories: [PLAIN_CATEGORIES[0]!],
      validDays: 30,
      evidentiaryUse: false,
    });
    expect(s.desk.revoke(request.id, officer(PLAIN.requester))).toMatchObject({
      ok: false,
      error: { kind: 'forbidden' },
    });
    expect(s.grants.get(request.id)!.revokedAt).toBeUndefined();
    s.advance(DAY);
    const revoked = s.desk.revoke(request.id, officer(PLAIN.owner, 'desk.two'));
    expect(revoked).toMatchObject({
      ok: true,
      grant: { status: 'revoked', revokedBy: `${PLAIN.owner}/desk.two` },
    });
    expect(s.grants.get(request.id)!.revokedAt).toBe(T0 + DAY);
    expect(s.desk.revoke(request.id, officer(PLAIN.owner))).toMatchObject({
      ok: false,
      error: { kind: 'conflict' },
    });
    expect(s.desk.revoke('no-such-grant', officer(PLAIN.owner))).toMatchObject({
      ok: false,
      error: { kind: 'not-found' },
    });
    s.close();
  });
});

test('lists overdue requests first and marks them', () => {
  const s = setup(PLAIN.owner);
  const later: FollowUpRequest = s.file(filing(PLAIN, PLAIN_CATEGORIES), 7 * DAY);
  const soon: FollowUpRequest = s.file(filing(PLAIN, PLAIN_CATEGORIES), DAY);
  const decided = s.file(filing(PLAIN, PLAIN_CATEGORIES), DAY);
  s.desk.refuse(decided.id, officer(PLAIN.owner), REFUSAL_GROUNDS[0].code);
  expect(s.desk.listRequests().map((r) => [r.id, r.overdue])).toEqual([
    [later.id, false],
    [soon.id, false],
    [decided.id, false],
  ]);
  s.advance(2 * DAY);
  expect(s.desk.listRequests().map((r) => [r.id, r.overdue])).toEqual([
    [soon.id, true],
    [later.id, false],
    [decided.id, false],
  ]);
  expect(s.desk.listRequests({ overdue: true }).map((r) => r.id)).toEqual([soon.id]);
  s.close();
});

test('the grounds are a closed list of distinct codes, each with its source and meaning', () => {
  const codes = REFUSAL_GROUNDS.map((g) => g.code);
  expect(new Set(codes).size).toBe(codes.length);
  for (const ground of REFUSAL_GROUNDS) {
    expect(ground.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(ground.source.length).toBeGreaterThan(0);
    expect(ground.meaning.length).toBeGreaterThan(0);
  }
  expect(policy.set.members.some((m) => (m.desk?.twoApproverCategories.length ?? 0) > 0)).toBe(true);
  // A member's sensitive categories are data categories (the schema checks them when the set loads).
  const categories: readonly Category[] = policy.set.members.flatMap(
    (m) => m.desk?.twoApproverCategories ?? [],
  );
  expect(categories.length).toBeGreaterThan(0);
});
