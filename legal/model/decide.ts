/**
 * The reference model of the decision: docs/domain.md#the-decision written as plainly as possible, for
 * testing the engine against (test/legal/model.test.ts) and for nothing else. It shares no code with
 * policy/: only the agreement set's plain data and the vocabulary. It favours being obviously right over
 * being fast: every question walks every clause of the set.
 */
import type { AgreementSet } from '../../policy/core';
import { META_REFERENCE } from '../../vocabulary';
import { inForce, recordConditionsMet, requestConditionsMet } from './conditions';
import { gateOpens } from './gate';
import type { ModelAnswer, ModelQuestion, ModelReason } from './question';
import { ranked, type Covering } from './rank';

export function modelDecide(set: AgreementSet, question: ModelQuestion): ModelAnswer {
  if (question.owner === question.requester) return { effect: 'release', reason: 'DOMESTIC' };
  const purpose = question.purpose;
  if (purpose === undefined) return { effect: 'withhold', reason: 'PURPOSE_REQUIRED' };

  // Clauses under which the owner's data may go to the requester's country.
  const flowing = set.agreements.flatMap((agreement) =>
    agreement.clauses
      .filter((clause) => {
        const senders = clause.direction === 'both' ? agreement.parties : clause.direction.from;
        const receivers = clause.direction === 'both' ? agreement.parties : clause.direction.to;
        return senders.includes(question.owner) && receivers.includes(question.requester);
      })
      .map((clause) => ({ agreement, clause })),
  );
  if (flowing.length === 0) return { effect: 'withhold', reason: 'NO_AGREEMENT' };

  // The reference goes wherever any clause of the pair goes; every other category only where listed.
  const covering: Covering[] = [];
  for (const { agreement, clause } of flowing) {
    const mode = question.category === META_REFERENCE ? 'release' : clause.categories[question.category];
    if (mode !== undefined) covering.push({ agreement, clause, mode });
  }
  if (covering.length === 0) return { effect: 'withhold', reason: 'CATEGORY_NOT_COVERED' };
  const forPurpose = covering.filter(({ clause }) => clause.purposes.includes(purpose));
  if (forPurpose.length === 0) return { effect: 'withhold', reason: 'PURPOSE_NOT_COVERED' };

  const gate = set.gates.find((item) => item.owner === question.owner);
  let furthest = 0;
  for (const { agreement, clause, mode } of ranked(forPurpose)) {
    const requestMet = inForce(agreement, question) && requestConditionsMet(clause, question);
    const gateMet = gateOpens(gate, clause.basis, purpose);
    if (requestMet && gateMet && recordConditionsMet(agreement, clause, question)) {
      // Under a grant, the release cites it; an approval without evidentiary use narrows it to forbidden.
      const grant = clause.conditions.requestReference === true ? question.grant : undefined;
      return {
        effect: mode,
        reason: mode === 'release' ? 'RELEASED' : 'HIT_ONLY',
        clause: `${agreement.id}/${clause.id}`,
        obligations: {
          ...clause.obligations,
          ...(grant !== undefined && {
            grant: grant.id,
            ...(!grant.evidentiaryUse && { evidentiaryUse: 'forbidden' as const }),
          }),
        },
        ...(grant !== undefined && { grant: grant.id }),
      };
    }
    const got = !inForce(agreement, question) ? 0 : !requestMet ? 1 : !gateMet ? 2 : 1;
    furthest = Math.max(furthest, got);
  }
  const reasons: readonly ModelReason[] = ['NOT_IN_FORCE', 'CONDITION_UNMET', 'DOMESTIC_GATE'];
  return { effect: 'withhold', reason: reasons[furthest]! };
}
