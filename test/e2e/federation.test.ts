// The federated graph end to end: real HTTP on 127.0.0.1, every member's subgraph, the hub, the gateway.
import { startAlliance, analyst, type Alliance } from '../support/alliance';
import { DEFAULT_ANALYST_AUDIENCE, LEGAL_TEAM_ROLE, signDemoAnalystToken } from '../../trust';
import { MEMBERS, subgraphName } from '../../schema';

const KR_DOMESTIC = analyst('KR', 'kim.j', { purpose: 'investigation', case: 'KR-CAS-000001' });

describe('one analyst query across borders', () => {
  let alliance: Alliance;
  const plans: unknown[] = [];
  beforeAll(async () => {
    alliance = await startAlliance({ onQueryPlan: (plan) => plans.push(plan), legalPage: true });
  });
  afterAll(() => alliance.stop());

  it('answers a search for a name on file across the scenario from at least four countries', async () => {
    const { status, body } = await alliance.query(
      '{ search(term: "Tiger") { country suspects { id country aliases } } }',
      { headers: KR_DOMESTIC },
    );
    expect(status).toBe(200);
    const search = body.data!['search'] as {
      country: string;
      suspects: { id: string; country: string }[] | null;
    }[];
    // One entry per member, in the registry's order.
    expect(search.map((s) => s.country)).toEqual(MEMBERS.map((member) => member.code));
    const owners = new Set(search.flatMap((s) => (s.suspects ?? []).map((suspect) => suspect.country)));
    expect(owners.size).toBeGreaterThanOrEqual(4);
  });

  it('plans a search as one hub fetch, then one parallel step with one fetch per member', async () => {
    plans.length = 0;
    await alliance.query('{ search(term: "Tiger") { country suspects { id fullName } } }', {
      headers: KR_DOMESTIC,
    });
    const plan = plans[0] as {
      node: {
        kind: string;
        nodes: {
          kind: string;
          serviceName?: string;
          nodes?: { kind: string; node: { serviceName: string } }[];
        }[];
      };
    };
    expect(plan.node.kind).toBe('Sequence');
    const [first, second, ...rest] = plan.node.nodes;
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ kind: 'Fetch', serviceName: 'alliance' });
    expect(second!.kind).toBe('Parallel');
    expect(second!.nodes!.map((node) => node.node.serviceName).sort()).toEqual(
      MEMBERS.map((member) => subgraphName(member.code)).sort(),
    );
  });

  it("resolves a KH compound's operators owned by KR and TH in one query", async () => {
    const { body } = await alliance.query(
      '{ compound(id: "KH-CMP-000001") { id name operators { id country } } }',
      {
        headers: analyst('KH', 'sok.r', { purpose: 'investigation' }),
      },
    );
    const compound = body.data!['compound'] as { operators: { country: string }[] };
    expect(new Set(compound.operators.map((o) => o.country))).toEqual(new Set(['KH', 'KR', 'TH']));
  });

  it('keeps data selected through type conditions on abstract lists (the __typename pitfall)', async () => {
    const { body } = await alliance.query(
      '{ search(term: "Tiger", countries: ["KR"]) { suspects { ... on KRSuspect { fullName } } } }',
      {
        headers: KR_DOMESTIC,
      },
    );
    const search = body.data!['search'] as { suspects: Record<string, unknown>[] }[];
    expect(search[0]!.suspects[0]).toEqual({ fullName: expect.any(String) });
  });

  it('leaves __typename in the answer where the analyst asked for it', async () => {
    const { body } = await alliance.query(
      '{ search(term: "Tiger", countries: ["KR"]) { suspects { __typename id } } }',
      { headers: KR_DOMESTIC },
    );
    const search = body.data!['search'] as { suspects: Record<string, unknown>[] }[];
    expect(search[0]!.suspects[0]).toEqual({ __typename: 'KRSuspect', id: 'KR-SUS-000001' });
  });

  it('serves the legal workbench page and a health endpoint beside GraphQL', async () => {
    const origin = new URL(alliance.gatewayUrl).origin;
    // The workbench is for members' legal teams (test/legal/access.test.ts covers who is refused).
    expect((await fetch(`${origin}/legal`)).status).toBe(401);
    const legalTeam = await signDemoAnalystToken({
      dir: alliance.idpDir,
      country: 'KR',
      analyst: 'legal.kr',
      roles: [LEGAL_TEAM_ROLE],
      audience: DEFAULT_ANALYST_AUDIENCE,
    });
    const page = await fetch(`${origin}/legal`, { headers: { authorization: `Bearer ${legalTeam}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(await page.text()).toContain('<html');
    const health = await fetch(`${origin}/health`);
    expect(await health.json()).toEqual({
      ok: true,
      supergraph: { loaded: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  });
});
