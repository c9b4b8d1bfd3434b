/**
 * Fan-out: does a search across all members take as long as the slowest member, whatever their number?
 * Synthetic registries of 5, 15 and 30 members whose subgraphs each answer after 50 ms; the gateway's
 * wall time for `search` across all of them is held to ≤ 1.3 × the slowest member of the same searches,
 * as the gateway timed its call (the planner asks every owner in one parallel step, docs/architecture.md).
 * All members share one process on this machine, so the slowest of them is late by the others' CPU
 * time; the ratio to the nominal 50 ms is reported beside it. The members and the hub run in a child process (bench/remoteMembers.ts),
 * the gateway in this one. One member's own latency (the same `_entities` query sent straight to it) and
 * each process's CPU time per search are measured in interleaved rounds, to say what the wall time is made of.
 */
import { HUB_NAME, buildSupergraph, concreteTypeName } from '../../schema';
import {
  ServerGroup,
  closedLoop,
  graphqlClient,
  interleave,
  median,
  percentile,
  ratio,
  type Figure,
  type Ratio,
  type Scenario,
} from '../harness';
import { analystHeaders, asGateway, benchTrust, startGatewayFor } from '../federation';
import { startRemoteMembers } from '../remoteMembers';
import { benchRequester, releaseAllPolicy, syntheticMembers } from '../synthetic';

const MEMBER_DELAY_MS = 50;
const GOAL = { max: 1.3 };
const SIZES = [5, 15, 30];
const QUICK_SIZES = [5];

const SEARCH = `query FanOut($term: String!) {
  search(term: $term) { country suspects { id fullName } }
}`;

function entitiesQuery(country: string): string {
  return `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on ${concreteTypeName(country, 'Search')} { country suspects { id fullName } } }
}`;
}

export const fanout: Scenario = {
  name: 'fanout',
  description: `search wall time across 5/15/30 synthetic members answering after ${MEMBER_DELAY_MS} ms, against the slowest member`,
  timeoutS: 240,
  async run(ctx) {
    const figures: Figure[] = [];
    const ratios: Ratio[] = [];
    const servers = new ServerGroup();
    ctx.defer(() => servers.stopAll());
    const rounds = ctx.quick ? 1 : 3;
    const perRound = ctx.quick ? 5 : 20;

    const trustDir = await ctx.tempDir('fanout-trust');
    for (const size of ctx.quick ? QUICK_SIZES : SIZES) {
      const members = syntheticMembers(size);
      const trust = benchTrust(trustDir, members);
      const composing = performance.now();
      const supergraphSdl = buildSupergraph(members);
      const composeMs = performance.now() - composing;
      const remote = servers.add(
        await startRemoteMembers({ kind: 'synthetic', size, delayMs: MEMBER_DELAY_MS }, trustDir),
      );
      // Every member call of the request in flight, as the gateway timed it (the loop runs one at a time).
      let memberCalls: number[] = [];
      const gatewayUrl = await startGatewayFor({
        members,
        supergraphSdl,
        subgraphUrls: remote.subgraphUrls,
        servers,
        trustDir,
        // The gateway decides with the same stand-in agreements as the synthetic members.
        extra: { policy: releaseAllPolicy() },
        onSubgraphCall: (call) => {
          if (call.subgraph !== HUB_NAME) memberCalls.push(call.ms);
        },
      });
      const requester = benchRequester(members[0]!.code);
      const headers = await analystHeaders(trust, requester);
      const gateway = graphqlClient(gatewayUrl, 1);
      const memberCode = members[size - 1]!.code;
      const member = graphqlClient(remote.subgraphUrls[memberCode.toLowerCase()]!, 1);
      ctx.defer(() => {
        gateway.close();
        member.close();
      });

      // One checked answer first: every member answered, with its suspects (a fan-out that silently
      // skipped members would look fast).
      const answer = (await gateway.post({ query: SEARCH, variables: { term: 'bench' } }, headers)) as {
        data: { search: { country: string; suspects: { fullName: string | null }[] }[] };
      };
      const answered = answer.data.search.filter(
        (s) => s.suspects.length > 0 && s.suspects.every((x) => x.fullName),
      );
      if (answered.length !== size)
        throw new Error(`Only ${answered.length} of ${size} members answered the search with suspects.`);

      const searchViaGateway = gateway.sender({ query: SEARCH, variables: { term: 'bench' } }, headers);
      // The slowest member of each search, as the gateway saw it: with every member on this 2-core machine,
      // a member's answer is late by the time the others' answers take to serialize, not by the gateway.
      const slowestMember: number[] = [];
      const viaGateway = async (): Promise<void> => {
        memberCalls = [];
        await searchViaGateway();
        if (memberCalls.length !== size)
          throw new Error(`The search called ${memberCalls.length} members, not ${size}.`);
        slowestMember.push(Math.max(...memberCalls));
      };
      const direct = member.sender(
        {
          query: entitiesQuery(memberCode),
          variables: {
            representations: [
              { __typename: concreteTypeName(memberCode, 'Search'), term: 'bench', country: memberCode },
            ],
          },
        },
        asGateway(trust, memberCode.toLowerCase(), requester),
      );
      const load = { concurrency: 1, requests: perRound, signal: ctx.signal };
      await closedLoop(viaGateway, { ...load, requests: 5 });
      await closedLoop(direct, { ...load, requests: 3 });
      const results = await interleave(
        {
          // CPU time per search, of the gateway's process (this one) and of the members' process: what
          // the wall time is made of, and a figure the machine's noise hardly moves.
          gateway: async () => {
            const gatewayCpu = process.cpuUsage();
            const membersCpu = await remote.cpuMicros();
            const result = await closedLoop(viaGateway, load);
            const gatewayMicros = process.cpuUsage(gatewayCpu);
            const membersMicros = (await remote.cpuMicros()) - membersCpu;
            return {
              ...result,
              gatewayCpuMs: (gatewayMicros.user + gatewayMicros.system) / 1000 / result.requests,
              membersCpuMs: membersMicros / 1000 / result.requests,
            };
          },
          member: async () => ({ ...(await closedLoop(direct, load)), gatewayCpuMs: 0, membersCpuMs: 0 }),
        },
        rounds,
        ctx.signal,
      );
      const viaGatewayRounds = results['gateway']!;
      const wallP50 = median(viaGatewayRounds.map((r) => r.p50));
      const slowestP50 = percentile(slowestMember, 50);
      const memberP50 = median(results['member']!.map((r) => r.p50));

      figures.push(
        { name: `${size} members: wall p50`, value: wallP50, unit: 'ms' },
        {
          name: `${size} members: wall p99`,
          value: percentile(
            viaGatewayRounds.flatMap((r) => r.latenciesMs),
            99,
          ),
          unit: 'ms',
        },
        { name: `${size} members: one member alone p50`, value: memberP50, unit: 'ms' },
        {
          name: `${size} members: slowest member per search p50 (seen by the gateway)`,
          value: slowestP50,
          unit: 'ms',
        },
        {
          name: `${size} members: gateway CPU per search`,
          value: median(viaGatewayRounds.map((r) => r.gatewayCpuMs)),
          unit: 'ms',
        },
        {
          name: `${size} members: members+hub CPU per search`,
          value: median(viaGatewayRounds.map((r) => r.membersCpuMs)),
          unit: 'ms',
        },
        { name: `${size} members: generate + compose the supergraph`, value: composeMs, unit: 'ms' },
      );
      ratios.push(
        ratio(`${size} members: wall p50 / slowest member of the same searches`, wallP50, slowestP50, GOAL),
        // For context: against the members' nominal answer time; co-located members are late by up to
        // the CPU time of all the others' answers.
        ratio(
          `${size} members: wall p50 / nominal member delay (${MEMBER_DELAY_MS} ms)`,
          wallP50,
          MEMBER_DELAY_MS,
        ),
        // For context: against one member's own answer time, its HTTP and authorization included.
        ratio(`${size} members: wall p50 / one member alone p50`, wallP50, memberP50),
      );
      ctx.log(
        `${size} members: wall p50 ${wallP50.toFixed(1)} ms, one member alone p50 ${memberP50.toFixed(1)} ms`,
      );
      gateway.close();
      member.close();
      await servers.stopAll();
    }
    return { figures, ratios };
  },
};
