/**
 * The table-driven harness for policy decisions (docs/style.md, rule 10): build a question in a few words, state the
 * expected answer in a few words, compare through the public door (policy.decide).
 *
 *   expectDecision(policy, { from: 'KH', owner: 'KR', category: 'person.identity', purpose: 'investigation',
 *                            request: true }, 'release kr-kh-mlat-2021/persons-and-records')
 *
 * The expected answer is `<effect> <agreement>/<clause>` or `<effect> <REASON_CODE>`, optionally with
 * `route` (a text one of the routes must contain) and `recordDependent`.
 */
import type { Category, Purpose } from '../../vocabulary';
import type { Decision, DecisionInput, Grant, Policy, RecordFacts, RequestContext } from '../../policy';

/** Analysts of the scenario: members of the KR–KH joint task force, and one who is not. */
export const ANALYSTS: Readonly<Record<string, { member?: string; other: string }>> = {
  KR: { member: 'kim.j', other: 'choi.m' },
  KH: { member: 'sok.r', other: 'heng.p' },
  TH: { other: 'somchai.k' },
  PH: { other: 'reyes.a' },
  VN: { other: 'nguyen.t' },
};

/**
 * A country's analysts: the scenario's for the members it was written for; for any other member of the
 * registry (one added since), an analyst named in no joint team, so that its requests are never a team's.
 */
export function analystsOf(country: string): { member?: string; other: string } {
  return ANALYSTS[country] ?? { other: `analyst.${country.toLowerCase()}` };
}

export const TEAM = 'JTF-KR-KH-2025';
export const OPERATION = 'BREAKING-CHAINS';
const HOUR = 3_600_000;

export interface Question {
  from: string;
  owner: string;
  category: Category;
  purpose?: Purpose;
  /** ISO date or date-time (UTC); default 2026-06-01T12:00:00Z, when every scenario instrument is in force. */
  at?: string;
  /** Analyst id; default: the country's joint-team member if it has one, else another analyst. */
  analyst?: string;
  case?: boolean;
  /**
   * A request reference, and the owner's grant it names, made for exactly this question (this analyst,
   * case, purpose, category and record) under `grantClause` or else the clause the expectation names.
   * A grant is made in a case, so the request then names the case too. `'made-up'`: a reference the owner
   * holds no grant for.
   */
  request?: boolean | 'made-up';
  /** `agreement/clause` the grant was made under. */
  grantClause?: string;
  warrant?: boolean;
  /** An INTERPOL notice: `true` is a Red one; or the colour it names. */
  notice?: boolean | string;
  /** The joint-team id to declare (true: the scenario's team). */
  team?: boolean | string;
  /** Emergency declared this many hours before `at` (negative: after), with or without a justification. */
  emergency?: { hoursAgo: number; justification?: string };
  record?: RecordFacts;
}

export const DEFAULT_AT = '2026-06-01T12:00:00Z';

export const SUBJECT_SERIAL = 'SUS-000001';

export function toInput(question: Question, expectedClause?: string): DecisionInput {
  const at = Date.parse(
    question.at !== undefined && question.at.length === 10
      ? `${question.at}T12:00:00Z`
      : (question.at ?? DEFAULT_AT),
  );
  const analysts = analystsOf(question.from);
  const requester: RequestContext = {
    country: question.from,
    analyst: question.analyst ?? analysts.member ?? analysts.other,
    roles: ['analyst'],
    ...(question.purpose !== undefined && { purpose: question.purpose }),
    ...((question.case === true || question.request === true) && {
      caseReference: `${question.from}-CASE-2026-0042`,
    }),
    ...(question.request !== undefined &&
      question.request !== false && { requestReference: `MLA/${question.from}/2026/17` }),
    ...(question.warrant === true && { warrantReference: 'Seoul Central District Court 2026-Go-123' }),
    ...(question.notice !== undefined &&
      question.notice !== false && {
        interpolNotice: `${question.notice === true ? 'red' : question.notice}:A-1234/5-2026`,
      }),
    ...(question.team !== undefined &&
      question.team !== false && { jointTeam: question.team === true ? TEAM : question.team }),
    ...(question.emergency !== undefined && {
      emergency: {
        declaredAt: at - question.emergency.hoursAgo * HOUR,
        justification:
          question.emergency.justification ??
          'Victim confined in a compound, reported beaten; rescue planned tonight.',
      },
    }),
  };
  if (question.request === undefined || question.request === false) {
    return {
      requester,
      owner: question.owner,
      category: question.category,
      at,
      ...(question.record !== undefined && { record: question.record }),
    };
  }
  // The owner decides: it knows the record (by id) and holds its grants.
  const record: RecordFacts = {
    ...question.record,
    id: question.record?.id ?? `${question.owner}-${SUBJECT_SERIAL}`,
  };
  const grants = new Map<string, Grant>();
  const clause = question.grantClause ?? expectedClause;
  if (question.request === true && clause !== undefined) {
    const [agreement, clauseId] = clause.split('/') as [string, string];
    grants.set(requester.requestReference!, {
      id: requester.requestReference!,
      owner: question.owner,
      requesterCountry: question.from,
      analysts: [requester.analyst],
      caseReference: requester.caseReference!,
      purpose: question.purpose ?? 'investigation',
      agreement,
      clauses: [clauseId],
      subjects: [record.id!],
      categories: [question.category],
      validFrom: at - 24 * HOUR,
      validUntil: at + 24 * HOUR,
      evidentiaryUse: true,
    });
  }
  return { requester, owner: question.owner, category: question.category, at, record, grants };
}

export interface Extra {
  route?: string;
  recordDependent?: boolean;
}

export function expectDecision(
  policy: Policy,
  question: Question,
  expected: string,
  extra: Extra = {},
): Decision {
  const [effect, what] = expected.split(' ');
  const decision = policy.decide(toInput(question, what?.includes('/') ? what : undefined));
  const actual = {
    effect: decision.effect,
    what: what?.includes('/')
      ? decision.clauses.map((ref) => `${ref.agreement}/${ref.clause}`).join(',')
      : decision.reason,
  };
  const routes = decision.routes.map((route) => route.text);
  const context = `${JSON.stringify(question)}\n  routes: ${routes.join('\n          ')}`;
  expect({ ...actual, context }).toEqual({ effect, what, context });
  if (extra.route !== undefined)
    expect({ routes, context }).toEqual({
      routes: expect.arrayContaining([expect.stringContaining(extra.route)]),
      context,
    });
  if (extra.recordDependent !== undefined) expect(decision.recordDependent).toBe(extra.recordDependent);
  return decision;
}
