import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { concreteTypeName, memberSubgraphSdl, readFieldCategories, type EntityInterface } from '../../schema';
import { CATEGORIES, type Category } from '../../vocabulary';
import {
  MIN_SEARCH_TERM_LENGTH,
  normalizeSearchText,
  type RankedMatch,
  type SearchScope,
  type SearchShape,
} from '../kit';
import { WORLD_VERSION, createWorld, type AnyRecord, type RecordsByKind, type World } from './world';
import { DEFAULT_DATA_DIR, STORE_TABLES as TABLES, storeFile } from './storeLayout';

/**
 * One member's records in SQLite (better-sqlite3): its share of the reference world (world/), seeded on
 * first start and reused afterwards.
 *
 * - One table per kind (`suspects`, `compounds`, `cases`, `victims`): the global id and the record as JSON
 *   (nested values such as warrants, accounts and movements stay JSON; nothing queries inside them).
 * - Reads by id are batched: one statement for any number of ids (`IN (SELECT value FROM json_each(?))`),
 *   which is what the per-request DataLoaders call.
 * - Search (`search_terms`): normalized terms of names, aliases, passport, phone, messenger, account and
 *   case numbers, one row per (term, kind, id, scope) in a clustered index, so a prefix is one range scan
 *   at any size. A row's scope says the data category of the field its value came from (read from the
 *   member's generated SDL, so the index and the contract cannot disagree) and whether the value is an
 *   identifier or a name: a requester's search matches a row only as the owner's decision for that
 *   category allows (subgraphs/kit/search). See `search` for what matches and the caps.
 */

/**
 * At most this many ids per kind answer one search (the best first: exact token, then by id), counting
 * only records the requester may be answered: a record hidden from them never takes a place.
 */
export const SEARCH_LIMIT_PER_KIND = 100;
/**
 * When the requester's scope decides record by record (a joint team's operation), at most this many
 * matches per kind are checked to fill SEARCH_LIMIT_PER_KIND visible ones: the cost of a search stays
 * bounded however many hidden records match. Only past this many hidden matches can a search answer
 * fewer than the cap while more visible records match.
 */
export const SEARCH_SCAN_PER_KIND = 10 * SEARCH_LIMIT_PER_KIND;
/** Normalized terms shorter than the kit's minimum answer nothing here (the hub refuses them first). */
export { MIN_SEARCH_TERM_LENGTH };
/** Longer terms answer nothing: no indexed value is that long. */
export const MAX_SEARCH_TERM_LENGTH = 200;

/** Bump when the tables or the search normalization change: existing files are then reseeded. */
const STORE_FORMAT = 3;

export interface OpenStoreOptions {
  /** The member whose share of the world this store holds. */
  readonly country: string;
  /** A database file (its folder is created), or ':memory:'. */
  readonly file: string;
  readonly seed?: number | string;
  readonly size?: number;
  /** The members the world is made for (default: the registry's, schema/members.ts). */
  readonly members?: readonly string[];
  /** Receives the SQL of every statement run (better-sqlite3's `verbose`); tests count statements with it. */
  readonly onStatement?: (sql: string) => void;
}

/** A record a search found, and the categories of the values it was found by. */
export interface SearchHit {
  readonly id: string;
  /**
   * The categories of the entries that matched; null when the scope needs no per-record check (no
   * category it lets match depends on the record), so they were not collected.
   */
  readonly categories: readonly Category[] | null;
}

export interface SearchHits {
  readonly suspects: readonly SearchHit[];
  readonly compounds: readonly SearchHit[];
  readonly cases: readonly SearchHit[];
  readonly victims: readonly SearchHit[];
}

/** Every match of a term the requester may be answered, per kind, in rank order: what search pages are cut from. */
export interface SearchRanking {
  readonly suspects: readonly RankedMatch[];
  readonly compounds: readonly RankedMatch[];
  readonly cases: readonly RankedMatch[];
  readonly victims: readonly RankedMatch[];
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
  /**
   * Records matching a term, per kind, in ONE statement (see SEARCH_LIMIT_PER_KIND), only through entries
   * the requester's scope lets match, and only as it lets them (whole or by prefix). When the scope decides
   * record by record, only records it admits are answered and counted towards the cap (the matches are
   * then loaded, a batch per kind at a time, to be checked: see SEARCH_SCAN_PER_KIND).
   */
  search(term: string, scope: SearchScope): SearchHits;
  /**
   * Every record matching a term that the requester may be answered, per kind, in the same order as
   * `search` (whose answer is its first SEARCH_LIMIT_PER_KIND): the same statement without the cap, and
   * when the scope decides record by record, every match checked (no scan bound: a page must never skip
   * a visible match, and the count must be exact). Search pages are cut from it (subgraphs/kit/search).
   */
  rank(term: string, scope: SearchScope): SearchRanking;
  /**
   * Writes a record of this member (a new one, or a change: the whole record) and its search entries. Meant
   * inside `transaction`, so that what a change causes (an alert notice, subgraphs/reference/ownerAlerts.ts)
   * commits with it or not at all. `counts` stay those of the seeded world. `before`, the record as this
   * store holds it now (read in the same transaction), lets it leave the search entries alone when the
   * change left them the same (a border movement, a transaction) and otherwise replace them by key;
   * without it they are replaced by a scan.
   */
  writeRecord<K extends EntityInterface>(kind: K, record: RecordsByKind[K], before?: RecordsByKind[K]): void;
  /** Runs `fn` in one SQLite transaction (nested calls are savepoints): all of its writes commit, or none. */
  transaction<T>(fn: () => T): T;
  /** Closes the database; later calls do nothing. */
  close(): void;
}

const KIND_CODES: Readonly<Record<EntityInterface, string>> = {
  Suspect: 'SUS',
  Compound: 'CMP',
  Case: 'CAS',
  Victim: 'VIC',
};
const KINDS = Object.keys(TABLES) as EntityInterface[];

export { DEFAULT_DATA_DIR, storeFile };

/**
 * What a store file was seeded from; a file with another fingerprint is seeded again. The categories are
 * part of it (a contract that moves a field to another category reseeds the index), and so are the
 * members: the world links records across members, so a member admitted to the registry changes every
 * member's records.
 */
export function storeFingerprint(
  world: Pick<World, 'seed' | 'size' | 'members'>,
  country: string,
  categories: ReadonlyMap<string, string>,
): string {
  return JSON.stringify({
    format: STORE_FORMAT,
    world: WORLD_VERSION,
    country,
    seed: world.seed,
    size: world.size,
    members: [...world.members],
    categories: [...categories].sort(),
    codes: CATEGORIES,
  });
}

export function openStore(options: OpenStoreOptions): ReferenceStore {
  const world = createWorld({ seed: options.seed, size: options.size, members: options.members });
  if (!world.members.includes(options.country)) {
    throw new Error(
      `openStore: "${options.country}" is not a member (members: ${world.members.join(', ')}).`,
    );
  }
  const categories = indexCategories(options.country);
  const inMemory = options.file === ':memory:';
  if (!inMemory) mkdirSync(dirname(options.file), { recursive: true });
  const db = new Database(
    options.file,
    options.onStatement ? { verbose: (sql) => options.onStatement!(String(sql)) } : {},
  );
  try {
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const fingerprint = storeFingerprint(world, options.country, categories);
    const seeded = readFingerprint(db) !== fingerprint;
    if (seeded) seed(db, world, options.country, fingerprint, categories);
    const store = new SqliteStore(db, world, options.country, options.file, seeded, categories);
    databases.set(store, db);
    return store;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The database of an open store, for the parts of the reference system that keep their own tables in it
 * and must write in the store's transactions (subgraphs/reference/ownerAlerts.ts). Not exported from the
 * part: other parts see the store's methods only.
 */
const databases = new WeakMap<ReferenceStore, Database.Database>();
export function storeDatabase(store: ReferenceStore): Database.Database {
  const db = databases.get(store);
  if (db === undefined) throw new Error('invariant: storeDatabase of a store openStore did not open.');
  return db;
}

function readFingerprint(db: Database.Database): string | undefined {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  if (!exists) return undefined;
  const row = db.prepare("SELECT value FROM meta WHERE key = 'seeded_with'").get() as
    { value: string } | undefined;
  return row?.value;
}

/** (Re)creates the tables and writes the member's share of the world, in one transaction. */
function seed(
  db: Database.Database,
  world: World,
  country: string,
  fingerprint: string,
  categories: IndexCategories,
): void {
  db.exec(`
    DROP TABLE IF EXISTS meta;
    DROP TABLE IF EXISTS search_terms;
    ${KINDS.map((kind) => `DROP TABLE IF EXISTS ${TABLES[kind]};`).join('\n')}
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    ${KINDS.map((kind) => `CREATE TABLE ${TABLES[kind]} (id TEXT PRIMARY KEY, data TEXT NOT NULL);`).join('\n')}
    CREATE TABLE search_terms (term TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, scope INTEGER NOT NULL, whole INTEGER NOT NULL, PRIMARY KEY (term, kind, id, scope)) WITHOUT ROWID;
  `);
  const insertTerm = db.prepare(INSERT_SEARCH_TERM);
  const inserts = new Map(
    KINDS.map((kind) => [kind, db.prepare(`INSERT INTO ${TABLES[kind]} (id, data) VALUES (?, ?)`)] as const),
  );
  db.transaction(() => {
    for (const kind of KINDS) {
      const insert = inserts.get(kind)!;
      for (const record of world.records(country, kind)) {
        insert.run(record.id, JSON.stringify(record));
        indexRecord(insertTerm, kind, record, categories);
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
  private readonly loads: ReadonlyMap<
    EntityInterface,
    Database.Statement<[string], { id: string; data: string }>
  >;
  /** The search, and the same collecting the scopes each hit was found by (for scopes that decide per record). */
  private readonly searchStatement: Database.Statement<
    [SearchParameters],
    { kind: string; id: string; exact: number }
  >;
  private readonly searchWithScopesStatement: Database.Statement<
    [SearchParameters],
    { kind: string; id: string; exact: number; scopes: number }
  >;
  /** writeRecord's statements, prepared at its first call (a store that is only read never needs them). */
  private writes:
    | {
        readonly upserts: ReadonlyMap<EntityInterface, Database.Statement>;
        readonly deleteTerms: Database.Statement;
        readonly deleteTerm: Database.Statement;
        readonly insertTerm: Database.Statement;
      }
    | undefined;

  constructor(
    private readonly db: Database.Database,
    world: World,
    readonly country: string,
    readonly file: string,
    readonly seeded: boolean,
    private readonly categories: IndexCategories,
  ) {
    this.seed = world.seed;
    this.size = world.size;
    this.counts = Object.fromEntries(KINDS.map((kind) => [kind, world.count(country, kind)])) as Record<
      EntityInterface,
      number
    >;
    this.loads = new Map(
      KINDS.map(
        (kind) =>
          [
            kind,
            db.prepare(`SELECT id, data FROM ${TABLES[kind]} WHERE id IN (SELECT value FROM json_each(?))`),
          ] as const,
      ),
    );
    // Two prefix ranges (the term as typed, normalized, and without spaces) over the clustered index; in
    // them, a row matches by prefix only if its scope's bit is set in :prefixMask, and whole only if set
    // in :wholeMask and the row is a whole value (an identifier, a whole name, or a whole name without its
    // spaces) equal to the term: never a word of a name. The filter is in the statement, so a capped kind
    // is capped after it, and it is integer arithmetic on the row, as cheap as a filter gets.
    // Ranking: a row the requester may match by prefix ranks first when it equals the term; a row matched
    // whole ranks by id only, so that the order never says more about a hit-only value than the hit does
    // (that a term was a name's last word, say). Ids in order put the core scenario's records first. With
    // scopes, each hit says the scopes it was found by, as bits (distinct powers of two sum to their
    // union); that costs a distinct set per hit, so only scopes that decide per record ask for it.
    const statement = (scopes: boolean): string => `
      WITH hits AS (
        SELECT kind, id, scope, (:prefixMask >> scope) & 1 AND term = :exact AS exact FROM search_terms
        WHERE term >= :exact AND term < :exactEnd AND ((:prefixMask >> scope) & 1 OR ((:wholeMask >> scope) & 1 AND whole AND term = :exact))
        UNION ALL
        SELECT kind, id, scope, (:prefixMask >> scope) & 1 AND term = :compact AS exact FROM search_terms
        WHERE term >= :compact AND term < :compactEnd AND ((:prefixMask >> scope) & 1 OR ((:wholeMask >> scope) & 1 AND whole AND term = :compact))
      ),
      best AS (SELECT kind, id, MAX(exact) AS exact${scopes ? ', SUM(DISTINCT 1 << scope) AS scopes' : ''} FROM hits GROUP BY kind, id),
      ranked AS (SELECT kind, id, exact${scopes ? ', scopes' : ''}, row_number() OVER (PARTITION BY kind ORDER BY exact DESC, id) AS position FROM best)
      SELECT kind, id, exact${scopes ? ', scopes' : ''} FROM ranked WHERE position <= :limit ORDER BY kind, position`;
    this.searchStatement = db.prepare(statement(false));
    this.searchWithScopesStatement = db.prepare(statement(true));
  }

  writeRecord<K extends EntityInterface>(kind: K, record: RecordsByKind[K], before?: RecordsByKind[K]): void {
    if (record.country !== this.country || !record.id.startsWith(`${this.country}-${KIND_CODES[kind]}-`))
      throw new Error(`writeRecord: ${record.id} is not a ${kind} of ${this.country}.`);
    if (before !== undefined && before.id !== record.id)
      throw new Error(`writeRecord: ${before.id} is not the record before ${record.id}.`);
    // Prepared once: an owner writes a record at each of its changes (OwnerAlerts.apply), and preparing
    // the statements took as long as running them.
    this.writes ??= {
      upserts: new Map(
        KINDS.map((one) => [
          one,
          this.db.prepare(
            `INSERT INTO ${TABLES[one]} (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data`,
          ),
        ]),
      ),
      deleteTerms: this.db.prepare('DELETE FROM search_terms WHERE kind = ? AND id = ?'),
      deleteTerm: this.db.prepare(
        'DELETE FROM search_terms WHERE term = ? AND kind = ? AND id = ? AND scope = ?',
      ),
      insertTerm: this.db.prepare(INSERT_SEARCH_TERM),
    };
    const writes = this.writes;
    const code = KIND_CODES[kind];
    this.transaction(() => {
      writes.upserts.get(kind)!.run(record.id, JSON.stringify(record));
      const entries = searchEntriesOf(kind, record, this.categories);
      if (before === undefined) writes.deleteTerms.run(code, record.id);
      else {
        // The entries are a pure function of the record: the same list, the same rows. Else the old rows go
        // by their key (the table is keyed by term first: deleting by id alone scans it).
        const old = searchEntriesOf(kind, before, this.categories);
        if (sameEntries(old, entries)) return;
        for (const entry of old)
          writes.deleteTerm.run(entry.term, code, record.id, scopeCode(entry.shape, entry.category));
      }
      indexEntries(writes.insertTerm, kind, record.id, entries);
    });
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  load<K extends EntityInterface>(kind: K, ids: readonly string[]): Map<string, RecordsByKind[K]> {
    const found = new Map<string, RecordsByKind[K]>();
    if (ids.length === 0) return found;
    for (const row of this.loads.get(kind)!.all(JSON.stringify(ids)))
      found.set(row.id, JSON.parse(row.data) as RecordsByKind[K]);
    return found;
  }

  search(term: string, scope: SearchScope): SearchHits {
    const none = { suspects: [], compounds: [], cases: [], victims: [] };
    const parameters = searchParameters(term, scope, SEARCH_LIMIT_PER_KIND);
    if (!parameters) return none;
    const hits: Record<string, SearchHit[]> = { SUS: [], CMP: [], CAS: [], VIC: [] };
    if (scope.recordDependent) {
      // Why the records are checked here, before the cap, and not by the resolvers after it: a cap that
      // counts records the requester may not see lets hidden matches take the places of visible ones,
      // and the shortfall says how many hidden records match the term.
      const candidates: Record<string, SearchHit[]> = { SUS: [], CMP: [], CAS: [], VIC: [] };
      for (const row of this.searchWithScopesStatement.all({ ...parameters, limit: SEARCH_SCAN_PER_KIND })) {
        candidates[row.kind]?.push({ id: row.id, categories: categoriesOf(row.scopes) });
      }
      for (const kind of KINDS)
        hits[KIND_CODES[kind]] = this.admitted(
          kind,
          candidates[KIND_CODES[kind]]!,
          scope,
          SEARCH_LIMIT_PER_KIND,
        );
    } else {
      for (const row of this.searchStatement.all(parameters))
        hits[row.kind]?.push({ id: row.id, categories: null });
    }
    return { suspects: hits['SUS']!, compounds: hits['CMP']!, cases: hits['CAS']!, victims: hits['VIC']! };
  }

  rank(term: string, scope: SearchScope): SearchRanking {
    const ranked: Record<string, RankedMatch[]> = { SUS: [], CMP: [], CAS: [], VIC: [] };
    const parameters = searchParameters(term, scope, Number.MAX_SAFE_INTEGER);
    if (parameters && scope.recordDependent) {
      const candidates: Record<string, (SearchHit & RankedMatch)[]> = { SUS: [], CMP: [], CAS: [], VIC: [] };
      for (const row of this.searchWithScopesStatement.all(parameters))
        candidates[row.kind]?.push({
          id: row.id,
          exact: row.exact === 1,
          categories: categoriesOf(row.scopes),
        });
      for (const kind of KINDS) {
        const code = KIND_CODES[kind];
        const admitted = new Set(
          this.admitted(kind, candidates[code]!, scope, Number.MAX_SAFE_INTEGER).map((hit) => hit.id),
        );
        ranked[code] = candidates[code]!.filter((hit) => admitted.has(hit.id)).map(({ id, exact }) => ({
          id,
          exact,
        }));
      }
    } else if (parameters) {
      for (const row of this.searchStatement.all(parameters))
        ranked[row.kind]?.push({ id: row.id, exact: row.exact === 1 });
    }
    return {
      suspects: ranked['SUS']!,
      compounds: ranked['CMP']!,
      cases: ranked['CAS']!,
      victims: ranked['VIC']!,
    };
  }

  /**
   * The first `cap` of `candidates` (in rank order) whose record the scope admits through
   * one of the categories it was found by; loaded a cap's worth at a time, so a search whose first
   * matches are visible loads no more than the resolvers will, and not loaded at all when the scope reads
   * only their ids.
   */
  private admitted(
    kind: EntityInterface,
    candidates: readonly SearchHit[],
    scope: SearchScope,
    cap: number,
  ): SearchHit[] {
    const out: SearchHit[] = [];
    if (scope.admitsById) {
      // Only the id is read (a grant's subjects): the records are not loaded to be checked. Every id the
      // index holds is a record of this store (both are written in one transaction and never deleted), so
      // the check by id admits exactly the records the check on loaded records would.
      for (const hit of candidates) {
        if (hit.categories!.some((category) => scope.admits(category, { id: hit.id }))) out.push(hit);
        if (out.length === cap) break;
      }
      return out;
    }
    for (let start = 0; start < candidates.length && out.length < cap; start += SEARCH_LIMIT_PER_KIND) {
      const batch = candidates.slice(start, start + SEARCH_LIMIT_PER_KIND);
      const records = this.load(
        kind,
        batch.map((hit) => hit.id),
      );
      for (const hit of batch) {
        const record = records.get(hit.id);
        if (record && hit.categories!.some((category) => scope.admits(category, record))) out.push(hit);
        if (out.length === cap) break;
      }
    }
    return out;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The statement's parameters for a term within a scope, or undefined when nothing can match (too short or long, no scope). */
function searchParameters(term: string, scope: SearchScope, limit: number): SearchParameters | undefined {
  const exact = normalizeSearchText(term);
  const compact = exact.replace(/ /g, '');
  if (compact.length < MIN_SEARCH_TERM_LENGTH || exact.length > MAX_SEARCH_TERM_LENGTH || !scope.any)
    return undefined;
  const masks = masksOf(scope);
  return {
    exact,
    exactEnd: exact + PREFIX_END,
    compact,
    compactEnd: compact + PREFIX_END,
    prefixMask: masks.prefix,
    wholeMask: masks.whole,
    limit,
  };
}

interface SearchParameters {
  exact: string;
  exactEnd: string;
  compact: string;
  compactEnd: string;
  prefixMask: bigint;
  wholeMask: bigint;
  limit: number;
}

/**
 * A row's scope, as one small integer: the category's place in the vocabulary, doubled, plus 1 for a name
 * (so `scope & 1` is "a name"). The fingerprint holds the vocabulary, so a file never outlives its codes.
 */
function scopeCode(shape: SearchShape, category: Category): number {
  return CATEGORIES.indexOf(category) * 2 + (shape === 'name' ? 1 : 0);
}

const SHAPES: readonly SearchShape[] = ['identifier', 'name'];

/** The scope as the statement reads it: a bit per row scope that matches by prefix, and one per scope that matches whole. */
const masksCache = new WeakMap<SearchScope, { prefix: bigint; whole: bigint }>();
function masksOf(scope: SearchScope): { prefix: bigint; whole: bigint } {
  let masks = masksCache.get(scope);
  if (!masks) {
    masks = { prefix: 0n, whole: 0n };
    for (const category of CATEGORIES) {
      for (const shape of SHAPES) {
        const match = scope.match(shape, category);
        if (match) masks[match === 'prefix' ? 'prefix' : 'whole'] |= 1n << BigInt(scopeCode(shape, category));
      }
    }
    masksCache.set(scope, masks);
  }
  return masks;
}

/**
 * The categories of a hit's scopes (a sum of distinct powers of two, below 2^53: 2 × CATEGORIES.length
 * bits). Decoded once per sum: an index holds a handful of scopes, so there are few sums.
 */
const categoriesBySum = new Map<number, readonly Category[]>();
function categoriesOf(scopes: number): readonly Category[] {
  let known = categoriesBySum.get(scopes);
  if (!known) {
    known = decodeScopes(scopes);
    categoriesBySum.set(scopes, known);
  }
  return known;
}

function decodeScopes(scopes: number): Category[] {
  const categories: Category[] = [];
  for (let code = 0, rest = scopes; rest > 0; code++, rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) {
      const category = CATEGORIES[code >> 1]!;
      if (!categories.includes(category)) categories.push(category);
    }
  }
  return categories;
}

/** The highest code point: `term < prefix + PREFIX_END` bounds every string that starts with prefix (UTF-8, binary collation). */
const PREFIX_END = '\u{10FFFF}';

/** The one normalisation of search text (the owner's index and its query budget alike). */
export { normalizeSearchText };

/** One term of a value: normalized, and whether it is the whole value (or a whole name without its spaces). */
interface IndexTerm {
  readonly term: string;
  readonly whole: boolean;
}

/** One row of the index: a term, the category of the field it came from, and its shape. */
interface SearchEntry extends IndexTerm {
  readonly category: Category;
  readonly shape: SearchShape;
}

/** The `@category` of every field the index reads, by `Kind.field` ("Suspect.phones"). */
type IndexCategories = ReadonlyMap<string, Category>;

/** The fields values are indexed from, per kind; their categories come from the member's SDL. */
const INDEXED_FIELDS: Readonly<Record<EntityInterface, readonly string[]>> = {
  Suspect: [
    'fullName',
    'aliases',
    'khmerName',
    'passportNumbers',
    'travelDocuments',
    'phones',
    'messengerHandles',
    'financialAccounts',
  ],
  Compound: ['name'],
  Case: ['caseNumber', 'proceedsAccounts'],
  Victim: ['fullName'],
};

/**
 * The category of each indexed field, read from the member's generated subgraph SDL (its `@category`,
 * national-only fields included). A field the member's schema does not serve (`khmerName` outside KH),
 * or serves without a category, is not indexed: nothing is searchable on no basis (the generator already
 * refuses a contract field without one). A category the vocabulary does not know refuses to open.
 */
function indexCategories(country: string): IndexCategories {
  const declared = readFieldCategories(memberSubgraphSdl(country));
  const categories = new Map<string, Category>();
  for (const kind of KINDS) {
    for (const field of INDEXED_FIELDS[kind]) {
      const coordinate = `${concreteTypeName(country, kind)}.${field}`;
      const category = declared.get(coordinate);
      if (category === undefined) continue;
      if (!(CATEGORIES as readonly string[]).includes(category))
        throw new Error(
          `openStore: ${coordinate} has no known @category ("${category}"), so it cannot be indexed.`,
        );
      categories.set(`${kind}.${field}`, category as Category);
    }
  }
  return categories;
}

/**
 * The index entries of a name: every word-suffix ("do gang min", "gang min", "min") so that a prefix of
 * any word matches where the name is released; and the name without spaces ("dogangmin"). Only the name
 * itself and the name without spaces are whole: where the name is hit-only, only they match.
 */
function nameTerms(value: string, into: IndexTerm[]): void {
  const normalized = normalizeSearchText(value);
  if (!normalized) return;
  const words = normalized.split(' ');
  for (let i = 0; i < words.length; i++) into.push({ term: words.slice(i).join(' '), whole: i === 0 });
  into.push({ term: words.join(''), whole: true });
}

/** A number (passport, account, case) is matched without its separators: "3318-5550-2290" → "331855502290". */
function numberTerms(value: string, into: IndexTerm[]): void {
  const compact = normalizeSearchText(value).replace(/ /g, '');
  if (compact) into.push({ term: compact, whole: true });
}

/**
 * A phone in international form ("+855 96 555 0142") is also indexed in national form ("0965550142"), as
 * people write it at home: the calling code is the first group after "+".
 */
function phoneTerms(value: string, into: IndexTerm[]): void {
  numberTerms(value, into);
  const match = /^\+\d+[\s-]+(.+)$/.exec(value.trim());
  if (match) numberTerms(`0${match[1]!}`, into);
}

/**
 * A messenger handle is an identifier: found by the whole handle, with or without its app
 * ("telegram:@tiger_dgm" → "telegramtigerdgm", "tigerdgm"), never by one of its words.
 */
function handleTerms(value: string, into: IndexTerm[]): void {
  const handle = value.includes(':') ? value.slice(value.indexOf(':') + 1) : value;
  if (/^\+?\d[\d\s-]*$/.test(handle)) phoneTerms(handle, into);
  else numberTerms(handle, into);
  numberTerms(value, into);
}

/** The values of one indexed field of a record, as index terms, and whether they are identifiers or names. */
function fieldTerms(
  kind: EntityInterface,
  field: string,
  record: AnyRecord,
): { shape: SearchShape; terms: IndexTerm[] } {
  const terms: IndexTerm[] = [];
  const name = (value: string | undefined | null): void => (value ? nameTerms(value, terms) : undefined);
  switch (`${kind}.${field}`) {
    case 'Suspect.fullName':
    case 'Victim.fullName':
      name((record as RecordsByKind['Suspect' | 'Victim']).fullName);
      return { shape: 'name', terms };
    case 'Suspect.aliases':
      for (const alias of (record as RecordsByKind['Suspect']).aliases) name(alias);
      return { shape: 'name', terms };
    case 'Suspect.khmerName':
      name((record as RecordsByKind['Suspect']).national['khmerName']);
      return { shape: 'name', terms };
    case 'Compound.name':
      name((record as RecordsByKind['Compound']).name);
      return { shape: 'name', terms };
    case 'Suspect.passportNumbers':
      for (const number of (record as RecordsByKind['Suspect']).passportNumbers) numberTerms(number, terms);
      break;
    case 'Suspect.travelDocuments':
      for (const document of (record as RecordsByKind['Suspect']).travelDocuments)
        numberTerms(document.number, terms);
      break;
    case 'Suspect.phones':
      for (const phone of (record as RecordsByKind['Suspect']).phones) phoneTerms(phone, terms);
      break;
    case 'Suspect.messengerHandles':
      for (const handle of (record as RecordsByKind['Suspect']).messengerHandles) handleTerms(handle, terms);
      break;
    case 'Suspect.financialAccounts':
      for (const account of (record as RecordsByKind['Suspect']).financialAccounts)
        numberTerms(account.number, terms);
      break;
    case 'Case.caseNumber':
      numberTerms((record as RecordsByKind['Case']).caseNumber, terms);
      break;
    case 'Case.proceedsAccounts':
      for (const account of (record as RecordsByKind['Case']).proceedsAccounts)
        numberTerms(account.number, terms);
      break;
    default:
      throw new Error(`No index terms for ${kind}.${field}.`);
  }
  return { shape: 'identifier', terms };
}

/**
 * One row per search term of a record. The same term can be a whole value and a word-suffix of another
 * value of the same scope ("Hoon" and "Yoo Sang-hoon"): it is whole if it is whole for any of them.
 */
const INSERT_SEARCH_TERM =
  'INSERT INTO search_terms (term, kind, id, scope, whole) VALUES (?, ?, ?, ?, ?) ON CONFLICT (term, kind, id, scope) DO UPDATE SET whole = max(whole, excluded.whole)';

/** Writes a record's search terms with a prepared INSERT_SEARCH_TERM (seeding, and every record written). */
function indexRecord(
  insertTerm: Database.Statement,
  kind: EntityInterface,
  record: AnyRecord,
  categories: IndexCategories,
): void {
  indexEntries(insertTerm, kind, record.id, searchEntriesOf(kind, record, categories));
}

function indexEntries(
  insertTerm: Database.Statement,
  kind: EntityInterface,
  id: string,
  entries: readonly SearchEntry[],
): void {
  for (const entry of entries)
    insertTerm.run(
      entry.term,
      KIND_CODES[kind],
      id,
      scopeCode(entry.shape, entry.category),
      entry.whole ? 1 : 0,
    );
}

function sameEntries(a: readonly SearchEntry[], b: readonly SearchEntry[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (entry, i) =>
        entry.term === b[i]!.term &&
        entry.shape === b[i]!.shape &&
        entry.category === b[i]!.category &&
        entry.whole === b[i]!.whole,
    )
  );
}

/**
 * What a record is found by: names, aliases, passport and travel-document numbers, phones, messenger
 * handles, account numbers, case numbers and proceeds accounts, each with its field's category.
 */
function searchEntriesOf(
  kind: EntityInterface,
  record: AnyRecord,
  categories: IndexCategories,
): SearchEntry[] {
  const entries: SearchEntry[] = [];
  for (const field of INDEXED_FIELDS[kind]) {
    const category = categories.get(`${kind}.${field}`);
    if (category === undefined) continue;
    const { shape, terms } = fieldTerms(kind, field, record);
    for (const term of terms) entries.push({ ...term, category, shape });
  }
  return entries;
}
