import type { GraphQLError, GraphQLResolveInfo } from 'graphql';
import { META_REFERENCE, type Category } from '../../../vocabulary';
import {
  recordFactsOf,
  type ClauseRef,
  type Decision,
  type GrantBook,
  type Obligations,
  type Policy,
  type RequestContext,
} from '../../../policy';
import type { DecisionTrail } from './decisionTrail';

/** What one clause released in one request: the obligations that travel with that data. */
export interface Release {
  readonly clause: ClauseRef;
  readonly obligations?: Obligations;
  /** The owner's grant the data was released under, when the clause needs a request reference. */
  readonly grant?: string;
  /** When that grant's validity ends (ISO 8601, exclusive): the analyst's answer cites it with the grant. */
  readonly grantValidUntil?: string;
  readonly categories: Set<Category>;
}

/**
 * Authorization state of one request in one subgraph. Created per request and never shared: decisions
 * are memoized here by what they depend on (the category, and for record-level conditions the record's
 * facts), never across requests or requesters (docs/style.md, rule 7; docs/architecture.md records a leak when a shield
 * cache shared decisions between fields).
 */
export class AuthorizationState {
  private readonly pairDecisions = new Map<Category, Decision>();
  private readonly recordDecisions = new Map<string, Decision>();
  /** Per record object of this request: its decisions by category (`decide`). */
  private readonly byRecord = new WeakMap<object, Map<Category, Decision>>();
  /** Clause key → what it released, for the obligations and the owner's disclosure record. */
  readonly releases = new Map<string, Release>();
  /**
   * The refusal of a field, by coordinate and decision: the same error object serves every record of a
   * list (graphql-js gives each its own path), so 1,000 withheld records cost one message, not 1,000.
   */
  private readonly refusals = new Map<
    string,
    { readonly decision: Decision; readonly error: GraphQLError }
  >();
  /** Per other member: whether any basis lets the requester know of its records (`meta.reference`). */
  private readonly referenceDecisions = new Map<string, Decision>();
  /**
   * Other members whose records this answer referred to but left out, because no basis gives the
   * requester even a hit on them: one no-basis error each, never one per record (subgraphs/kit/references.ts).
   */
  readonly withheldReferences = new Map<
    string,
    { readonly decision: Decision; readonly path: GraphQLResolveInfo['path'] }
  >();
  /**
   * Ids of this owner's records the answer shows a foreign requester (a field of theirs was released):
   * each gets a hit token in the answer (subgraphs/kit/followUp/hitTokensPlugin.ts), and no other does.
   */
  readonly shown = new Set<string>();
  /** The categories each decision was already noted for (`noteRelease`): every field after the first is one lookup. */
  private readonly noted = new Map<Decision, Set<Category>>();

  constructor(
    readonly policy: Policy,
    /** The member serving this subgraph: the owner of every record it resolves. */
    readonly owner: string,
    readonly requester: RequestContext,
    /** One instant for the whole request, so every field is decided at the same time. */
    readonly at: number,
    /** `query` for an analyst's request through the gateway; `schema` for the gateway's own calls. */
    readonly scope: 'query' | 'schema' = 'query',
    /**
     * Every decision with its place, when someone reads them: the owner's disclosure record, or the gateway
     * asking for the field report. Absent, the rules note nothing.
     */
    readonly trail?: DecisionTrail,
    /**
     * The owner's grants this request may rely on (the one its request reference names), looked up once
     * before execution so that deciding stays synchronous. Empty when it names none the owner holds.
     */
    readonly grants: GrantBook = NO_GRANTS,
  ) {}

  /** The decision for a category, for one record when it is given and the decision depends on it. */
  decide(category: Category, record?: unknown): Decision {
    let decision = this.pairDecisions.get(category);
    if (!decision) {
      decision = this.policy.decide({
        requester: this.requester,
        owner: this.owner,
        category,
        at: this.at,
        grants: this.grants,
      });
      this.pairDecisions.set(category, decision);
    }
    if (!decision.recordDependent || record === undefined) return decision;
    // Every field of a record asks for its record's decision: the second field of a category on the same
    // record object (a joint team's list, records under a grant) is answered from the record's own memo
    // instead of rebuilding its facts and key. Keyed by the record object and the category; the memo
    // lives on this request's state, so no decision is shared across requests or requesters.
    const memo = typeof record === 'object' && record !== null ? this.decisionsOf(record) : undefined;
    const known = memo?.get(category);
    if (known) return known;
    const recordDecision = this.decideRecord(category, record);
    memo?.set(category, recordDecision);
    return recordDecision;
  }

  /** The record's memo: its decisions by category in this request (see `decide`). */
  private decisionsOf(record: object): Map<Category, Decision> {
    let decisions = this.byRecord.get(record);
    if (!decisions) {
      decisions = new Map();
      this.byRecord.set(record, decisions);
    }
    return decisions;
  }

  /** A record-dependent decision, shared by the records of this request with the same facts. */
  private decideRecord(category: Category, record: unknown): Decision {
    const facts = recordFactsOf(record);
    // A grant covers named subjects: then the record's id is one of the facts the decision depends on.
    const subject = this.grants.size > 0 ? (facts.id ?? '') : '';
    const key = `${category}\0${facts.operations?.join(',') ?? ''}\0${facts.sourceGrade ?? ''}\0${subject}`;
    let recordDecision = this.recordDecisions.get(key);
    if (!recordDecision) {
      recordDecision = this.policy.decide({
        requester: this.requester,
        owner: this.owner,
        category,
        at: this.at,
        record: facts,
        grants: this.grants,
      });
      this.recordDecisions.set(key, recordDecision);
    }
    return recordDecision;
  }

  /**
   * Whether the record may be seen at all: its reference needs at least a hit under some basis. A record
   * that may not is noted on the trail (at `path`, where it was asked for): the owner's log says what it
   * kept back, though the answer may not.
   */
  canSee(record: unknown, path?: GraphQLResolveInfo['path']): boolean {
    const decision = this.decide(META_REFERENCE, record);
    if (decision.effect !== 'withhold') return true;
    this.trail?.record(path, record, META_REFERENCE, decision);
    return false;
  }

  /**
   * The requester's `meta.reference` decision for the records of another member, `owner`, decided with
   * the same engine as this owner's own fields. Used for the references this owner's records hold to
   * another member's records: the id of such a record is that member's to release, not this one's.
   */
  decideReference(owner: string): Decision {
    if (owner === this.owner) return this.decide(META_REFERENCE);
    let decision = this.referenceDecisions.get(owner);
    if (!decision) {
      decision = this.policy.decide({
        requester: this.requester,
        owner,
        category: META_REFERENCE,
        at: this.at,
      });
      this.referenceDecisions.set(owner, decision);
    }
    return decision;
  }

  refusal(decision: Decision, coordinate: string, build: () => GraphQLError): GraphQLError {
    const known = this.refusals.get(coordinate);
    if (known?.decision === decision) return known.error;
    const error = build();
    this.refusals.set(coordinate, { decision, error });
    return error;
  }

  /** Notes that a field of `record` (one of this owner's) is released in the answer. */
  noteShown(record: unknown): void {
    if (
      this.requester.country === this.owner ||
      this.scope !== 'query' ||
      record === null ||
      typeof record !== 'object'
    )
      return;
    const id = (record as { id?: unknown }).id;
    if (typeof id === 'string') this.shown.add(id);
  }

  noteRelease(decision: Decision, category: Category): void {
    // What a release notes depends on the decision and the category alone (the grants are the request's).
    let categories = this.noted.get(decision);
    if (categories === undefined) this.noted.set(decision, (categories = new Set()));
    else if (categories.has(category)) return;
    categories.add(category);
    for (const clause of decision.clauses) {
      // Released under a grant: its own entry, since its obligations cite the grant.
      const key = `${clause.agreement}\0${clause.clause}\0${decision.grant ?? ''}`;
      let release = this.releases.get(key);
      if (!release) {
        const grant = decision.grant === undefined ? undefined : this.grants.get(decision.grant);
        release = {
          clause,
          obligations: decision.obligations,
          ...(decision.grant !== undefined && { grant: decision.grant }),
          ...(grant !== undefined && { grantValidUntil: new Date(grant.validUntil).toISOString() }),
          categories: new Set(),
        };
        this.releases.set(key, release);
      }
      release.categories.add(category);
    }
  }
}

const NO_GRANTS: GrantBook = new Map();
