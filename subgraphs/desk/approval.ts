import type { Grant, Policy } from '../../policy';
import { CATEGORIES, PURPOSES, type Category, type Purpose } from '../../vocabulary';

/** What a desk officer approves: a formal request's subjects and categories under clauses of one agreement. */
export interface ApprovalRequest {
  readonly id: string;
  readonly owner: string;
  readonly requesterCountry: string;
  /** The requesting analyst(s); the approver may not be one of them. */
  readonly analysts: readonly string[];
  readonly caseReference: string;
  readonly purpose: string;
  readonly agreement: string;
  readonly clauses: readonly string[];
  readonly subjects: readonly string[];
  readonly categories: readonly string[];
  readonly validFrom: number;
  readonly validDays: number;
  readonly evidentiaryUse: boolean;
  /** The desk officer(s) approving, as `country/officer`. */
  readonly approvers: readonly string[];
}

/**
 * Checks an approval against the agreements before it becomes a grant, and says every problem in words
 * (the desk CLI prints them and changes nothing). A grant never widens a clause, so the check refuses what
 * the engine would ignore anyway: categories no approved clause names, clauses that do not need a request
 * reference or do not let the owner's data go to the requester, and self-approval.
 */
export function checkApproval(
  policy: Policy,
  request: ApprovalRequest,
): { ok: true; grant: Omit<Grant, 'revokedAt'> } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const agreement = policy.set.agreements.find((a) => a.id === request.agreement);
  if (agreement === undefined) problems.push(`no agreement "${request.agreement}" in the agreement set`);
  if (!PURPOSES.includes(request.purpose as Purpose))
    problems.push(`"${request.purpose}" is not a purpose (one of: ${PURPOSES.join(', ')})`);
  if (request.subjects.length === 0) problems.push('name at least one subject record id');
  if (request.clauses.length === 0) problems.push('name at least one clause');
  if (request.analysts.length === 0) problems.push('name the requesting analyst');
  if (request.caseReference.trim() === '') problems.push('name the case the request was filed in');
  if (!(Number.isInteger(request.validDays) && request.validDays >= 1 && request.validDays <= 366))
    problems.push('the validity must be a whole number of days from 1 to 366');
  for (const subject of request.subjects) {
    if (!subject.startsWith(`${request.owner}-`))
      problems.push(`${subject} is not a record of ${request.owner}`);
  }
  // Nobody approves their own request: the same person by name, in the requesting country.
  for (const approver of request.approvers) {
    const [country, officer] = approver.split('/');
    if (country === request.requesterCountry && officer !== undefined && request.analysts.includes(officer))
      problems.push(`${officer} cannot approve their own request`);
    if (country !== request.owner) problems.push(`${approver} is not a desk officer of ${request.owner}`);
  }
  if (agreement !== undefined) {
    const named = new Set<string>();
    for (const clauseId of request.clauses) {
      const clause = agreement.clauses.find((c) => c.id === clauseId);
      if (clause === undefined) {
        problems.push(
          `${agreement.title} has no clause "${clauseId}" (its clauses: ${agreement.clauses.map((c) => c.id).join(', ')})`,
        );
        continue;
      }
      if (clause.conditions.requestReference !== true)
        problems.push(
          `${agreement.title} ${clause.citation} needs no formal request: a grant adds nothing to it`,
        );
      const { from, to } =
        clause.direction === 'both' ? { from: agreement.parties, to: agreement.parties } : clause.direction;
      if (!from.includes(request.owner) || !to.includes(request.requesterCountry))
        problems.push(
          `${agreement.title} ${clause.citation} does not let ${request.owner} data go to ${request.requesterCountry}`,
        );
      if (!clause.purposes.includes(request.purpose as Purpose))
        problems.push(`${agreement.title} ${clause.citation} does not cover the purpose ${request.purpose}`);
      for (const category of Object.keys(clause.categories)) named.add(category);
    }
    for (const category of request.categories) {
      if (!CATEGORIES.includes(category as Category)) problems.push(`"${category}" is not a data category`);
      else if (!named.has(category))
        problems.push(`${category} is not named by the clauses invoked: a grant never widens a clause`);
    }
  }
  if (request.categories.length === 0) problems.push('name at least one category');
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    grant: {
      id: request.id,
      owner: request.owner,
      requesterCountry: request.requesterCountry,
      analysts: [...request.analysts],
      caseReference: request.caseReference,
      purpose: request.purpose as Purpose,
      agreement: request.agreement,
      clauses: [...request.clauses],
      subjects: [...request.subjects],
      categories: request.categories as Category[],
      validFrom: request.validFrom,
      validUntil: request.validFrom + request.validDays * 86_400_000,
      evidentiaryUse: request.evidentiaryUse,
    },
  };
}
