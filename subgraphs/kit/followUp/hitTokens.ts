import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Hit tokens: the owner's proof that it showed a requester country one of its records (issue 9). Whenever
 * an owner's subgraph answers a foreign analyst with a record, it signs one per record (HMAC-SHA256 with
 * its own secret, subgraphs/desk/hitKey.ts) into its answer; the gateway hands them to the analyst, who
 * needs the token of each subject to file a follow-up request about it. Only the owner signs and checks
 * them. A token names the owner, the requester country and analyst, the record and its expiry, so it is
 * worth nothing to another country or another analyst (the hit was theirs), for another record, with
 * another owner, or after it expires.
 *
 * Format: `<payload>.<mac>`, both base64url; the payload is `v2|<owner>|<requester>|<analyst>|<record>|<expires ms>`.
 */

/** How long a hit lets its requester file about the record. */
export const HIT_TOKEN_TTL_MS = 48 * 3_600_000;
/** Longer than any token this module makes: anything longer is refused before its MAC is computed. */
export const HIT_TOKEN_MAX_LENGTH = 256;

export interface Hit {
  readonly owner: string;
  readonly requesterCountry: string;
  /** The analyst who received the hit (analyst ids hold no `|`: policy/requestHeaders.ts ANALYST_ID). */
  readonly analyst: string;
  readonly recordId: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

const VERSION = 'v2';

function mac(payload: string, key: Buffer): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

export function mintHitToken(hit: Hit, key: Buffer): string {
  const payload = Buffer.from(
    [VERSION, hit.owner, hit.requesterCountry, hit.analyst, hit.recordId, String(hit.expiresAt)].join('|'),
  ).toString('base64url');
  return `${payload}.${mac(payload, key).toString('base64url')}`;
}

/**
 * The record a token proves a hit on, for this owner and requester at `at`; undefined when it is not a
 * token this owner signed, names another owner or requester, or has expired. Why is not said: a caller
 * answers every undefined alike.
 */
export function verifyHitToken(
  token: string,
  key: Buffer,
  expected: {
    readonly owner: string;
    readonly requesterCountry: string;
    readonly analyst: string;
    readonly at: number;
  },
): string | undefined {
  if (token.length > HIT_TOKEN_MAX_LENGTH) return undefined;
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return undefined;
  const given = Buffer.from(signature, 'base64url');
  const wanted = mac(payload, key);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return undefined;
  const [version, owner, requester, analyst, recordId, expires, ...more] = Buffer.from(payload, 'base64url')
    .toString('utf8')
    .split('|');
  if (version !== VERSION || more.length > 0 || !recordId || !expires || !/^\d+$/.test(expires))
    return undefined;
  if (owner !== expected.owner || requester !== expected.requesterCountry || analyst !== expected.analyst)
    return undefined;
  if (expected.at >= Number(expires)) return undefined;
  return recordId;
}
