/**
 * What deciding search by category costs an owner (goal ≤ 1.1×): one foreign analyst's search as KR's
 * reference system answers it — the request's search scope (one decision per category), the one filtered
 * statement, loading the hits and the per-record check — against the search before category filtering:
 * the statement that matched every entry by prefix, on the same database, and loading its hits. Terms
 * mix names, words, prefixes and whole identifiers. In process, no HTTP: the figure is the filter's own,
 * undiluted. Variants alternate in interleaved rounds; ratios are filtered / unfiltered.
 */
import Database from 'better-sqlite3';
import { loadDefaultPolicy, type RequestContext } from '../../policy';
import type { EntityInterface } from '../../schema';
import { searchScope } from '../../subgraphs/kit';
import { AuthorizationState } from '../../subgraphs/kit/authorization/state';
import {
  DEMO_SEARCH_TERMS,
  normalizeSearchText,
  openStore,
  storeFile,
  SEARCH_LIMIT_PER_KIND,
  type ReferenceStore,
} from '../../subgraphs/reference';
import { interleave, median, ratio, type Figure, type Ratio, type Scenario } from '../harness';

/** About 1,000 suspects in KR's share. */
const WORLD_SIZE = 3_200;
const OWNER = 'KR';
const GOAL = { max: 1.1 };
const TERMS = [
  DEMO_SEARCH_TERMS.sharedAlias,
  'kim',
  'Do Gang-min',
  'min',
  'ng',
  '110555',
  DEMO_SEARCH_TERMS.phone,
  DEMO_SEARCH_TERMS.account,
  DEMO_SEARCH_TERMS.passport,
  'KR-2025-0001',
  DEMO_SEARCH_TERMS.compoundName,
];
/**
 * A TH analyst (a released identity, nothing else), a PH one (identity, contact and victims released),
 * and a KH member of the KR–KH joint team, whose decisions depend on each record's operation: the
 * statement then also collects the categories each hit was found by, and each record is checked.
 */
const REQUESTERS: Readonly<Record<string, RequestContext>> = {
  TH: {
    country: 'TH',
    analyst: 'somchai.p',
    roles: ['analyst'],
    purpose: 'investigation',
    caseReference: 'TH-CAS-000001',
  },
  PH: {
    country: 'PH',
    analyst: 'santos.m',
    roles: ['analyst'],
    purpose: 'investigation',
    caseReference: 'PH-CAS-000001',
  },
  'KH joint-team': {
    country: 'KH',
    analyst: 'sok.r',
    roles: ['analyst'],
    purpose: 'investigation',
    caseReference: 'KH-CAS-000001',
    jointTeam: 'JTF-KR-KH-2025',
  },
};
const LISTS: readonly [EntityInterface, 'suspects' | 'compounds' | 'cases' | 'victims', string][] = [
  ['Suspect', 'suspects', 'SUS'],
  ['Compound', 'compounds', 'CMP'],
  ['Case', 'cases', 'CAS'],
  ['Victim', 'victims', 'VIC'],
];

/** The search statement before category filtering, word for word: every entry matched by prefix. */
const UNFILTERED = `
  WITH hits AS (
    SELECT kind, id, term = :exact OR term = :compact AS exact FROM search_terms WHERE term >= :exact AND term < :exactEnd
    UNION ALL
    SELECT kind, id, term = :exact OR term = :compact AS exact FROM search_terms WHERE term >= :compact AND term < :compactEnd
  ),
  best AS (SELECT kind, id, MAX(exact) AS exact FROM hits GROUP BY kind, id),
  ranked AS (SELECT kind, id, row_number() OVER (PARTITION BY kind ORDER BY exact DESC, id) AS position FROM best)
  SELECT kind, id FROM ranked WHERE position <= :limit ORDER BY kind, position`;

export const searchFilter: Scenario = {
  name: 'search-filter',
  description:
    "a foreign analyst's search on KR's store: filtered by category vs the unfiltered prefix search (goal ≤ 1.1×)",
  timeoutS: 120,
  async run(ctx) {
    const policy = loadDefaultPolicy();
    const at = Date.UTC(2026, 5, 15);
    const file = storeFile(OWNER, await ctx.tempDir('search-filter'));
    const store = openStore({ country: OWNER, file, size: WORLD_SIZE });
    ctx.defer(() => store.close());
    // Today's search, on the same file (read only), as it ran before category filtering.
    const db = new Database(file, { readonly: true });
    ctx.defer(() => db.close());
    const unfilteredStatement = db.prepare<[Record<string, unknown>], { kind: string; id: string }>(
      UNFILTERED,
    );
    const END = '\u{10FFFF}';

    /** Today: the statement, then the hits loaded (the resolvers load what they list). */
    const unfiltered = (term: string): number => {
      const exact = normalizeSearchText(term);
      const compact = exact.replace(/ /g, '');
      if (compact.length < 2) return 0;
      const rows = unfilteredStatement.all({
        exact,
        exactEnd: exact + END,
        compact,
        compactEnd: compact + END,
        limit: SEARCH_LIMIT_PER_KIND,
      });
      let answered = 0;
      for (const [kind, , code] of LISTS)
        answered += store.load(
          kind,
          rows.filter((row) => row.kind === code).map((row) => row.id),
        ).size;
      return answered;
    };
    /** Now: one request's scope, the filtered statement, the hits loaded, each checked for its record. */
    const filtered = (requester: RequestContext, terms: readonly string[], into: ReferenceStore): number => {
      const accord = new AuthorizationState(policy, OWNER, requester, at);
      const scope = searchScope(accord);
      let answered = 0;
      for (const term of terms) {
        const hits = into.search(term, scope);
        for (const [kind, list] of LISTS) {
          const byId = new Map(hits[list].map((hit) => [hit.id, hit]));
          for (const record of into.load(kind, [...byId.keys()]).values()) {
            if (
              !scope.recordDependent ||
              (byId.get(record.id)!.categories?.some((category) => scope.admits(category, record)) ?? false)
            )
              answered++;
          }
        }
      }
      return answered;
    };

    // A fast wrong answer is no result: the filter must find less than the unfiltered search, and something.
    for (const [name, requester] of Object.entries(REQUESTERS)) {
      const now = filtered(requester, TERMS, store);
      const before = TERMS.reduce((sum, term) => sum + unfiltered(term), 0);
      ctx.log(`${name}: ${now} records answered with filtering, ${before} without`);
      if (!(now > 0 && now < before))
        throw new Error(
          `search-filter: ${name} answered ${now} records filtered against ${before} unfiltered; expected fewer, and some.`,
        );
    }

    const perRound = ctx.quick ? 20 : 150;
    const rounds = ctx.quick ? 3 : 9;
    const time = (search: () => number) => (): Promise<number> => {
      let sink = 0;
      const start = process.hrtime.bigint();
      for (let i = 0; i < perRound; i++) sink += search();
      const ms = Number(process.hrtime.bigint() - start) / 1e6 / (perRound * TERMS.length);
      return Promise.resolve(sink < 0 ? -1 : ms);
    };
    const variants: Record<string, () => Promise<number>> = {
      unfiltered: time(() => TERMS.reduce((sum, term) => sum + unfiltered(term), 0)),
    };
    for (const [name, requester] of Object.entries(REQUESTERS))
      variants[name] = time(() => filtered(requester, TERMS, store));
    const results = await interleave(variants, rounds, ctx.signal);

    const base = median(results['unfiltered']!);
    const figures: Figure[] = [{ name: 'unfiltered search (before): ms per term', value: base, unit: 'ms' }];
    const ratios: Ratio[] = [];
    for (const name of Object.keys(REQUESTERS)) {
      const value = median(results[name]!);
      figures.push({ name: `${name} analyst, filtered by category: ms per term`, value, unit: 'ms' });
      ratios.push(ratio(`${name} analyst: filtered / unfiltered, per term`, value, base, GOAL));
    }
    return { figures, ratios };
  },
};
