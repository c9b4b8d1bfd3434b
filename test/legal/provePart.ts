/**
 * Proofs on a part of the set, for the tests that plant one bug and watch `prove` fail
 * (test/legal/prove.test.ts and the prove-planted tests beside it): a whole proof asks about a million and
 * a half questions, a pair of members from a thirtieth to a third of them.
 *
 * Why a part shows what the whole shows: prove (legal/prove.ts) asks its questions between the members of
 * the reference set it is given (legal/proveQuestions.ts), and builds everything else of a question (the
 * profiles, the moments, the grants) from the agreements, which stay whole here; the reference model reads
 * only the agreements and the gates. A reference with two members asks exactly the questions the whole
 * proof asks of that pair, and the model answers them exactly as there: a violation or a disagreement
 * found on the part is one the whole proof finds too. A planted bug shows between the members of the
 * clauses it concerns, so each test proves on such a pair, read from the data (`quietestPair`).
 *
 * What a part shows that the whole does not: an invariant that selects nothing there (no joint team
 * between the two, no owner with a domestic gate) is vacuous, and fails. So a proof on a part is read
 * against the real engine's proof on the same part (`realProofs`, `failingBeyond`): what fails for the
 * engine under test and holds for the real one is what the planted bug broke.
 */
import type { Agreement, Clause, Policy } from '../../policy';
import { prove, type Invariant, type InvariantResult, type Proof } from '../../legal';
import type { ReferenceSet } from '../../legal/readReferenceSet';

/** A clause under which one member's data may go to another, with its agreement. */
export interface Flowing {
  readonly agreement: Agreement;
  readonly clause: Clause;
}

/** The clauses of the set under which `owner`'s data may go to `requester`, by their direction. */
export function flowing(set: Pick<ReferenceSet, 'agreements'>, owner: string, requester: string): Flowing[] {
  return set.agreements.flatMap((agreement) =>
    agreement.clauses
      .filter((clause) => {
        const senders = clause.direction === 'both' ? agreement.parties : clause.direction.from;
        const receivers = clause.direction === 'both' ? agreement.parties : clause.direction.to;
        return senders.includes(owner) && receivers.includes(requester);
      })
      .map((clause) => ({ agreement, clause })),
  );
}

/**
 * The two members, owner first, between whom the bug can show (`shows`, given the clauses under which
 * the owner's data may go to the requester), that are both party to the fewest agreements: the fewest
 * questions, and the fewest other clauses in the way. Ties go to the first pair in the set's order.
 */
export function quietestPair(
  set: ReferenceSet,
  shows: (clauses: readonly Flowing[], owner: string, requester: string) => boolean,
): [string, string] {
  const codes = set.members.map((member) => member.code);
  const shared = (a: string, b: string): number =>
    set.agreements.filter((agreement) => agreement.parties.includes(a) && agreement.parties.includes(b))
      .length;
  let best: { pair: [string, string]; shared: number } | undefined;
  for (const owner of codes) {
    for (const requester of codes) {
      if (owner === requester || !shows(flowing(set, owner, requester), owner, requester)) continue;
      const count = shared(owner, requester);
      if (best === undefined || count < best.shared) best = { pair: [owner, requester], shared: count };
    }
  }
  if (best === undefined) throw new Error('test setup: no two members of the set between whom the bug shows');
  return best.pair;
}

/** The reference set with only these members (every agreement and gate kept). */
export function partOf(set: ReferenceSet, members: readonly string[]): ReferenceSet {
  const part = set.members.filter((member) => members.includes(member.code));
  if (part.length !== members.length)
    throw new Error(`test setup: ${members.join(', ')} are not all members of the set`);
  return { ...set, members: part };
}

/**
 * The real engine's proof on parts of `whole`, each proven once: no invariant broken and the model agreeing
 * (a part's questions are the whole's, on which the real engine proves clean: test/legal/prove.test.ts),
 * only vacuous invariants failing.
 */
export function realProofs(
  real: Policy,
  invariants: readonly Invariant[],
  whole: ReferenceSet,
): (members: readonly string[]) => Proof {
  const proofs = new Map<string, Proof>();
  return (members) => {
    const key = [...members].sort().join(' ');
    let proof = proofs.get(key);
    if (proof === undefined) {
      proof = prove(real, invariants, { reference: partOf(whole, members) });
      proofs.set(key, proof);
    }
    expect(proof.model).toMatchObject({ holds: true, disagreements: 0 });
    expect(
      proof.results.filter((result) => result.violations > 0 || !(result.holds || result.vacuous)),
    ).toEqual([]);
    return proof;
  };
}

/** The invariants that fail in `proof` and hold in `real`, the real engine's proof on the same part. */
export function failingBeyond(proof: Proof, real: Proof): InvariantResult[] {
  const held = new Set(real.results.filter((result) => result.holds).map((result) => result.invariant.id));
  return proof.results.filter((result) => !result.holds && held.has(result.invariant.id));
}
