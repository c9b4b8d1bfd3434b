/**
 * One clause, compiled for deciding: dates as epoch ms, joint-team members as sets, and every failure it
 * can report built in advance. `failedCondition` is the single place that says whether a clause applies
 * to a request; decide() and explain() both use it.
 *
 * The order of the checks is the order a route reports (the first failure): time in force, then what
 * the request must carry (case, request, warrant, notice, joint team, emergency), then the owner's domestic
 * gate, and last the record-level conditions, so that a record-level failure means "everything else is
 * met" and the owner's per-record decision is the only thing left to know.
 *
 * A request reference is only a name: what satisfies the condition is the owner's grant it names
 * (policy/types.ts Grant), checked with the record-level conditions because a grant covers named subjects.
 */
import {
  META_REFERENCE,
  NOTICE_COLOURS,
  NOTICE_PURPOSES,
  noticeColourOf,
  type Category,
  type LegalBasisKind,
} from '../vocabulary';
import { dateWindow, HOUR_MS } from './dates';
import * as failures from './failedConditions';
import { isJustification } from './freeText';
import { sourceGradeRank } from './sourceGrades';
import type {
  Agreement,
  Clause,
  ClauseRef,
  FailedCondition,
  GrantBook,
  Obligations,
  RecordFacts,
  RequestContext,
} from './types';

/** What meets a clause's notice condition for one purpose it serves, and what each miss reports. */
interface NoticeRule {
  /** The colours the clause takes that serve the purpose. */
  readonly meets: ReadonlySet<string>;
  /** No notice, or one of a colour that serves the purpose but the clause does not take. */
  readonly missing: FailedCondition;
  /** A notice of a colour that does not serve the purpose, by colour. */
  readonly notServing: ReadonlyMap<string, FailedCondition>;
}

interface CompiledTeam {
  readonly id: string;
  readonly members: ReadonlyMap<string, ReadonlySet<string>>;
  readonly operation: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly failures: ReturnType<typeof failures.jointTeamFailures>;
}

export interface CompiledClause {
  readonly agreement: Agreement;
  readonly clause: Clause;
  /** The agreement's and the clause's ids, interned: what a grant names, compared on every grant check. */
  readonly agreementId: string;
  readonly clauseId: string;
  readonly ref: ClauseRef;
  /** `${from}>${to}` for every ordered pair of countries whose data flow the clause allows. */
  readonly flows: ReadonlySet<string>;
  /** The clause's purposes, as a route says them when the declared purpose is another. */
  readonly purposeFailure: FailedCondition;
  readonly obligations: Obligations;
  readonly startMs: number;
  readonly endMs: number;
  readonly notInForce: FailedCondition;
  readonly needsCase: boolean;
  readonly needsRequest: boolean;
  readonly needsWarrant: boolean;
  readonly needsNotice: boolean;
  /** For a clause that names the colours it takes: the rule for each purpose it serves; undefined: any notice. */
  readonly noticeRules: ReadonlyMap<string, NoticeRule> | undefined;
  readonly noticeFailure: FailedCondition;
  readonly team: CompiledTeam | undefined;
  readonly emergencyMs: number | undefined;
  readonly emergencyWindow: FailedCondition | undefined;
  readonly minimumGradeRank: number | undefined;
  readonly gradeFailure: FailedCondition | undefined;
}

export function compileClause(agreement: Agreement, clause: Clause): CompiledClause {
  const { startMs, endMs } = dateWindow(agreement.inForce.from, agreement.inForce.until);
  const { conditions } = clause;
  const team = conditions.jointTeam;
  const grade = conditions.minimumSourceGrade;
  const emergencyHours = conditions.emergency?.maxDurationHours;
  return {
    agreement,
    clause,
    agreementId: interned(agreement.id),
    clauseId: interned(clause.id),
    ref: Object.freeze({
      agreement: agreement.id,
      clause: clause.id,
      title: agreement.title,
      citation: clause.citation,
    }),
    flows: flowsOf(agreement, clause),
    purposeFailure: failures.purpose(clause.purposes),
    obligations: Object.freeze({ ...clause.obligations }),
    startMs,
    endMs,
    notInForce: failures.notInForce(agreement.inForce.from, agreement.inForce.until),
    needsCase: conditions.caseReference === true,
    needsRequest: conditions.requestReference === true,
    needsWarrant: conditions.warrantReference === true,
    needsNotice: conditions.interpolNotice === true,
    noticeRules: noticeRulesOf(clause),
    noticeFailure:
      conditions.interpolNotice === true
        ? failures.interpolNotice(conditions.noticeColours)
        : failures.INTERPOL_NOTICE,
    team:
      team === undefined
        ? undefined
        : {
            id: team.id,
            members: new Map(
              Object.entries(team.members).map(([country, analysts]) => [country, new Set(analysts)]),
            ),
            operation: team.operation,
            ...dateWindow(team.validFrom, team.validUntil),
            failures: failures.jointTeamFailures(team),
          },
    emergencyMs: emergencyHours === undefined ? undefined : emergencyHours * HOUR_MS,
    emergencyWindow: emergencyHours === undefined ? undefined : failures.emergencyWindow(emergencyHours),
    minimumGradeRank: grade === undefined ? undefined : sourceGradeRank(grade),
    gradeFailure: grade === undefined ? undefined : failures.sourceGrade(grade),
  };
}

/**
 * A notice asks for one kind of cooperation, and its colour says which (vocabulary/interpolNotices.ts):
 * data released on it may serve only that kind. So for each purpose the clause serves, only the colours it
 * takes that also serve that purpose meet it: a clause taking Red and Yellow notices for an arrest and a
 * rescue releases for the rescue on a Yellow notice, never on a Red one (docs/domain.md#interpol-notices).
 */
function noticeRulesOf(clause: Clause): ReadonlyMap<string, NoticeRule> | undefined {
  const taken = clause.conditions.noticeColours;
  if (clause.conditions.interpolNotice !== true || taken === undefined) return undefined;
  const rules = new Map<string, NoticeRule>();
  for (const purpose of clause.purposes) {
    const serving = taken.filter((colour) => NOTICE_PURPOSES[colour].includes(purpose));
    const missing = failures.interpolNotice(serving, purpose);
    const notServing = new Map<string, FailedCondition>();
    for (const colour of NOTICE_COLOURS) {
      if (!NOTICE_PURPOSES[colour].includes(purpose))
        notServing.set(colour, failures.noticeNotServing(colour, purpose, missing));
    }
    rules.set(purpose, { meets: new Set(serving), missing, notServing });
  }
  return rules;
}

/**
 * The same text as an internalized string. Strings read from the YAML files are not internalized, and V8
 * compares two strings that are not both internalized character by character through a slow path: on
 * the grant path, comparing the grant's agreement and clause with these ids was a third of decide()'s time
 * (bench: decisions). A property key is always internalized, so the key of a one-entry object is the
 * interned copy.
 */
function interned(text: string): string {
  return Object.keys({ [text]: true })[0]!;
}

function flowsOf(agreement: Agreement, clause: Clause): ReadonlySet<string> {
  const { from, to } =
    clause.direction === 'both' ? { from: agreement.parties, to: agreement.parties } : clause.direction;
  const flows = new Set<string>();
  for (const sender of from)
    for (const receiver of to) if (sender !== receiver) flows.add(`${sender}>${receiver}`);
  return flows;
}

/** A reference the request carries: present and not blank. */
const NOT_BLANK = /\S/;
function present(value: string | undefined): boolean {
  return value !== undefined && NOT_BLANK.test(value);
}

/**
 * Whether a declaration's justification is one, by the single definition the header parser and the audit
 * validator use (freeText.ts). Remembered per declaration object: a request's context is decided against
 * many fields and clauses, and this check normalises the text.
 */
const justifiedDeclarations = new WeakMap<object, boolean>();
function justified(emergency: NonNullable<RequestContext['emergency']>): boolean {
  let known = justifiedDeclarations.get(emergency);
  if (known === undefined) {
    known = isJustification(emergency.justification);
    justifiedDeclarations.set(emergency, known);
  }
  return known;
}

/**
 * The first condition of the clause the request (or record) fails, or null when the clause applies.
 * Direction, category and purpose are settled by the index before this is called. `gateFailure` is the
 * owner's domestic gate verdict for this clause and purpose (undefined: allowed or no gate).
 * Allocation-free: it returns prebuilt objects.
 */
export function failedCondition(
  compiled: CompiledClause,
  gateFailure: FailedCondition | undefined,
  requester: RequestContext,
  at: number,
  record: RecordFacts | undefined,
  grants?: GrantBook,
  category?: string,
): FailedCondition | null {
  // Written as `!(at < end)` so that a NaN time fails too.
  if (!(at >= compiled.startMs && at < compiled.endMs)) return compiled.notInForce;
  if (compiled.needsCase && !present(requester.caseReference)) return failures.CASE_REFERENCE;
  if (compiled.needsRequest && !present(requester.requestReference)) return failures.REQUEST_REFERENCE;
  if (compiled.needsWarrant && !present(requester.warrantReference)) return failures.WARRANT_REFERENCE;
  if (compiled.needsNotice) {
    const notice = requester.interpolNotice;
    const rules = compiled.noticeRules;
    if (rules === undefined) {
      if (!present(notice)) return compiled.noticeFailure;
    } else {
      // A clause that names colours takes only a notice of one of them that serves the declared purpose:
      // a Blue notice is no arrest warrant, and a Red one (an arrest) opens nothing for a rescue.
      const rule = rules.get(requester.purpose ?? '');
      if (rule === undefined) return compiled.noticeFailure;
      if (!present(notice)) return rule.missing;
      const colour = noticeColourOf(notice!) ?? '';
      if (!rule.meets.has(colour)) return rule.notServing.get(colour) ?? rule.missing;
    }
  }
  const team = compiled.team;
  if (team !== undefined) {
    if (requester.jointTeam !== team.id) return team.failures.id;
    if (team.members.get(requester.country)?.has(requester.analyst) !== true) return team.failures.member;
    if (!(at >= team.startMs && at < team.endMs)) return team.failures.window;
  }
  const emergencyMs = compiled.emergencyMs;
  if (emergencyMs !== undefined) {
    const emergency = requester.emergency;
    if (emergency === undefined) return failures.EMERGENCY_DECLARATION;
    if (!justified(emergency)) return failures.EMERGENCY_JUSTIFICATION;
    // A declaration dated after the moment asked about does not cover it either.
    if (!(at >= emergency.declaredAt && at < emergency.declaredAt + emergencyMs))
      return compiled.emergencyWindow!;
  }
  if (gateFailure !== undefined) return gateFailure;
  if (compiled.needsRequest) {
    const failure = grantFailure(compiled, requester, at, record, grants, category);
    if (failure !== null) return failure;
  }
  if (team !== undefined && record?.operations?.includes(team.operation) !== true) return team.failures.scope;
  const minimum = compiled.minimumGradeRank;
  if (minimum !== undefined) {
    const rank = sourceGradeRank(record?.sourceGrade);
    if (rank === undefined || rank > minimum) return compiled.gradeFailure!;
  }
  return null;
}

/**
 * Whether the grant the request reference names covers this request and record under this clause. The
 * gateway (no book) cannot know: record-level, the owner decides. At the owner, anything short of a valid
 * grant answers exactly as a missing reference would, so a made-up reference learns nothing more.
 */
function grantFailure(
  compiled: CompiledClause,
  requester: RequestContext,
  at: number,
  record: RecordFacts | undefined,
  grants: GrantBook | undefined,
  category: string | undefined,
): FailedCondition | null {
  if (grants === undefined) return failures.REQUEST_GRANT;
  const grant = grants.get(requester.requestReference!);
  if (
    grant === undefined ||
    grant.requesterCountry !== requester.country ||
    !grant.analysts.includes(requester.analyst) ||
    grant.purpose !== requester.purpose ||
    grant.caseReference !== requester.caseReference ||
    grant.agreement !== compiled.agreementId ||
    !grant.clauses.includes(compiled.clauseId) ||
    // A grant never widens its clause: the candidate covers the category already; the grant must too.
    // The record's reference goes with any category the grant gives.
    (category !== META_REFERENCE &&
      (category === undefined || !grant.categories.includes(category as Category))) ||
    (category === META_REFERENCE && grant.categories.length === 0) ||
    // Written as `!(at < until)` so that a NaN time fails too; a revocation counts from its instant.
    !(at >= grant.validFrom && at < grant.validUntil) ||
    (grant.revokedAt !== undefined && !(at < grant.revokedAt))
  ) {
    return failures.REQUEST_REFERENCE;
  }
  // Which record: unknown before the fetch (decided again per record), and only the named subjects.
  if (record === undefined) return failures.REQUEST_GRANT;
  if (record.id === undefined || !grant.subjects.includes(record.id)) return failures.REQUEST_REFERENCE;
  return null;
}

/** True for a failure about the record rather than the request. */
export function isRecordLevel(failure: FailedCondition): boolean {
  return (
    failure.kind === 'jointTeamScope' || failure.kind === 'sourceGrade' || failure.kind === 'requestGrant'
  );
}

/**
 * Ranking of basis kinds when several clauses give the same effect (lower first): formal judicial
 * channels first, because the requester who carries their conditions has invoked them and their use
 * rights (evidence) are what the request was for; the exceptional EMERGENCY basis last, so its short
 * retention and review apply only when nothing else does.
 */
export const BASIS_RANK: Readonly<Record<LegalBasisKind, number>> = {
  MLAT: 0,
  EXTRADITION: 1,
  JIT: 2,
  INTERPOL_NOTICE: 3,
  POLICE_COOPERATION: 4,
  HIT_ONLY: 5,
  EMERGENCY: 6,
};
