/**
 * Does a clause apply to a question, and if not, how far did it get? The conditions of
 * docs/domain.md#conditions, each a plain yes/no on the question's facts. How far a clause got gives the
 * reason of a withheld field: not in force (0), a condition of the request or the record unmet (1), every
 * request condition met but the owner's gate closed (2).
 *
 * Each kind of condition a clause can name (a key of `conditions` in agreements/agreement.schema.json) is
 * judged on its own, by `CONDITION_CHECKS`: its part about the request, its part about the record, or both.
 * The table has one entry per key of the clause's `Conditions` type, so a new kind of condition does not
 * compile until the model says what meets it; and the prover's self-check (legal/conditionReach.ts) reads the
 * same table to tell, per kind, whether its questions ever met or missed it with an effect on the answer.
 */
import type { Agreement, Clause, Conditions } from '../../policy/core';
import { insideDays } from './days';
import { colourServes } from './notices';
import type { ModelQuestion } from './question';

const HOUR = 60 * 60 * 1000;
/** Source grades, best first; only the first letter of a record's grade counts ("B2" is B). */
const GRADES = ['A', 'B', 'C', 'X'];

/** A kind of condition: a key a clause's `conditions` may hold. */
export type ConditionKind = keyof Conditions;

/**
 * How one kind is judged, for a clause that names it: `request` on what the request carries, `record` on
 * the record (checked after the owner's gate, so that failing only them means everything else is met).
 */
export interface ConditionCheck {
  readonly request?: (agreement: Agreement, clause: Clause, question: ModelQuestion) => boolean;
  readonly record?: (agreement: Agreement, clause: Clause, question: ModelQuestion) => boolean;
}

export const CONDITION_CHECKS: { readonly [K in ConditionKind]-?: ConditionCheck } = {
  caseReference: { request: (_a, _c, question) => question.caseReference },
  // The reference names the owner's grant; only the grant, which covers named records, meets it.
  requestReference: {
    request: (_a, _c, question) => question.requestReference,
    record: (agreement, clause, question) =>
      (question.grant?.clauses ?? []).includes(`${agreement.id}/${clause.id}`),
  },
  warrantReference: { request: (_a, _c, question) => question.warrantReference },
  interpolNotice: { request: (_a, _c, question) => question.interpolNotice },
  // A clause naming colours takes only a notice of one of them, and only for a purpose that colour serves
  // (docs/domain.md#interpol-notices: a Red notice seeks an arrest, not a rescue; the model's own table).
  // Colours say which notice
  // meets the notice condition: without it they ask nothing.
  noticeColours: {
    request: (_a, clause, question) =>
      clause.conditions.interpolNotice !== true ||
      (clause.conditions.noticeColours ?? []).some(
        (colour) =>
          colour === question.noticeColour &&
          question.purpose !== undefined &&
          colourServes(colour, question.purpose),
      ),
  },
  jointTeam: {
    request: (_a, clause, question) => {
      const team = clause.conditions.jointTeam!;
      return (
        question.jointTeam === team.id &&
        (team.members[question.requester] ?? []).includes(question.analyst) &&
        insideDays(question.at, team.validFrom, team.validUntil)
      );
    },
    // The record belongs to the team's operation.
    record: (_a, clause, question) =>
      (question.record?.operations ?? []).includes(clause.conditions.jointTeam!.operation),
  },
  emergency: {
    request: (_a, clause, question) => {
      const declared = question.emergency;
      if (declared === undefined || !declared.justified) return false;
      // Running: declared at or before the moment, and not yet expired at it.
      const hours = clause.conditions.emergency!.maxDurationHours;
      return question.at >= declared.declaredAt && question.at < declared.declaredAt + hours * HOUR;
    },
  },
  minimumSourceGrade: {
    record: (_a, clause, question) => {
      const grade = question.record?.sourceGrade;
      const rank = grade === undefined ? -1 : GRADES.indexOf(grade.slice(0, 1));
      return rank >= 0 && rank <= GRADES.indexOf(clause.conditions.minimumSourceGrade!);
    },
  },
};

const KINDS = Object.keys(CONDITION_CHECKS) as ConditionKind[];

/** Whether a clause names a kind of condition (a reference flag set to true, anything else present). */
export function asks(clause: Clause, kind: ConditionKind): boolean {
  const value = clause.conditions[kind];
  return value !== undefined && value !== false;
}

/** The kinds a clause names, worked out once per clause (prove asks about each clause many times). */
const askedKinds = new WeakMap<Clause, readonly ConditionKind[]>();
export function kindsOf(clause: Clause): readonly ConditionKind[] {
  let kinds = askedKinds.get(clause);
  if (kinds === undefined) askedKinds.set(clause, (kinds = KINDS.filter((kind) => asks(clause, kind))));
  return kinds;
}

export function inForce(agreement: Agreement, question: ModelQuestion): boolean {
  return insideDays(question.at, agreement.inForce.from, agreement.inForce.until);
}

/** The conditions on what the request carries (references, joint team, emergency). */
export function requestConditionsMet(agreement: Agreement, clause: Clause, question: ModelQuestion): boolean {
  for (const kind of kindsOf(clause)) {
    const met = CONDITION_CHECKS[kind].request;
    if (met !== undefined && !met(agreement, clause, question)) return false;
  }
  return true;
}

/**
 * The conditions on the record itself: the owner's grant (it covers named records, so only the owner can
 * judge it, record by record), the operation of the joint team, the minimum source grade.
 */
export function recordConditionsMet(agreement: Agreement, clause: Clause, question: ModelQuestion): boolean {
  for (const kind of kindsOf(clause)) {
    const met = CONDITION_CHECKS[kind].record;
    if (met !== undefined && !met(agreement, clause, question)) return false;
  }
  return true;
}

/** Whether the question meets every part (request and record) of one kind a clause names. */
export function kindMet(
  agreement: Agreement,
  clause: Clause,
  kind: ConditionKind,
  question: ModelQuestion,
): boolean {
  const { request, record } = CONDITION_CHECKS[kind];
  return (
    (request === undefined || request(agreement, clause, question)) &&
    (record === undefined || record(agreement, clause, question))
  );
}
