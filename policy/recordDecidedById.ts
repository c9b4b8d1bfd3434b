/**
 * Whether a record's decision for a category reads nothing of the record but its id. A decision reads
 * three facts of a record (evaluateClause.ts `failedCondition`): its id (the subjects of a grant), its
 * operations (a joint team's scope) and its source grade. When no clause that could apply to the request
 * and category has a minimum source grade or the joint team the request names, only the id is read, so the decision for
 * `{ id }` is the decision for the whole record: an owner can then check the records a search found
 * without loading them (subgraphs/kit/search/searchScope.ts).
 *
 * Answered from the cell decide() reads, before any condition is checked: it says what could be read,
 * never what a condition would conclude, so it is the same for every record.
 */
import type { PolicyIndex } from './policyIndex';
import type { DecisionInput } from './types';

export function recordDecidedById(index: PolicyIndex, input: Omit<DecisionInput, 'record'>): boolean {
  const requester = input.requester;
  // The same early answers as decide(): none of them reads the record.
  if (input.owner === requester.country || !requester.purpose) return true;
  const cells = index.pairs.get(input.owner)?.get(requester.country);
  const purposeAt = index.purposeIndex.get(requester.purpose);
  const categoryAt = index.categoryIndex.get(input.category);
  if (cells === undefined || purposeAt === undefined || categoryAt === undefined) return true;
  const candidates = cells[purposeAt * index.categoryCount + categoryAt]!.candidates;
  for (const { compiled } of candidates) {
    if (compiled.minimumGradeRank !== undefined) return false;
    // A joint team's clause fails on the team's id before its scope is read (failedCondition checks the
    // request before the record): it reads the operations only of a request naming that team.
    if (compiled.team !== undefined && requester.jointTeam === compiled.team.id) return false;
  }
  return true;
}
