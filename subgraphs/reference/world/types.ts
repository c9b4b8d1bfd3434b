// The records of the reference world: the contract's value types, the four record kinds and the metadata
// the store keeps beside them (source grade, operations, national-only fields).
import type { EntityInterface } from '../../../schema';

export interface Money {
  readonly amount: number;
  readonly currency: string;
}
export interface GeoPoint {
  readonly latitude: number;
  readonly longitude: number;
}
export interface Location {
  readonly description: string;
  readonly country: string;
  readonly point: GeoPoint | null;
  readonly observedAt: string;
}
export interface Warrant {
  readonly reference: string;
  readonly issuedBy: string;
  readonly issuedOn: string;
  readonly offence: string;
}
export type InterpolNoticeColour =
  'RED' | 'BLUE' | 'YELLOW' | 'SILVER' | 'GREEN' | 'BLACK' | 'ORANGE' | 'PURPLE';
export interface WantedStatus {
  readonly wanted: boolean;
  readonly warrants: readonly Warrant[];
  readonly interpolNotice: { readonly colour: InterpolNoticeColour; readonly id: string } | null;
}
export interface Conviction {
  readonly court: string;
  readonly date: string;
  readonly offence: string;
  readonly sentence: string;
}
export interface BorderMovement {
  readonly direction: 'ENTRY' | 'EXIT';
  readonly crossingPoint: string;
  readonly country: string;
  readonly at: string;
  readonly documentNumber: string;
}
export interface TravelDocument {
  readonly kind: string;
  readonly number: string;
  readonly issuingCountry: string;
  readonly expiresOn: string;
}
export interface FinancialAccount {
  readonly kind: 'bank' | 'e_wallet' | 'crypto_wallet';
  readonly institution: string;
  readonly number: string;
  readonly country: string;
  readonly holderName: string;
}
export interface Transaction {
  readonly at: string;
  readonly fromAccount: string;
  readonly toAccount: string;
  readonly amount: Money;
}
export interface SubscriberRecord {
  readonly phone: string;
  readonly operator: string;
  readonly registeredName: string;
  readonly activatedOn: string;
}
export interface CallRecord {
  readonly from: string;
  readonly to: string;
  readonly at: string;
  readonly durationSeconds: number;
}
export interface InterceptedMessage {
  readonly at: string;
  readonly channel: string;
  readonly from: string;
  readonly to: string;
  readonly content: string;
}
export interface Raid {
  readonly date: string;
  readonly leadAgency: string;
  readonly outcome: string;
  readonly workersFreed: number;
  readonly arrests: number;
}
export interface EvidenceItem {
  readonly reference: string;
  readonly description: string;
  readonly custodian: string;
  readonly seizedOn: string;
}
export type CompoundStatus = 'ACTIVE' | 'RAIDED' | 'RELOCATED';
export type CaseStatus = 'OPEN' | 'UNDER_INVESTIGATION' | 'PROSECUTION' | 'CLOSED';
export type VictimStatus = 'MISSING' | 'CONFINED' | 'RESCUED' | 'REPATRIATED';

/** Intelligence source grading (reliability A–C, credibility 1–3); agreements may set a minimum. */
export const SOURCE_GRADES = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'C1', 'C2', 'C3'] as const;
export type SourceGrade = (typeof SOURCE_GRADES)[number];

/** Operations cases can belong to (a joint team's scope is an operation). Fictional except in name. */
export const OPERATIONS = {
  /** The KR–KH joint task force's scope and the five-member "Breaking Chains" operation (docs/domain.md). */
  BREAKING_CHAINS: 'BREAKING-CHAINS',
  /** A fictional KR–PH operation against loan-scam hubs. */
  SILVER_TIDE: 'SILVER-TIDE',
} as const;

/** National-only field values, by field name of schema/national/<CC>.graphql (absent: null). */
export type NationalFields = Readonly<Record<string, string>>;

/**
 * What every record carries besides its contract fields: the owner's metadata the authorization layer
 * needs (docs/domain.md conditions "minimum source grade" and "record linked to the team's operation"). For a
 * case, `operations` is also a contract field; for the other kinds it is the union of their cases'.
 */
export interface RecordMeta {
  readonly id: string;
  readonly country: string;
  readonly sourceGrade: SourceGrade;
  readonly operations: readonly string[];
  readonly national: NationalFields;
}

export interface SuspectRecord extends RecordMeta {
  readonly fullName: string;
  readonly aliases: readonly string[];
  readonly dateOfBirth: string;
  readonly nationality: string;
  readonly passportNumbers: readonly string[];
  readonly phones: readonly string[];
  readonly messengerHandles: readonly string[];
  readonly wantedStatus: WantedStatus;
  readonly criminalRecord: readonly Conviction[];
  readonly lastKnownLocation: Location | null;
  readonly borderMovements: readonly BorderMovement[];
  readonly travelDocuments: readonly TravelDocument[];
  readonly financialAccounts: readonly FinancialAccount[];
  readonly subscriberRecords: readonly SubscriberRecord[];
  readonly callRecords: readonly CallRecord[];
  readonly interceptedMessages: readonly InterceptedMessage[];
  /** Global ids of suspects, of any member. */
  readonly associates: readonly string[];
  /** Global ids of cases, of any member. */
  readonly linkedCases: readonly string[];
  /** Never served: `biometricMatch` answers only whether a given hash equals it (docs/domain.md#invariants 1). */
  readonly biometricTemplateHash: string | null;
}

export interface CompoundRecord extends RecordMeta {
  readonly name: string;
  readonly address: string;
  readonly province: string;
  readonly coordinates: GeoPoint;
  readonly status: CompoundStatus;
  readonly estimatedWorkers: number;
  readonly security: string;
  readonly operators: readonly string[];
  readonly raids: readonly Raid[];
  readonly linkedCases: readonly string[];
}

export interface CaseRecord extends RecordMeta {
  readonly caseNumber: string;
  readonly leadAgency: string;
  readonly offences: readonly string[];
  readonly status: CaseStatus;
  readonly modusOperandi: string;
  readonly lossAmount: Money;
  readonly suspects: readonly string[];
  readonly compounds: readonly string[];
  readonly victims: readonly string[];
  readonly evidence: readonly EvidenceItem[];
  readonly proceedsAccounts: readonly FinancialAccount[];
  readonly transactions: readonly Transaction[];
  readonly frozenAmount: Money | null;
  readonly recoveredAmount: Money | null;
}

export interface VictimRecord extends RecordMeta {
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly nationality: string;
  /** Null for a person defrauded at home who was never trafficked. */
  readonly status: VictimStatus | null;
  readonly lastKnownLocation: Location | null;
  readonly confinedAt: string | null;
  readonly injuries: readonly string[];
  readonly needs: readonly string[];
  readonly linkedCases: readonly string[];
}

export interface RecordsByKind {
  Suspect: SuspectRecord;
  Compound: CompoundRecord;
  Case: CaseRecord;
  Victim: VictimRecord;
}
export type AnyRecord = RecordsByKind[EntityInterface];
