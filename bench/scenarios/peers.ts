/**
 * Accord against its peers (issue 12): in one run, with interleaved rounds, on the same supergraph and
 * the same members' data, the search for "Tiger" and a `case(id:)` query through
 *
 * - Accord as shipped: identity, redaction, signed calls, shield, audit logs on SQLite on both sides;
 * - Accord with audit off (no log on either side);
 * - plain @apollo/gateway 2.14 + Apollo Server 5, under bare node, before plain members (bench/plainMembers.ts:
 *   the same schema and resolvers without shield or token checks);
 * - Hive Gateway with its Rust query planner, before the same plain members, with in-flight deduplication
 *   off (the same work as the others) and on (Hive's default).
 *
 * At 5 members (the reference members, under the follow-up grant each owner approved) and at 30 synthetic
 * members (release-all stand-in agreements, members answering at once). Each gateway is a process of its
 * own and reports its own CPU time and resident memory (bench/gatewayProcess.ts); each alliance's members
 * are another (bench/remoteMembers.ts; the plain members serve all three peers). Accord's gateway and every
 * member process run compiled with plain `node --enable-source-maps`, as `npm start` runs the services
 * (bench/compiledEntries.ts, compiled first when a source changed); the peers under bare `node`. Hive Gateway is not a
 * dependency of Accord: it lives in bench/peers/ with its own lockfile, installed here on first use
 * (`npm ci --prefix bench/peers`); when that or Hive's start fails, its variants are skipped with the reason
 * and the others still run.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MEMBERS, buildSupergraph, parseGlobalId, readCommittedSupergraph, type Member } from '../../schema';
import { loadDefaultPolicy, type RequestContext } from '../../policy';
import { DEMO_IDS } from '../../subgraphs/reference';
import {
  ServerGroup,
  closedLoop,
  graphqlClient,
  interleave,
  median,
  ratio,
  type Figure,
  type GraphQLClient,
  type LoadResult,
  type Ratio,
  type Scenario,
} from '../harness';
import { analystHeaders, benchTrust } from '../federation';
import { startRemoteMembers, type RemoteMembers } from '../remoteMembers';
import { startGatewayProcess, type GatewayProcess } from '../gatewayProcess';
import { plainAuthorization } from '../plainMembers';
import { benchRequester, syntheticCaseId, syntheticMembers } from '../synthetic';
import { approveFollowUpIn, hitsOf, postAllowingFollowUps } from '../grants';
import type { AccordGatewaySettings } from '../accordGatewayProcess';
import { compiledBenchChildren, type CompiledBenchEntry, type CompiledChild } from '../compiledEntries';
import { SEARCH_FIELDS, TERM } from './gateway-search';

export const PEERS_DIR = join(__dirname, '..', 'peers');
/** Every variant, in the order the rounds run them. */
export const PEER_VARIANTS = ['accord', 'accordAuditOff', 'apollo', 'hive', 'hiveDedup'] as const;
export type PeerVariant = (typeof PEER_VARIANTS)[number];
export const PEER_LABELS: Readonly<Record<PeerVariant, string>> = {
  accord: 'Accord as shipped',
  accordAuditOff: 'Accord audit off',
  apollo: 'plain @apollo/gateway',
  hive: 'Hive Gateway (Rust planner, dedup off)',
  hiveDedup: 'Hive Gateway (Rust planner, dedup on)',
};
const HIVE: readonly PeerVariant[] = ['hive', 'hiveDedup'];

/** Issue 12's goals: Accord / plain throughput at 5 and 30 members, audit on / off, RSS at 30 members. */
const GOALS = {
  plainAt: { 5: 0.9, 30: 0.8 } as Record<number, number>,
  auditOnOff: 0.9,
  rssMbAt30: 300,
};
const CONCURRENCY = 8;
const GRANT_ID = 'MLA-KR-BENCH-0001';
const INSTALL_TIMEOUT_MS = 240_000;

const SEARCH = `query Search($term: String!) { search(term: $term) { ${SEARCH_FIELDS} } }`;
/**
 * The case's reference fields: what the KR–KH treaty releases to KR under the follow-up grant (its summary
 * needs a joint team). Two steps for every gateway: the hub routes the id, the owner answers.
 */
const CASE = `query Case($id: ID!) { case(id: $id) { id country caseNumber leadAgency operations } }`;
type Query = 'search' | 'case';
const QUERIES: readonly Query[] = ['search', 'case'];

interface Round extends LoadResult {
  readonly gatewayCpuMs: number;
  readonly membersCpuMs: number;
  readonly rssMb: number;
}

export const peers: Scenario = {
  name: 'peers',
  description:
    'Accord as shipped and with audit off against plain @apollo/gateway and Hive Gateway (Rust planner), search and case(id:), 5 and 30 members',
  timeoutS: 600,
  async run(ctx) {
    const figures: Figure[] = [];
    const ratios: Ratio[] = [];
    const hiveSkip = await installPeers((message) => ctx.log(message), ctx.signal);
    if (hiveSkip) {
      ctx.log(`Hive Gateway variants skipped: ${hiveSkip}`);
      figures.push({ name: `Hive Gateway skipped: ${hiveSkip}`.slice(0, 160), value: 0, unit: '' });
    }
    // Accord's gateway and members run compiled, as `npm start` runs them; the plain members too (the
    // same TypeScript as Accord's without shield or token checks), so no side pays for a loader.
    const compiled = await compiledBenchChildren((line) => ctx.log(line));
    const trustDir = await ctx.tempDir('peers-keys');
    for (const size of [5, 30]) {
      const servers = new ServerGroup();
      ctx.defer(() => servers.stopAll());
      const result = await measureSize(size, servers, trustDir, hiveSkip, compiled, ctx);
      figures.push(...result.figures);
      ratios.push(...result.ratios);
      await servers.stopAll();
    }
    return { figures, ratios };
  },
};

/**
 * Installs bench/peers/ (its own package-lock.json) when it is not installed yet; returns why the Hive
 * variants cannot run, or undefined when they can.
 */
async function installPeers(log: (m: string) => void, signal: AbortSignal): Promise<string | undefined> {
  const installed = ['@graphql-hive/gateway', '@graphql-hive/router-runtime'].every((name) =>
    existsSync(join(PEERS_DIR, 'node_modules', name, 'package.json')),
  );
  if (installed) return undefined;
  log(
    'Installing the peers (bench/peers/, not a dependency of Accord): npm ci --prefix bench/peers … (first use only)',
  );
  return new Promise((resolve) => {
    const child = spawn('npm', ['ci', '--prefix', PEERS_DIR, '--no-audit', '--no-fund'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-1_000);
    });
    const stop = () => {
      // npm and its children: the group this spawn leads, by its id.
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    };
    const timer = setTimeout(() => {
      stop();
      resolve(
        `npm ci --prefix bench/peers did not finish within ${INSTALL_TIMEOUT_MS / 1000} s; run it once by hand`,
      );
    }, INSTALL_TIMEOUT_MS);
    signal.addEventListener('abort', stop, { once: true });
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve(`npm ci --prefix bench/peers could not run: ${error.message}`);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const lastLine = stderr.trim().split('\n').filter(Boolean).pop() ?? '';
      resolve(code === 0 ? undefined : `npm ci --prefix bench/peers failed (code ${code}): ${lastLine}`);
    });
  });
}

/** Awaits processes started together; every one that started is kept for clean-up, even when another failed. */
async function allStarted<T extends { stop(): Promise<void> }>(
  servers: ServerGroup,
  starting: readonly Promise<T>[],
): Promise<T[]> {
  const outcomes = await Promise.allSettled(starting);
  for (const outcome of outcomes) if (outcome.status === 'fulfilled') servers.add(outcome.value);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  return outcomes.map((o) => (o as PromiseFulfilledResult<T>).value);
}

/** The supergraph with each subgraph's URL set to where it listens in this run, for the peers. */
export function withSubgraphUrls(supergraphSdl: string, urls: Readonly<Record<string, string>>): string {
  return supergraphSdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (whole, name: string) => {
    const url = urls[name];
    if (url === undefined) throw new Error(`No URL for subgraph "${name}" of the supergraph.`);
    return `@join__graph(name: "${name}", url: "${url}")`;
  });
}

async function measureSize(
  size: number,
  servers: ServerGroup,
  trustDir: string,
  hiveSkip: string | undefined,
  compiled: Readonly<Record<CompiledBenchEntry, CompiledChild>>,
  ctx: Parameters<Scenario['run']>[0],
): Promise<{ figures: Figure[]; ratios: Ratio[] }> {
  const reference = size === MEMBERS.length;
  const members: readonly Member[] = reference ? MEMBERS : syntheticMembers(size);
  const trust = benchTrust(trustDir, members);
  const supergraphSdl = reference ? readCommittedSupergraph() : buildSupergraph(members);
  // The reference members release the fields asked under the follow-up grant their owners approved; the
  // synthetic ones decide with the release-all stand-in, so their requester names none.
  const requester: RequestContext = reference
    ? { ...benchRequester('KR'), requestReference: GRANT_ID }
    : benchRequester(members[0]!.code);
  const caseId = reference ? DEMO_IDS.raidCaseKH : syntheticCaseId(members[size - 1]!.code);
  const bodies: Record<Query, { query: string; variables: Record<string, unknown> }> = {
    search: { query: SEARCH, variables: { term: TERM } },
    case: { query: CASE, variables: { id: caseId } },
  };
  const sqliteDir = await ctx.tempDir(`peers-audit-${size}`);
  const skipped: Figure[] = [];
  const alliance = (extra: { plain?: boolean; auditUrl?: string; grantsDir?: string }) =>
    reference
      ? ({ kind: 'reference', uncheckedTokens: false, ...extra } as const)
      : ({ kind: 'synthetic', size, delayMs: 0, ...extra } as const);

  ctx.log(`${size} members: starting the members (three processes) and the gateways (one process each)`);
  const grantsDirs = reference
    ? { accord: await ctx.tempDir('peers-grants-on'), accordAuditOff: await ctx.tempDir('peers-grants-off') }
    : undefined;
  const memberChild = compiled['bench/memberProcess.ts'];
  const membersRuntime = { entry: memberChild.entry, execArgv: memberChild.execArgv };
  // Started side by side (their start-up is mostly waiting), each kept for clean-up as soon as it runs.
  const [accordMembers, auditOffMembers, plainMembers] = await allStarted(servers, [
    startRemoteMembers(
      alliance({
        auditUrl: `sqlite:${sqliteDir}/{instance}.db`,
        ...(grantsDirs ? { grantsDir: grantsDirs.accord } : {}),
      }),
      trustDir,
      membersRuntime,
    ),
    startRemoteMembers(
      alliance(grantsDirs ? { grantsDir: grantsDirs.accordAuditOff } : {}),
      trustDir,
      membersRuntime,
    ),
    startRemoteMembers(alliance({ plain: true }), trustDir, membersRuntime),
  ]);
  const memberProcesses = { accord: accordMembers!, accordAuditOff: auditOffMembers!, plain: plainMembers! };
  const membersOf = (variant: PeerVariant): RemoteMembers =>
    variant === 'accord' || variant === 'accordAuditOff' ? memberProcesses[variant] : memberProcesses.plain;

  const accordSettings = (variant: 'accord' | 'accordAuditOff'): AccordGatewaySettings => ({
    ...(reference ? {} : { syntheticSize: size }),
    supergraphSdl,
    subgraphUrls: memberProcesses[variant].subgraphUrls,
    trustDir,
    ...(variant === 'accord' ? { auditUrl: `sqlite:${sqliteDir}/gateway-1.db` } : {}),
  });
  const peerSupergraph = withSubgraphUrls(supergraphSdl, memberProcesses.plain.subgraphUrls);
  const gateways: Partial<Record<PeerVariant, GatewayProcess>> = {};
  const start = (variant: PeerVariant): Promise<GatewayProcess> =>
    variant === 'accord' || variant === 'accordAuditOff'
      ? startGatewayProcess({
          entry: compiled['bench/accordGatewayProcess.ts'].entry,
          execArgv: compiled['bench/accordGatewayProcess.ts'].execArgv,
          settings: { ...accordSettings(variant) },
        })
      : startGatewayProcess({
          entry: join(PEERS_DIR, variant === 'apollo' ? 'apollo-gateway.cjs' : 'hive-gateway.cjs'),
          execArgv: [],
          settings: { supergraphSdl: peerSupergraph, deduplicate: variant === 'hiveDedup' },
        });
  const wanted = PEER_VARIANTS.filter((variant) => !(HIVE.includes(variant) && hiveSkip));
  const outcomes = await Promise.allSettled(wanted.map(start));
  const variants: PeerVariant[] = [];
  wanted.forEach((variant, i) => {
    const outcome = outcomes[i]!;
    if (outcome.status === 'fulfilled') {
      gateways[variant] = servers.add(outcome.value);
      variants.push(variant);
    } else if (HIVE.includes(variant)) {
      // Only a peer may be skipped: Accord or the plain gateway not starting is the scenario failing.
      const reason = `${PEER_LABELS[variant]} did not start: ${String((outcome.reason as Error).message ?? outcome.reason)}`;
      ctx.log(`${size} members: ${reason}; skipped`);
      skipped.push({ name: `${size} members: skipped, ${reason}`.slice(0, 200), value: 0, unit: '' });
    }
  });
  const failed = outcomes.find((o, i) => o.status === 'rejected' && !HIVE.includes(wanted[i]!));
  if (failed) throw (failed as PromiseRejectedResult).reason;

  const clients = {} as Record<PeerVariant, GraphQLClient>;
  for (const variant of variants) clients[variant] = graphqlClient(gateways[variant]!.url, CONCURRENCY);
  ctx.defer(() => variants.forEach((variant) => clients[variant].close()));
  const accordHeaders = await analystHeaders(trust, requester);
  const plainHeaders = { authorization: plainAuthorization(requester) };
  const headersOf = (variant: PeerVariant) =>
    variant === 'accord' || variant === 'accordAuditOff' ? accordHeaders : plainHeaders;

  // The first calls of a cold process (compiling, filling caches) are slow; on a loaded host, slow enough
  // to fail. A few requests each, errors allowed, before anything is checked or timed.
  for (const variant of variants)
    for (const query of QUERIES)
      await closedLoop(
        clients[variant].sender(bodies[query], headersOf(variant), () => undefined),
        {
          concurrency: 1,
          requests: 3,
          signal: ctx.signal,
          failOnError: false,
        },
      );

  if (grantsDirs) {
    // The search's hits (the same world in every alliance), then the follow-up about them and the case,
    // approved on each owner's desk in both of Accord's alliances.
    const { requestReference: _, ...withoutReference } = requester;
    const subjects = hitsOf(
      await postAllowingFollowUps(
        clients.accord,
        bodies.search,
        await analystHeaders(trust, withoutReference),
      ),
    );
    // The case asked by id is named in its owner's grant too: a grant covers named records only.
    const caseOwner = parseGlobalId(caseId)!.owner;
    subjects[caseOwner] = [...(subjects[caseOwner] ?? []), caseId];
    const policy = loadDefaultPolicy();
    for (const dir of Object.values(grantsDirs))
      approveFollowUpIn(dir, { policy, id: GRANT_ID, requester, subjects });
  }
  await checkSameAnswers(size, variants, clients, headersOf, bodies, (message) => ctx.log(message));

  const quick = ctx.quick;
  const rounds = quick ? 1 : size === 5 ? 3 : 2;
  // The 30-member search is several times slower: longer loads, fewer rounds, to count enough requests.
  const load = {
    concurrency: CONCURRENCY,
    durationMs: quick ? 600 : reference ? 1_500 : 2_500,
    signal: ctx.signal,
  };
  const warmup = { ...load, durationMs: quick ? 200 : 400 };
  const measure = (variant: PeerVariant, query: Query) => {
    const send = clients[variant].sender(bodies[query], headersOf(variant));
    return async (): Promise<Round> => {
      await closedLoop(send, warmup);
      const gatewayBefore = await gateways[variant]!.stats();
      const membersBefore = await membersOf(variant).cpuMicros();
      const result = await closedLoop(send, load);
      const gatewayAfter = await gateways[variant]!.stats();
      const membersAfter = await membersOf(variant).cpuMicros();
      return {
        ...result,
        gatewayCpuMs: (gatewayAfter.cpuMicros - gatewayBefore.cpuMicros) / 1000 / result.requests,
        membersCpuMs: (membersAfter - membersBefore) / 1000 / result.requests,
        rssMb: gatewayAfter.rssBytes / 2 ** 20,
      };
    };
  };
  ctx.log(`${size} members: ${rounds} interleaved round(s) of ${variants.length} gateways × 2 queries`);
  const results = await interleave(
    Object.fromEntries(
      variants.flatMap((variant) => QUERIES.map((query) => [`${variant}/${query}`, measure(variant, query)])),
    ),
    rounds,
    ctx.signal,
  );

  const figures: Figure[] = [...skipped];
  const ratios: Ratio[] = [];
  const summary = (variant: PeerVariant, query: Query) => {
    const list = results[`${variant}/${query}`]!;
    return {
      throughput: median(list.map((r) => r.throughput)),
      p50: median(list.map((r) => r.p50)),
      p99: median(list.map((r) => r.p99)),
      gatewayCpuMs: median(list.map((r) => r.gatewayCpuMs)),
      membersCpuMs: median(list.map((r) => r.membersCpuMs)),
    };
  };
  const rssMb = (variant: PeerVariant) =>
    Math.max(...QUERIES.flatMap((query) => results[`${variant}/${query}`]!.map((r) => r.rssMb)));
  const at = `${size} members`;
  for (const variant of variants) {
    const label = `${at}, ${PEER_LABELS[variant]}`;
    for (const query of QUERIES) {
      const s = summary(variant, query);
      figures.push(
        { name: `${label}, ${query}: throughput`, value: s.throughput, unit: 'req/s' },
        { name: `${label}, ${query}: p50`, value: s.p50, unit: 'ms' },
        { name: `${label}, ${query}: p99`, value: s.p99, unit: 'ms' },
        { name: `${label}, ${query}: gateway CPU per request`, value: s.gatewayCpuMs, unit: 'ms' },
        { name: `${label}, ${query}: members + hub CPU per request`, value: s.membersCpuMs, unit: 'ms' },
      );
    }
    figures.push({
      name: `${label}: gateway RSS (largest after a round)`,
      value: rssMb(variant),
      unit: 'MB',
    });
  }
  for (const query of QUERIES) {
    const accord = summary('accord', query);
    const plain = summary('apollo', query);
    const auditOff = summary('accordAuditOff', query);
    ratios.push(
      ratio(
        `${at}, ${query}: throughput Accord / plain @apollo/gateway`,
        accord.throughput,
        plain.throughput,
        {
          min: GOALS.plainAt[size]!,
        },
      ),
      ratio(`${at}, ${query}: throughput audit on / off`, accord.throughput, auditOff.throughput, {
        min: GOALS.auditOnOff,
      }),
      ratio(
        `${at}, ${query}: throughput audit off / plain @apollo/gateway`,
        auditOff.throughput,
        plain.throughput,
      ),
      ratio(
        `${at}, ${query}: gateway CPU per request Accord / plain`,
        accord.gatewayCpuMs,
        plain.gatewayCpuMs,
      ),
      ratio(
        `${at}, ${query}: members CPU per request Accord / plain`,
        accord.membersCpuMs,
        plain.membersCpuMs,
      ),
    );
    for (const hive of HIVE.filter((v) => variants.includes(v))) {
      ratios.push(
        ratio(
          `${at}, ${query}: throughput Accord / ${PEER_LABELS[hive]}`,
          accord.throughput,
          summary(hive, query).throughput,
        ),
      );
    }
    if (variants.includes('hive') && variants.includes('hiveDedup'))
      ratios.push(
        ratio(
          `${at}, ${query}: throughput Hive dedup on / off`,
          summary('hiveDedup', query).throughput,
          summary('hive', query).throughput,
        ),
      );
  }
  ratios.push(ratio(`${at}: gateway RSS Accord / plain @apollo/gateway`, rssMb('accord'), rssMb('apollo')));
  if (size === 30)
    ratios.push(
      ratio(`${at}: gateway RSS Accord / ${GOALS.rssMbAt30} MB`, rssMb('accord'), GOALS.rssMbAt30, {
        max: 1,
      }),
    );
  const search = (variant: PeerVariant) => summary(variant, 'search').throughput.toFixed(0);
  ctx.log(`${at}: search req/s ${variants.map((v) => `${PEER_LABELS[v]} ${search(v)}`).join(', ')}`);
  // Stop this size's processes before the next size starts: on 2 cores they would load each other.
  for (const variant of variants) clients[variant].close();
  return { figures, ratios };
}

/**
 * Every variant answers each query with the same data before anything is timed (a fast wrong answer is not
 * a result): the search from every member, with named suspects, and the case.
 */
async function checkSameAnswers(
  size: number,
  variants: readonly PeerVariant[],
  clients: Record<PeerVariant, GraphQLClient>,
  headersOf: (variant: PeerVariant) => Readonly<Record<string, string>>,
  bodies: Record<Query, { query: string; variables: Record<string, unknown> }>,
  log: (message: string) => void,
): Promise<void> {
  for (const query of QUERIES) {
    const answers = new Map<PeerVariant, string>();
    for (const variant of variants) {
      const answer = (await clients[variant].post(bodies[query], headersOf(variant))) as { data: unknown };
      answers.set(variant, canonical(answer.data));
    }
    const expected = answers.get('accord')!;
    const data = JSON.parse(expected) as {
      search?: { suspects: { fullName: string | null }[] | null }[];
      case?: { id: string } | null;
    };
    if (query === 'search' && data.search?.filter((s) => s.suspects?.some((x) => x.fullName)).length !== size)
      throw new Error(`Accord's search did not answer named suspects from all ${size} members.`);
    if (query === 'case' && !data.case?.id) throw new Error(`Accord's case(id:) answered no case.`);
    for (const [variant, text] of answers) {
      if (text !== expected)
        throw new Error(
          `${size} members, ${query}: ${PEER_LABELS[variant]} answers other data than Accord: ${text.slice(0, 300)} against ${expected.slice(0, 300)}`,
        );
    }
    log(`${size} members, ${query}: every gateway answers the same data`);
  }
}

/** JSON with object keys sorted and lists in their order: two answers with the same data compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
