/**
 * `prove` catches wrong answers that break no invariant, and loader bugs, by comparing every answer with the
 * reference model (legal/model/) decided on the set it reads from the agreement files itself
 * (legal/readReferenceSet.ts). Each test plants one bug class in a copy of the engine's source (policy/
 * copied to a temporary folder, one line changed, loaded in isolation) and asserts that prove fails with a
 * disagreement that is a real request: the buggy engine answers it the way the report says, and the
 * report names the request, both answers and the clause with its file and line.
 *
 * Every class here is a narrowing or a change no invariant speaks about (a hit instead of a release, a
 * window one day short, an emergency over after minutes, a clause read for another purpose or category,
 * a day more of retention on both the engine and the set it shows): the invariants alone hold on each.
 *
 * Each proof runs on two members between whom the bug shows, read from the set (test/legal/provePart.ts:
 * the questions of a pair are the whole proof's), and is read against the real engine's proof on them.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGREEMENTS_DIR, loadDefaultPolicy, type Policy } from '../../policy';
import { CATEGORIES, META_REFERENCE, PURPOSES, type Category } from '../../vocabulary';
import { loadInvariants, prove, renderProof, type Proof } from '../../legal';
import { answerOf } from '../../legal/model';
import { readReferenceSet } from '../../legal/readReferenceSet';
import { failingBeyond, partOf, quietestPair, realProofs, type Flowing } from './provePart';

// Each proof asks up to half a million questions: seconds on a quiet machine, more on a busy one.
jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..');
const real = loadDefaultPolicy();
const invariants = loadInvariants(join(DEFAULT_AGREEMENTS_DIR, 'invariants.yaml'), real.set);
const reference = readReferenceSet(DEFAULT_AGREEMENTS_DIR);
const realProof = realProofs(real, invariants, reference);

/** The quietest pair some of whose clauses (at least one) `concern` (test/legal/provePart.ts). */
const pairWith = (concerns: (clauses: readonly Flowing[]) => boolean): [string, string] =>
  quietestPair(reference, concerns);

/** Prove on the engine between `members` (the shipped files as the reference). */
const proveBetween = (engine: Policy, members: readonly string[]): Proof =>
  prove(engine, invariants, { reference: partOf(reference, members) });
const copies: string[] = [];

afterAll(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A copy of the engine (policy/) with `from` replaced by `to` in `file` (it must occur exactly once), loaded
 * apart from the real one. Its siblings (vocabulary/, agreements/) and packages are the real ones.
 */
function engineCopy(file: string, from: string, to: string): typeof import('../../policy') {
  const dir = mkdtempSync(join(tmpdir(), 'accord-planted-engine-'));
  copies.push(dir);
  cpSync(join(ROOT, 'policy'), join(dir, 'policy'), { recursive: true });
  for (const sibling of ['vocabulary', 'agreements', 'node_modules'])
    symlinkSync(join(ROOT, sibling), join(dir, sibling));
  const path = join(dir, 'policy', file);
  const text = readFileSync(path, 'utf8');
  if (text.split(from).length !== 2)
    throw new Error(`test setup: '${from}' is not written exactly once in policy/${file}`);
  writeFileSync(path, text.replace(from, to));
  let engine: typeof import('../../policy') | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    engine = require(join(dir, 'policy')) as typeof import('../../policy');
  });
  return engine!;
}

/** The engine copy compiled from the shipped set, as the loader read it (the bug is in deciding). */
function compiledWith(file: string, from: string, to: string): Policy {
  return engineCopy(file, from, to).compilePolicy(real.set);
}

/**
 * Prove on the buggy engine between `members`: it fails on the comparison with the model; each
 * counterexample replayed.
 */
function disagreements(
  buggy: Policy,
  members: readonly string[],
  proof: Proof = proveBetween(buggy, members),
): Proof['model']['counterexamples'] {
  expect(proof.holds).toBe(false);
  // No invariant sees the bug: only the comparison with the model does (every invariant the real engine
  // proves between them holds).
  expect(failingBeyond(proof, realProof(members)).map((result) => result.invariant.id)).toEqual([]);
  expect(proof.model).toMatchObject({ holds: false, vacuous: false });
  expect(proof.model.disagreements).toBeGreaterThan(0);
  expect(proof.model.checked).toBe(proof.questions);
  for (const example of proof.model.counterexamples) {
    // A real request: the buggy engine answers it as reported, and the real engine as the model does.
    expect(answerOf(buggy.decide(example.input))).toEqual(example.engine);
    expect(answerOf(real.decide(example.input))).toEqual(example.model);
    expect(example.text).toContain(example.input.category);
  }
  // The report prints the comparison as its own line, failed, with each counterexample's two answers.
  const text = renderProof(proof);
  expect(text).toMatch(
    new RegExp(
      `^BROKEN agrees with the reference model: ${proof.model.checked - proof.model.disagreements} of ${proof.model.checked} decisions`,
      'm',
    ),
  );
  expect(text).toMatch(/^ {4}engine: .*\n {4}model: {2}.*$/m);
  expect(text).toMatch(
    new RegExp(`the engine disagrees with the reference model on ${proof.model.disagreements} decision`),
  );
  return proof.model.counterexamples;
}

describe('prove kills wrong answers that break no invariant', () => {
  test('(a) a ranking that prefers a hit over a release', () => {
    const buggy = compiledWith(
      'policyIndex.ts',
      "(a.effect === b.effect ? 0 : a.effect === 'release' ? -1 : 1)",
      "(a.effect === b.effect ? 0 : a.effect === 'release' ? 1 : -1)",
    );
    // Between two members one of whose clauses releases a category another gives as hits only.
    const examples = disagreements(
      buggy,
      pairWith((flowing) =>
        flowing.some(({ clause: released }) =>
          flowing.some(
            ({ clause: hits }) =>
              released.purposes.some((purpose) => hits.purposes.includes(purpose)) &&
              Object.entries(released.categories).some(
                ([category, mode]) =>
                  mode === 'release' && hits.categories[category as Category] === 'hit-only',
              ),
          ),
        ),
      ),
    );
    expect(examples[0]).toMatchObject({
      engine: { effect: 'hit-only' },
      model: { effect: 'release' },
      violation: 'effect: the engine says hit-only, the model release',
    });
    // Both clauses are named where the set writes them.
    expect(examples[0]!.clause?.source.line).toBeGreaterThan(1);
    expect(examples[0]!.modelClause?.source.file).toMatch(/instruments\/.*\.yaml$/);
  });

  // The engine reads one purpose (category) as another that every clause of the shipped set treats the same
  // or more narrowly, and some clause more narrowly: it withholds what it should release, which no
  // invariant forbids (each says what must never cross, not what must).
  const clauses = real.set.agreements.flatMap((agreement) => agreement.clauses);

  test('(b) a purpose read as another one', () => {
    const grounds = real.set.gates.flatMap((gate) => [...gate.grounds, ...gate.requirements]);
    const [asked, misread] = PURPOSES.flatMap((a) =>
      PURPOSES.filter(
        (b) =>
          clauses.every((clause) => !clause.purposes.includes(b) || clause.purposes.includes(a)) &&
          clauses.some((clause) => clause.purposes.includes(a) && !clause.purposes.includes(b)) &&
          // The owners' gates must not tell them apart either (a gate could open for one only).
          grounds.every(
            (ground) =>
              ground.purposes === undefined || ground.purposes.includes(a) === ground.purposes.includes(b),
          ),
      ).map((b) => [a, b] as const),
    )[0]!;
    const buggy = compiledWith(
      'decide.ts',
      'index.purposeIndex.get(purpose)',
      `index.purposeIndex.get(purpose === ${JSON.stringify(asked)} ? ${JSON.stringify(misread)} : purpose)`,
    );
    const examples = disagreements(
      buggy,
      pairWith((flowing) =>
        flowing.some(({ clause }) => clause.purposes.includes(asked) && !clause.purposes.includes(misread)),
      ),
    );
    expect(examples.every((example) => example.input.requester.purpose === asked)).toBe(true);
  });

  test('(b) a category read as another one', () => {
    const rank = (mode: string | undefined): number => (mode === undefined ? 0 : mode === 'hit-only' ? 1 : 2);
    const listed = CATEGORIES.filter((category) => category !== META_REFERENCE);
    const [asked, misread] = listed.flatMap((a) =>
      listed
        .filter(
          (b) =>
            clauses.every((clause) => rank(clause.categories[b]) <= rank(clause.categories[a])) &&
            clauses.some((clause) => rank(clause.categories[b]) < rank(clause.categories[a])),
        )
        .map((b) => [a, b] as const),
    )[0]!;
    const buggy = compiledWith(
      'decide.ts',
      'index.categoryIndex.get(input.category)',
      `index.categoryIndex.get(input.category === ${JSON.stringify(asked)} ? ${JSON.stringify(misread)} : input.category)`,
    );
    const examples = disagreements(
      buggy,
      pairWith((flowing) =>
        flowing.some(({ clause }) => rank(clause.categories[misread]) < rank(clause.categories[asked])),
      ),
    );
    expect(examples.every((example) => example.input.category === asked)).toBe(true);
  });

  test("(c) an agreement's `until` treated as exclusive (a day short at the validity edge)", () => {
    const buggy = compiledWith(
      'dates.ts',
      'endMs: untilMs === undefined ? Infinity : untilMs + DAY_MS',
      'endMs: untilMs === undefined ? Infinity : untilMs',
    );
    // Between two members under an agreement (or a joint team) with a last day.
    const examples = disagreements(
      buggy,
      pairWith((flowing) =>
        flowing.some(
          ({ agreement, clause }) =>
            agreement.inForce.until !== undefined || clause.conditions.jointTeam?.validUntil !== undefined,
        ),
      ),
    );
    // Asked on the last day of a window (its last millisecond): the model still finds it in force.
    const example = examples.find(({ model }) => model.effect !== 'withhold')!;
    expect(example.engine.clause).not.toBe(example.model.clause);
    expect(new Date(example.input.at + 1).toISOString()).toMatch(/T00:00:00\.000Z$/);
  });

  test('(d) an emergency window counted in minutes instead of hours', () => {
    const buggy = compiledWith(
      'evaluateClause.ts',
      'emergencyHours === undefined ? undefined : emergencyHours * HOUR_MS',
      'emergencyHours === undefined ? undefined : emergencyHours * 60_000',
    );
    const examples = disagreements(
      buggy,
      pairWith((flowing) => flowing.some(({ clause }) => clause.conditions.emergency !== undefined)),
    );
    expect(examples.some((example) => example.input.requester.emergency !== undefined)).toBe(true);
    // The model still applies the emergency clause that the engine thinks expired.
    expect(examples[0]!.model.clause).toBeDefined();
    expect(examples[0]!.engine.clause).not.toBe(examples[0]!.model.clause);
  });

  test("(e) a loader that adds a day to a clause's retention (the engine and the set it shows agree)", () => {
    const engine = engineCopy(
      'loadAgreementSet.ts',
      'const obligations: Obligations = { ...raw.obligations };',
      'const obligations: Obligations = { ...raw.obligations, retentionDays: raw.obligations.retentionDays + 1 };',
    );
    // The buggy loader's set is what the engine decides on and what prove is shown: the invariants,
    // checked against that set, all hold; only the model, reading the files itself, sees the extra day.
    const buggy = engine.compilePolicy(engine.loadAgreementSet(DEFAULT_AGREEMENTS_DIR));
    // Any two members between whom something crosses.
    const members = pairWith((flowing) => flowing.length > 0);
    const proof = proveBetween(buggy, members);
    expect(failingBeyond(proof, realProof(members)).map((result) => result.invariant.id)).toEqual([]);
    const examples = disagreements(buggy, members, proof);
    const example = examples[0]!;
    expect(example.violation).toMatch(/^obligations\.retentionDays: the engine says (\d+), the model (\d+)$/);
    const [, engineDays, modelDays] = /says (\d+), the model (\d+)/.exec(example.violation)!;
    expect(Number(engineDays)).toBe(Number(modelDays) + 1);
    expect(example.clause?.source.file).toMatch(/instruments\/.*\.yaml$/);
  });
});
