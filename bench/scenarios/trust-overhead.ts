/**
 * What identity, signed subgraph calls and redaction before planning cost the gateway: the five-member
 * search through two alliances side by side, one with everything on (analyst token verified with jose,
 * one ES256 token signed per subgraph call and verified by each subgraph, redaction before planning) and
 * one with all three off (stand-ins that check nothing), in interleaved rounds. Goal: ≤ 10% throughput lost.
 * The stand-ins live here, in bench/: nothing in Accord can be configured to skip these checks.
 */
import { MEMBERS, readCommittedSupergraph } from '../../schema';
import { loadDefaultPolicy, requestContextHeaders, type RequestContext } from '../../policy';
import type { AnalystVerifier, GatewaySigner } from '../../trust';
import { ServerGroup, closedLoop, graphqlClient, interleave, median, ratio, type Scenario } from '../harness';
import { analystHeaders, benchTrust, startGatewayFor } from '../federation';
import { startRemoteMembers } from '../remoteMembers';
import { benchRequester } from '../synthetic';
import { approveFollowUpIn, hitsOf, postAllowingFollowUps } from '../grants';
import { SEARCH_FIELDS, TERM } from './gateway-search';

/**
 * Under the follow-up request the owners approved (bench/grants.ts), so that every member releases the
 * fields asked: a made-up reference would open nothing, and the load would time refusals.
 */
const GRANT_ID = 'MLA-KR-BENCH-0001';
const REQUESTER: RequestContext = { ...benchRequester('KR'), requestReference: GRANT_ID };
const CONCURRENCY = 4;
const SEARCH = `query Search($term: String!) { search(term: $term) { ${SEARCH_FIELDS} } }`;

/** Off: the analyst is whoever the bench says, with no token check. */
const trustingAnalysts: AnalystVerifier = {
  verify: () =>
    Promise.resolve({
      country: REQUESTER.country,
      analyst: REQUESTER.analyst,
      roles: REQUESTER.roles,
      issuer: 'bench',
      expiresAt: new Date(8.64e15),
    }),
};

/** Off: the "token" is the request context in base64url, unsigned; the subgraph reads it back unchecked. */
const unsignedSigner = {
  sign: ({ ctx }: { ctx?: Readonly<Record<string, unknown>> }) =>
    Buffer.from(JSON.stringify(ctx ?? {})).toString('base64url'),
  currentKid: 'none',
  kids: ['none'],
  reload: () => undefined,
  use: () => undefined,
} as unknown as GatewaySigner;

export const trustOverhead: Scenario = {
  name: 'trust-overhead',
  description:
    'the five-member search with identity, signed subgraph calls and redaction on vs off (goal ≤ 10% throughput lost)',
  timeoutS: 240,
  async run(ctx) {
    const servers = new ServerGroup();
    ctx.defer(() => servers.stopAll());
    const trustDir = await ctx.tempDir('trust-overhead-keys');
    const trust = benchTrust(trustDir, MEMBERS);

    // Each variant's members in a process of their own, as on their own machines: the gateway's process
    // pays only for the gateway (the members' checks still share this machine's two cores).
    const remotes: Record<string, Awaited<ReturnType<typeof startRemoteMembers>>> = {};
    // Each alliance's members keep their grants in a folder of their own (bench/grants.ts).
    const grantsDirs = {
      on: await ctx.tempDir('trust-overhead-grants-on'),
      off: await ctx.tempDir('trust-overhead-grants-off'),
    };
    async function alliance(variant: 'on' | 'off'): Promise<string> {
      const remote = servers.add(
        await startRemoteMembers(
          { kind: 'reference', uncheckedTokens: variant === 'off', grantsDir: grantsDirs[variant] },
          trustDir,
        ),
      );
      remotes[variant] = remote;
      const subgraphUrls = remote.subgraphUrls;
      return startGatewayFor({
        members: MEMBERS,
        supergraphSdl: readCommittedSupergraph(),
        subgraphUrls,
        servers,
        trustDir,
        ...(variant === 'off'
          ? { extra: { analysts: trustingAnalysts, signer: unsignedSigner, redactBeforePlanning: false } }
          : {}),
      });
    }
    const on = graphqlClient(await alliance('on'), CONCURRENCY);
    const off = graphqlClient(await alliance('off'), CONCURRENCY);
    ctx.defer(() => {
      on.close();
      off.close();
    });
    const body = { query: SEARCH, variables: { term: TERM } };
    const headersOn = await analystHeaders(trust, REQUESTER);
    const headersOff = { ...requestContextHeaders(REQUESTER), authorization: 'Bearer unchecked' };
    // The search's hits (the same world in both alliances), then the follow-up about them, approved on
    // each owner's desk in both alliances.
    const { requestReference: _, ...withoutReference } = REQUESTER;
    const subjects = hitsOf(
      await postAllowingFollowUps(on, body, await analystHeaders(trust, withoutReference)),
    );
    const policy = loadDefaultPolicy();
    for (const dir of Object.values(grantsDirs))
      approveFollowUpIn(dir, { policy, id: GRANT_ID, requester: REQUESTER, subjects });
    // Both answer the same, whole: five members with named suspects.
    for (const [client, headers] of [
      [on, headersOn],
      [off, headersOff],
    ] as const) {
      const answer = (await client.post(body, headers)) as {
        data: { search: { suspects: { fullName: string | null }[] | null }[] };
      };
      if (answer.data.search.filter((s) => s.suspects?.some((x) => x.fullName)).length !== MEMBERS.length)
        throw new Error('A variant did not answer from all five members.');
    }

    const rounds = ctx.quick ? 1 : 5;
    const load = { concurrency: CONCURRENCY, durationMs: ctx.quick ? 1_000 : 2_000, signal: ctx.signal };
    // CPU per request of the gateway's process (this one) and of the members' process: what each layer costs.
    const measure = (variant: 'on' | 'off', send: () => Promise<void>) => async () => {
      await closedLoop(send, { ...load, durationMs: ctx.quick ? 300 : 500 });
      const gatewayCpu = process.cpuUsage();
      const membersCpu = await remotes[variant]!.cpuMicros();
      const result = await closedLoop(send, load);
      const gatewayMicros = process.cpuUsage(gatewayCpu);
      const membersMicros = (await remotes[variant]!.cpuMicros()) - membersCpu;
      return {
        ...result,
        gatewayCpuMs: (gatewayMicros.user + gatewayMicros.system) / 1000 / result.requests,
        membersCpuMs: membersMicros / 1000 / result.requests,
      };
    };
    const results = await interleave(
      { on: measure('on', on.sender(body, headersOn)), off: measure('off', off.sender(body, headersOff)) },
      rounds,
      ctx.signal,
    );
    const summary = (name: 'on' | 'off') => ({
      p50: median(results[name]!.map((r) => r.p50)),
      p99: median(results[name]!.map((r) => r.p99)),
      throughput: median(results[name]!.map((r) => r.throughput)),
      gatewayCpuMs: median(results[name]!.map((r) => r.gatewayCpuMs)),
      membersCpuMs: median(results[name]!.map((r) => r.membersCpuMs)),
    });
    const withTrust = summary('on');
    const without = summary('off');
    ctx.log(
      `throughput on ${withTrust.throughput.toFixed(0)} req/s, off ${without.throughput.toFixed(0)} req/s`,
    );
    return {
      figures: [
        { name: 'on: throughput', value: withTrust.throughput, unit: 'req/s' },
        { name: 'on: p50', value: withTrust.p50, unit: 'ms' },
        { name: 'on: p99', value: withTrust.p99, unit: 'ms' },
        { name: 'off: throughput', value: without.throughput, unit: 'req/s' },
        { name: 'off: p50', value: without.p50, unit: 'ms' },
        { name: 'off: p99', value: without.p99, unit: 'ms' },
        {
          name: 'on: gateway CPU per search (bench client included)',
          value: withTrust.gatewayCpuMs,
          unit: 'ms',
        },
        {
          name: 'off: gateway CPU per search (bench client included)',
          value: without.gatewayCpuMs,
          unit: 'ms',
        },
        { name: 'on: members + hub CPU per search', value: withTrust.membersCpuMs, unit: 'ms' },
        { name: 'off: members + hub CPU per search', value: without.membersCpuMs, unit: 'ms' },
      ],
      ratios: [
        ratio('throughput on / off (≤ 10% lost)', withTrust.throughput, without.throughput, { min: 0.9 }),
        ratio('p50 on / off', withTrust.p50, without.p50),
        ratio('p99 on / off', withTrust.p99, without.p99),
        ratio('gateway CPU per search on / off', withTrust.gatewayCpuMs, without.gatewayCpuMs),
        ratio('members CPU per search on / off', withTrust.membersCpuMs, without.membersCpuMs),
      ],
    };
  },
};
