// The query budget runs on its own monotonic clock, not on the clock decisions are made at: with the
// decision clock fixed (ACCORD_CLOCK in development, a fixed instant in tests), a minute of the budget
// still passes, and a term refused for the budget is answered once its minute is over.
import { MEMBERS, concreteTypeName } from '../../schema';
import type { RequestContext } from '../../policy';
import { SearchBudget } from '../../subgraphs/kit';
import { TEST_NOW } from '../support/alliance';
import { REFERENCE_MEMBERS, referenceSubgraph } from '../subgraphs/referenceHarness';

describe('the search budget on a fixed decision clock', () => {
  const member = REFERENCE_MEMBERS[0]!;
  const owner = member.COUNTRY;
  const foreign = MEMBERS.find((m) => m.code !== owner)!.code;
  let now = 0;
  const subgraph = referenceSubgraph(member, { size: 60, searchBudget: new SearchBudget(2, () => now) });
  afterAll(() => subgraph.store.close());

  const requester: RequestContext = {
    country: foreign,
    analyst: 'budget.clock',
    roles: [],
    purpose: 'investigation',
    caseReference: `${foreign}-CASE-1`,
  };
  const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${concreteTypeName(owner, 'Search')} { term } } }`;
  /** Searches one term at the fixed decision instant; the error codes it got. */
  const search = async (term: string): Promise<unknown[]> => {
    const result = await subgraph.run(
      query,
      { representations: [{ __typename: concreteTypeName(owner, 'Search'), term, country: owner }] },
      requester,
      TEST_NOW,
    );
    return (result.errors ?? []).map((error) => error.extensions?.['code']);
  };

  it('refuses a term beyond the budget, and answers it a minute later on the budget clock though the decision clock stands still', async () => {
    expect(await search('alpha')).toEqual([]);
    expect(await search('bravo')).toEqual([]);
    expect(await search('charlie')).toEqual(['SEARCH_BUDGET_EXCEEDED']);
    now += 59_999;
    expect(await search('charlie')).toEqual(['SEARCH_BUDGET_EXCEEDED']);
    now += 1;
    expect(await search('charlie')).toEqual([]);
  });
});
