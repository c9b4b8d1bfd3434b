/**
 * Real-time alerts end to end (issue 11; docs/decisions/0019-alert-delivery.md), in the production layout:
 * the hub, every member and the gateway each in a process of its own, compiled, as `npm start` runs them
 * (bench/alertAlliance.ts), on 127.0.0.1, with their audit logs on SQLite. The owner of the watched
 * records is the member's own process plus the notice driver (bench/alertOwnerProcess.ts), which records
 * border movements of the watched suspects (`OwnerAlerts.apply`: the change and its notice in one
 * transaction) where the member's changes enter. This process is the analysts' side only: a KR analyst
 * registers watches through the gateway (`registerWatch`) on passports of another member's suspects, with
 * a purpose under which KR's rules send the passports there and the owner's rules tell KR of a border
 * movement (both read from the agreements), and reads the stream (`subscription { alerts }` over
 * Server-Sent Events, graphql-sse's own client); and it sends the README's search.
 *
 * 1. Latency: movements at 100 notices/s for a bounded time; each notice's latency is the instant the
 *    client reads it less the instant the owner began its change, on one clock for every process (epoch
 *    ms, performance.timeOrigin + performance.now(): bench/alertDriver.ts). p50 and p99; goal p99 ≤ 100 ms.
 *    Over the same time, each process's CPU time per notice (/proc): where the pipeline's CPU goes.
 * 2. Sustained notices/s: a burst of changes applied as fast as the owner takes them; the time from the
 *    first change to the client's receipt of the last notice.
 * 3. The README's search through the gateway in a closed loop at concurrency 8, in interleaved rounds with
 *    the 100/s alert load running and without; goal throughput on / off ≥ 0.9. The gateway's and the
 *    members' CPU per search in each.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type Client } from 'graphql-sse';
import { eventCategory, identifierCategory, MATCHING_SERVICE } from '../../alerts';
import { HUB_NAME, MEMBERS, subgraphName } from '../../schema';
import { loadDefaultPolicy, requestContextHeaders, type Policy, type RequestContext } from '../../policy';
import { PURPOSES, type Purpose } from '../../vocabulary';
import {
  closedLoop,
  graphqlClient,
  interleave,
  median,
  percentile,
  ratio,
  type Figure,
  type GraphQLClient,
  type LoadResult,
  type Scenario,
} from '../harness';
import { benchRequester } from '../synthetic';
import { approveFollowUpIn, hitsOf, postAllowingFollowUps } from '../grants';
import { startAlertAlliance } from '../alertAlliance';
import { sharedNow, type WatchedSuspect } from '../alertDriver';
import { SEARCH_FIELDS, TERM } from './gateway-search';

const WATCHER = 'KR';
const WATCH_ANALYST = 'bench.watcher';
/** Notices per second of the alert load (issue 11's figure). */
const RATE = 100;
const LATENCY_GOAL_MS = 100;
/** Watches registered, each on up to MAX_WATCH_IDENTIFIERS passports: the changes rotate over the suspects. */
const WATCHES = 3;
const IDENTIFIERS_PER_WATCH = 20;
const SEARCH = `query Search($term: String!) { search(term: $term) { ${SEARCH_FIELDS} } }`;
const GRANT_ID = 'MLA-KR-BENCH-ALERTS-1';
const SEARCHER: RequestContext = { ...benchRequester(WATCHER), requestReference: GRANT_ID };
/** The README search's load, as gateway-search and peers send it. */
const CONCURRENCY = 8;
/** The longest the client may lag behind the owner before a notice counts as lost. */
const DRAIN_TIMEOUT_MS = 30_000;
/** Every figure of this scenario is of this layout. */
const LAYOUT = 'processes';

export const alerts: Scenario = {
  name: 'alerts',
  description: `production layout (hub, members, gateway each a process): notice latency owner change → ${WATCHER} analyst's SSE stream at ${RATE}/s (goal p99 ≤ ${LATENCY_GOAL_MS} ms), CPU per notice per process, notices/s in a burst, the search with the alert load on vs off (goal ≥ 0.9×)`,
  timeoutS: 360,
  async run(ctx) {
    const policy = loadDefaultPolicy();
    const { owner, purpose } = crossing(policy);
    const dataDir = await ctx.tempDir('alerts');
    const alliance = await startAlertAlliance({ dataDir, owner, log: (line) => ctx.log(line) });
    ctx.defer(() => alliance.stop());
    const headersOf = async (context: { country: string; analyst: string }) => ({
      authorization: `Bearer ${await alliance.trust.analystToken(context.country, context.analyst)}`,
    });
    const watcherAuth = (await headersOf({ country: WATCHER, analyst: WATCH_ANALYST })).authorization;
    ctx.log(
      `  layout: ${LAYOUT} (${processNames().join(', ')}, and this one: the analysts' stream and load)`,
    );

    // When the hub acknowledged each notice to its owner's relay: the relay's share of the latency.
    const acknowledgedAt = new Map<string, number>();
    const posts = { count: 0, notices: 0 };
    alliance.owner.onRelayed((acknowledged, at) => {
      posts.count += 1;
      posts.notices += acknowledged.length;
      for (const noticeId of acknowledged) acknowledgedAt.set(noticeId, at);
    });

    // The owner's suspects with a passport, watched by KR's analyst through the gateway.
    const withPassport = await alliance.owner.suspects(WATCHES * IDENTIFIERS_PER_WATCH);
    if (withPassport.length === 0) throw new Error(`${owner} holds no suspect with a travel document.`);
    for (let i = 0; i < withPassport.length; i += IDENTIFIERS_PER_WATCH) {
      const recipients = await registerWatch(
        alliance.alertsUrl,
        watcherAuth,
        purpose,
        withPassport.slice(i, i + IDENTIFIERS_PER_WATCH).map((suspect) => suspect.document),
      );
      if (!recipients.includes(owner))
        throw new Error(`${WATCHER}'s watch did not go to ${owner}: recipients ${recipients.join(', ')}.`);
    }

    const stream = openStream(alliance.alertsUrl, watcherAuth);
    ctx.defer(() => stream.close());

    /** The owner drives changes; every notice they gave is expected on the stream. */
    async function drive(
      suspects: readonly WatchedSuspect[],
      durationMs: number | null,
      options: { burst?: boolean; until?: Promise<unknown> } = {},
    ): Promise<{ notices: number; changes: number; appliedMs: number }> {
      const driving = alliance.owner.drive({
        suspects,
        ratePerS: RATE,
        durationMs,
        ...(options.burst ? { burst: true } : {}),
      });
      if (options.until) void options.until.finally(() => driving.halt());
      const driven = await driving.done;
      for (const [noticeId, startedAt] of driven.notices) stream.expect(noticeId, startedAt);
      return { notices: driven.notices.length, changes: driven.changes, appliedMs: driven.appliedMs };
    }

    // Check before timing: each watched suspect's movement gives one notice, and the client gets them all.
    const told: WatchedSuspect[] = [];
    for (const suspect of withPassport)
      if ((await drive([suspect], 1, { burst: true })).notices === 1) told.push(suspect);
    if (told.length === 0)
      throw new Error(`No border movement at ${owner} gave ${WATCHER} a notice: nothing to measure.`);
    await stream.drained(ctx.signal);
    ctx.log(
      `${WATCHER} watches ${told.length} passports of ${owner} (purpose ${purpose}); the stream delivers`,
    );

    // 1. Latency at RATE notices/s, and each process's CPU per notice over the same time.
    await drive(told, ctx.quick ? 500 : 1_000);
    await stream.drained(ctx.signal);
    stream.take();
    acknowledgedAt.clear();
    const cpuBefore = alliance.cpu();
    posts.count = posts.notices = 0;
    const { notices: sent } = await drive(told, ctx.quick ? 3_000 : 15_000);
    await stream.drained(ctx.signal);
    const cpuPerNotice = perProcess(cpuBefore, alliance.cpu(), sent);
    const perPost = posts.notices / posts.count;
    const timed = stream.take();
    const latencies = timed.map(latencyOf);
    if (latencies.length !== sent)
      throw new Error(`${sent} notices sent at ${RATE}/s, ${latencies.length} received.`);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    // Where the time goes: the change to the hub's acknowledgement (owner, relay, hub's durable commit),
    // then the hub's acknowledgement to the client (the hub's wake-up, the gateway's checks, the stream).
    // The client can have a notice a moment before its relay has read the hub's answer.
    const ackDeadline = performance.now() + DRAIN_TIMEOUT_MS;
    while (timed.some((one) => !acknowledgedAt.has(one.noticeId))) {
      if (performance.now() > ackDeadline)
        throw new Error('A notice reached the client, and its relay never had the hub acknowledge it.');
      await sleep(5);
    }
    const toHub = timed.map((one) => acknowledgedAt.get(one.noticeId)! - one.startedAt);
    const fromHub = timed.map((one) => one.receivedAt - acknowledgedAt.get(one.noticeId)!);
    acknowledgedAt.clear();
    ctx.log(
      `latency at ${RATE}/s: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (${sent} notices, ${perPost.toFixed(1)} per relay post)`,
    );
    ctx.log(
      `CPU per notice at ${RATE}/s, by process: ${Object.entries(cpuPerNotice)
        .map(([name, ms]) => `${name} ${ms.toFixed(2)} ms`)
        .join(', ')}`,
    );

    // 2. A burst, applied as fast as the owner takes it.
    const burst = ctx.quick ? 300 : 1_000;
    const burstStart = sharedNow();
    const { notices: burstNotices, appliedMs } = await drive(told, burst, { burst: true });
    const lastAt = await stream.drained(ctx.signal);
    const burstLatencies = stream.take().map(latencyOf);
    if (burstLatencies.length !== burstNotices || burstNotices !== burst)
      throw new Error(
        `${burst} changes in the burst, ${burstNotices} notices, ${burstLatencies.length} received.`,
      );
    const burstRate = burst / ((lastAt - burstStart) / 1000);
    const applyRate = burst / (appliedMs / 1000);
    ctx.log(
      `burst of ${burst}: ${burstRate.toFixed(0)} notices/s delivered, ${applyRate.toFixed(0)}/s applied`,
    );
    acknowledgedAt.clear();

    // 3. The README's search, with the alert load on and off.
    const gateway = graphqlClient(alliance.gatewayUrl, CONCURRENCY);
    ctx.defer(() => gateway.close());
    const headers = await searchHeaders(gateway, policy, dataDir, headersOf);
    const body = { query: SEARCH, variables: { term: TERM } };
    await checkSearch(gateway, body, headers);
    const send = gateway.sender(body, headers);
    const load = { concurrency: CONCURRENCY, durationMs: ctx.quick ? 1_000 : 4_000, signal: ctx.signal };
    const warmup = { ...load, durationMs: ctx.quick ? 300 : 500 };
    interface Round extends LoadResult {
      /** CPU ms per search, by process (the alert pipeline's included in the "on" rounds). */
      readonly cpuPerSearch: Record<string, number>;
    }
    const measured = async (): Promise<Round> => {
      await closedLoop(send, warmup);
      const before = alliance.cpu();
      const result = await closedLoop(send, load);
      return { ...result, cpuPerSearch: perProcess(before, alliance.cpu(), result.requests) };
    };
    const underLoad: number[] = [];
    const results = await interleave<Round>(
      {
        off: measured,
        on: async () => {
          let roundOver!: () => void;
          const over = new Promise<void>((resolve) => (roundOver = resolve));
          const alertLoad = drive(told, null, { until: over });
          try {
            return await measured();
          } finally {
            roundOver();
            const { notices: count } = await alertLoad;
            await stream.drained(ctx.signal);
            const got = stream.take().map(latencyOf);
            if (got.length !== count) throw new Error(`${count} notices sent, ${got.length} received.`);
            underLoad.push(...got);
          }
        },
      },
      ctx.quick ? 1 : 4,
      ctx.signal,
    );
    const throughput = (name: 'on' | 'off') => median(results[name]!.map((r) => r.throughput));
    const p50Of = (name: 'on' | 'off') => median(results[name]!.map((r) => r.p50));
    const cpuOf = (name: 'on' | 'off', process: string) =>
      median(results[name]!.map((r) => r.cpuPerSearch[process] ?? NaN));
    const on = throughput('on');
    const off = throughput('off');
    ctx.log(`search: ${on.toFixed(0)} req/s with the alert load, ${off.toFixed(0)} req/s without`);
    const ratios = results.on!.map((round, i) => round.throughput / results.off![i]!.throughput);
    ctx.log(`  on / off per round: ${ratios.map((r) => r.toFixed(2)).join(', ')}`);
    ctx.log(
      `  CPU per search on / off: ${processNames()
        .concat('bench')
        .map((name) => `${name} ${cpuOf('on', name).toFixed(2)} / ${cpuOf('off', name).toFixed(2)} ms`)
        .join(', ')}`,
    );

    const cpuFigures: Figure[] = Object.entries(cpuPerNotice).map(([name, ms]) => ({
      name: `[${LAYOUT}] CPU per notice at ${RATE}/s: ${name}`,
      value: ms,
      unit: 'ms',
    }));
    return {
      figures: [
        { name: `[${LAYOUT}] notice latency p50 at ${RATE}/s`, value: p50, unit: 'ms' },
        { name: `[${LAYOUT}] notice latency p99 at ${RATE}/s`, value: p99, unit: 'ms' },
        {
          name: `[${LAYOUT}] of which change → hub acknowledged, p50`,
          value: percentile(toHub, 50),
          unit: 'ms',
        },
        {
          name: `[${LAYOUT}] of which hub acknowledged → client, p50`,
          value: percentile(fromHub, 50),
          unit: 'ms',
        },
        { name: `[${LAYOUT}] notices timed`, value: sent, unit: '' },
        { name: `[${LAYOUT}] notices per relay post at ${RATE}/s`, value: perPost, unit: '' },
        ...cpuFigures,
        {
          name: `[${LAYOUT}] CPU per notice at ${RATE}/s: all processes`,
          value: Object.values(cpuPerNotice).reduce((sum, ms) => sum + ms, 0),
          unit: 'ms',
        },
        { name: `[${LAYOUT}] notices/s delivered (burst of ${burst})`, value: burstRate, unit: '/s' },
        { name: `[${LAYOUT}] notices/s applied by the owner (burst)`, value: applyRate, unit: '/s' },
        { name: `[${LAYOUT}] burst notice latency p99`, value: percentile(burstLatencies, 99), unit: 'ms' },
        { name: `[${LAYOUT}] search throughput, alert load on`, value: on, unit: 'req/s' },
        { name: `[${LAYOUT}] search throughput, alert load off`, value: off, unit: 'req/s' },
        { name: `[${LAYOUT}] search p50, alert load on`, value: p50Of('on'), unit: 'ms' },
        { name: `[${LAYOUT}] search p50, alert load off`, value: p50Of('off'), unit: 'ms' },
        {
          name: `[${LAYOUT}] gateway CPU per search, alert load on`,
          value: cpuOf('on', 'gateway'),
          unit: 'ms',
        },
        {
          name: `[${LAYOUT}] gateway CPU per search, alert load off`,
          value: cpuOf('off', 'gateway'),
          unit: 'ms',
        },
        {
          name: `[${LAYOUT}] notice latency p50 under search load`,
          value: percentile(underLoad, 50),
          unit: 'ms',
        },
        {
          name: `[${LAYOUT}] notice latency p99 under search load`,
          value: percentile(underLoad, 99),
          unit: 'ms',
        },
      ],
      ratios: [
        ratio(`[${LAYOUT}] notice latency p99 / ${LATENCY_GOAL_MS} ms`, p99, LATENCY_GOAL_MS, { max: 1 }),
        ratio(`[${LAYOUT}] search throughput alert load on / off`, on, off, { min: 0.9 }),
      ],
    };
  },
};

/** The alliance's processes, in the order the figures name them: the gateway, the hub, the members. */
function processNames(): string[] {
  return ['gateway', HUB_NAME, ...MEMBERS.map((member) => subgraphName(member.code))];
}

/** CPU ms per unit of work, by process, between two readings of `AlertAlliance.cpu()`. */
function perProcess(
  before: Record<string, number>,
  after: Record<string, number>,
  units: number,
): Record<string, number> {
  const used: Record<string, number> = {};
  for (const name of [...processNames(), 'bench'])
    used[name] = ((after[name] ?? NaN) - (before[name] ?? NaN)) / units;
  return used;
}

/**
 * A purpose and an owner such that KR's rules send a passport watch to the owner (to its matching service)
 * and the owner's rules tell KR's analyst at least of a hit on the passport and on a border movement: read
 * from the agreements, never listed here.
 */
function crossing(policy: Policy): { owner: string; purpose: Purpose } {
  const at = Date.now();
  for (const owner of MEMBERS.map((member) => member.code).filter((code) => code !== WATCHER))
    for (const purpose of PURPOSES) {
      const caseReference = `${WATCHER}-CAS-000001`;
      const sends = policy.decide({
        owner: WATCHER,
        requester: { country: owner, analyst: MATCHING_SERVICE, roles: [], purpose, caseReference },
        category: identifierCategory(WATCHER, 'passport'),
        at,
        grants: new Map(),
      });
      const requester = { country: WATCHER, analyst: WATCH_ANALYST, roles: [], purpose, caseReference };
      const tells = [identifierCategory(owner, 'passport'), eventCategory(owner, 'border_movement')].every(
        (category) =>
          policy.decide({ owner, requester, category, at, grants: new Map() }).effect !== 'withhold',
      );
      if (sends.effect === 'release' && tells) return { owner, purpose };
    }
  throw new Error(`No member would tell ${WATCHER} of a border movement of a passport it watches.`);
}

async function registerWatch(
  alertsUrl: string,
  authorization: string,
  purpose: Purpose,
  documents: readonly { readonly number: string; readonly issuingCountry: string }[],
): Promise<string[]> {
  const response = await fetch(alertsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({
      query: `mutation ($input: WatchInput!) { registerWatch(input: $input) { watch { id recipients } unreached } }`,
      variables: {
        input: {
          caseReference: `${WATCHER}-CAS-000001`,
          purpose,
          identifiers: documents.map((document) => ({
            kind: 'passport',
            number: document.number,
            issuingCountry: document.issuingCountry,
          })),
          justification: 'Benchmark: the suspects are expected to cross borders repeatedly this week.',
          days: 7,
        },
      },
    }),
  });
  const answer = (await response.json()) as {
    data?: { registerWatch?: { watch: { recipients: string[] }; unreached: string[] } };
    errors?: unknown;
  };
  const registered = answer.data?.registerWatch;
  if (response.status !== 200 || registered === undefined || answer.errors !== undefined)
    throw new Error(
      `registerWatch failed (HTTP ${response.status}): ${JSON.stringify(answer).slice(0, 500)}`,
    );
  if (registered.unreached.length > 0)
    throw new Error(`registerWatch did not reach ${registered.unreached.join(', ')}.`);
  return registered.watch.recipients;
}

interface Received {
  readonly noticeId: string;
  readonly startedAt: number;
  readonly receivedAt: number;
}

const latencyOf = (received: Received): number => received.receivedAt - received.startedAt;

interface Stream {
  /** A notice the client should get, and the instant its change began. */
  expect(noticeId: string, startedAt: number): void;
  /** Resolves, with the instant of the last receipt, once every expected notice has been received. */
  drained(signal: AbortSignal): Promise<number>;
  /** The notices received since the last call: when each change began and when the client had it. */
  take(): Received[];
  close(): void;
}

/** The analyst's stream, read by graphql-sse's client: every notice's latency, from its change to its receipt. */
function openStream(alertsUrl: string, authorization: string): Stream {
  const waiting = new Map<string, number>();
  const early = new Map<string, number>();
  let latencies: Received[] = [];
  let lastAt = 0;
  let failure: Error | undefined;
  const client: Client = createClient({ url: alertsUrl, headers: { authorization }, retryAttempts: 0 });
  const unsubscribe = client.subscribe<{ alerts: { noticeId: string } }>(
    { query: 'subscription { alerts { cursor noticeId } }' },
    {
      next(result) {
        const at = sharedNow();
        const noticeId = result.data?.alerts.noticeId;
        if (noticeId === undefined) {
          failure ??= new Error(`The stream sent no notice: ${JSON.stringify(result).slice(0, 300)}`);
          return;
        }
        lastAt = at;
        const startedAt = waiting.get(noticeId);
        // The stream can be quicker than `apply` returns to the caller: kept until it is expected.
        if (startedAt === undefined) early.set(noticeId, at);
        else {
          waiting.delete(noticeId);
          latencies.push({ noticeId, startedAt, receivedAt: at });
        }
      },
      error(error) {
        failure ??= error instanceof Error ? error : new Error(JSON.stringify(error).slice(0, 300));
      },
      complete() {
        failure ??= new Error('The alert stream ended.');
      },
    },
  );
  return {
    expect(noticeId, startedAt) {
      const receivedAt = early.get(noticeId);
      if (receivedAt === undefined) waiting.set(noticeId, startedAt);
      else {
        early.delete(noticeId);
        latencies.push({ noticeId, startedAt, receivedAt });
      }
    },
    async drained(signal) {
      const deadline = performance.now() + DRAIN_TIMEOUT_MS;
      while (waiting.size > 0) {
        if (failure) throw failure;
        signal.throwIfAborted();
        if (performance.now() > deadline)
          throw new Error(`${waiting.size} notices not received within ${DRAIN_TIMEOUT_MS / 1000} s.`);
        await sleep(5);
      }
      if (failure) throw failure;
      return lastAt;
    },
    take() {
      const taken = latencies;
      latencies = [];
      return taken;
    },
    close() {
      unsubscribe();
      client.dispose();
    },
  };
}

/**
 * The search's headers as gateway-search sends them: KR's analyst under the follow-up each owner's desk
 * approved about the search's hits (bench/grants.ts), so every member names its suspects.
 */
async function searchHeaders(
  gateway: GraphQLClient,
  policy: Policy,
  dataDir: string,
  tokenOf: (context: RequestContext) => Promise<{ authorization: string }>,
): Promise<Record<string, string>> {
  const { requestReference: _, ...withoutReference } = SEARCHER;
  // Who asks is in the token (as test/support/alliance.ts clientHeaders sends it); why, in the headers.
  const headersOf = async (context: RequestContext) => {
    const { 'accord-country': _country, 'accord-analyst': _analyst, ...why } = requestContextHeaders(context);
    return { ...why, ...(await tokenOf(context)) };
  };
  const hit = await postAllowingFollowUps(
    gateway,
    { query: SEARCH, variables: { term: TERM } },
    await headersOf(withoutReference),
  );
  // Into the grant stores the members' processes read, in the alliance's data folder (bench/grants.ts).
  approveFollowUpIn(dataDir, { policy, id: GRANT_ID, requester: SEARCHER, subjects: hitsOf(hit) });
  return headersOf(SEARCHER);
}

/** Every member names a suspect for the term before anything is timed (a fast wrong answer is no result). */
async function checkSearch(
  gateway: GraphQLClient,
  body: { query: string; variables: Record<string, unknown> },
  headers: Record<string, string>,
): Promise<void> {
  type Search = { country: string; suspects: { fullName: string | null }[] | null };
  const answer = (await gateway.post(body, headers)) as { data: { search: Search[] } };
  const answered = answer.data.search
    .filter((s) => s.suspects?.some((x) => x.fullName))
    .map((s) => s.country);
  if (answered.length !== MEMBERS.length)
    throw new Error(
      `The search found named suspects in ${answered.join(', ') || 'no member'}; expected all ${MEMBERS.length}.`,
    );
}
