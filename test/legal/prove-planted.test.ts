/**
 * `prove` kills each class of engine bug that the old prover missed: each test plants one bug in a copy
 * of the engine (a decorator around the real decide(), or a policy compiled from a patched set that
 * still shows the real set to the prover, as a buggy engine would) and asserts that prove fails on the
 * shipped set and invariants, with a counterexample that is a real request the buggy engine answers that
 * way. The real engine proves clean on the same set (test/legal/prove.test.ts).
 *
 * Each proof runs on two members between whom the bug shows, read from the set (test/legal/provePart.ts:
 * the questions of a pair are the whole proof's), and is read against the real engine's proof on them.
 */
import { join } from 'node:path';
import {
  compilePolicy,
  DEFAULT_AGREEMENTS_DIR,
  loadDefaultPolicy,
  type AgreementSet,
  type Decision,
  type DecisionInput,
  type JointTeam,
  type Policy,
} from '../../policy';
import { loadInvariants, prove } from '../../legal';
import { gateOpens } from '../../legal/model/gate';
import { readReferenceSet } from '../../legal/readReferenceSet';
import { failingBeyond, partOf, quietestPair, realProofs, type Flowing } from './provePart';

// Each proof asks up to half a million questions: seconds on a quiet machine, more on a busy one.
jest.setTimeout(180_000);

const real = loadDefaultPolicy();
const invariants = loadInvariants(join(DEFAULT_AGREEMENTS_DIR, 'invariants.yaml'), real.set);
const reference = readReferenceSet(DEFAULT_AGREEMENTS_DIR);
const realProof = realProofs(real, invariants, reference);

/** The quietest pair with a clause that `concerns` (test/legal/provePart.ts). */
const pairWith = (concerns: (clause: Flowing['clause']) => boolean): [string, string] =>
  quietestPair(reference, (clauses) => clauses.some(({ clause }) => concerns(clause)));

/** The real engine with its decide() replaced; the prover still sees the real set. */
function planted(decide: (input: DecisionInput) => Decision): Policy {
  return { ...real, decide };
}

/** An engine compiled from a patched set, posing as the real one (same set and revision shown). */
function compiledFrom(patch: (set: AgreementSet) => AgreementSet): Policy {
  const buggy = compilePolicy(patch(structuredClone<AgreementSet>(real.set)));
  return planted((input) => buggy.decide(input));
}

/**
 * Prove on the buggy engine between `members`: the invariants it breaks there (those the real engine
 * proves between them and the buggy one does not), and each counterexample replayed on it.
 */
function killed(buggy: Policy, members: readonly string[]): Map<string, string[]> {
  const proof = prove(buggy, invariants, { reference: partOf(reference, members) });
  expect(proof.holds).toBe(false);
  const failing = failingBeyond(proof, realProof(members));
  expect(failing.length).toBeGreaterThan(0);
  const broken = new Map<string, string[]>();
  for (const result of failing) {
    // A vacuous invariant (the H2 one, once no H2 is left) has nothing to show; a broken one has an example.
    expect(result.vacuous || result.counterexamples.length > 0).toBe(true);
    for (const example of result.counterexamples) {
      // The counterexample is a real request: the buggy engine answers it the way the report says.
      expect(buggy.decide(example.input).effect).toBe(example.decision.effect);
    }
    broken.set(
      result.invariant.id,
      result.counterexamples.map((example) => example.violation),
    );
  }
  return broken;
}

/** The joint team of the shipped set with this id, if any. */
function teamNamed(id: string | undefined): JointTeam | undefined {
  return real.set.agreements
    .flatMap((agreement) => agreement.clauses)
    .find((clause) => id !== undefined && clause.conditions.jointTeam?.id === id)?.conditions.jointTeam;
}

const withEmergency = (input: DecisionInput, declaredAt: number): DecisionInput => ({
  ...input,
  requester: { ...input.requester, emergency: { ...input.requester.emergency!, declaredAt } },
});

// Where each bug shows: between the parties of a clause it concerns.
const EMERGENCY_PAIR = pairWith((clause) => clause.conditions.emergency !== undefined);
const H2_PAIR = pairWith((clause) => clause.obligations.handlingCode === 'H2');
const TEAM_PAIR = pairWith((clause) => clause.conditions.jointTeam !== undefined);
const GRADE_PAIR = pairWith((clause) => clause.conditions.minimumSourceGrade !== undefined);
/** An owner with a domestic gate and a clause for a purpose its gate has no ground for. */
const GATE_PAIR = quietestPair(reference, (clauses, owner) => {
  const gate = reference.gates.find((item) => item.owner === owner);
  return (
    gate !== undefined &&
    clauses.some(({ clause }) => clause.purposes.some((purpose) => !gateOpens(gate, clause.basis, purpose)))
  );
});

describe('prove kills every planted bug class', () => {
  test('an emergency that opens financial data', () => {
    // The bug: a financial field is answered as if it were the victim's location (the emergency clause's category).
    const buggy = planted((input) => {
      if (input.requester.emergency !== undefined && input.category.startsWith('financial.')) {
        const borrowed = real.decide({ ...input, category: 'victim.location' });
        if (borrowed.effect !== 'withhold') return borrowed;
      }
      return real.decide(input);
    });
    const broken = killed(buggy, EMERGENCY_PAIR);
    expect(broken.get('emergency-no-financial-or-telecom')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^financial\.\w+ falls under financial\.\*, which is excluded$/),
      ]),
    );
  });

  test('a domestic gate that falls back to its first ground when none matches', () => {
    // Planted in the engine's own gate code (policy/gateVerdict.ts), the code the old prover checked the
    // gate with: a copy of the engine is compiled with the buggy module in place.
    let buggy: Policy | undefined;
    jest.isolateModules(() => {
      jest.doMock('../../policy/gateVerdict', () => {
        const actual =
          jest.requireActual<typeof import('../../policy/gateVerdict')>('../../policy/gateVerdict');
        return {
          ...actual,
          gateVerdict: (
            ...args: Parameters<typeof actual.gateVerdict>
          ): ReturnType<typeof actual.gateVerdict> => {
            const [gate] = args;
            const verdict = actual.gateVerdict(...args);
            if (verdict.allowed || !verdict.failure.text.includes('has no ground')) return verdict;
            return {
              allowed: true,
              ref: {
                owner: gate.owner,
                title: gate.title,
                citations: [gate.grounds[0]!.citation, ...gate.requirements.map((item) => item.citation)],
              },
            };
          },
        };
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const engine = require('../../policy/compilePolicy') as typeof import('../../policy/compilePolicy');
      buggy = planted(engine.compilePolicy(real.set).decide);
    });
    const broken = killed(buggy!, GATE_PAIR);
    expect(broken.get('kr-domestic-gate')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^KR domestic gate \(PIPA\) does not allow a \w+ transfer for \w+$/),
      ]),
    );
  });

  test('a handling code downgraded from H2 to H0', () => {
    const buggy = planted((input) => {
      const decision = real.decide(input);
      return decision.obligations?.handlingCode === 'H2'
        ? { ...decision, obligations: { ...decision.obligations, handlingCode: 'H0' } }
        : decision;
    });
    const broken = killed(buggy, H2_PAIR);
    expect(broken.get('obligations-of-determining-clause')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^handlingCode is H0, but .* says H2$/)]),
    );
    // And the invariant about H2 data no longer selects anything: vacuous, so failed too.
    expect(broken.get('h2-stays-with-parties')).toEqual([]);
  });

  test('joint-team membership ignored', () => {
    // The bug: any analyst of a party who names the team is taken for one of its members.
    const buggy = planted((input) => {
      const team = real.set.agreements
        .flatMap((agreement) => agreement.clauses)
        .find((clause) => clause.conditions.jointTeam?.id === input.requester.jointTeam)
        ?.conditions.jointTeam;
      const member = team?.members[input.requester.country]?.[0];
      return real.decide(
        member === undefined ? input : { ...input, requester: { ...input.requester, analyst: member } },
      );
    });
    const broken = killed(buggy, TEAM_PAIR);
    expect(broken.get('joint-team-member-in-scope')).toEqual(
      expect.arrayContaining([expect.stringMatching(/is not a named member of joint team/)]),
    );
  });

  test("joint-team membership taken from any country's list", () => {
    // The bug: an analyst the team names for any country counts as a member for the country they ask from.
    const buggy = planted((input) => {
      const team = teamNamed(input.requester.jointTeam);
      const own = team?.members[input.requester.country] ?? [];
      const namedElsewhere = Object.values(team?.members ?? {}).some((names) =>
        names.includes(input.requester.analyst),
      );
      return real.decide(
        own.length > 0 && namedElsewhere && !own.includes(input.requester.analyst)
          ? { ...input, requester: { ...input.requester, analyst: own[0]! } }
          : input,
      );
    });
    const broken = killed(buggy, TEAM_PAIR);
    expect(broken.get('joint-team-member-in-scope')).toEqual(
      expect.arrayContaining([expect.stringMatching(/is not a named member of joint team/)]),
    );
  });

  test("a joint team's operation scope ignored for a record linked to another operation", () => {
    // The bug: a record linked to any operation is taken as linked to the team's.
    const buggy = planted((input) => {
      const team = teamNamed(input.requester.jointTeam);
      const operations = input.record?.operations ?? [];
      return real.decide(
        team !== undefined && operations.length > 0
          ? { ...input, record: { ...input.record, operations: [team.operation] } }
          : input,
      );
    });
    const broken = killed(buggy, TEAM_PAIR);
    expect(broken.get('joint-team-member-in-scope')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^the record is not shown to be linked to operation /)]),
    );
  });

  test('the source left unnotified when the emergency is a registered one', () => {
    // The bug sits on the path every real emergency takes: the gateway sends its registration's id.
    const buggy = planted((input) => {
      const decision = real.decide(input);
      return decision.obligations?.emergency !== undefined
        ? { ...decision, obligations: { ...decision.obligations, notifySource: false } }
        : decision;
    });
    const broken = killed(buggy, EMERGENCY_PAIR);
    expect(broken.get('obligations-of-determining-clause')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^notifySource is false, but .* says true$/)]),
    );
  });

  test('emergency expiry ignored', () => {
    const buggy = planted((input) => {
      const emergency = input.requester.emergency;
      return real.decide(
        emergency !== undefined && input.at >= emergency.declaredAt ? withEmergency(input, input.at) : input,
      );
    });
    const broken = killed(buggy, EMERGENCY_PAIR);
    expect(broken.get('emergency-running')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^the emergency declaration expired \(24 h after it was made\)$/),
      ]),
    );
  });

  test('source grade ignored', () => {
    const buggy = compiledFrom((set) => ({
      ...set,
      agreements: set.agreements.map((agreement) => ({
        ...agreement,
        clauses: agreement.clauses.map(
          ({ conditions: { minimumSourceGrade: _ignored, ...conditions }, ...clause }) => ({
            ...clause,
            conditions,
          }),
        ),
      })),
    }));
    const broken = killed(buggy, GRADE_PAIR);
    expect(broken.get('minimum-source-grade')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^the record's source grade \S+ is below the clause's minimum B$/),
      ]),
    );
  });

  test('future-dated emergency declarations accepted', () => {
    const buggy = planted((input) => {
      const emergency = input.requester.emergency;
      return real.decide(
        emergency !== undefined && input.at < emergency.declaredAt ? withEmergency(input, input.at) : input,
      );
    });
    const broken = killed(buggy, EMERGENCY_PAIR);
    expect(broken.get('emergency-running')).toEqual([
      'the emergency is declared after the moment asked about',
    ]);
  });
});
