/**
 * A decision's standing in a lawyer's words. The engine's reason codes say how far a request got; a legal
 * reviewer first wants to know which of these it is: released, only a hit, *not covered* (no agreement
 * speaks to it: a gap a new instrument could fill), *forbidden* (an agreement allows it but the owner's
 * domestic law does not), not in force, or covered but with conditions the request did not meet.
 */
import type { Decision, ReasonCode } from '../policy/core';
import { assertNever } from '../vocabulary';

export type Standing =
  | 'domestic'
  | 'released'
  | 'hit-only'
  | 'not-covered'
  | 'forbidden'
  | 'not-in-force'
  | 'conditions-unmet'
  | 'no-purpose';

export const STANDING_LABELS: Readonly<Record<Standing, string>> = {
  domestic: 'own country',
  released: 'released',
  'hit-only': 'hit only',
  'not-covered': 'not covered',
  forbidden: 'forbidden by domestic law',
  'not-in-force': 'not in force',
  'conditions-unmet': 'conditions not met',
  'no-purpose': 'no purpose declared',
};

const BY_REASON: Readonly<Record<ReasonCode, Standing>> = {
  DOMESTIC: 'domestic',
  RELEASED: 'released',
  HIT_ONLY: 'hit-only',
  PURPOSE_REQUIRED: 'no-purpose',
  NO_AGREEMENT: 'not-covered',
  CATEGORY_NOT_COVERED: 'not-covered',
  PURPOSE_NOT_COVERED: 'not-covered',
  NOT_IN_FORCE: 'not-in-force',
  CONDITION_UNMET: 'conditions-unmet',
  DOMESTIC_GATE: 'forbidden',
};

export function standingOf(decision: Pick<Decision, 'reason'>): Standing {
  return BY_REASON[decision.reason];
}

/** How far a withheld request got (policy/README.md rule 7), for picking the most telling of several. */
export function reasonStage(reason: ReasonCode): number {
  switch (reason) {
    case 'NOT_IN_FORCE':
      return 1;
    case 'CONDITION_UNMET':
      return 2;
    case 'DOMESTIC_GATE':
      return 3;
    // Released, or refused before any clause applied: no stage reached.
    case 'DOMESTIC':
    case 'RELEASED':
    case 'HIT_ONLY':
    case 'PURPOSE_REQUIRED':
    case 'NO_AGREEMENT':
    case 'CATEGORY_NOT_COVERED':
    case 'PURPOSE_NOT_COVERED':
      return 0;
    default:
      // A new reason must say how far a request that gets it went.
      return assertNever(reason, 'reason code');
  }
}

/** Effects in order of how much they give. */
export const EFFECT_RANK = { withhold: 0, 'hit-only': 1, release: 2 } as const;
