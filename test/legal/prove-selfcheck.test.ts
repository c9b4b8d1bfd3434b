/**
 * The engine's self-check on the built-in coverage set (legal/coverage-set/, run by every `prove`): a bug
 * on a path of the engine that the shipped agreement set never uses is caught all the same. Each test
 * plants one such bug in a copy of the engine (a policy/ module replaced, or the engine compiled from a
 * patched set), hands that engine's compile to the self-check, and asserts that it fails with a
 * counterexample that is a real request the buggy engine answers as reported. Why the shipped set cannot
 * catch each one is said beside it. The real engine passes, reaching every kind of condition the
 * agreement schema knows.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePolicy, loadAgreementSet, type AgreementSet, type Clause, type Policy } from '../../policy';
import {
  conditionKinds,
  COVERAGE_DIR,
  loadInvariants,
  prove,
  renderProof,
  selfCheck,
  type Disagreement,
  type SelfCheck,
} from '../../legal';
import { answerOf } from '../../legal/model';
import { readReferenceSet } from '../../legal/readReferenceSet';
import { NOTICE_COLOURS, NOTICE_PURPOSES } from '../../vocabulary';
import { engineCopy } from './engineCopy';

// Each self-check asks about 560,000 questions: a second or two on a quiet machine, more on a busy one.
jest.setTimeout(120_000);

type Compile = (set: AgreementSet) => Policy;
/** Counterexamples kept per check: enough to find the one each test looks for. */
const MAX = 10;

const coverage = loadAgreementSet(COVERAGE_DIR);
const real = compilePolicy(coverage);

/** The engine of a fresh copy of policy/'s modules, one of them replaced by what `factory` makes of it. */
function engineWith<M extends object>(path: string, factory: (actual: M) => M): Compile {
  let compile: Compile | undefined;
  jest.isolateModules(() => {
    jest.doMock(path, () => factory(jest.requireActual<M>(path)));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    compile = (require('../../policy/compilePolicy') as typeof import('../../policy/compilePolicy'))
      .compilePolicy;
    jest.dontMock(path);
  });
  return compile!;
}

/** An engine that reads every set as `patch` changes it, while showing the set it was given. */
function readingAs(patch: (set: AgreementSet) => AgreementSet): Compile {
  return (set) => {
    const buggy = compilePolicy(patch(structuredClone(set)));
    return { ...compilePolicy(set), decide: (input) => buggy.decide(input) };
  };
}

function everyClause(set: AgreementSet, change: (clause: Clause) => Clause): AgreementSet {
  return {
    ...set,
    agreements: set.agreements.map((agreement) => ({ ...agreement, clauses: agreement.clauses.map(change) })),
  };
}

/** The compiler of a copy of the engine with one edit (./engineCopy.ts). */
function engineEdited(file: string, from: string, to: string): Compile {
  return engineCopy(file, from, to).compilePolicy;
}

/**
 * The self-check of a buggy engine fails, and each counterexample is a real request: the buggy engine
 * compiled from the coverage set answers it as reported, the real engine as the model does.
 */
function killed(compile: Compile): { check: SelfCheck; examples: readonly Disagreement[] } {
  const check = selfCheck({ compile, maxCounterexamples: MAX });
  expect(check.holds).toBe(false);
  expect(check.model.holds).toBe(false);
  const examples = check.model.counterexamples;
  expect(examples.length).toBeGreaterThan(0);
  const buggy = compile(coverage);
  for (const example of examples) {
    expect(answerOf(buggy.decide(example.input))).toEqual(example.engine);
    expect(answerOf(real.decide(example.input))).toEqual(example.model);
  }
  return { check, examples };
}

/**
 * The red team's example, `gate.requirements.find((r) => basis !== 'EMERGENCY' && !matches(r))`: caught
 * by neither prove nor test/policy before the self-check. Built once: prove runs a self-check once per
 * compile function, so the test of prove below reuses this one's.
 */
const emergencySkipsRequirements = engineWith<typeof import('../../policy/gateVerdict')>(
  '../../policy/gateVerdict',
  (actual) => ({
    ...actual,
    gateVerdict: (gate, basis, purpose) =>
      actual.gateVerdict(basis === 'EMERGENCY' ? { ...gate, requirements: [] } : gate, basis, purpose),
  }),
);

describe('the self-check kills bugs on paths the shipped set never uses', () => {
  test("the gate's requirements skipped when the basis is EMERGENCY", () => {
    // No shipped gate has a requirement that leaves EMERGENCY out, so there the skip changes nothing.
    const { examples } = killed(emergencySkipsRequirements);
    // XA's gate lets an emergency through its ground "life", and its requirement no-emergency stops it.
    expect(examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          input: expect.objectContaining({ owner: 'XA' }),
          engine: expect.objectContaining({
            effect: 'release',
            clause: 'aa-regional-convention-2020/emergency',
          }),
          model: expect.objectContaining({ effect: 'withhold', reason: 'DOMESTIC_GATE' }),
        }),
      ]),
    );
  });

  test('a one-way clause read as going both ways', () => {
    // Every shipped clause goes both ways.
    const buggy = readingAs((set) => everyClause(set, (clause) => ({ ...clause, direction: 'both' })));
    const { examples } = killed(buggy);
    // The regional convention's clauses send XA's and XB's data only: XC's goes nowhere under it.
    expect(examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          input: expect.objectContaining({ owner: 'XC' }),
          engine: expect.objectContaining({
            clause: expect.stringMatching(/^aa-regional-convention-2020\//),
          }),
          model: expect.objectContaining({ effect: 'withhold' }),
        }),
      ]),
    );
  });

  test('every emergency taken to run 24 hours, whatever its clause says', () => {
    // The shipped emergency clause runs 24 hours, so there the mistake gives the right answer.
    const buggy = readingAs((set) =>
      everyClause(set, (clause) =>
        clause.conditions.emergency === undefined
          ? clause
          : { ...clause, conditions: { ...clause.conditions, emergency: { maxDurationHours: 24 } } },
      ),
    );
    const { examples } = killed(buggy);
    // Asked 12 hours after the declaration, the clause's own window has closed.
    expect(examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          engine: expect.objectContaining({
            effect: 'release',
            clause: 'aa-regional-convention-2020/emergency',
          }),
          model: expect.objectContaining({ effect: 'withhold' }),
        }),
      ]),
    );
    expect(
      examples.some(
        (example) => example.input.at - example.input.requester.emergency!.declaredAt === 12 * 3_600_000,
      ),
    ).toBe(true);
  });

  test('a bilateral agreement no longer ranked before a multilateral one', () => {
    // No shipped multilateral clause shares a kind of basis with a bilateral one, so they never tie.
    const buggy = readingAs((set) => ({
      ...set,
      agreements: set.agreements.map((agreement) => ({ ...agreement, kind: 'bilateral' as const })),
    }));
    const { examples } = killed(buggy);
    expect(examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          engine: expect.objectContaining({ clause: 'aa-regional-convention-2020/liaison' }),
          model: expect.objectContaining({ clause: 'xb-xa-police-mou-2020/liaison' }),
        }),
      ]),
    );
  });

  test('EXTRADITION ranked after police cooperation', () => {
    // The shipped set has no EXTRADITION clause.
    const buggy = engineWith<typeof import('../../policy/evaluateClause')>(
      '../../policy/evaluateClause',
      (actual) => ({
        ...actual,
        BASIS_RANK: { ...actual.BASIS_RANK, EXTRADITION: actual.BASIS_RANK.POLICE_COOPERATION + 0.5 },
      }),
    );
    const { examples } = killed(buggy);
    expect(examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          engine: expect.objectContaining({ clause: expect.stringMatching(/^xb-xa-police-mou-2020\//) }),
          model: expect.objectContaining({ clause: 'xa-xb-extradition-2020/identity-match' }),
        }),
      ]),
    );
  });

  test('a notice condition that names no colours not checked', () => {
    // No shipped clause asks for an INTERPOL notice.
    const buggy = readingAs((set) =>
      everyClause(set, (clause) => {
        if (clause.conditions.interpolNotice !== true || clause.conditions.noticeColours !== undefined)
          return clause;
        const { interpolNotice: _dropped, ...conditions } = clause.conditions;
        return { ...clause, conditions };
      }),
    );
    const { examples } = killed(buggy);
    expect(examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          input: expect.objectContaining({
            requester: expect.not.objectContaining({ interpolNotice: expect.anything() }),
          }),
          engine: expect.objectContaining({ effect: 'release', clause: 'xb-xa-police-mou-2020/notice-desk' }),
        }),
      ]),
    );
  });

  // The ranking of MLAT, EXTRADITION and JIT: no shipped field has two of them competing. In the coverage
  // set the MLAT's fugitive-identity, the extradition treaty and the XA–XB joint team all release
  // person.identity for locating a fugitive.
  type Ranked = 'MLAT' | 'EXTRADITION' | 'JIT';
  type EvaluateClause = typeof import('../../policy/evaluateClause');
  const swappedRanks = (a: Ranked, b: Ranked): Compile =>
    engineWith<EvaluateClause>('../../policy/evaluateClause', (actual): EvaluateClause => {
      const rank = actual.BASIS_RANK;
      return { ...actual, BASIS_RANK: { ...rank, [a]: rank[b], [b]: rank[a] } };
    });
  const onIdentity = (engineClause: string, modelClause: string): unknown =>
    expect.objectContaining({
      input: expect.objectContaining({
        requester: expect.objectContaining({ purpose: 'fugitive_location' }),
      }),
      engine: expect.objectContaining({ effect: 'release', clause: engineClause }),
      model: expect.objectContaining({ effect: 'release', clause: modelClause }),
    });

  test('EXTRADITION and JIT swapped in the ranking of kinds', () => {
    const { examples } = killed(swappedRanks('EXTRADITION', 'JIT'));
    expect(examples).toEqual(
      expect.arrayContaining([
        onIdentity('xa-xb-joint-team-2020/fugitive-trace', 'xa-xb-extradition-2020/identity-match'),
      ]),
    );
  });

  test('MLAT and EXTRADITION swapped in the ranking of kinds', () => {
    const { examples } = killed(swappedRanks('MLAT', 'EXTRADITION'));
    expect(examples).toEqual(
      expect.arrayContaining([
        onIdentity('xa-xb-extradition-2020/identity-match', 'xa-xb-mlat-2020/fugitive-identity'),
      ]),
    );
  });

  test("a grant without evidentiary use narrowing only 'allowed', not 'with_consent'", () => {
    // Every shipped clause needing a request reference allows evidentiary use. The plant gives back the
    // clause's with_consent where the engine narrowed it to forbidden under such a grant.
    const withConsent = new Set(
      coverage.agreements.flatMap((agreement) =>
        agreement.clauses
          .filter((clause) => clause.obligations.evidentiaryUse === 'with_consent')
          .map((clause) => `${agreement.id}/${clause.id}`),
      ),
    );
    const buggy: Compile = (set) => {
      const policy = compilePolicy(set);
      return {
        ...policy,
        decide: (input) => {
          const decision = policy.decide(input);
          const { obligations } = decision;
          const ref = decision.clauses[0];
          if (decision.grant === undefined || obligations === undefined || ref === undefined) return decision;
          if (!withConsent.has(`${ref.agreement}/${ref.clause}`)) return decision;
          return { ...decision, obligations: { ...obligations, evidentiaryUse: 'with_consent' } };
        },
      };
    };
    const { examples } = killed(buggy);
    expect(examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          engine: expect.objectContaining({
            clause: 'xa-xb-mlat-2020/fugitive-identity',
            obligations: expect.objectContaining({ evidentiaryUse: 'with_consent' }),
          }),
          model: expect.objectContaining({
            obligations: expect.objectContaining({ evidentiaryUse: 'forbidden' }),
          }),
        }),
      ]),
    );
  });

  test('a notice clause taking every colour that serves its purpose, not only the colours it names', () => {
    // No shipped clause asks for an INTERPOL notice. The convention's notices take Red and Yellow; a Blue
    // notice also serves locating a fugitive, and the clause must refuse it.
    const buggy = readingAs((set) =>
      everyClause(set, (clause) => {
        if (clause.conditions.noticeColours === undefined) return clause;
        const serving = NOTICE_COLOURS.filter((colour) =>
          clause.purposes.some((purpose) => NOTICE_PURPOSES[colour].includes(purpose)),
        );
        return { ...clause, conditions: { ...clause.conditions, noticeColours: serving } };
      }),
    );
    const { examples } = killed(buggy);
    expect(examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          input: expect.objectContaining({
            requester: expect.objectContaining({ interpolNotice: expect.stringMatching(/^blue:/i) }),
          }),
          engine: expect.objectContaining({
            effect: 'release',
            clause: 'aa-regional-convention-2020/notices',
          }),
        }),
      ]),
    );
  });

  test('a slip in the colour table: yellow also serving locating a fugitive', () => {
    const buggy = engineWith<typeof import('../../vocabulary')>('../../vocabulary', (actual) => ({
      ...actual,
      NOTICE_PURPOSES: {
        ...actual.NOTICE_PURPOSES,
        yellow: [...actual.NOTICE_PURPOSES.yellow, 'fugitive_location'],
      },
    }));
    const { examples } = killed(buggy);
    expect(examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          input: expect.objectContaining({
            requester: expect.objectContaining({
              purpose: 'fugitive_location',
              interpolNotice: expect.stringMatching(/^yellow:/i),
            }),
          }),
          engine: expect.objectContaining({
            effect: 'release',
            clause: 'aa-regional-convention-2020/notices',
          }),
        }),
      ]),
    );
  });

  // The question variants of legal/proveQuestions.ts that only the coverage set's notice and emergency
  // clauses read: the shipped set has neither.
  const COLOUR_LINE = "const colour = colon < 0 ? '' : notice.slice(0, colon).toLowerCase();";
  const noticeSent = (text: string, engineEffect: string): unknown =>
    expect.objectContaining({
      input: expect.objectContaining({
        requester: expect.objectContaining({ interpolNotice: text }),
      }),
      engine: expect.objectContaining({ effect: engineEffect }),
    });

  test("a bare colour ('red', no colon) read as naming the colour", () => {
    const buggy = engineEdited(
      'vocabulary/interpolNotices.ts',
      COLOUR_LINE,
      'const colour = (colon < 0 ? notice : notice.slice(0, colon)).toLowerCase();',
    );
    const { examples } = killed(buggy);
    expect(examples).toEqual(expect.arrayContaining([noticeSent('red', 'release')]));
  });

  test("a colour with an empty id ('red:') read as naming no colour", () => {
    // docs/domain.md#interpol-notices: the colour is the word before the first colon; the id is the
    // notice's business, not the colour's.
    const buggy = engineEdited(
      'vocabulary/interpolNotices.ts',
      COLOUR_LINE,
      "const colour = colon < 0 || colon === notice.length - 1 ? '' : notice.slice(0, colon).toLowerCase();",
    );
    const { examples } = killed(buggy);
    expect(examples).toEqual(expect.arrayContaining([noticeSent('red:', 'withhold')]));
  });

  const justifiedIn = (letters: string, engineEffect: string): unknown =>
    expect.objectContaining({
      input: expect.objectContaining({
        requester: expect.objectContaining({
          emergency: expect.objectContaining({ justification: letters }),
        }),
      }),
      engine: expect.objectContaining({ effect: engineEffect }),
    });

  test('a justification of nine letters taken as enough', () => {
    const buggy = engineEdited(
      'policy/freeText.ts',
      'if (letters < JUSTIFICATION_MIN_LETTERS) {',
      'if (letters < JUSTIFICATION_MIN_LETTERS - 1) {',
    );
    const { examples } = killed(buggy);
    expect(examples).toEqual(expect.arrayContaining([justifiedIn('lost child!', 'release')]));
  });

  test('a justification of ten letters refused', () => {
    const buggy = engineEdited(
      'policy/freeText.ts',
      'if (letters < JUSTIFICATION_MIN_LETTERS) {',
      'if (letters <= JUSTIFICATION_MIN_LETTERS) {',
    );
    const { examples } = killed(buggy);
    expect(examples).toEqual(expect.arrayContaining([justifiedIn('life at risk', 'withhold')]));
  });

  test("an empty purpose ('') taken for a declared one", () => {
    const buggy = engineEdited(
      'policy/decide.ts',
      'if (!purpose) return index.fixed.purposeRequired;',
      'if (purpose === undefined) return index.fixed.purposeRequired;',
    );
    const { examples } = killed(buggy);
    expect(examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          input: expect.objectContaining({ requester: expect.objectContaining({ purpose: '' }) }),
          model: expect.objectContaining({ effect: 'withhold', reason: 'PURPOSE_REQUIRED' }),
        }),
      ]),
    );
  });

  test('prove fails through the self-check, and says so, when the set it proves passes', () => {
    // The set proven here is the coverage set with the real engine: it holds. The engine under proof is
    // the one `compile` builds, and its self-check fails.
    const invariants = loadInvariants(join(COVERAGE_DIR, 'invariants.yaml'), coverage);
    const proof = prove(real, invariants, {
      compile: emergencySkipsRequirements,
      reference: readReferenceSet(COVERAGE_DIR),
      maxCounterexamples: MAX,
    });
    expect(proof.results.every((result) => result.holds)).toBe(true);
    expect(proof.model.holds).toBe(true);
    expect(proof.selfCheck.holds).toBe(false);
    expect(proof.holds).toBe(false);
    const text = renderProof(proof);
    // As many decisions as the self-check asked (the count follows the question builder, not this test).
    const asked = proof.selfCheck.questions;
    expect(asked).toBeGreaterThan(0);
    expect(text).toMatch(/^engine self-check on the built-in coverage set /m);
    expect(text).toMatch(
      new RegExp(`^BROKEN agrees with the reference model: \\d+ of ${asked} decisions`, 'm'),
    );
    expect(text).toMatch(
      new RegExp(
        `^engine self-check on the built-in coverage set: FAILS \\(disagrees with the reference model on [1-9]\\d* of ${asked} decisions; 1 of 17 invariants broken or vacuous; every kind of condition reached\\)\n$`,
        'm',
      ),
    );
  });
});

describe('the real engine', () => {
  test('passes its self-check: the model agrees, every invariant selects and holds, every kind of condition is reached', () => {
    const check = selfCheck();
    expect(check.model).toMatchObject({ holds: true, vacuous: false, disagreements: 0 });
    expect(check.questions).toBeGreaterThan(0);
    expect(
      check.results.filter((result) => !result.holds || result.matched === 0).map((r) => r.invariant.id),
    ).toEqual([]);
    expect(check.conditions.filter((item) => item.vacuous)).toEqual([]);
    expect(check.holds).toBe(true);
    // The kinds are the keys of `conditions` in the published schema, read here from the file.
    const schema = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'agreements', 'agreement.schema.json'), 'utf8'),
    ) as { $defs: { conditions: { properties: Record<string, unknown> } } };
    const kinds = Object.keys(schema.$defs.conditions.properties);
    expect(conditionKinds()).toEqual(kinds);
    expect(check.conditions.map((item) => item.kind)).toEqual(kinds);
  });

  test('the coverage set uses every kind of legal basis and of handling code, and one-way directions', () => {
    const clauses = coverage.agreements.flatMap((agreement) => agreement.clauses);
    const { LEGAL_BASIS_KINDS } = jest.requireActual<typeof import('../../vocabulary')>('../../vocabulary');
    expect(new Set(clauses.map((clause) => clause.basis))).toEqual(new Set(LEGAL_BASIS_KINDS));
    expect(new Set(clauses.map((clause) => clause.obligations.handlingCode))).toEqual(
      new Set(['H0', 'H1', 'H2', 'H3']),
    );
    expect(clauses.some((clause) => clause.direction !== 'both')).toBe(true);
    expect(new Set(coverage.agreements.map((agreement) => agreement.kind))).toEqual(
      new Set(['bilateral', 'multilateral']),
    );
  });
});

describe('a kind of condition the coverage set does not exercise', () => {
  test('one the schema names and the reference model does not judge is VACUOUS, with nothing counted', () => {
    // The published schema with one more kind of condition, as if added without a check in legal/model/.
    let tally: import('../../legal/conditionReach').ConditionTally | undefined;
    jest.isolateModules(() => {
      jest.doMock('../../policy', () => {
        const actual = jest.requireActual<typeof import('../../policy')>('../../policy');
        const defs = actual.AGREEMENT_SCHEMA.$defs as Record<string, { properties: object }>;
        const conditions = defs.conditions!;
        return {
          ...actual,
          AGREEMENT_SCHEMA: {
            ...actual.AGREEMENT_SCHEMA,
            $defs: {
              ...defs,
              conditions: { ...conditions, properties: { ...conditions.properties, courtOrder: {} } },
            },
          },
        };
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const reach = require('../../legal/conditionReach') as typeof import('../../legal/conditionReach');
      tally = new reach.ConditionTally(readReferenceSet(COVERAGE_DIR));
      jest.dontMock('../../policy');
    });
    expect(tally!.results().find((item) => item.kind === 'courtOrder')).toEqual({
      kind: 'courtOrder',
      met: 0,
      missed: 0,
      judged: false,
      vacuous: true,
    });
  });

  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  test('is VACUOUS, and fails the self-check', () => {
    // A copy of the coverage set whose clauses no longer ask for a minimum source grade.
    const dir = mkdtempSync(join(tmpdir(), 'accord-coverage-'));
    made.push(dir);
    cpSync(COVERAGE_DIR, dir, { recursive: true, filter: (source) => !source.endsWith('.md') });
    for (const file of ['xb-xa-police-mou-2020.yaml', 'xa-xc-joint-team-2020.yaml']) {
      const path = join(dir, 'instruments', file);
      const text = readFileSync(path, 'utf8');
      const stripped = text.replace(/^ {6}minimumSourceGrade: [A-Z]\n/m, '');
      expect(stripped).not.toBe(text);
      writeFileSync(path, stripped);
    }
    const check = selfCheck({ coverage: dir });
    expect(check.model.holds).toBe(true);
    expect(check.conditions.filter((item) => item.vacuous)).toEqual([
      { kind: 'minimumSourceGrade', met: 0, missed: 0, judged: true, vacuous: true },
    ]);
    expect(check.holds).toBe(false);
  });
});
