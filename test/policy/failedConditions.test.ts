/**
 * The words of every condition a clause can fail, as a lawyer reads them in a route (policy/failedConditions.ts).
 * Each expectation is written out by hand: the exact object, text included, and that it is frozen (the
 * compiler shares one per clause between every decision).
 */
import {
  domesticGate,
  emergencyWindow,
  interpolNotice,
  INTERPOL_NOTICE,
  jointTeamFailures,
  notInForce,
  purpose,
  sourceGrade,
} from '../../policy/failedConditions';

function expectFrozen(value: object): void {
  expect(Object.isFrozen(value)).toBe(true);
}

describe('failed conditions: exact words', () => {
  test('a notice of any colour: the shared failure', () => {
    expect(interpolNotice(undefined)).toBe(INTERPOL_NOTICE);
    expect(INTERPOL_NOTICE).toStrictEqual({
      kind: 'interpolNotice',
      text: 'needs an INTERPOL notice id (Accord-Notice)',
    });
  });

  test('a notice of named colours: which ones, and how to send one of the first', () => {
    const failure = interpolNotice(['red', 'blue']);
    expect(failure).toStrictEqual({
      kind: 'interpolNotice',
      colours: ['red', 'blue'],
      text: 'needs a red or blue INTERPOL notice (Accord-Notice: red:<notice id>)',
    });
    expectFrozen(failure);
  });

  test('a purpose the clause does not serve, and no purpose at all', () => {
    const other = purpose(['investigation', 'victim_rescue']);
    expect(other).toStrictEqual({
      kind: 'purpose',
      allowed: ['investigation', 'victim_rescue'],
      text: 'needs one of the purposes: investigation, victim_rescue (Accord-Purpose)',
    });
    expectFrozen(other);
    expect(purpose(['investigation', 'victim_rescue'], true)).toStrictEqual({
      kind: 'purpose',
      allowed: ['investigation', 'victim_rescue'],
      text: 'needs a declared purpose (Accord-Purpose, one of: investigation, victim_rescue)',
    });
  });

  test('not in force: open-ended, and with an end (only then an `until`)', () => {
    const open = notInForce('2020-01-01', undefined);
    expect(open).toStrictEqual({
      kind: 'notInForce',
      from: '2020-01-01',
      text: 'in force only from 2020-01-01',
    });
    expect(Object.keys(open)).toEqual(['kind', 'from', 'text']);
    expectFrozen(open);
    expect(notInForce('2020-01-01', '2030-12-31')).toStrictEqual({
      kind: 'notInForce',
      from: '2020-01-01',
      until: '2030-12-31',
      text: 'in force only from 2020-01-01 to 2030-12-31',
    });
  });

  test('a joint team: its id, a member, its window and its operation', () => {
    const failures = jointTeamFailures({
      id: 'JTF-1',
      members: { KR: ['kim.j'] },
      operation: 'OP-1',
      validFrom: '2026-01-01',
      validUntil: '2026-12-31',
    });
    expect(failures).toStrictEqual({
      id: { kind: 'jointTeam', team: 'JTF-1', text: 'needs the joint-team id JTF-1 (Accord-JIT)' },
      member: {
        kind: 'jointTeamMember',
        team: 'JTF-1',
        text: 'needs an analyst named as a member of joint team JTF-1',
      },
      window: {
        kind: 'jointTeamWindow',
        team: 'JTF-1',
        validFrom: '2026-01-01',
        validUntil: '2026-12-31',
        text: 'joint team JTF-1 acts only from 2026-01-01 to 2026-12-31',
      },
      scope: {
        kind: 'jointTeamScope',
        team: 'JTF-1',
        operation: 'OP-1',
        recordLevel: true,
        text: 'needs a record linked to operation OP-1 (scope of joint team JTF-1)',
      },
    });
    for (const failure of Object.values(failures)) expectFrozen(failure);
  });

  test('an emergency window', () => {
    const failure = emergencyWindow(24);
    expect(failure).toStrictEqual({
      kind: 'emergencyWindow',
      maxDurationHours: 24,
      text: 'needs an emergency declared within the last 24 h (Accord-Emergency: this window runs from the registration and has ended or not begun; declaring again does not restart it)',
    });
    expectFrozen(failure);
  });

  test('a minimum source grade: about the record', () => {
    const failure = sourceGrade('B');
    expect(failure).toStrictEqual({
      kind: 'sourceGrade',
      minimum: 'B',
      recordLevel: true,
      text: 'needs a record of source grade B or better',
    });
    expectFrozen(failure);
  });

  test('a domestic gate: its own copy of the citations, and the words of the refusal', () => {
    const citations = ['Act art. 1', 'Act art. 2'];
    const failure = domesticGate(
      'KH',
      'KH gate',
      citations,
      'POLICE_COOPERATION',
      'investigation',
      'has no ground',
    );
    expect(failure).toStrictEqual({
      kind: 'domesticGate',
      owner: 'KH',
      citations: ['Act art. 1', 'Act art. 2'],
      text: 'allowed by the agreement, but KH gate has no ground for a POLICE_COOPERATION transfer for investigation',
    });
    expect(failure.citations).not.toBe(citations);
    expectFrozen(failure);
    expectFrozen(failure.citations);
  });
});
