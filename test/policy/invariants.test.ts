/**
 * The seven invariants of docs/domain.md, checked on every decision of the finite domain of the shipped
 * agreement set: every ordered pair of members × every purpose (and none) × every category × every
 * combination of request conditions (case reference, request reference, joint team as member / as
 * non-member, emergency fresh / expired / without justification, INTERPOL notice, warrant) × record facts
 * (unknown, in the team's operation with a grade-A source, outside it with a grade-C source) × times
 * (inside every stretch between two validity edges, and each edge ±1 ms).
 *
 * Each released field is also re-checked against an oracle written independently of the engine: the
 * determining clause really covers the pair, the direction, the category, the purpose, the time, and its
 * conditions are really met.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Agreement,
  type AgreementSet,
  type DomesticGate,
  type Clause,
  type ClauseRef,
  type Decision,
  type DecisionInput,
  type Grant,
  type RecordFacts,
  type RequestContext,
} from '../../policy';
import { CATEGORIES, PURPOSES, type Purpose } from '../../vocabulary';
import { analystsOf, OPERATION, TEAM } from './expectDecision';
import { shippedPolicy } from './shippedPolicy';

const policy = shippedPolicy();
const DAY = 86_400_000;
const HOUR = 3_600_000;

// ---- the domain -----------------------------------------------------------------------------------

interface Domain {
  readonly set: AgreementSet;
  readonly countries: readonly string[];
  /** One time inside every stretch between two validity edges (and before the first, after the last). */
  readonly stretches: readonly number[];
  /** Each validity edge and the millisecond before it. */
  readonly edgeTimes: readonly number[];
  readonly krGate: DomesticGate;
}

/** Built from the set in the first test that needs it (see ./shippedPolicy.ts for why not at import). */
let built: Domain | undefined;
function domain(): Domain {
  if (built !== undefined) return built;
  const { set } = policy;
  const edges = new Set<number>();
  for (const agreement of set.agreements) {
    edges.add(Date.parse(agreement.inForce.from));
    if (agreement.inForce.until !== undefined) edges.add(Date.parse(agreement.inForce.until) + DAY);
    for (const clause of agreement.clauses) {
      const team = clause.conditions.jointTeam;
      if (team !== undefined) edges.add(Date.parse(team.validFrom)).add(Date.parse(team.validUntil) + DAY);
    }
  }
  const sortedEdges = [...edges].sort((a, b) => a - b);
  return (built = {
    set,
    countries: set.members.map((member) => member.code),
    stretches: [
      sortedEdges[0]! - 365 * DAY,
      ...sortedEdges.map((edge, i) =>
        i + 1 < sortedEdges.length ? (edge + sortedEdges[i + 1]!) / 2 : edge + 365 * DAY,
      ),
    ],
    edgeTimes: sortedEdges.flatMap((edge) => [edge - 1, edge]),
    krGate: set.gates.find((gate) => gate.owner === 'KR')!,
  });
}

type Emergency = 'none' | 'fresh' | 'expired' | 'unjustified';
interface Flags {
  case: boolean;
  request: boolean;
  team: 'none' | 'member' | 'non-member';
  emergency: Emergency;
  notice: boolean;
  warrant: boolean;
}
const allFlags: Flags[] = [];
for (const caseRef of [false, true])
  for (const request of [false, true])
    for (const team of ['none', 'member', 'non-member'] as const)
      for (const emergency of ['none', 'fresh', 'expired', 'unjustified'] as const)
        for (const notice of [false, true])
          for (const warrant of [false, true])
            allFlags.push({ case: caseRef, request, team, emergency, notice, warrant });

const records: (RecordFacts | undefined)[] = [
  undefined,
  { operations: [OPERATION], sourceGrade: 'A' },
  { operations: ['OTHER'], sourceGrade: 'C' },
];

function requesterOf(
  country: string,
  purpose: Purpose | undefined,
  flags: Flags,
  at: number,
): RequestContext {
  const analysts = analystsOf(country);
  const emergency = {
    none: undefined,
    fresh: { declaredAt: at - 2 * HOUR, justification: 'Victims confined; rescue under way.' },
    expired: { declaredAt: at - 25 * HOUR, justification: 'Victims confined; rescue under way.' },
    unjustified: { declaredAt: at - 2 * HOUR, justification: '' },
  }[flags.emergency];
  return {
    country,
    analyst: flags.team === 'member' ? (analysts.member ?? analysts.other) : analysts.other,
    roles: ['analyst'],
    ...(purpose !== undefined && { purpose }),
    ...(flags.case && { caseReference: 'CASE-1' }),
    ...(flags.request && { requestReference: 'MLA-1' }),
    ...(flags.team !== 'none' && { jointTeam: TEAM }),
    ...(emergency !== undefined && { emergency }),
    ...(flags.notice && { interpolNotice: 'A-1/2026' }),
    ...(flags.warrant && { warrantReference: 'W-1' }),
  };
}

/** Runs `check` on every decision of the domain at the given times; returns how many were made. */
function sweep(
  times: readonly number[],
  flagsList: readonly Flags[],
  check: (input: DecisionInput, decision: Decision) => void,
): number {
  let count = 0;
  const purposes = [...PURPOSES, undefined];
  const { countries } = domain();
  for (const at of times) {
    for (const from of countries) {
      for (const purpose of purposes) {
        for (const flags of flagsList) {
          // One counterexample is enough to fail and to read; stop there rather than sweep the rest.
          if (violations.length > 0) return count;
          const requester = requesterOf(from, purpose, flags, at);
          for (const owner of countries) {
            if (owner === from) continue;
            for (const category of CATEGORIES) {
              for (const record of records) {
                const input: DecisionInput = {
                  requester,
                  owner,
                  category,
                  at,
                  ...(record !== undefined && { record }),
                };
                check(input, policy.decide(input));
                count++;
              }
            }
          }
        }
      }
    }
  }
  return count;
}

// ---- the oracle -------------------------------------------------------------------------------------

const clauses = new Map<ClauseRef, { agreement: Agreement; clause: Clause }>();
function determining(decision: Decision): { agreement: Agreement; clause: Clause } {
  if (decision.clauses.length !== 1)
    throw new Error(`a release must cite exactly one clause: ${JSON.stringify(decision)}`);
  const ref = decision.clauses[0]!;
  let found = clauses.get(ref);
  if (found === undefined) {
    const agreement = domain().set.agreements.find((item) => item.id === ref.agreement)!;
    found = { agreement, clause: agreement.clauses.find((item) => item.id === ref.clause)! };
    clauses.set(ref, found);
  }
  return found;
}

const present = (value: string | undefined): boolean => value !== undefined && value.trim().length > 0;
const parsed = new Map<string, number>();
const dayStart = (date: string): number => {
  let ms = parsed.get(date);
  if (ms === undefined) parsed.set(date, (ms = Date.parse(`${date}T00:00:00Z`)));
  return ms;
};
const within = (at: number, from: string, until: string | undefined): boolean =>
  at >= dayStart(from) && (until === undefined || at < dayStart(until) + DAY);
const gradeRank = (grade: string | undefined): number =>
  grade === undefined ? 99 : 'ABCX'.indexOf(grade[0]!) === -1 ? 99 : 'ABCX'.indexOf(grade[0]!);

const violations: string[] = [];
function fail(invariant: string, input: DecisionInput, decision: Decision): void {
  if (violations.length < 20)
    violations.push(
      `${invariant}: ${JSON.stringify({ input, decision: { effect: decision.effect, reason: decision.reason, clauses: decision.clauses } })}`,
    );
}

function krGateAllows(basis: Clause['basis'], purpose: Purpose): boolean {
  const matches = (ground: { bases?: readonly string[]; purposes?: readonly string[] }) =>
    (ground.bases === undefined || ground.bases.includes(basis)) &&
    (ground.purposes === undefined || ground.purposes.includes(purpose));
  const { krGate } = domain();
  return krGate.grounds.some(matches) && krGate.requirements.every(matches);
}

function checkAll(input: DecisionInput, decision: Decision): void {
  const { requester, owner, category, at, record } = input;
  // 7. Without a purpose, nothing crosses a border.
  if (requester.purpose === undefined) {
    if (decision.effect !== 'withhold' || decision.reason !== 'PURPOSE_REQUIRED')
      fail('7 no purpose', input, decision);
    return;
  }
  if (decision.effect === 'withhold') {
    if (decision.clauses.length !== 0 || decision.obligations !== undefined)
      fail('withheld with a clause', input, decision);
    return;
  }
  const { agreement, clause } = determining(decision);
  const purpose = requester.purpose;

  // Deny by default: the determining clause really allows this.
  const { from, to } =
    clause.direction === 'both' ? { from: agreement.parties, to: agreement.parties } : clause.direction;
  if (!from.includes(owner) || !to.includes(requester.country)) fail('direction', input, decision);
  const expectedEffect = category === 'meta.reference' ? 'release' : clause.categories[category];
  if (expectedEffect !== decision.effect) fail('category / effect', input, decision);
  if (!clause.purposes.includes(purpose)) fail('purpose', input, decision);
  const conditions = clause.conditions;
  if (conditions.caseReference && !present(requester.caseReference)) fail('case reference', input, decision);
  if (conditions.requestReference && !present(requester.requestReference))
    fail('request reference', input, decision);
  if (conditions.requestReference) {
    // Only the owner's grant the reference names, covering this question, satisfies the condition.
    const grant = input.grants?.get(requester.requestReference ?? '');
    const covers =
      grant !== undefined &&
      grant.requesterCountry === requester.country &&
      grant.analysts.includes(requester.analyst) &&
      grant.purpose === purpose &&
      grant.caseReference === requester.caseReference &&
      grant.agreement === agreement.id &&
      grant.clauses.includes(clause.id) &&
      input.record?.id !== undefined &&
      grant.subjects.includes(input.record.id) &&
      (category === 'meta.reference' ? grant.categories.length > 0 : grant.categories.includes(category)) &&
      input.at >= grant.validFrom &&
      input.at < grant.validUntil &&
      (grant.revokedAt === undefined || input.at < grant.revokedAt);
    if (!covers) fail('grant', input, decision);
  }
  if (conditions.warrantReference && !present(requester.warrantReference)) fail('warrant', input, decision);
  if (conditions.interpolNotice && !present(requester.interpolNotice)) fail('notice', input, decision);
  // A clause naming colours: the notice's colour (the word before its first colon) is one of them.
  const colour = requester.interpolNotice?.split(':')[0]?.toLowerCase();
  if (
    conditions.interpolNotice &&
    conditions.noticeColours !== undefined &&
    !conditions.noticeColours.some((named) => named === colour)
  )
    fail('notice colour', input, decision);
  const team = conditions.jointTeam;
  if (team !== undefined) {
    const member =
      requester.jointTeam === team.id && (team.members[requester.country] ?? []).includes(requester.analyst);
    if (!member || !record?.operations?.includes(team.operation)) fail('joint team', input, decision);
  }
  if (conditions.emergency !== undefined) {
    const emergency = requester.emergency;
    const fresh =
      emergency !== undefined &&
      present(emergency.justification) &&
      at >= emergency.declaredAt &&
      at - emergency.declaredAt < conditions.emergency.maxDurationHours * HOUR;
    if (!fresh) fail('emergency', input, decision);
  }
  if (
    conditions.minimumSourceGrade !== undefined &&
    gradeRank(record?.sourceGrade) > gradeRank(conditions.minimumSourceGrade)
  ) {
    fail('source grade', input, decision);
  }

  // 2. Message content only under an MLAT with a request reference.
  if (category === 'telecom.content' && (clause.basis !== 'MLAT' || !present(requester.requestReference)))
    fail('2 content', input, decision);
  // 3. Nothing released outside an agreement's validity window (nor a joint team's).
  if (!within(at, agreement.inForce.from, agreement.inForce.until))
    fail('3 agreement window', input, decision);
  if (team !== undefined && !within(at, team.validFrom, team.validUntil))
    fail('3 team window', input, decision);
  // 4. H2 data never reaches a country that is not party to the clause that released it.
  if (decision.obligations?.handlingCode === 'H2' && !agreement.parties.includes(requester.country))
    fail('4 H2', input, decision);
  // 5. An emergency release never includes financial or telecom data.
  if (clause.basis === 'EMERGENCY' && (category.startsWith('financial.') || category.startsWith('telecom.')))
    fail('5 emergency', input, decision);
  // 6. KR-owned data is never released without the KR domestic gate.
  if (owner === 'KR' && (decision.gate?.owner !== 'KR' || !krGateAllows(clause.basis, purpose)))
    fail('6 KR gate', input, decision);
  if (
    decision.obligations !== undefined &&
    decision.obligations.handlingCode !== clause.obligations.handlingCode
  )
    fail('obligations', input, decision);
}

// ---- the tests --------------------------------------------------------------------------------------

describe('docs/domain.md invariants over the whole finite domain', () => {
  beforeEach(() => {
    violations.length = 0;
  });

  test('inside every stretch between validity edges, every condition combination', () => {
    const { stretches, countries } = domain();
    const count = sweep(stretches, allFlags, checkAll);
    expect(violations).toEqual([]);
    expect(count).toBe(
      stretches.length *
        countries.length *
        (countries.length - 1) *
        (PURPOSES.length + 1) *
        allFlags.length *
        CATEGORIES.length *
        records.length,
    );
  }, 120_000);

  test('at every validity edge, ±1 ms', () => {
    // Edges decide invariant 3; requests that meet everything they can are the ones that could cross one.
    const permissive = allFlags.filter(
      (flags) =>
        flags.case &&
        flags.request &&
        flags.notice &&
        flags.warrant &&
        flags.team !== 'non-member' &&
        flags.emergency !== 'unjustified',
    );
    sweep(domain().edgeTimes, permissive, checkAll);
    expect(violations).toEqual([]);
  }, 120_000);

  test('the sweep is not vacuous: releases, hits and every withholding reason occur', () => {
    const seen = new Map<string, number>();
    sweep(
      [Date.parse('2026-06-01T12:00:00Z'), Date.parse('2019-06-01T00:00:00Z')],
      allFlags,
      (_input, decision) => {
        seen.set(decision.reason, (seen.get(decision.reason) ?? 0) + 1);
      },
    );
    // NO_AGREEMENT occurs exactly when two members share no instrument (never among the shipped five).
    const { countries, set } = domain();
    const unrelated = countries.some((a) =>
      countries.some(
        (b) =>
          a !== b &&
          !set.agreements.some((agreement) => agreement.parties.includes(a) && agreement.parties.includes(b)),
      ),
    );
    expect([...seen.keys()].sort()).toEqual(
      [
        'CATEGORY_NOT_COVERED',
        'CONDITION_UNMET',
        'DOMESTIC_GATE',
        'HIT_ONLY',
        'NOT_IN_FORCE',
        'PURPOSE_NOT_COVERED',
        'PURPOSE_REQUIRED',
        'RELEASED',
        ...(unrelated ? ['NO_AGREEMENT'] : []),
      ].sort(),
    );
  }, 120_000);

  test('the oracle itself catches forged decisions', () => {
    const at = Date.parse('2026-06-01T00:00:00Z');
    const grant: Grant = {
      id: 'MLA-1',
      owner: 'KR',
      requesterCountry: 'KH',
      analysts: ['sok.r'],
      caseReference: 'CASE-1',
      purpose: 'investigation',
      agreement: 'kr-kh-mlat-2021',
      clauses: ['persons-and-records'],
      subjects: ['KR-SUS-000001'],
      categories: ['person.identity'],
      validFrom: at - HOUR,
      validUntil: at + HOUR,
      evidentiaryUse: true,
    };
    const base: DecisionInput = {
      requester: {
        country: 'KH',
        analyst: 'sok.r',
        roles: [],
        purpose: 'investigation',
        caseReference: 'CASE-1',
        requestReference: 'MLA-1',
      },
      owner: 'KR',
      category: 'person.identity',
      at,
      record: { id: 'KR-SUS-000001' },
      grants: new Map([[grant.id, grant]]),
    };
    const released = policy.decide(base);
    expect(released.effect).toBe('release');
    violations.length = 0;
    checkAll(base, released);
    expect(violations).toEqual([]);
    const forged: [string, DecisionInput, Decision][] = [
      ['grant', { ...base, grants: new Map() }, released],
      ['grant', { ...base, record: { id: 'KR-SUS-000002' } }, released],
      ['grant', { ...base, grants: new Map([[grant.id, { ...grant, revokedAt: at }]]) }, released],
      ['3', { ...base, at: Date.parse('2020-01-01T00:00:00Z') }, released],
      ['request reference', { ...base, requester: { ...base.requester, requestReference: ' ' } }, released],
      ['2', { ...base, category: 'telecom.content' }, released],
      ['6', base, { ...released, gate: undefined }],
      ['7', { ...base, requester: { ...base.requester, purpose: undefined } }, released],
      ['4', { ...base, requester: { ...base.requester, country: 'TH' } }, released],
    ];
    for (const [invariant, input, decision] of forged) {
      violations.length = 0;
      checkAll(input, decision);
      expect({ invariant, caught: violations.length > 0 }).toEqual({ invariant, caught: true });
    }
  });

  test('1. biometrics are only ever answered as match / no match (the contract has no other biometric field)', () => {
    const sdl = readFileSync(join(__dirname, '..', '..', 'schema', 'contract.graphql'), 'utf8');
    const fields = sdl.split('\n').filter((line) => line.includes('@category(name: "person.biometrics")'));
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) expect(field).toMatch(/:\s*Boolean\s+@category/);
  });

  test('6. the set cannot lose the KR gate: members.yaml requires it', () => {
    expect(domain().set.members.find((member) => member.code === 'KR')?.domesticGate).toBe('required');
    expect(domain().krGate).toBeDefined();
  });
});
