/**
 * The types of the policy engine: the agreement set as loaded from agreements/ (what legal teams write),
 * and what the engine answers (decisions, routes, explanations). Source of the model: docs/domain.md
 * ("Kinds of legal basis", "Outcomes, conditions, obligations").
 */
import type { Category, LegalBasisKind, NoticeColour, Purpose } from '../vocabulary';
import type { ReasonCode } from './reasonCodes';
import type { SourceGrade } from './sourceGrades';

// ---------------------------------------------------------------------------------------------------
// The agreement set (agreements/*.yaml, validated by agreements/*.schema.json)
// ---------------------------------------------------------------------------------------------------

/** What a clause gives for a category: the data itself, or only a match flag and the reference. */
export type CategoryMode = 'release' | 'hit-only';

/** Europol-style handling codes (docs/domain.md#obligations). */
export type HandlingCode = 'H0' | 'H1' | 'H2' | 'H3';

export type UsePermission = 'forbidden' | 'with_consent' | 'allowed';

/** Where a piece of the set was written, for messages and for the explain tool. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** Obligations travel with the data a clause releases. */
export interface Obligations {
  readonly handlingCode: HandlingCode;
  readonly onwardTransfer: UsePermission;
  readonly evidentiaryUse: UsePermission;
  readonly retentionDays: number;
  readonly notifySource: boolean;
  readonly reviewWithinHours?: number;
  /** The owner's grant the data was released under, when the clause needs a request reference. */
  readonly grant?: string;
  /** The emergency registration the data was released under, when the clause needs an emergency (notify the source citing it). */
  readonly emergency?: string;
}

/** A joint investigation team: its members act only inside its window and on its operation's records. */
export interface JointTeam {
  readonly id: string;
  /** Member analysts by country: `{ KR: ['kim.j'], KH: ['sok.r'] }`. */
  readonly members: Readonly<Record<string, readonly string[]>>;
  /** The operation that scopes the team: only records linked to it (RecordFacts.operations). */
  readonly operation: string;
  /** ISO dates, both inclusive (UTC days). */
  readonly validFrom: string;
  readonly validUntil: string;
}

/** What a request (and, for the record-level ones, the record) must show for a clause to apply. */
export interface Conditions {
  readonly caseReference?: boolean;
  readonly requestReference?: boolean;
  /** A warrant or judicial order reference (extradition warrants; judicial orders for message content). */
  readonly warrantReference?: boolean;
  readonly interpolNotice?: boolean;
  /** With `interpolNotice`: the colours of notice the clause accepts (vocabulary/interpolNotices.ts). */
  readonly noticeColours?: readonly NoticeColour[];
  readonly jointTeam?: JointTeam;
  readonly emergency?: { readonly maxDurationHours: number };
  /** Record-level: the record's source grade must be this or better (policy/sourceGrades.ts). */
  readonly minimumSourceGrade?: SourceGrade;
}

/** Whose data may go to whom: `both` is any party to any other party of the agreement. */
export type Direction = 'both' | { readonly from: readonly string[]; readonly to: readonly string[] };

export interface Clause {
  readonly id: string;
  /** The article the clause stands on, e.g. "art. 1(4)(b)". Required: every rule cites its source. */
  readonly citation: string;
  readonly summary?: string;
  readonly basis: LegalBasisKind;
  readonly purposes: readonly Purpose[];
  /** Never lists meta.reference: the reference goes wherever any category goes (docs/domain.md). */
  readonly categories: Readonly<Partial<Record<Category, CategoryMode>>>;
  readonly direction: Direction;
  readonly conditions: Conditions;
  readonly obligations: Obligations;
  readonly source: SourceLocation;
}

export interface Agreement {
  readonly id: string;
  /** Short title used in every citation and route: "KR–KH MLAT 2021". */
  readonly title: string;
  readonly kind: 'bilateral' | 'multilateral';
  readonly parties: readonly string[];
  readonly instrument: {
    readonly citation: string;
    readonly signed?: string;
    /** Instruments the agreement rests on, e.g. "UNTOC art. 18". */
    readonly basedOn?: readonly string[];
  };
  /** ISO dates; `until` is inclusive and optional (open-ended). */
  readonly inForce: { readonly from: string; readonly until?: string };
  readonly disclaimer?: string;
  readonly clauses: readonly Clause[];
  /** When the requested party should decide a formal request, where the agreement departs from Directive (EU) 2023/977 art. 5. */
  readonly requestDeadlines?: RequestDeadlines;
  readonly source: SourceLocation;
}

/** An agreement's own times for deciding a formal follow-up request (subgraphs/desk/deadlines.ts). */
export interface RequestDeadlines {
  readonly urgentDirectHours?: number;
  readonly urgentDays?: number;
  readonly normalDays?: number;
}

/**
 * One ground of a domestic release gate: it matches a transfer when the basis kind and the purpose are in
 * its lists (an absent list matches everything).
 */
export interface GateGround {
  readonly id: string;
  readonly citation: string;
  readonly summary?: string;
  readonly bases?: readonly LegalBasisKind[];
  readonly purposes?: readonly Purpose[];
  readonly source: SourceLocation;
}

/**
 * An owner's domestic release gate (the second key): a transfer of the owner's data is allowed only if at
 * least one ground matches it and every requirement matches it.
 */
export interface DomesticGate {
  readonly owner: string;
  /** Short title used in routes: "KR domestic gate (PIPA)". */
  readonly title: string;
  readonly law: string;
  readonly disclaimer?: string;
  readonly grounds: readonly GateGround[];
  readonly requirements: readonly GateGround[];
  readonly source: SourceLocation;
}

export interface Member {
  readonly code: string;
  readonly name: string;
  /** `required`: the set is refused unless it holds this member's domestic gate. */
  readonly domesticGate: 'required' | 'optional';
  /** How the member's desk decides formal requests about its records (absent: one approver for everything). */
  readonly desk?: MemberDesk;
}

/** A member's own rules for its desk (agreements/members.yaml `desk`). */
export interface MemberDesk {
  /**
   * Categories the member holds sensitive: an approval that releases any of them needs two different desk
   * officers approving the same terms (subgraphs/desk/decide.ts).
   */
  readonly twoApproverCategories: readonly Category[];
}

/** A validated agreement set, identified by its revision (sha256 of its canonical content). */
export interface AgreementSet {
  readonly revision: string;
  readonly dir: string;
  readonly members: readonly Member[];
  readonly agreements: readonly Agreement[];
  readonly gates: readonly DomesticGate[];
}

// ---------------------------------------------------------------------------------------------------
// Questions and answers
// ---------------------------------------------------------------------------------------------------

/** Who asks and why: built by the gateway from the verified token and the analyst's declaration. */
export interface RequestContext {
  readonly country: string;
  readonly analyst: string;
  readonly roles: readonly string[];
  readonly purpose?: Purpose;
  readonly caseReference?: string;
  readonly requestReference?: string;
  readonly jointTeam?: string;
  /**
   * A registered emergency (the hub's registry, emergencies/): its id, its registration instant (the window
   * runs from it) and its justification. The gateway resolves the analyst's `Accord-Emergency: EMG-…` into
   * this; `id` is absent only in hypothetical questions (`npm run policy -- explain --emergency <time>`).
   */
  readonly emergency?: { readonly id?: string; readonly declaredAt: number; readonly justification: string };
  readonly interpolNotice?: string;
  readonly warrantReference?: string;
}

/** Facts of one record that record-level conditions read. */
export interface RecordFacts {
  /** The record's global id: a grant covers named subjects only. */
  readonly id?: string;
  /** Operations the record is linked to (a joint team's scope). */
  readonly operations?: readonly string[];
  /** Source grade of the record, e.g. "B" or "B2" (the letter counts). */
  readonly sourceGrade?: string;
}

export interface DecisionInput {
  readonly requester: RequestContext;
  /** Country that owns the record. */
  readonly owner: string;
  readonly category: Category;
  /** Epoch milliseconds. */
  readonly at: number;
  /** Absent when deciding before the record is fetched (the gateway's redaction). */
  readonly record?: RecordFacts;
  /**
   * The owner's grants the request may rely on, by id (in practice: the one the request reference names,
   * looked up once per request before execution). Absent: the decider holds no grants (the gateway), so a
   * clause that needs a request reference can only be decided by the owner, record by record. Present,
   * even empty: the owner's book, and a reference it does not hold opens nothing.
   */
  readonly grants?: GrantBook;
}

/**
 * The owner's approval of a formal request (a follow-up request decided at its desk): the only thing that
 * satisfies a clause's `requestReference` condition, and only for what it names. It never widens the
 * clause: a category outside the clause stays withheld whatever the grant lists.
 */
export interface Grant {
  readonly id: string;
  readonly owner: string;
  /** The requesting country and the analysts it is for (the requesting analyst, or the named unit). */
  readonly requesterCountry: string;
  readonly analysts: readonly string[];
  readonly caseReference: string;
  readonly purpose: Purpose;
  /**
   * The agreement invoked and the clauses of it the approval covers (a formal request invokes a treaty;
   * identity and accounts may stand on two of its articles): the grant satisfies only these clauses.
   */
  readonly agreement: string;
  readonly clauses: readonly string[];
  /** Global ids of the records it covers. */
  readonly subjects: readonly string[];
  readonly categories: readonly Category[];
  /** Epoch ms; `validUntil` exclusive. */
  readonly validFrom: number;
  readonly validUntil: number;
  /** Epoch ms of the revocation, when revoked: from that instant it covers nothing. */
  readonly revokedAt?: number;
  /** Whether the approval allows evidentiary use; false narrows the clause's obligations to `forbidden`. */
  readonly evidentiaryUse: boolean;
}

/** Grants by id, as the owner holds them. */
export type GrantBook = ReadonlyMap<string, Grant>;

export type Effect = 'release' | 'hit-only' | 'withhold';

export interface ClauseRef {
  readonly agreement: string;
  readonly clause: string;
  /** The agreement's short title. */
  readonly title: string;
  /** The clause's article. */
  readonly citation: string;
}

/** The domestic gate grounds that allowed a transfer (the second key), for the audit log. */
export interface GateRef {
  readonly owner: string;
  readonly title: string;
  readonly citations: readonly string[];
}

/**
 * Why a clause did not apply: the first condition that failed, in the order policy/evaluateClause.ts
 * checks them. `recordLevel` conditions are about the record, not the request.
 */
export type FailedCondition =
  | { readonly kind: 'direction'; readonly text: string }
  | { readonly kind: 'category'; readonly text: string }
  | { readonly kind: 'purpose'; readonly allowed: readonly Purpose[]; readonly text: string }
  | { readonly kind: 'notInForce'; readonly from: string; readonly until?: string; readonly text: string }
  | { readonly kind: 'caseReference'; readonly text: string }
  | { readonly kind: 'requestReference'; readonly text: string }
  | { readonly kind: 'warrantReference'; readonly text: string }
  | {
      readonly kind: 'interpolNotice';
      /** The colours that would meet it: those the clause takes that serve the declared purpose. */
      readonly colours?: readonly NoticeColour[];
      readonly text: string;
    }
  | { readonly kind: 'jointTeam'; readonly team: string; readonly text: string }
  | { readonly kind: 'jointTeamMember'; readonly team: string; readonly text: string }
  | {
      readonly kind: 'jointTeamWindow';
      readonly team: string;
      readonly validFrom: string;
      readonly validUntil: string;
      readonly text: string;
    }
  | { readonly kind: 'emergencyDeclaration'; readonly text: string }
  | { readonly kind: 'emergencyJustification'; readonly text: string }
  | { readonly kind: 'emergencyWindow'; readonly maxDurationHours: number; readonly text: string }
  | {
      readonly kind: 'domesticGate';
      readonly owner: string;
      readonly citations: readonly string[];
      readonly text: string;
    }
  | {
      readonly kind: 'jointTeamScope';
      readonly team: string;
      readonly operation: string;
      readonly recordLevel: true;
      readonly text: string;
    }
  | {
      readonly kind: 'sourceGrade';
      readonly minimum: SourceGrade;
      readonly recordLevel: true;
      readonly text: string;
    }
  | { readonly kind: 'requestGrant'; readonly recordLevel: true; readonly text: string };

/** A way a withheld or hit-only field could be obtained: a clause and what it still needs. */
export interface Route extends ClauseRef {
  /** What the clause would give. */
  readonly effect: CategoryMode;
  readonly needs: FailedCondition;
  /** For a lawyer: "KR–KH MLAT 2021 art. 1(4)(b): needs a request reference". */
  readonly text: string;
}

export interface Decision {
  readonly effect: Effect;
  readonly reason: ReasonCode;
  /** The clause that determines the effect (empty when withheld). */
  readonly clauses: readonly ClauseRef[];
  /** Obligations of the determining clause. */
  readonly obligations?: Obligations;
  /** The owner's domestic gate grounds that allowed it, when the owner has a gate. */
  readonly gate?: GateRef;
  /** The grant the release relied on (the clause needs a request reference), cited with the obligations. */
  readonly grant?: string;
  /** The emergency registration the release relied on (the clause needs an emergency), cited with the obligations. */
  readonly emergency?: string;
  /** For a withheld or hit-only field: clauses that could give more, and what each needs. */
  readonly routes: readonly Route[];
  /**
   * True when no record was given and a record-level condition (joint-team scope, source grade) of a
   * clause ranked before the determining one was the only thing that failed: the owner's per-record
   * decision may differ.
   */
  readonly recordDependent: boolean;
  readonly revision: string;
}

/** One clause as the explain tool shows it. */
export interface ClauseEvaluation extends ClauseRef {
  readonly basis: LegalBasisKind;
  /** What the clause gives for the category asked (absent when it does not cover it). */
  readonly effect?: CategoryMode;
  readonly applies: boolean;
  readonly failed?: FailedCondition;
  /** Every condition it does not meet (the first is `failed`), when it covers category and purpose. */
  readonly unmet?: readonly FailedCondition[];
  readonly source: SourceLocation;
}

export interface Explanation {
  readonly decision: Decision;
  /** Every clause of every agreement both countries are party to, in set order (files by name, clauses as written). */
  readonly considered: readonly ClauseEvaluation[];
}

export interface Policy {
  readonly revision: string;
  readonly set: AgreementSet;
  /** Pure and synchronous; the returned decision is frozen and may be shared between calls. */
  decide(input: DecisionInput): Decision;
  /** Every clause considered, whether it applied, and the exact condition that failed. Slower than decide. */
  explain(input: DecisionInput): Explanation;
  /**
   * True when the decision for this request and category reads nothing of a record but its id (no clause
   * that could apply has the joint team the request names or a minimum source grade): deciding `{ id }` then gives exactly the
   * decision for the whole record. For callers that would otherwise load a record only to decide it.
   */
  recordDecidedById(input: Omit<DecisionInput, 'record'>): boolean;
}
