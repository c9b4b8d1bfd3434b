import { FieldCollector } from './selections';
import {
  Kind,
  getNamedType,
  isAbstractType,
  isObjectType,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fieldEntryFromDecision, requesterFields, type CrossingRecord, type FieldEntry } from '../audit';
import { splitConcreteTypeName } from '../schema';
import type { Decision, Policy, RequestContext } from '../policy';
import { isCategory, type Category } from '../vocabulary';
import type { Logger } from '../lib/logger';
import type { RedactedOperation } from './redaction';
import type { CoercedVariables } from './variables';

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
type ReportedDecision = Omit<FieldEntry, 'path' | 'record'>;

const WHOLE_FETCH = '*';
/** A follow-up request id as an owner assigns it (`KH-FUR-2026-000001`): a short word, nothing else. */
const FILED_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const EFFECTS = new Set(['release', 'hit-only', 'withhold']);

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
   * Takes an owner's field report. A report that does not have the expected shape, or claims a release
   * across the border without the clause it rests on, is set aside whole (the log holds only what the
   * owner clearly said, and an owner cannot make the consultation unrecordable): its fields fall back to
   * the gateway's decision.
   */
  noteReport(owner: string, report: unknown, requesterCountry: string, logger: Logger): void {
    const parsed = parseFieldReport(report, owner !== requesterCountry);
    if (!parsed) {
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
    for (const [record, field, index] of parsed.decided)
      byKey.set(`${record}\0${field}`, parsed.decisions[index]!);
  }

  /**
   * Takes the ids an owner says it gave this request's filings (`extensions.accord.filed`). Anything but a
   * list of short ids is set aside, as a malformed field report is: an owner cannot make the consultation
   * unrecordable.
   */
  noteFiled(owner: string, filed: unknown, logger: Logger): void {
    if (filed === undefined) return;
    if (
      !Array.isArray(filed) ||
      filed.length === 0 ||
      !filed.every((id) => typeof id === 'string' && FILED_ID.test(id))
    ) {
      logger.warn({ owner }, 'an owner named its filings malformed; the consultation does not name them');
      return;
    }
    this.filed.set(owner, [...(this.filed.get(owner) ?? []), ...(filed as string[])]);
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

function parseFieldReport(
  value: unknown,
  crossBorder: boolean,
): { decisions: ReportedDecision[]; decided: [string, string, number][] } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { decisions, decided } = value as { decisions?: unknown; decided?: unknown };
  if (!Array.isArray(decisions) || !Array.isArray(decided)) return undefined;
  for (const decision of decisions as unknown[]) {
    if (!decision || typeof decision !== 'object') return undefined;
    const { category, effect, clauses, grant } = decision as Record<string, unknown>;
    if (
      typeof category !== 'string' ||
      !isCategory(category) ||
      !EFFECTS.has(effect as string) ||
      !Array.isArray(clauses)
    )
      return undefined;
    if (crossBorder && effect !== 'withhold' && clauses.length === 0) return undefined;
    // The grant a release rested on (its id and validity end) goes into the consultation as the owner cited it.
    if (grant !== undefined && (effect === 'withhold' || !isGrantCitation(grant))) return undefined;
  }
  for (const item of decided as unknown[]) {
    if (
      !Array.isArray(item) ||
      typeof item[0] !== 'string' ||
      typeof item[1] !== 'string' ||
      !Number.isInteger(item[2])
    )
      return undefined;
    if ((item[2] as number) < 0 || (item[2] as number) >= decisions.length) return undefined;
  }
  return { decisions: decisions as ReportedDecision[], decided: decided as [string, string, number][] };
}

function isGrantCitation(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const { id, validUntil } = value as Record<string, unknown>;
  return (
    typeof id === 'string' &&
    id !== '' &&
    (validUntil === undefined || (typeof validUntil === 'string' && !Number.isNaN(Date.parse(validUntil))))
  );
}

export interface ConsultationInput {
  readonly schema: GraphQLSchema;
  /** "KHSuspect.fullName" → category, from the supergraph. */
  readonly categories: ReadonlyMap<string, string>;
  readonly redacted: RedactedOperation;
  /** The analyst's operation and document (fragments), as they sent them. */
  readonly operation: OperationDefinitionNode;
  readonly document: DocumentNode;
  /** The request's variables, coerced once (gateway/variables.ts). */
  readonly variables: CoercedVariables;
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
  const { schema, categories, redacted, requester, at, policy, recordAlias } = input;
  const collector = new FieldCollector(schema, input.document, input.variables);
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

  /** `path`: the object's path in the answer, dot-separated (`case.suspects.3`; '' for the root). */
  function visitObject(
    object: Record<string, unknown>,
    staticType: string,
    set: SelectionSetNode,
    path: string,
  ): void {
    const typename = typeof object['__typename'] === 'string' ? object['__typename'] : staticType;
    const id = object[recordAlias];
    delete object[recordAlias];
    const record = typeof id === 'string' ? id : undefined;
    const owner = splitConcreteTypeName(typename)?.owner;
    const type = schema.getType(typename);
    const fields = collector.collect(set, typename);
    const cut = redacted.redactions.get(typename);

    // A withheld reference: the record is answered as absent (gateway/redaction.ts restoreRedactions).
    for (const nodes of fields.values()) {
      const redaction = cut?.get(nodes[0]!.name.value);
      if (redaction?.hidesRecord) {
        consultation.add(
          redaction.owner,
          fieldEntryFromDecision(path, redaction.category, redaction.decision, record),
        );
        return;
      }
    }
    for (const [key, nodes] of fields) {
      const name = nodes[0]!.name.value;
      if (name === '__typename') continue;
      const fieldPath = path ? `${path}.${key}` : key;
      const redaction = cut?.get(name);
      if (redaction) {
        consultation.add(
          redaction.owner,
          fieldEntryFromDecision(fieldPath, redaction.category, redaction.decision, record),
        );
        continue;
      }
      const value = object[key];
      const category = owner && name !== 'id' ? categories.get(`${typename}.${name}`) : undefined;
      if (owner && category && isCategory(category)) {
        const decided = consultation.decisionOf(owner, record ?? typename, name);
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
      if (value === null || typeof value !== 'object') continue;
      const field =
        type && (isObjectType(type) || isAbstractType(type)) && 'getFields' in type
          ? type.getFields()[name]
          : undefined;
      if (!field) continue;
      const subSet: SelectionSetNode = {
        kind: Kind.SELECTION_SET,
        selections: nodes.flatMap((n) => n.selectionSet?.selections ?? []),
      };
      if (subSet.selections.length > 0) visitValue(value, getNamedType(field.type).name, subSet, fieldPath);
    }
  }

  function visitValue(value: unknown, staticType: string, set: SelectionSetNode, path: string): void {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++)
        visitValue(value[index], staticType, set, `${path}.${index}`);
      return;
    }
    if (value !== null && typeof value === 'object')
      visitObject(value as Record<string, unknown>, staticType, set, path);
  }

  const root = schema.getRootType(input.operation.operation);
  if (root) visitObject(input.data, root.name, input.operation.selectionSet, '');
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
