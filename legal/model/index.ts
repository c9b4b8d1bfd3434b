/** The reference model of the decision (docs/domain.md#the-decision), for differential tests and the prover. */
export { modelCandidates, modelDecide, type ModelSet } from './decide';
export {
  CONDITION_CHECKS,
  inForce,
  kindMet,
  kindsOf,
  recordConditionsMet,
  requestConditionsMet,
  type ConditionKind,
} from './conditions';
export { gateOpens } from './gate';
export type { Covering } from './rank';
export { answerOf, describeAnswer, disagreement } from './compare';
export type { ModelAnswer, ModelEffect, ModelObligations, ModelQuestion, ModelReason } from './question';
export { MODEL_NOTICE_PURPOSES, colourOfNotice, colourServes } from './notices';
