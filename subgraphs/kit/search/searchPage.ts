import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
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
 * would shift. The key, the owner and kind of the list and a fingerprint of the term are sealed
 * (AES-256-GCM) under a key of the owner's, so a cursor is opaque in fact, not only in form: asking
 * for cursors alone gives away no record id that the disclosure record would not show, and no term; and a
 * changed cursor is refused, not read. Even unsealed, a forged cursor could only move where a page starts
 * within what the requester may see. The owner, kind and term are checked so that a cursor given to the
 * wrong list is an error, not a silently wrong page.
 *
 * Whose key: a member's server is given its keys (`cursorKeysFrom` the member's secret in its data folder,
 * subgraphs/reference/run.ts), so every process of the member reads the cursors of the others and a
 * cursor outlives a restart: behind a load balancer the next page may be asked of another process. A
 * server given none (tests, benchmarks) seals under keys of its process, and its cursors last as long as
 * it runs (the refusal says to start the search again).
 */

/**
 * The keys cursors are sealed under, never sent. `seal` encrypts; `nonce` makes the nonce, a MAC of the
 * cursor's content (a synthetic IV): the same place in the same list gives the same cursor every time
 * (stable, as the analyst expects), and two different cursors never share a nonce, which GCM requires.
 */
export interface CursorKeys {
  readonly seal: Buffer;
  readonly nonce: Buffer;
}

/** The keys of this process alone, for a server given none. */
const PROCESS_KEYS: CursorKeys = { seal: randomBytes(32), nonce: randomBytes(32) };

/**
 * The cursor keys of a member, derived (HKDF-SHA256, each under its own label) from a secret all of its
 * processes hold: the same secret gives the same keys in every process, and the keys tell nothing of it.
 */
export function cursorKeysFrom(secret: Buffer): CursorKeys {
  if (secret.length < 32) throw new Error('A member secret for search cursors is at least 32 bytes.');
  const derive = (label: string): Buffer =>
    Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `accord search cursor ${label} v1`, 32));
  return { seal: derive('seal'), nonce: derive('nonce') };
}

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

/**
 * The page of `ranked` (every match the requester may see, best first) that the arguments ask for; its
 * cursors sealed under `keys` (the member's, or this process's when none are given).
 */
export function searchPage(
  ranked: readonly RankedMatch[],
  args: PageArguments,
  list: PageList,
  keys: CursorKeys = PROCESS_KEYS,
): SearchPage {
  const first = args.first ?? SEARCH_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > SEARCH_PAGE_SIZE) {
    throw accordError(
      ERROR_CODES.BAD_USER_INPUT,
      `first must be a whole number from 0 to ${SEARCH_PAGE_SIZE} (a page of matches).`,
      { argument: 'first' },
    );
  }
  let start = 0;
  if (args.after !== undefined && args.after !== null) {
    const key = readCursor(args.after, list, keys);
    // The first match that ranks after the cursor's key: exact matches first, then by id.
    start = ranked.findIndex((match) => after(match, key));
    if (start === -1) start = ranked.length;
  }
  const page = ranked.slice(start, start + first);
  return {
    totalCount: ranked.length,
    hasNextPage: start + page.length < ranked.length,
    entries: page.map((match) => ({ id: match.id, cursor: writeCursor(match, list, keys) })),
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

function writeCursor(match: RankedMatch, list: PageList, keys: CursorKeys): string {
  const plain = Buffer.from(
    JSON.stringify([VERSION, list.owner, list.kind, fingerprint(list.term), match.exact ? 1 : 0, match.id]),
    'utf8',
  );
  const iv = createHmac('sha256', keys.nonce).update(plain).digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', keys.seal, iv);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** The cursor's content, or undefined when it was not sealed under these keys (made up, changed, or old). */
function unseal(cursor: string, keys: CursorKeys): unknown {
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.length <= 28) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.seal, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return JSON.parse(
      Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8'),
    );
  } catch {
    return undefined;
  }
}

function readCursor(cursor: string, list: PageList, keys: CursorKeys): RankedMatch {
  const refuse = (why: string): never => {
    throw accordError(
      ERROR_CODES.BAD_USER_INPUT,
      `after: ${why} Give the endCursor of the page before, from the same search of ${list.owner}.`,
      { argument: 'after' },
    );
  };
  const parsed = unseal(cursor, keys);
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 6 ||
    parsed[0] !== VERSION ||
    (parsed[4] !== 0 && parsed[4] !== 1) ||
    typeof parsed[5] !== 'string'
  ) {
    return refuse(
      `this is not a cursor of ${list.owner}'s search pages (or ${list.owner}'s cursor keys changed since: start the search again).`,
    );
  }
  const [, owner, kind, term, exact, id] = parsed as [number, unknown, unknown, unknown, 0 | 1, string];
  if (owner !== list.owner || kind !== list.kind)
    return refuse(
      `this cursor belongs to another list (page one member's ${list.kind.toLowerCase()} list at a time: countries: ["${list.owner}"]).`,
    );
  if (term !== fingerprint(list.term)) return refuse('this cursor belongs to a search for another term.');
  return { id, exact: exact === 1 };
}
