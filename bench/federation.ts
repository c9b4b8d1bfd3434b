/**
 * An alliance started in this process for a benchmark: one subgraph per member, the hub and the gateway,
 * all on 127.0.0.1 with ports picked by the system.
 */
import { HUB_NAME, subgraphName, type Member } from '../schema';
import { requestContextHeaders, type Policy, type RequestContext } from '../policy';
import { localTrust, type GatewayTokenVerifier, type LocalTrust } from '../trust';
import { startSubgraph, type NationalSystem, type StartSubgraphOptions } from '../subgraphs/kit';
import { startHub } from '../subgraphs/alliance';
import { startGateway, type GatewayOptions } from '../gateway';
import type { AuditLog } from '../audit';
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
  /** The folder of the run's keys (trust/localTrust.ts): demo identity providers and the gateway's key. */
  readonly trustDir: string;
  /** How each subgraph checks the gateway's tokens; defaults to the run's keys. */
  readonly gatewayTokens?: (audience: string) => GatewayTokenVerifier;
  /** Each member's audit log of disclosures, by subgraph name (`kr`); none by default. The caller closes them. */
  readonly audit?: (instance: string) => Promise<AuditLog>;
  /** Each member's grant store, by member code (bench/grants.ts); a member without holds none. The caller closes them. */
  readonly grants?: Readonly<Record<string, NonNullable<StartSubgraphOptions['grants']>>>;
}

/** The run's keys, for these members. */
export function benchTrust(trustDir: string, members: readonly Member[]): LocalTrust {
  return localTrust(
    trustDir,
    members.map((member) => member.code),
  );
}

/** What an analyst's client sends: their identity provider's token and the declaration headers. */
export async function analystHeaders(
  trust: LocalTrust,
  requester: RequestContext,
): Promise<Record<string, string>> {
  const token = await trust.analystToken(requester.country, requester.analyst, requester.roles);
  return { ...requestContextHeaders(requester), authorization: `Bearer ${token}` };
}

/** Headers of a call straight to a subgraph, as the gateway makes it: a fresh token per request, bound to the body. */
export function asGateway(
  trust: LocalTrust,
  audience: string,
  requester: RequestContext,
): (payload: string) => Record<string, string> {
  const signer = trust.signer();
  const ctx = requestContextHeaders(requester);
  return (payload) => ({
    authorization: `Bearer ${signer.sign({ audience, scope: 'query', ctx, body: payload })}`,
  });
}

/** Starts every member's subgraph and the hub; returns subgraph name (`kr`, `alliance`) → URL. */
export async function startMembers<Records>(
  options: MembersOptions<Records>,
): Promise<Record<string, string>> {
  const { members, systems, servers } = options;
  for (const member of members) {
    if (!systems.some((system) => system.country === member.code))
      throw new Error(`No national system given for member ${member.code}.`);
  }
  const trust = benchTrust(options.trustDir, members);
  const gatewayTokens = options.gatewayTokens ?? ((audience: string) => trust.gatewayTokens(audience));
  const subgraphs = await Promise.all(
    systems.map(async (system) => {
      const name = subgraphName(system.country);
      const audit = options.audit ? await options.audit(name) : undefined;
      const grants = options.grants?.[system.country];
      const running = servers.add(
        await startSubgraph(system, {
          host: LOOPBACK,
          port: 0,
          members,
          gatewayTokens: gatewayTokens(name),
          ...(options.policy ? { policy: options.policy } : {}),
          ...(audit ? { audit } : {}),
          ...(grants ? { grants } : {}),
        }),
      );
      return [name, running.url] as const;
    }),
  );
  const hub = servers.add(
    await startHub({ host: LOOPBACK, port: 0, gatewayTokens: gatewayTokens(HUB_NAME) }, members),
  );
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
  /** The run's keys (the same folder as the members'). */
  readonly trustDir: string;
  /** Anything else the gateway takes (a variant's options). */
  readonly extra?: Partial<GatewayOptions>;
}

/** Starts the gateway in front of running subgraphs; returns its URL. */
export async function startGatewayFor(options: GatewayForOptions): Promise<string> {
  const gateway = options.servers.add(
    await startGateway({
      analysts: benchTrust(options.trustDir, options.members).analysts(),
      signer: benchTrust(options.trustDir, options.members).signer(),
      ...options.extra,
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
