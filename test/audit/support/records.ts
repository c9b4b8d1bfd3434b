/**
 * Crossing records for the audit tests: the KR analyst kim.j consulting KH, TH and PH records under the
 * scenario's agreements (clause contents ILLUSTRATIVE, as in agreements/).
 */
import type { CrossingRecord, FieldEntry } from '../../../audit';

export const REVISION = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a';
const OPERATION = 'f'.repeat(64);

const MLAT = {
  agreement: 'kr-kh-mlat-2021',
  clause: 'persons-and-records',
  citation: 'art. 1(4)(b)',
  title: 'KR–KH MLAT 2021',
};
const MOU_TH = {
  agreement: 'kr-th-police-mou-2019',
  clause: 'information-exchange',
  citation: 'art. 3',
  title: 'KR–TH Police MoU 2019',
};
const EMERGENCY = {
  agreement: 'alliance-emergency-2025',
  clause: 'imminent-danger',
  citation: 'para. 2',
  title: 'Alliance Emergency Arrangement 2025',
};
/** The obligations of the test records' releases. */
export const OBLIGATIONS = {
  handlingCode: 'H1',
  onwardTransfer: 'with_consent',
  evidentiaryUse: 'allowed',
  retentionDays: 1825,
  notifySource: false,
} as const;
const EMERGENCY_OBLIGATIONS = {
  handlingCode: 'H2',
  onwardTransfer: 'forbidden',
  evidentiaryUse: 'forbidden',
  retentionDays: 30,
  notifySource: true,
  reviewWithinHours: 72,
} as const;

export function identityFields(owner: string, index = 0): FieldEntry[] {
  const clause = owner === 'TH' ? MOU_TH : MLAT;
  return [
    {
      path: `suspects.${index}.id`,
      category: 'meta.reference',
      effect: 'release',
      reason: 'RELEASED',
      clauses: [clause],
    },
    {
      path: `suspects.${index}.fullName`,
      category: 'person.identity',
      effect: 'release',
      reason: 'RELEASED',
      clauses: [clause],
      obligations: OBLIGATIONS,
    },
    {
      path: `suspects.${index}.biometrics`,
      category: 'person.biometrics',
      effect: 'withhold',
      reason: 'CATEGORY_NOT_COVERED',
      clauses: [],
    },
  ];
}

/** A consultation (side 'consultation') or its matching disclosure, for one request and one owner. */
export function crossing(
  side: 'consultation' | 'disclosure',
  n: number,
  overrides: Partial<CrossingRecord> = {},
): CrossingRecord {
  const owner = overrides.owner ?? (['KH', 'TH', 'KH'] as const)[n % 3]!;
  return {
    side,
    requestId: `req-${n}`,
    decisionId: `dec-${n}-${owner}`,
    analyst: 'kim.j',
    country: 'KR',
    purpose: 'investigation',
    caseReference: `KR-2025-00${n % 2 === 0 ? '17' : '42'}`,
    owner,
    fields: identityFields(owner, n % 4),
    policyRevision: REVISION,
    operationHash: OPERATION,
    operationName: 'SuspectByName',
    ...overrides,
  };
}

/** An emergency release of a victim's location (review within 72 h). */
export function emergencyCrossing(
  side: 'consultation' | 'disclosure',
  n: number,
  at?: string,
): CrossingRecord {
  return crossing(side, n, {
    owner: 'KH',
    purpose: 'victim_rescue',
    caseReference: 'KR-2025-0099',
    emergency: {
      declaredAt: at ?? new Date().toISOString(),
      justification: 'Victim confined at a compound in Sihanoukville; assault reported within the hour.',
    },
    fields: [
      {
        path: 'victims.0.id',
        category: 'meta.reference',
        effect: 'release',
        reason: 'RELEASED',
        clauses: [EMERGENCY],
      },
      {
        path: 'victims.0.lastKnownLocation',
        category: 'victim.location',
        effect: 'release',
        reason: 'RELEASED',
        clauses: [EMERGENCY],
        obligations: EMERGENCY_OBLIGATIONS,
      },
      {
        path: 'victims.0.welfare',
        category: 'victim.welfare',
        effect: 'withhold',
        reason: 'CATEGORY_NOT_COVERED',
        clauses: [],
      },
    ],
    ...(at !== undefined ? { at } : {}),
  });
}
