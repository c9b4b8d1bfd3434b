/**
 * Cross-checks of a set (policy/crossCheck.ts) that loader.test.ts does not reach: party counts by kind,
 * signing dates, duplicate members, gates and grounds, joint teams defined twice or with a bad window,
 * directions that move nothing and conditions on the wrong kind. Each problem is stated in full, by hand.
 */
import { AgreementSetError, loadAgreementSet, type Problem } from '../../policy';
import { instrument, MEMBERS, MLAT, OBLIGATIONS, removeSets, writeSet } from './fixtureSet';

afterAll(removeSets);

function problemsOf(files: Record<string, string>): Problem[] {
  const dir = writeSet({ 'members.yaml': MEMBERS, ...files });
  try {
    loadAgreementSet(dir);
  } catch (error) {
    if (!(error instanceof AgreementSetError)) throw error;
    return error.problems.map((problem) => ({
      ...problem,
      file: problem.file.slice(dir.length + 1),
      message: problem.message.split(dir).join('<set>'),
    }));
  }
  return [];
}

const mlatClause = (id: string, extraConditions = '', direction = 'both'): string =>
  `  - id: "${id}"\n    citation: art. ${id}\n    basis: MLAT\n    purposes: [investigation]\n    categories:\n      person.identity: release\n    direction: ${direction}\n    conditions:\n      requestReference: true\n${extraConditions}${OBLIGATIONS}`;

/** A JIT clause with its team (validFrom, validUntil, operation as given). */
const jitClause = (
  id: string,
  team: { id?: string; from: string; until: string; operation?: string },
): string =>
  `  - id: "${id}"\n    citation: art. ${id}\n    basis: JIT\n    purposes: [investigation]\n    categories:\n      person.location: release\n    direction: both\n    conditions:\n      jointTeam:\n        id: ${team.id ?? 'T-1'}\n        members: { KR: [kim.j], KH: [sok.r] }\n        operation: ${team.operation ?? 'OP'}\n        validFrom: ${team.from}\n        validUntil: ${team.until}\n${OBLIGATIONS}`;

const gate = (owner: string, body = '  - id: any\n    citation: art. 1\n'): string =>
  `owner: ${owner}\ntitle: ${owner} gate\nlaw: Act\ngrounds:\n${body}`;

describe('parties by kind', () => {
  test('a bilateral agreement has exactly two parties', () => {
    expect(
      problemsOf({ 'instruments/a.yaml': instrument({ id: 'x', parties: '[KR, KH, TH]' }, mlatClause('1')) }),
    ).toEqual([
      { file: 'instruments/a.yaml', line: 4, message: 'a bilateral agreement has exactly 2 parties, not 3' },
    ]);
  });

  test('a multilateral agreement has at least three', () => {
    expect(
      problemsOf({
        'instruments/a.yaml': instrument(
          { id: 'x', kind: 'multilateral', parties: '[KR, KH]' },
          mlatClause('1'),
        ),
      }),
    ).toEqual([
      {
        file: 'instruments/a.yaml',
        line: 4,
        message: 'a multilateral agreement has at least 3 parties (use kind: bilateral)',
      },
    ]);
    expect(
      problemsOf({
        'instruments/a.yaml': instrument(
          { id: 'x', kind: 'multilateral', parties: '[KR, KH, TH]' },
          mlatClause('1'),
        ),
      }),
    ).toEqual([]);
  });

  test('an unknown party with no near name lists the members only', () => {
    expect(
      problemsOf({ 'instruments/a.yaml': instrument({ id: 'x', parties: '[KR, QQ]' }, mlatClause('1')) }),
    ).toEqual([{ file: 'instruments/a.yaml', line: 4, message: "unknown party 'QQ' (members: KR, KH, TH)" }]);
  });
});

describe('dates of an instrument', () => {
  const signed = (date: string): string =>
    MLAT.replace('  citation: Test treaty\n', `  citation: Test treaty\n  signed: ${date}\n`);

  test('signed on or before entering into force', () => {
    expect(problemsOf({ 'instruments/a.yaml': signed('2020-01-01') })).toEqual([]);
    expect(problemsOf({ 'instruments/a.yaml': signed('2019-12-31') })).toEqual([]);
  });

  test('signed after entering into force', () => {
    expect(problemsOf({ 'instruments/a.yaml': signed('2020-01-02') })).toEqual([
      {
        file: 'instruments/a.yaml',
        line: 8,
        message: 'signed 2020-01-02 after entering into force 2020-01-01',
      },
    ]);
  });

  test('a signing date that does not exist', () => {
    expect(problemsOf({ 'instruments/a.yaml': signed('2019-02-30') })).toEqual([
      { file: 'instruments/a.yaml', line: 8, message: "'2019-02-30' is not a calendar date" },
    ]);
  });

  test('until on the day of from is a one-day agreement', () => {
    expect(
      problemsOf({ 'instruments/a.yaml': MLAT.replace('until: 2030-12-31', 'until: 2020-01-01') }),
    ).toEqual([]);
  });
});

describe('members and gates', () => {
  test('a member listed twice', () => {
    expect(
      problemsOf({
        'members.yaml': `${MEMBERS}  - code: KR\n    name: Korea again\n    domesticGate: optional\n`,
        'instruments/a.yaml': MLAT,
      }),
    ).toEqual([{ file: 'members.yaml', line: 11, message: "duplicate member 'KR'" }]);
  });

  test('a second gate for an owner', () => {
    expect(
      problemsOf({
        'instruments/a.yaml': MLAT,
        'domestic/a.yaml': gate('KR'),
        'domestic/b.yaml': gate('KR'),
      }),
    ).toEqual([
      {
        file: 'domestic/b.yaml',
        line: 1,
        message: 'second domestic gate for KR (first in <set>/domestic/a.yaml)',
      },
    ]);
  });

  test('a ground id used twice, across grounds and requirements', () => {
    const twice = `${gate('KR')}requirements:\n  - id: other\n    citation: art. 2\n  - id: any\n    citation: art. 3\n`;
    expect(problemsOf({ 'instruments/a.yaml': MLAT, 'domestic/kr.yaml': twice })).toEqual([
      { file: 'domestic/kr.yaml', line: 10, message: "duplicate ground id 'any'" },
    ]);
    const inGrounds = gate('KR', '  - id: g\n    citation: art. 1\n  - id: g\n    citation: art. 2\n');
    expect(problemsOf({ 'instruments/a.yaml': MLAT, 'domestic/kr.yaml': inGrounds })).toEqual([
      { file: 'domestic/kr.yaml', line: 7, message: "duplicate ground id 'g'" },
    ]);
  });
});

describe('joint teams', () => {
  const set = (...clauses: string[]) => ({
    'instruments/a.yaml': instrument({ id: 'a', parties: '[KR, KH]', until: '2030-12-31' }, ...clauses),
  });

  test('a team defined once per agreement, the same in every clause, inside the time in force', () => {
    const team = { from: '2020-01-01', until: '2030-12-31' };
    expect(problemsOf(set(jitClause('1', team), jitClause('2', team)))).toEqual([]);
  });

  test('defined differently in two clauses', () => {
    expect(
      problemsOf(
        set(
          jitClause('1', { from: '2021-01-01', until: '2021-12-31' }),
          jitClause('2', { from: '2021-01-01', until: '2021-12-31', operation: 'OTHER' }),
        ),
      ),
    ).toEqual([
      {
        file: 'instruments/a.yaml',
        line: 40,
        message:
          "clause '2': joint team 'T-1' is defined differently in another clause (use one YAML anchor)",
      },
    ]);
  });

  test('defined by another agreement', () => {
    const team = { from: '2021-01-01', until: '2021-12-31' };
    expect(
      problemsOf({
        'instruments/a.yaml': instrument({ id: 'a', parties: '[KR, KH]' }, jitClause('1', team)),
        'instruments/b.yaml': instrument({ id: 'b', parties: '[KR, KH]' }, jitClause('1', team)),
      }),
    ).toEqual([
      {
        file: 'instruments/b.yaml',
        line: 19,
        message: "clause '1': joint team 'T-1' is already defined by a",
      },
    ]);
  });

  test('a window that ends before it starts', () => {
    expect(problemsOf(set(jitClause('1', { from: '2021-06-01', until: '2021-05-31' })))).toEqual([
      {
        file: 'instruments/a.yaml',
        line: 24,
        message: "clause '1': validUntil 2021-05-31 is before validFrom 2021-06-01",
      },
    ]);
  });

  test('dates that do not exist', () => {
    expect(problemsOf(set(jitClause('1', { from: '2021-02-30', until: '2021-04-31' })))).toEqual([
      { file: 'instruments/a.yaml', line: 23, message: "clause '1': '2021-02-30' is not a calendar date" },
      { file: 'instruments/a.yaml', line: 24, message: "clause '1': '2021-04-31' is not a calendar date" },
    ]);
  });

  test.each([
    ['starting before the agreement', { from: '2019-12-31', until: '2021-01-01' }],
    ['ending after it', { from: '2021-01-01', until: '2031-01-01' }],
  ])('a window %s', (_label, team) => {
    expect(problemsOf(set(jitClause('1', team)))).toEqual([
      {
        file: 'instruments/a.yaml',
        line: 20,
        message: `clause '1': the team's window ${team.from}..${team.until} is not inside the agreement's time in force`,
      },
    ]);
  });

  test('an open-ended agreement holds a team of any end', () => {
    expect(
      problemsOf({
        'instruments/a.yaml': instrument(
          { id: 'a', parties: '[KR, KH]' },
          jitClause('1', { from: '2020-01-01', until: '2099-12-31' }),
        ),
      }),
    ).toEqual([]);
  });
});

describe('directions and conditions on the wrong kind', () => {
  const one = (clause: string) => ({
    'instruments/a.yaml': instrument({ id: 'a', parties: '[KR, KH]' }, clause),
  });
  const messages = (clause: string) => problemsOf(one(clause)).map((problem) => problem.message);

  test('a direction that moves nothing', () => {
    expect(messages(mlatClause('1', '', '{ from: [KR], to: [KR] }'))).toEqual([
      "clause '1': direction lets no data go from one country to another",
    ]);
    expect(messages(mlatClause('1', '', '{ from: [KR, KH], to: [KR] }'))).toEqual([]);
  });

  test.each([
    [
      'an emergency condition outside an EMERGENCY clause',
      '      emergency: { maxDurationHours: 12 }\n',
      "clause '1': only an EMERGENCY clause takes an emergency condition",
    ],
    [
      'notice colours without the notice condition',
      '      noticeColours: [red]\n',
      "clause '1': noticeColours says which notices meet the interpolNotice condition: set interpolNotice: true as well",
    ],
    [
      'a joint team outside a JIT clause',
      '      jointTeam:\n        id: T-9\n        members: { KR: [kim.j] }\n        operation: OP\n        validFrom: 2020-01-01\n        validUntil: 2020-12-31\n',
      "clause '1': only a JIT clause takes a joint-team condition",
    ],
  ])('%s', (_label, conditions, message) => {
    expect(messages(mlatClause('1', conditions))).toEqual([message]);
  });

  test('a HIT_ONLY clause that releases, named with the mode and category', () => {
    const clause = `  - id: "1"\n    citation: art. 1\n    basis: HIT_ONLY\n    purposes: [investigation]\n    categories:\n      person.identity: hit-only\n      person.location: release\n    direction: both\n${OBLIGATIONS}`;
    expect(problemsOf(one(clause))).toEqual([
      {
        file: 'instruments/a.yaml',
        line: 16,
        message: "clause '1': a HIT_ONLY clause can only give hit-only, not release for person.location",
      },
    ]);
  });
});
