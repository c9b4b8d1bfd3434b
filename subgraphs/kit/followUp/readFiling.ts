import { GraphQLError } from 'graphql';
import { readFreeText, REFERENCE, type Policy, type RequestContext } from '../../../policy';
import { parseGlobalId, ERROR_CODES, accordError } from '../../../schema';
import { CATEGORIES, META_REFERENCE, PURPOSES, type Category, type Purpose } from '../../../vocabulary';
import {
  checkApproval,
  INTENDED_USES,
  URGENCIES,
  type FollowUpFiling,
  type IntendedUse,
  type Urgency,
} from '../../desk';
import { HIT_TOKEN_TTL_MS, verifyHitToken } from './hitTokens';

/** The mutation's input as GraphQL hands it over (enums already turned into the store's words). */
export interface FollowUpRequestInput {
  readonly authority: string;
  readonly caseReference: string;
  readonly offences: readonly string[];
  readonly facts: string;
  readonly subjects: readonly string[];
  readonly categories: readonly string[];
  readonly purpose: string;
  readonly agreement: string;
  readonly clauses: readonly string[];
  readonly urgency: string;
  readonly urgencyGrounds?: string | null;
  readonly intendedUse: string;
  readonly confidentiality: string;
  readonly hitTokens: readonly string[];
}

export const MAX_SUBJECTS = 20;
const MAX_OFFENCES = 10;
const MAX_HIT_TOKENS = 50;
/** A treaty's articles a request may stand on at once. */
const MAX_CLAUSES = 10;

/** Free text of the filing: what it is called in problems, how many letters it needs at least, how long it may be. */
const TEXTS = {
  authority: { what: 'authority', minLetters: 3, maxLength: 200 },
  offence: { what: 'each offence', minLetters: 3, maxLength: 200 },
  facts: { what: 'facts', minLetters: 20, maxLength: 4_000 },
  urgencyGrounds: { what: 'urgencyGrounds', minLetters: 10, maxLength: 1_000 },
  confidentiality: { what: 'confidentiality', minLetters: 2, maxLength: 500 },
} as const;

/** A rule for free text the requester writes: what it is called in problems, its least letters, its length. */
export interface WordsRule {
  readonly what: string;
  readonly minLetters: number;
  readonly maxLength: number;
}

/**
 * Free text read by the one definition (policy/freeText.ts), then held to a rule: enough letters to say
 * something, and not too long. The filing and the requester's answer to the desk read their texts so.
 */
export function readWords(
  value: string,
  rule: WordsRule,
): { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: string } {
  const read = readFreeText(value, rule.what);
  if (!read.ok) return read;
  const letters = read.text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < rule.minLetters)
    return {
      ok: false,
      problem: `${rule.what} must say something in words (at least ${rule.minLetters} letters; it has ${letters}).`,
    };
  if ([...read.text].length > rule.maxLength)
    return { ok: false, problem: `${rule.what} must be at most ${rule.maxLength} characters.` };
  return { ok: true, text: read.text };
}

/**
 * Reads a filing as the owner checks it before anything is kept. Every problem with the input itself is
 * said at once, in one BAD_USER_INPUT error (`extensions.problems`). The hit on each subject is checked
 * last, and only once the rest is sound: a subject without a valid hit token of this owner for this
 * requester gets NOT_FOUND in the same words as a record that does not exist (neither confirm nor deny).
 * Nothing here reads the owner's records: whether a subject exists never changes the answer.
 */
export function readFiling(
  input: FollowUpRequestInput,
  context: {
    readonly owner: string;
    readonly requester: RequestContext;
    readonly at: number;
    readonly policy: Policy;
    readonly hitKey?: Buffer;
  },
):
  | { readonly ok: true; readonly filing: FollowUpFiling }
  | { readonly ok: false; readonly error: GraphQLError } {
  const { owner, requester, at, policy } = context;
  const problems: string[] = [];
  const text = (value: string | null | undefined, rule: WordsRule): string => {
    const read = readWords(value ?? '', rule);
    if (read.ok) return read.text;
    problems.push(read.problem);
    return '';
  };

  const authority = text(input.authority, TEXTS.authority);
  const caseReference = input.caseReference.trim();
  if (!REFERENCE.test(caseReference))
    problems.push(
      "caseReference must be the case's reference: 2 to 64 letters, digits or . _ : / - (e.g. KR-CAS-000001).",
    );
  if (input.offences.length === 0 || input.offences.length > MAX_OFFENCES)
    problems.push(`offences must name from 1 to ${MAX_OFFENCES} offences.`);
  const offences = input.offences.slice(0, MAX_OFFENCES).map((offence) => text(offence, TEXTS.offence));
  const facts = text(input.facts, TEXTS.facts);

  const subjects = [...input.subjects];
  if (subjects.length === 0 || subjects.length > MAX_SUBJECTS)
    problems.push(`subjects must name from 1 to ${MAX_SUBJECTS} records of ${owner}.`);
  if (new Set(subjects).size !== subjects.length) problems.push('subjects names a record twice.');
  for (const subject of subjects.slice(0, MAX_SUBJECTS)) {
    // The id's form and owner only: whether such a record exists is not asked here.
    if (parseGlobalId(subject)?.owner !== owner)
      problems.push(
        `subjects: ${JSON.stringify(subject.slice(0, 64))} is not a record id of ${owner} (e.g. ${owner}-SUS-000001).`,
      );
  }

  const categories = [...input.categories];
  if (categories.length === 0) problems.push('categories must name at least one data category.');
  if (new Set(categories).size !== categories.length) problems.push('categories names a category twice.');
  for (const category of categories) {
    // The reference is what the hit already gave: a request is for what it withheld.
    if (!CATEGORIES.includes(category as Category) || category === META_REFERENCE) {
      problems.push(
        `categories: ${JSON.stringify(category.slice(0, 64))} is not a data category to request (one of: ${CATEGORIES.filter((c) => c !== META_REFERENCE).join(', ')}).`,
      );
    }
  }
  if (!PURPOSES.includes(input.purpose as Purpose))
    problems.push(`purpose must be one of: ${PURPOSES.join(', ')}.`);
  // The clauses' ids are checked against the agreement with the route, below.
  if (input.clauses.length === 0 || input.clauses.length > MAX_CLAUSES)
    problems.push(`clauses must name from 1 to ${MAX_CLAUSES} clauses of the agreement invoked.`);
  if (new Set(input.clauses).size !== input.clauses.length) problems.push('clauses names a clause twice.');

  const urgency = input.urgency as Urgency;
  if (!URGENCIES.includes(urgency)) problems.push(`urgency must be one of: ${URGENCIES.join(', ')}.`);
  const grounds = input.urgencyGrounds ?? undefined;
  let urgencyGrounds: string | undefined;
  if (urgency !== 'normal' || (grounds !== undefined && grounds !== '')) {
    if (grounds === undefined || grounds === '')
      problems.push(
        'urgencyGrounds must say why the request is urgent (required unless the urgency is NORMAL).',
      );
    else urgencyGrounds = text(grounds, TEXTS.urgencyGrounds);
  }
  const intendedUse = input.intendedUse as IntendedUse;
  if (!INTENDED_USES.includes(intendedUse))
    problems.push(`intendedUse must be one of: ${INTENDED_USES.join(', ')}.`);
  const confidentiality = text(input.confidentiality, TEXTS.confidentiality);
  if (input.hitTokens.length > MAX_HIT_TOKENS)
    problems.push(`hitTokens may hold at most ${MAX_HIT_TOKENS} tokens.`);

  // The route: a clause of an agreement in force that lets this owner's data go to the requester for the
  // purpose, names the categories, and needs a formal request (the desk's own check, subgraphs/desk/approval.ts).
  const agreement = policy.set.agreements.find((a) => a.id === input.agreement);
  if (agreement === undefined)
    problems.push(
      `agreement: no agreement ${JSON.stringify(input.agreement.slice(0, 64))} in the agreement set.`,
    );
  else {
    const day = new Date(at).toISOString().slice(0, 10);
    if (
      day < agreement.inForce.from ||
      (agreement.inForce.until !== undefined && day > agreement.inForce.until)
    )
      problems.push(`${agreement.title} is not in force on ${day}.`);
    if (!agreement.parties.includes(requester.country) || !agreement.parties.includes(owner))
      problems.push(`${requester.country} and ${owner} are not both parties to ${agreement.title}.`);
  }
  if (problems.length === 0) {
    const route = checkApproval(policy, {
      id: `${owner}-FUR-filing`,
      owner,
      requesterCountry: requester.country,
      analysts: [requester.analyst],
      caseReference,
      purpose: input.purpose,
      agreement: input.agreement,
      clauses: input.clauses,
      subjects,
      categories,
      validFrom: at,
      validDays: 1,
      evidentiaryUse: intendedUse === 'evidence',
      approvers: [],
    });
    if (!route.ok) problems.push(...route.problems.map((problem) => `${problem}.`));
  }
  if (problems.length > 0) {
    return {
      ok: false,
      error: accordError(
        ERROR_CODES.BAD_USER_INPUT,
        `The follow-up request was not filed: ${problems.join(' ')}`,
        { problems },
      ),
    };
  }

  // Last, the hits: a subject is proven by a token this owner signed for this requester country.
  const proven = new Set<string>();
  if (context.hitKey) {
    for (const token of input.hitTokens) {
      const record = verifyHitToken(token, context.hitKey, {
        owner,
        requesterCountry: requester.country,
        analyst: requester.analyst,
        at,
      });
      if (record !== undefined) proven.add(record);
    }
  }
  const unproven = subjects.filter((subject) => !proven.has(subject));
  if (unproven.length > 0) return { ok: false, error: noSuchRecords(unproven, requester.country) };

  return {
    ok: true,
    filing: {
      owner,
      requesterCountry: requester.country,
      analyst: requester.analyst,
      authority,
      caseReference,
      offences,
      facts,
      subjects,
      categories,
      purpose: input.purpose,
      agreement: input.agreement,
      clauses: input.clauses,
      urgency,
      ...(urgencyGrounds !== undefined && { urgencyGrounds }),
      intendedUse,
      confidentiality,
    },
  };
}

/**
 * The same words whether the records do not exist or the requester holds no hit on them: a filing is no
 * way to learn which records an owner has.
 */
function noSuchRecords(subjects: readonly string[], requesterCountry: string): GraphQLError {
  return accordError(
    ERROR_CODES.NOT_FOUND,
    `The follow-up request was not filed: no record answers ${subjects.join(', ')} for ${requesterCountry}: it does not exist, or you hold no hit on it (the hit token from your own answer's extensions.accord.hits, valid ${HIT_TOKEN_TTL_MS / 3_600_000} hours).`,
    { subjects: [...subjects] },
  );
}
