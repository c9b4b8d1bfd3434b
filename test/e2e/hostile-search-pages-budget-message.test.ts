// Red-team 14b: the query-budget refusal names the owner's limit ("at most 3 distinct search terms"),
// while the issue-14 refusals never say a limit's value (gateway/limits.ts, answers.test.ts).
import { analyst, startAlliance, type Alliance } from '../support/alliance';

describe('red team 14b: the budget refusal', () => {
  let alliance: Alliance;
  beforeAll(async () => {
    alliance = await startAlliance({ searchTermsPerMinute: 3 });
  }, 240_000);
  afterAll(() => alliance?.stop());

  it('the search budget refusal names no limit value (as the size refusals do not)', async () => {
    const TH = analyst('TH', 'budget2.th', { purpose: 'investigation', case: 'TH-CAS-000001' });
    let message = '';
    for (const t of ['Tiger', 'Dragon', 'Phoenix', 'Falcon']) {
      const { body } = await alliance.query(
        `{ search(term: "${t}", countries: ["KR"]) { suspectsConnection(first: 1) { totalCount } } }`,
        { headers: TH },
      );
      const refused = body.errors?.find((e) => e.extensions?.['code'] === 'SEARCH_BUDGET_EXCEEDED');
      if (refused) message = refused.message;
    }
    expect(message).not.toBe('');
    expect(message).not.toMatch(/\d/);
  });
});
