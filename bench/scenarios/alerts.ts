/**
 * Real-time alerts end to end (issue 11; docs/decisions/0019-alert-delivery.md), in this process on
 * 127.0.0.1: the five reference members with their alerts and relays, the hub with its alert log (SQLite),
 * the gateway with its alert API, started as the test alliance starts them (test/support/alliance.ts,
 * `alerts`). A KR analyst registers watches through the gateway (`registerWatch`) on passports of another
 * member's suspects, with a purpose under which KR's rules send the passports there and the owner's rules
 * tell KR of a border movement (both read from the agreements), and reads the stream
 * (`subscription { alerts }` over Server-Sent Events, graphql-sse's own client). The owner records border
 * movements of the watched suspects (`OwnerAlerts.apply`, which commits the change and its notice).
 *
 * 1. Latency: movements at 100 notices/s for a bounded time; each notice's latency is the instant the
 *    client reads it less the instant its change was applied (both `performance.now()` of this process;
 *    taken before `apply`, so the owner's matching, signing and commit count too). p50 and p99; goal p99
 *    ≤ 100 ms.
 * 2. Sustained notices/s: a burst of changes applied as fast as the owner takes them; the time from the
 *    first change to the client's receipt of the last notice.
 * 3. The README's search through the gateway in a closed loop, in interleaved rounds with the 100/s alert
 *    load running and without; goal throughput on / off ≥ 0.9.
 */
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { createClient, type Client } from 'graphql-sse';
import { eventCategory, identifierCategory, MATCHING_SERVICE } from '../../alerts';
import { MEMBERS } from '../../schema';
import { loadDefaultPolicy, requestContextHeaders, type Policy, type RequestContext } from '../../policy';
import type { RecordChange } from '../../subgraphs/reference';
import { PURPOSES, type Purpose } from '../../vocabulary';
import { startAlliance, type Alliance } from '../../test/support/alliance';
import {
  cpuMeasuredRound,
  graphqlClient,
  interleave,
  median,
  percentile,
  ratio,
  type GraphQLClient,
  type Scenario,
} from '../harness';
import { benchRequester } from '../synthetic';
import { approveFollowUp, closeAll, hitsOf, openBenchGrantStores, postAllowingFollowUps } from '../grants';
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
const CONCURRENCY = 4;
/** The longest the client may lag behind the owner before a notice counts as lost. */
const DRAIN_TIMEOUT_MS = 30_000;

export const alerts: Scenario = {
  name: 'alerts',
  description: `notice latency owner commit → ${WATCHER} analyst's SSE stream at ${RATE}/s (goal p99 ≤ ${LATENCY_GOAL_MS} ms), notices/s in a burst, the search with the alert load on vs off (goal ≥ 0.9×)`,
  timeoutS: 180,
  async run(ctx) {
    const policy = loadDefaultPolicy();
    const { owner, purpose } = crossing(policy);
    const dataDir = await ctx.tempDir('alerts');
    const grantStores = openBenchGrantStores(
      MEMBERS.map((member) => member.code),
      dataDir,
    );
    ctx.defer(() => closeAll(grantStores));
    // When the hub acknowledged each notice to its owner's relay: the relay's share of the latency.
    const acknowledgedAt = new Map<string, number>();
    // Real time throughout: the watches' expiries, the notices' instants and the tokens run on the clock.
    const alliance = await startAlliance({
      alerts: {
        onRelayEvent(_member, event) {
          if (event.kind !== 'delivered') return;
          const at = performance.now();
          for (const noticeId of event.acknowledged) acknowledgedAt.set(noticeId, at);
        },
      },
      now: Date.now,
      policy,
      grants: grantStores,
    });
    ctx.defer(() => alliance.stop());
    const alertsUrl = alliance.gatewayUrl.replace(/\/graphql$/, '/alerts');
    const watcherAuth = (
      await alliance.clientHeaders({ 'accord-country': WATCHER, 'accord-analyst': WATCH_ANALYST })
    )['authorization']!;

    // The owner's suspects with a passport, watched by KR's analyst through the gateway.
    const memberAlerts = alliance.memberAlerts[owner]!;
    const { store } = memberAlerts;
    const ids = Array.from(
      { length: store.counts.Suspect },
      (_, i) => `${owner}-SUS-${String(i + 1).padStart(6, '0')}`,
    );
    const withPassport = [...store.load('Suspect', ids).values()]
      .filter((suspect) => suspect.travelDocuments.length > 0)
      .slice(0, WATCHES * IDENTIFIERS_PER_WATCH);
    if (withPassport.length === 0) throw new Error(`${owner} holds no suspect with a travel document.`);
    for (let i = 0; i < withPassport.length; i += IDENTIFIERS_PER_WATCH) {
      const recipients = await registerWatch(
        alertsUrl,
        watcherAuth,
        purpose,
        withPassport.slice(i, i + IDENTIFIERS_PER_WATCH).map((suspect) => suspect.travelDocuments[0]!),
      );
      if (!recipients.includes(owner))
        throw new Error(`${WATCHER}'s watch did not go to ${owner}: recipients ${recipients.join(', ')}.`);
    }

    const stream = openStream(alertsUrl, watcherAuth);
    ctx.defer(() => stream.close());

    let moves = 0;
    /** Records a border movement of the next watched suspect; the instant it began, by notice id. */
    function moveOne(suspects: readonly (typeof withPassport)[number][]): number {
      const suspect = suspects[moves % suspects.length]!;
      moves += 1;
      const document = suspect.travelDocuments[0]!;
      const change: RecordChange = {
        kind: 'border_movement',
        suspect: suspect.id,
        movement: {
          direction: moves % 2 === 0 ? 'ENTRY' : 'EXIT',
          crossingPoint: 'Bench crossing',
          country: owner,
          at: new Date().toISOString(),
          documentNumber: document.number,
        },
      };
      const startedAt = performance.now();
      const applied = memberAlerts.alerts.apply(change);
      for (const { notice } of applied.notices) stream.expect(notice.noticeId, startedAt);
      return applied.notices.length;
    }

    // Check before timing: each watched suspect's movement gives one notice, and the client gets them all.
    const told = withPassport.filter((suspect) => moveOne([suspect]) === 1);
    if (told.length === 0)
      throw new Error(`No border movement at ${owner} gave ${WATCHER} a notice: nothing to measure.`);
    await stream.drained(ctx.signal);
    ctx.log(
      `${WATCHER} watches ${told.length} passports of ${owner} (purpose ${purpose}); the stream delivers`,
    );

    // 1. Latency at RATE notices/s.
    await paced(ctx.quick ? 500 : 1_000, () => moveOne(told), ctx.signal);
    await stream.drained(ctx.signal);
    stream.take();
    const paceMs = ctx.quick ? 3_000 : 15_000;
    const cpu = process.cpuUsage();
    const sent = await paced(paceMs, () => moveOne(told), ctx.signal);
    await stream.drained(ctx.signal);
    const used = process.cpuUsage(cpu);
    const cpuPerNotice = (used.user + used.system) / 1000 / sent;
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
    ctx.log(`latency at ${RATE}/s: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (${sent} notices)`);

    // 2. A burst, applied as fast as the owner takes it (yielding now and then so the relay and the stream run).
    const burst = ctx.quick ? 300 : 1_000;
    const burstStart = performance.now();
    for (let i = 0; i < burst; i += 1) {
      moveOne(told);
      if (i % 10 === 9) await yieldToLoop();
    }
    const appliedMs = performance.now() - burstStart;
    const lastAt = await stream.drained(ctx.signal);
    const burstLatencies = stream.take().map(latencyOf);
    if (burstLatencies.length !== burst)
      throw new Error(`${burst} notices in the burst, ${burstLatencies.length} received.`);
    const burstRate = burst / ((lastAt - burstStart) / 1000);
    const applyRate = burst / (appliedMs / 1000);
    ctx.log(
      `burst of ${burst}: ${burstRate.toFixed(0)} notices/s delivered, ${applyRate.toFixed(0)}/s applied`,
    );

    // 3. The README's search, with the alert load on and off.
    const gateway = graphqlClient(alliance.gatewayUrl, CONCURRENCY);
    ctx.defer(() => gateway.close());
    const headers = await searchHeaders(alliance, gateway, policy, grantStores);
    const body = { query: SEARCH, variables: { term: TERM } };
    await checkSearch(gateway, body, headers);
    const send = gateway.sender(body, headers);
    const load = { concurrency: CONCURRENCY, durationMs: ctx.quick ? 1_000 : 2_500, signal: ctx.signal };
    const warmup = { ...load, durationMs: ctx.quick ? 300 : 500 };
    const round = cpuMeasuredRound(send, load, warmup);
    const underLoad: number[] = [];
    const results = await interleave(
      {
        off: round,
        on: async () => {
          const stop = new AbortController();
          const alertLoad = paced(Infinity, () => moveOne(told), AbortSignal.any([ctx.signal, stop.signal]));
          try {
            return await round();
          } finally {
            stop.abort();
            const count = await alertLoad;
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
    const on = throughput('on');
    const off = throughput('off');
    ctx.log(`search: ${on.toFixed(0)} req/s with the alert load, ${off.toFixed(0)} req/s without`);

    return {
      figures: [
        { name: `notice latency p50 at ${RATE}/s`, value: p50, unit: 'ms' },
        { name: `notice latency p99 at ${RATE}/s`, value: p99, unit: 'ms' },
        { name: 'of which change → hub acknowledged, p50', value: percentile(toHub, 50), unit: 'ms' },
        { name: 'of which hub acknowledged → client, p50', value: percentile(fromHub, 50), unit: 'ms' },
        { name: 'notices timed', value: sent, unit: '' },
        {
          name: `CPU per notice at ${RATE}/s (all components, this process)`,
          value: cpuPerNotice,
          unit: 'ms',
        },
        { name: `notices/s delivered (burst of ${burst})`, value: burstRate, unit: '/s' },
        { name: 'notices/s applied by the owner (burst)', value: applyRate, unit: '/s' },
        { name: 'burst notice latency p99', value: percentile(burstLatencies, 99), unit: 'ms' },
        { name: 'search throughput, alert load on', value: on, unit: 'req/s' },
        { name: 'search throughput, alert load off', value: off, unit: 'req/s' },
        { name: 'search p50, alert load on', value: p50Of('on'), unit: 'ms' },
        { name: 'search p50, alert load off', value: p50Of('off'), unit: 'ms' },
        { name: 'notice latency p99 under search load', value: percentile(underLoad, 99), unit: 'ms' },
      ],
      ratios: [
        ratio(`notice latency p99 / ${LATENCY_GOAL_MS} ms`, p99, LATENCY_GOAL_MS, { max: 1 }),
        ratio('search throughput alert load on / off', on, off, { min: 0.9 }),
      ],
    };

    /** Applies changes at RATE/s (open loop: a late one is sent at once) for `durationMs` or until aborted. */
    async function paced(durationMs: number, apply: () => number, signal: AbortSignal): Promise<number> {
      const start = performance.now();
      let count = 0;
      for (let i = 0; performance.now() - start < durationMs && !signal.aborted; i += 1) {
        const wait = start + (i * 1000) / RATE - performance.now();
        if (wait > 0) await sleep(wait);
        if (signal.aborted) break;
        count += apply();
      }
      return count;
    }
  },
};

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
        const at = performance.now();
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
  alliance: Alliance,
  gateway: GraphQLClient,
  policy: Policy,
  stores: Parameters<typeof approveFollowUp>[0]['stores'],
): Promise<Record<string, string>> {
  const { requestReference: _, ...withoutReference } = SEARCHER;
  const hit = await postAllowingFollowUps(
    gateway,
    { query: SEARCH, variables: { term: TERM } },
    await alliance.clientHeaders(requestContextHeaders(withoutReference)),
  );
  approveFollowUp({ policy, id: GRANT_ID, requester: SEARCHER, subjects: hitsOf(hit), stores });
  return alliance.clientHeaders(requestContextHeaders(SEARCHER));
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
