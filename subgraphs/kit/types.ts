import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import type { AuthorizationState } from './authorization/state';
import type { ChargeableBudget } from './search/searchBudget';
import type { CursorKeys } from './search/searchPage';
import type { RequestStore } from '../desk';
import type { AuditLog } from '../../audit';
import type { Logger } from '../../lib/logger';
import type { Grant } from '../../policy';

/**
 * What a national system gives the kit. The kit owns everything else: the generated SDL for the country,
 * federation plumbing, authorization (graphql-shield), the HTTP server and the request context.
 */
export interface NationalSystem<Records = unknown> {
  /** ISO 3166-1 alpha-2 code of a member in schema/members.ts. */
  readonly country: string;
  /**
   * Resolvers for the member's own types only: `${country}Suspect`, `${country}Compound`, `${country}Case`,
   * `${country}Victim` and `${country}Search`, including national-only fields. Reference stubs of other
   * members' types are resolved by the kit. Records carry `operations` (ids of the operations they are
   * linked to) and `sourceGrade`: record-level conditions of agreements read them; and their global `id`,
   * which names them in the audit records of both sides.
   */
  readonly resolvers: GraphQLResolverMap<SubgraphContext<Records>>;
  /**
   * Called once per GraphQL request; the result is `context.records` for that request and nothing else.
   * Put DataLoaders here: a loader caches, so one must never outlive its request.
   */
  createRequestRecords(): Records;
  /** Releases the store (closes the database). Called once when the server stops. */
  close?(): void;
}

/** The per-request context every resolver of a national subgraph receives. */
export interface SubgraphContext<Records = unknown> {
  /** The member serving this subgraph. */
  readonly country: string;
  /** Per-request record access created by NationalSystem.createRequestRecords. */
  readonly records: Records;
  /** Who asks, why, and what has been decided and released so far in this request. */
  readonly accord: AuthorizationState;
  /** This owner's query budget (one per server, shared by its requests): distinct search terms per analyst per minute. */
  readonly searchBudget: ChargeableBudget;
  /** The keys this owner's search cursors are sealed under: the member's (shared by its processes), or absent for keys of this process. */
  readonly cursorKeys?: CursorKeys;
  /**
   * The owner's register of follow-up requests and its hit-token secret (subgraphs/kit/followUp): absent,
   * the owner takes no filings and signs no hits. With `audit`, every filing kept is a `request.filed`
   * record in the owner's log (none kept unrecorded); `filed` collects the ids of this call's filings, for
   * the call's report and both sides' crossing records.
   */
  readonly followUp?: {
    readonly requests?: RequestStore;
    readonly hitKey?: Buffer;
    readonly grants?: { get(id: string): Grant | undefined };
    readonly audit?: AuditLog;
    readonly logger?: Logger;
    readonly filed?: string[];
  };
  /** The gateway's ids of this call, from its signed token, for the disclosure record (audit/). */
  readonly crossing?: {
    readonly tokenId: string;
    readonly requestId?: string;
    readonly decisionId?: string;
    readonly fieldReport: boolean;
  };
}
