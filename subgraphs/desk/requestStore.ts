import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The owner's register of formal follow-up requests (issue 9): what a foreign analyst filed about the
 * owner's records, and what the owner's desk did with it. The owner is the system of record: the
 * requests live in its desk database (`<dataDir>/<cc>-desk.sqlite`, beside its grants), never at the
 * gateway or the requester.
 *
 * The store only keeps requests and their history. Who may do what (filing needs a hit, nobody approves
 * their own request, two approvers for sensitive categories) is decided by the code that calls it; every
 * change of state goes through `transition`, which refuses when the request is no longer in the state the
 * caller read (two officers acting at once: the second is told, nothing is overwritten).
 */

/** How urgent the requester says it is; the due time follows from it (subgraphs/desk/deadlines.ts). */
export const URGENCIES = ['urgent-direct', 'urgent', 'normal'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** What the requester will do with the data: intelligence only, or evidence before a court. */
export const INTENDED_USES = ['intelligence', 'evidence'] as const;
export type IntendedUse = (typeof INTENDED_USES)[number];

/**
 * - `pending`: filed (or answered after a question), waiting for the desk;
 * - `info-requested`: the desk asked for more information; the requester answers by filing again with
 *   `supplements` naming this request (or the desk's own answer path);
 * - `approved`: a grant was issued (`grantId`); `refused`: with a ground from the closed list.
 */
export const REQUEST_STATES = ['pending', 'info-requested', 'approved', 'refused'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** What the requester files, as the owner checked it (the owner adds id, times and state). */
export interface FollowUpFiling {
  readonly owner: string;
  readonly requesterCountry: string;
  /** The requesting analyst (from the verified identity, never from the filing's text). */
  readonly analyst: string;
  /** The requesting authority's name, as the requester gives it (e.g. "Korean National Police Agency"). */
  readonly authority: string;
  readonly caseReference: string;
  readonly offences: readonly string[];
  /** A summary of the facts. */
  readonly facts: string;
  /** Global ids of the owner's records the request is about. */
  readonly subjects: readonly string[];
  readonly categories: readonly string[];
  readonly purpose: string;
  /**
   * The agreement invoked and the clauses of it: routes the refusals named. A request may stand on several
   * articles of one treaty (a suspect's identity on one, the accounts on another).
   */
  readonly agreement: string;
  readonly clauses: readonly string[];
  readonly urgency: Urgency;
  /** Why it is urgent; required unless `normal`. */
  readonly urgencyGrounds?: string;
  readonly intendedUse: IntendedUse;
  /** How the requester asks the owner to treat the request itself (e.g. "do not notify the subject"). */
  readonly confidentiality: string;
}

/** One thing that happened to a request, in order. */
export interface RequestEvent {
  readonly at: number;
  /** `country/person`, e.g. `KR/lee.h` or `KH/desk.sok`. */
  readonly by: string;
  readonly act: 'filed' | 'info-requested' | 'info-supplied' | 'approval' | 'approved' | 'refused';
  /** Free text said with the act: the question asked, the information supplied, a refusal's note. */
  readonly text?: string;
  /** For `approval` / `approved`: what was approved (a subset of the categories, days, evidentiary use). */
  readonly approval?: ApprovalTerms;
  /** For `refused`: the ground's code from the closed list. */
  readonly ground?: string;
}

/** The conditions an officer approves with. */
export interface ApprovalTerms {
  readonly categories: readonly string[];
  readonly validDays: number;
  readonly evidentiaryUse: boolean;
}

export interface FollowUpRequest extends FollowUpFiling {
  /**
   * `<OWNER>-FUR-<year>-<10 hex digits>`, e.g. `KH-FUR-2026-3f9a1c2b7d`; also the id of the grant an
   * approval issues. Random, not counted: a number in sequence would tell a requester how many requests other
   * countries filed with the owner between two of its own.
   */
  readonly id: string;
  readonly filedAt: number;
  /** When the owner should have decided (epoch ms). */
  readonly dueAt: number;
  readonly state: RequestState;
  /** The grant an approval issued (its id is the request's id). */
  readonly grantId?: string;
  /** The refusal's ground code, when refused. */
  readonly ground?: string;
  readonly events: readonly RequestEvent[];
}

export interface RequestFilter {
  readonly state?: RequestState;
  readonly requesterCountry?: string;
  readonly analyst?: string;
}

export interface RequestStore {
  /** Registers a filing: assigns its id, keeps it `pending` with a `filed` event. */
  file(filing: FollowUpFiling, at: number, dueAt: number): FollowUpRequest;
  get(id: string): FollowUpRequest | undefined;
  /** Oldest first. */
  list(filter?: RequestFilter): FollowUpRequest[];
  /**
   * Appends `event` and moves the request to `next` (with `grantId` / `ground` when given), but only if
   * it is still in state `from`: otherwise nothing changes and the request as it now stands is returned
   * with `changed: false`. With `eventsSeen`, also only if the history still has that many events: a
   * change that depends on the history (a second approval completing a first) is refused when someone
   * acted in between, even though the state stayed the same.
   */
  transition(
    id: string,
    from: RequestState,
    next: RequestState,
    event: RequestEvent,
    extra?: { readonly grantId?: string; readonly ground?: string; readonly eventsSeen?: number },
  ): { readonly changed: boolean; readonly request: FollowUpRequest | undefined };
  /**
   * Takes back a filing the owner could not record (subgraphs/kit/followUp/resolvers.ts): the request is
   * removed, but only while it is still `pending` with nothing but its `filed` event (nobody has acted on
   * it). False when there is no such request or someone has acted.
   */
  withdraw(id: string): boolean;
  close(): void;
}

interface Row {
  readonly id: string;
  readonly filing: string;
  readonly filed_at: number;
  readonly due_at: number;
  readonly state: RequestState;
  readonly grant_id: string | null;
  readonly ground: string | null;
  readonly events: string;
}

/** Opens (and creates) the owner's request register. `file` may be ':memory:'. */
export function openRequestStore(options: { readonly owner: string; readonly file: string }): RequestStore {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const db = new Database(options.file);
  if (options.file !== ':memory:') db.pragma('journal_mode = WAL');
  // The subgraph files while the desk (CLI or API) decides: a writer waits for the other instead of failing.
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS follow_up_requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    filing TEXT NOT NULL,
    requester_country TEXT NOT NULL,
    analyst TEXT NOT NULL,
    filed_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    grant_id TEXT,
    ground TEXT,
    events TEXT NOT NULL
  )`);
  const columns = 'id, filing, filed_at, due_at, state, grant_id, ground, events';
  const byId = db.prepare<[string], Row>(`SELECT ${columns} FROM follow_up_requests WHERE id = ?`);
  // Only a filing nobody has acted on: its events are exactly the one `filed` event.
  const remove = db.prepare(
    "DELETE FROM follow_up_requests WHERE id = ? AND state = 'pending' AND json_array_length(events) = 1",
  );
  const insert = db.prepare(
    'INSERT INTO follow_up_requests (id, filing, requester_country, analyst, filed_at, due_at, state, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare(
    'UPDATE follow_up_requests SET state = ?, events = ?, grant_id = COALESCE(?, grant_id), ground = COALESCE(?, ground) WHERE id = ? AND state = ?',
  );

  function read(row: Row | undefined): FollowUpRequest | undefined {
    if (row === undefined) return undefined;
    return Object.freeze({
      ...(JSON.parse(row.filing) as FollowUpFiling),
      id: row.id,
      filedAt: row.filed_at,
      dueAt: row.due_at,
      state: row.state,
      ...(row.grant_id !== null && { grantId: row.grant_id }),
      ...(row.ground !== null && { ground: row.ground }),
      events: JSON.parse(row.events) as RequestEvent[],
    });
  }

  // The id is drawn and the row written in one transaction: two filings at once never get the same id.
  const fileTransaction = db.transaction((filing: FollowUpFiling, at: number, dueAt: number): string => {
    const year = new Date(at).getUTCFullYear();
    let id: string;
    do id = `${options.owner}-FUR-${year}-${randomBytes(5).toString('hex')}`;
    while (byId.get(id) !== undefined);
    const event: RequestEvent = { at, by: `${filing.requesterCountry}/${filing.analyst}`, act: 'filed' };
    insert.run(
      id,
      JSON.stringify(filing),
      filing.requesterCountry,
      filing.analyst,
      at,
      dueAt,
      'pending',
      JSON.stringify([event]),
    );
    return id;
  });

  const transitionTransaction = db.transaction(
    (
      id: string,
      from: RequestState,
      next: RequestState,
      event: RequestEvent,
      extra: { grantId?: string; ground?: string; eventsSeen?: number },
    ): boolean => {
      const current = byId.get(id);
      if (current === undefined || current.state !== from) return false;
      const seen = JSON.parse(current.events) as RequestEvent[];
      if (extra.eventsSeen !== undefined && seen.length !== extra.eventsSeen) return false;
      const events = [...seen, event];
      return (
        update.run(next, JSON.stringify(events), extra.grantId ?? null, extra.ground ?? null, id, from)
          .changes === 1
      );
    },
  );

  return {
    file(filing, at, dueAt) {
      if (filing.owner !== options.owner)
        throw new Error(`a request to ${filing.owner} cannot be filed with ${options.owner}`);
      return read(byId.get(fileTransaction(filing, at, dueAt)))!;
    },
    get: (id) => read(byId.get(id)),
    list(filter = {}) {
      const conditions = [
        ['state', filter.state],
        ['requester_country', filter.requesterCountry],
        ['analyst', filter.analyst],
      ].filter((pair): pair is [string, string] => pair[1] !== undefined);
      const where = conditions.map(([column]) => `${column} = ?`);
      const values = conditions.map(([, value]) => value);
      const sql = `SELECT ${columns} FROM follow_up_requests${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
      return db
        .prepare<string[], Row>(sql)
        .all(...values)
        .map((row) => read(row)!);
    },
    transition(id, from, next, event, extra = {}) {
      const changed = transitionTransaction(id, from, next, event, extra);
      return { changed, request: read(byId.get(id)) };
    },
    withdraw: (id) => remove.run(id).changes === 1,
    close: () => db.close(),
  };
}
