// A grant in the owner's book makes the owner decide a search's hits record by record (the grant covers
// named subjects). When nothing but the record's id can change the decision, the owner takes two short
// cuts: the store checks hits by id without loading them, and the search scope decides each category
// once for the records the grant names and once for the others. Both must admit exactly what deciding
// every loaded record in full admits: the oracle here calls the policy with each whole record.
import { MEMBERS, formatGlobalId } from '../../schema';
import { CATEGORIES, META_REFERENCE, type Category } from '../../vocabulary';
import { loadDefaultPolicy, type Grant, type GrantBook, type RequestContext } from '../../policy';
import { searchScope } from '../../subgraphs/kit';
import { AuthorizationState } from '../../subgraphs/kit/authorization/state';
import { DEMO_SEARCH_TERMS, openStore, type AnyRecord, type ReferenceStore } from '../../subgraphs/reference';

const policy = loadDefaultPolicy();
const AT = Date.now();
const HOUR_MS = 3_600_000;
const GRANT_ID = 'MLA-TEST-BY-ID-1';
const SEARCHABLE = CATEGORIES.filter((category) => category !== META_REFERENCE);

interface Route {
  readonly owner: string;
  readonly requester: RequestContext;
  readonly agreement: string;
  readonly clauses: string[];
  readonly categories: Category[];
}

/** Every (owner, requesting member) pair with a treaty clause that needs a formal request, from the agreements. */
function requestRoutes(): Route[] {
  const routes: Route[] = [];
  for (const owner of MEMBERS.map((member) => member.code)) {
    for (const asker of MEMBERS.map((member) => member.code)) {
      if (asker === owner) continue;
      for (const agreement of policy.set.agreements) {
        if (!agreement.parties.includes(owner) || !agreement.parties.includes(asker)) continue;
        const clauses = agreement.clauses.filter((clause) => {
          const { from, to } =
            clause.direction === 'both'
              ? { from: agreement.parties, to: agreement.parties }
              : clause.direction;
          return clause.conditions.requestReference === true && from.includes(owner) && to.includes(asker);
        });
        const purpose = clauses[0]?.purposes[0];
        if (purpose === undefined) continue;
        const covering = clauses.filter((clause) => (clause.purposes as readonly string[]).includes(purpose));
        routes.push({
          owner,
          requester: {
            country: asker,
            analyst: 'test.analyst',
            roles: ['analyst'],
            purpose,
            caseReference: 'TEST-CASE-1',
            requestReference: GRANT_ID,
          },
          agreement: agreement.id,
          clauses: covering.map((clause) => clause.id),
          categories: [
            ...new Set(covering.flatMap((clause) => Object.keys(clause.categories))),
          ] as Category[],
        });
        break;
      }
    }
  }
  return routes;
}

function grantOf(route: Route, subjects: readonly string[]): GrantBook {
  const grant: Grant = {
    id: GRANT_ID,
    owner: route.owner,
    requesterCountry: route.requester.country,
    analysts: [route.requester.analyst],
    caseReference: route.requester.caseReference!,
    purpose: route.requester.purpose!,
    agreement: route.agreement,
    clauses: route.clauses,
    subjects,
    categories: route.categories,
    validFrom: AT - HOUR_MS,
    validUntil: AT + 24 * HOUR_MS,
    evidentiaryUse: true,
  };
  return new Map([[GRANT_ID, grant]]);
}

/** The policy's decision on the whole record: its id, operations and source grade. */
function effectOn(route: Route, category: Category, record: AnyRecord, grants: GrantBook): string {
  const { id, operations, sourceGrade } = record as AnyRecord & {
    operations?: string[];
    sourceGrade?: string;
  };
  return policy.decide({
    requester: route.requester,
    owner: route.owner,
    category,
    at: AT,
    grants,
    record: { id, ...(operations && { operations }), ...(sourceGrade && { sourceGrade }) },
  }).effect;
}

const ROUTES = requestRoutes();
const SAMPLE = 40;

describe('a search with a grant in the book decides hits by id exactly as on the whole record', () => {
  it('the agreements hold at least one route that needs a formal request', () => {
    expect(ROUTES.length).toBeGreaterThan(0);
  });

  describe.each(ROUTES.map((route) => [`${route.requester.country} asking ${route.owner}`, route] as const))(
    '%s',
    (_name, route) => {
      let store: ReferenceStore;
      let statements: string[];
      beforeAll(() => {
        statements = [];
        store = openStore({
          country: route.owner,
          file: ':memory:',
          onStatement: (sql) => statements.push(sql),
        });
      });
      afterAll(() => store.close());

      it('admits a record through a category as the decision on the whole record does; named records get what the grant opens, others what they get without it', () => {
        const ids = Array.from({ length: Math.min(SAMPLE, store.counts.Suspect) }, (_, i) =>
          formatGlobalId(route.owner, 'Suspect', i + 1),
        );
        const records = store.load('Suspect', ids);
        expect(records.size).toBe(ids.length);
        const named = ids.filter((_, i) => i % 2 === 0);
        const book = grantOf(route, named);
        const scope = searchScope(
          new AuthorizationState(policy, route.owner, route.requester, AT, 'query', undefined, book),
        );
        // A requester who names no joint team: only the grant's subjects are read.
        expect(scope.admitsById).toBe(true);
        let opened = 0;
        for (const id of ids) {
          const record = records.get(id)!;
          for (const category of SEARCHABLE) {
            const withGrant = effectOn(route, category, record, book);
            const expected = scope.match('identifier', category) !== undefined && withGrant !== 'withhold';
            expect([id, category, scope.admits(category, { id })]).toEqual([id, category, expected]);
            expect([id, category, scope.admits(category, record)]).toEqual([id, category, expected]);
            const without = effectOn(route, category, record, new Map());
            if (named.includes(id)) {
              if (withGrant !== without) opened++;
            } else {
              expect([id, category, withGrant]).toEqual([id, category, without]);
            }
          }
        }
        // Not vacuous: the grant opens something on the records it names.
        expect(opened).toBeGreaterThan(0);
      });

      it('answers a search with the grant without loading its hits, and the same hits as checking each loaded record', () => {
        const probe = searchScope(
          new AuthorizationState(
            policy,
            route.owner,
            { ...route.requester, requestReference: undefined },
            AT,
          ),
        );
        const found = store.search(DEMO_SEARCH_TERMS.sharedAlias, probe);
        const subjects = [...found.suspects, ...found.compounds, ...found.cases, ...found.victims].map(
          (hit) => hit.id,
        );
        const book = grantOf(route, subjects.slice(0, Math.ceil(subjects.length / 2)));
        const scope = searchScope(
          new AuthorizationState(policy, route.owner, route.requester, AT, 'query', undefined, book),
        );
        expect(subjects.length).toBeGreaterThan(0);
        expect(scope.recordDependent).toBe(true);
        statements.length = 0;
        const hits = store.search(DEMO_SEARCH_TERMS.sharedAlias, scope);
        expect(statements.filter((sql) => /SELECT id, data FROM/.test(sql))).toEqual([]);
        // The same search through the loading path, deciding each loaded record with the policy.
        const loading = {
          ...scope,
          admitsById: false,
          admits: (category: Category, record: unknown) =>
            scope.match('identifier', category) !== undefined &&
            effectOn(route, category, record as AnyRecord, book) !== 'withhold',
        };
        expect(hits).toEqual(store.search(DEMO_SEARCH_TERMS.sharedAlias, loading));
        expect(hits.suspects.length).toBeGreaterThan(0);
      });
    },
  );
});
