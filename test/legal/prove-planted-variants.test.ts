/**
 * `prove` kills the bug classes a red-team planted that the prover once missed, because no question
 * exercised them or because the engine and the reference model read one table:
 *
 * - a notice's colour read case-sensitively (`RED:A-1/2026` taken for no colour);
 * - an owner's grant not valid at its exact `validFrom` (an off-by-one at the edge);
 * - a reference (case, request, warrant, notice) that is there but empty or only white space taken as one;
 * - a grant that gives no category taken as one that gives every category;
 * - a slip in the table of what each notice colour serves (vocabulary/interpolNotices.ts), which the
 *   engine reads and the model no longer does (it has its own, legal/model/notices.ts).
 *
 * Each test plants one bug in a copy of the engine's source (policy/ and vocabulary/ copied to a temporary
 * folder, one line changed, loaded apart from the real one; the table's slip is made in the loaded
 * vocabulary itself, for the engine and the prover alike) and asserts that prove fails with
 * counterexamples that are real requests: the buggy engine answers each as reported, the real engine as
 * the model does, and each carries what the bug is about. The real engine proves clean on the same set.
 *
 * To stay fast, prove asks only the questions between the two members of the smallest agreement the bug
 * concerns (ProveOptions.reference: a reference set with every agreement but only those members); on so
 * few members some invariants select nothing (vacuous), so these tests judge the violations and the
 * comparison with the model, not `holds` alone. Where the shipped set has no clause the bug concerns (no
 * clause needs an INTERPOL notice), one is added, within its kind's bounds, to the engine's set and the
 * model's alike.
 */
import { join } from 'node:path';
import {
  compilePolicy,
  DEFAULT_AGREEMENTS_DIR,
  loadDefaultPolicy,
  type Agreement,
  type AgreementSet,
  type Clause,
  type DecisionInput,
  type Policy,
} from '../../policy';
import { kindBoundBreaches } from '../../policy/kindBounds';
import { loadInvariants, prove, type Invariant } from '../../legal';
import { answerOf, colourOfNotice } from '../../legal/model';
import { timesOf } from '../../legal/proveQuestions';
import { readReferenceSet, type ReferenceSet } from '../../legal/readReferenceSet';
import { NOTICE_PURPOSES, type NoticeColour, type Purpose } from '../../vocabulary';
import { engineCopy } from './engineCopy';
import { NOTICE_CLAUSE, withClausesBetweenKrAndTh } from './noticeClause';

// A proof between two members asks about a hundred thousand questions: a second or two each.
jest.setTimeout(120_000);

const real = loadDefaultPolicy();
const shippedReference = readReferenceSet(DEFAULT_AGREEMENTS_DIR);

/**
 * The parties of the smallest agreement of the set with a clause `concerns` picks: fewest parties, then
 * fewest validity edges between them (prove asks every question at each edge), so the proof is short.
 */
function partiesOfSmallest(
  set: Pick<AgreementSet, 'agreements' | 'members'>,
  concerns: (clause: Clause) => boolean,
): string[] {
  const size = ({ parties }: Agreement): [number, number] => [
    parties.length,
    timesOf(set, parties[0]!, parties[1]!).length,
  ];
  const agreement = set.agreements
    .filter((item) => item.clauses.some(concerns))
    .map((item) => ({ item, size: size(item) }))
    .sort((a, b) => a.size[0] - b.size[0] || a.size[1] - b.size[1])[0]?.item;
  if (agreement === undefined) throw new Error('test setup: no agreement of the set has such a clause');
  return [...agreement.parties];
}

/** The reference set with every agreement, but only these members asking and owning. */
function between(reference: ReferenceSet, members: readonly string[]): ReferenceSet {
  return { ...reference, members: reference.members.filter((member) => members.includes(member.code)) };
}

/** One world to prove in: the engine's set, the model's (read from the files) and the invariants. */
interface World {
  readonly set: AgreementSet;
  readonly reference: ReferenceSet;
  readonly invariants: readonly Invariant[];
}

const shipped: World = {
  set: real.set,
  reference: shippedReference,
  invariants: loadInvariants(join(DEFAULT_AGREEMENTS_DIR, 'invariants.yaml'), real.set),
};

/**
 * Prove on the buggy engine between `members`: it must fail with counterexamples, each replayed (the buggy
 * engine answers it as reported; for a disagreement, the real engine answers as the model does). Returns
 * the questions of every counterexample, for the test to say what they carry.
 */
function killed(
  buggy: Policy,
  world: World,
  members: readonly string[],
  truth: Policy = compilePolicy(world.set),
): DecisionInput[] {
  const proof = prove(buggy, world.invariants, { reference: between(world.reference, members) });
  expect(proof.holds).toBe(false);
  const inputs: DecisionInput[] = [];
  for (const example of proof.model.counterexamples) {
    expect(answerOf(buggy.decide(example.input))).toEqual(example.engine);
    expect(answerOf(truth.decide(example.input))).toEqual(example.model);
    inputs.push(example.input);
  }
  for (const result of proof.results) {
    for (const example of result.counterexamples) {
      expect(buggy.decide(example.input).effect).toBe(example.decision.effect);
      inputs.push(example.input);
    }
  }
  expect(inputs.length).toBeGreaterThan(0);
  return inputs;
}

/** The real engine between `members`: no invariant broken, no disagreement with the model. */
function provesClean(world: World, members: readonly string[]): void {
  const proof = prove(compilePolicy(world.set), world.invariants, {
    reference: between(world.reference, members),
  });
  expect(proof.model).toMatchObject({ disagreements: 0, vacuous: false });
  expect(
    proof.results.filter((result) => result.violations > 0).map((result) => result.invariant.id),
  ).toEqual([]);
}

const blank = (value: string | undefined): boolean => value !== undefined && value.trim() === '';
const grantOf = (input: DecisionInput) =>
  input.requester.requestReference === undefined
    ? undefined
    : input.grants?.get(input.requester.requestReference);

describe('grants at their edges, and grants that give no category', () => {
  const needsRequest = (clause: Clause): boolean => clause.conditions.requestReference === true;
  const members = partiesOfSmallest(real.set, needsRequest);

  test('the real engine proves clean between the members of an agreement that needs a grant', () => {
    provesClean(shipped, members);
  });

  test('an engine that takes a grant only after its validFrom (not at it) is killed at that instant', () => {
    const buggy = engineCopy(
      'policy/evaluateClause.ts',
      '!(at >= grant.validFrom && at < grant.validUntil)',
      '!(at > grant.validFrom && at < grant.validUntil)',
    ).compilePolicy(real.set);
    const inputs = killed(buggy, shipped, members);
    for (const input of inputs) expect(grantOf(input)?.validFrom).toBe(input.at);
  });

  test('an engine that takes a grant giving no category as one giving every category is killed', () => {
    const buggy = engineCopy(
      'policy/evaluateClause.ts',
      '(category === undefined || !grant.categories.includes(category as Category))) ||',
      '(category === undefined || (grant.categories.length > 0 && !grant.categories.includes(category as Category)))) ||',
    ).compilePolicy(real.set);
    const inputs = killed(buggy, shipped, members);
    for (const input of inputs) expect(grantOf(input)?.categories).toEqual([]);
  });
});

/** A clause that needs a notice but names no colour (a police-cooperation clause may ask for one). */
const COLOURLESS_NOTICE_CLAUSE: Clause = {
  ...NOTICE_CLAUSE,
  id: 'notice-any-colour',
  citation: 'art. M (added by this test)',
  basis: 'POLICE_COOPERATION',
  purposes: ['fugitive_location'],
  categories: { 'person.location': 'release' },
  conditions: { interpolNotice: true },
};

/** The set with both notice clauses added to the agreement between KR and TH (engine's and model's alike). */
function withNoticeClauses<T extends Pick<AgreementSet, 'agreements'>>(set: T): T {
  return withClausesBetweenKrAndTh(set, NOTICE_CLAUSE, COLOURLESS_NOTICE_CLAUSE);
}

const noticeSet = withNoticeClauses(real.set);
const noticed: World = {
  set: noticeSet,
  reference: withNoticeClauses(shippedReference),
  invariants: loadInvariants(join(DEFAULT_AGREEMENTS_DIR, 'invariants.yaml'), noticeSet),
};
const needsNotice = (clause: Clause): boolean => clause.conditions.interpolNotice === true;
const noticeMembers = partiesOfSmallest(noticeSet, needsNotice);

describe('blank references', () => {
  const cases = [
    ['case', 'caseReference', 'needsCase'],
    ['request', 'requestReference', 'needsRequest'],
    ['warrant', 'warrantReference', 'needsWarrant'],
  ] as const;

  test.each(cases)(
    'an engine that takes an empty or white-space %s reference as one is killed',
    (_name, field, flag) => {
      const buggy = engineCopy(
        'policy/evaluateClause.ts',
        `if (compiled.${flag} && !present(requester.${field}))`,
        `if (compiled.${flag} && requester.${field} === undefined)`,
      ).compilePolicy(real.set);
      const members = partiesOfSmallest(real.set, (clause) => clause.conditions[field] === true);
      const inputs = killed(buggy, shipped, members);
      for (const input of inputs) expect(blank(input.requester[field])).toBe(true);
    },
  );

  test("the clauses added for notices are within their kinds' bounds, and the real engine proves clean on them", () => {
    expect([NOTICE_CLAUSE, COLOURLESS_NOTICE_CLAUSE].flatMap((clause) => kindBoundBreaches(clause))).toEqual(
      [],
    );
    provesClean(noticed, noticeMembers);
  });

  test('an engine that takes an empty or white-space notice as one is killed', () => {
    const buggy = engineCopy(
      'policy/evaluateClause.ts',
      'if (!present(notice)) return compiled.noticeFailure;',
      'if (notice === undefined) return compiled.noticeFailure;',
    ).compilePolicy(noticeSet);
    const inputs = killed(buggy, noticed, noticeMembers);
    for (const input of inputs) expect(blank(input.requester.interpolNotice)).toBe(true);
  });
});

describe('notice colours', () => {
  test('an engine that reads the colour case-sensitively is killed by a notice in upper or mixed case', () => {
    const buggy = engineCopy(
      'policy/evaluateClause.ts',
      "const colour = noticeColourOf(notice!) ?? '';",
      "const colour = notice!.slice(0, Math.max(notice!.indexOf(':'), 0));",
    ).compilePolicy(noticeSet);
    const inputs = killed(buggy, noticed, noticeMembers);
    for (const input of inputs) {
      const notice = input.requester.interpolNotice!;
      // A colour the real reading finds, written otherwise than in lower case.
      expect(colourOfNotice(notice)).toBeDefined();
      expect(notice.slice(0, notice.indexOf(':'))).not.toBe(colourOfNotice(notice));
    }
  });

  test("a slip in the shared file's table of what a colour serves is killed: the model reads its own", () => {
    // The slip is made in vocabulary/interpolNotices.ts itself, as loaded by this process, so that whatever
    // reads that table (the engine, and the model or the prover if they still did) reads the slip: red
    // serves a rescue instead of locating a fugitive. The added clause stays within the kind's bounds.
    const slipped: Purpose = 'victim_rescue';
    const table = NOTICE_PURPOSES as Record<NoticeColour, readonly Purpose[]>;
    const written = table.red;
    expect(written).not.toContain(slipped);
    const truth = compilePolicy(noticeSet);
    let inputs: DecisionInput[];
    try {
      table.red = ['arrest_extradition', slipped];
      expect(kindBoundBreaches(NOTICE_CLAUSE)).toEqual([]);
      inputs = killed(compilePolicy(noticeSet), noticed, noticeMembers, truth);
    } finally {
      table.red = written;
    }
    for (const input of inputs) {
      expect(colourOfNotice(input.requester.interpolNotice!)).toBe('red');
      expect(input.requester.purpose).toBe(slipped);
    }
  });
});
