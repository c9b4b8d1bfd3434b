/**
 * The owner's share of gateway-grants, without HTTP: what one owner's search costs in CPU with the grant
 * in its book and without, for each owner that approved the follow-up. Per request, as a member serves
 * the ids-only search: a fresh authorization state (the request's decisions), the search scope, the store
 * search, loading the hits and checking each may be seen. The grants are the real ones (bench/grants.ts).
 *
 * CPU time, not wall time: the bench host is shared, and a loaded machine shifts wall-clock figures far
 * more than the small cost measured here (gateway-grants' throughput ratio moves by ±30 % between runs
 * on it). A and B run in interleaved rounds; the figures are medians.
 */
import { MEMBERS } from '../../schema';
import { loadDefaultPolicy, type GrantBook } from '../../policy';
import { searchScope } from '../../subgraphs/kit';
import { AuthorizationState } from '../../subgraphs/kit/authorization/state';
import { openStore, storeFile, type ReferenceStore, type SearchHits } from '../../subgraphs/reference';
import { interleave, median, ratio, type Figure, type Ratio, type Scenario } from '../harness';
import { benchRequester } from '../synthetic';
import { approveFollowUp, closeAll, openBenchGrantStores } from '../grants';
import { TERM } from './gateway-search';
import { GRANT_ID } from './gateway-grants';

const KINDS = [
  ['suspects', 'Suspect'],
  ['compounds', 'Compound'],
  ['cases', 'Case'],
  ['victims', 'Victim'],
] as const satisfies readonly (readonly [keyof SearchHits, string])[];

export const ownerSearchGrants: Scenario = {
  name: 'owner-search-grants',
  description: `"${TERM}" on each owner holding a grant, in process: CPU per search with the grant in the book vs without`,
  timeoutS: 120,
  async run(ctx) {
    const policy = loadDefaultPolicy();
    const requester = { ...benchRequester('KR'), requestReference: GRANT_ID };
    const dataDir = await ctx.tempDir('owner-search-grants');
    const grantStores = openBenchGrantStores(
      MEMBERS.map((member) => member.code),
      dataDir,
    );
    ctx.defer(() => closeAll(grantStores));
    const stores = new Map<string, ReferenceStore>();
    for (const member of MEMBERS) {
      if (member.code === requester.country) continue;
      const store = openStore({ country: member.code, file: storeFile(member.code, dataDir) });
      ctx.defer(() => store.close());
      stores.set(member.code, store);
    }
    const empty: GrantBook = new Map();
    /** One request's search at one owner; returns how many records it answers. */
    const serve = (owner: string, store: ReferenceStore, book: GrantBook): number => {
      const accord = new AuthorizationState(policy, owner, requester, Date.now(), 'query', undefined, book);
      const hits = store.search(TERM, searchScope(accord));
      let answered = 0;
      for (const [list, kind] of KINDS) {
        for (const record of store
          .load(
            kind,
            hits[list].map((hit) => hit.id),
          )
          .values())
          if (accord.canSee(record)) answered += 1;
      }
      return answered;
    };
    // The follow-up about the hits each owner gives without the grant, approved where a treaty needs it.
    const subjects = Object.fromEntries(
      [...stores].map(([owner, store]) => {
        const hits = store.search(
          TERM,
          searchScope(
            new AuthorizationState(policy, owner, requester, Date.now(), 'query', undefined, empty),
          ),
        );
        return [owner, KINDS.flatMap(([list]) => hits[list].map((hit) => hit.id))];
      }),
    );
    const grants = approveFollowUp({ policy, id: GRANT_ID, requester, subjects, stores: grantStores });
    const owners = Object.keys(grants);
    if (owners.length === 0) throw new Error('No owner approved the follow-up: nothing to measure.');

    const searches = ctx.quick ? 200 : 2_000;
    const cpuPerSearch = (owner: string, book: GrantBook) => (): Promise<number> => {
      const store = stores.get(owner)!;
      for (let i = 0; i < searches / 10; i++) serve(owner, store, book); // warm-up
      const start = process.cpuUsage();
      for (let i = 0; i < searches; i++) serve(owner, store, book);
      const used = process.cpuUsage(start);
      return Promise.resolve((used.user + used.system) / searches);
    };
    const figures: Figure[] = [];
    const ratios: Ratio[] = [];
    let totalA = 0;
    let totalB = 0;
    for (const owner of owners) {
      const book: GrantBook = new Map([[GRANT_ID, grants[owner]!]]);
      const store = stores.get(owner)!;
      // The same records either way: the ids-only answer does not change with the grant.
      if (serve(owner, store, book) !== serve(owner, store, empty))
        throw new Error(`${owner} answers a different number of records with the grant.`);
      const results = await interleave(
        { a: cpuPerSearch(owner, book), b: cpuPerSearch(owner, empty) },
        ctx.quick ? 1 : 7,
        ctx.signal,
      );
      const a = median(results['a']!);
      const b = median(results['b']!);
      totalA += a;
      totalB += b;
      figures.push(
        { name: `${owner}: CPU per search, grant in the book`, value: a, unit: 'µs' },
        { name: `${owner}: CPU per search, no grant`, value: b, unit: 'µs' },
      );
      ratios.push(ratio(`${owner}: CPU per search with / without the grant`, a, b));
    }
    figures.push({
      name: 'owners holding a grant: CPU per request with the grant, minus without (sum)',
      value: totalA - totalB,
      unit: 'µs',
    });
    ratios.push(ratio('all owners holding a grant: CPU per search with / without', totalA, totalB));
    return { figures, ratios };
  },
};
