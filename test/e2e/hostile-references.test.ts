// Records reached by reference or by id tell no more than their owners release (issue 10, items 2 and 12):
//
// - an id in another owner's list (a case's suspects, a compound's operators, a victim's `confinedAt`) is
//   decided by the owner of the record it names, whatever the analyst selects: with no basis for that
//   owner, the record is left out with one no-basis error per owner, and the rest of the list stays;
// - a lookup by id (`suspect(id:)`, …) of a record that does not exist is null with NOT_FOUND, whatever is
//   selected, and a record hidden from the requester is answered the same, byte for byte but the id.
//
// Every table is derived from the registry (schema/), the agreements (policy/) and the synthetic world the
// reference members serve: what the engine decides for each (requester, owner, purpose) is the oracle.
import { Kind, parse, type InterfaceTypeDefinitionNode } from 'graphql';
import { readFieldCatalog } from '../../legal';
import { loadDefaultPolicy, parseRequestHeaders, type Decision, type RequestContext } from '../../policy';
import {
  ENTITY_INTERFACES,
  MEMBERS,
  formatGlobalId,
  parseGlobalId,
  readCommittedSupergraph,
  type EntityInterface,
} from '../../schema';
import { createWorld, type AnyRecord, type RecordsByKind } from '../../subgraphs/reference';
import { META_REFERENCE, PURPOSES, type Category } from '../../vocabulary';
import { openAuditReader, type CrossingBody } from '../../audit';
import {
  analyst,
  startAlliance,
  TEST_NOW,
  type Alliance,
  type Exchange,
  type GraphQLAnswer,
} from '../support/alliance';
import { sqliteAuditBackend } from '../support/auditBackends';
import { startFaultyServer } from '../support/faultyServer';

const policy = loadDefaultPolicy();
const world = createWorld();

// The world generates a record each time it is asked for one (subgraphs/reference/world/World.ts); the
// tables below read the same records thousands of times, so each is generated once here.
const recordById = new Map<string, AnyRecord | undefined>();
function recordOf(id: string): AnyRecord | undefined {
  if (!recordById.has(id)) recordById.set(id, world.record(id));
  return recordById.get(id);
}
const recordsByKind = new Map<string, readonly AnyRecord[]>();
function recordsOf<K extends EntityInterface>(owner: string, kind: K): readonly RecordsByKind[K][] {
  const key = `${owner} ${kind}`;
  if (!recordsByKind.has(key)) recordsByKind.set(key, [...world.records(owner, kind)]);
  return recordsByKind.get(key) as readonly RecordsByKind[K][];
}
const SUPERGRAPH = readCommittedSupergraph();
const catalog = readFieldCatalog(SUPERGRAPH).fields;

/** Fields of a record that name other records: `Case.suspects`, `Victim.confinedAt`, … (one per kind and field). */
const REFERENCE_FIELDS = [
  ...new Map(
    catalog
      .filter((f) => (ENTITY_INTERFACES as readonly string[]).includes(f.returns))
      .map((f) => [
        `${f.kind}.${f.field}`,
        { kind: f.kind as EntityInterface, field: f.field, category: f.category as Category },
      ]),
  ).values(),
];

/** One nullable field of each kind that is not its reference (`fullName`, `name`, `caseNumber`, …). */
const DETAIL_FIELD = Object.fromEntries(
  ENTITY_INTERFACES.map((kind) => [
    kind,
    catalog.find(
      (f) =>
        f.kind === kind &&
        f.category !== META_REFERENCE &&
        !(ENTITY_INTERFACES as readonly string[]).includes(f.returns) &&
        f.returns === 'String',
    )!.field,
  ]),
) as Record<EntityInterface, string>;

/** The supergraph's definitions, parsed once: the tables below ask about its fields thousands of times. */
const DEFINITIONS = parse(SUPERGRAPH, { noLocation: true }).definitions;

/** Whether a field of an entity interface holds a list (`Case.suspects`) or one record (`Victim.confinedAt`). */
function isListField(kind: EntityInterface, field: string): boolean {
  const definition = DEFINITIONS.find(
    (d) => d.kind === Kind.INTERFACE_TYPE_DEFINITION && d.name.value === kind,
  );
  let type = (definition as InterfaceTypeDefinitionNode).fields!.find((f) => f.name.value === field)!.type;
  if (type.kind === Kind.NON_NULL_TYPE) type = type.type;
  return type.kind === Kind.LIST_TYPE;
}

const lookupField = (kind: EntityInterface): string => kind.charAt(0).toLowerCase() + kind.slice(1);

/**
 * Who may ask why: every member's analyst with every purpose and a case of their own; and every named
 * member of every joint team, with the team declared.
 */
const DECLARATIONS: Record<string, string>[] = [];
for (const { code } of MEMBERS) {
  for (const purpose of PURPOSES)
    DECLARATIONS.push(
      analyst(code, `analyst.${code.toLowerCase()}`, { purpose, case: `${code}-CAS-000001` }),
    );
}
for (const agreement of policy.set.agreements) {
  for (const clause of agreement.clauses) {
    const team = clause.conditions?.jointTeam;
    if (!team) continue;
    for (const [country, analysts] of Object.entries(team.members)) {
      for (const purpose of PURPOSES)
        DECLARATIONS.push(
          analyst(country, analysts[0]!, { purpose, case: `${country}-CAS-000001`, jit: team.id }),
        );
    }
  }
}

function contextOf(headers: Record<string, string>): RequestContext | undefined {
  const parsed = parseRequestHeaders((name) => headers[name], TEST_NOW);
  return parsed.ok ? parsed.context : undefined;
}

function factsOf(id: string): { operations: string[]; sourceGrade?: string } | undefined {
  const record = recordOf(id) as { operations?: string[]; sourceGrade?: string } | undefined;
  return record
    ? {
        operations: record.operations ?? [],
        ...(record.sourceGrade ? { sourceGrade: record.sourceGrade } : {}),
      }
    : undefined;
}

/** The engine's decision for one record (record-level conditions included). */
function decideRecord(requester: RequestContext, id: string, category: Category): Decision {
  return policy.decide({
    requester,
    owner: parseGlobalId(id)!.owner,
    category,
    at: TEST_NOW,
    record: factsOf(id),
  });
}

/** No basis gives the requester even a hit on any record of `owner`, whatever the record. */
function noBasisAtAll(requester: RequestContext, owner: string): boolean {
  const decision = policy.decide({ requester, owner, category: META_REFERENCE, at: TEST_NOW });
  return decision.effect === 'withhold' && !decision.recordDependent;
}

/** The requester may know the record exists: its owner gives at least a hit on its reference. */
function knowable(requester: RequestContext, id: string): boolean {
  return world.has(id) && decideRecord(requester, id, META_REFERENCE).effect !== 'withhold';
}

function idsOf(record: unknown, field: string): string[] {
  const value = (record as Record<string, unknown>)[field];
  return Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : [];
}

interface ListCase {
  readonly headers: Record<string, string>;
  readonly requester: RequestContext;
  readonly holder: string;
  readonly kind: EntityInterface;
  readonly field: string;
  readonly single: boolean;
  /** The owner that gives the requester no basis, whose ids the list holds. */
  readonly owner: string;
  /** The ids the analyst must get, in order: those whose owners let the requester know of them. */
  readonly expected: readonly string[];
}

/**
 * For every declaration and every owner that gives it no basis at all: a record the requester may read
 * the reference field of, which names a record of that owner. A record whose list also holds records the
 * requester may know of is preferred (the rest of the list must stay).
 */
function listCases(): ListCase[] {
  const cases: ListCase[] = [];
  for (const headers of DECLARATIONS) {
    const requester = contextOf(headers);
    if (!requester) continue;
    for (const { code: owner } of MEMBERS) {
      if (!noBasisAtAll(requester, owner)) continue;
      // One list and one single reference (`confinedAt`) for each.
      for (const single of [false, true]) {
        const found = findHolder(headers, requester, owner, single);
        if (found) cases.push(found);
      }
    }
  }
  return cases;
}

function findHolder(
  headers: Record<string, string>,
  requester: RequestContext,
  owner: string,
  single: boolean,
): ListCase | undefined {
  let found: ListCase | undefined;
  for (const { code: holderOwner } of MEMBERS) {
    if (holderOwner === owner) continue;
    for (const { kind, field, category } of REFERENCE_FIELDS) {
      if (isListField(kind, field) === single) continue;
      for (const record of recordsOf(holderOwner, kind)) {
        const ids = idsOf(record, field);
        if (!ids.some((id) => parseGlobalId(id)?.owner === owner)) continue;
        if (
          !knowable(requester, record.id) ||
          decideRecord(requester, record.id, category).effect !== 'release'
        )
          continue;
        const expected = ids.filter((id) => knowable(requester, id));
        if (!found || (found.expected.length === 0 && expected.length > 0))
          found = { headers, requester, holder: record.id, kind, field, single, owner, expected };
        if (found.expected.length > 0) return found;
      }
    }
  }
  return found;
}

const LIST_CASES = listCases();
const SELECTIONS = ['id', 'id country', '__typename country'];

type Errors = NonNullable<GraphQLAnswer['body']['errors']>;

function noBasisErrors(errors: Errors | undefined, owner: string): Errors {
  return (errors ?? []).filter(
    (e) =>
      e.extensions?.['owner'] === owner &&
      e.extensions?.['category'] === META_REFERENCE &&
      e.extensions?.['field'] === undefined,
  );
}

describe("an id in another owner's list is decided by the owner of the record it names", () => {
  let alliance: Alliance;
  beforeAll(async () => {
    alliance = await startAlliance();
  });
  afterAll(() => alliance.stop());

  it('the tables are not empty: owners with no basis, lists holding their ids, and lists that keep other records', () => {
    expect(LIST_CASES.length).toBeGreaterThanOrEqual(10);
    expect(LIST_CASES.some((c) => c.expected.length > 0)).toBe(true);
    expect(LIST_CASES.some((c) => c.single)).toBe(true);
  });

  it("KR for strategic analysis in the joint team: KH-CAS-000001 lists KH's released suspects, not TH's, however asked", async () => {
    const headers = analyst('KR', 'kim.j', { purpose: 'strategic_analysis', jit: 'JTF-KR-KH-2025' });
    const requester = contextOf(headers)!;
    const listed = idsOf(world.record('KH-CAS-000001'), 'suspects');
    expect(listed.some((id) => id.startsWith('TH-'))).toBe(true);
    const expected = listed.filter((id) => knowable(requester, id));
    expect(expected.length).toBeGreaterThan(0);
    for (const selection of SELECTIONS) {
      const { body } = await alliance.query(`{ case(id: "KH-CAS-000001") { suspects { ${selection} } } }`, {
        headers,
      });
      const suspects = (body.data!['case'] as { suspects: { id?: string; country: string }[] | null })
        .suspects;
      expect({ selection, count: suspects?.length }).toEqual({ selection, count: expected.length });
      if (selection.includes('id')) expect(suspects!.map((s) => s.id)).toEqual(expected);
      expect(JSON.stringify(body)).not.toMatch(/TH-SUS-/);
      expect(noBasisErrors(body.errors, 'TH')).toHaveLength(1);
    }
  });

  it.each(
    LIST_CASES.map(
      (c) =>
        [
          `${c.headers['accord-country']} ${c.headers['accord-purpose']}${c.headers['accord-jit'] ? ' (joint team)' : ''}`,
          c.owner,
          `${c.holder}.${c.field}`,
          c,
        ] as const,
    ),
  )('%s, no basis with %s: %s', async (_who, owner, _where, c) => {
    for (const selection of SELECTIONS) {
      const query = `query ($id: ID!) { ${lookupField(c.kind)}(id: $id) { id ${c.field} { ${selection} } } }`;
      const { status, body } = await alliance.query(query, {
        headers: c.headers,
        variables: { id: c.holder },
      });
      expect(status).toBe(200);
      const holder = body.data![lookupField(c.kind)] as Record<string, unknown> | null;
      expect(holder).not.toBeNull();
      const value = holder![c.field] as { id?: string; __typename?: string }[] | { id?: string } | null;
      const items = c.single
        ? value
          ? [value as { id?: string; __typename?: string }]
          : []
        : (value as { id?: string; __typename?: string }[]);
      // The rest of the list stays: never nulled because one item's owner shares nothing.
      expect({ selection, items: Array.isArray(items) }).toEqual({ selection, items: true });
      if (selection.includes('id'))
        expect({ selection, ids: items.map((item) => item.id) }).toEqual({ selection, ids: c.expected });
      else expect({ selection, count: items.length }).toEqual({ selection, count: c.expected.length });
      // Nothing of the owner with no basis: not its ids, not its types.
      const text = JSON.stringify(body.data);
      expect(text).not.toContain(`"${owner}-`);
      expect(text).not.toMatch(new RegExp(`"${owner}(Suspect|Compound|Case|Victim)"`));
      // One no-basis error for that owner, never one per record and never a count; no NOT_FOUND.
      expect({ selection, noBasis: noBasisErrors(body.errors, owner).length }).toEqual({
        selection,
        noBasis: 1,
      });
      expect((body.errors ?? []).filter((e) => e.extensions?.['code'] === 'NOT_FOUND')).toEqual([]);
      expect(JSON.stringify(body.errors ?? [])).not.toMatch(/\d+ (records|suspects|compounds|cases|victims)/);
    }
  });
});

/** A lookup's answer with the id asked for replaced, to compare a hidden record's answer with a missing one's. */
function anonymised(body: GraphQLAnswer['body'], id: string): string {
  return JSON.stringify(body).split(id).join('<id>');
}

interface LookupCase {
  readonly headers: Record<string, string>;
  readonly kind: EntityInterface;
  readonly owner: string;
  /** A record of that owner the requester may not know of, when there is one. */
  readonly hidden?: string;
  /** An id of that owner and kind that names no record. */
  readonly missing: string;
  /** Whether the owner gives the requester no basis at all (answered with its no-basis error). */
  readonly noBasis: boolean;
}

/** For one declaration per member and purpose-free joint-team declarations: every owner and kind. */
function lookupCases(): LookupCase[] {
  const cases: LookupCase[] = [];
  const declarations = DECLARATIONS.filter((h) =>
    ['investigation', 'strategic_analysis'].includes(h['accord-purpose']!),
  );
  declarations.push(analyst('TH', 'analyst.th')); // no purpose declared
  for (const headers of declarations) {
    const requester = contextOf(headers);
    if (!requester) continue;
    for (const { code: owner } of MEMBERS) {
      for (const kind of ENTITY_INTERFACES) {
        const missing = formatGlobalId(owner, kind, world.count(owner, kind) + 1);
        let hidden: string | undefined;
        for (const record of recordsOf(owner, kind)) {
          if (!knowable(requester, record.id)) {
            hidden = record.id;
            break;
          }
        }
        cases.push({
          headers,
          kind,
          owner,
          missing,
          noBasis: noBasisAtAll(requester, owner),
          ...(hidden ? { hidden } : {}),
        });
      }
    }
  }
  return cases;
}

const LOOKUP_CASES = lookupCases();

describe('a lookup of a record that does not exist, or that the requester may not know of', () => {
  let alliance: Alliance;
  beforeAll(async () => {
    alliance = await startAlliance();
  });
  afterAll(() => alliance.stop());

  it('the tables hold records hidden record by record, and owners with no basis at all', () => {
    expect(LOOKUP_CASES.some((c) => c.hidden && !c.noBasis)).toBe(true);
    expect(LOOKUP_CASES.some((c) => c.hidden && c.noBasis)).toBe(true);
    expect(LOOKUP_CASES.some((c) => !c.hidden && !c.noBasis)).toBe(true);
  });

  it('KR-SUS-999999 is null with NOT_FOUND, whatever is selected', async () => {
    const headers = analyst('KR', 'lee.h', { purpose: 'investigation', case: 'KR-CAS-000001' });
    for (const selection of ['id', 'id fullName', 'id country', '__typename']) {
      const { body } = await alliance.query(`{ suspect(id: "KR-SUS-999999") { ${selection} } }`, { headers });
      expect({ selection, data: body.data }).toEqual({ selection, data: { suspect: null } });
      expect(body.errors).toEqual([
        { message: expect.any(String), path: ['suspect'], extensions: { code: 'NOT_FOUND' } },
      ]);
    }
  });

  it.each(
    LOOKUP_CASES.map(
      (c) =>
        [
          `${c.headers['accord-country']} ${c.headers['accord-purpose'] ?? '(no purpose)'}${c.headers['accord-jit'] ? ' (joint team)' : ''}`,
          c.kind,
          c.owner,
          c,
        ] as const,
    ),
  )('%s: %s of %s', async (_who, kind, _owner, c) => {
    const field = lookupField(kind);
    for (const selection of ['id', `id ${DETAIL_FIELD[kind]}`, 'id country', '__typename']) {
      const query = `query ($id: ID!) { ${field}(id: $id) { ${selection} } }`;
      const missing = await alliance.query(query, { headers: c.headers, variables: { id: c.missing } });
      expect({ selection, status: missing.status, data: missing.body.data }).toEqual({
        selection,
        status: 200,
        data: { [field]: null },
      });
      // Missing: NOT_FOUND where some basis lets the requester know of the owner's records; the owner's
      // no-basis error where none does (then nothing at all is said about the record).
      const codes = (missing.body.errors ?? []).map((e) => e.extensions?.['code']);
      if (c.noBasis) {
        expect({
          selection,
          noBasis: noBasisErrors(missing.body.errors, c.owner).length,
          codes: codes.length,
        }).toEqual({ selection, noBasis: 1, codes: 1 });
      } else {
        expect({ selection, codes }).toEqual({ selection, codes: ['NOT_FOUND'] });
        expect(missing.body.errors![0]!.path).toEqual([field]);
      }
      if (!c.hidden) continue;
      const hidden = await alliance.query(query, { headers: c.headers, variables: { id: c.hidden } });
      // Hidden answers exactly like missing, byte for byte but the id itself.
      expect({ selection, answer: anonymised(hidden.body, c.hidden) }).toEqual({
        selection,
        answer: anonymised(missing.body, c.missing),
      });
      expect(hidden.status).toBe(missing.status);
    }
  });
});

describe('both audit trails of these answers agree', () => {
  it('the owner that left a record out and the gateway record it; every log verifies', async () => {
    const backend = sqliteAuditBackend();
    const logs = backend.forAlliance();
    const exchanges: Exchange[] = [];
    const alliance = await startAlliance({ audit: logs, record: exchanges });
    // One list case per owner with no basis, and one hidden and one missing lookup per owner and kind.
    const lists = [...new Map(LIST_CASES.map((c) => [`${c.owner}${c.single}`, c])).values()];
    const lookups = LOOKUP_CASES.filter((c) => c.hidden && !c.noBasis).slice(0, 8);
    try {
      for (const c of lists) {
        await alliance.query(
          `query ($id: ID!) { ${lookupField(c.kind)}(id: $id) { id ${c.field} { id } } }`,
          { headers: c.headers, variables: { id: c.holder } },
        );
      }
      for (const c of lookups) {
        for (const id of [c.hidden!, c.missing])
          await alliance.query(`query ($id: ID!) { ${lookupField(c.kind)}(id: $id) { id } }`, {
            headers: c.headers,
            variables: { id },
          });
      }
    } finally {
      await alliance.stop();
    }
    const bodies: CrossingBody[] = [];
    try {
      for (const url of logs.urls) {
        const reader = await openAuditReader(url);
        try {
          expect({ url, problems: (await reader.verify()).problems }).toEqual({ url, problems: [] });
          for (const found of await reader.query({ kinds: ['consultation', 'disclosure'], limit: 100_000 }))
            bodies.push(found.entry!.body as CrossingBody);
        } finally {
          await reader.close();
        }
      }
    } finally {
      await backend.close();
    }
    expect(exchanges).toHaveLength(lists.length + 2 * lookups.length);
    for (const [index, exchange] of exchanges.entries()) {
      const records = bodies.filter((b) => b.requestId === exchange.requestId);
      const consultations = records.filter((r) => r.side === 'consultation');
      const disclosures = records.filter((r) => r.side === 'disclosure');
      // Every disclosure answers a consultation of the same crossing.
      for (const disclosure of disclosures)
        expect(consultations.map((c) => c.decisionId)).toContain(disclosure.decisionId);
      // Every no-basis error is in the consultation of the owner it names: that owner withheld even the reference.
      for (const error of exchange.answer.body.errors ?? []) {
        const owner = String(error.extensions?.['owner']);
        if (error.extensions?.['category'] !== META_REFERENCE) continue;
        const entries = consultations.find((c) => c.owner === owner)?.fields ?? [];
        const at = error.path?.join('.');
        expect({
          index,
          owner,
          at,
          entry: entries.some(
            (f) => f.category === META_REFERENCE && f.effect === 'withhold' && (!at || f.path === at),
          ),
        }).toEqual({ index, owner, at, entry: true });
      }
      if (index < lists.length) {
        // The holder's owner records each record it left out, by id, as withheld.
        const c = lists[index]!;
        const left = idsOf(world.record(c.holder), c.field).filter(
          (id) => parseGlobalId(id)!.owner === c.owner,
        );
        const holderOwner = parseGlobalId(c.holder)!.owner;
        const disclosed = disclosures.filter((d) => d.owner === holderOwner).flatMap((d) => d.fields);
        for (const id of left)
          expect({ id, withheld: disclosed.some((f) => f.record === id && f.effect === 'withhold') }).toEqual(
            { id, withheld: true },
          );
        // Nothing of that owner reached the gateway, so nothing of it was released there.
        expect(
          consultations.find((r) => r.owner === c.owner)?.fields.filter((f) => f.effect !== 'withhold') ?? [],
        ).toEqual([]);
      } else {
        // A record answered as absent: no release of it on either side; a hidden one is in its owner's log.
        const c = lookups[Math.floor((index - lists.length) / 2)]!;
        const id = index % 2 === lists.length % 2 ? c.hidden! : c.missing;
        expect(
          records.flatMap((r) => r.fields).filter((f) => f.record === id && f.effect !== 'withhold'),
        ).toEqual([]);
        if (id === c.hidden) {
          const owned = disclosures.filter((d) => d.owner === c.owner).flatMap((d) => d.fields);
          expect({ id, kept: owned.some((f) => f.record === id && f.effect === 'withhold') }).toEqual({
            id,
            kept: true,
          });
        }
      }
    }
  });
});

describe('a member that cannot be asked', () => {
  it("leaves its records out of another owner's list, unconfirmed, and the list stays", async () => {
    // A case of the analyst's own country that lists records of the member that is down and of others.
    const headers = analyst('KR', 'lee.h', { purpose: 'investigation', case: 'KR-CAS-000001' });
    const requester = contextOf(headers)!;
    const down = MEMBERS.map((m) => m.code).find((code) => code !== 'KR' && !noBasisAtAll(requester, code))!;
    const holder = [...world.records('KR', 'Case')].find(
      (c) =>
        c.suspects.some((id) => id.startsWith(`${down}-`)) &&
        c.suspects.some((id) => !id.startsWith(`${down}-`)),
    )!;
    expect(holder).toBeDefined();
    const expected = holder.suspects.filter((id) => !id.startsWith(`${down}-`) && knowable(requester, id));
    const faulty = await startFaultyServer('down');
    const alliance = await startAlliance({
      replace: { [down.toLowerCase()]: faulty.url },
      subgraphTimeoutMs: 2000,
    });
    try {
      for (const selection of ['id', 'id country', 'id fullName']) {
        const { body } = await alliance.query(
          `query ($id: ID!) { case(id: $id) { suspects { ${selection} } } }`,
          { headers, variables: { id: holder.id } },
        );
        const suspects = (body.data!['case'] as { suspects: { id: string }[] | null }).suspects;
        expect({ selection, ids: suspects?.map((s) => s.id) }).toEqual({ selection, ids: expected });
        expect({
          selection,
          codes: (body.errors ?? []).map((e) => [e.extensions?.['code'], e.extensions?.['country']]),
        }).toEqual({ selection, codes: [['MEMBER_UNAVAILABLE', down]] });
      }
    } finally {
      await alliance.stop();
      await faulty.stop();
    }
  });
});
