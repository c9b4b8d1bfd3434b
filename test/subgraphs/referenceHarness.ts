import { execute, parse, type ExecutionResult } from 'graphql';
import { loadDefaultPolicy, type Policy, type RequestContext } from '../../policy';
import { SearchBudget, buildNationalSchema, type NationalSystem } from '../../subgraphs/kit';
// The kit builds this per HTTP request from the gateway's headers; executing the schema directly needs one.
import { AuthorizationState } from '../../subgraphs/kit/authorization/state';
import {
  openStore,
  type OpenStoreOptions,
  type ReferenceRecords,
  type ReferenceStore,
} from '../../subgraphs/reference';
import { MEMBER_MODULES, type MemberModule } from '../support/members';

/** Every member of the registry, as its folder exports it (test/support/members.ts). */
export const REFERENCE_MEMBERS: readonly MemberModule[] = MEMBER_MODULES;

export interface ReferenceSubgraph {
  readonly store: ReferenceStore;
  readonly system: NationalSystem<ReferenceRecords>;
  /**
   * Runs an operation through the member's (guarded) subgraph schema, with fresh per-request records,
   * as an analyst of the owner's own police by default (the domestic decision releases everything).
   */
  run(
    query: string,
    variableValues?: Record<string, unknown>,
    requester?: RequestContext,
    at?: number,
  ): Promise<ExecutionResult>;
}

let policy: Policy | undefined;

/** A member's subgraph over an in-memory store, for tests through the public door (buildNationalSchema + execute). */
export function referenceSubgraph(
  member: MemberModule,
  options: Omit<OpenStoreOptions, 'country' | 'file'> & { readonly searchBudget?: SearchBudget } = {},
): ReferenceSubgraph {
  // One budget per subgraph, as a server keeps one for all its requests.
  const searchBudget = options.searchBudget ?? new SearchBudget();
  const { searchBudget: _budget, ...storeOptions } = options;
  const store = openStore({ country: member.COUNTRY, file: ':memory:', ...storeOptions });
  const system = member.createSystem({ store });
  const schema = buildNationalSchema(system);
  return {
    store,
    system,
    async run(
      query,
      variableValues,
      requester = { country: system.country, analyst: 'test-analyst', roles: [] },
      at = Date.now(),
    ) {
      policy ??= loadDefaultPolicy();
      const accord = new AuthorizationState(policy, system.country, requester, at);
      const contextValue = {
        country: system.country,
        records: system.createRequestRecords(),
        accord,
        searchBudget,
      };
      return await execute({ schema, document: parse(query), contextValue, variableValues });
    },
  };
}

/** `_entities` for representations, selecting `selection` on every type. */
export function entitiesQuery(selection: string): string {
  return `query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ${selection} } }`;
}
