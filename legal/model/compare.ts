/**
 * The one comparison of an engine decision with the reference model's answer, shared by the differential
 * test (test/legal/model.test.ts) and the prover (legal/prove.ts), so that both hold the engine to the same
 * things: effect, reason, determining clause, obligations (every key, the grant and emergency cited with
 * them included), and the grant and emergency registration the decision relies on. What the engine adds
 * for people (routes, the gate's citations, recordDependent, the revision) is not part of the decision the
 * model makes, and is not compared.
 */
import type { Decision } from '../../policy/core';
import type { ModelAnswer } from './question';

/** The engine's decision in the model's terms. */
export function answerOf(decision: Decision): ModelAnswer {
  // A decision that names nothing but its effect and reason (every withheld one) is built afresh by the
  // engine each time: its answer is the one of its effect and reason, and remembering each decision would
  // cost more than it saves.
  if (
    decision.clauses.length === 0 &&
    decision.obligations === undefined &&
    decision.grant === undefined &&
    decision.emergency === undefined
  )
    return plainAnswerOf(decision.effect, decision.reason);
  // Decisions are frozen and mostly shared (the engine prebuilds them): each is translated once.
  let answer = answers.get(decision);
  if (answer === undefined) {
    const ref = decision.clauses[0];
    answer = {
      effect: decision.effect,
      reason: decision.reason,
      ...(ref !== undefined && { clause: `${ref.agreement}/${ref.clause}` }),
      ...(decision.obligations !== undefined && { obligations: { ...decision.obligations } }),
      ...(decision.grant !== undefined && { grant: decision.grant }),
      ...(decision.emergency !== undefined && { emergency: decision.emergency }),
    };
    answers.set(decision, answer);
  }
  return answer;
}

const answers = new WeakMap<Decision, ModelAnswer>();

/** `{ effect, reason }`, one object per pair (answers are only read). */
const plainAnswers = new Map<string, Map<string, ModelAnswer>>();
function plainAnswerOf(effect: Decision['effect'], reason: Decision['reason']): ModelAnswer {
  let byReason = plainAnswers.get(effect);
  if (byReason === undefined) plainAnswers.set(effect, (byReason = new Map<string, ModelAnswer>()));
  let answer = byReason.get(reason);
  if (answer === undefined) byReason.set(reason, (answer = { effect, reason }));
  return answer;
}

/** One line for an answer: `release (RELEASED) under a/c, obligations {…}`. */
export function describeAnswer(answer: ModelAnswer): string {
  const { effect, reason, clause, ...rest } = answer;
  const extra = Object.keys(rest).length === 0 ? '' : ` ${JSON.stringify(rest)}`;
  return `${effect} (${reason})${clause === undefined ? '' : ` under ${clause}`}${extra}`;
}

/**
 * Where the engine's answer differs from the model's, in words (the first aspect that differs, in the
 * order a lawyer reads them); undefined when they agree on everything compared.
 */
export function disagreement(engine: ModelAnswer, model: ModelAnswer): string | undefined {
  const aspects: readonly [string, unknown, unknown][] = [
    ['effect', engine.effect, model.effect],
    ['reason', engine.reason, model.reason],
    ['determining clause', engine.clause ?? 'none', model.clause ?? 'none'],
    ['grant relied on', engine.grant ?? 'none', model.grant ?? 'none'],
    ['emergency relied on', engine.emergency ?? 'none', model.emergency ?? 'none'],
  ];
  for (const [aspect, got, expected] of aspects)
    if (got !== expected) return `${aspect}: the engine says ${String(got)}, the model ${String(expected)}`;
  if ((engine.obligations === undefined) !== (model.obligations === undefined))
    return `obligations: the engine gives ${engine.obligations === undefined ? 'none' : 'some'}, the model ${model.obligations === undefined ? 'none' : 'some'}`;
  // Every key either side has (an absent key and one set to undefined are the same), without allocating:
  // prove compares over a million answers.
  const got = (engine.obligations ?? {}) as Readonly<Record<string, unknown>>;
  const expected = (model.obligations ?? {}) as Readonly<Record<string, unknown>>;
  for (const key in got)
    if (got[key] !== expected[key]) return obligationDiffers(key, got[key], expected[key]);
  for (const key in expected)
    if (got[key] !== expected[key]) return obligationDiffers(key, got[key], expected[key]);
  return undefined;
}

function obligationDiffers(key: string, got: unknown, expected: unknown): string {
  return `obligations.${key}: the engine says ${String(got)}, the model ${String(expected)}`;
}
