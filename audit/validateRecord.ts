/**
 * Checks a crossing record before it is appended, and turns it into the stored body. A record that does
 * not match the model is refused with a message naming the field and showing the bad value: the log never
 * holds a record a legal team could not read. Nothing is coerced, except the time into ISO 8601 UTC.
 */
import {
  EMERGENCY_REGISTRATION,
  NOT_TEXT,
  isJustification,
  readJustification,
  type Obligations,
} from '../policy';
import { isCategory, isCountryCode, isPurpose } from '../vocabulary';
import { AuditError } from './AuditError';
import { canonicalJson } from './canonicalJson';
import type { TabledCrossingBody, PlacedField } from './clauseTable';
import type { DecisionEntry } from './ownerReport';
import type { CitedClause, CrossingRecord, FieldEntry, GrantCitation } from './types';

const EFFECTS = new Set(['release', 'hit-only', 'withhold']);
const HANDLING_CODES = new Set(['H0', 'H1', 'H2', 'H3']);
const PERMISSIONS = new Set(['forbidden', 'with_consent', 'allowed']);
const MAX_TEXT = 4096;

/** Returns the ISO 8601 UTC form of a time given as ISO text, a Date or epoch milliseconds. */
export function isoTime(value: string | number | Date, what: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime()) || (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}/.test(value))) {
    throw new AuditError(
      'BAD_RECORD',
      `${what} must be an ISO 8601 time, a Date or epoch milliseconds, not ${JSON.stringify(value)}.`,
    );
  }
  return date.toISOString();
}

/**
 * The stored body has the record's clause table (audit/clauseTable.ts): each distinct decision of its
 * fields once, in `decisions`, and per field its path, record and the index of its decision.
 */
export function validateCrossingRecord(input: unknown): {
  at: string | undefined;
  body: TabledCrossingBody;
} {
  const record = object(input, 'the record');
  const side = record['side'];
  if (side !== 'consultation' && side !== 'disclosure') {
    throw bad(
      'side',
      side,
      '"consultation" (the requester\'s gateway) or "disclosure" (the owner\'s subgraph)',
    );
  }
  const r = record as unknown as CrossingRecord;
  const country = text(r.country, 'country');
  const owner = text(r.owner, 'owner');
  if (!isCountryCode(country)) throw bad('country', country, 'an ISO 3166-1 alpha-2 code such as "KR"');
  if (!isCountryCode(owner)) throw bad('owner', owner, 'an ISO 3166-1 alpha-2 code such as "KH"');
  if (r.purpose !== undefined && !isPurpose(text(r.purpose, 'purpose')))
    throw bad('purpose', r.purpose, 'a purpose of docs/domain.md ("investigation", "victim_rescue", …)');
  if (r.emergency !== undefined) {
    const emergency = object(r.emergency, 'emergency');
    if (
      emergency['id'] !== undefined &&
      !EMERGENCY_REGISTRATION.test(text(emergency['id'], 'emergency.id'))
    ) {
      throw bad('emergency.id', emergency['id'], 'an emergency registration id (EMG-KR-0123456789)');
    }
    isoTime(text(emergency['declaredAt'], 'emergency.declaredAt'), 'emergency.declaredAt');
    // The gateway's and the owners' header parser read the justification by this same definition, so a
    // declaration they accepted is never refused here (which would withhold the answer as AUDIT_UNAVAILABLE).
    if (!isJustification(emergency['justification'])) {
      const why =
        typeof emergency['justification'] === 'string'
          ? readJustification(emergency['justification'], 'it')
          : undefined;
      throw bad(
        'emergency.justification',
        emergency['justification'],
        `a justification${why && !why.ok ? ` (${why.problem})` : ''}`,
      );
    }
  }
  if (!Array.isArray(r.fields)) throw bad('fields', r.fields, 'an array of field entries (possibly empty)');
  const crossBorder = owner !== country;
  const seen = new SharedParts();
  const fields = r.fields.map((field, i) => validateField(field, `fields[${i}]`, crossBorder, seen));
  const decisions = seen.table;
  if (!/^[0-9a-f]{64}$/.test(text(r.operationHash, 'operationHash')))
    throw bad('operationHash', r.operationHash, 'a sha256 in hex (64 characters)');

  const body: TabledCrossingBody = {
    side,
    requestId: text(r.requestId, 'requestId'),
    decisionId: text(r.decisionId, 'decisionId'),
    analyst: text(r.analyst, 'analyst'),
    country,
    ...(r.purpose !== undefined ? { purpose: r.purpose } : {}),
    ...(r.caseReference !== undefined ? { caseReference: text(r.caseReference, 'caseReference') } : {}),
    ...(r.requestReference !== undefined
      ? { requestReference: text(r.requestReference, 'requestReference') }
      : {}),
    ...(r.jointTeam !== undefined ? { jointTeam: text(r.jointTeam, 'jointTeam') } : {}),
    ...(r.warrantReference !== undefined
      ? { warrantReference: text(r.warrantReference, 'warrantReference') }
      : {}),
    ...(r.interpolNotice !== undefined ? { interpolNotice: text(r.interpolNotice, 'interpolNotice') } : {}),
    ...(r.emergency !== undefined
      ? {
          emergency: {
            ...(r.emergency.id !== undefined ? { id: r.emergency.id } : {}),
            declaredAt: isoTime(r.emergency.declaredAt, 'emergency.declaredAt'),
            justification: r.emergency.justification,
          },
        }
      : {}),
    ...(r.followUpRequests !== undefined
      ? { followUpRequests: texts(r.followUpRequests, 'followUpRequests') }
      : {}),
    owner,
    decisions,
    fields,
    policyRevision: text(r.policyRevision, 'policyRevision'),
    operationHash: r.operationHash,
    ...(r.operationName !== undefined ? { operationName: text(r.operationName, 'operationName') } : {}),
  };
  return { at: r.at === undefined ? undefined : isoTime(r.at, 'at'), body };
}

/**
 * The parts of field entries already checked in this record, by the object given. The writers build a
 * record's entries from a handful of decisions (subgraphs/kit/authorization/decisionTrail.ts, the owner's
 * field report at the gateway), so dozens of entries hold the very same clauses array, obligations, gate
 * and grant objects: each is checked and copied once per record, and the entries share the copy (which
 * canonicalJson then orders once). Only the record's own copies are shared, never the caller's objects,
 * so a caller that changes its objects after `append` changes nothing written.
 */
class SharedParts {
  readonly clauses = new Map<unknown, CitedClause[]>();
  readonly obligations = new Map<unknown, Obligations>();
  readonly gates = new Map<unknown, NonNullable<FieldEntry['gate']>>();
  readonly grants = new Map<unknown, GrantCitation>();
  /** The record's clause table: each distinct decision once. */
  readonly table: DecisionEntry[] = [];
  /**
   * Decision parts already checked, by the clauses array given (then by the other parts, compared by
   * identity): a field whose category, effect, reason and part objects are those of a field checked before
   * passed every check that field passed, and gets its row, so the check and the row's key are made once
   * per distinct decision of the record, not once per field.
   */
  readonly checked = new Map<unknown, CheckedParts[]>();
  private readonly rows = new Map<string, number>();
  private readonly ids = new Map<object, number>();
  private readonly contents = new Map<string, number>();

  /**
   * The index of a decision in the table, added when new. Decisions are told apart by their effect,
   * category and reason and by the contents of their clauses, obligations, gate and grant. Each part's
   * content is read once per object (the checked copies are shared by every entry made from the same
   * objects), so entries decided alike share a row without being compared field by field, and a record
   * whose entries hold equal copies is stored exactly as one whose entries share them.
   */
  indexOf(
    category: string,
    effect: FieldEntry['effect'],
    reason: string | undefined,
    clauses: CitedClause[],
    obligations: Obligations | undefined,
    gate: FieldEntry['gate'],
    grant: GrantCitation | undefined,
  ): number {
    const parts = `${this.idOf(clauses, clausesContent)}.${this.idOf(obligations, canonicalJson)}.${this.idOf(gate, gateContent)}.${this.idOf(grant, grantContent)}`;
    const key = `${category}\0${effect}\0${reason === undefined ? '' : `=${reason}`}\0${parts}`;
    let row = this.rows.get(key);
    if (row === undefined) {
      row = this.table.length;
      this.table.push({
        category,
        clauses,
        effect,
        ...(gate !== undefined ? { gate } : {}),
        ...(grant !== undefined ? { grant } : {}),
        ...(obligations !== undefined ? { obligations } : {}),
        ...(reason !== undefined ? { reason } : {}),
      });
      this.rows.set(key, row);
    }
    return row;
  }

  private idOf<T extends object>(part: T | undefined, contentOf: (part: T) => string): number {
    if (part === undefined) return 0;
    let id = this.ids.get(part);
    if (id === undefined) {
      const content = contentOf(part);
      id = this.contents.get(content);
      if (id === undefined) {
        id = this.contents.size + 1;
        this.contents.set(content, id);
      }
      this.ids.set(part, id);
    }
    return id;
  }
}

// The contents of checked copies, which hold only the members their check copied (obligations may hold
// members of their own: canonical JSON for those). Each starts with its own letter: no two kinds collide.
const clausesContent = (clauses: readonly CitedClause[]): string =>
  JSON.stringify(['c', ...clauses.map((c) => [c.agreement, c.clause, c.citation, c.title ?? null])]);
const gateContent = (gate: NonNullable<FieldEntry['gate']>): string =>
  JSON.stringify(['g', gate.owner, gate.title ?? null, gate.citations]);
const grantContent = (grant: GrantCitation): string =>
  JSON.stringify(['t', grant.id, grant.validUntil ?? null]);

function once<T>(seen: Map<unknown, T>, input: unknown, check: () => T): T {
  // Primitives and absent values are never shared: checked each time (the check rejects them anyway).
  if (typeof input !== 'object' || input === null) return check();
  let known = seen.get(input);
  if (known === undefined) {
    known = check();
    seen.set(input, known);
  }
  return known;
}

/** A field's decision parts as given, and the row they were checked into (SharedParts.checked). */
interface CheckedParts {
  readonly category: unknown;
  readonly effect: unknown;
  readonly reason: unknown;
  readonly obligations: unknown;
  readonly gate: unknown;
  readonly grant: unknown;
  readonly decision: number;
}

function validateField(input: unknown, where: string, crossBorder: boolean, seen: SharedParts): PlacedField {
  const field = object(input, where) as unknown as FieldEntry;
  const path = text(field.path, `${where}.path`);
  const known = seen.checked
    .get(field.clauses)
    ?.find(
      (parts) =>
        parts.category === field.category &&
        parts.effect === field.effect &&
        parts.reason === field.reason &&
        parts.obligations === field.obligations &&
        parts.gate === field.gate &&
        parts.grant === field.grant,
    );
  const decision = known?.decision ?? checkDecision(field, where, crossBorder, seen);
  // Members in canonical order (here and in the table's parts), so canonicalJson writes them without a copy.
  return field.record !== undefined
    ? { decision, path, record: text(field.record, `${where}.record`) }
    : { decision, path };
}

/** A field's decision parts checked in full, and their row in the record's table. */
function checkDecision(field: FieldEntry, where: string, crossBorder: boolean, seen: SharedParts): number {
  const path = field.path;
  const category = text(field.category, `${where}.category`);
  if (!isCategory(category))
    throw bad(`${where}.category`, category, 'a data category of docs/domain.md ("person.identity", …)');
  if (!EFFECTS.has(field.effect))
    throw bad(`${where}.effect`, field.effect, '"release", "hit-only" or "withhold"');
  if (!Array.isArray(field.clauses))
    throw bad(`${where}.clauses`, field.clauses, 'an array of cited clauses (possibly empty)');
  const clauses = once(seen.clauses, field.clauses, () =>
    field.clauses.map((clause, i) => validateClause(clause, `${where}.clauses[${i}]`)),
  );
  // A release across a border without the clause it rests on is what the log exists to make impossible.
  if (crossBorder && field.effect !== 'withhold' && clauses.length === 0) {
    throw new AuditError(
      'BAD_RECORD',
      `${where} (${path}) is a cross-border ${field.effect} that cites no clause: every release must name its legal basis.`,
    );
  }
  const obligations =
    field.obligations === undefined
      ? undefined
      : once(seen.obligations, field.obligations, () => {
          validateObligations(field.obligations, `${where}.obligations`);
          return { ...field.obligations! };
        });
  const gate =
    field.gate === undefined
      ? undefined
      : once(seen.gates, field.gate, () => validateGate(field.gate, where));
  const grant =
    field.grant === undefined
      ? undefined
      : once(seen.grants, field.grant, () => validateGrantCitation(field.grant, `${where}.grant`));
  // Only a release (or a hit) rests on a grant; a withheld field citing one would claim a basis that opened nothing.
  if (grant !== undefined && field.effect === 'withhold')
    throw bad(
      `${where}.grant`,
      field.grant,
      'absent on a withheld field (a grant is cited only by what it opened)',
    );
  const reason = field.reason !== undefined ? text(field.reason, `${where}.reason`) : undefined;
  const decision = seen.indexOf(category, field.effect, reason, clauses, obligations, gate, grant);
  // Only a clauses array is remembered: it is what every field made from the same decision shares.
  if (typeof field.clauses === 'object' && field.clauses !== null) {
    const parts: CheckedParts = {
      category: field.category,
      effect: field.effect,
      reason: field.reason,
      obligations: field.obligations,
      gate: field.gate,
      grant: field.grant,
      decision,
    };
    const list = seen.checked.get(field.clauses);
    if (list === undefined) seen.checked.set(field.clauses, [parts]);
    else list.push(parts);
  }
  return decision;
}

function validateGate(input: unknown, where: string): NonNullable<FieldEntry['gate']> {
  const gate = object(input, `${where}.gate`) as unknown as NonNullable<FieldEntry['gate']>;
  text(gate.owner, `${where}.gate.owner`);
  if (!Array.isArray(gate.citations))
    throw bad(`${where}.gate.citations`, gate.citations, 'an array of citations');
  const citations = (gate.citations as readonly unknown[]).map((c, i) =>
    text(c, `${where}.gate.citations[${i}]`),
  );
  return { citations, owner: gate.owner, ...(gate.title !== undefined ? { title: gate.title } : {}) };
}

export function validateGrantCitation(input: unknown, where: string): GrantCitation {
  const grant = object(input, where);
  const id = text(grant['id'], `${where}.id`);
  return {
    id,
    ...(grant['validUntil'] !== undefined
      ? { validUntil: isoTime(text(grant['validUntil'], `${where}.validUntil`), `${where}.validUntil`) }
      : {}),
  };
}

function validateClause(input: unknown, where: string): CitedClause {
  const clause = object(input, where) as unknown as CitedClause;
  const agreement = text(clause.agreement, `${where}.agreement`);
  const clauseId = text(clause.clause, `${where}.clause`);
  return {
    agreement,
    citation: text(clause.citation, `${where}.citation`),
    clause: clauseId,
    ...(clause.title !== undefined ? { title: text(clause.title, `${where}.title`) } : {}),
  };
}

function validateObligations(input: unknown, where: string): void {
  const o = object(input, where);
  if (!HANDLING_CODES.has(o['handlingCode'] as string))
    throw bad(`${where}.handlingCode`, o['handlingCode'], '"H0", "H1", "H2" or "H3"');
  if (!PERMISSIONS.has(o['onwardTransfer'] as string))
    throw bad(`${where}.onwardTransfer`, o['onwardTransfer'], '"forbidden", "with_consent" or "allowed"');
  if (!PERMISSIONS.has(o['evidentiaryUse'] as string))
    throw bad(`${where}.evidentiaryUse`, o['evidentiaryUse'], '"forbidden", "with_consent" or "allowed"');
  if (!isWhole(o['retentionDays']))
    throw bad(`${where}.retentionDays`, o['retentionDays'], 'a whole number of days ≥ 0');
  if (typeof o['notifySource'] !== 'boolean')
    throw bad(`${where}.notifySource`, o['notifySource'], 'true or false');
  if (
    o['reviewWithinHours'] !== undefined &&
    !(isWhole(o['reviewWithinHours']) && (o['reviewWithinHours'] as number) > 0)
  ) {
    throw bad(`${where}.reviewWithinHours`, o['reviewWithinHours'], 'a whole number of hours > 0');
  }
  if (o['grant'] !== undefined) text(o['grant'], `${where}.grant`);
  if (
    o['emergency'] !== undefined &&
    !EMERGENCY_REGISTRATION.test(text(o['emergency'], `${where}.emergency`))
  ) {
    throw bad(`${where}.emergency`, o['emergency'], 'an emergency registration id (EMG-KR-0123456789)');
  }
}

function isWhole(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

export function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw bad(where, value, 'an object');
  return value as Record<string, unknown>;
}

export function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT || NOT_TEXT.test(value)) {
    throw bad(
      where,
      value,
      `a non-empty string of at most ${MAX_TEXT} characters, without control, format or bidi characters`,
    );
  }
  return value;
}

export function texts(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.length === 0) throw bad(where, value, 'a non-empty array of strings');
  return value.map((item, i) => text(item, `${where}[${i}]`));
}

export function bad(where: string, value: unknown, expected: string): AuditError {
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  if (shown.length > 120) shown = `${shown.slice(0, 117)}...`;
  return new AuditError('BAD_RECORD', `Audit record: ${where} must be ${expected}, not ${shown}.`);
}
