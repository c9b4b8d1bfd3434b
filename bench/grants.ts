/**
 * Real grants for benchmarks: a request reference opens data only through a grant the owner holds, signed
 * with the owner's key (docs/decisions/0014-grants-as-the-request-reference.md). A benchmark that sends
 * `Accord-Request-Ref` must therefore name a grant its members hold, or it times the refusal path.
 *
 * The path is the product's: the analyst's search gives hits (record ids, the data held back), each owner's
 * desk approves the formal request about those records under its treaty (checked by `checkApproval`, as
 * `npm run desk -- approve` does), and the approval is signed into the owner's grant store, a SQLite file
 * as `npm start` keeps it. The members read the store on each request, so grants issued after they
 * started are in play on the next request.
 */
import {
  deskFile,
  ensureGrantKey,
  grantKeyFile,
  openGrantStore,
  checkApproval,
  type GrantStore,
} from '../subgraphs/desk';
import type { Grant, Policy, RequestContext } from '../policy';
import type { GraphQLClient } from './harness';

const DAY_MS = 86_400_000;

/** One grant store per member code, on disk in `dir` (`<cc>-desk.sqlite`, keys under `desk/`). */
export function openBenchGrantStores(codes: readonly string[], dir: string): Record<string, GrantStore> {
  const stores: Record<string, GrantStore> = {};
  try {
    for (const code of codes) {
      stores[code] = openGrantStore({
        owner: code,
        file: deskFile(code, dir),
        key: ensureGrantKey(grantKeyFile(code, dir)),
      });
    }
  } catch (error) {
    closeAll(stores);
    throw error;
  }
  return stores;
}

export function closeAll(stores: Readonly<Record<string, GrantStore>>): void {
  for (const store of Object.values(stores)) store.close();
}

/**
 * An answer whose errors are all refusals of the follow-up kind (the owner gives a hit and says a formal
 * request would open more), or undefined when it is one; otherwise what is wrong. Read from the text, not
 * parsed, so that a load checks every answer at little cost to the client.
 */
export function onlyFollowUpRefusals(text: string): string | undefined {
  const codes = [...text.matchAll(/"code":"([A-Z_]+)"/g)].map((match) => match[1]);
  if (codes.length === 0) return 'no refusal where the follow-up kind was expected';
  const other = codes.find((code) => code !== 'FOLLOW_UP_REQUIRED');
  return other === undefined ? undefined : `an error ${other}`;
}

/** Posts and parses, keeping an answer whose errors are follow-up refusals (GraphQLClient.post throws on any). */
export async function postAllowingFollowUps(
  client: GraphQLClient,
  body: { query: string; variables?: Record<string, unknown> },
  headers: Readonly<Record<string, string>>,
): Promise<unknown> {
  let answer: unknown;
  await client.sender(body, headers, (text) => {
    answer = JSON.parse(text);
    return text.includes('"errors"') ? onlyFollowUpRefusals(text) : undefined;
  })();
  return answer;
}

/**
 * The records a search answer names, by owner: `{ data: { search: [{ country, suspects: [{ id }], … }] } }`.
 * Ids are what a hit gives (they cross even when the details do not).
 */
export function hitsOf(answer: unknown): Record<string, string[]> {
  const hits: Record<string, string[]> = {};
  const search = (answer as { data?: { search?: unknown } }).data?.search;
  if (!Array.isArray(search)) throw new Error('The answer holds no search results.');
  for (const result of search as { country?: unknown; [list: string]: unknown }[]) {
    if (typeof result.country !== 'string') continue;
    for (const list of Object.values(result)) {
      if (!Array.isArray(list)) continue;
      for (const record of list as { id?: unknown }[]) {
        if (typeof record?.id === 'string') (hits[result.country] ??= []).push(record.id);
      }
    }
  }
  return hits;
}

export interface FollowUpApproval {
  readonly policy: Policy;
  /** Grant id: what the analyst then sends as `Accord-Request-Ref`. */
  readonly id: string;
  /** The analyst who asks (country, analyst, purpose and case are what the grant names). */
  readonly requester: RequestContext;
  /** Record ids by owner (`hitsOf`); owners other than the requester's country are asked. */
  readonly subjects: Readonly<Record<string, readonly string[]>>;
  /** Each owner's grant store: where the approval is signed and kept. */
  readonly stores: Readonly<Record<string, GrantStore>>;
  /** The approval's instant (default now); the grant runs from a day before to 30 days after. */
  readonly at?: number;
}

/**
 * Approves, at each owner with a treaty clause that needs a formal request for this flow and purpose,
 * the request about the owner's `subjects`, for every category those clauses name (the desk grants what
 * the treaty allows: the benchmark measures the check, not the desk's judgment). Owners without such a
 * clause (a police MOU, no treaty) are asked nothing: they still read their store on every request.
 * Returns the grants issued, by owner.
 */
export function approveFollowUp(options: FollowUpApproval): Record<string, Grant> {
  const { policy, requester } = options;
  const at = options.at ?? Date.now();
  if (requester.caseReference === undefined || requester.purpose === undefined)
    throw new Error('A formal request names a case and a purpose.');
  const issued: Record<string, Grant> = {};
  for (const [owner, subjects] of Object.entries(options.subjects)) {
    if (owner === requester.country || subjects.length === 0) continue;
    const basis = requestClauses(policy, owner, requester.country, requester.purpose);
    if (basis === undefined) continue;
    const store = options.stores[owner];
    if (store === undefined) throw new Error(`No grant store for ${owner}.`);
    const checked = checkApproval(policy, {
      id: options.id,
      owner,
      requesterCountry: requester.country,
      analysts: [requester.analyst],
      caseReference: requester.caseReference,
      purpose: requester.purpose,
      agreement: basis.agreement,
      clauses: basis.clauses,
      subjects: [...new Set(subjects)],
      categories: basis.categories,
      validFrom: at - DAY_MS,
      validDays: 31,
      evidentiaryUse: true,
      approvers: [`${owner}/bench.desk.officer`],
    });
    if (!checked.ok) throw new Error(`${owner}'s desk refused the approval: ${checked.problems.join('; ')}`);
    issued[owner] = store.issue(checked.grant, [`${owner}/bench.desk.officer`]);
  }
  return issued;
}

/**
 * The first agreement (in the set's order) between `owner` and `requester` with clauses that need a formal
 * request, let the owner's data go to the requester and cover the purpose: those clauses and the
 * categories they name. A formal request invokes one treaty.
 */
function requestClauses(
  policy: Policy,
  owner: string,
  requester: string,
  purpose: string,
): { agreement: string; clauses: string[]; categories: string[] } | undefined {
  for (const agreement of policy.set.agreements) {
    if (!agreement.parties.includes(owner) || !agreement.parties.includes(requester)) continue;
    const clauses = agreement.clauses.filter((clause) => {
      const { from, to } =
        clause.direction === 'both' ? { from: agreement.parties, to: agreement.parties } : clause.direction;
      return (
        clause.conditions.requestReference === true &&
        from.includes(owner) &&
        to.includes(requester) &&
        (clause.purposes as readonly string[]).includes(purpose)
      );
    });
    if (clauses.length === 0) continue;
    return {
      agreement: agreement.id,
      clauses: clauses.map((clause) => clause.id),
      categories: [...new Set(clauses.flatMap((clause) => Object.keys(clause.categories)))],
    };
  }
  return undefined;
}

/**
 * `approveFollowUp` into the stores kept in `dir` by members running elsewhere (another process reads the
 * same SQLite files): opened for the approval, closed after it.
 */
export function approveFollowUpIn(
  dir: string,
  options: Omit<FollowUpApproval, 'stores'>,
): Record<string, Grant> {
  const stores = openBenchGrantStores(Object.keys(options.subjects), dir);
  try {
    return approveFollowUp({ ...options, stores });
  } finally {
    closeAll(stores);
  }
}
