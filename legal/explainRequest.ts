/**
 * Explain one question the way a legal reviewer asks it: a request context (who asks, why, carrying
 * what), the owner, a field of the supergraph (`KHSuspect.passportNumbers`) or a category, and a time.
 * The answer is the engine's own decision and its own evaluation of every clause (policy.explain: the
 * same checks as decide(), so they cannot disagree), plus what the reviewer needs around it: whether the
 * field's value reaches the analyst, the standing ("not covered" vs "forbidden"), the owner's domestic
 * gate verdict for each basis considered, the obligations that would travel, and the revision.
 *
 * The end-to-end suite compares this with what a live request gets: `delivered` is exactly what the
 * owner's subgraph rule lets through (subgraphs/kit/authorization/rules.ts: a release, or a hit on the
 * reference itself).
 */
import {
  gateVerdict,
  type ClauseEvaluation,
  type Decision,
  type GrantBook,
  type Obligations,
  type Policy,
  type RecordFacts,
  type RequestContext,
} from '../policy/core';
import { META_REFERENCE, type Category, type LegalBasisKind, type Purpose } from '../vocabulary';
import { explainGrant, type GrantExplanation, type GrantSource } from './explainGrant';
import { findField, type FieldCatalog, type FieldEntry } from './fields';
import { parseCategory, parseCountry, parsePurpose } from './inputs';
import { LegalInputError } from './LegalInputError';
import { standingOf, type Standing } from './standing';

export interface ExplainQuestion {
  readonly requester: RequestContext;
  /** The country that owns the record; implied by a concrete field coordinate. */
  readonly owner?: string;
  /** A field coordinate of the supergraph ("KHSuspect.passportNumbers"); needs `fields`. */
  readonly field?: string;
  /** A data category, when no field is given. */
  readonly category?: string;
  /** Epoch milliseconds. */
  readonly at: number;
  /**
   * True when the analyst's name is a stand-in the caller chose (no analyst was named): the explanation
   * says so, since a joint team's clause reads the name.
   */
  readonly analystStandIn?: boolean;
  /** The record's facts (operations, source grade), when known. */
  readonly record?: RecordFacts;
  /** Where the record's facts come from, when not given by hand (its owner's store, or why it was not read). */
  readonly recordSource?: string;
  /** The owner's grants (policy DecisionInput.grants): absent, explained as the gateway decides. */
  readonly grants?: GrantBook;
  /**
   * Where the owner's grants are read from, once the owner is known (its store in a data folder, or a
   * file): then the request reference is explained as the grant it names, and decided as the owner would.
   */
  readonly grantSource?: (owner: string) => GrantSource;
}

export interface ExplainOptions {
  readonly policy: Policy;
  /** The supergraph's record fields (legal/fieldCatalog.ts readFieldCatalog); needed for `field`. */
  readonly fields?: FieldCatalog;
}

/** The owner's domestic gate (second key) for one basis kind and the declared purpose. */
export interface GateCheck {
  readonly basis: LegalBasisKind;
  readonly allowed: boolean;
  /** The provisions that allow it, or the ones it lacks. */
  readonly citations: readonly string[];
  readonly text: string;
}

export interface GateExplanation {
  readonly owner: string;
  readonly title: string;
  readonly law: string;
  readonly checks: readonly GateCheck[];
}

export interface RequestExplanation {
  readonly question: {
    readonly requester: RequestContext;
    readonly owner: string;
    readonly category: Category;
    readonly at: number;
    /** True when no analyst was named and the one shown stands in for any analyst of the country. */
    readonly analystStandIn?: boolean;
    readonly record?: RecordFacts;
    readonly recordSource?: string;
    readonly field?: FieldEntry;
  };
  readonly decision: Decision;
  /** Whether the field's value reaches the analyst (else it is null, with the reason). */
  readonly delivered: boolean;
  readonly standing: Standing;
  /** Every clause of every agreement both countries are party to: applies, or the exact condition that failed. */
  readonly considered: readonly ClauseEvaluation[];
  /** The clause that determines the decision, as considered (absent when withheld). */
  readonly determining?: ClauseEvaluation;
  readonly obligations?: Obligations;
  /** The grant the request reference names, when the owner's grants were given: in force, and covering what. */
  readonly grant?: GrantExplanation;
  /** Absent when the owner has no domestic gate or owns the question (domestic). */
  readonly gate?: GateExplanation;
  /** The disclaimers of the agreements considered (ILLUSTRATIVE sample agreements say so). */
  readonly disclaimers: readonly string[];
  readonly revision: string;
}

export function explainRequest(options: ExplainOptions, question: ExplainQuestion): RequestExplanation {
  const { policy } = options;
  const set = policy.set;
  const country = parseCountry(question.requester.country, set, 'requester country');
  const purpose: Purpose | undefined =
    question.requester.purpose === undefined || question.requester.purpose === ('' as Purpose)
      ? undefined
      : parsePurpose(question.requester.purpose);
  if (!Number.isFinite(question.at))
    throw new LegalInputError(`the time asked about is not a valid instant (${String(question.at)})`);

  let field: FieldEntry | undefined;
  let category: Category;
  let owner = question.owner === undefined ? undefined : parseCountry(question.owner, set, 'owner country');
  if (question.field !== undefined && question.field !== '') {
    if (options.fields === undefined)
      throw new LegalInputError('a field was given, but no supergraph to find its category in');
    field = findField(options.fields, question.field.trim(), owner);
    owner = field.owner;
    category = parseCategory(field.category);
    if (question.category !== undefined && question.category !== '' && question.category !== category) {
      throw new LegalInputError(
        `${field.coordinate} is of category ${category}, not ${question.category}: give a field or a category, not both`,
      );
    }
  } else if (question.category !== undefined && question.category !== '') {
    category = parseCategory(question.category);
  } else {
    throw new LegalInputError(
      'give a field (e.g. KHSuspect.passportNumbers) or a data category (e.g. person.identity)',
    );
  }
  if (owner === undefined)
    throw new LegalInputError(
      'give the owner country (or a field of a national type, e.g. KHSuspect.fullName, which names it)',
    );

  const requester: RequestContext = {
    ...question.requester,
    country,
    ...(purpose !== undefined ? { purpose } : { purpose: undefined }),
  };
  const source =
    question.grants === undefined && question.grantSource !== undefined
      ? question.grantSource(owner)
      : undefined;
  // The owner's own grants only, by id: the engine reads the one the reference names, as the owner does.
  const grants: GrantBook | undefined =
    source === undefined
      ? question.grants
      : new Map(source.grants.filter((g) => g.owner === owner).map((g) => [g.id, g]));
  const grant =
    source === undefined
      ? undefined
      : explainGrant(
          policy,
          {
            requester,
            owner,
            category,
            at: question.at,
            ...(question.record !== undefined && { record: question.record }),
          },
          source,
        );
  const input = {
    requester,
    owner,
    category,
    at: question.at,
    ...(question.record !== undefined && { record: question.record }),
    ...(grants !== undefined && { grants }),
  };
  const { decision, considered } = policy.explain(input);
  const ref = decision.clauses[0];
  const determining =
    ref === undefined
      ? undefined
      : considered.find((item) => item.agreement === ref.agreement && item.clause === ref.clause);

  const gateOf = set.gates.find((gate) => gate.owner === owner);
  let gate: GateExplanation | undefined;
  if (gateOf !== undefined && owner !== country) {
    const bases = [
      ...new Set(considered.filter((item) => item.failed?.kind !== 'direction').map((item) => item.basis)),
    ];
    gate = {
      owner,
      title: gateOf.title,
      law: gateOf.law,
      checks:
        purpose === undefined
          ? []
          : bases.map((basis) => gateCheck(gateVerdict(gateOf, basis, purpose), basis, purpose)),
    };
  }
  const parties = new Set(considered.map((item) => item.agreement));
  const disclaimers = [
    ...new Set(
      [
        ...set.agreements.filter((agreement) => parties.has(agreement.id)),
        ...(gateOf !== undefined && gate !== undefined ? [gateOf] : []),
      ].flatMap((item) => (item.disclaimer !== undefined ? [item.disclaimer] : [])),
    ),
  ];

  return {
    question: {
      requester,
      owner,
      category,
      at: question.at,
      ...(question.analystStandIn === true && { analystStandIn: true }),
      ...(question.record !== undefined && { record: question.record }),
      ...(question.recordSource !== undefined && { recordSource: question.recordSource }),
      ...(field !== undefined && { field }),
    },
    decision,
    delivered:
      decision.effect === 'release' || (decision.effect === 'hit-only' && category === META_REFERENCE),
    standing: standingOf(decision),
    considered,
    ...(determining !== undefined && { determining }),
    ...(decision.obligations !== undefined && { obligations: decision.obligations }),
    ...(grant !== undefined && { grant }),
    ...(gate !== undefined && { gate }),
    disclaimers,
    revision: decision.revision,
  };
}

function gateCheck(
  verdict: ReturnType<typeof gateVerdict>,
  basis: LegalBasisKind,
  purpose: Purpose,
): GateCheck {
  if (verdict.allowed) {
    return {
      basis,
      allowed: true,
      citations: verdict.ref.citations,
      text: `allows a ${basis} transfer for ${purpose} (${verdict.ref.citations.join('; ')})`,
    };
  }
  // The gate's own verdict: whether any agreement allows it is the clauses' business, not the gate's.
  const lacking = verdict.failure.text.includes(' has no ground')
    ? `has no ground for it (${verdict.failure.citations.join('; ')})`
    : `requires ${verdict.failure.citations.join('; ')}, which does not allow it`;
  return {
    basis,
    allowed: false,
    citations: verdict.failure.citations,
    text: `does not allow a ${basis} transfer for ${purpose}: ${lacking}`,
  };
}
