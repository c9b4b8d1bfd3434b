// Search cursors sealed under a member's keys (subgraphs/kit/search/searchPage.ts): every process given
// the same member secret reads the others' cursors (a load balancer may send the next page to another
// process); a process with other keys, or with none, refuses them as it refuses a made-up cursor.
import { randomBytes } from 'node:crypto';
import { cursorKeysFrom, searchPage, type RankedMatch } from '../../subgraphs/kit';
import { ENTITY_INTERFACES, MEMBERS } from '../../schema';

const owner = MEMBERS[0]!.code;
const kind = ENTITY_INTERFACES[0]!;
const list = { owner, kind, term: 'tiger' };
const ranked: RankedMatch[] = Array.from({ length: 7 }, (_, i) => ({
  id: `${owner}-X-${String(i).padStart(6, '0')}`,
  exact: i < 2,
}));

/** Every id of the list, walked two at a time: the first page under `first`, each next one under `next`. */
function walk(first: Parameters<typeof searchPage>[3], next: Parameters<typeof searchPage>[3]): string[] {
  let page = searchPage(ranked, { first: 2 }, list, first);
  const ids = page.entries.map((entry) => entry.id);
  while (page.hasNextPage) {
    page = searchPage(ranked, { first: 2, after: page.entries.at(-1)!.cursor }, list, next);
    ids.push(...page.entries.map((entry) => entry.id));
  }
  return ids;
}

describe("search cursors under a member's keys", () => {
  const secret = randomBytes(32);

  it("are read by every process that derives the member's keys from the same secret", () => {
    // Two processes: each derives its own copy of the keys from the secret they share.
    expect(walk(cursorKeysFrom(secret), cursorKeysFrom(Buffer.from(secret)))).toEqual(
      ranked.map((match) => match.id),
    );
  });

  it('are refused under another secret, or by a process with keys of its own', () => {
    const cursor = searchPage(ranked, { first: 2 }, list, cursorKeysFrom(secret)).entries.at(-1)!.cursor;
    for (const keys of [cursorKeysFrom(randomBytes(32)), undefined]) {
      expect(() => searchPage(ranked, { first: 2, after: cursor }, list, keys)).toThrow(
        new RegExp(`^after: this is not a cursor of ${owner}'s search pages`),
      );
    }
  });

  it('tell nothing of the secret: the same cursor from the same keys, a different one under other keys', () => {
    const first = (keys: ReturnType<typeof cursorKeysFrom>) =>
      searchPage(ranked, { first: 1 }, list, keys).entries[0]!.cursor;
    expect(first(cursorKeysFrom(secret))).toBe(first(cursorKeysFrom(secret)));
    expect(first(cursorKeysFrom(secret))).not.toBe(first(cursorKeysFrom(randomBytes(32))));
    expect(first(cursorKeysFrom(secret))).not.toContain(secret.toString('base64url').slice(0, 8));
  });

  it('need a secret of at least 32 bytes', () => {
    expect(() => cursorKeysFrom(randomBytes(16))).toThrow(/at least 32 bytes/);
  });
});
