// A joint team the analyst's identity provider attests (the token's `jit` claim) and the team the analyst
// declares (Accord-JIT) must agree (review finding 5): a token attesting one team with the header of
// another is refused whole, as a bad declaration, before any member is asked. Teams and their named members
// come from the agreements.
import { loadDefaultPolicy } from '../../policy';
import { DEFAULT_ANALYST_AUDIENCE, signDemoAnalystToken } from '../../trust';
import { USAGE } from '../../scripts/token';
import { post, startAlliance, type Alliance } from '../support/alliance';

const policy = loadDefaultPolicy();
const TEAMS = [
  ...new Map(
    policy.set.agreements
      .flatMap((agreement) => agreement.clauses.map((clause) => clause.conditions?.jointTeam))
      .filter((team) => team !== undefined)
      .map((team) => {
        const [country, analysts] = Object.entries(team.members)[0]!;
        return [team.id, { id: team.id, country, analyst: analysts[0]! }] as const;
      }),
  ).values(),
];

let alliance: Alliance;
beforeAll(async () => {
  alliance = await startAlliance();
});
afterAll(() => alliance.stop());

it('the agreements name at least one joint team, and `npm run token -- --help` gives one of them as its example', () => {
  expect(TEAMS.length).toBeGreaterThan(0);
  const example = /--jit\s.*?\(e\.g\. ([^)\s]+)\)/.exec(
    USAGE.split('\n').find((line) => line.trimStart().startsWith('--jit'))!,
  )?.[1];
  expect(TEAMS.map((team) => team.id)).toContain(example);
});

describe.each(TEAMS.map((team) => [team.id, team] as const))('joint team %s', (_id, team) => {
  const ask = async (claim: string | undefined, header: string) => {
    const token = await signDemoAnalystToken({
      dir: alliance.idpDir,
      country: team.country,
      analyst: team.analyst,
      roles: ['analyst'],
      ...(claim !== undefined ? { jit: claim } : {}),
      audience: DEFAULT_ANALYST_AUDIENCE,
    });
    return post(
      alliance.gatewayUrl,
      { query: '{ members { code } }' },
      { authorization: `Bearer ${token}`, 'accord-purpose': 'investigation', 'accord-jit': header },
    );
  };

  it('a token attesting another team, with this team in Accord-JIT, is refused', async () => {
    const answer = await ask(`NOT-${team.id}`, team.id);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/accord-jit/i),
        extensions: expect.objectContaining({ code: 'BAD_REQUEST' }),
      }),
    ]);
    expect(answer.body.data ?? null).toBeNull();
  });

  it('a token attesting this team, or none, with this team in Accord-JIT, is answered', async () => {
    expect((await ask(team.id, team.id)).status).toBe(200);
    expect((await ask(undefined, team.id)).status).toBe(200);
  });
});
