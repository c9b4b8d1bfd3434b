// Answers that say what happened (issue 14, item 3):
//
// - a lookup by id of a record that does not exist and of one the requester may not know of answer alike,
//   byte for byte: `null` and one NOT_FOUND, whatever is selected;
// - an operation refused for its size says which dimension to reduce, never a limit's value;
// - a search term too short is refused with an error that says so, never answered with nothing;
// - a refusal with no route says that no agreement between the owner and the requester releases more,
//   instead of sending the analyst after a request.
//
// The tables come from the registry (schema/), the agreements (policy/) and the reference world.
import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import { loadDefaultPolicy, parseRequestHeaders, type RequestContext } from '../../policy';
import {
  ENTITY_INTERFACES,
  MEMBERS,
  formatGlobalId,
  readCommittedSupergraph,
  subgraphName,
  type EntityInterface,
} from '../../schema';
import { createWorld, type AnyRecord } from '../../subgraphs/reference';
import { CATEGORIES, META_REFERENCE, PURPOSES, type Category } from '../../vocabulary';
import { analyst, startAlliance, TEST_NOW, type Alliance, type GraphQLAnswer } from '../support/alliance';
import { sqliteAuditBackend, type AuditBackend } from '../support/auditBackends';

const policy = loadDefaultPolicy();
const world = createWorld();
// The world generates a record each time it is asked for one (subgraphs/reference/world/World.ts): the
// tables below go over the same records for every declaration, so each member's records of a kind are
// generated once here.
const recordsByKind = new Map<string, readonly AnyRecord[]>();
function recordsOf(owner: string, kind: EntityInterface): readonly AnyRecord[] {
  const key = `${owner} ${kind}`;
  if (!recordsByKind.has(key)) recordsByKind.set(key, [...world.records(owner, kind)]);
  return recordsByKind.get(key)!;
}
const SUPERGRAPH = parse(readCommittedSupergraph(), { noLocation: true });

function objectType(name: string): ObjectTypeDefinitionNode | undefined {
  return SUPERGRAPH.definitions.find(
    (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === name,
  );
}

function namedType(field: FieldDefinitionNode): string {
  let type = field.type;
  while (type.kind !== Kind.NAMED_TYPE) type = type.type;
  return type.name.value;
}

const DEFINED_TYPES = new Set(
  SUPERGRAPH.definitions.flatMap((d) =>
    'name' in d && d.name && d.kind !== Kind.SCALAR_TYPE_DEFINITION && d.kind !== Kind.ENUM_TYPE_DEFINITION
      ? [d.name.value]
      : [],
  ),
);

/** Every root lookup of a record by id, read from the supergraph's Query: `suspect(id:)`, `case(id:)`, … */
const LOOKUPS: { field: string; kind: EntityInterface }[] = (objectType('Query')!.fields ?? [])
  .filter(
    (f) =>
      (ENTITY_INTERFACES as readonly string[]).includes(namedType(f)) &&
      f.type.kind !== Kind.LIST_TYPE &&
      f.arguments?.some((a) => a.name.value === 'id'),
  )
  .map((f) => ({ field: f.name.value, kind: namedType(f) as EntityInterface }));

/** A member's concrete type's fields (KRSuspect), without arguments: leaves and records. */
function fieldsOf(owner: string, kind: EntityInterface): FieldDefinitionNode[] {
  return (objectType(`${owner}${kind}`)?.fields ?? []).filter((f) => !f.arguments?.length);
}

function categoryOf(field: FieldDefinitionNode): string | undefined {
  const directive = field.directives?.find((d) => d.name.value === 'category');
  const value = directive?.arguments?.find((a) => a.name.value === 'name')?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** Selections of a record of `kind`, from the key alone to details and a list of other records. */
function selectionsOf(owner: string, kind: EntityInterface): string[] {
  const fields = fieldsOf(owner, kind);
  const leaf = fields.find(
    (f) => f.name.value !== 'id' && f.name.value !== 'country' && !DEFINED_TYPES.has(namedType(f)),
  )!;
  const records = fields.find((f) => (ENTITY_INTERFACES as readonly string[]).includes(namedType(f)));
  return [
    'id',
    '__typename',
    'id country',
    `id ${leaf.name.value}`,
    ...(records ? [`id ${records.name.value} { id }`] : []),
    `... on ${owner}${kind} { ${leaf.name.value} }`,
  ];
}

function contextOf(headers: Record<string, string>): RequestContext {
  const parsed = parseRequestHeaders((name) => headers[name], TEST_NOW);
  if (!parsed.ok) throw new Error(`not a declaration: ${JSON.stringify(headers)}`);
  return parsed.context;
}

function factsOf(idOrRecord: string | AnyRecord): { operations: string[]; sourceGrade?: string } {
  const record = (typeof idOrRecord === 'string' ? world.record(idOrRecord) : idOrRecord) as
    { operations?: readonly string[]; sourceGrade?: string } | undefined;
  return {
    operations: [...(record?.operations ?? [])],
    ...(record?.sourceGrade ? { sourceGrade: record.sourceGrade } : {}),
  };
}

/** Who may ask why: every member's analyst for every purpose, and every named member of every joint team. */
function declarations(): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const { code } of MEMBERS)
    for (const purpose of PURPOSES)
      out.push(analyst(code, `analyst.${code.toLowerCase()}`, { purpose, case: `${code}-CAS-000001` }));
  for (const agreement of policy.set.agreements) {
    for (const clause of agreement.clauses) {
      const team = clause.conditions?.jointTeam;
      if (!team) continue;
      for (const [country, analysts] of Object.entries(team.members)) {
        for (const purpose of PURPOSES)
          out.push(analyst(country, analysts[0]!, { purpose, case: `${country}-CAS-000001`, jit: team.id }));
      }
    }
  }
  return out;
}

interface HiddenCase {
  readonly headers: Record<string, string>;
  readonly owner: string;
  readonly kind: EntityInterface;
  /** A record that exists, but whose owner gives this requester not even a hit on it. */
  readonly hidden: string;
  /** An id of the same owner and kind that names no record. */
  readonly missing: string;
}

/**
 * Per lookup kind: a requester to whom some basis gives records of the owner (so a missing one is
 * NOT_FOUND, not the owner's no-basis refusal), and a record of that owner the requester may not know of.
 */
function hiddenCases(): HiddenCase[] {
  const cases = new Map<EntityInterface, HiddenCase>();
  for (const headers of declarations()) {
    const requester = contextOf(headers);
    for (const { code: owner } of MEMBERS) {
      const pair = policy.decide({ requester, owner, category: META_REFERENCE, at: TEST_NOW });
      if (pair.effect === 'withhold' && !pair.recordDependent) continue; // no basis at all: another answer
      for (const kind of ENTITY_INTERFACES) {
        if (cases.has(kind)) continue;
        const hidden = recordsOf(owner, kind).find(
          (r) =>
            policy.decide({ requester, owner, category: META_REFERENCE, at: TEST_NOW, record: factsOf(r) })
              .effect === 'withhold',
        );
        if (hidden)
          cases.set(kind, {
            headers,
            owner,
            kind,
            hidden: hidden.id,
            missing: formatGlobalId(owner, kind, world.count(owner, kind) + 1),
          });
      }
    }
  }
  return [...cases.values()];
}

/** The answer as the analyst gets it, without the request's id should it ever be carried in the body. */
function bytes(body: GraphQLAnswer['body']): string {
  const { extensions, ...rest } = body;
  const kept = extensions
    ? Object.fromEntries(Object.entries(extensions).filter(([key]) => key !== 'requestId'))
    : undefined;
  return JSON.stringify(kept && Object.keys(kept).length ? { ...rest, extensions: kept } : rest);
}

const HIDDEN = hiddenCases();

/**
 * A service's /metrics samples that count things (not timings, not the process's own): `name{labels}` →
 * value. Whoever reads an owner's /metrics and sends queries must not tell a hidden record from a missing
 * one there either.
 */
async function countsAt(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${new URL(url).origin}/metrics`)).text();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const sample = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (!sample || /^(process_|nodejs_)|_(sum|bucket)(\{|$)/.test(sample[1]!)) continue;
    counts.set(sample[1]!, Number(sample[2]));
  }
  return counts;
}

/** What changed between two readings, by sample. */
function moved(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const changes: Record<string, number> = {};
  for (const [key, value] of after)
    if (value !== (before.get(key) ?? 0)) changes[key] = value - (before.get(key) ?? 0);
  return changes;
}

describe('answers that say what happened', () => {
  let alliance: Alliance;
  let audit: AuditBackend;
  beforeAll(async () => {
    // With audit logs: an owner's /metrics counts what its log records (compared below).
    audit = sqliteAuditBackend();
    alliance = await startAlliance({ audit: audit.forAlliance() });
  });
  afterAll(async () => {
    await alliance.stop();
    await audit.close();
  });

  describe('a missing record and a hidden one', () => {
    it('the tables cover every lookup of the supergraph', () => {
      expect(LOOKUPS.map((l) => l.kind).sort()).toEqual([...ENTITY_INTERFACES].sort());
      // Hidden records exist for at least one kind in the reference world (joint teams' operations).
      expect(HIDDEN.length).toBeGreaterThan(0);
    });

    it.each(LOOKUPS.map((l) => [l.field, l] as const))(
      '%s(id:) of a record that does not exist is null with one NOT_FOUND, whatever is selected',
      async (_name, lookup) => {
        // The analyst's own country: every basis there, so nothing but absence can explain the answer.
        for (const { code: owner } of MEMBERS) {
          const headers = analyst(owner, `analyst.${owner.toLowerCase()}`, {
            purpose: 'investigation',
            case: `${owner}-CAS-000001`,
          });
          const missing = formatGlobalId(owner, lookup.kind, world.count(owner, lookup.kind) + 1);
          for (const selection of selectionsOf(owner, lookup.kind)) {
            const { status, body } = await alliance.query(
              `query ($id: ID!) { ${lookup.field}(id: $id) { ${selection} } }`,
              { headers, variables: { id: missing } },
            );
            expect({ selection, status, data: body.data }).toEqual({
              selection,
              status: 200,
              data: { [lookup.field]: null },
            });
            expect({ selection, errors: body.errors }).toEqual({
              selection,
              errors: [
                { message: expect.any(String), path: [lookup.field], extensions: { code: 'NOT_FOUND' } },
              ],
            });
          }
        }
      },
    );

    it.each(HIDDEN.map((c) => [c.headers['accord-country'], c.hidden, c.missing, c] as const))(
      '%s: %s (hidden) answers byte for byte as %s (missing)',
      async (_who, _hidden, _missing, c) => {
        const field = LOOKUPS.find((l) => l.kind === c.kind)!.field;
        const owner = alliance.subgraphUrls[subgraphName(c.owner)]!;
        for (const selection of selectionsOf(c.owner, c.kind)) {
          const query = `query ($id: ID!) { ${field}(id: $id) { ${selection} } }`;
          const [atGateway, atOwner] = [await countsAt(alliance.gatewayUrl), await countsAt(owner)];
          const missing = await alliance.query(query, { headers: c.headers, variables: { id: c.missing } });
          const [gatewayAfterMissing, ownerAfterMissing] = [
            await countsAt(alliance.gatewayUrl),
            await countsAt(owner),
          ];
          const hidden = await alliance.query(query, { headers: c.headers, variables: { id: c.hidden } });
          const [gatewayAfterHidden, ownerAfterHidden] = [
            await countsAt(alliance.gatewayUrl),
            await countsAt(owner),
          ];
          // Neither the owner's /metrics nor the gateway's moves differently for the two.
          expect({ selection, owner: moved(ownerAfterMissing, ownerAfterHidden) }).toEqual({
            selection,
            owner: moved(atOwner, ownerAfterMissing),
          });
          expect({ selection, gateway: moved(gatewayAfterMissing, gatewayAfterHidden) }).toEqual({
            selection,
            gateway: moved(atGateway, gatewayAfterMissing),
          });
          expect({ selection, codes: missing.body.errors?.map((e) => e.extensions?.['code']) }).toEqual({
            selection,
            codes: ['NOT_FOUND'],
          });
          // Not anonymised: nothing in either answer may even echo the id that was asked for.
          expect({ selection, status: hidden.status, answer: bytes(hidden.body) }).toEqual({
            selection,
            status: missing.status,
            answer: bytes(missing.body),
          });
        }
      },
    );
  });

  describe('an operation refused for its size', () => {
    const KR = analyst('KR', 'kim.j', { purpose: 'investigation', case: 'KR-CAS-000001' });

    async function refusal(query: string): Promise<string> {
      const { status, body } = await alliance.query(query, { headers: KR });
      expect({ status, data: body.data ?? null, code: body.errors?.[0]?.extensions?.['code'] }).toEqual({
        status: 400,
        data: null,
        code: expect.stringMatching(/^GRAPHQL_(VALIDATION|PARSE)_FAILED$/),
      });
      const message = body.errors![0]!.message;
      // Never a limit's value, nor how far past it the operation went.
      expect(message).not.toMatch(/\d/);
      return message;
    }

    it("a search, its suspects' associates and their border movements: narrow `countries`, or ask `suspect(id:)` for associates", async () => {
      const message = await refusal(
        '{ search(term: "Tiger") { country suspects { id associates { id fullName borderMovements { direction crossingPoint } } } } }',
      );
      expect(message).toMatch(/fan out/);
      expect(message).toContain('`countries`');
      expect(message).toContain('`suspect(id:)`');
      expect(message).toContain('`associates`');
    });

    it('too deep: says to ask for fewer levels', async () => {
      let inner = 'id';
      for (let i = 0; i < 30; i++) inner = `associates { ${inner} }`;
      expect(await refusal(`{ suspect(id: "KR-SUS-000001") { ${inner} } }`)).toMatch(
        /nests too deeply.*fewer levels/,
      );
    });

    it('too many aliases: says so', async () => {
      const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: members { code }`).join(' ');
      expect(await refusal(`{ ${aliases} }`)).toMatch(/too many aliases/);
    });

    it('too long: says so', async () => {
      expect(await refusal(`{ members { ${'code '.repeat(5_000)} } }`)).toMatch(/too long/);
    });
  });

  describe('a search term too short', () => {
    const KR = analyst('KR', 'kim.j', { purpose: 'investigation', case: 'KR-CAS-000001' });
    it.each(['K', 'k', ' K ', 'K.', '-7-', '김'])(
      '%j is refused with an error that says so',
      async (term) => {
        const { body } = await alliance.query(
          'query ($term: String!) { search(term: $term) { country suspects { id } } }',
          { headers: KR, variables: { term } },
        );
        expect(body.data ?? null).toBeNull();
        expect(body.errors).toEqual([
          expect.objectContaining({
            message: expect.stringMatching(/too short/),
            extensions: { code: 'BAD_USER_INPUT', argument: 'term' },
          }),
        ]);
      },
    );

    it('two letters are searched', async () => {
      const { body } = await alliance.query('{ search(term: "Ki") { country } }', { headers: KR });
      expect(body.errors).toBeUndefined();
      expect((body.data!['search'] as unknown[]).length).toBe(MEMBERS.length);
    });
  });

  describe('a refusal with no route', () => {
    interface RoutelessCase {
      readonly headers: Record<string, string>;
      readonly owner: string;
      readonly lookup: string;
      readonly id: string;
      readonly field: string;
      readonly effect: 'hit-only' | 'withhold';
    }

    /** Per effect: a field of a record the requester knows of, whose category no agreement releases more of. */
    function routelessCases(): RoutelessCase[] {
      const found = new Map<string, RoutelessCase>();
      for (const headers of declarations().filter((h) => !h['accord-jit'])) {
        const requester = contextOf(headers);
        for (const { code: owner } of MEMBERS) {
          if (owner === requester.country) continue;
          for (const category of CATEGORIES as readonly Category[]) {
            const decision = policy.decide({ requester, owner, category, at: TEST_NOW });
            if (
              decision.effect === 'release' ||
              decision.recordDependent ||
              decision.routes.length > 0 ||
              found.has(decision.effect)
            )
              continue;
            for (const { field: lookup, kind } of LOOKUPS) {
              const field = fieldsOf(owner, kind).find(
                (f) => categoryOf(f) === category && !DEFINED_TYPES.has(namedType(f)),
              );
              const record =
                field &&
                recordsOf(owner, kind).find(
                  (r) =>
                    policy.decide({
                      requester,
                      owner,
                      category: META_REFERENCE,
                      at: TEST_NOW,
                      record: factsOf(r),
                    }).effect !== 'withhold',
                );
              if (!field || !record) continue;
              found.set(decision.effect, {
                headers,
                owner,
                lookup,
                id: record.id,
                field: field.name.value,
                effect: decision.effect,
              });
              break;
            }
          }
        }
      }
      return [...found.values()];
    }

    const CASES = routelessCases();

    it('the agreements hold such fields, hit-only and withheld', () => {
      expect(CASES.map((c) => c.effect).sort()).toEqual(['hit-only', 'withhold']);
    });

    it.each(CASES.map((c) => [c.effect, c.headers['accord-country'], `${c.id}.${c.field}`, c] as const))(
      '%s for %s: %s says no agreement releases more',
      async (_effect, requester, _where, c) => {
        const { body } = await alliance.query(`query ($id: ID!) { ${c.lookup}(id: $id) { id ${c.field} } }`, {
          headers: c.headers,
          variables: { id: c.id },
        });
        expect(body.data).toEqual({ [c.lookup]: { id: c.id, [c.field]: null } });
        const error = body.errors!.find((e) => e.path?.join('.') === `${c.lookup}.${c.field}`)!;
        expect(error.extensions!['routes']).toEqual([]);
        expect(error.message).toContain(`No agreement between ${c.owner} and ${requester} releases more.`);
        expect(error.message).not.toMatch(/need a request|Could be obtained/);
      },
    );
  });
});
