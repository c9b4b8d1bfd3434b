/**
 * explain() on a small purpose-built set (policy/explain.ts): which clauses it lists (only agreements both
 * countries are party to, in set order), what each gives for the category, whether it applies, the first
 * condition that failed and every unmet one. Expectations are written from the fixture by hand.
 */
import { compilePolicy, loadAgreementSet, type ClauseEvaluation, type Policy } from '../../policy';
import type { Category, Purpose } from '../../vocabulary';
import { toInput, type Question } from './expectDecision';
import { instrument, MEMBERS, OBLIGATIONS, removeSets, writeSet } from './fixtureSet';

afterAll(removeSets);

const clause = (
  id: string,
  basis: string,
  conditions: string,
  categories: string,
  direction = 'both',
  purposes = '[investigation]',
): string =>
  `  - id: "${id}"\n    citation: art. ${id}\n    basis: ${basis}\n    purposes: ${purposes}\n    categories:\n      ${categories}\n    direction: ${direction}\n${conditions ? `    conditions:\n      ${conditions}\n` : ''}${OBLIGATIONS}`;

// KR's gate lets only MLAT transfers out (a requirement), for any purpose.
const KR_GATE = `owner: KR
title: KR test gate
law: Test act
grounds:
  - id: any
    citation: art. 1
requirements:
  - id: mlat-only
    citation: art. 2
    bases: [MLAT]
`;

let policy: Policy | undefined;
function thePolicy(): Policy {
  return (policy ??= compilePolicy(
    loadAgreementSet(
      writeSet({
        'members.yaml': MEMBERS,
        'instruments/a.yaml': instrument(
          { id: 'kr-kh', title: 'KR–KH Test', parties: '[KR, KH]' },
          clause('case', 'POLICE_COOPERATION', 'caseReference: true', 'person.identity: release'),
          clause('hits', 'HIT_ONLY', '', 'person.location: hit-only'),
          clause(
            'one-way',
            'MLAT',
            'requestReference: true',
            'person.identity: release',
            '{ from: [KR], to: [KH] }',
          ),
          clause(
            'fugitives',
            'POLICE_COOPERATION',
            'caseReference: true',
            'person.identity: release',
            'both',
            '[fugitive_location]',
          ),
          clause(
            'graded',
            'POLICE_COOPERATION',
            'caseReference: true\n      minimumSourceGrade: B',
            'person.identity: hit-only',
          ),
        ),
        // Parties KR and TH: KR owns, but KH is no party.
        'instruments/b.yaml': instrument(
          { id: 'kr-th', parties: '[KR, TH]' },
          clause('all', 'POLICE_COOPERATION', 'caseReference: true', 'person.identity: release'),
        ),
        // Parties KH and TH: KH asks, but KR is no party.
        'instruments/c.yaml': instrument(
          { id: 'kh-th', parties: '[KH, TH]' },
          clause('all', 'POLICE_COOPERATION', 'caseReference: true', 'person.identity: release'),
        ),
        'domestic/kr.yaml': KR_GATE,
      }),
    ),
  ));
}

/** One line per clause considered: `agreement/clause effect verdict [unmet kinds]`. */
function lines(considered: readonly ClauseEvaluation[]): string[] {
  return considered.map(
    (item) =>
      `${item.agreement}/${item.clause} ${item.effect ?? '-'} ${item.applies ? 'applies' : item.failed!.kind}` +
      (item.unmet === undefined ? '' : ` [${item.unmet.map((failure) => failure.kind).join(', ')}]`),
  );
}

function explainOf(question: Question) {
  const input = toInput(question);
  const explanation = thePolicy().explain(input);
  expect(explanation.decision).toEqual(thePolicy().decide(input));
  return explanation;
}

const base = { from: 'KR', owner: 'KH', category: 'person.identity' as Category };

describe('explain() on a small set', () => {
  test('only agreements both countries are party to, each clause with its first failed condition', () => {
    const { decision, considered } = explainOf({ ...base, purpose: 'investigation', case: true });
    expect(decision.effect).toBe('release');
    expect(lines(considered)).toEqual([
      'kr-kh/case release applies',
      'kr-kh/hits - category',
      // Only KR's data goes to KH under this clause; here KH owns.
      'kr-kh/one-way release direction',
      'kr-kh/fugitives release purpose',
      'kr-kh/graded hit-only sourceGrade [sourceGrade]',
    ]);
  });

  test('an entry carries the clause reference, basis and where it is written', () => {
    const { considered } = explainOf({ ...base, purpose: 'investigation', case: true });
    expect(considered[0]).toStrictEqual({
      agreement: 'kr-kh',
      clause: 'case',
      title: 'KR–KH Test',
      citation: 'art. case',
      basis: 'POLICE_COOPERATION',
      effect: 'release',
      applies: true,
      source: { file: expect.stringMatching(/instruments\/a\.yaml$/), line: 10 },
    });
    expect(considered[1]).toStrictEqual({
      agreement: 'kr-kh',
      clause: 'hits',
      title: 'KR–KH Test',
      citation: 'art. hits',
      basis: 'HIT_ONLY',
      applies: false,
      failed: { kind: 'category', text: 'does not cover this data category' },
      source: { file: expect.stringMatching(/instruments\/a\.yaml$/), line: 25 },
    });
  });

  test('the purpose a clause does not serve is named with the purposes it does', () => {
    const { considered } = explainOf({ ...base, purpose: 'investigation', case: true });
    expect(considered[3]!.failed).toEqual({
      kind: 'purpose',
      allowed: ['fugitive_location'],
      text: 'needs one of the purposes: fugitive_location (Accord-Purpose)',
    });
    expect(considered[3]!.unmet).toBeUndefined();
  });

  test('every unmet condition is listed, the first being the failed one', () => {
    const { decision, considered } = explainOf({
      ...base,
      purpose: 'investigation',
      record: { sourceGrade: 'C' },
    });
    expect(decision.effect).toBe('withhold');
    expect(lines(considered)).toEqual([
      'kr-kh/case release caseReference [caseReference]',
      'kr-kh/hits - category',
      'kr-kh/one-way release direction',
      'kr-kh/fugitives release purpose',
      'kr-kh/graded hit-only caseReference [caseReference, sourceGrade]',
    ]);
    expect(considered[4]!.failed).toBe(considered[4]!.unmet![0]);
  });

  test.each<[string, Purpose | undefined]>([
    ['no purpose', undefined],
    ['an empty purpose', '' as Purpose],
  ])('%s: every covering clause needs a declared purpose', (_label, purpose) => {
    const { decision, considered } = explainOf({ ...base, ...(purpose !== undefined && { purpose }) });
    expect(decision.reason).toBe('PURPOSE_REQUIRED');
    expect(lines(considered)).toEqual([
      'kr-kh/case release purpose',
      'kr-kh/hits - category',
      'kr-kh/one-way release direction',
      'kr-kh/fugitives release purpose',
      'kr-kh/graded hit-only purpose',
    ]);
    expect(considered[0]!.failed).toEqual({
      kind: 'purpose',
      allowed: ['investigation'],
      text: 'needs a declared purpose (Accord-Purpose, one of: investigation)',
    });
    expect(considered[3]!.failed!.text).toBe(
      'needs a declared purpose (Accord-Purpose, one of: fugitive_location)',
    );
  });

  test('the reference goes wherever any category goes: every clause releases meta.reference', () => {
    const { considered } = explainOf({
      ...base,
      category: 'meta.reference',
      purpose: 'investigation',
      case: true,
      record: { sourceGrade: 'A' },
    });
    expect(lines(considered)).toEqual([
      'kr-kh/case release applies',
      'kr-kh/hits release applies',
      'kr-kh/one-way release direction',
      'kr-kh/fugitives release purpose',
      'kr-kh/graded release applies',
    ]);
  });

  test("the owner's domestic gate fails a clause whose basis it does not let out", () => {
    // KR owns now: its gate lets only MLAT out, so the police clauses fail on the gate (their own
    // conditions are met); the one-way MLAT clause flows this way and lacks only its request reference.
    const { decision, considered } = explainOf({
      from: 'KH',
      owner: 'KR',
      category: 'person.identity',
      purpose: 'investigation',
      case: true,
      record: { sourceGrade: 'A' },
    });
    expect(lines(considered)).toEqual([
      'kr-kh/case release domesticGate [domesticGate]',
      'kr-kh/hits - category',
      'kr-kh/one-way release requestReference [requestReference]',
      'kr-kh/fugitives release purpose',
      'kr-kh/graded hit-only domesticGate [domesticGate]',
    ]);
    expect(considered[0]!.failed).toMatchObject({ kind: 'domesticGate', owner: 'KR', citations: ['art. 2'] });
    expect(decision.effect).toBe('withhold');
  });

  test('a question about its own records considers nothing', () => {
    const { decision, considered } = explainOf({ ...base, from: 'KH', purpose: 'investigation' });
    expect(decision.reason).toBe('DOMESTIC');
    expect(considered).toEqual([]);
  });
});
