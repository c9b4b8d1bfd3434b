// What an owner notes of a request's releases (subgraphs/kit/authorization/state.ts `noteRelease`): one
// entry per clause (and grant), with every category it released. Rules call it once per released field;
// after the first field of a decision and category the call is a lookup. Pinned here: whatever the order
// and the repetitions, the notes are those of every (decision, category) pair noted, counted once. The
// oracle builds them from the list of calls, by the clauses each decision cites.
import { loadDefaultPolicy, type Decision } from '../../policy';
import { MEMBERS } from '../../schema';
import { CATEGORIES, PURPOSES, type Category } from '../../vocabulary';
import { AuthorizationState } from '../../subgraphs/kit/authorization/state';

const policy = loadDefaultPolicy();
const AT = Date.parse('2026-03-01T00:00:00Z');

/** Releases the engine gives across the registry's pairs, each with the category it was decided for. */
function releases(): { decision: Decision; category: Category; requester: string; owner: string }[] {
  const out: { decision: Decision; category: Category; requester: string; owner: string }[] = [];
  for (const owner of MEMBERS)
    for (const requester of MEMBERS.filter((m) => m.code !== owner.code))
      for (const purpose of PURPOSES)
        for (const category of CATEGORIES) {
          const decision = policy.decide({
            requester: { country: requester.code, analyst: 'a', roles: ['analyst'], purpose },
            owner: owner.code,
            category,
            at: AT,
          });
          if (decision.effect === 'release' && decision.clauses.length > 0)
            out.push({ decision, category, requester: requester.code, owner: owner.code });
        }
  return out;
}

function oracle(calls: readonly [Decision, Category][]): Record<string, string[]> {
  const notes: Record<string, Set<string>> = {};
  for (const [decision, category] of calls)
    for (const clause of decision.clauses)
      (notes[`${clause.agreement}/${clause.clause}/${decision.grant ?? ''}`] ??= new Set()).add(category);
  return Object.fromEntries(Object.entries(notes).map(([key, set]) => [key, [...set].sort()]));
}

function noted(state: AuthorizationState): Record<string, string[]> {
  return Object.fromEntries(
    [...state.releases.values()].map((release) => [
      `${release.clause.agreement}/${release.clause.clause}/${release.grant ?? ''}`,
      [...release.categories].sort(),
    ]),
  );
}

describe("an owner's notes of what a request released", () => {
  const found = releases();
  const first = found[0]!;
  // Another release for the same pair, under another decision, when the agreements give one.
  const other = found.find(
    (r) => r.owner === first.owner && r.requester === first.requester && r.decision !== first.decision,
  );

  it('has releases to note (derived from the agreements)', () => {
    expect(found.length).toBeGreaterThan(0);
    expect(other).toBeDefined();
  });

  it('counts every category of one decision, and every decision, however often and in whatever order', () => {
    const categories = CATEGORIES.filter((c) => c !== first.category).slice(0, 2);
    const calls: [Decision, Category][] = [
      [first.decision, first.category],
      [first.decision, first.category],
      // The same decision object noted for other categories (the memo must not stop at the decision).
      ...categories.map((c): [Decision, Category] => [first.decision, c]),
      [other!.decision, other!.category],
      [first.decision, categories[0]!],
      [other!.decision, first.category],
    ];
    const state = new AuthorizationState(
      policy,
      first.owner,
      { country: first.requester, analyst: 'a', roles: ['analyst'], purpose: PURPOSES[0] },
      AT,
    );
    for (const [decision, category] of calls) state.noteRelease(decision, category);
    expect(noted(state)).toEqual(oracle(calls));
  });
});
