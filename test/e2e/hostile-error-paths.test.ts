// Error paths count only what the analyst got (review finding 2). The gateway leaves out of a list the
// records their owners did not confirm (gateway/recordPresence.ts); an owner's error further down that list
// still names the place as the owner saw it. Were it not moved up, `["case","suspects",1,…]` beside a
// one-item list would tell that a record stood at 0.
//
// Derived from the agreements (every named member of every joint team, with every purpose) and from the
// synthetic world: for each declaration, one of the requester's own cases whose suspects mix owners the
// requester may and may not know of, the dropped ones first. The oracle is the world itself: every error
// path resolves in the answer, and an owner's error on a suspect's associates sits on a suspect whose
// associates include a record of that owner.
import { loadDefaultPolicy, parseRequestHeaders, type RequestContext } from '../../policy';
import { parseGlobalId } from '../../schema';
import { createWorld } from '../../subgraphs/reference';
import { META_REFERENCE, PURPOSES } from '../../vocabulary';
import { analyst, startAlliance, TEST_NOW, type Alliance } from '../support/alliance';

const policy = loadDefaultPolicy();
const world = createWorld();

function contextOf(headers: Record<string, string>): RequestContext | undefined {
  const parsed = parseRequestHeaders((name) => headers[name], TEST_NOW);
  return parsed.ok ? parsed.context : undefined;
}

/** The requester may know of the record: its owner gives at least a hit on its reference. */
function knowable(requester: RequestContext, id: string): boolean {
  const record = world.record(id) as { operations?: string[]; sourceGrade?: string } | undefined;
  if (!record) return false;
  const facts = {
    operations: record.operations ?? [],
    ...(record.sourceGrade ? { sourceGrade: record.sourceGrade } : {}),
  };
  return (
    policy.decide({
      requester,
      owner: parseGlobalId(id)!.owner,
      category: META_REFERENCE,
      at: TEST_NOW,
      record: facts,
    }).effect !== 'withhold'
  );
}

interface Probe {
  readonly headers: Record<string, string>;
  readonly requester: RequestContext;
  readonly caseId: string;
}

function probes(): Probe[] {
  const found: Probe[] = [];
  for (const agreement of policy.set.agreements) {
    for (const clause of agreement.clauses) {
      const team = clause.conditions?.jointTeam;
      if (!team) continue;
      for (const [country, analysts] of Object.entries(team.members)) {
        for (const purpose of PURPOSES) {
          const headers = analyst(country, analysts[0]!, { purpose, jit: team.id });
          const requester = contextOf(headers);
          if (!requester) continue;
          // The requester's own cases where a suspect is left out before one that is kept.
          const own = world.share(country).Case.filter((c) => {
            const known = c.suspects.map((id) => knowable(requester, id));
            return known.indexOf(false) >= 0 && known.lastIndexOf(true) > known.indexOf(false);
          });
          for (const c of own) {
            if (!found.some((p) => p.caseId === c.id && p.headers['accord-purpose'] === purpose))
              found.push({ headers, requester, caseId: c.id });
          }
        }
      }
    }
  }
  return found;
}

const PROBES = probes();

let alliance: Alliance;
beforeAll(async () => {
  alliance = await startAlliance();
});
afterAll(() => alliance.stop());

it('the agreements and the world give declarations whose lists lose records', () => {
  expect(PROBES.length).toBeGreaterThan(0);
});

it.each(
  PROBES.map(
    (p) => [`${p.headers['accord-country']} ${p.headers['accord-purpose']} ${p.caseId}`, p] as const,
  ),
)('%s: every error path names a place in the answer', async (_name, probe) => {
  const { body } = await alliance.query(
    `{ case(id: "${probe.caseId}") { suspects { id associates { id } } } }`,
    { headers: probe.headers },
  );
  const expected = (world.record(probe.caseId) as { suspects: readonly string[] }).suspects.filter((id) =>
    knowable(probe.requester, id),
  );
  const suspects = ((body.data?.['case'] as { suspects?: { id: string }[] } | null)?.suspects ?? []) as {
    id: string;
  }[];
  expect(suspects.map((s) => s.id)).toEqual(expected);
  for (const error of body.errors ?? []) {
    const path = (error as { path?: (string | number)[] }).path;
    if (!path) continue;
    // Every step of the path exists in the answer.
    let value: unknown = body.data;
    for (const segment of path.slice(0, -1)) {
      expect(value).not.toBeNull();
      value = (value as Record<string | number, unknown>)[segment];
      expect(value).toBeDefined();
    }
    if (path[1] === 'suspects' && typeof path[2] === 'number' && path[3] === 'associates') {
      const { owner, category } = (error.extensions ?? {}) as { owner?: string; category?: string };
      const id = suspects[path[2]]!.id;
      const suspect = world.record(id) as { associates: readonly string[] };
      if (category === META_REFERENCE) {
        // An owner refused a record of its own that this very suspect names.
        expect(
          suspect.associates.some((a) => parseGlobalId(a)!.owner === owner && !knowable(probe.requester, a)),
        ).toBe(true);
      } else {
        // The suspect's owner withheld the field of this very suspect.
        expect(parseGlobalId(id)!.owner).toBe(owner);
      }
    }
  }
});
