// The gateway pipeline under a hostile document (gateway/pipeline.ts, gateway/answerWalker.ts). The same
// question written another way (a field selected twice, inside and outside fragments, nested fragments on
// the interface and on each member's type, inline fragments with and without a type condition, fields kept
// or dropped by @skip/@include with variables given, left to their defaults or null, `__typename` under an
// alias, aliases that take the names of the gateway's own) must get what the plain question gets: the same
// data, the same errors, and consultation records that name, entry for entry, the same decisions. The plain
// question's answer is the oracle; the other suites check it against the agreements.
import { MEMBERS } from '../../schema';
import { loadDefaultPolicy, parseRequestHeaders } from '../../policy';
import { analyst, TEST_NOW, type GraphQLAnswer } from '../support/alliance';
import { auditedAllianceForSuite, consultedEntries } from '../support/auditedAlliance';
import { sidesOf, sortByJson } from '../support/crossings';

/** One analyst the gateway cuts fields for, one whose joint team the owner decides record by record, one with no purpose. */
const REQUESTERS: Record<string, Record<string, string>> = {
  'KR investigation': analyst('KR', 'lee.h', { purpose: 'investigation', case: 'KR-CAS-000001' }),
  'KR joint team': analyst('KR', 'kim.j', {
    purpose: 'investigation',
    case: 'KR-CAS-000001',
    jit: 'JTF-KR-KH-2025',
  }),
  'KR strategic analysis': analyst('KR', 'park.s', { purpose: 'strategic_analysis' }),
};

/** Fields of a suspect of several categories (identity, contact, wanted status, criminal record), as selections. */
const FIELDS = ['fullName', 'nationality', 'phones', 'wantedStatus { wanted }', 'criminalRecord { offence }'];
const PLAIN = FIELDS.join(' ');
/** A selection under another response key (`key: field { … }`). */
const as = (key: string, field: string): string => `${key}: ${field}`;
/** A selection with a directive, which goes before its selection set. */
const withDirective = (field: string, directive: string): string => {
  const brace = field.indexOf('{');
  return brace < 0 ? `${field} ${directive}` : `${field.slice(0, brace)}${directive} ${field.slice(brace)}`;
};
/** `... on KRSuspect { <set> } ... on KHSuspect { <set> } …`: a member's type, for every member of the registry. */
const onEveryMemberType = (set: string): string =>
  MEMBERS.map((member) => `... on ${member.code}Suspect { ${set} }`).join(' ');

interface Variant {
  readonly name: string;
  /** The selection set for a suspect, the fragment definitions, and the operation's variable definitions. */
  readonly set: string;
  readonly fragments?: string;
  readonly variableDefinitions?: string;
  readonly variables?: Record<string, unknown>;
}

/** Each variant asks, for the analyst, exactly what PLAIN asks: its answer must be the plain one, key for key. */
const VARIANTS: readonly Variant[] = [
  {
    name: 'every field twice, once inside a named fragment and once outside',
    set: `${PLAIN} ...F`,
    fragments: `fragment F on Suspect { ${PLAIN} }`,
  },
  {
    name: 'fields split over nested fragments on the interface and on every member type',
    set: '...A',
    fragments: `fragment A on Suspect { ${FIELDS[0]} ...B ${onEveryMemberType(`${FIELDS[1]} ...B`)} }
      fragment B on Suspect { ... { ${FIELDS[2]} } ${onEveryMemberType(`${FIELDS[3]} ${FIELDS[4]} ${FIELDS[0]}`)} }`,
  },
  {
    name: 'inline fragments with and without a type condition',
    set: `... { ${FIELDS[0]} } ... on Suspect { ${FIELDS[1]} ... { ${FIELDS[2]} } } ${onEveryMemberType(FIELDS.slice(3).join(' '))}`,
  },
  {
    name: '@include with a variable left to its default true, @skip with a variable left to its default false',
    variableDefinitions: '($i: Boolean = true, $s: Boolean = false)',
    set: FIELDS.map(
      (f) => `${withDirective(f, '@include(if: $i)')} ${withDirective(f, '@skip(if: $s)')}`,
    ).join(' '),
  },
  {
    name: 'extra selections dropped by @skip(if: true) and @include(if: false) from variables, on fields and spreads',
    variableDefinitions: '($yes: Boolean!, $no: Boolean!)',
    set: `${PLAIN} ${withDirective(as('extra', FIELDS[0]!), '@skip(if: $yes)')}
      ${withDirective(as('more', FIELDS[3]!), '@include(if: $no)')}
      ...G @include(if: $no) ... @skip(if: $yes) { ${as('hidden', FIELDS[4]!)} }`,
    fragments: `fragment G on Suspect { ${as('gone', FIELDS[2]!)} }`,
    variables: { yes: true, no: false },
  },
  {
    name: 'a selection kept out by a variable left to its default false',
    variableDefinitions: '($d: Boolean = false)',
    set: `${PLAIN} ${withDirective(as('extra', FIELDS[1]!), '@include(if: $d)')}`,
    variables: {},
  },
  {
    name: "aliases that take the gateway's own names (presence check, record id), skipped",
    set: `${PLAIN} ${as('_accordPresent', FIELDS[0]!)} @skip(if: true)
      ${as('_accordRecordId', FIELDS[1]!)} @skip(if: true) ${as('_accordPresent1', 'id')} @skip(if: true)`,
  },
  {
    name: '__typename asked under an alias only, in a fragment on every member type',
    set: `${PLAIN} ${onEveryMemberType('kind: __typename')}`,
  },
];

/** Where the suspects are: one by its id, a case's suspects (of any member), a search's matches. */
const PLACES = MEMBERS.flatMap((member) => [
  {
    name: `suspect ${member.code}-SUS-000001`,
    wrap: (set: string) => `suspect(id: "${member.code}-SUS-000001") { id ${set} }`,
  },
  {
    name: `case ${member.code}-CAS-000001`,
    wrap: (set: string) => `case(id: "${member.code}-CAS-000001") { id suspects { id ${set} } }`,
  },
]).concat([
  {
    name: 'search "Tiger"',
    wrap: (set: string) => `search(term: "Tiger") { country term suspects { id ${set} } }`,
  },
]);

/** The answer, with the keys the variants add for __typename taken out (compared separately). */
function withoutKind(value: unknown, kinds: string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutKind(item, kinds));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'kind') kinds.push(child as string);
    else out[key] = withoutKind(child, kinds);
  }
  return out;
}

function errorsOf(answer: GraphQLAnswer): unknown[] {
  return sortByJson(
    (answer.body.errors ?? []).map((e) => ({
      code: e.extensions?.['code'],
      category: e.extensions?.['category'],
      owner: e.extensions?.['owner'],
      path: e.path,
    })),
  );
}

describe('the gateway pipeline under hostile documents', () => {
  const alliance = auditedAllianceForSuite();
  const ask = alliance.ask;

  /**
   * The plain question of an analyst at a place, asked once, by whichever of its variants' tests comes first:
   * each variant is compared with the same answer and records (the gateway answers the same question the
   * same way; a difference would fail the comparison, not hide in it).
   */
  const plainAnswers = new Map<string, ReturnType<typeof ask>>();
  function plainOf(who: string, place: (typeof PLACES)[number], headers: Record<string, string>) {
    const key = `${who}\0${place.name}`;
    let plain = plainAnswers.get(key);
    if (plain === undefined) plainAnswers.set(key, (plain = ask(`{ ${place.wrap(PLAIN)} }`, headers)));
    return plain;
  }

  const cases = Object.entries(REQUESTERS).flatMap(([who, headers]) =>
    VARIANTS.flatMap((variant) => PLACES.map((place) => ({ who, headers, variant, place }))),
  );
  it.each(cases)('$who, $place.name: $variant.name', async ({ who, headers, variant, place }) => {
    const plain = await plainOf(who, place, headers);
    // The oracle is an answer: a plain question that failed validation would make every comparison vacuous.
    expect(plain.answer.status).toBe(200);
    expect(plain.answer.body.data).toBeTruthy();
    const hostile = await ask(
      `query ${variant.variableDefinitions ?? ''} { ${place.wrap(variant.set)} } ${variant.fragments ?? ''}`,
      headers,
      variant.variables,
    );
    // The cost limit (gateway/limits.ts) counts the document's selections, fragments spread in several
    // places each time: a nested question may be refused where the plain one is not. Refused is safe, as
    // long as nothing was asked of any member.
    if (
      hostile.answer.status === 400 &&
      hostile.answer.body.errors?.every(
        (e) =>
          e.extensions?.['code'] === 'GRAPHQL_VALIDATION_FAILED' &&
          /too large or too complex/.test(e.message),
      )
    ) {
      expect(hostile.answer.body.data ?? null).toBeNull();
      if (hostile.requestId) expect((await alliance.crossings(hostile.requestId)).disclosures).toEqual([]);
      return;
    }
    const messages = (answer: GraphQLAnswer): string[] =>
      answer.status === 200 ? [] : (answer.body.errors ?? []).map((e) => e.message);
    expect({ status: hostile.answer.status, messages: messages(hostile.answer) }).toEqual({
      status: plain.answer.status,
      messages: [],
    });
    const kinds: string[] = [];
    expect(withoutKind(hostile.answer.body.data, kinds)).toEqual(plain.answer.body.data);
    // `kind: __typename`: a member's type, and never the gateway's own `__typename` beside it.
    for (const kind of kinds) expect(MEMBERS.map((m) => `${m.code}Suspect`)).toContain(kind);
    expect(JSON.stringify(hostile.answer.body.data)).not.toContain('__typename');
    expect(JSON.stringify(hostile.answer.body.data)).not.toContain('_accord');
    expect(errorsOf(hostile.answer)).toEqual(errorsOf(plain.answer));
    expect(hostile.answer.body.extensions?.['accord']).toEqual(plain.answer.body.extensions?.['accord']);
    if (!plain.requestId || !hostile.requestId) throw new Error('a request without its id');
    const plainCrossings = await alliance.crossings(plain.requestId);
    const hostileCrossings = await alliance.crossings(hostile.requestId);
    expect(consultedEntries(hostileCrossings.consultations)).toEqual(
      consultedEntries(plainCrossings.consultations),
    );
    const parsed = parseRequestHeaders((name) => headers[name], TEST_NOW);
    if (!parsed.ok) throw new Error(parsed.problems.join(' '));
    // Both sides name the same decisions (an owner may log a field it was asked for twice in one fetch
    // twice: the sets are compared), and the owners disclosed what they disclose for the plain question.
    const plainSides = sidesOf(plainCrossings, parsed.context, TEST_NOW);
    for (const [owner, sides] of Object.entries(sidesOf(hostileCrossings, parsed.context, TEST_NOW))) {
      const distinct = (entries: string[]): string[] => [...new Set(entries)].sort();
      expect({ owner, consultation: distinct(sides.consultation) }).toEqual({
        owner,
        consultation: distinct(sides.disclosure),
      });
      expect({ owner, disclosure: distinct(sides.disclosure) }).toEqual({
        owner,
        disclosure: distinct(plainSides[owner]?.disclosure ?? []),
      });
    }
  });

  it('refuses null for a defaulted variable used in @include(if:) as BAD_USER_INPUT, and asks no member', async () => {
    const { answer, requestId } = await ask(
      `query ($d: Boolean = true) { suspect(id: "KH-SUS-000001") { fullName @include(if: $d) } }`,
      REQUESTERS['KR investigation']!,
      { d: null },
    );
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    if (requestId) expect((await alliance.crossings(requestId)).disclosures).toEqual([]);
  });
});

/**
 * An owner (the member turned hostile) and a requester its agreements let see a suspect's identity for an
 * investigation with a case reference: chosen from the agreements, so a member admitted under narrower
 * terms is passed over. The owner is taken from the end of the registry.
 */
function pairThatReleasesIdentity(): { hostile: string; requester: string } {
  const policy = loadDefaultPolicy();
  for (const owner of [...MEMBERS].reverse()) {
    for (const asker of MEMBERS) {
      if (asker.code === owner.code) continue;
      const context = {
        country: asker.code,
        analyst: 'analyst.rt',
        roles: ['analyst'],
        purpose: 'investigation',
        caseReference: `${asker.code}-CAS-000001`,
      } as const;
      const releases = (['meta.reference', 'person.identity'] as const).every(
        (category) =>
          policy.decide({ requester: context, owner: owner.code, category, at: TEST_NOW }).effect ===
          'release',
      );
      if (releases) return { hostile: owner.code, requester: asker.code };
    }
  }
  throw new Error("no two members release a suspect's identity to each other for an investigation");
}

// A member's own server turned hostile (test/support/tamperingMember.ts): its `extensions.accord` report
// (audit/ownerReport.ts) claims another owner's releases, is malformed, or says it withheld what its
// answer holds. The gateway takes of a report only what the member may say of itself, and its
// consultation record never says a value the analyst got was withheld.
describe("the gateway pipeline under a hostile member's report", () => {
  const { hostile, requester } = pairThatReleasesIdentity();
  const claimed = MEMBERS.find((m) => m.code !== hostile && m.code !== requester)!.code;
  const headers = analyst(requester, 'analyst.rt', {
    purpose: 'investigation',
    case: `${requester}-CAS-000001`,
  });
  const QUESTION = `{ suspect(id: "${hostile}-SUS-000001") { id ${PLAIN} } }`;

  /** What the hostile member does to its report, switched per test. */
  let rewriteReport: (report: Record<string, unknown>) => Record<string, unknown> = (report) => report;

  const alliance = auditedAllianceForSuite({
    tamper: {
      [hostile.toLowerCase()]: (answer) => {
        const extensions = answer['extensions'] as Record<string, unknown> | undefined;
        const report = extensions?.['accord'];
        if (!report || typeof report !== 'object') return answer;
        return {
          ...answer,
          extensions: { ...extensions, accord: rewriteReport(report as Record<string, unknown>) },
        };
      },
    },
  });

  async function ask(asking = headers): Promise<{ answer: GraphQLAnswer; requestId: string }> {
    const { answer, requestId } = await alliance.ask(QUESTION, asking);
    return { answer, requestId: requestId! };
  }

  it("never passes on releases a member reports in another owner's name", async () => {
    rewriteReport = (report) => ({ ...report, owner: claimed });
    const { answer } = await ask();
    expect(answer.body.data?.['suspect']).toBeTruthy();
    const obligations = (answer.body.extensions?.['obligations'] ?? {}) as Record<string, unknown>;
    // Only the hostile member's record was asked for: no other owner released anything.
    expect(Object.keys(obligations).filter((owner) => owner !== hostile)).toEqual([]);
  });

  it.each([
    ['a release that is not an object', [null]],
    [
      'a release whose categories are not a list',
      [{ agreement: 'A', clause: 'c', title: 't', citation: 'x', categories: 7 }],
    ],
    ['releases that are not a list', { length: 1 }],
  ])(
    'sets aside a malformed report (%s): the answer stands, nothing internal leaks',
    async (_name, releases) => {
      rewriteReport = () => ({ owner: hostile, revision: 'r', releases });
      const { answer } = await ask();
      rewriteReport = (report) => report;
      const { answer: honest } = await ask();
      expect(answer.body.data).toEqual(honest.body.data);
      expect(errorsOf(answer)).toEqual(errorsOf(honest));
      expect(JSON.stringify(answer.body)).not.toMatch(/Cannot read|TypeError|is not iterable|stack/);
      const obligations = (answer.body.extensions?.['obligations'] ?? {}) as Record<string, unknown>;
      expect(obligations[hostile]).toBeUndefined();
    },
  );

  it('never records as withheld a value the analyst got', async () => {
    // The member's own analyst: the member releases its record's fields to them (not vacuous).
    const domestic = analyst(hostile, 'analyst.rt', {
      purpose: 'investigation',
      case: `${hostile}-CAS-000001`,
    });
    rewriteReport = (report) => report;
    const honest = (await ask(domestic)).answer.body.data?.['suspect'] as Record<string, unknown> | null;
    expect(FIELDS.some((f) => (honest?.[f.split(' ')[0]!] ?? null) !== null)).toBe(true);
    rewriteReport = (report) => {
      const fields = report['fields'] as
        { decisions: Record<string, unknown>[]; decided: unknown[] } | undefined;
      if (!fields) return report;
      return {
        ...report,
        fields: {
          ...fields,
          decisions: fields.decisions.map((d) => ({ ...d, effect: 'withhold', clauses: [] })),
        },
      };
    };
    const { answer, requestId } = await ask(domestic);
    rewriteReport = (report) => report;
    const suspect = answer.body.data?.['suspect'] as Record<string, unknown> | null;
    const { consultations } = await alliance.crossings(requestId);
    const entries = consultations.filter((c) => c.owner === hostile).flatMap((c) => c.fields);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      const key = entry.path.split('.').at(-1)!;
      const value = suspect?.[key];
      if (entry.effect === 'withhold')
        expect({ path: entry.path, value: value ?? null }).toEqual({ path: entry.path, value: null });
    }
  });
});
