import { createHash, timingSafeEqual } from 'node:crypto';
import DataLoader from 'dataloader';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { concreteTypeName, parseGlobalId, type EntityInterface } from '../../schema';
import {
  referenceTo,
  searchPage,
  searchScope,
  type PageArguments,
  type SearchScope,
  type SubgraphContext,
} from '../kit';
import type { ReferenceStore, SearchHits, SearchRanking } from './store';
import type {
  CaseRecord,
  CompoundRecord,
  RecordMeta,
  RecordsByKind,
  SuspectRecord,
  VictimRecord,
} from './world';

/**
 * The resolvers of a reference national system, for its own types (`<CC>Suspect`, `<CC>Compound`,
 * `<CC>Case`, `<CC>Victim`, `<CC>Search`), over per-request DataLoaders on the store.
 *
 * - Every record resolved here carries `__typename` (its owner's concrete type).
 * - Reference fields (operators, associates, suspects, compounds, victims, confinedAt, linkedCases) give
 *   the member's own records loaded through the loaders, and `referenceTo(id)` for another member's id:
 *   the owner resolves it (docs/architecture.md, "Cross-border references").
 * - A record that is not found resolves to null (and drops out of lists, whose items are non-null).
 * - With DataLoader, the number of SQL statements for one request grows with the depth of the query,
 *   not with the number of records: one statement per kind per level.
 */

/** A record as resolvers see it: the stored record and its concrete type. */
export type Loaded<K extends EntityInterface> = RecordsByKind[K] & { readonly __typename: string };

/** `context.records` of a reference subgraph: one set per request (a loader caches). */
export interface ReferenceRecords {
  readonly suspects: DataLoader<string, Loaded<'Suspect'> | null>;
  readonly compounds: DataLoader<string, Loaded<'Compound'> | null>;
  readonly cases: DataLoader<string, Loaded<'Case'> | null>;
  readonly victims: DataLoader<string, Loaded<'Victim'> | null>;
  /**
   * Search term → hits per kind, within the requester's scope (subgraphs/kit/search): each distinct term
   * is searched once per request. The scope is the request's, so the loader is too.
   */
  search(scope: SearchScope): DataLoader<string, SearchHits>;
  /** Search term → every match the requester may be answered, per kind, ranked (the pages are cut from it); once per term and request. */
  ranking(scope: SearchScope): DataLoader<string, SearchRanking>;
}

export type ReferenceContext = SubgraphContext<ReferenceRecords>;
export type ReferenceResolverMap = GraphQLResolverMap<ReferenceContext>;

/** What the kit hands `<CC>Search` resolvers: its key fields. */
interface SearchReference {
  readonly __typename?: string;
  readonly term: string;
  readonly country: string;
}

type LoaderName = 'suspects' | 'compounds' | 'cases' | 'victims';
const LOADERS: Readonly<Record<EntityInterface, LoaderName>> = {
  Suspect: 'suspects',
  Compound: 'compounds',
  Case: 'cases',
  Victim: 'victims',
};

/** Fresh loaders over the store; one set per GraphQL request. */
export function createRequestRecords(store: ReferenceStore): ReferenceRecords {
  const searchLoaders = new Map<SearchScope, DataLoader<string, SearchHits>>();
  const rankingLoaders = new Map<SearchScope, DataLoader<string, SearchRanking>>();
  const loader = <K extends EntityInterface>(kind: K): DataLoader<string, Loaded<K> | null> => {
    const typename = concreteTypeName(store.country, kind);
    return new DataLoader<string, Loaded<K> | null>((ids) => {
      const found = store.load(kind, ids);
      return Promise.resolve(
        ids.map((id) => {
          const record = found.get(id);
          return record ? { ...record, __typename: typename } : null;
        }),
      );
    });
  };
  return {
    suspects: loader('Suspect'),
    compounds: loader('Compound'),
    cases: loader('Case'),
    victims: loader('Victim'),
    search: (scope) => {
      let loader = searchLoaders.get(scope);
      if (!loader) {
        loader = new DataLoader<string, SearchHits>((terms) =>
          Promise.resolve(terms.map((term) => store.search(term, scope))),
        );
        searchLoaders.set(scope, loader);
      }
      return loader;
    },
    ranking: (scope) => {
      let loader = rankingLoaders.get(scope);
      if (!loader) {
        loader = new DataLoader<string, SearchRanking>((terms) =>
          Promise.resolve(terms.map((term) => store.rank(term, scope))),
        );
        rankingLoaders.set(scope, loader);
      }
      return loader;
    },
  };
}

type Reference = { readonly __typename: string; readonly id: string };
type Resolved<K extends EntityInterface> = Loaded<K> | Reference;

/**
 * The records or references a list of global ids stands for, in order. Synchronous when every id is
 * another member's (no promise per field when nothing is asynchronous); ids of the wrong kind, of no
 * member, or of own records that do not exist are left out.
 */
function resolveIds<K extends EntityInterface>(
  country: string,
  kind: K,
  ids: readonly string[],
  context: ReferenceContext,
): Resolved<K>[] | Promise<Resolved<K>[]> {
  const own: string[] = [];
  for (const id of ids) if (id.startsWith(`${country}-`)) own.push(id);
  const foreign = (id: string): Reference | null => {
    const parsed = parseGlobalId(id);
    return parsed && parsed.kind === kind ? referenceTo(id) : null;
  };
  if (own.length === 0)
    return ids.map(foreign).filter((reference): reference is Reference => reference !== null);
  const loader = context.records[LOADERS[kind]] as unknown as DataLoader<string, Loaded<K> | null>;
  return loader.loadMany(own).then((loaded) => {
    const byId = new Map<string, Loaded<K>>();
    for (const record of loaded) {
      if (record instanceof Error) throw record;
      if (record) byId.set(record.id, record);
    }
    const out: Resolved<K>[] = [];
    for (const id of ids) {
      const resolved = id.startsWith(`${country}-`) ? byId.get(id) : foreign(id);
      if (resolved) out.push(resolved);
    }
    return out;
  });
}

function resolveId<K extends EntityInterface>(
  country: string,
  kind: K,
  id: string | null,
  context: ReferenceContext,
): Resolved<K> | null | Promise<Resolved<K> | null> {
  if (id === null) return null;
  const resolved = resolveIds(country, kind, [id], context);
  return Array.isArray(resolved) ? (resolved[0] ?? null) : resolved.then((list) => list[0] ?? null);
}

/** Own records of a kind by id, through the loader, in order, missing ones left out. */
async function loadOwn<K extends EntityInterface>(
  kind: K,
  ids: readonly string[],
  context: ReferenceContext,
): Promise<Loaded<K>[]> {
  const loader = context.records[LOADERS[kind]] as unknown as DataLoader<string, Loaded<K> | null>;
  const loaded = await loader.loadMany(ids);
  const out: Loaded<K>[] = [];
  for (const record of loaded) {
    if (record instanceof Error) throw record;
    if (record) out.push(record);
  }
  return out;
}

/**
 * Whether a template hash equals the one on file, compared in constant time (over fixed-length digests,
 * so neither content nor length leaks through timing). Biometrics are only ever answered as match / no
 * match (docs/domain.md#invariants 1); no template on file is no match.
 */
export function templateMatches(onFile: string | null, given: string): boolean {
  if (!onFile) return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(onFile), digest(given));
}

/** A resolver for a national-only field stored in `record.national` (see world/types.ts NationalFields). */
export function nationalField(name: string): (record: RecordMeta) => string | null {
  return (record) => record.national[name] ?? null;
}

/** The resolvers every reference member serves for its own types. */
export function referenceResolvers(country: string): ReferenceResolverMap {
  const type = (kind: EntityInterface | 'Search'): string => concreteTypeName(country, kind);
  const own = (id: string): boolean => id.startsWith(`${country}-`);
  // A reference for a record of another member, or of another kind, is not ours to answer: null.
  const byReference =
    <K extends EntityInterface>(kind: K) =>
    (reference: { id: string }, context: ReferenceContext): Promise<Loaded<K> | null> | null => {
      if (!own(reference.id) || parseGlobalId(reference.id)?.kind !== kind) return null;
      return (context.records[LOADERS[kind]] as unknown as DataLoader<string, Loaded<K> | null>).load(
        reference.id,
      );
    };

  return {
    [type('Suspect')]: {
      __resolveReference: byReference('Suspect'),
      biometricMatch: (suspect: SuspectRecord, args: { templateHash: string }) =>
        templateMatches(suspect.biometricTemplateHash, args.templateHash),
      associates: (suspect: SuspectRecord, _args: unknown, context: ReferenceContext) =>
        resolveIds(country, 'Suspect', suspect.associates, context),
      linkedCases: (suspect: SuspectRecord, _args: unknown, context: ReferenceContext) =>
        resolveIds(country, 'Case', suspect.linkedCases, context),
    },
    [type('Compound')]: {
      __resolveReference: byReference('Compound'),
      operators: (compound: CompoundRecord, _args: unknown, context: ReferenceContext) =>
        resolveIds(country, 'Suspect', compound.operators, context),
      linkedCases: (compound: CompoundRecord, _args: unknown, context: ReferenceContext) =>
        resolveIds(country, 'Case', compound.linkedCases, context),
    },
    [type('Case')]: {
      __resolveReference: byReference('Case'),
      suspects: (c: CaseRecord, _args: unknown, context: ReferenceContext) =>
        resolveIds(country, 'Suspect', c.suspects, context),
      compounds: (c: CaseRecord, _args: unknown, context: ReferenceContext) =>
        resolveIds(country, 'Compound', c.compounds, context),
      victims: (c: CaseRecord, _args: unknown, context: ReferenceContext) =>
        resolveIds(country, 'Victim', c.victims, context),
    },
    [type('Victim')]: {
      __resolveReference: byReference('Victim'),
      confinedAt: (victim: VictimRecord, _args: unknown, context: ReferenceContext) =>
        resolveId(country, 'Compound', victim.confinedAt, context),
      linkedCases: (victim: VictimRecord, _args: unknown, context: ReferenceContext) =>
        resolveIds(country, 'Case', victim.linkedCases, context),
    },
    [type('Search')]: {
      // The hub asks each member for `{ term, country }`; a search keyed to another country is not ours.
      __resolveReference: (reference: SearchReference) =>
        reference.country === country ? { __typename: type('Search'), term: reference.term, country } : null,
      suspects: (search: SearchReference, _args: unknown, context: ReferenceContext) =>
        searchKind('Suspect', 'suspects', search, context),
      compounds: (search: SearchReference, _args: unknown, context: ReferenceContext) =>
        searchKind('Compound', 'compounds', search, context),
      cases: (search: SearchReference, _args: unknown, context: ReferenceContext) =>
        searchKind('Case', 'cases', search, context),
      victims: (search: SearchReference, _args: unknown, context: ReferenceContext) =>
        searchKind('Victim', 'victims', search, context),
      suspectsConnection: (search: SearchReference, args: PageArguments, context: ReferenceContext) =>
        searchConnection('Suspect', 'suspects', search, args, context),
      compoundsConnection: (search: SearchReference, args: PageArguments, context: ReferenceContext) =>
        searchConnection('Compound', 'compounds', search, args, context),
      casesConnection: (search: SearchReference, args: PageArguments, context: ReferenceContext) =>
        searchConnection('Case', 'cases', search, args, context),
      victimsConnection: (search: SearchReference, args: PageArguments, context: ReferenceContext) =>
        searchConnection('Victim', 'victims', search, args, context),
    },
  };
}

/**
 * The owner's records of a kind that a search finds for this requester. The index matched only entries
 * whose category the requester's decision for the pair lets through (the scope), and the store answered
 * only records the decision for one of the categories they were found by gives at least a hit for
 * (record-level conditions: a joint team's operation, a source grade), before its cap, so that hidden
 * records never take a visible one's place (store.ts `search`).
 */
async function searchKind<K extends EntityInterface>(
  kind: K,
  field: keyof SearchHits,
  search: SearchReference,
  context: ReferenceContext,
): Promise<Loaded<K>[]> {
  const hits = await context.records.search(searchScope(context.accord)).load(search.term);
  return loadOwn(
    kind,
    hits[field].map((hit) => hit.id),
    context,
  );
}

/**
 * A page of the owner's records of a kind that a search finds for this requester: cut from the whole
 * ranking of what the requester may be answered (the same order as the list, without its cap), so the
 * count and the cursors cover exactly what the pages list (subgraphs/kit/search/searchPage.ts).
 */
async function searchConnection<K extends EntityInterface>(
  kind: K,
  field: keyof SearchRanking,
  search: SearchReference,
  args: PageArguments,
  context: ReferenceContext,
) {
  const ranking = await context.records.ranking(searchScope(context.accord)).load(search.term);
  const page = searchPage(
    ranking[field],
    args,
    { owner: search.country, kind, term: search.term },
    context.cursorKeys,
  );
  const records = new Map(
    (
      await loadOwn(
        kind,
        page.entries.map((entry) => entry.id),
        context,
      )
    ).map((record) => [record.id, record]),
  );
  const edges = page.entries.flatMap((entry) => {
    const node = records.get(entry.id);
    return node ? [{ cursor: entry.cursor, node }] : [];
  });
  return {
    totalCount: page.totalCount,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.entries.at(-1)?.cursor ?? null },
    edges,
    nodes: edges.map((edge) => edge.node),
  };
}
