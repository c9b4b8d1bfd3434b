/**
 * The loader's small parts, pinned exactly: the canonical form and revision of a set (policy/revision.ts),
 * the refusal's message (policy/AgreementSetError.ts), where a YAML path was written
 * (policy/yamlSource.ts), how a path reads (policy/validateSchema.ts describe) and the loaded set's shape
 * (optional fields, defaults, the order of problems). Expected values are written by hand; the expected
 * revision is sha256 of a canonical text written out here.
 */
import { createHash } from 'node:crypto';
import { AgreementSetError, loadAgreementSet, type Problem } from '../../policy';
import { canonicalJson, revisionOf } from '../../policy/revision';
import { describe as describePath } from '../../policy/validateSchema';
import { YamlSource } from '../../policy/yamlSource';
import { instrument, MEMBERS, MLAT, OBLIGATIONS, removeSets, writeSet } from './fixtureSet';

afterAll(removeSets);

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('canonicalJson', () => {
  test.each<[string, unknown, string]>([
    ['a string', 'a"b', '"a\\"b"'],
    ['a number', 12.5, '12.5'],
    ['a boolean', false, 'false'],
    ['null', null, 'null'],
    ['undefined', undefined, 'null'],
    ['an array, undefined as null', [1, undefined, 'x', null], '[1,null,"x",null]'],
    ['object keys sorted', { b: 1, a: 2, C: 3 }, '{"C":3,"a":2,"b":1}'],
    ['no source and no undefined value', { z: undefined, source: { line: 3 }, a: [] }, '{"a":[]}'],
    [
      'nested',
      { b: { d: [{ y: 1, x: 2 }], c: 'c' }, a: true },
      '{"a":true,"b":{"c":"c","d":[{"x":2,"y":1}]}}',
    ],
    ['an empty object', {}, '{}'],
  ])('%s', (_label, value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });
});

describe('revisionOf', () => {
  const member = (code: string) => ({ code, name: code, domesticGate: 'optional' as const });
  const source = { file: 'x.yaml', line: 1 };
  const ground = { id: 'g', citation: 'art. 1', source };
  const gate = (owner: string) => ({
    owner,
    title: `${owner} gate`,
    law: 'law',
    grounds: [ground],
    requirements: [],
    source,
  });

  test('sha256 of members by code, agreements and their clauses by id, gates by owner, sources left out', () => {
    const clause = (id: string) =>
      ({ id, citation: `art. ${id}` }) as unknown as Parameters<
        typeof revisionOf
      >[0]['agreements'][number]['clauses'][number];
    const agreement = (id: string, clauses: string[]) =>
      ({ id, clauses: clauses.map(clause), source }) as unknown as Parameters<
        typeof revisionOf
      >[0]['agreements'][number];
    const revision = revisionOf({
      members: [member('KR'), member('KH')],
      agreements: [agreement('b', ['2', '1']), agreement('a', [])],
      gates: [gate('KR'), gate('KH')],
    });
    const canonical =
      '{"agreements":[{"clauses":[],"id":"a"},{"clauses":[{"citation":"art. 1","id":"1"},{"citation":"art. 2","id":"2"}],"id":"b"}],' +
      '"gates":[{"grounds":[{"citation":"art. 1","id":"g"}],"law":"law","owner":"KH","requirements":[],"title":"KH gate"},' +
      '{"grounds":[{"citation":"art. 1","id":"g"}],"law":"law","owner":"KR","requirements":[],"title":"KR gate"}],' +
      '"members":[{"code":"KH","domesticGate":"optional","name":"KH"},{"code":"KR","domesticGate":"optional","name":"KR"}]}';
    expect(revision).toBe(sha256(canonical));
  });
});

describe('the revision of a loaded set names what it says, not how it is laid out', () => {
  const clause = (id: string) =>
    `  - id: "${id}"\n    citation: art. ${id}\n    basis: POLICE_COOPERATION\n    purposes: [investigation]\n    categories:\n      person.identity: release\n    direction: both\n    conditions:\n      caseReference: true\n${OBLIGATIONS}`;
  const GATE = (owner: string, citation: string) =>
    `owner: ${owner}\ntitle: ${owner} gate\nlaw: Test act\ngrounds:\n  - id: any\n    citation: ${citation}\n`;
  const base = {
    'members.yaml': MEMBERS,
    'instruments/a.yaml': instrument({ id: 'one', parties: '[KR, KH]' }, clause('1'), clause('2')),
    'instruments/b.yaml': instrument({ id: 'two', parties: '[KR, TH]' }, clause('1')),
    'domestic/kh.yaml': GATE('KH', 'art. 1'),
    'domestic/kr.yaml': GATE('KR', 'art. 1'),
  };
  const revisionOfSet = (files: Record<string, string>) => loadAgreementSet(writeSet(files)).revision;

  test('members, clauses, instruments and gates in another order: the same revision', () => {
    const [head, kr, kh, th] = MEMBERS.split(/(?=  - code: )/);
    expect(`${head}${th}${kh}${kr}`).not.toBe(MEMBERS);
    expect(
      revisionOfSet({
        'members.yaml': `${head}${th}${kh}${kr}`,
        'instruments/a.yaml': instrument({ id: 'two', parties: '[KR, TH]' }, clause('1')),
        'instruments/b.yaml': instrument({ id: 'one', parties: '[KR, KH]' }, clause('2'), clause('1')),
        'domestic/a.yaml': GATE('KR', 'art. 1'),
        'domestic/b.yaml': GATE('KH', 'art. 1'),
      }),
    ).toBe(revisionOfSet(base));
  });

  test("a gate's ground changes it", () => {
    expect(revisionOfSet({ ...base, 'domestic/kh.yaml': GATE('KH', 'art. 2') })).not.toBe(
      revisionOfSet(base),
    );
  });
});

describe('AgreementSetError', () => {
  const problem = (file: string, line: number, message: string): Problem => ({ file, line, message });

  test('one problem', () => {
    const error = new AgreementSetError('/set', [problem('/set/a.yaml', 3, 'bad')]);
    expect(error.name).toBe('AgreementSetError');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('Agreement set /set refused: 1 problem\n  /set/a.yaml:3: bad');
    expect(error.problems).toEqual([problem('/set/a.yaml', 3, 'bad')]);
  });

  test('several problems, one line each', () => {
    const error = new AgreementSetError('/set', [
      problem('/set/a.yaml', 3, 'bad'),
      problem('/set/b.yaml', 1, 'worse'),
    ]);
    expect(error.message).toBe(
      'Agreement set /set refused: 2 problems\n  /set/a.yaml:3: bad\n  /set/b.yaml:1: worse',
    );
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
flow: [p, q]
`;
  const source = new YamlSource('f.yaml', TEXT);

  test('parses the document', () => {
    expect(source.syntaxProblems).toEqual([]);
    expect(source.value).toEqual({
      top: 1,
      list: [
        { name: 'a', value: 1 },
        { name: 'b', nested: { deep: 'x' } },
      ],
      flow: ['p', 'q'],
    });
  });

  test.each<[string, (string | number)[], boolean, number]>([
    ['the document', [], false, 2],
    ['a top-level value', ['top'], false, 2],
    ['a sequence', ['list'], false, 4],
    ['a sequence item', ['list', 1], false, 6],
    ['a value inside an item', ['list', 1, 'nested', 'deep'], false, 8],
    ['a key, asked for as a key', ['list', 1, 'nested'], true, 7],
    ['the value under that key', ['list', 1, 'nested'], false, 8],
    ['a flow item', ['flow', 1], false, 9],
    ['a missing key: the deepest ancestor', ['list', 0, 'missing'], false, 4],
    ['a missing index: the deepest ancestor', ['list', 5, 'name'], false, 4],
    ['below a scalar: the scalar', ['top', 'x'], false, 2],
    ['a number as a key segment', ['list', 'name'], false, 4],
  ])('%s', (_label, path, key, line) => {
    expect(source.lineOf(path, key)).toBe(line);
  });

  test('a problem names file and line; `key` points at the key', () => {
    expect(source.problem(['list', 0, 'value'], 'wrong')).toEqual({
      file: 'f.yaml',
      line: 5,
      message: 'wrong',
    });
    expect(source.problem(['list', 1, 'nested'], 'wrong', { key: true })).toEqual({
      file: 'f.yaml',
      line: 7,
      message: 'wrong',
    });
  });

  test('a syntax error (here a key written twice): a problem at its line, no value', () => {
    const broken = new YamlSource('g.yaml', 'a: 1\nb: 2\na: 3\n');
    expect(broken.value).toBeUndefined();
    expect(broken.syntaxProblems.length).toBeGreaterThan(0);
    for (const problem of broken.syntaxProblems) {
      expect(problem.file).toBe('g.yaml');
      expect(problem.message).toMatch(/^YAML syntax: \S/);
      expect(problem.message).not.toContain('\n');
    }
    expect(broken.syntaxProblems.map((problem) => problem.line)).toEqual([3]);
  });

  test('YAML 1.2: dates stay strings and NO is no boolean', () => {
    expect(new YamlSource('h.yaml', 'from: 2020-01-01\ncountry: NO\n').value).toEqual({
      from: '2020-01-01',
      country: 'NO',
    });
  });
});

describe('a path as a reviewer reads it', () => {
  test.each<[(string | number)[], string]>([
    [[], '(top level)'],
    [['clauses'], 'clauses'],
    [['clauses', 0, 'conditions', 'jointTeam'], 'clauses[0].conditions.jointTeam'],
    [[3, 'a'], '[3].a'],
  ])('%j', (path, text) => {
    expect(describePath(path)).toBe(text);
  });
});

describe('the loaded set', () => {
  test('an agreement with every optional field, and a gate and member without theirs', () => {
    const full = `id: full
title: Full
kind: bilateral
parties: [KR, KH]
disclaimer: "ILLUSTRATIVE"
instrument:
  citation: Full treaty
  signed: 2019-06-01
  basedOn: [UNTOC art. 18]
inForce:
  from: 2020-01-01
requestDeadlines:
  urgentDays: 3
  normalDays: 14
clauses:
  - id: c
    citation: art. 1
    summary: Everything.
    basis: HIT_ONLY
    purposes: [investigation]
    categories:
      person.identity: hit-only
    direction: { from: [KR], to: [KH] }
${OBLIGATIONS}`;
    const set = loadAgreementSet(
      writeSet({
        'members.yaml': MEMBERS,
        'instruments/full.yml': full,
        'instruments/ignored.txt': 'not yaml',
        'domestic/kr.yaml':
          'owner: KR\ntitle: KR gate\nlaw: Act\ngrounds:\n  - id: any\n    citation: art. 1\n    bases: [HIT_ONLY]\n',
      }),
    );
    expect(set.agreements).toHaveLength(1);
    expect(set.agreements[0]).toEqual({
      id: 'full',
      title: 'Full',
      kind: 'bilateral',
      parties: ['KR', 'KH'],
      instrument: { citation: 'Full treaty', signed: '2019-06-01', basedOn: ['UNTOC art. 18'] },
      inForce: { from: '2020-01-01' },
      disclaimer: 'ILLUSTRATIVE',
      requestDeadlines: { urgentDays: 3, normalDays: 14 },
      clauses: [
        {
          id: 'c',
          citation: 'art. 1',
          summary: 'Everything.',
          basis: 'HIT_ONLY',
          purposes: ['investigation'],
          categories: { 'person.identity': 'hit-only' },
          direction: { from: ['KR'], to: ['KH'] },
          conditions: {},
          obligations: {
            handlingCode: 'H1',
            onwardTransfer: 'forbidden',
            evidentiaryUse: 'forbidden',
            retentionDays: 365,
            notifySource: false,
          },
          source: { file: expect.stringMatching(/instruments\/full\.yml$/), line: 16 },
        },
      ],
      source: { file: expect.stringMatching(/instruments\/full\.yml$/), line: 1 },
    });
    expect(set.gates).toEqual([
      {
        owner: 'KR',
        title: 'KR gate',
        law: 'Act',
        grounds: [
          {
            id: 'any',
            citation: 'art. 1',
            bases: ['HIT_ONLY'],
            source: { file: expect.stringMatching(/domestic\/kr\.yaml$/), line: 5 },
          },
        ],
        requirements: [],
        source: { file: expect.stringMatching(/domestic\/kr\.yaml$/), line: 1 },
      },
    ]);
    expect(set.members[0]).toEqual({ code: 'KR', name: 'Republic of Korea', domesticGate: 'optional' });
  });

  test('desk rules: as written, and an empty list when a desk names none', () => {
    const members = `members:
  - code: KR
    name: Korea
    domesticGate: optional
    desk:
      twoApproverCategories: [person.biometrics]
  - code: KH
    name: Cambodia
    domesticGate: optional
    desk: {}
`;
    const set = loadAgreementSet(writeSet({ 'members.yaml': members, 'instruments/a.yaml': MLAT }));
    expect(set.members).toEqual([
      {
        code: 'KR',
        name: 'Korea',
        domesticGate: 'optional',
        desk: { twoApproverCategories: ['person.biometrics'] },
      },
      { code: 'KH', name: 'Cambodia', domesticGate: 'optional', desk: { twoApproverCategories: [] } },
    ]);
  });

  test('problems are sorted by file, then line, not in the order they were found', () => {
    // Found in this order: b.yaml's schema problem (files are validated first), then a.yaml's cross-checks,
    // `until` before `signed` although `signed` is written first.
    const dir = writeSet({
      'members.yaml': MEMBERS,
      'instruments/a.yaml': MLAT.replace(
        '  citation: Test treaty\n',
        '  citation: Test treaty\n  signed: 2021-01-01\n',
      ).replace('until: 2030-12-31', 'until: 2019-12-31'),
      'instruments/b.yaml': MLAT.replace('kind: bilateral', 'kind: trilateral'),
    });
    let problems: readonly Problem[] = [];
    try {
      loadAgreementSet(dir);
    } catch (error) {
      if (!(error instanceof AgreementSetError)) throw error;
      problems = error.problems;
    }
    expect(problems.map((problem) => `${problem.file.slice(dir.length + 1)}:${problem.line}`)).toEqual([
      'instruments/a.yaml:8',
      'instruments/a.yaml:11',
      'instruments/b.yaml:4',
    ]);
  });
});
