/**
 * An engine question (DecisionInput) put to the reference model (legal/model), for tests that check what
 * the product did against an oracle that shares no code with policy/. Every fact the model takes as judged
 * is judged here, by the rules docs/domain.md#conditions states, written out again rather than imported:
 * a reference counts when present and not blank; the notice's colour is the word before its first colon;
 * a request reference counts only through a grant of that name the owner holds that covers this question.
 */
import type { DecisionInput, Grant } from '../../policy';
import type { ModelQuestion } from '../../legal/model';
import { META_REFERENCE } from '../../vocabulary';

const carried = (value: string | undefined): boolean => value !== undefined && value.trim() !== '';

/** Does the owner's grant cover this question: who asks, why, in which case, which record and category, when. */
function covers(grant: Grant, input: DecisionInput): boolean {
  const { requester, record, category, at } = input;
  return (
    grant.owner === input.owner &&
    grant.requesterCountry === requester.country &&
    grant.analysts.includes(requester.analyst) &&
    grant.purpose === requester.purpose &&
    grant.caseReference === requester.caseReference &&
    record?.id !== undefined &&
    grant.subjects.includes(record.id) &&
    (category === META_REFERENCE
      ? grant.categories.length > 0
      : (grant.categories as readonly string[]).includes(category)) &&
    grant.validFrom <= at &&
    at < grant.validUntil &&
    (grant.revokedAt === undefined || at < grant.revokedAt)
  );
}

export function modelQuestionOf(input: DecisionInput): ModelQuestion {
  const { requester, record } = input;
  const named =
    requester.requestReference === undefined ? undefined : input.grants?.get(requester.requestReference);
  const grant =
    named !== undefined && named.id === requester.requestReference && covers(named, input)
      ? named
      : undefined;
  const notice = requester.interpolNotice;
  return {
    owner: input.owner,
    requester: requester.country,
    analyst: requester.analyst,
    purpose: requester.purpose,
    category: input.category,
    at: input.at,
    caseReference: carried(requester.caseReference),
    requestReference: carried(requester.requestReference),
    grant:
      grant === undefined
        ? undefined
        : {
            id: grant.id,
            clauses: grant.clauses.map((clause) => `${grant.agreement}/${clause}`),
            evidentiaryUse: grant.evidentiaryUse,
          },
    warrantReference: carried(requester.warrantReference),
    interpolNotice: carried(notice),
    noticeColour:
      notice !== undefined && notice.includes(':') ? notice.split(':')[0]!.toLowerCase() : undefined,
    jointTeam: requester.jointTeam,
    emergency:
      requester.emergency === undefined
        ? undefined
        : {
            declaredAt: requester.emergency.declaredAt,
            justified: carried(requester.emergency.justification),
          },
    record:
      record === undefined
        ? undefined
        : { operations: record.operations ?? [], sourceGrade: record.sourceGrade },
  };
}
