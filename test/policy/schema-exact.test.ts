/**
 * Schema problems word for word (policy/validateSchema.ts) and the YAML reader's lines and syntax messages
 * (policy/yamlSource.ts): several problems in one file, the article of a type, a failed `direction` next
 * to another problem, top-level problems, JSON Pointer escapes and indices in a path, and whether a problem
 * points at a key or at its value when the value is written on the line below. Expected texts and lines
 * are written by hand.
 */
import {
  AGREEMENT_SCHEMA,
  DOMESTIC_GATE_SCHEMA,
  MEMBERS_SCHEMA,
  validateSchema,
  YamlSource,
  type Problem,
} from '../../policy';

type Schema = Parameters<typeof validateSchema>[1];

const problemsOf = (text: string, schema: Schema = AGREEMENT_SCHEMA): Problem[] =>
  validateSchema(new YamlSource('f.yaml', text), schema);

const at = (line: number, message: string): Problem => ({ file: 'f.yaml', line, message });

/** A valid agreement (lines 1-9 the header, 10-22 one clause) with `change` applied to its text. */
const agreement = (change: (text: string) => string = (text) => text): string =>
  change(`id: a
title: A
kind: bilateral
parties: [KR, KH]
instrument:
  citation: A treaty
inForce:
  from: 2020-01-01
clauses:
  - id: c
    citation: art. 1
    basis: MLAT
    purposes: [investigation]
    categories:
      person.identity: release
    direction: both
    conditions:
      requestReference: true
    obligations:
      handlingCode: H1
      onwardTransfer: forbidden
      evidentiaryUse: forbidden
      retentionDays: 365
      notifySource: false
`);

/** Replaces the clause's `requestReference: true` line (18) by `lines`. */
const conditions = (lines: string) =>
  agreement((text) => text.replace('      requestReference: true\n', lines));

/** The clause's conditions hold a joint team whose `members` (line 20 on) are `members`. */
const teamMembers = (members: string) =>
  conditions(
    `      jointTeam:\n        id: T\n        members:\n${members}        operation: OP\n        validFrom: 2020-01-01\n        validUntil: 2020-02-01\n`,
  );

test('the valid agreement has no problem', () => {
  expect(problemsOf(agreement())).toEqual([]);
});

describe('several problems in one file', () => {
  test('each reported, in the order of the schema, with its own line', () => {
    expect(
      problemsOf(
        agreement((text) =>
          text.replace('title: A', 'title: 7').replace('kind: bilateral', 'kind: trilateral'),
        ),
      ),
    ).toEqual([
      at(2, 'title: must be a string'),
      at(3, "kind: unknown agreement kind 'trilateral' (did you mean bilateral, multilateral?)"),
    ]);
  });

  test('a direction that is neither form, next to another problem: both are reported', () => {
    expect(
      problemsOf(
        agreement((text) =>
          text
            .replace('kind: bilateral', 'kind: tri')
            .replace('direction: both', 'direction: { from: [KR] }'),
        ),
      ),
    ).toEqual([
      at(3, "kind: unknown agreement kind 'tri' (one of: bilateral, multilateral)"),
      at(
        16,
        `clauses[0].direction: {"from":["KR"]} is not a valid direction. Whose data may go to whom: 'both' (any party to any other party) or { from: [...], to: [...] }.`,
      ),
    ]);
  });
});

describe('types, with their article', () => {
  test.each([
    [
      'an object',
      '      requestReference: true\n      emergency: 5\n',
      at(19, 'clauses[0].conditions.emergency: must be an object'),
    ],
    [
      'a boolean',
      '      requestReference: yes\n',
      at(18, 'clauses[0].conditions.requestReference: must be a boolean'),
    ],
  ])('must be %s', (_label, lines, problem) => {
    expect(problemsOf(conditions(lines))).toEqual([problem]);
  });

  test('must be an integer', () => {
    expect(problemsOf(agreement((text) => text.replace('retentionDays: 365', 'retentionDays: 1.5')))).toEqual(
      [at(23, 'clauses[0].obligations.retentionDays: must be an integer')],
    );
  });

  test('must be an array, in a gate', () => {
    expect(problemsOf('owner: KR\ntitle: KR gate\nlaw: Act\ngrounds: any\n', DOMESTIC_GATE_SCHEMA)).toEqual([
      at(4, 'grounds: must be an array'),
    ]);
  });
});

describe('the top level', () => {
  test('a file that is a list, not a mapping', () => {
    expect(problemsOf('# a list\n- 1\n- 2\n')).toEqual([at(2, '(top level): must be an object')]);
  });

  test('missing fields: each at the first line of the document', () => {
    expect(problemsOf('# only an id\nid: a\n')).toEqual(
      ['title', 'kind', 'parties', 'instrument', 'inForce', 'clauses'].map((field) =>
        at(2, `(top level): missing required field '${field}' in agreement`),
      ),
    );
  });

  test("a missing field is reported at its object even if that object holds a key named 'undefined'", () => {
    const text = agreement((text) => text.replace('    citation: art. 1\n', '    undefined: art. 1\n'));
    expect(problemsOf(text)).toEqual([
      at(10, "clauses[0]: missing required field 'citation' in clause"),
      at(11, "clauses[0]: unknown field 'undefined' in clause"),
    ]);
  });
});

describe('meta.reference', () => {
  test('listed among categories: at its key, not at its mode on the line below', () => {
    const text = agreement((text) =>
      text.replace(
        '      person.identity: release\n',
        '      person.identity: release\n      meta.reference:\n        release\n',
      ),
    );
    expect(problemsOf(text)).toEqual([
      at(
        16,
        'clauses[0].categories: meta.reference is implied (it goes wherever any category goes) and is not listed',
      ),
    ]);
  });

  test('outside categories it is an unknown field like any other', () => {
    expect(problemsOf(conditions('      requestReference: true\n      meta.reference: true\n'))).toEqual([
      at(
        19,
        "clauses[0].conditions: unknown field 'meta.reference' in conditions (did you mean caseReference, requestReference, warrantReference?)",
      ),
    ]);
  });
});

describe('a value written on the line below its key', () => {
  test('an unknown enum value: at the value', () => {
    expect(problemsOf(agreement((text) => text.replace('kind: bilateral', 'kind:\n  trilateral')))).toEqual([
      at(4, "kind: unknown agreement kind 'trilateral' (did you mean bilateral, multilateral?)"),
    ]);
  });

  test('a value not matching its pattern: at the value', () => {
    expect(problemsOf(agreement((text) => text.replace('id: a\n', 'id:\n  A_1\n')))).toEqual([
      at(2, "id: 'A_1' is not a valid id (Lower-case letters, digits, dots and dashes.)"),
    ]);
  });

  test("a key not matching its pattern (a team's member country): at the key", () => {
    // 20 members:, 21 kr:, 22 - kim.j
    expect(problemsOf(teamMembers('          kr:\n            - kim.j\n'))).toEqual([
      at(
        21,
        "clauses[0].conditions.jointTeam.members: 'kr' is not a valid country code (ISO 3166-1 alpha-2 code of an alliance member (agreements/members.yaml).)",
      ),
    ]);
  });
});

describe('paths read from JSON Pointers', () => {
  const COUNTRY =
    'is not a valid country code (ISO 3166-1 alpha-2 code of an alliance member (agreements/members.yaml).)';

  test('a / and a ~ in a key (escaped as ~1 and ~0) come back as written', () => {
    expect(problemsOf(teamMembers('          "A/B": []\n          "A~B": []\n'))).toEqual([
      at(21, `clauses[0].conditions.jointTeam.members: 'A/B' ${COUNTRY}`),
      at(22, `clauses[0].conditions.jointTeam.members: 'A~B' ${COUNTRY}`),
      at(21, 'clauses[0].conditions.jointTeam.members.A/B: must NOT have fewer than 1 items'),
      at(22, 'clauses[0].conditions.jointTeam.members.A~B: must NOT have fewer than 1 items'),
    ]);
  });

  test('a key with digits in it is a key, not an index', () => {
    expect(problemsOf(teamMembers('          K1: []\n          1K: []\n'))).toEqual([
      at(21, `clauses[0].conditions.jointTeam.members: 'K1' ${COUNTRY}`),
      at(22, `clauses[0].conditions.jointTeam.members: '1K' ${COUNTRY}`),
      at(21, 'clauses[0].conditions.jointTeam.members.K1: must NOT have fewer than 1 items'),
      at(22, 'clauses[0].conditions.jointTeam.members.1K: must NOT have fewer than 1 items'),
    ]);
  });

  test('an index of two digits', () => {
    expect(problemsOf(teamMembers('          KR: [a, b, c, d, e, f, g, h, i, j, ""]\n'))).toEqual([
      at(21, 'clauses[0].conditions.jointTeam.members.KR[10]: must NOT have fewer than 1 characters'),
    ]);
  });
});

describe('members and gates', () => {
  test('an unknown domestic gate requirement lists the allowed ones', () => {
    const text = 'members:\n  - code: KR\n    name: Korea\n    domesticGate: maybe\n';
    expect(problemsOf(text, MEMBERS_SCHEMA)).toEqual([
      at(
        4,
        "members[0].domesticGate: unknown domestic gate requirement 'maybe' (one of: required, optional)",
      ),
    ]);
  });
});

describe('YamlSource', () => {
  const TEXT = `# line 1
top: 1
list:
  - name: a
    value: 1
  - name: b
    nested:
      deep: x
`;
  const source = new YamlSource('f.yaml', TEXT);

  test('a problem points at the value unless asked for the key', () => {
    expect(source.problem(['list', 1, 'nested'], 'wrong')).toEqual(at(8, 'wrong'));
    expect(source.problem(['list', 1, 'nested'], 'wrong', {})).toEqual(at(8, 'wrong'));
    expect(source.problem(['list', 1, 'nested'], 'wrong', { key: true })).toEqual(at(7, 'wrong'));
  });

  test('a name below a list stops the path there, whatever follows', () => {
    // The list's value starts with its first item, on line 4.
    expect(source.lineOf(['list', 'name', 1])).toBe(4);
    expect(source.lineOf(['top', 'x', 0])).toBe(2);
  });

  test('a key without a value (an explicit `? key`, or `key:` in a flow mapping): the line of the key', () => {
    const keys = new YamlSource('k.yaml', 'a: 1\n? b\nc: { d, e: }\n');
    expect(keys.lineOf(['b'])).toBe(2);
    expect(keys.lineOf(['b', 'x'])).toBe(2);
    expect(keys.lineOf(['c', 'e'])).toBe(3);
  });

  test.each([
    ['a key written twice', 'a: 1\nb: 2\na: 3\n', 3, 'YAML syntax: Map keys must be unique'],
    ['an unclosed quote', 'a: "x\n', 2, 'YAML syntax: Missing closing "quote'],
  ])('a syntax error, %s: its first line only, at its line', (_label, text, line, message) => {
    const broken = new YamlSource('g.yaml', text);
    expect(broken.value).toBeUndefined();
    expect(broken.syntaxProblems).toEqual([{ file: 'g.yaml', line, message }]);
  });
});
