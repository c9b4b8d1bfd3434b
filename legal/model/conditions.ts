/**
 * Does a clause apply to a question, and if not, how far did it get? The conditions of
 * docs/domain.md#conditions, each a plain yes/no on the question's facts. How far a clause got gives the
 * reason of a withheld field: not in force (0), a condition of the request or the record unmet (1), every
 * request condition met but the owner's gate closed (2).
 */
import type { Agreement, Clause } from '../../policy/core';
import { insideDays } from './days';
import { colourServes } from './notices';
import type { ModelQuestion } from './question';

const HOUR = 60 * 60 * 1000;
/** Source grades, best first; only the first letter of a record's grade counts ("B2" is B). */
const GRADES = ['A', 'B', 'C', 'X'];

export function inForce(agreement: Agreement, question: ModelQuestion): boolean {
  return insideDays(question.at, agreement.inForce.from, agreement.inForce.until);
}

/** The conditions on what the request carries (references, joint team, emergency). */
export function requestConditionsMet(clause: Clause, question: ModelQuestion): boolean {
  const needs = clause.conditions;
  if (needs.caseReference === true && !question.caseReference) return false;
  if (needs.requestReference === true && !question.requestReference) return false;
  if (needs.warrantReference === true && !question.warrantReference) return false;
  if (needs.interpolNotice === true && !question.interpolNotice) return false;
  // A clause naming colours takes only a notice of one of them, and only for a purpose that colour serves
  // (docs/domain.md#interpol-notices: a Red notice seeks an arrest, not a rescue; the model's own table).
  if (
    needs.interpolNotice === true &&
    needs.noticeColours !== undefined &&
    !needs.noticeColours.some(
      (colour) =>
        colour === question.noticeColour &&
        question.purpose !== undefined &&
        colourServes(colour, question.purpose),
    )
  )
    return false;
  const team = needs.jointTeam;
  if (team !== undefined) {
    if (question.jointTeam !== team.id) return false;
    if (!(team.members[question.requester] ?? []).includes(question.analyst)) return false;
    if (!insideDays(question.at, team.validFrom, team.validUntil)) return false;
  }
  const emergency = needs.emergency;
  if (emergency !== undefined) {
    const declared = question.emergency;
    if (declared === undefined || !declared.justified) return false;
    // Running: declared at or before the moment, and not yet expired at it.
    if (question.at < declared.declaredAt) return false;
    if (question.at >= declared.declaredAt + emergency.maxDurationHours * HOUR) return false;
  }
  return true;
}

/**
 * The conditions on the record itself: the owner's grant (it covers named records, so only the owner can
 * judge it, record by record), the operation of the joint team, the minimum source grade.
 */
export function recordConditionsMet(agreement: Agreement, clause: Clause, question: ModelQuestion): boolean {
  if (
    clause.conditions.requestReference === true &&
    !(question.grant?.clauses ?? []).includes(`${agreement.id}/${clause.id}`)
  )
    return false;
  const team = clause.conditions.jointTeam;
  if (team !== undefined && !(question.record?.operations ?? []).includes(team.operation)) return false;
  const minimum = clause.conditions.minimumSourceGrade;
  if (minimum !== undefined) {
    const grade = question.record?.sourceGrade;
    const rank = grade === undefined ? -1 : GRADES.indexOf(grade.slice(0, 1));
    if (rank < 0 || rank > GRADES.indexOf(minimum)) return false;
  }
  return true;
}
