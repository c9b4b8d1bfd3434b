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
 * profile is also asked with no grant by that name and with a grant short of the question in each respect,
 * and with grants at the edges of their validity (from the very instant asked about; ending at it).
 *
 * Some profiles speak about one reference only (a notice of each colour, in lower, upper and mixed case; a
 * reference that is there but empty or only white space): they are asked of a pair only when a clause of
 * an agreement both countries are party to needs that reference, since elsewhere no clause reads it.
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

/** The references a request may carry. */
type Reference = 'case' | 'request' | 'warrant' | 'notice';

/** What a request carries besides who asks: built per requester country (team membership depends on it). */
interface Profile {
  readonly name: string;
  readonly analyst: string;
  readonly references: Readonly<Record<Reference, boolean>>;
  /** One reference sent blank: present, but empty or only white space (docs/domain.md#conditions, item 4). */
  readonly blank?: { readonly reference: Reference; readonly text: string };
  /** Asked only of pairs where a clause needs this reference (nothing else reads the profile's variant). */
  readonly onlyWhere?: Reference;
  readonly jointTeam?: string;
  /** The colour the INTERPOL notice names (absent: a notice id with no colour, which no colour-bound clause takes). */
  readonly noticeColour?: NoticeColour;
  /** How the colour is spelt (absent: lower case, as the docs write it); any case names the colour. */
  readonly colourCase?: 'upper' | 'mixed';
  /**
   * The notice exactly as sent, instead of a colour and an id: a bare colour with no colon (`red`, which
   * names no colour: the colour is the word before a colon) or a colour with an empty id (`red:`).
   */
  readonly noticeText?: string;
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
const REFERENCES = Object.keys(ALL) as Reference[];
/** Blank references as a request may carry them: each text, and how a counterexample names it. */
const BLANKS: readonly (readonly [string, string])[] = [
  ['', 'empty'],
  [' \t', 'only white space'],
];

/** A colour as sent in upper case (`RED`) or mixed case (`ReD`). */
function spelt(colour: string, colourCase: 'upper' | 'mixed'): string {
  if (colourCase === 'upper') return colour.toUpperCase();
  return [...colour].map((letter, i) => (i % 2 === 0 ? letter.toUpperCase() : letter)).join('');
}
/** Justifications on either side of the minimum of ten letters (spaces and punctuation are not letters). */
const JUSTIFICATIONS = { nine: 'lost child!', ten: 'life at risk' } as const;
/**
 * The profiles also asked with an empty purpose (`''`, sent but saying nothing): it must count as no
 * purpose. A few profiles only, those that release most, so that the questions grow little.
 */
const EMPTY_PURPOSE_PROFILES: ReadonlySet<string> = new Set([
  'every reference',
  'emergency declared a minute ago',
]);
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
  for (const dropped of REFERENCES) {
    profiles.push({
      name: `every reference but the ${dropped}`,
      analyst: ANALYST,
      references: { ...ALL, [dropped]: false },
      record: linked(),
    });
  }
  // A reference that is there but blank counts as none: each one alone, empty and only white space.
  for (const reference of REFERENCES) {
    for (const [text, words] of BLANKS)
      profiles.push({
        name: `every reference, the ${reference} ${words}`,
        analyst: ANALYST,
        references: ALL,
        blank: { reference, text },
        onlyWhere: reference,
        record: linked(),
      });
  }
  // Where a clause needs a notice, every colour is asked: the ones it takes and the ones it must refuse,
  // each as the docs write it (lower case), in upper case and in mixed case.
  for (const colour of NOTICE_COLOURS) {
    for (const colourCase of [undefined, 'upper', 'mixed'] as const)
      profiles.push({
        name: `every reference, a ${colour} notice${colourCase === undefined ? '' : ` spelt ${spelt(colour, colourCase)}`}`,
        analyst: ANALYST,
        references: ALL,
        noticeColour: colour,
        ...(colourCase !== undefined && { colourCase }),
        onlyWhere: 'notice',
        record: linked(),
      });
  }
  // A notice that is only a colour's name (no colon: no colour named) and one whose id is empty (`red:`:
  // a red notice, docs/domain.md#interpol-notices, the colour being the word before the first colon).
  for (const noticeText of [NOTICE_COLOURS[0], `${NOTICE_COLOURS[0]}:`]) {
    profiles.push({
      name: `every reference, the notice sent as '${noticeText}'`,
      analyst: ANALYST,
      references: ALL,
      noticeText,
      onlyWhere: 'notice',
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
    // A justification needs at least ten letters (docs/domain.md): nine are too few, ten enough. Asked as
    // declared in the request only (the registered path reads the same text).
    if (!registered) {
      profiles.push(emergency('emergency justified in nine letters', MINUTE, JUSTIFICATIONS.nine));
      profiles.push(emergency('emergency justified in ten letters', MINUTE, JUSTIFICATIONS.ten));
    }
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

/** The references some clause of an agreement both countries are party to needs. */
function referencesNeeded(set: QuestionSet, owner: string, requester: string): Set<Reference> {
  const needed = new Set<Reference>();
  for (const agreement of set.agreements) {
    if (!agreement.parties.includes(owner) || !agreement.parties.includes(requester)) continue;
    for (const { conditions } of agreement.clauses) {
      if (conditions.caseReference === true) needed.add('case');
      if (conditions.requestReference === true) needed.add('request');
      if (conditions.warrantReference === true) needed.add('warrant');
      if (conditions.interpolNotice === true) needed.add('notice');
    }
  }
  return needed;
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
    // A blank request reference is asked only where the owner holds a grant by that (blank) name: as the
    // gateway asks it, the reference decides nothing by itself, so its answer is the same either way.
    if (profile.blank?.reference !== 'request') result.push(profile);
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
      const needed = referencesNeeded(set, owner, requester);
      const pairProfiles = withGrants(
        profiles.filter((profile) => profile.onlyWhere === undefined || needed.has(profile.onlyWhere)),
        requestClausesOf(set, owner, requester),
      );
      const carried = pairProfiles.map(carriedBy);
      for (const purpose of purposes) {
        for (const category of CATEGORIES) {
          for (const [index, profile] of pairProfiles.entries()) {
            for (const at of times)
              yield {
                input: inputOf(owner, requester, purpose, category, profile, carried[index]!, at),
                profile: profile.name,
              };
          }
        }
      }
      for (const category of CATEGORIES) {
        for (const [index, profile] of pairProfiles.entries()) {
          if (!EMPTY_PURPOSE_PROFILES.has(profile.name)) continue;
          for (const at of times)
            yield {
              input: inputOf(owner, requester, '' as Purpose, category, profile, carried[index]!, at),
              profile: `${profile.name}, with an empty purpose`,
            };
        }
      }
    }
  }
}

/** The references a profile carries, as a request writes them (worked out once per profile, not per question). */
type Carried = Pick<
  RequestContext,
  'caseReference' | 'requestReference' | 'warrantReference' | 'interpolNotice'
>;

function carriedBy(profile: Profile): Carried {
  const { references: refs, noticeColour: colour, colourCase } = profile;
  // The text of a reference the profile carries: as given, or blank where the profile blanks it.
  const text = (reference: Reference, value: string): string =>
    profile.blank?.reference === reference ? profile.blank.text : value;
  const notice =
    profile.noticeText !== undefined
      ? profile.noticeText
      : colour === undefined
        ? 'NOTICE-1'
        : `${colourCase === undefined ? colour : spelt(colour, colourCase)}:NOTICE-1`;
  return {
    ...(refs.case && { caseReference: text('case', 'CASE-1') }),
    ...(refs.request && { requestReference: text('request', 'REQUEST-1') }),
    ...(refs.warrant && { warrantReference: text('warrant', 'WARRANT-1') }),
    ...(refs.notice && { interpolNotice: text('notice', notice) }),
  };
}

function inputOf(
  owner: string,
  requester: string,
  purpose: Purpose | undefined,
  category: Category,
  profile: Profile,
  carried: Carried,
  at: number,
): DecisionInput {
  const context: RequestContext = {
    country: requester,
    analyst: profile.analyst,
    roles: [],
    ...(purpose !== undefined && { purpose }),
    ...carried,
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
