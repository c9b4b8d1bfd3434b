/**
 * The reference alliance world: one coherent, seeded, synthetic world of telecom-fraud records, partitioned
 * by owner country (KR, KH, TH, PH, VN), that the reference national systems serve.
 *
 * EVERYTHING HERE IS FICTIONAL. Every person, alias, place, town, province, commune, crossing point,
 * compound, bank, telecom operator, court, case number, warrant, notice id, passport, phone, identity and
 * account number is invented for demonstration and testing. Resemblance to real people, places or records
 * is coincidental. Country codes, currencies and the shape of identifiers follow real conventions so that
 * the data looks plausible to an analyst; nothing else does.
 *
 * The story (docs/domain.md): Korean voice-phishing and job-scam rings are run from scam compounds in Cambodia
 * (KH) and the Philippines (PH), and from a border compound reported by Thailand (TH). Compounds have
 * operators of several nationalities; victims, mostly Korean nationals, are missing, confined, rescued or
 * repatriated; cases link compounds, suspects and accounts across borders, and some belong to operations
 * (BREAKING-CHAINS, the KR–KH task force's scope and the five-member operation; SILVER-TIDE, a fictional
 * KR–PH operation).
 *
 * Two layers:
 * - The core scenario: a few hand-written records per country with stable ids (serials 1..n of each kind)
 *   that the README, demos and tests name (DEMO_IDS, DEMO_SEARCH_TERMS). It does not depend on the seed.
 *   "Tiger" (Do Gang-min) is on file in all five members, so one search crosses every border.
 * - Filler, grown by `size` and drawn from the seed: criminal "rings", one per filler compound. A ring's
 *   suspects, cases and victims come from every member; links (operators, associates, case suspects and
 *   victims, linked cases, confinement) stay inside the ring and are symmetric (a case lists a suspect iff
 *   the suspect lists the case). Filler never reuses the core's demo names and numbers, so demo searches
 *   stay crisp at any size.
 *
 * Every filler record is a pure function of (seed, size, id): a member's process generates only its own
 * share (`world.records(country, kind)`), in serial order, with O(ring size) work per record, and every
 * cross-border id it writes exists in the owner's share of the same world.
 */
import { MEMBERS, formatGlobalId, parseGlobalId, type EntityInterface } from '../../schema';

// ---------------------------------------------------------------------------------------------------------
// Record shapes (the contract's value types, plus the store's metadata)
// ---------------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------------
// Demo constants (the README and tests use them; they do not depend on seed or size)
// ---------------------------------------------------------------------------------------------------------

/**
 * Stable ids of the core scenario.
 * - KH-CMP-000001 "Golden Crane Resort" (Cambodia, ACTIVE): operators KH-SUS-000001 (Tiger's KH record),
 *   KR-SUS-000002 (Korean recruiter), TH-SUS-000001 (Thai security chief), KH-SUS-000002 (local fixer).
 * - KR-CAS-000001: a Korean voice-phishing case in BREAKING-CHAINS linking KH-CMP-000001, TH and KH
 *   suspects and PH mule accounts; KR-VIC-000001 is a Korean worker confined in KH-CMP-000001.
 * - TH-CMP-000001: the border compound reported by Thailand; KR-VIC-000005 is confined there.
 */
export const DEMO_IDS = {
  tigerKR: 'KR-SUS-000001',
  tigerKH: 'KH-SUS-000001',
  tigerTH: 'TH-SUS-000002',
  tigerPH: 'PH-SUS-000001',
  tigerVN: 'VN-SUS-000001',
  recruiterKR: 'KR-SUS-000002',
  securityChiefTH: 'TH-SUS-000001',
  muleRecruiterPH: 'PH-SUS-000002',
  goldenCraneCompound: 'KH-CMP-000001',
  relocatedCompoundKH: 'KH-CMP-000002',
  borderCompoundTH: 'TH-CMP-000001',
  lagoonCompoundPH: 'PH-CMP-000001',
  voicePhishingCaseKR: 'KR-CAS-000001',
  jobScamCaseKR: 'KR-CAS-000002',
  raidCaseKH: 'KH-CAS-000001',
  confinedVictimKR: 'KR-VIC-000001',
  rescuedVictimKR: 'KR-VIC-000002',
  missingVictimKR: 'KR-VIC-000004',
} as const;

/**
 * Good demo searches (case-insensitive; prefix or whole-token match):
 * - "Tiger": Do Gang-min's records in all five members (suspects KR, KH, TH, PH, VN).
 * - "호랑이" (Korean for tiger): his KR record only.
 * - "M58402957": his passport, on file in KR, KH, TH and VN.
 * - "+855 96 555 0142" (or "096 555 0142"): his Cambodian phone, known to KR and KH.
 * - "3318-5550-2290": a Philippine mule account, held by PH-SUS-000002 and listed as proceeds in
 *   KR-CAS-000001 and PH-CAS-000001.
 * - "Golden Crane": the compound KH-CMP-000001.
 */
export const DEMO_SEARCH_TERMS = {
  sharedAlias: 'Tiger',
  koreanAlias: '호랑이',
  passport: 'M58402957',
  phone: '+855 96 555 0142',
  account: '3318-5550-2290',
  compoundName: 'Golden Crane',
} as const;

/** The template hash on file for Tiger in KR and TH: `biometricMatch(templateHash: ...)` answers true. */
export const DEMO_BIOMETRIC_TEMPLATE_HASH =
  'sha256:af8054fc5fe7652f6a15d2bd266d99bdb9e1fa457ac28120f024a6f54509983a';

/** Bump when generation changes: stores seeded by an older generator are reseeded. */
export const WORLD_VERSION = 1;

export const DEFAULT_SEED = 20251021;
/** About this many records per member (tens per kind). */
export const DEFAULT_SIZE = 100;
const MAX_SIZE = 5_000_000;

// ---------------------------------------------------------------------------------------------------------
// Randomness: mulberry32 streams keyed by (seed, record id, stream name); no Math.random anywhere
// ---------------------------------------------------------------------------------------------------------

/** mulberry32: a small, fast 32-bit PRNG; good enough for synthetic data, not for anything secret. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over UTF-16 code units. */
function hashString(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finalizer: spreads every input bit over the output. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mix(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) h = fmix32((h ^ part) + 0x7f4a7c15);
  return h;
}

class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight: `[[value, weight], ...]`. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  /** Up to `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, n);
  }

  /**
   * `length` decimal digits whose first digit is never 5: the core scenario's identifiers all carry a
   * 5 there, so filler can never collide with a demo number.
   */
  digits(length: number): string {
    let out = String(this.pick(FIRST_DIGITS));
    for (let i = 1; i < length; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }

  /** An ISO date between two years (inclusive). */
  date(fromYear: number, toYear: number): string {
    const year = this.int(fromYear, toYear);
    const month = this.int(1, 12);
    const day = this.int(1, 28);
    return `${year}-${pad(month, 2)}-${pad(day, 2)}`;
  }

  /** An ISO timestamp (UTC) between two years. */
  timestamp(fromYear: number, toYear: number): string {
    return `${this.date(fromYear, toYear)}T${pad(this.int(0, 23), 2)}:${pad(this.int(0, 59), 2)}:00Z`;
  }
}

const FIRST_DIGITS = [1, 2, 3, 4, 6, 7, 8, 9] as const;
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * A seed as given by a person (`ACCORD_SEED=42`, `ACCORD_SEED=demo`) → a 32-bit seed. Decimal strings
 * mean their number, so "42" and 42 give the same world.
 */
export function normalizeSeed(seed: number | string | undefined): number {
  if (seed === undefined) return DEFAULT_SEED;
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new Error(`A world seed must be a non-negative integer or a string, not ${seed}.`);
    return seed >>> 0;
  }
  if (/^\d+$/.test(seed)) return normalizeSeed(Number(seed));
  if (seed.length === 0) throw new Error('A world seed must not be empty.');
  return hashString(seed);
}

function validateSize(size: number | undefined): number {
  if (size === undefined) return DEFAULT_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_SIZE) {
    throw new Error(
      `A world size must be an integer from 1 to ${MAX_SIZE} (about that many records per member), not ${size}.`,
    );
  }
  return size;
}

// ---------------------------------------------------------------------------------------------------------
// Country profiles (all names, places and institutions invented)
// ---------------------------------------------------------------------------------------------------------

interface NamePool {
  readonly family: readonly string[];
  readonly given: readonly string[];
  /** How a full name is written from a family and a given name. */
  readonly format: (family: string, given: string) => string;
}

const NAME_POOLS: Readonly<Record<string, NamePool>> = {
  KR: {
    family: [
      'Kim',
      'Lee',
      'Park',
      'Choi',
      'Jung',
      'Kang',
      'Cho',
      'Yoon',
      'Jang',
      'Lim',
      'Han',
      'Oh',
      'Shin',
      'Kwon',
      'Hwang',
      'Ahn',
      'Song',
      'Jeon',
      'Hong',
      'Moon',
    ],
    given: [
      'Min-jun',
      'Seo-yeon',
      'Ji-hoon',
      'Ha-rin',
      'Jun-seo',
      'Su-bin',
      'Hyun-woo',
      'Ye-jin',
      'Tae-hoon',
      'Eun-ji',
      'Sung-min',
      'Ji-won',
      'Dong-hyun',
      'Hye-won',
      'Sang-woo',
      'Na-yeon',
      'Jae-sung',
      'Yu-na',
      'Woo-jin',
      'Seung-hee',
    ],
    format: (family, given) => `${family} ${given}`,
  },
  KH: {
    family: ['Sok', 'Chan', 'Keo', 'Heng', 'Meas', 'Ouk', 'Prak', 'Sam', 'Chea', 'Touch', 'Nhem', 'Long'],
    given: [
      'Dara',
      'Vannak',
      'Sophal',
      'Kosal',
      'Vibol',
      'Bopha',
      'Chenda',
      'Sreymom',
      'Rith',
      'Pisey',
      'Sokha',
      'Veasna',
      'Rathana',
      'Sothea',
    ],
    format: (family, given) => `${family} ${given}`,
  },
  TH: {
    family: [
      'Thongsuk',
      'Srisawat',
      'Kaewdee',
      'Chaiyasit',
      'Wongsakul',
      'Phromsri',
      'Rattanaporn',
      'Sukjai',
      'Meechai',
      'Inpanya',
      'Boonsong',
      'Saengthong',
    ],
    given: [
      'Somchai',
      'Niran',
      'Prasert',
      'Wichai',
      'Suda',
      'Malee',
      'Ratana',
      'Chaiwat',
      'Thanawat',
      'Pimchanok',
      'Sakda',
      'Boonmee',
      'Kanya',
      'Arthit',
    ],
    format: (family, given) => `${given} ${family}`,
  },
  PH: {
    family: [
      'Santos',
      'Reyes',
      'Cruz',
      'Bautista',
      'Garcia',
      'Mendoza',
      'Villanueva',
      'Ramos',
      'Castillo',
      'Salazar',
      'Fernandez',
      'Domingo',
      'Pascual',
      'Soriano',
    ],
    given: [
      'Juan',
      'Jose',
      'Mark',
      'John Paul',
      'Maria',
      'Ana',
      'Kristine',
      'Rodel',
      'Jericho',
      'Liza',
      'Ramon',
      'Joy',
      'Arnel',
      'Mylene',
    ],
    format: (family, given) => `${given} ${family}`,
  },
  VN: {
    family: ['Nguyen', 'Tran', 'Le', 'Pham', 'Hoang', 'Vu', 'Dang', 'Bui', 'Ngo', 'Duong'],
    given: [
      'Van An',
      'Thi Thu',
      'Minh Khanh',
      'Quoc Hung',
      'Duc Nam',
      'Thanh Huong',
      'Van Cuong',
      'Thi Linh',
      'Hoang Long',
      'Minh Tuan',
      'Thi Trang',
      'Quang Hai',
    ],
    format: (family, given) => `${family} ${given}`,
  },
  CN: {
    family: ['Chen', 'Wang', 'Zhang', 'Liu', 'Huang', 'Zhou', 'Wu', 'Lin', 'Xu', 'Zhao'],
    given: ['Wei', 'Hao', 'Jun', 'Lei', 'Ming', 'Tao', 'Yong', 'Qiang', 'Jie', 'Fang'],
    format: (family, given) => `${family} ${given}`,
  },
};

/** Khmer script for the KH name pool (national-only field `khmerName`). */
const KHMER_SCRIPT: Readonly<Record<string, string>> = {
  Sok: 'សុខ',
  Chan: 'ចាន់',
  Keo: 'កែវ',
  Heng: 'ហេង',
  Meas: 'មាស',
  Ouk: 'អ៊ុក',
  Prak: 'ប្រាក់',
  Sam: 'សំ',
  Chea: 'ជា',
  Touch: 'ទូច',
  Nhem: 'ញឹម',
  Long: 'ឡុង',
  Dara: 'ដារ៉ា',
  Vannak: 'វណ្ណៈ',
  Sophal: 'សុផល',
  Kosal: 'កុសល',
  Vibol: 'វិបុល',
  Bopha: 'បុប្ផា',
  Chenda: 'ចិន្ដា',
  Sreymom: 'ស្រីមុំ',
  Rith: 'រិទ្ធ',
  Pisey: 'ពិសី',
  Sokha: 'សុខា',
  Veasna: 'វាសនា',
  Rathana: 'រតនា',
  Sothea: 'សុធា',
};

/** Filler aliases. Never "Tiger" or anything in DEMO_SEARCH_TERMS. */
const ALIAS_WORDS = [
  'Boss',
  'Manager',
  'Teacher',
  'Big Brother',
  'Ghost',
  'Falcon',
  'Captain',
  'Doctor',
  'Cobra',
  'Shadow',
  'Lucky',
  'Joker',
  'Professor',
  'Uncle',
  'Coach',
  'Banker',
  'Chairman',
  'Monk',
];
const ALIAS_TITLES = ['Manager', 'Uncle', 'Boss', 'Director', 'Teacher', 'Brother'];

interface CountryProfile {
  readonly currency: string;
  /** Loss amounts are drawn in [min, max] of this currency. */
  readonly lossRange: readonly [number, number];
  readonly phone: (rng: Rng) => string;
  readonly passport: (rng: Rng) => string;
  readonly banks: readonly string[];
  readonly telecom: readonly string[];
  readonly towns: readonly string[];
  readonly provinces: readonly string[];
  readonly crossingPoints: readonly string[];
  /** A rough box inside the country for coordinates: [latMin, latMax, lonMin, lonMax]. */
  readonly box: readonly [number, number, number, number];
  readonly agency: string;
  readonly agencyCode: string;
  readonly courts: readonly string[];
  readonly messenger: readonly string[];
}

const PROFILES: Readonly<Record<string, CountryProfile>> = {
  KR: {
    currency: 'KRW',
    lossRange: [3_000_000, 900_000_000],
    phone: (rng) => `+82 10-${rng.digits(4)}-${rng.digits(4)}`,
    passport: (rng) => `M${rng.digits(8)}`,
    banks: ['Hanul Bank', 'Daeyang Savings Bank', 'Mirae Citizens Bank', 'Saebyeok Bank'],
    telecom: ['Hanbit Mobile', 'K-Wave Telecom', 'Sori Mobile'],
    towns: [
      'Haeryong-si',
      'Dongbin-dong, Seonam-gu, Haeryong',
      'Mokhwa-eup',
      'Cheongmun-dong',
      'Gaeul-si',
      'Baekdam-ri',
    ],
    provinces: ['Haeryong Metropolitan City', 'Gaeul Province', 'Baekdam Province'],
    crossingPoints: ['Haeryong International Airport', 'Gaeul Ferry Terminal'],
    box: [35.1, 37.5, 126.8, 129.1],
    agency: 'Haeryong Metropolitan Police Agency — Anti-Telecom Fraud Unit',
    agencyCode: 'HRP',
    courts: ['Haeryong District Court', 'Gaeul District Court'],
    messenger: ['kakaotalk', 'telegram'],
  },
  KH: {
    currency: 'USD',
    lossRange: [2_000, 600_000],
    phone: (rng) =>
      `+855 ${rng.pick(['12', '16', '70', '77', '78', '85', '97'])} ${rng.digits(3)} ${rng.digits(4)}`,
    passport: (rng) => `N${rng.digits(8)}`,
    banks: ['Mekong Pearl Bank', 'Angkor Lotus Bank', 'Tonle Commercial Bank'],
    telecom: ['Angkor Cell', 'Mekong Mobile'],
    towns: ['Prey Meas', 'Kampong Svay Leu', 'Phsar Krom', 'Srae Ampil', 'Koh Sla', 'Phnum Dek'],
    provinces: ['Koh Sla Province', 'Prey Khla Province', 'Srae Meas Province', 'Phnum Dek Province'],
    crossingPoints: [
      'Prey Meas International Airport',
      'Phsar Daek International Checkpoint (KH–TH)',
      'Tan Hoa–Kampong Svay Checkpoint (KH–VN)',
    ],
    box: [10.7, 13.8, 102.6, 106.5],
    agency: 'Cambodian National Police — Anti-Human Trafficking Department',
    agencyCode: 'CNP-AHT',
    courts: ['Koh Sla Provincial Court', 'Prey Khla Provincial Court'],
    messenger: ['telegram', 'wechat'],
  },
  TH: {
    currency: 'THB',
    lossRange: [20_000, 20_000_000],
    phone: (rng) => `+66 ${rng.pick(['6', '8', '9'])}${rng.int(1, 9)} ${rng.digits(3)} ${rng.digits(4)}`,
    passport: (rng) => `AA${rng.digits(7)}`,
    banks: ['Siam Lotus Bank', 'Chao Nam Trust Bank', 'Andaman Savings Bank'],
    telecom: ['Siam Mobile Net', 'Lanna Cell'],
    towns: ['Ban Nong Sai Tai', 'Mae Lamphun Noi', 'Tha Khanun Nuea', 'Ban Huai Daeng', 'Moei Noi'],
    provinces: ['Mae Lamphun Province', 'Nong Sai Province', 'Moei Noi District'],
    crossingPoints: [
      'Moei Noi Friendship Bridge (TH–MM)',
      'Ban Khlong Daen Checkpoint (TH–KH)',
      'Nong Sai International Airport',
    ],
    box: [13.5, 18.5, 98.6, 102.5],
    agency: 'Royal Thai Police — Anti-Trafficking in Persons Division',
    agencyCode: 'RTP-ATPD',
    courts: ['Mae Lamphun Provincial Court', 'Nong Sai Criminal Court'],
    messenger: ['line', 'telegram'],
  },
  PH: {
    currency: 'PHP',
    lossRange: [10_000, 15_000_000],
    phone: (rng) => `+63 9${rng.digits(2)} ${rng.digits(3)} ${rng.digits(4)}`,
    passport: (rng) => `P${rng.digits(7)}A`,
    banks: ['Bayanihan Savings Bank', 'Visayas Pacific Bank', 'Luzon Unity Bank'],
    telecom: ['Islas Telco', 'Kapuluan Mobile'],
    towns: ['Port Lumina', 'Santa Ligaya', 'Bagong Pag-asa', 'San Isidro Norte', 'Dalampasigan'],
    provinces: ['Lumina Province', 'Ligaya Province', 'Dalampasigan Province'],
    crossingPoints: ['Port Lumina International Airport', 'Santa Ligaya Seaport'],
    box: [7.5, 16.5, 120.6, 125.5],
    agency: 'Philippine National Police — Anti-Cybercrime Group',
    agencyCode: 'PNP-ACG',
    courts: ['Port Lumina Regional Trial Court', 'Santa Ligaya Regional Trial Court'],
    messenger: ['telegram', 'viber'],
  },
  VN: {
    currency: 'VND',
    lossRange: [50_000_000, 9_000_000_000],
    phone: (rng) => `+84 ${rng.pick(['32', '33', '86', '90', '97', '98'])} ${rng.digits(3)} ${rng.digits(4)}`,
    passport: (rng) => `C${rng.digits(7)}`,
    banks: ['Song Hong Commercial Bank', 'Mekong Delta Joint Stock Bank', 'Ha Lam Bank'],
    telecom: ['Song Viet Mobile', 'Lac Hong Telecom'],
    towns: ['Tan Phu Dong', 'Ha Lam', 'Tan Hoa', 'Xuan Khe', 'Dong Linh'],
    provinces: ['Tan Hoa Province', 'Ha Lam Province', 'Xuan Khe Province'],
    crossingPoints: ['Tan Hoa International Border Gate (VN–KH)', 'Xuan Khe International Airport'],
    box: [10.0, 21.5, 104.5, 108.5],
    agency: 'Ministry of Public Security — Criminal Police Department',
    agencyCode: 'MPS-C03',
    courts: ['Tan Hoa Provincial People’s Court', 'Ha Lam People’s Court'],
    messenger: ['zalo', 'telegram'],
  },
  CN: {
    currency: 'CNY',
    lossRange: [5_000, 3_000_000],
    phone: (rng) => `+86 13${rng.int(0, 9)} ${rng.digits(4)} ${rng.digits(4)}`,
    passport: (rng) => `E${rng.digits(8)}`,
    banks: ['Jinhe Commercial Bank'],
    telecom: ['Huaxia Mobile'],
    towns: ['Jinhe'],
    provinces: ['Jinhe Prefecture'],
    crossingPoints: ['Jinhe International Airport'],
    box: [22.0, 30.0, 105.0, 118.0],
    agency: 'Public Security Bureau',
    agencyCode: 'PSB',
    courts: ['Jinhe Intermediate Court'],
    messenger: ['wechat'],
  },
};

/** A member added to the registry without a profile here gets a plain, still deterministic, profile. */
function profileOf(country: string): CountryProfile {
  return (
    PROFILES[country] ?? {
      ...PROFILES['KH']!,
      currency: 'USD',
      agency: `${country} National Police`,
      agencyCode: `${country}-NP`,
      banks: [`${country} National Savings Bank`],
      telecom: [`${country} Mobile`],
    }
  );
}

function namePoolOf(nationality: string): NamePool {
  return NAME_POOLS[nationality] ?? NAME_POOLS['CN']!;
}

/** Share of `size` per kind, by owner: compounds sit mostly in KH and PH; KR holds most victims. */
const KIND_WEIGHTS: Readonly<Record<string, Readonly<Record<EntityInterface, number>>>> = {
  KR: { Suspect: 0.32, Compound: 0.02, Case: 0.26, Victim: 0.4 },
  KH: { Suspect: 0.45, Compound: 0.12, Case: 0.18, Victim: 0.25 },
  TH: { Suspect: 0.5, Compound: 0.06, Case: 0.22, Victim: 0.22 },
  PH: { Suspect: 0.45, Compound: 0.1, Case: 0.2, Victim: 0.25 },
  VN: { Suspect: 0.5, Compound: 0.05, Case: 0.25, Victim: 0.2 },
};
const DEFAULT_WEIGHTS: Readonly<Record<EntityInterface, number>> = {
  Suspect: 0.5,
  Compound: 0.04,
  Case: 0.24,
  Victim: 0.22,
};

/** Who a filler suspect or victim is, by owner: mostly the owner's nationals, Koreans everywhere. */
const SUSPECT_NATIONALITIES: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  KR: [
    ['KR', 85],
    ['CN', 5],
    ['KH', 3],
    ['TH', 3],
    ['VN', 2],
    ['PH', 2],
  ],
  KH: [
    ['KH', 45],
    ['KR', 20],
    ['CN', 15],
    ['TH', 8],
    ['VN', 7],
    ['PH', 5],
  ],
  TH: [
    ['TH', 60],
    ['KR', 12],
    ['CN', 12],
    ['KH', 6],
    ['VN', 5],
    ['PH', 5],
  ],
  PH: [
    ['PH', 55],
    ['KR', 18],
    ['CN', 15],
    ['VN', 4],
    ['TH', 4],
    ['KH', 4],
  ],
  VN: [
    ['VN', 70],
    ['KR', 10],
    ['CN', 12],
    ['KH', 5],
    ['TH', 3],
  ],
};
const VICTIM_NATIONALITIES: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  KR: [
    ['KR', 92],
    ['CN', 3],
    ['VN', 3],
    ['TH', 2],
  ],
  KH: [
    ['KR', 45],
    ['KH', 25],
    ['VN', 10],
    ['TH', 8],
    ['CN', 7],
    ['PH', 5],
  ],
  TH: [
    ['TH', 45],
    ['KR', 35],
    ['VN', 7],
    ['KH', 5],
    ['CN', 8],
  ],
  PH: [
    ['KR', 45],
    ['PH', 40],
    ['VN', 5],
    ['CN', 10],
  ],
  VN: [
    ['VN', 75],
    ['KR', 20],
    ['CN', 5],
  ],
};

// ---------------------------------------------------------------------------------------------------------
// The core scenario (hand-written; stable across seeds and sizes)
// ---------------------------------------------------------------------------------------------------------

type Draft<T extends RecordMeta> = Omit<T, 'operations' | 'linkedCases' | 'associates'> & {
  readonly associates?: readonly string[];
};

const TIGER = {
  fullName: 'Do Gang-min',
  dateOfBirth: '1979-06-14',
  passport: 'M58402957',
  oldPassport: 'M54071136',
  phoneKR: '+82 10-5550-0142',
  phoneKH: '+855 96 555 0142',
  phoneTH: '+66 85 555 0142',
  phonePH: '+63 917 555 0142',
  phoneVN: '+84 90 555 0142',
  telegram: 'telegram:@tiger_dgm',
  wallet: 'TTgR5dGm1nCranE7vQ2kLsW9pXy4ZbNh3J',
  redNotice: 'A-5550/3-2024',
  krWarrant: 'HRP-W-2024-05512',
} as const;

const GOLDEN_CRANE_POINT: GeoPoint = { latitude: 10.7412, longitude: 103.6127 };
const BORDER_COMPOUND_POINT: GeoPoint = { latitude: 16.6934, longitude: 98.5112 };
const LAGOON_POINT: GeoPoint = { latitude: 14.5321, longitude: 120.9764 };
const HERON_POINT: GeoPoint = { latitude: 11.0511, longitude: 104.3078 };
const RELAY_POINT: GeoPoint = { latitude: 37.4913, longitude: 126.8875 };

const NOT_WANTED: WantedStatus = { wanted: false, warrants: [], interpolNotice: null };

const MARCO_ACCOUNTS: readonly FinancialAccount[] = [
  {
    kind: 'bank',
    institution: 'Bayanihan Savings Bank',
    number: '3318-5550-2290',
    country: 'PH',
    holderName: 'Rowena Ilagan',
  },
  {
    kind: 'e_wallet',
    institution: 'PayLakbay e-wallet',
    number: '0917-555-0190',
    country: 'PH',
    holderName: 'Jomar Pineda',
  },
];
const TIGER_CRYPTO: FinancialAccount = {
  kind: 'crypto_wallet',
  institution: 'USDT (TRC-20), self-custody',
  number: TIGER.wallet,
  country: 'KR',
  holderName: 'unknown (attributed to Do Gang-min)',
};
const HAN_CRYPTO: FinancialAccount = {
  kind: 'crypto_wallet',
  institution: 'USDT (TRC-20), Haneul Coin exchange',
  number: 'TJw5kHan7rXcoin2QpZ8mVbN4tLs9eYfUa',
  country: 'KR',
  holderName: 'Han Ji-woo',
};

function loc(description: string, country: string, point: GeoPoint | null, observedAt: string): Location {
  return { description, country, point, observedAt };
}

function passport(number: string, issuingCountry: string, expiresOn: string): TravelDocument {
  return { kind: 'PASSPORT', number, issuingCountry, expiresOn };
}

function subscriber(
  phone: string,
  operator: string,
  registeredName: string,
  activatedOn: string,
): SubscriberRecord {
  return { phone, operator, registeredName, activatedOn };
}

const CORE_SUSPECTS: readonly Draft<SuspectRecord>[] = [
  {
    id: 'KR-SUS-000001',
    country: 'KR',
    sourceGrade: 'A1',
    national: { residentRegistrationNumber: '790614-1555014' },
    fullName: TIGER.fullName,
    aliases: ['Tiger', '호랑이', 'Boss Do'],
    dateOfBirth: TIGER.dateOfBirth,
    nationality: 'KR',
    passportNumbers: [TIGER.passport, TIGER.oldPassport],
    phones: [TIGER.phoneKR, TIGER.phoneKH],
    messengerHandles: [TIGER.telegram, 'kakaotalk:tiger5550'],
    wantedStatus: {
      wanted: true,
      warrants: [
        {
          reference: TIGER.krWarrant,
          issuedBy: 'Haeryong District Court',
          issuedOn: '2024-02-07',
          offence: 'fraud (voice phishing); organised crime participation',
        },
      ],
      interpolNotice: { colour: 'RED', id: TIGER.redNotice },
    },
    criminalRecord: [
      {
        court: 'Haeryong District Court',
        date: '2014-09-30',
        offence: 'fraud (loan scam)',
        sentence: '2 years 6 months imprisonment',
      },
    ],
    lastKnownLocation: loc(
      'Golden Crane Resort, Prey Meas (intelligence report)',
      'KH',
      GOLDEN_CRANE_POINT,
      '2025-09-30T00:00:00Z',
    ),
    borderMovements: [
      {
        direction: 'EXIT',
        crossingPoint: 'Haeryong International Airport',
        country: 'KR',
        at: '2023-11-02T01:15:00Z',
        documentNumber: TIGER.passport,
      },
    ],
    travelDocuments: [
      passport(TIGER.passport, 'KR', '2031-05-19'),
      passport(TIGER.oldPassport, 'KR', '2021-05-18'),
    ],
    financialAccounts: [
      {
        kind: 'bank',
        institution: 'Hanul Bank',
        number: '110-555-014201',
        country: 'KR',
        holderName: TIGER.fullName,
      },
      TIGER_CRYPTO,
    ],
    subscriberRecords: [subscriber(TIGER.phoneKR, 'Hanbit Mobile', TIGER.fullName, '2019-03-11')],
    callRecords: [
      { from: TIGER.phoneKH, to: '+82 10-5551-7788', at: '2025-06-02T03:12:00Z', durationSeconds: 412 },
    ],
    interceptedMessages: [
      {
        at: '2025-06-01T14:03:00Z',
        channel: 'Telegram',
        from: TIGER.telegram,
        to: 'telegram:@manager_seo',
        content: 'Ten new workers land on Friday. Passports go in the safe, phones to the office.',
      },
    ],
    associates: ['KR-SUS-000002', 'KR-SUS-000003', 'TH-SUS-000001', 'KH-SUS-000002'],
    biometricTemplateHash: DEMO_BIOMETRIC_TEMPLATE_HASH,
  },
  {
    id: 'KR-SUS-000002',
    country: 'KR',
    sourceGrade: 'B2',
    national: { residentRegistrationNumber: '880203-1555027' },
    fullName: 'Seo Min-ho',
    aliases: ['Manager Seo', 'Recruiter S'],
    dateOfBirth: '1988-02-03',
    nationality: 'KR',
    passportNumbers: ['M55503183'],
    phones: ['+82 10-5552-3318', '+855 97 555 0311'],
    messengerHandles: ['telegram:@manager_seo'],
    wantedStatus: {
      wanted: true,
      warrants: [
        {
          reference: 'HRP-W-2025-05531',
          issuedBy: 'Haeryong District Court',
          issuedOn: '2025-04-15',
          offence: 'human trafficking; illegal confinement',
        },
      ],
      interpolNotice: { colour: 'BLUE', id: 'A-5551/4-2025' },
    },
    criminalRecord: [],
    lastKnownLocation: loc(
      'Prey Meas town centre (CCTV)',
      'KH',
      { latitude: 10.7498, longitude: 103.6021 },
      '2025-08-11T09:40:00Z',
    ),
    borderMovements: [
      {
        direction: 'EXIT',
        crossingPoint: 'Haeryong International Airport',
        country: 'KR',
        at: '2024-01-20T12:05:00Z',
        documentNumber: 'M55503183',
      },
    ],
    travelDocuments: [passport('M55503183', 'KR', '2029-11-30')],
    financialAccounts: [
      {
        kind: 'bank',
        institution: 'Daeyang Savings Bank',
        number: '221-555-031877',
        country: 'KR',
        holderName: 'Seo Min-ho',
      },
    ],
    subscriberRecords: [subscriber('+82 10-5552-3318', 'K-Wave Telecom', 'Seo Min-ho', '2020-07-01')],
    callRecords: [],
    interceptedMessages: [],
    associates: ['KH-SUS-000001', 'PH-SUS-000003'],
    biometricTemplateHash: null,
  },
  {
    id: 'KR-SUS-000003',
    country: 'KR',
    sourceGrade: 'B1',
    national: { residentRegistrationNumber: '910817-1555033' },
    fullName: 'Han Ji-woo',
    aliases: ['Coin', 'Exchanger Han'],
    dateOfBirth: '1991-08-17',
    nationality: 'KR',
    passportNumbers: ['M55504121'],
    phones: ['+82 10-5553-0412'],
    messengerHandles: ['telegram:@coin_han'],
    wantedStatus: NOT_WANTED,
    criminalRecord: [
      {
        court: 'Gaeul District Court',
        date: '2019-03-12',
        offence: 'violation of the Electronic Financial Transactions Act (account lending)',
        sentence: 'fine of 15,000,000 KRW',
      },
    ],
    lastKnownLocation: loc('Cheongmun-dong, Haeryong (residence)', 'KR', RELAY_POINT, '2025-07-19T00:00:00Z'),
    borderMovements: [
      {
        direction: 'EXIT',
        crossingPoint: 'Haeryong International Airport',
        country: 'KR',
        at: '2024-10-03T08:00:00Z',
        documentNumber: 'M55504121',
      },
      {
        direction: 'ENTRY',
        crossingPoint: 'Haeryong International Airport',
        country: 'KR',
        at: '2024-10-09T22:40:00Z',
        documentNumber: 'M55504121',
      },
    ],
    travelDocuments: [passport('M55504121', 'KR', '2030-02-14')],
    financialAccounts: [
      HAN_CRYPTO,
      {
        kind: 'bank',
        institution: 'Mirae Citizens Bank',
        number: '356-555-041209',
        country: 'KR',
        holderName: 'Han Ji-woo',
      },
    ],
    subscriberRecords: [subscriber('+82 10-5553-0412', 'Sori Mobile', 'Han Ji-woo', '2018-12-02')],
    callRecords: [],
    interceptedMessages: [],
    associates: ['KR-SUS-000004', 'PH-SUS-000002'],
    biometricTemplateHash: null,
  },
  {
    id: 'KR-SUS-000004',
    country: 'KR',
    sourceGrade: 'C2',
    national: { residentRegistrationNumber: '850522-1555048' },
    fullName: 'Yoo Sang-hoon',
    aliases: ['Driver'],
    dateOfBirth: '1985-05-22',
    nationality: 'KR',
    passportNumbers: ['M55505332'],
    phones: ['+82 10-5554-0533', '+66 95 555 0533'],
    messengerHandles: ['line:driver_yoo'],
    wantedStatus: {
      wanted: true,
      warrants: [
        {
          reference: 'HRP-W-2025-05547',
          issuedBy: 'Gaeul District Court',
          issuedOn: '2025-06-30',
          offence: 'organised crime participation',
        },
      ],
      interpolNotice: null,
    },
    criminalRecord: [],
    lastKnownLocation: loc(
      'Moei Noi, near the river crossing (informant)',
      'TH',
      BORDER_COMPOUND_POINT,
      '2025-09-02T00:00:00Z',
    ),
    borderMovements: [
      {
        direction: 'EXIT',
        crossingPoint: 'Haeryong International Airport',
        country: 'KR',
        at: '2024-12-14T02:30:00Z',
        documentNumber: 'M55505332',
      },
    ],
    travelDocuments: [passport('M55505332', 'KR', '2032-08-08')],
    financialAccounts: [],
    subscriberRecords: [subscriber('+82 10-5554-0533', 'Hanbit Mobile', 'Yoo Sang-hoon', '2016-04-21')],
    callRecords: [],
    interceptedMessages: [],
    associates: ['TH-SUS-000003'],
    biometricTemplateHash: null,
  },
  {
    id: 'KH-SUS-000001',
    country: 'KH',
    sourceGrade: 'A2',
    national: {},
    fullName: 'DO GANG MIN',
    aliases: ['Tiger', 'Lok Khla'],
    dateOfBirth: TIGER.dateOfBirth,
    nationality: 'KR',
    passportNumbers: [TIGER.passport],
    phones: [TIGER.phoneKH],
    messengerHandles: [TIGER.telegram],
    wantedStatus: { wanted: true, warrants: [], interpolNotice: { colour: 'RED', id: TIGER.redNotice } },
    criminalRecord: [],
    lastKnownLocation: loc(
      'Golden Crane Resort, Building C',
      'KH',
      GOLDEN_CRANE_POINT,
      '2025-10-05T00:00:00Z',
    ),
    borderMovements: [
      {
        direction: 'ENTRY',
        crossingPoint: 'Prey Meas International Airport',
        country: 'KH',
        at: '2023-11-02T07:20:00Z',
        documentNumber: TIGER.passport,
      },
      {
        direction: 'EXIT',
        crossingPoint: 'Phsar Daek International Checkpoint (KH–TH)',
        country: 'KH',
        at: '2024-06-10T10:05:00Z',
        documentNumber: TIGER.passport,
      },
      {
        direction: 'ENTRY',
        crossingPoint: 'Phsar Daek International Checkpoint (KH–TH)',
        country: 'KH',
        at: '2024-06-24T16:45:00Z',
        documentNumber: TIGER.passport,
      },
    ],
    travelDocuments: [passport(TIGER.passport, 'KR', '2031-05-19')],
    financialAccounts: [
      {
        kind: 'bank',
        institution: 'Mekong Pearl Bank',
        number: '0555-0142-7781',
        country: 'KH',
        holderName: 'DO GANG MIN',
      },
    ],
    subscriberRecords: [subscriber(TIGER.phoneKH, 'Angkor Cell', 'Sok Vannak', '2023-11-03')],
    callRecords: [],
    interceptedMessages: [],
    associates: ['KH-SUS-000002', 'KH-SUS-000003', 'TH-SUS-000001'],
    biometricTemplateHash: null,
  },
  {
    id: 'KH-SUS-000002',
    country: 'KH',
    sourceGrade: 'B2',
    national: { khmerName: 'សុខ វណ្ណៈ' },
    fullName: 'Sok Vannak',
    aliases: ['Uncle Sok'],
    dateOfBirth: '1972-01-09',
    nationality: 'KH',
    passportNumbers: ['N55509010'],
    phones: ['+855 12 555 0901'],
    messengerHandles: ['telegram:@uncle_sok'],
    wantedStatus: NOT_WANTED,
    criminalRecord: [],
    lastKnownLocation: loc(
      'Prey Meas (residence)',
      'KH',
      { latitude: 10.7551, longitude: 103.5889 },
      '2025-09-12T00:00:00Z',
    ),
    borderMovements: [],
    travelDocuments: [passport('N55509010', 'KH', '2028-03-03')],
    financialAccounts: [
      {
        kind: 'bank',
        institution: 'Angkor Lotus Bank',
        number: '1555-0901-3342',
        country: 'KH',
        holderName: 'Sok Vannak',
      },
    ],
    subscriberRecords: [subscriber('+855 12 555 0901', 'Angkor Cell', 'Sok Vannak', '2012-05-05')],
    callRecords: [],
    interceptedMessages: [],
    biometricTemplateHash: null,
  },
  {
    id: 'KH-SUS-000003',
    country: 'KH',
    sourceGrade: 'C1',
    national: {},
    fullName: 'Chen Hao',
    aliases: ['Boss Chen'],
    dateOfBirth: '1976-11-28',
    nationality: 'CN',
    passportNumbers: ['E55501128'],
    phones: ['+855 78 555 1128'],
    messengerHandles: ['wechat:chenhao_555'],
    wantedStatus: NOT_WANTED,
    criminalRecord: [],
    lastKnownLocation: loc('Blue Heron Tower (before relocation)', 'KH', HERON_POINT, '2025-01-20T00:00:00Z'),
    borderMovements: [],
    travelDocuments: [passport('E55501128', 'CN', '2027-07-07')],
    financialAccounts: [
      {
        kind: 'bank',
        institution: 'Tonle Commercial Bank',
        number: '2555-1128-0040',
        country: 'KH',
        holderName: 'Heron Holdings Co., Ltd.',
      },
    ],
    subscriberRecords: [],
    callRecords: [],
    interceptedMessages: [],
    associates: ['VN-SUS-000002'],
    biometricTemplateHash: null,
  },
  {
    id: 'TH-SUS-000001',
    country: 'TH',
    sourceGrade: 'B1',
    national: { thaiIdNumber: '3-5501-55501-23-2' },
    fullName: 'Anan Thongdee',
    aliases: ['Big A'],
    dateOfBirth: '1983-07-04',
    nationality: 'TH',
    passportNumbers: ['AA5550704'],
    phones: ['+66 81 555 0704', '+855 77 555 0704'],
    messengerHandles: ['line:big_a_555'],
    wantedStatus: {
      wanted: true,
      warrants: [
        {
          reference: 'RTP-W-2025-0555',
          issuedBy: 'Mae Lamphun Provincial Court',
          issuedOn: '2025-05-20',
          offence: 'human trafficking',
        },
      ],
      interpolNotice: null,
    },
    criminalRecord: [
      {
        court: 'Nong Sai Criminal Court',
        date: '2011-02-18',
        offence: 'aggravated assault',
        sentence: '3 years imprisonment',
      },
    ],
    lastKnownLocation: loc(
      'Golden Crane Resort, gatehouse',
      'KH',
      GOLDEN_CRANE_POINT,
      '2025-08-30T00:00:00Z',
    ),
    borderMovements: [
      {
        direction: 'EXIT',
        crossingPoint: 'Ban Khlong Daen Checkpoint (TH–KH)',
        country: 'TH',
        at: '2023-12-01T06:30:00Z',
        documentNumber: 'AA5550704',
      },
    ],
    travelDocuments: [passport('AA5550704', 'TH', '2029-04-04')],
    financialAccounts: [
      {
        kind: 'bank',
        institution: 'Siam Lotus Bank',
        number: '455-5-07041-2',
        country: 'TH',
        holderName: 'Anan Thongdee',
      },
    ],
    subscriberRecords: [subscriber('+66 81 555 0704', 'Siam Mobile Net', 'Anan Thongdee', '2015-10-10')],
    callRecords: [],
    interceptedMessages: [],
    biometricTemplateHash: null,
  },
  {
    id: 'TH-SUS-000002',
    country: 'TH',
    sourceGrade: 'A2',
    national: {},
    fullName: 'Do Gang Min',
    aliases: ['Tiger', 'Suea'],
    dateOfBirth: TIGER.dateOfBirth,
    nationality: 'KR',
    passportNumbers: [TIGER.passport],
    phones: [TIGER.phoneTH],
    messengerHandles: [],
    wantedStatus: { wanted: true, warrants: [], interpolNotice: { colour: 'RED', id: TIGER.redNotice } },
    criminalRecord: [],
    lastKnownLocation: loc(
      'Ban Khlong Daen Checkpoint (TH–KH), outbound',
      'TH',
      { latitude: 13.6721, longitude: 102.5463 },
      '2024-06-24T16:10:00Z',
    ),
    borderMovements: [
      {
        direction: 'ENTRY',
        crossingPoint: 'Ban Khlong Daen Checkpoint (TH–KH)',
        country: 'TH',
        at: '2024-06-10T10:40:00Z',
        documentNumber: TIGER.passport,
      },
      {
        direction: 'EXIT',
        crossingPoint: 'Ban Khlong Daen Checkpoint (TH–KH)',
        country: 'TH',
        at: '2024-06-24T16:10:00Z',
        documentNumber: TIGER.passport,
      },
    ],
    travelDocuments: [passport(TIGER.passport, 'KR', '2031-05-19')],
    financialAccounts: [],
    subscriberRecords: [
      subscriber(TIGER.phoneTH, 'Lanna Cell', 'tourist SIM (passport M58402957)', '2024-06-10'),
    ],
    callRecords: [],
    interceptedMessages: [],
    biometricTemplateHash: DEMO_BIOMETRIC_TEMPLATE_HASH,
  },
  {
    id: 'TH-SUS-000003',
    country: 'TH',
    sourceGrade: 'B3',
    national: { thaiIdNumber: '1-5502-55502-11-1' },
    fullName: 'Kittipong Saelim',
    aliases: ['Kit'],
    dateOfBirth: '1990-12-12',
    nationality: 'TH',
    passportNumbers: ['AA5551212'],
    phones: ['+66 95 555 1212'],
    messengerHandles: ['line:kit_moei'],
    wantedStatus: NOT_WANTED,
    criminalRecord: [],
    lastKnownLocation: loc(
      'Moonlight River Casino (across the Moei Noi river)',
      'TH',
      BORDER_COMPOUND_POINT,
      '2025-09-21T00:00:00Z',
    ),
    borderMovements: [],
    travelDocuments: [passport('AA5551212', 'TH', '2030-12-01')],
    financialAccounts: [
      {
        kind: 'bank',
        institution: 'Chao Nam Trust Bank',
        number: '655-5-12120-7',
        country: 'TH',
        holderName: 'Kittipong Saelim',
      },
    ],
    subscriberRecords: [],
    callRecords: [],
    interceptedMessages: [],
    biometricTemplateHash: null,
  },
  {
    id: 'PH-SUS-000001',
    country: 'PH',
    sourceGrade: 'B1',
    national: {},
    fullName: 'DO, Gang-min',
    aliases: ['Tiger', 'Mr. D'],
    dateOfBirth: TIGER.dateOfBirth,
    nationality: 'KR',
    passportNumbers: [TIGER.oldPassport],
    phones: [TIGER.phonePH],
    messengerHandles: [TIGER.telegram],
    wantedStatus: { wanted: false, warrants: [], interpolNotice: { colour: 'RED', id: TIGER.redNotice } },
    criminalRecord: [],
    lastKnownLocation: loc(
      'Port Lumina (hotel registration)',
      'PH',
      { latitude: 14.5532, longitude: 121.0244 },
      '2022-08-14T00:00:00Z',
    ),
    borderMovements: [
      {
        direction: 'ENTRY',
        crossingPoint: 'Port Lumina International Airport',
        country: 'PH',
        at: '2022-03-05T04:10:00Z',
        documentNumber: TIGER.oldPassport,
      },
      {
        direction: 'EXIT',
        crossingPoint: 'Port Lumina International Airport',
        country: 'PH',
        at: '2022-08-29T11:55:00Z',
        documentNumber: TIGER.oldPassport,
      },
    ],
    travelDocuments: [passport(TIGER.oldPassport, 'KR', '2021-05-18')],
    financialAccounts: [],
    subscriberRecords: [subscriber(TIGER.phonePH, 'Islas Telco', 'Do Gang-min', '2022-03-05')],
    callRecords: [],
    interceptedMessages: [],
    associates: ['PH-SUS-000002'],
    biometricTemplateHash: null,
  },
  {
    id: 'PH-SUS-000002',
    country: 'PH',
    sourceGrade: 'A2',
    national: { philsysNumber: '5550-2290-3318-0417' },
    fullName: 'Marco Dizon',
    aliases: ['Kuya Marco'],
    dateOfBirth: '1993-04-17',
    nationality: 'PH',
    passportNumbers: ['P5550417A'],
    phones: ['+63 917 555 0417'],
    messengerHandles: ['telegram:@kuya_marco', 'viber:+639175550417'],
    wantedStatus: {
      wanted: true,
      warrants: [
        {
          reference: 'RTC-PL-2025-0555',
          issuedBy: 'Port Lumina Regional Trial Court',
          issuedOn: '2025-03-03',
          offence: 'money laundering (money-mule recruitment)',
        },
      ],
      interpolNotice: null,
    },
    criminalRecord: [],
    lastKnownLocation: loc(
      'Santa Ligaya',
      'PH',
      { latitude: 14.6011, longitude: 121.0553 },
      '2025-10-01T00:00:00Z',
    ),
    borderMovements: [],
    travelDocuments: [passport('P5550417A', 'PH', '2028-09-09')],
    financialAccounts: MARCO_ACCOUNTS,
    subscriberRecords: [subscriber('+63 917 555 0417', 'Kapuluan Mobile', 'Marco Dizon', '2017-01-15')],
    callRecords: [],
    interceptedMessages: [
      {
        at: '2025-05-11T02:30:00Z',
        channel: 'Telegram',
        from: 'telegram:@kuya_marco',
        to: 'telegram:@coin_han',
        content: 'Three fresh accounts ready. Same cut as last month, USDT only.',
      },
    ],
    biometricTemplateHash: null,
  },
  {
    id: 'PH-SUS-000003',
    country: 'PH',
    sourceGrade: 'B2',
    national: {},
    fullName: 'Lee Dong-wook',
    aliases: ['Director Lee'],
    dateOfBirth: '1981-10-30',
    nationality: 'KR',
    passportNumbers: ['M55510307'],
    phones: ['+63 918 555 1030'],
    messengerHandles: ['telegram:@director_lee'],
    wantedStatus: NOT_WANTED,
    criminalRecord: [],
    lastKnownLocation: loc('Coral Lagoon Hub, Dalampasigan', 'PH', LAGOON_POINT, '2025-09-25T00:00:00Z'),
    borderMovements: [
      {
        direction: 'ENTRY',
        crossingPoint: 'Port Lumina International Airport',
        country: 'PH',
        at: '2023-02-14T05:00:00Z',
        documentNumber: 'M55510307',
      },
    ],
    travelDocuments: [passport('M55510307', 'KR', '2030-06-30')],
    financialAccounts: [],
    subscriberRecords: [],
    callRecords: [],
    interceptedMessages: [],
    biometricTemplateHash: null,
  },
  {
    id: 'VN-SUS-000001',
    country: 'VN',
    sourceGrade: 'B2',
    national: {},
    fullName: 'DO GANG MIN',
    aliases: ['Tiger', 'Ong Ho'],
    dateOfBirth: TIGER.dateOfBirth,
    nationality: 'KR',
    passportNumbers: [TIGER.passport],
    phones: [TIGER.phoneVN],
    messengerHandles: ['zalo:+84905550142'],
    wantedStatus: { wanted: false, warrants: [], interpolNotice: { colour: 'RED', id: TIGER.redNotice } },
    criminalRecord: [],
    lastKnownLocation: loc(
      'Tan Hoa International Border Gate (VN–KH), outbound',
      'VN',
      { latitude: 10.9672, longitude: 106.0458 },
      '2024-02-18T09:00:00Z',
    ),
    borderMovements: [
      {
        direction: 'ENTRY',
        crossingPoint: 'Xuan Khe International Airport',
        country: 'VN',
        at: '2024-02-11T13:20:00Z',
        documentNumber: TIGER.passport,
      },
      {
        direction: 'EXIT',
        crossingPoint: 'Tan Hoa International Border Gate (VN–KH)',
        country: 'VN',
        at: '2024-02-18T09:00:00Z',
        documentNumber: TIGER.passport,
      },
    ],
    travelDocuments: [passport(TIGER.passport, 'KR', '2031-05-19')],
    financialAccounts: [],
    subscriberRecords: [subscriber(TIGER.phoneVN, 'Song Viet Mobile', 'Do Gang Min', '2024-02-11')],
    callRecords: [],
    interceptedMessages: [],
    associates: ['VN-SUS-000002'],
    biometricTemplateHash: null,
  },
  {
    id: 'VN-SUS-000002',
    country: 'VN',
    sourceGrade: 'B3',
    national: { citizenIdNumber: '079088555021' },
    fullName: 'Tran Quoc Bao',
    aliases: ['Bao'],
    dateOfBirth: '1988-03-21',
    nationality: 'VN',
    passportNumbers: ['C5550321'],
    phones: ['+84 97 555 0321'],
    messengerHandles: ['zalo:+84975550321'],
    wantedStatus: {
      wanted: true,
      warrants: [
        {
          reference: 'MPS-W-2025-0555',
          issuedBy: 'Tan Hoa Provincial People’s Court',
          issuedOn: '2025-01-08',
          offence: 'human trafficking (recruitment by fake job offers)',
        },
      ],
      interpolNotice: null,
    },
    criminalRecord: [],
    lastKnownLocation: loc(
      'Tan Hoa',
      'VN',
      { latitude: 11.0212, longitude: 106.0801 },
      '2025-07-07T00:00:00Z',
    ),
    borderMovements: [],
    travelDocuments: [passport('C5550321', 'VN', '2029-01-01')],
    financialAccounts: [
      {
        kind: 'bank',
        institution: 'Song Hong Commercial Bank',
        number: '0555-321-88412',
        country: 'VN',
        holderName: 'Tran Quoc Bao',
      },
    ],
    subscriberRecords: [],
    callRecords: [],
    interceptedMessages: [],
    biometricTemplateHash: null,
  },
];

const CORE_COMPOUNDS: readonly Draft<CompoundRecord>[] = [
  {
    id: 'KH-CMP-000001',
    country: 'KH',
    sourceGrade: 'A2',
    national: { commune: 'Sangkat Koh Sla Muoy' },
    name: 'Golden Crane Resort',
    address: 'Buildings A–F, Golden Crane Resort, Road 48 km 21, Prey Meas',
    province: 'Koh Sla Province',
    coordinates: GOLDEN_CRANE_POINT,
    status: 'ACTIVE',
    estimatedWorkers: 420,
    security: 'armed guards; 4 m walls with razor wire; workers’ passports and phones held by the office',
    operators: ['KH-SUS-000001', 'KR-SUS-000002', 'TH-SUS-000001', 'KH-SUS-000002'],
    raids: [
      {
        date: '2025-03-18',
        leadAgency: 'Cambodian National Police — Anti-Human Trafficking Department',
        outcome: 'partial: buildings A and B searched; the main block was not entered',
        workersFreed: 37,
        arrests: 4,
      },
    ],
  },
  {
    id: 'KH-CMP-000002',
    country: 'KH',
    sourceGrade: 'B2',
    national: { commune: 'Khum Srae Chhuk' },
    name: 'Blue Heron Tower',
    address: 'Blue Heron Tower, Phsar Krom riverside',
    province: 'Srae Meas Province',
    coordinates: HERON_POINT,
    status: 'RELOCATED',
    estimatedWorkers: 150,
    security: 'private security company; locked dormitories',
    operators: ['KH-SUS-000003', 'VN-SUS-000002'],
    raids: [],
  },
  {
    id: 'TH-CMP-000001',
    country: 'TH',
    sourceGrade: 'B1',
    national: {},
    name: 'Moonlight River Casino',
    address:
      'Moonlight River Casino compound, across the Moei Noi river from Moei Noi town (reported by Thai police)',
    province: 'Moei Noi District',
    coordinates: BORDER_COMPOUND_POINT,
    status: 'ACTIVE',
    estimatedWorkers: 900,
    security: 'armed militia; river patrols; electric fence',
    operators: ['TH-SUS-000003', 'KR-SUS-000004'],
    raids: [],
  },
  {
    id: 'PH-CMP-000001',
    country: 'PH',
    sourceGrade: 'A1',
    national: {},
    name: 'Coral Lagoon Hub',
    address: 'Coral Lagoon Hub, Lot 7 Bayside Road, Dalampasigan',
    province: 'Dalampasigan Province',
    coordinates: LAGOON_POINT,
    status: 'ACTIVE',
    estimatedWorkers: 260,
    security: 'gated; CCTV; guards with dogs',
    operators: ['PH-SUS-000003', 'PH-SUS-000001', 'KR-SUS-000003'],
    raids: [],
  },
  {
    id: 'KR-CMP-000001',
    country: 'KR',
    sourceGrade: 'A1',
    national: {},
    name: 'Cheongmun Relay Office',
    address: '3F, 55 Cheongmun-ro, Cheongmun-dong, Haeryong (SIM-box call relay site)',
    province: 'Haeryong Metropolitan City',
    coordinates: RELAY_POINT,
    status: 'RAIDED',
    estimatedWorkers: 3,
    security: 'none; rented office',
    operators: ['KR-SUS-000003'],
    raids: [
      {
        date: '2025-07-18',
        leadAgency: 'Haeryong Metropolitan Police Agency — Anti-Telecom Fraud Unit',
        outcome: '41 SIM boxes and 1,900 SIM cards seized',
        workersFreed: 0,
        arrests: 2,
      },
    ],
  },
];

const GOLDEN_CRANE_LOCATION = (observedAt: string): Location =>
  loc('Golden Crane Resort, Prey Meas', 'KH', GOLDEN_CRANE_POINT, observedAt);

const CORE_VICTIMS: readonly Draft<VictimRecord>[] = [
  {
    id: 'KR-VIC-000001',
    country: 'KR',
    sourceGrade: 'A2',
    national: {},
    fullName: 'Jung Ha-eun',
    dateOfBirth: '1999-04-22',
    nationality: 'KR',
    status: 'CONFINED',
    lastKnownLocation: GOLDEN_CRANE_LOCATION('2025-10-02T21:14:00Z'),
    confinedAt: 'KH-CMP-000001',
    injuries: ['beaten after a failed escape (reported by family)'],
    needs: ['rescue', 'medical care'],
  },
  {
    id: 'KR-VIC-000002',
    country: 'KR',
    sourceGrade: 'A1',
    national: {},
    fullName: 'Choi Yun-seo',
    dateOfBirth: '2001-09-09',
    nationality: 'KR',
    status: 'RESCUED',
    lastKnownLocation: loc(
      'Prey Meas victim shelter',
      'KH',
      { latitude: 10.7603, longitude: 103.5934 },
      '2025-03-19T10:00:00Z',
    ),
    confinedAt: 'KH-CMP-000001',
    injuries: ['malnutrition'],
    needs: ['emergency travel document', 'psychological support'],
  },
  {
    id: 'KR-VIC-000003',
    country: 'KR',
    sourceGrade: 'A1',
    national: {},
    fullName: 'Kang Min-jae',
    dateOfBirth: '1996-12-01',
    nationality: 'KR',
    status: 'REPATRIATED',
    lastKnownLocation: loc('Gaeul-si (home)', 'KR', null, '2025-05-02T00:00:00Z'),
    confinedAt: 'PH-CMP-000001',
    injuries: [],
    needs: ['psychological support', 'legal aid'],
  },
  {
    id: 'KR-VIC-000004',
    country: 'KR',
    sourceGrade: 'B2',
    national: {},
    fullName: 'Oh Seo-jin',
    dateOfBirth: '2000-07-15',
    nationality: 'KR',
    status: 'MISSING',
    lastKnownLocation: loc(
      'Prey Meas International Airport, arrivals',
      'KH',
      { latitude: 10.5794, longitude: 103.6363 },
      '2025-08-27T13:30:00Z',
    ),
    confinedAt: null,
    injuries: [],
    needs: ['family tracing'],
  },
  {
    id: 'KR-VIC-000005',
    country: 'KR',
    sourceGrade: 'B1',
    national: {},
    fullName: 'Lim Tae-yang',
    dateOfBirth: '1994-02-27',
    nationality: 'KR',
    status: 'CONFINED',
    lastKnownLocation: loc(
      'Moonlight River Casino (last message to family)',
      'TH',
      BORDER_COMPOUND_POINT,
      '2025-09-15T18:00:00Z',
    ),
    confinedAt: 'TH-CMP-000001',
    injuries: ['electric-shock burns (photo sent to family)'],
    needs: ['rescue', 'medical care', 'interpreter'],
  },
  {
    id: 'KR-VIC-000006',
    country: 'KR',
    sourceGrade: 'A1',
    national: {},
    fullName: 'Hong Gil-ja',
    dateOfBirth: '1948-10-03',
    nationality: 'KR',
    status: null,
    lastKnownLocation: loc('Dongbin-dong, Seonam-gu, Haeryong (home)', 'KR', null, '2025-06-02T00:00:00Z'),
    confinedAt: null,
    injuries: [],
    needs: ['victim support (lost 380,000,000 KRW)'],
  },
  {
    id: 'KR-VIC-000007',
    country: 'KR',
    sourceGrade: 'A1',
    national: {},
    fullName: 'Bae Soon-ok',
    dateOfBirth: '1956-05-05',
    nationality: 'KR',
    status: null,
    lastKnownLocation: loc('Mokhwa-eup (home)', 'KR', null, '2024-11-20T00:00:00Z'),
    confinedAt: null,
    injuries: [],
    needs: ['victim support'],
  },
  {
    id: 'KH-VIC-000001',
    country: 'KH',
    sourceGrade: 'A1',
    national: {},
    fullName: 'Yoon Da-bin',
    dateOfBirth: '1998-08-08',
    nationality: 'KR',
    status: 'RESCUED',
    lastKnownLocation: loc(
      'Prey Meas victim shelter',
      'KH',
      { latitude: 10.7603, longitude: 103.5934 },
      '2025-03-18T22:00:00Z',
    ),
    confinedAt: 'KH-CMP-000001',
    injuries: ['untreated fracture (left wrist)'],
    needs: ['medical care', 'emergency travel document', 'interpreter'],
  },
  {
    id: 'KH-VIC-000002',
    country: 'KH',
    sourceGrade: 'A2',
    national: {},
    fullName: 'Chea Sreypov',
    dateOfBirth: '2003-02-14',
    nationality: 'KH',
    status: 'RESCUED',
    lastKnownLocation: GOLDEN_CRANE_LOCATION('2025-03-18T19:00:00Z'),
    confinedAt: 'KH-CMP-000001',
    injuries: [],
    needs: ['shelter', 'psychological support'],
  },
  {
    id: 'TH-VIC-000001',
    country: 'TH',
    sourceGrade: 'B1',
    national: {},
    fullName: 'Naree Wongsakul',
    dateOfBirth: '2000-11-11',
    nationality: 'TH',
    status: 'RESCUED',
    lastKnownLocation: loc(
      'Moei Noi police station (swam across the river)',
      'TH',
      { latitude: 16.7011, longitude: 98.5423 },
      '2025-07-04T05:00:00Z',
    ),
    confinedAt: 'TH-CMP-000001',
    injuries: ['bruising consistent with beatings'],
    needs: ['medical care', 'shelter'],
  },
  {
    id: 'PH-VIC-000001',
    country: 'PH',
    sourceGrade: 'B2',
    national: {},
    fullName: 'Aileen Navarro',
    dateOfBirth: '1997-06-30',
    nationality: 'PH',
    status: 'CONFINED',
    lastKnownLocation: loc('Coral Lagoon Hub (sister’s report)', 'PH', LAGOON_POINT, '2025-09-28T00:00:00Z'),
    confinedAt: 'PH-CMP-000001',
    injuries: [],
    needs: ['rescue'],
  },
  {
    id: 'VN-VIC-000001',
    country: 'VN',
    sourceGrade: 'B2',
    national: {},
    fullName: 'Nguyen Thi Thao',
    dateOfBirth: '2002-01-20',
    nationality: 'VN',
    status: 'MISSING',
    lastKnownLocation: loc('Blue Heron Tower (before relocation)', 'KH', HERON_POINT, '2025-01-15T00:00:00Z'),
    confinedAt: 'KH-CMP-000002',
    injuries: [],
    needs: ['family tracing'],
  },
  {
    id: 'VN-VIC-000002',
    country: 'VN',
    sourceGrade: 'A1',
    national: {},
    fullName: 'Pham Van Long',
    dateOfBirth: '1999-09-19',
    nationality: 'VN',
    status: 'REPATRIATED',
    lastKnownLocation: loc('Ha Lam (home)', 'VN', null, '2024-12-24T00:00:00Z'),
    confinedAt: 'KH-CMP-000002',
    injuries: ['malnutrition'],
    needs: ['psychological support'],
  },
];

const CORE_CASES: readonly CaseRecord[] = [
  {
    id: 'KR-CAS-000001',
    country: 'KR',
    sourceGrade: 'A1',
    national: { investigatingUnit: 'Financial Crime Investigation Unit 2, Haeryong Central Police Station' },
    caseNumber: 'HRP-2025-00412',
    leadAgency: 'Haeryong Metropolitan Police Agency — Anti-Telecom Fraud Unit',
    operations: [OPERATIONS.BREAKING_CHAINS],
    offences: [
      'fraud (voice phishing: prosecutor impersonation)',
      'organised crime participation',
      'money laundering',
    ],
    status: 'UNDER_INVESTIGATION',
    modusOperandi:
      'callers posing as prosecutors told victims their accounts were used in crime and had them move savings to “safe accounts” held by mules in the Philippines',
    lossAmount: { amount: 1_240_000_000, currency: 'KRW' },
    suspects: ['KR-SUS-000001', 'KR-SUS-000002', 'TH-SUS-000001', 'KH-SUS-000001', 'PH-SUS-000002'],
    compounds: ['KH-CMP-000001'],
    victims: ['KR-VIC-000001', 'KR-VIC-000006'],
    evidence: [
      {
        reference: 'HRP-2025-00412-E1',
        description:
          'call scripts in Korean (prosecutor impersonation), recovered from a rescued worker’s phone',
        custodian: 'Haeryong Central Police Station evidence room',
        seizedOn: '2025-03-20',
      },
      {
        reference: 'HRP-2025-00412-E2',
        description: 'transfer receipts of victim Hong Gil-ja',
        custodian: 'Haeryong Central Police Station evidence room',
        seizedOn: '2025-06-03',
      },
    ],
    proceedsAccounts: [...MARCO_ACCOUNTS, TIGER_CRYPTO],
    transactions: [
      {
        at: '2025-06-02T04:01:00Z',
        fromAccount: '110-555-998877 (Hanul Bank, Hong Gil-ja)',
        toAccount: '3318-5550-2290',
        amount: { amount: 230_000_000, currency: 'KRW' },
      },
      {
        at: '2025-06-02T05:40:00Z',
        fromAccount: '110-555-998877 (Hanul Bank, Hong Gil-ja)',
        toAccount: '0917-555-0190',
        amount: { amount: 150_000_000, currency: 'KRW' },
      },
      {
        at: '2025-06-03T01:00:00Z',
        fromAccount: '3318-5550-2290',
        toAccount: TIGER.wallet,
        amount: { amount: 160_000, currency: 'USDT' },
      },
    ],
    frozenAmount: { amount: 210_000_000, currency: 'KRW' },
    recoveredAmount: { amount: 45_000_000, currency: 'KRW' },
  },
  {
    id: 'KR-CAS-000002',
    country: 'KR',
    sourceGrade: 'A2',
    national: { investigatingUnit: 'Anti-Trafficking Team, Gaeul Police Station' },
    caseNumber: 'HRP-2025-00977',
    leadAgency: 'Haeryong Metropolitan Police Agency — Anti-Telecom Fraud Unit',
    operations: [OPERATIONS.BREAKING_CHAINS],
    offences: ['human trafficking', 'illegal confinement'],
    status: 'OPEN',
    modusOperandi:
      'high-paying “customer service” jobs advertised to young Koreans; recruits flown to Cambodia and the Philippines, passports taken on arrival',
    lossAmount: { amount: 0, currency: 'KRW' },
    suspects: ['KR-SUS-000002', 'KH-SUS-000002', 'PH-SUS-000003', 'KR-SUS-000001'],
    compounds: ['KH-CMP-000001', 'PH-CMP-000001'],
    victims: ['KR-VIC-000001', 'KR-VIC-000002', 'KR-VIC-000003', 'KR-VIC-000004', 'KH-VIC-000001'],
    evidence: [
      {
        reference: 'HRP-2025-00977-E1',
        description: 'job advertisements and chat logs with the recruiter',
        custodian: 'Gaeul Police Station evidence room',
        seizedOn: '2025-04-02',
      },
    ],
    proceedsAccounts: [],
    transactions: [],
    frozenAmount: null,
    recoveredAmount: null,
  },
  {
    id: 'KR-CAS-000003',
    country: 'KR',
    sourceGrade: 'B1',
    national: { investigatingUnit: 'Financial Crime Investigation Unit 1, Mokhwa Police Station' },
    caseNumber: 'HRP-2024-01530',
    leadAgency: 'Haeryong Metropolitan Police Agency — Anti-Telecom Fraud Unit',
    operations: [OPERATIONS.SILVER_TIDE],
    offences: ['fraud (loan scam)', 'money laundering'],
    status: 'PROSECUTION',
    modusOperandi:
      'fake low-interest refinancing offers; “fees” paid to accounts in the Philippines and laundered through USDT',
    lossAmount: { amount: 96_000_000, currency: 'KRW' },
    suspects: ['KR-SUS-000003', 'PH-SUS-000001', 'PH-SUS-000002', 'PH-SUS-000003'],
    compounds: ['PH-CMP-000001'],
    victims: ['KR-VIC-000007'],
    evidence: [],
    proceedsAccounts: [MARCO_ACCOUNTS[0]!, HAN_CRYPTO],
    transactions: [
      {
        at: '2024-11-18T02:10:00Z',
        fromAccount: '221-555-776655 (Daeyang Savings Bank, Bae Soon-ok)',
        toAccount: '3318-5550-2290',
        amount: { amount: 96_000_000, currency: 'KRW' },
      },
    ],
    frozenAmount: null,
    recoveredAmount: { amount: 12_000_000, currency: 'KRW' },
  },
  {
    id: 'KR-CAS-000004',
    country: 'KR',
    sourceGrade: 'A1',
    national: { investigatingUnit: 'Cyber Crime Investigation Unit, Cheongmun Police Station' },
    caseNumber: 'HRP-2025-01102',
    leadAgency: 'Haeryong Metropolitan Police Agency — Anti-Telecom Fraud Unit',
    operations: [],
    offences: ['violation of the Telecommunications Business Act (SIM-box relay)', 'fraud (voice phishing)'],
    status: 'PROSECUTION',
    modusOperandi: 'overseas calls relayed through SIM boxes so that they showed Korean mobile numbers',
    lossAmount: { amount: 310_000_000, currency: 'KRW' },
    suspects: ['KR-SUS-000003', 'KR-SUS-000004'],
    compounds: ['KR-CMP-000001', 'TH-CMP-000001'],
    victims: ['KR-VIC-000005'],
    evidence: [
      {
        reference: 'HRP-2025-01102-E1',
        description: '41 SIM boxes and 1,900 SIM cards',
        custodian: 'Cheongmun Police Station evidence room',
        seizedOn: '2025-07-18',
      },
    ],
    proceedsAccounts: [],
    transactions: [],
    frozenAmount: null,
    recoveredAmount: null,
  },
  {
    id: 'KH-CAS-000001',
    country: 'KH',
    sourceGrade: 'A1',
    national: {},
    caseNumber: 'CNP-AHT-2025-0031',
    leadAgency: 'Cambodian National Police — Anti-Human Trafficking Department',
    operations: [OPERATIONS.BREAKING_CHAINS],
    offences: ['human trafficking', 'illegal confinement', 'fraud'],
    status: 'UNDER_INVESTIGATION',
    modusOperandi: 'foreign workers held in the compound and made to run voice-phishing and investment scams',
    lossAmount: { amount: 0, currency: 'USD' },
    suspects: ['KH-SUS-000001', 'KH-SUS-000002', 'TH-SUS-000001'],
    compounds: ['KH-CMP-000001'],
    victims: ['KH-VIC-000001', 'KH-VIC-000002', 'KR-VIC-000002'],
    evidence: [
      {
        reference: 'CNP-AHT-2025-0031-E1',
        description: '112 phones and 30 laptops seized in buildings A and B',
        custodian: 'Koh Sla Provincial Police evidence store',
        seizedOn: '2025-03-18',
      },
    ],
    proceedsAccounts: [],
    transactions: [],
    frozenAmount: null,
    recoveredAmount: null,
  },
  {
    id: 'KH-CAS-000002',
    country: 'KH',
    sourceGrade: 'B2',
    national: {},
    caseNumber: 'CNP-AHT-2024-0117',
    leadAgency: 'Cambodian National Police — Anti-Human Trafficking Department',
    operations: [],
    offences: ['human trafficking'],
    status: 'OPEN',
    modusOperandi:
      'Vietnamese workers recruited by fake job offers, held in a tower block that later relocated',
    lossAmount: { amount: 0, currency: 'USD' },
    suspects: ['KH-SUS-000003', 'VN-SUS-000002'],
    compounds: ['KH-CMP-000002'],
    victims: ['VN-VIC-000001'],
    evidence: [],
    proceedsAccounts: [],
    transactions: [],
    frozenAmount: null,
    recoveredAmount: null,
  },
  {
    id: 'TH-CAS-000001',
    country: 'TH',
    sourceGrade: 'B1',
    national: {},
    caseNumber: 'RTP-ATPD-2025-0088',
    leadAgency: 'Royal Thai Police — Anti-Trafficking in Persons Division',
    operations: [],
    offences: ['human trafficking', 'illegal border crossing'],
    status: 'UNDER_INVESTIGATION',
    modusOperandi:
      'workers moved across the Moei Noi river into a casino compound; Korean nationals among them',
    lossAmount: { amount: 0, currency: 'THB' },
    suspects: ['TH-SUS-000003', 'KR-SUS-000004', 'TH-SUS-000002'],
    compounds: ['TH-CMP-000001'],
    victims: ['TH-VIC-000001', 'KR-VIC-000005'],
    evidence: [],
    proceedsAccounts: [],
    transactions: [],
    frozenAmount: null,
    recoveredAmount: null,
  },
  {
    id: 'PH-CAS-000001',
    country: 'PH',
    sourceGrade: 'A2',
    national: {},
    caseNumber: 'PNP-ACG-2025-0456',
    leadAgency: 'Philippine National Police — Anti-Cybercrime Group',
    operations: [OPERATIONS.SILVER_TIDE],
    offences: ['computer-related fraud', 'money laundering', 'qualified trafficking in persons'],
    status: 'OPEN',
    modusOperandi:
      'loan and voice-phishing scams against Korean victims run from a gated hub; proceeds moved through mule accounts',
    lossAmount: { amount: 41_000_000, currency: 'PHP' },
    suspects: ['PH-SUS-000001', 'PH-SUS-000002', 'PH-SUS-000003'],
    compounds: ['PH-CMP-000001'],
    victims: ['PH-VIC-000001', 'KR-VIC-000003'],
    evidence: [],
    proceedsAccounts: [MARCO_ACCOUNTS[0]!],
    transactions: [],
    frozenAmount: { amount: 3_400_000, currency: 'PHP' },
    recoveredAmount: null,
  },
  {
    id: 'VN-CAS-000001',
    country: 'VN',
    sourceGrade: 'B2',
    national: {},
    caseNumber: 'MPS-C03-2025-0219',
    leadAgency: 'Ministry of Public Security — Criminal Police Department',
    operations: [],
    offences: ['human trafficking (recruitment abroad)'],
    status: 'UNDER_INVESTIGATION',
    modusOperandi:
      'young Vietnamese recruited for “casino jobs” in Cambodia, taken across the Tan Hoa border gate',
    lossAmount: { amount: 0, currency: 'VND' },
    suspects: ['VN-SUS-000002', 'VN-SUS-000001'],
    compounds: ['KH-CMP-000002'],
    victims: ['VN-VIC-000001', 'VN-VIC-000002'],
    evidence: [],
    proceedsAccounts: [],
    transactions: [],
    frozenAmount: null,
    recoveredAmount: null,
  },
];

/** The finished core: links made symmetric and operations derived from cases, computed once. */
interface Core {
  readonly records: ReadonlyMap<string, AnyRecord>;
  /** Core records per owner and kind (serials 1..n). */
  readonly counts: ReadonlyMap<string, number>;
}

let coreCache: Core | undefined;

function core(): Core {
  if (coreCache) return coreCache;
  const linked = new Map<string, Set<string>>();
  const operationsOf = new Map<string, Set<string>>();
  const note = (map: Map<string, Set<string>>, key: string, value: string): void => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(value);
  };
  for (const c of CORE_CASES) {
    for (const ref of [...c.suspects, ...c.compounds, ...c.victims]) {
      note(linked, ref, c.id);
      for (const operation of c.operations) note(operationsOf, ref, operation);
    }
  }
  const associates = new Map<string, Set<string>>();
  for (const s of CORE_SUSPECTS) {
    for (const other of s.associates ?? []) {
      note(associates, s.id, other);
      note(associates, other, s.id);
    }
  }
  const sorted = (set: Set<string> | undefined): string[] => [...(set ?? [])].sort();
  const records = new Map<string, AnyRecord>();
  for (const s of CORE_SUSPECTS) {
    records.set(s.id, {
      ...s,
      associates: sorted(associates.get(s.id)),
      linkedCases: sorted(linked.get(s.id)),
      operations: sorted(operationsOf.get(s.id)),
    });
  }
  for (const c of CORE_COMPOUNDS)
    records.set(c.id, {
      ...c,
      linkedCases: sorted(linked.get(c.id)),
      operations: sorted(operationsOf.get(c.id)),
    });
  for (const v of CORE_VICTIMS)
    records.set(v.id, {
      ...v,
      linkedCases: sorted(linked.get(v.id)),
      operations: sorted(operationsOf.get(v.id)),
    });
  for (const c of CORE_CASES) records.set(c.id, c);

  const counts = new Map<string, number>();
  for (const id of records.keys()) {
    const parsed = parseGlobalId(id)!;
    const key = countKey(parsed.owner, parsed.kind);
    const serial = parsed.serial;
    if (serial !== (counts.get(key) ?? 0) + 1) throw new Error(`core scenario: ${id} is out of sequence`);
    counts.set(key, serial);
  }
  coreCache = { records, counts };
  return coreCache;
}

function countKey(country: string, kind: EntityInterface): string {
  return `${country}/${kind}`;
}

// ---------------------------------------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------------------------------------

export interface WorldOptions {
  /** Default DEFAULT_SEED. Decimal strings are numbers; other strings are hashed. */
  readonly seed?: number | string;
  /** About this many records per member (default DEFAULT_SIZE); 100000 for benchmarks. */
  readonly size?: number;
  /** The member codes, in registry order (default schema/members.ts). */
  readonly members?: readonly string[];
}

const KINDS: readonly EntityInterface[] = ['Suspect', 'Compound', 'Case', 'Victim'];

/** One ring: a filler compound and the filler records of every member that work with or through it. */
interface RingPlan {
  readonly compound: string;
  readonly compoundCountry: string;
  readonly suspects: readonly string[];
  readonly victims: readonly string[];
  readonly operators: readonly string[];
  /** Case id → its suspects and victims (all inside the ring). */
  readonly cases: ReadonlyMap<
    string,
    { readonly suspects: readonly string[]; readonly victims: readonly string[] }
  >;
}

/** A person's identity as every record that mentions them needs it (holder names, registrations). */
interface Identity {
  readonly family: string;
  readonly given: string;
  readonly fullName: string;
  readonly nationality: string;
  readonly dateOfBirth: string;
}

export class World {
  readonly seed: number;
  readonly size: number;
  readonly members: readonly string[];
  private readonly totals = new Map<string, number>();
  private readonly coreCounts: ReadonlyMap<string, number>;
  /** Filler compounds of each member, in registry order: ring g is the g-th filler compound. */
  private readonly ringStarts: readonly {
    readonly country: string;
    readonly first: number;
    readonly count: number;
  }[];
  private readonly ringCount: number;
  private readonly ringOffsets = new Map<string, number>();
  private readonly plans = new Map<number, RingPlan>();

  constructor(options: WorldOptions = {}) {
    this.seed = normalizeSeed(options.seed);
    this.size = validateSize(options.size);
    this.members = options.members ?? MEMBERS.map((member) => member.code);
    this.coreCounts = core().counts;
    const starts: { country: string; first: number; count: number }[] = [];
    let rings = 0;
    for (const [countryIndex, country] of this.members.entries()) {
      for (const [kindIndex, kind] of KINDS.entries()) {
        const weight = (KIND_WEIGHTS[country] ?? DEFAULT_WEIGHTS)[kind];
        this.totals.set(
          countKey(country, kind),
          Math.max(this.coreCount(country, kind), Math.round(this.size * weight)),
        );
        this.ringOffsets.set(countKey(country, kind), mix(this.seed, 0x51, countryIndex, kindIndex));
      }
      const filler = this.fillerCount(country, 'Compound');
      starts.push({ country, first: rings, count: filler });
      rings += filler;
    }
    this.ringStarts = starts;
    this.ringCount = rings;
  }

  /** How many records of a kind a member owns (serials 1..count). */
  count(country: string, kind: EntityInterface): number {
    return this.totals.get(countKey(country, kind)) ?? 0;
  }

  /** Whether a global id names a record of this world. */
  has(id: string): boolean {
    const parsed = parseGlobalId(id);
    return (
      parsed !== undefined && parsed.serial >= 1 && parsed.serial <= this.count(parsed.owner, parsed.kind)
    );
  }

  /** One record by global id, generated on demand; undefined when the world has no such record. */
  record(id: string): AnyRecord | undefined {
    const parsed = parseGlobalId(id);
    if (!parsed || !this.has(id)) return undefined;
    return this.generate(parsed.owner, parsed.kind, parsed.serial);
  }

  /** A member's records of one kind, in serial order, generated lazily (its share of the world). */
  *records<K extends EntityInterface>(country: string, kind: K): Generator<RecordsByKind[K]> {
    if (!this.members.includes(country))
      throw new Error(`"${country}" is not a member of this world (${this.members.join(', ')}).`);
    const total = this.count(country, kind);
    for (let serial = 1; serial <= total; serial++)
      yield this.generate(country, kind, serial) as RecordsByKind[K];
    this.plans.clear();
  }

  /** A member's whole share as arrays (small sizes: tests, demos). */
  share(country: string): { [K in EntityInterface]: RecordsByKind[K][] } {
    return {
      Suspect: [...this.records(country, 'Suspect')],
      Compound: [...this.records(country, 'Compound')],
      Case: [...this.records(country, 'Case')],
      Victim: [...this.records(country, 'Victim')],
    };
  }

  // --- structure -------------------------------------------------------------------------------------------

  private coreCount(country: string, kind: EntityInterface): number {
    return this.coreCounts.get(countKey(country, kind)) ?? 0;
  }

  private fillerCount(country: string, kind: EntityInterface): number {
    return this.count(country, kind) - this.coreCount(country, kind);
  }

  /** The ring of a filler record (by its 0-based filler index), or undefined in a world without rings. */
  private ringOf(country: string, kind: EntityInterface, fillerIndex: number): number | undefined {
    if (this.ringCount === 0) return undefined;
    if (kind === 'Compound')
      return this.ringStarts.find((start) => start.country === country)!.first + fillerIndex;
    return (fillerIndex + (this.ringOffsets.get(countKey(country, kind))! % this.ringCount)) % this.ringCount;
  }

  /** Filler ids of one kind that belong to a ring, across every member. */
  private ringMembers(ring: number, kind: Exclude<EntityInterface, 'Compound'>): string[] {
    const ids: string[] = [];
    for (const country of this.members) {
      const offset = this.ringOffsets.get(countKey(country, kind))! % this.ringCount;
      const filler = this.fillerCount(country, kind);
      const base = this.coreCount(country, kind);
      for (
        let index = (ring - offset + this.ringCount) % this.ringCount;
        index < filler;
        index += this.ringCount
      ) {
        ids.push(formatGlobalId(country, kind, base + index + 1));
      }
    }
    return ids;
  }

  private plan(ring: number): RingPlan {
    const cached = this.plans.get(ring);
    if (cached) return cached;
    const rng = new Rng(mix(this.seed, 0x7269, ring));
    const start = this.ringStarts.find((s) => ring >= s.first && ring < s.first + s.count)!;
    const compound = formatGlobalId(
      start.country,
      'Compound',
      this.coreCount(start.country, 'Compound') + ring - start.first + 1,
    );
    const suspects = this.ringMembers(ring, 'Suspect');
    const victims = this.ringMembers(ring, 'Victim');
    // Operators: one per member among the ring's suspects, up to four, so compounds are multinational.
    const byCountry = new Map<string, string[]>();
    for (const id of suspects) {
      const owner = id.slice(0, 2);
      byCountry.set(owner, [...(byCountry.get(owner) ?? []), id]);
    }
    const operators = rng.sample([...byCountry.keys()], 4).map((owner) => rng.pick(byCountry.get(owner)!));
    const cases = new Map<string, { suspects: string[]; victims: string[] }>();
    for (const id of this.ringMembers(ring, 'Case')) {
      cases.set(id, {
        suspects: suspects.length
          ? rng.sample(suspects, rng.int(1, Math.min(4, suspects.length))).sort()
          : [],
        victims: rng.sample(victims, rng.int(0, Math.min(3, victims.length))).sort(),
      });
    }
    const plan: RingPlan = { compound, compoundCountry: start.country, suspects, victims, operators, cases };
    // Generation walks serials, visiting rings round-robin; a bounded memo keeps memory flat at any size.
    if (this.plans.size > 4096) this.plans.clear();
    this.plans.set(ring, plan);
    return plan;
  }

  private linkedCasesIn(plan: RingPlan | undefined, id: string, field: 'suspects' | 'victims'): string[] {
    if (!plan) return [];
    const linked: string[] = [];
    for (const [caseId, links] of plan.cases) if (links[field].includes(id)) linked.push(caseId);
    return linked.sort();
  }

  private operationsOfCases(caseIds: readonly string[], plan: RingPlan | undefined): string[] {
    const operations = new Set<string>();
    for (const caseId of caseIds)
      for (const operation of this.caseOperations(caseId, plan)) operations.add(operation);
    return [...operations].sort();
  }

  /** A filler case's operations, from its own stream and its ring's compound (cheap, no full case). */
  private caseOperations(caseId: string, plan: RingPlan | undefined): string[] {
    const owner = caseId.slice(0, 2);
    const rng = this.rng(caseId, 'operations');
    const compoundCountry = plan?.compoundCountry;
    if ((owner === 'KR' || owner === 'KH') && compoundCountry === 'KH' && rng.chance(0.5))
      return [OPERATIONS.BREAKING_CHAINS];
    if ((owner === 'KR' || owner === 'PH') && compoundCountry === 'PH' && rng.chance(0.4))
      return [OPERATIONS.SILVER_TIDE];
    return rng.chance(0.08) ? [OPERATIONS.BREAKING_CHAINS] : [];
  }

  private rng(id: string, stream: string): Rng {
    return new Rng(mix(this.seed, hashString(id), hashString(stream)));
  }

  // --- record generation -----------------------------------------------------------------------------------

  private generate(country: string, kind: EntityInterface, serial: number): AnyRecord {
    const id = formatGlobalId(country, kind, serial);
    const coreRecord = core().records.get(id);
    if (coreRecord) return coreRecord;
    const fillerIndex = serial - this.coreCount(country, kind) - 1;
    const ring = this.ringOf(country, kind, fillerIndex);
    const plan = ring === undefined ? undefined : this.plan(ring);
    switch (kind) {
      case 'Suspect':
        return this.suspect(id, country, plan);
      case 'Compound':
        return this.compound(id, country, plan);
      case 'Case':
        return this.case(id, country, plan);
      case 'Victim':
        return this.victim(id, country, plan);
      default: {
        const unreachable: never = kind;
        throw new Error(`unknown kind ${String(unreachable)}`);
      }
    }
  }

  private identity(
    id: string,
    owner: string,
    nationalities: Readonly<Record<string, readonly (readonly [string, number])[]>>,
    years: readonly [number, number],
  ): Identity {
    const rng = this.rng(id, 'identity');
    const nationality = rng.weighted(nationalities[owner] ?? [[owner, 1]]);
    const pool = namePoolOf(nationality);
    const family = rng.pick(pool.family);
    const given = rng.pick(pool.given);
    return {
      family,
      given,
      fullName: pool.format(family, given),
      nationality,
      dateOfBirth: rng.date(years[0], years[1]),
    };
  }

  private suspectIdentity(id: string): Identity {
    return this.identity(id, id.slice(0, 2), SUSPECT_NATIONALITIES, [1962, 2002]);
  }

  /** A filler suspect's accounts, from their own stream: cases list them as proceeds without the suspect. */
  private suspectAccounts(id: string): FinancialAccount[] {
    const known = core().records.get(id);
    if (known) return [...(known as SuspectRecord).financialAccounts];
    const rng = this.rng(id, 'accounts');
    const person = this.suspectIdentity(id);
    const owner = id.slice(0, 2);
    const accounts: FinancialAccount[] = [];
    const count = rng.int(0, 3);
    for (let i = 0; i < count; i++) {
      const where = rng.chance(0.7) ? owner : person.nationality;
      if (rng.chance(0.25)) {
        let address = 'T';
        for (let k = 0; k < 33; k++) address += BASE58.charAt(rng.int(0, BASE58.length - 1));
        accounts.push({
          kind: 'crypto_wallet',
          institution: 'USDT (TRC-20)',
          number: address,
          country: where,
          holderName: person.fullName,
        });
      } else {
        const profile = profileOf(where);
        const mule = rng.chance(0.3);
        accounts.push({
          kind: where === 'PH' && rng.chance(0.4) ? 'e_wallet' : 'bank',
          institution: rng.pick(profile.banks),
          number: `${rng.digits(3)}-${rng.digits(4)}-${rng.digits(5)}`,
          country: where,
          holderName: mule
            ? this.identity(`${id}/mule${i}`, where, VICTIM_NATIONALITIES, [1970, 2004]).fullName
            : person.fullName,
        });
      }
    }
    return accounts;
  }

  private point(rng: Rng, country: string): GeoPoint {
    const [latMin, latMax, lonMin, lonMax] = profileOf(country).box;
    const round = (value: number): number => Math.round(value * 10_000) / 10_000;
    return {
      latitude: round(latMin + rng.float() * (latMax - latMin)),
      longitude: round(lonMin + rng.float() * (lonMax - lonMin)),
    };
  }

  /** A compound's place, from its own stream: victims confined there need it without the compound. */
  private compoundSite(id: string): {
    name: string;
    town: string;
    province: string;
    country: string;
    point: GeoPoint;
  } {
    const known = core().records.get(id) as CompoundRecord | undefined;
    if (known)
      return {
        name: known.name,
        town: known.address,
        province: known.province,
        country: known.country,
        point: known.coordinates,
      };
    const rng = this.rng(id, 'site');
    const country = id.slice(0, 2);
    const profile = profileOf(country);
    return {
      name: `${rng.pick(COMPOUND_ADJECTIVES)} ${rng.pick(COMPOUND_NOUNS)} ${rng.pick(COMPOUND_SUFFIXES)}`,
      town: rng.pick(profile.towns),
      province: rng.pick(profile.provinces),
      country,
      point: this.point(rng, country),
    };
  }

  private suspect(id: string, owner: string, plan: RingPlan | undefined): SuspectRecord {
    const rng = this.rng(id, 'suspect');
    const person = this.suspectIdentity(id);
    const home = profileOf(person.nationality);
    const local = profileOf(owner);
    const passports = [home.passport(rng), ...(rng.chance(0.2) ? [home.passport(rng)] : [])];
    const phones = [
      local.phone(rng),
      ...(rng.chance(0.4) ? [home.phone(rng)] : []),
      ...(rng.chance(0.15) ? [local.phone(rng)] : []),
    ];
    const handleBase = `${person.given.split(/[ -]/)[0]!.toLowerCase()}_${person.family.toLowerCase()}${rng.digits(2)}`;
    const messengerHandles = rng
      .sample(home.messenger, rng.int(0, 2))
      .map(
        (app) =>
          `${app}:${app === 'zalo' || app === 'viber' ? phones[0]!.replace(/[^\d+]/g, '') : `@${handleBase}`}`,
      );
    const aliases: string[] = [];
    for (let i = rng.int(0, 2); i > 0; i--)
      aliases.push(rng.chance(0.5) ? rng.pick(ALIAS_WORDS) : `${rng.pick(ALIAS_TITLES)} ${person.family}`);
    const wanted = rng.chance(0.3);
    const warrants: Warrant[] = wanted
      ? Array.from({ length: rng.int(1, 2) }, () => ({
          reference: `${local.agencyCode}-W-${rng.int(2019, 2025)}-${rng.digits(5)}`,
          issuedBy: rng.pick(local.courts),
          issuedOn: rng.date(2019, 2025),
          offence: rng.pick(OFFENCES),
        }))
      : [];
    const notice = rng.chance(wanted ? 0.35 : 0.03);
    const wantedStatus: WantedStatus = {
      wanted,
      warrants,
      interpolNotice: notice
        ? {
            colour: rng.weighted<InterpolNoticeColour>([
              ['RED', 6],
              ['BLUE', 3],
              ['PURPLE', 1],
            ]),
            id: `A-${rng.digits(4)}/${rng.int(1, 12)}-${rng.int(2018, 2025)}`,
          }
        : null,
    };
    const criminalRecord: Conviction[] = Array.from(
      {
        length: rng.weighted([
          [0, 6],
          [1, 3],
          [2, 1],
        ]),
      },
      () => ({
        court: rng.pick(home.courts),
        date: rng.date(2005, 2023),
        offence: rng.pick(OFFENCES),
        sentence: rng.pick(SENTENCES),
      }),
    );
    const site = plan ? this.compoundSite(plan.compound) : undefined;
    const lastKnownLocation = rng.chance(0.8)
      ? site && rng.chance(0.5)
        ? loc(`near ${site.name}, ${site.town}`, site.country, site.point, rng.timestamp(2024, 2025))
        : loc(rng.pick(local.towns), owner, this.point(rng, owner), rng.timestamp(2023, 2025))
      : null;
    const borderMovements: BorderMovement[] = [];
    for (
      let i = rng.weighted([
        [0, 4],
        [1, 2],
        [2, 3],
        [4, 1],
      ]);
      i > 0;
      i--
    ) {
      borderMovements.push({
        direction: rng.chance(0.5) ? 'ENTRY' : 'EXIT',
        crossingPoint: rng.pick(local.crossingPoints),
        country: owner,
        at: rng.timestamp(2021, 2025),
        documentNumber: rng.pick(passports),
      });
    }
    borderMovements.sort((a, b) => a.at.localeCompare(b.at));
    const travelDocuments = passports.map((number) =>
      passport(number, person.nationality, rng.date(2026, 2034)),
    );
    const subscriberRecords = phones.map((phone) =>
      subscriber(
        phone,
        rng.pick(profileOf(phoneCountry(phone) ?? owner).telecom),
        rng.chance(0.7)
          ? person.fullName
          : this.identity(`${id}/${phone}`, owner, VICTIM_NATIONALITIES, [1950, 2004]).fullName,
        rng.date(2015, 2025),
      ),
    );
    const callRecords: CallRecord[] = Array.from(
      {
        length: rng.weighted([
          [0, 5],
          [1, 2],
          [3, 1],
        ]),
      },
      () => ({
        from: rng.pick(phones),
        to: profileOf('KR').phone(rng),
        at: rng.timestamp(2024, 2025),
        durationSeconds: rng.int(20, 1800),
      }),
    );
    const interceptedMessages: InterceptedMessage[] =
      messengerHandles.length && rng.chance(0.15)
        ? [
            {
              at: rng.timestamp(2024, 2025),
              channel: 'Telegram',
              from: messengerHandles[0]!,
              to: `telegram:@${rng.pick(ALIAS_WORDS).toLowerCase().replace(/ /g, '_')}${rng.digits(3)}`,
              content: rng.pick(MESSAGES),
            },
          ]
        : [];
    const linkedCases = this.linkedCasesIn(plan, id, 'suspects');
    const associates = plan ? neighbours(plan.suspects, id) : [];
    return {
      id,
      country: owner,
      sourceGrade: rng.pick(SOURCE_GRADES),
      operations: this.operationsOfCases(linkedCases, plan),
      national: this.nationalSuspectFields(owner, person, rng),
      fullName: person.fullName,
      aliases,
      dateOfBirth: person.dateOfBirth,
      nationality: person.nationality,
      passportNumbers: passports,
      phones,
      messengerHandles,
      wantedStatus,
      criminalRecord,
      lastKnownLocation,
      borderMovements,
      travelDocuments,
      financialAccounts: this.suspectAccounts(id),
      subscriberRecords,
      callRecords,
      interceptedMessages,
      associates,
      linkedCases,
      biometricTemplateHash: rng.chance(0.3) ? `sha256:${hex(rng, 64)}` : null,
    };
  }

  private nationalSuspectFields(owner: string, person: Identity, rng: Rng): NationalFields {
    if (owner !== person.nationality) return {};
    switch (owner) {
      case 'KR': {
        const [year, month, day] = person.dateOfBirth.split('-');
        const centuryDigit = Number(year) >= 2000 ? rng.pick([3, 4]) : rng.pick([1, 2]);
        return {
          residentRegistrationNumber: `${year!.slice(2)}${month}${day}-${centuryDigit}${rng.digits(6)}`,
        };
      }
      case 'KH': {
        const khmer = [KHMER_SCRIPT[person.family], KHMER_SCRIPT[person.given]];
        return khmer.every(Boolean) ? { khmerName: khmer.join(' ') } : {};
      }
      case 'TH':
        return { thaiIdNumber: thaiIdNumber(rng) };
      case 'PH':
        return { philsysNumber: `${rng.digits(4)}-${rng.digits(4)}-${rng.digits(4)}-${rng.digits(4)}` };
      case 'VN': {
        const year = Number(person.dateOfBirth.slice(0, 4));
        const genderCentury = year >= 2000 ? rng.pick([2, 3]) : rng.pick([0, 1]);
        return {
          citizenIdNumber: `0${pad(rng.int(1, 96), 2)}${genderCentury}${person.dateOfBirth.slice(2, 4)}${rng.digits(6)}`,
        };
      }
      default:
        return {};
    }
  }

  private compound(id: string, owner: string, plan: RingPlan | undefined): CompoundRecord {
    const rng = this.rng(id, 'compound');
    const site = this.compoundSite(id);
    const status = rng.weighted<CompoundStatus>([
      ['ACTIVE', 55],
      ['RAIDED', 30],
      ['RELOCATED', 15],
    ]);
    const profile = profileOf(owner);
    const raids: Raid[] =
      status === 'RAIDED' || rng.chance(0.1)
        ? [
            {
              date: rng.date(2022, 2025),
              leadAgency: profile.agency,
              outcome: rng.pick(RAID_OUTCOMES),
              workersFreed: rng.int(0, 400),
              arrests: rng.int(0, 60),
            },
          ]
        : [];
    const linkedCases = plan ? [...plan.cases.keys()].sort() : [];
    return {
      id,
      country: owner,
      sourceGrade: rng.pick(SOURCE_GRADES),
      operations: this.operationsOfCases(linkedCases, plan),
      national:
        owner === 'KH' ? { commune: `${rng.pick(['Sangkat', 'Khum'])} ${rng.pick(KH_COMMUNES)}` } : {},
      name: site.name,
      address: `Building ${rng.pick(['A', 'B', 'C', 'D', '1', '2', '3'])}, ${site.name}, ${rng.pick(STREETS)} ${rng.int(1, 120)}, ${site.town}`,
      province: site.province,
      coordinates: site.point,
      status,
      estimatedWorkers: rng.int(20, 3000),
      security: rng.pick(SECURITY),
      operators: plan ? plan.operators : [],
      raids,
      linkedCases,
    };
  }

  private case(id: string, owner: string, plan: RingPlan | undefined): CaseRecord {
    const rng = this.rng(id, 'case');
    const profile = profileOf(owner);
    const year = rng.int(2021, 2025);
    const caseNumber = `${profile.agencyCode}-${year}-${pad(Number(id.slice(-6)) % 100_000, 5)}`;
    const links = plan?.cases.get(id) ?? { suspects: [], victims: [] };
    const money = (amount: number): Money => ({ amount, currency: profile.currency });
    const [lossMin, lossMax] = profile.lossRange;
    const trafficking = rng.chance(0.4);
    const loss = trafficking ? 0 : Math.round(lossMin + rng.float() * (lossMax - lossMin));
    const proceeds = rng.sample(
      links.suspects.flatMap((suspect) => this.suspectAccounts(suspect)),
      3,
    );
    const transactions: Transaction[] = proceeds.length
      ? Array.from({ length: rng.int(0, 3) }, () => ({
          at: rng.timestamp(year, Math.min(year + 1, 2025)),
          fromAccount: `${rng.digits(3)}-${rng.digits(3)}-${rng.digits(6)} (${rng.pick(profile.banks)}, victim)`,
          toAccount: rng.pick(proceeds).number,
          amount: money(Math.max(1, Math.round(loss * (0.1 + rng.float() * 0.4)))),
        }))
      : [];
    const frozen = loss > 0 && rng.chance(0.3) ? money(Math.round(loss * rng.float() * 0.5)) : null;
    const recovered = loss > 0 && rng.chance(0.2) ? money(Math.round(loss * rng.float() * 0.3)) : null;
    return {
      id,
      country: owner,
      sourceGrade: rng.pick(SOURCE_GRADES),
      operations: this.caseOperations(id, plan),
      national:
        owner === 'KR'
          ? { investigatingUnit: `${rng.pick(KR_UNITS)}, ${rng.pick(KR_STATIONS)} Police Station` }
          : {},
      caseNumber,
      leadAgency: profile.agency,
      offences: trafficking
        ? rng.sample(TRAFFICKING_OFFENCES, rng.int(1, 3))
        : rng.sample(FRAUD_OFFENCES, rng.int(1, 3)),
      status: rng.weighted<CaseStatus>([
        ['OPEN', 3],
        ['UNDER_INVESTIGATION', 4],
        ['PROSECUTION', 2],
        ['CLOSED', 1],
      ]),
      modusOperandi: trafficking ? rng.pick(TRAFFICKING_METHODS) : rng.pick(FRAUD_METHODS),
      lossAmount: money(loss),
      suspects: links.suspects,
      compounds: plan ? [plan.compound] : [],
      victims: links.victims,
      evidence: Array.from({ length: rng.int(0, 3) }, (_, k) => ({
        reference: `${caseNumber}-E${k + 1}`,
        description: rng.pick(EVIDENCE),
        custodian: `${profile.agency} evidence store`,
        seizedOn: rng.date(year, 2025),
      })),
      proceedsAccounts: proceeds,
      transactions,
      frozenAmount: frozen,
      recoveredAmount: recovered,
    };
  }

  private victim(id: string, owner: string, plan: RingPlan | undefined): VictimRecord {
    const rng = this.rng(id, 'victim');
    const person = this.identity(id, owner, VICTIM_NATIONALITIES, [1945, 2006]);
    const defraudedOnly = rng.chance(0.2) || !plan;
    const status: VictimStatus | null = defraudedOnly
      ? null
      : rng.weighted<VictimStatus>([
          ['MISSING', 20],
          ['CONFINED', 30],
          ['RESCUED', 30],
          ['REPATRIATED', 20],
        ]);
    const site = plan ? this.compoundSite(plan.compound) : undefined;
    const homeCountry = this.members.includes(person.nationality) ? person.nationality : owner;
    const home = (): Location =>
      loc(`${rng.pick(profileOf(homeCountry).towns)} (home)`, homeCountry, null, rng.timestamp(2023, 2025));
    let lastKnownLocation: Location | null;
    let confinedAt: string | null = null;
    switch (status) {
      case null:
        lastKnownLocation = home();
        break;
      case 'MISSING':
        lastKnownLocation = site
          ? loc(`${site.town} (last message to family)`, site.country, site.point, rng.timestamp(2024, 2025))
          : null;
        confinedAt = rng.chance(0.5) ? plan!.compound : null;
        break;
      case 'CONFINED':
        lastKnownLocation = loc(
          `${site!.name} (reported)`,
          site!.country,
          site!.point,
          rng.timestamp(2024, 2025),
        );
        confinedAt = plan!.compound;
        break;
      case 'RESCUED':
        lastKnownLocation = loc(
          `${site!.town} victim shelter`,
          site!.country,
          this.point(rng, site!.country),
          rng.timestamp(2023, 2025),
        );
        confinedAt = plan!.compound;
        break;
      case 'REPATRIATED':
        lastKnownLocation = home();
        confinedAt = plan!.compound;
        break;
      default: {
        const unreachable: never = status;
        throw new Error(`unknown victim status ${String(unreachable)}`);
      }
    }
    const linkedCases = this.linkedCasesIn(plan, id, 'victims');
    return {
      id,
      country: owner,
      sourceGrade: rng.pick(SOURCE_GRADES),
      operations: this.operationsOfCases(linkedCases, plan),
      national: {},
      fullName: person.fullName,
      dateOfBirth: person.dateOfBirth,
      nationality: person.nationality,
      status,
      lastKnownLocation,
      confinedAt,
      injuries: status && status !== 'MISSING' ? rng.sample(INJURIES, rng.int(0, 2)) : [],
      needs: status ? rng.sample(NEEDS, rng.int(1, 3)) : ['victim support'],
      linkedCases,
    };
  }
}

/** The world for these options. Cheap: records are generated on demand. */
export function createWorld(options: WorldOptions = {}): World {
  return new World(options);
}

/** A ring's suspects form a cycle of associates: symmetric by construction. */
function neighbours(ring: readonly string[], id: string): string[] {
  if (ring.length < 2) return [];
  const index = ring.indexOf(id);
  const before = ring[(index - 1 + ring.length) % ring.length]!;
  const after = ring[(index + 1) % ring.length]!;
  return [...new Set([before, after])].sort();
}

function phoneCountry(phone: string): string | undefined {
  const prefix = /^\+(\d+)/.exec(phone)?.[1];
  return prefix ? CALLING_CODES[prefix] : undefined;
}
const CALLING_CODES: Readonly<Record<string, string>> = {
  '82': 'KR',
  '855': 'KH',
  '66': 'TH',
  '63': 'PH',
  '84': 'VN',
  '86': 'CN',
};

function hex(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789abcdef'.charAt(rng.int(0, 15));
  return out;
}

/** Thai national id: 12 digits and a mod-11 check digit, written 1-2345-67890-12-3. */
function thaiIdNumber(rng: Rng): string {
  const digits = [rng.int(1, 8), ...Array.from({ length: 11 }, () => rng.int(0, 9))];
  const sum = digits.reduce((total, digit, i) => total + digit * (13 - i), 0);
  const check = (11 - (sum % 11)) % 10;
  const all = [...digits, check].join('');
  return `${all.slice(0, 1)}-${all.slice(1, 5)}-${all.slice(5, 10)}-${all.slice(10, 12)}-${all.slice(12)}`;
}

// Vocabulary of the filler. "Crane", "Heron", "Coral", "Moonlight" and "Tiger" are kept for the core.
const COMPOUND_ADJECTIVES = [
  'Golden',
  'Jade',
  'Royal',
  'Lucky',
  'Diamond',
  'Silver',
  'Crystal',
  'Emerald',
  'Ruby',
  'Grand',
  'Star',
  'Ocean',
  'Sunrise',
  'Imperial',
  'Red',
];
const COMPOUND_NOUNS = [
  'Palm',
  'Lotus',
  'Dragon',
  'Phoenix',
  'Orchid',
  'River',
  'Bay',
  'Garden',
  'Horizon',
  'Harbour',
  'Peak',
  'Bamboo',
  'Fortune',
  'Pagoda',
];
const COMPOUND_SUFFIXES = [
  'Resort',
  'Tower',
  'Park',
  'Plaza',
  'Complex',
  'Village',
  'Casino',
  'Industrial Zone',
  'Residences',
  'Hub',
];
const STREETS = ['Road', 'Street', 'Highway', 'Avenue', 'Lane'];
const SECURITY = [
  'armed guards; high walls with razor wire; phones confiscated',
  'CCTV; guard dogs; workers’ passports held',
  'guard towers; electric fence',
  'private security company; locked dormitories',
  'lightly guarded; workers held by debt bondage',
];
const RAID_OUTCOMES = [
  'compound cleared; operators fled before the raid',
  'workers freed; equipment seized',
  'partial search; main block not entered',
  'arrests made; investigation continues',
];
const OFFENCES = [
  'fraud (voice phishing)',
  'human trafficking',
  'money laundering',
  'illegal confinement',
  'organised crime participation',
  'computer-related fraud',
  'assault',
  'document forgery',
];
const SENTENCES = [
  '1 year imprisonment',
  '2 years imprisonment, suspended',
  '3 years imprisonment',
  '18 months imprisonment',
  'fine',
  '5 years imprisonment',
];
const FRAUD_OFFENCES = [
  'fraud (voice phishing)',
  'fraud (loan scam)',
  'fraud (romance scam)',
  'fraud (investment scam)',
  'money laundering',
  'computer-related fraud',
];
const TRAFFICKING_OFFENCES = [
  'human trafficking',
  'illegal confinement',
  'forced labour',
  'assault',
  'organised crime participation',
];
const FRAUD_METHODS = [
  'callers impersonating prosecutors or bank staff persuade victims to move savings to “safe accounts”',
  'fake low-interest loan offers; victims pay “fees” and “deposits”',
  'romance contact on messaging apps leading to a fake investment platform',
  'fake crypto investment site showing false profits; withdrawals blocked',
  'messages posing as family members in trouble asking for urgent transfers',
];
const TRAFFICKING_METHODS = [
  'well-paid overseas jobs advertised online; recruits’ passports taken on arrival',
  'recruits moved across the border at night and sold between compounds',
  'workers held by “debt” for travel costs and forced to meet scam quotas',
];
const EVIDENCE = [
  'seized phone with messaging-app sessions',
  'call scripts printed in Korean',
  'laptop with victim lists',
  'USDT wallet recovery phrase on paper',
  'CCTV footage of the compound gate',
  'bank transfer records',
  'SIM cards and SIM boxes',
];
const MESSAGES = [
  'Script B is updated: use the district prosecutor version from Monday.',
  'Move the USDT to the second wallet tonight and delete this chat.',
  'The new team lands Thursday; collect passports at the airport.',
  'Quota is 30 calls per hour. Anyone under quota stays late.',
];
const INJURIES = [
  'bruising consistent with beatings',
  'malnutrition',
  'untreated fracture',
  'electric-shock burns',
  'dehydration',
  'sleep deprivation',
];
const NEEDS = [
  'medical care',
  'psychological support',
  'interpreter',
  'emergency travel document',
  'shelter',
  'legal aid',
  'family tracing',
  'rescue',
];
const KH_COMMUNES = [
  'Prey Thom',
  'Srae Chhuk',
  'Kampong Luong',
  'Phsar Thmei Bei',
  'Boeung Kak Pir',
  'Tuol Sangke',
  'Chamkar Leu',
  'Ou Chrov',
];
const KR_UNITS = [
  'Financial Crime Investigation Unit',
  'Cyber Crime Investigation Unit',
  'Anti-Telecom Fraud Team',
  'Anti-Trafficking Team',
];
const KR_STATIONS = ['Haeryong Central', 'Seonam', 'Gaeul', 'Mokhwa', 'Cheongmun', 'Baekdam'];
