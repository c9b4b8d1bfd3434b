import { CATEGORIES, META_REFERENCE, type Category } from '../../../vocabulary';
import type { AuthorizationState } from '../authorization/state';

/**
 * What an index entry was made from: an identifier (account, phone, passport or travel-document number,
 * messenger handle, case number) or a name (of a person, a victim, a compound).
 */
export type SearchShape = 'identifier' | 'name';

/**
 * How a search term may match an entry:
 * - `prefix`: the term may be the beginning of the value (of any of a name's words);
 * - `whole`: only the whole value (after normalisation): an identifier in full; a name or alias with all
 *   its words ("yoo sang hoon", or "yoosanghoon"), never one word or some of its words.
 */
export type SearchMatch = 'prefix' | 'whole';

/**
 * What one requester's search may match in this owner's index, decided by the owner with the same engine
 * that decides its fields: an entry matches only if the decision for the category of the value it was
 * made from gives at least a hit. Computed once per request (one requester), never shared across requests.
 */
export interface SearchScope {
  /** How entries of this shape and category may match; undefined: they never match. */
  match(shape: SearchShape, category: Category): SearchMatch | undefined;
  /**
   * Whether a record found through an entry of `category` may be answered: the owner's decision for the
   * category, for that record (record-level conditions such as a joint team's operation).
   */
  admits(category: Category, record: unknown): boolean;
  /** False when no entry can match at all (no basis gives even a hit on any category): nothing to search. */
  readonly any: boolean;
  /**
   * True when the decision for some category that may match depends on the record (a joint team's
   * operation, a source grade): records found through it must be checked one by one with `admits`.
   * False: every record an entry matches may be answered, and there is nothing to check.
   */
  readonly recordDependent: boolean;
  /**
   * True when `admits` reads nothing of a record but its id (the record-level condition in play is a
   * grant's subjects, not a joint team's operations or a source grade): `admits(category, { id })` then
   * decides exactly as on the whole record, so a store may check the records it found without loading them.
   */
  readonly admitsById: boolean;
}

function scopeKey(shape: SearchShape, category: Category): string {
  return `${shape}/${category}`;
}

const SHAPES: readonly SearchShape[] = ['identifier', 'name'];
const scopes = new WeakMap<AuthorizationState, SearchScope>();

/** The search scope of one request: memoized on its authorization state, which lives as long as the request. */
export function searchScope(accord: AuthorizationState): SearchScope {
  let scope = scopes.get(accord);
  if (!scope) {
    scope = buildScope(accord);
    scopes.set(accord, scope);
  }
  return scope;
}

function buildScope(accord: AuthorizationState): SearchScope {
  const matches = new Map<string, SearchMatch>();
  const domestic = accord.requester.country === accord.owner;
  /** Categories every record found through them may be answered by; the others' records are decided one by one. */
  const certain = new Set<Category>();
  /** Categories decided record by record. */
  const perRecord: Category[] = [];
  for (const category of CATEGORIES) {
    if (category === META_REFERENCE) continue; // nothing is indexed under the reference itself
    const decision = accord.decide(category);
    // A decision that withholds for the pair but may release for some records (a joint team's operation)
    // lets entries through the index; `admits` then decides each record found.
    if (decision.effect === 'withhold' && !decision.recordDependent) continue;
    if (decision.effect !== 'withhold' && !decision.recordDependent) certain.add(category);
    else perRecord.push(category);
    for (const shape of SHAPES) {
      matches.set(scopeKey(shape, category), matchFor(shape, decision.effect === 'release', domestic));
    }
  }
  const input = { requester: accord.requester, owner: accord.owner, at: accord.at, grants: accord.grants };
  const admitsById = perRecord.every((category) => accord.policy.recordDecidedById({ ...input, category }));
  const byRecord = (category: Category, record: unknown): boolean =>
    certain.has(category) ||
    (matches.has(scopeKey('identifier', category)) && accord.decide(category, record).effect !== 'withhold');
  return {
    match: (shape, category) => matches.get(scopeKey(shape, category)),
    admits: admitsById ? admitsByGrantSubject(accord, byRecord) : byRecord,
    any: matches.size > 0,
    recordDependent: perRecord.length > 0,
    admitsById,
  };
}

/**
 * `admits` when only a record's id is read: then the only record-level condition is the grant's subjects
 * (evaluateClause.ts `grantFailure`), and it reads the id only to ask whether the grant the request
 * reference names lists it. Every named record is therefore decided alike, and so is every other record
 * (as if no grant were held: the grant fails on it as a missing one would), so each category is decided
 * twice at most per request, once per side, however many records a search finds; the first record of a
 * side is decided in full and stands for the others.
 */
function admitsByGrantSubject(
  accord: AuthorizationState,
  byRecord: (category: Category, record: unknown) => boolean,
): SearchScope['admits'] {
  const reference = accord.requester.requestReference;
  const grant = reference === undefined ? undefined : accord.grants.get(reference);
  const subjects = new Set(grant?.subjects);
  const named = new Map<Category, boolean>();
  const unnamed = new Map<Category, boolean>();
  return (category, record) => {
    if (record === undefined) return byRecord(category, record);
    const id = (record as { id?: unknown } | null | undefined)?.id;
    const side = typeof id === 'string' && subjects.has(id) ? named : unnamed;
    let admitted = side.get(category);
    if (admitted === undefined) {
      admitted = byRecord(category, record);
      side.set(category, admitted);
    }
    return admitted;
  };
}

/**
 * Why identifiers never match by prefix across a border, even when their category is released: a prefix
 * search is an enumeration, not a lookup. With it, an analyst who may see an account number on the
 * records they are entitled to find can still rebuild numbers digit by digit on records they could only
 * learn of by guessing, and ask about numbers they do not hold (Prüm-style exchanges compare whole
 * identifiers for that reason). Only the owner's own police search their identifiers by prefix.
 *
 * Names are different: people search them by words. A released name may match by word prefix ("Gang"
 * finds "Do Gang-min"): the requester may read the name anyway. A hit-only name matches only in full
 * ("do gang min", "dogangmin"): a hit checks a whole value the requester already holds, never part of
 * one. Matching single words would spell a hidden name out word by word ("yoo", then "sang", then
 * "hoon" each finding the same record).
 */
function matchFor(shape: SearchShape, released: boolean, domestic: boolean): SearchMatch {
  if (shape === 'identifier') return domestic ? 'prefix' : 'whole';
  return released ? 'prefix' : 'whole';
}
