/**
 * decide() on the small core set (test/policy/coreSet.ts), branch by branch: a clause ranked after one
 * that failed (what the failed one needed, whether only the record stood in its way), a release under a
 * grant or an emergency (cited, and built once per grant or emergency), the grant's edges (first instant,
 * revocation, the record's reference), and the record-level conditions of a withheld field. Expected
 * decisions are written out by hand.
 */
import type { Category, Purpose } from '../../vocabulary';
import type { Decision, DecisionInput, Grant, Policy, RecordFacts, RequestContext } from '../../policy';
import { AT, HOUR, JUSTIFIED, TEAM, corePolicy, coreSet } from './coreSet';
import { removeSets } from './fixtureSet';

afterAll(removeSets);

const RANK_OBLIGATIONS = {
  handlingCode: 'H1',
  onwardTransfer: 'forbidden',
  evidentiaryUse: 'forbidden',
  retentionDays: 365,
  notifySource: false,
};

interface Ask {
  category: string;
  purpose?: string;
  requester?: Partial<RequestContext>;
  record?: RecordFacts;
  grants?: ReadonlyMap<string, Grant>;
}

function input(ask: Ask): DecisionInput {
  return {
    requester: {
      country: 'KH',
      analyst: 'sok.r',
      roles: [],
      purpose: (ask.purpose ?? 'investigation') as Purpose,
      ...ask.requester,
    },
    owner: 'KR',
    category: ask.category as Category,
    at: AT,
    ...(ask.record !== undefined && { record: ask.record }),
    ...(ask.grants !== undefined && { grants: ask.grants }),
  };
}

const ref = (agreement: string, clause: string, citation = `art. ${clause}`) => ({
  agreement,
  clause,
  title: agreement === 'kr-kh-rank' ? 'KR–KH Rank' : 'KR–KH Core',
  citation,
});

const clausesOf = (decision: Decision): string[] => decision.clauses.map((item) => item.clause);

describe('a clause ranked after one that failed', () => {
  test('a release after a release that needed the request: nothing to tell, the shared decision', () => {
    const policy = corePolicy();
    const ask = input({ category: 'person.identity', requester: { caseReference: 'KH-1' } });
    const decision = policy.decide(ask);
    expect(decision).toStrictEqual({
      effect: 'release',
      reason: 'RELEASED',
      clauses: [ref('kr-kh-rank', 'police')],
      obligations: RANK_OBLIGATIONS,
      routes: [],
      recordDependent: false,
      revision: coreSet().revision,
    });
    // The release path allocates nothing: the same frozen decision for the same question.
    expect(policy.decide(input({ category: 'person.identity', requester: { caseReference: 'KH-1' } }))).toBe(
      decision,
    );
  });

  test('a release after one that only the grant of the unknown record stood in the way of: record-dependent', () => {
    const decision = corePolicy().decide(
      input({ category: 'person.identity', requester: { caseReference: 'KH-1', requestReference: 'MLA-1' } }),
    );
    expect({
      clauses: clausesOf(decision),
      routes: decision.routes,
      recordDependent: decision.recordDependent,
    }).toEqual({
      clauses: ['police'],
      routes: [],
      recordDependent: true,
    });
  });

  test('the same, the record known: not record-dependent', () => {
    const decision = corePolicy().decide(
      input({
        category: 'person.identity',
        requester: { caseReference: 'KH-1', requestReference: 'MLA-1' },
        record: { id: 'KR-1' },
      }),
    );
    expect({ clauses: clausesOf(decision), recordDependent: decision.recordDependent }).toEqual({
      clauses: ['police'],
      recordDependent: false,
    });
  });

  test('a release after one that needed a source grade of the unknown record: record-dependent', () => {
    const decision = corePolicy().decide(
      input({ category: 'person.contact', requester: { caseReference: 'KH-1' } }),
    );
    expect({
      clauses: clausesOf(decision),
      routes: decision.routes,
      recordDependent: decision.recordDependent,
    }).toEqual({
      clauses: ['b-plain'],
      routes: [],
      recordDependent: true,
    });
  });

  test('a hit after a hit that needed the request: no route to tell (it would give no more)', () => {
    const decision = corePolicy().decide(input({ category: 'person.biometrics' }));
    expect({
      effect: decision.effect,
      clauses: clausesOf(decision),
      routes: decision.routes,
      recordDependent: decision.recordDependent,
    }).toEqual({ effect: 'hit-only', clauses: ['hit'], routes: [], recordDependent: false });
  });
});

function grant(rest: Partial<Grant> = {}): Grant {
  return {
    id: 'MLA-1',
    owner: 'KR',
    requesterCountry: 'KH',
    analysts: ['sok.r'],
    caseReference: 'KH-1',
    purpose: 'investigation',
    agreement: 'kr-kh-rank',
    clauses: ['mlat'],
    subjects: ['KR-1'],
    categories: ['person.identity'],
    validFrom: AT - HOUR,
    validUntil: AT + HOUR,
    evidentiaryUse: true,
    ...rest,
  };
}

function underGrant(
  policy: Policy,
  given: Grant,
  category = 'person.identity',
  record: RecordFacts = { id: 'KR-1' },
) {
  return policy.decide(
    input({
      category,
      requester: { caseReference: 'KH-1', requestReference: 'MLA-1' },
      record,
      grants: new Map([['MLA-1', given]]),
    }),
  );
}

describe('a release under a grant', () => {
  test('cites the grant, narrows evidentiary use when the approval does not allow it, built once per grant', () => {
    const policy = corePolicy();
    const narrowing = grant({ evidentiaryUse: false });
    const decision = underGrant(policy, narrowing);
    expect(decision).toStrictEqual({
      effect: 'release',
      reason: 'RELEASED',
      clauses: [ref('kr-kh-rank', 'mlat')],
      obligations: { ...RANK_OBLIGATIONS, handlingCode: 'H2', evidentiaryUse: 'forbidden', grant: 'MLA-1' },
      grant: 'MLA-1',
      routes: [],
      recordDependent: false,
      revision: coreSet().revision,
    });
    expect(underGrant(policy, narrowing)).toBe(decision);
    expect(underGrant(policy, grant({ evidentiaryUse: false }))).not.toBe(decision);
    expect(underGrant(policy, grant()).obligations).toStrictEqual({
      ...RANK_OBLIGATIONS,
      handlingCode: 'H2',
      evidentiaryUse: 'allowed',
      grant: 'MLA-1',
    });
  });

  test.each<[string, Partial<Grant>, string]>([
    ['valid from this very instant', { validFrom: AT }, 'mlat'],
    ['revoked later', { revokedAt: AT + 1 }, 'mlat'],
    ['revoked at this very instant', { revokedAt: AT }, 'police'],
    ['revoked before', { revokedAt: AT - 1 }, 'police'],
  ])('a grant %s', (_label, rest, clause) => {
    expect(clausesOf(underGrant(corePolicy(), grant(rest)))).toEqual([clause]);
  });

  test("the record's reference goes with any category the grant gives, and with none when it gives none", () => {
    const policy = corePolicy();
    expect(clausesOf(underGrant(policy, grant(), 'meta.reference'))).toEqual(['mlat']);
    // The reference is then released by the first clause that needs no grant.
    expect(clausesOf(underGrant(policy, grant({ categories: [] }), 'meta.reference'))).toEqual(['b-plain']);
  });

  test('a grant covers its subjects only', () => {
    expect(clausesOf(underGrant(corePolicy(), grant(), 'person.identity', { id: 'KR-2' }))).toEqual([
      'police',
    ]);
  });
});

describe('a release under an emergency', () => {
  const emergencyAsk = (emergency: NonNullable<RequestContext['emergency']>, category = 'victim.location') =>
    input({
      category,
      purpose: 'victim_rescue',
      requester: { emergency, caseReference: 'KH-1' },
      record: { id: 'KR-1', sourceGrade: 'A' },
    });

  test('cites the registration, and so do its obligations; built once per declaration', () => {
    const policy = corePolicy();
    const declaration = { id: 'EMG-7', declaredAt: AT - HOUR, justification: JUSTIFIED };
    const decision = policy.decide(emergencyAsk(declaration));
    expect(decision).toStrictEqual({
      effect: 'release',
      reason: 'RELEASED',
      clauses: [ref('kr-kh-core', 'emergency')],
      obligations: { ...RANK_OBLIGATIONS, notifySource: true, reviewWithinHours: 72, emergency: 'EMG-7' },
      emergency: 'EMG-7',
      routes: [],
      recordDependent: false,
      revision: coreSet().revision,
    });
    expect(policy.decide(emergencyAsk(declaration))).toBe(decision);
    expect(policy.decide(emergencyAsk({ ...declaration }))).not.toBe(decision);
  });

  test('a hypothetical declaration (no registration) cites none', () => {
    const decision = corePolicy().decide(emergencyAsk({ declaredAt: AT - HOUR, justification: JUSTIFIED }));
    expect(decision.effect).toBe('release');
    expect(decision).not.toHaveProperty('emergency');
    expect(decision.obligations).not.toHaveProperty('emergency');
  });

  test('a release under a clause that needs no emergency cites none, though one is declared', () => {
    const decision = corePolicy().decide(
      input({
        category: 'person.identity',
        requester: {
          caseReference: 'KH-1',
          emergency: { id: 'EMG-7', declaredAt: AT - HOUR, justification: JUSTIFIED },
        },
      }),
    );
    expect(clausesOf(decision)).toEqual(['police']);
    expect(decision).not.toHaveProperty('emergency');
    expect(decision.obligations).not.toHaveProperty('emergency');
  });
});

describe('a withheld field', () => {
  test('a coloured notice clause says which colours, in its route', () => {
    const decision = corePolicy().decide(
      input({ category: 'person.location', purpose: 'arrest_extradition' }),
    );
    expect(decision.routes.map((route) => route.text)).toEqual([
      'KR–KH Core art. red-notice: needs a red INTERPOL notice (Accord-Notice: red:<notice id>)',
    ]);
  });

  test("a team's clause asked for a record with no operations: out of scope, not an error", () => {
    const decision = corePolicy().decide(
      input({
        category: 'compound.intel',
        requester: { jointTeam: TEAM },
        record: { id: 'KR-1', sourceGrade: 'A' },
      }),
    );
    expect({
      effect: decision.effect,
      reason: decision.reason,
      needs: decision.routes.map((r) => r.needs.kind),
    }).toEqual({
      effect: 'withhold',
      reason: 'CONDITION_UNMET',
      // The other team's clause serves another purpose.
      needs: ['jointTeamScope', 'purpose'],
    });
  });

  test.each<[string, Ask, boolean]>([
    [
      'a source grade, the record unknown',
      { category: 'case.summary', requester: { caseReference: 'KH-1' } },
      true,
    ],
    [
      'a source grade, the record known',
      { category: 'case.summary', requester: { caseReference: 'KH-1' }, record: { id: 'KR-1' } },
      false,
    ],
    [
      "the team's operation, the record unknown",
      { category: 'compound.intel', requester: { jointTeam: TEAM } },
      true,
    ],
    [
      "the owner's grant, the record unknown",
      { category: 'person.contact', purpose: 'judicial_evidence', requester: { requestReference: 'MLA-1' } },
      true,
    ],
    ['a case reference, the record unknown', { category: 'case.summary' }, false],
  ])('needing %s: record-dependent %s', (_label, ask, recordDependent) => {
    const decision = corePolicy().decide(input(ask));
    expect({ effect: decision.effect, recordDependent: decision.recordDependent }).toEqual({
      effect: 'withhold',
      recordDependent,
    });
  });
});

describe('a member party to no agreement with the other', () => {
  // TH is a member of the core set and party to nothing: no cell is built for a pair with no clause
  // flowing between them, so both directions are refused as having no agreement, not as a category or a
  // purpose no clause covers.
  test.each([
    ['TH asks KR', 'TH', 'KR'],
    ['KR asks TH', 'KR', 'TH'],
  ])('%s: NO_AGREEMENT, a fixed decision', (_label, requester, owner) => {
    const decision = corePolicy().decide({
      ...input({ category: 'person.identity', requester: { country: requester } }),
      owner,
    });
    expect(decision).toStrictEqual({
      effect: 'withhold',
      reason: 'NO_AGREEMENT',
      clauses: [],
      routes: [],
      recordDependent: false,
      revision: coreSet().revision,
    });
  });
});
