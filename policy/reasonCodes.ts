/**
 * The closed set of reasons a decision gives. One reason per decision; for a withheld field it names the
 * furthest point any clause reached (see REASON_CODES order), so the reason says how close the request
 * came to a basis.
 */
export const REASON_CODES = {
  /** The requester's own country owns the record: domestic access is not this engine's business. */
  DOMESTIC: 'Own-country record: released.',
  /** A clause in force, with its conditions met and the owner's domestic gate allowing it, releases the field. */
  RELEASED: 'Released under the clause cited.',
  /** The best applicable clause gives only a match flag and the reference. */
  HIT_ONLY: 'Only a hit (match and reference) under the clause cited.',
  /** No purpose declared: nothing crosses a border (docs/domain.md#invariants 7). */
  PURPOSE_REQUIRED: 'No purpose declared: nothing crosses a border.',
  /** No clause of any agreement lets the owner\'s data go to the requester\'s country at all. */
  NO_AGREEMENT: "No agreement lets this country's data go to the requester's country.",
  /** Agreements exist for the pair, but none covers this data category. */
  CATEGORY_NOT_COVERED: 'No clause between the two countries covers this data category.',
  /** Clauses cover the category, but not for the declared purpose. */
  PURPOSE_NOT_COVERED: 'No clause covering this data category allows the declared purpose.',
  /** Clauses cover category and purpose, but none is in force at that time. */
  NOT_IN_FORCE: 'The clauses that could allow this are not in force at that time.',
  /** A clause in force covers category and purpose, but the request or the record does not meet its conditions. */
  CONDITION_UNMET: 'A clause could allow this, but its conditions are not met.',
  /** A clause allows it, but the owner\'s domestic release gate (the second key) does not. */
  DOMESTIC_GATE: "The agreement allows this, but the owner's domestic release gate does not.",
} as const;

export type ReasonCode = keyof typeof REASON_CODES;

export const REASON_CODE_LIST = Object.keys(REASON_CODES) as readonly ReasonCode[];
