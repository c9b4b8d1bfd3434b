/**
 * `npx tsx bench/membersCpu.ts [--baseline <checkout>] [--audit on|off|both] [--rounds 5] [--seconds 3]
 * [--profile <dir>] [--compiled] [--gateway-audit]`: the members' CPU per search, the README's search ("Tiger" as a KR analyst under the
 * follow-up the owners approved, through the gateway, five reference members), in interleaved rounds.
 *
 * Each alliance's members and hub run in a child process of their own (bench/remoteMembers.ts), each
 * behind its own gateway in this process. `--baseline` adds, for every audit setting, an alliance served by
 * another checkout's bench/memberProcess.ts (say `git archive main | tar -x -C /tmp/base`, with its
 * node_modules linked): before / after side by side in one run, so the host's load hits both alike.
 * `--profile` samples this checkout's member processes with the inspector's CPU profiler during each
 * measured round and writes one profile per round there (read them with bench/cpuProfileSummary.ts; the
 * profiler's own cost inflates the CPU figures of that run). Not a scenario of `npm run bench`: a tool for
 * finding and checking the members' own costs. `--compiled`: every member process (the baseline's too, built
 * by its own scripts/serviceBuild.ts) runs compiled with plain `node`, as `npm start` and the peers scenario
 * run them (bench/compiledEntries.ts), so the tsx loader's own costs are not in the figures.
 * `--gateway-audit`: the gateway of an audited variant keeps its own log too, as shipped; it then asks the
 * members for their field reports and record ids (docs/decisions/0011-audit-in-the-request-path.md), so the
 * members' figure is what they pay with both sides audited, as in the peers scenario.
 */
import { join } from 'node:path';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { MEMBERS, readCommittedSupergraph } from '../schema';
import { loadDefaultPolicy, type RequestContext } from '../policy';
import { ServerGroup, closedLoop, graphqlClient, interleave, median } from './harness';
import { analystHeaders, benchTrust, startGatewayFor } from './federation';
import { startRemoteMembers, type RemoteMembers } from './remoteMembers';
import { benchRequester } from './synthetic';
import { approveFollowUpIn, hitsOf, postAllowingFollowUps } from './grants';
import { SEARCH_FIELDS, TERM } from './scenarios/gateway-search';
import { openAuditLog, type AuditLog } from '../audit';
import { compiledBenchChildren, type CompiledChild } from './compiledEntries';

const GRANT_ID = 'MLA-KR-BENCH-0001';
const REQUESTER: RequestContext = { ...benchRequester('KR'), requestReference: GRANT_ID };
const SEARCH = `query Search($term: String!) { search(term: $term) { ${SEARCH_FIELDS} } }`;
const CONCURRENCY = 4;

function option(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

interface Variant {
  readonly name: string;
  readonly audit: boolean;
  /** Another checkout's member process (`--baseline`). */
  readonly entry?: string;
  /** How its member process is started when compiled (`--compiled`). */
  readonly compiled?: CompiledChild;
}

const MEMBER_ENTRY = 'bench/memberProcess.ts';

/** Another checkout's member process, compiled by that checkout's own builder into its own bench folder. */
async function compiledBaseline(checkout: string): Promise<CompiledChild> {
  const build = (await import(
    join(checkout, 'scripts/serviceBuild.ts')
  )) as typeof import('../scripts/serviceBuild');
  const supervised = (await import(
    join(checkout, 'scripts/supervisedProcess.ts')
  )) as typeof import('../scripts/supervisedProcess');
  const dist = join(checkout, 'dist', 'bench');
  await build.buildServicesIfStale(checkout, [MEMBER_ENTRY], dist);
  return {
    entry: build.compiledEntry(checkout, MEMBER_ENTRY, dist),
    execArgv: supervised.compiledExecArgv('service'),
  };
}

async function main(argv: readonly string[]): Promise<void> {
  process.env['LOG_LEVEL'] ??= 'error';
  const baseline = option(argv, '--baseline');
  const auditSetting = option(argv, '--audit') ?? 'both';
  const rounds = Number(option(argv, '--rounds') ?? 5);
  const seconds = Number(option(argv, '--seconds') ?? 3);
  const profileDir = option(argv, '--profile');
  const gatewayAudits = argv.includes('--gateway-audit');
  const logs: AuditLog[] = [];
  const audits = auditSetting === 'both' ? [false, true] : [auditSetting === 'on'];
  const compiled = argv.includes('--compiled');
  const own = compiled ? (await compiledBenchChildren((line) => console.log(line)))[MEMBER_ENTRY] : undefined;
  const base = compiled && baseline ? await compiledBaseline(baseline) : undefined;

  const variants: Variant[] = [];
  for (const audit of audits) {
    const label = audit ? 'audit on' : 'audit off';
    if (baseline)
      variants.push({
        name: `baseline, ${label}`,
        audit,
        entry: join(baseline, MEMBER_ENTRY),
        ...(base ? { compiled: base } : {}),
      });
    variants.push({ name: `this checkout, ${label}`, audit, ...(own ? { compiled: own } : {}) });
  }

  const servers = new ServerGroup();
  const work = mkdtempSync(join(tmpdir(), 'accord-members-cpu-'));
  try {
    const trustDir = join(work, 'keys');
    const trust = benchTrust(trustDir, MEMBERS);
    const remotes: RemoteMembers[] = [];
    const clients: ReturnType<typeof graphqlClient>[] = [];
    const grantsDirs: string[] = [];
    for (const [i, variant] of variants.entries()) {
      const grantsDir = mkdtempSync(join(work, `grants-${i}-`));
      grantsDirs.push(grantsDir);
      const remote = servers.add(
        await startRemoteMembers(
          {
            kind: 'reference',
            uncheckedTokens: false,
            grantsDir,
            ...(variant.audit
              ? { auditUrl: `sqlite:${mkdtempSync(join(work, `audit-${i}-`))}/{instance}.db` }
              : {}),
          },
          trustDir,
          variant.compiled ?? (variant.entry ? { entry: variant.entry } : {}),
        ),
      );
      remotes.push(remote);
      // With --gateway-audit, an audited variant's gateway keeps its log too, as shipped: it then asks
      // the members for their field reports and record ids (decision 0011), which the members pay for.
      const gatewayAudit =
        variant.audit && gatewayAudits
          ? await openAuditLog({
              url: `sqlite:${join(mkdtempSync(join(work, `gateway-audit-${i}-`)), 'gateway.db')}`,
              writer: { instance: 'gateway-1' },
            })
          : undefined;
      if (gatewayAudit) logs.push(gatewayAudit);
      const url = await startGatewayFor({
        members: MEMBERS,
        supergraphSdl: readCommittedSupergraph(),
        subgraphUrls: remote.subgraphUrls,
        servers,
        trustDir,
        ...(gatewayAudit ? { extra: { audit: gatewayAudit } } : {}),
      });
      clients.push(graphqlClient(url, CONCURRENCY));
    }

    const body = { query: SEARCH, variables: { term: TERM } };
    const headers = await analystHeaders(trust, REQUESTER);
    const { requestReference: _, ...withoutReference } = REQUESTER;
    const subjects = hitsOf(
      await postAllowingFollowUps(clients[0]!, body, await analystHeaders(trust, withoutReference)),
    );
    const policy = loadDefaultPolicy();
    for (const dir of grantsDirs)
      approveFollowUpIn(dir, { policy, id: GRANT_ID, requester: REQUESTER, subjects });
    // Every variant answers the same, whole: five members with named suspects.
    const answers = new Set<string>();
    for (const [i, client] of clients.entries()) {
      const answer = (await client.post(body, headers)) as {
        data: { search: { suspects: { fullName: string | null }[] | null }[] };
      };
      if (answer.data.search.filter((s) => s.suspects?.some((x) => x.fullName)).length !== MEMBERS.length)
        throw new Error(`${variants[i]!.name}: the search did not answer from all five members.`);
      answers.add(JSON.stringify(answer.data));
    }
    if (answers.size !== 1) throw new Error('The variants did not give the same answer.');

    const load = { concurrency: CONCURRENCY, durationMs: seconds * 1000 };
    let profiles = 0;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const measure = (i: number) => async () => {
      const send = clients[i]!.sender(body, headers);
      await closedLoop(send, { ...load, durationMs: 500 });
      const profiled = profileDir !== undefined && variants[i]!.entry === undefined;
      if (profiled) await remotes[i]!.startProfile();
      const before = await remotes[i]!.cpuMicros();
      const result = await closedLoop(send, load);
      const used = (await remotes[i]!.cpuMicros()) - before;
      if (profiled) {
        const file = join(
          profileDir,
          `members-${variants[i]!.audit ? 'audit-on' : 'audit-off'}-${++profiles}.cpuprofile`,
        );
        await remotes[i]!.stopProfile(file);
      }
      return { membersCpuMs: used / 1000 / result.requests, throughput: result.throughput };
    };
    const load1 = loadavg()[0]!;
    const results = await interleave(
      Object.fromEntries(variants.map((variant, i) => [variant.name, measure(i)])),
      rounds,
    );
    const load2 = loadavg()[0]!;
    console.log('| members | members + hub CPU ms per search (median) | search req/s (median) |');
    console.log('|---|---:|---:|');
    const cpu: Record<string, number> = {};
    for (const variant of variants) {
      const list = results[variant.name]!;
      cpu[variant.name] = median(list.map((r) => r.membersCpuMs));
      console.log(
        `| ${variant.name} | ${cpu[variant.name]!.toFixed(2)} | ${median(list.map((r) => r.throughput)).toFixed(0)} |`,
      );
    }
    if (baseline)
      for (const audit of audits) {
        const label = audit ? 'audit on' : 'audit off';
        console.log(
          `ratio this checkout / baseline, ${label}: ${(cpu[`this checkout, ${label}`]! / cpu[`baseline, ${label}`]!).toFixed(2)}`,
        );
      }
    console.log(
      `load average (1 min) at start and end of the measured rounds: ${load1.toFixed(2)}, ${load2.toFixed(2)}`,
    );
    for (const client of clients) client.close();
  } finally {
    await servers.stopAll();
    await Promise.all(logs.map((log) => log.close()));
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
