/**
 * Pinned writer keys: which public keys may sign each chain's checkpoints. Without pinning, a verifier can
 * only check signatures against the keys the log itself names, and someone able to rewrite the whole log
 * could re-sign it with a key of their own.
 */
import { readFileSync } from 'node:fs';
import { AuditError } from './AuditError';
import { publicKeyOf } from './keys';

/** Instance → allowed public keys (SPKI DER, base64). */
export type TrustedKeys = ReadonlyMap<string, ReadonlySet<string>>;

/** From `{ "gw-1": "<base64 SPKI or PEM>", "kh-subgraph": ["<key>", "<older key>"] }`. */
export function trustedKeysFrom(value: unknown, source = 'the trusted keys'): TrustedKeys {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AuditError('BAD_INPUT', `${source} must be a JSON object of instance → public key(s), e.g. {"gw-1": "MCowBQYDK2VwAyEA..."}.`);
  }
  const keys = new Map<string, Set<string>>();
  for (const [instance, given] of Object.entries(value as Record<string, unknown>)) {
    const list = Array.isArray(given) ? given : [given];
    const set = new Set<string>();
    for (const key of list) {
      try {
        if (typeof key !== 'string') throw new Error('not a string');
        set.add(publicKeyOf(key));
      } catch (error) {
        throw new AuditError('BAD_INPUT', `${source}: the key for "${instance}" is not an Ed25519 public key (${(error as Error).message}): ${JSON.stringify(key)}.`);
      }
    }
    keys.set(instance, set);
  }
  return keys;
}

export function readTrustedKeys(file: string): TrustedKeys {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AuditError('BAD_INPUT', `Cannot read the trusted keys file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AuditError('BAD_INPUT', `The trusted keys file ${file} is not JSON: ${(error as Error).message}`);
  }
  return trustedKeysFrom(parsed, file);
}
