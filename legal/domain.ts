/**
 * The finite domain the legal tools sweep (matrix, diff, lint, prove): every question an analyst can put
 * to the engine, reduced to the cases that can differ.
 *
 * A question is an ordered pair (requester country, owner country), a purpose (or none), a category, what
 * the request carries (a *profile*: case / request / warrant references, INTERPOL notice, joint-team id as
 * a named member or not, an emergency declaration of some age, with or without a justification), the
 * record's facts (unknown, or linked to the team's operations or not, with each source grade) and a time.
 *
 * Why the reduction is exact, not a sample: decide() reads a request only through the conditions of the
 * *candidate* clauses of its cell (policy/README.md rules 3–5: clauses whose direction, category and
 * purpose match); everything else in the request cannot change the decision. So for each cell the sweep
 * varies exactly the conditions its candidates read (of every policy compared), each over the values
 * where the answer can change:
 *   - a reference: absent or present;
 *   - a joint team: not declared, declared by a named member, declared by someone not named;
 *   - an emergency: none, declared a minute ago with and without a justification, dated a minute in the
 *     future, and for every maximum duration d, declared d − 1 ms ago (last moment) and d ago (expired);
 *   - the record: unknown (the gateway's redaction), or linked to every team operation / to none, with
 *     each source grade and none;
 *   - the time: one instant inside every stretch between two validity edges of the candidates (agreement
 *     and joint-team windows; UTC days), and with `edges`, each edge and the millisecond before it.
 * Candidates are found by asking the engine itself (policy.explain), never re-derived here.
 */
import type {
  Agreement,
  Clause,
  ClauseEvaluation,
  DecisionInput,
  GrantBook,
  JointTeam,
  Policy,
  RecordFacts,
  RequestContext,
} from '../policy/core';
import { SOURCE_GRADES, isJustification } from '../policy/core';
import {
  CATEGORIES,
  NOTICE_COLOURS,
  PURPOSES,
  type Category,
  type NoticeColour,
  type Purpose,
} from '../vocabulary';
import { FLAW_WORDS, grantFor, subjectOf } from './questionGrant';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** What a request carries, and what is known of the record. */
export interface Profile {
  readonly caseReference: boolean;
  readonly requestReference: boolean;
  readonly warrantReference: boolean;
  /** The colour of the INTERPOL notice the request names, or undefined for none. */
  readonly interpolNotice: NoticeColour | undefined;
  /**
   * The joint-team id declared, and whether the analyst is named as a member for their country; a member
   * is asked by name (`analyst`), each name any definition of the team lists, so that a member added or
   * renamed between two sets is asked of both.
   */
  readonly team: { readonly id: string; readonly member: boolean; readonly analyst?: string } | undefined;
  /** An emergency declared `ageMs` before the moment asked about (negative: after it). */
  readonly emergency: { readonly ageMs: number; readonly justified: boolean } | undefined;
  /** Undefined: no record yet (the gateway decides before fetching). */
  readonly record: { readonly operations: readonly string[]; readonly grade: string | undefined } | undefined;
  /**
   * With a request reference: what the owner holds under that name. A grant made for the question asked
   * under the clauses listed (legal/questionGrant.ts), or, with no clause, no grant by that name.
   */
  readonly grant?: { readonly clauses: readonly string[] };
}

export const EMPTY_PROFILE: Profile = Object.freeze({
  caseReference: false,
  requestReference: false,
  warrantReference: false,
  interpolNotice: undefined,
  team: undefined,
  emergency: undefined,
  record: undefined,
});

/** How much a profile asks of the requester: the smallest one is the example a lawyer reads. */
export function weightOf(profile: Profile): number {
  return (
    Number(profile.caseReference) +
    Number(profile.requestReference) +
    Number(profile.warrantReference) +
    Number(profile.interpolNotice !== undefined) +
    (profile.team === undefined ? 0 : profile.team.member ? 2 : 1) +
    (profile.emergency === undefined ? 0 : 2) +
    (profile.record === undefined ? 0 : profile.record.operations.length > 0 ? 1 : 0)
  );
}

/** The conditions a group of clauses reads: the dimensions of the sweep. */
export interface Dimensions {
  readonly caseReference: boolean;
  readonly requestReference: boolean;
  readonly warrantReference: boolean;
  /** A clause needs a notice: then every colour is asked about, the ones it takes and the ones it does not. */
  readonly interpolNotice: boolean;
  readonly teams: readonly JointTeam[];
  readonly emergencyHours: readonly number[];
  readonly sourceGrade: boolean;
  /** `agreement/clause` of every clause that needs a request reference (a grant names one of them). */
  readonly requestClauses: readonly string[];
}

export function dimensionsOf(candidates: Iterable<CandidateClause>): Dimensions {
  const list = [...candidates];
  const requestClauses = list
    .filter(({ clause }) => clause.conditions.requestReference === true)
    .map(({ agreement, clause }) => `${agreement.id}/${clause.id}`);
  const dimensions = clauseDimensions(list.map(({ clause }) => clause));
  // A grant is made for a case: the request must name it, so the case reference varies too.
  return {
    ...dimensions,
    caseReference: dimensions.caseReference || requestClauses.length > 0,
    requestClauses: [...new Set(requestClauses)].sort(),
  };
}

function clauseDimensions(clauses: Iterable<Clause>): Omit<Dimensions, 'requestClauses'> {
  let caseReference = false;
  let requestReference = false;
  let warrantReference = false;
  let interpolNotice = false;
  let sourceGrade = false;
  const teams = new Map<string, JointTeam>();
  const hours = new Set<number>();
  for (const { conditions } of clauses) {
    caseReference ||= conditions.caseReference === true;
    requestReference ||= conditions.requestReference === true;
    warrantReference ||= conditions.warrantReference === true;
    interpolNotice ||= conditions.interpolNotice === true;
    sourceGrade ||= conditions.minimumSourceGrade !== undefined;
    // Two sets may define the same team id differently (a diff): keep every definition's members.
    if (conditions.jointTeam !== undefined)
      teams.set(
        `${conditions.jointTeam.id}\0${JSON.stringify(conditions.jointTeam.members)}`,
        conditions.jointTeam,
      );
    if (conditions.emergency !== undefined) hours.add(conditions.emergency.maxDurationHours);
  }
  return {
    caseReference,
    requestReference,
    warrantReference,
    interpolNotice,
    teams: [...teams.values()],
    emergencyHours: [...hours].sort((a, b) => a - b),
    sourceGrade,
  };
}

const BOOLEANS = [false, true] as const;

/**
 * Every profile of the dimensions, for a requester of `country` (a team without members there has no
 * "member" case). With a request reference, the owner holds a valid grant for each clause that needs one,
 * or none (`prove` also asks every way a grant can fall short: legal/proveQuestions.ts).
 */
export function profilesOf(dimensions: Dimensions, country: string): Profile[] {
  const choices = (relevant: boolean): readonly boolean[] => (relevant ? BOOLEANS : [false]);
  // Every name any definition of a team lists for this country (two sets may list different ones).
  const teamMembers = new Map<string, Set<string>>();
  for (const team of dimensions.teams) {
    const names = teamMembers.get(team.id) ?? new Set<string>();
    for (const name of team.members[country] ?? []) names.add(name);
    teamMembers.set(team.id, names);
  }
  const teams: Profile['team'][] = [undefined];
  for (const [id, names] of teamMembers) {
    for (const analyst of [...names].sort()) teams.push({ id, member: true, analyst });
    teams.push({ id, member: false });
  }
  const emergencies: Profile['emergency'][] = [undefined];
  if (dimensions.emergencyHours.length > 0) {
    emergencies.push(
      { ageMs: MINUTE_MS, justified: true },
      { ageMs: MINUTE_MS, justified: false },
      { ageMs: -MINUTE_MS, justified: true },
    );
    for (const hours of dimensions.emergencyHours)
      emergencies.push(
        { ageMs: hours * HOUR_MS - 1, justified: true },
        { ageMs: hours * HOUR_MS, justified: true },
      );
  }
  const records: Profile['record'][] = [undefined];
  if (dimensions.teams.length > 0 || dimensions.sourceGrade) {
    const operations = [...new Set(dimensions.teams.map((team) => team.operation))].sort();
    const scopes: (readonly string[])[] = dimensions.teams.length > 0 ? [operations, []] : [[]];
    const grades: (string | undefined)[] = dimensions.sourceGrade
      ? [...SOURCE_GRADES, undefined]
      : [undefined];
    for (const scope of scopes) for (const grade of grades) records.push({ operations: scope, grade });
  }
  // A grant approving every clause that needs one: what "with an approved request" means to the tools.
  const grants: NonNullable<Profile['grant']>[] = [{ clauses: [] }];
  if (dimensions.requestClauses.length > 0) grants.push({ clauses: dimensions.requestClauses });
  const profiles: Profile[] = [];
  for (const caseReference of choices(dimensions.caseReference))
    for (const requestReference of choices(dimensions.requestReference))
      for (const warrantReference of choices(dimensions.warrantReference))
        for (const interpolNotice of dimensions.interpolNotice ? [undefined, ...NOTICE_COLOURS] : [undefined])
          for (const team of teams)
            for (const emergency of emergencies)
              for (const record of records) {
                const base = {
                  caseReference,
                  requestReference,
                  warrantReference,
                  interpolNotice,
                  team,
                  emergency,
                  record,
                };
                if (!requestReference) profiles.push(base);
                else for (const grant of grants) profiles.push({ ...base, grant });
              }
  return profiles;
}

/** A stretch of time in which no validity edge falls: [from, until) in epoch ms, `at` the instant asked. */
export interface TimePoint {
  readonly at: number;
  readonly from: number;
  /** Exclusive; Infinity for the open-ended last stretch. */
  readonly until: number;
}

/** The validity edges of clauses: agreement windows and joint-team windows (UTC days, `until` inclusive). */
export function edgesOf(
  entries: Iterable<{ readonly agreement: Agreement; readonly clause: Clause }>,
): number[] {
  const edges = new Set<number>();
  for (const { agreement, clause } of entries) {
    edges.add(dayStart(agreement.inForce.from));
    if (agreement.inForce.until !== undefined) edges.add(dayStart(agreement.inForce.until) + DAY_MS);
    const team = clause.conditions.jointTeam;
    if (team !== undefined) edges.add(dayStart(team.validFrom)).add(dayStart(team.validUntil) + DAY_MS);
  }
  return [...edges].filter((edge) => Number.isFinite(edge)).sort((a, b) => a - b);
}

/**
 * One instant inside every stretch between edges (noon UTC of its middle day, so examples read well), and
 * with `withEdges` each edge and the millisecond before it. Without edges: one stretch, all time.
 */
export function timePointsOf(edges: readonly number[], withEdges = false): TimePoint[] {
  if (edges.length === 0)
    return [
      { at: noonOfMiddleDay(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2)), from: -Infinity, until: Infinity },
    ];
  const points: TimePoint[] = [
    { at: noonOfMiddleDay(edges[0]! - 365 * DAY_MS, edges[0]!), from: -Infinity, until: edges[0]! },
  ];
  edges.forEach((edge, i) => {
    const next = edges[i + 1];
    points.push({
      at: next === undefined ? noonOfMiddleDay(edge, edge + 365 * DAY_MS) : noonOfMiddleDay(edge, next),
      from: edge,
      until: next ?? Infinity,
    });
    if (withEdges) {
      points.push({ at: edge - 1, from: edge - 1, until: edge });
      points.push({ at: edge, from: edge, until: edge + 1 });
    }
  });
  return points;
}

function noonOfMiddleDay(from: number, until: number): number {
  const days = Math.max(1, Math.round((until - from) / DAY_MS));
  return from + Math.floor((days - 1) / 2) * DAY_MS + 12 * HOUR_MS;
}

/** The stretch of `points` that contains `at`. */
export function stretchAt(edges: readonly number[], at: number): TimePoint {
  let from = -Infinity;
  let until = Infinity;
  for (const edge of edges) {
    if (edge <= at) from = edge;
    else {
      until = edge;
      break;
    }
  }
  return { at, from, until };
}

export function dayStart(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

// ---------------------------------------------------------------------------------------------------
// Questions
// ---------------------------------------------------------------------------------------------------

/** A cell of the domain: who asks whose data, for what, about which category. */
export interface Cell {
  readonly requester: string;
  readonly owner: string;
  /** Undefined: the request declares no purpose. */
  readonly purpose: Purpose | undefined;
  readonly category: Category;
}

export interface CandidateClause {
  readonly agreement: Agreement;
  readonly clause: Clause;
}

/**
 * The clauses that could decide a cell in a policy, as the engine itself reports them: those explain()
 * considered and did not rule out by direction, category or purpose.
 */
export function candidatesOf(policy: Policy, cell: Cell): CandidateClause[] {
  if (cell.purpose === undefined || cell.requester === cell.owner) return [];
  const considered = policy.explain({
    requester: { country: cell.requester, analyst: 'candidates', roles: [], purpose: cell.purpose },
    owner: cell.owner,
    category: cell.category,
    at: 0,
  }).considered;
  return considered.filter(isCandidate).map((evaluation) => clauseOf(policy, evaluation));
}

function isCandidate(evaluation: ClauseEvaluation): boolean {
  const kind = evaluation.failed?.kind;
  return kind !== 'direction' && kind !== 'category' && kind !== 'purpose';
}

const clauseIndexes = new WeakMap<Policy, Map<string, CandidateClause>>();

/** The agreement and clause an engine reference names. */
export function clauseOf(
  policy: Policy,
  ref: { readonly agreement: string; readonly clause: string },
): CandidateClause {
  let index = clauseIndexes.get(policy);
  if (index === undefined) {
    index = new Map();
    for (const agreement of policy.set.agreements)
      for (const clause of agreement.clauses)
        index.set(`${agreement.id}/${clause.id}`, { agreement, clause });
    clauseIndexes.set(policy, index);
  }
  const found = index.get(`${ref.agreement}/${ref.clause}`);
  if (found === undefined)
    throw new Error(`invariant: the engine cited ${ref.agreement}/${ref.clause}, which is not in its set`);
  return found;
}

/** Every cell for the given countries, purposes (undefined: none declared) and categories. */
export function* cellsOf(
  requesters: readonly string[],
  owners: readonly string[],
  purposes: readonly (Purpose | undefined)[] = PURPOSES,
  categories: readonly Category[] = CATEGORIES,
): Generator<Cell> {
  for (const requester of requesters)
    for (const owner of owners) {
      if (requester === owner) continue;
      for (const purpose of purposes)
        for (const category of categories) yield { requester, owner, purpose, category };
    }
}

/** The analyst a profile stands for: a named member of the team, or someone who is not named. */
export function analystOf(profile: Profile, country: string, teams: readonly JointTeam[]): string {
  if (profile.team?.member === true) {
    if (profile.team.analyst !== undefined) return profile.team.analyst;
    const named = teams.find(
      (team) => team.id === profile.team!.id && (team.members[country]?.length ?? 0) > 0,
    );
    if (named !== undefined) return named.members[country]![0]!;
  }
  const named = new Set(teams.flatMap((team) => team.members[country] ?? []));
  let analyst = `analyst.${country.toLowerCase()}`;
  while (named.has(analyst)) analyst = `${analyst}.x`;
  return analyst;
}

/** The concrete question a profile stands for, as the engine takes it. */
export function inputOf(
  cell: Cell,
  profile: Profile,
  at: number,
  teams: readonly JointTeam[],
): DecisionInput {
  const country = cell.requester;
  const requester: RequestContext = {
    country,
    analyst: analystOf(profile, country, teams),
    roles: ['analyst'],
    ...(cell.purpose !== undefined && { purpose: cell.purpose }),
    ...(profile.caseReference && { caseReference: `${country}-CASE-0001` }),
    ...(profile.requestReference && { requestReference: `MLA/${country}/0001` }),
    ...(profile.warrantReference && { warrantReference: `${country}-WARRANT-0001` }),
    ...(profile.interpolNotice !== undefined && { interpolNotice: `${profile.interpolNotice}:A-0001/2026` }),
    ...(profile.team !== undefined && { jointTeam: profile.team.id }),
    ...(profile.emergency !== undefined && {
      emergency: {
        declaredAt: at - profile.emergency.ageMs,
        justification: profile.emergency.justified
          ? 'Imminent risk to life: victims confined in a compound.'
          : '',
      },
    }),
  };
  const facts: RecordFacts | undefined =
    profile.record === undefined
      ? undefined
      : {
          operations: profile.record.operations,
          ...(profile.record.grade !== undefined && { sourceGrade: profile.record.grade }),
        };
  // A grant covers named records: whoever holds a book decides a known record.
  const grants = grantBookOf(cell, profile, requester, at);
  const record = grants === undefined ? facts : { ...facts, id: subjectOf(cell.owner) };
  return {
    requester,
    owner: cell.owner,
    category: cell.category,
    at,
    ...(record !== undefined && { record }),
    ...(grants !== undefined && { grants }),
  };
}

/** The owner's book for a profile: the grant the request reference names, made for exactly this question. */
function grantBookOf(
  cell: Cell,
  profile: Profile,
  requester: RequestContext,
  at: number,
): GrantBook | undefined {
  const shape = profile.grant;
  if (shape === undefined || requester.requestReference === undefined) return undefined;
  if (shape.clauses.length === 0) return new Map();
  const grant = grantFor(
    { owner: cell.owner, requester, category: cell.category, at },
    shape.clauses,
    'none',
  );
  return new Map([[grant.id, grant]]);
}

// ---------------------------------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------------------------------

/** What a profile carries, in a lawyer's words: "a request reference; as a named member of joint team X". */
export function describeProfile(profile: Profile): string {
  const parts: string[] = [];
  if (profile.caseReference) parts.push('a case reference');
  if (profile.requestReference)
    parts.push(`a request reference (formal MLA request) ${grantWords(profile.grant)}`);
  if (profile.warrantReference) parts.push('a warrant or judicial order reference');
  if (profile.interpolNotice !== undefined) parts.push(`a ${profile.interpolNotice} INTERPOL notice`);
  if (profile.team !== undefined) {
    parts.push(
      profile.team.member
        ? `joint team ${profile.team.id}, as a named member`
        : `joint team ${profile.team.id}, by an analyst not named in it`,
    );
  }
  if (profile.emergency !== undefined) {
    const { ageMs, justified } = profile.emergency;
    const age =
      ageMs < 0
        ? `dated ${formatDuration(-ageMs)} after the request`
        : `declared ${formatDuration(ageMs)} before`;
    parts.push(`an emergency ${age}${justified ? ', with a justification' : ', without a justification'}`);
  }
  if (profile.record !== undefined) {
    const { operations, grade } = profile.record;
    const scope =
      operations.length > 0
        ? `a record linked to ${operations.join(', ')}`
        : 'a record linked to no team operation';
    parts.push(grade === undefined ? scope : `${scope}, source grade ${grade}`);
  }
  return parts.length === 0 ? 'nothing (no reference, no team, no emergency)' : parts.join('; ');
}

function grantWords(grant: Profile['grant']): string {
  if (grant === undefined) return '';
  return grant.clauses.length === 0 ? '(the owner holds no grant by that name)' : FLAW_WORDS.none;
}

function formatDuration(ms: number): string {
  if (ms === 0) return '0 min';
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS} h`;
  if (ms % HOUR_MS === HOUR_MS - 1) return `${(ms + 1) / HOUR_MS} h less 1 ms`;
  if (ms % MINUTE_MS === 0)
    return ms < HOUR_MS
      ? `${ms / MINUTE_MS} min`
      : `${Math.floor(ms / HOUR_MS)} h ${(ms % HOUR_MS) / MINUTE_MS} min`;
  return `${ms} ms`;
}

/** An instant as a lawyer reads it: "2026-06-01 12:00 UTC"; a day edge as its date. */
export function formatInstant(ms: number): string {
  if (!Number.isFinite(ms)) return ms < 0 ? 'the beginning' : 'open-ended';
  const iso = new Date(ms).toISOString();
  if (ms % DAY_MS === 0) return iso.slice(0, 10);
  if (ms % MINUTE_MS === 0) return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)} UTC`;
}

/** A stretch as a lawyer reads it: "from 2026-01-01 to 2026-12-31" (inclusive days). */
export function formatStretch(from: number, until: number): string {
  const start = Number.isFinite(from) ? `from ${formatInstant(from)}` : 'until';
  if (!Number.isFinite(until)) return Number.isFinite(from) ? `${start} on` : 'at any time';
  const last =
    until % DAY_MS === 0 && from % DAY_MS === 0 ? formatInstant(until - DAY_MS) : formatInstant(until);
  return Number.isFinite(from) ? `${start} to ${last}` : `${start} ${last}`;
}

/** "KR analyst" asks for "KH data": the pair as the tools print it. */
export function describePair(requester: string, owner: string): string {
  return `${owner} data → ${requester} analyst`;
}

/** A question in one sentence, for an example request. */
export function describeQuestion(cell: Cell, profile: Profile, at: number): string {
  const purpose = cell.purpose === undefined ? 'no declared purpose' : `purpose ${cell.purpose}`;
  return `a ${cell.requester} analyst asks for ${cell.category} of a ${cell.owner} record (${purpose}) on ${formatInstant(at)}, carrying ${describeProfile(profile)}`;
}

/** What a concrete request carries, in words (the explain tool's "Carrying:" line). */
export function describeProfileOfRequest(requester: RequestContext, at: number): string {
  const parts: string[] = [];
  if (requester.caseReference?.trim()) parts.push(`case reference ${requester.caseReference}`);
  if (requester.requestReference?.trim()) parts.push(`request reference ${requester.requestReference}`);
  if (requester.warrantReference?.trim())
    parts.push(`warrant / judicial order ${requester.warrantReference}`);
  if (requester.interpolNotice?.trim()) parts.push(`INTERPOL notice ${requester.interpolNotice}`);
  if (requester.jointTeam?.trim()) parts.push(`joint team ${requester.jointTeam}`);
  if (requester.emergency !== undefined) {
    const age = at - requester.emergency.declaredAt;
    const when =
      age < 0
        ? `dated ${formatDuration(-age)} after the time asked about`
        : `declared ${formatDuration(age)} before`;
    // Live requests name a registration the hub made (Accord-Emergency: EMG-…); a time given here is a
    // hypothetical "registered then", and says so.
    const what =
      requester.emergency.id !== undefined
        ? `emergency ${requester.emergency.id}`
        : 'HYPOTHETICAL emergency (as if registered then; live requests name a registration)';
    // Whether it counts is the policy's one definition (policy/freeText.ts): blank, invisible or too short is none.
    const text = requester.emergency.justification;
    const why = isJustification(text)
      ? `justification: "${text}"`
      : text.trim()
        ? `a justification that does not count as one: "${text}"`
        : 'no justification';
    parts.push(`${what} ${when} (${why})`);
  }
  return parts.length === 0 ? 'nothing (no reference, no joint team, no emergency)' : parts.join('; ');
}
