/**
 * The hash chain: sha256 over canonical JSON. An entry's hash covers its envelope and the hash of its
 * body, so that an evidence pack can prove the chain through entries whose body it must not disclose.
 */
import { hash } from 'node:crypto';
import { canonicalJson } from './canonicalJson';
import type { EntryBody, EntryLink, RecordKind } from './types';

/** The `prev` of a chain's first entry. */
export const GENESIS = '0'.repeat(64);

// crypto.hash, one call with no Hash object: the same digest at half the cost of createHash for the
// kilobyte bodies hashed on every append (a string is hashed as UTF-8 either way).
export function sha256Hex(text: string | Buffer): string {
  return hash('sha256', text, 'hex');
}

export function bodyHashOf(body: EntryBody): string {
  return sha256Hex(canonicalJson(body));
}

/** The hash of an entry from its envelope (everything but the body, which `bodyHash` stands for). */
export function entryHashOf(link: {
  v: 1;
  chain: string;
  seq: number;
  kind: RecordKind;
  at: string;
  prev: string;
  bodyHash: string;
}): string {
  const { v, chain, seq, kind, at, prev, bodyHash } = link;
  return sha256Hex(canonicalJson({ v, chain, seq, kind, at, prev, bodyHash }));
}

/** The envelope of an entry, without its body. */
export function linkOf(entry: EntryLink): EntryLink {
  const { v, chain, seq, kind, at, prev, bodyHash, hash } = entry;
  return { v, chain, seq, kind, at, prev, bodyHash, hash };
}
