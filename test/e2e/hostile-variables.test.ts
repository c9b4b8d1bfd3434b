// Variables, defaults and @skip/@include (issue 10, item 7): whatever the combination, the analyst gets the
// fields graphql-js would include, never an internal error, and both sides of the crossing record the same
// fields: the gateway's consultation and the owner's disclosure. Bad variable values are the client's
// mistake (BAD_USER_INPUT) and reach no member.
import { parseRequestHeaders } from '../../policy';
import { sqliteAuditBackend, type AllianceLogs, type AuditBackend } from '../support/auditBackends';
import { analyst, startAlliance, TEST_NOW, type Alliance, type Exchange } from '../support/alliance';
import { crossingsOf, sidesOf } from '../support/crossings';

const KR = analyst('KR', 'lee.h', { purpose: 'investigation', case: 'KR-CAS-000001' });
/** A record of the requester's own country: the owner decides every field, so both records list them all. */
const OWN = 'KR-SUS-000001';
/** A record KH gives KR a hit on only: the gateway cuts its identity fields, the owner answers the rest. */
const FOREIGN = 'KH-SUS-000001';

interface Case {
  readonly name: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  /** The keys of `data.suspect`, as the GraphQL specification's CollectFields gives them. */
  readonly keys: readonly string[];
}

const CASES: readonly Case[] = [
  {
    name: 'a default of true, the variable left out',
    query: `query($v: Boolean = true) { suspect(id: "${OWN}") { id fullName @include(if: $v) } }`,
    keys: ['id', 'fullName'],
  },
  {
    name: 'a default of true, false sent',
    query: `query($v: Boolean = true) { suspect(id: "${OWN}") { id fullName @include(if: $v) } }`,
    variables: { v: false },
    keys: ['id'],
  },
  {
    name: 'a default of false, left out',
    query: `query($v: Boolean = false) { suspect(id: "${OWN}") { id fullName @include(if: $v) aliases } }`,
    keys: ['id', 'aliases'],
  },
  {
    name: '@skip with a default of true',
    query: `query($v: Boolean = true) { suspect(id: "${OWN}") { id fullName @skip(if: $v) nationality } }`,
    keys: ['id', 'nationality'],
  },
  {
    name: '@skip and @include on one field',
    query: `query($s: Boolean = false, $i: Boolean = true) { suspect(id: "${OWN}") { id fullName @skip(if: $s) @include(if: $i) } }`,
    keys: ['id', 'fullName'],
  },
  {
    name: 'the same field skipped once and included once',
    query: `query($v: Boolean = true) { suspect(id: "${OWN}") { id fullName @skip(if: $v) fullName @include(if: $v) } }`,
    keys: ['id', 'fullName'],
  },
  {
    name: 'a required variable sent',
    query: `query($v: Boolean!) { suspect(id: "${OWN}") { id fullName @include(if: $v) } }`,
    variables: { v: true },
    keys: ['id', 'fullName'],
  },
  {
    name: 'a variable in a fragment',
    query: `query($v: Boolean = true) { suspect(id: "${OWN}") { id ...F } } fragment F on Suspect { fullName @include(if: $v) aliases @skip(if: $v) }`,
    keys: ['id', 'fullName'],
  },
  {
    name: 'nested fragments, the spread itself conditional',
    query: `query($v: Boolean = true, $w: Boolean = false) { suspect(id: "${OWN}") { id ...F } } fragment F on Suspect { ...G @include(if: $v) nationality @include(if: $w) } fragment G on Suspect { fullName aliases @skip(if: $v) }`,
    keys: ['id', 'fullName'],
  },
  {
    name: 'an inline fragment left out by its default',
    query: `query($v: Boolean = false) { suspect(id: "${OWN}") { id ... on Suspect @include(if: $v) { fullName } ... @skip(if: $v) { aliases } } }`,
    keys: ['id', 'aliases'],
  },
  {
    name: 'a conditional object field with its own conditional fields',
    query: `query($v: Boolean = true) { suspect(id: "${OWN}") { id associates @include(if: $v) { id fullName @skip(if: $v) nationality } } }`,
    keys: ['id', 'associates'],
  },
  {
    name: 'a conditional __typename where the gateway cuts fields',
    query: `query($v: Boolean = true) { suspect(id: "${FOREIGN}") { __typename @skip(if: $v) id country fullName } }`,
    keys: ['id', 'country', 'fullName'],
  },
  {
    name: 'a conditional __typename, included, where the gateway cuts fields',
    query: `query($v: Boolean = false) { suspect(id: "${FOREIGN}") { __typename @include(if: $v) id country nationality __typename @skip(if: $v) } }`,
    keys: ['__typename', 'id', 'country', 'nationality'],
  },
];

describe('variables, defaults and @skip/@include at the gateway and the owners', () => {
  let backend: AuditBackend;
  let logs: AllianceLogs;
  let alliance: Alliance;
  const record: Exchange[] = [];
  const parsed = parseRequestHeaders((name) => KR[name], TEST_NOW);
  if (!parsed.ok) throw new Error(parsed.problems.join(' '));
  const requester = parsed.context;

  beforeAll(async () => {
    backend = sqliteAuditBackend();
    logs = backend.forAlliance();
    alliance = await startAlliance({ audit: logs, record });
  }, 60_000);
  afterAll(async () => {
    await alliance?.stop();
    await backend?.close();
  });

  it.each(CASES)(
    '$name: the fields graphql-js includes, recorded alike on both sides',
    async ({ query, variables, keys }) => {
      const answer = await alliance.query(query, { headers: KR, ...(variables ? { variables } : {}) });
      const requestId = record.at(-1)!.requestId!;
      expect(answer.status).toBe(200);
      expect((answer.body.errors ?? []).map((e) => e.extensions?.['code'])).not.toContain(
        'INTERNAL_SERVER_ERROR',
      );
      const suspect = answer.body.data?.['suspect'] as Record<string, unknown>;
      expect(Object.keys(suspect).sort()).toEqual([...keys].sort());

      // The consultation names every data field of the answer at its path, and nothing else.
      const crossings = await crossingsOf(logs, requestId);
      const owner = String(suspect['id']).slice(0, 2);
      const consulted = crossings.consultations
        .filter((c) => c.owner === owner)
        .flatMap((c) => c.fields.map((f) => f.path));
      expect(consulted.filter((path) => path.split('.').length === 2).sort()).toEqual(
        keys
          .filter((k) => k !== 'id' && k !== '__typename')
          .map((k) => `suspect.${k}`)
          .sort(),
      );
      // Both sides: what the gateway says the owner decided is what the owner says it decided.
      for (const [side, { consultation, disclosure }] of Object.entries(
        sidesOf(crossings, requester, TEST_NOW),
      )) {
        expect({ side, consultation }).toEqual({ side, consultation: disclosure });
      }
    },
  );

  it.each([
    [
      'an explicit null where the default stood for a required Boolean',
      `query($v: Boolean = true) { suspect(id: "${OWN}") { id fullName @include(if: $v) } }`,
      { v: null },
      /\$v/,
    ],
    [
      'an explicit null in a fragment',
      `query($v: Boolean = true) { suspect(id: "${OWN}") { id ...F } } fragment F on Suspect { fullName @skip(if: $v) }`,
      { v: null },
      /\$v/,
    ],
    [
      'a value of the wrong type',
      `query($v: Boolean = true) { suspect(id: "${OWN}") { id fullName @include(if: $v) } }`,
      { v: 'yes' },
      /\$v.*Boolean/,
    ],
    [
      'a required variable left out',
      `query($v: Boolean!) { suspect(id: "${OWN}") { id fullName @include(if: $v) } }`,
      undefined,
      /\$v/,
    ],
    [
      'an id of the wrong type',
      'query($id: ID!) { suspect(id: $id) { id fullName } }',
      { id: { nested: true } },
      /\$id/,
    ],
  ])('%s: BAD_USER_INPUT, and no member is asked', async (_name, query, variables, message) => {
    const answer = await alliance.query(query, { headers: KR, ...(variables ? { variables } : {}) });
    const requestId = record.at(-1)!.requestId!;
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors?.map((e) => e.extensions?.['code'])).toEqual([
      expect.stringMatching(/^BAD_USER_INPUT$/),
    ]);
    expect(answer.body.errors![0]!.message).toMatch(message);
    expect((await crossingsOf(logs, requestId)).disclosures).toEqual([]);
  });
});
