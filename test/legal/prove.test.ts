/**
 * `prove`: the invariants of docs/domain.md#invariants, written as data in agreements/invariants.yaml, hold on the
 * shipped set; a broken one is reported with a counterexample request and the clause that breaks it.
 * Also: the reduced domain the tools sweep reaches every outcome a brute-force sweep reaches.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compilePolicy,
  DEFAULT_AGREEMENTS_DIR,
  loadAgreementSet,
  loadDefaultPolicy,
  type Policy,
  type RequestContext,
} from '../../policy';
import { MEMBERS, readCommittedSupergraph } from '../../schema';
import { CATEGORIES, PURPOSES } from '../../vocabulary';
import {
  invariantsSchemaText,
  InvariantsError,
  loadInvariants,
  prove,
  readFieldCatalog,
  type Proof,
} from '../../legal';
import { candidatesOf, dimensionsOf, edgesOf, inputOf, profilesOf, timePointsOf } from '../../legal/domain';
import { readReferenceSet } from '../../legal/readReferenceSet';
import { failingBeyond, partOf, quietestPair, realProofs } from './provePart';
import { cli, removeCopies, scenarioCopy, widenedCopy, type CliRun } from './support';

// Every proof `prove` makes in this file, the command line's included, in the order they were made.
const mockProofs: Proof[] = [];
jest.mock('../../legal/prove', () => {
  const actual = jest.requireActual<typeof import('../../legal/prove')>('../../legal/prove');
  return {
    ...actual,
    prove: (...args: Parameters<typeof actual.prove>): Proof => {
      const proof = actual.prove(...args);
      mockProofs.push(proof);
      return proof;
    },
  };
});

afterAll(removeCopies);

const policy = loadDefaultPolicy();
const fields = readFieldCatalog(readCommittedSupergraph());
const invariantsFile = join(DEFAULT_AGREEMENTS_DIR, 'invariants.yaml');
// The whole set is proven by the command line (its proof read by the first test too: `shippedProof`); a
// test that plants one change proves on two members between whom it shows, read from the set
// (test/legal/provePart.ts: the questions of a pair are the whole proof's), against the real engine's
// proof between them.
const reference = readReferenceSet(DEFAULT_AGREEMENTS_DIR);
const realProof = realProofs(policy, loadInvariants(invariantsFile, policy.set), reference);

/**
 * `npm run policy -- prove` on the shipped set, run once: what it printed, and the proof it made and
 * rendered. A whole proof of the shipped set is the slowest step of this file, so the first test reads
 * the command's proof rather than making the same one (default set, its invariants, the committed
 * supergraph's fields) a second time.
 */
let shipped: { run: CliRun; proof: Proof } | undefined;
function shippedProof(): { run: CliRun; proof: Proof } {
  if (shipped === undefined) {
    const made = mockProofs.length;
    const run = cli(['prove']);
    // One proof, the command's own: what follows reads exactly what it rendered.
    expect(mockProofs.length).toBe(made + 1);
    shipped = { run, proof: mockProofs[made]! };
  }
  return shipped;
}

describe('prove', () => {
  test('every invariant of agreements/invariants.yaml holds on the shipped set, none vacuously', () => {
    const invariants = loadInvariants(invariantsFile, policy.set);
    const { proof } = shippedProof();
    expect(proof.results.filter((result) => !result.holds).map((result) => result.invariant.id)).toEqual([]);
    expect(proof.holds).toBe(true);
    // And every answer agrees with the reference model, which read the set from the files itself.
    expect(proof.model).toMatchObject({
      holds: true,
      vacuous: false,
      disagreements: 0,
      checked: proof.questions,
    });
    // Every invariant of the file was checked, and each selected decisions (and the field rule saw fields).
    expect(proof.results.map((result) => result.invariant.id)).toEqual(
      invariants.map((invariant) => invariant.id),
    );
    for (const result of proof.results) {
      expect([
        result.invariant.id,
        result.vacuous,
        result.matched > 0 || result.invariant.decisions === undefined,
      ]).toEqual([result.invariant.id, false, true]);
    }
    // The contract's biometrics fields, once per member's own types (schema/contract.graphql, the registry).
    const contractBiometrics = readFileSync(
      join(__dirname, '..', '..', 'schema', 'contract.graphql'),
      'utf8',
    ).match(/@category\(name: "person\.biometrics"\)/g)!.length;
    expect(proof.results.find((result) => result.invariant.id === 'biometrics-match-only')!.fields).toBe(
      contractBiometrics * MEMBERS.length,
    );
  });

  test('an invariant that selects no decision is VACUOUS, and fails the proof', () => {
    const dir = scenarioCopy();
    const file = join(dir, 'invariants.yaml');
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}
  - id: extradition-only-identity
    statement: Extradition gives only identity.
    decisions:
      when: { basis: [EXTRADITION], effect: [release] }
      require: { category: [person.identity] }
`,
    );
    const invariants = loadInvariants(file, policy.set);
    // In-process between two members; the whole set on the command line below.
    const members = quietestPair(reference, (flowing) => flowing.length > 0);
    const proof = prove(policy, invariants, { reference: partOf(reference, members) });
    const result = proof.results.find((item) => item.invariant.id === 'extradition-only-identity')!;
    expect(result).toMatchObject({ vacuous: true, holds: false, matched: 0, violations: 0 });
    expect(proof.holds).toBe(false);
    const run = cli(['prove', '--agreements', dir]);
    expect(run.status).toBe(1);
    expect(run.out).toMatch(
      /VACUOUS extradition-only-identity: Extradition gives only identity\. \(0 of \d+ decisions selected and checked\)/,
    );
    // On the whole set it is the only one that fails.
    expect(run.out).toMatch(
      new RegExp(`\\n1 of ${invariants.length} invariants broken or vacuous, and the engine agrees with`),
    );
  });

  test('an engine that takes any request reference at its word (as main did) breaks both grant invariants', () => {
    // It decides as if the owner held a grant for whatever the request names, ignoring the owner's book.
    const everyClause = new Map<string, string[]>();
    for (const agreement of policy.set.agreements)
      everyClause.set(
        agreement.id,
        agreement.clauses.map((clause) => clause.id),
      );
    const trusting: Policy = {
      ...policy,
      decide(input) {
        const { requester } = input;
        if (requester.requestReference === undefined) return policy.decide(input);
        const subject = input.record?.id ?? 'any';
        const books = [...everyClause].map(([agreement, clauses]) => ({
          id: requester.requestReference!,
          owner: input.owner,
          requesterCountry: requester.country,
          analysts: [requester.analyst],
          caseReference: requester.caseReference ?? '',
          purpose: requester.purpose ?? 'investigation',
          agreement,
          clauses,
          subjects: [subject],
          categories: CATEGORIES.filter((category) => category !== 'meta.reference'),
          validFrom: -Infinity,
          validUntil: Infinity,
          evidentiaryUse: true,
        }));
        const decisions = books.map((grant) =>
          policy.decide({
            ...input,
            record: { ...input.record, id: subject },
            grants: new Map([[grant.id, grant]]),
          }),
        );
        return (
          decisions.find((decision) => decision.effect === 'release') ??
          decisions.find((decision) => decision.effect === 'hit-only') ??
          decisions[0]!
        );
      },
    };
    // Between two members with a clause that needs a request reference.
    const members = quietestPair(reference, (flowing) =>
      flowing.some(({ clause }) => clause.conditions.requestReference === true),
    );
    const proof = prove(trusting, loadInvariants(invariantsFile, policy.set), {
      fields,
      reference: partOf(reference, members),
    });
    const broken = failingBeyond(proof, realProof(members)).map((result) => result.invariant.id);
    expect(broken).toEqual(
      expect.arrayContaining(['request-reference-needs-grant', 'grant-never-widens-clause']),
    );
  });

  test('the widened copy breaks invariant 1: a counterexample request and the clause that breaks it', () => {
    const dir = widenedCopy();
    const widened = compilePolicy(loadAgreementSet(dir));
    // Between two members with a clause that now releases biometrics (the command line below: the whole set).
    const widenedReference = readReferenceSet(dir);
    const members = quietestPair(widenedReference, (flowing) =>
      flowing.some(({ clause }) => clause.categories['person.biometrics'] === 'release'),
    );
    const proof = prove(widened, loadInvariants(invariantsFile, widened.set), {
      fields,
      reference: partOf(widenedReference, members),
    });
    expect(proof.holds).toBe(false);
    const broken = failingBeyond(proof, realProof(members));
    expect(broken.map((result) => result.invariant.id)).toEqual(['biometrics-match-only']);
    const example = broken[0]!.counterexamples[0]!;
    expect(example.clause).toMatchObject({
      agreement: 'kr-th-police-mou-2019',
      clause: 'information-exchange',
      citation: 'art. 3(1)',
      source: { line: 19 },
    });
    expect(example.violation).toBe('the decision is release, but only hit-only is allowed');
    expect(example.input.category).toBe('person.biometrics');
    // The counterexample is a real request: the engine releases biometrics to it.
    expect(widened.decide(example.input).effect).toBe('release');
  });

  test('the KR gate taken out (and no longer required): invariant 6 broken, naming the clause that released KR data', () => {
    const dir = scenarioCopy({
      'members.yaml': [
        [
          /code: KR\n {4}name: Republic of Korea\n {4}domesticGate: required/,
          'code: KR\n    name: Republic of Korea\n    domesticGate: optional',
        ],
      ],
    });
    rmSync(join(dir, 'domestic', 'kr-pipa.yaml'));
    const ungated = compilePolicy(loadAgreementSet(dir));
    const invariants = loadInvariants(invariantsFile, ungated.set);
    // Between an owner the invariant speaks about and a member it sends data to.
    const owners = invariants.find((item) => item.id === 'kr-domestic-gate')!.decisions!.when.owner!;
    const ungatedReference = readReferenceSet(dir);
    const members = quietestPair(
      ungatedReference,
      (flowing, owner) => owners.includes(owner) && flowing.length > 0,
    );
    const result = prove(ungated, invariants, { reference: partOf(ungatedReference, members) }).results.find(
      (item) => item.invariant.id === 'kr-domestic-gate',
    )!;
    expect(result.holds).toBe(false);
    expect(result.counterexamples[0]).toMatchObject({
      violation: 'the set has no domestic gate for KR',
      input: { owner: 'KR' },
    });
    expect(result.counterexamples[0]!.clause).toBeDefined();
  });
});

describe('npm run policy -- prove', () => {
  test('the shipped set: exit 0, every invariant HOLDS', () => {
    const { run } = shippedProof();
    expect(run.status).toBe(0);
    expect(run.out).toContain('HOLDS  purpose-required: Without a purpose, nothing crosses a border.');
    expect(run.out).toMatch(
      /all 16 invariants hold, and the engine agrees with the reference model on all \d+ decisions\n/,
    );
    // The engine's self-check on the built-in coverage set (legal/coverage-set/), last.
    expect(run.out).toMatch(
      /\nengine self-check on the built-in coverage set: HOLDS \(agrees with the reference model on all [1-9]\d* decisions; all \d+ invariants hold; every kind of condition reached\)\n$/,
    );
    expect(run.out).toMatch(/^HOLDS {2}agrees with the reference model: ([1-9]\d*) of \1 decisions /m);
    // Per invariant: how many decisions it selected and checked.
    expect(run.out).toMatch(
      /HOLDS  emergency-running: .* \([1-9]\d* of \d+ decisions selected and checked\)/,
    );
  });

  test('the widened copy: exit 1, BROKEN with the counterexample and the clause with its file and line', () => {
    const dir = widenedCopy();
    const run = cli(['prove', '--agreements', dir]);
    expect(run.status).toBe(1);
    expect(run.out).toContain(
      'BROKEN biometrics-match-only: Biometrics are only ever answered as match / no match.',
    );
    expect(run.out).toMatch(
      / {2}- a (KR|TH) analyst \(analyst\) asks for person\.biometrics of a (TH|KR) record \(purpose \w+\) at .*, carrying a case reference.*\n {4}got release \(RELEASED\): the decision is release, but only hit-only is allowed\n {4}breaking clause: KR–TH Police MoU 2019 art\. 3\(1\) \(kr-th-police-mou-2019\/information-exchange\) at .*instruments\/kr-th-police-mou-2019\.yaml:19/,
    );
    expect(run.out).toMatch(
      /1 of 16 invariants broken or vacuous, and the engine agrees with the reference model on all \d+ decisions\n/,
    );
  });

  test('an invariants file with mistakes is refused: each with its line and the nearest valid names', () => {
    const dir = scenarioCopy();
    const file = join(dir, 'invariants.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace('category: [telecom.content]', 'category: [telecom.contnt]')
        .replace('owner: [KR]', 'owner: [KP]')
        .replace('require: { effect: [withhold] }', 'require: { efect: [withhold] }'),
    );
    const run = cli(['prove', '--agreements', dir]);
    expect(run.status).toBe(2);
    expect(run.err).toMatch(
      /invariants\.yaml:\d+: .*unknown category pattern 'telecom\.contnt' \(did you mean telecom\.content\?\)/,
    );
    expect(run.err).toMatch(/invariants\.yaml:\d+: .*unknown field 'efect'.*\(did you mean effect\?\)/);
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace('category: [telecom.contnt]', 'category: [telecom.content]')
        .replace('{ efect: [withhold] }', '{ effect: [withhold] }'),
    );
    expect(() => loadInvariants(file, loadAgreementSet(dir))).toThrow(InvariantsError);
    const members = loadAgreementSet(dir)
      .members.map((member) => member.code)
      .join(', ');
    expect(cli(['prove', '--agreements', dir]).err).toContain(
      `: unknown owner 'KP' (did you mean KH, KR? members: ${members})`,
    );
  });

  test('the published schema of invariants.yaml is not stale (`npm run policy -- schema` regenerates it)', () => {
    expect(readFileSync(join(DEFAULT_AGREEMENTS_DIR, 'invariants.schema.json'), 'utf8')).toBe(
      invariantsSchemaText(),
    );
  });
});

describe('the reduced domain', () => {
  /** Every (cell, effect, clause) outcome a sweep reaches. */
  type Outcomes = Set<string>;
  const pairs = [
    ['KR', 'KH'],
    ['KH', 'KR'],
    ['TH', 'KR'],
  ] as const;
  const key = (
    requester: string,
    owner: string,
    purpose: string,
    category: string,
    effect: string,
    clause: string,
  ) => [requester, owner, purpose, category, effect, clause].join('|');

  function reduced(target: Policy): Outcomes {
    const outcomes: Outcomes = new Set();
    for (const [requester, owner] of pairs) {
      for (const purpose of PURPOSES) {
        for (const category of CATEGORIES) {
          const cell = { requester, owner, purpose, category };
          const candidates = candidatesOf(target, cell);
          const dimensions = dimensionsOf(candidates);
          for (const time of timePointsOf(edgesOf(candidates), true)) {
            for (const profile of profilesOf(dimensions, requester)) {
              const decision = target.decide(inputOf(cell, profile, time.at, dimensions.teams));
              outcomes.add(
                key(
                  requester,
                  owner,
                  purpose,
                  category,
                  decision.effect,
                  decision.clauses[0]?.clause ?? decision.reason,
                ),
              );
            }
          }
        }
      }
    }
    return outcomes;
  }

  /** The brute force of test/policy/invariants.test.ts: every flag combination, at every stretch of every agreement. */
  function bruteForce(target: Policy): Outcomes {
    const outcomes: Outcomes = new Set();
    // Before the MoU, between the MLAT and the 2025 instruments, before the team, inside every window.
    const times = ['2019-06-01', '2025-06-01', '2025-12-15', '2026-06-01'].map((day) =>
      Date.parse(`${day}T12:00:00Z`),
    );
    const analysts: Record<string, string[]> = {
      KR: ['kim.j', 'choi.m'],
      KH: ['sok.r', 'heng.p'],
      TH: ['somchai.k'],
    };
    for (const [country, owner] of pairs) {
      for (const at of times) {
        for (const purpose of PURPOSES) {
          for (const flags of Array.from({ length: 16 }, (_, i) => i)) {
            for (const analyst of analysts[country]!) {
              for (const team of [undefined, 'JTF-KR-KH-2025']) {
                for (const emergency of [
                  undefined,
                  { declaredAt: at - 3_600_000, justification: 'life at risk' },
                  { declaredAt: at - 25 * 3_600_000, justification: 'life at risk' },
                  { declaredAt: at - 3_600_000, justification: ' ' },
                ]) {
                  const requester: RequestContext = {
                    country,
                    analyst,
                    roles: [],
                    purpose,
                    ...(flags & 1 && { caseReference: 'C' }),
                    ...(flags & 2 && { requestReference: 'R' }),
                    ...(flags & 4 && { warrantReference: 'W' }),
                    ...(flags & 8 && { interpolNotice: 'N' }),
                    ...(team !== undefined && { jointTeam: team }),
                    ...(emergency !== undefined && { emergency }),
                  };
                  for (const record of [
                    undefined,
                    { operations: ['BREAKING-CHAINS'], sourceGrade: 'A' },
                    { operations: ['BREAKING-CHAINS'], sourceGrade: 'C' },
                  ]) {
                    for (const category of CATEGORIES) {
                      const decision = target.decide({
                        requester,
                        owner,
                        category,
                        at,
                        ...(record !== undefined && { record }),
                      });
                      outcomes.add(
                        key(
                          country,
                          owner,
                          purpose,
                          category,
                          decision.effect,
                          decision.clauses[0]?.clause ?? decision.reason,
                        ),
                      );
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return outcomes;
  }

  test('every outcome a brute-force sweep of the richest pairs reaches, the reduced domain reaches too', () => {
    const reachedByReduced = reduced(policy);
    const missing = [...bruteForce(policy)].filter((outcome) => !reachedByReduced.has(outcome));
    expect(missing).toEqual([]);
  }, 60_000);
});
