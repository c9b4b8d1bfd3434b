/**
 * The decision engine on small purpose-built sets: rules the scenario does not exercise (no agreement,
 * one-way clauses, INTERPOL and extradition conditions, gate requirements, the ranking rule), robustness
 * against malformed input at run time, and explain() agreeing with decide().
 */
import { compilePolicy, loadAgreementSet, REASON_CODE_LIST, type Policy } from '../../policy';
import { CATEGORIES, PURPOSES, type Category, type Purpose } from '../../vocabulary';
import { expectDecision, toInput, type Question } from './expectDecision';
import { lazyPolicy, shippedPolicy } from './shippedPolicy';
import { instrument, MEMBERS, MLAT, OBLIGATIONS, removeSets, writeSet } from './fixtureSet';

afterAll(removeSets);

function policyOf(files: Record<string, string>): Policy {
  return compilePolicy(loadAgreementSet(writeSet({ 'members.yaml': MEMBERS, ...files })));
}

const clause = (
  id: string,
  basis: string,
  conditions: string,
  categories = 'person.identity: release',
  direction = 'both',
  purposes = '[investigation]',
): string =>
  `  - id: "${id}"\n    citation: art. ${id}\n    basis: ${basis}\n    purposes: ${purposes}\n    categories:\n      ${categories}\n    direction: ${direction}\n${conditions ? `    conditions:\n      ${conditions}\n` : ''}${OBLIGATIONS}`;

describe('pairs and directions', () => {
  const policy = lazyPolicy(() =>
    policyOf({
      'instruments/a.yaml': MLAT,
      'instruments/b.yaml': instrument(
        { id: 'kh-to-th', parties: '[KH, TH]' },
        clause(
          '1',
          'POLICE_COOPERATION',
          'caseReference: true',
          'person.identity: release',
          '{ from: [KH], to: [TH] }',
        ),
      ),
    }),
  );

  test.each<[string, Question, string]>([
    [
      'no agreement between TH and KR',
      {
        from: 'TH',
        owner: 'KR',
        category: 'person.identity',
        purpose: 'investigation',
        request: true,
        case: true,
      },
      'withhold NO_AGREEMENT',
    ],
    [
      'an unknown requester country',
      { from: 'ZZ', owner: 'KR', category: 'person.identity', purpose: 'investigation' },
      'withhold NO_AGREEMENT',
    ],
    [
      'KH data may go to TH',
      { from: 'TH', owner: 'KH', category: 'person.identity', purpose: 'investigation', case: true },
      'release kh-to-th/1',
    ],
    [
      'TH data may not go to KH: no agreement that way',
      { from: 'KH', owner: 'TH', category: 'person.identity', purpose: 'investigation', case: true },
      'withhold NO_AGREEMENT',
    ],
    [
      'a category the pair never covers',
      { from: 'TH', owner: 'KH', category: 'person.location', purpose: 'investigation', case: true },
      'withhold CATEGORY_NOT_COVERED',
    ],
  ])('%s', (_label, question, expected) => {
    expectDecision(policy, question, expected);
  });
});

describe('conditions the scenario does not use', () => {
  const policy = lazyPolicy(() =>
    policyOf({
      'instruments/a.yaml': instrument(
        { id: 'kr-kh-channels', parties: '[KR, KH]' },
        clause(
          'red-notice',
          'INTERPOL_NOTICE',
          'interpolNotice: true\n      noticeColours: [red]',
          'person.wanted_status: release',
          'both',
          '[arrest_extradition]',
        ),
        clause(
          'extradition',
          'EXTRADITION',
          'warrantReference: true',
          'person.biometrics: hit-only',
          'both',
          '[arrest_extradition]',
        ),
      ),
    }),
  );

  test.each<[string, Question, string, string | undefined]>([
    [
      'a notice id opens wanted status',
      {
        from: 'KR',
        owner: 'KH',
        category: 'person.wanted_status',
        purpose: 'arrest_extradition',
        notice: true,
      },
      'release kr-kh-channels/red-notice',
      undefined,
    ],
    [
      '… not without one',
      { from: 'KR', owner: 'KH', category: 'person.wanted_status', purpose: 'arrest_extradition' },
      'withhold CONDITION_UNMET',
      'needs a red INTERPOL notice (Accord-Notice: red:<notice id>)',
    ],
    [
      '… nor with a notice of another colour: a Blue notice is no arrest warrant',
      {
        from: 'KR',
        owner: 'KH',
        category: 'person.wanted_status',
        purpose: 'arrest_extradition',
        notice: 'blue',
      },
      'withhold CONDITION_UNMET',
      'needs a red INTERPOL notice',
    ],
    [
      'a warrant opens the biometric match',
      {
        from: 'KH',
        owner: 'KR',
        category: 'person.biometrics',
        purpose: 'arrest_extradition',
        warrant: true,
      },
      'hit-only kr-kh-channels/extradition',
      undefined,
    ],
    [
      '… not without one',
      { from: 'KH', owner: 'KR', category: 'person.biometrics', purpose: 'arrest_extradition' },
      'withhold CONDITION_UNMET',
      'needs a warrant or judicial order reference',
    ],
  ])('%s', (_label, question, expected, route) => {
    expectDecision(policy, question, expected, route === undefined ? {} : { route });
  });
});

describe('domestic gate requirements', () => {
  const gate = `owner: KR
title: KR test gate
law: Test act
grounds:
  - id: any
    citation: art. 1
requirements:
  - id: transfer
    citation: art. 2
    bases: [MLAT]
`;
  const policy = lazyPolicy(() =>
    policyOf({
      'instruments/a.yaml': instrument(
        { id: 'kr-kh-two', parties: '[KR, KH]' },
        clause('mlat', 'MLAT', 'requestReference: true'),
        clause('police', 'POLICE_COOPERATION', 'caseReference: true', 'person.location: release'),
      ),
      'domestic/kr.yaml': gate,
    }),
  );

  test('a ground matches but a requirement does not: DOMESTIC_GATE, citing the requirement', () => {
    const decision = expectDecision(
      policy,
      { from: 'KH', owner: 'KR', category: 'person.location', purpose: 'investigation', case: true },
      'withhold DOMESTIC_GATE',
      {
        route:
          'allowed by the agreement, but KR test gate requires art. 2, which does not allow it for a POLICE_COOPERATION transfer for investigation',
      },
    );
    expect(decision.routes[0]!.needs).toMatchObject({
      kind: 'domesticGate',
      owner: 'KR',
      citations: ['art. 2'],
    });
  });

  test('when both keys turn, the gate reference lists ground and requirements', () => {
    const decision = expectDecision(
      policy,
      { from: 'KH', owner: 'KR', category: 'person.identity', purpose: 'investigation', request: true },
      'release kr-kh-two/mlat',
    );
    expect(decision.gate).toEqual({ owner: 'KR', title: 'KR test gate', citations: ['art. 1', 'art. 2'] });
  });

  test('a gate-blocked clause whose conditions are not met reports the condition, not the gate', () => {
    expectDecision(
      policy,
      { from: 'KH', owner: 'KR', category: 'person.location', purpose: 'investigation' },
      'withhold CONDITION_UNMET',
      { route: 'needs a case reference' },
    );
  });

  test('the gate binds only its owner', () => {
    expectDecision(
      policy,
      { from: 'KR', owner: 'KH', category: 'person.location', purpose: 'investigation', case: true },
      'release kr-kh-two/police',
    );
  });
});

describe('ranking: which clause determines the decision', () => {
  const bilateral = instrument(
    { id: 'z-bilateral', parties: '[KR, KH]' },
    clause('1', 'POLICE_COOPERATION', 'caseReference: true'),
  );
  const multilateral = instrument(
    { id: 'a-multilateral', kind: 'multilateral', parties: '[KR, KH, TH]' },
    clause('1', 'POLICE_COOPERATION', 'caseReference: true'),
  );
  const hits = instrument(
    { id: 'hits', kind: 'multilateral', parties: '[KR, KH, TH]' },
    clause('1', 'HIT_ONLY', '', 'person.identity: hit-only'),
  );
  const question: Question = {
    from: 'KH',
    owner: 'KR',
    category: 'person.identity',
    purpose: 'investigation',
    case: true,
  };

  test('release over hit-only; bilateral over multilateral of the same kind; never file order', () => {
    for (const files of [
      { 'instruments/1.yaml': bilateral, 'instruments/2.yaml': multilateral, 'instruments/3.yaml': hits },
      { 'instruments/3.yaml': bilateral, 'instruments/2.yaml': multilateral, 'instruments/1.yaml': hits },
    ]) {
      expectDecision(policyOf(files), question, 'release z-bilateral/1');
    }
  });

  test('same kind and scope: agreement id, then clause id', () => {
    const other = instrument(
      { id: 'y-bilateral', parties: '[KR, KH]' },
      clause('2', 'POLICE_COOPERATION', 'caseReference: true'),
      clause('1', 'POLICE_COOPERATION', 'caseReference: true'),
    );
    expectDecision(
      policyOf({ 'instruments/a.yaml': bilateral, 'instruments/b.yaml': other }),
      question,
      'release y-bilateral/1',
    );
  });

  test('a hit-only answer lists the release routes that failed, best first', () => {
    const decision = expectDecision(
      policyOf({
        'instruments/1.yaml': bilateral,
        'instruments/2.yaml': multilateral,
        'instruments/3.yaml': hits,
      }),
      { ...question, case: false },
      'hit-only hits/1',
    );
    expect(decision.routes.map((route) => route.text)).toEqual([
      'z-bilateral art. 1: needs a case reference (Accord-Case)',
      'a-multilateral art. 1: needs a case reference (Accord-Case)',
    ]);
  });
});

describe('robustness: malformed input at run time is withheld, never thrown', () => {
  const policy = shippedPolicy();
  const good = toInput({
    from: 'KH',
    owner: 'KR',
    category: 'person.identity',
    purpose: 'investigation',
    request: true,
  });

  test.each([
    ['an unknown category', { ...good, category: 'person.shoe_size' as Category }, 'CATEGORY_NOT_COVERED'],
    [
      'an unknown purpose',
      { ...good, requester: { ...good.requester, purpose: 'curiosity' as Purpose } },
      'PURPOSE_NOT_COVERED',
    ],
    [
      'an empty purpose',
      { ...good, requester: { ...good.requester, purpose: '' as Purpose } },
      'PURPOSE_REQUIRED',
    ],
    ['a time that is not a number', { ...good, at: Number.NaN }, 'NOT_IN_FORCE'],
    [
      'a blank request reference',
      { ...good, requester: { ...good.requester, requestReference: '   ' } },
      'HIT_ONLY',
    ],
  ] as const)('%s', (_label, input, reason) => {
    expect(policy.decide(input).reason).toBe(reason);
  });

  test('an unknown owner', () => {
    expect(policy.decide({ ...good, owner: 'ZZ' }).reason).toBe('NO_AGREEMENT');
  });
});

describe('explain()', () => {
  const policy = shippedPolicy();

  test('lists every clause of the pair with the exact failed condition', () => {
    const { decision, considered } = policy.explain(
      toInput({
        from: 'KH',
        owner: 'KR',
        category: 'person.location',
        purpose: 'investigation',
        team: true,
        record: { operations: ['OTHER'] },
      }),
    );
    expect(decision.effect).toBe('withhold');
    const lines = considered.map(
      (item) => `${item.agreement}/${item.clause}: ${item.applies ? 'applies' : item.failed!.kind}`,
    );
    expect(lines).toEqual([
      'alliance-emergency-2025/imminent-danger: purpose',
      'breaking-chains-operation-2025/index-hits: category',
      'kr-kh-joint-task-force-2025/operational-data: jointTeamScope',
      'kr-kh-joint-task-force-2025/compound-intelligence: category',
      'kr-kh-joint-task-force-2025/joint-analysis: category',
      'kr-kh-mlat-2021/persons-and-records: category',
      'kr-kh-mlat-2021/proceeds: category',
      'kr-kh-mlat-2021/telecom-records: category',
    ]);
    expect(considered[2]!.source.file).toMatch(/kr-kh-joint-task-force-2025\.yaml$/);
  });

  test('agrees with decide() across the scenario', () => {
    // Every member of the shipped set (agreements/members.yaml), in both roles.
    const owners = policy.set.members.map((member) => member.code);
    for (const from of owners) {
      for (const owner of owners) {
        for (const purpose of [...PURPOSES, undefined]) {
          for (const category of CATEGORIES) {
            for (const flags of [
              {},
              {
                case: true,
                request: true,
                team: true,
                record: { operations: ['BREAKING-CHAINS'], sourceGrade: 'A' },
              },
              { emergency: { hoursAgo: 1 } },
            ]) {
              const input = toInput({
                from,
                owner,
                category,
                ...(purpose !== undefined && { purpose }),
                ...flags,
              });
              const { decision, considered } = policy.explain(input);
              expect(decision).toEqual(policy.decide(input));
              const applying = considered.filter((item) => item.applies);
              if (from === owner) expect(considered).toEqual([]);
              else if (decision.effect === 'withhold') expect(applying).toEqual([]);
              else {
                const [ref] = decision.clauses;
                expect(applying.map((item) => `${item.agreement}/${item.clause}`)).toContain(
                  `${ref!.agreement}/${ref!.clause}`,
                );
                if (decision.effect === 'hit-only')
                  expect(applying.every((item) => item.effect === 'hit-only')).toBe(true);
              }
            }
          }
        }
      }
    }
  });
});

describe('the harness', () => {
  const policy = shippedPolicy();

  test('fails on a wrong effect, clause or reason', () => {
    const question: Question = {
      from: 'KH',
      owner: 'KR',
      category: 'person.identity',
      purpose: 'investigation',
      request: true,
    };
    expect(() =>
      expectDecision(policy, question, 'release kr-kh-mlat-2021/persons-and-records'),
    ).not.toThrow();
    expect(() => expectDecision(policy, question, 'hit-only kr-kh-mlat-2021/persons-and-records')).toThrow();
    expect(() => expectDecision(policy, question, 'release kr-kh-mlat-2021/proceeds')).toThrow();
    expect(() => expectDecision(policy, question, 'release HIT_ONLY')).toThrow();
    expect(() =>
      expectDecision(policy, question, 'release kr-kh-mlat-2021/persons-and-records', { route: 'anything' }),
    ).toThrow();
  });

  test('reason codes are a closed, documented set', () => {
    expect(REASON_CODE_LIST).toEqual([
      'DOMESTIC',
      'RELEASED',
      'HIT_ONLY',
      'PURPOSE_REQUIRED',
      'NO_AGREEMENT',
      'CATEGORY_NOT_COVERED',
      'PURPOSE_NOT_COVERED',
      'NOT_IN_FORCE',
      'CONDITION_UNMET',
      'DOMESTIC_GATE',
    ]);
  });
});
