import type { GraphQLResolveInfo } from 'graphql';
import {
  fieldEntryFromDecision,
  WHOLE_FETCH,
  type DecisionEntry,
  type FieldEntry,
  type FieldReport,
} from '../../../audit';
import type { Decision, GrantBook } from '../../../policy';
import type { Category } from '../../../vocabulary';

type Path = GraphQLResolveInfo['path'];

/**
 * Every decision of one request, in the order made, for the owner's disclosure record and the gateway's
 * field report. Rules call it once per field on the hot path, so it only pushes references into arrays;
 * paths, record ids and entries are built once, when the answer is complete (subgraphs/kit/disclosure.ts).
 */
export class DecisionTrail {
  private readonly paths: (Path | undefined)[] = [];
  /** The field's name in the schema (its path's last key may be an alias); '' for record-level entries. */
  private readonly fieldNames: string[] = [];
  /** The record a field belongs to (its parent); for record-level entries, the record itself. */
  private readonly records: unknown[] = [];
  private readonly categories: Category[] = [];
  private readonly decisions: Decision[] = [];
  /** 0: a field; 1: a whole record answered as absent; 2: a whole fetch refused. */
  private readonly kinds: number[] = [];
  /** Requests refused before any decision (an exhausted search budget): their entries, built when noted. */
  private readonly refusedEntries: FieldEntry[] = [];

  /** `grants`: the owner's book for this request, so that a release under a grant cites it with its validity end. */
  constructor(private readonly grants?: GrantBook) {}

  get size(): number {
    return this.paths.length;
  }

  /** A field of a record (or of a search), decided; `fieldName` as in the schema (`info.fieldName`). */
  field(path: Path, fieldName: string, category: Category, decision: Decision, parent: unknown): void {
    this.push(path, parent, category, decision, 0, fieldName);
  }

  /** A record answered as if it did not exist: no basis gives even its reference. */
  record(path: Path | undefined, record: unknown, category: Category, decision: Decision): void {
    this.push(path, record, category, decision, 1, '');
  }

  /** The whole `_entities` fetch refused: no basis gives the requester even a hit on this owner's records. */
  wholeFetch(path: Path, category: Category, decision: Decision): void {
    this.push(path, undefined, category, decision, 2, '');
  }

  /**
   * A search the owner refused before deciding anything (its query budget was spent): noted as withheld,
   * with the refusal's code as its reason, so the owner's log shows every refused term's place.
   */
  refused(path: Path | undefined, category: Category, reason: string): void {
    this.refusedEntries.push({ path: pathText(path), category, effect: 'withhold', reason, clauses: [] });
  }

  private push(
    path: Path | undefined,
    record: unknown,
    category: Category,
    decision: Decision,
    kind: number,
    fieldName: string,
  ): void {
    this.paths.push(path);
    this.fieldNames.push(fieldName);
    this.records.push(record);
    this.categories.push(category);
    this.decisions.push(decision);
    this.kinds.push(kind);
  }

  /** The disclosure record's field entries: one per field path (and per record answered as absent). */
  fieldEntries(): FieldEntry[] {
    const bases = new DecisionEntries(this.grants);
    const entries: FieldEntry[] = [];
    for (let i = 0; i < this.paths.length; i++) {
      const path = this.paths[i];
      const kind = this.kinds[i]!;
      const record = kind === 2 ? undefined : recordId(this.records[i]);
      const base = bases.entry(this.categories[i]!, this.decisions[i]!);
      entries.push({ path: pathText(path), ...(record !== undefined ? { record } : {}), ...base.entry });
    }
    entries.push(...this.refusedEntries);
    return entries;
  }

  /** The gateway's view: each field by record and field name, and a refused fetch. */
  fieldReport(): FieldReport {
    const bases = new DecisionEntries(this.grants);
    const decided: [string, string, number][] = [];
    for (let i = 0; i < this.paths.length; i++) {
      const kind = this.kinds[i]!;
      if (kind === 1) continue; // the gateway never sees a record answered as absent
      const { index } = bases.entry(this.categories[i]!, this.decisions[i]!);
      if (kind === 2) {
        decided.push([WHOLE_FETCH, WHOLE_FETCH, index]);
        continue;
      }
      const path = this.paths[i]!;
      decided.push([recordId(this.records[i]) ?? path.typename ?? '', this.fieldNames[i]!, index]);
    }
    return { decisions: bases.list, decided };
  }
}

/** One entry per decision and category (a decision may serve several categories: the engine shares them). */
class DecisionEntries {
  readonly list: DecisionEntry[] = [];
  private readonly byDecision = new Map<Decision, Map<Category, { entry: DecisionEntry; index: number }>>();

  constructor(private readonly grants: GrantBook | undefined) {}

  entry(category: Category, decision: Decision): { entry: DecisionEntry; index: number } {
    let byCategory = this.byDecision.get(decision);
    if (!byCategory) {
      byCategory = new Map();
      this.byDecision.set(decision, byCategory);
    }
    let known = byCategory.get(category);
    if (!known) {
      const { path: _path, ...entry } = fieldEntryFromDecision(
        '',
        category,
        decision,
        undefined,
        this.grants,
      );
      known = { entry, index: this.list.length };
      this.list.push(entry);
      byCategory.set(category, known);
    }
    return known;
  }
}

/** `_entities.0.fullName` */
export function pathText(path: Path | undefined): string {
  const keys: (string | number)[] = [];
  for (let p = path; p; p = p.prev) keys.push(p.key);
  return keys.length ? keys.reverse().join('.') : '(request)';
}

/** A record's global id: national systems' records carry it as `id` (subgraphs/kit/types.ts). */
function recordId(record: unknown): string | undefined {
  const id = record !== null && typeof record === 'object' ? (record as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
