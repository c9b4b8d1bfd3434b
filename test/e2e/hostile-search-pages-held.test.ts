// Red-team 14b: search pages (issue 14 item 4) and refusal hints (item 3) probed as an attacker would.
// These probes HELD (they pass on main); kept as regression tests.
import { loadDefaultPolicy, parseRequestHeaders } from '../../policy';
import { createWorld } from '../../subgraphs/reference';
import { analyst, startAlliance, TEST_NOW, type Alliance } from '../support/alliance';

const world = createWorld({});
const words = (v: string): string =>
  v
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
const JTF = analyst('KR', 'kim.j', {
  purpose: 'investigation',
  case: 'KR-CAS-000001',
  jit: 'JTF-KR-KH-2025',
});

/** KH victims' names as KR's joint-team analyst may or may not read them (victim.identity, record by record). */
function victimNames(): { hidden: string[]; visible: string[] } {
  const policy = loadDefaultPolicy();
  const parsed = parseRequestHeaders((n) => JTF[n], TEST_NOW);
  if (!parsed.ok) throw new Error('headers');
  const byName = new Map<string, boolean[]>();
  for (const r of world.records('KH', 'Victim') as Iterable<{
    fullName: string;
    aliases?: string[];
    operations?: string[];
  }>) {
    const v =
      policy.decide({
        requester: parsed.context,
        owner: 'KH',
        category: 'victim.identity',
        at: TEST_NOW,
        record: { operations: [...(r.operations ?? [])] },
      }).effect !== 'withhold';
    for (const name of [r.fullName, ...(r.aliases ?? [])])
      byName.set(words(name), [...(byName.get(words(name)) ?? []), v]);
  }
  const hidden = [...byName].filter(([, vs]) => vs.every((v) => !v)).map(([n]) => n);
  const visible = [...byName].filter(([, vs]) => vs.every((v) => v)).map(([n]) => n);
  return { hidden, visible };
}

describe('red team 14b: search pages (held)', () => {
  let alliance: Alliance;
  beforeAll(async () => {
    alliance = await startAlliance({ searchTermsPerMinute: 3 });
  }, 240_000);
  afterAll(() => alliance?.stop());

  const PAGE = `query ($term: String!, $after: String, $first: Int) { search(term: $term, countries: ["KH"]) { victimsConnection(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } nodes { id } } victims { id } } }`;

  it("a hidden victim's whole name answers byte for byte as a name nobody holds (list and page)", async () => {
    const { hidden, visible } = victimNames();
    expect(hidden.length).toBeGreaterThan(0);
    expect(visible.length).toBeGreaterThan(0);
    const shown = await alliance.query(PAGE, { headers: JTF, variables: { term: visible[0] } });
    expect(
      (shown.body.data!['search'] as { victimsConnection: { totalCount: number } }[])[0]!.victimsConnection
        .totalCount,
    ).toBeGreaterThan(0);
    const hiddenAnswer = await alliance.query(PAGE, { headers: JTF, variables: { term: hidden[0] } });
    const noneAnswer = await alliance.query(PAGE, { headers: JTF, variables: { term: 'qzxv wkpj' } });
    expect(JSON.stringify(hiddenAnswer)).toBe(JSON.stringify(noneAnswer));
  });

  it('a forged or changed cursor is refused, never read', async () => {
    const term = 'Tiger';
    const q = `query ($after: String) { search(term: "${term}", countries: ["KH"]) { suspectsConnection(first: 100, after: $after) { totalCount edges { cursor node { id } } } } }`;
    const PARK = analyst('KR', 'park.s', {
      purpose: 'investigation',
      case: 'KR-CAS-000001',
      jit: 'JTF-KR-KH-2025',
    });
    const base = await alliance.query(q, { headers: PARK });
    const conn = (a: typeof base) =>
      (
        a.body.data!['search'] as {
          suspectsConnection: { totalCount: number; edges: { cursor: string; node: { id: string } }[] };
        }[]
      )[0]!.suspectsConnection;
    const real = Buffer.from(conn(base).edges[0]!.cursor, 'base64url');
    const flipped = Buffer.from(real);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 1) ^ 1, flipped.length - 1);
    // A cursor in the clear shape an analyst might write by hand: an id of its choosing, exact flag set.
    const handMade = Buffer.from(JSON.stringify([1, 'KH', 'Suspect', 'x', 1, 'KH-SUS-000000'])).toString(
      'base64url',
    );
    for (const forged of [
      flipped.toString('base64url'),
      real.subarray(0, real.length - 1).toString('base64url'),
      handMade,
    ]) {
      const answer = await alliance.query(q, { headers: PARK, variables: { after: forged } });
      expect(answer.body.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['argument']])).toEqual([
        ['BAD_USER_INPUT', 'after'],
      ]);
    }
  });

  it('withheld fields inside edges.node and nodes are refused as in the plain list', async () => {
    const TH = analyst('TH', 'analyst.th', { purpose: 'investigation', case: 'TH-CAS-000001' });
    const fields =
      'id fullName dateOfBirth nationality passportNumbers phones messengerHandles callRecords { __typename } interceptedMessages { __typename } financialAccounts { __typename }';
    const list = await alliance.query(
      `{ search(term: "Tiger", countries: ["KR"]) { suspects { ${fields} } } }`,
      { headers: TH },
    );
    const page = await alliance.query(
      `{ search(term: "Tiger", countries: ["KR"]) { suspectsConnection { edges { node { ${fields} } } } } }`,
      { headers: TH },
    );
    const nodes = await alliance.query(
      `{ search(term: "Tiger", countries: ["KR"]) { suspectsConnection { nodes { ${fields} } } } }`,
      { headers: TH },
    );
    const listData = (list.body.data!['search'] as { suspects: unknown[] }[])[0]!.suspects;
    const pageData = (
      page.body.data!['search'] as { suspectsConnection: { edges: { node: unknown }[] } }[]
    )[0]!.suspectsConnection.edges.map((e) => e.node);
    const nodesData = (nodes.body.data!['search'] as { suspectsConnection: { nodes: unknown[] } }[])[0]!
      .suspectsConnection.nodes;
    expect(pageData).toEqual(listData);
    expect(nodesData).toEqual(listData);
    const shape = (errors: typeof list.body.errors, drop: number) =>
      (errors ?? [])
        .map((e) => [
          e.extensions?.['code'],
          e.extensions?.['category'],
          (e.path ?? [])
            .filter(
              (p) =>
                typeof p !== 'string' ||
                !['suspects', 'suspectsConnection', 'edges', 'node', 'nodes'].includes(p),
            )
            .slice(drop),
        ])
        .map((x) => JSON.stringify(x))
        .sort();
    expect(shape(page.body.errors, 0)).toEqual(shape(list.body.errors, 0));
    expect(shape(nodes.body.errors, 0)).toEqual(shape(list.body.errors, 0));
  });

  it('the per-owner search budget counts terms asked only through pages, aliased in one operation', async () => {
    const TH = analyst('TH', 'budget.th', { purpose: 'investigation', case: 'TH-CAS-000001' });
    const aliases = ['Tiger', 'Dragon', 'Phoenix', 'Falcon']
      .map(
        (t, i) =>
          `a${i}: search(term: "${t}", countries: ["KR"]) { suspectsConnection(first: 1) { totalCount } }`,
      )
      .join(' ');
    const { body } = await alliance.query(`{ ${aliases} }`, { headers: TH });
    expect(body.errors?.map((e) => e.extensions?.['code'])).toContain('SEARCH_BUDGET_EXCEEDED');
  });

  it('a refusal for size says nothing of the schema to a caller with no identity', async () => {
    const { status, body } = await alliance.query(
      '{ search(term: "Tiger") { country suspectsConnection { edges { node { id associates { id linkedCases { id suspects { id } } } } } } } }',
    );
    expect(JSON.stringify(body)).not.toMatch(/suspect\(id:\)|associates|fan out/);
    expect(status).not.toBe(200);
  });
});
