import * as kr from '../../subgraphs/kr';
import { DEMO_IDS } from '../../subgraphs/reference';
import { entitiesQuery, referenceSubgraph, type ReferenceSubgraph } from './referenceHarness';

/**
 * DataLoader batches the store: the SQL statements one subgraph request runs depend on the shape of the
 * query (one per kind per level), not on how many records it asks for.
 */
describe('SQL statements per subgraph request', () => {
  const statements: string[] = [];
  let subgraph: ReferenceSubgraph;
  beforeAll(() => {
    // Size 2000 gives KR 640 suspects: enough for a batch of 500.
    subgraph = referenceSubgraph(kr, { size: 2000, onStatement: (sql) => statements.push(sql) });
  });
  afterAll(() => subgraph.system.close?.());

  async function countStatements(query: string, variables: Record<string, unknown>): Promise<number> {
    statements.length = 0;
    const result = await subgraph.run(query, variables);
    expect(result.errors).toBeUndefined();
    return statements.length;
  }

  const suspects = (n: number): { __typename: string; id: string }[] =>
    Array.from({ length: n }, (_, i) => ({
      __typename: 'KRSuspect',
      id: `KR-SUS-${String(i + 1).padStart(6, '0')}`,
    }));

  it('is the same for 1 and for 500 entities, own references included', async () => {
    // Suspects, the ids of their own linked cases (a second kind, loaded to decide them) and of their own
    // associates (suspects again, loaded to decide them). The records themselves are asked in a later
    // request (docs/decisions/0020-references-through-the-hub.md).
    const query = entitiesQuery('... on KRSuspect { id fullName linkedCaseIds associateIds }');
    // Tiger (KR-SUS-000001) has own associates KR-SUS-000002 and -000003. They stay out of the big batch
    // too, so that both requests need the associates' level: a record already loaded in the request
    // comes from the loader's cache, which can only lower the count.
    const batch = [{ __typename: 'KRSuspect', id: DEMO_IDS.tigerKR }, ...suspects(502).slice(3)];
    expect(batch).toHaveLength(500);
    const one = await countStatements(query, { representations: batch.slice(0, 1) });
    const many = await countStatements(query, { representations: batch });
    expect(one).toBe(3);
    expect(many).toBe(one);
  });

  it('is one statement for a flat batch of 500', async () => {
    const query = entitiesQuery('... on KRSuspect { id fullName aliases phones }');
    expect(await countStatements(query, { representations: suspects(1) })).toBe(1);
    expect(await countStatements(query, { representations: suspects(500) })).toBe(1);
  });

  it('is one search and one load per kind for a search', async () => {
    const query = entitiesQuery(
      '... on KRSearch { suspects { id } compounds { id } cases { id } victims { id } }',
    );
    expect(
      await countStatements(query, {
        representations: [{ __typename: 'KRSearch', term: 'kim', country: 'KR' }],
      }),
    ).toBeLessThanOrEqual(5);
    expect(
      await countStatements(query, {
        representations: [{ __typename: 'KRSearch', term: DEMO_IDS.tigerKR, country: 'KR' }],
      }),
    ).toBeLessThanOrEqual(5);
  });

  it('never shares a loader between requests', async () => {
    const query = entitiesQuery('... on KRSuspect { id }');
    const first = await countStatements(query, { representations: suspects(3) });
    const second = await countStatements(query, { representations: suspects(3) });
    expect([first, second]).toEqual([1, 1]);
  });
});
