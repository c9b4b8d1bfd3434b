/**
 * Where the cross-checks of a set (policy/crossCheck.ts) point, word for word and line for line. Each
 * fixture puts the offending field away from the document's first line, away from the start of its list
 * item, and (for problems that name a key) its value on the line below the key: a problem reported at the
 * wrong path, or at a value instead of its key, then lands on another line. Lines are counted by hand
 * from the fixtures below; `instrument()` writes nine header lines, so its first clause starts on line 10.
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

/** One agreement `a` between KR and KH (in force from 2020-01-01, open-ended) with the given clauses. */
const agreementA = (...clauses: string[]) => ({
  'instruments/a.yaml': instrument({ id: 'a', parties: '[KR, KH]' }, ...clauses),
});

const at = (line: number, message: string): Problem => ({ file: 'instruments/a.yaml', line, message });

describe('ids and owners not on the first line of their file or item', () => {
  // MLAT with `title` first: the id is on line 3, the document starts on line 2.
  const TITLE_FIRST = MLAT.replace(
    'id: kr-kh-test\ntitle: KR–KH Test MLAT\n',
    'title: KR–KH Test MLAT\nid: kr-kh-test\n',
  );

  test('a duplicate agreement id is reported at the id', () => {
    expect(problemsOf({ 'instruments/a.yaml': MLAT, 'instruments/b.yaml': TITLE_FIRST })).toEqual([
      {
        file: 'instruments/b.yaml',
        line: 3,
        message: "duplicate agreement id 'kr-kh-test' (also in <set>/instruments/a.yaml)",
      },
    ]);
  });

  const titleFirstGate = (owner: string) =>
    `title: ${owner} gate\nowner: ${owner}\nlaw: Act\ngrounds:\n  - id: any\n    citation: art. 1\n`;

  test('a second gate and an unknown gate owner are reported at the owner', () => {
    expect(
      problemsOf({
        'instruments/a.yaml': MLAT,
        'domestic/a.yaml': titleFirstGate('KR'),
        'domestic/b.yaml': titleFirstGate('KR'),
        'domestic/c.yaml': titleFirstGate('QQ'),
      }),
    ).toEqual([
      {
        file: 'domestic/b.yaml',
        line: 2,
        message: 'second domestic gate for KR (first in <set>/domestic/a.yaml)',
      },
      { file: 'domestic/c.yaml', line: 2, message: "unknown party 'QQ' (members: KR, KH, TH)" },
    ]);
  });

  const gate = (items: string) => `owner: KR\ntitle: KR gate\nlaw: Act\n${items}`;

  test("a ground id used twice in grounds: at the second one's id, not its item", () => {
    const text = gate('grounds:\n  - citation: art. 1\n    id: g\n  - citation: art. 2\n    id: g\n');
    expect(problemsOf({ 'instruments/a.yaml': MLAT, 'domestic/kr.yaml': text })).toEqual([
      { file: 'domestic/kr.yaml', line: 8, message: "duplicate ground id 'g'" },
    ]);
  });

  test("a requirement reusing a ground's id: at the first requirement's id", () => {
    const text = gate(
      'grounds:\n  - citation: art. 1\n    id: g\nrequirements:\n  - citation: art. 2\n    id: g\n',
    );
    expect(problemsOf({ 'instruments/a.yaml': MLAT, 'domestic/kr.yaml': text })).toEqual([
      { file: 'domestic/kr.yaml', line: 9, message: "duplicate ground id 'g'" },
    ]);
  });

  test("a member listed twice: at the second one's code, not its item", () => {
    // MEMBERS has ten lines: the repeated member's item starts on line 11, its code is on line 12.
    const members = `${MEMBERS}  - name: Korea again\n    code: KR\n    domesticGate: optional\n`;
    expect(problemsOf({ 'members.yaml': members, 'instruments/a.yaml': MLAT })).toEqual([
      { file: 'members.yaml', line: 12, message: "duplicate member 'KR'" },
    ]);
  });

  test("a clause id used twice: at the second clause's id, not its item", () => {
    const clause = (citation: string) =>
      `  - citation: ${citation}\n    id: "1"\n    basis: MLAT\n    purposes: [investigation]\n    categories:\n      person.identity: release\n    direction: both\n    conditions:\n      requestReference: true\n${OBLIGATIONS}`;
    // The first clause takes lines 10-24 (nine lines and six of obligations); the second starts on 25.
    expect(problemsOf(agreementA(clause('art. 1'), clause('art. 2')))).toEqual([
      at(26, "duplicate clause id '1'"),
    ]);
  });
});

describe('a set whose members could not be read', () => {
  // Without a readable members list no party can be checked: only the members' own problem is reported.
  test('members.yaml missing', () => {
    const dir = writeSet({ 'instruments/a.yaml': MLAT });
    expect(() => loadAgreementSet(dir)).toThrow(
      new AgreementSetError(dir, [
        { file: `${dir}/members.yaml`, line: 1, message: 'missing: the set must list its members' },
      ]),
    );
  });

  test('members.yaml failing its schema', () => {
    const members = MEMBERS.replace('    domesticGate: optional\n', '    domesticGate: maybe\n');
    expect(problemsOf({ 'members.yaml': members, 'instruments/a.yaml': MLAT })).toEqual([
      {
        file: 'members.yaml',
        line: 4,
        message:
          "members[0].domesticGate: unknown domestic gate requirement 'maybe' (one of: required, optional)",
      },
    ]);
  });
});

describe('dates in force, at the date written', () => {
  // MLAT: line 9 `from`, line 10 `until`.
  test('a from that is no calendar date, written after until', () => {
    const text = MLAT.replace(
      '  from: 2020-01-01\n  until: 2030-12-31\n',
      '  until: 2030-12-31\n  from: 2020-02-30\n',
    );
    expect(problemsOf({ 'instruments/a.yaml': text })).toEqual([
      at(10, "'2020-02-30' is not a calendar date"),
    ]);
  });

  test('an until that is no calendar date', () => {
    expect(
      problemsOf({ 'instruments/a.yaml': MLAT.replace('until: 2030-12-31', 'until: 2030-02-30') }),
    ).toEqual([at(10, "'2030-02-30' is not a calendar date")]);
  });

  test('an until before from', () => {
    expect(
      problemsOf({ 'instruments/a.yaml': MLAT.replace('until: 2030-12-31', 'until: 2019-12-31') }),
    ).toEqual([at(10, 'inForce.until 2019-12-31 is before inForce.from 2020-01-01')]);
  });
});

describe("a clause's problems, at the field or key they are about", () => {
  /** An MLAT clause `1` from its categories, direction and conditions lines (obligations H1, forbidden). */
  const mlat = (parts: { purposes?: string; categories?: string; direction?: string; conditions?: string }) =>
    `  - id: "1"\n    citation: art. 1\n    basis: MLAT\n    purposes: ${parts.purposes ?? '[investigation]'}\n    categories:\n${parts.categories ?? '      person.identity: release\n'}    direction: ${parts.direction ?? 'both'}\n    conditions:\n${parts.conditions ?? '      requestReference: true\n'}${OBLIGATIONS}`;
  // Lines of mlat({}): 10 `- id`, 11 citation, 12 basis, 13 purposes, 14 categories:, 15 person.identity,
  // 16 direction, 17 conditions:, 18 requestReference, 19-24 obligations.

  test('a direction naming a country that is not a party: at the country', () => {
    const clause = mlat({ direction: '\n      from: [KR]\n      to:\n        - KH\n        - TH' });
    // 16 direction:, 17 from, 18 to:, 19 KH, 20 TH.
    expect(problemsOf(agreementA(clause))).toEqual([
      at(20, "clause '1': direction names TH, who is not a party to a (KR, KH)"),
    ]);
  });

  test('a direction that moves nothing: at the direction; one that moves something is fine', () => {
    expect(problemsOf(agreementA(mlat({ direction: '{ from: [KR], to: [KR] }' })))).toEqual([
      at(16, "clause '1': direction lets no data go from one country to another"),
    ]);
    expect(problemsOf(agreementA(mlat({ direction: '{ from: [KR], to: [KR, KH] }' })))).toEqual([]);
  });

  test('a missing required condition: at the conditions', () => {
    const clause = mlat({ conditions: '      warrantReference: true\n' }).replace(
      '    conditions:\n      warrantReference: true\n',
      '    conditions: { warrantReference: true }\n',
    );
    expect(problemsOf(agreementA(clause))).toEqual([
      at(
        17,
        "clause '1': a MLAT clause needs the condition 'requestReference' (docs/domain.md#kinds-of-legal-basis)",
      ),
    ]);
  });

  test('a HIT_ONLY clause releasing a category: at the category, not at its mode on the line below', () => {
    const clause = `  - id: "1"\n    citation: art. 1\n    basis: HIT_ONLY\n    purposes: [investigation]\n    categories:\n      person.identity: hit-only\n      person.location:\n        release\n    direction: both\n${OBLIGATIONS}`;
    // 14 categories:, 15 person.identity, 16 person.location:, 17 release.
    expect(problemsOf(agreementA(clause))).toEqual([
      at(16, "clause '1': a HIT_ONLY clause can only give hit-only, not release for person.location"),
    ]);
  });

  test.each([
    [
      'an emergency condition outside an EMERGENCY clause',
      '      emergency:\n        maxDurationHours: 12\n',
      "clause '1': only an EMERGENCY clause takes an emergency condition",
    ],
    [
      'notice colours without the notice condition',
      '      noticeColours:\n        - red\n',
      "clause '1': noticeColours says which notices meet the interpolNotice condition: set interpolNotice: true as well",
    ],
    [
      'a joint team outside a JIT clause',
      '      jointTeam:\n        id: T-9\n        members: { KR: [kim.j] }\n        operation: OP\n        validFrom: 2020-01-01\n        validUntil: 2020-12-31\n',
      "clause '1': only a JIT clause takes a joint-team condition",
    ],
  ])('%s: at its key (line 19), not at the value below it', (_label, condition, message) => {
    // 17 conditions:, 18 requestReference, 19 the condition's key, 20 the first line of its value.
    const clause = mlat({ conditions: `      requestReference: true\n${condition}` });
    expect(problemsOf(agreementA(clause))).toEqual([at(19, message)]);
  });

  test("a bound of the kind that names a category: at the category's key", () => {
    const clause = mlat({
      categories: '      person.identity: release\n      telecom.content:\n        release\n',
    });
    // 15 person.identity, 16 telecom.content:, 17 release.
    expect(problemsOf(agreementA(clause))).toEqual([
      at(
        16,
        "clause '1': telecom.content may only be covered by an MLAT clause with both requestReference and warrantReference (a judicial order) conditions (bound of the kind)",
      ),
    ]);
  });

  test('strategic analysis on personal data: at the category, naming the categories it may take', () => {
    const clause = mlat({
      purposes: '[strategic_analysis]',
      categories: '      case.summary: release\n      person.identity:\n        release\n',
    });
    // 15 case.summary, 16 person.identity:, 17 release.
    expect(problemsOf(agreementA(clause))).toEqual([
      at(
        16,
        "clause '1': strategic_analysis takes no personal data, so it cannot cover person.identity (only compound.location, case.reference, case.summary); put it in a separate clause",
      ),
    ]);
  });

  const withObligations = (handlingCode: string, onwardTransfer: string) =>
    mlat({}).replace(
      OBLIGATIONS,
      `    obligations:\n      handlingCode: ${handlingCode}\n      onwardTransfer: ${onwardTransfer}\n      evidentiaryUse: forbidden\n      retentionDays: 365\n      notifySource: false\n`,
    );

  test('handling code H2 with onward transfer allowed: at onwardTransfer; H1 allows it', () => {
    // 19 obligations:, 20 handlingCode, 21 onwardTransfer.
    expect(problemsOf(agreementA(withObligations('H2', 'allowed')))).toEqual([
      at(
        21,
        "clause '1': handling code H2 (no dissemination without permission) contradicts onwardTransfer 'allowed'",
      ),
    ]);
    expect(problemsOf(agreementA(withObligations('H1', 'allowed')))).toEqual([]);
  });
});

describe('joint teams, at the team field', () => {
  /** A JIT clause whose team lists its members before its id. */
  const jit = (id: string, team: { members?: string; operation?: string; from: string; until: string }) =>
    `  - id: "${id}"\n    citation: art. ${id}\n    basis: JIT\n    purposes: [investigation]\n    categories:\n      person.location: release\n    direction: both\n    conditions:\n      jointTeam:\n${team.members ?? '        members: { KR: [kim.j], KH: [sok.r] }\n'}        id: T-1\n        operation: ${team.operation ?? 'OP'}\n        validFrom: ${team.from}\n        validUntil: ${team.until}\n${OBLIGATIONS}`;
  // Lines of jit() as the first clause: 10 `- id`, 17 conditions:, 18 jointTeam:, 19 members, 20 id,
  // 21 operation, 22 validFrom, 23 validUntil, 24-29 obligations. A second clause starts on line 30.
  const team2021 = { from: '2021-01-01', until: '2021-12-31' };

  test("defined by another agreement: at the team's id", () => {
    expect(
      problemsOf({
        'instruments/a.yaml': instrument({ id: 'a', parties: '[KR, KH]' }, jit('1', team2021)),
        'instruments/b.yaml': instrument({ id: 'b', parties: '[KR, KH]' }, jit('1', team2021)),
      }),
    ).toEqual([
      {
        file: 'instruments/b.yaml',
        line: 20,
        message: "clause '1': joint team 'T-1' is already defined by a",
      },
    ]);
  });

  test("defined differently in another clause: at the second team's id", () => {
    expect(problemsOf(agreementA(jit('1', team2021), jit('2', { ...team2021, operation: 'OTHER' })))).toEqual(
      [at(40, "clause '2': joint team 'T-1' is defined differently in another clause (use one YAML anchor)")],
    );
  });

  test('a member country that is not a party: at the country, not at its analysts below', () => {
    const members = '        members:\n          KR: [kim.j]\n          TH:\n            - tan.s\n';
    // 19 members:, 20 KR, 21 TH:, 22 tan.s.
    expect(problemsOf(agreementA(jit('1', { ...team2021, members })))).toEqual([
      at(21, "clause '1': joint-team member country TH is not a party to a"),
    ]);
  });

  test('a team of one day', () => {
    expect(problemsOf(agreementA(jit('1', { from: '2021-06-01', until: '2021-06-01' })))).toEqual([]);
  });

  test('a date that does not exist: that problem only, though the other date is outside the agreement', () => {
    const until2030 = (clause: string) => ({
      'instruments/a.yaml': instrument({ id: 'a', parties: '[KR, KH]', until: '2030-12-31' }, clause),
    });
    // With `until` in the header, the clause starts on line 11: validFrom on 23, validUntil on 24.
    expect(problemsOf(until2030(jit('1', { from: '2021-02-30', until: '2031-01-01' })))).toEqual([
      at(23, "clause '1': '2021-02-30' is not a calendar date"),
    ]);
    expect(problemsOf(until2030(jit('1', { from: '2019-12-31', until: '2021-04-31' })))).toEqual([
      at(24, "clause '1': '2021-04-31' is not a calendar date"),
    ]);
  });
});
