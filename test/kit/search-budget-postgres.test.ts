/**
 * The query budget shared by all of a member's processes (issue 13, item 2; subgraphs/kit/search/
 * postgresSearchBudget.ts): two budgets on one database stand for two processes of one member; what one
 * counted, the other sees. On a real PostgreSQL started on loopback (skipped outside CI when it is not
 * installed, as the audit's PostgreSQL tests are).
 */
import { Client } from 'pg';
import {
  SearchBudgetUnavailable,
  openPostgresSearchBudget,
  type PostgresSearchBudget,
} from '../../subgraphs/kit';
import { withSearchBudget } from '../../subgraphs/kit/search';
import { MEMBERS } from '../../schema';
import { findPostgresBin, startPostgres, type PostgresServer } from '../audit/support/postgres';

const available = findPostgresBin() !== undefined || process.env['CI'] === 'true';
const [OWNER, OTHER_OWNER, ASKER] = MEMBERS.map((member) => member.code) as [string, string, string];
const analyst = (name: string): string => `${ASKER}\0${name}`;

(available ? describe : describe.skip)("the query budget shared by a member's processes", () => {
  let server: PostgresServer;
  let url: string;
  const opened: PostgresSearchBudget[] = [];
  const open = async (member = OWNER, termsPerMinute = 3): Promise<PostgresSearchBudget> => {
    const budget = await openPostgresSearchBudget({ url, member, termsPerMinute });
    opened.push(budget);
    return budget;
  };

  beforeAll(async () => {
    const started = await startPostgres();
    if (!started.server) throw new Error(started.skip);
    server = started.server;
    url = await server.createDatabase();
  }, 60_000);
  afterAll(async () => {
    for (const budget of opened) await budget.close();
    await server?.stop();
  });

  it("counts one analyst's distinct terms across every process of the member, and only its own", async () => {
    const first = await open();
    const second = await open();
    expect(await first.charge(analyst('a'), 'one')).toBe(true);
    expect(await second.charge(analyst('a'), 'two')).toBe(true);
    expect(await first.charge(analyst('a'), 'three')).toBe(true);
    // The fourth distinct term is refused, whichever process it reaches.
    expect(await second.charge(analyst('a'), 'four')).toBe(false);
    expect(await first.charge(analyst('a'), 'four')).toBe(false);
    // A term already counted costs nothing again, at either process.
    expect(await second.charge(analyst('a'), 'one')).toBe(true);
    // Another analyst's budget, and another member's, are their own.
    expect(await second.charge(analyst('b'), 'four')).toBe(true);
    expect(await (await open(OTHER_OWNER)).charge(analyst('a'), 'four')).toBe(true);
  });

  it('frees the place of a term counted more than a minute ago (on the database clock)', async () => {
    const budget = await open(OWNER, 1);
    expect(await budget.charge(analyst('c'), 'old')).toBe(true);
    expect(await budget.charge(analyst('c'), 'new')).toBe(false);
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(
      'UPDATE accord_search_terms SET counted_at = counted_at - 61 WHERE member = $1 AND analyst = $2',
      [OWNER, Buffer.from(analyst('c')).toString('base64')],
    );
    await client.end();
    expect(await budget.charge(analyst('c'), 'new')).toBe(true);
    expect(await budget.charge(analyst('c'), 'old')).toBe(false);
  });

  it("fails closed in the member's search: a budget that cannot answer refuses the term as unavailable", async () => {
    const budget = await open();
    await budget.close();
    const searched: unknown[] = [];
    const type = `${OWNER}Search`;
    const guarded = withSearchBudget(
      { [type]: { __resolveReference: (reference: unknown) => searched.push(reference) } },
      OWNER,
    ) as Record<string, { __resolveReference: (r: unknown, c: unknown, i: unknown) => Promise<unknown> }>;
    const context = {
      accord: { requester: { country: ASKER, analyst: 'e' }, trail: undefined },
      searchBudget: budget,
    };
    const answer = guarded[type]!.__resolveReference({ country: OWNER, term: 'Tiger' }, context, undefined);
    await expect(answer).rejects.toMatchObject({ extensions: { code: 'MEMBER_UNAVAILABLE' } });
    expect(searched).toEqual([]);
  });

  it('refuses a charge it cannot answer, never admits it', async () => {
    const budget = await open();
    await budget.close();
    await expect(budget.charge(analyst('d'), 'one')).rejects.toThrow(SearchBudgetUnavailable);
    await expect(
      openPostgresSearchBudget({
        url: 'postgres://nobody@127.0.0.1:1/none',
        member: OWNER,
        termsPerMinute: 3,
        timeoutMs: 500,
      }),
    ).rejects.toThrow(/Cannot open the shared search budget/);
    await expect(open(OWNER, 0)).rejects.toThrow(/whole number of search terms/);
  });
});
