// The edges of time (issue 10, item 17), end to end over HTTP: for every clause of the agreement set, a
// request the clause answers, asked one instant inside and one instant outside the window in which the
// clause can apply (its agreement in force, and its joint team's validity when it has one). Inside, the
// owner releases under the clause and cites it; outside, the clause is not cited. The alliance's clock is
// the development override (lib/clock.ts), set for each instant as ACCORD_CLOCK would set it.
//
// Windows are whole UTC days (agreements/README.md): `from` starts at 00:00:00.000Z, `until` is inclusive
// and ends before 00:00:00.000Z of the next day.
import { Kind, parse } from 'graphql';
import { clockFromEnv, type Clock } from '../../lib/clock';
import { loadDefaultPolicy, type Agreement, type Clause } from '../../policy';
import {
  ENTITY_INTERFACES,
  formatGlobalId,
  readCommittedSupergraph,
  type EntityInterface,
} from '../../schema';
import { createWorld } from '../../subgraphs/reference';
import type { GrantStore } from '../../subgraphs/desk';
import type { Category, Purpose } from '../../vocabulary';
import { analyst, startAlliance, type Alliance } from '../support/alliance';
import { memoryGrantStore } from '../support/grants';
import { registerEmergency } from '../support/emergencies';

/** The emergency registered at each instant a probe asks at (the id its headers name). */
const registered = new Map<number, string>();

const DAY_MS = 86_400_000;
const policy = loadDefaultPolicy();
const world = createWorld();
const GRADES = ['A', 'B', 'C', 'X'];

/** Every categorized field without arguments, by concrete type, read from the supergraph's SDL. */
const FIELDS: { type: string; field: string; category: string; scalar: boolean }[] = [];
const SDL = parse(readCommittedSupergraph());
const LEAVES = new Set([
  'String',
  'ID',
  'Int',
  'Float',
  'Boolean',
  ...SDL.definitions.flatMap((d) =>
    d.kind === Kind.ENUM_TYPE_DEFINITION || d.kind === Kind.SCALAR_TYPE_DEFINITION ? [d.name.value] : [],
  ),
]);
for (const definition of SDL.definitions) {
  if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
  for (const field of definition.fields ?? []) {
    const category = field.directives
      ?.find((d) => d.name.value === 'category')
      ?.arguments?.find((a) => a.name.value === 'name')?.value;
    if (!category || category.kind !== Kind.STRING || field.arguments?.length) continue;
    let type = field.type;
    while (type.kind !== Kind.NAMED_TYPE) type = type.type;
    FIELDS.push({
      type: definition.name.value,
      field: field.name.value,
      category: category.value,
      scalar: LEAVES.has(type.name.value),
    });
  }
}

interface Probe {
  readonly title: string;
  /** Who asks (an emergency is registered for them before the request). */
  readonly requester: string;
  /** The grant the owner holds for the probe, when its clause needs a formal request (valid at every edge). */
  readonly grant?: {
    readonly owner: string;
    readonly id: string;
    readonly requester: string;
    readonly analyst: string;
    readonly record: string;
    readonly category: string;
    readonly purpose: string;
  };
  readonly agreement: Agreement;
  readonly clause: Clause;
  readonly headers: (at: number) => Record<string, string>;
  readonly query: string;
  /** [start, end) in epoch ms: where the clause can apply. */
  readonly startMs: number;
  readonly endMs: number;
}

function utcDay(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`);
}

/** A request the clause answers: who asks, about which record, what, and with which declaration. */
function probeFor(agreement: Agreement, clause: Clause): Probe | undefined {
  const { from, to } =
    clause.direction === 'both' ? { from: agreement.parties, to: agreement.parties } : clause.direction;
  const team = clause.conditions.jointTeam;
  const minimum = clause.conditions.minimumSourceGrade;
  // Owners without a domestic release gate first: the probe is about the clause, not the owner's second key.
  const gated = new Set(policy.set.gates.map((gate) => gate.owner));
  const owners = [...from].sort((a, b) => Number(gated.has(a)) - Number(gated.has(b)));
  // A clause that gives hits only is cited for the reference it releases (the record's `country`).
  const releases = Object.entries(clause.categories)
    .filter(([, mode]) => mode === 'release')
    .map(([category]) => category);
  const categories = releases.length > 0 ? releases : ['meta.reference'];
  for (const owner of owners) {
    for (const requester of to) {
      if (owner === requester) continue;
      const analystId = team ? team.members[requester]?.[0] : 'clock.tester';
      if (!analystId) continue;
      for (const category of categories) {
        for (const kind of ENTITY_INTERFACES) {
          const field = FIELDS.find((f) => f.type === `${owner}${kind}` && f.category === category);
          const record = field && recordOf(owner, kind, team?.operation, minimum);
          if (!field || !record) continue;
          const start = Math.max(utcDay(agreement.inForce.from), team ? utcDay(team.validFrom) : -Infinity);
          const ends = [agreement.inForce.until, team?.validUntil]
            .filter((d): d is string => d !== undefined)
            .map((d) => utcDay(d) + DAY_MS);
          const selection = field.scalar ? field.field : `${field.field} { __typename }`;
          // A formal request opens the clause only through a grant the owner holds: one per probe, valid
          // around both edges, so that the agreement's window alone decides.
          const grantId = `GRANT-${agreement.id}-${clause.id}`.toUpperCase();
          const purpose = clause.purposes[0]!;
          return {
            ...(clause.conditions.requestReference
              ? { grant: { owner, id: grantId, requester, analyst: analystId, record, category, purpose } }
              : {}),
            requester,
            title: `${agreement.id}/${clause.id}: ${requester} asks ${owner} for ${field.type}.${field.field} (${category})`,
            agreement,
            clause,
            startMs: start,
            endMs: ends.length ? Math.min(...ends) : Infinity,
            query: `{ ${kind.charAt(0).toLowerCase()}${kind.slice(1)}(id: "${record}") { id ... on ${field.type} { ${selection} } } }`,
            headers: (at) =>
              analyst(requester, analystId, {
                purpose,
                // A formal request is made in a case: the grant names it, so the request must carry it too.
                ...(clause.conditions.caseReference || clause.conditions.requestReference
                  ? { case: `${requester}-CAS-000001` }
                  : {}),
                ...(clause.conditions.requestReference ? { 'request-ref': grantId } : {}),
                ...(clause.conditions.warrantReference ? { warrant: `WRT-${requester}-2026-0001` } : {}),
                ...(clause.conditions.interpolNotice ? { notice: 'INTERPOL-RED-2026-0001' } : {}),
                ...(team ? { jit: team.id } : {}),
                // An emergency is registered at the instant asked about (the hub's clock), then named.
                ...(clause.conditions.emergency ? { emergency: registered.get(at)! } : {}),
              }),
          };
        }
      }
    }
  }
  return undefined;
}

/** The first record of a kind the owner holds that meets the clause's record conditions. */
function recordOf(
  owner: string,
  kind: EntityInterface,
  operation: string | undefined,
  minimumGrade: string | undefined,
): string | undefined {
  const count = world.count(owner, kind);
  for (let serial = 1; serial <= count; serial++) {
    const id = formatGlobalId(owner, kind, serial);
    const facts = world.record(id) as { operations?: readonly string[]; sourceGrade?: string } | undefined;
    if (!facts) continue;
    if (operation && !(facts.operations ?? []).includes(operation)) continue;
    if (
      minimumGrade &&
      !(
        facts.sourceGrade &&
        GRADES.indexOf(facts.sourceGrade[0]!) <= GRADES.indexOf(minimumGrade) &&
        GRADES.includes(facts.sourceGrade[0]!)
      )
    )
      continue;
    return id;
  }
  return undefined;
}

const PROBES = policy.set.agreements.flatMap((agreement) =>
  agreement.clauses.map(
    (clause) => probeFor(agreement, clause) ?? { missing: `${agreement.id}/${clause.id}` },
  ),
);

/** Each edge of each clause's window: one instant just inside, one just outside. */
const EDGES = PROBES.flatMap((probe) => {
  if ('missing' in probe) return [];
  const edges = [{ probe, edge: 'starts', inside: probe.startMs, outside: probe.startMs - 1 }];
  if (Number.isFinite(probe.endMs))
    edges.push({ probe, edge: 'ends', inside: probe.endMs - 1, outside: probe.endMs });
  return edges;
});

describe('the clock override, at every edge of every clause', () => {
  let alliance: Alliance;
  let clock: Clock = clockFromEnv({});
  /** ACCORD_CLOCK, as a development service reads it. */
  const setClock = (at: number): void => {
    clock = clockFromEnv({ ACCORD_DEV: '1', ACCORD_CLOCK: new Date(at).toISOString() });
  };

  beforeAll(async () => {
    const grants: Record<string, GrantStore> = {};
    for (const probe of PROBES) {
      if ('missing' in probe || !probe.grant) continue;
      const { owner, id, requester, analyst: analystId, record, category, purpose } = probe.grant;
      grants[owner] ??= memoryGrantStore(owner);
      grants[owner].issue(
        {
          id,
          owner,
          requesterCountry: requester,
          analysts: [analystId],
          caseReference: `${requester}-CAS-000001`,
          purpose: purpose as Purpose,
          agreement: probe.agreement.id,
          clauses: [probe.clause.id],
          subjects: [record],
          categories: [category as Category],
          validFrom: 0,
          validUntil: Date.parse('2100-01-01T00:00:00Z'),
          evidentiaryUse: true,
        },
        [`desk.officer.${owner.toLowerCase()}`],
      );
    }
    alliance = await startAlliance({ now: () => clock.now(), grants });
  }, 60_000);
  afterAll(() => alliance?.stop());

  it('finds, for every clause of the agreement set, a request it answers', () => {
    expect(PROBES.filter((p) => 'missing' in p)).toEqual([]);
    // Floors, or the edges below could pass on nothing: every agreement starts; some end; joint teams expire.
    expect(EDGES.filter((e) => e.edge === 'starts')).toHaveLength(PROBES.length);
    expect(EDGES.filter((e) => e.edge === 'ends').length).toBeGreaterThan(0);
    expect(
      EDGES.some(
        (e) =>
          e.edge === 'ends' &&
          e.probe.clause.conditions.jointTeam &&
          e.probe.endMs === utcDay(e.probe.clause.conditions.jointTeam.validUntil) + DAY_MS,
      ),
    ).toBe(true);
  });

  it.each(
    EDGES.map(
      (e) =>
        [
          e.probe.title,
          e.edge,
          new Date(e.inside).toISOString(),
          new Date(e.outside).toISOString(),
          e,
        ] as const,
    ),
  )(
    '%s: %s between %s (inside) and %s (outside)',
    async (_title, _edge, _inside, _outside, { probe, inside, outside }) => {
      const cites = async (at: number): Promise<boolean> => {
        setClock(at);
        if (probe.clause.conditions.emergency) {
          const registration = await registerEmergency(
            alliance,
            probe.requester,
            'clock.tester',
            `${probe.requester}-CAS-000001`,
            'A victim held in a compound is at imminent risk of harm.',
          );
          registered.set(at, registration.id);
        }
        const answer = await alliance.query(probe.query, { headers: probe.headers(at) });
        expect({
          at: new Date(at).toISOString(),
          status: answer.status,
          codes: (answer.body.errors ?? []).map((e) => e.extensions?.['code']),
        }).toEqual({
          at: new Date(at).toISOString(),
          status: 200,
          codes: (answer.body.errors ?? []).map((): unknown =>
            expect.stringMatching(/^(WITHHELD|FOLLOW_UP_REQUIRED|PURPOSE_REQUIRED)$/),
          ),
        });
        const owners = (answer.body.extensions?.['obligations'] ?? {}) as Record<
          string,
          { releases: { agreement: string; clause: string }[] }
        >;
        return Object.values(owners).some((o) =>
          o.releases.some((r) => r.agreement === probe.agreement.id && r.clause === probe.clause.id),
        );
      };
      expect({ inside: await cites(inside), outside: await cites(outside) }).toEqual({
        inside: true,
        outside: false,
      });
    },
  );
});
