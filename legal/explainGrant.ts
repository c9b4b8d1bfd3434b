/**
 * What the grant a request names does for the question asked (issue 9 item 6): whether the owner holds
 * it, whether it is in force at the instant asked about (valid, not yet valid, expired, revoked), and
 * whether it covers the question — which of requester country, analyst, case, purpose, agreement and
 * clause, subject and category does not match. The checks are those the owner's engine makes before a
 * grant meets a clause's `requestReference` condition (docs/decisions/0014-grants-as-the-request-reference.md),
 * worded for a lawyer; the decision itself stays the engine's (explainRequest passes it the grant).
 */
import type { Agreement, Grant, Policy, RecordFacts, RequestContext } from '../policy/core';
import { META_REFERENCE, type Category } from '../vocabulary';
import { formatInstant } from './domain';

/** The grant's standing at the instant asked about; `out-of-scope` when in force but not for this question. */
export type GrantState = 'unknown' | 'revoked' | 'not-yet-valid' | 'expired' | 'out-of-scope' | 'valid';

export type GrantAspect =
  'requester country' | 'analyst' | 'case' | 'purpose' | 'agreement' | 'clause' | 'subject' | 'category';

export interface GrantMismatch {
  readonly aspect: GrantAspect;
  /** What the grant covers. */
  readonly granted: string;
  /** What the question has. */
  readonly asked: string;
}

export interface GrantExplanation {
  /** The request reference, as the request gave it. */
  readonly reference: string;
  /** Where the grants were read from (the owner's store in a data folder, or a file). */
  readonly source: string;
  readonly state: GrantState;
  /** Every aspect of the question the grant does not cover (also when it is not in force). */
  readonly mismatches: readonly GrantMismatch[];
  /** The subject is not known (no record id given): the owner decides it record by record. */
  readonly subjectOpen: boolean;
  readonly grant?: Grant;
  /** One paragraph for the reviewer. */
  readonly text: string;
}

/** Where an explanation finds the owner's grants. */
export interface GrantSource {
  /** "KH's grant store in data/", "grants.json". */
  readonly description: string;
  readonly grants: readonly Grant[];
}

export interface GrantQuestion {
  readonly requester: RequestContext;
  readonly owner: string;
  readonly category: Category;
  readonly at: number;
  readonly record?: RecordFacts;
}

export function explainGrant(
  policy: Policy,
  question: GrantQuestion,
  source: GrantSource,
): GrantExplanation | undefined {
  const reference = question.requester.requestReference;
  if (reference === undefined || reference === '') return undefined;
  // The owner's engine reads the one grant of that id the owner holds; a grant of another owner is none.
  const grant = source.grants.find((g) => g.id === reference && g.owner === question.owner);
  if (grant === undefined) {
    return {
      reference,
      source: source.description,
      state: 'unknown',
      mismatches: [],
      subjectOpen: false,
      text: `${question.owner} holds no grant "${reference}" (${source.description}): the reference opens nothing, exactly as no reference at all.`,
    };
  }
  const mismatches = mismatchesOf(policy, grant, question);
  const subject = question.record?.id;
  const subjectOpen = subject === undefined;
  const { at } = question;
  const state: GrantState =
    grant.revokedAt !== undefined && at >= grant.revokedAt
      ? 'revoked'
      : at < grant.validFrom
        ? 'not-yet-valid'
        : at >= grant.validUntil
          ? 'expired'
          : mismatches.length > 0
            ? 'out-of-scope'
            : 'valid';
  const window = `valid from ${formatInstant(grant.validFrom)} until ${formatInstant(grant.validUntil)}`;
  const why = mismatches.map(
    (m) => `${m.aspect}: the grant covers ${m.granted}, the question has ${m.asked}`,
  );
  const lead = {
    revoked: `Grant ${grant.id} was revoked at ${formatInstant(grant.revokedAt ?? at)}: it opens nothing from then on (it was ${window}).`,
    'not-yet-valid': `Grant ${grant.id} is not yet valid at the instant asked about (${window}): it opens nothing yet.`,
    expired: `Grant ${grant.id} has expired (${window}): it opens nothing any more.`,
    'out-of-scope': `Grant ${grant.id} is in force (${window}) but does not cover this question, so it opens nothing here.`,
    valid: `Grant ${grant.id} is in force (${window}) and covers this question${subject === undefined ? '' : ` for record ${subject}`}.`,
  }[state];
  const tail = [
    ...(why.length > 0 ? [`Does not match — ${why.join('; ')}.`] : []),
    ...(subjectOpen
      ? [
          `It covers the records ${grant.subjects.join(', ')} only: no record was given, so the owner decides record by record.`,
        ]
      : []),
  ];
  return {
    reference,
    source: source.description,
    state,
    mismatches,
    subjectOpen,
    grant,
    text: [lead, ...tail].join(' '),
  };
}

function mismatchesOf(policy: Policy, grant: Grant, question: GrantQuestion): GrantMismatch[] {
  const { requester, category, owner } = question;
  const out: GrantMismatch[] = [];
  const add = (aspect: GrantAspect, granted: string, asked: string | undefined) =>
    out.push({ aspect, granted, asked: asked ?? '(none given)' });
  if (grant.requesterCountry !== requester.country)
    add('requester country', grant.requesterCountry, requester.country);
  if (!grant.analysts.includes(requester.analyst))
    add('analyst', grant.analysts.join(', '), requester.analyst);
  if (grant.caseReference !== requester.caseReference)
    add('case', grant.caseReference, requester.caseReference);
  if (grant.purpose !== requester.purpose) add('purpose', grant.purpose, requester.purpose);
  const agreement: Agreement | undefined = policy.set.agreements.find((a) => a.id === grant.agreement);
  if (
    agreement === undefined ||
    !agreement.parties.includes(owner) ||
    !agreement.parties.includes(requester.country)
  ) {
    add('agreement', grant.agreement, `an agreement between ${requester.country} and ${owner}`);
  } else {
    // The clauses the grant is for that could give this category at all: a grant never widens its clause.
    const naming = agreement.clauses.filter(
      (clause) =>
        grant.clauses.includes(clause.id) &&
        clause.conditions.requestReference === true &&
        (category === META_REFERENCE || category in clause.categories),
    );
    if (naming.length === 0)
      add(
        'clause',
        grant.clauses.map((c) => `${grant.agreement}/${c}`).join(', '),
        `${category}, which none of them names (or none needs a formal request)`,
      );
  }
  if (question.record?.id !== undefined && !grant.subjects.includes(question.record.id))
    add('subject', grant.subjects.join(', '), question.record.id);
  // The record's reference goes with any category the grant gives.
  if (category !== META_REFERENCE && !(grant.categories as readonly string[]).includes(category))
    add('category', grant.categories.join(', '), category);
  return out;
}
