/**
 * `extensions.accord`: what an owner tells the gateway with each answer (subgraphs/kit/disclosure.ts and
 * subgraphs/kit/followUp/hitTokensPlugin.ts write it; gateway/memberDataSource.ts reads it, through
 * `parseOwnerReport` alone). One type for both sides, kept here because the audit is what most of it is
 * for: the field decisions and the filings name the owner's side of a crossing in the gateway's
 * consultation record, and both the subgraphs' kit and the gateway import the audit part.
 *
 * The gateway trusts none of it: a member's server may be faulty or hostile. Each part is read on its
 * own; a part that does not have its shape is set aside (the gateway then uses its own decisions), and
 * never makes the request fail.
 */
import { isCategory } from '../vocabulary';
import type { Obligations } from '../policy';
import type { FieldEntry } from './types';

/** A field entry without its place: what the owner decided, shared by every field decided alike. */
export type DecisionEntry = Omit<FieldEntry, 'path' | 'record'>;

/**
 * The owner's decision for each field of its answer (`fields`), so that the gateway's consultation record
 * puts the owner's own decision on the analyst's paths. Records are named by their global id (a search,
 * which has none, by its type name): the gateway's paths are not the owner's.
 */
export interface FieldReport {
  readonly decisions: readonly DecisionEntry[];
  /**
   * `[record, field, index into decisions]`; the record `*` with the field `*`: the whole fetch was refused.
   * The field is the schema's field name, never the response key: an alias (`fullName: nationality`) is
   * the analyst's and the planner's choice, and the gateway looks decisions up by what was asked for.
   */
  readonly decided: readonly (readonly [string, string, number])[];
}

/** The record (and field) of a field report entry that stands for a whole `_entities` fetch refused. */
export const WHOLE_FETCH = '*';

/** One clause's release as the owner reports it: the obligations travel with the data. */
export interface ReportedRelease {
  readonly agreement: string;
  readonly clause: string;
  readonly title: string;
  readonly citation: string;
  readonly obligations?: Obligations;
  /** The owner's grant the data was released under (a clause that needs a request reference). */
  readonly grant?: string;
  /** When that grant's validity ends (ISO 8601), as the owner reported it. */
  readonly grantValidUntil?: string;
  readonly categories: readonly string[];
}

/** `extensions.accord` as an owner writes it. */
export interface OwnerReport {
  /** The releases part: who released, under which agreement revision, by clause. */
  readonly owner?: string;
  readonly revision?: string;
  readonly releases?: readonly ReportedRelease[];
  /** The gateway's decision id for this crossing, as the owner's disclosure record carries it. */
  readonly decisionId?: string;
  /** Only when the gateway asked for it (its signed context). */
  readonly fields?: FieldReport;
  /** The follow-up requests this call filed, by the ids the owner assigned them. */
  readonly filed?: readonly string[];
  /** A hit token per record of the owner's the answer shows: record id → token. */
  readonly hits?: Readonly<Record<string, string>>;
}

/** An owner's report as the gateway reads it: each part well formed, absent, or set aside. */
export interface ParsedOwnerReport {
  /**
   * Absent when the owner reported no release. `malformed`: a releases part without its shape, or one in
   * the name of anyone but the member whose server answered (a member speaks for itself alone).
   */
  readonly releases?:
    | {
        readonly owner: string;
        readonly revision: string;
        readonly releases: readonly ReportedRelease[];
      }
    | 'malformed';
  /** `malformed`: the owner sent one without its shape, or a cross-border release without its clause. */
  readonly fields?: FieldReport | 'malformed';
  /** `malformed`: anything but a non-empty list of short ids. */
  readonly filed?: readonly string[] | 'malformed';
  /** The well-formed tokens only (a string of at most MAX_HIT_TOKEN_LENGTH), by record id. */
  readonly hits: ReadonlyMap<string, string>;
}

/** The longest hit token an owner is believed to send; anything else is dropped (and never reaches an analyst). */
export const MAX_HIT_TOKEN_LENGTH = 256;
/** A follow-up request id as an owner assigns it (`KH-FUR-2026-000001`): a short word, nothing else. */
const FILED_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const EFFECTS = new Set(['release', 'hit-only', 'withhold']);

/** Whose answer the report came with, as the gateway knows it (never as the report says). */
export interface OwnerReportReader {
  /** The member whose server answered; undefined for a server that is no member's (the hub). */
  readonly owner: string | undefined;
  /** The requester is not of the owner's country: every release the field report claims must cite its clause. */
  readonly crossBorder: boolean;
}

/** Reads `extensions.accord` from an owner's answer. */
export function parseOwnerReport(value: unknown, reader: OwnerReportReader): ParsedOwnerReport {
  const { crossBorder } = reader;
  if (!value || typeof value !== 'object') return { hits: new Map() };
  const report = value as Record<string, unknown>;
  const releases = parseReleases(report, reader.owner);
  return {
    ...(releases ? { releases } : {}),
    ...(report['fields'] !== undefined
      ? { fields: parseFieldReport(report['fields'], crossBorder) ?? 'malformed' }
      : {}),
    ...(report['filed'] !== undefined ? { filed: parseFiled(report['filed']) ?? 'malformed' } : {}),
    hits: parseHits(report['hits']),
  };
}

function parseReleases(
  report: Record<string, unknown>,
  answeredBy: string | undefined,
): ParsedOwnerReport['releases'] {
  const { owner, revision, releases } = report;
  if (owner === undefined && revision === undefined && releases === undefined) return undefined;
  if (typeof owner !== 'string' || typeof revision !== 'string' || !Array.isArray(releases))
    return 'malformed';
  // The obligations the analyst is given are the owner's word: a member's server may give its own only,
  // never another member's (whose obligations would then be made up, or merged into the real ones).
  if (answeredBy === undefined || owner !== answeredBy) return 'malformed';
  // Obligations travel with released data only: an owner that released nothing is not listed.
  if (releases.length === 0) return undefined;
  const parsed: ReportedRelease[] = [];
  for (const release of releases as unknown[]) {
    const one = parseRelease(release);
    if (!one) return 'malformed';
    parsed.push(one);
  }
  return { owner, revision, releases: parsed };
}

/** One release, with its own fields only (nothing else an owner adds reaches the analyst). */
function parseRelease(value: unknown): ReportedRelease | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { agreement, clause, title, citation, obligations, grant, grantValidUntil, categories } =
    value as Record<string, unknown>;
  if (
    typeof agreement !== 'string' ||
    typeof clause !== 'string' ||
    typeof title !== 'string' ||
    typeof citation !== 'string'
  )
    return undefined;
  if (!Array.isArray(categories) || !categories.every((c) => typeof c === 'string' && isCategory(c)))
    return undefined;
  if (
    obligations !== undefined &&
    (!obligations || typeof obligations !== 'object' || Array.isArray(obligations))
  )
    return undefined;
  if (grant !== undefined && typeof grant !== 'string') return undefined;
  if (
    grantValidUntil !== undefined &&
    (typeof grantValidUntil !== 'string' || Number.isNaN(Date.parse(grantValidUntil)))
  )
    return undefined;
  return {
    agreement,
    clause,
    title,
    citation,
    ...(obligations !== undefined ? { obligations: obligations as Obligations } : {}),
    ...(grant !== undefined ? { grant } : {}),
    ...(grantValidUntil !== undefined ? { grantValidUntil } : {}),
    categories,
  };
}

function parseFieldReport(value: unknown, crossBorder: boolean): FieldReport | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { decisions, decided } = value as { decisions?: unknown; decided?: unknown };
  if (!Array.isArray(decisions) || !Array.isArray(decided)) return undefined;
  for (const decision of decisions as unknown[]) {
    if (!decision || typeof decision !== 'object') return undefined;
    const { category, effect, clauses, grant } = decision as Record<string, unknown>;
    if (
      typeof category !== 'string' ||
      !isCategory(category) ||
      !EFFECTS.has(effect as string) ||
      !Array.isArray(clauses)
    )
      return undefined;
    if (crossBorder && effect !== 'withhold' && clauses.length === 0) return undefined;
    // The grant a release rested on (its id and validity end) goes into the consultation as the owner cited it.
    if (grant !== undefined && (effect === 'withhold' || !isGrantCitation(grant))) return undefined;
  }
  for (const item of decided as unknown[]) {
    if (
      !Array.isArray(item) ||
      typeof item[0] !== 'string' ||
      typeof item[1] !== 'string' ||
      !Number.isInteger(item[2])
    )
      return undefined;
    if ((item[2] as number) < 0 || (item[2] as number) >= decisions.length) return undefined;
  }
  return { decisions: decisions as DecisionEntry[], decided: decided as [string, string, number][] };
}

function isGrantCitation(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const { id, validUntil } = value as Record<string, unknown>;
  return (
    typeof id === 'string' &&
    id !== '' &&
    (validUntil === undefined || (typeof validUntil === 'string' && !Number.isNaN(Date.parse(validUntil))))
  );
}

function parseFiled(value: unknown): string[] | undefined {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((id) => typeof id === 'string' && FILED_ID.test(id))
  )
    return undefined;
  return value as string[];
}

function parseHits(value: unknown): Map<string, string> {
  const hits = new Map<string, string>();
  if (!value || typeof value !== 'object' || Array.isArray(value)) return hits;
  for (const [recordId, token] of Object.entries(value as Record<string, unknown>)) {
    if (typeof token === 'string' && token.length <= MAX_HIT_TOKEN_LENGTH) hits.set(recordId, token);
  }
  return hits;
}
