/**
 * How a crossing's field entries are stored (docs/decisions/0021-audit-clause-table.md): the decisions a
 * record's fields share are written once, in the record's `decisions` table, and each field entry names
 * its path, its record and the index of its decision. A search's fields come from a handful of decisions,
 * so a record carries each clause, obligation and gate ground once instead of once per field.
 *
 * Writers keep giving `fields` as whole entries (`CrossingRecord`); `validateCrossingRecord` stores them
 * with the table. Readers go through `fieldEntriesOf` / `readableCrossing`, which give the whole entries
 * back from either form: records written before the table (every entry whole, no `decisions`) read as
 * they always did. The hashes cover the stored form, so verification and evidence packs work on it as is.
 */
import type { DecisionEntry } from './ownerReport';
import type { CrossingBody, FieldEntry } from './types';

/** A field entry as stored with a clause table: its place, and which of the record's decisions it got. */
export interface PlacedField {
  readonly path: string;
  readonly record?: string;
  /** Index into the record's `decisions`. */
  readonly decision: number;
}

/** A crossing's body as stored since the clause table: the fields point into `decisions`. */
export type TabledCrossingBody = Omit<CrossingBody, 'fields'> & {
  readonly decisions: readonly DecisionEntry[];
  readonly fields: readonly PlacedField[];
};

/** A crossing's body in either stored form. */
export type StoredCrossingBody = CrossingBody | TabledCrossingBody;

/** Whether a stored crossing body has a clause table (written since decision 0021). */
export function hasClauseTable(body: StoredCrossingBody): body is TabledCrossingBody {
  return Array.isArray((body as { decisions?: unknown }).decisions);
}

/**
 * Why a stored crossing body's fields cannot be read back whole, or null: a field that points outside the
 * table, or a table in a body whose fields are whole. The body hash says the text is what was written;
 * this says the writer wrote something a reader can follow.
 */
export function clauseTableProblem(body: Record<string, unknown>): string | null {
  const fields = body['fields'];
  if (!Array.isArray(fields)) return 'its fields are not a list';
  if (body['decisions'] === undefined) return null;
  const decisions = body['decisions'];
  if (!Array.isArray(decisions)) return 'its clause table (decisions) is not a list';
  for (let i = 0; i < decisions.length; i++) {
    const d = decisions[i] as unknown;
    if (typeof d !== 'object' || d === null || Array.isArray(d))
      return `its clause table's entry ${i} is not a decision`;
  }
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as { decision?: unknown } | null;
    const index = field?.decision;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= decisions.length)
      return `its field entry ${i} points outside its clause table`;
  }
  return null;
}

/** The whole field entries of a stored crossing body, in either form. */
export function fieldEntriesOf(body: StoredCrossingBody): FieldEntry[] {
  if (!hasClauseTable(body)) return body.fields as FieldEntry[];
  const { decisions } = body;
  return body.fields.map((field) => ({
    path: field.path,
    ...(field.record !== undefined ? { record: field.record } : {}),
    ...decisions[field.decision]!,
  }));
}

/** A stored crossing body as a legal team reads it: every field entry whole, no table. */
export function readableCrossing(body: StoredCrossingBody): CrossingBody {
  if (!hasClauseTable(body)) return body;
  const { decisions: _table, fields: _placed, ...rest } = body;
  return { ...rest, fields: fieldEntriesOf(body) };
}
