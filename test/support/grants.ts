import { generateKeyPairSync } from 'node:crypto';
import { openGrantStore, type GrantStore } from '../../subgraphs/desk';
import type { Grant } from '../../policy';
import { TEST_NOW } from './alliance';

const DAY = 86_400_000;

/** A member's grant store in memory, signed with a fresh key. */
export function memoryGrantStore(owner: string): GrantStore {
  return openGrantStore({ owner, file: ':memory:', key: generateKeyPairSync('ed25519').privateKey });
}

/**
 * The grant the scenario's formal request MLA-2026-0042 stands for: KH approved KR analyst lee.h's request
 * in case KR-CAS-000001 for the identity and accounts of KH-SUS-000001 under the KR–KH MLAT, for 30 days
 * around the tests' clock.
 */
export const MLA_2026_0042: Omit<Grant, 'revokedAt'> = Object.freeze<Omit<Grant, 'revokedAt'>>({
  id: 'MLA-2026-0042',
  owner: 'KH',
  requesterCountry: 'KR',
  analysts: ['lee.h'],
  caseReference: 'KR-CAS-000001',
  purpose: 'investigation',
  agreement: 'kr-kh-mlat-2021',
  clauses: ['persons-and-records', 'proceeds'],
  subjects: ['KH-SUS-000001'],
  categories: ['person.identity', 'financial.accounts'],
  validFrom: TEST_NOW - DAY,
  validUntil: TEST_NOW + 29 * DAY,
  evidentiaryUse: true,
});

/** KH's grant store holding MLA-2026-0042 (valid around `at`), as the alliance option `grants`. */
export function scenarioGrants(at = TEST_NOW): { KH: GrantStore } {
  const store = memoryGrantStore('KH');
  store.issue({ ...MLA_2026_0042, validFrom: at - DAY, validUntil: at + 29 * DAY }, ['desk.officer.kh']);
  return { KH: store };
}
