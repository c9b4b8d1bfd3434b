/** The reference model of the decision (docs/domain.md#the-decision), for differential tests and the prover. */
export { modelDecide } from './decide';
export type { ModelAnswer, ModelEffect, ModelObligations, ModelQuestion, ModelReason } from './question';
