// Search results that page (issue 14, item 4): per member and kind a Relay connection
// (`suspectsConnection(first:, after:)`) with `totalCount` and cursors, so that an analyst walks every
// match a page at a time; the list (`suspects`) is its first page, no longer a silent truncation.
//
// The alliance here serves a larger reference world than the other tests (its own in-memory stores), so
// that one member holds more than two pages of matches of one term. What should match is read from the
// world's records, not from the index.
import { loadDefaultPolicy, parseRequestHeaders } from '../../policy';
import {
  ENTITY_INTERFACES,
  MEMBERS,
  SEARCH_PAGE_SIZE,
  concreteTypeName,
  formatGlobalId,
  readCommittedSupergraph,
  readFieldCategories,
  type EntityInterface,
} from '../../schema';
import { createWorld } from '../../subgraphs/reference';
import { PURPOSES, type Category } from '../../vocabulary';
import { analyst, startAlliance, TEST_NOW, type Alliance } from '../support/alliance';

const WORLD_SIZE = 1000;
const world = createWorld({ size: WORLD_SIZE });
const OWNER = 'KR';
/** Korea's police search their own records: every identifier is theirs to search by prefix. */
const KR = analyst('KR', 'kim.j', { purpose: 'investigation', case: 'KR-CAS-000001' });
/** The prefix of every Korean mobile number in international form. */
const TERM = '+82 10';

/** Letters and digits only, lower case, runs of anything else as one space (written here, not imported). */
function words(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
}

/** Every string inside a value (a number inside an account, a document), at any depth. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** The suspects' searchable identifiers: documents, phones, handles, accounts. */
const IDENTIFIER_FIELDS = [
  'passportNumbers',
  'travelDocuments',
  'phones',
  'messengerHandles',
  'financialAccounts',
];

/** The oracle: OWNER's suspects with an identifier that starts with TERM (as typed, or without its spaces), by id. */
const EXPECTED = [...world.records(OWNER, 'Suspect')]
  .filter((record) => {
    const values = IDENTIFIER_FIELDS.flatMap((field) =>
      strings((record as unknown as Record<string, unknown>)[field]),
    );
    return values.some(
      (value) =>
        words(value).startsWith(words(TERM)) ||
        words(value).replace(/ /g, '').startsWith(words(TERM).replace(/ /g, '')),
    );
  })
  .map((record) => record.id)
  .sort();

const PAGE = `query ($first: Int, $after: String) {
  search(term: "${TERM}", countries: ["${OWNER}"]) {
    country
    suspectsConnection(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id } }
      nodes { id }
    }
  }
}`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
  nodes: { id: string }[];
}

type Named = {
  readonly id: string;
  readonly fullName: string;
  readonly operations?: readonly string[];
  readonly aliases?: readonly string[];
};
const recordsByOwner = new Map<string, Named[]>();
/** An owner's records of a kind, generated once (the world generates records on each walk). */
function recordsOf(owner: string, kind: EntityInterface): Named[] {
  let records = recordsByOwner.get(`${owner}/${kind}`);
  if (!records) {
    records = [...world.records(owner, kind)] as unknown as Named[];
    recordsByOwner.set(`${owner}/${kind}`, records);
  }
  return records;
}

/**
 * A search across a border whose term matches records the requester may see and records it may not know
 * of (a joint team's records outside its operation): a member of a joint team, another member of it, a
 * kind of record with a full name, and a full name that records on both sides of the operation's line
 * share. Found in the world and the agreements, not named here.
 */
function mixedCase():
  | {
      headers: Record<string, string>;
      owner: string;
      kind: EntityInterface;
      term: string;
      visible: string[];
      hidden: string[];
    }
  | undefined {
  const policy = loadDefaultPolicy();
  const categories = readFieldCategories(readCommittedSupergraph());
  for (const agreement of policy.set.agreements) {
    for (const clause of agreement.clauses) {
      const team = clause.conditions?.jointTeam;
      if (!team) continue;
      for (const [country, analysts] of Object.entries(team.members)) {
        for (const purpose of PURPOSES) {
          const headers = analyst(country, analysts[0]!, {
            purpose,
            case: `${country}-CAS-000001`,
            jit: team.id,
          });
          const parsed = parseRequestHeaders((name) => headers[name], TEST_NOW);
          if (!parsed.ok) continue;
          for (const owner of Object.keys(team.members)) {
            if (owner === country) continue;
            for (const kind of ENTITY_INTERFACES) {
              // A name is searched under the category of the field it is read from.
              const category = categories.get(`${concreteTypeName(owner, kind)}.fullName`) as
                Category | undefined;
              if (!category) continue;
              const records = recordsOf(owner, kind);
              const byName = new Map<string, { visible: string[]; hidden: string[] }>();
              for (const record of records) {
                const decision = policy.decide({
                  requester: parsed.context,
                  owner,
                  category,
                  at: TEST_NOW,
                  record: { operations: [...(record.operations ?? [])] },
                });
                const group = byName.get(words(record.fullName)) ?? { visible: [], hidden: [] };
                (decision.effect === 'withhold' ? group.hidden : group.visible).push(record.id);
                byName.set(words(record.fullName), group);
              }
              for (const [term, group] of byName) {
                // Nobody else may carry the name as an alias: the oracle counts full names only.
                const aliased = records.some(
                  (r) =>
                    !group.visible.includes(r.id) &&
                    !group.hidden.includes(r.id) &&
                    (r.aliases ?? []).some((a) => words(a) === term),
                );
                if (group.visible.length > 0 && group.hidden.length > 0 && !aliased)
                  return { headers, owner, kind, term, ...group };
              }
            }
          }
        }
      }
    }
  }
  return undefined;
}

describe('a search that pages', () => {
  let alliance: Alliance;
  beforeAll(async () => {
    alliance = await startAlliance({ worldSize: WORLD_SIZE });
  }, 240_000);
  afterAll(() => alliance?.stop());

  async function page(variables: Record<string, unknown>, headers = KR): Promise<Page> {
    const { body } = await alliance.query(PAGE, { headers, variables });
    expect(body.errors).toBeUndefined();
    const search = body.data!['search'] as { country: string; suspectsConnection: Page }[];
    expect(search.map((s) => s.country)).toEqual([OWNER]);
    return search[0]!.suspectsConnection;
  }

  it('the world holds more than two pages of matches of the term in one member', () => {
    expect(EXPECTED.length).toBeGreaterThanOrEqual(250);
    expect(EXPECTED.length).toBeGreaterThan(2 * SEARCH_PAGE_SIZE);
  });

  it('walks every match in pages of 100: no duplicate, no gap, the count on every page', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let after: string | null = null;
    for (let round = 0; round < 10; round++) {
      const current = await page({ first: SEARCH_PAGE_SIZE, after });
      expect(current.totalCount).toBe(EXPECTED.length);
      expect(current.nodes.map((n) => n.id)).toEqual(current.edges.map((e) => e.node.id));
      expect(current.pageInfo.endCursor).toBe(current.edges.at(-1)?.cursor ?? null);
      sizes.push(current.edges.length);
      seen.push(...current.edges.map((e) => e.node.id));
      if (!current.pageInfo.hasNextPage) break;
      after = current.pageInfo.endCursor;
    }
    const full = Math.floor(EXPECTED.length / SEARCH_PAGE_SIZE);
    expect(sizes).toEqual([
      ...Array<number>(full).fill(SEARCH_PAGE_SIZE),
      ...(EXPECTED.length % SEARCH_PAGE_SIZE ? [EXPECTED.length % SEARCH_PAGE_SIZE] : []),
    ]);
    expect(new Set(seen).size).toBe(seen.length);
    // No exact match of the term: best first is then by id.
    expect(seen).toEqual(EXPECTED);
  });

  it("the list is the connection's first page, and the default page is the page size", async () => {
    const { body } = await alliance.query(
      `{ search(term: "${TERM}", countries: ["${OWNER}"]) { suspects { id } suspectsConnection { totalCount edges { node { id } } } } }`,
      { headers: KR },
    );
    const [search] = body.data!['search'] as { suspects: { id: string }[]; suspectsConnection: Page }[];
    expect(search!.suspects.map((s) => s.id)).toEqual(EXPECTED.slice(0, SEARCH_PAGE_SIZE));
    expect(search!.suspectsConnection.edges.map((e) => e.node.id)).toEqual(
      EXPECTED.slice(0, SEARCH_PAGE_SIZE),
    );
    expect(search!.suspectsConnection.totalCount).toBe(EXPECTED.length);
  });

  it("cursors are stable and opaque, and any edge's cursor continues after it", async () => {
    const once = await page({ first: 30 });
    const again = await page({ first: 30 });
    expect(again.edges.map((e) => e.cursor)).toEqual(once.edges.map((e) => e.cursor));
    for (const { cursor, node } of once.edges) {
      // Opaque: one URL-safe token, with nothing readable in it as it stands.
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(cursor).not.toContain(node.id);
    }
    const next = await page({ first: 5, after: once.edges[9]!.cursor });
    expect(next.edges.map((e) => e.node.id)).toEqual(EXPECTED.slice(10, 15));
  });

  it('refuses a page larger than the page size, and a cursor of another list or made up', async () => {
    const refused = async (
      variables: Record<string, unknown>,
      argument: string,
      query = PAGE,
    ): Promise<void> => {
      const { body } = await alliance.query(query, { headers: KR, variables });
      expect(body.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['argument']])).toEqual([
        ['BAD_USER_INPUT', argument],
      ]);
      expect(JSON.stringify(body)).not.toMatch(new RegExp(`${OWNER}-SUS-`));
    };
    await refused({ first: SEARCH_PAGE_SIZE + 1 }, 'first');
    await refused({ first: -1 }, 'first');
    await refused({ after: 'not-a-cursor' }, 'after');
    await refused(
      {
        after: Buffer.from(
          JSON.stringify([1, OWNER, 'Suspect', 'x', 0, formatGlobalId(OWNER, 'Suspect', 1)]),
        ).toString('base64url'),
      },
      'after',
    );
    // A cursor of the suspects' list given to the victims' list.
    const { edges } = await page({ first: 1 });
    await refused(
      { after: edges[0]!.cursor },
      'after',
      PAGE.replace('suspectsConnection', 'victimsConnection'),
    );
  });

  it('counts only what the requester may see in that list: hidden matches are neither counted nor listed', async () => {
    const mixed = mixedCase();
    expect(mixed).toBeDefined();
    const { headers, owner, kind, term, visible, hidden } = mixed!;
    const connection = `${kind.toLowerCase()}sConnection`;
    const query = `query ($term: String!, $after: String) { search(term: $term, countries: ["${owner}"]) { ${connection}(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } } }`;
    const walked: string[] = [];
    let after: string | null = null;
    for (let round = 0; round <= visible.length + hidden.length; round++) {
      const { body } = await alliance.query(query, { headers, variables: { term, after } });
      expect(body.errors).toBeUndefined();
      const current = (body.data!['search'] as Record<string, Page>[])[0]![connection]!;
      expect(current.totalCount).toBe(visible.length);
      walked.push(...current.nodes.map((n) => n.id));
      if (!current.pageInfo.hasNextPage) break;
      after = current.pageInfo.endCursor;
    }
    expect(walked).toEqual([...visible].sort());
    for (const id of hidden) expect(walked).not.toContain(id);
  });

  it('plans a page as the list is planned: one hub fetch, then one fetch per member in one parallel step', async () => {
    const plans: unknown[] = [];
    const planned = await startAlliance({ onQueryPlan: (plan) => plans.push(plan) });
    try {
      await planned.query(
        `{ search(term: "Tiger") { country suspectsConnection(first: 10) { totalCount edges { cursor node { id fullName } } } } }`,
        { headers: KR },
      );
    } finally {
      await planned.stop();
    }
    const plan = plans[0] as {
      node: {
        kind: string;
        nodes: { kind: string; serviceName?: string; nodes?: { node: { serviceName: string } }[] }[];
      };
    };
    expect(plan.node.kind).toBe('Sequence');
    const [first, second, ...rest] = plan.node.nodes;
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ kind: 'Fetch', serviceName: 'alliance' });
    expect(second!.kind).toBe('Parallel');
    expect(second!.nodes!.map((node) => node.node.serviceName).sort()).toEqual(
      MEMBERS.map((m) => m.code.toLowerCase()).sort(),
    );
  }, 120_000);
});
