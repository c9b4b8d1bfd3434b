/**
 * What the audit trail costs (issue 5): the five-member search of gateway-search through alliances side
 * by side, in interleaved rounds: one without audit logs, one where every writer (the gateway, each
 * member) logs to SQLite (a file each, durable commits on a worker thread), one where every writer logs to
 * one PostgreSQL database (a real server on loopback; the variant is left out, with a note, where
 * PostgreSQL is not installed). With a log, the gateway appends one consultation per owner and each
 * member one disclosure per call, each durable before its answer leaves. Goal: ≤ 10% throughput lost.
 * Each alliance's members run in a process of their own (as in trust-overhead); the gateway runs here.
 */
import { MEMBERS, readCommittedSupergraph } from '../../schema';
import { loadDefaultPolicy, type RequestContext } from '../../policy';
import { openAuditLog, type AuditLog } from '../../audit';
import {
  ServerGroup,
  closedLoop,
  graphqlClient,
  interleave,
  median,
  ratio,
  type Figure,
  type Ratio,
  type Scenario,
} from '../harness';
import { analystHeaders, benchTrust, startGatewayFor } from '../federation';
import { startRemoteMembers, type RemoteMembers } from '../remoteMembers';
import { benchRequester } from '../synthetic';
import { approveFollowUpIn, hitsOf, postAllowingFollowUps } from '../grants';
import { SEARCH_FIELDS, TERM } from './gateway-search';
import { startPostgres, type PostgresServer } from '../../test/audit/support/postgres';

/**
 * Under the follow-up request the owners approved (bench/grants.ts), so that every member releases the
 * fields asked and logs their disclosure: a made-up reference would open nothing.
 */
const GRANT_ID = 'MLA-KR-BENCH-0001';
const REQUESTER: RequestContext = { ...benchRequester('KR'), requestReference: GRANT_ID };
const CONCURRENCY = 4;
const SEARCH = `query Search($term: String!) { search(term: $term) { ${SEARCH_FIELDS} } }`;

type Variant = 'off' | 'sqlite' | 'postgres';
const LABEL: Record<Variant, string> = {
  off: 'no audit',
  sqlite: 'audit on SQLite',
  postgres: 'audit on PostgreSQL',
};

export const audit: Scenario = {
  name: 'audit',
  description:
    'the five-member search with audit logs on SQLite and on PostgreSQL vs none (goal ≤ 10% throughput lost)',
  timeoutS: 300,
  async run(ctx) {
    const logs: AuditLog[] = [];
    // Clean-ups run in reverse: the servers stop first, then the gateway's logs are sealed, then PostgreSQL.
    let postgres: PostgresServer | undefined;
    try {
      const started = await startPostgres();
      postgres = started.server;
      if (!postgres) ctx.log(`${started.skip} The PostgreSQL variant is left out.`);
    } catch (error) {
      ctx.log(`PostgreSQL did not start (${(error as Error).message}); the PostgreSQL variant is left out.`);
    }
    const pg = postgres;
    if (pg) ctx.defer(() => pg.stop());
    ctx.defer(() => Promise.all(logs.map((log) => log.close())));
    const servers = new ServerGroup();
    ctx.defer(() => servers.stopAll());
    const trustDir = await ctx.tempDir('audit-keys');
    const trust = benchTrust(trustDir, MEMBERS);
    const sqliteDir = await ctx.tempDir('audit-sqlite');

    const variants: Variant[] = pg ? ['off', 'sqlite', 'postgres'] : ['off', 'sqlite'];
    const remotes = {} as Record<Variant, RemoteMembers>;
    const gatewayLogs = {} as Record<Variant, AuditLog | undefined>;
    // Each alliance's members keep their grants in a folder of their own (bench/grants.ts).
    const grantsDirs = {} as Record<Variant, string>;
    async function alliance(variant: Variant): Promise<string> {
      const url =
        variant === 'sqlite'
          ? `sqlite:${sqliteDir}/{instance}.db`
          : variant === 'postgres'
            ? await pg!.createDatabase()
            : undefined;
      grantsDirs[variant] = await ctx.tempDir(`audit-grants-${variant}`);
      const remote = servers.add(
        await startRemoteMembers(
          {
            kind: 'reference',
            uncheckedTokens: false,
            grantsDir: grantsDirs[variant],
            ...(url ? { auditUrl: url } : {}),
          },
          trustDir,
        ),
      );
      remotes[variant] = remote;
      const log = url
        ? await openAuditLog({
            url: url.replace('{instance}', 'gateway-1'),
            writer: { instance: 'gateway-1' },
          })
        : undefined;
      if (log) logs.push(log);
      gatewayLogs[variant] = log;
      return startGatewayFor({
        members: MEMBERS,
        supergraphSdl: readCommittedSupergraph(),
        subgraphUrls: remote.subgraphUrls,
        servers,
        trustDir,
        ...(log ? { extra: { audit: log } } : {}),
      });
    }
    const clients = {} as Record<Variant, ReturnType<typeof graphqlClient>>;
    for (const variant of variants) clients[variant] = graphqlClient(await alliance(variant), CONCURRENCY);
    ctx.defer(() => variants.forEach((variant) => clients[variant].close()));

    const body = { query: SEARCH, variables: { term: TERM } };
    const headers = await analystHeaders(trust, REQUESTER);
    // The search's hits (the same world in every alliance), then the follow-up about them, approved on
    // each owner's desk in every alliance.
    const { requestReference: _, ...withoutReference } = REQUESTER;
    const subjects = hitsOf(
      await postAllowingFollowUps(clients.off, body, await analystHeaders(trust, withoutReference)),
    );
    const policy = loadDefaultPolicy();
    for (const variant of variants)
      approveFollowUpIn(grantsDirs[variant], { policy, id: GRANT_ID, requester: REQUESTER, subjects });
    // Every variant answers the same, whole: five members with named suspects; with a log, it was written.
    for (const variant of variants) {
      const answer = (await clients[variant].post(body, headers)) as {
        data: { search: { suspects: { fullName: string | null }[] | null }[] };
      };
      if (answer.data.search.filter((s) => s.suspects?.some((x) => x.fullName)).length !== MEMBERS.length)
        throw new Error(`${LABEL[variant]}: the search did not answer from all five members.`);
      const log = gatewayLogs[variant];
      if (log && log.stats().appended < MEMBERS.length)
        throw new Error(
          `${LABEL[variant]}: the gateway recorded ${log.stats().appended} consultations for a five-member search.`,
        );
    }

    const rounds = ctx.quick ? 1 : 5;
    const load = { concurrency: CONCURRENCY, durationMs: ctx.quick ? 1_000 : 2_000, signal: ctx.signal };
    const measure = (variant: Variant, send: () => Promise<void>) => async () => {
      await closedLoop(send, { ...load, durationMs: ctx.quick ? 300 : 500 });
      const gatewayCpu = process.cpuUsage();
      const membersCpu = await remotes[variant].cpuMicros();
      const before = gatewayLogs[variant]?.stats();
      const result = await closedLoop(send, load);
      const gatewayMicros = process.cpuUsage(gatewayCpu);
      const membersMicros = (await remotes[variant].cpuMicros()) - membersCpu;
      const after = gatewayLogs[variant]?.stats();
      return {
        ...result,
        gatewayCpuMs: (gatewayMicros.user + gatewayMicros.system) / 1000 / result.requests,
        membersCpuMs: membersMicros / 1000 / result.requests,
        recordsPerCommit:
          before && after && after.commits > before.commits
            ? (after.appended - before.appended) / (after.commits - before.commits)
            : 0,
      };
    };
    const results = await interleave(
      Object.fromEntries(
        variants.map((variant) => [variant, measure(variant, clients[variant].sender(body, headers))]),
      ),
      rounds,
      ctx.signal,
    );
    const summary = (variant: Variant) => {
      const list = results[variant]!;
      return {
        throughput: median(list.map((r) => r.throughput)),
        p50: median(list.map((r) => r.p50)),
        p99: median(list.map((r) => r.p99)),
        gatewayCpuMs: median(list.map((r) => r.gatewayCpuMs)),
        membersCpuMs: median(list.map((r) => r.membersCpuMs)),
        recordsPerCommit: median(list.map((r) => r.recordsPerCommit)),
      };
    };
    const off = summary('off');
    const figures: Figure[] = [];
    const ratios: Ratio[] = [];
    for (const variant of variants) {
      const s = summary(variant);
      figures.push(
        { name: `${LABEL[variant]}: throughput`, value: s.throughput, unit: 'req/s' },
        { name: `${LABEL[variant]}: p50`, value: s.p50, unit: 'ms' },
        { name: `${LABEL[variant]}: p99`, value: s.p99, unit: 'ms' },
        {
          name: `${LABEL[variant]}: gateway CPU per search (bench client included)`,
          value: s.gatewayCpuMs,
          unit: 'ms',
        },
        { name: `${LABEL[variant]}: members + hub CPU per search`, value: s.membersCpuMs, unit: 'ms' },
      );
      if (variant === 'off') continue;
      figures.push({
        name: `${LABEL[variant]}: gateway records per commit (group commit)`,
        value: s.recordsPerCommit,
        unit: '',
      });
      ratios.push(
        ratio(`throughput ${variant} / none (≤ 10% lost)`, s.throughput, off.throughput, { min: 0.9 }),
        ratio(`p50 ${variant} / none`, s.p50, off.p50),
        ratio(`p99 ${variant} / none`, s.p99, off.p99),
        ratio(`gateway CPU per search ${variant} / none`, s.gatewayCpuMs, off.gatewayCpuMs),
        ratio(`members CPU per search ${variant} / none`, s.membersCpuMs, off.membersCpuMs),
      );
      ctx.log(
        `${LABEL[variant]}: ${s.throughput.toFixed(0)} req/s against ${off.throughput.toFixed(0)} without`,
      );
    }
    return { figures, ratios };
  },
};
