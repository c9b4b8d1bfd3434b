/**
 * An alliance started in this process for a benchmark: one subgraph per member, the hub and the gateway,
 * all on 127.0.0.1 with ports picked by the system.
 */
import { HUB_NAME, subgraphName, type Member } from '../schema';
import type { Policy } from '../policy';
import { startSubgraph, type NationalSystem } from '../subgraphs/kit';
import { startHub } from '../subgraphs/alliance';
import { startGateway, type GatewayOptions } from '../gateway';
import type { ServerGroup } from './harness';

export const LOOPBACK = '127.0.0.1';

export interface MembersOptions<Records> {
  readonly members: readonly Member[];
  /** One national system per member (of one kind: `NationalSystem` is invariant in its records). */
  readonly systems: readonly NationalSystem<Records>[];
  /** The agreement set the subgraphs decide with; defaults to the one in agreements/. */
  readonly policy?: Policy;
  /** Every server started is added here; the caller stops them. */
  readonly servers: ServerGroup;
}

/** Starts every member's subgraph and the hub; returns subgraph name (`kr`, `alliance`) → URL. */
export async function startMembers<Records>(options: MembersOptions<Records>): Promise<Record<string, string>> {
  const { members, systems, servers } = options;
  for (const member of members) {
    if (!systems.some((system) => system.country === member.code)) throw new Error(`No national system given for member ${member.code}.`);
  }
  const subgraphs = await Promise.all(
    systems.map(async (system) => {
      const running = servers.add(await startSubgraph(system, { host: LOOPBACK, port: 0, members, ...(options.policy ? { policy: options.policy } : {}) }));
      return [subgraphName(system.country), running.url] as const;
    }),
  );
  const hub = servers.add(await startHub({ host: LOOPBACK, port: 0 }, members));
  return Object.fromEntries([...subgraphs, [HUB_NAME, hub.url]]);
}

export interface GatewayForOptions {
  readonly members: readonly Member[];
  readonly supergraphSdl: string;
  /** Subgraph name → URL, for every member and the hub. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly servers: ServerGroup;
  readonly subgraphTimeoutMs?: number;
  readonly onSubgraphCall?: GatewayOptions['onSubgraphCall'];
}

/** Starts the gateway in front of running subgraphs; returns its URL. */
export async function startGatewayFor(options: GatewayForOptions): Promise<string> {
  const gateway = options.servers.add(
    await startGateway({
      host: LOOPBACK,
      port: 0,
      subgraphUrls: options.subgraphUrls,
      supergraphSdl: options.supergraphSdl,
      members: options.members,
      ...(options.subgraphTimeoutMs !== undefined ? { subgraphTimeoutMs: options.subgraphTimeoutMs } : {}),
      ...(options.onSubgraphCall ? { onSubgraphCall: options.onSubgraphCall } : {}),
    }),
  );
  return gateway.url;
}
