import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { recordFactsOf, type RecordFacts } from '../../policy';
import { parseGlobalId } from '../../schema';
import { STORE_TABLES, storeFile } from './storeLayout';

/**
 * What a reference member's store says of one record, read without changing anything (no file, table or
 * seed is made): the facts its record-level conditions read (policy/recordFacts.ts), as the owner reads
 * them when it decides. For `npm run policy -- explain --record-id`, which before took a record as linked
 * to no operation unless told otherwise.
 */
export type StoredRecordLookup =
  | { readonly found: true; readonly owner: string; readonly file: string; readonly facts: RecordFacts }
  | {
      readonly found: false;
      readonly owner: string;
      readonly file: string;
      /** no-store: the folder holds no store of the owner's; no-record: it does, without that record. */
      readonly why: 'no-store' | 'no-record';
    };

/** The record `id` (a global id: its owner is its prefix) in its owner's store in `dataDir`; undefined for an id that is none. */
export function readStoredRecordFacts(id: string, dataDir: string): StoredRecordLookup | undefined {
  const parsed = parseGlobalId(id);
  if (parsed === undefined) return undefined;
  const file = storeFile(parsed.owner, dataDir);
  if (!existsSync(file)) return { found: false, owner: parsed.owner, file, why: 'no-store' };
  // Not `readonly`: SQLite would leave the WAL's -shm and -wal files behind in a stopped member's folder.
  // Opened writable but query-only, the connection cannot write a row, and closing it removes what it made.
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('query_only = ON');
    const table = STORE_TABLES[parsed.kind];
    const exists = db
      .prepare<[string], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(table);
    const row =
      exists === undefined
        ? undefined
        : db.prepare<[string], { data: string }>(`SELECT data FROM ${table} WHERE id = ?`).get(id);
    if (row === undefined) return { found: false, owner: parsed.owner, file, why: 'no-record' };
    return { found: true, owner: parsed.owner, file, facts: { ...recordFactsOf(JSON.parse(row.data)), id } };
  } finally {
    db.close();
  }
}
