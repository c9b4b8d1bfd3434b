/**
 * What asking the alliance costs against asking one's own national system: a KR analyst's search for
 * "Tiger" (on file in all five members) through the gateway, against the same search fields asked
 * straight from KR's subgraph (`_entities` for a KRSearch). Everything runs in this process on 127.0.0.1:
 * the five reference systems (default world size, stores in a temporary folder), the hub, the gateway
 * and the load. The variants alternate in rounds; ratios are gateway / direct.
 */
import { MEMBERS, concreteTypeName, readCommittedSupergraph } from '../../schema';
import { loadDefaultPolicy, type RequestContext } from '../../policy';
import { DEMO_SEARCH_TERMS, openStore, storeFile } from '../../subgraphs/reference';
import { SYSTEMS } from '../memberSystems';
import {
  ServerGroup,
  cpuMeasuredRound,
  graphqlClient,
  interleave,
  median,
  ratio,
  type Scenario,
} from '../harness';
import { analystHeaders, asGateway, benchTrust, startGatewayFor, startMembers } from '../federation';
import { benchRequester } from '../synthetic';
import { approveFollowUp, closeAll, hitsOf, openBenchGrantStores, postAllowingFollowUps } from '../grants';

export const TERM = DEMO_SEARCH_TERMS.sharedAlias;
const DIRECT_COUNTRY = 'KR';
/** The fields asked of every member's search, through the gateway and directly alike. */
export const SEARCH_FIELDS = 'country suspects { id fullName nationality aliases } compounds { id name }';
const VIA_GATEWAY = `query Search($term: String!) { search(term: $term) { ${SEARCH_FIELDS} } }`;
const DIRECT = `query Search($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on ${concreteTypeName(DIRECT_COUNTRY, 'Search')} { ${SEARCH_FIELDS} } }
}`;
/**
 * A KR analyst investigating under a formal mutual-legal-assistance request the owners approved: the
 * basis on which every member releases the fields asked (with a purpose alone, some give only a hit, and
 * answers with withheld fields would measure the error path). The reference names the grant each owner's
 * desk issued about the search's hits (bench/grants.ts); a made-up one would open nothing.
 */
const GRANT_ID = 'MLA-KR-BENCH-0001';
const REQUESTER: RequestContext = { ...benchRequester(DIRECT_COUNTRY), requestReference: GRANT_ID };
const CONCURRENCY = 4;

export const gatewaySearch: Scenario = {
  name: 'gateway-search',
  description: `"${TERM}" across the five reference members through the gateway, against the same fields from ${DIRECT_COUNTRY}'s subgraph directly`,
  timeoutS: 180,
  async run(ctx) {
    const dataDir = await ctx.tempDir('gateway-search');
    // Clean-ups run in reverse: the servers stop (registered last) before the grant stores they read close.
    const grantStores = openBenchGrantStores(
      MEMBERS.map((member) => member.code),
      dataDir,
    );
    ctx.defer(() => closeAll(grantStores));
    const servers = new ServerGroup();
    ctx.defer(() => servers.stopAll());
    const systems = MEMBERS.map((member) => {
      const create = SYSTEMS[member.code];
      if (!create)
        throw new Error(`No reference system for member ${member.code}: see bench/memberSystems.ts.`);
      const store = openStore({ country: member.code, file: storeFile(member.code, dataDir) });
      try {
        return create({ store });
      } catch (error) {
        store.close();
        throw error;
      }
    });
    const trustDir = await ctx.tempDir('gateway-search-trust');
    const trust = benchTrust(trustDir, MEMBERS);
    const subgraphUrls = await startMembers({
      members: MEMBERS,
      systems,
      servers,
      trustDir,
      grants: grantStores,
    });
    const gatewayUrl = await startGatewayFor({
      members: MEMBERS,
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls,
      servers,
      trustDir,
    });
    const headers = await analystHeaders(trust, REQUESTER);
    const directHeaders = asGateway(trust, DIRECT_COUNTRY.toLowerCase(), REQUESTER);
    const gateway = graphqlClient(gatewayUrl, CONCURRENCY);
    const direct = graphqlClient(subgraphUrls[DIRECT_COUNTRY.toLowerCase()]!, CONCURRENCY);
    ctx.defer(() => {
      gateway.close();
      direct.close();
    });

    const gatewayBody = { query: VIA_GATEWAY, variables: { term: TERM } };
    // The search's hits, then the follow-up about them, approved on each owner's desk.
    const { requestReference: _, ...withoutReference } = REQUESTER;
    const hit = await postAllowingFollowUps(
      gateway,
      gatewayBody,
      await analystHeaders(trust, withoutReference),
    );
    approveFollowUp({
      policy: loadDefaultPolicy(),
      id: GRANT_ID,
      requester: REQUESTER,
      subjects: hitsOf(hit),
      stores: grantStores,
    });
    const directBody = {
      query: DIRECT,
      variables: {
        representations: [
          { __typename: concreteTypeName(DIRECT_COUNTRY, 'Search'), term: TERM, country: DIRECT_COUNTRY },
        ],
      },
    };
    await checkAnswers(gateway.post(gatewayBody, headers), direct.post(directBody, directHeaders));

    const rounds = ctx.quick ? 1 : 5;
    const load = { concurrency: CONCURRENCY, durationMs: ctx.quick ? 1_000 : 2_000, signal: ctx.signal };
    const warmup = { ...load, durationMs: ctx.quick ? 300 : 500 };
    const measure = (send: () => Promise<void>) => cpuMeasuredRound(send, load, warmup);
    const results = await interleave(
      {
        gateway: measure(gateway.sender(gatewayBody, headers)),
        direct: measure(direct.sender(directBody, directHeaders)),
      },
      rounds,
      ctx.signal,
    );
    const summary = (name: 'gateway' | 'direct') => {
      const list = results[name]!;
      return {
        p50: median(list.map((r) => r.p50)),
        p99: median(list.map((r) => r.p99)),
        throughput: median(list.map((r) => r.throughput)),
        cpuMs: median(list.map((r) => r.cpuMs)),
      };
    };
    const viaGateway = summary('gateway');
    const alone = summary('direct');
    ctx.log(`gateway p50 ${viaGateway.p50.toFixed(1)} ms, direct p50 ${alone.p50.toFixed(1)} ms`);

    return {
      figures: [
        { name: 'gateway p50', value: viaGateway.p50, unit: 'ms' },
        { name: 'gateway p99', value: viaGateway.p99, unit: 'ms' },
        { name: 'gateway throughput', value: viaGateway.throughput, unit: 'req/s' },
        { name: 'gateway CPU per search (all servers)', value: viaGateway.cpuMs, unit: 'ms' },
        { name: 'direct p50', value: alone.p50, unit: 'ms' },
        { name: 'direct p99', value: alone.p99, unit: 'ms' },
        { name: 'direct throughput', value: alone.throughput, unit: 'req/s' },
        { name: 'direct CPU per search', value: alone.cpuMs, unit: 'ms' },
        { name: 'requests in flight (closed loop)', value: CONCURRENCY, unit: '' },
      ],
      ratios: [
        ratio('p50 gateway / direct', viaGateway.p50, alone.p50),
        ratio('p99 gateway / direct', viaGateway.p99, alone.p99),
        ratio('throughput gateway / direct', viaGateway.throughput, alone.throughput),
        ratio('CPU per search gateway / direct', viaGateway.cpuMs, alone.cpuMs),
      ],
    };
  },
};

/** Both variants answer what they should before anything is timed: every member, with named suspects. */
async function checkAnswers(viaGateway: Promise<unknown>, direct: Promise<unknown>): Promise<void> {
  type Search = { country: string; suspects: { fullName: string | null }[] | null };
  const gatewayAnswer = (await viaGateway) as { data: { search: Search[] } };
  const answered = gatewayAnswer.data.search
    .filter((s) => s.suspects?.some((x) => x.fullName))
    .map((s) => s.country);
  if (answered.length !== MEMBERS.length)
    throw new Error(
      `The gateway's search found named suspects in ${answered.join(', ') || 'no member'}; expected all ${MEMBERS.length}.`,
    );
  const directAnswer = (await direct) as { data: { _entities: (Search | null)[] } };
  if (!directAnswer.data._entities[0]?.suspects?.some((x) => x.fullName))
    throw new Error(`${DIRECT_COUNTRY}'s subgraph found no named suspect for "${TERM}".`);
}
