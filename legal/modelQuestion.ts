/**
 * An engine question (DecisionInput) as the facts the reference model reads (legal/model/question.ts),
 * each judged here by the rule docs/domain.md#conditions states, not by the engine's code: a reference
 * counts when present and not blank; a request reference's grant when the owner holds one by that name
 * that covers the question (legal/grantShortfall.ts); an emergency's justification by the prover's own
 * reading (legal/invariants.ts); a notice's colour by the model's own reading (legal/model/notices.ts: the
 * word before its first colon, in any case).
 *
 * The one translation: prove (legal/prove.ts) and the tests that check what the product did against the
 * model (test/legal/explain.test.ts, test/e2e/authorizationSuite.ts, test/e2e/auditTrailSuite.ts) all use
 * it. What those checks need is independence from the engine (policy/), with which this shares nothing
 * beyond the plain data types; a second copy for the tests added no independence, only a translation that
 * drifted (it dropped the emergency's registration and judged a justification by trimming alone).
 */
import type { DecisionInput } from '../policy/core';
import { grantShortfall } from './grantShortfall';
import { justified } from './invariants';
import { colourOfNotice, type ModelQuestion } from './model';

const present = (value: string | undefined): boolean => value !== undefined && value.trim() !== '';

/** Each justification text judged once: prove asks with the same few texts hundreds of thousands of times. */
const judged = new Map<string, boolean>();
function isJustified(text: string): boolean {
  let verdict = judged.get(text);
  if (verdict === undefined) {
    // Bounded: a caller that asks with ever new texts keeps the last thousand at most.
    if (judged.size >= 1000) judged.clear();
    judged.set(text, (verdict = justified(text)));
  }
  return verdict;
}

export function modelQuestionOf(input: DecisionInput): ModelQuestion {
  const { requester, record } = input;
  const reference = requester.requestReference;
  const grant = reference === undefined ? undefined : input.grants?.get(reference);
  const covering = grant !== undefined && grantShortfall(grant, input) === undefined ? grant : undefined;
  const notice = requester.interpolNotice;
  const emergency = requester.emergency;
  return {
    owner: input.owner,
    requester: requester.country,
    analyst: requester.analyst,
    purpose: requester.purpose,
    category: input.category,
    at: input.at,
    caseReference: present(requester.caseReference),
    requestReference: present(reference),
    grant:
      covering === undefined
        ? undefined
        : {
            id: covering.id,
            clauses: covering.clauses.map((clause) => `${covering.agreement}/${clause}`),
            evidentiaryUse: covering.evidentiaryUse,
          },
    warrantReference: present(requester.warrantReference),
    interpolNotice: present(notice),
    noticeColour: notice === undefined ? undefined : colourOfNotice(notice),
    jointTeam: requester.jointTeam,
    emergency:
      emergency === undefined
        ? undefined
        : {
            declaredAt: emergency.declaredAt,
            justified: isJustified(emergency.justification),
            ...(emergency.id !== undefined && { registration: emergency.id }),
          },
    record:
      record === undefined
        ? undefined
        : { operations: record.operations ?? [], sourceGrade: record.sourceGrade },
  };
}
