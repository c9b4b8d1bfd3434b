// The owner's per-request decision memo (subgraphs/kit/authorization/state.ts `decide`): every field of a
// record asks for its record's decision, and the answer may come from a memo instead of the engine. Pinned
// here: whatever the order of asking, the memo answers exactly what the engine answers for that category,
// that record and that requester — two categories of one record, two records, and two requests (one
// record object seen by both) never share a decision they should not. The oracle is a fresh engine call
// per question, with the record's facts written out by hand.
import { loadDefaultPolicy, type Decision, type RecordFacts, type RequestContext } from '../../policy';
import { SOURCE_GRADES } from '../../policy/sourceGrades';
import { CATEGORIES, PURPOSES } from '../../vocabulary';
import { AuthorizationState } from '../../subgraphs/kit/authorization/state';

const policy = loadDefaultPolicy();

/** What a field's rule and the owner's record reads from a decision. */
function outcome(decision: Decision) {
  return {
    effect: decision.effect,
    reason: decision.reason,
    clauses: decision.clauses,
    obligations: decision.obligations,
  };
}

interface Asking {
  readonly owner: string;
  readonly requester: RequestContext;
  readonly at: number;
}

/**
 * Requests whose decisions depend on the record, derived from the agreements: for every joint team, each
 * of its analysts asking another party's records, for every purpose (so that two requests to one owner
 * differ by purpose alone), inside the team's window.
 */
function askings(): Asking[] {
  const out: Asking[] = [];
  const teams = new Map(
    policy.set.agreements.flatMap((agreement) =>
      agreement.clauses.flatMap((clause) =>
        clause.conditions.jointTeam
          ? [[clause.conditions.jointTeam.id, clause.conditions.jointTeam] as const]
          : [],
      ),
    ),
  );
  for (const team of teams.values()) {
    const at = (Date.parse(team.validFrom) + Date.parse(team.validUntil)) / 2;
    const countries = Object.keys(team.members);
    for (const [country, analysts] of Object.entries(team.members)) {
      for (const owner of countries.filter((c) => c !== country)) {
        for (const purpose of PURPOSES) {
          out.push({
            owner,
            at,
            requester: {
              country,
              analyst: analysts[0]!,
              roles: ['analyst'],
              purpose,
              caseReference: `${country}-CAS-000001`,
              jointTeam: team.id,
            },
          });
        }
      }
    }
  }
  return out;
}

/** Records inside and outside each team's operation, of every source grade and none. */
function recordsFor(operations: readonly string[]): RecordFacts[] {
  const records: RecordFacts[] = [];
  let n = 0;
  for (const linked of [...operations.map((o) => [o]), ['OP-NOT-A-TEAMS'], []])
    for (const grade of [...SOURCE_GRADES, undefined]) {
      n += 1;
      records.push({
        id: `XX-SUS-${String(n).padStart(6, '0')}`,
        operations: linked,
        ...(grade !== undefined ? { sourceGrade: grade } : {}),
      });
    }
  return records;
}

describe("the owner's decision memo", () => {
  const requests = askings();
  const operations = [
    ...new Set(
      policy.set.agreements.flatMap((a) => a.clauses.flatMap((c) => c.conditions.jointTeam?.operation ?? [])),
    ),
  ];
  // One set of record objects for every request: a national system may hand the same object to two
  // requests, and a memo that outlived its request would then answer the second with the first's decision.
  const facts = recordsFor(operations);
  const shared = facts.map((record) => ({ __typename: 'XXSuspect', ...record }));

  it('is derived from agreements that have record-dependent decisions (the test is not vacuous)', () => {
    expect(requests.length).toBeGreaterThan(1);
    expect(operations.length).toBeGreaterThan(0);
  });

  it('answers every category of every record as the engine does, whatever the order of asking', () => {
    let sameRecordCategoriesDiffer = 0;
    let sameCategoryRecordsDiffer = 0;
    const byRequest = new Map<string, string>();
    for (const [r, { owner, requester, at }] of requests.entries()) {
      const state = new AuthorizationState(policy, owner, requester, at);
      // Category by category over the records, then record by record over the categories, twice: the
      // memo's first and later answers are both checked.
      const orders = [
        CATEGORIES.flatMap((category) => shared.map((_, i) => [i, category] as const)),
        shared.flatMap((_, i) => CATEGORIES.map((category) => [i, category] as const)),
      ];
      for (const order of orders) {
        for (const [i, category] of order) {
          const got = outcome(state.decide(category, shared[i]));
          const expected = outcome(policy.decide({ requester, owner, category, at, record: facts[i]! }));
          expect({ request: r, record: facts[i], category, ...got }).toEqual({
            request: r,
            record: facts[i],
            category,
            ...expected,
          });
        }
      }
      for (const [i] of shared.entries()) {
        const effects = new Set(CATEGORIES.map((category) => state.decide(category, shared[i]).effect));
        if (effects.size > 1) sameRecordCategoriesDiffer += 1;
      }
      for (const category of CATEGORIES) {
        const effects = new Set(shared.map((record) => state.decide(category, record).effect));
        if (effects.size > 1) sameCategoryRecordsDiffer += 1;
      }
      byRequest.set(
        `${owner}/${requester.country}/${requester.jointTeam}/${requester.purpose}`,
        JSON.stringify(shared.map((record) => CATEGORIES.map((c) => state.decide(c, record).effect))),
      );
    }
    // The property bites: one record's categories are decided differently, one category differs between
    // records (inside and outside an operation), and requests that differ by purpose alone are decided
    // differently on the same record objects.
    expect(sameRecordCategoriesDiffer).toBeGreaterThan(0);
    expect(sameCategoryRecordsDiffer).toBeGreaterThan(0);
    const answersPerPair = new Map<string, Set<string>>();
    for (const [key, answers] of byRequest) {
      const pair = key.split('/').slice(0, 3).join('/');
      (answersPerPair.get(pair) ?? answersPerPair.set(pair, new Set()).get(pair)!).add(answers);
    }
    expect([...answersPerPair.values()].some((answers) => answers.size > 1)).toBe(true);
  });
});
