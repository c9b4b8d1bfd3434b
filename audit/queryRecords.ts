/**
 * Finding records for a legal team: by case, analyst, requester country, owner, purpose, clause, decision,
 * kind and time range. The store filters what it indexes; the clause filter reads the fields.
 */
import { printable } from '../lib/printable';
import { checkRow, refText } from './checkEntry';
import type { AuditStore, StoreFilter } from './store/AuditStore';
import { fieldEntriesOf, readableCrossing, type StoredCrossingBody } from './clauseTable';
import type { ProcedureBody, RecordKind, ReviewBody, StoredEntry } from './types';

export interface RecordQuery {
  readonly caseReference?: string;
  readonly analyst?: string;
  /** The requester's country. */
  readonly country?: string;
  readonly owner?: string;
  readonly purpose?: string;
  /** An agreement id (`kr-kh-mlat-2021`) or agreement/clause (`kr-kh-mlat-2021/identity`) cited by any field. */
  readonly clause?: string;
  readonly decisionId?: string;
  /**
   * A grant id: the desk acts about it (issued, revoked), and the crossings whose request named it or
   * whose fields were released under it.
   */
  readonly grant?: string;
  /** Default: consultation, disclosure, review and procedure (checkpoints and purges only when asked for). */
  readonly kinds?: readonly RecordKind[];
  /** ISO 8601, inclusive / exclusive. */
  readonly from?: string;
  readonly to?: string;
  /** At most this many (default 1000). */
  readonly limit?: number;
}

/** A record as a query returns it; `broken` says why an entry failed its own hash check. */
export type QueriedRecord =
  | { readonly ref: string; readonly entry: StoredEntry; readonly broken?: undefined }
  | { readonly ref: string; readonly entry?: undefined; readonly broken: string };

const PAGE = 1000;

/** What a legal team reads by default: the crossings, the reviews and the desk's acts. */
export const DEFAULT_KINDS: readonly RecordKind[] = ['consultation', 'disclosure', 'review', 'procedure'];

export async function queryRecords(store: AuditStore, query: RecordQuery): Promise<QueriedRecord[]> {
  const limit = query.limit ?? 1000;
  const filter: StoreFilter = {
    kinds: query.kinds && query.kinds.length > 0 ? query.kinds : DEFAULT_KINDS,
    ...(query.caseReference !== undefined ? { caseReference: query.caseReference } : {}),
    ...(query.analyst !== undefined ? { analyst: query.analyst } : {}),
    ...(query.country !== undefined ? { country: query.country } : {}),
    ...(query.owner !== undefined ? { owner: query.owner } : {}),
    ...(query.purpose !== undefined ? { purpose: query.purpose } : {}),
    ...(query.decisionId !== undefined ? { decisionId: query.decisionId } : {}),
    ...(query.from !== undefined ? { from: query.from } : {}),
    ...(query.to !== undefined ? { to: query.to } : {}),
  };
  const out: QueriedRecord[] = [];
  for (let offset = 0; out.length < limit; offset += PAGE) {
    const rows = await store.select(filter, PAGE, offset);
    for (const row of rows) {
      const check = checkRow(row);
      if (!check.ok) out.push({ ref: refText(row), broken: check.why });
      else if (
        (query.clause === undefined || citesClause(check.entry, query.clause)) &&
        (query.grant === undefined || namesGrant(check.entry, query.grant))
      ) {
        out.push({ ref: refText(row), entry: readableEntry(check.entry) });
      }
      if (out.length >= limit) break;
    }
    if (rows.length < PAGE) break;
  }
  return out;
}

/**
 * An entry as a legal team reads it: a crossing's field entries whole, whichever form it was stored in
 * (audit/clauseTable.ts). The hashes are those of the stored form: verification and evidence packs read
 * the rows themselves.
 */
export function readableEntry(entry: StoredEntry): StoredEntry {
  if (entry.kind !== 'consultation' && entry.kind !== 'disclosure') return entry;
  return { ...entry, body: readableCrossing(entry.body as StoredCrossingBody) };
}

/** True when any field of a crossing cites the agreement (or agreement/clause). */
export function citesClause(entry: StoredEntry, clause: string): boolean {
  if (entry.kind !== 'consultation' && entry.kind !== 'disclosure') return false;
  const [agreement, clauseId] = clause.split('/', 2);
  return fieldEntriesOf(entry.body as StoredCrossingBody).some((field) =>
    field.clauses.some((c) => c.agreement === agreement && (clauseId === undefined || c.clause === clauseId)),
  );
}

/**
 * True when an entry is about the grant: a desk act naming it, or a crossing whose request named it or
 * whose fields cite it (records written before fields cited grants are found by their request reference).
 */
export function namesGrant(entry: StoredEntry, grant: string): boolean {
  if (entry.kind === 'procedure') return (entry.body as ProcedureBody).grantId === grant;
  if (entry.kind !== 'consultation' && entry.kind !== 'disclosure') return false;
  const body = entry.body as StoredCrossingBody;
  return body.requestReference === grant || fieldEntriesOf(body).some((field) => field.grant?.id === grant);
}

/** A fixed-width table for people: one line per record. */
export function formatRecordTable(records: readonly QueriedRecord[]): string {
  const header = [
    'time',
    'record',
    'kind',
    'analyst',
    'from→owner',
    'purpose',
    'case',
    'fields (rel/hit/wh)',
    'clauses',
  ];
  const lines = records.map((record): string[] => {
    if (!record.entry) return ['?', record.ref, 'BROKEN', '', '', '', '', '', record.broken];
    const { entry } = record;
    if (entry.kind === 'consultation' || entry.kind === 'disclosure') {
      const body = readableCrossing(entry.body as StoredCrossingBody);
      const count = (effect: string) => body.fields.filter((f) => f.effect === effect).length;
      const clauses = [
        ...new Set(body.fields.flatMap((f) => f.clauses.map((c) => `${c.agreement}/${c.clause}`))),
      ].join(' ');
      return [
        entry.at,
        record.ref,
        entry.kind + (body.emergency ? ' (EMERGENCY)' : ''),
        body.analyst,
        `${body.country}→${body.owner}`,
        body.purpose ?? '(none)',
        body.caseReference ?? '',
        `${count('release')}/${count('hit-only')}/${count('withhold')}`,
        clauses,
      ];
    }
    if (entry.kind === 'procedure') {
      const body = entry.body as ProcedureBody;
      const about = [
        body.requestId && `request ${body.requestId}`,
        body.grantId && `grant ${body.grantId}`,
        body.registrationId && `registration ${body.registrationId}`,
        body.watchId && `watch ${body.watchId}`,
        body.noticeId && `notice ${body.noticeId}`,
        body.recipients && `to ${body.recipients.join(' ') || '(none)'}`,
        body.action && `action ${body.action}`,
      ]
        .filter(Boolean)
        .join(', ');
      const validity = body.validUntil !== undefined ? ` until ${body.validUntil}` : '';
      const what = [
        about + validity,
        body.categories?.join(' '),
        body.ground && `ground: ${body.ground}`,
        body.note,
      ]
        .filter(Boolean)
        .join('; ');
      return [
        entry.at,
        record.ref,
        body.act,
        `${body.actor.id} (${body.actor.role}, ${body.actor.country})`,
        body.requester ? `${body.requester.country}→${body.owner}` : `→${body.owner}`,
        body.purpose ?? '',
        body.caseReference ?? '',
        what,
        [body.agreement, ...(body.clauses ?? [])].filter(Boolean).join(' '),
      ];
    }
    if (entry.kind === 'review') {
      const body = entry.body as ReviewBody;
      return [
        entry.at,
        record.ref,
        'review',
        body.reviewer,
        '',
        '',
        body.caseReference ?? '',
        `of ${refText(body.target)}${body.late ? ' (late)' : ''}`,
        body.note,
      ];
    }
    return [entry.at, record.ref, entry.kind, '', '', '', '', '', ''];
  });
  return table([header, ...lines]);
}

/**
 * Rows of cells, one line per row. Every cell is free text from a record (an analyst's justification, a
 * reviewer's note): it is escaped before it is measured, so that no cell can add a line, move the cursor
 * or reverse the text around it. A column is padded to its widest cell, up to 48 characters; a longer cell
 * is shown whole and pushes the rest of its row along. Cut at 48, as it once was, it lost what a reader
 * came for: the grant id at the end of "request …, grant … until …" (`npm run audit -- query --grant`).
 */
export function table(rows: readonly (readonly string[])[]): string {
  const cells = rows.map((row) => row.map((cell) => printable(cell)));
  const widths = cells[0]!.map((_, i) =>
    Math.min(48, Math.max(...cells.map((row) => (row[i] ?? '').length))),
  );
  return cells
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
