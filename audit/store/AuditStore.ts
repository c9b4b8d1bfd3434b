/**
 * Where entries live: the interface both stores (SQLite, PostgreSQL) implement. Stores move rows; they do
 * not hash, sign or judge: the chain writer and the verifier do, the same way on every store.
 */
import type { RecordKind, RecordRef, StoredEntry } from '../types';

/** One stored row as read back, the body still as text (a verifier must see what is there, even garbage). */
export interface RawRow {
  readonly chain: string;
  readonly seq: number;
  readonly kind: string;
  readonly at: string;
  readonly prev: string;
  readonly bodyHash: string;
  readonly hash: string;
  readonly body: string;
  /** Columns copied out of the body for queries; the verifier checks that they match it. */
  readonly indexed: IndexColumns;
}

export interface IndexColumns {
  readonly decisionId: string | null;
  readonly caseReference: string | null;
  readonly analyst: string | null;
  readonly country: string | null;
  readonly owner: string | null;
  readonly purpose: string | null;
  /** The shortest review deadline (hours) of the fields it released: set when a mandatory review is owed. */
  readonly reviewHours: number | null;
}

/** A row on its way in: the columns in table order (a tuple crosses to a worker thread cheaply). */
export type RowTuple = [
  chain: string,
  seq: number,
  kind: string,
  at: string,
  prev: string,
  bodyHash: string,
  hash: string,
  body: string,
  decisionId: string | null,
  caseReference: string | null,
  analyst: string | null,
  country: string | null,
  owner: string | null,
  purpose: string | null,
  reviewHours: number | null,
];

/** One durable transaction: entries of one chain, that chain's new head, and (for a purge) deletions. */
export interface CommitBatch {
  readonly rows: readonly RowTuple[];
  readonly head: RecordRef;
  /** Remove every entry of `chain` with seq ≤ `throughSeq` (a purge, in the same transaction). */
  readonly deletes?: readonly { readonly chain: string; readonly throughSeq: number }[];
}

/** What `select` can filter on in the store; finer filters (clauses) are applied by the caller. */
export interface StoreFilter {
  readonly kinds?: readonly RecordKind[];
  readonly chain?: string;
  readonly decisionId?: string;
  readonly caseReference?: string;
  readonly analyst?: string;
  readonly country?: string;
  readonly owner?: string;
  readonly purpose?: string;
  /** Only entries that owe a mandatory review (an obligation with reviewWithinHours). */
  readonly reviewOwed?: boolean;
  /** ISO 8601, inclusive. */
  readonly from?: string;
  /** ISO 8601, exclusive. */
  readonly to?: string;
}

export interface AuditStore {
  /** `sqlite:/path/file.db` or `postgres://user@host:port/db` (never a password). */
  readonly description: string;
  /**
   * Makes this process the only writer of `instance`'s chain for as long as the store is open (PostgreSQL:
   * a session advisory lock). A second claim fails with LOG_UNAVAILABLE.
   */
  claim(instance: string): Promise<void>;
  /**
   * Whether a running process holds `instance`'s claim right now (SQLite: its lock file names a live
   * process; PostgreSQL: a session holds its advisory lock). A verifier uses it to tell a chain still
   * being written from one that was cut short: the writer seals its tail only when it closes.
   */
  writerRunning(instance: string): Promise<boolean>;
  /** The last entry of a chain, if it has any. */
  head(chain: string): Promise<RawRow | undefined>;
  /** The last entry of a chain of one kind, if any. */
  lastOfKind(chain: string, kind: RecordKind): Promise<RawRow | undefined>;
  /** The heads of all chains, from the head table (a fast index, not trusted by verification). */
  heads(): Promise<RecordRef[]>;
  /** Every chain that has entries, sorted. */
  chains(): Promise<string[]>;
  /** Entries of a chain with seq ≥ `fromSeq`, in seq order, at most `limit`. */
  scanChain(chain: string, fromSeq: number, limit: number): Promise<RawRow[]>;
  /** Entries matching the filter, by time, chain and seq; at most `limit`, skipping `offset`. */
  select(filter: StoreFilter, limit: number, offset: number): Promise<RawRow[]>;
  /** One durable transaction; resolves only once it is on disk. */
  commit(batch: CommitBatch): Promise<void>;
  close(): Promise<void>;
}

/** The tuple of an entry, with its query columns taken from its body. */
export function rowOf(entry: StoredEntry, bodyText: string): RowTuple {
  const i = indexColumnsOf(entry.kind, entry.body as unknown as Record<string, unknown>);
  return [
    entry.chain,
    entry.seq,
    entry.kind,
    entry.at,
    entry.prev,
    entry.bodyHash,
    entry.hash,
    bodyText,
    i.decisionId,
    i.caseReference,
    i.analyst,
    i.country,
    i.owner,
    i.purpose,
    i.reviewHours,
  ];
}

/** The query columns of an entry: what a crossing (or a review) says about who, why and which case. */
export function indexColumnsOf(kind: string, body: Record<string, unknown>): IndexColumns {
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  if (kind === 'consultation' || kind === 'disclosure') {
    return {
      decisionId: text(body['decisionId']),
      caseReference: text(body['caseReference']),
      analyst: text(body['analyst']),
      country: text(body['country']),
      owner: text(body['owner']),
      purpose: text(body['purpose']),
      reviewHours: reviewHoursOf(body),
    };
  }
  if (kind === 'procedure') {
    // A desk act: its case, the requesting country and (a single) analyst, and the owner whose desk acted.
    const requester = body['requester'] as { country?: unknown; analysts?: unknown } | undefined;
    const analysts = Array.isArray(requester?.analysts) ? requester.analysts : [];
    return {
      decisionId: null,
      caseReference: text(body['caseReference']),
      analyst: analysts.length === 1 ? text(analysts[0]) : null,
      country: text(requester?.country),
      owner: text(body['owner']),
      purpose: text(body['purpose']),
      reviewHours: null,
    };
  }
  if (kind === 'review') {
    return {
      decisionId: text(body['decisionId']),
      caseReference: text(body['caseReference']),
      analyst: null,
      country: null,
      owner: null,
      purpose: null,
      reviewHours: null,
    };
  }
  return {
    decisionId: null,
    caseReference: null,
    analyst: null,
    country: null,
    owner: null,
    purpose: null,
    reviewHours: null,
  };
}

/**
 * The shortest `reviewWithinHours` among the fields of a crossing that were released or hit, or null; the
 * fields whole (records written before the clause table) or pointing into `decisions`
 * (audit/clauseTable.ts).
 */
export function reviewHoursOf(body: Record<string, unknown>): number | null {
  const fields = body['fields'];
  if (!Array.isArray(fields)) return null;
  const table = Array.isArray(body['decisions']) ? (body['decisions'] as unknown[]) : undefined;
  let hours: number | null = null;
  for (const entry of fields as unknown[]) {
    const field = (table ? table[(entry as { decision?: number } | null)?.decision ?? -1] : entry) as
      { effect?: unknown; obligations?: { reviewWithinHours?: unknown } } | null | undefined;
    const within = field?.obligations?.reviewWithinHours;
    if (field?.effect === 'withhold' || typeof within !== 'number') continue;
    hours = hours === null ? within : Math.min(hours, within);
  }
  return hours;
}

export const COLUMNS =
  'chain, seq, kind, at, prev, body_hash, hash, body, decision_id, case_ref, analyst, country, owner, purpose, review_hours';

/** A row of the COLUMNS select, as either driver returns it (PostgreSQL gives bigint as text). */
export function rawRowOf(row: Record<string, unknown>): RawRow {
  const nullable = (value: unknown): string | null =>
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'bigint'
        ? String(value)
        : null;
  return {
    chain: String(row['chain']),
    seq: Number(row['seq']),
    kind: String(row['kind']),
    at: String(row['at']),
    prev: String(row['prev']),
    bodyHash: String(row['body_hash']),
    hash: String(row['hash']),
    body: String(row['body']),
    indexed: {
      decisionId: nullable(row['decision_id']),
      caseReference: nullable(row['case_ref']),
      analyst: nullable(row['analyst']),
      country: nullable(row['country']),
      owner: nullable(row['owner']),
      purpose: nullable(row['purpose']),
      reviewHours:
        row['review_hours'] === null || row['review_hours'] === undefined
          ? null
          : Number(row['review_hours']),
    },
  };
}

/** WHERE clause and parameters for a filter; `placeholder(i)` renders the i-th (1-based) parameter. */
export function whereOf(
  filter: StoreFilter,
  placeholder: (i: number) => string,
): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown): void => {
    params.push(value);
    clauses.push(sql(placeholder(params.length)));
  };
  if (filter.kinds && filter.kinds.length > 0) {
    const marks = filter.kinds.map((kind) => {
      params.push(kind);
      return placeholder(params.length);
    });
    clauses.push(`kind IN (${marks.join(', ')})`);
  }
  if (filter.chain !== undefined) add((p) => `chain = ${p}`, filter.chain);
  if (filter.decisionId !== undefined) add((p) => `decision_id = ${p}`, filter.decisionId);
  if (filter.caseReference !== undefined) add((p) => `case_ref = ${p}`, filter.caseReference);
  if (filter.analyst !== undefined) add((p) => `analyst = ${p}`, filter.analyst);
  if (filter.country !== undefined) add((p) => `country = ${p}`, filter.country);
  if (filter.owner !== undefined) add((p) => `owner = ${p}`, filter.owner);
  if (filter.purpose !== undefined) add((p) => `purpose = ${p}`, filter.purpose);
  if (filter.reviewOwed) clauses.push('review_hours IS NOT NULL');
  if (filter.from !== undefined) add((p) => `at >= ${p}`, filter.from);
  if (filter.to !== undefined) add((p) => `at < ${p}`, filter.to);
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
