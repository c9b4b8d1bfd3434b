/**
 * Taking back a filing the owner could not record (RequestStore.withdraw, used by the owner's subgraph when
 * `request.filed` cannot be written): only a request nobody has acted on goes; one the desk has touched stays.
 */
import { loadDefaultPolicy } from '../../policy';
import { openRequestStore, type FollowUpFiling } from '../../subgraphs/desk';

const policy = loadDefaultPolicy();
const DAY = 86_400_000;
const AT = Date.UTC(2026, 5, 1, 9);

/** A clause bound to a formal request, its owner and a requester, from the agreement set. */
const ROUTE = (() => {
  for (const agreement of policy.set.agreements) {
    for (const clause of agreement.clauses.filter((c) => c.conditions.requestReference === true)) {
      const { from, to } =
        clause.direction === 'both' ? { from: agreement.parties, to: agreement.parties } : clause.direction;
      const owner = from[0];
      const requester = to.find((country) => country !== owner);
      if (owner !== undefined && requester !== undefined)
        return { agreement, clause, owner, requester, category: Object.keys(clause.categories)[0]! };
    }
  }
  throw new Error('no clause bound to a formal request in the agreement set');
})();

const filing: FollowUpFiling = {
  owner: ROUTE.owner,
  requesterCountry: ROUTE.requester,
  analyst: 'lee.h',
  authority: 'National Police',
  caseReference: `${ROUTE.requester}-CAS-000001`,
  offences: ['fraud'],
  facts: 'Victims paid into accounts controlled from a compound.',
  subjects: [`${ROUTE.owner}-SUS-000001`],
  categories: [ROUTE.category],
  purpose: ROUTE.clause.purposes[0]!,
  agreement: ROUTE.agreement.id,
  clauses: [ROUTE.clause.id],
  urgency: 'normal',
  intendedUse: 'intelligence',
  confidentiality: 'none',
};

test('a filing nobody acted on is taken back; one the desk has acted on, or none at all, is not', () => {
  const store = openRequestStore({ owner: ROUTE.owner, file: ':memory:' });
  try {
    const untouched = store.file(filing, AT, AT + 7 * DAY);
    const asked = store.file(filing, AT, AT + 7 * DAY);
    const moved = store.transition(asked.id, 'pending', 'info-requested', {
      at: AT + 1,
      by: `${ROUTE.owner}/desk.one`,
      act: 'info-requested',
      text: 'Which transfers?',
    });
    expect(moved.changed).toBe(true);

    expect(store.withdraw(untouched.id)).toBe(true);
    expect(store.get(untouched.id)).toBeUndefined();
    expect(store.withdraw(asked.id)).toBe(false);
    expect(store.get(asked.id)?.state).toBe('info-requested');
    expect(store.withdraw(untouched.id)).toBe(false);
    expect(store.list().map((r) => r.id)).toEqual([asked.id]);
  } finally {
    store.close();
  }
});
