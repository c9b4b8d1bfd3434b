/**
 * The audit record model. Source of the model: docs/domain.md ("Every consultation and disclosure is logged
 * with justification, date and time, who asked, who received, what was released under which clause"),
 * after EU Directive 2016/680 art. 25 (logging of consultation and disclosure) and X-Road's message logs
 * kept by both parties of an exchange.
 *
 * Two records per border crossing: the requester's gateway writes a `consultation`, the owner's subgraph
 * writes a `disclosure`; both carry the same `decisionId`, so the two sides can be matched.
 */
import type { Effect, Obligations } from '../policy';
import type { StoredCrossingBody } from './clauseTable';

/** Which side of a crossing a record was written on. */
export type Side = 'consultation' | 'disclosure';

/**
 * Every kind of entry in the log. `review` closes an emergency release's mandatory review; `procedure` is
 * an act of the owner's desk (a request filed or decided, a grant issued or revoked, an emergency
 * registered); `purge` records a retention purge (and anchors the chains it cut); `checkpoint` is a
 * signed seal over a chain's head.
 */
export type RecordKind = Side | 'review' | 'procedure' | 'purge' | 'checkpoint';

export const RECORD_KINDS: readonly RecordKind[] = [
  'consultation',
  'disclosure',
  'review',
  'procedure',
  'purge',
  'checkpoint',
];

/** A clause cited for a field: agreement id, clause id, and the article (with the agreement's title). */
export interface CitedClause {
  readonly agreement: string;
  readonly clause: string;
  readonly citation: string;
  readonly title?: string;
}

/** What happened to one field path of one record of one owner. */
export interface FieldEntry {
  /** The field's path in the response, e.g. `suspects.2.fullName` (or `KHSuspect.fullName`). */
  readonly path: string;
  /**
   * The global id of the record the field belongs to (`KH-SUS-000001`), when there is one: the same on
   * both sides of a crossing, where paths differ (the analyst's `suspects.2.fullName` is the owner's
   * `_entities.0.fullName`).
   */
  readonly record?: string;
  /** The data category (`@category`) of the field. */
  readonly category: string;
  readonly effect: Effect;
  /** The decision's reason code (policy/reasonCodes.ts), when there is one. */
  readonly reason?: string;
  /** The clauses that determined the effect; a cross-border release cites at least one. */
  readonly clauses: readonly CitedClause[];
  /** The obligations that travel with released data (absent when withheld). */
  readonly obligations?: Obligations;
  /** The owner's domestic release gate grounds that allowed it (the second key). */
  readonly gate?: { readonly owner: string; readonly title?: string; readonly citations: readonly string[] };
  /**
   * The owner's grant the field was released under: set when the clause cited needs a formal request
   * (`requestReference`) and the grant the request named met it. Records written before grants were
   * cited have none.
   */
  readonly grant?: GrantCitation;
}

/** A grant as a record cites it: its id and the end of its validity (ISO 8601, exclusive). */
export interface GrantCitation {
  readonly id: string;
  /** Absent only where the writer did not hold the grant (the gateway's own decisions never rest on one). */
  readonly validUntil?: string;
}

/** The emergency the request relied on: the hub's registration (emergencies/), as the gateway resolved it. */
export interface EmergencyDeclaration {
  /** The registration's id (`EMG-KR-…`); absent only in records written before emergencies were registered. */
  readonly id?: string;
  /** ISO 8601 time of the registration: the window runs from it. */
  readonly declaredAt: string;
  readonly justification: string;
}

/**
 * What the gateway (a consultation) or an owner subgraph (a disclosure) appends for one crossing: one
 * requester, one owner, one decision id.
 */
export interface CrossingRecord {
  readonly side: Side;
  /** When the crossing happened (ISO 8601, a Date or epoch ms); default: the time of the append. */
  readonly at?: string | number | Date;
  readonly requestId: string;
  /** One per crossing (request × owner country); the same on the requester's and the owner's record. */
  readonly decisionId: string;
  /** Who asked: the analyst and their (verified) country. */
  readonly analyst: string;
  readonly country: string;
  /** The declared purpose; absent when none was declared (then nothing crossed: docs/domain.md#invariants 7). */
  readonly purpose?: string;
  readonly caseReference?: string;
  readonly requestReference?: string;
  readonly jointTeam?: string;
  /** The warrant or judicial order the request named (`Accord-Warrant`); absent in records written before it was recorded. */
  readonly warrantReference?: string;
  /** The INTERPOL notice the request named (`Accord-Notice`, `<colour>:<id>`); absent in records written before it was recorded. */
  readonly interpolNotice?: string;
  readonly emergency?: EmergencyDeclaration;
  /**
   * The follow-up requests (issue 9) this crossing filed, by the id the owner assigned (`KH-FUR-2026-000001`):
   * the owner's `request.filed` procedure records carry the same ids.
   */
  readonly followUpRequests?: readonly string[];
  /** The country that owns the records. */
  readonly owner: string;
  readonly fields: readonly FieldEntry[];
  /** The agreement-set revision the decisions were made under. */
  readonly policyRevision: string;
  /** sha256 of the operation as the analyst sent it. */
  readonly operationHash: string;
  readonly operationName?: string;
}

/** The body of a consultation or disclosure entry (the crossing record, time moved to the envelope). */
export type CrossingBody = Omit<CrossingRecord, 'at'>;

/** Points at one entry: its chain, its place, and its hash. */
export interface RecordRef {
  readonly chain: string;
  readonly seq: number;
  readonly hash: string;
}

export interface ReviewBody {
  /** The emergency release that was reviewed. */
  readonly target: RecordRef;
  readonly decisionId: string;
  readonly caseReference?: string;
  readonly reviewer: string;
  readonly note: string;
  /** When the review was due (the release's time + reviewWithinHours), and whether it came late. */
  readonly dueAt: string;
  readonly late: boolean;
}

/** Where verification of a chain starts after a purge: the last purged entry's place and hash. */
export interface PurgeAnchor {
  readonly chain: string;
  readonly throughSeq: number;
  readonly lastHash: string;
}

export interface PurgeBody {
  readonly operator: string;
  readonly retentionDays: number;
  /** Entries written before this time were due for purging (ISO 8601). */
  readonly cutoff: string;
  readonly reason?: string;
  /** What this purge removed, per chain. */
  readonly purged: readonly {
    readonly chain: string;
    readonly fromSeq: number;
    readonly throughSeq: number;
    readonly count: number;
  }[];
  /**
   * Every chain's current anchor, carried forward from earlier purges: a later purge may remove an earlier
   * purge entry, and the anchors it held must survive it.
   */
  readonly anchors: readonly PurgeAnchor[];
}

/** Why a checkpoint was written. */
export type CheckpointReason = 'count' | 'interval' | 'close' | 'recovery' | 'manual';

/** What a checkpoint's signature covers. */
export interface CheckpointStatement {
  readonly chain: string;
  /** The entry the checkpoint seals (the one just before it). */
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  /** True for the checkpoint a writer writes when it closes: a chain that ends without one is open. */
  readonly final: boolean;
  /** Heads of the other chains of the log when the checkpoint was written (cross-witnessing). */
  readonly witnessed: readonly RecordRef[];
}

export interface CheckpointBody extends Omit<CheckpointStatement, 'chain' | 'at'> {
  readonly reason: CheckpointReason;
  /** The writer's Ed25519 public key (SPKI DER, base64). */
  readonly publicKey: string;
  /** Ed25519 signature over the canonical JSON of the statement (base64). */
  readonly signature: string;
}

/** Who can act in a procedure record. */
export type ProcedureRole = 'officer' | 'analyst' | 'system';

/** The closed set of desk acts (audit/validateProcedure.ts PROCEDURE_ACTS says what each must carry). */
export type ProcedureAct =
  | 'request.filed'
  | 'request.info_requested'
  | 'request.info_supplied'
  | 'request.refused'
  | 'request.approved'
  | 'grant.issued'
  | 'grant.revoked'
  | 'emergency.registered'
  // Alerts (docs/decisions/0019-alert-delivery.md): each act on the side it concerns.
  | 'watch.registered'
  | 'watch.renewed'
  | 'watch.cancelled'
  | 'watch.held'
  | 'watch.dropped'
  | 'notice.emitted'
  | 'notice.delivered'
  | 'notice.acknowledged';

/**
 * One desk act, as a caller gives it to `recordProcedure` (audit/recordProcedure.ts). Who acted, for which
 * owner, and what the act is about; the fields an act does not concern are left out.
 */
export interface ProcedureRecord {
  readonly act: ProcedureAct;
  /** When the act took effect (ISO 8601, a Date or epoch ms); default: the time of the append. */
  readonly at?: string | number | Date;
  /**
   * Who acted: a desk officer of the owner, the requesting analyst (filing, a watch, an acknowledgement), or
   * a member's own system acting on its own (`system`: matching a watch, emitting a notice, holding a watch).
   */
  readonly actor: { readonly id: string; readonly country: string; readonly role: ProcedureRole };
  /** The member whose desk decides (the requested party, the owner of the records). */
  readonly owner: string;
  /** The requesting country and analyst(s). */
  readonly requester?: { readonly country: string; readonly analysts?: readonly string[] };
  readonly requestId?: string;
  readonly grantId?: string;
  /** An emergency's registration. */
  readonly registrationId?: string;
  readonly caseReference?: string;
  readonly purpose?: string;
  /** Global ids of the records concerned. */
  readonly subjects?: readonly string[];
  readonly categories?: readonly string[];
  readonly agreement?: string;
  /** Clause ids of `agreement`. */
  readonly clauses?: readonly string[];
  /** The validity the act gives (a grant's, an emergency's window); `validUntil` exclusive. */
  readonly validFrom?: string | number | Date;
  readonly validUntil?: string | number | Date;
  readonly evidentiaryUse?: boolean;
  /** A refusal's ground, as the closed list of grounds words it (with its citation). */
  readonly ground?: string;
  /** An emergency's justification. */
  readonly justification?: string;
  /** Free text: the information asked for, a revocation's reason. */
  readonly note?: string;
  /** A watch (alerts): its id, `<CC>-WCH-<uuid>`. */
  readonly watchId?: string;
  /** A notice (alerts): its id, `<owner>-NTC-<24 hex>`. */
  readonly noticeId?: string;
  /** The owner's reference of the record change a notice is about (`<owner>-EVT-<n>`). */
  readonly eventReference?: string;
  /** The members a watch went to (member codes). */
  readonly recipients?: readonly string[];
  /**
   * What allowed an alert act, clause by clause: for a watch, each identifier's category that went to a
   * member and the watcher's clause; for a notice, the hit's and the event's category and the owner's clause.
   */
  readonly basis?: readonly ProcedureBasis[];
  /** What the analyst did on a notice (vocabulary's acknowledgement actions). */
  readonly action?: string;
}

/** One clause that allowed an alert act, for one category (and, for a watch, one member it went to). */
export interface ProcedureBasis {
  readonly member?: string;
  readonly category: string;
  readonly agreement: string;
  readonly clause: string;
}

/** The body of a procedure entry: the act with its times in ISO 8601 (the act's time moved to the envelope). */
export interface ProcedureBody extends Omit<ProcedureRecord, 'at' | 'validFrom' | 'validUntil'> {
  readonly validFrom?: string;
  readonly validUntil?: string;
}

export type EntryBody = StoredCrossingBody | ReviewBody | ProcedureBody | PurgeBody | CheckpointBody;

/**
 * One entry as stored. `bodyHash` = sha256(canonical JSON of `body`); `hash` = sha256(canonical JSON of
 * every other field). An evidence pack can so prove the chain through entries whose body it leaves out.
 */
export interface StoredEntry {
  readonly v: 1;
  /** The writer instance: each instance keeps its own chain (docs/decisions/0008-audit-chain.md). */
  readonly chain: string;
  /** 1, 2, 3, … within the chain. */
  readonly seq: number;
  readonly kind: RecordKind;
  /** ISO 8601 UTC time. */
  readonly at: string;
  /** Hash of the previous entry of the chain (GENESIS for the first). */
  readonly prev: string;
  readonly bodyHash: string;
  readonly hash: string;
  readonly body: EntryBody;
}

/** An entry without its body: what an evidence pack carries for entries of other cases. */
export type EntryLink = Omit<StoredEntry, 'body'>;
