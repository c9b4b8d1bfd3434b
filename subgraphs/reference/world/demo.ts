// Demo constants: the core scenario's ids and searches the README, demos and tests name. They do not
// depend on seed or size.
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
