import { isNonNullType, type OperationDefinitionNode } from 'graphql';
import type { AnswerWalker } from './answerWalker';
import {
  fieldEntryFromDecision,
  requesterFields,
  WHOLE_FETCH,
  type CrossingRecord,
  type DecisionEntry,
  type FieldEntry,
  type FieldReport,
} from '../audit';
import { splitConcreteTypeName } from '../schema';
import type { Decision, Policy, RequestContext } from '../policy';
import { META_REFERENCE, isCategory, type Category } from '../vocabulary';
import type { Logger } from '../lib/logger';
import type { RedactedOperation } from './redaction';

/**
 * The requester's side of every crossing (issue 5): what the analyst asked of each owner and got, field
 * path by field path, for the gateway's consultation records.
 *
 * One decision id per crossing (request × owner country): `<request id>:<owner>`, derived rather than
 * drawn, so that the request id the analyst is given (`Accord-Request-Id`) leads a legal team to both sides'
 * records. It travels to the owner inside the gateway's signed token (gateway/memberDataSource.ts); the
 * owner's disclosure record carries it too.
 *
 * Whose decision a field entry records: for a field the gateway cut before planning, the gateway's
 * (gateway/redaction.ts); for every other field, the owner's own, as it reported it field by field
 * (`extensions.accord.fields`, subgraphs/kit/disclosure.ts). Owner and gateway name records alike by
 * their global id, which the gateway asks for under an alias of its own (gateway/recordIds.ts).
 */
export function decisionIdFor(requestId: string, owner: string): string {
  return `${requestId}:${owner}`;
}

/** An owner's decision as its report gives it (audit FieldEntry without path and record). */
type ReportedDecision = DecisionEntry;

/** The consultation of one request, gathered while it runs. Never shared between requests. */
export class Consultation {
  /** Owners the plan called: each was given the decision id, and may have recorded a disclosure. */
  readonly called = new Set<string>();
  /** Per owner: the field entries of the analyst's answer. */
  readonly entries = new Map<string, FieldEntry[]>();
  /** Per owner: the follow-up requests this request filed with it, by the ids the owner assigned. */
  readonly filed = new Map<string, string[]>();
  /** Per owner: `record \0 field` → the owner's decision. */
  private readonly reported = new Map<string, Map<string, ReportedDecision>>();

  /**
   * Takes an owner's field report (`extensions.accord.fields`, audit/ownerReport.ts). A report that does
   * not have the expected shape, or claims a release across the border without the clause it rests on, is
   * set aside whole (the log holds only what the owner clearly said, and an owner cannot make the
   * consultation unrecordable): its fields fall back to the gateway's decision.
   */
  noteReport(owner: string, report: FieldReport | 'malformed', logger: Logger): void {
    if (report === 'malformed') {
      logger.warn(
        { owner },
        "an owner's field report is malformed; its fields are logged with the gateway's decisions",
      );
      return;
    }
    let byKey = this.reported.get(owner);
    if (!byKey) {
      byKey = new Map();
      this.reported.set(owner, byKey);
    }
    for (const [record, field, index] of report.decided)
      byKey.set(`${record}\0${field}`, report.decisions[index]!);
  }

  /**
   * Takes the ids an owner says it gave this request's filings (`extensions.accord.filed`). Anything but a
   * list of short ids is set aside, as a malformed field report is: an owner cannot make the consultation
   * unrecordable.
   */
  noteFiled(owner: string, filed: readonly string[] | 'malformed' | undefined, logger: Logger): void {
    if (filed === undefined) return;
    if (filed === 'malformed') {
      logger.warn({ owner }, 'an owner named its filings malformed; the consultation does not name them');
      return;
    }
    this.filed.set(owner, [...(this.filed.get(owner) ?? []), ...filed]);
  }

  /** The owner's decision for a field of a record, or for its whole fetch. */
  decisionOf(owner: string, record: string, field: string): ReportedDecision | undefined {
    const byKey = this.reported.get(owner);
    return byKey?.get(`${record}\0${field}`) ?? byKey?.get(`${WHOLE_FETCH}\0${WHOLE_FETCH}`);
  }

  add(owner: string, entry: FieldEntry): void {
    let list = this.entries.get(owner);
    if (!list) {
      list = [];
      this.entries.set(owner, list);
    }
    list.push(entry);
  }
}

export interface ConsultationInput {
  /** Walks the answer along the analyst's document, as they sent it (fragments, variables coerced once). */
  readonly walker: AnswerWalker;
  /** "KHSuspect.fullName" → category, from the supergraph. */
  readonly categories: ReadonlyMap<string, string>;
  readonly redacted: RedactedOperation;
  /** The analyst's operation, as they sent it. */
  readonly operation: OperationDefinitionNode;
  /** The answer as the planner returned it: before redactions are restored and injected fields stripped. */
  readonly data: Record<string, unknown>;
  /** The alias under which every record's id was asked for (gateway/recordIds.ts); removed from the answer here. */
  readonly recordAlias: string;
  readonly policy: Policy;
  readonly requester: RequestContext;
  readonly at: number;
  readonly logger: Logger;
}

/**
 * Walks the answer along the analyst's operation and notes, per owner, one entry per field path of that
 * owner's records: the gateway's decision where it cut the field, the owner's where the owner decided.
 * A record answered as absent because its reference is withheld gets one entry, at its own path.
 */
export function noteConsultation(consultation: Consultation, input: ConsultationInput): void {
  const { categories, redacted, requester, at, policy, recordAlias } = input;
  const unreported = new Set<string>();

  /** The gateway's own decision, for a released value its owner did not report (an owner without the kit's report). */
  function gatewayDecision(owner: string, category: Category): Decision {
    if (!unreported.has(owner)) {
      unreported.add(owner);
      input.logger.warn(
        { owner },
        "an owner released fields without reporting its decisions; they are logged with the gateway's",
      );
    }
    return policy.decide({ requester, owner, category, at });
  }

  /**
   * Each object visited: the record it is, by its id (read, and taken out of the answer, on entering it),
   * and its path in the answer as the consultation writes it, dot-separated (`case.suspects.3`; '' for
   * the root), made once for all its fields.
   */
  const visited = new Map<Record<string, unknown>, { record: string | undefined; path: string }>();
  /** Per type: its owner, and the category of each of its fields (`KHSuspect.fullName`), looked up once. */
  const types = new Map<string, { owner: string | undefined; categories: Map<string, string | undefined> }>();
  const typeOf = (typename: string) => {
    let type = types.get(typename);
    if (!type) {
      type = { owner: splitConcreteTypeName(typename)?.owner, categories: new Map() };
      types.set(typename, type);
    }
    return type;
  };
  const categoryOf = (typename: string, name: string): string | undefined => {
    const known = typeOf(typename).categories;
    if (known.has(name)) return known.get(name);
    const category = categories.get(`${typename}.${name}`);
    known.set(name, category);
    return category;
  };

  input.walker.walk(input.data, input.operation, {
    object({ object, typename, fields, path }) {
      const id = object[recordAlias];
      delete object[recordAlias];
      const record = typeof id === 'string' ? id : undefined;
      const text = path.join('.');
      visited.set(object, { record, path: text });
      // A withheld reference: the record is answered as absent (gateway/redaction.ts restoreRedactions).
      const cut = redacted.redactions.get(typename);
      if (cut)
        for (const { name } of fields) {
          const redaction = cut.get(name);
          if (redaction?.hidesRecord) {
            consultation.add(
              redaction.owner,
              fieldEntryFromDecision(text, redaction.category, redaction.decision, record),
            );
            return false;
          }
        }
      return true;
    },
    field({ object, typename }, { key, name, definition }) {
      if (name === '__typename') return false;
      const { record, path } = visited.get(object)!;
      const owner = typeOf(typename).owner;
      const fieldPath = path === '' ? key : `${path}.${key}`;
      const redaction = redacted.redactions.get(typename)?.get(name);
      if (redaction) {
        consultation.add(
          redaction.owner,
          fieldEntryFromDecision(fieldPath, redaction.category, redaction.decision, record),
        );
        return false;
      }
      const value = object[key];
      const category = owner && name !== 'id' ? categoryOf(typename, name) : undefined;
      if (owner && category && isCategory(category)) {
        let decided = consultation.decisionOf(owner, record ?? typename, name);
        if (decided && value !== null && value !== undefined && !releasesValue(decided.effect, category)) {
          // The owner says it withheld what its answer holds: its report and its answer disagree. The
          // analyst is not given a value its owner says it withheld (deny by default), so that the record
          // still names what was released; a non-null field cannot be nulled, and is recorded with the
          // gateway's own decision instead.
          input.logger.warn(
            { owner, path: fieldPath },
            "an owner's answer holds a value its field report says it withheld",
          );
          if (definition && !isNonNullType(definition.type)) object[key] = null;
          else decided = undefined;
        }
        if (decided)
          consultation.add(owner, {
            path: fieldPath,
            ...(record !== undefined ? { record } : {}),
            ...decided,
          });
        else if (value !== null && value !== undefined)
          consultation.add(
            owner,
            fieldEntryFromDecision(fieldPath, category, gatewayDecision(owner, category), record),
          );
      }
      return true;
    },
  });
}

/** Whether a decision lets a field's value go to the analyst: a release, or a hit's own reference. */
function releasesValue(effect: string, category: Category): boolean {
  return effect === 'release' || (effect === 'hit-only' && category === META_REFERENCE);
}

/** One consultation record per owner the request reached, or whose fields the gateway withheld. */
export function consultationRecords(
  consultation: Consultation,
  request: { readonly requestId: string; readonly requester: RequestContext; readonly at: number },
  operation: {
    readonly policyRevision: string;
    readonly operationHash: string;
    readonly operationName?: string;
  },
): CrossingRecord[] {
  const owners = [...new Set([...consultation.called, ...consultation.entries.keys()])].sort();
  const requester = requesterFields(request.requester);
  return owners.map((owner) => ({
    side: 'consultation',
    at: request.at,
    requestId: request.requestId,
    decisionId: decisionIdFor(request.requestId, owner),
    ...requester,
    ...(consultation.filed.has(owner) ? { followUpRequests: consultation.filed.get(owner)! } : {}),
    owner,
    fields: consultation.entries.get(owner) ?? [],
    policyRevision: operation.policyRevision,
    operationHash: operation.operationHash,
    ...(operation.operationName ? { operationName: operation.operationName } : {}),
  }));
}
