/**
 * The shared words of the alliance: the data categories agreements speak about, the purposes an analyst
 * may declare, and the kinds of legal basis. Source: docs/domain.md ("Data categories", "Purposes",
 * "Kinds of legal basis"). Both the schema contract (`@category`) and the policy engine use these lists,
 * so this module depends on nothing.
 */

/** Ids and the owner country: released wherever any basis allows a hit (docs/domain.md). */
export const META_REFERENCE = 'meta.reference';

export const CATEGORIES = [
  META_REFERENCE,
  'person.identity',
  'person.contact',
  'person.location',
  'person.wanted_status',
  'person.criminal_record',
  'person.biometrics',
  'compound.location',
  'compound.intel',
  'case.reference',
  'case.summary',
  'case.evidence',
  'victim.identity',
  'victim.location',
  'victim.welfare',
  'financial.accounts',
  'financial.transactions',
  'telecom.subscriber',
  'telecom.traffic',
  'telecom.content',
  'border.movements',
  'border.travel_documents',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const PURPOSES = [
  'investigation',
  'victim_rescue',
  'fugitive_location',
  'arrest_extradition',
  'asset_tracing',
  'border_alert',
  'victim_identification',
  'judicial_evidence',
  'strategic_analysis',
] as const;
export type Purpose = (typeof PURPOSES)[number];

export const LEGAL_BASIS_KINDS = [
  'MLAT',
  'POLICE_COOPERATION',
  'JIT',
  'EMERGENCY',
  'HIT_ONLY',
  'INTERPOL_NOTICE',
  'EXTRADITION',
] as const;
export type LegalBasisKind = (typeof LEGAL_BASIS_KINDS)[number];

const categorySet: ReadonlySet<string> = new Set(CATEGORIES);
const purposeSet: ReadonlySet<string> = new Set(PURPOSES);

export function isCategory(value: string): value is Category {
  return categorySet.has(value);
}

export function isPurpose(value: string): value is Purpose {
  return purposeSet.has(value);
}

/** ISO 3166-1 alpha-2 shape; membership is decided by the registry, not here. */
export function isCountryCode(value: string): boolean {
  return /^[A-Z]{2}$/.test(value);
}

/**
 * The nearest valid names for a misspelt one, for error messages that help ("did you mean ...").
 * Levenshtein distance; returns at most `limit` names within a third of the word's length.
 */
export function nearestNames(input: string, candidates: readonly string[], limit = 3): string[] {
  const scored = candidates
    .map((candidate) => ({ candidate, distance: editDistance(input.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ distance, candidate }) => distance <= Math.max(1, Math.ceil(candidate.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, limit).map(({ candidate }) => candidate);
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

export {
  NOTICE_COLOURS,
  NOTICE_PURPOSES,
  colourPhrase,
  isNoticeColour,
  noticeColourOf,
  type NoticeColour,
} from './interpolNotices';
export { PURPOSE_MEANINGS } from './purposeMeanings';

// The grounds on which an owner's desk may refuse a formal request (vocabulary/refusalGrounds.ts).
export {
  REFUSAL_GROUNDS,
  REFUSAL_GROUND_CODES,
  isRefusalGround,
  refusalGround,
  type RefusalGround,
  type RefusalGroundCode,
} from './refusalGrounds';

// What an analyst did about an alert: the closed list acknowledgeAlert takes (vocabulary/alertActions.ts).
export { ALERT_ACTIONS, ALERT_ACTION_MEANINGS, isAlertAction, type AlertAction } from './alertActions';

// The closed set of client-visible error codes (vocabulary/errorCodes.ts), and the refusals among them.
export {
  ERROR_CODES,
  REFUSAL_CODES,
  isErrorCode,
  isRefusalCode,
  type ErrorCode,
  type RefusalCode,
} from './errorCodes';

// Assertions for contracts, invariants and exhaustive switches (vocabulary/invariant.ts).
export { assertNever, devAssert, invariant } from './invariant';
export { AUTH_REALMS, authRealmOf, type AuthRealm } from './authRealms';
// The kinds of identifier a watch names (vocabulary/identifierKinds.ts).
export { IDENTIFIER_KINDS } from './identifierKinds';
