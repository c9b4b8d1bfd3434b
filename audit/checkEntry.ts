/**
 * Checks one stored row on its own: its body parses, its body hash and its hash recompute, its kind is
 * known, and the columns copied out of it for queries still match it. Used by the verifier, by a writer
 * reopening its chain, and by the evidence-pack checker.
 */
import { canonicalJson } from './canonicalJson';
import { clauseTableProblem } from './clauseTable';
import { bodyHashOf, entryHashOf, sha256Hex } from './hashing';
import { indexColumnsOf, type IndexColumns, type RawRow } from './store/AuditStore';
import { RECORD_KINDS, type EntryBody, type RecordKind, type StoredEntry } from './types';

export type EntryCheck =
  { readonly ok: true; readonly entry: StoredEntry } | { readonly ok: false; readonly why: string };

export function checkRow(row: RawRow): EntryCheck {
  if (!(RECORD_KINDS as readonly string[]).includes(row.kind))
    return { ok: false, why: `its kind "${row.kind}" is not a kind of entry` };
  let body: EntryBody;
  try {
    body = JSON.parse(row.body) as EntryBody;
  } catch {
    return { ok: false, why: 'its body is not JSON any more (edited)' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, why: 'its body is not an object (edited)' };
  const computedBody = sha256Hex(canonicalJson(body));
  if (computedBody !== row.bodyHash)
    return { ok: false, why: 'its content does not match its body hash (edited)' };
  const entry: StoredEntry = {
    v: 1,
    chain: row.chain,
    seq: row.seq,
    kind: row.kind as RecordKind,
    at: row.at,
    prev: row.prev,
    bodyHash: row.bodyHash,
    hash: row.hash,
    body,
  };
  if (entryHashOf(entry) !== row.hash)
    return {
      ok: false,
      why: 'its envelope (kind, time, place or previous hash) does not match its hash (edited)',
    };
  if (row.kind === 'consultation' || row.kind === 'disclosure') {
    const problem = clauseTableProblem(body as unknown as Record<string, unknown>);
    if (problem !== null) return { ok: false, why: `${problem} (written wrong or edited)` };
  }
  const expected = indexColumnsOf(row.kind, body as unknown as Record<string, unknown>);
  for (const key of Object.keys(expected) as (keyof IndexColumns)[]) {
    if (expected[key] !== row.indexed[key])
      return {
        ok: false,
        why: `its query column ${key} says ${JSON.stringify(row.indexed[key])} but its body says ${JSON.stringify(expected[key])} (edited)`,
      };
  }
  return { ok: true, entry };
}

/** Re-derives hashes of an entry given in full (evidence packs): null when it is consistent. */
export function problemOfEntry(entry: StoredEntry): string | null {
  if (!(RECORD_KINDS as readonly string[]).includes(entry.kind))
    return `its kind "${String(entry.kind)}" is not a kind of entry`;
  if (bodyHashOf(entry.body) !== entry.bodyHash) return 'its content does not match its body hash (edited)';
  if (entryHashOf(entry) !== entry.hash) return 'its envelope does not match its hash (edited)';
  return null;
}

/** `gw-1#42`: how every message and the CLI name an entry. */
export function refText(ref: { chain: string; seq: number }): string {
  return `${ref.chain}#${ref.seq}`;
}
