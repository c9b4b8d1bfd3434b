/**
 * Members as a plain federation would run them, for the peers scenario's plain @apollo/gateway and Hive
 * Gateway variants: each member's own schema and resolvers with no graphql-shield rule and no token check,
 * served by the same Apollo Server set-up as Accord's subgraphs, with the same data.
 *
 * What still runs, and why: the reference systems' resolvers read the request's search scope and record
 * visibility from `context.accord`, so each request gets one, under a policy that releases everything to
 * everyone (bench/synthetic.ts) — a constant decision, no agreement read. The requester comes from the
 * unchecked stand-in token (bench/referenceAlliance.ts): the request context in base64url, which the plain
 * gateways pass on from the client as they would any header. Nothing is audited, no grant is looked up.
 * The hub is Accord's, with the same unchecked token. The stand-ins live in bench/: nothing in Accord can
 * be configured to skip a check.
 */
import { HUB_NAME, subgraphName, type Member } from '../schema';
import { requestContextHeaders, type RequestContext } from '../policy';
import {
  serveSubgraphSchema,
  verifyCaller,
  type NationalSystem,
  type SubgraphContext,
} from '../subgraphs/kit';
import { buildUnguardedSchema } from '../subgraphs/kit/schema';
import { AuthorizationState } from '../subgraphs/kit/authorization/state';
import { SearchBudget, MAX_SEARCH_TERMS_PER_MINUTE } from '../subgraphs/kit/search/searchBudget';
import { startHub } from '../subgraphs/alliance';
import { createLogger } from '../lib/logger';
import { LOOPBACK } from './federation';
import { uncheckedTokens } from './referenceAlliance';
import { releaseAllPolicy } from './synthetic';
import type { ServerGroup } from './harness';

/** The `authorization` header a client of a plain gateway sends, passed on to every member unchanged. */
export function plainAuthorization(requester: RequestContext): string {
  return `Bearer ${Buffer.from(JSON.stringify(requestContextHeaders(requester))).toString('base64url')}`;
}

/** Starts every member's plain subgraph and the hub; returns subgraph name (`kr`, `alliance`) → URL. */
export async function startPlainMembers<Records>(options: {
  readonly members: readonly Member[];
  readonly systems: readonly NationalSystem<Records>[];
  readonly servers: ServerGroup;
}): Promise<Record<string, string>> {
  const policy = releaseAllPolicy();
  const subgraphs = await Promise.all(
    options.systems.map(async (system) => {
      const name = subgraphName(system.country);
      const tokens = uncheckedTokens(name);
      const logger = createLogger(`plain-${name}`);
      // One budget per server, as the kit keeps; at its maximum, so the load never meets it.
      const searchBudget = new SearchBudget(MAX_SEARCH_TERMS_PER_MINUTE);
      const running = await serveSubgraphSchema<SubgraphContext<Records>>({
        name: system.country,
        schema: buildUnguardedSchema(system, options.members),
        context: async (request, rawBody) => {
          const at = Date.now();
          const caller = await verifyCaller(request, rawBody, tokens, at, logger);
          if (!caller.requester) throw new Error('A plain member was called without a request context.');
          return {
            country: system.country,
            records: system.createRequestRecords(),
            searchBudget,
            accord: new AuthorizationState(policy, system.country, caller.requester, at, caller.scope),
          };
        },
        logger,
        host: LOOPBACK,
        port: 0,
      });
      options.servers.add({ stop: () => running.stop().then(() => system.close?.()) });
      return [name, running.url] as const;
    }),
  );
  const hub = options.servers.add(
    await startHub({ host: LOOPBACK, port: 0, gatewayTokens: uncheckedTokens(HUB_NAME) }, options.members),
  );
  return Object.fromEntries([...subgraphs, [HUB_NAME, hub.url]]);
}
