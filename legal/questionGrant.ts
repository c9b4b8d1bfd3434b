/**
 * The owner's grant a question's request reference names, made for exactly that question (requester
 * country and analyst, case, purpose, record, category, moment) under clauses of one agreement, then
 * spoiled in the one respect its flaw names (or moved to an edge of its validity that must still cover
 * the question: `from-now`). Plain data built from the question and the set's clause ids,
 * never from the engine: the matrix, lint and diff put a valid grant into their questions
 * (legal/domain.ts), `prove` every flaw (legal/proveQuestions.ts), so that an engine that takes a reference
 * at its word, or a grant short of the question, is caught.
 */
import type { Grant, RequestContext } from '../policy/core';
import { CATEGORIES, META_REFERENCE, PURPOSES, type Category } from '../vocabulary';

const DAY = 86_400_000;

/**
 * How a grant can fall short of a question: each is one respect the owner's engine must check. Two are
 * no flaw but an edge the grant must still be valid at: `none` (valid since the day before, until the day
 * after) and `from-now` (valid from the very instant asked about: `validFrom` counts). `early` starts a
 * millisecond after that instant and `expired` ends exactly at it (`validUntil` does not count).
 */
export const GRANT_FLAWS = [
  'none',
  'from-now',
  'subject',
  'category',
  'no-categories',
  'case',
  'purpose',
  'country',
  'analyst',
  'clause',
  'early',
  'expired',
  'revoked',
  'no-evidence',
] as const;
export type GrantFlaw = (typeof GRANT_FLAWS)[number];

/** The record a question's grant is about: grants cover named records, so such a question names one. */
export function subjectOf(owner: string): string {
  return `${owner}-SUS-000001`;
}

export interface GrantedQuestion {
  readonly owner: string;
  readonly requester: RequestContext;
  readonly category: Category;
  readonly at: number;
}

/** The agreement of the first `agreement/clause` key and the clause ids of those keys that name it. */
function splitKeys(clauses: readonly string[]): {
  readonly agreement: string;
  readonly ids: readonly string[];
} {
  const agreement = clauses[0]!.split('/')[0]!;
  const ids = clauses
    .filter((key) => key.startsWith(`${agreement}/`))
    .map((key) => key.slice(agreement.length + 1));
  return { agreement, ids };
}

/**
 * splitKeys per list of keys: prove makes hundreds of thousands of grants from the same few keys (the ids
 * are shared by those grants: a grant's lists are read-only). Bounded: a caller with ever new keys keeps
 * the last thousand lists at most.
 */
const splitLists = new Map<string, ReturnType<typeof splitKeys>>();
function clauseIdsOf(clauses: readonly string[]): ReturnType<typeof splitKeys> {
  const key = clauses.length === 1 ? clauses[0]! : clauses.join('\n');
  let split = splitLists.get(key);
  if (split === undefined) {
    if (splitLists.size >= 1000) splitLists.clear();
    splitLists.set(key, (split = splitKeys(clauses)));
  }
  return split;
}

/** `clauses` are `agreement/clause` keys of one agreement (the first key's; others are ignored). */
export function grantFor(question: GrantedQuestion, clauses: readonly string[], flaw: GrantFlaw): Grant {
  const { owner, requester, category, at } = question;
  const { agreement, ids } = clauseIdsOf(clauses);
  const otherCategory = CATEGORIES.find((item) => item !== category && item !== META_REFERENCE)!;
  return {
    id: requester.requestReference ?? 'REQUEST-1',
    owner,
    requesterCountry: flaw === 'country' ? `${requester.country}X` : requester.country,
    analysts: [flaw === 'analyst' ? `${requester.analyst}.other` : requester.analyst],
    caseReference:
      flaw === 'case' ? 'OTHER-CASE-0001' : (requester.caseReference ?? `${requester.country}-CASE-0001`),
    purpose:
      flaw === 'purpose'
        ? PURPOSES.find((purpose) => purpose !== requester.purpose)!
        : (requester.purpose ?? PURPOSES[0]),
    agreement,
    clauses: flaw === 'clause' ? ids.map((id) => `${id}-other`) : ids,
    subjects: [flaw === 'subject' ? `${owner}-SUS-000002` : subjectOf(owner)],
    // The reference of a record goes with whatever category the grant gives; a grant that gives none
    // gives not even the reference.
    categories:
      flaw === 'no-categories'
        ? []
        : [flaw === 'category' || category === META_REFERENCE ? otherCategory : category],
    validFrom: flaw === 'early' ? at + 1 : flaw === 'from-now' ? at : at - DAY,
    validUntil: flaw === 'expired' ? at : at + DAY,
    ...(flaw === 'revoked' && { revokedAt: at }),
    evidentiaryUse: flaw !== 'no-evidence',
  };
}

export const FLAW_WORDS: Readonly<Record<GrantFlaw, string>> = {
  none: 'approved by the owner (a grant)',
  'from-now': 'approved by the owner, valid from that very instant',
  subject: 'for another record',
  category: 'for another category',
  'no-categories': 'for no category at all',
  case: 'for another case',
  purpose: 'for another purpose',
  country: 'for another country',
  analyst: 'for another analyst',
  clause: 'under another clause',
  early: 'not yet valid',
  expired: 'expired at that very instant',
  revoked: 'revoked',
  'no-evidence': 'approved without evidentiary use',
};
