/**
 * `npx tsx bench/gatewayCpu.ts [--baseline <checkout>] [--audit on|off|both] [--rounds 5] [--seconds 3]
 * [--profile <dir>]`: the gateway's own CPU per request, as the peers scenario measures it (the gateway
 * compiled, in a process of its own, the five reference members under the follow-up grant their owners
 * approved, concurrency 8), for the README's search and the peers' `case(id:)`, with the gateway's audit
 * log on SQLite and without, in interleaved rounds.
 *
 * One alliance of members (its own process, compiled, logging its disclosures) serves every gateway: the
 * members' answer to a gateway depends on what the gateway asks (with its audit on, a field report), not
 * on the members' own log. `--baseline` adds, for every audit setting, the gateway of another checkout
 * (say `git archive main | tar -x -C /tmp/base`, with its node_modules linked; its bench entries compiled
 * into its own dist/bench/ by this checkout's builder): before / after side by side in one run, so the
 * host's load hits both alike. `--profile` samples this checkout's gateways with the inspector's CPU
 * profiler during each measured round and writes one profile per round there (read them with
 * bench/cpuProfileSummary.ts; the profiler's own cost inflates the CPU figures of that run). Every
 * gateway must give the same answers before anything is timed. Not a scenario of `npm run bench`: a tool
 * for finding and checking the gateway's own costs.
 */
import { join } from 'node:path';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { MEMBERS, parseGlobalId, readCommittedSupergraph } from '../schema';
import { loadDefaultPolicy, type RequestContext } from '../policy';
import { DEMO_IDS } from '../subgraphs/reference';
import { BENCH_DIST_DIR, buildServicesIfStale, compiledEntry } from '../scripts/serviceBuild';
import { ServerGroup, closedLoop, graphqlClient, interleave, median, type GraphQLClient } from './harness';
import { analystHeaders, benchTrust } from './federation';
import { startRemoteMembers } from './remoteMembers';
import { startGatewayProcess, type GatewayProcess } from './gatewayProcess';
import { benchRequester } from './synthetic';
import { approveFollowUpIn, hitsOf, postAllowingFollowUps } from './grants';
import { COMPILED_BENCH_ENTRIES, compiledBenchChildren } from './compiledEntries';
import { compiledExecArgv } from '../scripts/supervisedProcess';
import { SEARCH_FIELDS, TERM } from './scenarios/gateway-search';
import type { AccordGatewaySettings } from './accordGatewayProcess';

const GRANT_ID = 'MLA-KR-BENCH-0001';
const REQUESTER: RequestContext = { ...benchRequester('KR'), requestReference: GRANT_ID };
const CONCURRENCY = 8;
const QUERIES = {
  search: {
    query: `query Search($term: String!) { search(term: $term) { ${SEARCH_FIELDS} } }`,
    variables: { term: TERM },
  },
  // The peers scenario's case: the hub routes the id, the owner answers.
  case: {
    query: `query Case($id: ID!) { case(id: $id) { id country caseNumber leadAgency operations } }`,
    variables: { id: DEMO_IDS.raidCaseKH },
  },
} as const;
type Query = keyof typeof QUERIES;

/**
 * CPU time of each thread of a process so far, µs, by kind: `main` (JavaScript's own thread) and
 * `others` (the audit store's commit worker, libuv's pool, V8's helpers), from /proc (Linux; empty
 * elsewhere). Clock ticks: 10 ms apiece, enough over a load of seconds.
 */
function threadCpuMicros(pid: number): { main: number; others: number } | undefined {
  try {
    const tick = 10_000;
    let main = 0;
    let others = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // The fields after the command name (which may hold spaces) in parentheses: utime is the 12th, stime the 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const micros = (Number(fields[11]) + Number(fields[12])) * tick;
      if (Number(tid) === pid) main += micros;
      else others += micros;
    }
    return { main, others };
  } catch {
    return undefined;
  }
}

function option(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

interface Variant {
  readonly name: string;
  readonly audit: boolean;
  /** Another checkout's root; undefined: this one. */
  readonly root?: string;
}

async function main(argv: readonly string[]): Promise<void> {
  process.env['LOG_LEVEL'] ??= 'error';
  const baseline = option(argv, '--baseline');
  const auditSetting = option(argv, '--audit') ?? 'both';
  const rounds = Number(option(argv, '--rounds') ?? 5);
  const seconds = Number(option(argv, '--seconds') ?? 3);
  const profileDir = option(argv, '--profile');
  const audits = auditSetting === 'both' ? [true, false] : [auditSetting === 'on'];

  const variants: Variant[] = [];
  for (const audit of audits) {
    const label = audit ? 'audit on' : 'audit off';
    if (baseline) variants.push({ name: `baseline, ${label}`, audit, root: baseline });
    variants.push({ name: `this checkout, ${label}`, audit });
  }

  const compiled = await compiledBenchChildren((line) => console.error(line));
  const gatewayEntry = (variant: Variant): string => {
    if (variant.root === undefined) return compiled['bench/accordGatewayProcess.ts'].entry;
    return compiledEntry(variant.root, 'bench/accordGatewayProcess.ts', BENCH_DIST_DIR);
  };
  if (baseline) {
    const built = await buildServicesIfStale(baseline, COMPILED_BENCH_ENTRIES, BENCH_DIST_DIR);
    if (built !== undefined) console.error(`compiled the baseline's bench entries (${built})`);
  }

  const servers = new ServerGroup();
  const work = mkdtempSync(join(tmpdir(), 'accord-gateway-cpu-'));
  try {
    const trustDir = join(work, 'keys');
    const trust = benchTrust(trustDir, MEMBERS);
    const grantsDir = mkdtempSync(join(work, 'grants-'));
    const memberChild = compiled['bench/memberProcess.ts'];
    const members = servers.add(
      await startRemoteMembers(
        {
          kind: 'reference',
          uncheckedTokens: false,
          grantsDir,
          auditUrl: `sqlite:${mkdtempSync(join(work, 'members-audit-'))}/{instance}.db`,
        },
        trustDir,
        { entry: memberChild.entry, execArgv: memberChild.execArgv },
      ),
    );
    const gateways: GatewayProcess[] = [];
    const clients: GraphQLClient[] = [];
    for (const variant of variants) {
      const settings: AccordGatewaySettings = {
        supergraphSdl: readCommittedSupergraph(),
        subgraphUrls: members.subgraphUrls,
        trustDir,
        ...(variant.audit
          ? { auditUrl: `sqlite:${mkdtempSync(join(work, 'gateway-audit-'))}/gateway-1.db` }
          : {}),
      };
      const gateway = servers.add(
        await startGatewayProcess({
          entry: gatewayEntry(variant),
          execArgv: compiledExecArgv('gateway'),
          settings: { ...settings },
        }),
      );
      gateways.push(gateway);
      clients.push(graphqlClient(gateway.url, CONCURRENCY));
    }

    const headers = await analystHeaders(trust, REQUESTER);
    const { requestReference: _, ...withoutReference } = REQUESTER;
    const subjects = hitsOf(
      await postAllowingFollowUps(clients[0]!, QUERIES.search, await analystHeaders(trust, withoutReference)),
    );
    const caseOwner = parseGlobalId(DEMO_IDS.raidCaseKH)!.owner;
    subjects[caseOwner] = [...(subjects[caseOwner] ?? []), DEMO_IDS.raidCaseKH];
    approveFollowUpIn(grantsDir, {
      policy: loadDefaultPolicy(),
      id: GRANT_ID,
      requester: REQUESTER,
      subjects,
    });

    // Every gateway answers the same data, whole: five members with named suspects, and the case.
    for (const query of Object.keys(QUERIES) as Query[]) {
      const answers = new Set<string>();
      for (const [i, client] of clients.entries()) {
        const answer = (await client.post(QUERIES[query], headers)) as {
          data: { search?: { suspects: { fullName: string | null }[] | null }[]; case?: { id: string } };
        };
        if (
          query === 'search' &&
          answer.data.search?.filter((s) => s.suspects?.some((x) => x.fullName)).length !== MEMBERS.length
        )
          throw new Error(`${variants[i]!.name}: the search did not answer from all five members.`);
        if (query === 'case' && !answer.data.case?.id) throw new Error(`${variants[i]!.name}: no case.`);
        answers.add(JSON.stringify(answer.data));
      }
      if (answers.size !== 1) throw new Error(`The gateways did not give the same answer to the ${query}.`);
    }

    const load = { concurrency: CONCURRENCY, durationMs: seconds * 1000 };
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    let profiles = 0;
    const measure = (i: number, query: Query) => async () => {
      const send = clients[i]!.sender(QUERIES[query], headers);
      await closedLoop(send, { ...load, durationMs: 500 });
      const gateway = gateways[i]!;
      const profiled = profileDir !== undefined && variants[i]!.root === undefined;
      if (profiled) await gateway.startProfile();
      const threadsBefore = threadCpuMicros(gateway.pid);
      const before = (await gateway.stats()).cpuMicros;
      const result = await closedLoop(send, load);
      const used = (await gateway.stats()).cpuMicros - before;
      const threadsAfter = threadCpuMicros(gateway.pid);
      // The file names the requests it sampled: per-request figures divide by it.
      if (profiled)
        await gateway.stopProfile(
          join(
            profileDir,
            `gateway-${variants[i]!.audit ? 'audit-on' : 'audit-off'}-${query}-${++profiles}-${result.requests}req.cpuprofile`,
          ),
        );
      const perRequest = (micros: number) => micros / 1000 / result.requests;
      return {
        cpuMs: perRequest(used),
        mainMs: threadsBefore && threadsAfter ? perRequest(threadsAfter.main - threadsBefore.main) : NaN,
        othersMs:
          threadsBefore && threadsAfter ? perRequest(threadsAfter.others - threadsBefore.others) : NaN,
        throughput: result.throughput,
      };
    };
    const load1 = loadavg()[0]!;
    const results = await interleave(
      Object.fromEntries(
        variants.flatMap((variant, i) =>
          (Object.keys(QUERIES) as Query[]).map((query) => [`${variant.name} / ${query}`, measure(i, query)]),
        ),
      ),
      rounds,
    );
    const load2 = loadavg()[0]!;
    console.log(
      '| gateway | query | gateway CPU ms per request (median) | of which main thread | other threads | req/s (median) |',
    );
    console.log('|---|---|---:|---:|---:|---:|');
    const cpu: Record<string, number> = {};
    for (const variant of variants)
      for (const query of Object.keys(QUERIES) as Query[]) {
        const key = `${variant.name} / ${query}`;
        const list = results[key]!;
        cpu[key] = median(list.map((r) => r.cpuMs));
        console.log(
          `| ${variant.name} | ${query} | ${cpu[key].toFixed(2)} | ${median(list.map((r) => r.mainMs)).toFixed(2)} | ${median(list.map((r) => r.othersMs)).toFixed(2)} | ${median(list.map((r) => r.throughput)).toFixed(0)} |`,
        );
      }
    for (const query of Object.keys(QUERIES) as Query[]) {
      if (audits.length === 2) {
        const on = cpu[`this checkout, audit on / ${query}`]!;
        const off = cpu[`this checkout, audit off / ${query}`]!;
        console.log(`${query}: this checkout, audit on − off: ${(on - off).toFixed(2)} ms`);
      }
      if (baseline)
        for (const audit of audits) {
          const label = audit ? 'audit on' : 'audit off';
          const ratio = cpu[`this checkout, ${label} / ${query}`]! / cpu[`baseline, ${label} / ${query}`]!;
          console.log(`${query}: ratio this checkout / baseline, ${label}: ${ratio.toFixed(2)}`);
        }
    }
    console.log(
      `load average (1 min) at start and end of the measured rounds: ${load1.toFixed(2)}, ${load2.toFixed(2)}`,
    );
    for (const client of clients) client.close();
  } finally {
    await servers.stopAll();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
