import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { EntityInterface } from '../../schema';
import { WORLD_VERSION, createWorld, type AnyRecord, type RecordsByKind, type World } from './world';

/**
 * One member's records in SQLite (better-sqlite3): its share of the reference world (world.ts), seeded on
 * first start and reused afterwards.
 *
 * - One table per kind (`suspects`, `compounds`, `cases`, `victims`): the global id and the record as JSON
 *   (nested values such as warrants, accounts and movements stay JSON; nothing queries inside them).
 * - Reads by id are batched: one statement for any number of ids (`IN (SELECT value FROM json_each(?))`),
 *   which is what the per-request DataLoaders call.
 * - Search (`search_terms`): normalized terms of names, aliases, passport, phone, messenger and account
 *   numbers, one row per (term, kind, id) in a clustered index, so a prefix is one range scan at any size.
 *   See `search` for what matches and the caps.
 */

/** At most this many ids per kind answer one search (the best first: exact token, then by id). */
export const SEARCH_LIMIT_PER_KIND = 100;
/** Normalized terms shorter than this answer nothing: a one-letter prefix would scan a large share of the index. */
export const MIN_SEARCH_TERM_LENGTH = 2;
/** Longer terms answer nothing: no indexed value is that long. */
export const MAX_SEARCH_TERM_LENGTH = 200;

/** Bump when the tables or the search normalization change: existing files are then reseeded. */
const STORE_FORMAT = 1;

export interface OpenStoreOptions {
  /** The member whose share of the world this store holds. */
  readonly country: string;
  /** A database file (its folder is created), or ':memory:'. */
  readonly file: string;
  readonly seed?: number | string;
  readonly size?: number;
  /** Receives the SQL of every statement run (better-sqlite3's `verbose`); tests count statements with it. */
  readonly onStatement?: (sql: string) => void;
}

export interface SearchHits {
  readonly suspects: readonly string[];
  readonly compounds: readonly string[];
  readonly cases: readonly string[];
  readonly victims: readonly string[];
}

export interface ReferenceStore {
  readonly country: string;
  readonly seed: number;
  readonly size: number;
  readonly file: string;
  /** True when this open generated the data; false when a file seeded with the same world was reused. */
  readonly seeded: boolean;
  /** How many records of each kind the store holds (serials 1..n). */
  readonly counts: Readonly<Record<EntityInterface, number>>;
  /** Records by global id, in ONE statement whatever the number of ids; ids not found are absent. */
  load<K extends EntityInterface>(kind: K, ids: readonly string[]): Map<string, RecordsByKind[K]>;
  /** Ids of records matching a term, per kind, in ONE statement (see SEARCH_LIMIT_PER_KIND). */
  search(term: string): SearchHits;
  /** Closes the database; later calls do nothing. */
  close(): void;
}

const TABLES: Readonly<Record<EntityInterface, string>> = { Suspect: 'suspects', Compound: 'compounds', Case: 'cases', Victim: 'victims' };
const KIND_CODES: Readonly<Record<EntityInterface, string>> = { Suspect: 'SUS', Compound: 'CMP', Case: 'CAS', Victim: 'VIC' };
const KINDS = Object.keys(TABLES) as EntityInterface[];

/** The project's `data/` folder (git-ignored): where members keep their stores by default. */
export const DEFAULT_DATA_DIR = resolve(__dirname, '..', '..', 'data');

/** `<dataDir>/<cc>.sqlite`. */
export function storeFile(country: string, dataDir: string = DEFAULT_DATA_DIR): string {
  return join(dataDir, `${country.toLowerCase()}.sqlite`);
}

export function openStore(options: OpenStoreOptions): ReferenceStore {
  const world = createWorld({ seed: options.seed, size: options.size });
  if (!world.members.includes(options.country)) {
    throw new Error(`openStore: "${options.country}" is not a member (members: ${world.members.join(', ')}).`);
  }
  const inMemory = options.file === ':memory:';
  if (!inMemory) mkdirSync(dirname(options.file), { recursive: true });
  const db = new Database(options.file, options.onStatement ? { verbose: (sql) => options.onStatement!(String(sql)) } : {});
  try {
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const fingerprint = JSON.stringify({ format: STORE_FORMAT, world: WORLD_VERSION, country: options.country, seed: world.seed, size: world.size });
    const seeded = readFingerprint(db) !== fingerprint;
    if (seeded) seed(db, world, options.country, fingerprint);
    return new SqliteStore(db, world, options.country, options.file, seeded);
  } catch (error) {
    db.close();
    throw error;
  }
}

function readFingerprint(db: Database.Database): string | undefined {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  if (!exists) return undefined;
  const row = db.prepare("SELECT value FROM meta WHERE key = 'seeded_with'").get() as { value: string } | undefined;
  return row?.value;
}

/** (Re)creates the tables and writes the member's share of the world, in one transaction. */
function seed(db: Database.Database, world: World, country: string, fingerprint: string): void {
  db.exec(`
    DROP TABLE IF EXISTS meta;
    DROP TABLE IF EXISTS search_terms;
    ${KINDS.map((kind) => `DROP TABLE IF EXISTS ${TABLES[kind]};`).join('\n')}
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    ${KINDS.map((kind) => `CREATE TABLE ${TABLES[kind]} (id TEXT PRIMARY KEY, data TEXT NOT NULL);`).join('\n')}
    CREATE TABLE search_terms (term TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (term, kind, id)) WITHOUT ROWID;
  `);
  const insertTerm = db.prepare('INSERT OR IGNORE INTO search_terms (term, kind, id) VALUES (?, ?, ?)');
  const inserts = new Map(KINDS.map((kind) => [kind, db.prepare(`INSERT INTO ${TABLES[kind]} (id, data) VALUES (?, ?)`)] as const));
  db.transaction(() => {
    for (const kind of KINDS) {
      const insert = inserts.get(kind)!;
      for (const record of world.records(country, kind)) {
        insert.run(record.id, JSON.stringify(record));
        for (const term of searchTermsOf(kind, record)) insertTerm.run(term, KIND_CODES[kind], record.id);
      }
    }
    db.prepare("INSERT INTO meta (key, value) VALUES ('seeded_with', ?)").run(fingerprint);
  })();
  db.exec('ANALYZE');
}

class SqliteStore implements ReferenceStore {
  readonly seed: number;
  readonly size: number;
  readonly counts: Readonly<Record<EntityInterface, number>>;
  private readonly loads: ReadonlyMap<EntityInterface, Database.Statement<[string], { id: string; data: string }>>;
  private readonly searchStatement: Database.Statement<[SearchParameters], { kind: string; id: string }>;

  constructor(
    private readonly db: Database.Database,
    world: World,
    readonly country: string,
    readonly file: string,
    readonly seeded: boolean,
  ) {
    this.seed = world.seed;
    this.size = world.size;
    this.counts = Object.fromEntries(KINDS.map((kind) => [kind, world.count(country, kind)])) as Record<EntityInterface, number>;
    this.loads = new Map(KINDS.map((kind) => [kind, db.prepare(`SELECT id, data FROM ${TABLES[kind]} WHERE id IN (SELECT value FROM json_each(?))`)] as const));
    // Two prefix ranges (the term as typed, normalized, and without spaces) over the clustered index; an
    // exact token ranks first, then ids in order, which puts the core scenario's records first.
    this.searchStatement = db.prepare(`
      WITH hits AS (
        SELECT kind, id, term = :exact OR term = :compact AS exact FROM search_terms WHERE term >= :exact AND term < :exactEnd
        UNION ALL
        SELECT kind, id, term = :exact OR term = :compact AS exact FROM search_terms WHERE term >= :compact AND term < :compactEnd
      ),
      best AS (SELECT kind, id, MAX(exact) AS exact FROM hits GROUP BY kind, id),
      ranked AS (SELECT kind, id, row_number() OVER (PARTITION BY kind ORDER BY exact DESC, id) AS position FROM best)
      SELECT kind, id FROM ranked WHERE position <= :limit ORDER BY kind, position`);
  }

  load<K extends EntityInterface>(kind: K, ids: readonly string[]): Map<string, RecordsByKind[K]> {
    const found = new Map<string, RecordsByKind[K]>();
    if (ids.length === 0) return found;
    for (const row of this.loads.get(kind)!.all(JSON.stringify(ids))) found.set(row.id, JSON.parse(row.data) as RecordsByKind[K]);
    return found;
  }

  search(term: string): SearchHits {
    const exact = normalizeSearchText(term);
    const compact = exact.replace(/ /g, '');
    if (compact.length < MIN_SEARCH_TERM_LENGTH || exact.length > MAX_SEARCH_TERM_LENGTH) return { suspects: [], compounds: [], cases: [], victims: [] };
    const hits: Record<string, string[]> = { SUS: [], CMP: [], CAS: [], VIC: [] };
    const rows = this.searchStatement.all({ exact, exactEnd: exact + PREFIX_END, compact, compactEnd: compact + PREFIX_END, limit: SEARCH_LIMIT_PER_KIND });
    for (const row of rows) hits[row.kind]?.push(row.id);
    return { suspects: hits['SUS']!, compounds: hits['CMP']!, cases: hits['CAS']!, victims: hits['VIC']! };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

interface SearchParameters {
  exact: string;
  exactEnd: string;
  compact: string;
  compactEnd: string;
  limit: number;
}

/** The highest code point: `term < prefix + PREFIX_END` bounds every string that starts with prefix (UTF-8, binary collation). */
const PREFIX_END = '\u{10FFFF}';

/**
 * How search text is compared: Unicode-compatibility folded (NFKC), lower case, and every run of
 * characters that are not letters, marks or digits turned into one space. "Do Gang-min" → "do gang min";
 * "+855 96 555-0142" → "855 96 555 0142"; Khmer and Hangul stay as they are.
 */
export function normalizeSearchText(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ').trim();
}

/**
 * The index entries of a name: every word-suffix ("do gang min", "gang min", "min") so that a prefix of
 * any word, or of several words in order, matches; and the name without spaces ("dogangmin").
 */
function nameTerms(value: string, into: Set<string>): void {
  const normalized = normalizeSearchText(value);
  if (!normalized) return;
  const words = normalized.split(' ');
  for (let i = 0; i < words.length; i++) into.add(words.slice(i).join(' '));
  into.add(words.join(''));
}

/** A number (passport, account) is matched without its separators: "3318-5550-2290" → "331855502290". */
function numberTerms(value: string, into: Set<string>): void {
  const compact = normalizeSearchText(value).replace(/ /g, '');
  if (compact) into.add(compact);
}

/**
 * A phone in international form ("+855 96 555 0142") is also indexed in national form ("0965550142"), as
 * people write it at home: the calling code is the first group after "+".
 */
function phoneTerms(value: string, into: Set<string>): void {
  numberTerms(value, into);
  const match = /^\+\d+[\s-]+(.+)$/.exec(value.trim());
  if (match) numberTerms(`0${match[1]!}`, into);
}

/** A messenger handle is searched by its name, without the app ("telegram:@tiger_dgm" → "tiger dgm"). */
function handleTerms(value: string, into: Set<string>): void {
  const handle = value.includes(':') ? value.slice(value.indexOf(':') + 1) : value;
  if (/^\+?\d[\d\s-]*$/.test(handle)) phoneTerms(handle, into);
  else nameTerms(handle, into);
}

/** What a record is found by: names, aliases, passport, phone, messenger and account numbers. */
export function searchTermsOf(kind: EntityInterface, record: AnyRecord): Set<string> {
  const terms = new Set<string>();
  switch (kind) {
    case 'Suspect': {
      const suspect = record as RecordsByKind['Suspect'];
      nameTerms(suspect.fullName, terms);
      for (const alias of suspect.aliases) nameTerms(alias, terms);
      const khmerName = suspect.national['khmerName'];
      if (khmerName) nameTerms(khmerName, terms);
      for (const number of suspect.passportNumbers) numberTerms(number, terms);
      for (const document of suspect.travelDocuments) numberTerms(document.number, terms);
      for (const phone of suspect.phones) phoneTerms(phone, terms);
      for (const handle of suspect.messengerHandles) handleTerms(handle, terms);
      for (const account of suspect.financialAccounts) numberTerms(account.number, terms);
      break;
    }
    case 'Compound':
      nameTerms((record as RecordsByKind['Compound']).name, terms);
      break;
    case 'Case': {
      const c = record as RecordsByKind['Case'];
      numberTerms(c.caseNumber, terms);
      for (const account of c.proceedsAccounts) numberTerms(account.number, terms);
      break;
    }
    case 'Victim':
      nameTerms((record as RecordsByKind['Victim']).fullName, terms);
      break;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown kind ${String(unreachable)}`);
    }
  }
  return terms;
}
