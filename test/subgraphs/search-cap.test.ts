// The per-kind cap of a search counts only records the requester may be answered. A scope that decides
// record by record (a joint team's operation) must not let hidden matches take the places of visible
// ones: that would drop visible records and say, by the shortfall, how many hidden records match.
import { concreteTypeName, memberSubgraphSdl, readFieldCategories } from '../../schema';
import type { Category } from '../../vocabulary';
import type { SearchScope } from '../../subgraphs/kit';
import {
  openStore,
  SEARCH_LIMIT_PER_KIND,
  type AnyRecord,
  type ReferenceStore,
} from '../../subgraphs/reference';

/** Independent of the index: the words of a value, lower case. */
const words = (value: string): string[] =>
  value
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter(Boolean);

const OWNER = 'KH';
/** The category of suspects' full names in the owner's contract, and the name fields that share it. */
const declared = readFieldCategories(memberSubgraphSdl(OWNER));
const categoryOf = (field: string): string | undefined =>
  declared.get(`${concreteTypeName(OWNER, 'Suspect')}.${field}`);
const NAME_CATEGORY = categoryOf('fullName') as Category;
const ALIASES_TOO = categoryOf('aliases') === NAME_CATEGORY;
const namesOf = (record: AnyRecord & { fullName: string; aliases: readonly string[] }): string[] => [
  record.fullName,
  ...(ALIASES_TOO ? record.aliases : []),
];

/**
 * A requester whose names may be searched by word prefix, and who may be answered only records linked to
 * an operation (as a joint team's members are): the store's contract with any such scope.
 */
function operationScope(category: Category): SearchScope {
  return {
    match: (shape, c) => (shape === 'name' && c === category ? 'prefix' : undefined),
    admits: (c, record) => c === category && (record as AnyRecord).operations.length > 0,
    any: true,
    recordDependent: true,
    admitsById: false,
  };
}

describe('the search cap counts only records the requester may see', () => {
  let store: ReferenceStore;
  beforeAll(() => {
    store = openStore({ country: OWNER, file: ':memory:', size: 12000 });
  });
  afterAll(() => store.close());

  it('fills the cap with visible records however many hidden ones match first', () => {
    const ids = Array.from(
      { length: store.counts.Suspect },
      (_, i) => `${OWNER}-SUS-${String(i + 1).padStart(6, '0')}`,
    );
    const suspects = [...store.load('Suspect', ids).values()];
    // The two-letter word prefix with the most matches: far more than the cap, most of them hidden.
    const matchesOf = (term: string) =>
      suspects.filter((s) => namesOf(s).some((name) => words(name).some((word) => word.startsWith(term))));
    const prefixes = new Map<string, number>();
    for (const s of suspects)
      for (const p of new Set(namesOf(s).flatMap((name) => words(name).map((word) => word.slice(0, 2)))))
        if (p.length === 2) prefixes.set(p, (prefixes.get(p) ?? 0) + 1);
    const term = [...prefixes].sort((a, b) => b[1] - a[1])[0]![0];
    const matches = matchesOf(term);
    const visible = new Set(matches.filter((s) => s.operations.length > 0).map((s) => s.id));
    // Not vacuous: more visible matches than the cap, and hidden ones among the first by id.
    expect(visible.size).toBeGreaterThan(SEARCH_LIMIT_PER_KIND);
    expect(matches.slice(0, SEARCH_LIMIT_PER_KIND).some((s) => !visible.has(s.id))).toBe(true);

    const hits = store.search(term, operationScope(NAME_CATEGORY)).suspects;
    expect(hits.filter((hit) => !visible.has(hit.id))).toEqual([]);
    expect(hits).toHaveLength(SEARCH_LIMIT_PER_KIND);
  });
});
