/**
 * What checking grants costs: the five-member search of gateway-search (a KR analyst's search for "Tiger",
 * everything in this process), with and without a formal request reference, in interleaved rounds.
 *
 * - A (grant): the analyst sends `Accord-Request-Ref` naming the follow-up request each owner's desk
 *   approved (bench/grants.ts: the search's hits, approved under the owner's treaty). Every owner reads its
 *   grant store once per request (a SQLite row, its signature verified) and checks the grant record by
 *   record; owners whose only basis is the treaty release the details under it.
 * - B (none): the same traffic without the reference. Owners give those records as hits only, with a
 *   FOLLOW_UP_REQUIRED refusal per withheld field.
 *
 * Goal: throughput A / B ≥ 0.95. The answers differ by what the grant opens (details in A, refusals in B),
 * which is the price of the grant path end to end. A second pair asks only the records' ids, which both
 * get alike: the same answer with and without the grant, so their ratio is the grant check's own cost
 * (store read, signature, the check per record), for information.
 */
import { MEMBERS, readCommittedSupergraph } from '../../schema';
import { loadDefaultPolicy, type Grant, type RequestContext } from '../../policy';
import { openStore, storeFile } from '../../subgraphs/reference';
import {
  ServerGroup,
  cpuMeasuredRound,
  graphqlClient,
  interleave,
  median,
  ratio,
  type GraphQLClient,
  type Scenario,
  type ScenarioContext,
} from '../harness';
import { analystHeaders, benchTrust, startGatewayFor, startMembers } from '../federation';
import { benchRequester } from '../synthetic';
import {
  approveFollowUp,
  closeAll,
  hitsOf,
  onlyFollowUpRefusals,
  openBenchGrantStores,
  postAllowingFollowUps,
} from '../grants';
import { SEARCH_FIELDS, TERM } from './gateway-search';
import { SYSTEMS } from '../memberSystems';

/** The follow-up request the owners approved; what variant A sends as `Accord-Request-Ref`. */
export const GRANT_ID = 'MLA-KR-BENCH-0001';
const ANALYST: RequestContext = benchRequester('KR');
const WITH_GRANT: RequestContext = { ...ANALYST, requestReference: GRANT_ID };
const CONCURRENCY = 4;
export const SEARCH = `query Search($term: String!) { search(term: $term) { ${SEARCH_FIELDS} } }`;
/** The hits alone: what the analyst gets with or without the grant. */
const IDS_ONLY =
  'query Search($term: String!) { search(term: $term) { country suspects { id } compounds { id } } }';

export type Variant = 'grant' | 'none';
type IdsVariant = 'idsGrant' | 'idsNone';

export interface GrantSearch {
  readonly gateway: GraphQLClient;
  readonly body: { query: string; variables: Record<string, unknown> };
  /** The same search asking only ids. */
  readonly idsBody: { query: string; variables: Record<string, unknown> };
  readonly headers: Readonly<Record<Variant, Record<string, string>>>;
  /** The grants the owners' desks issued, by owner. */
  readonly grants: Readonly<Record<string, Grant>>;
  /** A load sender per variant, each checking its answers (without parsing them). */
  readonly senders: Readonly<Record<Variant | IdsVariant, () => Promise<void>>>;
}

/**
 * Starts the five members (stores and grant stores in temporary folders), the hub and the gateway; files
 * the follow-up about the search's hits and has every owner with a treaty route approve it.
 */
export async function startGrantSearch(
  ctx: Pick<ScenarioContext, 'defer' | 'tempDir'>,
): Promise<GrantSearch> {
  // Clean-ups run in reverse: the servers stop first, then the stores they read are closed.
  const dataDir = await ctx.tempDir('gateway-grants');
  const stores = openBenchGrantStores(
    MEMBERS.map((member) => member.code),
    dataDir,
  );
  ctx.defer(() => closeAll(stores));
  const systems = MEMBERS.map((member) => {
    const create = SYSTEMS[member.code];
    if (!create)
      throw new Error(`No reference system for member ${member.code}: see bench/memberSystems.ts.`);
    const store = openStore({ country: member.code, file: storeFile(member.code, dataDir) });
    ctx.defer(() => store.close());
    return create({ store });
  });
  const servers = new ServerGroup();
  ctx.defer(() => servers.stopAll());
  const trustDir = await ctx.tempDir('gateway-grants-trust');
  const trust = benchTrust(trustDir, MEMBERS);
  const subgraphUrls = await startMembers({ members: MEMBERS, systems, servers, trustDir, grants: stores });
  const gatewayUrl = await startGatewayFor({
    members: MEMBERS,
    supergraphSdl: readCommittedSupergraph(),
    subgraphUrls,
    servers,
    trustDir,
  });
  const gateway = graphqlClient(gatewayUrl, CONCURRENCY);
  ctx.defer(() => gateway.close());

  const body = { query: SEARCH, variables: { term: TERM } };
  const headers = {
    grant: await analystHeaders(trust, WITH_GRANT),
    none: await analystHeaders(trust, ANALYST),
  };
  // The hit, then the follow-up request about its records, approved on each owner's desk.
  const hit = await postAllowingFollowUps(gateway, body, headers.none);
  const grants = approveFollowUp({
    policy: loadDefaultPolicy(),
    id: GRANT_ID,
    requester: WITH_GRANT,
    subjects: hitsOf(hit),
    stores,
  });
  if (Object.keys(grants).length === 0)
    throw new Error(
      'No owner approved the follow-up: the search has no record under a treaty that needs a formal request.',
    );
  const idsBody = { query: IDS_ONLY, variables: { term: TERM } };
  return {
    gateway,
    body,
    idsBody,
    headers,
    grants,
    senders: {
      grant: gateway.sender(body, headers.grant),
      none: gateway.sender(body, headers.none, onlyFollowUpRefusals),
      idsGrant: gateway.sender(idsBody, headers.grant),
      idsNone: gateway.sender(idsBody, headers.none),
    },
  };
}

type Suspect = { id: string; fullName: string | null };
type Answer = {
  data: { search: { country: string; suspects: Suspect[] | null }[] };
  errors?: { extensions?: { code?: string; owner?: string } }[];
};

/**
 * Both variants answer what they should before anything is timed: with the grant, every member names
 * every suspect it found; without, the owners that hold a grant and give no detail without it answer
 * with hits and follow-up refusals, and at least one owner is such.
 */
export async function checkGrantSearch(search: GrantSearch): Promise<{ granted: Answer; plain: Answer }> {
  const granted = (await search.gateway.post(search.body, search.headers.grant)) as Answer;
  // Every member answers; those that hold the term (the scenario's five; a member added since may hold
  // none) name every suspect they found.
  const refused = granted.data.search.filter((s) => s.suspects === null).map((s) => s.country);
  const found = granted.data.search.filter((s) => s.suspects?.length).map((s) => s.country);
  const named = granted.data.search
    .filter((s) => s.suspects?.length && s.suspects.every((x) => x.fullName !== null))
    .map((s) => s.country);
  if (
    granted.data.search.length !== MEMBERS.length ||
    refused.length > 0 ||
    found.length === 0 ||
    named.length !== found.length
  ) {
    throw new Error(
      `With the grant, the search named every suspect in ${named.join(', ') || 'no member'}; expected every member that found one (${found.join(', ') || 'none'}), and none refused (${refused.join(', ') || 'none'}).`,
    );
  }
  const plain = (await postAllowingFollowUps(search.gateway, search.body, search.headers.none)) as Answer;
  const held = plain.data.search
    .filter((s) => s.suspects?.some((x) => x.fullName === null))
    .map((s) => s.country);
  if (held.length === 0)
    throw new Error(
      'Without the grant, every member released every name: variant B would not measure a search without the grant.',
    );
  const ungranted = held.filter((country) => search.grants[country] === undefined);
  if (ungranted.length > 0)
    throw new Error(
      `Without the grant, ${ungranted.join(', ')} held names back though no grant of theirs is in play.`,
    );
  const [idsGranted, idsPlain] = await Promise.all([
    search.gateway.post(search.idsBody, search.headers.grant),
    search.gateway.post(search.idsBody, search.headers.none),
  ]);
  if (JSON.stringify((idsGranted as Answer).data) !== JSON.stringify((idsPlain as Answer).data))
    throw new Error('The ids-only search answers differently with and without the grant.');
  return { granted, plain };
}

export const gatewayGrants: Scenario = {
  name: 'gateway-grants',
  description: `"${TERM}" across the five reference members through the gateway: a request reference naming the owners' grants vs none (goal ≥ 0.95× throughput)`,
  timeoutS: 180,
  async run(ctx) {
    const search = await startGrantSearch(ctx);
    await checkGrantSearch(search);
    ctx.log(`grants ${GRANT_ID} approved by ${Object.keys(search.grants).join(', ')}`);

    const rounds = ctx.quick ? 1 : 5;
    const load = { concurrency: CONCURRENCY, durationMs: ctx.quick ? 1_000 : 2_000, signal: ctx.signal };
    const warmup = { ...load, durationMs: ctx.quick ? 300 : 500 };
    const measure = (send: () => Promise<void>) => cpuMeasuredRound(send, load, warmup);
    const results = await interleave(
      {
        grant: measure(search.senders.grant),
        none: measure(search.senders.none),
        idsGrant: measure(search.senders.idsGrant),
        idsNone: measure(search.senders.idsNone),
      },
      rounds,
      ctx.signal,
    );
    const summary = (variant: Variant | IdsVariant) => ({
      throughput: median(results[variant]!.map((r) => r.throughput)),
      p50: median(results[variant]!.map((r) => r.p50)),
      p99: median(results[variant]!.map((r) => r.p99)),
      cpuMs: median(results[variant]!.map((r) => r.cpuMs)),
    });
    const a = summary('grant');
    const b = summary('none');
    const idsA = summary('idsGrant');
    const idsB = summary('idsNone');
    ctx.log(`with the grant ${a.throughput.toFixed(0)} req/s, without ${b.throughput.toFixed(0)} req/s`);
    return {
      figures: [
        { name: 'A, reference to the grants: throughput', value: a.throughput, unit: 'req/s' },
        { name: 'A, reference to the grants: p50', value: a.p50, unit: 'ms' },
        { name: 'A, reference to the grants: p99', value: a.p99, unit: 'ms' },
        { name: 'A, reference to the grants: CPU per search (all servers)', value: a.cpuMs, unit: 'ms' },
        { name: 'B, no reference: throughput', value: b.throughput, unit: 'req/s' },
        { name: 'B, no reference: p50', value: b.p50, unit: 'ms' },
        { name: 'B, no reference: p99', value: b.p99, unit: 'ms' },
        { name: 'B, no reference: CPU per search (all servers)', value: b.cpuMs, unit: 'ms' },
        { name: 'ids only, with the reference: throughput', value: idsA.throughput, unit: 'req/s' },
        { name: 'ids only, with the reference: CPU per search (all servers)', value: idsA.cpuMs, unit: 'ms' },
        { name: 'ids only, no reference: throughput', value: idsB.throughput, unit: 'req/s' },
        { name: 'ids only, no reference: CPU per search (all servers)', value: idsB.cpuMs, unit: 'ms' },
        { name: 'owners holding a grant', value: Object.keys(search.grants).length, unit: '' },
        { name: 'requests in flight (closed loop)', value: CONCURRENCY, unit: '' },
      ],
      ratios: [
        ratio('throughput A (grant) / B (none)', a.throughput, b.throughput, { min: 0.95 }),
        ratio('p50 A / B', a.p50, b.p50),
        ratio('p99 A / B', a.p99, b.p99),
        ratio('CPU per search A / B', a.cpuMs, b.cpuMs),
        ratio(
          'ids only (same answer): throughput with / without the reference',
          idsA.throughput,
          idsB.throughput,
        ),
        ratio('ids only (same answer): CPU per search with / without the reference', idsA.cpuMs, idsB.cpuMs),
      ],
    };
  },
};
