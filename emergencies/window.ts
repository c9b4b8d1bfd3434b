import type { AgreementSet, Clause } from '../policy';

/** The window when no clause of the set names one: the EMERGENCY kind's bound (policy/kindBounds.ts). */
export const DEFAULT_WINDOW_HOURS = 24;
/** The review deadline when no emergency clause names one (the alliance arrangement's 72 h). */
export const DEFAULT_REVIEW_HOURS = 72;

/**
 * How long a registration lasts: the longest `conditions.emergency.maxDurationHours` of the set. A
 * registration is one fact (this emergency, from this instant); each clause still releases only within its
 * own maximum from `registeredAt` (policy/evaluateClause.ts), so the longest is the registration's end.
 */
export function registrationWindowHours(set: AgreementSet): number {
  const hours = emergencyClauses(set).map((clause) => clause.conditions.emergency!.maxDurationHours);
  return hours.length > 0 ? Math.max(...hours) : DEFAULT_WINDOW_HOURS;
}

/** When the review of a registration is due: the shortest `reviewWithinHours` of the emergency clauses. */
export function registrationReviewHours(set: AgreementSet): number {
  const hours = emergencyClauses(set)
    .map((clause) => clause.obligations.reviewWithinHours)
    .filter((h): h is number => h !== undefined);
  return hours.length > 0 ? Math.min(...hours) : DEFAULT_REVIEW_HOURS;
}

function emergencyClauses(set: AgreementSet): Clause[] {
  return set.agreements.flatMap((agreement) =>
    agreement.clauses.filter((clause) => clause.conditions.emergency !== undefined),
  );
}
