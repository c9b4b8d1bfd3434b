/**
 * The questions `prove` asks, built from the domain (docs/domain.md) and the set's plain data, never from
 * the engine: every ordered pair of members across a border, every purpose and none, every category of
 * the vocabulary, and for each a list of request profiles that turn every condition flag on and off one
 * at a time, at every validity edge of the set (each agreement's and joint team's first and last moment,
 * and the millisecond before each).
 *
 * A request reference counts only through the owner's grant it names (legal/questionGrant.ts): every
 * profile that carries one is asked as the gateway asks it (no grants held), and again with the owner
 * holding a grant made for the question under each clause of the pair that needs a reference; the full
 * profile is also asked with no grant by that name and with a grant short of the question in each respect.
 *
 * Why not derive the questions from the clauses that could decide a cell (as the matrix does): then a
 * question the engine should never answer with data (an emergency asking for financial records) is never
 * asked, and an engine that wrongly answers it is never caught. Here every profile is asked of every
 * cell, whatever the set says about it.
 */
import type {
  AgreementSet,
  DecisionInput,
  GrantBook,
  JointTeam,
  RecordFacts,
  RequestContext,
} from '../policy/core';
import {
  CATEGORIES,
  NOTICE_COLOURS,
  PURPOSES,
  type Category,
  type NoticeColour,
  type Purpose,
} from '../vocabulary';
import { FLAW_WORDS, GRANT_FLAWS, grantFor, subjectOf, type GrantFlaw } from './questionGrant';

/** What the questions are built from: the members and the agreements' plain data. */
type QuestionSet = Pick<AgreementSet, 'members' | 'agreements'>;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** An analyst no joint team names. */
export const OUTSIDER = 'not-a-team-member';
const ANALYST = 'analyst';
/** Grades a record may carry: each letter, a full code, and none (docs/domain.md#conditions). */
const RECORD_GRADES: readonly (string | undefined)[] = ['A', 'B2', 'C', 'X', undefined];

/** What a request carries besides who asks: built per requester country (team membership depends on it). */
interface Profile {
  readonly name: string;
  readonly analyst: string;
  readonly references: {
    readonly case: boolean;
    readonly request: boolean;
    readonly warrant: boolean;
    readonly notice: boolean;
  };
  readonly jointTeam?: string;
  /** The colour the INTERPOL notice names (absent: a notice id with no colour, which no colour-bound clause takes). */
  readonly noticeColour?: NoticeColour;
  /** Declared this long before the moment asked about (negative: after it). */
  readonly emergency?: {
    readonly ageMs: number;
    readonly justification: string;
    /** Registered with the requester's gateway (it then carries the registration's id, as every real one does). */
    readonly registered: boolean;
  };
  readonly record?: RecordFacts;
  /**
   * With a request reference, what the owner holds under its name: nothing at all (undefined: the gateway,
   * which holds no grants), no grant by that name (`clause` undefined), or a grant made for the question
   * under `clause` (`agreement/clause`) and spoiled by `flaw`.
   */
  readonly grant?: { readonly clause?: string; readonly flaw: GrantFlaw };
}

const ALL = { case: true, request: true, warrant: true, notice: true } as const;
/** The profile asked with every grant flaw (the others carrying a reference get only a valid grant). */
const FULL = 'every reference';
const NONE = { case: false, request: false, warrant: false, notice: false } as const;

/** The set's joint teams (one per id), operations and emergency durations: the facts its conditions read. */
function factsOf(set: QuestionSet) {
  const teams = new Map<string, JointTeam>();
  const durations = new Set<number>();
  for (const agreement of set.agreements) {
    for (const { conditions } of agreement.clauses) {
      if (conditions.jointTeam !== undefined) teams.set(conditions.jointTeam.id, conditions.jointTeam);
      if (conditions.emergency !== undefined) durations.add(conditions.emergency.maxDurationHours);
    }
  }
  const operations = [...new Set([...teams.values()].map((team) => team.operation))];
  return { teams: [...teams.values()], operations, durations: [...durations] };
}

function profilesFor(requester: string, set: QuestionSet): Profile[] {
  const { teams, operations, durations } = factsOf(set);
  const linked = (grade: string | undefined = 'A'): RecordFacts => ({
    operations,
    ...(grade !== undefined && { sourceGrade: grade }),
  });
  // An operation no team of the set is about.
  let otherOperation = 'operation-of-no-team';
  while (operations.includes(otherOperation)) otherOperation = `${otherOperation}-x`;
  const profiles: Profile[] = [
    { name: 'nothing', analyst: ANALYST, references: NONE },
    { name: 'every reference, record unknown', analyst: ANALYST, references: ALL },
    { name: FULL, analyst: ANALYST, references: ALL, record: linked() },
  ];
  for (const dropped of Object.keys(ALL) as (keyof typeof ALL)[]) {
    profiles.push({
      name: `every reference but the ${dropped}`,
      analyst: ANALYST,
      references: { ...ALL, [dropped]: false },
      record: linked(),
    });
  }
  // Where a clause needs a notice, every colour is asked: the ones it takes and the ones it must refuse.
  if (
    set.agreements.some((agreement) =>
      agreement.clauses.some((clause) => clause.conditions.interpolNotice === true),
    )
  ) {
    for (const colour of NOTICE_COLOURS)
      profiles.push({
        name: `every reference, a ${colour} notice`,
        analyst: ANALYST,
        references: ALL,
        noticeColour: colour,
        record: linked(),
      });
  }
  for (const team of teams) {
    const member = team.members[requester]?.[0];
    const asMember = member ?? OUTSIDER;
    for (const grade of RECORD_GRADES) {
      profiles.push({
        name: `team ${team.id}, grade ${grade ?? 'none'}`,
        analyst: asMember,
        references: ALL,
        jointTeam: team.id,
        record: linked(grade),
      });
    }
    profiles.push({
      name: `team ${team.id}, record unknown`,
      analyst: asMember,
      references: ALL,
      jointTeam: team.id,
    });
    profiles.push({
      name: `team ${team.id}, record outside its operation`,
      analyst: asMember,
      references: ALL,
      jointTeam: team.id,
      record: { operations: [], sourceGrade: 'A' },
    });
    profiles.push({
      name: `team ${team.id}, not a member`,
      analyst: OUTSIDER,
      references: ALL,
      jointTeam: team.id,
      record: linked(),
    });
    // A record linked to some operation, but not the team's: the team's scope must still refuse it.
    profiles.push({
      name: `team ${team.id}, record linked only to another operation`,
      analyst: asMember,
      references: ALL,
      jointTeam: team.id,
      record: { operations: [otherOperation], sourceGrade: 'A' },
    });
    // Someone the team names for another country, asking from this one: membership is per country.
    const ownNames = new Set(team.members[requester] ?? []);
    for (const [country, names] of Object.entries(team.members)) {
      const elsewhere = country === requester ? undefined : names.find((name) => !ownNames.has(name));
      if (elsewhere !== undefined)
        profiles.push({
          name: `team ${team.id}, a member named for ${country} asking from ${requester}`,
          analyst: elsewhere,
          references: ALL,
          jointTeam: team.id,
          record: linked(),
        });
    }
    profiles.push({
      name: `another team than ${team.id}`,
      analyst: asMember,
      references: ALL,
      jointTeam: `${team.id}-other`,
      record: linked(),
    });
  }
  // Each emergency is asked as declared in the request alone and as the gateway sends every real one:
  // registered, with the registration's id (the engine then cites it, and a release takes another path).
  for (const registered of [false, true]) {
    const emergency = (name: string, ageMs: number, justification = 'imminent risk to life'): Profile => ({
      name: registered ? `${name}, registered` : name,
      analyst: ANALYST,
      references: NONE,
      emergency: { ageMs, justification, registered },
      record: linked(),
    });
    profiles.push(emergency('emergency declared a minute ago', MINUTE));
    profiles.push(emergency('emergency without a justification', MINUTE, ' '));
    profiles.push(emergency('emergency dated a minute in the future', -MINUTE));
    profiles.push({ ...emergency('emergency and every reference', MINUTE), references: ALL });
    for (const hours of durations) {
      profiles.push(emergency(`emergency in its last millisecond of ${hours} h`, hours * HOUR - 1));
      profiles.push(emergency(`emergency expired after ${hours} h`, hours * HOUR));
    }
  }
  return profiles;
}

/**
 * Every validity edge (UTC days) of the agreements both countries are party to, and the millisecond
 * before each, in order. Agreements the two are not both party to cannot let data pass between them, so
 * their edges cannot change an answer for the pair (a question at every edge of the whole set would ask
 * the same thing many times over).
 */
export function timesOf(set: QuestionSet, owner: string, requester: string): number[] {
  const midnight = (day: string): number => Date.parse(`${day}T00:00:00Z`);
  const edges: number[] = [];
  const window = (from: string, until: string | undefined): void => {
    edges.push(midnight(from));
    if (until !== undefined) edges.push(midnight(until) + DAY);
  };
  for (const agreement of set.agreements) {
    if (!agreement.parties.includes(owner) || !agreement.parties.includes(requester)) continue;
    window(agreement.inForce.from, agreement.inForce.until);
    for (const { conditions } of agreement.clauses) {
      if (conditions.jointTeam !== undefined)
        window(conditions.jointTeam.validFrom, conditions.jointTeam.validUntil);
    }
  }
  // With no agreement between them, one moment is enough: nothing can pass at any time.
  if (edges.length === 0) edges.push(0);
  return [...new Set(edges.flatMap((edge) => [edge - 1, edge]))].sort((a, b) => a - b);
}

/** `agreement/clause` of every clause that needs a request reference in an agreement both countries are party to. */
function requestClausesOf(set: QuestionSet, owner: string, requester: string): string[] {
  return set.agreements
    .filter((agreement) => agreement.parties.includes(owner) && agreement.parties.includes(requester))
    .flatMap((agreement) =>
      agreement.clauses
        .filter((clause) => clause.conditions.requestReference === true)
        .map((clause) => `${agreement.id}/${clause.id}`),
    );
}

/**
 * The profiles of a pair with the owner's grants: each profile carrying a request reference as it is (no
 * grants held) and with a valid grant under each of the pair's clauses that need one; the full profile also
 * with no grant by that name and each flawed grant. Team profiles are asked as the gateway asks them only,
 * to keep the count down (about 2.5 times the questions otherwise): every clause that needs a reference is
 * asked with and without a grant by the profiles without a team.
 */
function withGrants(profiles: readonly Profile[], clauses: readonly string[]): Profile[] {
  if (clauses.length === 0) return [...profiles];
  const result: Profile[] = [];
  for (const profile of profiles) {
    result.push(profile);
    if (!profile.references.request || profile.jointTeam !== undefined) continue;
    const flaws: readonly GrantFlaw[] = profile.name === FULL ? GRANT_FLAWS : ['none'];
    if (profile.name === FULL)
      result.push({
        ...profile,
        name: `${profile.name}, the owner holding no grant by that name`,
        grant: { flaw: 'none' },
      });
    for (const clause of clauses) {
      for (const flaw of flaws)
        result.push({
          ...profile,
          name: `${profile.name}, the owner's grant under ${clause} ${FLAW_WORDS[flaw]}`,
          grant: { clause, flaw },
        });
    }
  }
  return result;
}

export interface Question {
  readonly input: DecisionInput;
  /** Which profile it was, for a counterexample a lawyer reads. */
  readonly profile: string;
}

/** Every question, one at a time (there are hundreds of thousands). */
export function* questionsOf(set: QuestionSet): Generator<Question> {
  const members = set.members.map((member) => member.code);
  const purposes: (Purpose | undefined)[] = [...PURPOSES, undefined];
  for (const requester of members) {
    const profiles = profilesFor(requester, set);
    for (const owner of members) {
      if (owner === requester) continue;
      const times = timesOf(set, owner, requester);
      const pairProfiles = withGrants(profiles, requestClausesOf(set, owner, requester));
      for (const purpose of purposes) {
        for (const category of CATEGORIES) {
          for (const profile of pairProfiles) {
            for (const at of times)
              yield {
                input: inputOf(owner, requester, purpose, category, profile, at),
                profile: profile.name,
              };
          }
        }
      }
    }
  }
}

function inputOf(
  owner: string,
  requester: string,
  purpose: Purpose | undefined,
  category: Category,
  profile: Profile,
  at: number,
): DecisionInput {
  const { references: refs } = profile;
  const context: RequestContext = {
    country: requester,
    analyst: profile.analyst,
    roles: [],
    ...(purpose !== undefined && { purpose }),
    ...(refs.case && { caseReference: 'CASE-1' }),
    ...(refs.request && { requestReference: 'REQUEST-1' }),
    ...(refs.warrant && { warrantReference: 'WARRANT-1' }),
    ...(refs.notice && {
      interpolNotice: profile.noticeColour === undefined ? 'NOTICE-1' : `${profile.noticeColour}:NOTICE-1`,
    }),
    ...(profile.jointTeam !== undefined && { jointTeam: profile.jointTeam }),
    ...(profile.emergency !== undefined && {
      emergency: {
        ...(profile.emergency.registered && { id: `EMG-${requester}-0000000001` }),
        declaredAt: at - profile.emergency.ageMs,
        justification: profile.emergency.justification,
      },
    }),
  };
  const grants = grantBookOf(owner, context, category, at, profile.grant);
  // Grants cover named records: the owner, who holds the book, knows which record it decides.
  const record = grants === undefined ? profile.record : namedRecord(profile.record, owner);
  return {
    requester: context,
    owner,
    category,
    at,
    ...(record !== undefined && { record }),
    ...(grants !== undefined && { grants }),
  };
}

/**
 * The profile's record named as the owner's subject, built once per record and owner: hundreds of thousands
 * of questions carry one (questions share their records, as they share their profiles' records).
 */
const namedRecords = new WeakMap<object, Map<string, RecordFacts>>();
const UNKNOWN_RECORD = {};
function namedRecord(record: RecordFacts | undefined, owner: string): RecordFacts {
  const key = record ?? UNKNOWN_RECORD;
  let byOwner = namedRecords.get(key);
  if (byOwner === undefined) namedRecords.set(key, (byOwner = new Map<string, RecordFacts>()));
  let named = byOwner.get(owner);
  if (named === undefined) byOwner.set(owner, (named = { ...record, id: subjectOf(owner) }));
  return named;
}

function grantBookOf(
  owner: string,
  requester: RequestContext,
  category: Category,
  at: number,
  shape: Profile['grant'],
): GrantBook | undefined {
  if (shape === undefined || requester.requestReference === undefined) return undefined;
  if (shape.clause === undefined) return new Map();
  const grant = grantFor({ owner, requester, category, at }, [shape.clause], shape.flaw);
  return new Map([[grant.id, grant]]);
}
