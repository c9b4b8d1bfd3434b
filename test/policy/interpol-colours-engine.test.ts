/**
 * An INTERPOL notice meets a clause only when the clause takes its colour AND the colour serves the
 * purpose the request declares (docs/domain.md#interpol-notices): a clause taking Red and Yellow notices
 * for an arrest and a rescue does not release a location for a rescue to a Red notice. decide() and
 * explain() on a set loaded from YAML; the failure a route and explain show, word for word.
 */
import {
  compilePolicy,
  loadAgreementSet,
  type AgreementSet,
  type Clause,
  type DecisionInput,
  type Policy,
} from '../../policy';
import { NOTICE_COLOURS, type Purpose } from '../../vocabulary';
import { instrument, MEMBERS, removeSets, writeSet } from './fixtureSet';
import { lazyPolicy } from './shippedPolicy';

afterAll(removeSets);

const AT = Date.parse('2026-06-15T09:00:00Z');
const TAKEN = ['red', 'yellow'] as const;
const PURPOSES_SERVED = ['arrest_extradition', 'victim_rescue'] as const;

/** One INTERPOL_NOTICE clause taking Red and Yellow notices, for an arrest and for a rescue. */
const notices = instrument(
  { id: 'kr-kh-notices', title: 'KR–KH Notices', parties: '[KR, KH]' },
  `  - id: notice
    citation: art. 1
    basis: INTERPOL_NOTICE
    purposes: [${PURPOSES_SERVED.join(', ')}]
    categories:
      person.location: release
      victim.location: release
    direction: both
    conditions:
      interpolNotice: true
      noticeColours: [${TAKEN.join(', ')}]
      minimumSourceGrade: B
    obligations:
      handlingCode: H1
      onwardTransfer: forbidden
      evidentiaryUse: forbidden
      retentionDays: 90
      notifySource: true
`,
);

const policy = lazyPolicy((): Policy =>
  compilePolicy(loadAgreementSet(writeSet({ 'members.yaml': MEMBERS, 'instruments/notices.yaml': notices }))),
);

/** KR asks for a KH location, for `purpose`, with a notice of `colour` (none: no notice). */
function ask(purpose: Purpose, colour: string | undefined, graded = true): DecisionInput {
  return {
    requester: {
      country: 'KR',
      analyst: 'kim.j',
      roles: [],
      purpose,
      ...(colour !== undefined && { interpolNotice: `${colour}:A-1234/5-2026` }),
    },
    owner: 'KH',
    category: purpose === 'victim_rescue' ? 'victim.location' : 'person.location',
    at: AT,
    record: { id: 'KH-SUS-000001', ...(graded && { sourceGrade: 'A' }) },
  };
}

function routesOf(input: DecisionInput): { effect: string; reason: string; routes: string[] } {
  const decision = policy.decide(input);
  return { effect: decision.effect, reason: decision.reason, routes: decision.routes.map((r) => r.text) };
}

describe('a notice serves only the purposes of its colour', () => {
  test('a Red notice does not release a location for victim_rescue: the route says why and what would', () => {
    expect(routesOf(ask('victim_rescue', 'red'))).toEqual({
      effect: 'withhold',
      reason: 'CONDITION_UNMET',
      routes: [
        'KR–KH Notices art. 1: a red INTERPOL notice does not serve victim_rescue (it serves arrest_extradition, fugitive_location): needs a yellow INTERPOL notice (Accord-Notice: yellow:<notice id>)',
      ],
    });
  });

  test('a Yellow notice does not serve an arrest', () => {
    expect(routesOf(ask('arrest_extradition', 'yellow')).routes).toEqual([
      'KR–KH Notices art. 1: a yellow INTERPOL notice does not serve arrest_extradition (it serves victim_rescue, victim_identification): needs a red INTERPOL notice (Accord-Notice: red:<notice id>)',
    ]);
  });

  test('nor does a Blue one the clause does not take', () => {
    expect(routesOf(ask('arrest_extradition', 'blue')).routes).toEqual([
      'KR–KH Notices art. 1: a blue INTERPOL notice does not serve arrest_extradition (it serves investigation, fugitive_location): needs a red INTERPOL notice (Accord-Notice: red:<notice id>)',
    ]);
  });

  test('without a notice, the route names the colour that serves the declared purpose, not every colour taken', () => {
    expect(routesOf(ask('victim_rescue', undefined)).routes).toEqual([
      'KR–KH Notices art. 1: needs a yellow INTERPOL notice (Accord-Notice: yellow:<notice id>)',
    ]);
  });

  test('the colour that serves the purpose releases it, in any case', () => {
    for (const [purpose, colour] of [
      ['victim_rescue', 'yellow'],
      ['victim_rescue', 'YELLOW'],
      ['victim_rescue', 'Yellow'],
      ['arrest_extradition', 'red'],
      ['arrest_extradition', 'RED'],
      ['arrest_extradition', 'rEd'],
    ] as const) {
      const decision = policy.decide(ask(purpose, colour));
      expect({ purpose, colour, effect: decision.effect, clause: decision.clauses[0]?.clause }).toEqual({
        purpose,
        colour,
        effect: 'release',
        clause: 'notice',
      });
    }
  });

  // What serves what, written here from INTERPOL's own description of its notices, apart from the
  // vocabulary's table: a Red notice seeks a wanted person's arrest, a Yellow one a missing person.
  const SERVES: Readonly<Record<(typeof TAKEN)[number], readonly Purpose[]>> = {
    red: ['arrest_extradition'],
    yellow: ['victim_rescue'],
  };
  test.each(NOTICE_COLOURS.flatMap((colour) => PURPOSES_SERVED.map((purpose) => [colour, purpose] as const)))(
    'a %s notice for %s: released only if the clause takes the colour and the colour serves the purpose',
    (colour, purpose) => {
      const serves = (TAKEN as readonly string[]).includes(colour)
        ? SERVES[colour as (typeof TAKEN)[number]].includes(purpose)
        : false;
      expect(policy.decide(ask(purpose, colour)).effect).toBe(serves ? 'release' : 'withhold');
    },
  );
});

describe('explain: every unmet condition, a notice of a serving colour supposed', () => {
  const unmet = (input: DecisionInput): string[] | undefined =>
    policy
      .explain(input)
      .considered.find((item) => item.clause === 'notice')
      ?.unmet?.map((failure) => failure.text);

  test('a Red notice for a rescue, the record not graded: both conditions, the notice first', () => {
    expect(unmet(ask('victim_rescue', 'red', false))).toEqual([
      'a red INTERPOL notice does not serve victim_rescue (it serves arrest_extradition, fugitive_location): needs a yellow INTERPOL notice (Accord-Notice: yellow:<notice id>)',
      'needs a record of source grade B or better',
    ]);
  });

  test('no notice for a rescue: a Yellow one supposed, so the grade is listed too', () => {
    expect(unmet(ask('victim_rescue', undefined, false))).toEqual([
      'needs a yellow INTERPOL notice (Accord-Notice: yellow:<notice id>)',
      'needs a record of source grade B or better',
    ]);
  });
});

describe('a clause beyond its bound (made without the loader): no colour it takes serves the purpose', () => {
  // Only Red taken, for an arrest and a rescue: the loader refuses it; the engine still answers safely.
  const redOnly = lazyPolicy((): Policy => {
    const set = structuredClone<AgreementSet>(policy.set);
    const clause = set.agreements[0]!.clauses[0]! as { conditions: Clause['conditions'] };
    clause.conditions = { ...clause.conditions, noticeColours: ['red'] };
    return compilePolicy(set);
  });

  test('withheld, and the route says no notice it takes serves the purpose', () => {
    const routes = (input: DecisionInput): string[] =>
      redOnly.decide(input).routes.map((route) => route.text);
    expect(routes(ask('victim_rescue', undefined))).toEqual([
      'KR–KH Notices art. 1: takes no INTERPOL notice that serves victim_rescue',
    ]);
    expect(routes(ask('victim_rescue', 'red'))).toEqual([
      'KR–KH Notices art. 1: a red INTERPOL notice does not serve victim_rescue (it serves arrest_extradition, fugitive_location): takes no INTERPOL notice that serves victim_rescue',
    ]);
    expect(redOnly.decide(ask('arrest_extradition', 'red')).effect).toBe('release');
  });

  test('explain lists that condition and stops: no notice a request could carry meets it', () => {
    const unmet = redOnly
      .explain(ask('victim_rescue', 'yellow', false))
      .considered.find((item) => item.clause === 'notice')
      ?.unmet?.map((failure) => failure.text);
    expect(unmet).toEqual([
      // A Yellow notice serves a rescue, but the clause does not take it; the source grade is not reached.
      'takes no INTERPOL notice that serves victim_rescue',
    ]);
  });
});
