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
//
// The files: types.ts (record shapes), options.ts (seed, size, members), random.ts (the seeded streams),
// profiles.ts (how each country's names, numbers and places look), scenario/ (the core scenario as data)
// and core.ts (it finished), ring.ts and filler.ts (the filler; fillerWords.ts, identity.ts,
// nationalFields.ts), World.ts (which record is which, on demand), demo.ts (what the README names).
export {
  SOURCE_GRADES,
  OPERATIONS,
  type Money,
  type GeoPoint,
  type Location,
  type Warrant,
  type InterpolNoticeColour,
  type WantedStatus,
  type Conviction,
  type BorderMovement,
  type TravelDocument,
  type FinancialAccount,
  type Transaction,
  type SubscriberRecord,
  type CallRecord,
  type InterceptedMessage,
  type Raid,
  type EvidenceItem,
  type CompoundStatus,
  type CaseStatus,
  type VictimStatus,
  type SourceGrade,
  type NationalFields,
  type RecordMeta,
  type SuspectRecord,
  type CompoundRecord,
  type CaseRecord,
  type VictimRecord,
  type RecordsByKind,
  type AnyRecord,
} from './types';
export { DEMO_IDS, DEMO_SEARCH_TERMS, DEMO_BIOMETRIC_TEMPLATE_HASH } from './demo';
export { WORLD_VERSION, DEFAULT_SEED, DEFAULT_SIZE, normalizeSeed, type WorldOptions } from './options';
export { mulberry32 } from './random';
export { World, createWorld } from './World';
