/** The reference model of the decision (docs/domain.md#the-decision), for differential tests and the prover. */
export { modelDecide, type ModelSet } from './decide';
export { answerOf, describeAnswer, disagreement } from './compare';
export type { ModelAnswer, ModelEffect, ModelObligations, ModelQuestion, ModelReason } from './question';
export { MODEL_NOTICE_PURPOSES, colourOfNotice, colourServes } from './notices';
