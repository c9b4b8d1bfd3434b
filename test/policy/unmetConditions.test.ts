/**
 * Every unmet condition of a clause (policy/unmetConditions.ts, through explain): for each kind of
 * condition, the supposition that meets it must take, which the test sees because the clause has a
 * further condition (mostly a minimum source grade, checked last) that is listed after it. A supposition
 * that did not take would end the list at the repeated condition.
 */
import type { Category, Purpose } from '../../vocabulary';
import type { GrantBook, RecordFacts, RequestContext } from '../../policy';
import { AT, HOUR, JUSTIFIED, KR_TEAM, OPERATION, TEAM, corePolicy } from './coreSet';
import { removeSets } from './fixtureSet';

afterAll(removeSets);

interface Ask {
  readonly clause: string;
  readonly category: Category;
  readonly purpose: Purpose;
  readonly requester?: Partial<RequestContext>;
  readonly owner?: string;
  readonly at?: number;
  /** Default: a record of grade C (below every clause's minimum of B). */
  readonly record?: RecordFacts | null;
  readonly grants?: GrantBook;
}

/** The kinds of the unmet conditions explain lists for the clause. */
function unmet(ask: Ask): string[] | undefined {
  const explanation = corePolicy().explain({
    requester: { country: 'KH', analyst: 'heng.p', roles: [], purpose: ask.purpose, ...ask.requester },
    owner: ask.owner ?? 'KR',
    category: ask.category,
    at: ask.at ?? AT,
    ...(ask.record !== null && { record: ask.record ?? { id: 'KR-1', sourceGrade: 'C' } }),
    ...(ask.grants !== undefined && { grants: ask.grants }),
  });
  const item = explanation.considered.find((considered) => considered.clause === ask.clause);
  if (item === undefined) throw new Error(`clause ${ask.clause} not considered`);
  return item.unmet?.map((condition) => condition.kind);
}

const extradition = {
  clause: 'extradition',
  category: 'person.wanted_status',
  purpose: 'arrest_extradition',
} as const;
const mlat = { clause: 'mlat', category: 'person.contact', purpose: 'judicial_evidence' } as const;
const team = { clause: 'team', category: 'compound.intel', purpose: 'investigation' } as const;
const emergency = { clause: 'emergency', category: 'victim.location', purpose: 'victim_rescue' } as const;
const future = { clause: 'emergency-case', category: 'victim.identity', purpose: 'victim_rescue' } as const;

describe('unmet conditions: the request', () => {
  test('a case reference and a warrant, then the record', () => {
    expect(unmet(extradition)).toEqual(['caseReference', 'warrantReference', 'sourceGrade']);
  });

  test('a blank case reference: a case supposed all the same', () => {
    expect(unmet({ ...extradition, requester: { caseReference: '  ' } })).toEqual([
      'caseReference',
      'warrantReference',
      'sourceGrade',
    ]);
  });

  test('a clause that applies lists nothing', () => {
    expect(
      unmet({
        ...extradition,
        requester: { caseReference: 'KH-1', warrantReference: 'W-1' },
        record: { id: 'KR-1', sourceGrade: 'A' },
      }),
    ).toBeUndefined();
  });

  test('a coloured notice: one of its colours supposed', () => {
    const red = { clause: 'red-notice', category: 'person.location', purpose: 'arrest_extradition' } as const;
    expect(unmet(red)).toEqual(['interpolNotice', 'sourceGrade']);
    expect(unmet({ ...red, requester: { interpolNotice: 'blue:A-1/2026' } })).toEqual([
      'interpolNotice',
      'sourceGrade',
    ]);
  });

  test('a notice of any colour', () => {
    expect(
      unmet({ clause: 'any-notice', category: 'person.criminal_record', purpose: 'border_alert' }),
    ).toEqual(['interpolNotice', 'sourceGrade']);
  });
});

describe('unmet conditions: the request reference and the grant it names', () => {
  // The clause serves judicial_evidence only (not the first purpose), and the category asked is its second.
  test.each<[string, Partial<RequestContext>, GrantBook | undefined, RecordFacts | null]>([
    ['no reference, the owner deciding', {}, new Map(), undefined as unknown as RecordFacts],
    ['a blank reference', { requestReference: '   ' }, new Map(), undefined as unknown as RecordFacts],
    ['no reference and no record yet', {}, new Map(), null],
    [
      'a reference the owner holds no grant for, with a case',
      { requestReference: 'MLA-1', caseReference: 'KH-1' },
      new Map(),
      undefined as unknown as RecordFacts,
    ],
    [
      'a reference without a case',
      { requestReference: 'MLA-1' },
      new Map(),
      undefined as unknown as RecordFacts,
    ],
  ])('%s: the reference, then the record', (_label, requester, grants, record) => {
    expect(
      unmet({
        ...mlat,
        requester,
        ...(grants !== undefined && { grants }),
        ...(record !== undefined && { record }),
      }),
    ).toEqual(['requestReference', 'sourceGrade']);
  });

  test('a reference, asked where no grants are held (the gateway): the grant, then the record', () => {
    expect(unmet({ ...mlat, requester: { requestReference: 'MLA-1', caseReference: 'KH-1' } })).toEqual([
      'requestGrant',
      'sourceGrade',
    ]);
    expect(unmet({ ...mlat, requester: { requestReference: 'MLA-1' }, record: null })).toEqual([
      'requestGrant',
      'sourceGrade',
    ]);
  });
});

describe('unmet conditions: a joint team', () => {
  test('a stranger outside the operation: the team, a member of the own country, the operation, the record', () => {
    expect(unmet({ ...team, record: { id: 'KR-1', operations: ['OTHER'], sourceGrade: 'C' } })).toEqual([
      'jointTeam',
      'jointTeamMember',
      'jointTeamScope',
      'sourceGrade',
    ]);
  });

  test('a record with no operations at all', () => {
    expect(unmet({ ...team, requester: { jointTeam: TEAM, analyst: 'sok.r' } })).toEqual([
      'jointTeamScope',
      'sourceGrade',
    ]);
  });

  test('no record yet: one linked to the operation supposed', () => {
    expect(unmet({ ...team, requester: { jointTeam: TEAM, analyst: 'sok.r' }, record: null })).toEqual([
      'jointTeamScope',
      'sourceGrade',
    ]);
  });

  test("before the team's window: its first day supposed", () => {
    expect(
      unmet({
        ...team,
        requester: { jointTeam: TEAM, analyst: 'sok.r' },
        at: Date.parse('2025-06-01T12:00:00Z'),
      }),
    ).toEqual(['jointTeamWindow', 'jointTeamScope', 'sourceGrade']);
  });

  test("a team with no member of the requester's country: nothing can be supposed after it", () => {
    expect(
      unmet({
        clause: 'kr-team',
        category: 'compound.intel',
        purpose: 'asset_tracing',
        requester: { jointTeam: KR_TEAM },
        record: { id: 'KR-1' },
      }),
    ).toEqual(['jointTeamMember']);
  });

  test('in scope, the record still below the grade', () => {
    expect(
      unmet({
        ...team,
        requester: { jointTeam: TEAM, analyst: 'sok.r' },
        record: { id: 'KR-1', operations: [OPERATION], sourceGrade: 'C' },
      }),
    ).toEqual(['sourceGrade']);
  });
});

describe('unmet conditions: an emergency', () => {
  test('none declared: the declaration, then the record', () => {
    expect(unmet(emergency)).toEqual(['emergencyDeclaration', 'sourceGrade']);
  });

  test('declared without a justification: the justification, then the record', () => {
    expect(
      unmet({
        ...emergency,
        requester: { emergency: { id: 'EMG-1', declaredAt: AT - HOUR, justification: 'help' } },
      }),
    ).toEqual(['emergencyJustification', 'sourceGrade']);
  });

  test('declared too long ago: the window, then the record', () => {
    expect(
      unmet({
        ...emergency,
        requester: { emergency: { id: 'EMG-1', declaredAt: AT - 48 * HOUR, justification: JUSTIFIED } },
      }),
    ).toEqual(['emergencyWindow', 'sourceGrade']);
  });
});

describe('unmet conditions: time in force', () => {
  test('asked before the agreement is in force: the declared emergency moves along with the time supposed', () => {
    expect(
      unmet({
        ...future,
        requester: { emergency: { id: 'EMG-1', declaredAt: AT - HOUR, justification: JUSTIFIED } },
      }),
    ).toEqual(['notInForce', 'caseReference']);
  });

  test('asked before the agreement is in force, nothing declared', () => {
    expect(unmet(future)).toEqual(['notInForce', 'caseReference', 'emergencyDeclaration']);
  });
});

describe("unmet conditions: the owner's domestic gate", () => {
  test('a gate without a ground for the basis: the gate, then the record', () => {
    expect(
      unmet({
        clause: 'police',
        category: 'case.summary',
        purpose: 'investigation',
        owner: 'KH',
        requester: { country: 'KR', analyst: 'choi.m', caseReference: 'KR-1' },
        record: { id: 'KH-1', sourceGrade: 'C' },
      }),
    ).toEqual(['domesticGate', 'sourceGrade']);
  });
});
