/**
 * What the compiled index settles before any request (policy/policyIndex.ts), seen through decide() on a
 * small set: the ranking by basis kind, the routes a cell holds for another purpose, the prebuilt
 * decisions (release, hit-only, the fixed refusals) down to every field, and route wording. Expected
 * decisions are written from the fixture by hand.
 */
import { compilePolicy, loadAgreementSet, type AgreementSet, type Policy } from '../../policy';
import type { Category, Purpose } from '../../vocabulary';
import { expectDecision, toInput } from './expectDecision';
import { instrument, MEMBERS, OBLIGATIONS, removeSets, writeSet } from './fixtureSet';

afterAll(removeSets);

const clause = (
  id: string,
  basis: string,
  conditions: string,
  categories: string,
  purposes = '[investigation]',
): string =>
  `  - id: "${id}"\n    citation: art. ${id}\n    basis: ${basis}\n    purposes: ${purposes}\n    categories:\n      ${categories}\n    direction: both\n${conditions ? `    conditions:\n      ${conditions}\n` : ''}${OBLIGATIONS}`;

// KH's gate: one ground, no requirement; it allows every transfer and is cited on each.
const KH_GATE = `owner: KH
title: KH test gate
law: Test act
grounds:
  - id: any
    citation: art. 9
requirements: []
`;

// The set is loaded once; the policy is compiled afresh on every call, so that what the index builds is
// built inside the test that checks it (a mutation run credits a compiled line to the test that ran it).
let loaded: AgreementSet | undefined;
function policy(): Policy {
  return compilePolicy(
    (loaded ??= loadAgreementSet(
      writeSet({
        'members.yaml': MEMBERS,
        // By id, the police clause would come first; by basis kind, the MLAT clause does.
        'instruments/a.yaml': instrument(
          { id: 'a-police', title: 'A Police', parties: '[KR, KH]' },
          clause('p', 'POLICE_COOPERATION', 'caseReference: true', 'person.identity: release'),
          clause(
            'p2',
            'POLICE_COOPERATION',
            'caseReference: true',
            'person.identity: release',
            '[fugitive_location]',
          ),
        ),
        'instruments/h.yaml': instrument(
          { id: 'h-hits', title: 'H Hits', kind: 'multilateral', parties: '[KR, KH, TH]' },
          clause('h', 'HIT_ONLY', '', 'person.location: hit-only'),
          clause('h2', 'HIT_ONLY', '', 'person.location: hit-only', '[border_alert]'),
          clause(
            'r',
            'POLICE_COOPERATION',
            'caseReference: true',
            'person.location: release',
            '[fugitive_location]',
          ),
        ),
        'instruments/z.yaml': instrument(
          { id: 'z-mlat', title: 'Z MLAT', parties: '[KR, KH]' },
          clause('m', 'MLAT', 'requestReference: true', 'person.identity: release'),
          // A hit under the best-ranked kind still comes after a release under a lesser one.
          clause('mh', 'MLAT', 'requestReference: true', 'person.location: hit-only', '[fugitive_location]'),
        ),
        'domestic/kh.yaml': KH_GATE,
      }),
    )),
  );
}

const OBLIGATIONS_AS_WRITTEN = {
  handlingCode: 'H1',
  onwardTransfer: 'forbidden',
  evidentiaryUse: 'forbidden',
  retentionDays: 365,
  notifySource: false,
};

function decideFor(from: string, owner: string, category: Category, purpose?: Purpose, extra = {}) {
  return policy().decide(
    toInput({ from, owner, category, ...(purpose !== undefined && { purpose }), ...extra }),
  );
}

describe('ranking by basis kind', () => {
  test('an MLAT clause is tried before a police clause, whatever the agreement ids', () => {
    expectDecision(
      policy(),
      { from: 'KH', owner: 'KR', category: 'person.identity', purpose: 'investigation', request: true },
      'release z-mlat/m',
    );
    expectDecision(
      policy(),
      { from: 'KH', owner: 'KR', category: 'person.identity', purpose: 'investigation', case: true },
      'release a-police/p',
    );
  });

  test('a refusal lists the routes in rank order', () => {
    const decision = decideFor('KH', 'KR', 'person.identity', 'investigation');
    expect(decision.routes.map((route) => route.text)).toEqual([
      'Z MLAT art. m: needs a request reference (Accord-Request-Ref: the formal request for mutual legal assistance)',
      'A Police art. p: needs a case reference (Accord-Case)',
      'A Police art. p2: needs one of the purposes: fugitive_location (Accord-Purpose)',
    ]);
  });

  test('effect before kind: a police release is tried before an MLAT hit', () => {
    const decision = decideFor('KH', 'KR', 'person.location', 'fugitive_location');
    expect(decision.routes.map((route) => route.text)).toEqual([
      'H Hits art. r: needs a case reference (Accord-Case)',
      'Z MLAT art. mh (hit only): needs a request reference (Accord-Request-Ref: the formal request for mutual legal assistance)',
      'H Hits art. h (hit only): needs one of the purposes: investigation (Accord-Purpose)',
      'H Hits art. h2 (hit only): needs one of the purposes: border_alert (Accord-Purpose)',
    ]);
  });
});

describe('prebuilt decisions', () => {
  test('a release: the clause, its obligations, no routes (not even for another purpose), the set revision; no gate where the owner has none', () => {
    expect(decideFor('KH', 'KR', 'person.identity', 'investigation', { case: true })).toStrictEqual({
      effect: 'release',
      reason: 'RELEASED',
      clauses: [{ agreement: 'a-police', clause: 'p', title: 'A Police', citation: 'art. p' }],
      obligations: OBLIGATIONS_AS_WRITTEN,
      routes: [],
      recordDependent: false,
      revision: policy().set.revision,
    });
  });

  test('where the owner has a gate, the release cites it', () => {
    expect(decideFor('KR', 'KH', 'person.identity', 'investigation', { case: true })).toStrictEqual({
      effect: 'release',
      reason: 'RELEASED',
      clauses: [{ agreement: 'a-police', clause: 'p', title: 'A Police', citation: 'art. p' }],
      obligations: OBLIGATIONS_AS_WRITTEN,
      gate: { owner: 'KH', title: 'KH test gate', citations: ['art. 9'] },
      routes: [],
      recordDependent: false,
      revision: policy().set.revision,
    });
  });

  test('a hit: HIT_ONLY, with the release clauses for another purpose as routes (not the hit-only ones)', () => {
    expect(decideFor('KH', 'KR', 'person.location', 'investigation')).toStrictEqual({
      effect: 'hit-only',
      reason: 'HIT_ONLY',
      clauses: [{ agreement: 'h-hits', clause: 'h', title: 'H Hits', citation: 'art. h' }],
      obligations: OBLIGATIONS_AS_WRITTEN,
      routes: [
        {
          agreement: 'h-hits',
          clause: 'r',
          title: 'H Hits',
          citation: 'art. r',
          effect: 'release',
          needs: {
            kind: 'purpose',
            allowed: ['fugitive_location'],
            text: 'needs one of the purposes: fugitive_location (Accord-Purpose)',
          },
          text: 'H Hits art. r: needs one of the purposes: fugitive_location (Accord-Purpose)',
        },
      ],
      recordDependent: false,
      revision: policy().set.revision,
    });
  });

  test('a purpose no covering clause serves: PURPOSE_NOT_COVERED, every covering clause as a route', () => {
    const decision = decideFor('KH', 'KR', 'person.location', 'victim_rescue');
    expect({ ...decision, routes: decision.routes.map((route) => route.text) }).toStrictEqual({
      effect: 'withhold',
      reason: 'PURPOSE_NOT_COVERED',
      clauses: [],
      routes: [
        'H Hits art. h (hit only): needs one of the purposes: investigation (Accord-Purpose)',
        'H Hits art. h2 (hit only): needs one of the purposes: border_alert (Accord-Purpose)',
        'H Hits art. r: needs one of the purposes: fugitive_location (Accord-Purpose)',
        'Z MLAT art. mh (hit only): needs one of the purposes: fugitive_location (Accord-Purpose)',
      ],
      recordDependent: false,
      revision: policy().set.revision,
    });
    expect(decision.routes.map((route) => route.effect)).toEqual([
      'hit-only',
      'hit-only',
      'release',
      'hit-only',
    ]);
  });

  test('a category no clause of the pair covers: CATEGORY_NOT_COVERED, no routes', () => {
    expect(decideFor('KH', 'KR', 'person.contact', 'investigation')).toStrictEqual({
      effect: 'withhold',
      reason: 'CATEGORY_NOT_COVERED',
      clauses: [],
      routes: [],
      recordDependent: false,
      revision: policy().set.revision,
    });
    // TH is party only to the hit agreement: the pair exists, identity is not covered.
    expect(decideFor('TH', 'KR', 'person.identity', 'investigation').reason).toBe('CATEGORY_NOT_COVERED');
    expect(decideFor('TH', 'KR', 'person.location', 'investigation').effect).toBe('hit-only');
  });

  test.each<[string, () => ReturnType<typeof decideFor>, string, string]>([
    ['own records', () => decideFor('KR', 'KR', 'person.identity', 'investigation'), 'release', 'DOMESTIC'],
    ['no purpose', () => decideFor('KH', 'KR', 'person.identity'), 'withhold', 'PURPOSE_REQUIRED'],
    [
      'a purpose the vocabulary does not know',
      () => decideFor('KH', 'KR', 'person.identity', 'curiosity' as Purpose),
      'withhold',
      'PURPOSE_NOT_COVERED',
    ],
    [
      'a category the vocabulary does not know',
      () => decideFor('KH', 'KR', 'person.shoe_size' as Category, 'investigation'),
      'withhold',
      'CATEGORY_NOT_COVERED',
    ],
    [
      'an owner no agreement names',
      () => decideFor('KH', 'ZZ', 'person.location', 'investigation'),
      'withhold',
      'NO_AGREEMENT',
    ],
  ])('%s: a fixed decision with no clause and no route', (_label, decide, effect, reason) => {
    expect(decide()).toStrictEqual({
      effect,
      reason,
      clauses: [],
      routes: [],
      recordDependent: false,
      revision: policy().set.revision,
    });
  });
});
