// The core scenario: a few hand-written records per member with stable ids (serials 1..n of each kind),
// the same at every seed and size, that the README, demos and tests name. This file holds what several of
// its kinds share: Tiger's identifiers, the compounds' places, the mule accounts.
import type { FinancialAccount, GeoPoint, RecordMeta, WantedStatus } from '../types';

/** A core record as written: links and operations are derived (core.ts), associates written one way. */
export type Draft<T extends RecordMeta> = Omit<T, 'operations' | 'linkedCases' | 'associates'> & {
  readonly associates?: readonly string[];
};

export const TIGER = {
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

export const GOLDEN_CRANE_POINT: GeoPoint = { latitude: 10.7412, longitude: 103.6127 };
export const BORDER_COMPOUND_POINT: GeoPoint = { latitude: 16.6934, longitude: 98.5112 };
export const LAGOON_POINT: GeoPoint = { latitude: 14.5321, longitude: 120.9764 };
export const HERON_POINT: GeoPoint = { latitude: 11.0511, longitude: 104.3078 };
export const RELAY_POINT: GeoPoint = { latitude: 37.4913, longitude: 126.8875 };

export const NOT_WANTED: WantedStatus = { wanted: false, warrants: [], interpolNotice: null };

export const MARCO_ACCOUNTS: readonly FinancialAccount[] = [
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
export const TIGER_CRYPTO: FinancialAccount = {
  kind: 'crypto_wallet',
  institution: 'USDT (TRC-20), self-custody',
  number: TIGER.wallet,
  country: 'KR',
  holderName: 'unknown (attributed to Do Gang-min)',
};
export const HAN_CRYPTO: FinancialAccount = {
  kind: 'crypto_wallet',
  institution: 'USDT (TRC-20), Haneul Coin exchange',
  number: 'TJw5kHan7rXcoin2QpZ8mVbN4tLs9eYfUa',
  country: 'KR',
  holderName: 'Han Ji-woo',
};
