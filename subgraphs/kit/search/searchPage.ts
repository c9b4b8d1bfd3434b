import { createHash } from 'node:crypto';
import { ERROR_CODES, SEARCH_PAGE_SIZE, accordError, type EntityInterface } from '../../../schema';
import { normalizeSearchText } from './searchText';

/**
 * One page of a member's search matches of one kind (a Relay connection, schema/searchPages.ts), cut from
 * the whole ranking of what the requester may see.
 *
 * Why the ranking holds only what the requester may see, and the count is its length: a count of every
 * match would tell a requester how many records it may not know of match its term (neither confirm nor
 * deny), and a page cut from a list holding hidden records would show the gaps. So the owner ranks only
 * the matches its decisions admit (the index's scope, then the record-level check), exactly those it would
 * list, and counts those: `totalCount` is how many pages of that same list the analyst can walk, nothing
 * more.
 *
 * Why a cursor is the last match's rank key (whether it matched exactly, and its id) and not a position:
 * the ranking orders by exact match first, then by id, so the key says where the next page starts even if
 * the matches change in between (no duplicate, no gap, however the analyst paces the walk); a position
 * would shift. It is opaque (base64url) and carries nothing the analyst has not seen: the id of a record
 * on the page it ends, whether that record matched its term exactly (a match by prefix is only allowed on
 * values the requester may read), the owner and kind of the list, and a fingerprint of the term. A forged
 * cursor only moves where a page starts within what the requester may see: it cannot reach a hidden record.
 * The owner, kind and term are checked so that a cursor given to the wrong list is an error, not a
 * silently wrong page.
 */

/** A match in rank order: the record's id and whether a value of it equals the term (it ranks first). */
export interface RankedMatch {
  readonly id: string;
  readonly exact: boolean;
}

export interface PageArguments {
  readonly first?: number | null;
  readonly after?: string | null;
}

/** Which list a cursor belongs to. */
export interface PageList {
  readonly owner: string;
  readonly kind: EntityInterface;
  readonly term: string;
}

export interface SearchPage {
  readonly totalCount: number;
  readonly hasNextPage: boolean;
  /** The page's matches in order, each with its cursor. */
  readonly entries: readonly { readonly id: string; readonly cursor: string }[];
}

const VERSION = 1;

/** The page of `ranked` (every match the requester may see, best first) that the arguments ask for. */
export function searchPage(ranked: readonly RankedMatch[], args: PageArguments, list: PageList): SearchPage {
  const first = args.first ?? SEARCH_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > SEARCH_PAGE_SIZE) {
    throw accordError(ERROR_CODES.BAD_USER_INPUT, `first must be a whole number from 0 to ${SEARCH_PAGE_SIZE} (a page of matches).`, { argument: 'first' });
  }
  let start = 0;
  if (args.after !== undefined && args.after !== null) {
    const key = readCursor(args.after, list);
    // The first match that ranks after the cursor's key: exact matches first, then by id.
    start = ranked.findIndex((match) => after(match, key));
    if (start === -1) start = ranked.length;
  }
  const page = ranked.slice(start, start + first);
  return {
    totalCount: ranked.length,
    hasNextPage: start + page.length < ranked.length,
    entries: page.map((match) => ({ id: match.id, cursor: writeCursor(match, list) })),
  };
}

/** Whether `match` ranks after the key `key` (exact before not, then ids in ascending order). */
function after(match: RankedMatch, key: RankedMatch): boolean {
  if (match.exact !== key.exact) return key.exact;
  return match.id > key.id;
}

function fingerprint(term: string): string {
  return createHash('sha256').update(normalizeSearchText(term), 'utf8').digest('base64url').slice(0, 12);
}

function writeCursor(match: RankedMatch, list: PageList): string {
  return Buffer.from(JSON.stringify([VERSION, list.owner, list.kind, fingerprint(list.term), match.exact ? 1 : 0, match.id]), 'utf8').toString('base64url');
}

function readCursor(cursor: string, list: PageList): RankedMatch {
  const refuse = (why: string): never => {
    throw accordError(ERROR_CODES.BAD_USER_INPUT, `after: ${why} Give the endCursor of the page before, from the same search of ${list.owner}.`, { argument: 'after' });
  };
  let parsed: unknown;
  try {
    parsed = cursor.length <= 512 && /^[A-Za-z0-9_-]+$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 6 || parsed[0] !== VERSION || (parsed[4] !== 0 && parsed[4] !== 1) || typeof parsed[5] !== 'string') {
    return refuse('this is not a cursor of a search page.');
  }
  const [, owner, kind, term, exact, id] = parsed as [number, unknown, unknown, unknown, 0 | 1, string];
  if (owner !== list.owner || kind !== list.kind) return refuse(`this cursor belongs to another list (page one member's ${list.kind.toLowerCase()} list at a time: countries: ["${list.owner}"]).`);
  if (term !== fingerprint(list.term)) return refuse('this cursor belongs to a search for another term.');
  return { id, exact: exact === 1 };
}
