/**
 * loadAgreementSet: a valid set loads with a stable revision; an invalid one is refused with every
 * problem, each naming file, line and what is wrong (with the nearest valid names).
 */
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  AgreementSetError,
  DEFAULT_AGREEMENTS_DIR,
  loadAgreementSet,
  SCHEMA_FILES,
  type Problem,
} from '../../policy';
import { schemaFileText } from '../../policy/cli';
import { MEMBERS as REGISTRY } from '../../schema/members';
import { instrument, MEMBERS, MLAT, OBLIGATIONS, removeSets, writeSet } from './fixtureSet';

afterAll(removeSets);

function problemsOf(files: Record<string, string>): Problem[] {
  const dir = writeSet(files);
  try {
    loadAgreementSet(dir);
  } catch (error) {
    if (!(error instanceof AgreementSetError)) throw error;
    return error.problems.map((problem) => ({ ...problem, file: problem.file.slice(dir.length + 1) }));
  }
  throw new Error('expected the set to be refused');
}

/** The MLAT fixture with one line replaced. */
function mlatWith(from: string, to: string): string {
  expect(MLAT).toContain(from);
  return MLAT.replace(from, to);
}

describe('a valid set', () => {
  test('loads, with a sha256 revision', () => {
    const set = loadAgreementSet(writeSet({ 'members.yaml': MEMBERS, 'instruments/a.yaml': MLAT }));
    expect(set.revision).toMatch(/^[0-9a-f]{64}$/);
    expect(set.agreements.map((agreement) => agreement.id)).toEqual(['kr-kh-test']);
    expect(set.agreements[0]!.clauses[0]!.source.line).toBe(14);
  });

  test('the revision is stable: comments, key order, flow style and file names do not change it', () => {
    const revision = loadAgreementSet(
      writeSet({ 'members.yaml': MEMBERS, 'instruments/a.yaml': MLAT }),
    ).revision;
    const restyled = MLAT.replace('# a test instrument\n', '# reviewed 2026-06-01\n')
      .replace('    purposes: [investigation]\n', '    purposes:\n      - investigation # the only one\n')
      .replace('title: KR–KH Test MLAT\nkind: bilateral\n', 'kind: bilateral\ntitle: "KR–KH Test MLAT"\n');
    expect(restyled).not.toBe(MLAT);
    expect(
      loadAgreementSet(writeSet({ 'members.yaml': MEMBERS, 'instruments/renamed.yml': restyled })).revision,
    ).toBe(revision);
    expect(loadAgreementSet(writeSet({ 'members.yaml': MEMBERS, 'instruments/a.yaml': MLAT })).revision).toBe(
      revision,
    );
  });

  test.each([
    ['retention', 'retentionDays: 365', 'retentionDays: 366'],
    ['a category mode', 'person.identity: release', 'person.identity: hit-only'],
    ['the end of the window', 'until: 2030-12-31', 'until: 2030-12-30'],
    ['a citation', 'citation: art. 1', 'citation: art. 2'],
  ])('changing %s changes the revision', (_what, from, to) => {
    const before = loadAgreementSet(
      writeSet({ 'members.yaml': MEMBERS, 'instruments/a.yaml': MLAT }),
    ).revision;
    const after = loadAgreementSet(
      writeSet({ 'members.yaml': MEMBERS, 'instruments/a.yaml': mlatWith(from, to) }),
    ).revision;
    expect(after).not.toBe(before);
  });
});

describe('an invalid set is refused, naming file and line', () => {
  const refused = (file: string, text: string): Problem[] =>
    problemsOf({ 'members.yaml': MEMBERS, [`instruments/${file}`]: text });

  test('bad YAML', () => {
    expect(refused('a.yaml', mlatWith('parties: [KR, KH]', 'parties: [KR, KH'))).toEqual([
      expect.objectContaining({
        file: 'instruments/a.yaml',
        line: expect.any(Number),
        message: expect.stringMatching(/^YAML syntax: /),
      }),
    ]);
  });

  test('a duplicate key is a syntax problem', () => {
    expect(
      refused('a.yaml', mlatWith('    citation: art. 1\n', '    citation: art. 1\n    citation: art. 2\n')),
    ).toEqual([
      expect.objectContaining({
        file: 'instruments/a.yaml',
        line: 16,
        message: expect.stringContaining('YAML syntax'),
      }),
    ]);
  });

  test('a missing required field (the clause citation)', () => {
    expect(refused('a.yaml', mlatWith('    citation: art. 1\n', ''))).toEqual([
      {
        file: 'instruments/a.yaml',
        line: 14,
        message: "clauses[0]: missing required field 'citation' in clause",
      },
    ]);
  });

  test('an unknown field, with a suggestion', () => {
    expect(refused('a.yaml', mlatWith('    conditions:', '    conditons:'))).toEqual(
      expect.arrayContaining([
        {
          file: 'instruments/a.yaml',
          line: 21,
          message: "clauses[0]: unknown field 'conditons' in clause (did you mean conditions?)",
        },
      ]),
    );
  });

  test('an unknown category, with a suggestion', () => {
    expect(refused('a.yaml', mlatWith('person.identity: release', 'person.identiy: release'))).toEqual([
      {
        file: 'instruments/a.yaml',
        line: 19,
        message: "clauses[0].categories: unknown category 'person.identiy' (did you mean person.identity?)",
      },
    ]);
  });

  test('an unknown purpose, with a suggestion', () => {
    expect(refused('a.yaml', mlatWith('[investigation]', '[investigaton]'))).toEqual([
      {
        file: 'instruments/a.yaml',
        line: 17,
        message: "clauses[0].purposes[0]: unknown purpose 'investigaton' (did you mean investigation?)",
      },
    ]);
  });

  test('an unknown legal-basis kind, with a suggestion', () => {
    expect(refused('a.yaml', mlatWith('basis: MLAT', 'basis: MLATT'))).toEqual([
      {
        file: 'instruments/a.yaml',
        line: 16,
        message: "clauses[0].basis: unknown legal-basis kind 'MLATT' (did you mean MLAT?)",
      },
    ]);
  });

  test('an unknown category mode lists the valid ones', () => {
    expect(refused('a.yaml', mlatWith('person.identity: release', 'person.identity: full'))).toEqual([
      {
        file: 'instruments/a.yaml',
        line: 19,
        message:
          "clauses[0].categories.person.identity: unknown category mode 'full' (one of: release, hit-only)",
      },
    ]);
  });

  test('meta.reference is implied, not listed', () => {
    expect(
      refused(
        'a.yaml',
        mlatWith(
          '      person.identity: release\n',
          '      person.identity: release\n      meta.reference: release\n',
        ),
      ),
    ).toEqual([
      expect.objectContaining({ line: 20, message: expect.stringContaining('meta.reference is implied') }),
    ]);
  });

  test('an unknown party lists the members', () => {
    expect(refused('a.yaml', mlatWith('parties: [KR, KH]', 'parties: [KR, KP]'))).toEqual([
      {
        file: 'instruments/a.yaml',
        line: 5,
        message: "unknown party 'KP' (did you mean KH, KR? members: KR, KH, TH)",
      },
    ]);
  });

  test('a date that does not exist, and one in the wrong shape', () => {
    expect(refused('a.yaml', mlatWith('from: 2020-01-01', 'from: 2020-02-30'))).toEqual([
      { file: 'instruments/a.yaml', line: 9, message: "'2020-02-30' is not a calendar date" },
    ]);
    expect(refused('a.yaml', mlatWith('from: 2020-01-01', 'from: 2020-1-1'))).toEqual([
      expect.objectContaining({
        line: 9,
        message: expect.stringContaining(
          "inForce.from: '2020-1-1' is not a valid date (ISO 8601 calendar date, YYYY-MM-DD",
        ),
      }),
    ]);
  });

  test('until before from', () => {
    expect(refused('a.yaml', mlatWith('until: 2030-12-31', 'until: 2019-12-31'))).toEqual([
      {
        file: 'instruments/a.yaml',
        line: 10,
        message: 'inForce.until 2019-12-31 is before inForce.from 2020-01-01',
      },
    ]);
  });

  test('duplicate agreement ids across files, duplicate clause ids in a file', () => {
    const twoClauses = MLAT.replace(
      'clauses:\n',
      `clauses:\n  - id: records\n    citation: art. 9\n    basis: MLAT\n    purposes: [investigation]\n    categories:\n      person.identity: release\n    direction: both\n    conditions:\n      requestReference: true\n${OBLIGATIONS}`,
    );
    expect(
      problemsOf({ 'members.yaml': MEMBERS, 'instruments/a.yaml': MLAT, 'instruments/b.yaml': twoClauses }),
    ).toEqual([
      {
        file: 'instruments/b.yaml',
        line: 2,
        message: expect.stringMatching(/^duplicate agreement id 'kr-kh-test' \(also in .*a\.yaml\)$/),
      },
      { file: 'instruments/b.yaml', line: 29, message: "duplicate clause id 'records'" },
    ]);
  });

  test('every problem of every file at once, sorted by file and line', () => {
    const problems = problemsOf({
      'members.yaml': MEMBERS,
      'instruments/a.yaml': mlatWith('basis: MLAT', 'basis: MLA'),
      'instruments/b.yaml': mlatWith('id: kr-kh-test', 'id: other')
        .replace('parties: [KR, KH]', 'parties: [KR, XX]')
        .replace('until: 2030-12-31', 'until: 2010-01-01'),
      'instruments/c.yaml': 'id: [',
    });
    expect(problems.map((problem) => `${problem.file}:${problem.line}`)).toEqual([
      'instruments/a.yaml:16',
      'instruments/b.yaml:5',
      'instruments/b.yaml:10',
      'instruments/c.yaml:1',
    ]);
  });

  test('the error message lists every problem as file:line: message', () => {
    const dir = writeSet({
      'members.yaml': MEMBERS,
      'instruments/a.yaml': mlatWith('basis: MLAT', 'basis: MLA'),
    });
    expect(() => loadAgreementSet(dir)).toThrow(
      new AgreementSetError(dir, [
        {
          file: join(dir, 'instruments/a.yaml'),
          line: 16,
          message: "clauses[0].basis: unknown legal-basis kind 'MLA' (did you mean MLAT?)",
        },
      ]).message,
    );
  });
});

describe('the rules a clause must keep (cross-checks)', () => {
  const clause = (body: string): string =>
    instrument(
      { id: 'kr-kh-x', parties: '[KR, KH]' },
      `  - id: c\n    citation: art. 1\n${body}${OBLIGATIONS}`,
    );
  const messages = (text: string): string[] =>
    problemsOf({ 'members.yaml': MEMBERS, 'instruments/x.yaml': text }).map((problem) => problem.message);

  test.each([
    ['an MLAT clause needs a request reference', 'basis: MLAT', '', "needs the condition 'requestReference'"],
    [
      'a police clause needs a case reference',
      'basis: POLICE_COOPERATION',
      '',
      "needs the condition 'caseReference'",
    ],
    [
      'an extradition clause needs a warrant',
      'basis: EXTRADITION',
      '',
      "needs the condition 'warrantReference'",
    ],
    [
      'an INTERPOL clause needs a notice',
      'basis: INTERPOL_NOTICE',
      '',
      "needs the condition 'interpolNotice'",
    ],
    [
      'invariant 2: content only under an MLAT',
      'basis: POLICE_COOPERATION',
      '      caseReference: true\n',
      'telecom.content may only be covered by an MLAT clause',
      'telecom.content: release',
    ],
    [
      'invariant 5: no financial data in an emergency',
      'basis: EMERGENCY',
      '      emergency: { maxDurationHours: 24 }\n',
      'may cover only victim.identity, victim.location, person.location, not financial.accounts',
      'financial.accounts: release',
    ],
    ['a HIT_ONLY clause gives hits only', 'basis: HIT_ONLY', '', 'a HIT_ONLY clause can only give hit-only'],
    [
      'strategic analysis takes no personal data',
      'basis: MLAT',
      '      requestReference: true\n',
      'strategic_analysis takes no personal data',
      'person.identity: release',
      '[strategic_analysis]',
    ],
  ])(
    '%s',
    (
      _label,
      basis,
      conditions,
      expected,
      category = 'person.identity: release',
      purposes = '[investigation]',
    ) => {
      const body = `    ${basis}\n    purposes: ${purposes}\n    categories:\n      ${category}\n    direction: both\n${conditions ? `    conditions:\n${conditions}` : ''}`;
      expect(messages(clause(body))).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
    },
  );

  test('direction names a country that is not a party', () => {
    const body =
      '    basis: MLAT\n    purposes: [investigation]\n    categories:\n      person.identity: release\n    direction: { from: [KR], to: [TH] }\n    conditions:\n      requestReference: true\n';
    expect(messages(clause(body))).toEqual([
      "clause 'c': direction names TH, who is not a party to kr-kh-x (KR, KH)",
    ]);
  });

  test('a direction that is neither both nor from/to', () => {
    const body =
      '    basis: MLAT\n    purposes: [investigation]\n    categories:\n      person.identity: release\n    direction: either\n    conditions:\n      requestReference: true\n';
    expect(messages(clause(body))).toEqual([
      expect.stringContaining(
        'clauses[0].direction: "either" is not a valid direction. Whose data may go to whom: \'both\'',
      ),
    ]);
  });

  test('H2 data cannot be passed on freely', () => {
    const text = MLAT.replace('onwardTransfer: with_consent', 'onwardTransfer: allowed');
    expect(messages(text)).toEqual([
      "clause 'records': handling code H2 (no dissemination without permission) contradicts onwardTransfer 'allowed'",
    ]);
  });

  test('an emergency lasts at most 24 hours', () => {
    const body =
      '    basis: EMERGENCY\n    purposes: [victim_rescue]\n    categories:\n      victim.location: release\n    direction: both\n    conditions:\n      emergency: { maxDurationHours: 48 }\n';
    expect(messages(clause(body))).toEqual(
      expect.arrayContaining([expect.stringContaining('maxDurationHours: must be <= 24')]),
    );
  });

  test('a joint team: member countries are parties, its window inside the agreement', () => {
    const body = `    basis: JIT
    purposes: [investigation]
    categories:
      person.location: release
    direction: both
    conditions:
      jointTeam:
        id: T-1
        members: { KR: [kim.j], TH: [somchai.k] }
        operation: OP
        validFrom: 2019-06-01
        validUntil: 2020-06-01
`;
    expect(messages(clause(body))).toEqual([
      "clause 'c': the team's window 2019-06-01..2020-06-01 is not inside the agreement's time in force",
      "clause 'c': joint-team member country TH is not a party to kr-kh-x",
    ]);
  });

  test('a joint-team member country that is not a country code, at the line of the name', () => {
    const body = `    basis: JIT
    purposes: [investigation]
    categories:
      person.location: release
    direction: both
    conditions:
      jointTeam:
        id: T-1
        members:
          KR: [kim.j]
          kh: [sok.r]
        operation: OP
        validFrom: 2020-06-01
        validUntil: 2021-06-01
`;
    expect(problemsOf({ 'members.yaml': MEMBERS, 'instruments/x.yaml': clause(body) })).toEqual([
      {
        file: 'instruments/x.yaml',
        line: 22,
        message:
          "clauses[0].conditions.jointTeam.members: 'kh' is not a valid country code (ISO 3166-1 alpha-2 code of an alliance member (agreements/members.yaml).)",
      },
    ]);
  });

  test('members: a required domestic gate must exist, and a gate names a known owner', () => {
    const members = MEMBERS.replace('domesticGate: optional', 'domesticGate: required');
    const gate =
      'owner: XX\ntitle: XX gate\nlaw: XX act\ngrounds:\n  - id: g\n    citation: art. 1\n    bases: [MLATT]\n';
    expect(
      problemsOf({ 'members.yaml': members, 'instruments/a.yaml': MLAT, 'domestic/xx.yaml': gate }),
    ).toEqual([
      {
        file: 'domestic/xx.yaml',
        line: 7,
        message: "grounds[0].bases[0]: unknown legal-basis kind 'MLATT' (did you mean MLAT?)",
      },
      {
        file: 'members.yaml',
        line: 4,
        message: 'KR requires a domestic gate, but agreements/domestic/ has none for it',
      },
    ]);
    expect(
      problemsOf({
        'members.yaml': MEMBERS,
        'instruments/a.yaml': MLAT,
        'domestic/xx.yaml': gate.replace('MLATT', 'MLAT'),
      }),
    ).toEqual([{ file: 'domestic/xx.yaml', line: 1, message: "unknown party 'XX' (members: KR, KH, TH)" }]);
  });

  test('no members file, no instruments', () => {
    expect(problemsOf({ 'domestic/.keep': '' })).toEqual([
      {
        file: 'instruments',
        line: 1,
        message: 'no instruments (*.yaml) found: a set without agreements allows nothing',
      },
      { file: 'members.yaml', line: 1, message: 'missing: the set must list its members' },
    ]);
  });
});

describe('the shipped set (agreements/)', () => {
  const files = (sub: string): string[] =>
    readdirSync(join(DEFAULT_AGREEMENTS_DIR, sub)).map((name) => join(DEFAULT_AGREEMENTS_DIR, sub, name));

  test('loads, and loading is repeatable', () => {
    expect(loadAgreementSet(DEFAULT_AGREEMENTS_DIR).revision).toBe(
      loadAgreementSet(DEFAULT_AGREEMENTS_DIR).revision,
    );
  });

  test('every file names its schema for editors and says its contents are ILLUSTRATIVE', () => {
    for (const file of [...files('instruments'), ...files('domestic')]) {
      const text = readFileSync(file, 'utf8');
      const schema = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text)?.[1];
      expect({ file, schema }).toEqual({ file, schema: expect.stringMatching(/schema\.json$/) });
      expect(readFileSync(join(file, '..', schema!), 'utf8').length).toBeGreaterThan(0);
      expect(text).toMatch(/ILLUSTRATIVE — NOT LEGAL ADVICE/);
      expect(text).toMatch(/^disclaimer: "ILLUSTRATIVE: /m);
    }
  });

  test('the published JSON Schemas are generated from the vocabulary and current (npx tsx policy/cli.ts schemas)', () => {
    for (const name of Object.keys(SCHEMA_FILES)) {
      expect({ name, text: readFileSync(join(DEFAULT_AGREEMENTS_DIR, name), 'utf8') }).toEqual({
        name,
        text: schemaFileText(name),
      });
    }
  });

  test('members.yaml lists the members of the registry (schema/members.ts)', () => {
    expect(loadAgreementSet(DEFAULT_AGREEMENTS_DIR).members.map((member) => member.code)).toEqual(
      REGISTRY.map((member) => member.code),
    );
  });

  test('without the KR gate the shipped set is refused (invariant 6)', () => {
    const dir = writeSet({});
    cpSync(DEFAULT_AGREEMENTS_DIR, dir, { recursive: true });
    rmSync(join(dir, 'domestic', 'kr-pipa.yaml'));
    expect(() => loadAgreementSet(dir)).toThrow('KR requires a domestic gate');
  });
});
