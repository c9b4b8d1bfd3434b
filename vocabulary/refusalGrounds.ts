/**
 * The closed list of grounds on which an owner's desk may refuse a formal follow-up request. A refusal
 * names one code from here, so the requester, the audit log and the legal team all read the same reason,
 * and a desk cannot refuse "because" with free text alone (its note adds to the ground, never replaces it).
 *
 * The grounds follow the two instruments the alliance's request routes are modelled on: the grounds for
 * refusing an information request between law-enforcement authorities in Directive (EU) 2023/977 art. 6,
 * and the grounds for refusing mutual assistance in the Budapest Convention (ETS No. 185) art. 27(4);
 * plus one of Accord's own, for a request the agreement it invokes does not cover. The meanings are
 * short paraphrases for the desk officer, not the instruments' text.
 */
export interface RefusalGround {
  /** Stable code, lower-case words joined by dashes: what the API, the CLI and the records carry. */
  readonly code: string;
  /** Where the ground comes from. */
  readonly source: string;
  /** What it means, in one line. */
  readonly meaning: string;
}

export const REFUSAL_GROUNDS = [
  {
    code: 'not-available',
    source: 'Directive (EU) 2023/977 art. 6(1)(a)',
    meaning: 'the owner and its competent authorities do not hold the information asked for',
  },
  {
    code: 'request-incomplete',
    source: 'Directive (EU) 2023/977 art. 6(1)(b)',
    meaning:
      'the request lacks what a request must state (facts, purpose, link to the subjects, urgency grounds)',
  },
  {
    code: 'judicial-authorisation-refused',
    source: 'Directive (EU) 2023/977 art. 6(1)(c)',
    meaning: "the owner's law needs a judge's authorisation to release this, and it was refused",
  },
  {
    code: 'category-not-releasable',
    source: 'Directive (EU) 2023/977 art. 6(1)(d)',
    meaning: 'the personal data asked for is of a kind the owner may not exchange on this route',
  },
  {
    code: 'data-inaccurate',
    source: 'Directive (EU) 2023/977 art. 6(1)(e)',
    meaning: 'the data is known to be inaccurate, incomplete or out of date and cannot be sent as it is',
  },
  {
    code: 'national-security',
    source: 'Directive (EU) 2023/977 art. 6(1)(f)(i)',
    meaning: "releasing it would harm the owner's essential national security interests",
  },
  {
    code: 'ongoing-investigation',
    source: 'Directive (EU) 2023/977 art. 6(1)(f)(ii)',
    meaning: 'releasing it would jeopardise an ongoing criminal investigation of the owner',
  },
  {
    code: 'personal-safety',
    source: 'Directive (EU) 2023/977 art. 6(1)(f)(ii)',
    meaning: "releasing it would put a person's safety at risk",
  },
  {
    code: 'legal-person-interests',
    source: 'Directive (EU) 2023/977 art. 6(1)(f)(iii)',
    meaning:
      'releasing it would unduly harm the protected important interests of a company or other legal person',
  },
  {
    code: 'below-threshold',
    source: 'Directive (EU) 2023/977 art. 6(1)(g)(i)',
    meaning: "the offence carries one year's imprisonment or less under the owner's law",
  },
  {
    code: 'not-an-offence',
    source: 'Directive (EU) 2023/977 art. 6(1)(g)(ii)',
    meaning: "the conduct is not a criminal offence under the owner's law",
  },
  {
    code: 'third-party-consent-missing',
    source: 'Directive (EU) 2023/977 art. 6(1)(h)',
    meaning: 'the data came from another state or a third country, which has not consented to passing it on',
  },
  {
    code: 'disproportionate',
    source: 'Framework Decision 2006/960/JHA art. 10(1), which Directive (EU) 2023/977 replaced',
    meaning: 'the request is clearly disproportionate, or irrelevant, to the purpose it states',
  },
  {
    code: 'political-offence',
    source: 'Budapest Convention art. 27(4)(a)',
    meaning: 'the request concerns an offence the owner regards as political, or connected with one',
  },
  {
    code: 'essential-interests',
    source: 'Budapest Convention art. 27(4)(b)',
    meaning:
      "granting it would prejudice the owner's sovereignty, security, ordre public or other essential interests",
  },
  {
    code: 'not-covered-by-agreement',
    source: 'Accord',
    meaning: 'the agreement and clause the request invokes do not cover what it asks for',
  },
] as const satisfies readonly RefusalGround[];

export type RefusalGroundCode = (typeof REFUSAL_GROUNDS)[number]['code'];

export const REFUSAL_GROUND_CODES: readonly RefusalGroundCode[] = REFUSAL_GROUNDS.map(
  (ground) => ground.code,
);

const groundCodes: ReadonlySet<string> = new Set(REFUSAL_GROUND_CODES);

export function isRefusalGround(value: unknown): value is RefusalGroundCode {
  return typeof value === 'string' && groundCodes.has(value);
}

/** The ground a code names; undefined when the code is not on the list. */
export function refusalGround(code: string): RefusalGround | undefined {
  return REFUSAL_GROUNDS.find((ground) => ground.code === code);
}
