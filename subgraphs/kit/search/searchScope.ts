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
 * - `whole`: an identifier only in full (after normalisation); a name only by whole words, in order.
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
  /** Every `shape/category` key (see scopeKey) that matches by prefix, and every one that matches whole. */
  readonly prefixKeys: readonly string[];
  readonly wholeKeys: readonly string[];
}

/** `identifier/financial.accounts`: how a store can name an entry's shape and category in one value. */
export function scopeKey(shape: SearchShape, category: Category): string {
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
  const prefixKeys: string[] = [];
  const wholeKeys: string[] = [];
  const domestic = accord.requester.country === accord.owner;
  for (const category of CATEGORIES) {
    if (category === META_REFERENCE) continue; // nothing is indexed under the reference itself
    const decision = accord.decide(category);
    // A decision that withholds for the pair but may release for some records (a joint team's operation)
    // lets entries through the index; `admits` then decides each record found.
    if (decision.effect === 'withhold' && !decision.recordDependent) continue;
    for (const shape of SHAPES) {
      const match = matchFor(shape, decision.effect === 'release', domestic);
      matches.set(scopeKey(shape, category), match);
      (match === 'prefix' ? prefixKeys : wholeKeys).push(scopeKey(shape, category));
    }
  }
  return {
    match: (shape, category) => matches.get(scopeKey(shape, category)),
    admits: (category, record) => accord.decide(category, record).effect !== 'withhold',
    prefixKeys,
    wholeKeys,
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
 * finds "Do Gang-min"); a hit-only name only by whole words in order ("gang min", "do gang min"), so a
 * hit confirms a name the requester already has and never spells one out.
 */
function matchFor(shape: SearchShape, released: boolean, domestic: boolean): SearchMatch {
  if (shape === 'identifier') return domestic ? 'prefix' : 'whole';
  return released ? 'prefix' : 'whole';
}
